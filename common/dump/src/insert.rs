//! INSERT statements as pg_dump writes them with `--inserts`,
//! `--column-inserts` and `--rows-per-insert`: parsing the VALUES rows into
//! literals, and writing the statement back with chosen values replaced.

use std::borrow::Cow;
use std::ops::Range;

use super::copy::hex_value;
use super::error::DumpError;
use super::name::{read_qualified_name, QualifiedName};
use super::scan::{is_ident_cont, is_ident_start, Cursor};

/// One value of a VALUES row.
///
/// pg_dump writes numbers bare, booleans as `true`/`false`, bit strings as
/// `B'...'` and everything else as a quoted string, so in a dump nearly every
/// value is `Null`, `Number`, `Bool` or `String`. Anything else (a cast, an
/// array constructor, a function call, `DEFAULT`, adjacent string literals,
/// bit and Unicode strings) is kept verbatim as `Other`, so a masker can
/// refuse to touch a column it does not understand instead of guessing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlValue<'a> {
    /// `NULL`.
    Null,
    /// A numeric literal, verbatim, including a leading sign if any:
    /// `42`, `-1.5e-10`, `12345678901234567890.123`.
    Number(&'a str),
    /// `true` or `false`.
    Bool(bool),
    /// A string literal (`'...'`, `E'...'` or `$$...$$`), unescaped. Bytes
    /// rather than `str` because a dump's client encoding need not be UTF-8;
    /// see [`SqlValue::as_text`].
    String(Cow<'a, [u8]>),
    /// Any other expression, verbatim.
    Other(&'a [u8]),
}

impl SqlValue<'_> {
    /// The string content as UTF-8 text: `Ok(None)` for values that are not
    /// strings, an error when the string is not valid UTF-8.
    ///
    /// # Errors
    ///
    /// [`DumpError::InvalidInsert`] when the string is not UTF-8.
    pub fn as_text(&self) -> Result<Option<&str>, DumpError> {
        match self {
            SqlValue::String(bytes) => {
                std::str::from_utf8(bytes)
                    .map(Some)
                    .map_err(|_| DumpError::InvalidInsert {
                        offset: 0,
                        reason: "string value is not valid UTF-8".into(),
                    })
            }
            _ => Ok(None),
        }
    }
}

/// A value together with where it is in the statement text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsertValue<'a> {
    /// Byte range of the value's text in [`InsertStatement::raw`]
    /// (surrounding whitespace and comments excluded).
    pub span: Range<usize>,
    /// The parsed value.
    pub value: SqlValue<'a>,
}

/// What to put in place of a value when writing a statement back; see
/// [`InsertStatement::write_with`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewValue {
    /// Write `NULL`.
    Null,
    /// Write this text as a properly quoted string literal. PostgreSQL text
    /// cannot contain NUL characters; the caller must not produce them.
    Text(String),
    /// Write this SQL verbatim (e.g. a number). The caller is responsible for
    /// it being a valid expression.
    Sql(String),
}

/// A parsed INSERT statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsertStatement<'a> {
    /// The statement text the spans refer to.
    pub raw: &'a [u8],
    /// Target table.
    pub table: QualifiedName,
    /// Explicit column list, if the statement has one (`--column-inserts`).
    /// Without one, values are in the table's column order.
    pub columns: Option<Vec<String>>,
    /// The rows, each with one value per column. `DEFAULT VALUES` is one row
    /// without values.
    pub rows: Vec<Vec<InsertValue<'a>>>,
    /// The string syntax the statement was parsed with, reused when writing
    /// replacement strings.
    pub standard_conforming_strings: bool,
    values_start: usize,
    trailing_start: usize,
    trailing_literals: bool,
}

impl<'a> InsertStatement<'a> {
    /// Number of rows the statement inserts.
    pub fn row_count(&self) -> usize {
        self.rows.len()
    }

