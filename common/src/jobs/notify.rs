//! Knowing that it worked: metrics for node_exporter's textfile collector, and hooks run after
//! each backup.
//!
//! The metrics file holds one set of series per backup name; each run rewrites its own name's
//! series and keeps the others, atomically (a scraper never reads half a file). Hooks are shell
//! commands run with the outcome in their environment, for a healthchecks-style ping:
//! `on_failure = "curl -fsS -m 10 https://hc.example/ping/UUID/fail"`. Neither ever sees a
//! password: error texts are the tool's own, which name objects, never secrets.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::error::{IoContext, Result};

/// Prefix of every series this tool writes.
const PREFIX: &str = "backup_tool_";

/// How long a hook may run before it is stopped.
pub const HOOK_TIMEOUT: Duration = Duration::from_secs(60);

/// The outcome of one run of one backup name, as metrics and hooks see it.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    /// Backup name.
    pub name: String,
    /// When the run ended.
    pub at: DateTime<Utc>,
    /// How long it took.
    pub seconds: f64,
    /// The exit code it ends with (0 on success).
    pub exit_code: u8,
    /// The backup file, on success.
    pub file: Option<String>,
    /// Its size in bytes, on success.
    pub bytes: Option<u64>,
    /// Rows in all tables, when counted.
    pub rows: Option<u64>,
    /// The error, on failure (the tool's text: objects named, never a secret or a row).
    pub error: Option<String>,
}

/// One series: metric name (without prefix), help text, type, value.
fn series(
    o: &RunOutcome,
    previous: &BTreeMap<String, f64>,
) -> Vec<(&'static str, &'static str, f64)> {
    let ok = o.exit_code == 0;
    let ts = o.at.timestamp() as f64;
    let keep = |k: &str| previous.get(k).copied();
    let mut out = vec![
        (
            "last_exit_code",
            "Exit code of the last run (0 ok).",
            o.exit_code as f64,
        ),
        ("last_run_timestamp_seconds", "When the last run ended.", ts),
        (
            "last_duration_seconds",
            "How long the last run took.",
            o.seconds,
        ),
    ];
    let (success, failure) = if ok {
        (Some(ts), keep("last_failure_timestamp_seconds"))
    } else {
        (keep("last_success_timestamp_seconds"), Some(ts))
    };
    if let Some(s) = success {
        out.push((
            "last_success_timestamp_seconds",
            "When the last successful run ended.",
            s,
        ));
    }
    if let Some(f) = failure {
        out.push((
            "last_failure_timestamp_seconds",
            "When the last failed run ended.",
            f,
        ));
    }
    let size = if ok {
        o.bytes.map(|b| b as f64)
    } else {
        keep("last_success_size_bytes")
    };
    if let Some(b) = size {
        out.push((
            "last_success_size_bytes",
            "Size of the last good backup.",
            b,
        ));
    }
    let rows = if ok {
        o.rows.map(|r| r as f64)
    } else {
        keep("last_success_rows")
    };
    if let Some(r) = rows {
        out.push(("last_success_rows", "Rows in the last good backup.", r));
    }
    out
}

/// Every family this tool writes, with its help text.
const FAMILIES: &[(&str, &str)] = &[
    ("last_exit_code", "Exit code of the last run (0 ok)."),
    ("last_run_timestamp_seconds", "When the last run ended."),
    ("last_duration_seconds", "How long the last run took."),
    (
        "last_success_timestamp_seconds",
        "When the last successful run ended.",
    ),
    (
        "last_failure_timestamp_seconds",
        "When the last failed run ended.",
    ),
    ("last_success_size_bytes", "Size of the last good backup."),
    ("last_success_rows", "Rows in the last good backup."),
    (
        "newest_backup_age_seconds",
        "Age of the newest good backup.",
    ),
    (
        "status_ok",
        "Whether the newest good backup is recent enough and intact (1) or not (0).",
    ),
];

fn help_of(metric: &str) -> &'static str {
    FAMILIES
        .iter()
        .find(|(m, _)| *m == metric)
        .map(|(_, h)| *h)
        .unwrap_or("Written by backup-tools.")
}

/// Escapes a label value for the text exposition format.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Reads this tool's series from an existing metrics file: (metric, name label) -> value.
fn read_existing(path: &Path) -> BTreeMap<(String, String), f64> {
    let mut out = BTreeMap::new();
    let Ok(text) = std::fs::read_to_string(path) else {
        return out;
    };
    for line in text.lines() {
        let Some(rest) = line.strip_prefix(PREFIX) else {
            continue;
        };
        let Some((metric, rest)) = rest.split_once("{name=\"") else {
            continue;
        };
        let Some((name, rest)) = rest.split_once("\"}") else {
            continue;
        };
        if let Ok(v) = rest.trim().parse::<f64>() {
            out.insert(
                (
                    metric.to_string(),
                    name.replace("\\\"", "\"").replace("\\\\", "\\"),
                ),
                v,
            );
        }
    }
    out
}

