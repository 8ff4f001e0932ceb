//! What a statement does to table data, for the statements outside COPY and
//! INSERT that can put rows into tables, and for the DDL that ties tables
//! together (partitions, inheritance).
//!
//! A masker that only rewrites COPY rows and INSERT values must know about
//! every other way a dump can carry data into a table: `UPDATE ... SET
//! email = '...'`, `WITH x AS (...) INSERT ...`, `MERGE`, `SELECT ... INTO`,
//! `CREATE TABLE ... AS`, `COPY ... FROM 'file'`, `ALTER TABLE ... ADD
//! COLUMN ... DEFAULT`, `ALTER COLUMN ... TYPE ... USING`, DO blocks. The
//! reader hands such statements out as [`super::Event::Statement`] with what
//! [`analyse_statement`] found, so that the masker can refuse them for the
//! tables it masks instead of passing them through.
//!
//! The analysis errs towards reporting a write: a statement whose target
//! cannot be read reports a write to an unknown table ([`TableWrite::table`]
//! is `None`), which a masker refuses.

use serde::Serialize;

use super::insert::{Parser, Tok, TokKind};
use super::name::QualifiedName;

/// A table a statement puts data into (or may).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableWrite {
    /// The table; `None` when the statement may write into tables it does
    /// not name (a DO block, a CALL, a psql meta-command, text that is not
    /// SQL at all) or when its target could not be read.
    pub table: Option<QualifiedName>,
    /// The only columns that get values (`ALTER TABLE ... ADD COLUMN c ...
    /// DEFAULT`, `ALTER COLUMN c TYPE ... USING`); `None` for whole rows.
    pub columns: Option<Vec<String>>,
    /// How, for messages: `UPDATE`, `MERGE`, `SELECT ... INTO`, ...
    pub how: &'static str,
}

/// How a child table belongs to its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// A partition (`CREATE TABLE ... PARTITION OF`, `ALTER TABLE ...
    /// ATTACH PARTITION`).
    Partition,
    /// Table inheritance (`CREATE TABLE ... INHERITS (...)`, `ALTER TABLE
    /// ... INHERIT ...`).
    Inherits,
}

/// A child table and its parent, as DDL declares them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableLink {
    /// The partition or inheriting table.
    pub child: QualifiedName,
    /// The partitioned or inherited table.
    pub parent: QualifiedName,
    /// Partition or inheritance.
    pub kind: LinkKind,
}

/// What [`analyse_statement`] found in one statement.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Statement {
    /// Tables the statement puts data into, in the order found.
    pub writes: Vec<TableWrite>,
    /// Child/parent relations the statement declares.
    pub links: Vec<TableLink>,
    /// A table the statement creates as partitioned (`CREATE TABLE ...
    /// PARTITION BY`): it never holds rows of its own.
    pub partitioned: Option<QualifiedName>,
}

impl Statement {
    /// Whether the statement neither writes data nor declares relations.
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty() && self.links.is_empty() && self.partitioned.is_none()
    }

    /// A statement that may write anywhere: `how` says what it is.
    pub(crate) fn unknown(how: &'static str) -> Statement {
        Statement {
            writes: vec![TableWrite {
                table: None,
                columns: None,
                how,
            }],
            ..Statement::default()
        }
    }
}

/// Statements that run code the reader cannot see into.
const DO_BLOCK: &str = "DO block (code that can write into any table)";
const UNREADABLE: &str = "statement whose target table could not be read";

