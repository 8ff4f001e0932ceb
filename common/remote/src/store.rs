//! The blocking facade: one [`Store`] per `s3://bucket/prefix`, every method a bounded call.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload};

use crate::client::{list_all, object_info, Inner, ObjectInfo, Options};
use crate::config::Environment;
use crate::error::RemoteError;
use crate::location::Location;
use crate::reader::ObjectReader;
use crate::upload::{self, Upload};

/// Largest object [`Store::get_bytes`] reads into memory.
pub const GET_BYTES_LIMIT: u64 = 64 << 20;

/// A connection to one `s3://bucket/prefix` location; every method blocks.
///
/// Cheap to clone (shared inside). Must not be called from inside an async runtime: it runs
/// its own (two worker threads), and returns [`RemoteError::Other`] instead of blocking one.
#[derive(Clone)]
pub struct Store {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("location", &self.inner.location.to_string())
            .field("endpoint", &self.inner.errors.endpoint)
            .field("region", &self.inner.region)
            .field("credentials", &self.inner.errors.credentials)
            .finish()
    }
}

impl Store {
    /// Connects to `location` with the configuration of this process's environment and AWS
    /// profile files (see the crate docs for the variables). Sends no request.
    pub fn connect(location: &Location, options: &Options) -> Result<Store, RemoteError> {
        Store::connect_with(location, options, &Environment::from_process())
    }

    /// Like [`Store::connect`], with an explicit set of variables instead of the process's.
    pub fn connect_with(
        location: &Location,
        options: &Options,
        env: &Environment,
    ) -> Result<Store, RemoteError> {
        Ok(Store {
            inner: Arc::new(Inner::connect(location, options, env)?),
        })
    }

    /// The location this store reads and writes under.
    pub fn location(&self) -> &Location {
        &self.inner.location
    }

    /// The objects whose names start with `prefix` (empty: all), sorted by name, every page
    /// of the listing read. Upload markers (`.uploads/…`) are left out.
    ///
    /// A prefix ending in `/` lists that sub-folder; `"prod_"` lists `prod_…` names.
    pub fn list(&self, prefix: &str) -> Result<Vec<ObjectInfo>, RemoteError> {
        let inner = &self.inner;
        let url = inner.location.url_of(prefix);
        let (folder, _) = prefix.rsplit_once('/').unwrap_or(("", prefix));
        let folder_key = if folder.is_empty() {
            inner.location.prefix().to_string()
        } else {
            inner.location.key(folder)?
        };
        let objects = list_all(inner, &folder_key, "list", &url)?;
        let mut found: Vec<ObjectInfo> = objects
            .into_iter()
            .filter_map(|meta| object_info(&inner.location, meta))
            .filter(|info| info.name.starts_with(prefix) && !upload::is_marker_name(&info.name))
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        inner.bucket_seen.store(true, Ordering::Relaxed);
        Ok(found)
    }

