//! Ctrl-C and SIGTERM end a run through the normal failure path.
//!
//! The signal only sets a flag; the stream loops check it between chunks and fail with an
//! "interrupted" error, so the `.partial` file is removed, children are stopped, a restore's
//! transaction is rolled back, and the process exits with status 130.

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The signal that stopped the run (0 while none did).
static SIGNAL: AtomicI32 = AtomicI32::new(0);

/// Children to stop on a signal: a loop blocked reading a child's pipe only wakes when the
/// child goes away (reads are restarted after the handler runs).
static CHILDREN: [AtomicI32; 16] = [const { AtomicI32::new(0) }; 16];

extern "C" fn on_signal(sig: libc::c_int) {
    let _ = SIGNAL.compare_exchange(0, sig, Ordering::SeqCst, Ordering::SeqCst);
    INTERRUPTED.store(true, Ordering::SeqCst);
    for slot in &CHILDREN {
        let pid = slot.load(Ordering::SeqCst);
        if pid > 0 {
            // SAFETY: kill is async-signal-safe; the pid is a child we started and have not reaped.
            unsafe {
                libc::kill(pid, libc::SIGTERM);
            }
        }
    }
}

/// Records a child process to be stopped if the run is interrupted.
pub fn register_child(pid: u32) {
    let pid = pid as i32;
    for slot in &CHILDREN {
        if slot
            .compare_exchange(0, pid, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
        {
            return;
        }
    }
}

/// Forgets a child before it is reaped (its pid may be reused afterwards).
pub fn unregister_child(pid: u32) {
    let pid = pid as i32;
    for slot in &CHILDREN {
        let _ = slot.compare_exchange(pid, 0, Ordering::SeqCst, Ordering::SeqCst);
    }
}

/// Installs the SIGINT and SIGTERM handlers (binaries call this once at start).
pub fn install() {
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(
            libc::SIGINT,
            on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t,
        );
        libc::signal(
            libc::SIGTERM,
            on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t,
        );
    }
}

/// Whether a stop was requested.
pub fn requested() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// The signal that requested the stop, if one did.
pub fn signal() -> Option<i32> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// An error when a stop was requested, for stream loops to return.
pub fn check() -> std::io::Result<()> {
    if requested() {
        // Not ErrorKind::Interrupted: `write_all` and `read_to_end` retry on that kind.
        Err(std::io::Error::other("interrupted by a signal"))
    } else {
        Ok(())
    }
}
