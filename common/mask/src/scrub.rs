//! Finding e-mail addresses and phone numbers inside free text, and the
//! `scrub` transform that replaces each with its deterministic fake.
//!
//! The finders are hand-written scanners rather than regular expressions:
//! they run on every value of a scrubbed column, and the rules they encode
//! (what counts as a boundary, which digit groups are dates) are easier to
//! state and test as code.
//!
//! Heuristics, in the direction of masking too much:
//!
//! * e-mail: `local@domain.tld` where the local part is letters, digits,
//!   `. _ % + -` or any non-ASCII character, not starting with `.` (an
//!   apostrophe ends it: a name's, `o'brien@…`, reads as a quote, as in
//!   `[u'anna@…']`), the domain is at least two dot-separated labels of
//!   letters, digits, `-` or non-ASCII, and the last label has two or more
//!   letters (or is an `xn--` internationalised top-level domain). The `@` may be
//!   written encoded, as URLs, JSON and HTML write it: `%40`, `\u0040`,
//!   `&#64;` or `&#x40;`. An encoded address gets the fake of the same
//!   address written with `@`, its at sign encoded the same way.
//! * a backslash escape (`\n`, `\t`, `\r`, `\b`, `\f` in JSON text) ends
//!   a word: its letter is part of no address or number beside it.
//! * phone: a run of 7 to 15 digits, optionally starting with `+` or `(`,
//!   whose digit groups are separated by at most three bytes of separators
//!   in a row, not glued to letters or digits on either side, except to a
//!   label such as `Tel`, `Fax`, `Mobil`, `wa.me/`, `电话` or `Тел` before it
//!   (`Tel.0301234567`) and an extension after it (`555-0143x12`, `ext.4`);
//!   CJK and full-width punctuation (`，`, `。`, `：`) is no letter either.
//!   Separators are ` - . / ( )` (one byte each: `0171 / 123 456`), the
//!   no-break space (two bytes) and the thin, narrow no-break and figure
//!   spaces, hyphens and the en dash (three bytes each), as typeset text
//!   writes numbers (`01 23 45 67 89` with no-break spaces,
//!   `030–1234567`), and the URL-encoded space `%20`
//!   (`tel:+49%2030%201234567`, a space also where a run is split). The
//!   digits of a URL escape of punctuation or of a non-ASCII byte belong to
//!   it, and a number may start right after one (`q=%220301234567%22`);
//!   other `%` and digits are a percent sign (`LIKE '%1234567%'`). A run with more digits, or one that
//!   reads as something else, is split at its spaces: its longest part that is a
//!   phone number counts, and the scan goes on after the first space, so a
//!   number or date next to a phone number does not hide it. Runs that read
//!   as a date (`2024-01-31`, `31.01.2024`, `1/31/2024`) or a date and hour
//!   (digits ending in a group of one or two before `:`), a decimal number
//!   (a single `.` or `,` between two groups, the first `0` or not starting
//!   with `0`: `0171.2345678` is a phone number) or an IPv4 address (four
//!   groups of 0 to 255 without leading zeros: the Swiss `079.123.45.67` is
//!   a phone number) are left alone. Order numbers with 7+ digits in free
//!   text are therefore masked too; that is the price of not missing phone
//!   numbers written without separators.

use std::ops::Range;

use super::fake;
use super::salt::Salt;

/// What a match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    Email,
    Phone,
}

/// Replaces every e-mail address and phone number in `text` with its fake
/// (the same fake `fake_email` and `fake_phone` give for that exact text)
/// and appends the result to `out`. Returns whether anything was found; when
/// not, `out` is left untouched.
///
/// This runs on every value of a scrubbed column, so it allocates nothing
/// and skips the text between candidates with vectorised searches: `memchr`
/// for `@`, a chunked search for digits. Text without either is returned
/// unchanged after one pass over it.
pub(crate) fn scrub(salt: &Salt, text: &str, out: &mut String) -> bool {
    let mut last = 0;
    let mut any = false;
    for_each_match(text, |kind, range, sign| {
        out.push_str(&text[last..range.start]);
        match kind {
            Found::Email => email_fake(salt, text, range.clone(), sign, out),
            Found::Phone => phone_fake(salt, &text[range.clone()], out),
        }
        last = range.end;
        any = true;
    });
    if any {
        out.push_str(&text[last..]);
    }
    any
}

/// Writes the fake of the address `text[address]` whose at sign is
/// `text[sign]`: the fake of the address written with a plain `@`, and,
/// when the sign was encoded, with its `@` encoded the same way (a URL
/// stays a URL, and one person's address gets one fake however it is
/// written).
fn email_fake(
    salt: &Salt,
    text: &str,
    address: Range<usize>,
    sign: Range<usize>,
    out: &mut String,
) {
    if sign.len() == 1 {
        fake::email(salt, &text.as_bytes()[address], out);
        return;
    }
    let plain = [
        &text[address.start..sign.start],
        "@",
        &text[sign.end..address.end],
    ]
    .concat();
    let from = out.len();
    fake::email(salt, plain.as_bytes(), out);
    if let Some(k) = out[from..].find('@') {
        out.replace_range(from + k..from + k + 1, &text[sign]);
    }
}

/// Calls `f` for every match, in order and not overlapping: e-mail
/// addresses (with the range of their at sign), and phone numbers in the
/// text between them (each stretch searched on its own, so a phone number
/// never reaches into an address; their at-sign range is empty).
fn for_each_match(text: &str, mut f: impl FnMut(Found, Range<usize>, Range<usize>)) {
    let s = text.as_bytes();
    let mut emails = Emails::new(s);
    let mut gap_start = 0;
    loop {
        let email = emails.next();
        let gap_end = email.as_ref().map_or(s.len(), |(r, _)| r.start);
        let gap = &s[gap_start..gap_end];
        let mut at = 0;
        while let Some(p) = next_phone(gap, &mut at, true) {
            f(Found::Phone, p.start + gap_start..p.end + gap_start, 0..0);
        }
        match email {
            Some((r, sign)) => {
                gap_start = r.end;
                f(Found::Email, r, sign);
            }
            None => return,
        }
    }
}

/// All matches, in order and not overlapping (e-mail addresses first, then
/// phone numbers outside them).
#[cfg(test)]
pub(crate) fn find_all(text: &str) -> Vec<(Found, Range<usize>)> {
    let mut all = Vec::new();
    for_each_match(text, |kind, range, _| all.push((kind, range)));
    all
}

fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-') || b >= 0x80
}

/// Where the local part of the address whose at sign is at `s[at]` starts:
/// local bytes back from it, past the letter of a backslash escape and
/// leading dots. An apostrophe ends it: `o'brien@…` gives up `brien@…`, as
/// `[u'anna@…']` and `E'anna@…'` (quotes) give up `anna@…`.
fn local_start(s: &[u8], at: usize) -> usize {
    let mut start = at;
    while start > 0 && is_local_byte(s[start - 1]) {
        start -= 1;
    }
    if escape_letter(s, start) {
        start += 1;
    }
    while start < at && s[start] == b'.' {
        start += 1;
    }
    start
}

fn is_domain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b >= 0x80
}

/// The length of the at sign at `s[at]`, if one is there: `@`, or `@`
/// encoded as URLs (`%40`), JSON (`\u0040`) or HTML (`&#64;`, `&#x40;`)
/// write it.
#[inline]
pub(crate) fn at_sign(s: &[u8], at: usize) -> Option<usize> {
    let rest = s.get(at..)?;
    let encoded = |form: &[u8]| {
        rest.get(..form.len())
            .is_some_and(|r| r.eq_ignore_ascii_case(form))
    };
    match rest.first()? {
        b'@' => Some(1),
        b'%' if encoded(b"%40") => Some(3),
        b'\\' if encoded(b"\\u0040") => Some(6),
        b'&' if encoded(b"&#64;") => Some(5),
        b'&' if encoded(b"&#x40;") => Some(6),
        _ => None,
    }
}

