//! `backup-tool restore`.

use anyhow::Result;
use common::cli::confirm::confirm_replace;
use common::cli::output::{human_bytes, print_json};
use common::config::Config;
use common::engine::conn::DbUrl;
use common::error::Exit;
use common::jobs::guard;
use common::jobs::masking::{load_rules, MaskSpec, SaltChoice};
use common::jobs::restore::{restore, RestoreRequest};

use crate::cli::RestoreArgs;

pub fn run(a: RestoreArgs) -> Result<Exit> {
    let config = a.config.as_deref().map(Config::load).transpose()?;
    let (target, password_env) = match (&a.db, &a.env, &config) {
        (Some(db), _, _) => (DbUrl::parse(db)?, a.password_env.clone()),
        (None, Some(name), Some(cfg)) => {
            let env = cfg.env(name)?;
            (
                DbUrl::parse(&env.db)?,
                a.password_env.clone().or_else(|| env.password_env.clone()),
            )
        }
        _ => {
            return Err(common::Error::Usage("give --db URL, or --config FILE --env NAME".into()).into())
        }
    };
    let req = RestoreRequest {
        file: a.file,
        target,
        password_env,
        create: a.create,
        force: a.force,
        pg_bin_dir: a.pg_bin_dir,
        mask: match &a.mask {
            Some(path) => Some(MaskSpec {
                rules: load_rules(path)?,
                salt: if a.random_salt {
                    SaltChoice::Random
                } else {
                    SaltChoice::FromRules
                },
            }),
            None => None,
        },
        protected: guard::protected_envs(config.as_ref())?,
        allow_protected: a.allow_protected_target,
    };
    let yes = a.yes;
    let mut confirm = |name: &str| -> common::Result<bool> {
        confirm_replace(&format!("This replaces everything in '{name}'"), name, yes)
    };
    let outcome = restore(&req, &mut confirm)?;
    if a.out.json {
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
    Ok(Exit::Ok)
}
