//! Original values to look for, and the independent byte scan that looks for them.
//!
//! The scan is `grep -a -o -F` over every byte of the files (a pg_dump text, a cluster's relation
//! files, an SQLite file with its journal): nothing of the tools' own leak check is used. `grep
//! -o` reports the leftmost-longest needle at each place, so a needle hidden inside a longer one
//! is found by repeating the scan without the needles already found.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Values shorter than this (in characters) are not looked for: too many false alarms.
pub const MIN_LEN: usize = 6;

/// Original values, each with the columns (labels) it came from.
#[derive(Debug, Default, Clone)]
pub struct Needles {
    /// needle -> owning columns
    pub owners: BTreeMap<String, BTreeSet<String>>,
    /// Needles left out, by reason (how many).
    pub excluded: BTreeMap<String, usize>,
    /// What `scrub` leaves of the source's scrubbed text (all but its e-mail addresses and
    /// phone numbers): names, addresses and dates in it are kept by that policy.
    pub scrub_leftovers: String,
}

/// Whether `s` is written as a plain number (`42`, `-3.5`); `0176.3593138`, with a leading zero
/// before more digits, is not how a number is written (it is a phone number).
fn numeric(s: &str) -> bool {
    let t = s.trim();
    let t = t.strip_prefix('-').unwrap_or(t);
    let leading_zero = t.len() > 1 && t.starts_with('0') && !t.starts_with("0.");
    !t.is_empty()
        && !leading_zero
        && t.chars().all(|c| c.is_ascii_digit() || c == '.')
        && t.chars().filter(|c| *c == '.').count() <= 1
}

