//! `sync-tool run`: refresh staging from production.

use anyhow::Result;
use common::cli::confirm::confirm_replace;
use common::config::Config;
use common::engine::conn::DbUrl;
use common::error::{Error, Exit};
use common::jobs::guard;
use common::jobs::masking::{load_rules, MaskSpec};
use common::jobs::sync::SyncRequest;

use crate::cli::RunArgs;

pub fn run(a: RunArgs) -> Result<Exit> {
    let config = a.config.as_deref().map(Config::load).transpose()?;
    let (from, from_pw, to, to_pw, rules_path) = match &config {
        Some(cfg) => {
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
                rules,
            )
        }
        None => (a.from.clone(), None, a.to.clone(), None, a.rules.clone()),
    };
    let Some(rules_path) = rules_path else {
        return Err(Error::Usage(
            "give --rules FILE (or a [sync] entry with rules in the config)".into(),
        )
        .into());
    };
    let mask = MaskSpec {
        rules: load_rules(&rules_path)?,
        salt: a.salt.choice(),
    };
    // Fail on a missing salt before any work starts.
    mask.context()?;
    if a.jobs > 1 && a.keep_dump.is_some() {
        return Err(
            Error::Usage("--keep-dump writes one stream: use it with --jobs 1".into()).into(),
        );
    }
    let from_url = DbUrl::parse(&from)?;
    let to_url = DbUrl::parse(&to)?;
    let name = to_url.confirmation_name();
    // Metrics and hooks name a refresh after its target: `sync_<target>`.
    let metric_name = format!("sync_{}", to_url.default_backup_name());
    let what = format!(
        "This replaces {} with a masked copy of {}",
        to_url.redacted(),
        from_url.redacted()
    );
    if !confirm_replace(&what, &name, a.yes)? {
        return Err(Error::Refused("not confirmed; nothing was changed".into()).into());
    }
    let req = SyncRequest {
        from: from_url,
        from_password_env: from_pw,
        to: to_url,
        to_password_env: to_pw,
        mask,
        keep_dump: a.keep_dump,
        keep_dumps: a.keep_dumps,
        keep_previous: a.keep_previous,
        allow_unmasked: a.allow_unmasked,
        protected: guard::protected_envs(config.as_ref())?,
        allow_protected: a.allow_protected_target,
        pg_bin_dir: a.pg_bin_dir,
        leak_sample: a.leak_sample,
        jobs: a.jobs.max(1),
    };
    let notify = common::jobs::notify::Notify {
        metrics_file: a
            .metrics_file
            .clone()
            .or_else(|| config.as_ref().and_then(|c| c.metrics_file.clone())),
        on_success: a
            .on_success
            .clone()
            .or_else(|| config.as_ref().and_then(|c| c.on_success.clone())),
        on_failure: a
            .on_failure
            .clone()
            .or_else(|| config.as_ref().and_then(|c| c.on_failure.clone())),
    };
    let started = std::time::Instant::now();
    let result = common::jobs::sync::run(&req);
    notify.after(&metric_name, started, &result, |r| {
        (r.target.clone(), r.bytes, Some(r.rows))
    });
    let report = result?;
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
    if a.out.json {
        common::cli::output::print_json(&report)?;
    }
    Ok(Exit::Ok)
}
