//! `mask-tool`: fail-closed, deterministic masking of dump streams and live copies.

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    common::output::init_logging(cli.verbose, cli.quiet);
    common::interrupt::install();
    match commands::run(cli.command) {
        Ok(code) => code,
        Err(e) if common::interrupt::requested() => {
            let _ = common::output::report_error(&e);
            ExitCode::from(130)
        }
        Err(e) => common::output::report_error(&e),
    }
}
