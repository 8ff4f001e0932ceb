use super::*;

const X25519_PUBLIC: &str = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

#[test]
fn parses_age_recipient_and_prints_it_back() {
    let r = Recipient::parse(&format!("  {X25519_PUBLIC}\n")).unwrap();
    assert_eq!(r.to_string(), X25519_PUBLIC);
    assert_eq!(r.kind(), "age-x25519");
}

#[test]
fn refuses_a_secret_key_as_recipient_without_echoing_it() {
    let secret = "AGE-SECRET-KEY-1GQ9778VQXMMJVE8SK7J6VT8UJ4HDQAJUVSFCWCM02D8GEWQ72PVQ2Y5J33";
    let err = Recipient::parse(secret).unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("secret key"), "{text}");
    assert!(!text.contains("GQ9778"), "{text}");
}

#[test]
fn refuses_garbage_recipient_with_the_accepted_kinds() {
    let err = Recipient::parse("hello").unwrap_err().to_string();
    assert!(err.contains("age1") && err.contains("ssh-ed25519"), "{err}");
    let err = Recipient::parse("age1notakey").unwrap_err().to_string();
    assert!(err.contains("not a valid age"), "{err}");
}

#[test]
fn age_header_is_recognised() {
    assert!(is_age_header(b"age-encryption.org/v1\n-> X25519 abc\n"));
    assert!(!is_age_header(b"age-encryption.org/v"));
    assert!(!is_age_header(b"\x1f\x8b\x08"));
    assert!(!is_age_header(b"-----BEGIN AGE ENCRYPTED FILE-----\n"));
}

#[test]
fn interrupted_errors_are_never_passed_to_io_callers() {
    let err: io::Error = SealError::Io {
        action: "read",
        what: "x".into(),
        source: io::Error::from(io::ErrorKind::Interrupted),
    }
    .into();
    assert_ne!(err.kind(), io::ErrorKind::Interrupted);
    assert!(SealError::from_io(&err).is_some());
    assert_ne!(
        no_interrupted(io::Error::from(io::ErrorKind::Interrupted)).kind(),
        io::ErrorKind::Interrupted
    );
}
