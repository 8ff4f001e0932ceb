//! Streaming statement splitter for the SQL part of a dump.
//!
//! It mirrors how psql cuts a script into statements, because psql is what
//! replays a plain dump: a statement ends at a `;` outside quotes, comments
//! and dollar quotes, at parenthesis depth zero, and outside the
//! `BEGIN ... END` of a SQL-standard function body (psql's own heuristic for
//! `CREATE [OR REPLACE] FUNCTION|PROCEDURE ... BEGIN ATOMIC`). Between
//! statements, lines starting with a backslash are psql meta-commands.
//!
//! The lexer is fed the input in arbitrary chunks and keeps all its state in
//! the struct, so a chunk may end anywhere, even in the middle of `--`,
//! `/*`, `''` or a dollar-quote tag. Positions it reports are offsets into
//! the reader's accumulation buffer (`base` + index in the chunk).

use super::scan::{is_ident_cont, is_ident_start, is_space};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum St {
    /// Between statements, on whitespace.
    Gap,
    /// Between statements, after a `-` that may start a comment.
    GapDash,
    /// Between statements, after a `/` that may start a comment.
    GapSlash,
    /// In a `--` comment between statements.
    GapLineComment,
    /// In a block comment between statements.
    GapBlock,
    /// In a psql meta-command line.
    Meta,
    /// Inside a statement, between tokens.
    Code,
    /// Inside an unquoted word (identifier, key word or number).
    Word,
    /// After a `-` inside a statement.
    Dash,
    /// After a `/` inside a statement.
    Slash,
    /// After `U&` inside a statement.
    UAmp,
    /// In a `--` comment inside a statement.
    LineComment,
    /// In a block comment inside a statement.
    Block,
    /// In a single-quoted string.
    Str,
    /// After a backslash in a string where backslash escapes apply.
    StrEscape,
    /// After a `'` in a string: either the end or the first half of `''`.
    StrQuote,
    /// In a double-quoted identifier.
    QIdent,
    /// After a `"` in a quoted identifier.
    QIdentQuote,
    /// After a `$` that may open a dollar quote; collecting the tag.
    DollarTag,
    /// Inside a dollar-quoted string.
    Dollar,
    /// After a `$` inside a dollar-quoted string, matching the closing tag.
    DollarClose,
}

/// What the statement's first word says about it; decides what the reader
/// has to look at once the statement is complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FirstWord {
    /// No word seen yet.
    Unknown,
    Copy,
    Insert,
    Set,
    /// A statement that may put data into tables or declare how tables
    /// belong together (UPDATE, WITH, SELECT, ALTER, CREATE TABLE, ...):
    /// kept whole and analysed when it ends.
    Held,
    /// `CREATE`, until the next word says whether it creates a table.
    Create,
    /// A first word that no SQL command starts with: text that is not SQL
    /// (such as data rows outside their COPY block). Kept whole.
    NotSql,
    /// A command that takes no literals (BEGIN, COMMIT, END, DROP,
    /// TRUNCATE, ...): one that holds a string, dollar quote, number or a
    /// tab outside quotes is not what it seems (a quote out of step has made
    /// other statements its text, or a data row outside its COPY block was
    /// glued to it). Kept whole.
    Bare,
    /// Any other SQL command: passed through without being looked at.
    Other,
}

/// How a statement's first word classes it.
fn classify_first(word: &[u8]) -> FirstWord {
    match word {
        b"copy" => FirstWord::Copy,
        b"insert" => FirstWord::Insert,
        b"set" => FirstWord::Set,
        b"create" => FirstWord::Create,
        b"with" | b"update" | b"delete" | b"merge" | b"select" | b"alter" | b"explain"
        | b"prepare" | b"do" | b"call" => FirstWord::Held,
        b"abort" | b"begin" | b"checkpoint" | b"close" | b"commit" | b"deallocate" | b"discard"
        | b"drop" | b"end" | b"listen" | b"lock" | b"reassign" | b"refresh" | b"reindex"
        | b"release" | b"reset" | b"rollback" | b"savepoint" | b"show" | b"start" | b"truncate"
        | b"unlisten" => FirstWord::Bare,
        b"analyze" | b"analyse" | b"cluster" | b"comment" | b"declare" | b"execute" | b"fetch"
        | b"grant" | b"import" | b"load" | b"move" | b"notify" | b"revoke" | b"security"
        | b"table" | b"vacuum" | b"values" => FirstWord::Other,
        _ => FirstWord::NotSql,
    }
}

