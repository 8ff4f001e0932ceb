//! `backup-tool`: complete-or-absent backups of PostgreSQL and SQLite databases.

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    common::output::run_main(cli.verbose, cli.quiet, || commands::run(cli.command))
}
