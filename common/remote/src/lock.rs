//! A lock held as an object: created only if absent (`If-None-Match: *`), removed when the
//! holder drops it. Two hosts backing up the same name into one location cannot both hold it
//! (on servers where the conditional create is atomic, as on AWS S3).
//!
//! A killed holder cannot remove its lock, so the object records its owner (host, boot,
//! process and its start time). A later run takes over a lock whose owner is certainly gone
//! (same host and boot, process not running or reused; or the host rebooted) or that is
//! older than the caller's `max_age`; any other lock is reported with its holder.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::RemoteError;
use crate::store::Store;
use crate::upload::Owner;

/// What a lock object records.
#[derive(Serialize, Deserialize, Debug)]
struct Body {
    owner: Owner,
    purpose: String,
    started: DateTime<Utc>,
}

/// A lock held in the store; dropping it removes the object.
#[derive(Debug)]
pub struct ObjectLock {
    store: Store,
    name: String,
    held: bool,
}

impl ObjectLock {
    /// The lock's object name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Removes the lock now, reporting a failure (dropping it removes it quietly).
    pub fn release(mut self) -> Result<(), RemoteError> {
        self.held = false;
        self.store.delete_in_cleanup(&self.name, RELEASE_BUDGET)
    }
}

/// How long releasing a lock may take. Release is clean-up, done after a stop too (a stopped
/// run must not leave its lock for other hosts to wait out), so it does not obey the stop.
const RELEASE_BUDGET: Duration = Duration::from_secs(10);

impl Drop for ObjectLock {
    fn drop(&mut self) {
        if self.held {
            if let Err(e) = self.store.delete_in_cleanup(&self.name, RELEASE_BUDGET) {
                tracing::warn!(
                    "cannot remove lock {}: {e}",
                    self.store.location().url_of(&self.name)
                );
            }
        }
    }
}

/// Who holds a lock [`Store::try_lock`] could not take ("pid 42 on db1, backup started ...").
#[derive(Debug)]
pub struct Held(pub String);

impl Store {
    /// Takes the lock object `name` for `purpose` ("backup", "prune"), taking over a stale one
    /// (see the module docs). `Ok(Err(Held))` when a live holder has it.
    pub fn try_lock(
        &self,
        name: &str,
        purpose: &str,
        max_age: Duration,
    ) -> Result<Result<ObjectLock, Held>, RemoteError> {
        let me = Owner::me();
        let body = Body {
            owner: me.clone(),
            purpose: purpose.to_string(),
            started: Utc::now(),
        };
        let bytes = serde_json::to_vec(&body).map_err(|e| RemoteError::Other {
            action: "lock",
            url: self.location().url_of(name),
            detail: format!("cannot encode the lock: {e}"),
        })?;
        // Two attempts: the second after removing a stale lock.
        for _ in 0..2 {
            if self.put_if_absent(name, &bytes)? {
                return Ok(Ok(ObjectLock {
                    store: self.clone(),
                    name: name.to_string(),
                    held: true,
                }));
            }
            let existing = match self.get_bytes(name) {
                Ok(b) => b,
                Err(e) if e.is_not_found() => continue, // released meanwhile
                Err(e) => return Err(e),
            };
            let held: Option<Body> = serde_json::from_slice(&existing).ok();
            let stale = match &held {
                Some(b) => {
                    b.owner.is_gone(&me)
                        || (Utc::now() - b.started)
                            .to_std()
                            .is_ok_and(|age| age > max_age)
                }
                // Not ours to judge by content; by age only.
                None => self.head(name)?.is_some_and(|i| {
                    (Utc::now() - i.last_modified)
                        .to_std()
                        .is_ok_and(|a| a > max_age)
                }),
            };
            if !stale {
                let who = match held {
                    Some(b) => format!(
                        "pid {} on {}, {} started {}",
                        b.owner.pid,
                        if b.owner.host.is_empty() {
                            "an unknown host"
                        } else {
                            &b.owner.host
                        },
                        b.purpose,
                        b.started.format("%Y-%m-%dT%H:%M:%SZ")
                    ),
                    None => "holder unknown".to_string(),
                };
                return Ok(Err(Held(who)));
            }
            tracing::info!(
                "removing stale lock {} (its holder is gone)",
                self.location().url_of(name)
            );
            self.delete(name)?;
        }
        Ok(Err(Held("another run took it at the same moment".into())))
    }
}
