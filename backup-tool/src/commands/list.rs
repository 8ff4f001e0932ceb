//! `backup-tool list`.

use std::io::Write;

use anyhow::Result;
use common::error::Exit;

use crate::cli::ListArgs;
use common::cli::output::{human_bytes, print_json};

pub fn run(a: ListArgs) -> Result<Exit> {
    let (entries, issues) = common::jobs::status::list(&a.dir, a.name.as_deref())?;
    for i in &issues {
        tracing::warn!("ignored {}: {}", i.path.display(), i.problem);
    }
    if a.out.json {
        let rows: Vec<serde_json::Value> = entries
            .iter()
            .map(|e| {
                serde_json::json!({
                    "path": e.path,
                    "good": e.is_good(),
                    "problem": e.problem,
                    "manifest": e.manifest,
                })
            })
            .collect();
        print_json(&serde_json::json!({ "backups": rows, "issues": issues }))?;
        return Ok(Exit::Ok);
    }
    let mut out = std::io::stdout().lock();
    if entries.is_empty() {
        writeln!(out, "no backups in {}", a.dir.display())?;
        return Ok(Exit::Ok);
    }
    writeln!(
        out,
        "{:<20}  {:<16}  {:>10}  {:<7}  {:<6}  FILE",
        "STARTED (UTC)", "NAME", "SIZE", "CODEC", "STATUS"
    )?;
    for e in &entries {
        let m = &e.manifest;
        writeln!(
            out,
            "{:<20}  {:<16}  {:>10}  {:<7}  {:<6}  {}{}",
            m.started_at.format("%Y-%m-%d %H:%M:%S"),
            m.name,
            human_bytes(m.size),
            m.codec,
            if e.is_good() { "ok" } else { "BAD" },
            m.file,
            {
                let mut notes = Vec::new();
                if !m.tags.is_empty() {
                    notes.push(format!("tags: {}", m.tags.join(",")));
                }
                if let Some(u) = m.keep_until.filter(|u| *u > chrono::Utc::now()) {
                    notes.push(format!("pinned until {}", u.format("%Y-%m-%d %H:%M")));
                }
                if !m.selection.is_empty() {
                    notes.push(format!("partial: {}", m.selection.join(" ")));
                }
                if let Some(p) = &e.problem {
                    notes.push(p.clone());
                }
                if notes.is_empty() {
                    String::new()
                } else {
                    format!("  ({})", notes.join("; "))
                }
            }
        )?;
    }
    Ok(Exit::Ok)
}
