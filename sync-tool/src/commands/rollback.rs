//! `sync-tool rollback`: put the previous staging database back.

use anyhow::Result;
use common::engine::conn::DbUrl;
use common::error::Exit;

use crate::cli::RollbackArgs;

pub fn run(a: RollbackArgs) -> Result<Exit> {
    let db = common::jobs::sync::rollback(
        &DbUrl::parse(&a.to)?,
        a.password.password_env.as_deref(),
        &super::protected(a.config.as_deref())?,
        a.allow_protected_target,
    )?;
    tracing::info!("rolled back: '{db}' is the previous copy again");
    if a.out.json {
        common::cli::output::print_json(&serde_json::json!({ "ok": true, "database": db }))?;
    }
    Ok(Exit::Ok)
}
