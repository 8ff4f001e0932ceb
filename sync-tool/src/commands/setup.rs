//! `sync-tool setup`: the staging database exists, is reachable and writable.

use std::process::ExitCode;

use anyhow::Result;
use common::pg::PgAdmin;
use common::url::{DbUrl, PgConn};

use crate::cli::SetupArgs;
use common::output::print_json;

pub fn run(a: SetupArgs) -> Result<ExitCode> {
    let url = DbUrl::parse(&a.to)?;
    let mut steps: Vec<String> = Vec::new();
    let ok = match &url {
        DbUrl::Postgres(u) => {
            let conn = PgConn::resolve(u, a.password_env.as_deref())?;
            let maint = common::restore::connect_maintenance(&conn)?;
            if maint.database_exists(&conn.dbname)? {
                steps.push(format!("database '{}' exists", conn.dbname));
            } else if a.check {
                steps.push(format!("database '{}' does not exist", conn.dbname));
                return finish(&a, &url, false, steps);
            } else {
                maint.create_database(&conn.dbname, a.owner.as_deref())?;
                steps.push(format!(
                    "created database '{}'{}",
                    conn.dbname,
                    a.owner
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
            // Writable: create a table in a transaction that is rolled back.
            match admin.execute("BEGIN; CREATE TABLE sync_tool_write_probe (x int); ROLLBACK;") {
                Ok(()) => {
                    steps.push("writable: can create tables".into());
                    true
                }
                Err(e) => {
                    let _ = admin.execute("ROLLBACK");
                    steps.push(format!("not writable: {e}"));
                    false
                }
            }
        }
        DbUrl::Sqlite(p) => {
            if !p.exists() {
                if a.check {
                    steps.push(format!("{} does not exist", p.display()));
                    return finish(&a, &url, false, steps);
                }
                rusqlite_create(p)?;
                steps.push(format!("created {}", p.display()));
            } else {
                steps.push(format!("{} exists", p.display()));
            }
            common::sqlite::integrity_check(p)?;
            steps.push("integrity check ok".into());
            match common::sqlite::check_writable(p) {
                Ok(()) => {
                    steps.push("writable".into());
                    true
                }
                Err(e) => {
                    steps.push(format!("not writable: {e}"));
                    false
                }
            }
        }
    };
    finish(&a, &url, ok, steps)
}

fn rusqlite_create(p: &std::path::Path) -> common::Result<()> {
    common::sqlite::create_empty(p)
}

fn finish(a: &SetupArgs, url: &DbUrl, ok: bool, steps: Vec<String>) -> Result<ExitCode> {
    if a.json {
        print_json(&serde_json::json!({ "target": url.redacted(), "ok": ok, "steps": steps }))?;
    } else {
        for s in &steps {
            println!("{s}");
        }
        println!(
            "{} {}",
            if ok { "ready:" } else { "NOT READY:" },
            url.redacted()
        );
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
