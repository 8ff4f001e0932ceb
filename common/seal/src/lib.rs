//! age encryption of byte streams, compatible with the stock `age` tool.
//!
//! A backup encrypted here is an ordinary age file (binary, not armored): `age -d -i key.txt`
//! restores it, and a file made by `age -r RECIPIENT` decrypts here. Both directions stream in
//! 64 KiB chunks, so memory use does not depend on the size of the data.
//!
//! ```text
//! Recipient::parse(text) -> Result<Recipient>            age1… (X25519), ssh-ed25519 …, ssh-rsa …
//! recipients_from_file(path) -> Result<Vec<Recipient>>    one a line, # comments, blank lines
//! Recipient: Display                                      the public key text (safe for a manifest)
//! Encryptor::new(writer, &[Recipient]) -> Result<Encryptor<W>>   (Encryptor: Write)
//! Encryptor::finish(self) -> Result<W>                    writes the final chunk; without it the
//!                                                          file is truncated and will not decrypt
//! Identities::from_file(path) / from_files(paths) -> Result<Identities>
//! decrypt(reader, &Identities, name) -> Result<Decrypted<R>>     (Decrypted: Read)
//! is_age_header(first_bytes) -> bool
//! ```
//!
//! # Decisions
//!
//! - **Identity files must be private.** Like `ssh` with private keys, [`Identities::from_file`]
//!   refuses a file that its group or other users can read, write or execute (any of the bits
//!   `0o077`), with an error that names the file, its mode and `chmod 600`. A world-readable key
//!   is already a leak; a warning nobody reads would not undo it.
//! - **Accepted identities:** age identity files (`AGE-SECRET-KEY-1…` lines, `#` comments, blank
//!   lines, as `age-keygen` writes them) and unencrypted OpenSSH private keys (`ssh-ed25519`,
//!   `ssh-rsa`). A passphrase-protected SSH key is refused with an explanation: a backup tool run
//!   by cron has nobody to type the passphrase. Plugin identities are not supported.
//! - **Accepted recipients:** `age1…` X25519 keys and `ssh-ed25519` / `ssh-rsa` public keys (the
//!   comment after the key is ignored). A line that is a secret key is refused without being
//!   echoed.
//! - **Secrets never leave the process:** no error message or `Debug` output contains key
//!   material or the content of a key file; errors name the file (and a line number) only.
//!   Secret keys are held by the `age` crate, which zeroizes them when dropped.
//! - **Integrity:** age authenticates every 64 KiB chunk and marks the last one. Reading a stream
//!   that was cut anywhere (also exactly at a chunk boundary) or altered in any byte fails with
//!   [`SealError::Corrupt`] (inside the `io::Error` that `read` returns); the data read before
//!   the error must then be thrown away by the caller, as with any failed restore.
//! - **Errors through `std::io`:** [`Encryptor`] and [`Decrypted`] are `Write`/`Read` adapters,
//!   so their per-call errors are `io::Error`s that wrap a [`SealError`]
//!   ([`SealError::from_io`] gets it back). Their kind is never `Interrupted`, which
//!   `read_to_end`, `write_all` and `io::copy` would silently retry.

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The first line of every binary age file (format v1).
pub const AGE_MAGIC: &[u8] = b"age-encryption.org/v1\n";

/// Does `first_bytes` start like an age file?
///
/// True when the bytes begin with the age v1 magic line ([`AGE_MAGIC`], 22 bytes); false for
/// anything shorter, so pass at least the first 22 bytes of the file. Armored (PEM-style) age
/// files are not recognised: this crate neither writes nor reads them.
pub fn is_age_header(first_bytes: &[u8]) -> bool {
    first_bytes.starts_with(AGE_MAGIC)
}

