//! The transforms and the engine that applies one to one value.
//!
//! Behaviour shared by all transforms:
//!
//! * **NULL stays NULL**, except for `set`, `template` and `random_hash`
//!   with `nulls = true`, which then fill NULLs too.
//! * **An empty string stays empty** for every transform derived from the
//!   value (`hash`, `random_hash`, `partial`, `fake_*`, `json`, `scrub`):
//!   it holds nothing personal, and turning it into one fixed fake would
//!   only create duplicates. `set` and `template` write their output
//!   whatever the value was.
//! * **Deterministic transforms are keyed by kind and value only**, never
//!   by table or column: the same address masks to the same fake wherever
//!   it appears, so foreign keys and joins on masked values still match.

use std::fmt;

use super::context::MaskContext;
use super::fake;
use super::json::{self, JsonLeaf, JsonRules, Whole};
use super::outcome::Outcome;
use super::salt::Keyed;
use super::scrub;
use dump::{parse_qualified_name, quote_identifier};

/// Longest `hash` and `random_hash` output: the 64 hex digits of 32 bytes.
pub const MAX_HASH_LEN: usize = 64;

/// What to do with the values of one column.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Transform {
    /// Leave the value as it is (`"keep"`, or listing the column in `keep`).
    Keep,
    /// Replace every value with NULL (`"null"`).
    Null,
    /// Replace every value with a constant (`{ set = "x" }`); NULLs too when
    /// `nulls` is set.
    Set {
        /// The constant, as text.
        value: String,
        /// Whether NULLs are replaced as well.
        nulls: bool,
    },
    /// Build the value from other columns of the same row
    /// (`{ template = "user_{id}@test.example.com" }`).
    Template {
        /// The parsed template.
        template: Template,
        /// Whether NULLs are replaced as well.
        nulls: bool,
        /// What to write for a referenced column that is NULL; `None` makes
        /// such a row an error.
        null_as: Option<String>,
    },
    /// Keyed hash in hex (`"hash"`, `{ hash = { length = 16, template =
    /// "user_{hash}@example.com" } }`).
    Hash {
        /// Number of hex digits kept (1 to 64).
        length: usize,
        /// Text around the digest, with `{hash}` where it goes.
        template: Option<Template>,
    },
    /// Random hex, different on every run (`"random_hash"`); for tokens
    /// nobody needs to match up.
    RandomHash {
        /// Number of hex digits (1 to 64).
        length: usize,
        /// Whether NULLs are replaced as well.
        nulls: bool,
    },
    /// Keep the first and last characters, replace the ones between
    /// (`{ partial = { first = 2, last = 2, char = "*" } }`).
    Partial {
        /// Characters kept at the start.
        first: usize,
        /// Characters kept at the end.
        last: usize,
        /// The replacement character.
        fill: char,
    },
    /// A deterministic realistic fake.
    Fake(FakeKind),
    /// Transforms applied at paths inside JSON text.
    Json(JsonRules<Transform>),
    /// Replace e-mail addresses and phone numbers found in free text.
    Scrub,
}

/// The kinds of realistic fakes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FakeKind {
    /// `anna.meyer.k3f9x2qz7m4b@example.com`: unique in practice.
    Email,
    /// `Anna Meyer`.
    Name,
    /// `Anna`.
    FirstName,
    /// `Meyer`.
    LastName,
    /// The original's format with keyed digits.
    Phone,
}

impl FakeKind {
    /// The name used in rules files (`fake_email`, ...).
    pub fn rule_name(self) -> &'static str {
        match self {
            FakeKind::Email => "fake_email",
            FakeKind::Name => "fake_name",
            FakeKind::FirstName => "fake_first_name",
            FakeKind::LastName => "fake_last_name",
            FakeKind::Phone => "fake_phone",
        }
    }
}

impl Transform {
    /// Whether the transform needs the secret salt (`hash`, `fake_*`,
    /// `scrub`, or a `json` rule using one of them).
    pub fn needs_salt(&self) -> bool {
        match self {
            Transform::Hash { .. } | Transform::Fake(_) | Transform::Scrub => true,
            Transform::Json(rules) => rules.paths.iter().any(|(_, t)| t.needs_salt()),
            _ => false,
        }
    }

