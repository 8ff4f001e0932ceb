//! `sync-tool setup`: the staging database exists, is reachable and writable.

use serde::Serialize;

use crate::engine::conn::{DbUrl, PgConn};
use crate::engine::pg::PgAdmin;
use crate::error::Result;
use crate::jobs::guard::{self, Intent, Protected};

/// What to set up.
pub struct SetupRequest {
    /// The staging database (PostgreSQL URL or SQLite path).
    pub target: DbUrl,
    /// Variable holding its password.
    pub password_env: Option<String>,
    /// Role that owns a newly created PostgreSQL database.
    pub owner: Option<String>,
    /// Only check; create nothing.
    pub check_only: bool,
    /// Environments the target must not be.
    pub protected: Vec<Protected>,
    /// The operator's explicit override of `protected`.
    pub allow_protected: bool,
}

/// What setup found and did, step by step.
#[derive(Debug, Clone, Serialize)]
pub struct SetupReport {
    /// The target, redacted.
    pub target: String,
    /// Whether the target is ready for refreshes.
    pub ok: bool,
    /// Each step, in words.
    pub steps: Vec<String>,
}

/// Creates the target if missing (unless `check_only`), then checks it is reachable and writable.
pub fn setup(req: &SetupRequest) -> Result<SetupReport> {
    let mut steps = Vec::new();
    let target = req.target.redacted();
    if !req.check_only {
        let t = guard::identify(&req.target, req.password_env.as_deref())?;
        guard::check(&Intent {
            action: "set up",
            target: &t,
            source: None,
            protected: &req.protected,
            allow_protected: req.allow_protected,
        })?;
    }
    let ok = match &req.target {
        DbUrl::Postgres(u) => {
            let conn = PgConn::resolve(u, req.password_env.as_deref())?;
            let maint = PgAdmin::connect_maintenance(&conn)?;
            if maint.database_exists(&conn.dbname)? {
                steps.push(format!("database '{}' exists", conn.dbname));
            } else if req.check_only {
                steps.push(format!("database '{}' does not exist", conn.dbname));
                return Ok(SetupReport {
                    target,
                    ok: false,
                    steps,
                });
            } else {
                maint.create_database(&conn.dbname, req.owner.as_deref())?;
                steps.push(format!(
                    "created database '{}'{}",
                    conn.dbname,
                    req.owner
                        .as_ref()
                        .map(|o| format!(" owned by {o}"))
                        .unwrap_or_default()
                ));
            }
            drop(maint);
            let admin = PgAdmin::connect(&conn)?;
            steps.push(format!(
                "connected as {} (PostgreSQL {})",
                conn.user,
                admin.server_version()?
            ));
            match admin.can_create_tables() {
                Ok(()) => {
                    steps.push("writable: can create tables".into());
                    true
                }
                Err(e) => {
                    steps.push(format!("not writable: {}", e.describe()));
                    false
                }
            }
        }
        DbUrl::Sqlite(p) => {
            if !p.exists() {
                if req.check_only {
                    steps.push(format!("{} does not exist", p.display()));
                    return Ok(SetupReport {
                        target,
                        ok: false,
                        steps,
                    });
                }
                crate::engine::sqlite::create_empty(p)?;
                steps.push(format!("created {}", p.display()));
            } else {
                steps.push(format!("{} exists", p.display()));
            }
            crate::engine::sqlite::integrity_check(p)?;
            steps.push("integrity check ok".into());
            match crate::engine::sqlite::check_writable(p) {
                Ok(()) => {
                    steps.push("writable".into());
                    true
                }
                Err(e) => {
                    steps.push(format!("not writable: {}", e.describe()));
                    false
                }
            }
        }
    };
    Ok(SetupReport { target, ok, steps })
}