/// What went wrong, naming the file, recipient line or stream, never key material.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SealError {
    /// A recipient given as text is not one we can encrypt to.
    #[error("invalid recipient: {reason}")]
    Recipient {
        /// Why, without repeating the text (it may be a secret key given by mistake).
        reason: String,
    },
    /// A line of a recipients file is not a recipient.
    #[error("invalid recipient on line {line} of {}: {reason}", path.display())]
    RecipientsFileLine {
        /// The recipients file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// Why, without repeating the line.
        reason: String,
    },
    /// Encrypting needs at least one recipient.
    #[error("no recipients given: encrypting needs at least one age or SSH public key")]
    NoRecipients,
    /// A recipients file holds no recipient.
    #[error("recipients file {} holds no recipient", path.display())]
    EmptyRecipientsFile {
        /// The recipients file.
        path: PathBuf,
    },
    /// An identity file could not be used.
    #[error("cannot use identity file {}: {reason}", path.display())]
    IdentityFile {
        /// The identity file.
        path: PathBuf,
        /// Why, without quoting the file.
        reason: String,
    },
    /// An identity file is readable or writable by other users.
    #[error(
        "identity file {} is accessible by group or others (mode {mode:04o}); \
         secret keys must be private: run chmod 600 {}",
        path.display(),
        path.display()
    )]
    IdentityFilePermissions {
        /// The identity file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// No identity was given to decrypt with.
    #[error(
        "no identity files given: decrypting needs at least one age identity or SSH private key"
    )]
    NoIdentities,
    /// None of the identities can open the stream.
    #[error("no identity in {identities} matches the recipients of {input}")]
    NoMatchingIdentity {
        /// The stream being decrypted (file name or object URL).
        input: String,
        /// The identity files that were tried, comma-separated.
        identities: String,
    },
    /// The stream is not an age file at all.
    #[error("{input} is not an age-encrypted file (no age-encryption.org/v1 header)")]
    NotAge {
        /// The stream being decrypted.
        input: String,
    },
    /// The stream is an age file whose header or content fails authentication or is cut short.
    #[error("{input} is truncated or altered: {detail}")]
    Corrupt {
        /// The stream being decrypted.
        input: String,
        /// What age found (no data).
        detail: String,
    },
    /// The stream is an age file of a kind this crate does not decrypt.
    #[error("cannot decrypt {input}: {reason}")]
    Unsupported {
        /// The stream being decrypted.
        input: String,
        /// What kind it is.
        reason: String,
    },
    /// Reading or writing the underlying stream or a key file failed.
    #[error("cannot {action} {what}")]
    Io {
        /// What we were doing ("read", "write", "open").
        action: &'static str,
        /// The file or stream.
        what: String,
        /// The cause.
        #[source]
        source: io::Error,
    },
}

impl SealError {
    /// The [`SealError`] inside an `io::Error` returned by [`Encryptor`] or [`Decrypted`], if any.
    pub fn from_io(err: &io::Error) -> Option<&SealError> {
        err.get_ref()
            .and_then(|inner| inner.downcast_ref::<SealError>())
    }

    /// Takes the [`SealError`] out of an `io::Error` that wraps one; gives the `io::Error` back
    /// otherwise.
    pub fn take_from_io(err: io::Error) -> std::result::Result<SealError, io::Error> {
        if SealError::from_io(&err).is_none() {
            return Err(err);
        }
        let kind = err.kind();
        match err.into_inner().map(|inner| inner.downcast::<SealError>()) {
            Some(Ok(seal)) => Ok(*seal),
            Some(Err(other)) => Err(io::Error::new(kind, other)),
            None => Err(io::Error::from(kind)),
        }
    }

    /// True when decryption failed because the data was cut short or altered.
    pub fn is_corrupt(&self) -> bool {
        matches!(self, SealError::Corrupt { .. })
    }

    /// True when no given identity can decrypt the stream.
    pub fn is_no_matching_identity(&self) -> bool {
        matches!(self, SealError::NoMatchingIdentity { .. })
    }
}

impl From<SealError> for io::Error {
    fn from(err: SealError) -> Self {
        let kind = match &err {
            SealError::Io { source, .. } if source.kind() != io::ErrorKind::Interrupted => {
                source.kind()
            }
            SealError::Corrupt { .. } | SealError::NotAge { .. } => io::ErrorKind::InvalidData,
            _ => io::ErrorKind::Other,
        };
        io::Error::new(kind, err)
    }
}

/// Result of this crate.
pub type Result<T, E = SealError> = std::result::Result<T, E>;

/// A public key to encrypt to: age X25519 (`age1…`) or SSH (`ssh-ed25519`, `ssh-rsa`).
///
/// `Display` prints the canonical public key text (SSH keys without their comment), which is
/// safe to record in a manifest.
#[derive(Clone)]
pub struct Recipient {
    key: RecipientKey,
}

