//! Copying tables in parallel for `sync-tool run --jobs N`.
//!
//! One source transaction exports a snapshot and stays open while every pg_dump and every copying
//! session uses it, so all
//! tables are copied from the same moment, as one `pg_dump` would. The schema goes first
//! (`--section=pre-data`), then N workers each take the largest table left (or a heap range of a
//! big one) and stream `COPY ... TO STDOUT` on a session of the snapshot, framed as pg_dump
//! frames a table's data, through the masker into `COPY ... FROM STDIN` on the worker's own
//! session of the incoming database; the post-data section (read first) runs on
//! the same workers, each table's indexes as soon as its data is in and foreign keys once both
//! tables they join are built (see [`crate::jobs::post_data`]). The target is a fresh database,
//! so per-table transactions lose no safety: a failure anywhere drops the whole database (see
//! `sync`).

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::sync::Mutex;

use dump::QualifiedName;
use mask::Masker;

use super::request::SyncRequest;
use crate::engine::conn::PgConn;
use crate::engine::pg::catalog::regclass_text;
use crate::engine::pg::ranges::{self, HeapRange};
use crate::engine::pg::{self, DumpOptions, PgAdmin, PgTool};
use crate::engine::pipe::{self, Load, Source};
use crate::error::{Error, Result};
use crate::jobs::live::columns::data_columns;
use crate::jobs::post_data;

/// Streams one pg_dump section straight into psql (no data in it, so nothing to mask).
fn copy_section(
    pg_dump: &PgTool,
    psql: &PgTool,
    src: &PgConn,
    dst: &PgConn,
    base: &DumpOptions,
    section: &str,
) -> Result<()> {
    let mut opts = base.clone();
    opts.extra = vec![format!("--section={section}")];
    let (dump, _auth) = pg::spawn_dump(pg_dump, src, &opts)?;
    pipe::load_into_psql(
        psql,
        dst,
        Load {
            source: Source::Dump(dump),
            masker: None,
            tee: None,
            preamble: "",
            what: format!("the {section} section of {}", dst.redacted()),
            progress: Some(crate::progress::Bar::bytes(
                &format!("sync {section}"),
                None,
            )),
            part: false,
            script: dump::ScriptOptions::default(),
        },
    )?;
    Ok(())
}

/// What one worker copies: the rows of a table in a range of heap blocks (the last range
/// open-ended; a whole table is the range from block 0), with COPY on a session of the snapshot.
struct Piece {
    table: QualifiedName,
    columns: Vec<String>,
    range: Option<HeapRange>,
}

