//! The COPY TEXT format codec: fields, escapes, NULL.
//!
//! Fields are handed out still escaped and zero-copy so that a masker only
//! pays for decoding the columns it actually rewrites.

use std::borrow::Cow;

use super::error::DumpError;

/// Splits a data line into its content and its line terminator (`"\n"`,
/// `"\r\n"` or nothing at end of input).
///
/// A masker that rebuilds a row writes the content it changed followed by
/// the original terminator, so untouched rows and rows from CRLF files keep
/// their exact bytes.
pub fn split_line_terminator(line: &[u8]) -> (&[u8], &[u8]) {
    let cut = match line {
        [.., b'\r', b'\n'] => line.len() - 2,
        [.., b'\n'] => line.len() - 1,
        _ => line.len(),
    };
    line.split_at(cut)
}

/// Iterator over the still-escaped fields of one COPY TEXT row; see
/// [`split_copy_fields`].
#[derive(Debug, Clone)]
pub struct CopyFields<'a> {
    rest: &'a [u8],
    done: bool,
}

impl<'a> Iterator for CopyFields<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        if self.done {
            return None;
        }
        match next_field_end(self.rest) {
            Some(j) => {
                let field = &self.rest[..j];
                self.rest = &self.rest[j + 1..];
                Some(field)
            }
            None => {
                self.done = true;
                Some(self.rest)
            }
        }
    }
}

/// Bytes looked at 16 at a time before a field counts as long and the rest
/// of it is left to `memchr2`: its vector loop wins on long text, the
/// chunks on the short fields most rows are made of (no call, no set-up).
const SHORT_FIELD: usize = 64;

/// Position of the first tab in `s` that ends a field: not escaped by a
/// backslash (a backslash escapes the next byte, so `\<TAB>` is a literal
/// tab and `\\` a literal backslash).
///
/// Fields are mostly short (ids, timestamps, names, `\N`), where a search
/// call per field costs more than the search: the first [`SHORT_FIELD`]
/// bytes are scanned in 16-byte chunks whose tabs and backslashes come out
/// as bit masks.
#[inline]
fn next_field_end(s: &[u8]) -> Option<usize> {
    let mut i = 0;
    // Whether s[i] is escaped by a backslash at the end of the chunk before.
    let mut escaped = false;
    while i < SHORT_FIELD {
        let Some(chunk) = s.get(i..i + 16) else {
            break;
        };
        let (tabs, backslashes) = tabs_and_backslashes(chunk);
        let mut hits = tabs | backslashes;
        if escaped {
            hits &= !1;
            escaped = false;
        }
        while hits != 0 {
            let k = hits.trailing_zeros();
            if tabs & (1 << k) != 0 {
                return Some(i + k as usize);
            }
            // A backslash: it and the byte after it are no separator.
            hits &= !(3 << k);
            escaped = k == 15;
        }
        i += 16;
    }
    if escaped {
        i += 1;
    }
    while let Some(k) = s
        .get(i..)
        .and_then(|rest| memchr::memchr2(b'\t', b'\\', rest))
    {
        let j = i + k;
        if s[j] == b'\t' {
            return Some(j);
        }
        i = j + 2;
    }
    None
}

/// Bit masks of the tabs and of the backslashes in a 16-byte chunk (bit k
/// for byte k).
#[cfg(target_arch = "x86_64")]
#[inline]
fn tabs_and_backslashes(chunk: &[u8]) -> (u32, u32) {
    // SAFETY: SSE2 is part of x86_64 itself (every x86_64 processor has
    // it, and the target enables it), so the target feature is present.
    unsafe { sse2_masks(chunk) }
}

/// [`tabs_and_backslashes`] with SSE2: two compares and two movemasks.
/// Safe code inside (the chunk is read as two `u64`); only calling it
/// needs `unsafe`, for the target feature.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
#[inline]
fn sse2_masks(chunk: &[u8]) -> (u32, u32) {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_movemask_epi8, _mm_set1_epi8, _mm_set_epi64x};
    let word = |at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&chunk[at..at + 8]);
        i64::from_le_bytes(w)
    };
    let v = _mm_set_epi64x(word(8), word(0));
    let tabs = _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\t' as i8)));
    let backslashes = _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8)));
    (tabs as u32, backslashes as u32)
}

/// [`tabs_and_backslashes`] byte by byte, where there is no SSE2.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn tabs_and_backslashes(chunk: &[u8]) -> (u32, u32) {
    chunk.iter().enumerate().fold((0, 0), |(t, b), (k, &c)| {
        (
            t | u32::from(c == b'\t') << k,
            b | u32::from(c == b'\\') << k,
        )
    })
}

