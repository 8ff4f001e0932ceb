//! Heuristics that point at columns likely to hold personal data or
//! secrets, for `mask-tool lint`: a column that looks personal but is kept
//! deserves a second look.
//!
//! These are hints, not a classifier. Column names are split into words
//! (`snake_case`, `camelCase`, `kebab-case`, digits) and compared with
//! lists of telling words; values are checked for shapes (e-mail address,
//! phone number, IBAN, card number, IP address, JWT, well-known token
//! prefixes, password hashes, long random-looking strings).
//!
//! Deliberately *not* flagged by value: UUIDs (the usual primary key) and
//! lower-case hex digests of 32, 40 or 64 digits (content hashes, ETags,
//! cache keys are far more common than secrets in that shape, and a hex
//! secret is usually in a column whose name gives it away: `token`,
//! `secret`, `api_key`).

use super::scrub;

/// Why a column name suggests personal data or a secret, if it does.
///
/// Whole words of the name are compared, so `email_verified` and
/// `userEmail` match "email" while `emailed_at` does not; `name` counts
/// alone or with a personal qualifier (`first_name`, `display_name`), not
/// in `file_name` or `table_name`. Covers e-mail, passwords, secrets and
/// tokens, national identifiers, bank and card details, phone numbers,
/// dates of birth, IP addresses, user agents, postal addresses, locations,
/// person names and a few special categories (gender, health, income).
pub fn column_looks_personal(name: &str) -> Option<&'static str> {
    let words = split_words(name);
    // `token_type`, `phone_count`, `email_verified`, `secret_expires_at`: a name that ends in a
    // word describing the value's kind, count or time holds that, not the value itself.
    if words.len() > 1
        && words
            .last()
            .is_some_and(|w| DESCRIPTORS.contains(&w.as_str()))
    {
        return None;
    }
    let joined = words.concat();
    let has = |w: &str| words.iter().any(|x| x == w);
    let pair = |(a, b): (&str, &str)| words.windows(2).any(|p| p[0] == a && p[1] == b);
    for hint in HINTS {
        if hint.words.iter().any(|w| has(w))
            || hint.pairs.iter().any(|&p| pair(p))
            || hint.joined.contains(&joined.as_str())
            || (words.len() == 1 && hint.alone.contains(&joined.as_str()))
        {
            return Some(hint.why);
        }
    }
    if has("name") {
        let personal =
            words.len() == 1 || words.iter().any(|w| NAME_QUALIFIERS.contains(&w.as_str()));
        if personal && !words.iter().any(|w| NOT_PERSON.contains(&w.as_str())) {
            return Some("name suggests a person's name");
        }
    }
    None
}

/// One family of telling column names.
struct Hint {
    /// Any of these words anywhere in the name.
    words: &'static [&'static str],
    /// Any of these two words in a row.
    pairs: &'static [(&'static str, &'static str)],
    /// The whole name, words run together, is one of these.
    joined: &'static [&'static str],
    /// Only when the name is exactly this one word (short, ambiguous ones).
    alone: &'static [&'static str],
    why: &'static str,
}

