//! A parallel backup (`backup --jobs N`) that stays one plain SQL file.
//!
//! One session exports a snapshot and holds it (and an ACCESS SHARE lock on every table) to the
//! end, so every part is read at the same moment, as one pg_dump would read it. The file is a
//! sequence of compressed members, each a whole gzip member or zstd frame, so `gunzip < f | psql`
//! restores it by hand:
//!
//! 1. pg_dump's pre-data section (the schema);
//! 2. the table data, read by N sessions over the snapshot with `COPY ... TO STDOUT`, cut into
//!    blocks of a few MB at row boundaries and compressed by the worker that read them, each
//!    block its own `COPY ... FROM stdin` statement (tables larger than a share of the database
//!    are split by block ranges of their heap, PostgreSQL 14 and later, so two sessions share
//!    them); blocks go into the file as they are ready;
//! 3. the rest of pg_dump's data section: sequence values, large objects, extension tables;
//! 4. pg_dump's post-data section (indexes, constraints, triggers), which ends with pg_dump's
//!    completion line.
//!
//! The completion lines of parts 1 and 3 are left out, so a file cut at any member boundary still
//! reads as incomplete. The manifest records every member (kind, table, offset, length, sha256,
//! rows) for `restore --jobs`.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex};

use dump::QualifiedName;

use crate::engine::conn::{ChildAuth, PgConn};
use crate::engine::pg::ranges::{self, HeapRange};
use crate::engine::pg::{self, DumpOptions, PgAdmin, PgTool, PgVersion};
use crate::engine::process::ChildReader;
use crate::error::{Error, Result};
use crate::store::archive::MemberKind;
use crate::store::writer::{Block, MemberWriter};

/// Uncompressed size of one table-data block: a worker holds one block and its compressed copy.
/// `BACKUP_TOOLS_BLOCK_BYTES` changes it (tests use small blocks to get many members).
const BLOCK_BYTES: usize = 8 << 20;

fn block_bytes() -> usize {
    std::env::var("BACKUP_TOOLS_BLOCK_BYTES")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n >= 1024)
        .unwrap_or(BLOCK_BYTES)
}

/// One table whose data the workers read.
#[derive(Debug, Clone)]
struct Table {
    name: QualifiedName,
    /// `schema.table`, quoted as SQL needs it.
    sql_name: String,
    /// The column list of its COPY (generated columns left out, as pg_dump does), quoted.
    columns: String,
    /// Heap size in bytes, for the order of work and the split into ranges.
    bytes: u64,
}

/// One piece of work: a table, or one range of its heap blocks.
#[derive(Debug, Clone)]
struct Task {
    table: usize,
    /// One range of its heap; None for the whole table.
    range: Option<HeapRange>,
    bytes: u64,
}

/// What the parallel dump read.
pub(crate) struct Dumped {
    /// Rows per table.
    pub tables: BTreeMap<String, u64>,
}

/// Writes a parallel dump of `conn` into `writer`, with `jobs` sessions reading table data.
pub(crate) fn dump_parallel(
    conn: &PgConn,
    pg_dump: &PgTool,
    server: &PgVersion,
    jobs: usize,
    threads: usize,
    writer: &mut MemberWriter,
) -> Result<Dumped> {
    let holder = PgAdmin::connect(conn)?;
    holder.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
    let snapshot = holder
        .query_text("SELECT pg_export_snapshot()")?
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next())
        .ok_or_else(|| Error::postgres("the server did not export a snapshot"))?;
    let tables = list_tables(&holder, server)?;
    // No one may drop or alter a table while its parts are read (pg_dump takes the same locks).
    for chunk in tables.chunks(500) {
        let list: Vec<&str> = chunk.iter().map(|t| t.sql_name.as_str()).collect();
        holder.execute(&format!(
            "LOCK TABLE {} IN ACCESS SHARE MODE",
            list.join(", ")
        ))?;
    }
    let base = DumpOptions {
        snapshot: Some(snapshot.clone()),
        ..DumpOptions::default()
    };
    // The schema, the rest of the data section and the post-data section are dumped while the
    // tables are read (pg_dump spends most of that time waiting on catalog queries), held in
    // memory up to a bound; the schema is written first, the others after the tables' blocks.
    let pre = Section::start(pg_dump, conn, &base, &["--section=pre-data".into()])?;
    let mut rest: Vec<String> = vec!["--section=data".into()];
    rest.extend(
        tables
            .iter()
            .map(|t| format!("--exclude-table-data={}", table_pattern(&t.name))),
    );
    let rest = Section::start(pg_dump, conn, &base, &rest)?;
    let post = Section::start(pg_dump, conn, &base, &["--section=post-data".into()])?;

    let rows = read_tables(
        conn,
        &snapshot,
        &tables,
        server,
        jobs.max(1),
        writer,
        (pre, threads),
    )?;

    rest.write(conn, writer, MemberKind::Data, threads, false)?;
    post.write(conn, writer, MemberKind::PostData, threads, true)?;
    holder.execute("COMMIT")?;
    Ok(Dumped { tables: rows })
}

