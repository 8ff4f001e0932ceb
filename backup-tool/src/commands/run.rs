//! `backup-tool run --config`: every environment's backup and retention, for cron.

use anyhow::Result;
use common::config::Config;
use common::engine::conn::DbUrl;
use common::error::Exit;
use common::jobs::backup::{run_backup, BackupRequest};

use crate::cli::RunArgs;

pub fn run(a: RunArgs) -> Result<Exit> {
    let cfg = Config::load(&a.config)?;
    let keys: Vec<String> = match &a.env {
        Some(e) => {
            if cfg.env(e)?.dir.is_none() {
                return Err(common::Error::Usage(format!(
                    "environment '{e}' has no dir to back up into"
                ))
                .into());
            }
            vec![e.clone()]
        }
        None => cfg
            .env
            .iter()
            .filter(|(_, e)| e.dir.is_some())
            .map(|(k, _)| k.clone())
            .collect(),
    };
    if keys.is_empty() {
        return Err(common::Error::Usage(format!(
            "{}: no environment has a dir",
            a.config.display()
        ))
        .into());
    }
    let wait = super::wait_arg(a.wait.as_deref())?;
    let notify = common::jobs::notify::Notify {
        metrics_file: a.metrics_file.clone().or_else(|| cfg.metrics_file.clone()),
        on_success: a.on_success.clone().or_else(|| cfg.on_success.clone()),
        on_failure: a.on_failure.clone().or_else(|| cfg.on_failure.clone()),
    };
    let mut results = Vec::new();
    let mut failed = 0;
    for key in &keys {
        let env = cfg.env(key)?;
        let started = std::time::Instant::now();
        let outcome = (|| -> common::Result<_> {
            let req = BackupRequest {
                source: DbUrl::parse(&env.db)?,
                password_env: env.password_env.clone(),
                dir: env.dir.clone().unwrap_or_default(),
                name: Some(env.backup_name(key)),
                codec: env.codec()?,
                pg_bin_dir: env.pg_bin_dir.clone(),
                threads: 0,
                lock_wait: wait,
                retention: env.retention.clone().filter(|r| !r.is_empty()),
                tags: Vec::new(),
                keep_for: None,
                selection: env.selection(),
                globals: env.globals,
                jobs: env.jobs.max(1) as usize,
                encrypt_to: common::store::target::recipient_texts(
                    &env.encrypt_to,
                    env.recipients_file.as_slice(),
                )?,
                mirrors: env.mirror.clone(),
            };
            run_backup(&req)
        })();
        notify.after(
            &env.backup_name(key),
            started,
            &outcome,
            super::backup::describe,
        );
        match outcome {
            Ok(o) => {
                super::backup::log_outcome(&o);
                results.push(serde_json::json!({ "env": key, "ok": true, "backup": o }));
            }
            Err(e) => {
                failed += 1;
                tracing::error!("environment '{key}': backup failed: {}", e.describe());
                results.push(serde_json::json!({ "env": key, "ok": false, "error": e.describe(), "exit_code": e.exit_code() }));
            }
        }
    }
    if a.out.json {
        let exit = if failed > 0 { Exit::Failure } else { Exit::Ok };
        common::cli::output::print_json_report(
            &serde_json::json!({ "environments": results }),
            exit,
            || format!("{failed} of {} environment(s) failed", keys.len()),
        )?;
    }
    if failed > 0 {
        tracing::error!("{failed} of {} environment(s) failed", keys.len());
        return Ok(Exit::Failure);
    }
    Ok(Exit::Ok)
}
