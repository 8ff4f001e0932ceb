//! Proving a backup is whole: checksum, a full decode, the dump's own end marker, and on request
//! a real restore into a scratch database with row counts compared.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, IoContext, Result};
use crate::jobs::restore::RestoreTarget;
use crate::store::archive::{self, Content, Manifest};
use crate::store::codec::{self, Codec, HashingReader};

/// What `verify` found for one backup file.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    /// The backup file.
    pub file: PathBuf,
    /// Whether every check passed.
    pub ok: bool,
    /// Each failed check, in words that name the file.
    pub problems: Vec<String>,
    /// Bytes of the decompressed stream.
    pub uncompressed_size: u64,
    /// Row counts found in the stream or the snapshot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tables: Option<BTreeMap<String, u64>>,
    /// Outcome of `--restore-test`, if asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restore_test: Option<RestoreTest>,
    /// The backup is encrypted and no identity was given: only its stored bytes (size and
    /// sha256) were checked, not what they decode to.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub encrypted_only: bool,
}

/// The result of restoring into a scratch database and comparing row counts.
#[derive(Debug, Clone, Serialize)]
pub struct RestoreTest {
    /// The scratch target (redacted).
    pub target: String,
    /// Tables whose count differs from the manifest: name, expected, found.
    pub mismatches: Vec<(String, u64, u64)>,
    /// Tables compared.
    pub tables: usize,
}

/// Verifies one backup file against its manifest. Failures are reported, not returned as
/// errors; errors are for problems with the check itself (an unreadable folder).
pub fn verify_file(file: &Path, restore_test: Option<&RestoreTarget>) -> Result<VerifyReport> {
    let mut report = VerifyReport {
        file: file.to_path_buf(),
        ok: false,
        problems: Vec::new(),
        uncompressed_size: 0,
        tables: None,
        restore_test: None,
        encrypted_only: false,
    };
    let manifest = match archive::manifest_for(file) {
        Ok(m) => m,
        Err(e) => {
            report.problems.push(e.describe());
            return Ok(report);
        }
    };
    match crate::store::folder::size(file) {
        Err(e) => {
            report
                .problems
                .push(format!("cannot read {}: {}", file.display(), e.describe()));
            return Ok(report);
        }
        Ok(None) => {
            report.problems.push(format!(
                "cannot read {}: No such file or directory",
                file.display()
            ));
            return Ok(report);
        }
        Ok(Some(len)) if len != manifest.size => report.problems.push(format!(
            "{}: size is {len} bytes, the manifest says {} (truncated or replaced)",
            file.display(),
            manifest.size
        )),
        Ok(Some(_)) => {}
    }
    let sealed_only =
        !manifest.recipients.is_empty() && crate::store::target::identities().is_none();
    if sealed_only {
        // Without the identity only the stored (encrypted) bytes can be checked.
        match check_stored(file) {
            Ok(sha) if sha == manifest.sha256 => {
                report.uncompressed_size = manifest.uncompressed_size;
                report.encrypted_only = true;
            }
            Ok(sha) => report.problems.push(format!(
                "{}: sha256 {} does not match the manifest's {}",
                file.display(),
                short(&sha),
                short(&manifest.sha256)
            )),
            Err(e) => report.problems.push(e.describe()),
        }
        if restore_test.is_some() && report.problems.is_empty() {
            report.problems.push(format!(
                "{}: --restore-test needs the age identity that decrypts it (--identity FILE)",
                file.display()
            ));
        }
        report.ok = report.problems.is_empty();
        return Ok(report);
    }
    match check_stream(file, &manifest) {
        Ok((size, sha, tables)) => {
            report.uncompressed_size = size;
            if sha != manifest.sha256 {
                report.problems.push(format!(
                    "{}: sha256 {} does not match the manifest's {}",
                    file.display(),
                    short(&sha),
                    short(&manifest.sha256)
                ));
            }
            if size != manifest.uncompressed_size {
                report.problems.push(format!(
                    "{}: decompressed size {} differs from the manifest's {}",
                    file.display(),
                    size,
                    manifest.uncompressed_size
                ));
            }
            if let (Some(found), Some(expected)) = (&tables, &manifest.tables) {
                if found != expected {
                    report.problems.push(format!(
                        "{}: row counts in the stream differ from the manifest's",
                        file.display()
                    ));
                }
            }
            report.tables = tables;
        }
        Err(e) => report.problems.push(e.describe()),
    }
    if report.problems.is_empty() {
        if let Some(target) = restore_test {
            match restore_and_compare(file, &manifest, target) {
                Ok(rt) => {
                    if !rt.mismatches.is_empty() {
                        for (t, want, got) in &rt.mismatches {
                            report.problems.push(format!(
                                "{}: restore test found {got} rows in {t}, the manifest says {want}",
                                file.display()
                            ));
                        }
                    }
                    report.restore_test = Some(rt);
                }
                Err(e) => report
                    .problems
                    .push(format!("{}: restore test failed: {e}", file.display())),
            }
        }
    }
    report.ok = report.problems.is_empty();
    Ok(report)
}

