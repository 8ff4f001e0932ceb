//! `mask-tool`: fail-closed, deterministic masking of dump streams and live copies.

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    common::output::run_main(cli.verbose, cli.quiet, || commands::run(cli.command))
}