/// A point where the reader has to act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Boundary {
    /// A statement ended; `start..end` includes the terminating `;`.
    Statement { start: usize, end: usize },
    /// A `--` comment between statements ended; `start..end` excludes the
    /// line feed.
    GapComment { start: usize, end: usize },
    /// A meta-command line ended; `start..end` includes the line feed.
    Meta { start: usize, end: usize },
    /// A backslash outside quotes in the middle of a statement (a psql
    /// meta-command psql would run mid-statement; never written by pg_dump).
    StrayBackslash { at: usize },
}

/// What was left open when the input ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unfinished {
    Statement,
    String,
    QuotedIdentifier,
    DollarQuote,
    BlockComment,
}

const WORD_CAP: usize = 16;

#[derive(Debug, Clone)]
pub(crate) struct Lexer {
    st: St,
    /// Whether `'...'` strings are standard conforming (backslash is an
    /// ordinary character); tracked from `SET standard_conforming_strings`.
    pub(crate) std_strings: bool,
    paren_depth: u32,
    begin_depth: u32,
    ident_count: u32,
    idents: [u8; 4],
    word: [u8; WORD_CAP],
    word_len: usize,
    word_is_number: bool,
    first_word: FirstWord,
    /// Whether the statement so far holds a string, a dollar quote, a
    /// number or a tab outside quotes: what no command of the
    /// [`FirstWord::Bare`] kind has.
    pub(crate) saw_literal_or_tab: bool,
    str_escapes: bool,
    tag: Vec<u8>,
    tag_match: usize,
    comment_depth: u32,
    comment_prev: u8,
    /// Start of the current statement, gap comment or meta-command, or of
    /// the pending `-` / `/` between statements.
    mark: usize,
    /// Start of the innermost construct still open (for error messages).
    open_at: usize,
}

impl Lexer {
    pub(crate) fn new() -> Self {
        Lexer {
            st: St::Gap,
            std_strings: true,
            paren_depth: 0,
            begin_depth: 0,
            ident_count: 0,
            idents: [0; 4],
            word: [0; WORD_CAP],
            word_len: 0,
            word_is_number: false,
            first_word: FirstWord::Unknown,
            saw_literal_or_tab: false,
            str_escapes: false,
            tag: Vec::new(),
            tag_match: 0,
            comment_depth: 0,
            comment_prev: 0,
            mark: 0,
            open_at: 0,
        }
    }

    /// The classification of the statement being read (or just ended).
    pub(crate) fn first_word(&self) -> FirstWord {
        self.first_word
    }

    /// Whether the lexer is between statements.
    pub(crate) fn in_gap(&self) -> bool {
        matches!(
            self.st,
            St::Gap | St::GapDash | St::GapSlash | St::GapLineComment | St::GapBlock | St::Meta
        )
    }

    /// How many leading bytes of the accumulation buffer may be handed out
    /// now without losing anything the lexer still needs to look at.
    pub(crate) fn flushable(&self, acc_len: usize) -> usize {
        match self.st {
            St::Gap | St::GapBlock => acc_len,
            St::GapDash | St::GapSlash | St::GapLineComment | St::Meta => self.mark,
            _ if self.first_word == FirstWord::Other => acc_len,
            _ => self.mark,
        }
    }

    /// Adjusts stored positions after the first `n` bytes of the
    /// accumulation buffer were removed.
    pub(crate) fn shift(&mut self, n: usize) {
        self.mark = self.mark.saturating_sub(n);
        self.open_at = self.open_at.saturating_sub(n);
    }

    /// Start of the current statement / comment / meta-command.
    pub(crate) fn mark(&self) -> usize {
        self.mark
    }

    /// Start of the innermost construct still open.
    pub(crate) fn open_at(&self) -> usize {
        self.open_at
    }

    /// What is left open if the input ends now (`None` when ending here is
    /// fine). An unterminated comment or meta-command line at the very end
    /// is fine; the reader looks at it separately.
    pub(crate) fn unfinished(&self) -> Option<Unfinished> {
        match self.st {
            St::Gap | St::GapLineComment | St::Meta => None,
            St::GapBlock | St::Block => Some(Unfinished::BlockComment),
            St::Str | St::StrEscape => Some(Unfinished::String),
            St::QIdent => Some(Unfinished::QuotedIdentifier),
            St::Dollar | St::DollarClose => Some(Unfinished::DollarQuote),
            St::GapDash
            | St::GapSlash
            | St::Code
            | St::Word
            | St::Dash
            | St::Slash
            | St::UAmp
            | St::LineComment
            | St::StrQuote
            | St::QIdentQuote
            | St::DollarTag => Some(Unfinished::Statement),
        }
    }

