//! One file per subcommand: arguments into a request, the request to `common::jobs`, the
//! report to stdout.

mod diff;
mod rollback;
mod run;
mod setup;
mod verify;

use anyhow::Result;
use common::config::Config;
use common::error::Exit;
use common::jobs::guard::{self, Protected};

use crate::cli::Command;

/// Runs a subcommand and returns the exit code it chose.
pub fn run(cmd: Command) -> Result<Exit> {
    match cmd {
        Command::Completions(a) => {
            use clap::CommandFactory;
            common::cli::docs::completions(
                crate::cli::Cli::command(),
                a.shell,
                &mut std::io::stdout().lock(),
            )
            .map_err(|e| common::Error::io("cannot write the completion script", e))?;
            Ok(Exit::Ok)
        }
        Command::Manpage => {
            use clap::CommandFactory;
            common::cli::docs::manpage(crate::cli::Cli::command(), &mut std::io::stdout().lock())
                .map_err(|e| common::Error::io("cannot write the man page", e))?;
            Ok(Exit::Ok)
        }
        Command::Diff(a) => diff::run(a),
        Command::Setup(a) => setup::run(a),
        Command::Run(a) => run::run(a),
        Command::Verify(a) => verify::run(a),
        Command::Rollback(a) => rollback::run(a),
    }
}

/// The protected environments for a command given `--config FILE` or not.
fn protected(config: Option<&std::path::Path>) -> Result<Vec<Protected>> {
    let cfg = config.map(Config::load).transpose()?;
    Ok(guard::protected_envs(cfg.as_ref())?)
}