/// Verifies every backup in `dir` (only those of `name`, if given). A manifest that cannot be
/// read may stand for a backup that can no longer be verified: it is reported as a failure, not
/// skipped. A folder without any backup is a verification failure too.
pub fn verify_dir(
    dir: &Path,
    name: Option<&str>,
    restore_test: Option<&RestoreTarget>,
) -> Result<Vec<VerifyReport>> {
    let (entries, unreadable) = archive::scan(dir, name)?;
    if entries.is_empty() && unreadable.is_empty() {
        return Err(Error::Verify(format!(
            "no backups to verify in {}",
            dir.display()
        )));
    }
    let mut reports = Vec::new();
    for e in &entries {
        reports.push(verify_file(&e.path, restore_test)?);
    }
    for i in unreadable {
        reports.push(VerifyReport {
            problems: vec![format!("{}: {}", i.path.display(), i.problem)],
            file: i.path,
            ok: false,
            uncompressed_size: 0,
            tables: None,
            restore_test: None,
            encrypted_only: false,
        });
    }
    Ok(reports)
}

fn short(sha: &str) -> &str {
    sha.get(..16).unwrap_or(sha)
}

/// What reading a backup's whole stream found: decompressed size, sha256 of the file, row counts.
type StreamCheck = (u64, String, Option<BTreeMap<String, u64>>);

