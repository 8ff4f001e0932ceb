//! `backup-tool`: complete-or-absent backups of PostgreSQL and SQLite databases.

mod cli;
mod commands;

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli: cli::Cli = common::cli::output::parse_args();
    let json = cli.command.json();
    common::cli::output::run_main(cli.log, json, || commands::run(cli.command))
}
