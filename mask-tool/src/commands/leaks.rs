//! `mask-tool leaks`: original values of masked columns must not appear in the copy.

use std::io::Write;

use anyhow::Result;
use common::engine::conn::DbUrl;
use common::error::Exit;
use common::jobs::live::leaks;

use crate::cli::LeaksArgs;

pub fn run(a: LeaksArgs) -> Result<Exit> {
    let spec = super::mask_spec(&a.rules, a.salt.choice())?;
    let report = leaks(
        &spec,
        &DbUrl::parse(&a.from)?,
        a.from_password_env.as_deref().or(a.password_env.as_deref()),
        &DbUrl::parse(&a.to)?,
        a.to_password_env.as_deref().or(a.password_env.as_deref()),
        a.sample,
    )?;
    if a.out.json {
        let exit = if report.leaks.is_empty() {
            Exit::Ok
        } else {
            Exit::CheckFailed
        };
        common::cli::output::print_json_report(&report, exit, || {
            format!("originals found in {} masked column(s)", report.leaks.len())
        })?;
    } else {
        let mut out = std::io::stdout().lock();
        for l in &report.leaks {
            writeln!(
                out,
                "LEAK {}.{}: {} of {} sampled original values found in {}",
                l.table,
                dump::quote_identifier(&l.column),
                l.found,
                l.checked,
                l.found_in
            )?;
        }
        writeln!(
            out,
            "{} masked column(s) checked with {} original value(s): {}",
            report.columns,
            report.values,
            if report.leaks.is_empty() {
                "no leak"
            } else {
                "LEAKS FOUND"
            }
        )?;
    }
    Ok(if report.leaks.is_empty() {
        Exit::Ok
    } else {
        Exit::CheckFailed
    })
}