/// A pg_dump table pattern that matches exactly one table, whatever its name holds.
pub(crate) fn table_pattern(t: &QualifiedName) -> String {
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    format!(
        "{}.{}",
        q(t.schema.as_deref().unwrap_or("public")),
        q(&t.name)
    )
}

/// The tables whose rows pg_dump would write, with their COPY column lists and sizes.
fn list_tables(holder: &PgAdmin, server: &PgVersion) -> Result<Vec<Table>> {
    let generated = if server.major >= 12 {
        "AND a.attgenerated = ''"
    } else {
        ""
    };
    let rows = holder.query_text(&format!(
        "SELECT n.nspname, c.relname, quote_ident(n.nspname) || '.' || quote_ident(c.relname), \
                coalesce((SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) \
                          FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 \
                          AND NOT a.attisdropped {generated}), ''), \
                pg_relation_size(c.oid)::text \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind = 'r' AND c.relpersistence <> 't' \
           AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
           AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' \
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass \
                           AND d.objid = c.oid AND d.deptype = 'e') \
         ORDER BY 1, 2"
    ))?;
    let mut out = Vec::new();
    for r in rows {
        let [schema, name, sql_name, columns, bytes] = <[String; 5]>::try_from(r)
            .map_err(|_| Error::postgres("unexpected catalog row shape"))?;
        out.push(Table {
            name: QualifiedName {
                schema: Some(schema),
                name,
            },
            sql_name,
            columns,
            bytes: bytes.parse().unwrap_or(0),
        });
    }
    Ok(out)
}

/// Most of a section read ahead while the tables are read; pg_dump waits on its pipe beyond it.
const SECTION_AHEAD: usize = 32 << 20;

/// Compressed table blocks held while the schema is still being dumped.
const HELD_AHEAD: usize = 32 << 20;

/// A pg_dump of one section started early, its first [`SECTION_AHEAD`] bytes read by a thread.
struct Section {
    child: ChildReader,
    _auth: ChildAuth,
    ahead: std::thread::JoinHandle<io::Result<ReadAhead>>,
    /// Set once pg_dump's output was read to its end (or to the read-ahead's bound).
    read: std::sync::Arc<AtomicBool>,
}

/// The bytes read ahead, and the rest of pg_dump's output.
type ReadAhead = (Vec<u8>, Box<dyn io::Read + Send>);

impl Section {
    fn start(
        pg_dump: &PgTool,
        conn: &PgConn,
        base: &DumpOptions,
        extra: &[String],
    ) -> Result<Section> {
        let mut opts = base.clone();
        opts.extra = extra.to_vec();
        let (mut child, auth) = pg::spawn_dump(pg_dump, conn, &opts)?;
        let mut out = child.take_stdout();
        let read = std::sync::Arc::new(AtomicBool::new(false));
        let done = std::sync::Arc::clone(&read);
        let ahead = std::thread::spawn(move || {
            let mut buf = Vec::new();
            let got = (&mut out).take(SECTION_AHEAD as u64).read_to_end(&mut buf);
            done.store(true, Ordering::SeqCst);
            got?;
            Ok((buf, out))
        });
        Ok(Section {
            child,
            _auth: auth,
            ahead,
            read,
        })
    }

