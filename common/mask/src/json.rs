//! Masking values inside JSON text (`json` and `jsonb` columns, or text
//! columns holding JSON) at paths given in the rules.
//!
//! The document is rewritten in place rather than parsed into a tree and
//! serialised again: everything outside the replaced values keeps its exact
//! bytes, key order, duplicate keys and number spelling (a round trip
//! through `f64` would silently change `12345678901234567890.123`). The
//! whole document is still validated, so text that is not JSON is an error
//! instead of something passed through unmasked.

use std::borrow::Cow;
use std::fmt;

use super::outcome::Outcome;

/// Deepest nesting accepted; deeper documents are refused rather than
/// risking the stack.
const MAX_DEPTH: usize = 256;

/// One step of a [`JsonPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    /// An object member by exact (case-sensitive) key.
    Key(String),
    /// Every member of an object: `*`.
    AnyKey,
    /// One array element: `[3]`.
    Index(usize),
    /// Every element of an array: `[*]`.
    AnyIndex,
}

/// A path to values inside a JSON document, as written in the rules:
/// `email`, `profile.phone`, `tokens[*]`, `contacts[*].email`, `items[0]`,
/// `meta.*`, `"key.with.dots".x`, `[*].email` (elements of a top-level
/// array). A leading `$` or `$.` is accepted and ignored. Keys are matched
/// exactly, case included (JSON keys are not SQL identifiers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPath {
    text: String,
    steps: Vec<Step>,
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl JsonPath {
    /// Parses a path.
    ///
    /// # Errors
    ///
    /// A message saying what is wrong with the path.
    pub fn parse(text: &str) -> Result<JsonPath, String> {
        let bad = |why: &str| format!("invalid JSON path {text:?}: {why}");
        let mut rest = text;
        if let Some(r) = rest.strip_prefix('$') {
            rest = r.strip_prefix('.').unwrap_or(r);
        }
        let mut steps = Vec::new();
        let mut need_key = true;
        while !rest.is_empty() || need_key {
            if let Some(r) = rest.strip_prefix('[') {
                let close = r.find(']').ok_or_else(|| bad("unclosed ["))?;
                let inner = r[..close].trim();
                steps.push(if inner == "*" {
                    Step::AnyIndex
                } else {
                    Step::Index(inner.parse().map_err(|_| bad("expected [*] or [number]"))?)
                });
                rest = &r[close + 1..];
            } else if need_key {
                if let Some(r) = rest.strip_prefix('"') {
                    let mut key = String::new();
                    let mut chars = r.char_indices();
                    let end = loop {
                        match chars.next() {
                            None => return Err(bad("unclosed quoted key")),
                            Some((i, '"')) => break i,
                            Some((_, '\\')) => match chars.next() {
                                Some((_, c)) => key.push(c),
                                None => return Err(bad("unclosed quoted key")),
                            },
                            Some((_, c)) => key.push(c),
                        }
                    };
                    steps.push(Step::Key(key));
                    rest = &r[end + 1..];
                } else {
                    let end = rest.find(['.', '[', ']', '"']).unwrap_or(rest.len());
                    let key = &rest[..end];
                    if key.is_empty() {
                        return Err(bad("empty key"));
                    }
                    steps.push(if key == "*" {
                        Step::AnyKey
                    } else {
                        Step::Key(key.to_owned())
                    });
                    rest = &rest[end..];
                }
            } else {
                return Err(bad("expected . or [ between steps"));
            }
            need_key = false;
            if let Some(r) = rest.strip_prefix('.') {
                rest = r;
                need_key = true;
            }
        }
        Ok(JsonPath {
            text: text.to_owned(),
            steps,
        })
    }
}

/// The `json` transform's rules: which rule `T` (a transform) applies at
/// which path. When several paths match the same value, the first one in
/// the rules file's (sorted) key order that masks applies; a `keep` applies
/// only where no other path masks the value or goes on into it, so a
/// `"*" = "keep"` or a kept parent never lets a more specific path's value
/// through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonRules<T> {
    pub(crate) paths: Vec<(JsonPath, T)>,
}

impl<T> JsonRules<T> {
    /// The paths and their rules.
    pub fn paths(&self) -> impl Iterator<Item = (&JsonPath, &T)> {
        self.paths.iter().map(|(p, t)| (p, t))
    }
}

/// What a rule does to a whole object or array that its path meets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Whole<'a> {
    /// Left as it is.
    Keep,
    /// Replaced by JSON `null`.
    Null,
    /// Replaced by this text, as a JSON string.
    Set(&'a str),
    /// The rule only applies to single values: an error.
    Refuse,
}

/// How the rules of a [`JsonRules`] are applied: to whole containers, and
/// to single values (`None` for JSON `null`), appending a new value to
/// `out`. Errors are reasons that never contain the value.
pub(crate) trait JsonLeaf<T> {
    /// What `rule` does to an object or array.
    fn whole<'r>(&self, rule: &'r T) -> Whole<'r>;
    /// Applies `rule` to one value.
    fn apply(&mut self, rule: &T, value: Option<&str>, out: &mut String)
        -> Result<Outcome, String>;
    /// Whether `rule` leaves every value as it is (`keep`): such a path
    /// never stops another path that masks from reaching the same value or
    /// the values inside it.
    fn keeps(&self, rule: &T) -> bool {
        matches!(self.whole(rule), Whole::Keep)
    }
}

