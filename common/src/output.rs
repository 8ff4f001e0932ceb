//! What the binaries share at their edge: logging to stderr, reports to stdout, errors to
//! exit codes. Library code never prints; it returns values and typed errors.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Starts logging on stderr: info by default, `-v` debug, `-q` warnings only; RUST_LOG wins.
pub fn init_logging(verbose: u8, quiet: bool) {
    let level = match (quiet, verbose) {
        (true, _) => "warn",
        (false, 0) => "info",
        (false, 1) => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::stderr().is_terminal())
        .without_time()
        .try_init();
}

/// Prints an error chain on stderr and picks the exit code: the engine's code if the chain holds
/// one of its errors, 0 for a closed stdout (`backup-tool list | head`), else 1.
pub fn report_error(e: &anyhow::Error) -> ExitCode {
    for cause in e.chain() {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::BrokenPipe {
                return ExitCode::SUCCESS;
            }
        }
    }
    let code = e
        .chain()
        .find_map(|c| c.downcast_ref::<crate::Error>())
        .map(crate::Error::exit_code)
        .unwrap_or(1);
    let _ = writeln!(std::io::stderr(), "error: {e:#}");
    ExitCode::from(code)
}

/// Writes a value as pretty JSON on stdout.
#[allow(clippy::print_stdout)]
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Human-readable byte size.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u < UNITS.len() - 1 {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// The body of every binary's `main`: logging on stderr, a write past RLIMIT_FSIZE reported as an
/// error instead of killing the process, Ctrl-C/SIGTERM through the failure path (exit 130),
/// and errors mapped to the documented exit codes.
pub fn run_main(
    verbose: u8,
    quiet: bool,
    command: impl FnOnce() -> anyhow::Result<ExitCode>,
) -> ExitCode {
    init_logging(verbose, quiet);
    // SAFETY: setting a signal's disposition to "ignore" has no memory-safety implications.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    crate::interrupt::install();
    match command() {
        Ok(code) => code,
        Err(e) if crate::interrupt::requested() => {
            let _ = report_error(&e);
            ExitCode::from(130)
        }
        Err(e) => report_error(&e),
    }
}