    /// The columns a template reads, in order of appearance.
    pub fn referenced_columns(&self) -> impl Iterator<Item = &str> {
        let template = match self {
            Transform::Template { template, .. } => Some(template),
            _ => None,
        };
        template.into_iter().flat_map(Template::columns)
    }

    /// Short name for messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Transform::Keep => "keep",
            Transform::Null => "null",
            Transform::Set { .. } => "set",
            Transform::Template { .. } => "template",
            Transform::Hash { .. } => "hash",
            Transform::RandomHash { .. } => "random_hash",
            Transform::Partial { .. } => "partial",
            Transform::Fake(kind) => kind.rule_name(),
            Transform::Json(_) => "json",
            Transform::Scrub => "scrub",
        }
    }
}

/// One piece of a [`Template`].
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Column(String),
}

/// A template: literal text with `{column}` placeholders.
///
/// Placeholders are SQL identifiers resolved like every other name in the
/// rules: `{id}` and `{ID}` mean column `id`, `{"userId"}` means `userId`.
/// `{{` and `}}` stand for literal braces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    text: String,
    parts: Vec<Part>,
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Template {
    /// Parses a template.
    ///
    /// # Errors
    ///
    /// A message for unbalanced braces, empty placeholders and placeholders
    /// that are not a single identifier.
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|&(_, n)| n) == Some('{') => {
                    chars.next();
                    lit.push('{');
                }
                '}' if chars.peek().map(|&(_, n)| n) == Some('}') => {
                    chars.next();
                    lit.push('}');
                }
                '}' => {
                    return Err(format!(
                        "template {text:?}: unmatched '}}' at character {i} (write }}}} for a \
                         literal brace)"
                    ))
                }
                '{' => {
                    // Up to the matching '}', skipping quoted identifiers.
                    let mut in_quotes = false;
                    let mut end = None;
                    for (j, d) in chars.by_ref() {
                        match d {
                            '"' => in_quotes = !in_quotes,
                            '}' if !in_quotes => {
                                end = Some(j);
                                break;
                            }
                            _ => {}
                        }
                    }
                    let Some(end) = end else {
                        return Err(format!(
                            "template {text:?}: unclosed '{{' at character {i} (write {{{{ for \
                             a literal brace)"
                        ));
                    };
                    let inner = &text[i + 1..end];
                    let name = parse_qualified_name(inner).map_err(|_| {
                        format!("template {text:?}: {{{inner}}} is not a column name")
                    })?;
                    if name.schema.is_some() {
                        return Err(format!(
                            "template {text:?}: {{{inner}}} must name a column of the same \
                             table, without qualification"
                        ));
                    }
                    if !lit.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut lit)));
                    }
                    parts.push(Part::Column(name.name));
                }
                c => lit.push(c),
            }
        }
        if !lit.is_empty() {
            parts.push(Part::Text(lit));
        }
        Ok(Template {
            text: text.to_owned(),
            parts,
        })
    }

    /// The template as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The referenced column names, in order of appearance (repeats
    /// included).
    pub fn columns(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Column(c) => Some(c.as_str()),
            Part::Text(_) => None,
        })
    }

    /// Number of placeholders.
    pub(crate) fn placeholder_count(&self) -> usize {
        self.columns().count()
    }

    /// Whether the template contains a NUL character (which PostgreSQL
    /// text cannot hold).
    pub(crate) fn has_nul(&self) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, Part::Text(t) if t.contains('\0')))
    }

    /// Renders with `fill(slot, name, out)` writing the value of the
    /// `slot`-th placeholder.
    fn render(
        &self,
        out: &mut String,
        mut fill: impl FnMut(usize, &str, &mut String) -> Result<(), String>,
    ) -> Result<(), String> {
        let mut slot = 0;
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Column(c) => {
                    fill(slot, c, out)?;
                    slot += 1;
                }
            }
        }
        Ok(())
    }
}

/// Access to the other columns of the row a template is rendered for.
pub(crate) trait Refs {
    /// The value of the `slot`-th placeholder, named `name`: `None` when the
    /// row has no such column, `Some(None)` for NULL.
    fn get(&self, slot: usize, name: &str) -> Option<Option<&str>>;
}

/// For values that have no row (inside JSON): templates are not allowed
/// there, so this is never asked.
pub(crate) struct NoRefs;