#[derive(Clone)]
enum RecipientKey {
    X25519(age::x25519::Recipient),
    Ssh(age::ssh::Recipient),
}

impl Recipient {
    /// Parses one recipient. Surrounding white space and an SSH key's comment are ignored.
    pub fn parse(text: &str) -> Result<Recipient> {
        parse_recipient(text.trim()).map_err(|reason| SealError::Recipient { reason })
    }

    /// The kind of key: `"age-x25519"`, `"ssh-ed25519"` or `"ssh-rsa"`.
    pub fn kind(&self) -> &'static str {
        match &self.key {
            RecipientKey::X25519(_) => "age-x25519",
            RecipientKey::Ssh(age::ssh::Recipient::SshEd25519(..)) => "ssh-ed25519",
            RecipientKey::Ssh(age::ssh::Recipient::SshRsa(..)) => "ssh-rsa",
        }
    }

    fn as_age(&self) -> &dyn age::Recipient {
        match &self.key {
            RecipientKey::X25519(r) => r,
            RecipientKey::Ssh(r) => r,
        }
    }
}

impl fmt::Display for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            RecipientKey::X25519(r) => write!(f, "{r}"),
            RecipientKey::Ssh(r) => write!(f, "{r}"),
        }
    }
}

impl fmt::Debug for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A public key: printing it is fine and helps.
        write!(f, "Recipient({self})")
    }
}

impl FromStr for Recipient {
    type Err = SealError;
    fn from_str(s: &str) -> Result<Self> {
        Recipient::parse(s)
    }
}

const RECIPIENT_KINDS: &str = "expected an age public key (age1…) or an SSH public key \
                               (ssh-ed25519 … or ssh-rsa …)";

/// The one parser of recipient text; returns a reason that never repeats the text.
fn parse_recipient(text: &str) -> std::result::Result<Recipient, String> {
    if text.is_empty() {
        return Err(format!("empty; {RECIPIENT_KINDS}"));
    }
    if looks_secret(text) {
        return Err(
            "this is a secret key, not a recipient: give its public key \
                    (age-keygen -y FILE, or the .pub file of an SSH key)"
                .to_string(),
        );
    }
    if text.starts_with("age1") {
        if text.starts_with("age1pq") || text.starts_with("age1tag") {
            return Err(format!(
                "post-quantum and tag recipients are not supported; {RECIPIENT_KINDS}"
            ));
        }
        return match age::x25519::Recipient::from_str(text) {
            Ok(r) => Ok(Recipient { key: RecipientKey::X25519(r) }),
            Err(_) if text.contains(char::is_whitespace) => Err(format!(
                "an age public key is a single word (a comment belongs on its own # line); {RECIPIENT_KINDS}"
            )),
            Err(_) if text.len() > 62 => Err(format!(
                "not a valid age X25519 public key (plugin recipients are not supported); {RECIPIENT_KINDS}"
            )),
            Err(_) => Err(format!("not a valid age X25519 public key; {RECIPIENT_KINDS}")),
        };
    }
    if text.starts_with("ssh-") || text.starts_with("ecdsa-") || text.starts_with("sk-") {
        use age::ssh::ParseRecipientKeyError as E;
        return match age::ssh::Recipient::from_str(text) {
            Ok(r) => Ok(Recipient {
                key: RecipientKey::Ssh(r),
            }),
            Err(E::RsaModulusTooSmall) => Err("ssh-rsa key is shorter than 2048 bits".to_string()),
            Err(E::RsaModulusTooLarge) => Err("ssh-rsa key is longer than 16384 bits".to_string()),
            Err(E::Unsupported(kind)) => Err(format!(
                "SSH key type {} is not supported; use ssh-ed25519 or ssh-rsa",
                printable_key_type(&kind)
            )),
            Err(_) => Err(format!("not a valid SSH public key; {RECIPIENT_KINDS}")),
        };
    }
    Err(RECIPIENT_KINDS.to_string())
}

/// A key type name is public, but keep it short and printable before it goes into a message.
fn printable_key_type(kind: &str) -> String {
    kind.chars()
        .filter(|c| c.is_ascii_graphic())
        .take(40)
        .collect()
}