    /// Whether the input ended inside a comment or meta-command line
    /// (returns its start) rather than on whitespace.
    pub(crate) fn open_line(&self) -> Option<(usize, bool)> {
        match self.st {
            St::GapLineComment => Some((self.mark, false)),
            St::Meta => Some((self.mark, true)),
            _ => None,
        }
    }

    /// Returns to the between-statements state (used at end of input and
    /// after a COPY block).
    pub(crate) fn reset_gap(&mut self) {
        self.st = St::Gap;
    }

    fn begin_statement(&mut self, start: usize) {
        self.mark = start;
        self.open_at = start;
        self.paren_depth = 0;
        self.begin_depth = 0;
        self.ident_count = 0;
        self.idents = [0; 4];
        self.first_word = FirstWord::Unknown;
        self.saw_literal_or_tab = false;
        self.st = St::Code;
    }

    /// A string or dollar quote: no SQL command starts with one.
    fn literal_seen(&mut self) {
        self.saw_literal_or_tab = true;
        if self.first_word == FirstWord::Unknown {
            self.first_word = FirstWord::NotSql;
        }
    }

    fn start_word(&mut self, b: u8, number: bool) {
        if number {
            self.saw_literal_or_tab = true;
            if self.first_word == FirstWord::Unknown {
                // No SQL command starts with a number.
                self.first_word = FirstWord::NotSql;
            }
        }
        self.word_len = 0;
        self.word_is_number = number;
        self.push_word(b);
        self.st = St::Word;
    }

    fn push_word(&mut self, b: u8) {
        if self.word_len < WORD_CAP {
            self.word[self.word_len] = b.to_ascii_lowercase();
        }
        self.word_len += 1;
    }

    fn word(&self) -> &[u8] {
        if self.word_len <= WORD_CAP {
            &self.word[..self.word_len]
        } else {
            // Longer than any key word we care about.
            b""
        }
    }

    /// A complete unquoted identifier or key word: psql's bookkeeping for
    /// `BEGIN ATOMIC` bodies, and the statement's first word.
    fn identifier_done(&mut self) {
        let w = self.word_len.min(WORD_CAP);
        let word = self.word;
        let word = if self.word_len <= WORD_CAP {
            &word[..w]
        } else {
            &b""[..]
        };
        if self.first_word == FirstWord::Unknown {
            self.first_word = classify_first(word);
        } else if self.first_word == FirstWord::Create && self.ident_count == 1 {
            self.first_word = match word {
                b"table" | b"temp" | b"temporary" | b"unlogged" | b"global" | b"local"
                | b"materialized" | b"foreign" => FirstWord::Held,
                _ => FirstWord::Other,
            };
        }
        if self.ident_count == 0 {
            self.idents = [0; 4];
        }
        if matches!(
            word,
            b"create" | b"function" | b"procedure" | b"or" | b"replace"
        ) {
            if let Some(slot) = self.idents.get_mut(self.ident_count as usize) {
                *slot = word[0];
            }
        }
        self.ident_count = self.ident_count.saturating_add(1);
        let id = self.idents;
        let routine = id[0] == b'c'
            && (id[1] == b'f'
                || id[1] == b'p'
                || (id[1] == b'o' && id[2] == b'r' && (id[3] == b'f' || id[3] == b'p')));
        if routine && self.paren_depth == 0 {
            match word {
                b"begin" => self.begin_depth += 1,
                b"case" if self.begin_depth >= 1 => self.begin_depth += 1,
                b"end" => self.begin_depth = self.begin_depth.saturating_sub(1),
                _ => {}
            }
        }
    }

    fn open_string(&mut self, at: usize, escapes: bool) {
        self.literal_seen();
        self.st = St::Str;
        self.str_escapes = escapes;
        self.open_at = at;
    }

