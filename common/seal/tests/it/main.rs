//! Integration tests of the seal crate: round trips, interoperability both ways with the stock
//! `age` tool (Debian's package), SSH keys from `ssh-keygen`, damaged ciphertext, wrong keys,
//! and secrets kept out of every message.
//!
//! `age`, `age-keygen` and `ssh-keygen` must be installed; when `age` is missing,
//! `scripts/lib/ensure-age.sh` is run to install it, and the tests fail (never skip) if it is
//! still missing.

// Helpers of the tests, like the tests themselves, may unwrap: a failed expectation is the test
// failing, with its message (clippy.toml allows it inside #[test] functions only).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Instant;

use seal::{
    decrypt, is_age_header, recipients_from_file, Encryptor, Identities, Recipient, SealError,
};
use sha2::{Digest, Sha256};

/// age's payload chunk: 64 KiB of plaintext, 16 bytes of tag.
const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;

fn tools() {
    static READY: OnceLock<()> = OnceLock::new();
    READY.get_or_init(|| {
        let have = |tool: &str| Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success());
        if !have("age") || !have("age-keygen") {
            let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/lib/ensure-age.sh");
            let _ = Command::new("bash").arg(&script).status();
        }
        assert!(
            have("age") && have("age-keygen"),
            "the stock age tools are missing; install them with `bash scripts/lib/ensure-age.sh` (apt-get install age)"
        );
        assert!(
            Command::new("ssh-keygen").arg("-?").output().is_ok(),
            "ssh-keygen is missing (apt-get install openssh-client)"
        );
    });
}

fn run(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.stderr(Stdio::piped()).output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// An age identity made by `age-keygen`: (identity file, its public key).
fn age_keygen(dir: &Path, name: &str) -> (PathBuf, String) {
    tools();
    let path = dir.join(name);
    run(Command::new("age-keygen").arg("-o").arg(&path));
    let public = String::from_utf8(run(Command::new("age-keygen").arg("-y").arg(&path))).unwrap();
    (path, public.trim().to_string())
}

/// An unencrypted SSH key made by `ssh-keygen`: (private key file, public key line).
fn ssh_keygen(dir: &Path, kind: &str) -> (PathBuf, String) {
    tools();
    let path = dir.join(format!("id_{kind}"));
    let mut cmd = Command::new("ssh-keygen");
    cmd.args(["-q", "-t", kind, "-N", "", "-C", "backup@test", "-f"])
        .arg(&path);
    if kind == "rsa" {
        cmd.args(["-b", "2048"]);
    }
    run(&mut cmd);
    let public = std::fs::read_to_string(path.with_extension("pub")).unwrap();
    (path, public.trim().to_string())
}

fn random(len: usize, seed: u8) -> Vec<u8> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64 ^ u64::from(seed);
    let mut out = vec![0u8; len];
    for chunk in out.chunks_mut(8) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        chunk.copy_from_slice(&state.to_le_bytes()[..chunk.len()]);
    }
    out
}

fn sha(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

fn encrypt(plain: &[u8], recipients: &[Recipient]) -> Vec<u8> {
    let mut enc = Encryptor::new(Vec::new(), recipients).unwrap();
    // Odd write sizes, to cross chunk boundaries in every way.
    for piece in plain.chunks(7919) {
        enc.write_all(piece).unwrap();
    }
    enc.finish().unwrap()
}

fn decrypt_all(cipher: &[u8], identities: &Identities) -> Result<Vec<u8>, SealError> {
    let mut reader = decrypt(cipher, identities, "test.sql.gz.age")?;
    let mut out = Vec::new();
    reader
        .read_to_end(&mut out)
        .map_err(|err| SealError::take_from_io(err).unwrap())?;
    Ok(out)
}

fn corrupt_detail(cipher: &[u8], identities: &Identities) -> SealError {
    let mut out = Vec::new();
    let err = match decrypt(cipher, identities, "test.sql.gz.age") {
        Err(err) => return err,
        Ok(mut reader) => reader
            .read_to_end(&mut out)
            .expect_err("damaged ciphertext must not decrypt"),
    };
    assert_ne!(err.kind(), std::io::ErrorKind::Interrupted);
    SealError::take_from_io(err).unwrap()
}

#[test]
fn round_trip_of_several_megabytes() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = age_keygen(dir.path(), "key.txt");
    let recipient = Recipient::parse(&public).unwrap();
    assert_eq!(recipient.to_string(), public);
    let plain = random(5 * 1024 * 1024 + 123, 1);
    let cipher = encrypt(&plain, &[recipient]);
    assert!(is_age_header(&cipher));
    assert_eq!(cipher.len(), expected_len(&cipher, plain.len()));
    let identities = Identities::from_file(&key).unwrap();
    let back = decrypt_all(&cipher, &identities).unwrap();
    assert_eq!(sha(&back), sha(&plain));
    // Empty input too.
    let cipher = encrypt(b"", &[Recipient::parse(&public).unwrap()]);
    assert!(decrypt_all(&cipher, &identities).unwrap().is_empty());
}