    /// The statement text before the first row (`INSERT INTO ... VALUES`).
    pub fn prefix(&self) -> &'a [u8] {
        &self.raw[..self.values_start]
    }

    /// The clause after the rows (`ON CONFLICT ...`, `RETURNING ...`, up to
    /// the `;`), empty when there is none. It is copied verbatim by
    /// [`InsertStatement::write_with`].
    pub fn trailing_clause(&self) -> &'a [u8] {
        let end = self.raw.len() - usize::from(self.raw.ends_with(b";"));
        self.raw.get(self.trailing_start..end).unwrap_or_default()
    }

    /// Whether the trailing clause holds literals (strings, numbers, dollar
    /// quotes): values of its own, such as `ON CONFLICT (id) DO UPDATE SET
    /// email = '...'`, which no value-by-value rewrite of the rows reaches.
    /// A masker must refuse such a statement for a table it masks.
    pub fn trailing_literals(&self) -> bool {
        self.trailing_literals
    }

    /// Appends the statement to `out`, asking `replace(row, column, value)`
    /// for every value: `None` keeps the original bytes, `Some(new)` writes
    /// `new` instead. Everything not replaced, including layout, comments and
    /// any `ON CONFLICT` clause, is copied byte for byte.
    pub fn write_with<F>(&self, out: &mut Vec<u8>, mut replace: F)
    where
        F: FnMut(usize, usize, &SqlValue<'a>) -> Option<NewValue>,
    {
        out.reserve(self.raw.len());
        let mut last = 0;
        for (r, row) in self.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let Some(new) = replace(r, c, &v.value) else {
                    continue;
                };
                out.extend_from_slice(&self.raw[last..v.span.start]);
                match new {
                    NewValue::Null => out.extend_from_slice(b"NULL"),
                    NewValue::Text(s) => {
                        if self.standard_conforming_strings {
                            quote_literal(&s, out);
                        } else {
                            quote_literal_backslashes(&s, out);
                        }
                    }
                    NewValue::Sql(s) => out.extend_from_slice(s.as_bytes()),
                }
                last = v.span.end;
            }
        }
        out.extend_from_slice(&self.raw[last..]);
    }
}

/// Appends `s` as a SQL string literal for a session with
/// `standard_conforming_strings = on` (every dump pg_dump has written for a
/// long time): single quotes around it, embedded `'` doubled, backslashes
/// left alone.
pub fn quote_literal(s: &str, out: &mut Vec<u8>) {
    out.reserve(s.len() + 2);
    out.push(b'\'');
    for part in s.as_bytes().split(|&b| b == b'\'').enumerate() {
        if part.0 > 0 {
            out.extend_from_slice(b"''");
        }
        out.extend_from_slice(part.1);
    }
    out.push(b'\'');
}

/// The literal form for `standard_conforming_strings = off`, where
/// backslashes in ordinary strings are escapes and must be doubled.
pub(crate) fn quote_literal_backslashes(s: &str, out: &mut Vec<u8>) {
    out.reserve(s.len() + 2);
    out.push(b'\'');
    for &b in s.as_bytes() {
        match b {
            b'\'' => out.extend_from_slice(b"''"),
            b'\\' => out.extend_from_slice(b"\\\\"),
            _ => out.push(b),
        }
    }
    out.push(b'\'');
}

/// Parses an INSERT statement (as handed out by [`super::Event::Insert`],
/// with or without the final `;`) assuming `standard_conforming_strings =
/// on`. See [`parse_insert_values_with`].
///
/// # Errors
///
/// As for [`parse_insert_values_with`].
pub fn parse_insert_values(raw_stmt: &[u8]) -> Result<InsertStatement<'_>, DumpError> {
    parse_insert_values_with(raw_stmt, true)
}

/// Parses `INSERT INTO table [(columns)] [OVERRIDING ... VALUE] VALUES
/// (...), (...) [ON CONFLICT ...]` or `... DEFAULT VALUES`, with string
/// literals read the way a session with the given
/// `standard_conforming_strings` setting reads them.
///
/// Fails closed: other INSERT forms (`SELECT`, unbalanced brackets, rows of
/// different widths, a column list that does not match the rows, text after
/// the `;`) are errors rather than something a masker could misread.
///
/// # Errors
///
/// [`DumpError::InvalidInsert`], with the byte offset in `raw_stmt`, for
/// anything outside the forms above.
pub fn parse_insert_values_with(
    raw_stmt: &[u8],
    standard_conforming_strings: bool,
) -> Result<InsertStatement<'_>, DumpError> {
    let mut rows: Vec<Vec<InsertValue<'_>>> = Vec::new();
    let parsed = parse(
        raw_stmt,
        standard_conforming_strings,
        true,
        |row, _col, v| {
            let value = classify(raw_stmt, v, standard_conforming_strings)?;
            if row == rows.len() {
                rows.push(Vec::new());
            }
            if let Some(r) = rows.last_mut() {
                r.push(InsertValue {
                    span: v.span.clone(),
                    value,
                });
            }
            Ok(())
        },
    )?;
    rows.resize_with(parsed.rows, Vec::new);
    let (table, columns) = parsed.names.ok_or_else(|| DumpError::InvalidInsert {
        offset: 0,
        reason: "statement names no table".into(),
    })?;
    Ok(InsertStatement {
        raw: raw_stmt,
        table,
        columns,
        rows,
        standard_conforming_strings,
        values_start: parsed.values_start,
        trailing_start: parsed.trailing_start,
        trailing_literals: parsed.trailing_literals,
    })
}