    /// Scans `chunk` (whose first byte sits at `base` in the accumulation
    /// buffer) up to the first boundary. Returns how many bytes were consumed
    /// (boundary bytes included, except for `StrayBackslash`) and the
    /// boundary, or `(chunk.len(), None)`.
    pub(crate) fn scan(&mut self, chunk: &[u8], base: usize) -> (usize, Option<Boundary>) {
        let mut i = 0;
        while i < chunk.len() {
            let b = chunk[i];
            match self.st {
                St::Gap => match b {
                    b'-' => {
                        self.mark = base + i;
                        self.st = St::GapDash;
                        i += 1;
                    }
                    b'/' => {
                        self.mark = base + i;
                        self.open_at = base + i;
                        self.st = St::GapSlash;
                        i += 1;
                    }
                    b'\\' => {
                        self.mark = base + i;
                        self.st = St::Meta;
                        i += 1;
                    }
                    _ if is_space(b) => i += 1,
                    // Reprocess this byte as the statement's first.
                    _ => self.begin_statement(base + i),
                },
                St::GapDash => {
                    if b == b'-' {
                        self.st = St::GapLineComment;
                        i += 1;
                    } else {
                        self.begin_statement(self.mark);
                    }
                }
                St::GapSlash => {
                    if b == b'*' {
                        self.st = St::GapBlock;
                        self.comment_depth = 1;
                        self.comment_prev = 0;
                        i += 1;
                    } else {
                        self.begin_statement(self.mark);
                    }
                }
                St::GapLineComment => match memchr::memchr(b'\n', &chunk[i..]) {
                    Some(k) => {
                        let j = i + k;
                        self.st = St::Gap;
                        return (
                            j + 1,
                            Some(Boundary::GapComment {
                                start: self.mark,
                                end: base + j,
                            }),
                        );
                    }
                    None => i = chunk.len(),
                },
                St::Meta => match memchr::memchr(b'\n', &chunk[i..]) {
                    Some(k) => {
                        let j = i + k;
                        self.st = St::Gap;
                        return (
                            j + 1,
                            Some(Boundary::Meta {
                                start: self.mark,
                                end: base + j + 1,
                            }),
                        );
                    }
                    None => i = chunk.len(),
                },
                St::GapBlock | St::Block => i = self.block_comment(chunk, i),
                St::Code => {
                    match b {
                        b';' if self.paren_depth == 0 && self.begin_depth == 0 => {
                            self.st = St::Gap;
                            return (
                                i + 1,
                                Some(Boundary::Statement {
                                    start: self.mark,
                                    end: base + i + 1,
                                }),
                            );
                        }
                        b'(' => self.paren_depth = self.paren_depth.saturating_add(1),
                        b')' => self.paren_depth = self.paren_depth.saturating_sub(1),
                        b'\'' => self.open_string(base + i, !self.std_strings),
                        b'"' => {
                            self.st = St::QIdent;
                            self.open_at = base + i;
                        }
                        b'$' => {
                            self.tag.clear();
                            self.st = St::DollarTag;
                            self.open_at = base + i;
                        }
                        b'-' => self.st = St::Dash,
                        b'/' => {
                            self.st = St::Slash;
                            self.open_at = base + i;
                        }
                        b'\\' => {
                            return (i, Some(Boundary::StrayBackslash { at: base + i }));
                        }
                        b'0'..=b'9' => self.start_word(b, true),
                        _ if is_ident_start(b) => self.start_word(b, false),
                        b'\t' => self.saw_literal_or_tab = true,
                        _ => {}
                    }
                    i += 1;
                }
                St::Word => {
                    if is_ident_cont(b) {
                        let rest = &chunk[i..];
                        let n = rest
                            .iter()
                            .position(|&c| !is_ident_cont(c))
                            .unwrap_or(rest.len());
                        let room = WORD_CAP.saturating_sub(self.word_len).min(n);
                        for (slot, &c) in self.word[self.word_len.min(WORD_CAP)..]
                            .iter_mut()
                            .zip(&rest[..room])
                        {
                            *slot = c.to_ascii_lowercase();
                        }
                        self.word_len += n;
                        i += n;
                        continue;
                    }
                    self.st = St::Code;
                    if self.word_is_number {
                        continue;
                    }
                    // String prefixes are not identifiers for psql.
                    let w = self.word();
                    if b == b'\'' && w.len() == 1 && matches!(w[0], b'e' | b'b' | b'x' | b'n') {
                        let escapes = match w[0] {
                            b'e' => true,
                            b'n' => !self.std_strings,
                            _ => false,
                        };
                        self.open_string(base + i, escapes);
                        i += 1;
                        continue;
                    }
                    if b == b'&' && w == b"u" {
                        self.st = St::UAmp;
                        i += 1;
                        continue;
                    }
                    self.identifier_done();
                }
                St::UAmp => match b {
                    b'\'' => {
                        self.open_string(base + i, false);
                        i += 1;
                    }
                    b'"' => {
                        self.st = St::QIdent;
                        self.open_at = base + i;
                        i += 1;
                    }
                    _ => self.st = St::Code,
                },
                St::Dash => {
                    if b == b'-' {
                        self.st = St::LineComment;
                        i += 1;
                    } else {
                        self.st = St::Code;
                    }
                }
                St::Slash => {
                    if b == b'*' {
                        self.st = St::Block;
                        self.comment_depth = 1;
                        self.comment_prev = 0;
                        i += 1;
                    } else {
                        self.st = St::Code;
                    }
                }
                St::LineComment => match memchr::memchr(b'\n', &chunk[i..]) {
                    Some(k) => {
                        self.st = St::Code;
                        i += k + 1;
                    }
                    None => i = chunk.len(),
                },
                St::Str => {
                    let found = if self.str_escapes {
                        memchr::memchr2(b'\'', b'\\', &chunk[i..])
                    } else {
                        memchr::memchr(b'\'', &chunk[i..])
                    };
                    match found {
                        Some(k) => {
                            self.st = if chunk[i + k] == b'\'' {
                                St::StrQuote
                            } else {
                                St::StrEscape
                            };
                            i += k + 1;
                        }
                        None => i = chunk.len(),
                    }
                }
                St::StrEscape => {
                    self.st = St::Str;
                    i += 1;
                }
                St::StrQuote => {
                    if b == b'\'' {
                        self.st = St::Str;
                        i += 1;
                    } else {
                        self.st = St::Code;
                    }
                }
                St::QIdent => match memchr::memchr(b'"', &chunk[i..]) {
                    Some(k) => {
                        self.st = St::QIdentQuote;
                        i += k + 1;
                    }
                    None => i = chunk.len(),
                },
                St::QIdentQuote => {
                    if b == b'"' {
                        self.st = St::QIdent;
                        i += 1;
                    } else {
                        self.st = St::Code;
                    }
                }
                St::DollarTag => {
                    if b == b'$' {
                        self.st = St::Dollar;
                        self.literal_seen();
                        i += 1;
                    } else if (self.tag.is_empty() && is_ident_start(b))
                        || (!self.tag.is_empty() && is_ident_cont(b) && b != b'$')
                    {
                        self.tag.push(b);
                        i += 1;
                    } else if self.tag.is_empty() {
                        // A lone `$` or a parameter like `$1`.
                        self.st = St::Code;
                    } else {
                        // `$abc` not followed by `$`: psql takes the `$`
                        // alone and rescans `abc` as a word.
                        self.word_len = 0;
                        self.word_is_number = false;
                        let tag = std::mem::take(&mut self.tag);
                        for &t in &tag {
                            self.push_word(t);
                        }
                        self.tag = tag;
                        self.st = St::Word;
                    }
                }
                St::Dollar => match memchr::memchr(b'$', &chunk[i..]) {
                    Some(k) => {
                        self.st = St::DollarClose;
                        self.tag_match = 0;
                        i += k + 1;
                    }
                    None => i = chunk.len(),
                },
                St::DollarClose => {
                    if self.tag_match < self.tag.len() {
                        if b == self.tag[self.tag_match] {
                            self.tag_match += 1;
                        } else if b == b'$' {
                            self.tag_match = 0;
                        } else {
                            self.st = St::Dollar;
                            self.literal_seen();
                        }
                    } else if b == b'$' {
                        self.st = St::Code;
                    } else {
                        self.st = St::Dollar;
                        self.literal_seen();
                    }
                    i += 1;
                }
            }
        }
        (chunk.len(), None)
    }

