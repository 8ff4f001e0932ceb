//! What the binaries share at their edge: logging to stderr, reports to stdout, errors to exit
//! codes. Library code never prints; it returns values and typed errors.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use super::args::LogArgs;
use crate::error::Exit;

/// Starts logging on stderr: info by default, `-v` debug, `-q` warnings only; RUST_LOG wins.
/// On a terminal lines are short; elsewhere (a cron log file) each line carries its UTC time and
/// level.
pub fn init_logging(log: LogArgs) {
    let level = match (log.quiet, log.verbose) {
        (true, _) => "warn",
        (false, 0) => "info",
        (false, 1) => "debug",
        _ => "trace",
    };
    let mut filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    // The driver logs every statement's parameters at debug level: sampled originals, rows.
    // Logs carry counts and names, never values, whatever the verbosity (RUST_LOG included).
    for quiet in [
        "tokio_postgres=warn",
        "tokio_postgres_rustls=warn",
        "rustls=warn",
    ] {
        if let Ok(d) = quiet.parse() {
            filter = filter.add_directive(d);
        }
    }
    let terminal = std::io::stderr().is_terminal();
    let color = terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    if terminal && !log.quiet {
        crate::progress::enable();
    }
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| crate::progress::LogWriter)
        .with_target(false)
        .with_ansi(color);
    let _ = if terminal {
        builder.without_time().try_init()
    } else {
        builder
            .with_timer(tracing_subscriber::fmt::time::ChronoUtc::new(
                "%Y-%m-%dT%H:%M:%SZ".into(),
            ))
            .try_init()
    };
}

/// The exit code of an error chain: the engine's code if the chain holds one of its errors, 0 for
/// a closed stdout (`backup-tool list | head`), else 1.
///
/// A broken pipe is a quiet end only when stdout is the pipe that broke: one inside the run (a
/// psql or pg_dump that died, a reader whose load gave up) is a failure like any other.
pub fn exit_of(e: &anyhow::Error) -> Exit {
    let broken_pipe = e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    });
    if broken_pipe && stdout_closed() {
        return Exit::Ok;
    }
    e.chain()
        .find_map(|c| c.downcast_ref::<crate::Error>())
        .map(crate::Error::exit)
        .unwrap_or(Exit::Failure)
}

/// Whether stdout is a pipe or socket whose reading end is gone.
fn stdout_closed() -> bool {
    use rustix::event::{poll, PollFd, PollFlags};
    let stdout = std::io::stdout();
    let mut fds = [PollFd::new(&stdout, PollFlags::OUT)];
    let zero = rustix::time::Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    matches!(poll(&mut fds, Some(&zero)), Ok(1))
        && fds[0].revents().intersects(PollFlags::ERR | PollFlags::HUP)
}

/// Prints an error chain on stderr (and, with `json`, as an object on stdout) and picks the exit
/// code.
pub fn report_error(e: &anyhow::Error, json: bool) -> ExitCode {
    let mut exit = exit_of(e);
    if exit == Exit::Ok {
        return ExitCode::SUCCESS;
    }
    if crate::interrupt::requested() {
        exit = Exit::Signal(crate::interrupt::signal().unwrap_or(libc::SIGINT));
    }
    let text = crate::secrets::scrub(&format!("{e:#}"));
    let _ = writeln!(std::io::stderr(), "{}", error_line(&text));
    if json {
        let _ = print_json(&serde_json::json!({
            "ok": false,
            "error": text,
            "exit_code": exit.code(),
        }));
    }
    exit.into()
}

/// The last line of a failed run: `error: …` on a terminal; elsewhere (a log file, cron's mail)
/// with a timestamp and level, like every other line the run logged.
fn error_line(text: &str) -> String {
    use std::io::IsTerminal;
    if std::io::stderr().is_terminal() {
        format!("error: {text}")
    } else {
        format!(
            "{} ERROR {text}",
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ")
        )
    }
}

/// Parses the command line; a usage error asked for `--json` is also reported as JSON on stdout
/// (`ok`, `error`, `exit_code` 2), as every other failure is.
pub fn parse_args<C: clap::Parser>() -> C {
    match C::try_parse() {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            let informational =
                matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
                    || e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand;
            if !informational && std::env::args().any(|a| a == "--json") {
                // The message without clap's usage line and hint: what is wrong, in one line.
                let rendered = e.to_string();
                let first = rendered.split("\n\n").next().unwrap_or("usage error");
                let text = first
                    .trim_start_matches("error: ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                let _ = print_json(&serde_json::json!({
                    "ok": false,
                    "error": text,
                    "exit_code": Exit::Usage.code(),
                }));
            }
            e.exit()
        }
    }
}

/// Writes a command's JSON report; when the command ends with `exit` other than ok, the report
/// also says `"ok": false`, `"error"` (what `error` describes) and `"exit_code"`, as a failure
/// reported through [`report_error`] does, so a script reads every failure the same way.
pub fn print_json_report<T: serde::Serialize>(
    value: &T,
    exit: Exit,
    error: impl FnOnce() -> String,
) -> anyhow::Result<()> {
    let mut v = serde_json::to_value(value)?;
    if let serde_json::Value::Object(map) = &mut v {
        map.insert("ok".into(), serde_json::Value::Bool(exit == Exit::Ok));
        if exit != Exit::Ok {
            map.insert(
                "error".into(),
                serde_json::Value::String(crate::secrets::scrub(&error())),
            );
            map.insert("exit_code".into(), serde_json::Value::from(exit.code()));
        }
    }
    print_json(&v)
}

/// Writes a value as pretty JSON on stdout.
#[allow(clippy::print_stdout)]
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

pub use crate::progress::human_bytes;

/// The body of every binary's `main`: logging on stderr, a write past RLIMIT_FSIZE reported as an
/// error instead of killing the process, Ctrl-C/SIGTERM through the failure path (exit 130 or
/// 143), and errors mapped to the documented exit codes. `json` says whether the command was
/// asked for a JSON report, which failures then get too.
pub fn run_main(
    log: LogArgs,
    json: bool,
    command: impl FnOnce() -> anyhow::Result<Exit>,
) -> ExitCode {
    init_logging(log);
    // SAFETY: setting a signal's disposition to "ignore" has no memory-safety implications.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    crate::interrupt::install();
    match command() {
        // A check that failed because the run was stopped reports the stop.
        Ok(code) if code != Exit::Ok && crate::interrupt::requested() => {
            Exit::Signal(crate::interrupt::signal().unwrap_or(libc::SIGINT)).into()
        }
        Ok(code) => code.into(),
        Err(e) => report_error(&e, json),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_pipe_inside_the_run_is_a_failure() {
        // The test's stdout is open: the pipe that broke was another one (a psql that died).
        let e = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
            .context("loading public.users");
        assert_eq!(exit_of(&e), Exit::Failure);
        let e = anyhow::Error::new(crate::Error::Verify("x".into()))
            .context(std::io::Error::from(std::io::ErrorKind::BrokenPipe).to_string());
        assert_eq!(exit_of(&e), crate::Error::Verify("x".into()).exit());
    }
}