/// Ciphertext size: header + 16-byte nonce + one tag per 64 KiB chunk (at least one chunk).
fn expected_len(cipher: &[u8], plain_len: usize) -> usize {
    let header = header_len(cipher);
    let chunks = plain_len.div_ceil(CHUNK).max(1);
    header + 16 + plain_len + chunks * TAG
}

/// Length of the age header: up to and including the `--- MAC` line.
fn header_len(cipher: &[u8]) -> usize {
    let at = cipher.windows(4).position(|w| w == b"\n---").unwrap() + 1;
    at + cipher[at..].iter().position(|&b| b == b'\n').unwrap() + 1
}

#[test]
fn stock_age_encrypts_and_we_decrypt() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = age_keygen(dir.path(), "key.txt");
    let plain = random(3 * 1024 * 1024 + 7, 2);
    let input = dir.path().join("plain.bin");
    std::fs::write(&input, &plain).unwrap();
    let output = dir.path().join("plain.bin.age");
    run(Command::new("age")
        .arg("-r")
        .arg(&public)
        .arg("-o")
        .arg(&output)
        .arg(&input));
    let cipher = std::fs::read(&output).unwrap();
    assert!(is_age_header(&cipher));
    let back = decrypt_all(&cipher, &Identities::from_file(&key).unwrap()).unwrap();
    assert_eq!(sha(&back), sha(&plain));
}

#[test]
fn we_encrypt_and_stock_age_decrypts() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = age_keygen(dir.path(), "key.txt");
    let (_, second) = age_keygen(dir.path(), "other.txt");
    let plain = random(2 * 1024 * 1024 + 99, 3);
    // Two recipients, from a recipients file with comments and blank lines.
    let recipients_file = dir.path().join("recipients.txt");
    std::fs::write(
        &recipients_file,
        format!("# backup keys\n\n{public}\n  {second}  \n# end\n"),
    )
    .unwrap();
    let recipients = recipients_from_file(&recipients_file).unwrap();
    assert_eq!(recipients.len(), 2);
    let cipher = encrypt(&plain, &recipients);
    let file = dir.path().join("backup.sql.gz.age");
    std::fs::write(&file, &cipher).unwrap();
    let back = run(Command::new("age").arg("-d").arg("-i").arg(&key).arg(&file));
    assert_eq!(sha(&back), sha(&plain));
}