/// Decodes the whole file, hashing the compressed bytes on the way, and checks the content:
/// pg_dump's completion line for SQL, `integrity_check` for SQLite.
fn check_stream(file: &Path, manifest: &Manifest) -> Result<StreamCheck> {
    let codec: Codec = manifest.codec.parse().map_err(|e| {
        Error::Verify(format!(
            "{}: manifest has an unknown codec: {e}",
            file.display()
        ))
    })?;
    let stored = crate::store::folder::open(file)?;
    let mut hashing = HashingReader::new(crate::fs::StreamReader::new(stored));
    let decode_err = |e: io::Error| {
        Error::Verify(format!(
            "{}: cannot decode the {} stream: {e} (corrupt or truncated)",
            file.display(),
            codec.name()
        ))
    };
    let size;
    let tables;
    {
        let sealed: Box<dyn io::Read + '_> = if manifest.recipients.is_empty() {
            Box::new(&mut hashing)
        } else {
            Box::new(crate::store::target::decrypt(&mut hashing, file)?)
        };
        let mut decoded =
            codec::decoder(codec, crate::fs::StreamReader::new(sealed)).map_err(decode_err)?;
        match manifest.content {
            Content::PlainSql if manifest.name.ends_with(".globals") => {
                // pg_dumpall's globals: a small script that ends with its own line.
                let mut text = Vec::new();
                io::Read::read_to_end(&mut decoded, &mut text).map_err(decode_err)?;
                size = text.len() as u64;
                let tail =
                    String::from_utf8_lossy(&text[text.len().saturating_sub(4096)..]).into_owned();
                if !tail.contains("-- PostgreSQL database cluster dump complete") {
                    return Err(Error::Verify(format!(
                        "{}: the globals do not end with pg_dumpall's completion line (truncated)",
                        file.display()
                    )));
                }
                tables = None;
            }
            Content::PlainSql => {
                let mut counter = CountingSink(0);
                let counts =
                    dump::count_rows(crate::fs::StreamReader::new(&mut decoded), &mut counter)
                        .map_err(|e| match e {
                            dump::DumpError::Io { source, .. } => decode_err(source),
                            other => Error::Verify(format!(
                                "{}: the dump inside is malformed: {other}",
                                file.display()
                            )),
                        })?;
                size = counter.0;
                if !counts.complete {
                    return Err(Error::Verify(format!(
                        "{}: the dump does not end with pg_dump's completion line (truncated dump)",
                        file.display()
                    )));
                }
                tables = Some(
                    counts
                        .tables
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect(),
                );
            }
            Content::Sqlite3 => {
                // The scratch copy holds the backup's data: private, named after the backup so
                // that the next run of that name removes it if this one is killed.
                let dir = if crate::store::folder::is_remote(file) {
                    std::env::temp_dir()
                } else {
                    crate::fs::parent_dir(file)
                };
                let tmp = VerifyScratch(dir.join(format!(
                    ".{}.verify-{}{}",
                    manifest.name,
                    std::process::id(),
                    archive::PARTIAL
                )));
                let mut out = crate::fs::create_private(tmp.path())?;
                size = io::copy(&mut decoded, &mut out).map_err(decode_err)?;
                drop(out);
                crate::engine::sqlite::integrity_check(tmp.path())
                    .map_err(|e| Error::Verify(format!("{}: {}", file.display(), e.describe())))?;
                tables = Some(crate::engine::sqlite::row_counts(tmp.path())?);
            }
        }
        // Drain anything left after the logical end (a gzip member after the data, say).
        io::copy(&mut decoded, &mut io::sink()).map_err(decode_err)?;
    }
    io::copy(&mut hashing, &mut io::sink())
        .ctx(|| format!("cannot read backup {}", file.display()))?;
    let (_, _, sha) = hashing.finish();
    Ok((size, sha, tables))
}

/// Reads the stored bytes whole and returns their sha256.
fn check_stored(file: &Path) -> Result<String> {
    let stored = crate::store::folder::open(file)?;
    let mut hashing = HashingReader::new(crate::fs::StreamReader::new(stored));
    io::copy(&mut hashing, &mut io::sink())
        .map_err(|e| Error::verify_failed(format!("cannot read backup {}", file.display()), e))?;
    Ok(hashing.finish().2)
}

/// verify's scratch copy of an SQLite backup, removed with its journals however the check ends.
struct VerifyScratch(PathBuf);

impl VerifyScratch {
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for VerifyScratch {
    fn drop(&mut self) {
        crate::engine::sqlite::remove_with_journals(&self.0);
    }
}

struct CountingSink(u64);

impl io::Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn restore_and_compare(
    file: &Path,
    manifest: &Manifest,
    target: &RestoreTarget,
) -> Result<RestoreTest> {
    let expected = manifest.tables.clone().unwrap_or_default();
    let found = crate::jobs::restore::restore_scratch(file, manifest, target)?;
    let mut mismatches = Vec::new();
    for (t, want) in &expected {
        let got = found.get(t).copied().unwrap_or(0);
        if got != *want {
            mismatches.push((t.clone(), *want, got));
        }
    }
    Ok(RestoreTest {
        target: target.url.redacted(),
        mismatches,
        tables: expected.len(),
    })
}
