//! `mask-tool apply`: mask a live copy in place.

use anyhow::Result;
use common::config::Config;
use common::engine::conn::DbUrl;
use common::error::Exit;
use common::jobs::guard;
use common::jobs::live::{apply, ApplyRequest};

use crate::cli::ApplyArgs;

pub fn run(a: ApplyArgs) -> Result<Exit> {
    let config = a.config.as_deref().map(Config::load).transpose()?;
    let req = ApplyRequest {
        target: DbUrl::parse(&a.db)?,
        password_env: a.password.password_env,
        mask: super::mask_spec(&a.rules, a.salt.choice())?,
        batch: a.batch,
        protected: guard::protected_envs(config.as_ref())?,
        allow_protected: a.allow_protected_target,
    };
    let report = apply(&req)?;
    for (t, s) in &report.tables {
        tracing::info!("{t}: {} rows, {} values masked", s.rows, s.values);
    }
    if a.out.json {
        common::cli::output::print_json(&report)?;
    }
    Ok(Exit::Ok)
}
