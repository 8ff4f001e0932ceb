//! A backup being written: the stream compressed, hashed and counted on its way to a `.partial`
//! file, then committed with its manifest, the commit point. Dropped before that, it leaves
//! nothing behind.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::archive::{self, Content, Manifest, Member, MemberKind};
use super::codec::{Codec, Encoder, HashingWriter};
use super::target::{Sealing, Target};
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
    sink: Progress<Encoder<HashingWriter<Sealing>>>,
}

impl BackupWriter {
    /// Starts `<dir>/<name>_<now>...partial` (or an upload to a remote folder), encrypted to
    /// `recipients` when there are any. The caller holds the name's lock.
    pub fn create(
        dir: &Path,
        name: &str,
        content: Content,
        codec: Codec,
        threads: usize,
        recipients: &[seal::Recipient],
    ) -> Result<BackupWriter> {
        let (started_at, file_name, target) =
            new_target(dir, name, content, codec, !recipients.is_empty())?;
        let stored = Sealing::new(Target::create(&target)?, recipients, &target)?;
        let encoder = Encoder::new(codec, HashingWriter::new(stored), threads)
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
        commit_file(
            Named {
                dir: self.dir,
                name: self.name,
                file_name: self.file_name,
                content: self.content,
                codec: self.codec,
                started_at: self.started_at,
            },
            hashing,
            uncompressed_size,
            source,
            Vec::new(),
        )
    }
}

/// Where a backup being written goes and what it is.
struct Named {
    dir: PathBuf,
    name: String,
    file_name: String,
    content: Content,
    codec: Codec,
    started_at: DateTime<Utc>,
}

/// The first free file name for a backup of `name` started now, and its path.
fn new_target(
    dir: &Path,
    name: &str,
    content: Content,
    codec: Codec,
    sealed: bool,
) -> Result<(DateTime<Utc>, String, PathBuf)> {
    let started_at = Utc::now();
    let stamp = started_at.format("%Y%m%dT%H%M%SZ").to_string();
    let ext = format!(
        "{}{}",
        codec.extension(),
        if sealed { archive::SEALED } else { "" }
    );
    let mut file_name = archive::backup_file_name(name, started_at, content, &ext);
    let mut n = 1;
    while crate::store::folder::size(&dir.join(&file_name))?.is_some() {
        n += 1;
        file_name = archive::backup_file_name(name, started_at, content, &ext).replacen(
            &stamp,
            &format!("{stamp}-{n}"),
            1,
        );
    }
    let target = dir.join(&file_name);
    Ok((started_at, file_name, target))
}

/// Commits the written file (fsync, rename), then writes its manifest: the commit point. A stop
/// requested before the manifest is written leaves no backup.
fn commit_file(
    named: Named,
    hashing: HashingWriter<Sealing>,
    uncompressed_size: u64,
    source: ManifestSource,
    mut members: Vec<Member>,
) -> Result<(PathBuf, Manifest)> {
    let (stored, mut size, mut sha256) = hashing.finish();
    let (target, recipients, sealed) = stored.finish()?;
    if let Some((s, h)) = sealed {
        // The manifest checks the bytes as stored; members' offsets would be of the
        // plaintext, which an encrypted file does not show, so a restore reads it in order.
        size = s;
        sha256 = h;
        members.clear();
    }
    crate::error::stop_point("no backup was written")?;
    let path = target.commit()?;
    crate::testpoint::reach("backup.before-manifest");
    if let Err(e) = crate::error::stop_point("no backup was written") {
        crate::store::target::remove_stored(&path);
        return Err(e);
    }
    let manifest = Manifest {
        manifest_version: archive::MANIFEST_VERSION,
        tool: "backup-tool".into(),
        tool_version: crate::TOOL_VERSION.into(),
        name: named.name,
        file: named.file_name,
        engine: source.engine,
        source: source.source,
        server_version: source.server_version,
        dump_tool: source.dump_tool,
        content: named.content,
        codec: named.codec.to_string(),
        size,
        sha256,
        uncompressed_size,
        started_at: named.started_at,
        finished_at: Utc::now(),
        tables: source.tables,
        source_id: source.source_id,
        tags: source.tags,
        keep_until: source.keep_until,
        selection: source.selection,
        members,
        recipients,
    };
    if let Err(e) = archive::write_manifest(&named.dir, &manifest) {
        // Without its manifest the file is not a backup; do not leave it looking like one.
        crate::store::target::remove_stored(&path);
        return Err(e);
    }
    Ok((path, manifest))
}

/// One compressed member, ready to be appended to a [`MemberWriter`].
pub struct Block {
    /// What it holds.
    pub kind: MemberKind,
    /// The table whose rows it holds.
    pub table: Option<String>,
    /// The compressed bytes (a whole gzip member or zstd frame).
    pub bytes: Vec<u8>,
    /// Their sha256.
    pub sha256: String,
    /// Bytes before compression.
    pub uncompressed: u64,
    /// Rows in it.
    pub rows: Option<u64>,
}

impl Block {
    /// Compresses `data` as one whole member (on the caller's thread: blocks are compressed by
    /// the workers that produce them, in parallel).
    pub fn compress(
        codec: Codec,
        kind: MemberKind,
        table: Option<String>,
        rows: Option<u64>,
        data: &[u8],
    ) -> io::Result<Block> {
        use sha2::Digest;
        let bytes = super::codec::compress_whole(codec, data)?;
        let sha256 = hex::encode(sha2::Sha256::digest(&bytes));
        Ok(Block {
            kind,
            table,
            bytes,
            sha256,
            uncompressed: data.len() as u64,
            rows,
        })
    }
}