/// Row count of an INSERT statement without building its values (for
/// counting rows in `--inserts` dumps).
pub(crate) fn count_insert_rows(
    raw_stmt: &[u8],
    standard_conforming_strings: bool,
) -> Result<u64, DumpError> {
    let parsed = parse(raw_stmt, standard_conforming_strings, false, |_, _, _| {
        Ok(())
    })?;
    Ok(parsed.rows as u64)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StrKind {
    Plain,
    Escape,
    /// `B'...'`, `X'...'`, `N'...'`, `U&'...'`: kept verbatim.
    Special,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokKind {
    Word,
    Number,
    Str(StrKind),
    Dollar,
    QuotedIdent,
    Punct(u8),
    Op(u8),
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok {
    pub(crate) kind: TokKind,
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// Content of strings and dollar quotes.
    pub(crate) body: (usize, usize),
}

/// The tokens of one value, summarised.
#[derive(Debug, Clone)]
struct ValueToks {
    count: usize,
    first: Tok,
    second: Option<Tok>,
    span: Range<usize>,
}

struct Parsed {
    /// Table and column list, when asked for.
    names: Option<(QualifiedName, Option<Vec<String>>)>,
    rows: usize,
    values_start: usize,
    /// Where the clause after the rows (`ON CONFLICT`, `RETURNING`) starts.
    trailing_start: usize,
    /// Whether that clause holds literals.
    trailing_literals: bool,
}

pub(crate) struct Parser<'a> {
    pub(crate) cur: Cursor<'a>,
    std: bool,
}

impl<'a> Parser<'a> {
    /// A tokenizer over one complete statement, reading strings the way a
    /// session with the given `standard_conforming_strings` does.
    pub(crate) fn new(raw: &'a [u8], std: bool) -> Self {
        Parser {
            cur: Cursor::new(raw),
            std,
        }
    }

    fn err(&self, reason: impl Into<String>) -> DumpError {
        DumpError::InvalidInsert {
            offset: self.cur.pos,
            reason: reason.into(),
        }
    }

    pub(crate) fn trivia(&mut self) -> Result<(), DumpError> {
        self.cur.skip_trivia().map_err(|r| self.err(r))
    }

    /// Reads one token at the cursor (which is not on trivia or at the end).
    pub(crate) fn token(&mut self) -> Result<Tok, DumpError> {
        let s = self.cur.s;
        let p = self.cur.pos;
        let Some(&b) = s.get(p) else {
            return Err(self.err("statement ended unexpectedly"));
        };
        let next = s.get(p + 1).copied();
        let tok = match b {
            b'\'' => self.string(
                p,
                p,
                if self.std {
                    StrKind::Plain
                } else {
                    StrKind::Escape
                },
            )?,
            b'"' => self.quoted_ident(p, p)?,
            b'$' => self.dollar(p)?,
            b'0'..=b'9' => self.number(p),
            b'.' if next.is_some_and(|d| d.is_ascii_digit()) => self.number(p),
            b'(' | b')' | b'[' | b']' | b',' | b';' => {
                self.cur.pos = p + 1;
                Tok {
                    kind: TokKind::Punct(b),
                    start: p,
                    end: p + 1,
                    body: (p, p),
                }
            }
            _ if is_ident_start(b) => {
                let lower = b.to_ascii_lowercase();
                if next == Some(b'\'') && matches!(lower, b'e' | b'b' | b'x' | b'n') {
                    let kind = match lower {
                        b'e' => StrKind::Escape,
                        _ => StrKind::Special,
                    };
                    // N'' follows the session's string syntax, B'' and X''
                    // never use backslash escapes.
                    let escapes = lower == b'e' || (lower == b'n' && !self.std);
                    return self.string_with(p, p + 1, kind, escapes);
                }
                if lower == b'u' && next == Some(b'&') {
                    match s.get(p + 2) {
                        Some(b'\'') => return self.string_with(p, p + 2, StrKind::Special, false),
                        Some(b'"') => return self.quoted_ident(p, p + 2),
                        _ => {}
                    }
                }
                let len = s[p..]
                    .iter()
                    .position(|&c| !is_ident_cont(c))
                    .unwrap_or(s.len() - p);
                self.cur.pos = p + len;
                Tok {
                    kind: TokKind::Word,
                    start: p,
                    end: p + len,
                    body: (p, p),
                }
            }
            _ => {
                self.cur.pos = p + 1;
                Tok {
                    kind: TokKind::Op(b),
                    start: p,
                    end: p + 1,
                    body: (p, p),
                }
            }
        };
        Ok(tok)
    }

    fn string(&mut self, start: usize, quote: usize, kind: StrKind) -> Result<Tok, DumpError> {
        self.string_with(start, quote, kind, kind == StrKind::Escape)
    }

    /// A quoted string whose opening quote is at `quote`.
    fn string_with(
        &mut self,
        start: usize,
        quote: usize,
        kind: StrKind,
        escapes: bool,
    ) -> Result<Tok, DumpError> {
        let s = self.cur.s;
        let mut i = quote + 1;
        loop {
            let found = if escapes {
                memchr::memchr2(b'\'', b'\\', &s[i..])
            } else {
                memchr::memchr(b'\'', &s[i..])
            };
            let Some(k) = found else {
                self.cur.pos = start;
                return Err(self.err("unterminated string literal"));
            };
            let j = i + k;
            if s[j] == b'\\' {
                i = j + 2;
                if i > s.len() {
                    self.cur.pos = start;
                    return Err(self.err("unterminated string literal"));
                }
                continue;
            }
            if s.get(j + 1) == Some(&b'\'') {
                i = j + 2;
                continue;
            }
            self.cur.pos = j + 1;
            return Ok(Tok {
                kind: TokKind::Str(kind),
                start,
                end: j + 1,
                body: (quote + 1, j),
            });
        }
    }

    fn quoted_ident(&mut self, start: usize, quote: usize) -> Result<Tok, DumpError> {
        let s = self.cur.s;
        let mut i = quote + 1;
        loop {
            let Some(k) = memchr::memchr(b'"', &s[i..]) else {
                self.cur.pos = start;
                return Err(self.err("unterminated quoted identifier"));
            };
            let j = i + k;
            if s.get(j + 1) == Some(&b'"') {
                i = j + 2;
                continue;
            }
            self.cur.pos = j + 1;
            return Ok(Tok {
                kind: TokKind::QuotedIdent,
                start,
                end: j + 1,
                body: (start, start),
            });
        }
    }

    /// `$tag$...$tag$`, or a lone `$` (as in `$1`) when no delimiter follows.
    fn dollar(&mut self, p: usize) -> Result<Tok, DumpError> {
        let s = self.cur.s;
        let mut q = p + 1;
        if s.get(q).is_some_and(|&c| is_ident_start(c)) {
            q += 1;
            while s.get(q).is_some_and(|&c| is_ident_cont(c) && c != b'$') {
                q += 1;
            }
        }
        if s.get(q) != Some(&b'$') {
            self.cur.pos = p + 1;
            return Ok(Tok {
                kind: TokKind::Op(b'$'),
                start: p,
                end: p + 1,
                body: (p, p),
            });
        }
        let delim = &s[p..=q];
        let body_start = q + 1;
        let Some(k) = memchr::memmem::find(&s[body_start..], delim) else {
            self.cur.pos = p;
            return Err(self.err("unterminated dollar-quoted string"));
        };
        let end = body_start + k + delim.len();
        self.cur.pos = end;
        Ok(Tok {
            kind: TokKind::Dollar,
            start: p,
            end,
            body: (body_start, body_start + k),
        })
    }

    fn number(&mut self, p: usize) -> Tok {
        let s = self.cur.s;
        let mut i = p;
        while let Some(&c) = s.get(i) {
            let exponent_sign = (c == b'+' || c == b'-')
                && matches!(s.get(i - 1), Some(b'e' | b'E'))
                && s.get(i + 1).is_some_and(u8::is_ascii_digit);
            if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || exponent_sign {
                i += 1;
            } else {
                break;
            }
        }
        self.cur.pos = i;
        Tok {
            kind: TokKind::Number,
            start: p,
            end: i,
            body: (p, p),
        }
    }

    /// One value of a row, up to (not including) the `,` or `)` that ends
    /// it.
    fn value(&mut self) -> Result<ValueToks, DumpError> {
        let mut depth = 0u32;
        let mut count = 0usize;
        let mut first: Option<Tok> = None;
        let mut second: Option<Tok> = None;
        let mut end = self.cur.pos;
        loop {
            self.trivia()?;
            let Some(b) = self.cur.peek() else {
                return Err(self.err("statement ended inside a VALUES row"));
            };
            if depth == 0 && (b == b',' || b == b')') {
                break;
            }
            let tok = self.token()?;
            match tok.kind {
                TokKind::Punct(b'(' | b'[') => depth += 1,
                TokKind::Punct(b')' | b']') => {
                    if depth == 0 {
                        return Err(self.err("unbalanced ] in a VALUES row"));
                    }
                    depth -= 1;
                }
                TokKind::Punct(b';') => return Err(self.err("statement ended inside a VALUES row")),
                _ => {}
            }
            count += 1;
            if first.is_none() {
                first = Some(tok);
            } else if second.is_none() {
                second = Some(tok);
            }
            end = tok.end;
        }
        let Some(first) = first else {
            return Err(self.err("empty value in a VALUES row"));
        };
        Ok(ValueToks {
            count,
            first,
            second,
            span: first.start..end,
        })
    }
}

/// Parses the statement, reporting each value's tokens to `on_value`;
/// builds the table and column names only if `names` is set.
fn parse<F>(raw: &[u8], std: bool, names: bool, mut on_value: F) -> Result<Parsed, DumpError>
where
    F: FnMut(usize, usize, &ValueToks) -> Result<(), DumpError>,
{
    let mut p = Parser {
        cur: Cursor::new(raw),
        std,
    };
    let (names, column_count) = if names {
        let (table, columns) = insert_head(&mut p.cur).map_err(|r| p.err(r))?;
        let count = columns.as_ref().map(Vec::len);
        (Some((table, columns)), count)
    } else {
        (None, skip_insert_head(&mut p.cur).map_err(|r| p.err(r))?)
    };
    p.trivia()?;
    if p.cur.keyword("overriding") {
        p.trivia()?;
        if !(p.cur.keyword("system") || p.cur.keyword("user")) {
            return Err(p.err("expected SYSTEM or USER after OVERRIDING"));
        }
        p.trivia()?;
        if !p.cur.keyword("value") {
            return Err(p.err("expected VALUE after OVERRIDING ..."));
        }
        p.trivia()?;
    }
    let rows;
    let values_start;
    if p.cur.keyword("default") {
        p.trivia()?;
        if !p.cur.keyword("values") {
            return Err(p.err("expected VALUES after DEFAULT"));
        }
        if column_count.is_some() {
            return Err(p.err("DEFAULT VALUES with a column list"));
        }
        values_start = p.cur.pos;
        rows = 1;
    } else if p.cur.keyword("values") {
        p.trivia()?;
        values_start = p.cur.pos;
        let mut width: Option<usize> = None;
        let mut row = 0usize;
        loop {
            if !p.cur.eat(b'(') {
                return Err(p.err("expected ( to start a VALUES row"));
            }
            let mut col = 0usize;
            loop {
                let v = p.value()?;
                on_value(row, col, &v)?;
                col += 1;
                if p.cur.eat(b')') {
                    break;
                }
                // value() stops only at `,` or `)`.
                p.cur.eat(b',');
            }
            match width {
                None => width = Some(col),
                Some(w) if w != col => {
                    return Err(p.err(format!(
                        "row {} has {col} values, the first row has {w}",
                        row + 1
                    )))
                }
                Some(_) => {}
            }
            row += 1;
            p.trivia()?;
            if p.cur.eat(b',') {
                p.trivia()?;
                continue;
            }
            break;
        }
        if let (Some(n), Some(w)) = (column_count, width) {
            if n != w {
                return Err(p.err(format!(
                    "rows have {w} values but the column list names {n}"
                )));
            }
        }
        rows = row;
    } else {
        return Err(p.err("expected VALUES (INSERT ... SELECT and other forms are not supported)"));
    }
    p.trivia()?;
    let trailing_start = p.cur.pos;
    let mut trailing_literals = false;
    if p.cur.keyword("on") || p.cur.keyword("returning") {
        // ON CONFLICT ... / RETURNING ...: kept verbatim; only find its end,
        // and whether it holds values of its own.
        let mut depth = 0u32;
        loop {
            p.trivia()?;
            match p.cur.peek() {
                None => break,
                Some(b';') if depth == 0 => break,
                Some(_) => {}
            }
            let tok = p.token()?;
            match tok.kind {
                TokKind::Punct(b'(' | b'[') => depth += 1,
                TokKind::Punct(b')' | b']') => depth = depth.saturating_sub(1),
                TokKind::Str(_) | TokKind::Dollar | TokKind::Number => trailing_literals = true,
                _ => {}
            }
        }
    }
    if p.cur.eat(b';') {
        p.trivia()?;
    }
    if !p.cur.at_end() {
        return Err(p.err("unexpected text after the VALUES rows"));
    }
    Ok(Parsed {
        names,
        rows,
        values_start,
        trailing_start,
        trailing_literals,
    })
}

/// Decides what a value is from its tokens.
fn classify<'a>(raw: &'a [u8], v: &ValueToks, std: bool) -> Result<SqlValue<'a>, DumpError> {
    let verbatim = &raw[v.span.clone()];
    let bad = |reason: &'static str| DumpError::InvalidInsert {
        offset: v.span.start,
        reason: reason.into(),
    };
    let value = match (v.count, v.first.kind, v.second.map(|t| t.kind)) {
        (1, TokKind::Word, _) => {
            if verbatim.eq_ignore_ascii_case(b"null") {
                SqlValue::Null
            } else if verbatim.eq_ignore_ascii_case(b"true") {
                SqlValue::Bool(true)
            } else if verbatim.eq_ignore_ascii_case(b"false") {
                SqlValue::Bool(false)
            } else {
                SqlValue::Other(verbatim)
            }
        }
        (1, TokKind::Number, _) | (2, TokKind::Op(b'-' | b'+'), Some(TokKind::Number)) => {
            match std::str::from_utf8(verbatim) {
                Ok(s) => SqlValue::Number(s),
                Err(_) => SqlValue::Other(verbatim),
            }
        }
        (1, TokKind::Str(StrKind::Plain), _) => {
            let body = &raw[v.first.body.0..v.first.body.1];
            SqlValue::String(if std {
                undouble_quotes(body)
            } else {
                unescape(body).map_err(bad)?
            })
        }
        (1, TokKind::Str(StrKind::Escape), _) => {
            let body = &raw[v.first.body.0..v.first.body.1];
            SqlValue::String(unescape(body).map_err(bad)?)
        }
        (1, TokKind::Dollar, _) => {
            SqlValue::String(Cow::Borrowed(&raw[v.first.body.0..v.first.body.1]))
        }
        _ => SqlValue::Other(verbatim),
    };
    Ok(value)
}

