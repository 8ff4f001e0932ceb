//! `mask-tool lint`: rules against a database or a dump.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use common::codec::{self, Codec};
use common::mask_live::{self, Finding};
use common::pg::PgAdmin;
use common::url::{DbUrl, PgConn};

use crate::cli::LintArgs;

pub fn run(a: LintArgs) -> Result<ExitCode> {
    let rules = super::load_rules(&a.rules)?;
    let findings: Vec<Finding> = match (&a.db, &a.dump) {
        (Some(url), _) => match DbUrl::parse(url)? {
            DbUrl::Postgres(u) => {
                let admin = PgAdmin::connect(&PgConn::resolve(&u, a.password_env.as_deref())?)?;
                let tables = common::schema::pg_tables(&admin)?;
                mask_live::lint(&rules, &tables, &mut |t, c| {
                    mask_live::pg_sample(&admin, t, c, a.sample)
                })?
            }
            DbUrl::Sqlite(p) => {
                let conn = common::sqlite::open_existing(&p)?;
                let tables = common::schema::sqlite_tables(&conn, &p)?;
                mask_live::lint(&rules, &tables, &mut |t, c| {
                    mask_live::sqlite_sample(&conn, t, c, a.sample)
                })?
            }
        },
        (None, Some(path)) => {
            let f = std::fs::File::open(path)
                .with_context(|| format!("cannot open dump {}", path.display()))?;
            let mut buffered = BufReader::with_capacity(256 * 1024, Box::new(f) as Box<dyn Read>);
            let prefix = buffered.fill_buf()?.to_vec();
            let input = BufReader::with_capacity(
                256 * 1024,
                codec::decoder(Codec::sniff(&prefix), buffered)?,
            );
            let (tables, samples) = mask_live::dump_tables(input, a.sample)?;
            mask_live::lint(&rules, &tables, &mut |t, c| {
                Ok(samples
                    .get(&(t.name.clone(), c.to_string()))
                    .cloned()
                    .unwrap_or_default())
            })?
        }
        (None, None) => {
            return Err(common::Error::Usage("give --db URL or a DUMP file".into()).into())
        }
    };
    if a.json {
        common::output::print_json(
            &serde_json::json!({ "ok": findings.is_empty(), "findings": findings }),
        )?;
    } else {
        let mut out = std::io::stdout().lock();
        for f in &findings {
            let what = match &f.column {
                Some(c) => format!("{}.{}", f.table, common::dump::quote_identifier(c)),
                None => f.table.clone(),
            };
            writeln!(
                out,
                "{:<20} {what}: {}",
                format!("{:?}", f.kind).to_lowercase(),
                f.detail
            )?;
        }
        if findings.is_empty() {
            writeln!(
                out,
                "ok: every table and column is classed, and nothing kept looks personal"
            )?;
        }
    }
    Ok(if findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}
