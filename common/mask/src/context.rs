//! The per-run context every transform is applied in: the salt, if any, and
//! the random source of `random_hash`.

use std::sync::Mutex;

use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};

use super::salt::Salt;

/// What transforms need besides their rules: the salt, if any, and the
/// random source of `random_hash`.
///
/// One context serves a whole run (and may be shared between threads:
/// the random source sits behind a mutex, which costs nothing measurable
/// next to the work per value).
#[derive(Debug)]
pub struct MaskContext {
    salt: Option<Salt>,
    rng: Mutex<StdRng>,
}

impl MaskContext {
    /// A context with a salt, for rules with keyed transforms.
    pub fn new(salt: Salt) -> Self {
        MaskContext {
            salt: Some(salt),
            rng: Mutex::new(StdRng::from_rng(&mut rand::rng())),
        }
    }

    /// A context without a salt: enough for rules that use only `template`,
    /// `set`, `null`, `partial` and `random_hash`. Keyed transforms refuse
    /// to run in it (see [`crate::Rules::needs_salt`]).
    pub fn without_salt() -> Self {
        MaskContext {
            salt: None,
            rng: Mutex::new(StdRng::from_rng(&mut rand::rng())),
        }
    }

    /// Makes `random_hash` reproducible, for tests and benchmarks only:
    /// with a known seed its outputs are no longer secret.
    pub fn with_random_seed(self, seed: u64) -> Self {
        MaskContext {
            salt: self.salt,
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
        }
    }

    /// The salt, if one was given.
    pub fn salt(&self) -> Option<&Salt> {
        self.salt.as_ref()
    }

    /// Fills `buf` with random bytes.
    pub(crate) fn random_bytes(&self, buf: &mut [u8]) {
        // A panic elsewhere while holding the lock leaves the generator in a
        // perfectly usable state, so poisoning is ignored.
        let mut rng = self
            .rng
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        rng.fill_bytes(buf);
    }
}
