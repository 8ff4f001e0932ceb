//! `sync-tool diff`: schema and migrations drift.

use std::io::Write;

use anyhow::Result;
use common::engine::conn::DbUrl;
use common::engine::schema::SchemaChange;
use common::error::Exit;
use common::jobs::drift::{self, DriftReport};

use crate::cli::DiffArgs;

pub fn run(a: DiffArgs) -> Result<Exit> {
    let from = DbUrl::parse(&a.from)?;
    let to = DbUrl::parse(&a.to)?;
    let report = drift::diff(
        &from,
        a.from_password_env.as_deref().or(a.password_env.as_deref()),
        &to,
        a.to_password_env.as_deref().or(a.password_env.as_deref()),
        a.migrations_table.as_deref(),
    )?;
    if a.out.json {
        let exit = if report.is_equal() {
            Exit::Ok
        } else {
            Exit::CheckFailed
        };
        common::cli::output::print_json_report(
            &serde_json::json!({ "equal": report.is_equal(), "report": report }),
            exit,
            || "the databases differ".into(),
        )?;
    } else {
        print_human(&report, &from.redacted(), &to.redacted())?;
    }
    Ok(if report.is_equal() {
        Exit::Ok
    } else {
        Exit::CheckFailed
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