/// Rewrites `text` per `rules` into `out`. Returns `Ok(false)` (and leaves
/// `out` alone) when no value needed changing.
///
/// # Errors
///
/// A message (with a byte offset into the document, never its content) when
/// `text` is not valid JSON, nests too deep, or a path meets an object or
/// array whose transform only applies to single values.
pub(crate) fn rewrite<T>(
    text: &str,
    rules: &JsonRules<T>,
    leaf: &mut dyn JsonLeaf<T>,
    out: &mut String,
) -> Result<bool, String> {
    let flat = rules
        .paths
        .iter()
        .all(|(p, _)| matches!(p.steps.as_slice(), [Step::Key(_)]));
    rewrite_as(text, rules, leaf, out, flat)
}

/// [`rewrite`], walking the paths one step at a time (`flat` false) or, when
/// every path is one key (`flat` true), matching the top-level members'
/// names against the keys directly.
fn rewrite_as<T>(
    text: &str,
    rules: &JsonRules<T>,
    leaf: &mut dyn JsonLeaf<T>,
    out: &mut String,
    flat: bool,
) -> Result<bool, String> {
    // The walker's path stack is kept per thread between values, so that a
    // JSON column costs no allocation per row; one-key paths need none.
    let mut stack = if flat {
        Vec::new()
    } else {
        STACK.with(|b| {
            b.try_borrow_mut()
                .map(|mut b| std::mem::take(&mut *b))
                .unwrap_or_default()
        })
    };
    stack.clear();
    let all = if flat {
        (0, 1)
    } else {
        stack.extend((0..rules.paths.len()).map(|r| (r, 0)));
        (0, stack.len())
    };
    let mark = out.len();
    let mut w = Walker {
        s: text.as_bytes(),
        text,
        pos: 0,
        rules,
        leaf,
        out,
        last: 0,
        changed: false,
        stack,
        flat,
        escapes: 0,
    };
    let result = w.document(all);
    if !matches!(result, Ok(true)) {
        w.out.truncate(mark);
    }
    if !flat {
        let stack = w.stack;
        STACK.with(|b| {
            if let Ok(mut b) = b.try_borrow_mut() {
                *b = stack;
            }
        });
    }
    result
}

thread_local! {
    static STACK: std::cell::RefCell<Vec<(usize, usize)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// What kind of value starts at the cursor.
enum Kind {
    Scalar,
    Container,
}

struct Walker<'a, T> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
    rules: &'a JsonRules<T>,
    leaf: &'a mut dyn JsonLeaf<T>,
    /// The rewritten document so far: `text[..last]` with its replaced
    /// values, appended to as replacements are made (cut back by
    /// [`rewrite`] when nothing changed or the text is no JSON).
    out: &'a mut String,
    last: usize,
    changed: bool,
    /// `(rule, step)` pairs of the paths that matched on the way down; each
    /// level's are a range at the end, dropped on the way up. Unused when
    /// `flat`.
    stack: Vec<(usize, usize)>,
    /// Every path is one key: a top-level member's name picks its rule
    /// directly, and nothing deeper is looked into.
    flat: bool,
    /// Backslash escapes seen in strings so far (a string whose skipping
    /// did not change it needs no decoding).
    escapes: usize,
}

