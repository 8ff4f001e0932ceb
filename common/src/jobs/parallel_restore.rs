//! Loading a parallel backup (`restore --jobs N`) into a fresh database, as `pg_restore -j` does
//! from a directory dump, but from the one plain file a person can also restore by hand.
//!
//! The manifest's member index says where each part lies. Every member is read on its own,
//! its bytes checked against the sha256 recorded for it (the members tile the whole file, so
//! together they check every byte), and decoded:
//!
//! 1. the schema (pre-data) through psql;
//! 2. the table data on N sessions, largest table first, each `COPY ... FROM STDIN` built from
//!    the table and columns the member names (never its text run as SQL), row counts checked;
//!    each table's indexes and keys as soon as its data is in, foreign keys as soon as both
//!    tables they join are built (see [`super::post_data`]);
//! 3. sequence values and large objects through psql once all data is in;
//! 4. the rest of the post-data section in the dump's order.
//!
//! The target is a database nobody sees until the caller renames it into place, so per-session
//! commits lose no safety: any failure leaves it to be dropped.

use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use sha2::{Digest, Sha256};

use dump::Event;

use super::post_data;
use crate::engine::conn::PgConn;
use crate::engine::pg::catalog::regclass_text;
use crate::engine::pg::{PgAdmin, PgTool};
use crate::engine::pipe::{self, Load, Source};
use crate::error::{Error, IoContext, Result};
use crate::store::archive::{Manifest, Member, MemberKind};
use crate::store::codec::Codec;

/// How the restoring sessions run: as which role, and what of the dump they leave out.
pub(crate) struct Session {
    /// Statements each session runs first (`SET ROLE`).
    pub preamble: String,
    /// What the script filter leaves out.
    pub script: dump::ScriptOptions,
}

/// Largest post-data section held in memory to be split into statements.
const MAX_POST_DATA: u64 = 1 << 30;

/// Checks that the members tile the file from its first byte to its last, in the order a
/// parallel backup writes them, and returns the file's codec.
pub(crate) fn check_members(file: &Path, manifest: &Manifest) -> Result<Codec> {
    let bad =
        |why: String| Error::Verify(format!("{}: {why}; refusing to restore", file.display()));
    let codec: Codec = manifest
        .codec
        .parse()
        .map_err(|e| bad(format!("the manifest's codec is unknown: {e}")))?;
    let mut at = 0u64;
    for m in &manifest.members {
        if m.offset != at {
            return Err(bad(format!(
                "member at {} does not follow the one before (ends at {at})",
                m.offset
            )));
        }
        at = m.offset.saturating_add(m.length);
    }
    if at != manifest.size {
        return Err(bad(format!(
            "the members end at byte {at}, the file has {}",
            manifest.size
        )));
    }
    let kinds: Vec<MemberKind> = manifest.members.iter().map(|m| m.kind).collect();
    if kinds.first() != Some(&MemberKind::PreData) || kinds.last() != Some(&MemberKind::PostData) {
        return Err(bad(
            "its members do not start with the schema and end with the post-data section".into(),
        ));
    }
    Ok(codec)
}

/// Reads one member's stored bytes, failing at its end when their length or sha256 differ from
/// the manifest's.
struct CheckedMember {
    inner: std::io::Take<crate::fs::StreamReader<std::fs::File>>,
    hasher: Sha256,
    seen: u64,
    want: (u64, String),
    what: String,
    checked: bool,
}

impl Read for CheckedMember {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0 {
            self.hasher.update(&buf[..n]);
            self.seen += n as u64;
            return Ok(n);
        }
        if !self.checked {
            self.checked = true;
            let sha = hex::encode(std::mem::take(&mut self.hasher).finalize());
            if self.seen != self.want.0 || sha != self.want.1 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "{}: checksum mismatch (the file was altered or damaged)",
                        self.what
                    ),
                ));
            }
        }
        Ok(0)
    }
}

