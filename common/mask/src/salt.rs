//! The secret salt behind the keyed transforms.

use std::cell::RefCell;
use std::ffi::OsString;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use rand::RngCore;
use sha2::digest::generic_array::GenericArray;
use sha2::{Digest, Sha256};

use super::error::MaskError;

/// Shortest salt accepted. A salt is the only thing standing between a
/// masked value and a dictionary attack on it (hash every known e-mail
/// address, compare), so it has to be a real secret, not a word.
pub const MIN_SALT_LEN: usize = 16;

/// SHA-256 block size, the HMAC key block.
const BLOCK: usize = 64;

/// The secret key of the keyed transforms (`hash`, `fake_*`, `scrub`).
///
/// Every deterministic output is HMAC-SHA256(salt, kind || 0 || value): the
/// same value gives the same output in every table and every run with the
/// same salt (so joins on masked values still match), while nobody without
/// the salt can recompute or reverse it. There is deliberately no built-in
/// default salt: a fixed key would make every masked dump reversible by
/// anyone who has this program.
///
/// The HMAC key schedule (the hashed inner and outer pads) is computed once
/// here, so that each value costs two SHA-256 compressions (for values up
/// to 40-odd bytes) and no key setup: the compression function is driven
/// directly, without a hasher object to copy per value.
///
/// Short values that come back (names, cities, the same address in many
/// rows) are answered from a small per-thread table of recent digests
/// ([`Recent`]) instead of being hashed again.
#[derive(Clone)]
pub struct Salt {
    /// SHA-256 state after the inner pad block.
    inner: [u32; 8],
    /// SHA-256 state after the outer pad block.
    outer: [u32; 8],
    /// Tells this key's entries in [`Recent`] from other keys' (copies of a
    /// salt share it: they compute the same digests).
    id: u64,
}

/// Source of [`Salt::id`]; 0 marks an empty entry of [`Recent`].
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The kinds of keyed digest, one per transform that derives its output
/// from one: each hashes its own name in front of the value, so the same
/// value gives unrelated digests for different transforms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keyed {
    Hash,
    FakeEmail,
    FakeName,
    FakeFirstName,
    FakeLastName,
    FakePhone,
}

impl Keyed {
    /// How many kinds there are.
    const COUNT: usize = 6;

    /// The name hashed in front of the value. Part of every masked value:
    /// never to be changed.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Keyed::Hash => "hash",
            Keyed::FakeEmail => "fake_email",
            Keyed::FakeName => "fake_name",
            Keyed::FakeFirstName => "fake_first_name",
            Keyed::FakeLastName => "fake_last_name",
            Keyed::FakePhone => "fake_phone",
        }
    }
}

/// SHA-256's initial state.
const IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

fn compress(state: &mut [u32; 8], block: &[u8; BLOCK]) {
    sha2::compress256(state, &[*GenericArray::from_slice(block)]);
}

/// SHA-256 over a message whose first block was already compressed into
/// `state`: feeds `parts`, pads, and returns the digest.
fn finish(mut state: [u32; 8], parts: &[&[u8]]) -> [u8; 32] {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    if len <= BLOCK - 9 {
        // The common case (short values): one block, built in place.
        let mut block = [0u8; BLOCK];
        let mut fill = 0;
        for part in parts {
            block[fill..fill + part.len()].copy_from_slice(part);
            fill += part.len();
        }
        block[fill] = 0x80;
        block[BLOCK - 8..].copy_from_slice(&((BLOCK + len) as u64 * 8).to_be_bytes());
        compress(&mut state, &block);
        return digest_of(&state);
    }
    let mut block = [0u8; BLOCK];
    let mut fill = 0usize;
    let mut total = BLOCK as u64;
    for part in parts {
        total += part.len() as u64;
        let mut rest: &[u8] = part;
        while !rest.is_empty() {
            let n = rest.len().min(BLOCK - fill);
            block[fill..fill + n].copy_from_slice(&rest[..n]);
            fill += n;
            rest = &rest[n..];
            if fill == BLOCK {
                compress(&mut state, &block);
                fill = 0;
            }
        }
    }
    block[fill] = 0x80;
    block[fill + 1..].fill(0);
    if fill + 1 > BLOCK - 8 {
        compress(&mut state, &block);
        block = [0u8; BLOCK];
    }
    block[BLOCK - 8..].copy_from_slice(&(total * 8).to_be_bytes());
    compress(&mut state, &block);
    digest_of(&state)
}