/// Copies one piece of a table (a heap range, or all of it): `COPY ... TO STDOUT` on a session
/// that uses the snapshot, framed as the COPY statement pg_dump would write, masked, and loaded
/// with `COPY ... FROM STDIN` on the worker's own session of the incoming database (one
/// statement, so one transaction). The load is finished only when the masker has passed the
/// whole piece, end-of-data line included; a piece cut short (the source failed, the masker
/// refused a value, a stop) aborts its COPY, which leaves nothing.
fn copy_range(
    req: &SyncRequest,
    piece: &Piece,
    snapshot: &str,
    src: &PgConn,
    target: &PgAdmin,
) -> Result<Copied> {
    let Piece {
        table: t,
        columns,
        range,
    } = piece;
    let session = PgAdmin::connect(src)?;
    // As pg_dump does: row security off, so that a policy hiding rows fails the copy instead of
    // leaving rows out.
    session.execute(&format!(
        "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET TRANSACTION SNAPSHOT {}; \
         SET LOCAL row_security = off",
        pg::quote_literal(snapshot)
    ))?;
    let cols: Vec<String> = columns.iter().map(|c| dump::quote_identifier(c)).collect();
    let cols = cols.join(", ");
    let table = regclass_text(t);
    let sql = ranges::copy_out_sql(&table, &cols, *range);
    // The masker reads the piece as pg_dump frames a table's data; the load takes the rows
    // between the frame's lines. COPY text from the driver is UTF-8, as the loading session is.
    let header = ranges::copy_in_line(&table, &cols);
    let copy_in = header.trim_end().trim_end_matches(';').to_string();
    let what = match range {
        Some(r) => format!(
            "table {t} (blocks from {}) of {}",
            r.start,
            target.conn().redacted()
        ),
        None => format!("table {t} of {}", target.conn().redacted()),
    };
    let (pipe_in, pipe_out) = std::io::pipe().map_err(|e| Error::io("cannot create a pipe", e))?;
    // The server sends one message per row: written on in large pieces, not one per row.
    let mut pipe_out = std::io::BufWriter::with_capacity(crate::fs::STREAM_BUF, pipe_out);
    let (chunks, rows_in) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
    let mut masker =
        Masker::new(&req.mask.rules.only(t), req.mask.context()?)?.allow_incomplete(true);
    let skip = header.len();
    std::thread::scope(|scope| {
        let reading = scope.spawn(move || -> Result<()> {
            pipe_out
                .write_all(header.as_bytes())
                .map_err(|e| Error::io("cannot pass COPY data on", e))?;
            if range.is_some() {
                session.copy_out(&sql, &mut FirstRows(&mut pipe_out, true))?;
            } else {
                session.copy_out(&sql, &mut pipe_out)?;
            }
            pipe_out
                .write_all(b"\\.\n")
                .and_then(|()| pipe_out.flush())
                .map_err(|e| Error::io("cannot pass COPY data on", e))?;
            session.execute("COMMIT")
        });
        let masking = scope.spawn(move || {
            let mut out = Unframed::new(skip, chunks);
            let ran = masker
                .run(crate::fs::StreamReader::new(pipe_in), &mut out)
                .map_err(Box::new)
                .and_then(|report| {
                    out.finish()
                        .map(|()| report)
                        .map_err(|e| Box::new(mask::MaskError::Write(e)))
                });
            // The load saw its end (or its reader gone) before this: a failure to pass rows on
            // then means the load failed first.
            let load_gone = out.load_gone;
            (ran, load_gone)
        });
        let mut rows_in = RowsIn { rx: rows_in };
        let loaded = target.copy_in_chunks(&copy_in, &mut || rows_in.next());
        drop(rows_in);
        let (masked, load_gone) = masking.join().unwrap_or_else(|_| {
            (
                Err(Box::new(mask::MaskError::Write(std::io::Error::other(
                    "the masker panicked",
                )))),
                false,
            )
        });
        let read = reading
            .join()
            .unwrap_or_else(|_| Err(Error::postgres("a reading session panicked")));
        if crate::interrupt::requested() && (read.is_err() || masked.is_err() || loaded.is_err()) {
            return Err(Error::interrupted(format!("{what} was rolled back")));
        }
        // The cause first: the source's own error (the masker then saw its input cut short),
        // then the masker's unless it only found the load gone, then the load's.
        if matches!(read, Err(Error::Postgres { .. })) && (loaded.is_err() || masked.is_err()) {
            return read.map(|()| Copied::default());
        }
        let report = match (masked, loaded) {
            (Err(_), Err(e)) if load_gone => return Err(e),
            (Err(e), _) => {
                return Err(match *e {
                    mask::MaskError::Write(w) => {
                        Error::io(format!("cannot pass the masked rows on for {what}"), w)
                    }
                    other => Error::from(other),
                })
            }
            (Ok(_), Err(e)) => return Err(e),
            (Ok(report), Ok(rows)) => {
                read?;
                let masked_rows = report.tables.get(t).map(|s| s.rows).unwrap_or(0);
                if rows != masked_rows {
                    return Err(Error::Verify(format!(
                        "{what}: {masked_rows} rows masked but {rows} loaded"
                    )));
                }
                report
            }
        };
        Ok(Copied {
            rows: BTreeMap::from([(
                t.to_string(),
                report.tables.get(t).map(|s| s.rows).unwrap_or(0),
            )]),
            bytes: report.bytes_in,
            masked_values: report.tables.values().map(|s| s.masked_values).sum(),
            counted: BTreeMap::new(),
        })
    })
}

