//! `backup-tool copy`.

use std::io::Write;

use anyhow::Result;
use common::cli::output::{human_bytes, print_json};
use common::error::Exit;

use crate::cli::CopyArgs;

pub fn run(a: CopyArgs) -> Result<Exit> {
    let report = common::jobs::copy::copy_folder(
        &a.from,
        &a.to,
        a.name.as_deref(),
        super::wait_arg(a.wait.as_deref())?,
    )?;
    if a.out.json {
        print_json(&report)?;
    } else {
        let mut out = std::io::stdout().lock();
        for p in &report.copied {
            writeln!(out, "copied   {}", p.display())?;
        }
        for p in &report.present {
            writeln!(out, "present  {}", p.display())?;
        }
        for p in &report.skipped_bad {
            writeln!(
                out,
                "BAD      {} (does not match its manifest; not copied)",
                p.display()
            )?;
        }
        tracing::info!(
            "{} copied ({}), {} already there, {} not copied",
            report.copied.len(),
            human_bytes(report.bytes),
            report.present.len(),
            report.skipped_bad.len()
        );
    }
    Ok(if report.skipped_bad.is_empty() {
        Exit::Ok
    } else {
        Exit::CheckFailed
    })
}