#[test]
fn ssh_keys_both_ways_with_stock_age() {
    let dir = tempfile::tempdir().unwrap();
    for kind in ["ed25519", "rsa"] {
        let (private, public) = ssh_keygen(dir.path(), kind);
        let recipient = Recipient::parse(&public).unwrap();
        assert_eq!(recipient.kind(), format!("ssh-{kind}"));
        assert!(
            public.starts_with(&recipient.to_string()),
            "Display drops only the comment"
        );
        assert!(!recipient.to_string().contains("backup@test"));
        let plain = random(300_000, 4);
        let identities = Identities::from_file(&private).unwrap();
        // Ours both ways.
        let cipher = encrypt(&plain, &[recipient]);
        assert_eq!(decrypt_all(&cipher, &identities).unwrap(), plain, "{kind}");
        // Ours -> age.
        let file = dir.path().join(format!("{kind}.age"));
        std::fs::write(&file, &cipher).unwrap();
        assert_eq!(
            run(Command::new("age")
                .arg("-d")
                .arg("-i")
                .arg(&private)
                .arg(&file)),
            plain,
            "{kind}"
        );
        // age -> ours.
        let input = dir.path().join("plain");
        std::fs::write(&input, &plain).unwrap();
        let out = dir.path().join(format!("{kind}-by-age.age"));
        run(Command::new("age")
            .arg("-R")
            .arg(private.with_extension("pub"))
            .arg("-o")
            .arg(&out)
            .arg(&input));
        assert_eq!(
            decrypt_all(&std::fs::read(&out).unwrap(), &identities).unwrap(),
            plain,
            "{kind}"
        );
    }
}

#[test]
fn passphrase_protected_ssh_key_is_refused_with_a_reason() {
    tools();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("id_locked");
    run(Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "correct horse battery", "-f"])
        .arg(&path));
    let err = Identities::from_file(&path).unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(
        text.contains("passphrase") && text.contains("id_locked"),
        "{text}"
    );
    assert!(!text.contains("correct horse"), "{text}");
}

#[test]
fn truncated_ciphertext_is_an_error_wherever_it_is_cut() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = age_keygen(dir.path(), "key.txt");
    let identities = Identities::from_file(&key).unwrap();
    // Exactly three full chunks: the last chunk is a full one carrying the "last" flag.
    let plain = random(3 * CHUNK, 5);
    let cipher = encrypt(&plain, &[Recipient::parse(&public).unwrap()]);
    let header = header_len(&cipher);
    let payload = header + 16;
    let boundary = |n: usize| payload + n * (CHUNK + TAG);
    assert_eq!(cipher.len(), boundary(3));
    let cuts = [
        ("inside the header", header / 2),
        ("after the header", header),
        ("inside the nonce", header + 8),
        ("before the first chunk", payload),
        ("inside the first chunk", payload + 1000),
        ("at the first chunk boundary", boundary(1)),
        (
            "at the second chunk boundary: the whole last chunk is gone",
            boundary(2),
        ),
        ("one byte short", cipher.len() - 1),
        ("tag only of the last chunk", boundary(2) + TAG),
    ];
    for (what, at) in cuts {
        let err = corrupt_detail(&cipher[..at], &identities);
        assert!(
            err.is_corrupt() || matches!(err, SealError::NotAge { .. }),
            "{what}: {err:?}"
        );
        let text = err.to_string();
        assert!(text.contains("test.sql.gz.age"), "{what}: {text}");
    }
    // Trailing garbage after the last chunk is refused too.
    let mut longer = cipher.clone();
    longer.extend_from_slice(b"x");
    assert!(corrupt_detail(&longer, &identities).is_corrupt());
    // An encryptor dropped without finish() writes no last chunk.
    let mut out = Vec::new();
    {
        let mut enc = Encryptor::new(&mut out, &[Recipient::parse(&public).unwrap()]).unwrap();
        enc.write_all(&plain).unwrap();
    }
    assert!(corrupt_detail(&out, &identities).is_corrupt());
}

#[test]
fn altered_ciphertext_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = age_keygen(dir.path(), "key.txt");
    let identities = Identities::from_file(&key).unwrap();
    let plain = random(200_000, 6);
    let cipher = encrypt(&plain, &[Recipient::parse(&public).unwrap()]);
    let header = header_len(&cipher);
    for (what, at) in [
        ("a recipient stanza byte", 40),
        ("the header MAC", header - 5),
        ("the nonce", header + 3),
        ("the first chunk", header + 16 + 10),
        ("the first chunk's tag", header + 16 + CHUNK + 3),
        ("the last chunk", cipher.len() - 20),
        ("the last byte", cipher.len() - 1),
    ] {
        let mut bad = cipher.clone();
        bad[at] ^= 0x01;
        let err = corrupt_detail(&bad, &identities);
        assert!(
            err.is_corrupt()
                || err.is_no_matching_identity()
                || matches!(err, SealError::NotAge { .. }),
            "{what}: {err:?}"
        );
    }
}