fn looks_secret(text: &str) -> bool {
    text.to_ascii_uppercase().starts_with("AGE-SECRET-KEY-")
        || text.starts_with("AGE-PLUGIN-")
        || text.contains("PRIVATE KEY")
}

/// Reads recipients from a file: one a line, `#` comments and blank lines ignored (the format of
/// `age -R`). A file without any recipient is an error.
pub fn recipients_from_file(path: impl AsRef<Path>) -> Result<Vec<Recipient>> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|source| SealError::Io {
        action: "open recipients file",
        what: path.display().to_string(),
        source,
    })?;
    let mut recipients = Vec::new();
    for (index, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|source| SealError::Io {
            action: "read recipients file",
            what: path.display().to_string(),
            source,
        })?;
        let text = line.trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let recipient = parse_recipient(text).map_err(|reason| SealError::RecipientsFileLine {
            path: path.to_path_buf(),
            line: index + 1,
            reason,
        })?;
        recipients.push(recipient);
    }
    if recipients.is_empty() {
        return Err(SealError::EmptyRecipientsFile {
            path: path.to_path_buf(),
        });
    }
    Ok(recipients)
}

/// A streaming age encryptor: bytes written go out encrypted to `W`, 64 KiB at a time.
///
/// Call [`Encryptor::finish`] at the end: it writes the final, marked chunk. Dropping the
/// encryptor without it leaves a stream that every age implementation rejects as truncated.
pub struct Encryptor<W: Write> {
    inner: age::stream::StreamWriter<W>,
}

impl<W: Write> Encryptor<W> {
    /// Writes the age header for `recipients` to `writer` and returns the encrypting writer.
    pub fn new(writer: W, recipients: &[Recipient]) -> Result<Encryptor<W>> {
        if recipients.is_empty() {
            return Err(SealError::NoRecipients);
        }
        let encryptor = age::Encryptor::with_recipients(recipients.iter().map(Recipient::as_age))
            .map_err(|err| SealError::Recipient {
            // EncryptError carries no key material (recipient labels, I/O).
            reason: format!("cannot encrypt to these recipients together: {err}"),
        })?;
        let inner = encryptor
            .wrap_output(writer)
            .map_err(|source| SealError::Io {
                action: "write",
                what: "the age header".to_string(),
                source,
            })?;
        Ok(Encryptor { inner })
    }

    /// Encrypts and writes the last chunk, flushes, and returns the inner writer.
    pub fn finish(self) -> Result<W> {
        self.inner.finish().map_err(|source| SealError::Io {
            action: "write",
            what: "the end of the encrypted stream".to_string(),
            source,
        })
    }
}

impl<W: Write> Write for Encryptor<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf).map_err(no_interrupted)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush().map_err(no_interrupted)
    }
}

impl<W: Write> fmt::Debug for Encryptor<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Encryptor { .. }")
    }
}

/// `Interrupted` makes `write_all` and `io::copy` retry forever on a persistent error.
fn no_interrupted(err: io::Error) -> io::Error {
    if err.kind() == io::ErrorKind::Interrupted {
        io::Error::other(err)
    } else {
        err
    }
}

/// Secret keys to decrypt with, loaded from identity files.
///
/// `Debug` shows the file names and how many keys each gave, never a key.
pub struct Identities {
    keys: Vec<Box<dyn age::Identity + Send + Sync>>,
    files: Vec<(PathBuf, usize)>,
}

impl Identities {
    /// Loads one identity file: an age identity file or an unencrypted OpenSSH private key.
    /// The file must not be accessible by group or others (see the crate docs).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Identities> {
        Identities::from_files([path.as_ref()])
    }

    /// Loads several identity files; decryption tries every key of every file.
    pub fn from_files<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> Result<Identities> {
        let mut identities = Identities {
            keys: Vec::new(),
            files: Vec::new(),
        };
        for path in paths {
            let path = path.as_ref();
            let keys = load_identity_file(path)?;
            identities.files.push((path.to_path_buf(), keys.len()));
            identities.keys.extend(keys);
        }
        if identities.keys.is_empty() {
            return Err(SealError::NoIdentities);
        }
        Ok(identities)
    }

    /// The identity files, in the order given.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|(path, _)| path.as_path())
    }

    fn describe(&self) -> String {
        let names: Vec<String> = self
            .files
            .iter()
            .map(|(p, _)| p.display().to_string())
            .collect();
        names.join(", ")
    }
}

