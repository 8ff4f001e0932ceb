//! `sync-tool setup`: the staging database exists, is reachable and writable.

use std::io::Write;

use anyhow::Result;
use common::engine::conn::DbUrl;
use common::error::Exit;
use common::jobs::setup::{setup, SetupRequest};

use crate::cli::SetupArgs;

pub fn run(a: SetupArgs) -> Result<Exit> {
    let report = setup(&SetupRequest {
        target: DbUrl::parse(&a.to)?,
        password_env: a.password.password_env.clone(),
        owner: a.owner.clone(),
        check_only: a.check,
        protected: super::protected(a.config.as_deref())?,
        allow_protected: a.allow_protected_target,
    })?;
    if a.out.json {
        common::cli::output::print_json(&report)?;
    } else {
        let mut out = std::io::stdout().lock();
        for s in &report.steps {
            writeln!(out, "{s}")?;
        }
        writeln!(
            out,
            "{} {}",
            if report.ok { "ready:" } else { "NOT READY:" },
            report.target
        )?;
    }
    Ok(if report.ok { Exit::Ok } else { Exit::Failure })
}