/// Checked in order: the first family that matches gives the reason
/// (`email_address` is an e-mail address before it is an address).
const HINTS: &[Hint] = &[
    Hint {
        words: &["email", "mail"],
        pairs: &[("e", "mail")],
        joined: &[],
        alone: &[],
        why: "name suggests an e-mail address",
    },
    Hint {
        words: &["password", "passwd", "pwd", "passphrase"],
        pairs: &[],
        joined: &[],
        alone: &[],
        why: "name suggests a password or password hash",
    },
    Hint {
        words: &["secret", "token", "apikey", "otp", "totp", "mfa"],
        pairs: &[("api", "key"), ("private", "key")],
        joined: &[],
        alone: &[],
        why: "name suggests a secret or token",
    },
    Hint {
        words: &["ssn", "passport"],
        pairs: &[("social", "security"), ("national", "id"), ("tax", "id")],
        joined: &[],
        alone: &["tin"],
        why: "name suggests a national identifier",
    },
    Hint {
        words: &["iban", "bic", "cvv", "cvc"],
        pairs: &[("account", "number"), ("card", "number")],
        joined: &[],
        alone: &["pan"],
        why: "name suggests bank or card details",
    },
    Hint {
        words: &[
            "phone",
            "mobile",
            "telephone",
            "tel",
            "fax",
            "msisdn",
            "cell",
        ],
        pairs: &[],
        joined: &[],
        alone: &[],
        why: "name suggests a phone number",
    },
    Hint {
        words: &["birth", "birthday", "dob", "birthdate"],
        pairs: &[],
        joined: &[],
        alone: &[],
        why: "name suggests a date of birth",
    },
    Hint {
        words: &["ip", "ipv4", "ipv6"],
        pairs: &[("remote", "addr")],
        joined: &["ipaddress"],
        alone: &[],
        why: "name suggests an IP address",
    },
    Hint {
        words: &[],
        pairs: &[("user", "agent")],
        joined: &["useragent"],
        alone: &[],
        why: "name suggests a browser user agent",
    },
    Hint {
        words: &[
            "street", "zip", "zipcode", "postal", "postcode", "city", "address", "addr",
        ],
        pairs: &[],
        joined: &[],
        alone: &[],
        why: "name suggests a postal address",
    },
    Hint {
        words: &[
            "latitude",
            "longitude",
            "lat",
            "lng",
            "lon",
            "geo",
            "location",
        ],
        pairs: &[],
        joined: &[],
        alone: &[],
        why: "name suggests a location",
    },
    Hint {
        words: &[
            "surname",
            "firstname",
            "lastname",
            "fullname",
            "username",
            "nickname",
            "forename",
        ],
        pairs: &[],
        joined: &[],
        alone: &[],
        why: "name suggests a person's name",
    },
    Hint {
        words: &[
            "gender",
            "sex",
            "religion",
            "ethnicity",
            "salary",
            "income",
            "diagnosis",
            "health",
        ],
        pairs: &[],
        joined: &[],
        alone: &[],
        why: "name suggests sensitive personal data",
    },
];

/// Words that make `..._name` a person's name.
/// Last words that describe a value rather than hold it.
const DESCRIPTORS: &[&str] = &[
    "type",
    "kind",
    "count",
    "length",
    "len",
    "expires",
    "expiry",
    "expiration",
    "at",
    "scope",
    "status",
    "version",
    "format",
    "hint",
    "verified",
    "confirmed",
    "enabled",
    "sent",
    "provider",
    "strategy",
    "policy",
    "required",
    "ttl",
    "algorithm",
    "alg",
];

const NAME_QUALIFIERS: &[&str] = &[
    "first", "last", "full", "given", "family", "middle", "display", "user", "maiden", "legal",
    "contact", "real", "person", "customer", "owner",
];

/// Words that make `..._name` the name of a thing.
const NOT_PERSON: &[&str] = &[
    "file", "table", "column", "host", "domain", "product", "company", "project", "schema",
    "database", "db", "type", "class", "event", "app", "service",
];

