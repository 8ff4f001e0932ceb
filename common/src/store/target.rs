//! Where a backup's bytes go as they are written: a `.partial` file renamed into place, or a
//! multipart upload to object storage that becomes visible only when completed; encrypted on
//! the way (age) when the backup has recipients. Either way, dropped before its commit it
//! leaves nothing listed: the partial file is removed, the upload aborted.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::archive::PartialFile;
use super::codec::HashingWriter;
use super::folder;
use crate::error::{Error, Result};

/// The stored bytes' destination.
pub enum Target {
    /// `<file>.partial`, renamed into place by the commit.
    File(PartialFile),
    /// A streaming upload (16 MiB parts), completed by the commit.
    Object {
        /// The upload.
        upload: Box<remote::Upload>,
        /// Its final URL, for messages.
        url: PathBuf,
    },
}

impl Target {
    /// Starts writing `path`: a local file, or an object when `path` is `s3://…`.
    pub fn create(path: &Path) -> Result<Target> {
        if folder::is_remote(path) {
            let (dir, name) = folder::split(path)?;
            let store = folder::store(&dir)?;
            if store.head(&name)?.is_some() {
                return Err(Error::Usage(format!(
                    "{} already exists; refusing to overwrite it",
                    path.display()
                )));
            }
            Ok(Target::Object {
                upload: Box::new(store.upload(&name)?),
                url: path.to_path_buf(),
            })
        } else {
            Ok(Target::File(PartialFile::create(path)?))
        }
    }

    /// Makes the bytes visible under their final name: rename (fsynced) or upload completion.
    pub fn commit(self) -> Result<PathBuf> {
        match self {
            Target::File(f) => f.commit(),
            Target::Object { upload, url } => {
                upload.finish()?;
                Ok(url)
            }
        }
    }
}

impl Write for Target {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Target::File(f) => f.write(buf),
            Target::Object { upload, .. } => upload.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Target::File(f) => f.flush(),
            // Parts are sent as they fill; flushing would only send a short one.
            Target::Object { .. } => Ok(()),
        }
    }
}

/// Removes a committed backup file or object whose manifest could not be written (best effort:
/// without its manifest it is not a backup, and the next run of its name removes it).
pub fn remove_stored(path: &Path) {
    let gone = if folder::is_remote(path) {
        folder::delete(path).is_ok()
    } else {
        std::fs::remove_file(path).is_ok()
    };
    if !gone {
        tracing::warn!(
            "cannot remove {}, which has no manifest; the next run of its name removes it",
            path.display()
        );
    }
}

/// The stored bytes, encrypted to age recipients or not.
pub enum Sealing {
    /// Stored as written.
    Plain(Target),
    /// Encrypted; the stored (encrypted) bytes are counted and hashed for the manifest.
    Sealed {
        /// The encryptor over the counted target.
        enc: Box<seal::Encryptor<HashingWriter<Target>>>,
        /// The recipients, as written in the manifest.
        recipients: Vec<String>,
    },
}

/// What [`Sealing::finish`] returns: the target, the recipients, and when encrypted the stored
/// bytes' size and sha256.
pub type Sealed = (Target, Vec<String>, Option<(u64, String)>);

impl Sealing {
    /// Wraps `target`, encrypting to `recipients` when there are any (`what` names the file).
    pub fn new(target: Target, recipients: &[seal::Recipient], what: &Path) -> Result<Sealing> {
        if recipients.is_empty() {
            return Ok(Sealing::Plain(target));
        }
        let enc = seal::Encryptor::new(HashingWriter::new(target), recipients).map_err(|e| {
            Error::io(
                format!("cannot start encrypting {}", what.display()),
                io::Error::other(e),
            )
        })?;
        Ok(Sealing::Sealed {
            enc: Box::new(enc),
            recipients: recipients.iter().map(|r| r.to_string()).collect(),
        })
    }

    /// Ends the encryption (its last chunk) and returns the target.
    pub fn finish(self) -> Result<Sealed> {
        match self {
            Sealing::Plain(t) => Ok((t, Vec::new(), None)),
            Sealing::Sealed { enc, recipients } => {
                let hashing = enc
                    .finish()
                    .map_err(|e| Error::io("cannot finish encryption", io::Error::other(e)))?;
                let (t, size, sha) = hashing.finish();
                Ok((t, recipients, Some((size, sha))))
            }
        }
    }
}

impl Write for Sealing {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sealing::Plain(t) => t.write(buf),
            Sealing::Sealed { enc, .. } => enc.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sealing::Plain(t) => t.flush(),
            Sealing::Sealed { enc, .. } => enc.flush(),
        }
    }
}

/// Loads the identities of `--identity FILE` (or the file named by `BACKUP_TOOLS_IDENTITY`)
/// once for the process, so every reader of an encrypted backup can decrypt it.
pub fn set_identity_files(files: &[PathBuf]) -> Result<()> {
    let mut files = files.to_vec();
    if files.is_empty() {
        if let Some(f) = std::env::var_os("BACKUP_TOOLS_IDENTITY").filter(|v| !v.is_empty()) {
            files.push(PathBuf::from(f));
        }
    }
    if files.is_empty() {
        return Ok(());
    }
    // A file that cannot be read or used is a usage error (exit 2), like a missing rules file.
    let ids = seal::Identities::from_files(&files)
        .map_err(|e| Error::bad_input("cannot use the age identities", e))?;
    let _ = IDENTITIES.set(ids);
    Ok(())
}

static IDENTITIES: std::sync::OnceLock<seal::Identities> = std::sync::OnceLock::new();

/// The identities loaded by [`set_identity_files`], if any.
pub fn identities() -> Option<&'static seal::Identities> {
    IDENTITIES.get()
}

/// Decrypts the stored bytes of an encrypted backup (`name` for messages); an error that says
/// how to give an identity when none was.
pub fn decrypt<R: io::Read>(stored: R, name: &Path) -> Result<seal::Decrypted<R>> {
    let Some(ids) = identities() else {
        return Err(Error::Usage(format!(
            "{} is encrypted; give the age identity that decrypts it with --identity FILE \
             (or BACKUP_TOOLS_IDENTITY=FILE)",
            name.display()
        )));
    };
    Ok(seal::decrypt(stored, ids, &name.display().to_string())?)
}

/// The recipients of `--encrypt-to` and `--recipients-file` as canonical public-key texts
/// (each checked), for a backup request.
pub fn recipient_texts(given: &[String], files: &[PathBuf]) -> Result<Vec<String>> {
    Ok(recipients(given, files)?
        .iter()
        .map(|r| r.to_string())
        .collect())
}

/// The recipients of `--encrypt-to` / `encrypt_to` and `--recipients-file`.
pub fn recipients(given: &[String], files: &[PathBuf]) -> Result<Vec<seal::Recipient>> {
    let usage = |e: seal::SealError| Error::bad_input("cannot use the age recipients", e);
    let mut out = Vec::new();
    for r in given {
        out.push(seal::Recipient::parse(r).map_err(usage)?);
    }
    for f in files {
        out.extend(seal::recipients_from_file(f).map_err(usage)?);
    }
    Ok(out)
}