/// The decoded bytes of one member, checked against its sha256 as they are read.
fn open_member(file: &Path, m: &Member, codec: Codec) -> Result<Box<dyn Read + Send>> {
    let mut f =
        std::fs::File::open(file).ctx(|| format!("cannot open backup {}", file.display()))?;
    f.seek(SeekFrom::Start(m.offset))
        .ctx(|| format!("cannot read backup {}", file.display()))?;
    let checked = CheckedMember {
        inner: crate::fs::StreamReader::new(f).take(m.length),
        hasher: Sha256::new(),
        seen: 0,
        want: (m.length, m.sha256.clone()),
        what: format!("{} (member at byte {})", file.display(), m.offset),
        checked: false,
    };
    crate::store::codec::decoder_send(codec, crate::fs::StreamReader::new(checked))
        .ctx(|| format!("cannot decode backup {}", file.display()))
}

/// Reads a whole member into memory (at most `max` bytes decoded).
fn read_member(file: &Path, m: &Member, codec: Codec, max: u64) -> Result<Vec<u8>> {
    if m.uncompressed > max {
        return Err(Error::Verify(format!(
            "{}: a member of {} bytes is larger than a parallel restore loads at once ({max})",
            file.display(),
            m.uncompressed
        )));
    }
    let mut data = Vec::with_capacity(m.uncompressed as usize);
    open_member(file, m, codec)?
        .take(max + 1)
        .read_to_end(&mut data)
        .map_err(|e| Error::verify_failed(file.display().to_string(), e))?;
    if data.len() as u64 != m.uncompressed {
        return Err(Error::Verify(format!(
            "{}: a member decodes to {} bytes, the manifest says {}",
            file.display(),
            data.len(),
            m.uncompressed
        )));
    }
    Ok(data)
}

/// Loads the backup into `conn` (a fresh, empty database) with `jobs` sessions. Returns the
/// bytes of SQL loaded.
pub(crate) fn load_parallel(
    file: &Path,
    manifest: &Manifest,
    psql: &PgTool,
    conn: &PgConn,
    jobs: usize,
    session: &Session,
) -> Result<u64> {
    let codec = check_members(file, manifest)?;
    let jobs = jobs.max(1);
    let members = &manifest.members;
    // One bar for the whole restore, advanced as each member is in.
    let bar = crate::progress::Bar::bytes(
        &format!("restore {}", manifest.file),
        Some(members.iter().map(|m| m.uncompressed).sum()),
    );
    let through_psql = |m: &Member, what: &str| -> Result<u64> {
        let loaded = pipe::load_into_psql(
            psql,
            conn,
            Load {
                source: Source::Reader(open_member(file, m, codec)?),
                masker: None,
                tee: None,
                preamble: &session.preamble,
                what: format!("{what} of the restore into {}", conn.redacted()),
                progress: None,
                part: true,
                script: session.script,
            },
        )?;
        bar.inc(m.uncompressed);
        Ok(loaded.bytes)
    };
    let mut bytes = 0;
    for m in members.iter().filter(|m| m.kind == MemberKind::PreData) {
        bytes += through_psql(m, "the schema")?;
    }
    // The post-data section is read (and checked) first: its statements are run as soon as the
    // tables they need are in.
    let mut plan = post_data::PostDataPlan::default();
    let mut post_bytes = 0;
    for m in members.iter().filter(|m| m.kind == MemberKind::PostData) {
        let text = read_member(file, m, codec, MAX_POST_DATA)?;
        post_bytes += m.uncompressed;
        bytes += text.len() as u64;
        plan = post_data::PostDataPlan::parse(&text, session.script.no_owner).map_err(|why| {
            Error::Verify(format!("{}: post-data section: {why}", file.display()))
        })?;
    }
    // Largest table first, each table's members in the file's order.
    let mut sizes: BTreeMap<String, u64> = BTreeMap::new();
    for m in members.iter().filter(|m| m.kind == MemberKind::TableData) {
        *sizes
            .entry(m.table.clone().unwrap_or_default())
            .or_default() += m.uncompressed;
    }
    let mut data: Vec<&Member> = members
        .iter()
        .filter(|m| m.kind == MemberKind::TableData)
        .collect();
    data.sort_by_key(|m| {
        let table = m.table.clone().unwrap_or_default();
        (
            std::cmp::Reverse(sizes.get(&table).copied().unwrap_or(0)),
            table,
            m.offset,
        )
    });
    let data = data
        .into_iter()
        .map(|m| post_data::DataTask {
            table: m.table.clone().unwrap_or_default(),
            item: m,
        })
        .collect();
    // Index builds get memory, shared between the sessions.
    let mem_mb = (1024 / jobs).clamp(64, 512);
    let sessions = post_data::Sessions {
        conn,
        jobs,
        setup: format!(
            "{}{} SET synchronous_commit = off; SET maintenance_work_mem = '{mem_mb}MB';",
            session.preamble,
            plan.settings()
        ),
        weight: &|t: &str| sizes.get(t).copied().unwrap_or(0),
        undone: "the restore was not completed",
        table_done: None,
    };
    let load = |db: &PgAdmin, m: &Member| load_member(file, codec, db, m, &bar);
    let sequences_and_large_objects = || -> Result<u64> {
        let mut bytes = 0;
        for m in members.iter().filter(|m| m.kind == MemberKind::Data) {
            bytes += through_psql(m, "sequence values and large objects")?;
        }
        Ok(bytes)
    };
    bytes += post_data::run(&sessions, data, plan, &load, &sequences_and_large_objects)?;
    bar.inc(post_bytes);
    Ok(bytes)
}