#[test]
fn wrong_identity_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let (_, public) = age_keygen(dir.path(), "right.txt");
    let (wrong, _) = age_keygen(dir.path(), "wrong.txt");
    let cipher = encrypt(b"secret rows", &[Recipient::parse(&public).unwrap()]);
    let err = decrypt(
        &cipher[..],
        &Identities::from_file(&wrong).unwrap(),
        "s3://bkt/prod.sql.gz.age",
    )
    .unwrap_err();
    assert!(err.is_no_matching_identity(), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("no identity in")
            && text.contains("wrong.txt")
            && text.contains("s3://bkt/prod.sql.gz.age"),
        "{text}"
    );
    // Encrypted with a passphrase (age -p): refused as unsupported, not mistaken for damage.
    let mut passphrase_file = Vec::new();
    let mut w =
        age::Encryptor::with_user_passphrase(age::secrecy::SecretString::from("pw".to_string()))
            .wrap_output(&mut passphrase_file)
            .unwrap();
    w.write_all(b"x").unwrap();
    w.finish().unwrap();
    let err = decrypt(
        &passphrase_file[..],
        &Identities::from_file(&wrong).unwrap(),
        "p.age",
    )
    .unwrap_err();
    assert!(
        matches!(err, SealError::Unsupported { .. }) && err.to_string().contains("passphrase"),
        "{err:?}"
    );
    // Not age at all.
    let err = decrypt(
        &b"\x1f\x8b\x08\x00 gzip data"[..],
        &Identities::from_file(&wrong).unwrap(),
        "plain.sql.gz",
    )
    .unwrap_err();
    assert!(matches!(err, SealError::NotAge { .. }), "{err:?}");
}

#[test]
fn identity_files_must_be_private_and_errors_never_quote_them() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = age_keygen(dir.path(), "key.txt");
    let content = std::fs::read_to_string(&key).unwrap();
    let secret_line = content
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-1"))
        .unwrap()
        .to_string();
    let secret_body = &secret_line["AGE-SECRET-KEY-1".len()..];

    // age-keygen writes 0600; opened up, the file is refused.
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = Identities::from_file(&key).unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(
        text.contains("0644") && text.contains("chmod 600"),
        "{text}"
    );
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();

    let identities = Identities::from_file(&key).unwrap();
    let debug = format!("{identities:?}");
    assert!(
        debug.contains("key.txt") && debug.contains("1 key"),
        "{debug}"
    );
    let mut texts = vec![debug];

    // A damaged identity file: the error names the line number, not the line.
    let damaged = dir.path().join("damaged.txt");
    std::fs::write(
        &damaged,
        format!("# comment\n{secret_line}\n{secret_line}garbage\n"),
    )
    .unwrap();
    std::fs::set_permissions(&damaged, std::fs::Permissions::from_mode(0o600)).unwrap();
    let err = Identities::from_file(&damaged).unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(
        text.contains("damaged.txt") && text.contains("line 3"),
        "{text}"
    );
    texts.push(text);

    // A secret key given where a recipient belongs.
    let err = Recipient::parse(&secret_line).unwrap_err();
    texts.push(format!("{err} {err:?}"));
    let recipients = dir.path().join("recipients.txt");
    std::fs::write(&recipients, format!("{public}\n{secret_line}\n")).unwrap();
    let err = recipients_from_file(&recipients).unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(
        text.contains("line 2") && text.contains("secret key"),
        "{text}"
    );
    texts.push(text);

    // A public key given where an identity belongs.
    let public_file = dir.path().join("public.txt");
    std::fs::write(&public_file, format!("{public}\n")).unwrap();
    std::fs::set_permissions(&public_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let err = Identities::from_file(&public_file).unwrap_err();
    texts.push(format!("{err} {err:?}"));

    // SSH: the private key's base64 never appears either.
    let (ssh_private, _) = ssh_keygen(dir.path(), "ed25519");
    let ssh_text = std::fs::read_to_string(&ssh_private).unwrap();
    let ssh_body: Vec<&str> = ssh_text
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let broken = dir.path().join("id_broken");
    std::fs::write(&broken, ssh_text.replace(ssh_body[1], &ssh_body[1][..10])).unwrap();
    std::fs::set_permissions(&broken, std::fs::Permissions::from_mode(0o600)).unwrap();
    let err = Identities::from_file(&broken).unwrap_err();
    texts.push(format!("{err} {err:?}"));
    texts.push(format!(
        "{:?}",
        Identities::from_file(&ssh_private).unwrap()
    ));

    // Decryption errors.
    let cipher = encrypt(b"x", &[Recipient::parse(&public).unwrap()]);
    texts.push(format!(
        "{:?}",
        corrupt_detail(&cipher[..cipher.len() - 3], &identities)
    ));
    let (other, _) = age_keygen(dir.path(), "other.txt");
    let err = decrypt(&cipher[..], &Identities::from_file(&other).unwrap(), "x").unwrap_err();
    texts.push(format!("{err} {err:?}"));

    for text in &texts {
        assert!(!text.contains(secret_body), "secret key in: {text}");
        assert!(!text.contains(&secret_line), "secret key in: {text}");
        for line in &ssh_body {
            assert!(!text.contains(line), "SSH private key in: {text}");
        }
    }
}

