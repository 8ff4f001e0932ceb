//! `sync-tool verify`: the pre-swap checks on demand.

use std::io::Write;

use anyhow::Result;
use common::engine::conn::DbUrl;
use common::error::Exit;
use common::jobs::masking::{load_rules, MaskSpec};
use common::jobs::sync::check::{check, CheckRequest};

use crate::cli::VerifyArgs;

pub fn run(a: VerifyArgs) -> Result<Exit> {
    let mask = match &a.rules {
        Some(path) => Some(MaskSpec {
            rules: load_rules(path)?,
            salt: a.salt.choice(),
        }),
        None => None,
    };
    let report = check(&CheckRequest {
        from: DbUrl::parse(&a.from)?,
        from_password_env: a
            .from_password_env
            .clone()
            .or_else(|| a.password_env.clone()),
        to: DbUrl::parse(&a.to)?,
        to_password_env: a.to_password_env.clone().or_else(|| a.password_env.clone()),
        mask,
        leak_sample: a.leak_sample,
    })?;
    if a.out.json {
        let exit = if report.ok {
            Exit::Ok
        } else {
            Exit::CheckFailed
        };
        common::cli::output::print_json_report(&report, exit, || report.problems.join("; "))?;
    } else {
        let mut out = std::io::stdout().lock();
        if report.ok {
            writeln!(
                out,
                "ok: row counts, schema fingerprint and sequences match{}",
                if a.rules.is_some() {
                    "; no leak found"
                } else {
                    ""
                }
            )?;
        } else {
            for p in &report.problems {
                writeln!(out, "FAILED {p}")?;
            }
        }
    }
    Ok(if report.ok {
        Exit::Ok
    } else {
        Exit::CheckFailed
    })
}