/// The masker's output for one piece, passed on as the rows of one COPY: the COPY line in front
/// (`skip` bytes, the masker's input starts with it) and the end-of-data line behind are taken
/// off. Rows go to the load in chunks; an empty chunk says the piece ended whole, which
/// [`Unframed::finish`] sends only after checking the end-of-data line.
struct Unframed {
    skip: usize,
    held: Vec<u8>,
    tx: std::sync::mpsc::SyncSender<Vec<u8>>,
    load_gone: bool,
}

/// The end-of-data line of a COPY in a dump.
const END_OF_DATA: &[u8] = b"\\.\n";

impl Unframed {
    fn new(skip: usize, tx: std::sync::mpsc::SyncSender<Vec<u8>>) -> Self {
        Unframed {
            skip,
            held: Vec::with_capacity(crate::engine::pg::admin::COPY_CHUNK + END_OF_DATA.len()),
            tx,
            load_gone: false,
        }
    }

    /// Sends what is held except its last bytes (which may be the end-of-data line).
    fn send_held(&mut self, keep: usize) -> std::io::Result<()> {
        let n = self.held.len().saturating_sub(keep);
        if n == 0 {
            return Ok(());
        }
        let rest = self.held.split_off(n);
        let chunk = std::mem::replace(&mut self.held, rest);
        self.held.reserve(crate::engine::pg::admin::COPY_CHUNK);
        if self.tx.send(chunk).is_err() {
            self.load_gone = true;
            return Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        }
        Ok(())
    }

    /// Checks that the piece ended with the end-of-data line and hands the rest on.
    fn finish(&mut self) -> std::io::Result<()> {
        if self.skip > 0 || !self.held.ends_with(END_OF_DATA) {
            return Err(std::io::Error::other(
                "the masked piece does not end with the end-of-data line",
            ));
        }
        self.held.truncate(self.held.len() - END_OF_DATA.len());
        self.send_held(0)?;
        if self.tx.send(Vec::new()).is_err() {
            self.load_gone = true;
            return Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        }
        Ok(())
    }
}