impl<T> Walker<'_, T> {
    /// Walks the whole document (`all`: the range of every path) and
    /// finishes the rewritten text in `out` if anything changed.
    fn document(&mut self, all: (usize, usize)) -> Result<bool, String> {
        self.ws();
        self.value(all, 0)?;
        self.ws();
        if self.pos != self.s.len() {
            return Err(self.err("unexpected text after the JSON value"));
        }
        if !self.changed {
            return Ok(false);
        }
        self.out.push_str(&self.text[self.last..]);
        Ok(true)
    }

    fn err(&self, why: &'static str) -> String {
        Bad::Syntax(why, self.pos).message()
    }

    fn ws(&mut self) {
        self.pos = ws(self.s, self.pos);
    }

    /// Writes out that `text[start..end]` becomes `new`.
    fn edit(&mut self, start: usize, end: usize, new: impl FnOnce(&mut String)) {
        self.out.push_str(&self.text[self.last..start]);
        new(self.out);
        self.last = end;
        self.changed = true;
    }

    /// Parses the value at the cursor. `active` is the range of `stack`
    /// holding the `(rule, step)` pairs of the paths that have matched the
    /// way down to here (when `flat`, `(0, 1)` at the top and empty below).
    fn value(&mut self, active: (usize, usize), depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err(Bad::Deep(self.pos).message());
        }
        // No path goes on into this value: it is only validated.
        if active.0 == active.1 {
            self.pos = skip_value(self.s, self.pos, depth).map_err(Bad::message)?;
            return Ok(());
        }
        // One-key paths point at no whole document.
        if !self.flat {
            // The first path ending here that masks; else, if none goes on
            // into the value, the first that keeps it.
            let (mut masks, mut keeps, mut goes_on) = (None, None, false);
            for &(r, step) in &self.stack[active.0..active.1] {
                let (path, rule) = &self.rules.paths[r];
                if path.steps.len() != step {
                    goes_on = true;
                } else if !self.leaf.keeps(rule) {
                    masks = masks.or(Some(r));
                } else {
                    keeps = keeps.or(Some(r));
                }
            }
            match (masks, keeps) {
                (Some(r), _) => return self.target(r, depth),
                (None, Some(r)) if !goes_on => return self.target(r, depth),
                _ => {}
            }
        }
        match self.s.get(self.pos) {
            Some(b'{') => self.object(active, depth),
            Some(b'[') => self.array(active, depth),
            _ => self.scalar().map(|_| ()),
        }
    }

    /// Follows the paths one step into an object member or array element:
    /// pushes the pairs that go on and returns their range of `stack`.
    fn advance(
        &mut self,
        active: (usize, usize),
        key: Option<&str>,
        index: usize,
    ) -> (usize, usize) {
        let start = self.stack.len();
        for a in active.0..active.1 {
            let (r, step) = self.stack[a];
            // A path that ended here (a `keep` beside paths that go on).
            let Some(next) = self.rules.paths[r].0.steps.get(step) else {
                continue;
            };
            let on = match (next, key) {
                (Step::Key(k), Some(key)) => same_key(k, key),
                (Step::AnyKey, Some(_)) => true,
                (Step::Index(i), None) => *i == index,
                (Step::AnyIndex, None) => true,
                _ => false,
            };
            if on {
                self.stack.push((r, step + 1));
            }
        }
        (start, self.stack.len())
    }

    /// The first one-key path whose key is `key` and that masks, else the
    /// first that keeps (when `flat`).
    fn flat_rule(&self, key: &str) -> Option<usize> {
        let mut keeps = None;
        for (r, (p, rule)) in self.rules.paths.iter().enumerate() {
            if matches!(p.steps.as_slice(), [Step::Key(k)] if same_key(k, key)) {
                if !self.leaf.keeps(rule) {
                    return Some(r);
                }
                keeps = keeps.or(Some(r));
            }
        }
        keeps
    }

    fn object(&mut self, active: (usize, usize), depth: usize) -> Result<(), String> {
        self.pos += 1;
        self.ws();
        if self.s.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(());
        }
        let base = self.stack.len();
        loop {
            if self.s.get(self.pos) != Some(&b'"') {
                return Err(self.err("expected a member name"));
            }
            // The member's rule when `flat`, else the paths that go on.
            let (rule, next) = if active.0 == active.1 {
                self.skip_string()?;
                (None, (base, base))
            } else {
                let escapes = self.escapes;
                let (start, end) = self.skip_string()?;
                let text = self.text;
                let body = &text[start + 1..end - 1];
                let key = if self.escapes == escapes {
                    Cow::Borrowed(body)
                } else {
                    decode_string(body)
                };
                if self.flat {
                    (self.flat_rule(&key), (base, base))
                } else {
                    (None, self.advance(active, Some(&key), 0))
                }
            };
            self.ws();
            if self.s.get(self.pos) != Some(&b':') {
                return Err(self.err("expected ':'"));
            }
            self.pos += 1;
            self.ws();
            match rule {
                // As `value` would: the path ends here.
                Some(r) if depth < MAX_DEPTH => self.target(r, depth + 1)?,
                // As `value` would: a string no path goes into, skipped in line.
                None if next.0 == next.1
                    && depth < MAX_DEPTH
                    && self.s.get(self.pos) == Some(&b'"') =>
                {
                    self.skip_string()?;
                }
                _ => self.value(next, depth + 1)?,
            }
            self.stack.truncate(base);
            self.ws();
            match self.s.get(self.pos) {
                Some(b',') => {
                    self.pos += 1;
                    self.ws();
                }
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.err("expected ',' or '}'")),
            }
        }
    }

    fn array(&mut self, active: (usize, usize), depth: usize) -> Result<(), String> {
        self.pos += 1;
        self.ws();
        if self.s.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(());
        }
        let base = self.stack.len();
        let mut index = 0;
        loop {
            // One-key paths go into no array element.
            let next = if active.0 == active.1 || self.flat {
                (base, base)
            } else {
                self.advance(active, None, index)
            };
            self.value(next, depth + 1)?;
            self.stack.truncate(base);
            index += 1;
            self.ws();
            match self.s.get(self.pos) {
                Some(b',') => {
                    self.pos += 1;
                    self.ws();
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.err("expected ',' or ']'")),
            }
        }
    }

    /// A value a path points at: validate it, then write its replacement.
    fn target(&mut self, rule: usize, depth: usize) -> Result<(), String> {
        let start = self.pos;
        let escapes = self.escapes;
        let kind = match self.s.get(self.pos) {
            Some(b'{' | b'[') => {
                self.pos = skip_value(self.s, self.pos, depth).map_err(Bad::message)?;
                Kind::Container
            }
            _ => {
                self.scalar()?;
                Kind::Scalar
            }
        };
        let end = self.pos;
        let text = self.text;
        let raw = &text[start..end];
        let rules = self.rules;
        let (path, transform) = &rules.paths[rule];
        let decoded;
        let value: Option<&str> = match kind {
            Kind::Container => match self.leaf.whole(transform) {
                Whole::Keep => return Ok(()),
                Whole::Null => {
                    self.edit(start, end, |r| r.push_str("null"));
                    return Ok(());
                }
                Whole::Set(value) => {
                    self.edit(start, end, |r| quote_into(value, r));
                    return Ok(());
                }
                Whole::Refuse => {
                    return Err(format!(
                        "JSON path {path} matches an object or array (at byte {start} of the \
                         value), but its transform applies to single values; point the path \
                         at the values inside, e.g. {path}[*] or {path}.key"
                    ))
                }
            },
            Kind::Scalar if raw == "null" => None,
            // A string whose skipping met no backslash is its own content.
            Kind::Scalar if raw.starts_with('"') && self.escapes == escapes => {
                Some(&raw[1..raw.len() - 1])
            }
            Kind::Scalar if raw.starts_with('"') => {
                decoded = decode_string(&raw[1..raw.len() - 1]);
                Some(&*decoded)
            }
            Kind::Scalar => Some(raw),
        };
        // The text before the value and an opening quote go out first; the
        // transform appends the new value after them, which is then closed
        // (or escaped, if it needs it) or taken back.
        let before = self.out.len();
        self.out.push_str(&text[self.last..start]);
        let quote = self.out.len();
        self.out.push('"');
        let outcome = self
            .leaf
            .apply(transform, value, self.out)
            .map_err(|why| format!("at JSON path {path}: {why}"))?;
        match outcome {
            Outcome::Unchanged => {
                self.out.truncate(before);
                return Ok(());
            }
            Outcome::Null => {
                if value.is_none() {
                    self.out.truncate(before);
                    return Ok(());
                }
                self.out.truncate(quote);
                self.out.push_str("null");
            }
            Outcome::Text => {
                if needs_escape(&self.out.as_bytes()[quote + 1..]) {
                    let new = self.out.split_off(quote + 1);
                    self.out.truncate(quote);
                    quote_into(&new, self.out);
                } else {
                    self.out.push('"');
                }
            }
        }
        self.last = end;
        self.changed = true;
        Ok(())
    }

    /// A string, number, `true`, `false` or `null` at the cursor.
    fn scalar(&mut self) -> Result<(), String> {
        if self.s.get(self.pos) == Some(&b'"') {
            return self.skip_string().map(|_| ());
        }
        self.pos = scalar_end(self.s, self.pos).map_err(Bad::message)?;
        Ok(())
    }

    /// Skips a string at the cursor (on its opening quote); returns the
    /// range including the quotes.
    #[inline(always)]
    fn skip_string(&mut self) -> Result<(usize, usize), String> {
        let start = self.pos;
        let (end, escaped) = string_end(self.s, start).map_err(Bad::message)?;
        self.escapes += usize::from(escaped);
        self.pos = end;
        Ok((start, end))
    }
}