    /// Size and time of `name`, or `None` when it does not exist (a missing bucket is an
    /// error, not `None`).
    pub fn head(&self, name: &str) -> Result<Option<ObjectInfo>, RemoteError> {
        let inner = &self.inner;
        let path = inner.path(name)?;
        let url = inner.location.url_of(name);
        match inner.call("read", url.clone(), inner.s3.head(&path)) {
            Ok(meta) => Ok(Some(ObjectInfo {
                name: name.to_string(),
                size: meta.size,
                last_modified: meta.last_modified,
                e_tag: meta.e_tag,
            })),
            Err(RemoteError::NotFound { .. }) => {
                // A HEAD answer has no body, so "no such bucket" looks like "no such object".
                inner.check_bucket("read", &url)?;
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Streams `name` with bounded memory: ranged GETs of 8 MiB, one fetched ahead while the
    /// previous one is read (at most ~24 MiB buffered). Each range is one request under the
    /// time limits; the object's entity tag is checked on every range, so an object replaced
    /// while it is read gives an error, not a mix.
    pub fn get(&self, name: &str) -> Result<ObjectReader, RemoteError> {
        let info = self.head(name)?.ok_or_else(|| RemoteError::NotFound {
            action: "read",
            url: self.inner.location.url_of(name),
        })?;
        let path = self.inner.path(name)?;
        Ok(ObjectReader::start(Arc::clone(&self.inner), path, info))
    }

    /// Reads a small object (a manifest, a lock) whole. Objects over [`GET_BYTES_LIMIT`] are
    /// refused: use [`Store::get`].
    pub fn get_bytes(&self, name: &str) -> Result<Vec<u8>, RemoteError> {
        let inner = &self.inner;
        let path = inner.path(name)?;
        let url = inner.location.url_of(name);
        let s3 = Arc::clone(&inner.s3);
        let bytes = inner.call("read", url.clone(), async move {
            let result = s3.get(&path).await?;
            if result.meta.size > GET_BYTES_LIMIT {
                return Ok(Err(result.meta.size));
            }
            Ok(Ok(result.bytes().await?))
        });
        let bytes = match bytes {
            Err(err @ RemoteError::NotFound { .. }) => {
                // Some servers (s3s-fs) answer NoSuchKey for a missing bucket too.
                inner.check_bucket("read", &url)?;
                return Err(err);
            }
            other => other?,
        };
        match bytes {
            Ok(bytes) => Ok(bytes.to_vec()),
            Err(size) => Err(RemoteError::Other {
                action: "read",
                url,
                detail: format!("{size} bytes is too large to read into memory; stream it instead"),
            }),
        }
    }

    /// Stores a small object whole, replacing any object of that name.
    pub fn put_bytes(&self, name: &str, bytes: &[u8]) -> Result<(), RemoteError> {
        let inner = &self.inner;
        let path = inner.path(name)?;
        let payload = PutPayload::from(Bytes::copy_from_slice(bytes));
        inner.call(
            "write",
            inner.location.url_of(name),
            inner.s3.put(&path, payload),
        )?;
        Ok(())
    }

    /// Creates `name` only if no object of that name exists (`If-None-Match: *`); returns
    /// false, writing nothing, when it exists. For locks. The server decides: on AWS S3 the
    /// check and the write are one atomic step; s3s-fs checks and then writes, so two racing
    /// creators can both win there.
    pub fn put_if_absent(&self, name: &str, bytes: &[u8]) -> Result<bool, RemoteError> {
        let inner = &self.inner;
        let path = inner.path(name)?;
        let payload = PutPayload::from(Bytes::copy_from_slice(bytes));
        let opts = PutOptions {
            mode: PutMode::Create,
            ..Default::default()
        };
        match inner.call(
            "create",
            inner.location.url_of(name),
            inner.s3.put_opts(&path, payload, opts),
        ) {
            Ok(_) => Ok(true),
            Err(RemoteError::AlreadyExists { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Deletes `name`; a missing object is not an error.
    pub fn delete(&self, name: &str) -> Result<(), RemoteError> {
        let inner = &self.inner;
        let path = inner.path(name)?;
        match inner.call(
            "delete",
            inner.location.url_of(name),
            inner.s3.delete(&path),
        ) {
            Ok(()) | Err(RemoteError::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Deletes `name` as clean-up after a stop: the stop function is not polled, the whole
    /// call is bounded by `budget` instead. A missing object is not an error.
    pub(crate) fn delete_in_cleanup(
        &self,
        name: &str,
        budget: Duration,
    ) -> Result<(), RemoteError> {
        let inner = &self.inner;
        let path = inner.path(name)?;
        let url = inner.location.url_of(name);
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(RemoteError::Other {
                action: "delete",
                url,
                detail: "called from inside an async runtime".to_string(),
            });
        }
        let s3 = Arc::clone(&inner.s3);
        let work = async move { s3.delete(&path).await };
        match inner
            .rt()
            .block_on(async move { tokio::time::timeout(budget, work).await })
        {
            Ok(Ok(())) | Ok(Err(object_store::Error::NotFound { .. })) => Ok(()),
            Ok(Err(err)) => Err(inner.errors.classify(err, "delete", url)),
            Err(_) => Err(RemoteError::Timeout {
                action: "delete",
                url,
                endpoint: inner.errors.endpoint.clone(),
                limit: budget,
                detail: "gave up deleting".to_string(),
            }),
        }
    }

    /// Starts a streaming upload of `name`; see [`Upload`]. Nothing is sent until the first
    /// part is full or [`Upload::finish`] is called.
    pub fn upload(&self, name: &str) -> Result<Upload, RemoteError> {
        let path = self.inner.path(name)?;
        Ok(Upload::new(Arc::clone(&self.inner), name.to_string(), path))
    }

    /// Aborts the multipart uploads left behind by killed or failed uploads under this
    /// location, and removes their markers; returns the names whose upload was aborted.
    /// See the crate docs for the rule (owner gone on this host, or marker older than
    /// `max_age`; [`upload::STALE_UPLOAD_AGE`] is a safe value).
    pub fn abort_stale_uploads(&self, max_age: Duration) -> Result<Vec<String>, RemoteError> {
        upload::abort_stale(&self.inner, max_age)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_debug_shows_no_secret() {
        let env = Environment::from_vars([
            ("AWS_ACCESS_KEY_ID", "AKIADEBUGKEY0001"),
            ("AWS_SECRET_ACCESS_KEY", "debug-secret-value-0001"),
            ("AWS_SESSION_TOKEN", "debug-token-value-0001"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:9"),
            ("AWS_ALLOW_HTTP", "true"),
        ]);
        let store = Store::connect_with(
            &Location::parse("s3://bkt/p").unwrap(),
            &Options::default(),
            &env,
        )
        .unwrap();
        let text = format!("{store:?}");
        assert!(
            text.contains("s3://bkt/p") && text.contains("http://127.0.0.1:9"),
            "{text}"
        );
        for secret in [
            "AKIADEBUGKEY0001",
            "debug-secret-value-0001",
            "debug-token-value-0001",
        ] {
            assert!(!text.contains(secret), "{text}");
        }
    }
}