impl Refs for NoRefs {
    fn get(&self, _slot: usize, _name: &str) -> Option<Option<&str>> {
        None
    }
}

/// Transforms applied inside JSON documents (the `json` transform's paths).
struct InJson<'a> {
    ctx: &'a MaskContext,
}

impl JsonLeaf<Transform> for InJson<'_> {
    fn whole<'r>(&self, rule: &'r Transform) -> Whole<'r> {
        match rule {
            Transform::Keep => Whole::Keep,
            Transform::Null => Whole::Null,
            Transform::Set { value, .. } => Whole::Set(value),
            _ => Whole::Refuse,
        }
    }

    fn apply(
        &mut self,
        rule: &Transform,
        value: Option<&str>,
        out: &mut String,
    ) -> Result<Outcome, String> {
        apply_value(rule, value, &NoRefs, self.ctx, out)
    }
}

/// Applies `t` to `value`, appending a new value to `out` (which the caller
/// clears). Errors are reasons that never contain the value.
pub(crate) fn apply_value(
    t: &Transform,
    value: Option<&str>,
    refs: &dyn Refs,
    ctx: &MaskContext,
    out: &mut String,
) -> Result<Outcome, String> {
    let salt = || {
        ctx.salt()
            .ok_or_else(|| format!("{} needs a secret salt, and none was given", t.kind_name()))
    };
    let outcome = match (t, value) {
        (Transform::Keep, _) => Outcome::Unchanged,
        (Transform::Null, None) => Outcome::Unchanged,
        (Transform::Null, Some(_)) => Outcome::Null,
        (Transform::Set { nulls: false, .. }, None)
        | (Transform::Template { nulls: false, .. }, None)
        | (Transform::RandomHash { nulls: false, .. }, None) => Outcome::Unchanged,
        (Transform::Set { value, .. }, _) => {
            out.push_str(value);
            Outcome::Text
        }
        (
            Transform::Template {
                template, null_as, ..
            },
            _,
        ) => {
            template.render(out, |slot, name, out| match refs.get(slot, name) {
                Some(Some(v)) => {
                    out.push_str(v);
                    Ok(())
                }
                Some(None) => match null_as {
                    Some(s) => {
                        out.push_str(s);
                        Ok(())
                    }
                    None => Err(format!(
                        "the template refers to column {}, which is NULL in this row (give \
                         the rule null_as = \"...\" to say what to write instead)",
                        quote_identifier(name)
                    )),
                },
                None => Err(format!(
                    "the template refers to column {}, which the row does not have",
                    quote_identifier(name)
                )),
            })?;
            Outcome::Text
        }
        (Transform::RandomHash { length, .. }, v) => {
            if v == Some("") {
                return Ok(Outcome::Unchanged);
            }
            // Only the bytes whose hex digits are kept are drawn.
            let mut bytes = [0u8; 32];
            ctx.random_bytes(&mut bytes[..length.div_ceil(2).min(32)]);
            push_hex(&bytes, *length, out);
            Outcome::Text
        }
        // Every remaining transform leaves NULL and '' alone.
        (_, None) | (_, Some("")) => Outcome::Unchanged,
        (Transform::Hash { length, template }, Some(v)) => {
            let digest = salt()?.keyed(Keyed::Hash, v.as_bytes());
            match template {
                None => push_hex(&digest, *length, out),
                Some(tpl) => tpl.render(out, |_, _, out| {
                    push_hex(&digest, *length, out);
                    Ok(())
                })?,
            }
            Outcome::Text
        }
        (Transform::Partial { first, last, fill }, Some(v)) => {
            partial(v, *first, *last, *fill, out);
            Outcome::Text
        }
        (Transform::Fake(kind), Some(v)) => {
            let salt = salt()?;
            match kind {
                FakeKind::Email => fake::email(salt, v.as_bytes(), out),
                FakeKind::Name => fake::name(salt, v.as_bytes(), out),
                FakeKind::FirstName => fake::first_name(salt, v.as_bytes(), out),
                FakeKind::LastName => fake::last_name(salt, v.as_bytes(), out),
                FakeKind::Phone => fake::phone(salt, v, out),
            }
            Outcome::Text
        }
        (Transform::Json(rules), Some(v)) => {
            if json::rewrite(v, rules, &mut InJson { ctx }, out)? {
                Outcome::Text
            } else {
                Outcome::Unchanged
            }
        }
        (Transform::Scrub, Some(v)) => {
            if scrub::scrub(salt()?, v, out) {
                Outcome::Text
            } else {
                Outcome::Unchanged
            }
        }
    };
    Ok(outcome)
}

