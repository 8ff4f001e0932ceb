//! `mask-tool lint`: rules against a database or a dump.

use std::io::Write;

use anyhow::Result;
use common::engine::conn::DbUrl;
use common::error::{Error, Exit};
use common::jobs::live::{lint_source, LintSource};
use common::jobs::masking::load_rules;

use crate::cli::LintArgs;

pub fn run(a: LintArgs) -> Result<Exit> {
    let rules = load_rules(&a.rules)?;
    let source = match (&a.db, &a.dump) {
        (Some(url), _) => LintSource::Db {
            url: DbUrl::parse(url)?,
            password_env: a.password.password_env.clone(),
        },
        (None, Some(path)) => LintSource::Dump(path.clone()),
        (None, None) => return Err(Error::Usage("give --db URL or a DUMP file".into()).into()),
    };
    let findings = lint_source(&rules, &source, a.sample)?;
    if a.out.json {
        let exit = if findings.is_empty() {
            Exit::Ok
        } else {
            Exit::CheckFailed
        };
        common::cli::output::print_json_report(
            &serde_json::json!({ "findings": findings }),
            exit,
            || format!("{} finding(s)", findings.len()),
        )?;
    } else {
        let mut out = std::io::stdout().lock();
        for f in &findings {
            writeln!(out, "{:<20} {}: {}", f.kind, f.object(), f.detail)?;
        }
        if findings.is_empty() {
            writeln!(
                out,
                "ok: every table and column is classed, and nothing kept looks personal"
            )?;
        }
    }
    Ok(if findings.is_empty() {
        Exit::Ok
    } else {
        Exit::CheckFailed
    })
}
