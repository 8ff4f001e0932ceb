//! Reading a stored backup back: decoded on the fly, with the stored bytes' size and sha256
//! checked against the manifest as they pass, in the same single read.
//!
//! The decoded stream does not end cleanly unless the check passed: at its end the reader
//! returns an error instead of end-of-file when the file differs from its manifest, so a consumer
//! that commits only on a clean end (a restore) can never commit a corrupt or replaced backup,
//! even one changed between an earlier check and the restore.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

use super::archive::Manifest;
use super::codec::{self, Codec};
use crate::error::{Error, IoContext, Result};

/// Size and running sha256 of the stored bytes read so far.
#[derive(Default)]
struct Tally {
    hasher: Sha256,
    bytes: u64,
}

/// Hashes the stored bytes on their way into the decoder.
struct Tap<R> {
    inner: R,
    tally: Arc<Mutex<Tally>>,
}

impl<R: Read> Read for Tap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Ok(mut t) = self.tally.lock() {
            t.hasher.update(&buf[..n]);
            t.bytes += n as u64;
        }
        Ok(n)
    }
}

/// The decoded content of a backup, checked against its manifest at its end.
pub struct CheckedBackup {
    decoded: Box<dyn Read + Send>,
    tally: Arc<Mutex<Tally>>,
    file: PathBuf,
    size: u64,
    sha256: String,
    uncompressed: u64,
    checked: bool,
}

impl CheckedBackup {
    /// Opens `file`, whose manifest is `manifest`.
    pub fn open(file: &Path, manifest: &Manifest) -> Result<CheckedBackup> {
        let codec: Codec = manifest.codec.parse().map_err(|e| {
            Error::Verify(format!(
                "{}: manifest has an unknown codec: {e}",
                file.display()
            ))
        })?;
        let stored = super::folder::open(file)?;
        let tally = Arc::new(Mutex::new(Tally::default()));
        let tap: Box<dyn Read + Send> = Box::new(Tap {
            inner: stored,
            tally: Arc::clone(&tally),
        });
        // Encrypted: the tap counts the stored (encrypted) bytes, age authenticates each chunk.
        let plain = if manifest.recipients.is_empty() {
            tap
        } else {
            Box::new(super::target::decrypt(tap, file)?)
        };
        let decoded = codec::decoder_send(codec, crate::fs::StreamReader::new(plain))
            .ctx(|| format!("cannot decode backup {}", file.display()))?;
        Ok(CheckedBackup {
            decoded,
            tally,
            file: file.to_path_buf(),
            size: manifest.size,
            sha256: manifest.sha256.clone(),
            uncompressed: manifest.uncompressed_size,
            checked: false,
        })
    }

    fn verdict(&self) -> io::Result<()> {
        let (bytes, sha) = match self.tally.lock() {
            Ok(t) => (t.bytes, hex::encode(t.hasher.clone().finalize())),
            Err(_) => return Err(io::Error::other("checksum state lost")),
        };
        if bytes != self.size {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "backup {} holds {bytes} bytes, its manifest says {} (truncated or replaced)",
                    self.file.display(),
                    self.size
                ),
            ));
        }
        if sha != self.sha256 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "the sha256 of backup {} does not match its manifest (corrupt or replaced)",
                    self.file.display()
                ),
            ));
        }
        Ok(())
    }
}

impl CheckedBackup {
    /// Copies the whole decoded content into `out` (`dest` names it in messages). A backup that
    /// cannot be read, decoded or does not match its manifest is a verification failure (exit
    /// 3); a destination that cannot be written (a full disk) is an I/O failure (exit 1).
    pub fn copy_to(&mut self, out: &mut dyn Write, dest: &str) -> Result<u64> {
        let mut buf = vec![0u8; crate::fs::STREAM_BUF];
        let mut total = 0u64;
        let bar = crate::progress::Bar::bytes(
            &format!("write {dest}"),
            (self.uncompressed > 0).then_some(self.uncompressed),
        );
        loop {
            crate::interrupt::check().ctx(|| format!("cannot finish {dest}"))?;
            let n = match self.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(Error::Verify(format!(
                        "{}: {}",
                        self.file.display(),
                        crate::error::chain(&e)
                    )))
                }
            };
            out.write_all(&buf[..n])
                .ctx(|| format!("cannot write {dest}"))?;
            total += n as u64;
            bar.inc(n as u64);
        }
        out.flush().ctx(|| format!("cannot write {dest}"))?;
        Ok(total)
    }
}

impl Read for CheckedBackup {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.checked {
            return Ok(0);
        }
        let n = self.decoded.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.verdict()?;
            self.checked = true;
        }
        Ok(n)
    }
}
