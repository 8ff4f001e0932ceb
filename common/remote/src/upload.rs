//! Streaming multipart uploads with bounded memory, their markers, and the clean-up of uploads
//! that a killed process left behind.
//!
//! A multipart upload that is neither completed nor aborted keeps its parts on the server (and
//! on the bill) forever, invisible to a listing. Not every server can list them (s3s-fs has no
//! ListMultipartUploads), so each upload records itself: before the first part is sent, a
//! marker object `<prefix>/.uploads/<name>.<upload-id>` is written with the upload id and the
//! owner (host, boot id, pid and process start time). It is rewritten every
//! [`HEARTBEAT`] while the upload runs and deleted after complete or abort.

use std::collections::{HashSet, VecDeque};
use std::io::{self, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use chrono::Utc;
use object_store::multipart::{MultipartStore, PartId};
use object_store::path::Path;
use object_store::{ObjectStoreExt, PutPayload};
use serde::{Deserialize, Serialize};

use crate::client::{list_all, Inner, ObjectInfo, Waited};
use crate::error::RemoteError;

/// Size of every part but the last: 16 MiB. With [`MAX_IN_FLIGHT`] this bounds the memory of
/// an upload to about 48 MiB, and with S3's 10 000 parts the object size to 156 GiB.
pub const PART_SIZE: usize = 16 << 20;

/// Parts sent at once while the next one fills.
pub const MAX_IN_FLIGHT: usize = 2;

/// S3's limit of parts per upload.
const MAX_PARTS: usize = 10_000;

/// How often a running upload rewrites its marker.
pub const HEARTBEAT: Duration = Duration::from_secs(300);

/// A safe `max_age` for [`crate::Store::abort_stale_uploads`]: twelve missed heartbeats.
pub const STALE_UPLOAD_AGE: Duration = Duration::from_secs(3600);

/// The folder of upload markers, under the location's prefix.
const MARKERS: &str = ".uploads";

/// How long aborting an upload waits for parts already being sent.
const PART_DRAIN_BUDGET: Duration = Duration::from_secs(5);

/// How long dropping an unfinished upload may spend aborting it.
const ABORT_BUDGET: Duration = Duration::from_secs(10);

/// Upload ids of this process's uploads that are still running.
static LIVE: Mutex<Option<HashSet<String>>> = Mutex::new(None);

fn live_insert(id: &str) {
    if let Ok(mut live) = LIVE.lock() {
        live.get_or_insert_with(HashSet::new).insert(id.to_string());
    }
}

fn live_remove(id: &str) {
    if let Ok(mut live) = LIVE.lock() {
        if let Some(set) = live.as_mut() {
            set.remove(id);
        }
    }
}

fn live_contains(id: &str) -> bool {
    LIVE.lock()
        .map(|live| live.as_ref().is_some_and(|set| set.contains(id)))
        .unwrap_or(true)
}

pub(crate) fn is_marker_name(name: &str) -> bool {
    name.strip_prefix(MARKERS)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// What a marker records.
#[derive(Serialize, Deserialize, Debug, Clone)]
struct Marker {
    name: String,
    upload_id: String,
    owner: Owner,
    started: String,
}

/// The process that runs an upload.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub(crate) struct Owner {
    pub(crate) host: String,
    boot_id: String,
    pub(crate) pid: u32,
    /// Start time of the process in clock ticks since boot (`/proc/PID/stat` field 22), so a
    /// reused pid is not mistaken for the owner.
    start: u64,
}

impl Owner {
    pub(crate) fn me() -> Owner {
        let pid = std::process::id();
        Owner {
            host: host_name(),
            boot_id: boot_id(),
            pid,
            start: process_start(pid).unwrap_or(0),
        }
    }

    /// True only when it is certain the owner no longer runs: same host and boot, and the pid
    /// is gone or belongs to a later process. Unknown (other host, no /proc) is false.
    pub(crate) fn is_gone(&self, me: &Owner) -> bool {
        if self.host.is_empty() || self.host != me.host || self.boot_id.is_empty() {
            return false;
        }
        if self.boot_id != me.boot_id {
            return true; // the machine rebooted since
        }
        match process_start(self.pid) {
            None => std::path::Path::new("/proc/self/stat").exists(),
            Some(start) => start != self.start,
        }
    }
}

fn read_trimmed(path: &str) -> String {
    std::fs::read_to_string(path)
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

fn host_name() -> String {
    read_trimmed("/proc/sys/kernel/hostname")
}

fn boot_id() -> String {
    read_trimmed("/proc/sys/kernel/random/boot_id")
}

fn process_start(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Field 2 (comm) may hold spaces and parentheses; fields after the last ')' start at 3.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(22 - 3)?.parse().ok()
}

/// The marker key for `name`'s upload `id`: a readable file name, the id made key-safe (the
/// exact id is in the marker's body).
fn marker_name(name: &str, id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(120)
        .collect();
    format!("{MARKERS}/{name}.{safe}")
}

struct Multipart {
    id: String,
    marker: Path,
    parts: Vec<PartId>,
    in_flight: VecDeque<tokio::task::JoinHandle<object_store::Result<PartId>>>,
    heartbeat: tokio::task::JoinHandle<()>,
}

#[derive(PartialEq, Eq, Clone, Copy, Debug)]
enum State {
    Open,
    Failed,
    Done,
}

/// A streaming upload of one object: `Write` the bytes, then [`Upload::finish`].
///
/// Memory stays bounded whatever the size: bytes fill a [`PART_SIZE`] buffer; a full buffer is
/// sent as a part on the runtime while the next fills, with at most [`MAX_IN_FLIGHT`] parts in
/// flight (`write` blocks, polling the stop function, until one is done). An object smaller
/// than one part is sent with one PUT by `finish`, and needs no marker.
///
/// Dropping an unfinished upload (or [`Upload::abort`]) aborts the multipart upload and
/// deletes its marker, spending at most 10 s on it; if that fails too (server gone), the marker
/// stays for [`crate::Store::abort_stale_uploads`]. The object is never visible before
/// `finish` returns: a failed or killed upload leaves no object (and no old object is
/// touched until the completion replaces it at once).
///
/// `write` errors wrap a [`RemoteError`] ([`RemoteError::from_io`]); their kind is never
/// `Interrupted`. After an error the upload only aborts.
pub struct Upload {
    inner: Arc<Inner>,
    name: String,
    path: Path,
    url: String,
    buf: Vec<u8>,
    written: u64,
    multipart: Option<Multipart>,
    state: State,
}

impl Upload {
    pub(crate) fn new(inner: Arc<Inner>, name: String, path: Path) -> Upload {
        let url = inner.location.url_of(&name);
        Upload {
            inner,
            name,
            path,
            url,
            buf: Vec::new(),
            written: 0,
            multipart: None,
            state: State::Open,
        }
    }

    /// Bytes written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Sends what is left, completes the upload and returns the stored object's description.
    pub fn finish(mut self) -> Result<ObjectInfo, RemoteError> {
        let result = self.finish_inner();
        if result.is_err() {
            self.state = State::Failed;
        }
        result
    }

    /// Aborts the upload: nothing is stored, the parts and the marker are deleted.
    pub fn abort(mut self) -> Result<(), RemoteError> {
        self.state = State::Failed;
        self.abort_inner(false)
    }

    fn check_open(&self) -> Result<(), RemoteError> {
        match self.state {
            State::Open => Ok(()),
            _ => Err(RemoteError::Other {
                action: "upload",
                url: self.url.clone(),
                detail: "the upload failed earlier and was abandoned".to_string(),
            }),
        }
    }

    fn finish_inner(&mut self) -> Result<ObjectInfo, RemoteError> {
        self.check_open()?;
        if self.inner.stopped() {
            return Err(RemoteError::interrupted("upload", self.url.clone()));
        }
        if self.multipart.is_none() {
            let data = Bytes::from(std::mem::take(&mut self.buf));
            let payload = PutPayload::from(data);
            self.inner.call(
                "upload",
                self.url.clone(),
                self.inner.s3.put(&self.path, payload),
            )?;
        } else {
            if !self.buf.is_empty() {
                self.send_part()?;
            }
            while !self
                .multipart
                .as_ref()
                .is_some_and(|m| m.in_flight.is_empty())
            {
                self.join_oldest()?;
            }
            let Some(mp) = self.multipart.as_mut() else {
                return Err(internal(&self.url));
            };
            let parts = std::mem::take(&mut mp.parts);
            let s3 = Arc::clone(&self.inner.s3);
            let (path, id) = (self.path.clone(), mp.id.clone());
            self.inner
                .call("complete the upload of", self.url.clone(), async move {
                    s3.complete_multipart(&path, &id, parts).await
                })?;
            mp.heartbeat.abort();
            live_remove(&mp.id);
            let marker = mp.marker.clone();
            self.multipart = None;
            // The object is complete; a marker left behind only costs a no-op abort later.
            let s3 = Arc::clone(&self.inner.s3);
            if let Err(err) =
                self.inner
                    .call("delete the marker of", self.url.clone(), async move {
                        s3.delete(&marker).await
                    })
            {
                tracing::warn!(
                    "upload of {} completed, but its marker stays: {err}",
                    self.url
                );
            }
        }
        self.state = State::Done;
        let s3 = Arc::clone(&self.inner.s3);
        let path = self.path.clone();
        let meta = self.inner.call(
            "read",
            self.url.clone(),
            async move { s3.head(&path).await },
        )?;
        if meta.size != self.written {
            return Err(RemoteError::Other {
                action: "upload",
                url: self.url.clone(),
                detail: format!(
                    "stored {} bytes, but {} were written",
                    meta.size, self.written
                ),
            });
        }
        Ok(ObjectInfo {
            name: self.name.clone(),
            size: meta.size,
            last_modified: meta.last_modified,
            e_tag: meta.e_tag,
        })
    }

    /// Starts the multipart upload and records it in a marker before any part is sent.
    fn start_multipart(&mut self) -> Result<(), RemoteError> {
        let s3 = Arc::clone(&self.inner.s3);
        let path = self.path.clone();
        let id = self
            .inner
            .call("start the upload of", self.url.clone(), async move {
                s3.create_multipart(&path).await
            })?;
        live_insert(&id);
        let marker_name = marker_name(&self.name, &id);
        let marker = match self.inner.path(&marker_name) {
            Ok(marker) => marker,
            Err(err) => {
                self.abort_unrecorded(&id);
                return Err(err);
            }
        };
        let body = Marker {
            name: self.name.clone(),
            upload_id: id.clone(),
            owner: Owner::me(),
            started: Utc::now().to_rfc3339(),
        };
        let body = Bytes::from(serde_json::to_vec(&body).unwrap_or_default());
        let s3 = Arc::clone(&self.inner.s3);
        let (m, b) = (marker.clone(), body.clone());
        if let Err(err) = self
            .inner
            .call("record the upload of", self.url.clone(), async move {
                s3.put(&m, PutPayload::from(b)).await
            })
        {
            self.abort_unrecorded(&id);
            return Err(err);
        }
        let heartbeat = self.inner.rt().spawn(beat(
            Arc::clone(&self.inner.s3),
            self.inner.errors.clone(),
            marker.clone(),
            self.url.clone(),
            body,
        ));
        self.multipart = Some(Multipart {
            id,
            marker,
            parts: Vec::new(),
            in_flight: VecDeque::new(),
            heartbeat,
        });
        Ok(())
    }

    fn send_part(&mut self) -> Result<(), RemoteError> {
        if self.multipart.is_none() {
            self.start_multipart()?;
        }
        while self
            .multipart
            .as_ref()
            .is_some_and(|m| m.in_flight.len() >= MAX_IN_FLIGHT)
        {
            self.join_oldest()?;
        }
        let Some(mp) = self.multipart.as_mut() else {
            return Err(internal(&self.url));
        };
        let index = mp.parts.len() + mp.in_flight.len();
        if index >= MAX_PARTS {
            return Err(RemoteError::Other {
                action: "upload",
                url: self.url.clone(),
                detail: format!("more than {MAX_PARTS} parts of {} MiB", PART_SIZE >> 20),
            });
        }
        let data = Bytes::from(std::mem::take(&mut self.buf));
        let s3 = Arc::clone(&self.inner.s3);
        let (path, id) = (self.path.clone(), mp.id.clone());
        let task = self
            .inner
            .rt()
            .spawn(async move { s3.put_part(&path, &id, index, PutPayload::from(data)).await });
        mp.in_flight.push_back(task);
        Ok(())
    }

    fn join_oldest(&mut self) -> Result<(), RemoteError> {
        let Some(mp) = self.multipart.as_mut() else {
            return Ok(());
        };
        let Some(task) = mp.in_flight.front_mut() else {
            return Ok(());
        };
        let result = match self.inner.wait(task) {
            Ok(joined) => joined,
            Err(waited) => return Err(waited.into_error("upload", self.url.clone())),
        };
        mp.in_flight.pop_front();
        match result {
            Ok(Ok(part)) => {
                mp.parts.push(part);
                Ok(())
            }
            Ok(Err(err)) => Err(self.inner.errors.classify(err, "upload", self.url.clone())),
            Err(join) => Err(RemoteError::Other {
                action: "upload",
                url: self.url.clone(),
                detail: format!("a part upload task ended abnormally: {join}"),
            }),
        }
    }

    /// Aborts the multipart upload (if one was started) and deletes its marker.
    fn abort_inner(&mut self, quietly: bool) -> Result<(), RemoteError> {
        let Some(mut mp) = self.multipart.take() else {
            return Ok(());
        };
        mp.heartbeat.abort();
        // Parts still being sent are let finish (within a short budget) before the abort: a
        // part the server stores after the abort would stay there, owned by no upload.
        if !mp.in_flight.is_empty() && tokio::runtime::Handle::try_current().is_err() {
            let tasks: Vec<_> = mp.in_flight.drain(..).collect();
            let aborts: Vec<_> = tasks.iter().map(|t| t.abort_handle()).collect();
            let drained = self.inner.rt().block_on(async move {
                tokio::time::timeout(PART_DRAIN_BUDGET, async move {
                    for t in tasks {
                        let _ = t.await;
                    }
                })
                .await
            });
            if drained.is_err() {
                for a in aborts {
                    a.abort();
                }
            }
        }
        for task in &mp.in_flight {
            task.abort();
        }
        live_remove(&mp.id);
        let outcome = self.abort_id(&mp.id, Some(&mp.marker));
        if let (Err(err), true) = (&outcome, quietly) {
            tracing::warn!(
                "could not abort the upload of {}; the next clean-up of stale uploads will: {err}",
                self.url
            );
        }
        outcome
    }

    /// Aborts an upload whose marker could not be written; if that fails too, only the log
    /// knows about it.
    fn abort_unrecorded(&self, id: &str) {
        if let Err(err) = self.abort_id(id, None) {
            tracing::warn!("multipart upload of {} could be neither recorded nor aborted; it may stay on the server: {err}", self.url);
        }
    }

    /// Aborts upload `id` and deletes `marker`, within [`ABORT_BUDGET`], ignoring the stop
    /// function (this is the clean-up after a stop).
    fn abort_id(&self, id: &str, marker: Option<&Path>) -> Result<(), RemoteError> {
        live_remove(id);
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Waited::InAsync.into_error("abort the upload of", self.url.clone()));
        }
        let s3 = Arc::clone(&self.inner.s3);
        let (path, id, marker) = (self.path.clone(), id.to_string(), marker.cloned());
        let budget = ABORT_BUDGET.min(self.inner.options.timeout.max(Duration::from_secs(1)));
        let work = async move {
            match s3.abort_multipart(&path, &id).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
            if let Some(marker) = marker {
                match s3.delete(&marker).await {
                    Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
            Ok(())
        };
        match self
            .inner
            .rt()
            .block_on(async move { tokio::time::timeout(budget, work).await })
        {
            Ok(Ok(())) => Ok(()),
            Ok(Err(err)) => {
                Err(self
                    .inner
                    .errors
                    .classify(err, "abort the upload of", self.url.clone()))
            }
            Err(_) => Err(RemoteError::Timeout {
                action: "abort the upload of",
                url: self.url.clone(),
                endpoint: self.inner.errors.endpoint.clone(),
                limit: budget,
                detail: "gave up aborting".to_string(),
            }),
        }
    }

    fn fail(&mut self, err: RemoteError) -> io::Error {
        self.state = State::Failed;
        err.into()
    }
}

fn internal(url: &str) -> RemoteError {
    RemoteError::Other {
        action: "upload",
        url: url.to_string(),
        detail: "internal error: no multipart upload".to_string(),
    }
}

/// Rewrites the marker every [`HEARTBEAT`] so its age says when the owner was last alive.
async fn beat(
    s3: Arc<object_store::aws::AmazonS3>,
    errors: crate::client::ErrorCx,
    marker: Path,
    url: String,
    body: Bytes,
) {
    let mut tick = tokio::time::interval(HEARTBEAT);
    tick.tick().await; // the first tick is immediate; the marker was just written
    loop {
        tick.tick().await;
        if let Err(err) = s3.put(&marker, PutPayload::from(body.clone())).await {
            let err = errors.classify(err, "refresh the marker of", url.clone());
            tracing::warn!("{err}");
        }
    }
}

impl Write for Upload {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.check_open().map_err(io::Error::from)?;
        if self.inner.stopped() {
            let err = RemoteError::interrupted("upload", self.url.clone());
            return Err(self.fail(err));
        }
        if data.is_empty() {
            return Ok(0);
        }
        if self.buf.capacity() == 0 {
            self.buf.reserve_exact(PART_SIZE);
        }
        let n = data.len().min(PART_SIZE - self.buf.len());
        self.buf.extend_from_slice(&data[..n]);
        self.written += n as u64;
        if self.buf.len() == PART_SIZE {
            if let Err(err) = self.send_part() {
                return Err(self.fail(err));
            }
        }
        Ok(n)
    }

    /// Does nothing: parts are sent when full, the rest by [`Upload::finish`].
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        if self.state != State::Done {
            let _ = self.abort_inner(true);
        }
    }
}

impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upload")
            .field("url", &self.url)
            .field("written", &self.written)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// The clean-up behind [`crate::Store::abort_stale_uploads`].
///
/// A recorded upload is aborted when it is not one of this process's running uploads and
/// either its owner is certainly gone (same host and boot, pid not running or reused; or the
/// host rebooted; or it was this process's and is no longer running) or its marker was last
/// written more than `max_age` ago by the server's clock (the owner stopped refreshing it).
/// Aborting a live upload elsewhere only makes that upload fail at completion; no stored
/// object is ever touched.
pub(crate) fn abort_stale(inner: &Inner, max_age: Duration) -> Result<Vec<String>, RemoteError> {
    let folder = inner.location.key_unchecked(MARKERS);
    let url = inner.location.url_of(MARKERS);
    let markers = list_all(inner, &folder, "clean up stale uploads in", &url)?;
    let me = Owner::me();
    let now = Utc::now();
    let mut aborted = Vec::new();
    for meta in markers {
        let marker_url = format!("s3://{}/{}", inner.location.bucket(), meta.location);
        let age = now
            .signed_duration_since(meta.last_modified)
            .to_std()
            .unwrap_or(Duration::ZERO);
        let s3 = Arc::clone(&inner.s3);
        let path = meta.location.clone();
        let body = match inner.call("read", marker_url.clone(), async move {
            s3.get(&path).await?.bytes().await
        }) {
            Ok(body) => body,
            Err(RemoteError::NotFound { .. }) => continue, // finished meanwhile
            Err(e) => return Err(e),
        };
        let marker: Marker = match serde_json::from_slice(&body) {
            Ok(marker) => marker,
            Err(_) => {
                // Not ours to interpret; remove it only once it is old.
                if age > max_age {
                    tracing::warn!("removing unreadable upload marker {marker_url}");
                    delete_path(inner, &meta.location, &marker_url)?;
                }
                continue;
            }
        };
        let running_here = marker.owner == me && live_contains(&marker.upload_id);
        if running_here {
            continue;
        }
        let owner_gone = marker.owner == me || marker.owner.is_gone(&me);
        if !(owner_gone || age > max_age) {
            continue;
        }
        let object_url = inner.location.url_of(&marker.name);
        let object = match inner.path(&marker.name) {
            Ok(object) => object,
            Err(_) => {
                tracing::warn!("upload marker {marker_url} names an invalid object; removing it");
                delete_path(inner, &meta.location, &marker_url)?;
                continue;
            }
        };
        let s3 = Arc::clone(&inner.s3);
        let id = marker.upload_id.clone();
        match inner.call("abort the upload of", object_url.clone(), async move {
            s3.abort_multipart(&object, &id).await
        }) {
            Ok(()) | Err(RemoteError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
        delete_path(inner, &meta.location, &marker_url)?;
        tracing::info!(
            "aborted the stale upload of {object_url} (started {}, {})",
            marker.started,
            if owner_gone {
                "its process is gone"
            } else {
                "its marker is too old"
            }
        );
        aborted.push(marker.name);
    }
    Ok(aborted)
}

fn delete_path(inner: &Inner, path: &Path, url: &str) -> Result<(), RemoteError> {
    let s3 = Arc::clone(&inner.s3);
    let path = path.clone();
    match inner.call(
        "delete",
        url.to_string(),
        async move { s3.delete(&path).await },
    ) {
        Ok(()) | Err(RemoteError::NotFound { .. }) => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_names_are_keys_under_the_marker_folder() {
        assert_eq!(
            marker_name("db/x.sql.gz", "a/b+c=="),
            ".uploads/db/x.sql.gz.a_b_c__"
        );
        assert!(is_marker_name(".uploads/x.1"));
        assert!(!is_marker_name(".uploadsx"));
        assert!(!is_marker_name("x/.uploads/y"));
    }

    #[test]
    fn this_process_is_not_gone_and_a_dead_pid_is() {
        let me = Owner::me();
        assert!(!me.is_gone(&me));
        let mut other = me.clone();
        other.start += 1; // same pid, different start: pid reused
        assert!(other.is_gone(&me));
        let mut remote = me.clone();
        remote.host = "elsewhere".into();
        remote.pid = u32::MAX - 1;
        assert!(
            !remote.is_gone(&me),
            "another host's process is never known to be gone"
        );
        let mut rebooted = me.clone();
        rebooted.boot_id = "other-boot".into();
        assert!(rebooted.is_gone(&me));
    }
}