/// Why a value is not a JSON document, and at which byte of it (never
/// any of its content).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bad {
    Syntax(&'static str, usize),
    Deep(usize),
}

impl Bad {
    fn message(self) -> String {
        match self {
            Bad::Syntax(why, at) => {
                format!("value is not valid JSON ({why}, at byte {at} of the value)")
            }
            Bad::Deep(at) => {
                format!("JSON value nested deeper than {MAX_DEPTH} levels, at byte {at}")
            }
        }
    }
}

/// The first byte at or after `pos` that is not JSON whitespace.
#[inline]
fn ws(s: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = s.get(pos) {
        pos += 1;
    }
    pos
}

/// The end of the JSON value that starts at `s[pos]` and holds no path's
/// target: validated, without the walker's bookkeeping (most of a document
/// is such values). `depth` is the value's nesting in the document. The
/// open containers are kept as bits (set for an object), not as calls.
fn skip_value(s: &[u8], mut pos: usize, depth: usize) -> Result<usize, Bad> {
    let mut objects = [0u64; MAX_DEPTH / 64 + 1];
    let mut level = 0usize;
    loop {
        // A value starts at `pos`.
        if depth + level > MAX_DEPTH {
            return Err(Bad::Deep(pos));
        }
        match s.get(pos) {
            Some(&open @ (b'{' | b'[')) => {
                let object = open == b'{';
                pos = ws(s, pos + 1);
                let close = if object { b'}' } else { b']' };
                if s.get(pos) == Some(&close) {
                    pos += 1;
                } else {
                    let (word, bit) = (level / 64, 1u64 << (level % 64));
                    if object {
                        objects[word] |= bit;
                        pos = member_name_end(s, pos)?;
                    } else {
                        objects[word] &= !bit;
                    }
                    level += 1;
                    continue;
                }
            }
            Some(b'"') => pos = string_end(s, pos)?.0,
            _ => pos = scalar_end(s, pos)?,
        }
        // A value ends at `pos`: the next one, or the ends of the
        // containers it closes.
        loop {
            let Some(inner) = level.checked_sub(1) else {
                return Ok(pos);
            };
            let object = objects[inner / 64] & (1u64 << (inner % 64)) != 0;
            pos = ws(s, pos);
            match (s.get(pos), object) {
                (Some(b','), _) => {
                    pos = ws(s, pos + 1);
                    if object {
                        pos = member_name_end(s, pos)?;
                    }
                    break;
                }
                (Some(b'}'), true) | (Some(b']'), false) => {
                    pos += 1;
                    level = inner;
                }
                (_, true) => return Err(Bad::Syntax("expected ',' or '}'", pos)),
                (_, false) => return Err(Bad::Syntax("expected ',' or ']'", pos)),
            }
        }
    }
}

/// Past a member's name, its `:` and the whitespace after it (`pos` is at
/// the name's opening quote).
#[inline]
fn member_name_end(s: &[u8], pos: usize) -> Result<usize, Bad> {
    if s.get(pos) != Some(&b'"') {
        return Err(Bad::Syntax("expected a member name", pos));
    }
    let pos = ws(s, string_end(s, pos)?.0);
    if s.get(pos) != Some(&b':') {
        return Err(Bad::Syntax("expected ':'", pos));
    }
    Ok(ws(s, pos + 1))
}

/// The end of the number, `true`, `false` or `null` at `s[pos]`.
#[inline]
fn scalar_end(s: &[u8], pos: usize) -> Result<usize, Bad> {
    let literal = |word: &[u8]| {
        if s[pos..].starts_with(word) {
            Ok(pos + word.len())
        } else {
            Err(Bad::Syntax("unexpected word", pos))
        }
    };
    match s.get(pos) {
        Some(b'-' | b'0'..=b'9') => number_end(s, pos),
        Some(b't') => literal(b"true"),
        Some(b'f') => literal(b"false"),
        Some(b'n') => literal(b"null"),
        Some(b'"') => string_end(s, pos).map(|(end, _)| end),
        Some(_) => Err(Bad::Syntax("unexpected character", pos)),
        None => Err(Bad::Syntax("unexpected end", pos)),
    }
}

