//! PostgreSQL refresh: `pg_dump | mask | psql` into `<target>__incoming` on the staging server,
//! verified, then swapped in. Production data never touches the staging disk unmasked, and
//! anything failing before the swap drops the half-built database.

use std::collections::BTreeMap;

use super::keep_dump::{kept_name, KeptDump};
use super::request::{check_lint, Phases, SyncReport, SyncRequest};
use super::swap::swap_in;
use crate::engine::conn::{Engine, PgConn};
use crate::engine::pg::catalog::Sequence;
use crate::engine::pg::{self, DumpOptions, PgAdmin};
use crate::engine::pipe::{self, Load, Source};
use crate::error::{Error, Result};
use crate::jobs::live;
use crate::store::archive::Content;
use crate::store::writer::ManifestSource;

/// Drops the incoming database unless disarmed: whatever fails before the swap, staging stays as
/// it was and nothing half-built is left behind.
struct IncomingGuard<'a> {
    maint: &'a PgAdmin,
    name: String,
    armed: bool,
}

impl Drop for IncomingGuard<'_> {
    fn drop(&mut self) {
        if self.armed {
            if let Err(e) = self.maint.drop_database(&self.name) {
                tracing::warn!(
                    "could not drop the half-built database '{}': {e}",
                    self.name
                );
            }
        }
    }
}

/// Refreshes a PostgreSQL target from a PostgreSQL source.
pub fn run(req: &SyncRequest, src: &PgConn, dst: &PgConn) -> Result<SyncReport> {
    let mut phases = Phases::new();
    let mut report = SyncReport {
        source: src.redacted(),
        target: dst.redacted(),
        ..SyncReport::default()
    };
    let src_admin = PgAdmin::connect(src)?;
    let maint = PgAdmin::connect_maintenance(dst)?;
    let incoming = pg::derived_name(&dst.dbname, "__incoming");
    if maint.database_exists(&incoming)? {
        tracing::warn!("dropping '{incoming}', left over from an interrupted refresh");
        maint.drop_database(&incoming)?;
    }
    super::swap::repair_after_kill(&maint, &dst.dbname)?;
    let owner = maint.database_owner(&dst.dbname)?;
    // The incoming database is created while the source is read and the rules checked against
    // it; whatever fails, the guard drops it again.
    let (created, checked) = std::thread::scope(|scope| {
        let create = scope.spawn(|| maint.create_database(&incoming, owner.as_deref()));
        let checked = (|| -> Result<_> {
            let server = src_admin.server_version()?;
            // Sequences only move forward: what they are now is a floor for the copy's.
            let sequences_before = src_admin.sequences()?;
            let pg_dump = pg::find_tool("pg_dump", req.pg_bin_dir.as_deref(), Some(server.major))?;
            let psql = pg::find_tool("psql", req.pg_bin_dir.as_deref(), None)?;
            let tables = src_admin.tables()?;
            let findings = live::lint(&req.mask.rules, &tables, &mut |t, c| {
                live::pg_sample(&src_admin, t, c, 200)
            })?;
            check_lint(findings, &req.allow_unmasked, false)?;
            Ok((sequences_before, pg_dump, psql))
        })();
        let created = create
            .join()
            .unwrap_or_else(|_| Err(Error::postgres("creating the incoming database panicked")));
        (created, checked)
    });
    let mut guard = IncomingGuard {
        maint: &maint,
        name: incoming.clone(),
        armed: created.is_ok(),
    };
    created?;
    let (sequences_before, pg_dump, psql) = checked?;
    phases.done("preflight");

    let incoming_conn = dst.with_dbname(&incoming);
    let data_size = if req.jobs > 1 {
        None
    } else {
        src_admin.data_size().ok()
    };
    let leak_ctx = req.mask.context()?;
    // The leak check's sample of the source is taken while the copy loads (it needs nothing of
    // the copy); the copy's failure, if any, is the one reported.
    let (copied, sampled) = std::thread::scope(|scope| {
        let sampler = scope
            .spawn(|| live::sample_pg(&src_admin, &req.mask.rules, &leak_ctx, req.leak_sample));
        type Rows = BTreeMap<String, u64>;
        let copied = (|| -> Result<(Rows, Option<Rows>)> {
            if req.jobs > 1 {
                if req.keep_dump.is_some() {
                    return Err(Error::Usage(
                        "--keep-dump writes one stream: use it with --jobs 1".into(),
                    ));
                }
                let c = super::parallel::copy_parallel(req, src, &pg_dump, &psql, &incoming_conn)?;
                report.bytes = c.bytes;
                report.masked_values = c.masked_values;
                Ok((c.rows, Some(c.counted)))
            } else {
                let rows = copy_stream(
                    req,
                    data_size,
                    src,
                    &pg_dump,
                    &psql,
                    &incoming_conn,
                    &mut report,
                )?;
                Ok((rows, None))
            }
        })();
        let sampled = sampler.join().unwrap_or_else(|_| {
            Err(Error::postgres(
                "the leak check's sampling of the source panicked",
            ))
        });
        (copied, sampled)
    });
    let (streamed, counted) = copied?;
    report.tables = streamed.len();
    report.rows = streamed.values().sum();
    phases.done("copy");

    let copy_admin = PgAdmin::connect(&incoming_conn)?;
    verify_copy(
        &src_admin,
        &copy_admin,
        &streamed,
        counted.as_ref(),
        Some(&sequences_before),
    )?;
    let leaks = sampled?.check(&copy_admin)?;
    report.masked_columns = leaks.columns;
    if !leaks.leaks.is_empty() {
        return Err(Error::Verify(format!(
            "leak check failed; staging was not changed:\n  {}",
            leak_lines(&leaks).join("\n  ")
        )));
    }
    report.leaks = Some(leaks);
    drop(copy_admin);
    phases.done("verify");

    crate::testpoint::reach("sync.before-swap");
    crate::error::stop_point("staging was not changed")?;
    report.previous = swap_in(&maint, &dst.dbname, &incoming, req.keep_previous)?;
    guard.armed = false;
    phases.done("swap");
    report.phases = phases.list;
    Ok(report)
}