/// Splits one COPY TEXT row (with or without its line terminator) into its
/// fields, still escaped, without copying.
///
/// Splitting happens at tabs that are not escaped by a backslash, as the
/// server does. An empty line yields one empty field; for a table without
/// columns (pg_dump writes empty lines for those) the caller has to know the
/// column count is zero.
pub fn split_copy_fields(row: &[u8]) -> CopyFields<'_> {
    let (content, _) = split_line_terminator(row);
    CopyFields {
        rest: content,
        done: false,
    }
}

/// Decodes one escaped COPY TEXT field: `None` for `\N` (SQL NULL), the
/// bytes otherwise. Borrows when the field has no escapes, which is the
/// common case.
///
/// Only the exact field `\N` is NULL; `\\N` is the two characters `\N`. The
/// escapes are PostgreSQL's: `\b \f \n \r \t \v \\`, octal `\ooo`, hex
/// `\xhh`, and any other `\c` meaning `c`. A field ending in a lone
/// backslash is rejected, as the server would.
///
/// # Errors
///
/// [`DumpError::InvalidCopyField`] for a trailing lone backslash.
pub fn decode_copy_field(raw: &[u8]) -> Result<Option<Cow<'_, [u8]>>, DumpError> {
    if raw == b"\\N" {
        return Ok(None);
    }
    let Some(first) = memchr::memchr(b'\\', raw) else {
        return Ok(Some(Cow::Borrowed(raw)));
    };
    let mut out = Vec::with_capacity(raw.len());
    let mut i = first;
    out.extend_from_slice(&raw[..i]);
    loop {
        // raw[i] is a backslash.
        let Some(&c) = raw.get(i + 1) else {
            return Err(DumpError::InvalidCopyField {
                reason: "field ends with a lone backslash",
            });
        };
        i += 2;
        match c {
            b'b' => out.push(0x08),
            b'f' => out.push(0x0c),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(0x0b),
            b'0'..=b'7' => {
                let mut val = u32::from(c - b'0');
                for _ in 0..2 {
                    match raw.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            val = (val << 3) | u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push((val & 0xff) as u8);
            }
            b'x' => match raw.get(i).and_then(|&d| hex_value(d)) {
                Some(hi) => {
                    i += 1;
                    let mut val = hi;
                    if let Some(lo) = raw.get(i).and_then(|&d| hex_value(d)) {
                        val = (val << 4) | lo;
                        i += 1;
                    }
                    out.push(val);
                }
                // `\x` without hex digits is just `x`, as in the server.
                None => out.push(b'x'),
            },
            other => out.push(other),
        }
        match memchr::memchr(b'\\', &raw[i..]) {
            Some(k) => {
                out.extend_from_slice(&raw[i..i + k]);
                i += k;
            }
            None => {
                out.extend_from_slice(&raw[i..]);
                return Ok(Some(Cow::Owned(out)));
            }
        }
    }
}

/// Like [`decode_copy_field`], for callers that need text: fails when the
/// decoded bytes are not UTF-8 (dumps of databases in other encodings pass
/// through the reader untouched, but cannot be handed out as `str`).
///
/// # Errors
///
/// [`DumpError::InvalidCopyField`] for a trailing lone backslash or
/// bytes that are not UTF-8.
pub fn decode_copy_field_str(raw: &[u8]) -> Result<Option<Cow<'_, str>>, DumpError> {
    let not_utf8 = || DumpError::InvalidCopyField {
        reason: "field is not valid UTF-8",
    };
    match decode_copy_field(raw)? {
        None => Ok(None),
        Some(Cow::Borrowed(b)) => std::str::from_utf8(b)
            .map(|s| Some(Cow::Borrowed(s)))
            .map_err(|_| not_utf8()),
        Some(Cow::Owned(v)) => String::from_utf8(v)
            .map(|s| Some(Cow::Owned(s)))
            .map_err(|_| not_utf8()),
    }
}

pub(crate) fn hex_value(d: u8) -> Option<u8> {
    match d {
        b'0'..=b'9' => Some(d - b'0'),
        b'a'..=b'f' => Some(d - b'a' + 10),
        b'A'..=b'F' => Some(d - b'A' + 10),
        _ => None,
    }
}