/// Splits an identifier into lower-case words: `providerAccountId` ->
/// provider, account, id; `e_mail` -> e, mail; `IPAddress` -> ip, address.
fn split_words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if !cur.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let boundary = (c.is_uppercase() && (prev.is_lowercase() || prev.is_ascii_digit()))
                || (c.is_uppercase() && prev.is_uppercase() && next_lower)
                || (c.is_ascii_digit() != prev.is_ascii_digit());
            if boundary {
                words.push(std::mem::take(&mut cur));
            }
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// Why a value looks like personal data or a secret, if it does.
///
/// Checks, in order: an e-mail address (alone or inside text), a phone
/// number (alone, with a `+` or separators, so bare integers are not
/// flagged), an IBAN (checksum verified), a payment card number (Luhn
/// verified, 13 to 19 digits with an issuer prefix), a JWT, a token with a
/// well-known prefix (`sk_live_`, `ghp_`, `xoxb-`, `AKIA`...), a password
/// hash (`$2b$`, `$argon2`, `pbkdf2_sha256$`...), an IPv4 address, and a
/// long high-entropy string (20+ characters of letters, digits and
/// `-_+/=`, mixing upper case, lower case and digits, at 4+ bits of
/// Shannon entropy per character). UUIDs and lower-case hex digests are
/// not flagged (see the module docs).
pub fn value_looks_personal(v: &str) -> Option<&'static str> {
    let t = v.trim();
    if t.is_empty() {
        return None;
    }
    let emails = scrub::find_emails(t);
    if let Some(r) = emails.first() {
        return Some(if r.start == 0 && r.end == t.len() {
            "value is an e-mail address"
        } else {
            "value contains an e-mail address"
        });
    }
    let phones = scrub::find_phones(t);
    if phones.iter().any(|r| r.start == 0 && r.end == t.len())
        && t.bytes().any(|b| !b.is_ascii_digit())
    {
        return Some("value looks like a phone number");
    }
    if is_iban(t) {
        return Some("value looks like an IBAN");
    }
    if is_card_number(t) {
        return Some("value looks like a payment card number");
    }
    if is_jwt(t) {
        return Some("value looks like a JWT (signed token)");
    }
    const TOKEN_PREFIXES: [&str; 12] = [
        "sk_live_",
        "sk_test_",
        "rk_live_",
        "pk_live_",
        "ghp_",
        "gho_",
        "ghs_",
        "github_pat_",
        "xoxb-",
        "xoxp-",
        "AKIA",
        "glpat-",
    ];
    if TOKEN_PREFIXES.iter().any(|p| t.starts_with(p)) && t.len() >= 16 && !t.contains(' ') {
        return Some("value looks like an API token");
    }
    const HASH_PREFIXES: [&str; 7] = [
        "$2a$",
        "$2b$",
        "$2y$",
        "$argon2",
        "$scrypt$",
        "pbkdf2_sha256$",
        "$6$",
    ];
    if HASH_PREFIXES.iter().any(|p| t.starts_with(p)) {
        return Some("value looks like a password hash");
    }
    if is_ipv4(t) {
        return Some("value looks like an IP address");
    }
    if phones.iter().any(|r| r.end - r.start >= 9) && t.contains(' ') {
        return Some("value contains a phone number");
    }
    if looks_random(t) {
        return Some("value looks like a high-entropy secret or token");
    }
    None
}

fn is_iban(t: &str) -> bool {
    let s: String = t.chars().filter(|c| *c != ' ').collect();
    let b = s.as_bytes();
    if !(15..=34).contains(&b.len())
        || !b[..2].iter().all(u8::is_ascii_uppercase)
        || !b[2..4].iter().all(u8::is_ascii_digit)
        || !b
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return false;
    }
    // Move the first four characters to the end, letters to numbers, mod 97.
    let mut rem = 0u32;
    for &c in b[4..].iter().chain(&b[..4]) {
        let v = if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c - b'A') + 10
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