fn digest_of(state: &[u32; 8]) -> [u8; 32] {
    let mut digest = [0u8; 32];
    for (chunk, word) in digest.chunks_exact_mut(4).zip(state) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    digest
}

/// Never shows the secret, not even its length.
impl fmt::Debug for Salt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Salt(<secret>)")
    }
}

impl Salt {
    /// The salt held by environment variable `var` (its value as read by
    /// the caller): messages name the variable, never the value.
    ///
    /// # Errors
    ///
    /// [`MaskError::Salt`] naming the variable when the value is empty or
    /// shorter than [`MIN_SALT_LEN`] bytes.
    pub fn from_var_value(var: &str, value: OsString) -> Result<Salt, MaskError> {
        let bytes = value.into_encoded_bytes();
        if bytes.is_empty() {
            return Err(MaskError::Salt {
                reason: format!(
                    "environment variable {var} is not set or empty: set it to a secret of at \
                     least {MIN_SALT_LEN} characters (the same secret gives the same masked \
                     values on every run), or choose a random per-run salt explicitly"
                ),
            });
        }
        Self::from_secret(&bytes).map_err(|_| MaskError::Salt {
            reason: format!(
                "environment variable {var} holds a salt shorter than {MIN_SALT_LEN} bytes; \
                 a short salt can be guessed, which would make masked values reversible"
            ),
        })
    }

    /// A salt from secret bytes obtained some other way (a secrets manager,
    /// a file).
    ///
    /// # Errors
    ///
    /// [`MaskError::Salt`] when `secret` is shorter than [`MIN_SALT_LEN`].
    pub fn from_secret(secret: &[u8]) -> Result<Salt, MaskError> {
        if secret.len() < MIN_SALT_LEN {
            return Err(MaskError::Salt {
                reason: format!("the salt is shorter than {MIN_SALT_LEN} bytes"),
            });
        }
        Ok(Self::from_key(secret))
    }

    /// A fresh random salt, for runs where masked values need not match
    /// those of any other run (they still match across the tables of this
    /// run). Has to be chosen explicitly: a deterministic transform never
    /// falls back to it silently.
    pub fn random() -> Salt {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        Self::from_key(&key)
    }