/// Content of a standard string: `''` -> `'`.
fn undouble_quotes(body: &[u8]) -> Cow<'_, [u8]> {
    if memchr::memchr(b'\'', body).is_none() {
        return Cow::Borrowed(body);
    }
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        out.push(body[i]);
        i += if body[i] == b'\'' { 2 } else { 1 };
    }
    Cow::Owned(out)
}

/// Content of an escape string (`E'...'`, or any string when
/// `standard_conforming_strings` is off), with PostgreSQL's escapes.
fn unescape(body: &[u8]) -> Result<Cow<'_, [u8]>, &'static str> {
    if memchr::memchr2(b'\\', b'\'', body).is_none() {
        return Ok(Cow::Borrowed(body));
    }
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    let mut pending_high: Option<u32> = None;
    while i < body.len() {
        let b = body[i];
        if b == b'\'' {
            // The lexer only lets doubled quotes through.
            out.push(b'\'');
            i += 2;
            continue;
        }
        if b != b'\\' {
            if pending_high.is_some() {
                return Err("invalid Unicode surrogate pair");
            }
            out.push(b);
            i += 1;
            continue;
        }
        let Some(&c) = body.get(i + 1) else {
            return Err("string ends with a lone backslash");
        };
        i += 2;
        if !matches!(c, b'u' | b'U') && pending_high.is_some() {
            return Err("invalid Unicode surrogate pair");
        }
        match c {
            b'b' => out.push(0x08),
            b'f' => out.push(0x0c),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'0'..=b'7' => {
                let mut val = u32::from(c - b'0');
                for _ in 0..2 {
                    match body.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            val = (val << 3) | u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push((val & 0xff) as u8);
            }
            b'x' => match body.get(i).and_then(|&d| hex_value(d)) {
                Some(hi) => {
                    i += 1;
                    let mut val = hi;
                    if let Some(lo) = body.get(i).and_then(|&d| hex_value(d)) {
                        val = (val << 4) | lo;
                        i += 1;
                    }
                    out.push(val);
                }
                None => out.push(b'x'),
            },
            b'u' | b'U' => {
                let digits = if c == b'u' { 4 } else { 8 };
                let hex = body.get(i..i + digits).ok_or("invalid Unicode escape")?;
                let mut code = 0u32;
                for &d in hex {
                    code = (code << 4) | u32::from(hex_value(d).ok_or("invalid Unicode escape")?);
                }
                i += digits;
                match (pending_high.take(), code) {
                    (None, 0xD800..=0xDBFF) => pending_high = Some(code),
                    (Some(high), 0xDC00..=0xDFFF) => {
                        let combined = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00);
                        push_char(&mut out, combined)?;
                    }
                    (Some(_), _) | (None, 0xDC00..=0xDFFF) => {
                        return Err("invalid Unicode surrogate pair")
                    }
                    (None, code) => push_char(&mut out, code)?,
                }
            }
            other => out.push(other),
        }
    }
    if pending_high.is_some() {
        return Err("invalid Unicode surrogate pair");
    }
    Ok(Cow::Owned(out))
}

