//! `backup-tool status`.

use std::io::Write;

use anyhow::Result;
use chrono::Utc;
use common::config::schedule::{format_duration, parse_duration, Schedule};
use common::config::Config;
use common::error::Exit;
use common::jobs::status::{status, StatusReport};

use crate::cli::StatusArgs;

pub fn run(a: StatusArgs) -> Result<Exit> {
    let now = Utc::now();
    let max_age = match &a.max_age {
        Some(s) => {
            Some(parse_duration(s).map_err(|e| common::Error::Usage(format!("--max-age: {e}")))?)
        }
        None => None,
    };
    let mut reports: Vec<StatusReport> = Vec::new();
    if let Some(cfg_path) = &a.config {
        let cfg = Config::load(cfg_path)?;
        let keys: Vec<String> = match &a.env {
            Some(e) => {
                cfg.env(e)?;
                vec![e.clone()]
            }
            None => cfg
                .env
                .iter()
                .filter(|(_, e)| e.dir.is_some())
                .map(|(k, _)| k.clone())
                .collect(),
        };
        for key in keys {
            let env = cfg.env(&key)?;
            let Some(dir) = &env.dir else {
                return Err(common::Error::Usage(format!("environment '{key}' has no dir")).into());
            };
            let (threshold, rule) = match (max_age, &env.schedule) {
                (Some(d), _) => (now - d, format!("--max-age {}", format_duration(d))),
                (None, Some(s)) => {
                    let sched = Schedule::parse(s).map_err(common::Error::Usage)?;
                    let t = sched.alarm_threshold(now).unwrap_or(now);
                    (
                        t,
                        format!("schedule '{s}': no backup for two scheduled runs"),
                    )
                }
                (None, None) => {
                    return Err(common::Error::Usage(format!(
                        "environment '{key}' has no schedule; pass --max-age"
                    ))
                    .into())
                }
            };
            reports.push(status(
                dir,
                &env.backup_name(&key),
                threshold,
                rule,
                now,
                !a.no_checksum,
            )?);
        }
    } else {
        let (Some(dir), Some(name)) = (&a.dir, &a.name) else {
            return Err(
                common::Error::Usage("status needs --dir and --name (or --config)".into()).into(),
            );
        };
        let Some(d) = max_age else {
            return Err(common::Error::Usage(
                "status with --dir needs --max-age (e.g. 26h)".into(),
            )
            .into());
        };
        reports.push(status(
            dir,
            name,
            now - d,
            format!("--max-age {}", format_duration(d)),
            now,
            !a.no_checksum,
        )?);
    }
    let all_ok = reports.iter().all(|r| r.ok);
    let exit = if all_ok {
        Exit::Ok
    } else if reports.iter().any(|r| r.content_failed()) {
        Exit::CheckFailed
    } else {
        Exit::Stale
    };
    if a.prometheus {
        std::io::stdout()
            .lock()
            .write_all(common::jobs::notify::status_metrics(&reports).as_bytes())?;
    } else if a.out.json {
        common::cli::output::print_json_report(
            &serde_json::json!({ "backups": reports }),
            exit,
            || {
                let bad: Vec<&str> = reports
                    .iter()
                    .filter(|r| !r.ok)
                    .map(|r| r.name.as_str())
                    .collect();
                format!("no recent and intact backup of {}", bad.join(", "))
            },
        )?;
    } else {
        let mut out = std::io::stdout().lock();
        for r in &reports {
            if let Some(p) = &r.problem {
                writeln!(out, "FAILED {}: {p}", r.name)?;
                continue;
            }
            match (&r.newest, r.age_seconds) {
                (Some(f), Some(age)) => writeln!(
                    out,
                    "{} {}: newest good backup {} is {} old ({})",
                    if r.ok { "OK   " } else { "STALE" },
                    r.name,
                    f,
                    format_duration(chrono::Duration::seconds(age)),
                    r.rule
                )?,
                _ => writeln!(out, "STALE {}: no good backup at all ({})", r.name, r.rule)?,
            }
        }
    }
    Ok(exit)
}
