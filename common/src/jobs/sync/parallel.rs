//! Copying tables in parallel for `sync-tool run --jobs N`.
//!
//! One source transaction exports a snapshot and stays open while every pg_dump uses it, so all
//! tables are copied from the same moment, as one `pg_dump` would. The schema goes first
//! (`--section=pre-data`), then N workers each take the largest table left and stream
//! `pg_dump --section=data --table=T | mask | psql`; the post-data section (read first) runs on
//! the same workers, each table's indexes as soon as its data is in and foreign keys once both
//! tables they join are built (see [`crate::jobs::post_data`]). The target is a fresh database, so per-table transactions lose no
//! safety: a failure anywhere drops the whole database (see `sync`).

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::Mutex;

use dump::QualifiedName;
use mask::Masker;

use super::request::SyncRequest;
use crate::engine::conn::PgConn;
use crate::engine::pg::{self, DumpOptions, PgAdmin, PgTool};
use crate::engine::pipe::{self, Load, Source};
use crate::error::{Error, Result};
use crate::jobs::post_data;

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
    // The post-data section is read first: each table's indexes are built as soon as its data
    // is in, while other tables still copy.
    let plan = {
        let mut opts = base.clone();
        opts.extra = vec!["--section=post-data".into()];
        let (mut dump, _auth) = pg::spawn_dump(pg_dump, src, &opts)?;
        let mut text = Vec::new();
        let read = dump.take_stdout().read_to_end(&mut text);
        dump.finish()?;
        read.map_err(|e| Error::io("cannot read pg_dump's post-data section", e))?;
        post_data::PostDataPlan::parse(&text, false).map_err(|why| {
            Error::Verify(format!(
                "pg_dump's post-data section of {}: {why}",
                src.redacted()
            ))
        })?
    };
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
    tables.sort_by_key(|t| std::cmp::Reverse(t.1));
    let weights: BTreeMap<String, u64> = tables
        .iter()
        .map(|(t, size)| (t.to_string(), (*size).max(0) as u64))
        .collect();
    let data = tables
        .into_iter()
        .map(|(t, _)| post_data::DataTask {
            table: t.to_string(),
            item: t,
        })
        .collect();
    let copied = Mutex::new(Copied::default());
    let load = |_: &PgAdmin, t: QualifiedName| -> Result<u64> {
        let c = copy_table(req, &t, pg_dump, psql, src, incoming, &base)?;
        if let Ok(mut all) = copied.lock() {
            all.rows.extend(c.rows);
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
    let sessions = post_data::Sessions {
        conn: incoming,
        jobs: req.jobs.max(1),
        setup: format!(
            "{} SET synchronous_commit = off; SET maintenance_work_mem = '{}MB';",
            plan.settings(),
            (1024 / req.jobs.max(1)).clamp(64, 512)
        ),
        weight: &|t: &str| weights.get(t).copied().unwrap_or(0),
        undone: "staging was not changed",
    };
    post_data::run(&sessions, data, plan, &load, &sequences)?;
    holder.execute("COMMIT")?;
    copied
        .into_inner()
        .map_err(|_| Error::postgres("a copy worker panicked"))
}