fn is_card_number(t: &str) -> bool {
    if !t
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b' ' || b == b'-')
    {
        return false;
    }
    let digits: Vec<u32> = t
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| u32::from(b - b'0'))
        .collect();
    if !(13..=19).contains(&digits.len()) {
        return false;
    }
    let prefix_ok = match digits[..2] {
        [4, _] => true,
        [5, 1..=5] | [3, 4] | [3, 7] | [6, 5] => true,
        [2, 2..=7] => true,
        _ => digits.starts_with(&[6, 0, 1, 1]),
    };
    if !prefix_ok {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn is_jwt(t: &str) -> bool {
    let parts: Vec<&str> = t.split('.').collect();
    parts.len() == 3
        && t.starts_with("eyJ")
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

fn is_ipv4(t: &str) -> bool {
    let parts: Vec<&str> = t.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

fn looks_random(t: &str) -> bool {
    if t.len() < 20 || t.len() > 512 {
        return false;
    }
    if !t
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+' | b'/' | b'=' | b'.'))
    {
        return false;
    }
    let is_uuid = t.len() == 36
        && t.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
    if is_uuid {
        return false;
    }
    let upper = t.bytes().any(|b| b.is_ascii_uppercase());
    let lower = t.bytes().any(|b| b.is_ascii_lowercase());
    let digit = t.bytes().any(|b| b.is_ascii_digit());
    if !(upper && lower && digit) {
        // Lower-case hex digests, plain words and numbers end up here.
        return false;
    }
    let mut counts = [0u32; 256];
    for b in t.bytes() {
        counts[usize::from(b)] += 1;
    }
    let n = t.len() as f64;
    let entropy: f64 = counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum();
    entropy >= 4.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names() {
        for personal in [
            "email",
            "e_mail",
            "E-Mail",
            "mail",
            "userEmail",
            "email_address",
            "phone",
            "mobile",
            "mobilePhone",
            "first_name",
            "lastName",
            "full_name",
            "name",
            "address",
            "street",
            "zip",
            "postal_code",
            "city",
            "birth_date",
            "dob",
            "dateOfBirth",
            "iban",
            "ssn",
            "refresh_token",
            "sessionToken",
            "client_secret",
            "password",
            "passwd",
            "password_hash",
            "api_key",
            "apiKey",
            "ip",
            "ip_address",
            "IPAddress",
            "user_agent",
            "userAgent",
            "display_name",
            "username",
            "access_token",
            "id_token",
        ] {
            assert!(column_looks_personal(personal).is_some(), "{personal}");
        }
        for plain in [
            "id",
            "created_at",
            "user_id",
            "provider",
            "providerAccountId",
            "file_name",
            "table_name",
            "product_name",
            "status",
            "amount",
            "expires",
            "type",
            "scope",
            "description",
            "emailed",
            "shipping",
            "zipper",
        ] {
            assert_eq!(column_looks_personal(plain), None, "{plain}");
        }
        assert_eq!(
            column_looks_personal("email"),
            Some("name suggests an e-mail address")
        );
    }

    #[test]
    fn values() {
        for personal in [
            "anna.meyer@example.com",
            "Contact: anna@x.io please",
            "+49 170 1234567",
            "(030) 123-4567",
            "DE89 3704 0044 0532 0130 00",
            "4111 1111 1111 1111",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcDEF123_-x",
            "sk_live_abcdefghijklmnop",
            "$2b$12$abcdefghijklmnopqrstuv",
            "192.168.1.20",
            "Xk9vQ2mL7pR4tZ8wB3nH6jD1",
        ] {
            assert!(value_looks_personal(personal).is_some(), "{personal}");
        }
        for plain in [
            "",
            "hello world",
            "12345678",
            "550e8400-e29b-41d4-a716-446655440000",
            "d41d8cd98f00b204e9800998ecf8427e",
            "2024-01-31",
            "2024-01-31T10:00:00Z",
            "3.14159",
            "ACTIVE",
            "Bob O'Brien",
            "https://example.com/path",
            "DE00 0000 0000 0000 0000 00",
            "4111 1111 1111 1112",
        ] {
            assert_eq!(value_looks_personal(plain), None, "{plain}");
        }
    }

    #[test]
    fn timestamps_are_not_personal() {
        for v in [
            "2026-01-01 00:00:00+00",
            "2026-11-21T15:37:35.970909542Z",
            "2026-01-01",
            "21.11.2026 10:15",
        ] {
            assert_eq!(value_looks_personal(v), None, "{v}");
        }
    }

    #[test]
    fn descriptors_of_a_value_are_not_the_value() {
        for n in [
            "token_type",
            "tokenType",
            "phone_count",
            "secret_expires_at",
            "email_verified",
            "password_algorithm",
        ] {
            assert_eq!(column_looks_personal(n), None, "{n}");
        }
        for n in [
            "refresh_token",
            "email",
            "phone",
            "birth_date",
            "api_key",
            "password",
        ] {
            assert!(column_looks_personal(n).is_some(), "{n}");
        }
    }
}