/// Loads one table-data member with one COPY, its row count checked against the manifest's.
///
/// The member is decoded and its rows parsed on a thread while the session sends them, so the
/// server never waits for a whole member to be decoded. Whatever fails there (damaged data, a
/// checksum that does not match at the member's end) makes the COPY's input fail, which aborts
/// the COPY.
fn load_member(
    file: &Path,
    codec: Codec,
    session: &PgAdmin,
    m: &Member,
    bar: &crate::progress::Bar,
) -> Result<u64> {
    match copy_member(file, codec, session, m, bar) {
        // A member that cannot be checked again keeps the first error.
        Err(e)
            if !matches!(e, Error::Interrupted { .. })
                && !member_intact(file, m).unwrap_or(true) =>
        {
            // Whatever failed first (the decoder, the rows, the server's parsing of damaged
            // rows), the cause is the damage: say so, and nothing of the rows.
            Err(Error::Verify(format!(
                "{}: member at byte {}: checksum mismatch (the file was altered or damaged)",
                file.display(),
                m.offset
            )))
        }
        done => done,
    }
}

/// Whether a member's stored bytes have the length and sha256 the manifest records.
fn member_intact(file: &Path, m: &Member) -> Result<bool> {
    let mut f =
        std::fs::File::open(file).ctx(|| format!("cannot open backup {}", file.display()))?;
    f.seek(SeekFrom::Start(m.offset))
        .ctx(|| format!("cannot read backup {}", file.display()))?;
    let mut hasher = Sha256::new();
    let seen = std::io::copy(&mut f.take(m.length), &mut hasher)
        .ctx(|| format!("cannot read backup {}", file.display()))?;
    Ok(seen == m.length && hex::encode(hasher.finalize()) == m.sha256)
}

