//! `backup-tool doctor` (see `common::jobs::doctor`).

use std::io::Write;

use anyhow::Result;
use common::config::Config;
use common::error::Exit;

use crate::cli::DoctorArgs;

pub fn run(a: DoctorArgs) -> Result<Exit> {
    let cfg = Config::load(&a.config)?;
    let env_file = a
        .env_file
        .clone()
        .unwrap_or_else(|| common::fs::parent_dir(&cfg.path).join("backup-tools.env"));
    let report = common::jobs::doctor::doctor(&cfg, Some(&env_file), a.pg_bin_dir.as_deref())?;
    if a.out.json {
        let exit = if report.ok() {
            Exit::Ok
        } else {
            Exit::CheckFailed
        };
        common::cli::output::print_json_report(
            &serde_json::json!({ "checks": report.checks }),
            exit,
            || {
                format!(
                    "{} problem(s) found",
                    report.checks.iter().filter(|c| !c.ok).count()
                )
            },
        )?;
    } else {
        let mut out = std::io::stdout().lock();
        for c in &report.checks {
            writeln!(
                out,
                "{} {}: {}",
                if c.ok { "ok     " } else { "PROBLEM" },
                c.what,
                c.detail
            )?;
        }
    }
    Ok(if report.ok() {
        Exit::Ok
    } else {
        Exit::CheckFailed
    })
}