    /// Whether writing it waits no longer for pg_dump (its output read to the end, or to the
    /// read-ahead's bound).
    fn ready(&self) -> bool {
        self.read.load(Ordering::SeqCst)
    }

    /// Writes the section as one member (pg_dump's completion line kept only when `last`, so that
    /// only the whole file ends with it); returns the key of its `\restrict` line, if any.
    fn write(
        mut self,
        conn: &PgConn,
        writer: &mut MemberWriter,
        kind: MemberKind,
        threads: usize,
        last: bool,
    ) -> Result<Option<String>> {
        let read = self
            .ahead
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the reading thread panicked")));
        let (buf, rest) = match read {
            Ok(r) => r,
            Err(e) => {
                self.child.kill();
                return Err(Error::io("cannot read pg_dump's output", e));
            }
        };
        write_section(
            io::Cursor::new(buf).chain(rest),
            &mut self.child,
            conn,
            writer,
            kind,
            threads,
            last,
        )
    }
}

/// Writes a section read from `out` (the stdout of `child`) as one member and waits for pg_dump.
fn write_section(
    mut out: impl io::Read,
    child: &mut ChildReader,
    conn: &PgConn,
    writer: &mut MemberWriter,
    kind: MemberKind,
    threads: usize,
    last: bool,
) -> Result<Option<String>> {
    let target = writer.path().display().to_string();
    let mut stream = writer.stream(kind, threads)?;
    let mut cut = TrailerCut::new(&mut stream, !last);
    let copied = io::copy(&mut out, &mut cut);
    if let Err(e) = copied {
        child.kill();
        return Err(Error::io(format!("cannot write backup {target}"), e));
    }
    child.finish()?;
    let (complete, restrict) = cut
        .finish()
        .map_err(|e| Error::io(format!("cannot write backup {target}"), e))?;
    if !complete {
        return Err(Error::postgres(format!(
            "pg_dump output of {} ({kind:?}) ended without its completion line; the dump is incomplete",
            conn.redacted()
        )));
    }
    stream.finish()?;
    Ok(restrict)
}