impl Needles {
    /// Adds an original value of `owner`: lines and tab/backslash-separated pieces of it (a dump
    /// escapes those), each of at least [`MIN_LEN`] characters and not a plain number. A value of
    /// several pieces contributes only pieces of 10+ characters (YAML lines, not `---`).
    pub fn add(&mut self, owner: &str, value: &str) {
        let pieces: Vec<&str> = value
            .split(['\n', '\r', '\t', '\\'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let min = if pieces.len() > 1 { 10 } else { MIN_LEN };
        for p in pieces {
            if p.chars().count() < min || numeric(p) {
                continue;
            }
            // Without letters, fewer than 8 digits (00-346, 12 34 56) turn up inside other
            // numbers by chance (a fake phone holds 200-3461).
            if !p.chars().any(char::is_alphabetic)
                && p.chars().filter(char::is_ascii_digit).count() < 8
            {
                *self
                    .excluded
                    .entry("digits only, fewer than 8".into())
                    .or_default() += 1;
                continue;
            }
            self.owners
                .entry(p.to_string())
                .or_default()
                .insert(owner.to_string());
        }
    }

    /// Number of needles.
    pub fn len(&self) -> usize {
        self.owners.len()
    }

    /// Leaves out the needles `pred` accepts, counted under `reason`.
    pub fn exclude(&mut self, reason: &str, mut pred: impl FnMut(&str) -> bool) {
        let before = self.owners.len();
        self.owners.retain(|k, _| !pred(k));
        let n = before - self.owners.len();
        if n > 0 {
            *self.excluded.entry(reason.to_string()).or_default() += n;
        }
    }

    /// Leaves out the needles found in `files` (legitimate text, e.g. the source's kept data).
    pub fn exclude_found_in(&mut self, reason: &str, files: &[PathBuf]) {
        let found = scan(self, files);
        self.exclude(reason, |k| found.contains_key(k));
    }

    /// Needles of one owner.
    pub fn of(&self, owner: &str) -> usize {
        self.owners.values().filter(|o| o.contains(owner)).count()
    }

    /// Every owner.
    pub fn owners_all(&self) -> BTreeSet<String> {
        self.owners.values().flatten().cloned().collect()
    }
}

/// Needle -> number of occurrences in the bytes of `files` (folders are read recursively).
pub fn scan(needles: &Needles, files: &[PathBuf]) -> BTreeMap<String, u64> {
    let files: Vec<&PathBuf> = files.iter().filter(|f| f.exists()).collect();
    let mut found: BTreeMap<String, u64> = BTreeMap::new();
    if files.is_empty() {
        return found;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let pat = dir.path().join("needles");
    let mut remaining: BTreeSet<&str> = needles.owners.keys().map(String::as_str).collect();
    for _round in 0..20 {
        if remaining.is_empty() {
            break;
        }
        let mut text = String::new();
        for n in &remaining {
            text.push_str(n);
            text.push('\n');
        }
        std::fs::write(&pat, text).expect("write needles");
        let mut c = Command::new("grep");
        c.env("LC_ALL", "C")
            .args(["-a", "-o", "-h", "-F", "-r", "-s", "-f"])
            .arg(&pat)
            .arg("--");
        for f in &files {
            c.arg(f);
        }
        let mut out = c.output().expect("run grep");
        // With -s, exit 2 and nothing on stderr means a file vanished while grep read the
        // folder (the server unlinks a dropped relation's file at a checkpoint): read it again.
        for _ in 0..3 {
            if out.status.code() != Some(2) || !out.stderr.is_empty() {
                break;
            }
            out = c.output().expect("run grep");
        }
        assert!(
            out.status.code().is_some_and(|c| c <= 1) || !out.stdout.is_empty(),
            "grep failed ({:?}): {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        let mut new = 0;
        for line in out.stdout.split(|b| *b == b'\n') {
            if line.is_empty() {
                continue;
            }
            let s = String::from_utf8_lossy(line).into_owned();
            if remaining.contains(s.as_str()) {
                *found.entry(s).or_default() += 1;
                new += 1;
            }
        }
        if new == 0 {
            break;
        }
        remaining.retain(|n| !found.contains_key(*n));
    }
    found
}

/// The files under `dirs` that hold any of `found`'s needles.
pub fn files_holding(found: &BTreeMap<String, u64>, dirs: &[PathBuf]) -> Vec<PathBuf> {
    if found.is_empty() {
        return Vec::new();
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let pat = dir.path().join("needles");
    let text: String = found.keys().map(|k| format!("{k}\n")).collect();
    std::fs::write(&pat, text).expect("write needles");
    let out = Command::new("grep")
        .env("LC_ALL", "C")
        .args(["-a", "-l", "-F", "-r", "-s", "-f"])
        .arg(&pat)
        .arg("--")
        .args(dirs)
        .output()
        .expect("run grep");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(PathBuf::from)
        .collect()
}

/// Survivors of one scan, per owning column: (distinct originals found, occurrences).
pub fn per_owner(
    needles: &Needles,
    found: &BTreeMap<String, u64>,
) -> BTreeMap<String, (usize, u64)> {
    let mut out: BTreeMap<String, (usize, u64)> = BTreeMap::new();
    for (n, count) in found {
        for o in needles.owners.get(n).into_iter().flatten() {
            let e = out.entry(o.clone()).or_default();
            e.0 += 1;
            e.1 += count;
        }
    }
    out
}

/// One line per surviving column: `column: N of M originals (K occurrences), e.g. <len>-char
/// value`. No value is printed, only its length and shape.
pub fn describe(needles: &Needles, found: &BTreeMap<String, u64>) -> Vec<String> {
    per_owner(needles, found)
        .into_iter()
        .map(|(o, (n, occ))| {
            let example = found
                .keys()
                .find(|k| needles.owners.get(*k).is_some_and(|s| s.contains(&o)))
                .map(|k| shape(k))
                .unwrap_or_default();
            format!(
                "{o}: {n} of {} originals survive ({occ} occurrences; e.g. {example})",
                needles.of(&o)
            )
        })
        .collect()
}

/// The shape of a value without its content: letters as `a`/`A`, digits as `9`.
pub fn shape(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(40)
        .map(|c| {
            if c.is_ascii_digit() {
                '9'
            } else if c.is_uppercase() {
                'A'
            } else if c.is_alphabetic() {
                'a'
            } else {
                c
            }
        })
        .collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    format!("{:?}", out)
}

/// Writes `text` to a file in `dir` and returns its path (for scans of text held in memory).
pub fn text_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write text file");
    p
}

/// The at signs of free text: `@`, and the encoded forms URLs, JSON and HTML write (`%40`,
/// `\u0040`, `&#64;`, `&#x40;`), as (position, length).
fn at_signs(text: &str) -> Vec<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for form in ["@", "%40", "\\u0040", "&#64;", "&#x40;"] {
        out.extend(lower.match_indices(form).map(|(i, _)| (i, form.len())));
    }
    out.sort_unstable();
    out
}

/// E-mail addresses inside free text, as written (an encoded at sign stays encoded). A local
/// part may hold an apostrophe (`o'brien@…`) but not start with one (`'anna@…'` is quoted).
pub fn emails_in(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let local = |c: u8| c.is_ascii_alphanumeric() || b"._%+-'".contains(&c);
    let domain = |c: u8| c.is_ascii_alphanumeric() || c == b'.' || c == b'-';
    for (i, sign) in at_signs(text) {
        let mut s = i;
        while s > 0 && local(b[s - 1]) {
            s -= 1;
        }
        let mut e = i + sign;
        while e < b.len() && domain(b[e]) {
            e += 1;
        }
        while e > i + sign && (b[e - 1] == b'.' || b[e - 1] == b'-') {
            e -= 1;
        }
        // Quoted (`u'anna@x.org'`): the apostrophes are quotes, not part of a name.
        if b.get(e) == Some(&b'\'') {
            if let Some(q) = text[s..i].rfind('\'') {
                s += q + 1;
            }
        }
        while s < i && (b[s] == b'.' || b[s] == b'\'') {
            s += 1;
        }
        if s == i || e <= i + sign {
            continue;
        }
        let dom = &text[i + sign..e];
        let Some(tld) = dom.rsplit('.').next() else {
            continue;
        };
        if !dom.contains('.') || tld.len() < 2 || !tld.chars().all(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        out.push(text[s..e].to_string());
    }
    out
}

/// `text` with its e-mail addresses and phone numbers cut out (each replaced by a line break).
pub fn scrub_leftover(text: &str) -> String {
    let mut out = text.to_string();
    for x in emails_in(text).into_iter().chain(phones_in(text)) {
        out = out.replace(&x, "\n");
    }
    out
}

/// Phone numbers inside free text: runs of digits and separators (space, `+ ( ) - . /`, the
/// no-break, narrow no-break and thin spaces, the en dash) that start with `+`, `(` or a digit not
/// glued to a word (a label such as `Tel` or `Fax` may be glued to it: `Fax0301234567`), hold 9
/// to 15 digits and are neither a date nor an IPv4 address (four dotted numbers of 0 to 255
/// without leading zeros: `079.123.45.67` is a Swiss phone number).
///
/// In URLs a space may be written `%20` and a plus `%2B`, and a number may follow an escape
/// (`%22`, `%3A`): numbers written so are found too, as they are written.
pub fn phones_in(text: &str) -> Vec<String> {
    let mut out = phones_in_plain(text);
    let mut decoded = text.to_string();
    for (escape, c) in [
        ("%20", " "),
        ("%2B", "+"),
        ("%2b", "+"),
        ("%22", "\""),
        ("%27", "'"),
        ("%3A", ":"),
        ("%3a", ":"),
    ] {
        decoded = decoded.replace(escape, c);
    }
    if decoded != text {
        for p in phones_in_plain(&decoded) {
            let spaces = p.replace(' ', "%20");
            let plus = spaces.replace('+', "%2B");
            for written in [p, spaces, plus] {
                if text.contains(&written) && !out.contains(&written) {
                    out.push(written);
                }
            }
        }
    }
    out
}

fn phones_in_plain(text: &str) -> Vec<String> {
    let cs: Vec<(usize, char)> = text.char_indices().collect();
    let at = |k: usize| cs.get(k).map_or(text.len(), |c| c.0);
    let part = |c: char| c.is_ascii_digit() || " ()+-./\u{a0}\u{202f}\u{2009}\u{2013}".contains(c);
    // Whether the word right before character k is a label.
    let labelled = |k: usize| {
        let len = cs[..k]
            .iter()
            .rev()
            .take_while(|c| c.1.is_alphabetic())
            .count();
        let word = text[at(k - len)..at(k)].to_lowercase();
        ["tel", "fax", "mobil", "handy"].contains(&word.as_str())
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i].1;
        // A digit right after `%` is part of a URL escape.
        let glued = i > 0
            && (cs[i - 1].1.is_alphanumeric() || cs[i - 1].1 == '_' || cs[i - 1].1 == '%')
            && !labelled(i);
        if !(c.is_ascii_digit() || c == '+' || c == '(') || glued {
            i += 1;
            continue;
        }
        let mut e = i;
        while e < cs.len()
            && part(cs[e].1)
            && !(cs[e].1 == ' ' && cs.get(e + 1).is_some_and(|n| n.1 == ' '))
        {
            e += 1;
        }
        let mut end = e;
        while end > i && !cs[end - 1].1.is_ascii_digit() {
            end -= 1;
        }
        // A run glued to letters on its right (a word like 2nd) is not a phone.
        let glued_right = cs
            .get(end)
            .is_some_and(|n| n.1.is_alphabetic() || n.1 == '_');
        let cand = &text[at(i)..at(end)];
        if !glued_right {
            if phone_shaped(cand) {
                out.push(cand.to_string());
            } else if cand.chars().filter(char::is_ascii_digit).count() > 15 {
                // Two numbers side by side, a space between them.
                out.extend(
                    cand.split(' ')
                        .filter(|p| phone_shaped(p))
                        .map(str::to_string),
                );
            }
        }
        i = e.max(i + 1);
    }
    out
}

/// Whether `cand` has 9 to 15 digits and is neither a date nor an IPv4 address.
fn phone_shaped(cand: &str) -> bool {
    let digits = cand.chars().filter(char::is_ascii_digit).count();
    let date_like = cand.len() >= 10
        && cand.as_bytes()[..10].iter().enumerate().all(|(k, ch)| {
            if k == 4 || k == 7 {
                *ch == b'-'
            } else {
                ch.is_ascii_digit()
            }
        });
    let ip_like = cand.split('.').count() == 4
        && cand
            .split('.')
            .all(|g| g.parse::<u8>().is_ok_and(|v| v.to_string() == g));
    (9..=15).contains(&digits) && !date_like && !ip_like
}

/// The values at a rule path (`a.b`, `list[*].c`) inside a JSON document.
pub fn json_at<'v>(doc: &'v serde_json::Value, path: &str) -> Vec<&'v serde_json::Value> {
    let mut cur = vec![doc];
    for seg in path.split('.') {
        let (name, stars) = match seg.find('[') {
            Some(p) => (&seg[..p], seg[p..].matches("[*]").count()),
            None => (seg, 0),
        };
        let mut next = Vec::new();
        for v in cur {
            let v = if name.is_empty() {
                Some(v)
            } else {
                v.get(name)
            };
            if let Some(v) = v {
                let mut level = vec![v];
                for _ in 0..stars {
                    level = level
                        .into_iter()
                        .flat_map(|x| {
                            x.as_array()
                                .map(|a| a.iter().collect())
                                .unwrap_or_else(Vec::new)
                        })
                        .collect();
                }
                next.extend(level);
            }
        }
        cur = next;
    }
    cur
}

/// Every string inside a JSON value (object keys left out).
pub fn json_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| json_strings(x, out)),
        _ => {}
    }
}