/// Updates `path` (a node_exporter textfile) with the outcome of a run, keeping the series of
/// other names. Written to a temporary file beside it and renamed: never half a file.
pub fn write_metrics(path: &Path, o: &RunOutcome) -> Result<()> {
    // Runs of other names update the same file: one at a time, or one would lose the other's.
    let dir = crate::fs::parent_dir(path);
    let fname = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let _lock =
        crate::store::lock::acquire(&dir, &fname, std::time::Duration::from_secs(30), "metrics")?;
    let mut all = read_existing(path);
    let previous: BTreeMap<String, f64> = all
        .iter()
        .filter(|((_, n), _)| n == &o.name)
        .map(|((m, _), v)| (m.clone(), *v))
        .collect();
    all.retain(|(_, n), _| n != &o.name);
    for (metric, _, value) in series(o, &previous) {
        all.insert((metric.to_string(), o.name.clone()), value);
    }
    let mut by_metric: BTreeMap<&str, Vec<(&str, f64)>> = BTreeMap::new();
    for ((m, n), v) in &all {
        by_metric
            .entry(m.as_str())
            .or_default()
            .push((n.as_str(), *v));
    }
    let mut text = String::new();
    for (m, values) in by_metric {
        let h = help_of(m);
        text.push_str(&format!(
            "# HELP {PREFIX}{m} {h}\n# TYPE {PREFIX}{m} gauge\n"
        ));
        for (n, v) in values {
            text.push_str(&format!("{PREFIX}{m}{{name=\"{}\"}} {v}\n", label(n)));
        }
    }
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    {
        let mut f =
            std::fs::File::create(&tmp).ctx(|| format!("cannot create {}", tmp.display()))?;
        f.write_all(text.as_bytes())
            .and_then(|_| f.sync_all())
            .ctx(|| format!("cannot write {}", tmp.display()))?;
    }
    // Metrics hold no data: readable by the collector (0644).
    crate::fs::set_mode(&tmp, 0o644)?;
    std::fs::rename(&tmp, path)
        .ctx(|| format!("cannot rename {} to {}", tmp.display(), path.display()))?;
    Ok(())
}

/// Runs a hook command (`/bin/sh -c`) with the outcome in its environment: `BACKUP_TOOL_NAME`,
/// `BACKUP_TOOL_STATUS` (`success`/`failure`), `BACKUP_TOOL_EXIT_CODE`, `BACKUP_TOOL_FILE`,
/// `BACKUP_TOOL_BYTES`, `BACKUP_TOOL_DURATION_SECONDS`, `BACKUP_TOOL_ERROR`. Its failure or
/// timeout is reported as a warning and does not change the run's exit code.
pub fn run_hook(command: &str, o: &RunOutcome) {
    let mut cmd = Command::new("/bin/sh");
    cmd.args(["-c", command])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .env("BACKUP_TOOL_NAME", &o.name)
        .env(
            "BACKUP_TOOL_STATUS",
            if o.exit_code == 0 {
                "success"
            } else {
                "failure"
            },
        )
        .env("BACKUP_TOOL_EXIT_CODE", o.exit_code.to_string())
        .env("BACKUP_TOOL_FILE", o.file.as_deref().unwrap_or(""))
        .env(
            "BACKUP_TOOL_BYTES",
            o.bytes.map(|b| b.to_string()).unwrap_or_default(),
        )
        .env("BACKUP_TOOL_DURATION_SECONDS", format!("{:.1}", o.seconds))
        .env(
            "BACKUP_TOOL_ERROR",
            crate::secrets::scrub(o.error.as_deref().unwrap_or("")),
        );
    // The hook must not see our database passwords.
    for v in ["PGPASSWORD", "PGPASSFILE"] {
        cmd.env_remove(v);
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!("hook could not be started: {e}");
            return;
        }
    };
    let deadline = std::time::Instant::now() + HOOK_TIMEOUT;
    loop {
        match child.try_wait() {
            Ok(Some(s)) if s.success() => return,
            Ok(Some(s)) => {
                tracing::warn!("hook exited with {s}");
                return;
            }
            Ok(None) if std::time::Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                tracing::warn!(
                    "hook still running after {}s; stopped",
                    HOOK_TIMEOUT.as_secs()
                );
                return;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => {
                tracing::warn!("cannot wait for the hook: {e}");
                return;
            }
        }
    }
}

/// Where a run reports its outcome.
#[derive(Debug, Clone, Default)]
pub struct Notify {
    /// The metrics file to update.
    pub metrics_file: Option<std::path::PathBuf>,
    /// Run after a successful backup.
    pub on_success: Option<String>,
    /// Run after a failed one.
    pub on_failure: Option<String>,
}