/// Reads every table's rows with `jobs` sessions on the snapshot and appends them as blocks,
/// after the schema (its section, written on `threads`), whose pg_dump runs meanwhile: the
/// blocks read before it ends are held, up to [`HELD_AHEAD`].
fn read_tables(
    conn: &PgConn,
    snapshot: &str,
    tables: &[Table],
    server: &PgVersion,
    jobs: usize,
    writer: &mut MemberWriter,
    (schema, threads): (Section, usize),
) -> Result<BTreeMap<String, u64>> {
    let codec = writer.codec();
    let total: u64 = tables.iter().map(|t| t.bytes).sum();
    let range_bytes = ranges::range_bytes(total, jobs as u64 * 4);
    let mut tasks = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        let split = ranges::split(
            t.bytes,
            range_bytes,
            server.major,
            jobs,
            !t.columns.is_empty(),
        );
        if split.is_empty() {
            tasks.push(Task {
                table: i,
                range: None,
                bytes: t.bytes,
            });
            continue;
        }
        tracing::info!("reading {} in {} heap ranges", t.name, split.len());
        for r in split {
            let end = r.end.map_or(t.bytes, |e| e * 8192);
            tasks.push(Task {
                table: i,
                range: Some(r),
                bytes: end.saturating_sub(r.start * 8192),
            });
        }
    }
    // Largest first, so the last session is not left with the biggest piece.
    tasks.sort_by_key(|t| t.bytes);
    let queue = Mutex::new(tasks);
    let stop = AtomicBool::new(false);
    let block = block_bytes();
    let (tx, rx) = mpsc::sync_channel::<Result<Block>>(jobs * 2);
    let mut rows: BTreeMap<String, u64> = tables.iter().map(|t| (t.name.to_string(), 0)).collect();
    let mut first = true;
    let mut restricted = None;
    let result = std::thread::scope(|scope| -> Result<()> {
        for _ in 0..jobs {
            let tx = tx.clone();
            let queue = &queue;
            let stop = &stop;
            scope.spawn(move || {
                let work = || -> Result<()> {
                    let session = PgAdmin::connect(conn)?;
                    session.execute(&format!(
                        "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET TRANSACTION SNAPSHOT {}",
                        pg::quote_literal(snapshot)
                    ))?;
                    loop {
                        if stop.load(Ordering::SeqCst) {
                            return Ok(());
                        }
                        let next = queue.lock().ok().and_then(|mut q| q.pop());
                        let Some(task) = next else { break };
                        read_task(&session, &tables[task.table], &task, codec, block, &tx)?;
                    }
                    session.execute("COMMIT")
                };
                if let Err(e) = work() {
                    stop.store(true, Ordering::SeqCst);
                    let _ = tx.send(Err(e));
                }
            });
        }
        drop(tx);
        // Owned here, so that leaving early drops it and wakes workers waiting to send.
        let rx = rx;
        // The schema first, while the sessions already read: their blocks are held until it is
        // written, up to a bound (then the sessions wait).
        let mut held = Vec::new();
        let mut held_bytes = 0;
        while !schema.ready() && held_bytes < HELD_AHEAD {
            match rx.recv_timeout(std::time::Duration::from_millis(5)) {
                Ok(Ok(b)) => {
                    held_bytes += b.bytes.len();
                    held.push(b);
                }
                Ok(Err(e)) => {
                    stop.store(true, Ordering::SeqCst);
                    return Err(e);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        restricted = match schema.write(conn, writer, MemberKind::PreData, threads, false) {
            Ok(r) => r,
            Err(e) => {
                stop.store(true, Ordering::SeqCst);
                return Err(e);
            }
        };
        if let Some(key) = &restricted {
            // The table data runs under the same psql restriction as pg_dump's own parts: no
            // meta-command is obeyed until it ends.
            writer.append(meta_block(codec, &format!("\\restrict {key}\n\n"))?)?;
        }
        for block in held.into_iter().map(Ok).chain(rx.iter()) {
            let block = match block {
                Ok(b) => b,
                Err(e) => {
                    stop.store(true, Ordering::SeqCst);
                    return Err(e);
                }
            };
            if let (Some(t), Some(n)) = (&block.table, block.rows) {
                *rows.entry(t.clone()).or_insert(0) += n;
            }
            if let Err(e) = writer.append(block) {
                stop.store(true, Ordering::SeqCst);
                return Err(e);
            }
            if first {
                first = false;
                crate::testpoint::reach("backup.dumping");
            }
        }
        Ok(())
    });
    result?;
    crate::error::stop_point("no backup was written")?;
    if let Some(key) = restricted {
        writer.append(meta_block(codec, &format!("\\unrestrict {key}\n\n"))?)?;
    }
    Ok(rows)
}

/// A member of psql meta-commands (`\restrict`, `\unrestrict`) around the table data.
fn meta_block(codec: crate::store::codec::Codec, text: &str) -> Result<Block> {
    Block::compress(codec, MemberKind::Meta, None, None, text.as_bytes())
        .map_err(|e| Error::io("cannot compress", e))
}

/// Reads one task's rows and sends them on as compressed blocks.
fn read_task(
    session: &PgAdmin,
    table: &Table,
    task: &Task,
    codec: crate::store::codec::Codec,
    block: usize,
    tx: &mpsc::SyncSender<Result<Block>>,
) -> Result<()> {
    let sql = ranges::copy_out_sql(&table.sql_name, &table.columns, task.range);
    let header = format!(
        "\n--\n-- Data for Name: {}; Type: TABLE DATA; Schema: {}\n--\n\n{}",
        table.name.name.replace('\n', " "),
        table
            .name
            .schema
            .as_deref()
            .unwrap_or("public")
            .replace('\n', " "),
        ranges::copy_in_line(&table.sql_name, &table.columns)
    );
    let mut sink = Blocks {
        header,
        table: table.name.to_string(),
        buf: Vec::with_capacity(block + 64 * 1024),
        start: 0,
        block,
        codec,
        tx,
        sent_any: false,
    };
    sink.reset();
    session.copy_out(&sql, &mut sink)?;
    sink.seal(true)
        .map_err(|e| Error::io(format!("cannot compress the rows of {}", table.name), e))?;
    Ok(())
}

/// Cuts a table's COPY output into blocks at row boundaries, each a whole COPY statement.
struct Blocks<'a> {
    header: String,
    table: String,
    buf: Vec<u8>,
    /// Where the rows start in `buf` (after the header).
    start: usize,
    block: usize,
    codec: crate::store::codec::Codec,
    tx: &'a mpsc::SyncSender<Result<Block>>,
    sent_any: bool,
}

impl Blocks<'_> {
    fn reset(&mut self) {
        self.buf.clear();
        self.buf.extend_from_slice(self.header.as_bytes());
        self.start = self.buf.len();
    }

    /// Ends the block at the last complete row and sends it; `last` sends what is left (an
    /// empty COPY for an empty table, so that the table is there however it is restored).
    fn seal(&mut self, last: bool) -> io::Result<()> {
        let end = if last {
            if self.buf.len() > self.start && self.buf.last() != Some(&b'\n') {
                return Err(io::Error::other(
                    "the server's COPY output ended inside a row",
                ));
            }
            self.buf.len()
        } else {
            match memchr::memrchr(b'\n', &self.buf[self.start..]) {
                Some(i) => self.start + i + 1,
                None => return Ok(()),
            }
        };
        if last && self.sent_any && end == self.start {
            return Ok(());
        }
        let rest = self.buf.split_off(end);
        let rows = &self.buf[self.start..];
        let n = count_rows(rows)?;
        self.buf.extend_from_slice(b"\\.\n\n");
        let block = Block::compress(
            self.codec,
            MemberKind::TableData,
            Some(self.table.clone()),
            Some(n),
            &self.buf,
        )?;
        self.sent_any = true;
        self.tx
            .send(Ok(block))
            .map_err(|_| io::Error::other("the backup writer stopped"))?;
        self.reset();
        self.buf.extend_from_slice(&rest);
        Ok(())
    }
}