/// One pg_dump stream through the masker into psql, in one transaction. Returns rows per table.
fn copy_stream(
    req: &SyncRequest,
    expected: Option<u64>,
    src: &PgConn,
    pg_dump: &pg::PgTool,
    psql: &pg::PgTool,
    incoming: &PgConn,
    report: &mut SyncReport,
) -> Result<BTreeMap<String, u64>> {
    let opts = DumpOptions {
        no_owner: true,
        no_privileges: true,
        ..DumpOptions::default()
    };
    let name = kept_name(&req.target_dbname());
    let mut kept = match &req.keep_dump {
        Some(dir) => Some(KeptDump::start(dir, &name, Content::PlainSql)?),
        None => None,
    };
    let (dump, _auth) = pg::spawn_dump(pg_dump, src, &opts)?;
    let mut masker = mask::Masker::new(&req.mask.rules, req.mask.context()?)?;
    let loaded = pipe::load_into_psql(
        psql,
        incoming,
        Load {
            source: Source::Dump(dump),
            masker: Some(&mut masker),
            tee: kept
                .as_mut()
                .map(|k| &mut k.writer as &mut (dyn std::io::Write + Send)),
            preamble: "",
            what: format!("the copy into {}", incoming.redacted()),
            progress: Some(crate::progress::Bar::bytes(
                &format!("refresh {}", incoming.dbname),
                expected,
            )),
            part: false,
            script: dump::ScriptOptions::default(),
        },
    )?;
    let mask_report = loaded.masked.unwrap_or_default();
    report.bytes = mask_report.bytes_in;
    report.masked_values = mask_report.tables.values().map(|t| t.masked_values).sum();
    let rows: BTreeMap<String, u64> = mask_report
        .tables
        .iter()
        .map(|(k, v)| (k.to_string(), v.rows))
        .collect();
    if let Some(k) = kept {
        let path = k.commit(
            ManifestSource {
                engine: Engine::Postgresql,
                source: format!("{} (masked)", src.redacted()),
                server_version: String::new(),
                dump_tool: format!("pg_dump {} | mask-tool", pg_dump.version),
                tables: Some(rows.clone()),
                source_id: None,
                tags: Vec::new(),
                keep_until: None,
                selection: Vec::new(),
            },
            req.keep_dumps,
        )?;
        report.kept_dump = Some(path);
    }
    Ok(rows)
}