/// The end of the number at `s[pos]` (a `-` or a digit).
fn number_end(s: &[u8], mut pos: usize) -> Result<usize, Bad> {
    let digits = |mut at: usize| {
        let start = at;
        while s.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        (at, at - start)
    };
    if s.get(pos) == Some(&b'-') {
        pos += 1;
    }
    match s.get(pos) {
        Some(b'0') => pos += 1,
        Some(b'1'..=b'9') => pos = digits(pos).0,
        _ => return Err(Bad::Syntax("invalid number", pos)),
    }
    if s.get(pos) == Some(&b'.') {
        let (end, n) = digits(pos + 1);
        if n == 0 {
            return Err(Bad::Syntax("invalid number", end));
        }
        pos = end;
    }
    if let Some(b'e' | b'E') = s.get(pos) {
        pos += 1;
        if let Some(b'+' | b'-') = s.get(pos) {
            pos += 1;
        }
        let (end, n) = digits(pos);
        if n == 0 {
            return Err(Bad::Syntax("invalid number", end));
        }
        pos = end;
    }
    Ok(pos)
}

/// The end of the string whose opening quote is at `s[pos]` (one past its
/// closing quote), and whether it holds a backslash escape. Most strings of
/// a document are short and plain: those end within two 16-byte looks, in
/// line; the rest take [`string_end_scan`].
#[inline(always)]
fn string_end(s: &[u8], pos: usize) -> Result<(usize, bool), Bad> {
    #[cfg(target_arch = "x86_64")]
    if let Some(chunk) = s.get(pos + 1..).and_then(<[u8]>::first_chunk::<16>) {
        // SAFETY: SSE2 is part of x86_64 itself (every x86_64 processor has
        // it, and the target enables it).
        let hits = unsafe { sse2_string_specials(chunk) };
        let at = pos + 1 + hits.trailing_zeros() as usize;
        if hits != 0 && s[at] == b'"' {
            return Ok((at + 1, false));
        }
        // A longer plain string (an address, a name): one more look.
        if hits == 0 {
            if let Some(chunk) = s.get(pos + 17..).and_then(<[u8]>::first_chunk::<16>) {
                // SAFETY: as above.
                let hits = unsafe { sse2_string_specials(chunk) };
                let at = pos + 17 + hits.trailing_zeros() as usize;
                if hits != 0 && s[at] == b'"' {
                    return Ok((at + 1, false));
                }
            }
        }
    }
    string_end_scan(s, pos)
}

/// [`string_end`] for any string: escapes, control characters, no end.
#[inline(never)]
fn string_end_scan(s: &[u8], pos: usize) -> Result<(usize, bool), Bad> {
    let mut at = pos + 1;
    let mut escaped = false;
    loop {
        let Some(special) = next_string_special(s, at) else {
            return Err(Bad::Syntax("unterminated string", s.len()));
        };
        at = special;
        match s[at] {
            b'"' => return Ok((at + 1, escaped)),
            b'\\' => escaped = true,
            _ => return Err(Bad::Syntax("control character in string", at)),
        }
        // A backslash escape.
        match s.get(at + 1) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => at += 2,
            Some(b'u') => {
                let hex = s.get(at + 2..at + 6);
                if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                    return Err(Bad::Syntax("invalid \\u escape", at));
                }
                at += 6;
            }
            _ => return Err(Bad::Syntax("invalid escape", at)),
        }
    }
}

/// Whether two member names are equal: compared in line (names are short,
/// and most pairs differ in length), not by a call to `memcmp`.
#[inline]
fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// Position of the next byte that ends or interrupts a JSON string (`"`,
/// `\\` or a control character): sixteen bytes at a time where there is
/// SSE2, then eight at a time (SWAR). Strings in documents are mostly
/// short, where a search call costs more than the scan.
#[inline]
fn next_string_special(s: &[u8], from: usize) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        let mut i = from;
        while let Some(chunk) = s.get(i..).and_then(<[u8]>::first_chunk::<16>) {
            // SAFETY: SSE2 is part of x86_64 itself (every x86_64 processor
            // has it, and the target enables it).
            let hits = unsafe { sse2_string_specials(chunk) };
            if hits != 0 {
                return Some(i + hits.trailing_zeros() as usize);
            }
            i += 16;
        }
        next_string_special_swar(s, i)
    }
    #[cfg(not(target_arch = "x86_64"))]
    next_string_special_swar(s, from)
}

/// Bit k set for each byte k of `chunk` that is `"`, `\\` or below 0x20
/// (unsigned: the minimum with 0x1f is the byte itself).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
#[inline]
fn sse2_string_specials(chunk: &[u8; 16]) -> u32 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let v = super::simd::load(chunk);
    let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
    let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
    let control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
    _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control)) as u32
}