impl fmt::Debug for Identities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (path, count) in &self.files {
            list.entry(&format_args!(
                "{} ({count} key{})",
                path.display(),
                if *count == 1 { "" } else { "s" }
            ));
        }
        list.finish()
    }
}

/// Largest identity file we read (age's own limit is similar); guards against a wrong path
/// pointing at a large file.
const IDENTITY_FILE_LIMIT: u64 = 1 << 20;

fn load_identity_file(path: &Path) -> Result<Vec<Box<dyn age::Identity + Send + Sync>>> {
    let fail = |reason: String| SealError::IdentityFile {
        path: path.to_path_buf(),
        reason,
    };
    let file = File::open(path).map_err(|source| SealError::Io {
        action: "open identity file",
        what: path.display().to_string(),
        source,
    })?;
    let meta = file.metadata().map_err(|source| SealError::Io {
        action: "inspect identity file",
        what: path.display().to_string(),
        source,
    })?;
    if !meta.is_file() {
        return Err(fail("not a regular file".to_string()));
    }
    check_private(path, &meta)?;
    if meta.len() > IDENTITY_FILE_LIMIT {
        return Err(fail(format!(
            "larger than {IDENTITY_FILE_LIMIT} bytes; not an identity file"
        )));
    }
    let mut content = Vec::with_capacity(meta.len() as usize);
    file.take(IDENTITY_FILE_LIMIT)
        .read_to_end(&mut content)
        .map_err(|source| SealError::Io {
            action: "read identity file",
            what: path.display().to_string(),
            source,
        })?;
    let result = parse_identities(&content).map_err(fail);
    wipe(&mut content);
    result
}

fn wipe(bytes: &mut Vec<u8>) {
    use age::secrecy::zeroize::Zeroize;
    bytes.zeroize();
}

