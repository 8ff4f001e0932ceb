//! `sync-tool rollback`: put the previous staging database back.

use std::process::ExitCode;

use anyhow::Result;
use common::url::PgConn;

use crate::cli::RollbackArgs;

pub fn run(a: RollbackArgs) -> Result<ExitCode> {
    let conn = PgConn::from_url_str(&a.to, a.password_env.as_deref())?;
    let db = common::sync::rollback_pg(&conn)?;
    tracing::info!("rolled back: '{db}' is the previous copy again");
    Ok(ExitCode::SUCCESS)
}
