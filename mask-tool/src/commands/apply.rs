//! `mask-tool apply`: mask a live copy in place.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;
use common::config::Config;
use common::pg::PgAdmin;
use common::url::{DbUrl, PgConn};

use crate::cli::ApplyArgs;

pub fn run(a: ApplyArgs) -> Result<ExitCode> {
    let rules = super::load_rules(&a.rules)?;
    let ctx = super::context(&rules, &a.salt)?;
    let target = DbUrl::parse(&a.db)?;
    if let Some(cfg) = &a.config {
        refuse_protected(&Config::load(cfg)?, &target)?;
    }
    let report = match &target {
        DbUrl::Postgres(u) => {
            let conn = PgConn::resolve(u, a.password_env.as_deref())?;
            let admin = PgAdmin::connect(&conn)?;
            common::mask_live::apply_pg(&admin, &rules, &ctx, a.batch)?
        }
        DbUrl::Sqlite(p) => common::mask_live::apply_sqlite(p, &rules, Arc::new(ctx))?,
    };
    for (t, s) in &report.tables {
        tracing::info!("{t}: {} rows, {} values masked", s.rows, s.values);
    }
    if a.json {
        common::output::print_json(&report)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Refuses a target that is one of the config's protected environments (same server and
/// database, or the same SQLite file).
pub fn refuse_protected(cfg: &Config, target: &DbUrl) -> Result<()> {
    for (name, env) in &cfg.env {
        if !env.protected {
            continue;
        }
        let Ok(url) = DbUrl::parse(&env.db) else {
            continue;
        };
        let same = match (&url, target) {
            (DbUrl::Postgres(p), DbUrl::Postgres(t)) => {
                match (PgConn::resolve(p, None), PgConn::resolve(t, None)) {
                    (Ok(p), Ok(t)) => p.server_key() == t.server_key() && p.dbname == t.dbname,
                    _ => false,
                }
            }
            (DbUrl::Sqlite(p), DbUrl::Sqlite(t)) => std::fs::canonicalize(p)
                .ok()
                .zip(std::fs::canonicalize(t).ok())
                .is_some_and(|(a, b)| a == b),
            _ => false,
        };
        if same {
            return Err(common::Error::Refused(format!(
                "{} is environment '{name}', which is marked protected; masking never runs on it",
                target.redacted()
            ))
            .into());
        }
    }
    Ok(())
}