/// Analyses one complete SQL statement (as the reader delimits it, with or
/// without the final `;`): which tables it writes data into, which
/// partition or inheritance relations it declares. String literals are read
/// the way a session with the given `standard_conforming_strings` setting
/// reads them.
///
/// Statements that write no data (most DDL, `SELECT` without `INTO`,
/// `DELETE` is reported though: its conditions hold values of the table)
/// give an empty [`Statement`].
pub fn analyse_statement(raw: &[u8], standard_conforming_strings: bool) -> Statement {
    let mut p = Parser::new(raw, standard_conforming_strings);
    let mut toks = Vec::new();
    loop {
        if p.trivia().is_err() {
            return Statement::unknown(UNREADABLE);
        }
        if p.cur.at_end() {
            break;
        }
        match p.token() {
            Ok(t) => toks.push(t),
            Err(_) => return Statement::unknown(UNREADABLE),
        }
    }
    if matches!(toks.last().map(|t| t.kind), Some(TokKind::Punct(b';'))) {
        toks.pop();
    }
    // None of the statements analysed here has a `;` of its own (inside
    // brackets): one that does is lines out of place, not what it seems.
    if toks.iter().any(|t| t.kind == TokKind::Punct(b';')) {
        return Statement::unknown("statement with a `;` inside brackets (lines out of place?)");
    }
    let a = Analyser { raw, toks: &toks };
    let mut out = Statement::default();
    a.statement(0, toks.len(), &mut out, 0);
    out
}

/// Whether a `SET` statement has the shape of one: `SET [SESSION | LOCAL]
/// name {= | TO} value [, ...]` with single-token values, or one of the
/// special forms (`TIME ZONE`, `SESSION AUTHORIZATION`, `ROLE`, ...). A
/// `SET` that runs on into other text (a line with its `= value;` moved
/// away swallows the statements up to the next `;`) is not.
pub(crate) fn valid_set(raw: &[u8], standard_conforming_strings: bool) -> bool {
    let mut p = Parser::new(raw, standard_conforming_strings);
    let mut toks = Vec::new();
    loop {
        if p.trivia().is_err() {
            return false;
        }
        if p.cur.at_end() {
            break;
        }
        match p.token() {
            Ok(t) => toks.push(t),
            Err(_) => return false,
        }
    }
    if matches!(toks.last().map(|t| t.kind), Some(TokKind::Punct(b';'))) {
        toks.pop();
    }
    let a = Analyser { raw, toks: &toks };
    let mut i = 1;
    if a.kw(i, "session") && !a.kw(i + 1, "authorization") || a.kw(i, "local") {
        i += 1;
    }
    let simple_words = |from: usize| {
        (from..toks.len()).all(|k| {
            matches!(
                toks[k].kind,
                TokKind::Word | TokKind::Number | TokKind::Str(_) | TokKind::QuotedIdent
            ) || a.punct(k, b',')
                || a.op(k, b'-')
                || a.op(k, b'+')
                || a.op(k, b'.')
        })
    };
    let special = [
        "time",
        "session",
        "role",
        "schema",
        "names",
        "seed",
        "transaction",
        "constraints",
    ];
    if special.iter().any(|w| a.kw(i, w)) {
        return simple_words(i);
    }
    // name [. name] {= | TO} value [, value ...]
    if a.ident(i).is_none() {
        return false;
    }
    i += 1;
    if a.op(i, b'.') {
        if a.ident(i + 1).is_none() {
            return false;
        }
        i += 2;
    }
    if !(a.op(i, b'=') || a.kw(i, "to")) || i + 1 >= toks.len() {
        return false;
    }
    // Values: one token each (a sign may precede a number), comma-separated.
    let mut k = i + 1;
    loop {
        if a.op(k, b'-') || a.op(k, b'+') {
            k += 1;
        }
        match toks.get(k).map(|t| t.kind) {
            Some(TokKind::Word | TokKind::Number | TokKind::Str(_) | TokKind::QuotedIdent) => {
                k += 1
            }
            _ => return false,
        }
        if k == toks.len() {
            return true;
        }
        if !a.punct(k, b',') {
            return false;
        }
        k += 1;
    }
}

struct Analyser<'a> {
    raw: &'a [u8],
    toks: &'a [Tok],
}

/// Nesting of statements inside statements (CTEs, EXPLAIN, PREPARE) is
/// followed this deep; deeper is reported as unreadable.
const MAX_NESTING: usize = 32;

