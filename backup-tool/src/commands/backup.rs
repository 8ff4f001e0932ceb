//! `backup-tool backup`.

use common::error::Exit;
use std::io::Write;

use anyhow::Result;
use common::engine::conn::DbUrl;
use common::jobs::backup::{run_backup, BackupOutcome, BackupRequest};

use crate::cli::BackupArgs;
use common::cli::output::{human_bytes, print_json};

pub fn run(a: BackupArgs) -> Result<Exit> {
    let policy = a.retention.policy();
    let keep_for = match &a.keep_for {
        Some(s) => Some(
            common::config::schedule::parse_duration(s)
                .map_err(|e| common::Error::Usage(format!("--keep-for: {e}")))?,
        ),
        None => None,
    };
    let selection = a.selection();
    let encrypt_to = common::store::target::recipient_texts(&a.encrypt_to, &a.recipients_file)?;
    let req = BackupRequest {
        source: DbUrl::parse(&a.db)?,
        password_env: a.pg.password_env,
        dir: a.dir,
        name: a.name,
        codec: super::codec_arg(&a.compress)?,
        pg_bin_dir: a.pg.pg_bin_dir,
        threads: a.threads,
        lock_wait: super::wait_arg(a.wait.as_deref())?,
        retention: (!policy.is_empty()).then_some(policy),
        tags: a.tag.clone(),
        keep_for,
        selection,
        globals: a.globals,
        jobs: a.jobs as usize,
        encrypt_to,
        mirrors: a.mirror.clone(),
    };
    let notify = common::jobs::notify::Notify {
        metrics_file: a.metrics_file.clone(),
        on_success: a.on_success.clone(),
        on_failure: a.on_failure.clone(),
    };
    let started = std::time::Instant::now();
    let result = run_backup(&req);
    let name = req
        .name
        .clone()
        .unwrap_or_else(|| common::jobs::backup::default_name(&req));
    notify.after(&name, started, &result, describe);
    let outcome = result?;
    if a.out.json {
        print_json(&outcome)?;
    } else {
        log_outcome(&outcome);
        writeln!(std::io::stdout().lock(), "{}", outcome.path.display())?;
    }
    Ok(Exit::Ok)
}

/// What metrics and hooks say of a backup: its file, size and rows.
pub fn describe(o: &BackupOutcome) -> (String, u64, Option<u64>) {
    (
        o.path.display().to_string(),
        o.manifest.size,
        o.manifest.tables.as_ref().map(|t| t.values().sum()),
    )
}

/// Logs a one-line summary of a backup and of the retention after it.
pub fn log_outcome(o: &BackupOutcome) {
    let m = &o.manifest;
    let secs = (m.finished_at - m.started_at).num_milliseconds() as f64 / 1000.0;
    tracing::info!(
        "backup of {} complete: {} ({} from {} of {}, {} tables, {:.1}s)",
        m.source,
        o.path.display(),
        human_bytes(m.size),
        human_bytes(m.uncompressed_size),
        m.content_label(),
        m.tables.as_ref().map(|t| t.len()).unwrap_or(0),
        secs
    );
    if let Some(p) = &o.prune {
        let kept = p
            .decisions
            .iter()
            .filter(|d| d.action == common::store::retention::Action::Keep)
            .count();
        tracing::info!(
            "retention for '{}': kept {kept}, deleted {}",
            p.name,
            p.deleted.len()
        );
    }
}
