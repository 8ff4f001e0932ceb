//! Streaming reads: ranged GETs fetched one ahead on the runtime, read through `std::io::Read`.

use std::io::{self, Read};
use std::sync::Arc;

use bytes::Bytes;
use object_store::path::Path;
use object_store::{GetOptions, GetRange, ObjectStore};
use tokio::sync::mpsc;

use crate::client::{Inner, ObjectInfo};
use crate::error::RemoteError;

/// Bytes asked for in one ranged GET.
pub const READ_CHUNK: u64 = 8 << 20;

/// An object being read; see [`crate::Store::get`].
///
/// Errors come as `io::Error`s wrapping a [`RemoteError`] ([`RemoteError::from_io`]); their
/// kind is never `Interrupted`. The reader checks that it got exactly the listed size.
pub struct ObjectReader {
    inner: Arc<Inner>,
    info: ObjectInfo,
    url: String,
    rx: mpsc::Receiver<Result<Bytes, RemoteError>>,
    task: tokio::task::JoinHandle<()>,
    current: Bytes,
    read: u64,
    failed: bool,
}

impl ObjectReader {
    pub(crate) fn start(inner: Arc<Inner>, path: Path, info: ObjectInfo) -> ObjectReader {
        // Capacity 1: one range waits in the channel while the next is fetched, and the reader
        // holds a third; never more than ~3 chunks in memory.
        let (tx, rx) = mpsc::channel(1);
        let url = inner.location.url_of(&info.name);
        let task = inner.rt().spawn(fetch(
            Arc::clone(&inner.s3),
            inner.errors.clone(),
            path,
            info.size,
            info.e_tag.clone(),
            url.clone(),
            tx,
        ));
        ObjectReader {
            inner,
            info,
            url,
            rx,
            task,
            current: Bytes::new(),
            read: 0,
            failed: false,
        }
    }

    /// The object's size, time and entity tag as seen when the read started.
    pub fn info(&self) -> &ObjectInfo {
        &self.info
    }

    fn fail(&mut self, err: RemoteError) -> io::Error {
        self.failed = true;
        self.task.abort();
        err.into()
    }
}

async fn fetch(
    s3: Arc<object_store::aws::AmazonS3>,
    errors: crate::client::ErrorCx,
    path: Path,
    size: u64,
    e_tag: Option<String>,
    url: String,
    tx: mpsc::Sender<Result<Bytes, RemoteError>>,
) {
    let mut offset = 0;
    while offset < size {
        let end = (offset + READ_CHUNK).min(size);
        let options = GetOptions {
            range: Some(GetRange::Bounded(offset..end)),
            if_match: e_tag.clone(),
            ..Default::default()
        };
        let result = async { s3.get_opts(&path, options).await?.bytes().await }.await;
        let item = match result {
            Ok(bytes) if bytes.len() as u64 == end - offset => Ok(bytes),
            Ok(bytes) => Err(RemoteError::Other {
                action: "read",
                url: url.clone(),
                detail: format!("asked for bytes {offset}..{end}, got {} bytes", bytes.len()),
            }),
            Err(object_store::Error::Precondition { .. }) => Err(RemoteError::Other {
                action: "read",
                url: url.clone(),
                detail: "the object was replaced while it was being read".to_string(),
            }),
            Err(err) => Err(errors.classify(err, "read", url.clone())),
        };
        let failed = item.is_err();
        if tx.send(item).await.is_err() || failed {
            return;
        }
        offset = end;
    }
}

impl Read for ObjectReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.failed {
            return Err(RemoteError::Other {
                action: "read",
                url: self.url.clone(),
                detail: "an earlier read failed".to_string(),
            }
            .into());
        }
        if buf.is_empty() {
            return Ok(0);
        }
        while self.current.is_empty() {
            if self.read == self.info.size {
                return Ok(0);
            }
            if self.inner.stopped() {
                return Err(self.fail(RemoteError::interrupted("read", self.url.clone())));
            }
            let inner = Arc::clone(&self.inner);
            let next = match inner.wait(self.rx.recv()) {
                Ok(next) => next,
                Err(waited) => return Err(self.fail(waited.into_error("read", self.url.clone()))),
            };
            match next {
                Some(Ok(bytes)) => self.current = bytes,
                Some(Err(err)) => return Err(self.fail(err)),
                None => {
                    let err = RemoteError::Other {
                        action: "read",
                        url: self.url.clone(),
                        detail: format!(
                            "the stream ended after {} of {} bytes",
                            self.read, self.info.size
                        ),
                    };
                    return Err(self.fail(err));
                }
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current[..n]);
        let _ = self.current.split_to(n);
        self.read += n as u64;
        Ok(n)
    }
}

impl Drop for ObjectReader {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl std::fmt::Debug for ObjectReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObjectReader")
            .field("url", &self.url)
            .field("read", &self.read)
            .field("size", &self.info.size)
            .finish()
    }
}