impl Write for Unframed {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let skipped = self.skip.min(buf.len());
        self.skip -= skipped;
        self.held.extend_from_slice(&buf[skipped..]);
        if self.held.len() >= crate::engine::pg::admin::COPY_CHUNK + END_OF_DATA.len() {
            self.send_held(END_OF_DATA.len())?;
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The load's side of [`Unframed`]: chunks until the empty one; the masker gone without it is
/// an error, which aborts the COPY.
struct RowsIn {
    rx: std::sync::mpsc::Receiver<Vec<u8>>,
}

impl RowsIn {
    fn next(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        match self.rx.recv() {
            Ok(chunk) if chunk.is_empty() => Ok(None),
            Ok(chunk) => Ok(Some(chunk)),
            Err(_) => Err(std::io::Error::other(
                "the masked rows ended before the end of the piece",
            )),
        }
    }
}

/// A range's COPY output, passing the first rows on before the fault suite's stopping point
/// `sync.range-copying` (the source's session is then in the middle of its COPY).
struct FirstRows<'a, W: Write>(&'a mut W, bool);

impl<W: Write> Write for FirstRows<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.0.write(buf)?;
        if std::mem::take(&mut self.1) {
            crate::testpoint::reach("sync.range-copying");
        }
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// What the parallel copy streamed.
#[derive(Debug, Default)]
pub struct Copied {
    /// Rows per table.
    pub rows: BTreeMap<String, u64>,
    /// Bytes of SQL streamed (data sections).
    pub bytes: u64,
    /// Values masked.
    pub masked_values: u64,
    /// Rows counted in the copy, per table, once each was in and built.
    pub counted: BTreeMap<String, u64>,
}

/// Copies schema, data (N tables at a time) and post-data objects.
pub fn copy_parallel(
    req: &SyncRequest,
    src: &PgConn,
    pg_dump: &PgTool,
    psql: &PgTool,
    incoming: &PgConn,
) -> Result<Copied> {
    let holder = PgAdmin::connect(src)?;
    holder.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
    let snapshot = holder
        .query_text("SELECT pg_export_snapshot()")?
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next())
        .ok_or_else(|| Error::postgres("the source did not export a snapshot"))?;
    let base = DumpOptions {
        no_owner: true,
        no_privileges: true,
        snapshot: Some(snapshot.clone()),
        extra: Vec::new(),
    };
    // The post-data section is read while the schema loads: each table's indexes are built as
    // soon as its data is in, while other tables still copy.
    let read_post_data = || -> Result<Vec<u8>> {
        let mut opts = base.clone();
        opts.extra = vec!["--section=post-data".into()];
        let (mut dump, _auth) = pg::spawn_dump(pg_dump, src, &opts)?;
        let mut text = Vec::new();
        let read = dump.take_stdout().read_to_end(&mut text);
        dump.finish()?;
        read.map_err(|e| Error::io("cannot read pg_dump's post-data section", e))?;
        Ok(text)
    };
    let (pre, post) = std::thread::scope(|scope| {
        let post = scope.spawn(read_post_data);
        let pre = copy_section(pg_dump, psql, src, incoming, &base, "pre-data");
        let post = post
            .join()
            .unwrap_or_else(|_| Err(Error::postgres("reading the post-data section panicked")));
        (pre, post)
    });
    pre?;
    let plan = post_data::PostDataPlan::parse(&post?, false).map_err(|why| {
        Error::Verify(format!(
            "pg_dump's post-data section of {}: {why}",
            src.redacted()
        ))
    })?;
    // Largest tables first, so the last worker is not left with the biggest one; a table larger
    // than a share of the database is copied in heap ranges (PostgreSQL 14 and later read only a
    // range's blocks) by several workers at once, so that it is not the one that decides when
    // the copy ends.
    // Listed in the snapshot: exactly the tables pg_dump's sections see.
    let sizes = holder.table_sizes()?;
    let infos = holder.tables()?;
    let mut tables: Vec<(QualifiedName, i64, Vec<String>)> = infos
        .into_iter()
        .map(|t| {
            let size = sizes.get(&t.name).copied().unwrap_or(0);
            let cols = data_columns(&t);
            (t.name, size, cols)
        })
        .collect();
    tables.sort_by_key(|t| std::cmp::Reverse(t.1));
    let weights: BTreeMap<String, u64> = tables
        .iter()
        .map(|(t, size, _)| (t.to_string(), (*size).max(0) as u64))
        .collect();
    let jobs = req.jobs.max(1);
    let total: u64 = weights.values().sum();
    let range_bytes = ranges::range_bytes(total, jobs as u64 * 2);
    let major = holder.server_version()?.major;
    let mut data = Vec::new();
    for (t, size, cols) in tables {
        let size = size.max(0) as u64;
        let split = ranges::split(size, range_bytes, major, jobs, !cols.is_empty());
        if split.is_empty() {
            data.push(post_data::DataTask {
                table: t.to_string(),
                item: Piece {
                    table: t,
                    columns: cols,
                    range: None,
                },
            });
            continue;
        }
        tracing::info!("copying {t} in {} heap ranges", split.len());
        for r in split {
            data.push(post_data::DataTask {
                table: t.to_string(),
                item: Piece {
                    table: t.clone(),
                    columns: cols.clone(),
                    range: Some(r),
                },
            });
        }
    }
    let copied = Mutex::new(Copied::default());
    let load = |target: &PgAdmin, piece: Piece| -> Result<u64> {
        let c = copy_range(req, &piece, &snapshot, src, target)?;
        if let Ok(mut all) = copied.lock() {
            for (t, n) in c.rows {
                *all.rows.entry(t).or_default() += n;
            }
            all.bytes += c.bytes;
            all.masked_values += c.masked_values;
        }
        Ok(0)
    };
    // Each table's data brought the sequences it owns; every other sequence (those a default
    // calls without OWNED BY, as schemas ported from MySQL have) is set once all data is in,
    // from the same snapshot's moment.
    let sequences = || -> Result<u64> {
        PgAdmin::connect(incoming)?.set_sequences(&holder.sequences()?)?;
        Ok(0)
    };
    // Each table's rows are counted as soon as it is in and built, while others still load;
    // the verification compares these counts with what was streamed.
    let counted = Mutex::new(BTreeMap::new());
    let count_rows = |session: &PgAdmin, table: &str| -> Result<()> {
        let n = session.row_count(&dump::parse_qualified_name(table)?)?;
        if let Ok(mut c) = counted.lock() {
            c.insert(table.to_string(), n);
        }
        Ok(())
    };
    let sessions = post_data::Sessions {
        conn: incoming,
        jobs,
        setup: format!(
            "{} SET synchronous_commit = off; SET maintenance_work_mem = '{}MB';",
            plan.settings(),
            (1024 / jobs).clamp(64, 512)
        ),
        weight: &|t: &str| weights.get(t).copied().unwrap_or(0),
        undone: "staging was not changed",
        table_done: Some(&count_rows),
    };
    post_data::run(&sessions, data, plan, &load, &sequences)?;
    holder.execute("COMMIT")?;
    let mut copied = copied
        .into_inner()
        .map_err(|_| Error::postgres("a copy worker panicked"))?;
    copied.counted = counted
        .into_inner()
        .map_err(|_| Error::postgres("a copy worker panicked"))?;
    Ok(copied)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `stream` in pieces of `step` bytes through [`Unframed`] and returns what the load
    /// side receives, and whether the piece ended whole.
    fn through(stream: &[u8], skip: usize, step: usize) -> (Vec<u8>, std::io::Result<()>) {
        let (tx, rx) = std::sync::mpsc::sync_channel(1024);
        let mut out = Unframed::new(skip, tx);
        for piece in stream.chunks(step.max(1)) {
            out.write_all(piece).expect("write");
        }
        let ended = out.finish();
        drop(out);
        let mut rows = RowsIn { rx };
        let mut got = Vec::new();
        loop {
            match rows.next() {
                Ok(Some(chunk)) => got.extend_from_slice(&chunk),
                Ok(None) => return (got, ended),
                Err(_) => return (got, Err(std::io::Error::other("cut short"))),
            }
        }
    }