/// The rows (lines) of whole COPY text, in one pass that also refuses an end-of-data line: COPY
/// text escapes every backslash, so a line that is exactly `\.` cannot be data, and a server that
/// sent one would end the block early for whoever restores it.
fn count_rows(rows: &[u8]) -> io::Result<u64> {
    let ends_data = |line: &[u8]| line.starts_with(b"\\.\n") || line.starts_with(b"\\.\r");
    if ends_data(rows) {
        return Err(end_of_data());
    }
    let mut n = 0u64;
    for i in memchr::memchr_iter(b'\n', rows) {
        n += 1;
        if rows.get(i + 1) == Some(&b'\\') && ends_data(&rows[i + 1..]) {
            return Err(end_of_data());
        }
    }
    Ok(n)
}

fn end_of_data() -> io::Error {
    io::Error::other("the server's COPY output holds an end-of-data line")
}

impl Write for Blocks<'_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() - self.start >= self.block {
            self.seal(false)?;
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// pg_dump's completion trailer: the comment block that ends a complete dump.
const TRAILER: &[u8] = b"--\n-- PostgreSQL database dump complete\n--\n";

/// Bytes held back from the end of a pg_dump stream, enough for its trailer and `\unrestrict`.
const HOLD: usize = 4096;

/// Passes a pg_dump stream on, holding back its end: [`TrailerCut::finish`] checks it ends with
/// pg_dump's completion trailer and, when asked, leaves the trailer out (keeping the
/// `\unrestrict` line after it). It also notes the `\restrict` key at the start.
struct TrailerCut<W: Write> {
    inner: W,
    held: Vec<u8>,
    head: Vec<u8>,
    cut: bool,
}

impl<W: Write> TrailerCut<W> {
    fn new(inner: W, cut: bool) -> Self {
        TrailerCut {
            inner,
            held: Vec::new(),
            head: Vec::new(),
            cut,
        }
    }

