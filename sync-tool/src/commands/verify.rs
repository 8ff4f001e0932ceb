//! `sync-tool verify`: the pre-swap checks on demand.

use std::process::ExitCode;

use anyhow::Result;
use common::mask::{MaskContext, Rules, Salt};
use common::pg::PgAdmin;
use common::url::{DbUrl, PgConn};

use crate::cli::VerifyArgs;

pub fn run(a: VerifyArgs) -> Result<ExitCode> {
    let (DbUrl::Postgres(f), DbUrl::Postgres(t)) = (DbUrl::parse(&a.from)?, DbUrl::parse(&a.to)?)
    else {
        return Err(common::Error::Usage(
            "verify compares two PostgreSQL databases (for SQLite use diff)".into(),
        )
        .into());
    };
    let source = PgAdmin::connect(&PgConn::resolve(&f, None)?)?;
    let copy = PgAdmin::connect(&PgConn::resolve(&t, None)?)?;
    let mut problems = Vec::new();
    // The source may have changed since the copy was made: compare with its current counts.
    if let Err(e) = common::sync::verify_copy(&source, &copy, &source.row_counts()?) {
        problems.push(e.to_string());
    }
    let mut leak_report = None;
    if let Some(path) = &a.rules {
        let rules = Rules::load(path).map_err(|e| common::Error::Config {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let ctx = if rules.needs_salt() {
            MaskContext::new(
                Salt::from_env(&rules).map_err(|e| common::Error::Usage(e.to_string()))?,
            )
        } else {
            MaskContext::without_salt()
        };
        let leaks = common::mask_live::leak_check_pg(&source, &copy, &rules, &ctx, a.leak_sample)?;
        for l in &leaks.leaks {
            problems.push(format!(
                "leak: {} of {} sampled originals of {}.{} appear in the copy",
                l.found, l.checked, l.table, l.column
            ));
        }
        leak_report = Some(leaks);
    }
    if a.json {
        common::output::print_json(
            &serde_json::json!({ "ok": problems.is_empty(), "problems": problems, "leaks": leak_report }),
        )?;
    } else if problems.is_empty() {
        println!(
            "ok: row counts, schema fingerprint and sequences match{}",
            if a.rules.is_some() {
                "; no leak found"
            } else {
                ""
            }
        );
    } else {
        for p in &problems {
            println!("FAILED {p}");
        }
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}
