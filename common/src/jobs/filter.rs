//! `mask-tool filter`: a plain dump in, the masked dump out.
//!
//! Input is a file or stdin, compressed or not (told by its first bytes). Output is stdout, or a
//! file written atomically (`.partial`, then renamed) and compressed by its extension (`.gz`,
//! `.zst`): on any error nothing is left under the output's name, never a half-masked file.

use std::io::{Read, Write};
use std::path::PathBuf;

use mask::{MaskReport, Masker};

use crate::error::{Error, IoContext, Result};
use crate::jobs::masking::MaskSpec;
use crate::store::archive::{self, PartialFile};
use crate::store::codec::{self, Codec, Encoder};

/// What to filter.
pub struct FilterRequest {
    /// Rules and salt.
    pub mask: MaskSpec,
    /// Input dump; `None` or `-` for stdin.
    pub input: Option<PathBuf>,
    /// Output file; `None` for stdout.
    pub output: Option<PathBuf>,
    /// Replace an existing output file.
    pub force: bool,
    /// Threads that mask rows (see [`Masker::run_jobs`]).
    pub jobs: usize,
}

/// Masks the dump; the masked stream goes to the output file, or to `stdout`.
pub fn filter(req: &FilterRequest, stdout: &mut dyn Write) -> Result<MaskReport> {
    let mut masker = Masker::new(&req.mask.rules, req.mask.context()?)?;
    let (raw, what): (Box<dyn Read + Send>, String) = match req.input.as_deref() {
        None => (Box::new(std::io::stdin()), "standard input".into()),
        Some(p) if p.as_os_str() == "-" => (Box::new(std::io::stdin()), "standard input".into()),
        Some(p) => {
            let file =
                std::fs::File::open(p).ctx(|| format!("cannot open dump {}", p.display()))?;
            let total = file.metadata().map(|m| m.len()).ok();
            let bar = crate::progress::Bar::bytes(&format!("mask {}", p.display()), total);
            (
                Box::new(crate::progress::Counted::new(file, bar)),
                format!("dump {}", p.display()),
            )
        }
    };
    let input = codec::sniffed(raw, &what)?;
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    match &req.output {
        Some(path) => {
            let out_codec = match path.extension().and_then(|e| e.to_str()) {
                Some("gz") => Codec::Gzip { level: 6 },
                Some("zst") => Codec::Zstd { level: 3 },
                _ => Codec::None,
            };
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                archive::ensure_dir(dir)?;
            }
            if path.exists() && !req.force {
                return Err(Error::Usage(format!(
                    "{} already exists; pass --force to replace it",
                    path.display()
                )));
            }
            let partial = PartialFile::create_replacing(path)?;
            let mut enc = Encoder::new(out_codec, partial, threads)
                .ctx(|| format!("cannot start compression for {}", path.display()))?;
            // On any error the partial file is dropped, and with it removed: no half-masked file.
            let report = masker.run_jobs(input, &mut enc, req.jobs)?;
            let partial = enc
                .finish()
                .ctx(|| format!("cannot write {}", path.display()))?;
            partial.commit()?;
            Ok(report)
        }
        None => {
            // The masker buffers what it writes.
            let report = masker.run_jobs(input, &mut *stdout, req.jobs)?;
            stdout
                .flush()
                .ctx(|| "cannot write the masked dump".to_string())?;
            Ok(report)
        }
    }
}
