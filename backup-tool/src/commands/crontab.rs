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
    std::io::stdout().lock().write_all(cron::crontab(&plan).as_bytes())?;
    Ok(Exit::Ok)
}