/// Whether `orig` is already what `partial` (keep the first `first` characters, the rest
/// replaced by `ch`) makes of it: such a value maps to itself.
pub fn partial_fixed_point(orig: &str, first: usize, ch: char) -> bool {
    orig.chars()
        .skip(first)
        .all(|c| c == ch || !c.is_alphanumeric())
}

#[test]
fn corpus_scanners_find_what_the_corpus_writes() {
    assert_eq!(
        emails_in("Send the invoice to mary.smith@gmail.com, not to me."),
        vec!["mary.smith@gmail.com"]
    );
    assert_eq!(
        phones_in(
            "Please call me at +1 (212) 555-1234 before delivery. On 2023-01-05 10 ok, 11.22.33.44"
        ),
        vec!["+1 (212) 555-1234"]
    );
    assert_eq!(
        phones_in("New number +44 20 1234 5678."),
        vec!["+44 20 1234 5678"]
    );
    assert!(phones_in("Gate code 4123#, ring twice.").is_empty());
    assert_eq!(
        phones_in(
            "Fax0301234567, Natel 079.123.45.67, ip 10.20.30.40, B\u{fc}ro 030\u{2013}1234567"
        ),
        vec!["0301234567", "079.123.45.67", "030\u{2013}1234567"]
    );
    assert!(phones_in("Hotel0301234567").is_empty());
    assert_eq!(
        phones_in("<a href=\"tel:+1%20212%20555%200143\">, ?p=%2B49%20170%201234567&"),
        vec!["+1%20212%20555%200143", "%2B49%20170%201234567"]
    );
    let mut found = phones_in("q=%220301234567%22&alt=0301234568%200171234567");
    found.sort();
    assert_eq!(found, vec!["0171234567", "0301234567", "0301234568"]);
    assert_eq!(
        emails_in("?e=ann.lee%40x.org, o'hara.k@y.com, 'bo.ng&#64;z.net'"),
        vec!["ann.lee%40x.org", "o'hara.k@y.com", "bo.ng&#64;z.net"]
    );
    assert_eq!(emails_in("[u'ann.lee@x.org']"), vec!["ann.lee@x.org"]);
}