fn push_char(out: &mut Vec<u8>, code: u32) -> Result<(), &'static str> {
    match char::from_u32(code) {
        Some(ch) if code != 0 => {
            let mut buf = [0u8; 4];
            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            Ok(())
        }
        _ => Err("invalid Unicode escape value"),
    }
}

/// Understands the head of `INSERT INTO name [(columns)] ...`.
pub(crate) fn insert_head(
    cur: &mut Cursor<'_>,
) -> Result<(QualifiedName, Option<Vec<String>>), &'static str> {
    insert_into(cur)?;
    let table = read_qualified_name(cur)?;
    cur.skip_trivia()?;
    let columns = if cur.peek() == Some(b'(') {
        Some(cur.column_list()?)
    } else {
        None
    };
    Ok((table, columns))
}

/// Like [`insert_head`] without building the names: leaves the cursor after
/// the head and returns the number of listed columns, if there is a list.
pub(crate) fn skip_insert_head(cur: &mut Cursor<'_>) -> Result<Option<usize>, &'static str> {
    insert_into(cur)?;
    cur.skip_qualified_name()?;
    let save = cur.pos;
    cur.skip_trivia()?;
    if cur.peek() == Some(b'(') {
        Ok(Some(cur.skip_column_list()?))
    } else {
        cur.pos = save;
        Ok(None)
    }
}

fn insert_into(cur: &mut Cursor<'_>) -> Result<(), &'static str> {
    cur.skip_trivia()?;
    if !cur.keyword("insert") {
        return Err("expected INSERT");
    }
    cur.skip_trivia()?;
    if !cur.keyword("into") {
        return Err("expected INTO after INSERT");
    }
    cur.skip_trivia()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn values(stmt: &str) -> Vec<Vec<SqlValue<'_>>> {
        parse_insert_values(stmt.as_bytes())
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.into_iter().map(|v| v.value).collect())
            .collect()
    }

    fn s(text: &str) -> SqlValue<'static> {
        SqlValue::String(Cow::Owned(text.as_bytes().to_vec()))
    }

    #[test]
    fn pg_dump_inserts() {
        let stmt = "INSERT INTO public.users VALUES (1, 'a''b', NULL, 3.5, '{1,2}', true, -1.5e-10, '', false);";
        assert_eq!(
            values(stmt),
            vec![vec![
                SqlValue::Number("1"),
                s("a'b"),
                SqlValue::Null,
                SqlValue::Number("3.5"),
                s("{1,2}"),
                SqlValue::Bool(true),
                SqlValue::Number("-1.5e-10"),
                s(""),
                SqlValue::Bool(false),
            ]]
        );
        let parsed = parse_insert_values(stmt.as_bytes()).unwrap();
        assert_eq!(parsed.table, QualifiedName::new(Some("public"), "users"));
        assert_eq!(parsed.columns, None);
        assert_eq!(parsed.prefix(), b"INSERT INTO public.users VALUES ");
    }

    #[test]
    fn multi_row_column_inserts_with_tricky_strings() {
        let stmt = "INSERT INTO \"My Schema\".\"Order Items\" (id, \"weird \"\"col\"\"\") OVERRIDING SYSTEM VALUE VALUES\n\t(1, 'a), (b'),\n\t(2, 'semi;colon, \"dq\" $$'),\n\t(3, 'new\nline') ON CONFLICT DO NOTHING;";
        let parsed = parse_insert_values(stmt.as_bytes()).unwrap();
        assert_eq!(
            parsed.table,
            QualifiedName::new(Some("My Schema"), "Order Items")
        );
        assert_eq!(
            parsed.columns.as_deref(),
            Some(&["id".to_string(), "weird \"col\"".to_string()][..])
        );
        assert_eq!(parsed.row_count(), 3);
        assert_eq!(parsed.rows[0][1].value, s("a), (b"));
        assert_eq!(parsed.rows[1][1].value, s("semi;colon, \"dq\" $$"));
        assert_eq!(parsed.rows[2][1].value, s("new\nline"));
        assert_eq!(
            &stmt.as_bytes()[parsed.rows[2][1].span.clone()],
            b"'new\nline'"
        );
    }

    #[test]
    fn escape_strings_and_other_forms() {
        let stmt = r"INSERT INTO t VALUES (E'tab\there\\ \'q\' \101\x41\u00e9\U0001F600 \uD83D\uDE00', $$dollar 'x'$$, $t$a$$b$t$, B'1010', X'ff', 'a'::text, ARRAY[1, 2], DEFAULT, now(), - 5, U&'d\0061t', 'x' 'y');";
        let v = values(stmt);
        assert_eq!(v[0][0], s("tab\there\\ 'q' AAé😀 😀"));
        assert_eq!(v[0][1], s("dollar 'x'"));
        assert_eq!(v[0][2], s("a$$b"));
        assert_eq!(v[0][3], SqlValue::Other(b"B'1010'"));
        assert_eq!(v[0][4], SqlValue::Other(b"X'ff'"));
        assert_eq!(v[0][5], SqlValue::Other(b"'a'::text"));
        assert_eq!(v[0][6], SqlValue::Other(b"ARRAY[1, 2]"));
        assert_eq!(v[0][7], SqlValue::Other(b"DEFAULT"));
        assert_eq!(v[0][8], SqlValue::Other(b"now()"));
        assert_eq!(v[0][9], SqlValue::Number("- 5"));
        assert_eq!(v[0][10], SqlValue::Other(b"U&'d\\0061t'"));
        assert_eq!(v[0][11], SqlValue::Other(b"'x' 'y'"));
    }

    #[test]
    fn standard_strings_keep_backslashes() {
        assert_eq!(
            values(r"INSERT INTO t VALUES ('trailing backslash \', '\N', '\.');"),
            vec![vec![s("trailing backslash \\"), s("\\N"), s("\\.")]]
        );
        let off =
            parse_insert_values_with(br"INSERT INTO t VALUES ('a\\b\'c', 'd''e');", false).unwrap();
        assert_eq!(off.rows[0][0].value, s("a\\b'c"));
        assert_eq!(off.rows[0][1].value, s("d'e"));
    }

    #[test]
    fn default_values_and_unicode() {
        let p = parse_insert_values(b"INSERT INTO public.empty_cols DEFAULT VALUES;").unwrap();
        assert_eq!(p.row_count(), 1);
        assert!(p.rows[0].is_empty());
        assert_eq!(
            values("INSERT INTO t VALUES ('Émilie 😀', '日本');"),
            vec![vec![s("Émilie 😀"), s("日本")]]
        );
        assert_eq!(s("é").as_text().unwrap(), Some("é"));
        assert!(SqlValue::String(Cow::Borrowed(b"\xff")).as_text().is_err());
    }

    #[test]
    fn rejects_what_it_cannot_map() {
        for bad in [
            "INSERT INTO t SELECT 1;",
            "INSERT INTO t VALUES (1, 2), (3);",
            "INSERT INTO t (a) VALUES (1, 2);",
            "INSERT INTO t VALUES (1,);",
            "INSERT INTO t VALUES (1",
            "INSERT INTO t VALUES ('open);",
            "INSERT INTO t VALUES (1]);",
            "INSERT INTO t VALUES (1) garbage;",
            "INSERT INTO t VALUES (1); SELECT 2;",
            "INSERT INTO t VALUES (E'\\uD800');",
            "INSERT INTO t VALUES (E'\\u12');",
            "INSERT INTO t VALUES ($$x);",
            "UPDATE t SET a = 1;",
        ] {
            assert!(parse_insert_values(bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn write_with_replaces_only_chosen_values() {
        let stmt = "INSERT INTO public.users (id, email, note) VALUES\n\t(1, 'a@x', /* keep */ 'n1'),\n\t(2, NULL, 'it''s') ON CONFLICT DO NOTHING;";
        let p = parse_insert_values(stmt.as_bytes()).unwrap();
        let mut out = Vec::new();
        p.write_with(&mut out, |_, _, _| None);
        assert_eq!(out, stmt.as_bytes());
        out.clear();
        p.write_with(&mut out, |row, col, _| match (row, col) {
            (0, 1) => Some(NewValue::Text("o'neil@example.com".into())),
            (1, 2) => Some(NewValue::Null),
            (1, 0) => Some(NewValue::Sql("42".into())),
            _ => None,
        });
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "INSERT INTO public.users (id, email, note) VALUES\n\t(1, 'o''neil@example.com', /* keep */ 'n1'),\n\t(42, NULL, NULL) ON CONFLICT DO NOTHING;"
        );
        let off = parse_insert_values_with(b"INSERT INTO t VALUES ('a');", false).unwrap();
        let mut out = Vec::new();
        off.write_with(&mut out, |_, _, _| Some(NewValue::Text("b\\'c".into())));
        assert_eq!(out, b"INSERT INTO t VALUES ('b\\\\''c');");
    }

    #[test]
    fn quoting() {
        let mut out = Vec::new();
        quote_literal("it's a \\ test", &mut out);
        assert_eq!(out, b"'it''s a \\ test'");
    }

    proptest! {
        #[test]
        fn quoted_strings_parse_back(texts in proptest::collection::vec(".*", 1..5), std in any::<bool>()) {
            let mut stmt = b"INSERT INTO t VALUES (".to_vec();
            for (i, t) in texts.iter().enumerate() {
                if i > 0 {
                    stmt.extend_from_slice(b", ");
                }
                if std {
                    quote_literal(t, &mut stmt);
                } else {
                    quote_literal_backslashes(t, &mut stmt);
                }
            }
            stmt.extend_from_slice(b");");
            let p = parse_insert_values_with(&stmt, std).unwrap();
            let got: Vec<Vec<u8>> = p.rows[0].iter().map(|v| match &v.value {
                SqlValue::String(b) => b.to_vec(),
                other => panic!("not a string: {other:?}"),
            }).collect();
            let want: Vec<Vec<u8>> = texts.iter().map(|t| t.as_bytes().to_vec()).collect();
            prop_assert_eq!(got, want);
            prop_assert_eq!(count_insert_rows(&stmt, std).unwrap(), 1);
        }

        #[test]
        fn never_panics(raw in proptest::collection::vec(any::<u8>(), 0..80)) {
            let mut stmt = b"INSERT INTO t VALUES (".to_vec();
            stmt.extend_from_slice(&raw);
            let _ = parse_insert_values(&stmt);
            let _ = parse_insert_values_with(&raw, false);
        }
    }
}
