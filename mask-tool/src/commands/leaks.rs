//! `mask-tool leaks`: original values of masked columns must not appear in the copy.

use std::process::ExitCode;

use anyhow::Result;
use common::pg::PgAdmin;
use common::url::{DbUrl, PgConn};

use crate::cli::LeaksArgs;

pub fn run(a: LeaksArgs) -> Result<ExitCode> {
    let rules = super::load_rules(&a.rules)?;
    let ctx = super::context(&rules, &crate::cli::SaltArgs::default())?;
    let (DbUrl::Postgres(f), DbUrl::Postgres(t)) = (DbUrl::parse(&a.from)?, DbUrl::parse(&a.to)?)
    else {
        return Err(common::Error::Usage("leaks compares two PostgreSQL databases".into()).into());
    };
    let source = PgAdmin::connect(&PgConn::resolve(&f, None)?)?;
    let copy = PgAdmin::connect(&PgConn::resolve(&t, None)?)?;
    let report = common::mask_live::leak_check_pg(&source, &copy, &rules, &ctx, a.sample)?;
    if a.json {
        common::output::print_json(&report)?;
    } else {
        for l in &report.leaks {
            println!(
                "LEAK {}.{}: {} of {} sampled original values appear in the copy",
                l.table, l.column, l.found, l.checked
            );
        }
        println!(
            "{} masked column(s) checked with {} original value(s): {}",
            report.columns,
            report.values,
            if report.leaks.is_empty() {
                "no leak"
            } else {
                "LEAKS FOUND"
            }
        );
    }
    Ok(if report.leaks.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}