/// The next at sign (see [`at_sign`]) at or after `from`: its position and
/// length. The places that may start one (`@`, or the first two bytes of
/// an encoded one) are found 32 at a time, as a bit mask whose bits are
/// checked in turn.
fn next_at_sign(s: &[u8], from: usize) -> Option<(usize, usize)> {
    #[cfg(target_arch = "x86_64")]
    {
        let mut at = from;
        loop {
            // The last bytes (fewer than 33, often a whole short value) are
            // looked at once more, zeros after them.
            let mut tail = [0u8; 33];
            let (chunk, last) = match s.get(at..).and_then(<[u8]>::first_chunk::<33>) {
                Some(chunk) => (chunk, false),
                None => {
                    let rest = s.get(at..).unwrap_or_default();
                    tail[..rest.len()].copy_from_slice(rest);
                    (&tail, true)
                }
            };
            // SAFETY: SSE2 is part of x86_64 itself (every x86_64 processor
            // has it, and the target enables it).
            let mut bits = unsafe { super::simd::sign_bytes(chunk) };
            while bits != 0 {
                let p = at + bits.trailing_zeros() as usize;
                if let Some(n) = at_sign(s, p) {
                    return Some((p, n));
                }
                bits &= bits - 1;
            }
            if last {
                return None;
            }
            at += 32;
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    (from..s.len()).find_map(|p| at_sign(s, p).map(|n| (p, n)))
}

/// The e-mail addresses of a text, one at a time, found from their at sign.
struct Emails<'a> {
    s: &'a [u8],
    /// Where the search for the next at sign goes on.
    from: usize,
    /// End of the previous address.
    last_end: Option<usize>,
}

impl<'a> Emails<'a> {
    fn new(s: &'a [u8]) -> Self {
        Emails {
            s,
            from: 0,
            last_end: None,
        }
    }
}

impl Iterator for Emails<'_> {
    /// The address, and its at sign.
    type Item = (Range<usize>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        let s = self.s;
        while let Some((at, sign)) = next_at_sign(s, self.from) {
            self.from = at + 1;
            if self.last_end.is_some_and(|e| at < e) {
                continue;
            }
            let start = local_start(s, at);
            if start == at || self.last_end.is_some_and(|e| start < e) {
                continue;
            }
            let domain_start = at + sign;
            let mut end = domain_start;
            while end < s.len() && is_domain_byte(s[end]) {
                end += 1;
            }
            while end > domain_start && matches!(s[end - 1], b'.' | b'-') {
                end -= 1;
            }
            let domain = &s[domain_start..end];
            let mut labels = domain.split(|&b| b == b'.');
            let count = labels.clone().count();
            if count < 2 || labels.any(<[u8]>::is_empty) {
                continue;
            }
            let tld = domain.rsplit(|&b| b == b'.').next().unwrap_or_default();
            if !is_tld(tld) {
                continue;
            }
            self.last_end = Some(end);
            return Some((start..end, at..domain_start));
        }
        None
    }
}

/// Byte ranges of the e-mail addresses in `text`. Ranges start and end next
/// to ASCII bytes (or the ends of the text), so they are char boundaries.
pub(crate) fn find_emails(text: &str) -> Vec<Range<usize>> {
    Emails::new(text.as_bytes())
        .map(|(address, _)| address)
        .collect()
}

/// Whether `%` then `a`, `b` is a URL escape as URLs write them: of a
/// space or punctuation (`%20` to `%2F`, `%3A` to `%3F`, `%40`, `%5B` to
/// `%5F`, `%7B` to `%7E`), a line break or tab, or a byte of a non-ASCII
/// character (`%80` to `%FF`). Other `%` and two digits are more often a
/// percent sign or a SQL `LIKE` wildcard before a number (`'%1234567%'`).
fn url_escape(a: u8, b: u8) -> bool {
    let (a, b) = (a.to_ascii_uppercase(), b.to_ascii_uppercase());
    b.is_ascii_hexdigit()
        && match a {
            b'2' => true,
            b'3' => b >= b'A',
            b'4' => b == b'0',
            b'5' | b'7' => (b'B'..=b'F').contains(&b),
            b'0' => matches!(b, b'9' | b'A' | b'D'),
            b'8' | b'9' | b'A'..=b'F' => true,
            _ => false,
        }
}

/// Whether `s[..at]` ends with a URL escape (see [`url_escape`]: `%2B` in
/// `tel:%2B49…`, `%20`, `%22` in `q=%220301234567%22`): the digits after it
/// start a number, not a word.
fn escape_before(s: &[u8], at: usize) -> bool {
    at >= 3 && s[at - 3] == b'%' && url_escape(s[at - 2], s[at - 1])
}

/// Where the URL escape (see [`url_escape`]) that the digit `s[d]` is part
/// of ends, if it is part of one.
fn escape_end(s: &[u8], d: usize) -> Option<usize> {
    if d >= 1 && s[d - 1] == b'%' && s.get(d + 1).is_some_and(|&b| url_escape(s[d], b)) {
        Some(d + 2)
    } else if d >= 2 && s[d - 2] == b'%' && url_escape(s[d - 1], s[d]) {
        Some(d + 1)
    } else {
        None
    }
}

/// Whether a number starts at `s[at]`: a digit, or `+`/`(` and a digit.
fn starts_number(s: &[u8], at: usize) -> bool {
    let digit = |k: usize| s.get(k).is_some_and(u8::is_ascii_digit);
    digit(at) || (matches!(s.get(at), Some(b'+' | b'(')) && digit(at + 1))
}

/// Whether the digits right before `end` are one or two: an hour, when a
/// `:` follows.
fn hour_before(s: &[u8], end: usize) -> bool {
    s[..end]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count()
        <= 2
}

/// Whether a domain's last label can be a top-level domain: two or more
/// letters (or non-ASCII), or an internationalised one in its ASCII form
/// (`xn--p1ai`).
fn is_tld(tld: &[u8]) -> bool {
    let letters = tld.len() >= 2 && tld.iter().all(|&b| b.is_ascii_alphabetic() || b >= 0x80);
    let punycode = tld.len() > 4
        && tld[..4].eq_ignore_ascii_case(b"xn--")
        && tld[4..]
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-');
    letters || punycode
}

/// Whether `s[at]` is the letter of a backslash escape for a line break,
/// tab or other control character (`\n`, `\t`, `\r`, `\b`, `\f`: an odd
/// number of backslashes right before it), as JSON text and escaped strings
/// write them. Such a letter belongs to no address or number next to it:
/// `Hallo\nanna@corp.example` holds `anna@corp.example`, and a phone number
/// right after `\n` starts a line, not a word.
fn escape_letter(s: &[u8], at: usize) -> bool {
    if !matches!(s.get(at), Some(b'n' | b't' | b'r' | b'b' | b'f')) {
        return false;
    }
    let backslashes = s[..at].iter().rev().take_while(|&&b| b == b'\\').count();
    backslashes % 2 == 1
}

/// The length of the separator at `s[j]` (see the module docs), 0 if
/// none is there.
#[inline]
fn separator_len(s: &[u8], j: usize) -> usize {
    match s[j] {
        b' ' | b'-' | b'.' | b'/' | b'(' | b')' => 1,
        b'%' if s.get(j + 1..j + 3) == Some(b"20") => 3,
        0xc2 if s.get(j + 1) == Some(&0xa0) => 2,
        0xe2 if s.get(j + 1) == Some(&0x80) && s.get(j + 2).is_some_and(|&b| wide_separator(b)) => {
            3
        }
        _ => 0,
    }
}

/// Whether U+2000 + `last - 0x80` is a wide separator: U+2007 figure
/// space, U+2009 thin space, U+2010 to U+2013 hyphens and dashes, U+202F
/// narrow no-break space (`last` is the third byte of its UTF-8 form).
fn wide_separator(last: u8) -> bool {
    matches!(last, 0x87 | 0x89 | 0x90..=0x93 | 0xaf)
}