    #[test]
    fn the_frame_lines_are_taken_off_whatever_the_write_sizes() {
        let header = b"COPY public.t (a, b) FROM stdin;\n";
        let mut body = Vec::new();
        for i in 0..50_000 {
            body.extend_from_slice(format!("{i}\tvalue \\\\. {i}\n").as_bytes());
        }
        let mut stream = header.to_vec();
        stream.extend_from_slice(&body);
        stream.extend_from_slice(b"\\.\n");
        for step in [1, 2, 3, 7, 4096, 65_536, 1 << 20] {
            let (got, ended) = through(&stream, header.len(), step);
            assert!(ended.is_ok(), "step {step}");
            assert!(
                got == body,
                "step {step}: {} bytes of {}",
                got.len(),
                body.len()
            );
        }
        // An empty table: the frame only.
        let mut empty = header.to_vec();
        empty.extend_from_slice(b"\\.\n");
        let (got, ended) = through(&empty, header.len(), 5);
        assert!(ended.is_ok() && got.is_empty());
    }

    #[test]
    fn a_piece_without_its_end_of_data_line_never_ends_whole() {
        let header = b"COPY t  FROM stdin;\n";
        for cut in [
            &b"COPY t  FROM"[..],
            b"COPY t  FROM stdin;\n",
            b"COPY t  FROM stdin;\n1\n2\n",
            b"COPY t  FROM stdin;\n1\n\\",
            b"COPY t  FROM stdin;\n1\n\\.",
        ] {
            let (_, ended) = through(cut, header.len(), 3);
            assert!(ended.is_err(), "{:?}", String::from_utf8_lossy(cut));
        }
    }

    #[test]
    fn the_load_side_sees_a_masker_that_stopped_as_an_error() {
        let (tx, rx) = std::sync::mpsc::sync_channel(4);
        let mut out = Unframed::new(3, tx);
        out.write_all(&vec![b'x'; 3 + 2 * admin_chunk()])
            .expect("write");
        drop(out);
        let mut rows = RowsIn { rx };
        let mut seen = 0;
        let end = loop {
            match rows.next() {
                Ok(Some(c)) => seen += c.len(),
                other => break other,
            }
        };
        assert!(seen > 0);
        assert!(
            end.is_err(),
            "a masker gone without the end must not end the COPY"
        );
    }

    fn admin_chunk() -> usize {
        crate::engine::pg::admin::COPY_CHUNK
    }
}
