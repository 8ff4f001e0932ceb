//! The per-run context every transform is applied in: the salt, if any, and
//! the random source of `random_hash`.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};

use super::salt::Salt;

/// What transforms need besides their rules: the salt, if any, and the
/// random source of `random_hash`.
///
/// One context serves a whole run and may be shared between threads. Its
/// random source, behind a mutex, only seeds a generator per thread (see
/// [`MaskContext::random_bytes`]), so values do not take a lock each.
#[derive(Debug)]
pub struct MaskContext {
    salt: Option<Salt>,
    rng: Mutex<StdRng>,
    /// Tells the per-thread generators this context seeded from another's.
    id: u64,
}

/// Source of [`MaskContext::id`]s.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// Random bytes drawn ahead at a time by a thread's generator.
const POOL: usize = 1024;

/// A thread's generator, with the [`MaskContext::id`] of the context that
/// seeded it, and bytes drawn ahead.
struct Local {
    rng: Option<(u64, StdRng)>,
    pool: [u8; POOL],
    /// Bytes of `pool` already handed out.
    used: usize,
}

thread_local! {
    static LOCAL: RefCell<Local> = const {
        RefCell::new(Local {
            rng: None,
            pool: [0; POOL],
            used: POOL,
        })
    };
}

impl MaskContext {
    /// A context with a salt, for rules with keyed transforms.
    pub fn new(salt: Salt) -> Self {
        MaskContext {
            salt: Some(salt),
            rng: Mutex::new(StdRng::from_rng(&mut rand::rng())),
            id: next_id(),
        }
    }

    /// A context without a salt: enough for rules that use only `template`,
    /// `set`, `null`, `partial` and `random_hash`. Keyed transforms refuse
    /// to run in it (see [`crate::Rules::needs_salt`]).
    pub fn without_salt() -> Self {
        MaskContext {
            salt: None,
            rng: Mutex::new(StdRng::from_rng(&mut rand::rng())),
            id: next_id(),
        }
    }

    /// Makes `random_hash` reproducible, for tests and benchmarks only:
    /// with a known seed its outputs are no longer secret.
    pub fn with_random_seed(self, seed: u64) -> Self {
        MaskContext {
            salt: self.salt,
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
            id: next_id(),
        }
    }

    /// The salt, if one was given.
    pub fn salt(&self) -> Option<&Salt> {
        self.salt.as_ref()
    }

    /// Fills `buf` (at most a few dozen bytes: one `random_hash`) with
    /// random bytes.
    ///
    /// Each thread draws from its own generator, seeded from this
    /// context's the first time the thread needs random bytes for it, a
    /// kilobyte ahead at a time: no lock and no generator call per value.
    pub(crate) fn random_bytes(&self, buf: &mut [u8]) {
        LOCAL.with_borrow_mut(|local| {
            let rng = match &mut local.rng {
                Some((id, rng)) if *id == self.id => rng,
                other => {
                    // A panic elsewhere while holding the lock leaves the
                    // generator in a perfectly usable state, so poisoning is
                    // ignored.
                    let mut shared = self
                        .rng
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    local.used = POOL;
                    &mut other.insert((self.id, StdRng::from_rng(&mut *shared))).1
                }
            };
            let mut done = 0;
            while done < buf.len() {
                if local.used == POOL {
                    rng.fill_bytes(&mut local.pool);
                    local.used = 0;
                }
                let n = (buf.len() - done).min(POOL - local.used);
                buf[done..done + n].copy_from_slice(&local.pool[local.used..local.used + n]);
                local.used += n;
                done += n;
            }
        })
    }
}
