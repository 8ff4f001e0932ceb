//! `backup-tool restore`.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Result;
use common::restore::{restore, RestoreRequest};
use common::url::DbUrl;

use crate::cli::RestoreArgs;
use common::output::{human_bytes, print_json};

pub fn run(a: RestoreArgs) -> Result<ExitCode> {
    let req = RestoreRequest {
        file: a.file,
        target: DbUrl::parse(&a.db)?,
        password_env: a.password_env,
        create: a.create,
        force: a.force,
        pg_bin_dir: a.pg_bin_dir,
        mask: match &a.mask {
            Some(path) => Some(common::restore::MaskSpec {
                rules: common::mask::Rules::load(path).map_err(|e| common::Error::Config {
                    path: path.clone(),
                    message: e.to_string(),
                })?,
                random_salt: a.random_salt,
            }),
            None => None,
        },
    };
    let yes = a.yes;
    let mut confirm = |what: &str| -> common::Result<bool> {
        if yes {
            return Ok(true);
        }
        if !std::io::stdin().is_terminal() {
            return Err(common::Error::Refused(format!(
                "replacing '{what}' needs confirmation: type its name at the prompt, or pass --yes in scripts"
            )));
        }
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "This replaces everything in '{what}'. Type its name to confirm: "
        );
        let _ = err.flush();
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| common::Error::io("cannot read the confirmation", e))?;
        Ok(line.trim() == what)
    };
    let outcome = restore(&req, &mut confirm)?;
    if a.json {
        print_json(&outcome)?;
    } else {
        tracing::info!(
            "restored {} into {}{}{}",
            human_bytes(outcome.bytes),
            outcome.target,
            if outcome.created {
                " (created)"
            } else if outcome.replaced {
                " (previous contents replaced)"
            } else {
                ""
            },
            outcome
                .previous
                .as_ref()
                .map(|p| format!("; previous file kept as {}", p.display()))
                .unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}