/// A backup written as a sequence of compressed members (a parallel backup, `--jobs`): each is
/// a whole gzip member or zstd frame, so the file decodes as one stream with `gunzip`/`zstd -d`,
/// and the manifest records where each lies so a parallel restore can read them apart.
/// Dropped without [`MemberWriter::commit`], it leaves nothing.
pub struct MemberWriter {
    named: Named,
    target: PathBuf,
    out: Option<HashingWriter<Sealing>>,
    members: Vec<Member>,
    uncompressed: u64,
    bar: crate::progress::Bar,
}

impl MemberWriter {
    /// Starts `<dir>/<name>_<now>...partial` (or an upload to a remote folder), encrypted to
    /// `recipients` when there are any. The caller holds the name's lock.
    pub fn create(
        dir: &Path,
        name: &str,
        content: Content,
        codec: Codec,
        recipients: &[seal::Recipient],
    ) -> Result<MemberWriter> {
        let (started_at, file_name, target) =
            new_target(dir, name, content, codec, !recipients.is_empty())?;
        let stored = Sealing::new(Target::create(&target)?, recipients, &target)?;
        Ok(MemberWriter {
            named: Named {
                dir: dir.to_path_buf(),
                name: name.to_string(),
                file_name,
                content,
                codec,
                started_at,
            },
            target,
            out: Some(HashingWriter::new(stored)),
            members: Vec::new(),
            uncompressed: 0,
            bar: crate::progress::Bar::bytes(&format!("backup {name}"), None),
        })
    }

    /// The final path of the backup.
    pub fn path(&self) -> &Path {
        &self.target
    }

    /// The compression of every member.
    pub fn codec(&self) -> Codec {
        self.named.codec
    }

    fn write_err(&self, e: io::Error) -> Error {
        Error::io(format!("cannot write backup {}", self.target.display()), e)
    }

    /// Appends a compressed member.
    pub fn append(&mut self, block: Block) -> Result<()> {
        crate::interrupt::check().map_err(|e| self.write_err(e))?;
        let Some(out) = self.out.as_mut() else {
            return Err(Error::Usage(
                "backup writer used after a failed member".into(),
            ));
        };
        let offset = out.bytes();
        if let Err(e) = out.write_all(&block.bytes) {
            self.out = None;
            return Err(self.write_err(e));
        }
        self.uncompressed += block.uncompressed;
        self.bar.inc(block.uncompressed);
        self.members.push(Member {
            kind: block.kind,
            table: block.table,
            offset,
            length: block.bytes.len() as u64,
            sha256: block.sha256,
            uncompressed: block.uncompressed,
            rows: block.rows,
        });
        Ok(())
    }

    /// Starts a member compressed as it is written (for pg_dump's sections, whose size is not
    /// known in advance), with `threads` compression threads.
    pub fn stream(&mut self, kind: MemberKind, threads: usize) -> Result<MemberStream<'_>> {
        let Some(out) = self.out.take() else {
            return Err(Error::Usage(
                "backup writer used after a failed member".into(),
            ));
        };
        let offset = out.bytes();
        let tap = Tap {
            out,
            hasher: <sha2::Sha256 as sha2::Digest>::new(),
            bytes: 0,
        };
        let enc = Encoder::new(self.named.codec, tap, threads).map_err(|e| self.write_err(e))?;
        Ok(MemberStream {
            enc: Some(enc),
            writer: self,
            kind,
            offset,
            input: 0,
        })
    }

    /// Commits the file, then writes its manifest with the member index (the commit point).
    pub fn commit(mut self, source: ManifestSource) -> Result<(PathBuf, Manifest)> {
        let Some(out) = self.out.take() else {
            return Err(Error::Usage(
                "backup writer used after a failed member".into(),
            ));
        };
        let uncompressed = self.uncompressed;
        commit_file(self.named, out, uncompressed, source, self.members)
    }
}

/// Counts and hashes one member's bytes on their way into the file.
struct Tap {
    out: HashingWriter<Sealing>,
    hasher: sha2::Sha256,
    bytes: u64,
}

impl Write for Tap {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.out.write(buf)?;
        sha2::Digest::update(&mut self.hasher, &buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// A member being compressed into the file; [`MemberStream::finish`] records it.
pub struct MemberStream<'a> {
    enc: Option<Encoder<Tap>>,
    writer: &'a mut MemberWriter,
    kind: MemberKind,
    offset: u64,
    input: u64,
}

impl MemberStream<'_> {
    /// Ends the member (its compression trailer) and records it in the index.
    pub fn finish(mut self) -> Result<()> {
        let Some(enc) = self.enc.take() else {
            return Err(Error::Usage("member already finished".into()));
        };
        let tap = enc.finish().map_err(|e| self.writer.write_err(e))?;
        self.writer.uncompressed += self.input;
        self.writer.members.push(Member {
            kind: self.kind,
            table: None,
            offset: self.offset,
            length: tap.bytes,
            sha256: hex::encode(sha2::Digest::finalize(tap.hasher)),
            uncompressed: self.input,
            rows: None,
        });
        self.writer.out = Some(tap.out);
        Ok(())
    }
}

impl Write for MemberStream<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        crate::interrupt::check()?;
        let enc = self
            .enc
            .as_mut()
            .ok_or_else(|| io::Error::other("member already finished"))?;
        let n = enc.write(buf)?;
        self.input += n as u64;
        self.writer.bar.inc(n as u64);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        match self.enc.as_mut() {
            Some(e) => e.flush(),
            None => Ok(()),
        }
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