/// Appends one field in COPY TEXT format: `\N` for `None`, otherwise the
/// bytes with `\\ \t \n \r \b \f \v` escaped the way the server's COPY TO
/// writes them. [`decode_copy_field`] turns the result back into the same
/// value for any byte string.
pub fn encode_copy_field(value: Option<&[u8]>, out: &mut Vec<u8>) {
    let Some(bytes) = value else {
        out.extend_from_slice(b"\\N");
        return;
    };
    out.reserve(bytes.len());
    let mut start = 0;
    while let Some(i) = next_to_escape(bytes, start) {
        let esc = match bytes[i] {
            b'\\' => b'\\',
            b'\t' => b't',
            b'\n' => b'n',
            b'\r' => b'r',
            0x08 => b'b',
            0x0b => b'v',
            _ => b'f',
        };
        out.extend_from_slice(&bytes[start..i]);
        out.push(b'\\');
        out.push(esc);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// Position of the next byte COPY TEXT must escape (`\\`, or 0x08 to 0x0d:
/// backspace, tab, line feed, vertical tab, form feed, carriage return),
/// eight bytes at a time (SWAR): values rarely hold any, and then cost one
/// pass and one copy.
#[inline]
fn next_to_escape(s: &[u8], from: usize) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while let Some(chunk) = s.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let low = x & !HI;
        // 0x08..=0x0d: at least 0x08 and not at least 0x0e (ASCII only).
        let ge_08 = low.wrapping_add((0x80 - 0x08) * LO);
        let ge_0e = low.wrapping_add((0x80 - 0x0e) * LO);
        let control = ge_08 & !ge_0e;
        // A backslash: its low seven bits equal 0x5c.
        let diff = low ^ (0x5c * LO);
        let backslash = !(diff.wrapping_add(0x7f * LO) | diff);
        let hits = (control | backslash) & !x & HI;
        if hits != 0 {
            return Some(i + (hits.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    s.get(i..)?
        .iter()
        .position(|&b| b.wrapping_sub(0x08) < 6 || b == b'\\')
        .map(|k| i + k)
}

/// Cheap validity check the reader applies to every data line (content
/// without its terminator): the problems that would make the server read the
/// line differently from how a line-based reader sees it.
pub(crate) fn row_problem(content: &[u8]) -> Option<&'static str> {
    let trailing = content.iter().rev().take_while(|&&b| b == b'\\').count();
    if trailing % 2 == 1 {
        return Some("row ends with a lone backslash (an escaped line break)");
    }
    if content.starts_with(b"\\.") {
        return Some("row starts with \\. but is not the end-of-data marker");
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fields(row: &[u8]) -> Vec<&[u8]> {
        split_copy_fields(row).collect()
    }

    fn dec(raw: &[u8]) -> Option<Vec<u8>> {
        decode_copy_field(raw).unwrap().map(|c| c.into_owned())
    }

    #[test]
    fn splits_on_unescaped_tabs() {
        assert_eq!(fields(b"1\tab\t\\N\n"), vec![&b"1"[..], b"ab", b"\\N"]);
        assert_eq!(fields(b"a\\\tb\tc"), vec![&b"a\\\tb"[..], b"c"]);
        assert_eq!(fields(b"a\\\\\tb"), vec![&b"a\\\\"[..], b"b"]);
        assert_eq!(fields(b"\t\n"), vec![&b""[..], b""]);
        assert_eq!(fields(b"\n"), vec![&b""[..]]);
        assert_eq!(fields(b"x\r\n"), vec![&b"x"[..]]);
        assert_eq!(fields(b"a\\"), vec![&b"a\\"[..]]);
    }

    #[test]
    fn decodes_escapes() {
        assert_eq!(dec(b"\\N"), None);
        assert_eq!(dec(b"\\\\N"), Some(b"\\N".to_vec()));
        assert_eq!(dec(b"a\\Nb"), Some(b"aNb".to_vec()));
        assert_eq!(dec(b""), Some(Vec::new()));
        assert_eq!(
            dec(b"\\b\\f\\n\\r\\t\\v\\\\"),
            Some(b"\x08\x0c\n\r\t\x0b\\".to_vec())
        );
        assert_eq!(dec(b"\\101\\0\\7x\\1234"), Some(b"A\0\x07xS4".to_vec()));
        assert_eq!(dec(b"\\777"), Some(vec![0xff]));
        assert_eq!(dec(b"\\x41\\x4g\\xz\\x"), Some(b"A\x04gxzx".to_vec()));
        assert_eq!(dec(b"\\q\\."), Some(b"q.".to_vec()));
        assert_eq!(
            dec("Émilie 😀\\t".as_bytes()),
            Some("Émilie 😀\t".as_bytes().to_vec())
        );
        assert!(matches!(
            decode_copy_field(b"plain").unwrap(),
            Some(Cow::Borrowed(_))
        ));
        assert!(decode_copy_field(b"abc\\").is_err());
        assert!(decode_copy_field(b"\\").is_err());
    }

    #[test]
    fn str_decoding_reports_invalid_utf8() {
        assert_eq!(
            decode_copy_field_str(b"caf\\303\\251").unwrap().as_deref(),
            Some("café")
        );
        assert!(decode_copy_field_str(b"\xff").is_err());
        assert!(decode_copy_field_str(b"\\377").is_err());
        assert_eq!(decode_copy_field_str(b"\\N").unwrap(), None);
    }

    #[test]
    fn encodes_like_the_server() {
        let mut out = Vec::new();
        encode_copy_field(None, &mut out);
        out.push(b'|');
        encode_copy_field(Some(b"\\N"), &mut out);
        out.push(b'|');
        encode_copy_field(Some(b"a\tb\nc\rd\\e\x08\x0b\x0c\x01"), &mut out);
        assert_eq!(out, b"\\N|\\\\N|a\\tb\\nc\\rd\\\\e\\b\\v\\f\x01".to_vec());
    }

    #[test]
    fn row_checks() {
        assert_eq!(row_problem(b"a\tb"), None);
        assert_eq!(row_problem(b"a\\\\"), None);
        assert!(row_problem(b"a\\").is_some());
        assert!(row_problem(b"a\\\\\\").is_some());
        assert!(row_problem(b"\\.x").is_some());
        assert_eq!(row_problem(b"\\\\."), None);
    }

    /// The byte-at-a-time encoder the vectorised one replaced.
    fn encode_reference(bytes: &[u8], out: &mut Vec<u8>) {
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let esc = match b {
                b'\\' => b'\\',
                b'\t' => b't',
                b'\n' => b'n',
                b'\r' => b'r',
                0x08 => b'b',
                0x0b => b'v',
                0x0c => b'f',
                _ => continue,
            };
            out.extend_from_slice(&bytes[start..i]);
            out.push(b'\\');
            out.push(esc);
            start = i + 1;
        }
        out.extend_from_slice(&bytes[start..]);
    }

    /// The one-search-per-field splitter the chunked one replaced.
    fn fields_reference(row: &[u8]) -> Vec<&[u8]> {
        let (mut rest, _) = split_line_terminator(row);
        let mut fields = Vec::new();
        'field: loop {
            let mut i = 0;
            while let Some(k) = memchr::memchr2(b'\t', b'\\', &rest[i..]) {
                let j = i + k;
                if rest[j] == b'\t' {
                    fields.push(&rest[..j]);
                    rest = &rest[j + 1..];
                    continue 'field;
                }
                i = (j + 2).min(rest.len());
            }
            fields.push(rest);
            return fields;
        }
    }

    #[test]
    fn splits_at_chunk_edges() {
        // Tabs and escapes on both sides of the 16-byte chunks and of the
        // switch to memchr after 64 bytes.
        for len in [0, 1, 14, 15, 16, 17, 31, 32, 63, 64, 65, 80, 200] {
            for at in [0, 1, 14, 15, 16, 17, 62, 63, 64, 65] {
                for tail in [&b"\t|"[..], b"\\\t|", b"\\\\\t|", b"\\"] {
                    let mut row = vec![b'a'; len];
                    row.splice(at.min(len)..at.min(len), tail.iter().copied());
                    assert_eq!(fields(&row), fields_reference(&row), "{row:?}");
                }
            }
        }
    }

    proptest! {
        #[test]
        fn splits_as_the_one_search_per_field_splitter(row in proptest::collection::vec(prop_oneof![Just(b'\t'), Just(b'\\'), Just(b'a'), Just(b'N'), Just(b'\n')], 0..300)) {
            prop_assert_eq!(fields(&row), fields_reference(&row));
        }

        #[test]
        fn encoding_matches_the_byte_loop(value in proptest::collection::vec(prop_oneof![any::<u8>(), 0x07u8..0x0f, Just(b'\\'), Just(b'a')], 0..200)) {
            let (mut fast, mut slow) = (b"x".to_vec(), b"x".to_vec());
            encode_copy_field(Some(&value), &mut fast);
            encode_reference(&value, &mut slow);
            prop_assert_eq!(fast, slow);
        }

        #[test]
        fn encode_decode_round_trip(value in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..64))) {
            let mut enc = Vec::new();
            encode_copy_field(value.as_deref(), &mut enc);
            prop_assert!(!enc.contains(&b'\t') && !enc.contains(&b'\n'));
            prop_assert_eq!(split_copy_fields(&enc).count(), 1);
            prop_assert_eq!(row_problem(&enc), None);
            let back = decode_copy_field(&enc).unwrap().map(|c| c.into_owned());
            prop_assert_eq!(back, value);
        }

        #[test]
        fn rows_of_encoded_fields_split_back(values in proptest::collection::vec(proptest::option::of(proptest::collection::vec(any::<u8>(), 0..16)), 1..8)) {
            let mut row = Vec::new();
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    row.push(b'\t');
                }
                encode_copy_field(v.as_deref(), &mut row);
            }
            row.push(b'\n');
            let back: Vec<Option<Vec<u8>>> = split_copy_fields(&row)
                .map(|f| decode_copy_field(f).unwrap().map(|c| c.into_owned()))
                .collect();
            prop_assert_eq!(back, values);
        }

        #[test]
        fn decode_never_panics(raw in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = decode_copy_field(&raw);
            let _ = split_copy_fields(&raw).count();
        }
    }
}