fn push_hex(bytes: &[u8; 32], length: usize, out: &mut String) {
    let hex = hex_digits(bytes);
    let digits = &hex[..length.min(hex.len())];
    debug_assert!(digits.is_ascii());
    // SAFETY: `hex_digits` writes only the ASCII digits 0-9 and a-f, and
    // ASCII is valid UTF-8 (no need to check it again for every value).
    out.push_str(unsafe { std::str::from_utf8_unchecked(digits) });
}

/// The 64 lowercase hex digits of `bytes`, high nibble first.
fn hex_digits(bytes: &[u8; 32]) -> [u8; 64] {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of every x86_64 processor.
        unsafe { hex_digits_sse2(bytes) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    hex_digits_plain(bytes)
}

#[cfg(any(test, not(target_arch = "x86_64")))]
fn hex_digits_plain(bytes: &[u8; 32]) -> [u8; 64] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hex = [0u8; 64];
    for (pair, &b) in hex.chunks_exact_mut(2).zip(bytes) {
        pair[0] = HEX[usize::from(b >> 4)];
        pair[1] = HEX[usize::from(b & 15)];
    }
    hex
}

/// [`hex_digits`] 16 bytes at a time: the nibbles interleaved high first,
/// then `'0' + n`, plus the gap from `'9' + 1` to `'a'` where `n > 9`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn hex_digits_sse2(bytes: &[u8; 32]) -> [u8; 64] {
    use std::arch::x86_64::*;
    let mut hex = [0u8; 64];
    let low_nibbles = _mm_set1_epi8(0x0f);
    let nine = _mm_set1_epi8(9);
    let zero = _mm_set1_epi8(b'0' as i8);
    let gap = _mm_set1_epi8((b'a' - b'9' - 1) as i8);
    let digits = |n: __m128i| {
        let letters = _mm_and_si128(_mm_cmpgt_epi8(n, nine), gap);
        _mm_add_epi8(_mm_add_epi8(n, zero), letters)
    };
    for half in 0..2 {
        // SAFETY: 16 bytes are read from within `bytes` and 32 written
        // within `hex` (unaligned loads and stores).
        unsafe {
            let v = _mm_loadu_si128(bytes.as_ptr().add(16 * half).cast());
            let hi = _mm_and_si128(_mm_srli_epi16(v, 4), low_nibbles);
            let lo = _mm_and_si128(v, low_nibbles);
            let first = digits(_mm_unpacklo_epi8(hi, lo));
            let second = digits(_mm_unpackhi_epi8(hi, lo));
            let out = hex.as_mut_ptr().add(32 * half);
            _mm_storeu_si128(out.cast(), first);
            _mm_storeu_si128(out.add(16).cast(), second);
        }
    }
    hex
}

/// Keeps `first` and `last` characters and replaces the rest with `fill`,
/// one for one. A value too short to hide anything between the kept ends
/// is replaced completely: showing all of it would be no masking at all.
fn partial(v: &str, first: usize, last: usize, fill: char, out: &mut String) {
    let n = v.chars().count();
    if n <= first + last {
        out.extend(std::iter::repeat_n(fill, n));
        return;
    }
    let mut chars = v.chars();
    out.extend(chars.by_ref().take(first));
    out.extend(std::iter::repeat_n(fill, n - first - last));
    out.extend(chars.skip(n - first - last));
}

/// Named row access for [`apply_transform`].
struct ByName<'f, 'r> {
    row: &'f dyn Fn(&str) -> Option<Option<&'r str>>,
}

impl Refs for ByName<'_, '_> {
    fn get(&self, _slot: usize, name: &str) -> Option<Option<&str>> {
        (self.row)(name)
    }
}