/// [`next_string_special`] eight bytes at a time (SWAR).
fn next_string_special_swar(s: &[u8], from: usize) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while let Some(chunk) = s.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let low = x & !HI;
        // Below 0x20: not at least 0x20 (ASCII only).
        let control = !low.wrapping_add((0x80 - 0x20) * LO);
        let quote = low ^ (u64::from(b'"') * LO);
        let quote = !(quote.wrapping_add(0x7f * LO) | quote);
        let backslash = low ^ (u64::from(b'\\') * LO);
        let backslash = !(backslash.wrapping_add(0x7f * LO) | backslash);
        let hits = (control | quote | backslash) & !x & HI;
        if hits != 0 {
            return Some(i + (hits.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    s.get(i..)?
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .map(|k| i + k)
}

/// The content of a validated JSON string (without its quotes). Lone
/// surrogates become U+FFFD: the text is only ever compared with keys or
/// fed to a transform, never written back as is.
fn decode_string(body: &str) -> Cow<'_, str> {
    if memchr::memchr(b'\\', body.as_bytes()).is_none() {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    let mut pending_high: Option<u32> = None;
    while let Some(c) = chars.next() {
        if c != '\\' {
            if pending_high.take().is_some() {
                out.push('\u{fffd}');
            }
            out.push(c);
            continue;
        }
        let e = chars.next().unwrap_or('\\');
        if e != 'u' && pending_high.take().is_some() {
            out.push('\u{fffd}');
        }
        match e {
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'u' => {
                let hex: String = chars.by_ref().take(4).collect();
                let code = u32::from_str_radix(&hex, 16).unwrap_or(0xfffd);
                match (pending_high.take(), code) {
                    (None, 0xd800..=0xdbff) => pending_high = Some(code),
                    (Some(high), 0xdc00..=0xdfff) => {
                        let combined = 0x10000 + ((high - 0xd800) << 10) + (code - 0xdc00);
                        out.push(char::from_u32(combined).unwrap_or('\u{fffd}'));
                    }
                    (Some(_), _) => {
                        out.push('\u{fffd}');
                        if (0xd800..=0xdbff).contains(&code) {
                            pending_high = Some(code);
                        } else {
                            out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                        }
                    }
                    (None, _) => out.push(char::from_u32(code).unwrap_or('\u{fffd}')),
                }
            }
            other => out.push(other),
        }
    }
    if pending_high.is_some() {
        out.push('\u{fffd}');
    }
    Cow::Owned(out)
}

/// Whether `bytes` holds a byte a JSON string must escape (`"`, `\\` or a
/// control character).
#[inline]
fn needs_escape(bytes: &[u8]) -> bool {
    next_string_special(bytes, 0).is_some()
}

/// Appends `s` as a JSON string literal.
fn quote_into(s: &str, out: &mut String) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    // Nearly always nothing to escape (fakes, hashes).
    if !needs_escape(bytes) {
        out.push_str(s);
        out.push('"');
        return;
    }
    let mut start = 0;
    // Only `"`, `\\` and control characters need escapes; copy the runs
    // between them whole.
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            b if b < 0x20 => "",
            _ => continue,
        };
        // Runs end at ASCII bytes, so these are char boundaries.
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            out.push_str(&format!("\\u{:04x}", b));
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// JSON documents as `serde_json` writes them, with whitespace added
    /// around the punctuation, and strings with escapes.
    fn documents() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            any::<i64>().prop_map(|n| serde_json::json!(n)),
            (-1e6f64..1e6).prop_map(|n| serde_json::json!(n)),
            "[a-z\"\\\\\n\t\u{1}é😀 /]{0,8}".prop_map(serde_json::Value::String),
        ];
        let value = leaf.prop_recursive(6, 40, 5, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::Array),
                proptest::collection::vec(("[a-c]{1,2}", inner), 0..5)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        });
        (
            value,
            proptest::collection::vec(
                prop_oneof![Just(""), Just(" "), Just("\n\t "), Just("\r")],
                1..4,
            ),
        )
            .prop_map(|(v, spaces)| {
                let text = v.to_string();
                let mut out = String::new();
                for (i, c) in text.chars().enumerate() {
                    out.push(c);
                    if matches!(c, ',' | ':' | '[' | '{') {
                        out.push_str(spaces[i % spaces.len()]);
                    }
                }
                out
            })
    }

    /// A document with one byte changed, added or removed, or cut short.
    fn mutated() -> impl Strategy<Value = String> {
        (
            documents(),
            any::<proptest::sample::Index>(),
            0..4u8,
            prop_oneof![
                Just(b'"'),
                Just(b'\\'),
                Just(b','),
                Just(b':'),
                Just(b'{'),
                Just(b'}'),
                Just(b'['),
                Just(b']'),
                Just(b'0'),
                Just(b'-'),
                Just(b'.'),
                Just(b'e'),
                Just(b' '),
                Just(b't'),
                Just(b'n'),
                Just(b'\x01'),
            ],
        )
            .prop_map(|(doc, at, how, byte)| {
                let mut b = doc.into_bytes();
                if b.is_empty() {
                    return String::new();
                }
                let i = at.index(b.len());
                match how {
                    0 => b[i] = byte,
                    1 => b.insert(i, byte),
                    2 => {
                        b.remove(i);
                    }
                    _ => b.truncate(i),
                }
                String::from_utf8_lossy(&b).into_owned()
            })
    }

    /// The walker accepts what `serde_json` accepts, through rules that
    /// walk the top level (and a path below it) and skip the rest.
    fn accepts_what_serde_json_accepts(text: &str) -> Result<(), TestCaseError> {
        // serde_json refuses lone surrogates, which the walker lets through.
        prop_assume!(!text.contains("\\u"));
        let json = serde_json::from_str::<serde_json::Value>(text);
        // Nor numbers beyond f64's range, which are JSON all the same.
        prop_assume!(!json
            .as_ref()
            .is_err_and(|e| e.to_string().contains("out of range")));
        let json = json.is_ok();
        for r in [
            rules(&[("zzz", Rule::Null)]),
            rules(&[("a.b", Rule::Null), ("[*]", Rule::Set("x"))]),
        ] {
            let walked = run(text, &r);
            prop_assert_eq!(walked.is_ok(), json, "{:?}: {:?}", text, walked);
        }
        // And all of it skipped.
        let b = text.as_bytes();
        let skipped = skip_value(b, ws(b, 0), 0).is_ok_and(|end| ws(b, end) == b.len());
        prop_assert_eq!(skipped, json, "{:?}", text);
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn documents_are_accepted_as_serde_json_accepts_them(text in documents()) {
            accepts_what_serde_json_accepts(&text)?;
        }

        #[test]
        fn mutated_documents_are_refused_as_serde_json_refuses_them(text in mutated()) {
            accepts_what_serde_json_accepts(&text)?;
        }
    }

    /// A document whose first member named `a` (if any) is spelled with a
    /// `\u` escape.
    fn escaped_keys() -> impl Strategy<Value = String> {
        (documents(), any::<bool>()).prop_map(|(doc, escape)| {
            if escape {
                doc.replacen("\"a\":", "\"\\u0061\":", 1)
            } else {
                doc
            }
        })
    }

    /// One-key rule sets over the keys the documents use (a key may come
    /// twice, spelled two ways: the first rule wins).
    fn one_key_rules() -> impl Strategy<Value = Vec<(&'static str, Rule)>> {
        proptest::collection::vec(
            (
                prop_oneof![Just("a"), Just("b"), Just("ab"), Just("$.c"), Just("\"a\"")],
                prop_oneof![
                    Just(Rule::Fake),
                    Just(Rule::Null),
                    Just(Rule::Set("new")),
                    Just(Rule::Set("n\"e\\w\n")),
                    Just(Rule::Keep),
                ],
            ),
            1..4,
        )
    }

    /// One-key rules matched directly give what walking them step by step
    /// gives: the same text, the same errors, `out` kept as it was when
    /// nothing changed.
    fn flat_is_the_walk(text: &str, paths: &[(&str, Rule)]) -> Result<(), TestCaseError> {
        let r = rules(paths);
        let (mut flat, mut walked) = (String::from("before "), String::from("before "));
        let a = rewrite_as(text, &r, &mut Leaf, &mut flat, true);
        let b = rewrite_as(text, &r, &mut Leaf, &mut walked, false);
        prop_assert_eq!(&a, &b, "{:?}", text);
        prop_assert_eq!(&flat, &walked, "{:?}", text);
        if !matches!(a, Ok(true)) {
            prop_assert_eq!(flat, "before ");
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn one_key_rules_match_as_walked_paths(text in escaped_keys(), paths in one_key_rules()) {
            flat_is_the_walk(&text, &paths)?;
        }

        #[test]
        fn one_key_rules_refuse_as_walked_paths(text in mutated(), paths in one_key_rules()) {
            flat_is_the_walk(&text, &paths)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn string_specials_are_the_plain_ones(
            s in proptest::collection::vec(
                prop_oneof![
                    Just(b'"'), Just(b'\\'), 0u8..0x21, 0x7fu8..=0xff, any::<u8>(),
                    Just(b'a'), Just(b'a'), Just(b'a'),
                ],
                0..70,
            ),
            from in 0usize..75,
        ) {
            let plain = s
                .get(from..)
                .and_then(|rest| rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20))
                .map(|k| from + k);
            prop_assert_eq!(next_string_special(&s, from), plain);
            prop_assert_eq!(next_string_special_swar(&s, from), plain);
        }
    }

    /// Rules of the tests: stand-ins for the transforms the masker uses.
    #[derive(Debug, Clone)]
    enum Rule {
        /// Replaces a value by `x` followed by its length (a "mask").
        Fake,
        Null,
        Set(&'static str),
        Keep,
    }

    struct Leaf;

    impl JsonLeaf<Rule> for Leaf {
        fn whole<'r>(&self, rule: &'r Rule) -> Whole<'r> {
            match rule {
                Rule::Fake => Whole::Refuse,
                Rule::Null => Whole::Null,
                Rule::Set(v) => Whole::Set(v),
                Rule::Keep => Whole::Keep,
            }
        }
        fn apply(
            &mut self,
            rule: &Rule,
            value: Option<&str>,
            out: &mut String,
        ) -> Result<Outcome, String> {
            Ok(match (rule, value) {
                (_, None) | (Rule::Keep, _) => Outcome::Unchanged,
                (Rule::Null, Some(_)) => Outcome::Null,
                (Rule::Fake, Some(v)) => {
                    out.push_str(&format!("x{}", v.len()));
                    Outcome::Text
                }
                (Rule::Set(s), Some(_)) => {
                    out.push_str(s);
                    Outcome::Text
                }
            })
        }
    }

    fn rules(paths: &[(&str, Rule)]) -> JsonRules<Rule> {
        JsonRules {
            paths: paths
                .iter()
                .map(|(p, t)| (JsonPath::parse(p).unwrap(), t.clone()))
                .collect(),
        }
    }

    fn run(text: &str, r: &JsonRules<Rule>) -> Result<Option<String>, String> {
        let mut out = String::new();
        Ok(rewrite(text, r, &mut Leaf, &mut out)?.then_some(out))
    }

    #[test]
    fn paths_parse() {
        let p = JsonPath::parse("$.a.\"b.c\"[*].*[2]").unwrap();
        assert_eq!(
            p.steps,
            vec![
                Step::Key("a".into()),
                Step::Key("b.c".into()),
                Step::AnyIndex,
                Step::AnyKey,
                Step::Index(2)
            ]
        );
        assert_eq!(JsonPath::parse("[*].email").unwrap().steps.len(), 2);
        for bad in ["", "a.", "a..b", "a[", "a[x]", "\"open", "a]", "a[0]b"] {
            assert!(JsonPath::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rewrites_only_matched_values() {
        let r = rules(&[
            ("email", Rule::Fake),
            ("profile.phone", Rule::Fake),
            ("tokens[*]", Rule::Null),
        ]);
        let text = r#"{ "email" : "a@b.co", "n": 12345678901234567890.123, "profile": {"phone": "+49 170 1234567", "x": [1,2]}, "tokens": ["t1", {"deep": 1}], "email2": "keep@me.io" }"#;
        let out = run(text, &r).unwrap().unwrap();
        assert!(!out.contains("a@b.co") && !out.contains("1234567\""));
        assert!(out.contains("12345678901234567890.123"));
        assert!(out.contains(r#""tokens": [null, null]"#), "{out}");
        assert!(out.contains(r#""email2": "keep@me.io" }"#));
        assert!(out.starts_with(r#"{ "email" : ""#));
        // Missing paths are fine; nothing to change gives Ok(None).
        assert_eq!(run(r#"{"other": 1}"#, &r).unwrap(), None);
        assert_eq!(run(r#"[1, "x"]"#, &r).unwrap(), None);
        assert_eq!(run(r#"{"email": null}"#, &r).unwrap(), None);
    }

    #[test]
    fn rejects_invalid_json_without_quoting_it() {
        let r = rules(&[("email", Rule::Null)]);
        for bad in [
            "secret@corp.example",
            "{\"email\": \"x\"",
            "{\"a\": tru}",
            "{'a': 1}",
            "[1,]",
            "{\"a\": 01}",
            "\"tab\there\"",
            "{} {}",
            "",
        ] {
            let err = run(bad, &r).unwrap_err();
            assert!(!err.contains("secret"), "{err}");
        }
        let deep = "[".repeat(MAX_DEPTH + 2) + &"]".repeat(MAX_DEPTH + 2);
        assert!(run(&deep, &r).is_err());
    }

    #[test]
    fn a_kept_parent_or_wildcard_lets_no_masked_value_through() {
        let secret = "bob.secret@x.io";
        let cases: &[(&[(&str, Rule)], String)] = &[
            (
                &[("*", Rule::Keep), ("from", Rule::Fake)],
                format!(r#"{{"from": "{secret}", "n": 1}}"#),
            ),
            (
                &[("from", Rule::Keep), ("$.from", Rule::Fake)],
                format!(r#"{{"from": "{secret}"}}"#),
            ),
            (
                &[("profile", Rule::Keep), ("profile.email", Rule::Fake)],
                format!(r#"{{"profile": {{"email": "{secret}", "city": "Köln"}}}}"#),
            ),
            (
                &[("list", Rule::Keep), ("list[*].email", Rule::Fake)],
                format!(r#"{{"list": [{{"email": "{secret}"}}, 2]}}"#),
            ),
            (
                &[("[*]", Rule::Keep), ("[0]", Rule::Fake)],
                format!(r#"["{secret}"]"#),
            ),
            (
                &[("*", Rule::Keep), ("*.*", Rule::Null)],
                format!(r#"{{"a": {{"b": "{secret}"}}}}"#),
            ),
        ];
        for (paths, text) in cases {
            let out = run(text, &rules(paths)).unwrap().unwrap();
            assert!(!out.contains(secret), "{paths:?}: {out}");
            assert!(
                serde_json::from_str::<serde_json::Value>(&out).is_ok(),
                "{out}"
            );
        }
        // A keep alone keeps, and keeps what no other path reaches.
        let r = rules(&[("profile", Rule::Keep), ("profile.email", Rule::Fake)]);
        let out = run(r#"{"profile": {"email": "a@b.co", "city": "Köln"}}"#, &r)
            .unwrap()
            .unwrap();
        assert_eq!(out, r#"{"profile": {"email": "x6", "city": "Köln"}}"#);
        assert_eq!(
            run(r#"{"from": "a@b.co"}"#, &rules(&[("from", Rule::Keep)])).unwrap(),
            None
        );
    }

    #[test]
    fn containers_need_whole_value_transforms() {
        let r = rules(&[("profile", Rule::Fake)]);
        assert!(run(r#"{"profile": {"a": 1}}"#, &r).is_err());
        let r = rules(&[("profile", Rule::Null)]);
        assert_eq!(
            run(r#"{"profile": {"a": 1}}"#, &r).unwrap().unwrap(),
            r#"{"profile": null}"#
        );
    }

    #[test]
    fn escapes_round_trip() {
        assert_eq!(decode_string(r#"a\n\u00e9\ud83d\ude00\/\"x"#), "a\né😀/\"x");
        assert_eq!(decode_string(r"\ud800x"), "\u{fffd}x");
        let mut q = String::new();
        quote_into("a\"b\\c\n\u{1}é", &mut q);
        assert_eq!(q, "\"a\\\"b\\\\c\\n\\u0001é\"");
        let r = rules(&[("k", Rule::Set("new\t\"v\""))]);
        assert_eq!(
            run(r#"{"k":"old"}"#, &r).unwrap().unwrap(),
            r#"{"k":"new\t\"v\""}"#
        );
    }
}