/// [`load_member`]'s work, without the diagnosis of a failure.
fn copy_member(
    file: &Path,
    codec: Codec,
    session: &PgAdmin,
    m: &Member,
    bar: &crate::progress::Bar,
) -> Result<u64> {
    let bad = |why: &str| {
        Error::Verify(format!(
            "{}: member at byte {}: {why}",
            file.display(),
            m.offset
        ))
    };
    // The cause with its own causes (the decoder's, the file's).
    let broken = |e: &dump::DumpError| bad(&crate::error::chain(e));
    let input = crate::fs::StreamReader::new(open_member(file, m, codec)?);
    let mut reader = dump::DumpReader::new(input);
    // Only the comment and blank lines before the COPY.
    let sql = loop {
        match reader.next_event().map_err(|e| broken(&e))? {
            Some(Event::Sql(text)) => {
                if !only_comments(text) {
                    return Err(bad("holds SQL besides its COPY"));
                }
            }
            Some(Event::CopyStart { table, columns, .. }) => {
                if m.table.as_deref() != Some(table.to_string().as_str()) {
                    return Err(bad("its COPY is for another table than the manifest says"));
                }
                let cols = if columns.is_empty() {
                    String::new()
                } else {
                    let list: Vec<String> =
                        columns.iter().map(|c| dump::quote_identifier(c)).collect();
                    format!(" ({})", list.join(", "))
                };
                break format!("COPY {}{cols} FROM STDIN", regclass_text(table));
            }
            None => return Err(bad("holds no COPY")),
            Some(_) => return Err(bad("holds something other than one table's rows")),
        }
    };
    let (pipe_in, mut pipe_out) =
        std::io::pipe().map_err(|e| Error::io("cannot create a pipe", e))?;
    let failed = AtomicBool::new(false);
    let (copied, parsed) = std::thread::scope(|scope| {
        let failed = &failed;
        let parsing = scope.spawn(move || {
            let rows = reader.copy_rows_to(&mut pipe_out);
            if rows.is_err() {
                failed.store(true, Ordering::SeqCst);
            }
            drop(pipe_out);
            rows.map(|n| (n, reader))
        });
        let mut input = FailingAtEnd {
            inner: pipe_in,
            failed,
        };
        let copied = session.copy_in(&sql, &mut input);
        // A COPY the server refused leaves the thread writing into a closed pipe: it stops.
        drop(input);
        let parsed = parsing.join().unwrap_or_else(|_| {
            Err(dump::DumpError::Io {
                source: std::io::Error::other("the decoding thread panicked"),
                line: 0,
            })
        });
        (copied, parsed)
    });
    // The decoder's failure is the cause when both failed (the COPY only saw its input fail),
    // unless the decoder only found the pipe closed by the COPY's end.
    let (n, mut reader) = match (parsed, copied) {
        (Err(dump::DumpError::Write { .. }), Err(e)) => return Err(e),
        (parsed, copied) => {
            let done = parsed.map_err(|e| broken(&e))?;
            copied?;
            done
        }
    };
    while let Some(ev) = reader.next_event().map_err(|e| broken(&e))? {
        match ev {
            Event::CopyEnd(_) => {}
            Event::Sql(text) if only_comments(text) => {}
            Event::CopyStart { .. } => return Err(bad("holds more than one COPY")),
            _ => return Err(bad("holds something other than one table's rows")),
        }
    }
    let (decoded, _) = reader.position();
    if decoded != m.uncompressed {
        return Err(Error::Verify(format!(
            "{}: a member decodes to {decoded} bytes, the manifest says {}",
            file.display(),
            m.uncompressed
        )));
    }
    match m.rows {
        Some(want) if n == want => {
            bar.inc(m.uncompressed);
            Ok(decoded)
        }
        want => Err(bad(&format!(
            "{n} rows, the manifest says {}",
            want.unwrap_or(0)
        ))),
    }
}

/// Whether SQL text is only comment and blank lines.
fn only_comments(text: &[u8]) -> bool {
    text.split(|&b| b == b'\n')
        .all(|l| l.iter().all(u8::is_ascii_whitespace) || l.starts_with(b"--"))
}

/// A pipe's reading end that fails, instead of ending, when its writer gave up.
struct FailingAtEnd<'a> {
    inner: std::io::PipeReader,
    failed: &'a AtomicBool,
}

impl Read for FailingAtEnd<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() && self.failed.load(Ordering::SeqCst) {
            return Err(std::io::Error::other("the member could not be read whole"));
        }
        Ok(n)
    }
}
