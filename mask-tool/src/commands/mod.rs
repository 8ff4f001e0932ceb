//! One file per subcommand: arguments into a request, the request to `common::jobs`, the
//! report to stdout.

mod apply;
mod filter;
mod leaks;
mod lint;

use anyhow::Result;
use common::error::Exit;
use common::jobs::masking::{load_rules, MaskSpec, SaltChoice};

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
        Command::Filter(a) => filter::run(a),
        Command::Apply(a) => apply::run(a),
        Command::Lint(a) => lint::run(a),
        Command::Leaks(a) => leaks::run(a),
    }
}

/// The rules file and salt choice of a command.
fn mask_spec(rules: &std::path::Path, salt: SaltChoice) -> Result<MaskSpec> {
    Ok(MaskSpec {
        rules: load_rules(rules)?,
        salt,
    })
}