    fn from_key(key: &[u8]) -> Salt {
        let mut block = [0u8; BLOCK];
        if key.len() > BLOCK {
            block[..32].copy_from_slice(&Sha256::digest(key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let mut ipad = [0x36u8; BLOCK];
        let mut opad = [0x5cu8; BLOCK];
        for i in 0..BLOCK {
            ipad[i] ^= block[i];
            opad[i] ^= block[i];
        }
        let mut inner = IV;
        compress(&mut inner, &ipad);
        let mut outer = IV;
        compress(&mut outer, &opad);
        Salt {
            inner,
            outer,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// HMAC-SHA256 over the concatenation of `parts`.
    pub(crate) fn mac(&self, parts: &[&[u8]]) -> [u8; 32] {
        let inner = finish(self.inner, parts);
        finish(self.outer, &[&inner])
    }

    /// The keyed digest of `value` for one kind of transform: the HMAC of
    /// the kind's name, a NUL byte and the value. Names never contain a
    /// NUL byte, so kind and value cannot run into each other.
    ///
    /// Short messages (name, NUL and value fit one SHA-256 block) are
    /// looked up in this thread's [`Recent`] first.
    pub(crate) fn keyed(&self, kind: Keyed, value: &[u8]) -> [u8; 32] {
        let name = kind.name().as_bytes();
        let len = name.len() + 1 + value.len();
        if len > SHORT {
            return self.mac(&[name, b"\0", value]);
        }
        // The message's one block, padded: the message, 0x80, zeros, and
        // the bit length of everything hashed (the pad block included).
        let mut block = [0u8; BLOCK];
        block[..name.len()].copy_from_slice(name);
        block[name.len() + 1..len].copy_from_slice(value);
        block[len] = 0x80;
        block[BLOCK - 8..].copy_from_slice(&((BLOCK + len) as u64 * 8).to_be_bytes());
        let compute = || self.short_mac(&block);
        RECENT.with(|recent| match recent.try_borrow_mut() {
            Ok(mut recent) => recent.get_or_insert(kind, self.id, &block, len, compute),
            Err(_) => compute(),
        })
    }

    /// [`Salt::mac`] of a message of at most [`SHORT`] bytes, given as its
    /// padded block: one compression inside, one outside.
    fn short_mac(&self, block: &[u8; BLOCK]) -> [u8; 32] {
        let mut inner = self.inner;
        compress(&mut inner, block);
        let mut block = [0u8; BLOCK];
        for (chunk, word) in block.chunks_exact_mut(4).zip(&inner) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        block[32] = 0x80;
        block[BLOCK - 8..].copy_from_slice(&((BLOCK + 32) as u64 * 8).to_be_bytes());
        let mut outer = self.outer;
        compress(&mut outer, &block);
        digest_of(&outer)
    }
}

/// Longest message [`Recent`] holds: what fits one SHA-256 block with its
/// padding (the values worth remembering are short, and longer ones are
/// rarely repeated).
const SHORT: usize = BLOCK - 9;

/// The bytes of a short message's padded block that an entry keeps (the
/// message, in whole 8-byte words).
const MSG_BUF: usize = SHORT.div_ceil(8) * 8;

/// Entries of [`Recent`]: 256 of about 100 bytes.
const RECENT_BITS: u32 = 8;

/// Fingerprints of messages seen once (a 32-bit word each).
const SEEN_BITS: u32 = 10;

/// The keyed digests of recently repeated short messages, for one thread.
///
/// Columns of names, cities or statuses repeat a few values over millions
/// of rows, and every repeat would otherwise cost the two SHA-256
/// compressions of an HMAC. The table is direct-mapped and fixed in size
/// (about 30 KB, allocated on first use), so memory stays bounded
/// whatever the dump. An entry is checked against the whole message and
/// the salt, so a hit returns exactly what hashing would.
///
/// A message gets an entry only the second time it is seen (a fingerprint
/// of each message seen once is kept in `seen`): a column of unique values
/// such as e-mail addresses then does not push out the repeated ones.
///
/// A lookup that misses costs about a fifth of the hashing it tries to
/// save (mostly the load of an entry that is rarely in the nearest cache),
/// so each kind of digest keeps score: after [`WINDOW`] lookups of a kind
/// with fewer than one hit in [`MIN_HIT_SHARE`], the next [`REST`] of that
/// kind are hashed without looking (unique addresses, phone numbers,
/// hashed keys), and then the table is tried again.
struct Recent {
    entries: Vec<Entry>,
    seen: Vec<u32>,
    score: [Score; Keyed::COUNT],
}

/// Lookups of one kind in the current window, and how many hit; or how
/// many lookups are still to be skipped.
#[derive(Clone, Copy)]
struct Score {
    lookups: u32,
    hits: u32,
    rest: u32,
}

/// Lookups of a kind between verdicts on whether [`Recent`] pays for it.
const WINDOW: u32 = 1024;

/// A kind whose hits are fewer than one in this many lookups of a window
/// stops looking for [`REST`] lookups.
const MIN_HIT_SHARE: u32 = 8;

/// Lookups skipped after a window with too few hits (then another window
/// is tried: a column of repeated values further on wins the table back).
const REST: u32 = 15 * WINDOW;

#[derive(Clone, Copy)]
struct Entry {
    /// [`Salt::id`] of the key, 0 for an empty entry.
    salt: u64,
    len: u8,
    msg: [u8; MSG_BUF],
    digest: [u8; 32],
}

thread_local! {
    static RECENT: RefCell<Recent> = const {
        RefCell::new(Recent {
            entries: Vec::new(),
            seen: Vec::new(),
            score: [Score { lookups: 0, hits: 0, rest: 0 }; Keyed::COUNT],
        })
    };
}

impl Recent {
    /// The digest of the message `block[..len]` of `kind` under salt
    /// `salt`: remembered, or `compute`d (and remembered if it was seen
    /// before). `block` is the message's padded block, so the bytes after
    /// the message depend on its length only.
    fn get_or_insert(
        &mut self,
        kind: Keyed,
        salt: u64,
        block: &[u8; BLOCK],
        len: usize,
        compute: impl FnOnce() -> [u8; 32],
    ) -> [u8; 32] {
        let score = &mut self.score[kind as usize];
        if score.rest > 0 {
            score.rest -= 1;
            return compute();
        }
        score.lookups += 1;
        if score.lookups == WINDOW {
            if score.hits < WINDOW / MIN_HIT_SHARE {
                score.rest = REST;
            }
            score.lookups = 0;
            score.hits = 0;
        }
        if self.entries.is_empty() {
            let empty = Entry {
                salt: 0,
                len: 0,
                msg: [0; MSG_BUF],
                digest: [0; 32],
            };
            self.entries = vec![empty; 1 << RECENT_BITS];
            self.seen = vec![0; 1 << SEEN_BITS];
        }
        let h = message_hash(salt, block, len);
        let slot = (h >> (64 - RECENT_BITS)) as usize;
        let entry = &mut self.entries[slot];
        // The bytes of the padded block after the message depend on its
        // length only, so with the lengths equal, comparing whole kept
        // blocks (fixed-size, no call) compares the messages.
        if entry.salt == salt && usize::from(entry.len) == len && entry.msg[..] == block[..MSG_BUF]
        {
            self.score[kind as usize].hits += 1;
            return entry.digest;
        }
        let digest = compute();
        let seen = &mut self.seen[(h as usize) & ((1 << SEEN_BITS) - 1)];
        let print = (h >> 16) as u32;
        if *seen == print {
            let mut msg = [0u8; MSG_BUF];
            msg.copy_from_slice(&block[..MSG_BUF]);
            *entry = Entry {
                salt,
                len: len as u8,
                msg,
                digest,
            };
        } else {
            *seen = print;
        }
        digest
    }
}

/// A 64-bit hash of a message for [`Recent`]: each word multiplied on its
/// own (independent multiplications, no chain through them), then mixed so
/// that the high bits depend on every byte. Not cryptographic: it only
/// picks the entry, and entries are compared in full.
fn message_hash(salt: u64, msg: &[u8; BLOCK], len: usize) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (salt ^ len as u64).wrapping_mul(K);
    for (i, word) in msg[..len.div_ceil(8) * 8].chunks_exact(8).enumerate() {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let w = u64::from_le_bytes(w) ^ (i as u64).wrapping_mul(0xd6e8_feb8_6659_fd93);
        h ^= w.wrapping_mul(K).rotate_left(8 * i as u32 + 5);
    }
    h ^= h >> 31;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^ (h >> 29)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 2 (short key) and 6 (key longer than a block).
        let s = Salt::from_key(b"Jefe");
        assert_eq!(
            hex::encode(s.mac(&[b"what do ya ", b"want for nothing?"])),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let s = Salt::from_key(&[0xaa; 131]);
        assert_eq!(
            hex::encode(s.mac(&[b"Test Using Larger Than Block-Size Key - Hash Key First"])),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    /// HMAC-SHA256 through the hasher objects, as it was computed before.
    fn hmac_reference(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
        let mut block = [0u8; BLOCK];
        if key.len() > BLOCK {
            block[..32].copy_from_slice(&Sha256::digest(key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let mut inner = Sha256::new();
        inner.update(block.map(|b| b ^ 0x36));
        for p in parts {
            inner.update(p);
        }
        let mut outer = Sha256::new();
        outer.update(block.map(|b| b ^ 0x5c));
        outer.update(inner.finalize());
        outer.finalize().into()
    }

    #[test]
    fn direct_compression_matches_the_hasher_for_every_length() {
        for key_len in [16usize, 32, 64, 65, 131] {
            let key: Vec<u8> = (0..key_len).map(|i| (i * 7 + 3) as u8).collect();
            let salt = Salt::from_key(&key);
            for len in 0..300 {
                let value: Vec<u8> = (0..len).map(|i| (i * 13 + len) as u8).collect();
                let (a, b) = value.split_at(len / 3);
                assert_eq!(
                    salt.mac(&[b"kind", b"\0", a, b]),
                    hmac_reference(&key, &[b"kind", b"\0", a, b]),
                    "key {key_len}, value {len}"
                );
            }
        }
    }

    #[test]
    fn remembered_digests_are_the_computed_ones() {
        let a = Salt::from_secret(b"0123456789abcdef").unwrap();
        let b = Salt::from_secret(b"fedcba9876543210").unwrap();
        let copy = a.clone();
        for i in 0..5000 {
            // Values that repeat (and so get entries), across two keys and
            // several kinds, of every length around the one-block limit.
            let value: Vec<u8> = (0..(i % 70))
                .map(|k| b'a' + ((i / 70 + k) % 3) as u8)
                .collect();
            for (salt, kind) in [
                (&a, Keyed::FakeName),
                (&b, Keyed::FakeName),
                (&copy, Keyed::Hash),
            ] {
                assert_eq!(
                    salt.keyed(kind, &value),
                    salt.mac(&[kind.name().as_bytes(), b"\0", &value]),
                    "value {i}"
                );
            }
        }
        assert_ne!(a.keyed(Keyed::Hash, b"x"), b.keyed(Keyed::Hash, b"x"));
        assert_eq!(a.keyed(Keyed::Hash, b"x"), copy.keyed(Keyed::Hash, b"x"));
    }

    #[test]
    fn kinds_hash_the_names_every_masked_value_was_made_with() {
        let s = Salt::from_secret(b"0123456789abcdef").unwrap();
        for (kind, name) in [
            (Keyed::Hash, "hash"),
            (Keyed::FakeEmail, "fake_email"),
            (Keyed::FakeName, "fake_name"),
            (Keyed::FakeFirstName, "fake_first_name"),
            (Keyed::FakeLastName, "fake_last_name"),
            (Keyed::FakePhone, "fake_phone"),
        ] {
            assert_eq!(
                s.keyed(kind, b"anna@corp.example"),
                hmac_reference(
                    b"0123456789abcdef",
                    &[name.as_bytes(), b"\0", b"anna@corp.example"]
                )
            );
        }
    }

    #[test]
    fn kinds_that_stop_looking_give_the_computed_digests_and_look_again() {
        let s = Salt::from_secret(b"0123456789abcdef").unwrap();
        let score = || RECENT.with(|r| r.borrow().score[Keyed::FakePhone as usize]);
        let check = |value: &[u8]| {
            assert_eq!(
                s.keyed(Keyed::FakePhone, value),
                s.mac(&[b"fake_phone", b"\0", value])
            );
        };
        // Unique values: after one window the kind rests.
        for i in 0..WINDOW {
            check(format!("+49 170 {i:07}").as_bytes());
        }
        assert_eq!(score().rest, REST);
        // Repeated ones while it rests: still the computed digests.
        for i in 0..REST {
            check(format!("+1 555 {:04}", i % 3).as_bytes());
        }
        assert_eq!(score().rest, 0);
        // Then it looks again, and a repeated value hits (one value: two
        // could share a slot of the table, which depends on the salt's
        // random id).
        for _ in 0..WINDOW - 1 {
            check(b"+1 555 0001");
        }
        let after = score();
        assert_eq!((after.rest, after.lookups), (0, WINDOW - 1));
        assert!(after.hits > WINDOW / 2, "{}", after.hits);
        // Another kind kept its own score.
        assert_eq!(
            RECENT.with(|r| r.borrow().score[Keyed::Hash as usize].rest),
            0
        );
    }

    #[test]
    fn salt_from_env_values() {
        let err = Salt::from_var_value("MY_SALT", OsString::new()).unwrap_err();
        assert!(err.to_string().contains("MY_SALT"), "{err}");
        let err = Salt::from_var_value("MY_SALT", "short".into()).unwrap_err();
        assert!(err.to_string().contains("MY_SALT"), "{err}");
        assert!(!err.to_string().contains("short\""), "{err}");
        assert!(Salt::from_var_value("MY_SALT", "0123456789abcdef".into()).is_ok());
        assert_eq!(format!("{:?}", Salt::random()), "Salt(<secret>)");
    }

    #[test]
    fn random_salts_differ() {
        assert_ne!(
            Salt::random().keyed(Keyed::Hash, b"x"),
            Salt::random().keyed(Keyed::Hash, b"x")
        );
        let s = Salt::from_secret(b"0123456789abcdef").unwrap();
        assert_eq!(s.keyed(Keyed::Hash, b"x"), s.keyed(Keyed::Hash, b"x"));
        assert_ne!(s.keyed(Keyed::Hash, b"x"), s.keyed(Keyed::FakeEmail, b"x"));
    }
}