#[test]
fn recipient_parsing_rejects_what_it_cannot_use() {
    tools();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("id_ecdsa");
    run(Command::new("ssh-keygen")
        .args(["-q", "-t", "ecdsa", "-N", "", "-f"])
        .arg(&path));
    let public = std::fs::read_to_string(path.with_extension("pub")).unwrap();
    let err = Recipient::parse(&public).unwrap_err().to_string();
    assert!(
        err.contains("not supported") || err.contains("ssh-ed25519"),
        "{err}"
    );
    let err = recipients_from_file(dir.path().join("missing.txt"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing.txt"), "{err}");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "# nobody\n\n").unwrap();
    assert!(matches!(
        recipients_from_file(&empty).unwrap_err(),
        SealError::EmptyRecipientsFile { .. }
    ));
    assert!(matches!(
        Encryptor::new(Vec::new(), &[]).unwrap_err(),
        SealError::NoRecipients
    ));
}

/// Throughput of streaming encryption and decryption, printed for the record; checks the
/// plaintext is intact.
#[test]
fn streaming_throughput() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = age_keygen(dir.path(), "key.txt");
    let recipients = [Recipient::parse(&public).unwrap()];
    let total: usize = 256 << 20;
    let block = random(1 << 20, 7);

    let started = Instant::now();
    let mut hasher = Sha256::new();
    let mut enc = Encryptor::new(
        std::io::BufWriter::new(std::fs::File::create(dir.path().join("big.age")).unwrap()),
        &recipients,
    )
    .unwrap();
    for _ in 0..total / block.len() {
        enc.write_all(&block).unwrap();
        hasher.update(&block);
    }
    enc.finish().unwrap().flush().unwrap();
    let enc_secs = started.elapsed().as_secs_f64();
    let expected = hex::encode(hasher.finalize());

    let started = Instant::now();
    let identities = Identities::from_file(&key).unwrap();
    let file = std::io::BufReader::new(std::fs::File::open(dir.path().join("big.age")).unwrap());
    let mut reader = decrypt(file, &identities, "big.age").unwrap();
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let dec_secs = started.elapsed().as_secs_f64();
    assert_eq!(hex::encode(hasher.finalize()), expected);
    let mib = (total >> 20) as f64;
    println!("measured: age encrypt {:.0} MiB/s, decrypt {:.0} MiB/s (256 MiB, with sha256 and file I/O)", mib / enc_secs, mib / dec_secs);
}