    /// Advances through a (nested) block comment; returns the new index.
    fn block_comment(&mut self, chunk: &[u8], mut i: usize) -> usize {
        while i < chunk.len() {
            let b = chunk[i];
            if self.comment_prev == b'*' && b == b'/' {
                self.comment_depth -= 1;
                self.comment_prev = 0;
                if self.comment_depth == 0 {
                    self.st = if self.st == St::GapBlock {
                        St::Gap
                    } else {
                        St::Code
                    };
                    return i + 1;
                }
            } else if self.comment_prev == b'/' && b == b'*' {
                self.comment_depth += 1;
                self.comment_prev = 0;
            } else if b == b'*' || b == b'/' {
                self.comment_prev = b;
            } else {
                self.comment_prev = 0;
                match memchr::memchr2(b'*', b'/', &chunk[i + 1..]) {
                    Some(k) => {
                        i += k + 1;
                        continue;
                    }
                    None => return chunk.len(),
                }
            }
            i += 1;
        }
        chunk.len()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Splits `input` into (kind, text) pieces, feeding it in chunks of
    /// `step` bytes.
    fn boundaries(input: &[u8], step: usize) -> Vec<(String, String)> {
        let mut lx = Lexer::new();
        let mut acc: Vec<u8> = Vec::new();
        let mut out = Vec::new();
        let mut pos = 0;
        while pos < input.len() {
            let end = pos.saturating_add(step).min(input.len());
            let chunk = &input[pos..end];
            let (n, b) = lx.scan(chunk, acc.len());
            acc.extend_from_slice(&chunk[..n]);
            pos += n;
            match b {
                Some(Boundary::Statement { start, end }) => out.push((
                    "stmt".into(),
                    String::from_utf8_lossy(&acc[start..end]).into_owned(),
                )),
                Some(Boundary::GapComment { start, end }) => out.push((
                    "comment".into(),
                    String::from_utf8_lossy(&acc[start..end]).into_owned(),
                )),
                Some(Boundary::Meta { start, end }) => out.push((
                    "meta".into(),
                    String::from_utf8_lossy(&acc[start..end]).into_owned(),
                )),
                Some(Boundary::StrayBackslash { .. }) => {
                    out.push(("stray".into(), String::new()));
                    return out;
                }
                None => {}
            }
        }
        if let Some(u) = lx.unfinished() {
            out.push(("unfinished".into(), format!("{u:?}")));
        }
        out
    }

    fn stmts(input: &str) -> Vec<String> {
        let all = boundaries(input.as_bytes(), usize::MAX);
        for step in [1, 2, 3, 7] {
            assert_eq!(boundaries(input.as_bytes(), step), all, "step {step}");
        }
        all.into_iter()
            .filter(|(k, _)| k != "comment")
            .map(|(k, t)| if k == "stmt" { t } else { format!("{k}:{t}") })
            .collect()
    }

    #[test]
    fn splits_simple_statements() {
        assert_eq!(
            stmts("SET a = 1;\nSELECT 'x;y', \"q;\"\"\" FROM t; -- c;\n"),
            vec!["SET a = 1;", "SELECT 'x;y', \"q;\"\"\" FROM t;"]
        );
    }

    #[test]
    fn dollar_quotes_hide_everything() {
        let body = "CREATE FUNCTION f() RETURNS text AS $body$\nCOPY x FROM stdin;\n\\.\n$$ ; $b$ $body $body$;";
        assert_eq!(stmts(body), vec![body]);
        let anon = "SELECT $$a;b$$, $_$;$_$, $1, a$$b;";
        assert_eq!(stmts(anon), vec![anon]);
        assert_eq!(
            stmts("SELECT $$ $$$;"),
            vec!["SELECT $$ $$$;".to_string()],
            "a dollar right after the closing delimiter is its own token"
        );
        assert_eq!(stmts("SELECT $tag;"), vec!["SELECT $tag;"]);
        assert_eq!(stmts("SELECT $$x"), vec!["unfinished:DollarQuote"]);
    }

    #[test]
    fn comments_nest() {
        assert_eq!(
            stmts("/* a /* b; */ c; */ SELECT 1 /* ; /* ; */ ; */ ;"),
            vec!["SELECT 1 /* ; /* ; */ ; */ ;"]
        );
        assert_eq!(stmts("SELECT 1 /**/;"), vec!["SELECT 1 /**/;"]);
        assert_eq!(stmts("/* open"), vec!["unfinished:BlockComment"]);
        assert_eq!(stmts("SELECT 1 -- ;\n;"), vec!["SELECT 1 -- ;\n;"]);
        assert_eq!(stmts("SELECT 2-1;"), vec!["SELECT 2-1;"]);
        assert_eq!(stmts("SELECT 4/2;"), vec!["SELECT 4/2;"]);
        assert_eq!(stmts("-1;"), vec!["-1;"]);
    }

    #[test]
    fn strings_and_escapes() {
        assert_eq!(stmts("SELECT 'a\\';"), vec!["SELECT 'a\\';"]);
        assert_eq!(
            stmts("SELECT E'a\\';' ;"),
            vec!["SELECT E'a\\';' ;"],
            "backslash escapes a quote in E strings"
        );
        assert_eq!(stmts("SELECT e'\\\\';"), vec!["SELECT e'\\\\';"]);
        assert_eq!(stmts("SELECT 'it''s;';"), vec!["SELECT 'it''s;';"]);
        assert_eq!(stmts("SELECT U&'d\\0061t';"), vec!["SELECT U&'d\\0061t';"]);
        assert_eq!(stmts("SELECT U&\"a;\";"), vec!["SELECT U&\"a;\";"]);
        assert_eq!(stmts("SELECT B'01', X'ff';"), vec!["SELECT B'01', X'ff';"]);
        assert_eq!(stmts("SELECT name'x';"), vec!["SELECT name'x';"]);
        assert_eq!(stmts("SELECT 'open"), vec!["unfinished:String"]);
        assert_eq!(stmts("SELECT \"open"), vec!["unfinished:QuotedIdentifier"]);
        assert_eq!(stmts("SELECT 1"), vec!["unfinished:Statement"]);
    }

    #[test]
    fn non_standard_strings_use_backslash_escapes() {
        let mut lx = Lexer::new();
        lx.std_strings = false;
        let input = b"SELECT 'a\\';';";
        let (n, b) = lx.scan(input, 0);
        assert_eq!(n, input.len());
        assert_eq!(b, Some(Boundary::Statement { start: 0, end: 14 }));
    }

    #[test]
    fn parentheses_and_begin_atomic_keep_statements_together() {
        let rule = "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));";
        assert_eq!(stmts(rule), vec![rule]);
        let atomic = "CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n SELECT CASE WHEN a > 0 THEN 1 ELSE 2 END;\n SELECT 2;\nEND;";
        assert_eq!(
            stmts(&format!("{atomic}\nSELECT 3;")),
            vec![atomic, "SELECT 3;"]
        );
        let proc = "CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END;";
        assert_eq!(stmts(proc), vec![proc]);
        // BEGIN only counts in routine definitions.
        assert_eq!(
            stmts("BEGIN; SELECT 1; END;"),
            vec!["BEGIN;", "SELECT 1;", "END;"]
        );
    }

    #[test]
    fn meta_commands_and_stray_backslashes() {
        let out = stmts("\\connect -reuse-previous=on \"dbname='x'\"\n\\restrict abc\nSELECT 1;\n");
        assert_eq!(
            out,
            vec![
                "meta:\\connect -reuse-previous=on \"dbname='x'\"\n",
                "meta:\\restrict abc\n",
                "SELECT 1;"
            ]
        );
        assert_eq!(stmts("SELECT 1 \\g\n"), vec!["stray:"]);
    }

    #[test]
    fn first_word_classification() {
        for (text, want) in [
            ("COPY t FROM stdin;", FirstWord::Copy),
            ("insert into t values (1);", FirstWord::Insert),
            ("Set x = 1;", FirstWord::Set),
            ("SELECT 1;", FirstWord::Held),
            ("(SELECT 1);", FirstWord::Held),
            ("CREATE TABLE t (a int);", FirstWord::Held),
            ("create unlogged table t (a int);", FirstWord::Held),
            (
                "CREATE FOREIGN TABLE t PARTITION OF p DEFAULT SERVER s;",
                FirstWord::Held,
            ),
            (
                "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;",
                FirstWord::Other,
            ),
            ("CREATE;", FirstWord::Create),
            ("GRANT SELECT ON t TO u;", FirstWord::Other),
            ("1\tanna;", FirstWord::NotSql),
            ("'x';", FirstWord::NotSql),
            ("$$x$$ SELECT 1;", FirstWord::NotSql),
            ("anna@example.com;", FirstWord::NotSql),
        ] {
            let mut lx = Lexer::new();
            let (_, b) = lx.scan(text.as_bytes(), 0);
            assert!(matches!(b, Some(Boundary::Statement { .. })));
            assert_eq!(lx.first_word(), want, "{text}");
        }
    }
}
