//! A backup being written: the stream compressed, hashed and counted on its way to a `.partial`
//! file, then committed with its manifest, the commit point. Dropped before that, it leaves
//! nothing behind.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::archive::{self, Content, Manifest, PartialFile};
use super::codec::{Codec, Encoder, HashingWriter};
use crate::engine::conn::Engine;
use crate::error::{Error, IoContext, Result};

/// Writer adapter counting bytes, and logging progress every few seconds for long dumps.
struct Progress<W> {
    inner: W,
    bytes: u64,
    started: Instant,
    last_log: Instant,
    label: String,
    bar: crate::progress::Bar,
}

impl<W: Write> Write for Progress<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        crate::interrupt::check()?;
        let n = self.inner.write(buf)?;
        if self.bytes == 0 {
            crate::testpoint::reach("backup.dumping");
        }
        self.bytes += n as u64;
        self.bar.inc(n as u64);
        if self.last_log.elapsed() >= Duration::from_secs(10) {
            self.last_log = Instant::now();
            let secs = self.started.elapsed().as_secs_f64().max(0.001);
            tracing::info!(
                "{}: {:.1} MB dumped ({:.1} MB/s)",
                self.label,
                self.bytes as f64 / 1e6,
                self.bytes as f64 / 1e6 / secs
            );
        }
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// What the manifest says about where a backup came from.
#[derive(Debug, Clone)]
pub struct ManifestSource {
    /// Source engine.
    pub engine: Engine,
    /// Source, redacted.
    pub source: String,
    /// Server or library version.
    pub server_version: String,
    /// Program and version that produced the stream.
    pub dump_tool: String,
    /// Rows per table, if counted.
    pub tables: Option<BTreeMap<String, u64>>,
    /// What the source is (see [`Manifest::source_id`]).
    pub source_id: Option<String>,
    /// Labels (`--tag`).
    pub tags: Vec<String>,
    /// Pinned until (`--keep-for`).
    pub keep_until: Option<DateTime<Utc>>,
    /// Table selection given to pg_dump.
    pub selection: Vec<String>,
}

/// A backup being written: compressed, hashed and counted on the way to a `.partial` file, and
/// committed with its manifest. Dropped without [`BackupWriter::commit`], it leaves nothing.
pub struct BackupWriter {
    dir: PathBuf,
    name: String,
    file_name: String,
    target: PathBuf,
    content: Content,
    codec: Codec,
    started_at: DateTime<Utc>,
    sink: Progress<Encoder<HashingWriter<PartialFile>>>,
}

impl BackupWriter {
    /// Starts `<dir>/<name>_<now>...partial`. The caller holds the name's lock.
    pub fn create(
        dir: &Path,
        name: &str,
        content: Content,
        codec: Codec,
        threads: usize,
    ) -> Result<BackupWriter> {
        let started_at = Utc::now();
        let stamp = started_at.format("%Y%m%dT%H%M%SZ").to_string();
        let mut file_name = archive::backup_file_name(name, started_at, content, codec.extension());
        let mut n = 1;
        while dir.join(&file_name).exists() {
            n += 1;
            file_name = archive::backup_file_name(name, started_at, content, codec.extension())
                .replacen(&stamp, &format!("{stamp}-{n}"), 1);
        }
        let target = dir.join(&file_name);
        let partial = PartialFile::create(&target)?;
        let encoder = Encoder::new(codec, HashingWriter::new(partial), threads)
            .ctx(|| format!("cannot start compression for {}", target.display()))?;
        Ok(BackupWriter {
            dir: dir.to_path_buf(),
            name: name.to_string(),
            file_name: file_name.clone(),
            target,
            content,
            codec,
            started_at,
            sink: Progress {
                inner: encoder,
                bytes: 0,
                started: Instant::now(),
                last_log: Instant::now(),
                bar: crate::progress::Bar::bytes(&format!("backup {name}"), None),
                label: file_name,
            },
        })
    }

    /// The final path of the backup.
    pub fn path(&self) -> &Path {
        &self.target
    }

    /// Finishes compression, commits the file, then writes its manifest (the commit point).
    pub fn commit(self, source: ManifestSource) -> Result<(PathBuf, Manifest)> {
        let write_err =
            |e: io::Error| Error::io(format!("cannot write backup {}", self.target.display()), e);
        let uncompressed_size = self.sink.bytes;
        let hashing = self.sink.inner.finish().map_err(write_err)?;
        let (partial, size, sha256) = hashing.finish();
        crate::error::stop_point("no backup was written")?;
        let path = partial.commit()?;
        crate::testpoint::reach("backup.before-manifest");
        if let Err(e) = crate::error::stop_point("no backup was written") {
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
        let manifest = Manifest {
            manifest_version: archive::MANIFEST_VERSION,
            tool: "backup-tool".into(),
            tool_version: crate::TOOL_VERSION.into(),
            name: self.name,
            file: self.file_name,
            engine: source.engine,
            source: source.source,
            server_version: source.server_version,
            dump_tool: source.dump_tool,
            content: self.content,
            codec: self.codec.to_string(),
            size,
            sha256,
            uncompressed_size,
            started_at: self.started_at,
            finished_at: Utc::now(),
            tables: source.tables,
            source_id: source.source_id,
            tags: source.tags,
            keep_until: source.keep_until,
            selection: source.selection,
        };
        if let Err(e) = archive::write_manifest(&self.dir, &manifest) {
            // Without its manifest the file is not a backup; do not leave it looking like one.
            let _ = std::fs::remove_file(&path);
            return Err(e);
        }
        Ok((path, manifest))
    }
}

impl Write for BackupWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.sink.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.sink.flush()
    }
}
