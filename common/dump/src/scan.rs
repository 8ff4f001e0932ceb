//! A small cursor over complete SQL text, for the few statements whose
//! contents the reader has to understand (COPY, INSERT, SET) and for names.
//!
//! The streaming statement splitter lives in `lexer.rs`; this cursor only
//! ever sees one complete statement, so it can look ahead freely.

/// Whether `b` may start an unquoted identifier (bytes >= 0x80 are allowed,
/// as PostgreSQL does, so multibyte UTF-8 names work).
pub(crate) fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

/// Whether `b` may continue an unquoted identifier.
pub(crate) fn is_ident_cont(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit() || b == b'$'
}

/// SQL whitespace as PostgreSQL's scanner defines it.
pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Position-tracking reader over one piece of SQL text.
#[derive(Debug, Clone)]
pub(crate) struct Cursor<'a> {
    pub(crate) s: &'a [u8],
    pub(crate) pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(s: &'a [u8]) -> Self {
        Cursor { s, pos: 0 }
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    pub(crate) fn peek_at(&self, k: usize) -> Option<u8> {
        self.s.get(self.pos + k).copied()
    }

    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }

    /// Consumes `b` if it is next.
    pub(crate) fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Skips whitespace, `--` comments and (nested) block comments.
    pub(crate) fn skip_trivia(&mut self) -> Result<(), &'static str> {
        loop {
            match self.peek() {
                Some(b) if is_space(b) => self.pos += 1,
                Some(b'-') if self.peek_at(1) == Some(b'-') => {
                    match memchr::memchr(b'\n', &self.s[self.pos..]) {
                        Some(k) => self.pos += k + 1,
                        None => self.pos = self.s.len(),
                    }
                }
                Some(b'/') if self.peek_at(1) == Some(b'*') => self.skip_block_comment()?,
                _ => return Ok(()),
            }
        }
    }

    fn skip_block_comment(&mut self) -> Result<(), &'static str> {
        self.pos += 2;
        let mut depth = 1u32;
        while self.pos < self.s.len() {
            let b = self.s[self.pos];
            let next = self.peek_at(1);
            if b == b'*' && next == Some(b'/') {
                depth -= 1;
                self.pos += 2;
                if depth == 0 {
                    return Ok(());
                }
            } else if b == b'/' && next == Some(b'*') {
                depth += 1;
                self.pos += 2;
            } else {
                self.pos += 1;
            }
        }
        Err("unterminated block comment")
    }

    /// The unquoted word at the cursor (not consumed), if any.
    pub(crate) fn peek_word(&self) -> Option<&'a [u8]> {
        let first = self.peek()?;
        if !is_ident_start(first) {
            return None;
        }
        let len = self.s[self.pos..]
            .iter()
            .position(|&b| !is_ident_cont(b))
            .unwrap_or(self.s.len() - self.pos);
        Some(&self.s[self.pos..self.pos + len])
    }

    /// Consumes the unquoted word `kw` (ASCII, case-insensitive) if it is next.
    pub(crate) fn keyword(&mut self, kw: &str) -> bool {
        match self.peek_word() {
            Some(w) if w.eq_ignore_ascii_case(kw.as_bytes()) => {
                self.pos += w.len();
                true
            }
            _ => false,
        }
    }

    /// Reads one identifier: unquoted (folded to lower case like PostgreSQL
    /// does: ASCII letters only) or double-quoted (verbatim, `""` -> `"`).
    pub(crate) fn identifier(&mut self) -> Result<String, &'static str> {
        match self.peek() {
            Some(b'"') => self.quoted_identifier(),
            Some(b'u' | b'U') if self.peek_at(1) == Some(b'&') && self.peek_at(2) == Some(b'"') => {
                Err("Unicode-escaped identifiers (U&\"...\") are not supported")
            }
            Some(b) if is_ident_start(b) => {
                let word = self.peek_word().unwrap_or_default();
                self.pos += word.len();
                Ok(String::from_utf8_lossy(&word.to_ascii_lowercase()).into_owned())
            }
            Some(_) => Err("expected an identifier"),
            None => Err("expected an identifier, found the end of the text"),
        }
    }

    /// Moves past one identifier without building it (for hot paths that
    /// only need to know where it ends).
    pub(crate) fn skip_identifier(&mut self) -> Result<(), &'static str> {
        match self.peek() {
            Some(b'"') => {
                let start = self.pos;
                self.pos += 1;
                loop {
                    let Some(k) = memchr::memchr(b'"', &self.s[self.pos..]) else {
                        return Err("unterminated quoted identifier");
                    };
                    self.pos += k + 1;
                    if !self.eat(b'"') {
                        break;
                    }
                }
                if self.pos - start == 2 {
                    return Err("zero-length quoted identifier");
                }
                Ok(())
            }
            Some(b'u' | b'U') if self.peek_at(1) == Some(b'&') && self.peek_at(2) == Some(b'"') => {
                Err("Unicode-escaped identifiers (U&\"...\") are not supported")
            }
            Some(b) if is_ident_start(b) => {
                self.pos += self.peek_word().map_or(0, <[u8]>::len);
                Ok(())
            }
            Some(_) => Err("expected an identifier"),
            None => Err("expected an identifier, found the end of the text"),
        }
    }

    /// Like [`Cursor::qualified_name`] without building the name.
    pub(crate) fn skip_qualified_name(&mut self) -> Result<(), &'static str> {
        self.skip_identifier()?;
        let save = self.pos;
        self.skip_trivia()?;
        if !self.eat(b'.') {
            self.pos = save;
            return Ok(());
        }
        self.skip_trivia()?;
        self.skip_identifier()?;
        let save = self.pos;
        self.skip_trivia()?;
        if self.peek() == Some(b'.') {
            return Err("too many dots: only schema.name is supported");
        }
        self.pos = save;
        Ok(())
    }

    /// Like [`Cursor::column_list`] without building it; returns the number
    /// of columns.
    pub(crate) fn skip_column_list(&mut self) -> Result<usize, &'static str> {
        if !self.eat(b'(') {
            return Err("expected ( to start a column list");
        }
        let mut count = 0;
        loop {
            self.skip_trivia()?;
            self.skip_identifier()?;
            count += 1;
            self.skip_trivia()?;
            if self.eat(b',') {
                continue;
            }
            if self.eat(b')') {
                return Ok(count);
            }
            return Err("expected , or ) in column list");
        }
    }

    fn quoted_identifier(&mut self) -> Result<String, &'static str> {
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let Some(k) = memchr::memchr(b'"', &self.s[self.pos..]) else {
                return Err("unterminated quoted identifier");
            };
            out.extend_from_slice(&self.s[self.pos..self.pos + k]);
            self.pos += k + 1;
            if self.peek() == Some(b'"') {
                out.push(b'"');
                self.pos += 1;
            } else {
                break;
            }
        }
        if out.is_empty() {
            return Err("zero-length quoted identifier");
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    /// Reads `name` or `schema.name`, allowing whitespace and comments around
    /// the dot as SQL does: `(schema, name)`.
    pub(crate) fn qualified_parts(&mut self) -> Result<(Option<String>, String), &'static str> {
        let first = self.identifier()?;
        let save = self.pos;
        self.skip_trivia()?;
        if !self.eat(b'.') {
            self.pos = save;
            return Ok((None, first));
        }
        self.skip_trivia()?;
        let second = self.identifier()?;
        let save = self.pos;
        self.skip_trivia()?;
        if self.peek() == Some(b'.') {
            return Err("too many dots: only schema.name is supported");
        }
        self.pos = save;
        Ok((Some(first), second))
    }

    /// Reads `(a, "B", c)`; the cursor must be at the opening parenthesis.
    pub(crate) fn column_list(&mut self) -> Result<Vec<String>, &'static str> {
        if !self.eat(b'(') {
            return Err("expected ( to start a column list");
        }
        let mut columns = Vec::new();
        loop {
            self.skip_trivia()?;
            columns.push(self.identifier()?);
            self.skip_trivia()?;
            if self.eat(b',') {
                continue;
            }
            if self.eat(b')') {
                return Ok(columns);
            }
            return Err("expected , or ) in column list");
        }
    }
}