/// Whether `s[..i]` ends with a non-ASCII separator: then the byte before
/// `i`, though not ASCII, is no letter of a word.
fn separator_before(s: &[u8], i: usize) -> bool {
    (i >= 2 && s[i - 2..i] == [0xc2, 0xa0])
        || (i >= 3 && s[i - 3..i - 1] == [0xe2, 0x80] && wide_separator(s[i - 1]))
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Words that label the phone number right after them, even with no space
/// between (`Tel.0301234567`, `Fax0301234567`, `wa.me/491701234567`,
/// `电话13812345678`, `Тел.+79161234567`). ASCII letters match in any case.
const LABELS: [&[u8]; 37] = [
    b"tel",
    b"tele",
    b"telefon",
    b"telephone",
    b"phone",
    b"ph",
    b"fon",
    b"mob",
    b"mobil",
    b"mobile",
    b"cell",
    b"handy",
    b"fax",
    b"tlf",
    b"tfn",
    b"whatsapp",
    b"wa.me",
    b"t.me",
    b"sms",
    b"nr",
    b"telnr",
    b"telefonnr",
    b"rufnr",
    b"faxnr",
    b"handynr",
    b"mobilnr",
    "tél".as_bytes(),
    "Tél".as_bytes(),
    "тел".as_bytes(),
    "Тел".as_bytes(),
    "ТЕЛ".as_bytes(),
    "电话".as_bytes(),
    "電話".as_bytes(),
    "手机".as_bytes(),
    "手機".as_bytes(),
    "携帯".as_bytes(),
    "☎".as_bytes(),
];

/// Whether the text right before the phone number candidate at `i` is one
/// of the [`LABELS`], as a whole word (after no ASCII letter, digit or
/// `_`), then nothing or one of `. : - /` and the full-width colon `：`.
fn label_before(s: &[u8], i: usize) -> bool {
    let mut end = i;
    if end > 0 && matches!(s[end - 1], b'.' | b':' | b'-' | b'/') {
        end -= 1;
    } else if end >= 3 && s[end - 3..end] == *"：".as_bytes() {
        end -= 3;
    }
    LABELS.iter().any(|label| {
        end >= label.len()
            && s[end - label.len()..end].eq_ignore_ascii_case(label)
            && (end == label.len() || {
                let before = end - label.len() - 1;
                !(s[before].is_ascii_alphanumeric() || s[before] == b'_')
                    || escape_letter(s, before)
            })
    })
}

/// Whether the byte before `s[i]` (`i > 0`) ends a word a number would be
/// glued to: a letter, digit or `_`, or non-ASCII other than a separator or
/// CJK punctuation, and not the letter of a backslash escape or the end of
/// a URL escape.
fn word_before(s: &[u8], i: usize) -> bool {
    is_word_byte(s[i - 1])
        && !(escape_letter(s, i - 1)
            || escape_before(s, i)
            || separator_before(s, i)
            || (i >= 3 && cjk_punctuation(s, i - 3)))
}

/// Whether `s[at..]` starts with CJK punctuation (U+3000 to U+303F: `。`,
/// `、`) or a full-width form of ASCII punctuation (U+FF01 to U+FF0F,
/// U+FF1A to U+FF20: `，`, `：`, `）`): the end of a number in Chinese or
/// Japanese text, not a letter glued to it.
fn cjk_punctuation(s: &[u8], at: usize) -> bool {
    match s.get(at..at + 3) {
        Some([0xe3, 0x80, b]) => (0x80..=0xbf).contains(b),
        Some([0xef, 0xbc, b]) => (0x81..=0x8f).contains(b) || (0x9a..=0xa0).contains(b),
        _ => false,
    }
}

/// Whether `s[end..]` is a phone extension glued to the number before it:
/// `x`, `ext` or `ext.` (any case), a space or `:` or nothing, one to six
/// digits, then no word byte (`+1 202-555-0143x12`, `555-0143ext. 4`). The
/// number ends before it.
fn extension_after(s: &[u8], end: usize) -> bool {
    let rest = &s[end..];
    let marker = if rest.len() >= 4 && rest[..4].eq_ignore_ascii_case(b"ext.") {
        4
    } else if rest.len() >= 3 && rest[..3].eq_ignore_ascii_case(b"ext") {
        3
    } else if rest.first().is_some_and(|b| b.eq_ignore_ascii_case(&b'x')) {
        1
    } else {
        return false;
    };
    let marker = marker + usize::from(matches!(rest.get(marker), Some(b' ' | b':')));
    let digits = rest[marker..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    (1..=6).contains(&digits)
        && rest
            .get(marker + digits)
            .is_none_or(|&b| !is_word_byte(b) || escape_letter(s, end + marker + digits))
}

/// Position of the first ASCII digit at or after `from` that may start a
/// phone number: one not right after another digit, with at least seven
/// digits among the 25 bytes from it.
///
/// A run of seven digits or more has its first seven within 25 bytes of
/// its first digit (at most three bytes of separators between two digits). A digit
/// with fewer there starts no run of seven, and neither does a digit inside
/// such a run (its run is the rest of the same one); a digit right after a
/// digit is glued to it. [`next_phone`] would find nothing at either and go
/// on after it, so skipping them changes nothing but the time. Digits are
/// found as bit masks of 32-byte blocks, and a block whose pair with the
/// next holds fewer than seven digits is passed whole: most digits of free
/// text (amounts, versions, years) never reach [`next_phone`]'s checks.
fn next_candidate_digit(s: &[u8], from: usize) -> Option<usize> {
    let mut block = from / 32 * 32;
    let mut here = digit_mask(s, block);
    // Whether the byte before the block is a digit.
    let mut carry = block > 0 && s[block - 1].is_ascii_digit();
    let mut starts = here & !(here << 1 | u32::from(carry)) & (u32::MAX << (from - block));
    while block < s.len() {
        let next = digit_mask(s, block + 32);
        let pair = u64::from(here) | u64::from(next) << 32;
        if starts != 0 && pair.count_ones() >= 7 {
            while starts != 0 {
                let k = starts.trailing_zeros();
                if (pair >> k & 0x1ff_ffff).count_ones() >= 7 {
                    return Some(block + k as usize);
                }
                starts &= starts - 1;
            }
        }
        carry = here >> 31 != 0;
        block += 32;
        here = next;
        starts = here & !(here << 1 | u32::from(carry));
    }
    None
}

/// The bytes of `s` from `at` (fewer than 32), then zeros.
#[cold]
fn padded(s: &[u8], at: usize) -> [u8; 32] {
    let mut tail = [0u8; 32];
    let rest = s.get(at..).unwrap_or_default();
    let n = rest.len().min(32);
    tail[..n].copy_from_slice(&rest[..n]);
    tail
}

/// Bit k set when `s[at + k]` is an ASCII digit, for k below 32; bytes past
/// the end of `s` are not.
#[inline]
fn digit_mask(s: &[u8], at: usize) -> u32 {
    let mask = |window: &[u8; 32]| {
        #[cfg(target_arch = "x86_64")]
        {
            let (low, high) = window.split_at(16);
            let half = |h: &[u8]| {
                let mut c = [0u8; 16];
                c.copy_from_slice(h);
                // SAFETY: SSE2 is part of x86_64 itself (every x86_64
                // processor has it, and the target enables it).
                unsafe { sse2_digits(&c) }
            };
            half(low) | half(high) << 16
        }
        #[cfg(not(target_arch = "x86_64"))]
        digit_mask_plain(window)
    };
    match s.get(at..).and_then(<[u8]>::first_chunk::<32>) {
        Some(window) => mask(window),
        None => mask(&padded(s, at)),
    }
}

/// [`digit_mask`] of one window, a byte at a time.
#[cfg(any(test, not(target_arch = "x86_64")))]
fn digit_mask_plain(window: &[u8; 32]) -> u32 {
    window
        .iter()
        .enumerate()
        .fold(0, |m, (k, b)| m | u32::from(b.is_ascii_digit()) << k)
}

/// Bit k set for each byte k of `chunk` that is an ASCII digit.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
#[inline]
fn sse2_digits(chunk: &[u8; 16]) -> u32 {
    use super::simd::{digit_lanes, load};
    std::arch::x86_64::_mm_movemask_epi8(digit_lanes(load(chunk))) as u32
}

/// The next phone number in `s` at or after `*at` (from the first digit,
/// or the `+`/`(` before it, to the last digit); advances `*at` past it.
/// With `split`, runs that are no phone number as a whole are looked into
/// at their spaces (what scrub does, erring towards masking); without it
/// (detection for lint, where a grouped card or account number that fails
/// its checksum must not read as a phone number) they are skipped whole.
fn next_phone(s: &[u8], at: &mut usize, split: bool) -> Option<Range<usize>> {
    next_phone_from(s, at, split, next_candidate_digit)
}

/// [`next_phone`] with the candidate digits found by `next_digit` (the
/// digit at or after a position that may start a phone number).
#[inline]
fn next_phone_from(
    s: &[u8],
    at: &mut usize,
    split: bool,
    next_digit: impl Fn(&[u8], usize) -> Option<usize>,
) -> Option<Range<usize>> {
    loop {
        // Candidates start at a digit, or at a `+`/`(` right before one.
        let d = next_digit(s, *at)?;
        let i = if d > *at && matches!(s[d - 1], b'+' | b'(') {
            d - 1
        } else if let Some(e) = escape_end(s, d) {
            // A digit of a URL escape belongs to it; a number may start
            // right after it (whose first digit, after a digit, is never a
            // candidate itself).
            if !starts_number(s, e) {
                *at = d + 1;
                continue;
            }
            e
        } else {
            d
        };
        // Not glued to a word, nor to one through a single separator (the
        // digit group at the end of a UUID, a version or a part number).
        let glued_before = i > 0
            && (word_before(s, i)
                || s[i - 1] == b'+'
                || (matches!(s[i - 1], b'-' | b'.' | b'/') && i > 1 && is_word_byte(s[i - 2])))
            && !label_before(s, i)
            // A digit of a URL escape (only the every-digit search of the
            // tests gets here with one).
            || escape_end(s, i).is_some();
        if glued_before {
            *at = i + 1;
            continue;
        }
        // Extend over digits and short runs of separators. With `split`, a
        // run that has more than 15 digits (no phone number as a whole, nor
        // any part of it that reaches further) and a space between two of
        // them (where the search goes on) is read no further: what follows
        // would change nothing, and reading it again from every space would
        // make a long run of spaced digits cost the square of its length.
        let mut j = if s[i].is_ascii_digit() { i } else { i + 1 };
        let mut last_digit = j;
        let mut seps = 0;
        let mut digits = 0usize;
        // The first space between two digits of the run, and a space since
        // the last digit.
        let (mut first_space, mut space) = (None, None);
        while j < s.len() {
            let c = s[j];
            if c.is_ascii_digit() {
                last_digit = j;
                seps = 0;
                digits += 1;
                first_space = first_space.or(space);
                space = None;
                if split && digits > 15 && first_space.is_some() {
                    break;
                }
            } else {
                let n = separator_len(s, j);
                if n == 0 || seps + n > 3 {
                    break;
                }
                seps += n;
                if c == b' ' || c == b'%' {
                    space = space.or(Some(j));
                }
                j += n;
                #[cfg(test)]
                tests::count_steps(n);
                continue;
            }
            j += 1;
            #[cfg(test)]
            tests::count_steps(1);
        }
        let end = last_digit + 1;
        // Too few digits for a phone number, and so is every part of the
        // run (any candidate inside it ends where it ends): skip it whole.
        // Most digit runs of free text are these (amounts, versions, years).
        if digits < 7 {
            *at = end.max(i + 1);
            continue;
        }
        // Followed by ':' after a group of one or two digits it is the hour
        // of a time ("2026-01-01 10:00"), not a phone number ("Tel: 0301234567:" is).
        let glued = s.get(end).is_some_and(|&c| {
            (is_word_byte(c)
                && separator_len(s, end) == 0
                && !extension_after(s, end)
                && !cjk_punctuation(s, end))
                || (c == b':' && hour_before(s, end))
        });
        if !glued && (7..=15).contains(&digits) && looks_like_phone(&s[i..end]) {
            *at = end;
            return Some(i..end);
        }
        // Not as a whole: a phone number may be followed (or preceded) by
        // another number, a space between them: "+49 170 1234567 4242",
        // "2024-03-17 0301234567". Try the longest part that ends before a
        // space, then go on after the first space.
        let run = &s[i..end];
        if !split {
            *at = end.max(i + 1);
            continue;
        }
        let mut cut = run.len();
        // Spaces, plain or encoded (a `%` in a run is one of `%20`).
        while let Some(sp) = memchr::memrchr2(b' ', b'%', &run[..cut]) {
            cut = sp;
            let part = &run[..sp];
            if !part.last().is_some_and(u8::is_ascii_digit) {
                continue;
            }
            let n = phone_digits(part);
            #[cfg(test)]
            tests::count_steps(part.len());
            if (7..=15).contains(&n) && looks_like_phone(part) {
                *at = i + sp;
                return Some(i..i + sp);
            }
        }
        *at = match memchr::memchr2(b' ', b'%', run) {
            // After a `%20`, on its 2: a number right after the escape
            // starts there.
            Some(sp) => i + sp + 1,
            // Skip the whole run: its tail is no phone number either.
            None => end.max(i + 1),
        };
    }
}

/// Byte ranges of phone numbers in `text` (from the first digit, or the
/// `+`/`(` before it, to the last digit), runs taken whole: what lint's
/// detection uses; scrub also looks into runs at their spaces.
pub(crate) fn find_phones(text: &str) -> Vec<Range<usize>> {
    let s = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(p) = next_phone(s, &mut at, false) {
        found.push(p);
    }
    found
}

/// The digits of a candidate (a run of digits and separators), those of
/// its encoded spaces (`%20`) left out.
fn phone_digits(candidate: &[u8]) -> usize {
    let (digits, escapes) = candidate.iter().fold((0, 0), |(d, e), &b| {
        (
            d + usize::from(b.is_ascii_digit()),
            e + usize::from(b == b'%'),
        )
    });
    digits - 2 * escapes
}

/// The fake of the phone number `found` (see [`fake::phone`]); its encoded
/// spaces (`%20`) stay encoded, and it is the fake of the same number
/// written with spaces.
fn phone_fake(salt: &Salt, found: &str, out: &mut String) {
    if !found.contains('%') {
        fake::phone(salt, found, out);
        return;
    }
    let plain = found.replace("%20", " ");
    let mut faked = String::with_capacity(plain.len());
    fake::phone(salt, &plain, &mut faked);
    if faked.len() != plain.len() {
        out.push_str(&faked);
        return;
    }
    // The fake changes digits only: its bytes line up with the plain
    // number's, a space where each `%20` was.
    let mut at = 0;
    for (k, piece) in found.split("%20").enumerate() {
        if k > 0 {
            out.push_str("%20");
            at += 1;
        }
        out.push_str(&faked[at..at + piece.len()]);
        at += piece.len();
    }
}

/// Digit count and shape checks on a candidate (see the module docs), in
/// one pass and without allocating.
fn looks_like_phone(candidate: &[u8]) -> bool {
    let digits = phone_digits(candidate);
    if !(7..=15).contains(&digits) {
        return false;
    }
    if matches!(candidate.first(), Some(b'+' | b'(')) {
        return true;
    }
    // Digit groups: how many, the first three lengths, whether all are
    // short; separators (every other byte): how many, the first two,
    // whether all are the same.
    let mut groups = 0usize;
    let mut lens = [0usize; 3];
    // Whether every group is an IPv4 octet: 0 to 255, no leading zero.
    let mut octets = true;
    let mut run = 0usize;
    let mut value = 0u32;
    let mut seps = 0usize;
    let mut first_seps = [0u8; 2];
    let mut seps_same = true;
    let octet = |run: usize, value: u32| match run {
        1 => true,
        2 => value >= 10,
        3 => (100..=255).contains(&value),
        _ => false,
    };
    // An encoded space (`%20`) is one separator, like a space.
    let mut escaped = 0;
    for &b in candidate {
        if escaped > 0 {
            escaped -= 1;
            continue;
        }
        let b = if b == b'%' {
            escaped = 2;
            b' '
        } else {
            b
        };
        if b.is_ascii_digit() {
            if run < 3 {
                value = value * 10 + u32::from(b - b'0');
            }
            run += 1;
            continue;
        }
        if run > 0 {
            if groups < 3 {
                lens[groups] = run;
            }
            octets &= octet(run, value);
            groups += 1;
            run = 0;
            value = 0;
        }
        if seps < 2 {
            first_seps[seps] = b;
        }
        seps_same &= b == first_seps[0];
        seps += 1;
    }
    if run > 0 {
        if groups < 3 {
            lens[groups] = run;
        }
        octets &= octet(run, value);
        groups += 1;
    }
    let single = |c: u8| seps + 1 == groups && seps_same && (seps == 0 || first_seps[0] == c);
    // Decimal number (not with a leading zero before more digits:
    // `0171.2345678` is a phone number).
    let leading_zero = candidate[0] == b'0' && lens[0] > 1;
    if groups == 2 && (single(b'.') || single(b',')) && !leading_zero {
        return false;
    }
    // Dates, alone or at the start of a date and time ("2026-01-01 00", where the scan
    // stopped at the ':' of the time).
    if groups >= 3
        && seps >= 2
        && first_seps[0] == first_seps[1]
        && matches!(first_seps[0], b'-' | b'.' | b'/')
    {
        let l = lens;
        if (l[0] == 4 && l[1] <= 2 && l[2] <= 2) || (l[0] <= 2 && l[1] <= 2 && l[2] == 4) {
            return false;
        }
    }
    // IPv4 addresses (`079.123.45.67`, with a leading zero, is a Swiss
    // phone number).
    if groups == 4 && single(b'.') && octets {
        return false;
    }
    true
}

/// The scanners as they were before they were made allocation-free and
/// skip-ahead, kept to prove the new ones find exactly the same.
#[cfg(test)]
pub(crate) mod reference {
    use std::ops::Range;

    use super::super::salt::Salt;
    use super::Found;

    /// Replaces every e-mail address and phone number in `text` with its fake
    /// (the same fake `fake_email` and `fake_phone` give for that exact text)
    /// and appends the result to `out`. Returns whether anything was found; when
    /// not, `out` is left untouched.
    pub(crate) fn scrub(salt: &Salt, text: &str, out: &mut String) -> bool {
        let matches = find_all(text);
        if matches.is_empty() {
            return false;
        }
        let mut last = 0;
        for (kind, range) in matches {
            out.push_str(&text[last..range.start]);
            let found = &text[range.clone()];
            match kind {
                Found::Email => {
                    // The domain holds no at sign: the address's is its last.
                    let sign = (range.start..range.end)
                        .rev()
                        .find_map(|p| super::at_sign(text.as_bytes(), p).map(|n| p..p + n))
                        .unwrap_or(range.start..range.start);
                    super::email_fake(salt, text, range.clone(), sign, out);
                }
                Found::Phone => super::phone_fake(salt, found, out),
            }
            last = range.end;
        }
        out.push_str(&text[last..]);
        true
    }

    /// All matches, in order and not overlapping (e-mail addresses first, then
    /// phone numbers outside them).
    pub(crate) fn find_all(text: &str) -> Vec<(Found, Range<usize>)> {
        let emails = find_emails(text);
        let mut all: Vec<(Found, Range<usize>)> = Vec::new();
        let mut start = 0;
        for e in &emails {
            for p in find_phones(&text[start..e.start]) {
                all.push((Found::Phone, p.start + start..p.end + start));
            }
            all.push((Found::Email, e.clone()));
            start = e.end;
        }
        for p in find_phones(&text[start..]) {
            all.push((Found::Phone, p.start + start..p.end + start));
        }
        all
    }

    fn is_domain_byte(b: u8) -> bool {
        b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b >= 0x80
    }

    /// Byte ranges of the e-mail addresses in `text`. Ranges start and end next
    /// to ASCII bytes (or the ends of the text), so they are char boundaries.
    pub(crate) fn find_emails(text: &str) -> Vec<Range<usize>> {
        let s = text.as_bytes();
        let mut found: Vec<Range<usize>> = Vec::new();
        for at in 0..s.len() {
            let Some(sign) = super::at_sign(s, at) else {
                continue;
            };
            if found.last().is_some_and(|r| at < r.end) {
                continue;
            }
            let start = super::local_start(s, at);
            if start == at || found.last().is_some_and(|r| start < r.end) {
                continue;
            }
            let mut end = at + sign;
            while end < s.len() && is_domain_byte(s[end]) {
                end += 1;
            }
            while end > at + sign && matches!(s[end - 1], b'.' | b'-') {
                end -= 1;
            }
            let domain = &s[at + sign..end];
            let mut labels = domain.split(|&b| b == b'.');
            let count = labels.clone().count();
            if count < 2 || labels.any(<[u8]>::is_empty) {
                continue;
            }
            let tld = domain.rsplit(|&b| b == b'.').next().unwrap_or_default();
            if !super::is_tld(tld) {
                continue;
            }
            found.push(start..end);
        }
        found
    }

    fn is_word_byte(b: u8) -> bool {
        b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
    }

    /// Byte ranges of phone numbers in `text` (from the first digit, or the
    /// `+`/`(` before it, to the last digit).
    pub(crate) fn find_phones(text: &str) -> Vec<Range<usize>> {
        let s = text.as_bytes();
        let mut found = Vec::new();
        let mut i = 0;
        while i < s.len() {
            let b = s[i];
            let starts = match b {
                b'+' | b'(' => s.get(i + 1).is_some_and(u8::is_ascii_digit),
                b'0'..=b'9' => true,
                _ => false,
            };
            // Not glued to a word, nor to one through a single separator (the
            // digit group at the end of a UUID, a version or a part number).
            let glued_before = i > 0
                && (super::word_before(s, i)
                    || s[i - 1] == b'+'
                    || (matches!(s[i - 1], b'-' | b'.' | b'/') && i > 1 && is_word_byte(s[i - 2])))
                && !super::label_before(s, i)
                || super::escape_end(s, i).is_some();
            if !starts || glued_before {
                i += 1;
                continue;
            }
            // Extend over digits and short runs of separators.
            let mut j = if b.is_ascii_digit() { i } else { i + 1 };
            let mut last_digit = j;
            let mut seps = 0;
            while j < s.len() {
                let c = s[j];
                if c.is_ascii_digit() {
                    last_digit = j;
                    seps = 0;
                } else {
                    let n = super::separator_len(s, j);
                    if n == 0 || seps + n > 3 {
                        break;
                    }
                    seps += n;
                    j += n;
                    continue;
                }
                j += 1;
            }
            let end = last_digit + 1;
            // Followed by ':' it is the hour of a time ("2026-01-01 10:00"), not a phone number.
            let glued = s.get(end).is_some_and(|&c| {
                (is_word_byte(c)
                    && super::separator_len(s, end) == 0
                    && !super::extension_after(s, end)
                    && !super::cjk_punctuation(s, end))
                    || (c == b':' && super::hour_before(s, end))
            });
            if !glued && looks_like_phone(&s[i..end]) {
                found.push(i..end);
                i = end;
            } else {
                // Skip the whole run: its tail is no phone number either.
                i = end.max(i + 1);
            }
        }
        found
    }

    /// Digit count and shape checks on a candidate (see the module docs).
    fn looks_like_phone(candidate: &[u8]) -> bool {
        let decoded = String::from_utf8_lossy(candidate).replace("%20", " ");
        let candidate = decoded.as_bytes();
        let digits = candidate.iter().filter(|b| b.is_ascii_digit()).count();
        if !(7..=15).contains(&digits) {
            return false;
        }
        if matches!(candidate.first(), Some(b'+' | b'(')) {
            return true;
        }
        let groups: Vec<&[u8]> = candidate
            .split(|b| !b.is_ascii_digit())
            .filter(|g| !g.is_empty())
            .collect();
        let seps: Vec<u8> = candidate
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_digit())
            .collect();
        let single = |c: u8| seps.len() + 1 == groups.len() && seps.iter().all(|&x| x == c);
        // Decimal number.
        let leading_zero = groups[0].len() > 1 && groups[0][0] == b'0';
        if groups.len() == 2 && (single(b'.') || single(b',')) && !leading_zero {
            return false;
        }
        // Dates, alone or at the start of a date and time ("2026-01-01 00", where the scan
        // stopped at the ':' of the time).
        if groups.len() >= 3
            && seps.len() >= 2
            && seps[0] == seps[1]
            && matches!(seps[0], b'-' | b'.' | b'/')
        {
            let l: Vec<usize> = groups.iter().take(3).map(|g| g.len()).collect();
            if (l[0] == 4 && l[1] <= 2 && l[2] <= 2) || (l[0] <= 2 && l[1] <= 2 && l[2] == 4) {
                return false;
            }
        }
        // IPv4 addresses.
        let octet = |g: &&[u8]| {
            std::str::from_utf8(g)
                .ok()
                .and_then(|t| t.parse::<u8>().ok())
                .is_some_and(|v| v.to_string().as_bytes() == *g)
        };
        if groups.len() == 4 && single(b'.') && groups.iter().all(octet) {
            return false;
        }
        true
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn emails(t: &str) -> Vec<&str> {
        find_emails(t).into_iter().map(|r| &t[r]).collect()
    }

    fn phones(t: &str) -> Vec<&str> {
        find_phones(t).into_iter().map(|r| &t[r]).collect()
    }

    /// Text made of the pieces scrub cares about, glued in every way.
    fn pieces() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("anna.meyer+x@corp.example".to_owned()),
            Just("bob@x.io".to_owned()),
            Just("@".to_owned()),
            Just("a@b".to_owned()),
            Just("émilie@exämple.de".to_owned()),
            Just("+49 170 1234567".to_owned()),
            Just("(030) 123-4567".to_owned()),
            Just("0301234567".to_owned()),
            Just("+1-202-555-0143".to_owned()),
            Just("2026-01-01 10:00:00+00".to_owned()),
            Just("31.01.2024".to_owned()),
            Just("192.168.100.200".to_owned()),
            Just("1234.5678".to_owned()),
            Just("550e8400-e29b-41d4-a716-446655440000".to_owned()),
            Just("X-1234567".to_owned()),
            "[0-9]{1,16}",
            "[0-9 ().+/-]{1,12}",
            "[a-z]{1,6}",
            "[ .,:;_()/+@-]{1,3}",
            "[a-z0-9.@+-]{1,12}",
            Just("😀".to_owned()),
            Just("%40".to_owned()),
            Just("01\u{a0}23\u{a0}45\u{a0}67\u{a0}89".to_owned()),
            Just("\u{202f}".to_owned()),
            Just("\u{2013}".to_owned()),
            Just("à".to_owned()),
            Just("\\u0040".to_owned()),
            Just("&#64;".to_owned()),
            Just("&#X40;".to_owned()),
            Just("anna%40corp.example".to_owned()),
            Just("\t\n".to_owned()),
            Just("Tel.".to_owned()),
            Just("wa.me/".to_owned()),
            Just("x12".to_owned()),
            Just("%20".to_owned()),
            Just("%2B".to_owned()),
            Just("%25".to_owned()),
            Just("%22".to_owned()),
            Just("%1".to_owned()),
            Just("%4".to_owned()),
            Just("%A9".to_owned()),
            Just("%3A".to_owned()),
            Just("u'".to_owned()),
            Just("Tel.-Nr.".to_owned()),
            Just("电话：".to_owned()),
            Just("，".to_owned()),
            Just("。".to_owned()),
            Just("Тел".to_owned()),
            Just("ext. ".to_owned()),
            Just("ext.".to_owned()),
            Just("o'brien@x.io".to_owned()),
            Just("'".to_owned()),
            Just("079.123.45.67".to_owned()),
            Just("256.1.2.3".to_owned()),
        ];
        proptest::collection::vec(piece, 0..12).prop_map(|v| v.concat())
    }

    /// Everything the reference scanners find is still found, at the same
    /// place; what the new ones find beyond that is only phone numbers that
    /// a neighbouring number or date hid from the reference. Where both find
    /// the same, scrub writes the same bytes.
    fn same_as_reference(text: &str) -> Result<(), TestCaseError> {
        let salt = Salt::from_secret(b"scrub-test-salt-0123").unwrap();
        let (new_all, old_all) = (find_all(text), reference::find_all(text));
        for m in &old_all {
            prop_assert!(new_all.contains(m), "{:?} lost in {:?}", m, text);
        }
        for m in new_all.iter().filter(|m| !old_all.contains(m)) {
            prop_assert_eq!(m.0, Found::Phone);
            let hidden = old_all
                .iter()
                .all(|p| p.1.end <= m.1.start || p.1.start >= m.1.end);
            prop_assert!(hidden, "{:?} overlaps a reference match in {:?}", m, text);
        }
        prop_assert_eq!(find_emails(text), reference::find_emails(text));
        prop_assert_eq!(find_phones(text), reference::find_phones(text));
        if new_all == old_all {
            let (mut new, mut old) = (String::from("keep"), String::from("keep"));
            prop_assert_eq!(
                scrub(&salt, text, &mut new),
                reference::scrub(&salt, text, &mut old)
            );
            prop_assert_eq!(new, old);
        }
        Ok(())
    }

    /// The first digit at or after `from`: every digit a candidate.
    fn any_digit(s: &[u8], from: usize) -> Option<usize> {
        let rest = s.get(from..)?;
        rest.iter().position(u8::is_ascii_digit).map(|k| from + k)
    }

    /// Phone numbers found with and without skipping sparse digits.
    fn same_with_every_digit(s: &[u8], split: bool) -> Result<(), TestCaseError> {
        let (mut a, mut b) = (0, 0);
        loop {
            let fast = next_phone(s, &mut a, split);
            let every = next_phone_from(s, &mut b, split, any_digit);
            prop_assert_eq!(&fast, &every, "{:?}", String::from_utf8_lossy(s));
            if fast.is_none() {
                return Ok(());
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn digit_masks_are_the_plain_ones(
            s in proptest::collection::vec(prop_oneof![0x2eu8..0x3c, any::<u8>()], 0..80),
            at in 0usize..90,
        ) {
            let mut window = [0u8; 32];
            let rest = s.get(at..).unwrap_or_default();
            let n = rest.len().min(32);
            window[..n].copy_from_slice(&rest[..n]);
            prop_assert_eq!(digit_mask(&s, at), digit_mask_plain(&window));
        }

        #[test]
        fn skipping_sparse_digits_finds_the_same_phone_numbers(
            s in proptest::collection::vec(
                prop_oneof![
                    6 => 0x30u8..0x3a,
                    4 => prop_oneof![Just(b' '), Just(b'-'), Just(b'.'), Just(b'/'), Just(b'('), Just(b')')],
                    2 => prop_oneof![Just(b'+'), Just(b':'), Just(b'a'), Just(b'_')],
                    2 => prop_oneof![Just(0xc2u8), Just(0xa0), Just(0xe2), Just(0x80), Just(0xaf), Just(0x93)],
                    1 => any::<u8>(),
                ],
                0..200,
            ),
        ) {
            same_with_every_digit(&s, true)?;
            same_with_every_digit(&s, false)?;
        }

        #[test]
        fn skipping_sparse_digits_finds_the_same_in_text(text in pieces(), pad in "[a-z ]{0,40}") {
            let text = format!("{pad}{text}");
            same_with_every_digit(text.as_bytes(), true)?;
            same_with_every_digit(text.as_bytes(), false)?;
        }
    }

    thread_local! {
        static STEPS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// Counts bytes the phone search reads (tests only).
    pub(super) fn count_steps(n: usize) {
        STEPS.with(|c| c.set(c.get() + n));
    }

    #[test]
    fn typeset_separators_are_separators() {
        for (text, phone) in [
            ("Tel. 0171 / 123 456 (mobil)", "0171 / 123 456"),
            (
                "appelez le 01\u{a0}23\u{a0}45\u{a0}67\u{a0}89.",
                "01\u{a0}23\u{a0}45\u{a0}67\u{a0}89",
            ),
            (
                "portable\u{a0}: +33\u{202f}6\u{202f}12\u{202f}34\u{202f}56\u{202f}78",
                "+33\u{202f}6\u{202f}12\u{202f}34\u{202f}56\u{202f}78",
            ),
            ("Fax 030\u{2013}1234567\u{a0}bitte", "030\u{2013}1234567"),
            ("\u{a0}0301234567\u{2009}", "0301234567"),
            (
                "+1\u{2009}202\u{2011}555\u{2011}0143",
                "+1\u{2009}202\u{2011}555\u{2011}0143",
            ),
        ] {
            assert_eq!(phones(text), [phone], "{text:?}");
        }
        // Other non-ASCII text stays a word: `à` ends in the byte a no-break
        // space ends in.
        for no in ["voilà0301234567", "Zà0301234567 x", "0301234567ä"] {
            assert!(phones(no).is_empty(), "{no:?}: {:?}", phones(no));
        }
    }

    #[test]
    fn encoded_at_signs_are_at_signs() {
        let text = concat!(
            r#"{"url": "/reset?email=anna.secret%40corp.example&lang=de", "#,
            r#""to": "bob.secret\u0040corp.example", "#,
            r#""html": "<a>carla.secret&#64;corp.example</a> dora.secret&#X40;corp.example"}"#,
        );
        assert_eq!(
            emails(text),
            [
                "anna.secret%40corp.example",
                "bob.secret\\u0040corp.example",
                "carla.secret&#64;corp.example",
                "dora.secret&#X40;corp.example",
            ]
        );
        let salt = Salt::from_secret(b"scrub-test-salt-0123").unwrap();
        let mut out = String::new();
        assert!(scrub(&salt, text, &mut out));
        assert!(!out.contains(".secret"), "{out}");
        // The result is still JSON, its URL still a URL.
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let url = v["url"].as_str().unwrap();
        assert!(
            url.starts_with("/reset?email=") && url.ends_with("&lang=de"),
            "{url}"
        );
        assert_eq!(url.matches("%40").count(), 1, "{url}");
        assert!(!url.contains('@'), "{url}");
        // One address, one fake, however its at sign is written.
        let mut plain = String::new();
        fake::email(&salt, b"anna.secret@corp.example", &mut plain);
        assert!(url.contains(&plain.replace('@', "%40")), "{url} {plain}");
        let to = v["to"].as_str().unwrap();
        fake::email(&salt, b"bob.secret@corp.example", &mut plain);
        assert!(plain.ends_with(to), "{to} {plain}");
        // Not at signs: a percent sign of some other byte, other entities.
        for no in [
            "anna%41corp.example",
            "anna&#65;corp.example",
            "anna\\u0041corp.example",
            "100%40 of x.de",
        ] {
            assert!(emails(no).is_empty(), "{no}");
        }
    }

    #[test]
    fn encoded_spaces_stay_encoded_and_give_the_fake_of_spaces() {
        let salt = Salt::from_secret(b"scrub-test-salt-0123").unwrap();
        let text = r#"<a href="tel:+49%2030%201234567">+49 30 1234567</a>"#;
        let mut out = String::new();
        assert!(scrub(&salt, text, &mut out));
        assert!(!out.contains("1234567"), "{out}");
        let encoded = &out[out.find("tel:").unwrap() + 4..out.find("\">").unwrap()];
        let plain = &out[out.find("\">").unwrap() + 2..out.find("</a>").unwrap()];
        assert_eq!(encoded.matches("%20").count(), 2, "{out}");
        assert_eq!(encoded.replace("%20", " "), plain, "{out}");
    }

    #[test]
    fn internationalised_top_level_domains_in_ascii_form_are_addresses() {
        assert_eq!(
            emails("ivan.secret@mail.xn--p1ai, next"),
            ["ivan.secret@mail.xn--p1ai"]
        );
        assert_eq!(emails("a@b.XN--80ASEHDB"), ["a@b.XN--80ASEHDB"]);
        assert!(emails("a@b.c1").is_empty());
    }

    #[test]
    fn escapes_of_json_text_end_words() {
        let salt = Salt::from_secret(b"scrub-test-salt-0123").unwrap();
        let text = r#"{"note": "Hallo\nanna.secret@corp.example\n0301234567 bitte\tTel\t0309876543 \\n0305555555"}"#;
        let mut out = String::new();
        assert!(scrub(&salt, text, &mut out));
        for secret in ["anna.secret", "0301234567", "0309876543"] {
            assert!(!out.contains(secret), "{out}");
        }
        // The escapes stay escapes: the result is the same JSON shape.
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let note = v["note"].as_str().unwrap();
        assert!(
            note.starts_with("Hallo\n") && note.contains("@example.com\n"),
            "{note}"
        );
        // After an escaped backslash the letter is a letter: "\\n0305555555"
        // is a backslash and the word "n0305555555".
        assert!(out.contains("\\\\n0305555555"), "{out}");
    }

    #[test]
    fn long_runs_of_spaced_digits_take_linear_time() {
        // Each run start used to read the run to its end and try every
        // space of it: 16 KB of "1 " took seconds, 400 KB many minutes.
        let text = "1 ".repeat(20_000) + "x +49 170 1234567";
        STEPS.with(|c| c.set(0));
        let found = find_all(&text);
        // Bytes read by the run extension and the part counts: a bounded
        // number per byte of text (the old search read about 10^8 here).
        let steps = STEPS.with(std::cell::Cell::get);
        assert!(
            steps < 50 * text.len(),
            "{steps} steps for {} bytes",
            text.len()
        );
        let last = found.last().unwrap().1.clone();
        assert_eq!(&text[last], "+49 170 1234567");
        // What it finds is what it found before (groups of 15 spaced digits
        // read as phone numbers: scrub errs towards masking).
        for text in [
            "1 ".repeat(300) + "x +49 170 1234567",
            "12 34 56 78 90 12 34 56 78 90 x 030 1234567".into(),
            "1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8".into(),
            "0301234567 0309876543 0301111111 4242 42".into(),
        ] {
            same_as_reference(&text).unwrap();
            same_with_every_digit(text.as_bytes(), true).unwrap();
        }
    }

    #[test]
    fn phone_numbers_spread_to_their_widest_are_candidates_at_every_offset() {
        // Seven digits three separator bytes apart span 25 bytes: the most
        // the candidate search may look ahead, wherever the 32-byte blocks
        // fall.
        for widest in [
            "1 / 2 / 3 / 4 / 5 / 6 / 7",
            "(0) 1-./2 /-3 -.4 -.5 -.6 -.7 8",
            "1\u{202f}2\u{2009}3\u{2013}4\u{2007}5\u{a0}-6\u{2011}7",
        ] {
            for offset in 0..70 {
                for pad in [" ", " 12 ", " 4.5 "] {
                    let text = format!("{}{widest} x", pad.repeat(offset / pad.len() + 1));
                    assert!(text.is_char_boundary(text.len() - widest.len() - 2 - offset));
                    let text = &text[text.len() - widest.len() - 2 - offset..];
                    same_with_every_digit(text.as_bytes(), true).unwrap();
                    same_with_every_digit(text.as_bytes(), false).unwrap();
                    let phones = find_all(text)
                        .into_iter()
                        .filter(|(k, _)| *k == Found::Phone);
                    assert!(phones.count() > 0, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn phone_numbers_next_to_other_numbers_are_found() {
        // The reference missed these: the run had too many digits, or read
        // as a date as a whole.
        let scrubbed = |t: &str| -> Vec<String> {
            find_all(t)
                .into_iter()
                .filter(|(k, _)| *k == Found::Phone)
                .map(|(_, r)| t[r].to_owned())
                .collect()
        };
        assert_eq!(
            scrubbed("call box +49 160 0079593 4242 since"),
            vec!["+49 160 0079593"]
        );
        assert_eq!(scrubbed("on 2024-03-17 0301234567 ok"), vec!["0301234567"]);
        assert!(reference::find_phones("call box +49 160 0079593 4242 since").is_empty());
        // Still no phone numbers.
        for no in [
            "total 1234567.89 EUR",
            "2024-03-17 10:00:00",
            "id 1234567890123456",
        ] {
            assert!(scrubbed(no).is_empty(), "{no}: {:?}", scrubbed(no));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn finds_exactly_what_the_reference_finds(text in pieces()) {
            same_as_reference(&text)?;
        }

        #[test]
        fn finds_exactly_what_the_reference_finds_in_any_text(text in any::<String>()) {
            same_as_reference(&text)?;
        }
    }

    #[test]
    fn long_texts_agree_with_the_reference() {
        // Candidates across the 32-byte chunks of the digit search.
        let mut text = String::new();
        for i in 0..700 {
            text.push_str(match i % 7 {
                0 => "call +49 170 1234567 ",
                1 => "or write to anna.m@corp.example, ",
                2 => "on 2024-03-17 at 10.1.20.7 ",
                3 => "ticket 12345678901234567890 ",
                4 => "x",
                5 => "(0301) 23-45-67 ",
                _ => "plain words without anything in them at all ",
            });
            if i % 25 == 0 || i == 699 {
                let r = same_as_reference(&text);
                assert!(r.is_ok(), "{r:?}");
            }
        }
    }

    #[test]
    fn dates_and_times_are_not_phone_numbers() {
        assert_eq!(
            phones("Meeting 2026-01-01 10:00:00+00, 01.02.2026 9:30, call +49 151 1234567"),
            vec!["+49 151 1234567"]
        );
        assert!(phones("2026-01-01 00:00:00+00").is_empty());
        assert!(phones("2026/11/21 23").is_empty());
        // A number followed by ':' is a time only when its last group could be an hour.
        assert_eq!(phones("Tel: 0301234565: bitte"), vec!["0301234565"]);
        assert_eq!(
            phones("Mobil +49 170 1234567: abends"),
            vec!["+49 170 1234567"]
        );
        assert!(phones("2026-01-01 9:30").is_empty());
        assert_eq!(phones("href=\"tel:%2B491701234569\""), vec!["491701234569"]);
    }

    /// Each text holds one phone number, the one given, and the fast search
    /// (with and without skipping digits) and the reference agree on it.
    fn each_found_alone(cases: &[(&str, &str)]) {
        for &(text, phone) in cases {
            assert_eq!(phones(text), [phone], "{text:?}");
            same_as_reference(text).unwrap();
            same_with_every_digit(text.as_bytes(), true).unwrap();
            same_with_every_digit(text.as_bytes(), false).unwrap();
        }
    }

    #[test]
    fn labels_and_extensions_glued_to_phone_numbers_are_no_words() {
        each_found_alone(&[
            ("Tel.0301234567", "0301234567"),
            ("tel0301234567 bitte", "0301234567"),
            ("FAX-030 1234567", "030 1234567"),
            ("Mobil:0171/2345678", "0171/2345678"),
            ("https://wa.me/491701234567?text=hi", "491701234567"),
            ("(Handy0171-2345678)", "0171-2345678"),
            ("x\\nTel0301234567", "0301234567"),
        ]);
        // Extensions glued to the number end it.
        each_found_alone(&[
            ("+1 202-555-0143x12", "+1 202-555-0143"),
            ("call 202-555-0143 ext.4 or", "202-555-0143"),
            ("(030) 1234567EXT123, bitte", "(030) 1234567"),
            ("+49 30 1234567x12\\nnext", "+49 30 1234567"),
        ]);
        for no in ["0301234567xyz", "0301234567x1234567", "0301234567extra"] {
            assert!(phones(no).is_empty(), "{no:?}: {:?}", phones(no));
        }
        // URL-encoded spaces are separators, and end a word before a number.
        each_found_alone(&[
            ("<a href=\"tel:+49%2030%201234567\">", "+49%2030%201234567"),
            ("?phone=%2B49%20170%201234567&x=1", "49%20170%201234567"),
            ("q=call%200301234567", "0301234567"),
            ("q=call%20+49 30 1234567", "+49 30 1234567"),
        ]);
        for no in ["a%200301234567b", "%2x0301234567", "%2"] {
            assert!(phones(no).is_empty(), "{no:?}: {:?}", phones(no));
        }
        // After any URL escape a number starts; a %20 between two numbers is
        // a space between them.
        for (text, found) in [
            ("LIKE '%1234567%'", vec!["1234567"]),
            (
                "LIKE '%0301234567%' or %491701234567%",
                vec!["0301234567", "491701234567"],
            ),
            (
                "LIKE '%+491701234567%' or '%(030) 1234567%'",
                vec!["+491701234567", "(030) 1234567"],
            ),
            ("q=%220301234567%22", vec!["0301234567"]),
            ("%7B%22tel%22%3A%220301234567%22%7D", vec!["0301234567"]),
            ("name=%27Anna%27&tel=%270301234567%27", vec!["0301234567"]),
            (
                "%280301234567%29 tel%3A0301234568 a%0A0301234569",
                vec!["0301234567", "0301234568", "0301234569"],
            ),
            ("%C3%A90301234567", vec!["0301234567"]),
            (
                "?phones=0301234567%200171234567",
                vec!["0301234567", "0171234567"],
            ),
            ("2024-01-31%200301234567", vec!["0301234567"]),
            (
                "Order%20123456789%200301234567",
                vec!["123456789", "0301234567"],
            ),
        ] {
            let all: Vec<&str> = find_all(text)
                .into_iter()
                .filter(|(k, _)| *k == Found::Phone)
                .map(|(_, r)| &text[r])
                .collect();
            assert_eq!(all, found, "{text:?}");
            same_as_reference(text).unwrap();
            same_with_every_digit(text.as_bytes(), true).unwrap();
            same_with_every_digit(text.as_bytes(), false).unwrap();
        }
        // A leading zero makes two dotted groups a number, not a decimal.
        assert_eq!(phones("Handy: 0171.2345678"), ["0171.2345678"]);
        assert_eq!(phones("t.me/+491701234567"), ["+491701234567"]);
        for no in ["total 1234567.89", "ratio 0.1234567", "x 10.12345678"] {
            assert!(phones(no).is_empty(), "{no:?}: {:?}", phones(no));
        }
        // A label after a no-break space or an emoji, a number's label
        // after the label, an extension after a space or colon.
        each_found_alone(&[
            ("Kontakt:\u{a0}Tel.0301234567", "0301234567"),
            ("\u{1f4de}Tel.0301234567", "0301234567"),
            ("Tel.-Nr.0301234567", "0301234567"),
            ("202-555-0143ext. 4", "202-555-0143"),
            ("+1 202-555-0143ext:4", "+1 202-555-0143"),
        ]);
        // Labels of other scripts, and compound ones.
        each_found_alone(&[
            ("电话13812345678", "13812345678"),
            ("办公电话：010-12345678", "010-12345678"),
            ("手机：13812345678。", "13812345678"),
            ("电话13812345678，谢谢", "13812345678"),
            ("手机号码：13812345678", "13812345678"),
            ("（13812345678）", "13812345678"),
            ("TEL：03-1234-5678", "03-1234-5678"),
            ("Тел.+79161234567", "+79161234567"),
            ("Tél.0301234567", "0301234567"),
            ("Telefonnr.0301234567", "0301234567"),
            ("☎0301234567", "0301234567"),
        ]);
        // Only a whole word is a label.
        for no in [
            "Hotel0301234567",
            "Stel.0301234567",
            "telx0301234567",
            "ABC1234567",
        ] {
            assert!(phones(no).is_empty(), "{no:?}: {:?}", phones(no));
        }
    }

    #[test]
    fn ipv4_addresses_have_octets() {
        for no in [
            "ip 192.168.100.200",
            "from 10.100.200.255 on",
            "at 1.234.56.7",
        ] {
            assert!(phones(no).is_empty(), "{no}: {:?}", phones(no));
        }
        for (text, phone) in [
            ("Natel 079.123.45.67", "079.123.45.67"),
            ("044.668.18.00!", "044.668.18.00"),
            ("on 256.100.200.1", "256.100.200.1"),
        ] {
            assert_eq!(phones(text), [phone], "{text:?}");
        }
    }

    #[test]
    fn apostrophes_end_addresses() {
        // A name's apostrophe and a quote look the same: the address starts
        // after either, and the text around it stays as it was.
        for (text, address) in [
            (
                "mail o'brien.secret@corp.example or",
                vec!["brien.secret@corp.example"],
            ),
            (
                "'anna@corp.example', ''x@y.de",
                vec!["anna@corp.example", "x@y.de"],
            ),
            (
                "[u'anna@corp.example', u'bob@x.io']",
                vec!["anna@corp.example", "bob@x.io"],
            ),
            (
                "{u'to': u'anna@corp.example, bob@x.io'}",
                vec!["anna@corp.example", "bob@x.io"],
            ),
            (
                "WHERE email=E'anna@corp.example'",
                vec!["anna@corp.example"],
            ),
            ("$name.'anna@corp.example'", vec!["anna@corp.example"]),
            (
                "anna@corp.example'bob@x.io",
                vec!["anna@corp.example", "bob@x.io"],
            ),
        ] {
            assert_eq!(emails(text), address, "{text:?}");
            same_as_reference(text).unwrap();
        }
        let salt = Salt::from_secret(b"scrub-test-salt-0123").unwrap();
        let mut out = String::new();
        assert!(scrub(
            &salt,
            "{u'to': u'anna@corp.example, bob@x.io'}",
            &mut out
        ));
        assert!(
            out.starts_with("{u'to': u'") && out.ends_with("@example.com'}"),
            "{out}"
        );
    }

    #[test]
    fn finds_emails() {
        assert_eq!(
            emails("Mail anna.meyer+x@corp.example.com, or (bob@x.io)."),
            vec!["anna.meyer+x@corp.example.com", "bob@x.io"]
        );
        assert_eq!(
            emails("mailto:émilie@exämple.de;"),
            vec!["émilie@exämple.de"]
        );
        assert_eq!(emails("<a.b@c.de>"), vec!["a.b@c.de"]);
        assert!(emails("@handle, a@b, x@y.1, @@, a@.com, user@localhost").is_empty());
        assert_eq!(emails("..dots@x.org."), vec!["dots@x.org"]);
    }

    #[test]
    fn finds_phones() {
        assert_eq!(
            phones("Call +49 170 1234567 or (030) 123-4567, fax 0301234567."),
            vec!["+49 170 1234567", "(030) 123-4567", "0301234567"]
        );
        assert_eq!(phones("tel:+1-202-555-0143"), vec!["+1-202-555-0143"]);
        for no in [
            "born 1990-01-31",
            "on 31.01.2024 at 10:00",
            "on 1/31/2024",
            "total 1234.5678",
            "ip 192.168.100.200",
            "short 12345",
            "id ABC1234567",
            "v1234567x",
            "too long 1234567890123456",
            "uuid 550e8400-e29b-41d4-a716-446655440000",
            "part X-1234567",
        ] {
            assert!(phones(no).is_empty(), "{no}: {:?}", phones(no));
        }
    }

    #[test]
    fn scrub_replaces_only_matches() {
        let salt = Salt::from_secret(b"scrub-test-salt-0123").unwrap();
        let text = "Hi, I'm Anna (anna@corp.example), call +49 170 1234567.\tThanks\\";
        let mut out = String::new();
        assert!(scrub(&salt, text, &mut out));
        assert!(out.starts_with("Hi, I'm Anna ("));
        assert!(out.ends_with(".\tThanks\\"));
        assert!(!out.contains("anna@corp.example"));
        assert!(!out.contains("1234567"));
        let mut fake = String::new();
        fake::email(&salt, b"anna@corp.example", &mut fake);
        assert!(out.contains(&fake));
        let mut none = String::new();
        assert!(!scrub(&salt, "nothing to see", &mut none));
        assert!(none.is_empty());
    }
}