impl Notify {
    /// Reports the outcome of a backup run of `name` that started at `started`; the result
    /// passes through unchanged. A metrics file that cannot be written is a warning, not a
    /// failure of the backup.
    pub fn after<T>(
        &self,
        name: &str,
        started: std::time::Instant,
        result: &crate::error::Result<T>,
        describe: impl Fn(&T) -> (String, u64, Option<u64>),
    ) {
        let now = Utc::now();
        let o = match result {
            Ok(v) => {
                let (file, bytes, rows) = describe(v);
                RunOutcome {
                    name: name.to_string(),
                    at: now,
                    seconds: started.elapsed().as_secs_f64(),
                    exit_code: 0,
                    file: Some(file),
                    bytes: Some(bytes),
                    rows,
                    error: None,
                }
            }
            Err(e) => RunOutcome {
                name: name.to_string(),
                at: now,
                seconds: started.elapsed().as_secs_f64(),
                exit_code: e.exit_code(),
                file: None,
                bytes: None,
                rows: None,
                error: Some(e.describe()),
            },
        };
        if let Some(f) = &self.metrics_file {
            if let Err(e) = write_metrics(f, &o) {
                tracing::warn!("cannot update the metrics file: {}", e.describe());
            }
        }
        let hook = if o.exit_code == 0 {
            &self.on_success
        } else {
            &self.on_failure
        };
        if let Some(h) = hook {
            run_hook(h, &o);
        }
    }
}

/// Prometheus text for `status` reports: the newest good backup's age and whether the check
/// passed, per name.
pub fn status_metrics(reports: &[crate::jobs::status::StatusReport]) -> String {
    let mut out = String::new();
    let mut family = |metric: &str, values: Vec<(&str, f64)>| {
        out.push_str(&format!(
            "# HELP {PREFIX}{metric} {}\n# TYPE {PREFIX}{metric} gauge\n",
            help_of(metric)
        ));
        for (name, v) in values {
            out.push_str(&format!(
                "{PREFIX}{metric}{{name=\"{}\"}} {v}\n",
                label(name)
            ));
        }
    };
    let pick = |f: &dyn Fn(&crate::jobs::status::StatusReport) -> Option<f64>| -> Vec<(&str, f64)> {
        reports
            .iter()
            .filter_map(|r| f(r).map(|v| (r.name.as_str(), v)))
            .collect()
    };
    family(
        "newest_backup_age_seconds",
        pick(&|r| r.age_seconds.map(|a| a as f64)),
    );
    // The same families as the metrics file, from the newest good backup's manifest.
    family(
        "last_success_timestamp_seconds",
        pick(&|r| r.newest_finished_at.map(|t| t.timestamp() as f64)),
    );
    family(
        "last_success_size_bytes",
        pick(&|r| r.newest_size.map(|b| b as f64)),
    );
    family(
        "last_success_rows",
        pick(&|r| r.newest_rows.map(|b| b as f64)),
    );
    family("status_ok", pick(&|r| Some(f64::from(u8::from(r.ok)))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(name: &str, code: u8) -> RunOutcome {
        RunOutcome {
            name: name.into(),
            at: DateTime::parse_from_rfc3339("2026-11-22T03:00:00Z")
                .map(|t| t.with_timezone(&Utc))
                .expect("time"),
            seconds: 12.5,
            exit_code: code,
            file: (code == 0).then(|| "x.sql.gz".into()),
            bytes: (code == 0).then_some(1234),
            rows: (code == 0).then_some(99),
            error: (code != 0).then(|| "pg_dump failed".into()),
        }
    }

    #[test]
    fn metrics_keep_other_names_and_the_last_success() {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = dir.path().join("backup.prom");
        write_metrics(&f, &outcome("prod", 0)).expect("write");
        write_metrics(&f, &outcome("staging", 0)).expect("write");
        write_metrics(&f, &outcome("prod", 1)).expect("write");
        let text = std::fs::read_to_string(&f).expect("read");
        assert!(
            text.contains("backup_tool_last_exit_code{name=\"prod\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("backup_tool_last_exit_code{name=\"staging\"} 0"),
            "{text}"
        );
        assert!(
            text.contains("backup_tool_last_success_timestamp_seconds{name=\"prod\"}"),
            "{text}"
        );
        assert!(
            text.contains("backup_tool_last_failure_timestamp_seconds{name=\"prod\"}"),
            "{text}"
        );
        assert!(
            text.contains("backup_tool_last_success_size_bytes{name=\"prod\"} 1234"),
            "{text}"
        );
        assert_eq!(
            text.matches("# TYPE backup_tool_last_exit_code gauge")
                .count(),
            1
        );
    }
}
