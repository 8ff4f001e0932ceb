//! Progress on a terminal for long work: bytes, rate, and, when the total is known, percentage
//! and time left.
//!
//! The binaries switch it on once ([`enable`]) when stderr is a terminal and `-q` was not given;
//! otherwise every bar is hidden and costs nothing (cron logs stay clean). Bars have no colour;
//! log colours follow `NO_COLOR`. Log lines written while a bar is shown go through [`suspend`], so they do not
//! tear the bar.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

static ENABLED: AtomicBool = AtomicBool::new(false);
static MULTI: OnceLock<indicatif::MultiProgress> = OnceLock::new();

fn multi() -> &'static indicatif::MultiProgress {
    MULTI.get_or_init(indicatif::MultiProgress::new)
}

/// Shows bars from now on (the caller checked that stderr is a terminal). The bars use no
/// colour at all, so `NO_COLOR` holds for them as for the logs.
pub fn enable() {
    ENABLED.store(true, Ordering::SeqCst);
}

/// Whether bars are shown.
pub fn enabled() -> bool {
    ENABLED.load(Ordering::SeqCst)
}

/// A progress bar for one stream of work; dropping it clears it.
pub struct Bar(Option<indicatif::ProgressBar>);

impl Bar {
    /// Starts a bar labelled `what`, over `total` bytes when known.
    pub fn bytes(what: &str, total: Option<u64>) -> Bar {
        if !enabled() {
            return Bar(None);
        }
        let style = match total {
            Some(_) => indicatif::ProgressStyle::with_template(
                "{msg} [{bar:30}] {percent:>3}% {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}",
            ),
            None => indicatif::ProgressStyle::with_template(
                "{msg} {spinner} {bytes} {bytes_per_sec} {elapsed}",
            ),
        }
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> ");
        let bar = match total {
            Some(t) => indicatif::ProgressBar::new(t),
            None => indicatif::ProgressBar::new_spinner(),
        };
        let bar = multi().add(bar.with_style(style).with_message(what.to_string()));
        bar.enable_steady_tick(std::time::Duration::from_millis(250));
        Bar(Some(bar))
    }

    /// Adds `n` bytes done.
    pub fn inc(&self, n: u64) {
        if let Some(b) = &self.0 {
            b.inc(n);
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some(b) = self.0.take() {
            b.finish_and_clear();
            multi().remove(&b);
        }
    }
}

/// Runs `f` (a log line being written) with the bars hidden, so they are drawn again below it.
pub fn suspend<R>(f: impl FnOnce() -> R) -> R {
    if enabled() {
        multi().suspend(f)
    } else {
        f()
    }
}

/// A writer for logs that keeps the bars intact.
pub struct LogWriter;

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        suspend(|| std::io::stderr().write(buf))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// Counts the bytes read through it on a bar.
pub struct Counted<R> {
    inner: R,
    bar: Bar,
}

impl<R> Counted<R> {
    /// Counts `inner`'s bytes on `bar`.
    pub fn new(inner: R, bar: Bar) -> Self {
        Counted { inner, bar }
    }
}

impl<R: std::io::Read> std::io::Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
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