/// Applies one transform to one value, outside any dump: the entry point
/// for masking a live copy in place and for SQL functions registered with
/// SQLite.
///
/// `value` is `None` for NULL. `row(name)` gives the other columns of the
/// same row for templates: `None` when there is no such column,
/// `Some(None)` for NULL; pass `&|_| None` when there is no row. Returns the
/// new value (`None` for NULL); an unchanged value is returned as a copy.
///
/// # Errors
///
/// [`super::MaskError::Transform`] when the transform cannot be applied
/// (missing salt, template column missing or NULL, invalid JSON). The
/// message never contains the value.
pub fn apply_transform<'r>(
    t: &Transform,
    value: Option<&str>,
    row: &dyn Fn(&str) -> Option<Option<&'r str>>,
    ctx: &MaskContext,
) -> Result<Option<String>, super::MaskError> {
    let mut out = String::new();
    match apply_value(t, value, &ByName { row }, ctx, &mut out) {
        Ok(Outcome::Unchanged) => Ok(value.map(str::to_owned)),
        Ok(Outcome::Null) => Ok(None),
        Ok(Outcome::Text) => Ok(Some(out)),
        Err(reason) => Err(super::MaskError::Transform {
            transform: t.kind_name(),
            reason,
        }),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::salt::Salt;

    fn ctx() -> MaskContext {
        MaskContext::new(Salt::from_secret(b"transform-test-salt").unwrap()).with_random_seed(1)
    }

    fn apply(t: &Transform, v: Option<&str>) -> Option<String> {
        apply_transform(t, v, &|_| None, &ctx()).unwrap()
    }

    proptest::proptest! {
        #[test]
        fn hex_digits_are_the_plain_ones(bytes in proptest::array::uniform32(proptest::prelude::any::<u8>())) {
            proptest::prop_assert_eq!(hex_digits(&bytes), hex_digits_plain(&bytes));
            let expected: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            proptest::prop_assert_eq!(&hex_digits(&bytes)[..], expected.as_bytes());
        }
    }

    #[test]
    fn random_hashes_are_fresh_per_value_thread_and_context() {
        let t = Transform::RandomHash {
            length: 64,
            nulls: false,
        };
        let c = MaskContext::new(Salt::from_secret(b"transform-test-salt").unwrap());
        let one = |c: &MaskContext| {
            apply_transform(&t, Some("x"), &|_| None, c)
                .unwrap()
                .unwrap()
        };
        let mut seen: Vec<String> = (0..100).map(|_| one(&c)).collect();
        seen.extend(std::thread::scope(|s| {
            let a = s.spawn(|| (0..100).map(|_| one(&c)).collect::<Vec<_>>());
            let b = s.spawn(|| (0..100).map(|_| one(&c)).collect::<Vec<_>>());
            let mut v = a.join().unwrap();
            v.extend(b.join().unwrap());
            v
        }));
        // A second context on the same thread draws from its own generator.
        let d = MaskContext::new(Salt::from_secret(b"transform-test-salt").unwrap());
        seen.extend((0..100).map(|_| one(&d)));
        seen.extend((0..100).map(|_| one(&c)));
        assert!(seen
            .iter()
            .all(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit())));
        let n = seen.len();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), n, "a random hash came out twice");
        // With a seed, one thread's run is reproducible; a shorter hash has the asked-for length.
        let seeded = |seed| {
            let c = MaskContext::without_salt().with_random_seed(seed);
            (0..50).map(|_| one(&c)).collect::<Vec<_>>()
        };
        assert_eq!(seeded(5), seeded(5));
        assert_ne!(seeded(5), seeded(6));
        let short = Transform::RandomHash {
            length: 7,
            nulls: false,
        };
        let v = apply_transform(&short, Some("x"), &|_| None, &c)
            .unwrap()
            .unwrap();
        assert_eq!(v.len(), 7);
    }

    #[test]
    fn templates_parse() {
        let t = Template::parse(r#"user_{id}@x.{{y}}_{"userId"}_{ Name }"#).unwrap();
        assert_eq!(
            t.columns().collect::<Vec<_>>(),
            vec!["id", "userId", "name"]
        );
        for bad in ["{", "}", "a{b.c}d", "{}", "{a b}", "{\"x}"] {
            assert!(Template::parse(bad).is_err(), "{bad}");
        }
        let t = Template::parse("{{}}").unwrap();
        assert_eq!(t.placeholder_count(), 0);
    }

    #[test]
    fn template_rendering() {
        let t = Transform::Template {
            template: Template::parse("user_{id}@test.example.com {{{other}}}").unwrap(),
            nulls: false,
            null_as: None,
        };
        let row = |name: &str| match name {
            "id" => Some(Some("42")),
            "other" => Some(None),
            _ => None,
        };
        let err = apply_transform(&t, Some("secret-value"), &row, &ctx()).unwrap_err();
        assert!(err.to_string().contains("other"), "{err}");
        assert!(!err.to_string().contains("secret-value"));
        let t2 = Transform::Template {
            template: Template::parse("user_{id}@test.example.com {{{other}}}").unwrap(),
            nulls: false,
            null_as: Some("-".into()),
        };
        assert_eq!(
            apply_transform(&t2, Some("x"), &row, &ctx())
                .unwrap()
                .as_deref(),
            Some("user_42@test.example.com {-}")
        );
        assert_eq!(apply_transform(&t2, None, &row, &ctx()).unwrap(), None);
        let missing = |_: &str| None;
        assert!(apply_transform(&t2, Some("x"), &missing, &ctx()).is_err());
    }

    #[test]
    fn nulls_and_empties() {
        let all = [
            Transform::Null,
            Transform::Hash {
                length: 64,
                template: None,
            },
            Transform::RandomHash {
                length: 64,
                nulls: false,
            },
            Transform::Partial {
                first: 1,
                last: 1,
                fill: '*',
            },
            Transform::Fake(FakeKind::Email),
            Transform::Fake(FakeKind::Phone),
            Transform::Scrub,
            Transform::Set {
                value: "x".into(),
                nulls: false,
            },
        ];
        for t in &all {
            assert_eq!(apply(t, None), None, "{t:?}");
        }
        for t in &all[1..7] {
            assert_eq!(apply(t, Some("")).as_deref(), Some(""), "{t:?}");
        }
        let set = Transform::Set {
            value: "x".into(),
            nulls: true,
        };
        assert_eq!(apply(&set, None).as_deref(), Some("x"));
        assert_eq!(apply(&set, Some("")).as_deref(), Some("x"));
        let rh = Transform::RandomHash {
            length: 10,
            nulls: true,
        };
        assert_eq!(apply(&rh, None).unwrap().len(), 10);
    }

    #[test]
    fn hashes() {
        let h = Transform::Hash {
            length: 16,
            template: Some(Template::parse("user_{hash}@example.com").unwrap()),
        };
        let a = apply(&h, Some("anna")).unwrap();
        assert_eq!(a, apply(&h, Some("anna")).unwrap());
        assert!(a.starts_with("user_") && a.len() == "user_@example.com".len() + 16);
        let full = Transform::Hash {
            length: 64,
            template: None,
        };
        let f = apply(&full, Some("anna")).unwrap();
        assert_eq!(f.len(), 64);
        assert!(a.contains(&f[..16]));
        let odd = Transform::Hash {
            length: 5,
            template: None,
        };
        assert_eq!(apply(&odd, Some("anna")).unwrap(), f[..5]);
        let r = Transform::RandomHash {
            length: 64,
            nulls: false,
        };
        let c = ctx();
        let once = |v| apply_transform(&r, Some(v), &|_| None, &c).unwrap();
        assert_ne!(once("t"), once("t"));
        // A seeded context repeats itself (for tests only).
        assert_eq!(apply(&r, Some("t")), apply(&r, Some("t")));
        let unsalted = MaskContext::without_salt();
        let err = apply_transform(&full, Some("v"), &|_| None, &unsalted).unwrap_err();
        assert!(err.to_string().contains("salt"));
    }

    #[test]
    fn partial_counts_characters() {
        let p = |first, last| Transform::Partial {
            first,
            last,
            fill: '*',
        };
        assert_eq!(apply(&p(2, 2), Some("😀😁abc😂😃")).unwrap(), "😀😁***😂😃");
        assert_eq!(apply(&p(2, 2), Some("abcd")).unwrap(), "****");
        assert_eq!(apply(&p(0, 0), Some("ab")).unwrap(), "**");
        assert_eq!(apply(&p(1, 0), Some("ééé")).unwrap(), "é**");
    }
}
