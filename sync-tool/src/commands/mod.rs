//! One file per subcommand.

mod diff;
mod rollback;
mod run;
mod setup;
mod verify;

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::Command;

/// Runs a subcommand and returns the exit code it chose.
pub fn run(cmd: Command) -> Result<ExitCode> {
    match cmd {
        Command::Diff(a) => diff::run(a),
        Command::Setup(a) => setup::run(a),
        Command::Run(a) => run::run(a),
        Command::Verify(a) => verify::run(a),
        Command::Rollback(a) => rollback::run(a),
    }
}
