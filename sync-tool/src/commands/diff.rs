//! `sync-tool diff`: schema and migrations drift.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use common::drift::{self, DriftReport, SchemaChange};
use common::pg::PgAdmin;
use common::url::{DbUrl, PgConn};

use crate::cli::DiffArgs;
use common::output::print_json;

pub fn run(a: DiffArgs) -> Result<ExitCode> {
    let from = DbUrl::parse(&a.from)?;
    let to = DbUrl::parse(&a.to)?;
    let table = a.migrations_table.as_deref();
    let report = match (&from, &to) {
        (DbUrl::Postgres(f), DbUrl::Postgres(t)) => {
            let fa = PgAdmin::connect(&PgConn::resolve(f, None)?)?;
            let ta = PgAdmin::connect(&PgConn::resolve(t, None)?)?;
            let (fs, ts) = (drift::pg_snapshot(&fa)?, drift::pg_snapshot(&ta)?);
            let (fm, tm) = (
                drift::pg_migrations(&fa, table)?,
                drift::pg_migrations(&ta, table)?,
            );
            DriftReport::new(&fs, &ts, &fm, &tm)
        }
        (DbUrl::Sqlite(f), DbUrl::Sqlite(t)) => {
            let (fs, ts) = (drift::sqlite_snapshot(f)?, drift::sqlite_snapshot(t)?);
            let (fm, tm) = (
                drift::sqlite_migrations(f, table)?,
                drift::sqlite_migrations(t, table)?,
            );
            DriftReport::new(&fs, &ts, &fm, &tm)
        }
        _ => {
            return Err(common::Error::Usage(format!(
                "diff compares two databases of the same engine; got {} and {}",
                from.engine(),
                to.engine()
            ))
            .into())
        }
    };
    if a.json {
        print_json(&serde_json::json!({ "equal": report.is_equal(), "report": report }))?;
    } else {
        print_human(&report, &from.redacted(), &to.redacted())?;
    }
    Ok(if report.is_equal() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_human(r: &DriftReport, from: &str, to: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "from {from}\n  schema fingerprint {}",
        &r.from_fingerprint[..16]
    )?;
    writeln!(
        out,
        "to   {to}\n  schema fingerprint {}",
        &r.to_fingerprint[..16]
    )?;
    if r.schema.is_empty() {
        writeln!(out, "schema: equal")?;
    } else {
        writeln!(out, "schema: {} difference(s)", r.schema.len())?;
        for c in &r.schema {
            match c {
                SchemaChange::OnlyInFrom { object, definition } => {
                    writeln!(out, "  - {object}: {definition}   (only in from)")?
                }
                SchemaChange::OnlyInTo { object, definition } => {
                    writeln!(out, "  + {object}: {definition}   (only in to)")?
                }
                SchemaChange::Changed { object, from, to } => {
                    writeln!(out, "  ~ {object}: {from}  ->  {to}")?
                }
            }
        }
    }
    match &r.migrations_table {
        None => writeln!(out, "migrations: no migrations table on either side")?,
        Some(t) if r.migrations_only_in_from.is_empty() && r.migrations_only_in_to.is_empty() => {
            writeln!(out, "migrations ({t}): equal")?
        }
        Some(t) => {
            writeln!(out, "migrations ({t}):")?;
            for m in &r.migrations_only_in_from {
                writeln!(out, "  - {m}   (applied only in from)")?;
            }
            for m in &r.migrations_only_in_to {
                writeln!(out, "  + {m}   (applied only in to)")?;
            }
        }
    }
    Ok(())
}