/// One line per masked column whose originals were found: where, and how many.
pub fn leak_lines(report: &crate::jobs::live::LeakReport) -> Vec<String> {
    crate::jobs::live::leaks::by_column(report)
        .into_iter()
        .map(|(column, places)| format!("originals of {column} found in {}", places.join(", ")))
        .collect()
}

/// The checks before a swap: row counts equal to what was streamed, schema fingerprint equal to
/// the source's, and every sequence where it must be: at least where the source's was before the
/// copy started (`floor`), not beyond where the source's is now, and ahead of every value in the
/// columns it feeds (so the first insert with a default key succeeds).
pub fn verify_copy(
    source: &PgAdmin,
    copy: &PgAdmin,
    streamed: &BTreeMap<String, u64>,
    counted: Option<&BTreeMap<String, u64>>,
    floor: Option<&[Sequence]>,
) -> Result<()> {
    // Counted while the copy was built (a parallel copy counts each table once it is in), or
    // now.
    let counts = match counted {
        Some(c) if streamed.keys().all(|t| c.contains_key(t)) => c.clone(),
        _ => copy.row_counts()?,
    };
    let mut problems = Vec::new();
    for (table, rows) in streamed {
        let got = counts.get(table).copied().unwrap_or(0);
        if got != *rows {
            problems.push(format!("{table}: {rows} rows streamed, {got} in the copy"));
        }
    }
    let (a, b) = (source.schema_snapshot()?, copy.schema_snapshot()?);
    let changes = crate::engine::schema::compare(&a, &b);
    if !changes.is_empty() {
        let first: Vec<String> = changes.iter().take(5).map(|c| c.to_string()).collect();
        problems.push(format!(
            "schema fingerprint differs from the source's ({} difference(s), first: {})",
            changes.len(),
            first.join("; ")
        ));
    }
    let now: BTreeMap<String, Sequence> = source
        .sequences()?
        .into_iter()
        .map(|s| (s.name.clone(), s))
        .collect();
    let before: BTreeMap<&str, &Sequence> = floor
        .unwrap_or_default()
        .iter()
        .map(|s| (s.name.as_str(), s))
        .collect();
    for s in copy.sequences()? {
        let next = s.next_value();
        if let Some(b) = before.get(s.name.as_str()) {
            if next < b.next_value() {
                problems.push(format!(
                    "sequence {} would hand out {next} next, but the source was already at {} before the copy",
                    s.name,
                    b.next_value()
                ));
            }
        }
        if let Some(n) = now.get(&s.name) {
            if next > n.next_value() {
                problems.push(format!(
                    "sequence {} would hand out {next} next, beyond the source's {}",
                    s.name,
                    n.next_value()
                ));
            }
        } else {
            problems.push(format!("sequence {} is not in the source", s.name));
        }
        for (table, column) in &s.columns {
            if let Some(max) = copy.column_max(table, column)? {
                let ahead = if s.increment > 0 { next > max } else { true };
                if !ahead {
                    problems.push(format!(
                        "sequence {} would hand out {next} next, but {table}.{column} already holds {max}",
                        s.name
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Verify(format!(
            "the new copy failed verification; staging was not changed:\n  {}",
            problems.join("\n  ")
        )))
    }
}