#[cfg(unix)]
fn check_private(path: &Path, meta: &std::fs::Metadata) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o077 != 0 {
        return Err(SealError::IdentityFilePermissions {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path, _meta: &std::fs::Metadata) -> Result<()> {
    Ok(())
}

/// Parses the content of one identity file. Reasons never quote the content.
fn parse_identities(
    content: &[u8],
) -> std::result::Result<Vec<Box<dyn age::Identity + Send + Sync>>, String> {
    let first = content
        .split(|&b| b == b'\n')
        .map(|line| line.trim_ascii())
        .find(|line| !line.is_empty() && !line.starts_with(b"#"))
        .unwrap_or_default();
    if first.starts_with(b"-----BEGIN") {
        return parse_ssh_identity(content);
    }
    if first.starts_with(b"ssh-") || first.starts_with(b"age1") {
        return Err("holds a public key; an identity file needs the secret key \
                    (AGE-SECRET-KEY-1… or an OpenSSH private key)"
            .to_string());
    }
    let file = age::IdentityFile::from_buffer(content)
        // age's own message names a line number, never the line.
        .map_err(|err| err.to_string())?;
    let keys = file.into_identities().map_err(|err| err.to_string())?;
    if keys.is_empty() {
        return Err("holds no AGE-SECRET-KEY-1 line".to_string());
    }
    Ok(keys)
}

fn parse_ssh_identity(
    content: &[u8],
) -> std::result::Result<Vec<Box<dyn age::Identity + Send + Sync>>, String> {
    use age::ssh::{Identity, UnsupportedKey};
    let identity = Identity::from_buffer(content, None)
        .map_err(|_| "not a valid OpenSSH private key".to_string())?;
    match identity {
        Identity::Unencrypted(_) => Ok(vec![Box::new(identity)]),
        Identity::Encrypted(_) => Err("the SSH private key is protected by a passphrase, which \
                                       an unattended tool cannot type; use an age identity \
                                       (age-keygen) or an unencrypted copy kept with mode 0600"
            .to_string()),
        Identity::Unsupported(UnsupportedKey::EncryptedPem) => Err(
            "the SSH private key is in the old encrypted PEM format, which is not supported"
                .to_string(),
        ),
        Identity::Unsupported(UnsupportedKey::EncryptedSsh(cipher)) => Err(format!(
            "the SSH private key is encrypted with an unsupported cipher ({})",
            printable_key_type(&cipher)
        )),
        Identity::Unsupported(UnsupportedKey::Hardware(kind) | UnsupportedKey::Type(kind)) => {
            Err(format!(
                "SSH key type {} is not supported; use ssh-ed25519 or ssh-rsa",
                printable_key_type(&kind)
            ))
        }
    }
}

/// Starts decrypting `reader` with `identities`; `name` (a file name or URL) is used in errors.
///
/// The age header is read and checked here, so a wrong identity, a non-age input or an altered
/// header fails now; damage to the content shows as an error from [`Decrypted`]'s `read`.
pub fn decrypt<R: Read>(
    mut reader: R,
    identities: &Identities,
    name: &str,
) -> Result<Decrypted<R>> {
    use age::DecryptError as E;
    // Look at the magic line first, so a plain or short file is called what it is.
    let mut magic = Vec::with_capacity(AGE_MAGIC.len());
    (&mut reader)
        .take(AGE_MAGIC.len() as u64)
        .read_to_end(&mut magic)
        .map_err(|source| SealError::Io {
            action: "read",
            what: name.to_string(),
            source,
        })?;
    if magic != AGE_MAGIC {
        return Err(SealError::NotAge {
            input: name.to_string(),
        });
    }
    let reader = io::Cursor::new(magic).chain(reader);
    let corrupt = |detail: &str| SealError::Corrupt {
        input: name.to_string(),
        detail: detail.to_string(),
    };
    let decryptor = age::Decryptor::new(reader).map_err(|err| match err {
        E::Io(source) if source.kind() == io::ErrorKind::UnexpectedEof => {
            corrupt("the age header is cut short")
        }
        E::Io(source) if source.kind() == io::ErrorKind::InvalidData => {
            corrupt("the age header cannot be parsed")
        }
        E::Io(source) => SealError::Io {
            action: "read",
            what: name.to_string(),
            source,
        },
        E::UnknownFormat | E::InvalidHeader => corrupt("the age header cannot be parsed"),
        other => corrupt(&other.to_string()),
    })?;
    if decryptor.is_scrypt() {
        return Err(SealError::Unsupported {
            input: name.to_string(),
            reason: "it is encrypted with a passphrase (age -p), not to a recipient".to_string(),
        });
    }
    let stream = decryptor
        .decrypt(
            identities
                .keys
                .iter()
                .map(|key| key.as_ref() as &dyn age::Identity),
        )
        .map_err(|err| match err {
            E::NoMatchingKeys => SealError::NoMatchingIdentity {
                input: name.to_string(),
                identities: identities.describe(),
            },
            E::InvalidMac => SealError::Corrupt {
                input: name.to_string(),
                detail: "the header's MAC does not match (header altered)".to_string(),
            },
            E::Io(source) => SealError::Io {
                action: "read",
                what: name.to_string(),
                source,
            },
            // DecryptionFailed, KeyDecryptionFailed, ExcessiveWork: no key material in them.
            other => SealError::Corrupt {
                input: name.to_string(),
                detail: other.to_string(),
            },
        })?;
    Ok(Decrypted {
        inner: stream,
        name: name.to_string(),
    })
}

/// The plaintext of an age stream, authenticated chunk by chunk as it is read.
pub struct Decrypted<R: Read> {
    inner: age::stream::StreamReader<io::Chain<io::Cursor<Vec<u8>>, R>>,
    name: String,
}

impl<R: Read> Read for Decrypted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).map_err(|err| match err.kind() {
            // age reports a failed chunk tag as InvalidData and a missing last chunk as
            // UnexpectedEof ("age file is truncated" / "Last chunk is invalid").
            io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof => SealError::Corrupt {
                input: self.name.clone(),
                detail: err.to_string(),
            }
            .into(),
            _ => io::Error::from(SealError::Io {
                action: "read",
                what: self.name.clone(),
                source: err,
            }),
        })
    }
}

impl<R: Read> fmt::Debug for Decrypted<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decrypted")
            .field("input", &self.name)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests;
