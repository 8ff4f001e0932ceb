//! `backup-tool restore`.

use anyhow::Result;
use common::cli::confirm::confirm_replace;
use common::cli::output::{human_bytes, print_json};
use common::config::Config;
use common::engine::conn::DbUrl;
use common::error::Exit;
use common::jobs::guard;
use common::jobs::masking::{load_rules, MaskSpec};
use common::jobs::restore::{restore, RestoreRequest};

use crate::cli::RestoreArgs;

/// Parses `--at`: RFC 3339, `YYYY-MM-DD HH:MM[:SS]`, `YYYY-MM-DD` (UTC), or a backup file
/// name's `YYYYMMDDTHHMMSSZ`.
fn parse_time(s: &str) -> common::Result<chrono::DateTime<chrono::Utc>> {
    use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y%m%dT%H%M%SZ",
        "%Y-%m-%dT%H:%M:%S",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Ok(Utc.from_utc_datetime(&t));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        if let Some(t) = d.and_hms_opt(23, 59, 59) {
            return Ok(Utc.from_utc_datetime(&t));
        }
    }
    Err(common::Error::Usage(format!(
        "--at {s}: not a time (use 2026-11-22T03:00:00Z, 2026-11-22 03:00 or 2026-11-22)"
    )))
}

pub fn run(a: RestoreArgs) -> Result<Exit> {
    a.identity.load()?;
    if a.salt.random_salt && a.mask.is_none() {
        return Err(common::Error::Usage(
            "--random-salt is for a masked restore: give --mask RULES".into(),
        )
        .into());
    }
    let config = a.config.as_deref().map(Config::load).transpose()?;
    let (target, password_env) = match (&a.db, &a.env, &config) {
        (Some(db), _, _) => (DbUrl::parse(db)?, a.pg.password_env.clone()),
        (None, Some(name), Some(cfg)) => {
            let env = cfg.env(name)?;
            (
                DbUrl::parse(&env.db)?,
                a.pg.password_env
                    .clone()
                    .or_else(|| env.password_env.clone()),
            )
        }
        _ => {
            return Err(
                common::Error::Usage("give --db URL, or --config FILE --env NAME".into()).into(),
            )
        }
    };
    let file = match (&a.file, &a.dir, &a.name) {
        (Some(f), _, _) => f.clone(),
        (None, Some(dir), Some(name)) => {
            let at = a.at.as_deref().map(parse_time).transpose()?;
            let f = common::jobs::restore::choose_backup(dir, name, at)?;
            tracing::info!("restoring {}", f.display());
            f
        }
        _ => {
            return Err(common::Error::Usage(
                "give a backup FILE, or --dir DIR --name NAME with --latest or --at TIME".into(),
            )
            .into())
        }
    };
    let req = RestoreRequest {
        file,
        unverified: a.unverified,
        globals: a.globals,
        target,
        password_env,
        create: a.create,
        force: a.force,
        pg_bin_dir: a.pg.pg_bin_dir,
        mask: match &a.mask {
            Some(path) => Some(MaskSpec {
                rules: load_rules(path)?,
                salt: a.salt.choice(),
            }),
            None => None,
        },
        protected: guard::protected_envs(config.as_ref())?,
        allow_protected: a.allow_protected_target,
        jobs: a.jobs as usize,
        no_owner: a.no_owner,
        role: a.role.clone(),
        tables: a.table.clone(),
        schemas: a.schema.clone(),
    };
    let yes = a.yes;
    let mut confirm = |name: &str| -> common::Result<bool> {
        confirm_replace(&format!("This replaces everything in '{name}'"), name, yes)
    };
    let outcome = restore(&req, &mut confirm)?;
    if a.out.json {
        print_json(&outcome)?;
    } else {
        tracing::info!(
            "restored {} into {}{}{}",
            human_bytes(outcome.bytes),
            outcome.target,
            if outcome.created {
                " (created)"
            } else if outcome.replaced {
                " (previous contents replaced)"
            } else {
                ""
            },
            outcome
                .previous
                .as_ref()
                .map(|p| format!("; previous file kept as {}", p.display()))
                .unwrap_or_default()
        );
    }
    Ok(Exit::Ok)
}
