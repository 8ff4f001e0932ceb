//! `backup-tool crontab`: ready-to-install crontab lines (see `common::jobs::cron`).

use std::io::Write;

use anyhow::Result;
use common::error::Exit;
use common::jobs::cron;

use crate::cli::CrontabArgs;

pub fn run(a: CrontabArgs) -> Result<Exit> {
    let plan = super::schedule_plan(&a.config, a.env_file.as_deref())?;
    if cron::ensure_env_file(&plan)? {
        tracing::info!(
            "created {} (0600) with the variables the jobs need; fill in their values",
            plan.env_file.display()
        );
    }
    for v in &plan.unset {
        tracing::warn!(
            "{v} is not set here; the scheduled jobs read it from {}",
            plan.env_file.display()
        );
    }
    if plan.jobs.is_empty() {
        tracing::warn!(
            "{}: no environment or sync has a schedule",
            plan.config.display()
        );
    }
    let text = cron::crontab(&plan);
    if a.out.json {
        common::cli::output::print_json(&serde_json::json!({
            "ok": true,
            "crontab": text,
            "env_file": plan.env_file,
            "unset_variables": plan.unset,
            "jobs": plan.jobs.iter().map(|j| serde_json::json!({
                "label": j.label, "schedule": j.schedule, "argv": j.argv,
            })).collect::<Vec<_>>(),
        }))?;
    } else {
        std::io::stdout().lock().write_all(text.as_bytes())?;
    }
    Ok(Exit::Ok)
}