impl Analyser<'_> {
    fn tok(&self, i: usize) -> Option<&Tok> {
        self.toks.get(i)
    }

    fn word(&self, i: usize) -> Option<&[u8]> {
        match self.tok(i) {
            Some(t) if t.kind == TokKind::Word => Some(&self.raw[t.start..t.end]),
            _ => None,
        }
    }

    fn kw(&self, i: usize, kw: &str) -> bool {
        self.word(i)
            .is_some_and(|w| w.eq_ignore_ascii_case(kw.as_bytes()))
    }

    fn punct(&self, i: usize, c: u8) -> bool {
        matches!(self.tok(i).map(|t| t.kind), Some(TokKind::Punct(p)) if p == c)
    }

    fn op(&self, i: usize, c: u8) -> bool {
        matches!(self.tok(i).map(|t| t.kind), Some(TokKind::Op(p)) if p == c)
    }

    /// One identifier as PostgreSQL resolves it.
    fn ident(&self, i: usize) -> Option<String> {
        let t = self.tok(i)?;
        let text = &self.raw[t.start..t.end];
        match t.kind {
            TokKind::Word => Some(String::from_utf8_lossy(&text.to_ascii_lowercase()).into_owned()),
            TokKind::QuotedIdent if text.first() == Some(&b'"') && text.len() > 2 => {
                let inner = &text[1..text.len() - 1];
                let mut out = Vec::with_capacity(inner.len());
                let mut k = 0;
                while k < inner.len() {
                    out.push(inner[k]);
                    k += if inner[k] == b'"' { 2 } else { 1 };
                }
                Some(String::from_utf8_lossy(&out).into_owned())
            }
            _ => None,
        }
    }

    /// `name` or `schema.name` at `i`, and the index after it. Three-part
    /// names (`db.schema.name`) are not read.
    fn name(&self, i: usize) -> Option<(QualifiedName, usize)> {
        let first = self.ident(i)?;
        if !self.op(i + 1, b'.') {
            return Some((QualifiedName::new(None, &first), i + 1));
        }
        let second = self.ident(i + 2)?;
        if self.op(i + 3, b'.') {
            return None;
        }
        Some((QualifiedName::new(Some(&first), &second), i + 3))
    }

    /// Index of the bracket closing the one at `i`.
    fn matching(&self, i: usize, end: usize) -> Option<usize> {
        let mut depth = 0usize;
        for k in i..end {
            match self.tok(k)?.kind {
                TokKind::Punct(b'(' | b'[') => depth += 1,
                TokKind::Punct(b')' | b']') => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(k);
                    }
                }
                _ => {}
            }
        }
        None
    }

    fn write(
        &self,
        out: &mut Statement,
        target: Option<(QualifiedName, usize)>,
        how: &'static str,
    ) {
        out.writes.push(TableWrite {
            table: target.map(|(n, _)| n),
            columns: None,
            how,
        });
    }

    /// The statement in tokens `a..b`.
    fn statement(&self, a: usize, b: usize, out: &mut Statement, nesting: usize) {
        if nesting > MAX_NESTING {
            *out = Statement::unknown(UNREADABLE);
            return;
        }
        let mut i = a;
        while i < b && self.punct(i, b'(') {
            i += 1;
        }
        let Some(w) = self.word(i) else {
            return self.write(out, None, UNREADABLE);
        };
        let w = w.to_ascii_lowercase();
        match w.as_slice() {
            b"with" => self.with(i + 1, b, out, nesting),
            b"insert" => {
                let target = self.kw(i + 1, "into").then(|| self.name(i + 2)).flatten();
                // The column list, when there is one (after an optional alias).
                // ON CONFLICT ... DO UPDATE can set any column.
                let upsert = (i..b).any(|k| self.kw(k, "conflict"));
                let columns = target.as_ref().filter(|_| !upsert).and_then(|&(_, mut j)| {
                    if self.kw(j, "as") {
                        j += 2;
                    } else if self.word(j).is_some()
                        && !["values", "select", "default", "overriding", "with", "table"]
                            .iter()
                            .any(|w| self.kw(j, w))
                    {
                        j += 1;
                    }
                    if !self.punct(j, b'(') {
                        return None;
                    }
                    let close = self.matching(j, b)?;
                    let mut cols = Vec::new();
                    let mut k = j + 1;
                    while k < close {
                        cols.push(self.ident(k)?);
                        k += 1;
                        if self.punct(k, b',') {
                            k += 1;
                        } else if k != close {
                            return None;
                        }
                    }
                    Some(cols)
                });
                out.writes.push(TableWrite {
                    table: target.map(|(n, _)| n),
                    columns,
                    how: "INSERT",
                });
            }
            b"update" => {
                let j = i + 1 + usize::from(self.kw(i + 1, "only"));
                self.write(out, self.name(j), "UPDATE");
            }
            b"delete" => {
                let target = self.kw(i + 1, "from").then(|| {
                    let j = i + 2 + usize::from(self.kw(i + 2, "only"));
                    self.name(j)
                });
                self.write(out, target.flatten(), "DELETE");
            }
            b"merge" => {
                let target = self.kw(i + 1, "into").then(|| {
                    let j = i + 2 + usize::from(self.kw(i + 2, "only"));
                    self.name(j)
                });
                self.write(out, target.flatten(), "MERGE");
            }
            b"select" | b"values" | b"table" => {
                // INTO is reserved: wherever it appears in a query, it is
                // SELECT ... INTO.
                for k in i..b {
                    if self.kw(k, "into") {
                        let mut j = k + 1;
                        while ["temporary", "temp", "unlogged", "local", "global"]
                            .iter()
                            .any(|w| self.kw(j, w))
                        {
                            j += 1;
                        }
                        j += usize::from(self.kw(j, "table"));
                        self.write(out, self.name(j), "SELECT ... INTO");
                    }
                }
            }
            b"create" => self.create(i + 1, b, out),
            b"alter" => self.alter(i + 1, b, out),
            b"explain" => {
                let mut j = i + 1;
                if self.punct(j, b'(') {
                    match self.matching(j, b) {
                        Some(close) => j = close + 1,
                        None => return self.write(out, None, "EXPLAIN"),
                    }
                } else {
                    while ["analyze", "analyse", "verbose"]
                        .iter()
                        .any(|w| self.kw(j, w))
                    {
                        j += 1;
                    }
                }
                self.statement(j, b, out, nesting + 1);
            }
            b"prepare" => {
                let mut j = i + 2;
                if self.punct(j, b'(') {
                    match self.matching(j, b) {
                        Some(close) => j = close + 1,
                        None => return self.write(out, None, "PREPARE"),
                    }
                }
                if self.kw(j, "as") {
                    self.statement(j + 1, b, out, nesting + 1);
                } else {
                    self.write(out, None, "PREPARE");
                }
            }
            b"do" => self.write(out, None, DO_BLOCK),
            b"call" => self.write(
                out,
                None,
                "CALL (a procedure that can write into any table)",
            ),
            b"copy" => {
                // Only COPY forms without inline data get here.
                if self.punct(i + 1, b'(') {
                    return;
                }
                let Some((name, mut j)) = self.name(i + 1) else {
                    return self.write(out, None, "COPY");
                };
                if self.punct(j, b'(') {
                    match self.matching(j, b) {
                        Some(close) => j = close + 1,
                        None => return self.write(out, None, "COPY"),
                    }
                }
                if !self.kw(j, "to") {
                    self.write(out, Some((name, j)), "COPY ... FROM a file or program");
                }
            }
            _ => {}
        }
    }

    fn with(&self, mut j: usize, b: usize, out: &mut Statement, nesting: usize) {
        j += usize::from(self.kw(j, "recursive"));
        loop {
            if self.ident(j).is_none() {
                return self.write(out, None, "WITH");
            }
            j += 1;
            if self.punct(j, b'(') {
                match self.matching(j, b) {
                    Some(close) => j = close + 1,
                    None => return self.write(out, None, "WITH"),
                }
            }
            if !self.kw(j, "as") {
                return self.write(out, None, "WITH");
            }
            j += 1;
            j += usize::from(self.kw(j, "not"));
            j += usize::from(self.kw(j, "materialized"));
            if !self.punct(j, b'(') {
                return self.write(out, None, "WITH");
            }
            let Some(close) = self.matching(j, b) else {
                return self.write(out, None, "WITH");
            };
            self.statement(j + 1, close, out, nesting + 1);
            j = close + 1;
            if self.kw(j, "search") || self.kw(j, "cycle") {
                while j < b {
                    if self.punct(j, b'(') {
                        match self.matching(j, b) {
                            Some(close) => j = close + 1,
                            None => return self.write(out, None, "WITH"),
                        }
                        continue;
                    }
                    if self.punct(j, b',')
                        || [
                            "select", "insert", "update", "delete", "merge", "values", "table",
                        ]
                        .iter()
                        .any(|w| self.kw(j, w))
                    {
                        break;
                    }
                    j += 1;
                }
            }
            if self.punct(j, b',') {
                j += 1;
                continue;
            }
            break;
        }
        self.statement(j, b, out, nesting + 1);
    }

    fn create(&self, mut j: usize, b: usize, out: &mut Statement) {
        while [
            "global",
            "local",
            "temporary",
            "temp",
            "unlogged",
            "foreign",
        ]
        .iter()
        .any(|w| self.kw(j, w))
        {
            j += 1;
        }
        let matview = self.kw(j, "materialized") && self.kw(j + 1, "view");
        if matview {
            j += 2;
        } else if self.kw(j, "table") {
            j += 1;
        } else {
            return;
        }
        if self.kw(j, "if") && self.kw(j + 1, "not") && self.kw(j + 2, "exists") {
            j += 3;
        }
        let Some((table, mut k)) = self.name(j) else {
            return self.write(out, None, "CREATE TABLE");
        };
        let mut query = false;
        while k < b {
            if self.punct(k, b'(') {
                match self.matching(k, b) {
                    Some(close) => k = close + 1,
                    None => return self.write(out, None, "CREATE TABLE"),
                }
                continue;
            }
            if self.kw(k, "as") {
                query = true;
                break;
            }
            if self.kw(k, "partition") && self.kw(k + 1, "of") {
                match self.name(k + 2) {
                    Some((parent, next)) => {
                        out.links.push(TableLink {
                            child: table.clone(),
                            parent,
                            kind: LinkKind::Partition,
                        });
                        k = next;
                        continue;
                    }
                    None => return self.write(out, None, "CREATE TABLE ... PARTITION OF"),
                }
            }
            if self.kw(k, "partition") && self.kw(k + 1, "by") {
                out.partitioned = Some(table.clone());
            }
            if self.kw(k, "inherits") && self.punct(k + 1, b'(') {
                let mut m = k + 2;
                loop {
                    let Some((parent, next)) = self.name(m) else {
                        return self.write(out, None, "CREATE TABLE ... INHERITS");
                    };
                    out.links.push(TableLink {
                        child: table.clone(),
                        parent,
                        kind: LinkKind::Inherits,
                    });
                    if self.punct(next, b',') {
                        m = next + 1;
                        continue;
                    }
                    k = next;
                    break;
                }
                continue;
            }
            k += 1;
        }
        if matview && !query {
            return self.write(out, None, "CREATE MATERIALIZED VIEW");
        }
        let no_data =
            b >= 3 && self.kw(b - 3, "with") && self.kw(b - 2, "no") && self.kw(b - 1, "data");
        if query && !no_data {
            let how = if matview {
                "CREATE MATERIALIZED VIEW ... WITH DATA"
            } else {
                "CREATE TABLE ... AS"
            };
            self.write(out, Some((table, k)), how);
        }
    }

    fn alter(&self, i: usize, b: usize, out: &mut Statement) {
        let mut j = i;
        j += usize::from(self.kw(j, "foreign"));
        if !self.kw(j, "table") {
            return;
        }
        j += 1;
        if self.kw(j, "if") && self.kw(j + 1, "exists") {
            j += 2;
        }
        j += usize::from(self.kw(j, "only"));
        let Some((table, mut k)) = self.name(j) else {
            return self.write(out, None, "ALTER TABLE");
        };
        k += usize::from(self.op(k, b'*'));
        // Actions, separated by commas outside brackets.
        while k < b {
            let start = k;
            let mut end = k;
            while end < b && !self.punct(end, b',') {
                if self.punct(end, b'(') || self.punct(end, b'[') {
                    match self.matching(end, b) {
                        Some(close) => end = close + 1,
                        None => return self.write(out, None, "ALTER TABLE"),
                    }
                } else {
                    end += 1;
                }
            }
            self.alter_action(&table, start, end.min(b), out);
            k = end + 1;
        }
    }

    fn alter_action(&self, table: &QualifiedName, s: usize, e: usize, out: &mut Statement) {
        let has = |w: &str| (s..e).any(|k| self.kw(k, w));
        if self.kw(s, "attach") && self.kw(s + 1, "partition") {
            match self.name(s + 2) {
                Some((child, _)) => out.links.push(TableLink {
                    child,
                    parent: table.clone(),
                    kind: LinkKind::Partition,
                }),
                None => self.write(out, None, "ALTER TABLE ... ATTACH PARTITION"),
            }
        } else if self.kw(s, "inherit") {
            match self.name(s + 1) {
                Some((parent, _)) => out.links.push(TableLink {
                    child: table.clone(),
                    parent,
                    kind: LinkKind::Inherits,
                }),
                None => self.write(out, None, "ALTER TABLE ... INHERIT"),
            }
        } else if self.kw(s, "add") {
            let mut c = s + 1;
            if [
                "constraint",
                "primary",
                "unique",
                "check",
                "foreign",
                "exclude",
            ]
            .iter()
            .any(|w| self.kw(c, w))
            {
                return;
            }
            c += usize::from(self.kw(c, "column"));
            if self.kw(c, "if") && self.kw(c + 1, "not") && self.kw(c + 2, "exists") {
                c += 3;
            }
            if has("default") {
                out.writes.push(TableWrite {
                    table: Some(table.clone()),
                    columns: self.ident(c).map(|col| vec![col]),
                    how: "ALTER TABLE ... ADD COLUMN ... DEFAULT",
                });
            }
        } else if self.kw(s, "alter") {
            let c = s + 1 + usize::from(self.kw(s + 1, "column"));
            if has("type") && has("using") {
                out.writes.push(TableWrite {
                    table: Some(table.clone()),
                    columns: self.ident(c).map(|col| vec![col]),
                    how: "ALTER TABLE ... ALTER COLUMN ... TYPE ... USING",
                });
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn targets(sql: &str) -> Vec<String> {
        analyse_statement(sql.as_bytes(), true)
            .writes
            .iter()
            .map(|w| {
                let t = w.table.as_ref().map_or("?".to_owned(), ToString::to_string);
                match &w.columns {
                    Some(c) => format!("{}:{t}({})", w.how, c.join(",")),
                    None => format!("{}:{t}", w.how),
                }
            })
            .collect()
    }

    fn links(sql: &str) -> Vec<String> {
        analyse_statement(sql.as_bytes(), true)
            .links
            .iter()
            .map(|l| format!("{}<{}:{:?}", l.child, l.parent, l.kind))
            .collect()
    }

    #[test]
    fn data_modifying_statements_name_their_targets() {
        for (sql, want) in [
            ("UPDATE public.users SET email = 'x';", vec!["UPDATE:public.users"]),
            ("update ONLY Public.Users u set email = 'x'", vec!["UPDATE:public.users"]),
            ("UPDATE \"Public\".\"Users\" SET a = 1;", vec!["UPDATE:\"Public\".\"Users\""]),
            ("DELETE FROM public.users WHERE email = 'x';", vec!["DELETE:public.users"]),
            (
                "MERGE INTO public.users u USING s ON u.id = s.id WHEN MATCHED THEN UPDATE SET email = 'x' WHEN NOT MATCHED THEN INSERT VALUES (1);",
                vec!["MERGE:public.users"],
            ),
            (
                "WITH x AS (SELECT 1), y AS MATERIALIZED (UPDATE public.a SET v = 1 RETURNING *) INSERT INTO public.users (id) SELECT 1 FROM x;",
                vec!["UPDATE:public.a", "INSERT:public.users(id)"],
            ),
            (
                "WITH x AS (SELECT 1) INSERT INTO public.users AS u (id, \"Email\") SELECT 1, 2;",
                vec!["INSERT:public.users(id,Email)"],
            ),
            (
                "WITH x AS (SELECT 1) INSERT INTO public.users (id) SELECT 1 ON CONFLICT (id) DO UPDATE SET email = 'x';",
                vec!["INSERT:public.users"],
            ),
            (
                "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SEARCH DEPTH FIRST BY n SET o DELETE FROM public.b;",
                vec!["DELETE:public.b"],
            ),
            ("SELECT 'x' AS email INTO TEMP TABLE public.copy FROM t;", vec!["SELECT ... INTO:public.copy"]),
            ("(SELECT 1 INTO t2);", vec!["SELECT ... INTO:t2"]),
            ("CREATE TABLE public.c AS SELECT * FROM public.users;", vec!["CREATE TABLE ... AS:public.c"]),
            ("CREATE UNLOGGED TABLE IF NOT EXISTS public.c (a) AS VALUES ('x');", vec!["CREATE TABLE ... AS:public.c"]),
            ("CREATE TABLE public.c AS SELECT 1 WITH NO DATA;", vec![]),
            ("CREATE MATERIALIZED VIEW public.mv AS SELECT 1 WITH NO DATA;", vec![]),
            (
                "CREATE MATERIALIZED VIEW public.mv AS SELECT 'x';",
                vec!["CREATE MATERIALIZED VIEW ... WITH DATA:public.mv"],
            ),
            ("COPY public.users FROM '/tmp/x.csv';", vec!["COPY ... FROM a file or program:public.users"]),
            ("COPY public.users (a, b) FROM PROGRAM 'cat x';", vec!["COPY ... FROM a file or program:public.users"]),
            ("COPY public.users TO stdout;", vec![]),
            ("COPY (SELECT 1) TO stdout;", vec![]),
            ("EXPLAIN ANALYZE UPDATE public.users SET a = 1;", vec!["UPDATE:public.users"]),
            ("EXPLAIN (ANALYZE, BUFFERS) DELETE FROM public.users;", vec!["DELETE:public.users"]),
            ("PREPARE p (text) AS INSERT INTO public.users VALUES ($1);", vec!["INSERT:public.users"]),
            ("DO $$ BEGIN INSERT INTO public.users VALUES (1); END $$;", vec!["DO block (code that can write into any table):?"]),
            (
                "ALTER TABLE ONLY public.users ADD COLUMN note text DEFAULT 'x', ADD CONSTRAINT c CHECK (a > 0);",
                vec!["ALTER TABLE ... ADD COLUMN ... DEFAULT:public.users(note)"],
            ),
            (
                "ALTER TABLE public.users ALTER COLUMN email TYPE text USING 'x';",
                vec!["ALTER TABLE ... ALTER COLUMN ... TYPE ... USING:public.users(email)"],
            ),
            ("UPDATE mydb.public.users SET a = 1;", vec!["UPDATE:?"]),
        ] {
            assert_eq!(targets(sql), want, "{sql}");
        }
    }

    #[test]
    fn what_pg_dump_writes_writes_nothing() {
        for sql in [
            "SELECT pg_catalog.set_config('search_path', '', false);",
            "SELECT pg_catalog.setval('public.users_id_seq', 3, true);",
            "SELECT * FROM t FOR UPDATE OF t;",
            "CREATE TABLE public.t (\n    id integer NOT NULL,\n    \"update\" text DEFAULT 'x'::text,\n    update integer REFERENCES a ON UPDATE CASCADE\n);",
            "ALTER TABLE ONLY public.users\n    ADD CONSTRAINT users_pkey PRIMARY KEY (id);",
            "ALTER TABLE ONLY public.a ADD CONSTRAINT f FOREIGN KEY (b) REFERENCES public.b(id) ON UPDATE CASCADE ON DELETE SET NULL;",
            "ALTER TABLE \"My Schema\".\"Order Items\" ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME x START WITH 1);",
            "ALTER DEFAULT PRIVILEGES FOR ROLE app GRANT SELECT,INSERT,UPDATE ON TABLES TO web;",
            "ALTER TABLE public.users OWNER TO postgres;",
            "CREATE INDEX i ON public.users USING btree (email);",
            "VALUES (1, 'x');",
            "TABLE public.users;",
            "CREATE VIEW v AS SELECT 1;",
            "EXECUTE p('x');",
        ] {
            assert!(analyse_statement(sql.as_bytes(), true).is_empty(), "{sql}");
        }
    }

    #[test]
    fn set_statements_have_their_shape() {
        for ok in [
            "SET statement_timeout = 0;",
            "SET client_encoding = 'UTF8';",
            "SET default_tablespace = '';",
            "set local search_path TO public, \"$user\";",
            "SET x.y = -1;",
            "SET work_mem TO 64MB;",
            "SET SESSION AUTHORIZATION 'app';",
            "SET TIME ZONE 'UTC';",
            "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY;",
        ] {
            assert!(valid_set(ok.as_bytes(), true), "{ok}");
        }
        for bad in [
            "SET check_function_bodies\nINSERT INTO public.users VALUES (3, 'x');",
            "SET x = 1 INSERT INTO t VALUES (1);",
            "SET x =;",
            "SET x = (SELECT 1);",
        ] {
            assert!(!valid_set(bad.as_bytes(), true), "{bad}");
        }
    }

    #[test]
    fn partitions_and_inheritance() {
        assert_eq!(
            links("ALTER TABLE ONLY public.measurement ATTACH PARTITION \"Archive\".\"Measurement Old\" FOR VALUES FROM ('2000-01-01') TO ('2023-01-01');"),
            vec!["\"Archive\".\"Measurement Old\"<public.measurement:Partition"]
        );
        assert_eq!(
            links("CREATE TABLE public.vip_tagged (\n    since date\n)\nINHERITS (public.vip_contacts, public.tags);"),
            vec![
                "public.vip_tagged<public.vip_contacts:Inherits",
                "public.vip_tagged<public.tags:Inherits"
            ]
        );
        let sub = analyse_statement(
            b"CREATE TABLE public.m25 PARTITION OF public.m FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY RANGE (id);",
            true,
        );
        assert_eq!(sub.links.len(), 1);
        assert_eq!(sub.links[0].parent, QualifiedName::new(Some("public"), "m"));
        assert_eq!(
            sub.partitioned,
            Some(QualifiedName::new(Some("public"), "m25"))
        );
        assert_eq!(
            links("ALTER TABLE public.c INHERIT public.p, NO INHERIT public.q;"),
            vec!["public.c<public.p:Inherits"]
        );
    }

    #[test]
    fn unreadable_statements_report_an_unknown_target() {
        assert_eq!(targets("UPDATE :tbl SET a = 1;"), vec!["UPDATE:?"]);
        assert_eq!(targets("WITH x AS SELECT 1;"), vec!["WITH:?"]);
        assert_eq!(
            targets("CREATE TABLE public.c (\n level integer\nINHERITS (public.p);\n);"),
            vec!["statement with a `;` inside brackets (lines out of place?):?"]
        );
        assert_eq!(
            targets("SELECT 'open"),
            vec!["statement whose target table could not be read:?"]
        );
    }
}
