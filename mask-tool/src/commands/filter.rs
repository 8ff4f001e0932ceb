//! `mask-tool filter`: plain dump in, masked dump out.

use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use common::codec::{self, Codec, Encoder};
use common::mask::Masker;

use crate::cli::FilterArgs;

pub fn run(a: FilterArgs) -> Result<ExitCode> {
    let rules = super::load_rules(&a.rules)?;
    let ctx = super::context(&rules, &a.salt)?;
    let mut masker = Masker::new(&rules, ctx).map_err(|e| common::Error::Config {
        path: a.rules.clone(),
        message: e.to_string(),
    })?;
    let raw: Box<dyn Read> = match a.input.as_deref() {
        None => Box::new(std::io::stdin().lock()),
        Some(p) if p.as_os_str() == "-" => Box::new(std::io::stdin().lock()),
        Some(p) => Box::new(
            std::fs::File::open(p).with_context(|| format!("cannot open dump {}", p.display()))?,
        ),
    };
    let mut buffered = BufReader::with_capacity(256 * 1024, raw);
    let prefix = buffered
        .fill_buf()
        .context("cannot read the dump")?
        .to_vec();
    let input =
        BufReader::with_capacity(256 * 1024, codec::decoder(Codec::sniff(&prefix), buffered)?);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let report = match &a.output {
        Some(path) => {
            let out_codec = match path.extension().and_then(|e| e.to_str()) {
                Some("gz") => Codec::Gzip { level: 6 },
                Some("zst") => Codec::Zstd { level: 3 },
                _ => Codec::None,
            };
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                common::archive::ensure_dir(dir)?;
            }
            let partial = common::archive::PartialFile::create(path)?;
            let mut enc = Encoder::new(out_codec, partial, threads)?;
            // On any error the partial file is dropped, and with it removed: no half-masked file.
            let report = masker.run(input, &mut enc).map_err(common::Error::from)?;
            let partial = enc
                .finish()
                .with_context(|| format!("cannot write {}", path.display()))?;
            partial.commit()?;
            report
        }
        None => {
            let stdout = std::io::stdout().lock();
            let mut out = BufWriter::with_capacity(256 * 1024, stdout);
            let report = masker.run(input, &mut out).map_err(common::Error::from)?;
            out.flush()?;
            report
        }
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
    if a.json {
        common::output::print_json(&report)?;
    }
    Ok(ExitCode::SUCCESS)
}