    /// Writes what was held back; returns whether the stream ended with the trailer, and the
    /// `\restrict` key if it started with one.
    fn finish(mut self) -> io::Result<(bool, Option<String>)> {
        let restrict = self
            .head
            .split(|&b| b == b'\n')
            .find_map(|l| l.strip_prefix(b"\\restrict "))
            .map(|k| String::from_utf8_lossy(k).trim().to_string())
            .filter(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric()));
        let Some(at) = memchr::memmem::rfind(&self.held, TRAILER) else {
            self.inner.write_all(&self.held)?;
            return Ok((false, restrict));
        };
        let after = &self.held[at + TRAILER.len()..];
        let only_end = after
            .split(|&b| b == b'\n')
            .all(|l| l.iter().all(|b| b.is_ascii_whitespace()) || l.starts_with(b"\\unrestrict "));
        let starts_line = at == 0 || self.held[at - 1] == b'\n';
        if !(only_end && starts_line) {
            self.inner.write_all(&self.held)?;
            return Ok((false, restrict));
        }
        if self.cut {
            self.inner.write_all(&self.held[..at])?;
            self.inner.write_all(&self.held[at + TRAILER.len()..])?;
        } else {
            self.inner.write_all(&self.held)?;
        }
        self.inner.flush()?;
        Ok((true, restrict))
    }
}

impl<W: Write> Write for TrailerCut<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.head.len() < HOLD {
            let n = (HOLD - self.head.len()).min(buf.len());
            self.head.extend_from_slice(&buf[..n]);
        }
        self.held.extend_from_slice(buf);
        if self.held.len() > 2 * HOLD {
            let n = self.held.len() - HOLD;
            self.inner.write_all(&self.held[..n])?;
            self.held.drain(..n);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn cut(input: &[u8], drop_trailer: bool) -> (Vec<u8>, bool, Option<String>) {
        let mut out = Vec::new();
        let mut c = TrailerCut::new(&mut out, drop_trailer);
        for chunk in input.chunks(7) {
            c.write_all(chunk).unwrap();
        }
        let (ok, key) = c.finish().unwrap();
        (out, ok, key)
    }

    #[test]
    fn rows_are_counted_and_an_end_of_data_line_refused_anywhere() {
        assert_eq!(count_rows(b"").unwrap(), 0);
        assert_eq!(count_rows(b"1\ta\n2\t\\\\.\n\\N\tx\n").unwrap(), 3);
        // A backslash-dot inside a row, or a line that only starts so, is data.
        assert_eq!(count_rows(b"\\.x\n1\t\\.\n").unwrap(), 2);
        for bad in [
            &b"\\.\n1\n"[..],
            b"\\.\r\n",
            b"1\n\\.\n2\n",
            b"1\n2\n\\.\r\n",
        ] {
            assert!(count_rows(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_trailer_is_left_out_and_the_unrestrict_line_kept() {
        let dump = b"--\n-- PostgreSQL database dump\n--\n\n\\restrict Ab12\n\nSET x = 1;\n\n--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict Ab12\n\n";
        let (out, ok, key) = cut(dump, true);
        assert!(ok);
        assert_eq!(key.as_deref(), Some("Ab12"));
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains("dump complete"), "{text}");
        assert!(
            text.ends_with("SET x = 1;\n\n\n\\unrestrict Ab12\n\n"),
            "{text:?}"
        );
        let (out, ok, _) = cut(dump, false);
        assert!(ok);
        assert_eq!(out, dump.to_vec());
    }

    #[test]
    fn a_stream_without_its_trailer_is_incomplete_and_passes_unchanged() {
        let dump = b"SET x = 1;\nCREATE TABLE t (a int);\n";
        let (out, ok, key) = cut(dump, true);
        assert!(!ok);
        assert_eq!(key, None);
        assert_eq!(out, dump.to_vec());
        // A trailer quoted inside a statement is not the end of the dump.
        let tricky = b"COMMENT ON TABLE t IS '\n--\n-- PostgreSQL database dump complete\n--\n';\n";
        let (out, ok, _) = cut(tricky, true);
        assert!(!ok);
        assert_eq!(out, tricky.to_vec());
    }
}
