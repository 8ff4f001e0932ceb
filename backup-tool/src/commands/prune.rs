//! `backup-tool prune`.

use std::io::Write;

use anyhow::Result;
use common::error::Exit;
use common::jobs::prune::PruneReport;
use common::store::retention::Action;

use crate::cli::PruneArgs;
use common::cli::output::print_json;

pub fn run(a: PruneArgs) -> Result<Exit> {
    let policy = a.retention.policy();
    if policy.is_empty() {
        return Err(common::Error::Usage(
            "prune needs at least one retention rule (--keep-days, --keep-last, --keep-hourly, --keep-daily, --keep-weekly, --keep-monthly)".into(),
        )
        .into());
    }
    let reports = common::jobs::prune::prune(
        &a.dir,
        a.name.as_deref(),
        &policy,
        chrono::Utc::now(),
        a.dry_run,
        super::wait_arg(a.wait.as_deref())?,
    )?;
    if a.out.json {
        print_json(&reports)?;
    } else {
        print_reports(&reports)?;
    }
    Ok(Exit::Ok)
}

/// Prints every decision with its reasons.
pub fn print_reports(reports: &[PruneReport]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    for r in reports {
        if r.dry_run {
            writeln!(out, "# {}: dry run, nothing deleted", r.name)?;
        }
        for i in &r.issues {
            writeln!(out, "# ignored {}: {}", i.path.display(), i.problem)?;
        }
        for d in &r.decisions {
            let verb = match (d.action, r.dry_run) {
                (Action::Keep, _) => "keep   ",
                (Action::Remove, true) => "remove ",
                (Action::Remove, false) => "deleted",
            };
            writeln!(out, "{verb} {}  {}", d.id, d.reasons.join("; "))?;
        }
    }
    Ok(())
}
