//! Every secret the tool learns (passwords, key passphrases, the salt) is remembered here, so that
//! text from elsewhere — a child's stderr, a server's message, an error on its way out, a hook's
//! environment — never repeats one, even when a child or a server echoes it back.

use std::sync::Mutex;

static KNOWN: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Shortest value treated as a secret to scrub: shorter ones would blank ordinary words.
const MIN_LEN: usize = 4;

/// What a scrubbed secret is replaced with.
pub const MASK: &str = "***";

/// Remembers a secret value.
pub fn remember(value: &str) {
    if value.len() < MIN_LEN {
        return;
    }
    if let Ok(mut known) = KNOWN.lock() {
        if !known.iter().any(|k| k == value) {
            known.push(value.to_string());
            // Longest first, so a secret that contains another is blanked whole.
            known.sort_by_key(|k| std::cmp::Reverse(k.len()));
        }
    }
}

/// `text` with every remembered secret replaced by [`MASK`].
pub fn scrub(text: &str) -> String {
    let Ok(known) = KNOWN.lock() else {
        return text.to_string();
    };
    let mut out = text.to_string();
    for k in known.iter() {
        if out.contains(k.as_str()) {
            out = out.replace(k.as_str(), MASK);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_secrets_are_blanked_wherever_they_appear() {
        remember("s3cr3t-Pass");
        remember("ab");
        assert_eq!(scrub("password was s3cr3t-Pass!"), "password was ***!");
        assert_eq!(scrub("ab cd"), "ab cd");
    }
}
