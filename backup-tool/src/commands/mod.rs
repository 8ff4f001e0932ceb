//! One file per subcommand; each parses its arguments into an engine request and prints the result.

mod backup;
mod copy;
mod crontab;
mod doctor;
mod list;
mod prune;
mod restore;
mod run;
mod status;
mod systemd;
mod verify;

use std::time::Duration;

use anyhow::Result;
use common::error::Exit;

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
        Command::Backup(a) => backup::run(a),
        Command::List(a) => list::run(a),
        Command::Verify(a) => verify::run(a),
        Command::Prune(a) => prune::run(a),
        Command::Restore(a) => restore::run(a),
        Command::Copy(a) => copy::run(a),
        Command::Status(a) => status::run(a),
        Command::Run(a) => run::run(a),
        Command::Crontab(a) => crontab::run(a),
        Command::Systemd(a) => systemd::run(a),
        Command::Doctor(a) => doctor::run(a),
    }
}

/// Parses an optional `--wait` duration.
pub fn wait_arg(s: Option<&str>) -> Result<Duration> {
    match s {
        None => Ok(Duration::ZERO),
        Some(s) => {
            let d = common::config::schedule::parse_duration(s).map_err(common::Error::Usage)?;
            Ok(d.to_std().unwrap_or(Duration::ZERO))
        }
    }
}

/// The scheduled jobs of a config file, with this program's folder and the client programs'.
pub fn schedule_plan(
    config: &std::path::Path,
    env_file: Option<&std::path::Path>,
) -> Result<common::jobs::cron::Plan> {
    Ok(common::jobs::cron::plan_for_this_program(config, env_file)?)
}

/// Parses `--compress`.
pub fn codec_arg(s: &str) -> Result<common::store::codec::Codec> {
    s.parse::<common::store::codec::Codec>()
        .map_err(|e| common::Error::Usage(format!("--compress: {e}")).into())
}
