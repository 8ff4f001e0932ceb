//! `backup-tool systemd`: a .service and a .timer per scheduled job (see `common::jobs::cron`).

use anyhow::Result;
use common::error::Exit;
use common::jobs::cron;

use crate::cli::SystemdArgs;

pub fn run(a: SystemdArgs) -> Result<Exit> {
    let plan = super::schedule_plan(&a.config, a.env_file.as_deref())?;
    if cron::ensure_env_file(&plan)? {
        tracing::info!(
            "created {} (0600) with the variables the jobs need; fill in their values",
            plan.env_file.display()
        );
    }
    for v in &plan.unset {
        tracing::warn!(
            "{v} is not set here; the services read it from {}",
            plan.env_file.display()
        );
    }
    let units = cron::systemd_units(&plan, a.user.as_deref())?;
    let written = cron::write_units(&units, &a.out)?;
    for p in &written {
        tracing::info!("wrote {}", p.display());
    }
    let timers: Vec<String> = units
        .iter()
        .filter(|u| u.name.ends_with(".timer"))
        .map(|u| u.name.clone())
        .collect();
    if timers.is_empty() {
        tracing::warn!(
            "{}: no environment or sync has a schedule",
            plan.config.display()
        );
    } else {
        tracing::info!(
            "enable with: systemctl daemon-reload && systemctl enable --now {}",
            timers.join(" ")
        );
    }
    if a.output.json {
        common::cli::output::print_json(&serde_json::json!({
            "ok": true,
            "units": written,
            "timers": timers,
            "env_file": plan.env_file,
            "unset_variables": plan.unset,
        }))?;
    }
    Ok(Exit::Ok)
}
