//! `backup-tool crontab`: ready-to-install crontab lines.
//!
//! cron runs jobs with a bare PATH (often just /usr/bin:/bin), so a pg_dump in /usr/local/bin or
//! a versioned folder is not found and the backup silently never happens. The lines printed here
//! use absolute paths, set PATH explicitly, and send output to a log file.

use std::io::Write;

use common::error::Exit;
use anyhow::{Context, Result};
use common::config::Config;

use crate::cli::CrontabArgs;

pub fn run(a: CrontabArgs) -> Result<Exit> {
    let cfg = Config::load(&a.config)?;
    let config = std::fs::canonicalize(&a.config)
        .with_context(|| format!("cannot resolve {}", a.config.display()))?;
    let exe = std::env::current_exe().context("cannot find this program's path")?;
    let exe = std::fs::canonicalize(&exe).unwrap_or(exe);
    let bin_dir = exe.parent().map(|p| p.to_path_buf()).unwrap_or_default();
    let sync_tool = bin_dir.join("sync-tool");
    let log = cfg
        .log_file
        .clone()
        .unwrap_or_else(|| std::path::PathBuf::from("/var/log/backup-tool.log"));
    let mut path_dirs: Vec<String> = vec![bin_dir.display().to_string()];
    for tool in ["pg_dump", "psql"] {
        if let Ok(t) = common::engine::pg::find_tool(tool, None, None) {
            if let Some(d) = t.path.parent() {
                path_dirs.push(d.display().to_string());
            }
        }
    }
    path_dirs.extend(["/usr/local/bin", "/usr/bin", "/bin"].map(String::from));
    let mut seen = std::collections::BTreeSet::new();
    path_dirs.retain(|d| seen.insert(d.clone()));
    let quote = |p: &std::path::Path| shell_quote(&p.display().to_string());
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "# crontab lines for {} (install with: crontab -e)",
        config.display()
    )?;
    writeln!(out, "SHELL=/bin/sh")?;
    writeln!(out, "PATH={}", path_dirs.join(":"))?;
    let mut lines = 0;
    for (key, env) in &cfg.env {
        if let Some(s) = &env.schedule {
            writeln!(
                out,
                "{s} {} run --config {} --env {} >> {} 2>&1",
                quote(&exe),
                quote(&config),
                shell_quote(key),
                quote(&log)
            )?;
            lines += 1;
        }
    }
    for (key, sync) in &cfg.sync {
        if let Some(s) = &sync.schedule {
            writeln!(
                out,
                "{s} {} run --config {} --from {} --to {} >> {} 2>&1  # sync {key}",
                quote(&sync_tool),
                quote(&config),
                shell_quote(&sync.from),
                shell_quote(&sync.to),
                quote(&log)
            )?;
            lines += 1;
        }
    }
    if lines == 0 {
        tracing::warn!(
            "{}: no environment or sync has a schedule",
            config.display()
        );
    }
    Ok(Exit::Ok)
}

/// Quotes a word for /bin/sh when it holds anything but safe characters.
fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:=@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
