//! Copying tables in parallel for `sync-tool run --jobs N`.
//!
//! One source transaction exports a snapshot and stays open while every pg_dump uses it, so all
//! tables are copied from the same moment, as one `pg_dump` would. The schema goes first
//! (`--section=pre-data`), then N workers each take the largest table left and stream
//! `pg_dump --section=data --table=T | mask | psql`, and last come indexes and constraints
//! (`--section=post-data`). The target is a fresh database, so per-table transactions lose no
//! safety: a failure anywhere drops the whole database (see `sync`).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use dump::QualifiedName;
use mask::Masker;

use super::request::SyncRequest;
use crate::engine::conn::PgConn;
use crate::engine::pg::{self, DumpOptions, PgAdmin, PgTool};
use crate::engine::pipe::{self, Load, Source};
use crate::error::{Error, Result};

/// A pg_dump table pattern that matches exactly one table, whatever its name holds.
fn table_pattern(t: &QualifiedName) -> String {
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    format!(
        "{}.{}",
        q(t.schema.as_deref().unwrap_or("public")),
        q(&t.name)
    )
}

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

fn copy_table(
    req: &SyncRequest,
    t: &QualifiedName,
    pg_dump: &PgTool,
    psql: &PgTool,
    src: &PgConn,
    dst: &PgConn,
    base: &DumpOptions,
) -> Result<Copied> {
    let mut opts = base.clone();
    opts.extra = vec![
        "--section=data".into(),
        format!("--table={}", table_pattern(t)),
    ];
    let (dump, _auth) = pg::spawn_dump(pg_dump, src, &opts)?;
    let mut masker = Masker::new(&req.mask.rules.only(t), req.mask.context()?)?;
    let loaded = pipe::load_into_psql(
        psql,
        dst,
        Load {
            source: Source::Dump(dump),
            masker: Some(&mut masker),
            tee: None,
            preamble: "",
            what: format!("table {t} of {}", dst.redacted()),
            progress: Some(crate::progress::Bar::bytes(&format!("sync {t}"), None)),
            part: false,
            script: dump::ScriptOptions::default(),
        },
    )?;
    let report = loaded.masked.unwrap_or_default();
    let rows = report.tables.get(t).map(|s| s.rows).unwrap_or(0);
    Ok(Copied {
        rows: BTreeMap::from([(t.to_string(), rows)]),
        bytes: report.bytes_in,
        masked_values: report.tables.values().map(|s| s.masked_values).sum(),
    })
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
}

/// Copies schema, data (N tables at a time) and post-data objects.
pub fn copy_parallel(
    req: &SyncRequest,
    src: &PgConn,
    src_admin: &PgAdmin,
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
        snapshot: Some(snapshot),
        extra: Vec::new(),
    };
    copy_section(pg_dump, psql, src, incoming, &base, "pre-data")?;
    // Largest tables first, so the last worker is not left with the biggest one.
    let sizes = src_admin.table_sizes()?;
    let mut tables: Vec<(QualifiedName, i64)> = src_admin
        .tables()?
        .into_iter()
        .map(|t| {
            let size = sizes.get(&t.name).copied().unwrap_or(0);
            (t.name, size)
        })
        .collect();
    tables.sort_by_key(|t| t.1);
    let queue = Mutex::new(tables);
    let copied = Mutex::new(Copied::default());
    let failure: Mutex<Option<Error>> = Mutex::new(None);
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        for _ in 0..req.jobs.max(1) {
            scope.spawn(|| loop {
                if stop.load(Ordering::SeqCst) || crate::interrupt::requested() {
                    break;
                }
                let next = queue.lock().ok().and_then(|mut q| q.pop());
                let Some((t, _)) = next else { break };
                match copy_table(req, &t, pg_dump, psql, src, incoming, &base) {
                    Ok(c) => {
                        if let Ok(mut all) = copied.lock() {
                            all.rows.extend(c.rows);
                            all.bytes += c.bytes;
                            all.masked_values += c.masked_values;
                        }
                    }
                    Err(e) => {
                        stop.store(true, Ordering::SeqCst);
                        if let Ok(mut f) = failure.lock() {
                            f.get_or_insert(e);
                        }
                        break;
                    }
                }
            });
        }
    });
    if let Some(e) = failure.into_inner().ok().flatten() {
        return Err(e);
    }
    if crate::interrupt::requested() {
        return Err(Error::interrupted("staging was not changed"));
    }
    // Each table's data brought the sequences it owns; every other sequence (those a default
    // calls without OWNED BY, as schemas ported from MySQL have) is set here, from the same
    // snapshot's moment.
    PgAdmin::connect(incoming)?.set_sequences(&holder.sequences()?)?;
    copy_section(pg_dump, psql, src, incoming, &base, "post-data")?;
    holder.execute("COMMIT")?;
    copied
        .into_inner()
        .map_err(|_| Error::postgres("a copy worker panicked"))
}
