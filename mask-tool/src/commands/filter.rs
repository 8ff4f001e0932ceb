//! `mask-tool filter`: plain dump in, masked dump out.

use anyhow::Result;
use common::error::{Error, Exit};
use common::jobs::filter::{filter, FilterRequest};

use crate::cli::FilterArgs;

pub fn run(a: FilterArgs) -> Result<Exit> {
    if a.out.json && a.output.is_none() {
        return Err(Error::Usage(
            "--json needs -o FILE: without it the masked dump goes to stdout".into(),
        )
        .into());
    }
    let req = FilterRequest {
        mask: super::mask_spec(&a.rules, a.salt.choice())?,
        input: a.input,
        output: a.output,
        force: a.force,
        jobs: usize::from(a.jobs),
    };
    let report = match req.output {
        // Straight to file descriptor 1: the masker buffers its output itself, and stdout's line
        // buffering on top would copy every chunk once more.
        None => filter(&req, &mut common::fs::stdout_file()?)?,
        // The dump goes to the file; standard output is not touched.
        Some(_) => filter(&req, &mut std::io::sink())?,
    };
    let masked_tables = report
        .tables
        .values()
        .filter(|t| t.masked_values > 0)
        .count();
    let values: u64 = report.tables.values().map(|t| t.masked_values).sum();
    tracing::info!(
        "masked {values} values in {masked_tables} table(s); {} table(s) passed through; {} MB in",
        report.tables.len() - masked_tables,
        report.bytes_in / 1_000_000
    );
    if a.out.json {
        common::cli::output::print_json(&report)?;
    }
    Ok(Exit::Ok)
}
