//! `backup-tool`: complete-or-absent backups of PostgreSQL and SQLite databases.

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    common::output::init_logging(cli.verbose, cli.quiet);
    // A write past RLIMIT_FSIZE must fail with an error we can report and clean up after,
    // not kill the process and leave a partial file behind.
    // SAFETY: setting a signal's disposition to "ignore" has no memory-safety implications.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
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
