//! `backup-tool verify`.

use std::io::Write;

use anyhow::Result;
use common::engine::conn::DbUrl;
use common::error::Exit;
use common::jobs::restore::RestoreTarget;
use common::jobs::verify::{verify_dir, verify_file};

use crate::cli::VerifyArgs;
use common::cli::output::human_bytes;

pub fn run(a: VerifyArgs) -> Result<Exit> {
    a.identity.load()?;
    let target = match &a.restore_test {
        Some(u) => Some(RestoreTarget {
            url: DbUrl::parse(u)?,
            pg_bin_dir: a.pg.pg_bin_dir.clone(),
            password_env: a.pg.password_env.clone(),
        }),
        None => None,
    };
    let reports = match (&a.file, &a.dir) {
        (Some(f), _) => vec![verify_file(f, target.as_ref())?],
        (None, Some(dir)) => verify_dir(dir, a.name.as_deref(), target.as_ref())?,
        (None, None) => {
            return Err(common::Error::Usage("give a backup FILE or --dir".into()).into())
        }
    };
    let failed = reports.iter().filter(|r| !r.ok).count();
    if a.out.json {
        let exit = if failed > 0 {
            Exit::CheckFailed
        } else {
            Exit::Ok
        };
        common::cli::output::print_json_report(
            &serde_json::json!({ "reports": reports }),
            exit,
            || {
                format!(
                    "{failed} of {} backup(s) failed verification",
                    reports.len()
                )
            },
        )?;
    } else {
        let mut out = std::io::stdout().lock();
        for r in &reports {
            if r.ok && r.encrypted_only {
                writeln!(
                    out,
                    "ok      {}  (encrypted: size and sha256 of the stored bytes checked; \
                     --identity also decodes it)",
                    r.file.display()
                )?;
            } else if r.ok {
                writeln!(
                    out,
                    "ok      {}  ({} decoded, {} tables{})",
                    r.file.display(),
                    human_bytes(r.uncompressed_size),
                    r.tables.as_ref().map(|t| t.len()).unwrap_or(0),
                    if r.restore_test.is_some() {
                        ", restore test passed"
                    } else {
                        ""
                    }
                )?;
            } else {
                writeln!(out, "FAILED  {}", r.file.display())?;
                for p in &r.problems {
                    writeln!(out, "        {p}")?;
                }
            }
        }
    }
    if failed > 0 {
        tracing::error!(
            "{failed} of {} backup(s) failed verification",
            reports.len()
        );
        return Ok(Exit::CheckFailed);
    }
    Ok(Exit::Ok)
}
