//! SQLite refresh (blue/green): the source snapshotted next to the target, masked in place,
//! checked, and renamed over the target, keeping the previous file as `.bak`.

use std::io;
use std::path::Path;

use super::keep_dump::{kept_name, KeptDump};
use super::request::{check_lint, Phases, SyncReport, SyncRequest};
use crate::engine::conn::Engine;
use crate::error::{Error, Result};
use crate::jobs::live;
use crate::store::archive::Content;
use crate::store::writer::ManifestSource;

/// Refreshes an SQLite target file from an SQLite source file.
pub fn run(req: &SyncRequest, from: &Path, to: &Path) -> Result<SyncReport> {
    let mut phases = Phases::new();
    let mut report = SyncReport {
        source: format!("sqlite://{}", from.display()),
        target: format!("sqlite://{}", to.display()),
        ..SyncReport::default()
    };
    let src = crate::engine::sqlite::open_existing(from)?;
    let tables = crate::engine::sqlite::catalog::tables(&src, from)?;
    let findings = live::lint(&req.mask.rules, &tables, &mut |t, c| {
        live::sqlite_sample(&src, t, c, 200)
    })?;
    check_lint(findings, &req.allow_unmasked, true)?;
    drop(src);
    let dir = crate::fs::parent_dir(to);
    let fname = to
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| "db".into());
    // One refresh of a target at a time; what a killed one left (an unmasked snapshot, 0600)
    // is removed first.
    let _lock = crate::store::lock::acquire(&dir, &fname, std::time::Duration::ZERO, "sync")?;
    for p in crate::engine::sqlite::clean_leftovers(to) {
        tracing::warn!("removed {}, left by an interrupted refresh", p.display());
    }
    let incoming = crate::engine::sqlite::Scratch::create(to, "incoming")?;
    phases.done("preflight");
    crate::engine::sqlite::snapshot(from, incoming.path())?;
    crate::testpoint::reach("sync.sqlite.snapshot");
    crate::error::stop_point("the target was not changed")?;
    let source_counts = crate::engine::sqlite::row_counts(incoming.path())?;
    phases.done("copy");
    let ctx = std::sync::Arc::new(req.mask.context()?);
    let applied = live::apply_sqlite(
        incoming.path(),
        &req.mask.rules,
        std::sync::Arc::clone(&ctx),
    )?;
    report.masked_values = applied.tables.values().map(|s| s.values).sum();
    phases.done("mask");
    crate::engine::sqlite::integrity_check(incoming.path())?;
    let counts = crate::engine::sqlite::row_counts(incoming.path())?;
    if counts != source_counts {
        return Err(Error::Verify(
            "row counts changed while masking; the target was not changed".into(),
        ));
    }
    let (a, b) = (
        crate::engine::sqlite::catalog::schema_snapshot(from)?,
        crate::engine::sqlite::catalog::schema_snapshot(incoming.path())?,
    );
    if !crate::engine::schema::compare(&a, &b).is_empty() {
        return Err(Error::Verify(
            "the masked copy's schema differs from the source's; the target was not changed".into(),
        ));
    }
    let leaks = live::leak_check_sqlite(
        from,
        incoming.path(),
        &req.mask.rules,
        &ctx,
        req.leak_sample,
    )?;
    report.masked_columns = leaks.columns;
    if !leaks.leaks.is_empty() {
        return Err(Error::Verify(format!(
            "leak check failed; the target was not changed:\n  {}",
            super::pg::leak_lines(&leaks).join("\n  ")
        )));
    }
    report.leaks = Some(leaks);
    report.tables = counts.len();
    report.rows = counts.values().sum();
    if let Some(dir) = &req.keep_dump {
        let mut kept =
            KeptDump::start(dir, &kept_name(&fname.replace('.', "_")), Content::Sqlite3)?;
        let mut f = std::fs::File::open(incoming.path())
            .map_err(|e| Error::io(format!("cannot read {}", incoming.path().display()), e))?;
        io::copy(&mut f, &mut kept.writer).map_err(|e| {
            Error::io(
                format!("cannot write backup {}", kept.writer.path().display()),
                e,
            )
        })?;
        let path = kept.commit(
            ManifestSource {
                engine: Engine::Sqlite,
                source: format!("sqlite://{} (masked)", from.display()),
                server_version: crate::engine::sqlite::library_version(),
                dump_tool: "sqlite online backup | mask-tool".into(),
                tables: Some(counts.clone()),
                source_id: None,
                tags: Vec::new(),
                keep_until: None,
                selection: Vec::new(),
            },
            req.keep_dumps,
        )?;
        report.kept_dump = Some(path);
    }
    phases.done("verify");
    crate::testpoint::reach("sync.sqlite.before-swap");
    crate::error::stop_point("the target was not changed")?;
    let bak = crate::engine::sqlite::swap_into_place(incoming.path(), to)?;
    incoming.keep();
    report.previous = bak.map(|p| p.display().to_string());
    phases.done("swap");
    report.phases = phases.list;
    Ok(report)
}
