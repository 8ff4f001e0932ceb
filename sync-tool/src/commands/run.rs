//! `sync-tool run`: refresh staging from production.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Result;
use common::config::Config;
use common::mask::{MaskContext, Rules, Salt};
use common::sync::SyncRequest;
use common::url::DbUrl;

use crate::cli::RunArgs;

pub fn run(a: RunArgs) -> Result<ExitCode> {
    let (from, from_pw, to, to_pw, protected, rules_path) = match &a.config {
        Some(path) => {
            let cfg = Config::load(path)?;
            let f = cfg.env(&a.from)?;
            let t = cfg.env(&a.to)?;
            let rules = a.rules.clone().or_else(|| {
                cfg.sync
                    .values()
                    .find(|s| s.from == a.from && s.to == a.to)
                    .map(|s| s.rules.clone())
            });
            (
                f.db.clone(),
                f.password_env.clone(),
                t.db.clone(),
                t.password_env.clone(),
                t.protected,
                rules,
            )
        }
        None => (
            a.from.clone(),
            None,
            a.to.clone(),
            None,
            false,
            a.rules.clone(),
        ),
    };
    let Some(rules_path) = rules_path else {
        return Err(common::Error::Usage(
            "give --rules FILE (or a [sync] entry with rules in the config)".into(),
        )
        .into());
    };
    let rules = Rules::load(&rules_path).map_err(|e| common::Error::Config {
        path: rules_path.clone(),
        message: e.to_string(),
    })?;
    let random = a.random_salt;
    let salt_rules = rules.clone();
    let context = Box::new(move || -> common::Result<MaskContext> {
        if random {
            return Ok(MaskContext::new(Salt::random()));
        }
        if salt_rules.needs_salt() {
            let s = Salt::from_env(&salt_rules)
                .map_err(|e| common::Error::Usage(format!("{e} (or pass --random-salt)")))?;
            return Ok(MaskContext::new(s));
        }
        Ok(MaskContext::without_salt())
    });
    // Fail on a missing salt before any work starts.
    context()?;
    let to_url = DbUrl::parse(&to)?;
    if !a.yes && std::io::stdin().is_terminal() {
        let shown = to_url.redacted();
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "This replaces {shown} with a masked copy of {}. Continue? [y/N] ",
            DbUrl::parse(&from)?.redacted()
        );
        let _ = err.flush();
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        if !matches!(line.trim(), "y" | "Y" | "yes") {
            return Err(common::Error::Refused("not confirmed; nothing was changed".into()).into());
        }
    }
    let req = SyncRequest {
        from: DbUrl::parse(&from)?,
        from_password_env: from_pw,
        to: to_url,
        to_password_env: to_pw,
        rules,
        context,
        keep_dump: a.keep_dump,
        keep_dumps: a.keep_dumps,
        keep_previous: a.keep_previous,
        allow_unmasked: a.allow_unmasked,
        target_protected: protected,
        allow_protected: a.allow_protected_target,
        pg_bin_dir: a.pg_bin_dir,
        leak_sample: a.leak_sample,
        jobs: a.jobs.max(1),
    };
    let report = common::sync::run(&req)?;
    let phases: Vec<String> = report
        .phases
        .iter()
        .map(|(n, s)| format!("{n} {s:.1}s"))
        .collect();
    tracing::info!(
        "refreshed {} from {}: {} tables, {} rows, {} masked columns ({} values), {} MB streamed; {}",
        report.target,
        report.source,
        report.tables,
        report.rows,
        report.masked_columns,
        report.masked_values,
        report.bytes / 1_000_000,
        phases.join(", ")
    );
    if let Some(p) = &report.previous {
        tracing::info!("previous copy kept as {p}");
    }
    if a.json {
        common::output::print_json(&report)?;
    }
    Ok(ExitCode::SUCCESS)
}
