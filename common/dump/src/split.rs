//! Splitting a whole SQL script held in memory into its statements, the way
//! psql splits it, and telling which statements of pg_dump's post-data
//! section build what on which table.
//!
//! A parallel restore runs the post-data section on several sessions: a
//! table's indexes and the constraints that build one (primary keys, unique,
//! exclusion) as soon as its data is in, foreign keys once the tables they
//! join are built, then everything else in the dump's order.
//! [`post_data_kind`] says what a statement needs and which locks it takes.

use std::ops::Range;

use super::error::DumpError;
use super::lexer::{Boundary, Lexer};
use super::name::{read_qualified_name, QualifiedName};
use super::scan::Cursor;

/// One piece of a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// A statement, from its first byte through its terminating `;`.
    Statement(Range<usize>),
    /// A psql meta-command line (`\restrict ...`), with its line feed.
    Meta(Range<usize>),
}

/// Splits `sql` into statements and meta-command lines (comments and
/// whitespace between them are left out).
///
/// # Errors
///
/// [`DumpError::Truncated`] when the script ends inside a statement, string,
/// dollar quote or comment; [`DumpError::Syntax`] for a backslash outside
/// quotes inside a statement.
pub fn split_script(sql: &[u8]) -> Result<Vec<Piece>, DumpError> {
    let mut lex = Lexer::new();
    let mut out = Vec::new();
    let mut pos = 0;
    let line_at = |at: usize| {
        1 + sql[..at.min(sql.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64
    };
    while pos < sql.len() {
        let (n, boundary) = lex.scan(&sql[pos..], pos);
        pos += n;
        match boundary {
            Some(Boundary::Statement { start, end }) => {
                if let Some(on) = super::reader::standard_strings_setting(&sql[start..end]) {
                    lex.std_strings = on;
                }
                out.push(Piece::Statement(start..end));
            }
            Some(Boundary::Meta { start, end }) => out.push(Piece::Meta(start..end)),
            Some(Boundary::GapComment { .. }) | None => {}
            Some(Boundary::StrayBackslash { at }) => {
                return Err(DumpError::Syntax {
                    line: line_at(at),
                    offset: at as u64,
                    reason: "backslash outside quotes inside a statement".into(),
                })
            }
        }
        if n == 0 && boundary.is_none() {
            break;
        }
    }
    if lex.unfinished().is_some() {
        return Err(DumpError::Truncated {
            line: line_at(sql.len()),
            offset: sql.len() as u64,
            context: "in the middle of a statement, string or comment".into(),
        });
    }
    if let Some((start, true)) = lex.open_line() {
        out.push(Piece::Meta(start..sql.len()));
    }
    Ok(out)
}

/// What a post-data statement builds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostData {
    /// `CREATE [UNIQUE] INDEX ... ON [ONLY] table`: work on one table that
    /// nothing else in the section needs first, and that other index builds
    /// on the same table may run beside (it takes a SHARE lock).
    Index(QualifiedName),
    /// `ALTER TABLE [ONLY] table ADD CONSTRAINT ... PRIMARY KEY | UNIQUE |
    /// EXCLUDE | CHECK`: work on one table that takes it whole (ACCESS
    /// EXCLUSIVE lock).
    Constraint(QualifiedName),
    /// `ALTER TABLE [ONLY] table ADD CONSTRAINT ... FOREIGN KEY (...)
    /// REFERENCES other`: needs the keys of the table it references (`None`
    /// when the statement does not name it the way pg_dump writes it).
    ForeignKey {
        /// The table the constraint is added to.
        table: QualifiedName,
        /// The table it references.
        references: Option<QualifiedName>,
    },
    /// `ALTER INDEX parent ATTACH PARTITION child`: makes a partitioned
    /// table's index valid once every partition's index is attached, which a
    /// foreign key referencing that table needs.
    AttachIndex,
    /// Anything else (triggers, rules, comments, ...): run in the dump's
    /// order after the others.
    Other,
}

/// Classifies one statement of pg_dump's post-data section.
pub fn post_data_kind(stmt: &[u8]) -> PostData {
    classify(stmt).unwrap_or(PostData::Other)
}

fn classify(stmt: &[u8]) -> Option<PostData> {
    let mut cur = Cursor::new(stmt);
    cur.skip_trivia().ok()?;
    if cur.keyword("create") {
        cur.skip_trivia().ok()?;
        if cur.keyword("unique") {
            cur.skip_trivia().ok()?;
        }
        if !cur.keyword("index") {
            return None;
        }
        // CREATE INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON [ONLY] table
        loop {
            cur.skip_trivia().ok()?;
            if cur.keyword("on") {
                break;
            }
            if cur.keyword("concurrently")
                || cur.keyword("if")
                || cur.keyword("not")
                || cur.keyword("exists")
            {
                continue;
            }
            cur.skip_identifier().ok()?;
        }
        cur.skip_trivia().ok()?;
        if cur.keyword("only") {
            cur.skip_trivia().ok()?;
        }
        return read_qualified_name(&mut cur).ok().map(PostData::Index);
    }
    if !cur.keyword("alter") {
        return None;
    }
    cur.skip_trivia().ok()?;
    if cur.keyword("index") {
        cur.skip_trivia().ok()?;
        cur.skip_qualified_name().ok()?;
        cur.skip_trivia().ok()?;
        return (cur.keyword("attach") && {
            let _ = cur.skip_trivia();
            cur.keyword("partition")
        })
        .then_some(PostData::AttachIndex);
    }
    let mut add = add_constraint(stmt)?;
    if add.cur.keyword("foreign") {
        let references = referenced_table(&mut add.cur);
        return Some(PostData::ForeignKey {
            table: add.table,
            references,
        });
    }
    let cur = &mut add.cur;
    if cur.keyword("primary")
        || cur.keyword("unique")
        || cur.keyword("exclude")
        || cur.keyword("check")
    {
        return Some(PostData::Constraint(add.table));
    }
    None
}

/// `ALTER TABLE [ONLY] table ADD CONSTRAINT name` at the start of a statement.
struct AddConstraint<'a> {
    /// Whether `ONLY` was written (pg_dump leaves it out for partitioned tables).
    only: bool,
    table: QualifiedName,
    /// The table and the constraint's name as written.
    table_text: &'a str,
    name: &'a str,
    /// Placed after the name and the trivia that follows it.
    cur: Cursor<'a>,
}

fn add_constraint(stmt: &[u8]) -> Option<AddConstraint<'_>> {
    let text = std::str::from_utf8(stmt).ok()?;
    let mut cur = Cursor::new(stmt);
    cur.skip_trivia().ok()?;
    for kw in ["alter", "table"] {
        if !cur.keyword(kw) {
            return None;
        }
        cur.skip_trivia().ok()?;
    }
    let only = cur.keyword("only");
    if only {
        cur.skip_trivia().ok()?;
    }
    let table_at = cur.pos;
    let table = read_qualified_name(&mut cur).ok()?;
    let table_text = text.get(table_at..cur.pos)?;
    cur.skip_trivia().ok()?;
    for kw in ["add", "constraint"] {
        if !cur.keyword(kw) {
            return None;
        }
        cur.skip_trivia().ok()?;
    }
    let name_at = cur.pos;
    cur.skip_identifier().ok()?;
    let name = text.get(name_at..cur.pos)?;
    cur.skip_trivia().ok()?;
    Some(AddConstraint {
        only,
        table,
        table_text,
        name,
        cur,
    })
}

/// Splits `ALTER TABLE ONLY t ADD CONSTRAINT c FOREIGN KEY ... ;` into the
/// same statement with `NOT VALID` (which checks no row and holds its locks
/// for a moment) and `ALTER TABLE ONLY t VALIDATE CONSTRAINT c;` (which checks
/// every row under locks that let other foreign keys to the same table be
/// checked beside it). Together they leave the same valid constraint.
///
/// `None` for anything else: a statement already `NOT VALID` (it stays so),
/// and one without `ONLY` (pg_dump writes foreign keys of partitioned tables
/// so, and those cannot be added `NOT VALID` before PostgreSQL 18).
pub fn foreign_key_in_two_steps(stmt: &[u8]) -> Option<(String, String)> {
    let text = std::str::from_utf8(stmt).ok()?;
    let body = text.trim_end().strip_suffix(';')?.trim_end();
    let tail = body.len().checked_sub(9).and_then(|at| body.get(at..))?;
    if tail.eq_ignore_ascii_case("not valid") {
        return None;
    }
    let mut add = add_constraint(stmt)?;
    if !add.only || !add.cur.keyword("foreign") {
        return None;
    }
    Some((
        format!("{body} NOT VALID;"),
        format!(
            "ALTER TABLE ONLY {} VALIDATE CONSTRAINT {};",
            add.table_text, add.name
        ),
    ))
}

/// Splits `ALTER TABLE ONLY t ADD CONSTRAINT c PRIMARY KEY (columns);` (or
/// `UNIQUE (columns)`, with nothing more) into `CREATE UNIQUE INDEX c ON t
/// USING btree (columns);`, which runs beside other index builds on `t`, and
/// `ALTER TABLE ONLY t ADD CONSTRAINT c PRIMARY KEY USING INDEX c;`, which
/// takes the table only for a moment. Together they leave the same
/// constraint and index.
///
/// `None` for anything else (options such as `DEFERRABLE`, `INCLUDE`,
/// `WITH (...)` or `NULLS NOT DISTINCT`, and exclusion or check constraints),
/// which stays one statement.
pub fn key_constraint_in_two_steps(stmt: &[u8]) -> Option<(String, String)> {
    let text = std::str::from_utf8(stmt).ok()?;
    let mut add = add_constraint(stmt)?;
    if !add.only {
        return None;
    }
    let cur = &mut add.cur;
    let kind = if cur.keyword("primary") {
        cur.skip_trivia().ok()?;
        if !cur.keyword("key") {
            return None;
        }
        "PRIMARY KEY"
    } else if cur.keyword("unique") {
        "UNIQUE"
    } else {
        return None;
    };
    cur.skip_trivia().ok()?;
    let cols_at = cur.pos;
    cur.skip_column_list().ok()?;
    let columns = text.get(cols_at..cur.pos)?;
    cur.skip_trivia().ok()?;
    if !cur.eat(b';') {
        return None;
    }
    cur.skip_trivia().ok()?;
    if !cur.at_end() {
        return None;
    }
    let (table, name) = (add.table_text, add.name);
    Some((
        format!("CREATE UNIQUE INDEX {name} ON {table} USING btree {columns};"),
        format!("ALTER TABLE ONLY {table} ADD CONSTRAINT {name} {kind} USING INDEX {name};"),
    ))
}

/// After `FOREIGN`: `KEY (columns) REFERENCES table`.
fn referenced_table(cur: &mut Cursor<'_>) -> Option<QualifiedName> {
    cur.skip_trivia().ok()?;
    if !cur.keyword("key") {
        return None;
    }
    cur.skip_trivia().ok()?;
    cur.skip_column_list().ok()?;
    cur.skip_trivia().ok()?;
    if !cur.keyword("references") {
        return None;
    }
    cur.skip_trivia().ok()?;
    read_qualified_name(cur).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn texts(sql: &str) -> Vec<String> {
        split_script(sql.as_bytes())
            .unwrap()
            .into_iter()
            .map(|p| match p {
                Piece::Statement(r) | Piece::Meta(r) => sql[r].to_string(),
            })
            .collect()
    }

    #[test]
    fn splits_statements_and_meta_commands_the_way_psql_does() {
        let sql = "\\restrict k\n--\n-- Name: x; Type: INDEX\n--\n\nCREATE INDEX x ON public.t USING btree (a);\n\n\
                   COMMENT ON INDEX public.x IS 'a;\n--\n-- Name: y; b';\nCREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING;\n\\unrestrict k\n";
        assert_eq!(
            texts(sql),
            vec![
                "\\restrict k\n",
                "CREATE INDEX x ON public.t USING btree (a);",
                "COMMENT ON INDEX public.x IS 'a;\n--\n-- Name: y; b';",
                "CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING;",
                "\\unrestrict k\n",
            ]
        );
    }

    #[test]
    fn a_script_cut_inside_a_string_is_an_error() {
        assert!(split_script(b"COMMENT ON TABLE t IS 'open;").is_err());
        assert!(split_script(b"CREATE INDEX i ON t (a)").is_err());
    }

    #[test]
    fn foreign_keys_split_into_adding_and_validating() {
        let (add, validate) = foreign_key_in_two_steps(
            b"ALTER TABLE ONLY \"S\".\"Line; Items\"\n    ADD CONSTRAINT \"fk \"\"x\"\"\" FOREIGN KEY (a) REFERENCES public.t(id) ON DELETE CASCADE DEFERRABLE;",
        )
        .unwrap();
        assert_eq!(
            add,
            "ALTER TABLE ONLY \"S\".\"Line; Items\"\n    ADD CONSTRAINT \"fk \"\"x\"\"\" FOREIGN KEY (a) REFERENCES public.t(id) ON DELETE CASCADE DEFERRABLE NOT VALID;"
        );
        assert_eq!(
            validate,
            "ALTER TABLE ONLY \"S\".\"Line; Items\" VALIDATE CONSTRAINT \"fk \"\"x\"\"\";"
        );
        // Already not valid, a partitioned table's (no ONLY), not a foreign key: left alone.
        for stmt in [
            "ALTER TABLE ONLY public.a\n    ADD CONSTRAINT f FOREIGN KEY (b) REFERENCES public.b(id) NOT VALID;",
            "ALTER TABLE public.p\n    ADD CONSTRAINT f FOREIGN KEY (b) REFERENCES public.b(id);",
            "ALTER TABLE ONLY public.a\n    ADD CONSTRAINT a_pkey PRIMARY KEY (id);",
        ] {
            assert_eq!(foreign_key_in_two_steps(stmt.as_bytes()), None, "{stmt}");
        }
    }

    #[test]
    fn key_constraints_split_into_an_index_build_and_adding_it() {
        let (index, add) = key_constraint_in_two_steps(
            b"ALTER TABLE ONLY \"S\".\"Line; Items\"\n    ADD CONSTRAINT \"pk \"\"x\"\"\" PRIMARY KEY (a, \"B c\");\n",
        )
        .unwrap();
        assert_eq!(
            index,
            "CREATE UNIQUE INDEX \"pk \"\"x\"\"\" ON \"S\".\"Line; Items\" USING btree (a, \"B c\");"
        );
        assert_eq!(
            add,
            "ALTER TABLE ONLY \"S\".\"Line; Items\" ADD CONSTRAINT \"pk \"\"x\"\"\" PRIMARY KEY USING INDEX \"pk \"\"x\"\"\";"
        );
        let (_, add) = key_constraint_in_two_steps(
            b"ALTER TABLE ONLY public.users\n    ADD CONSTRAINT users_email_key UNIQUE (email);",
        )
        .unwrap();
        assert_eq!(
            add,
            "ALTER TABLE ONLY public.users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;"
        );
        // Options the index or the constraint would lose, other kinds, a partitioned table's
        // (no ONLY): one statement.
        for stmt in [
            "ALTER TABLE ONLY public.a\n    ADD CONSTRAINT u UNIQUE (b) DEFERRABLE;",
            "ALTER TABLE ONLY public.a\n    ADD CONSTRAINT u UNIQUE NULLS NOT DISTINCT (b);",
            "ALTER TABLE ONLY public.a\n    ADD CONSTRAINT u UNIQUE (b) INCLUDE (c);",
            "ALTER TABLE ONLY public.a\n    ADD CONSTRAINT u PRIMARY KEY (b) WITH (fillfactor='70');",
            "ALTER TABLE ONLY public.a\n    ADD CONSTRAINT x EXCLUDE USING gist (r WITH &&);",
            "ALTER TABLE public.p\n    ADD CONSTRAINT p_pkey PRIMARY KEY (id);",
            "ALTER TABLE ONLY public.a\n    ADD CONSTRAINT f FOREIGN KEY (b) REFERENCES public.b(id);",
        ] {
            assert_eq!(key_constraint_in_two_steps(stmt.as_bytes()), None, "{stmt}");
        }
    }

    #[test]
    fn classifies_what_pg_dump_writes_in_post_data() {
        let t = |s: &str| {
            QualifiedName::new(
                Some(s.split('.').next().unwrap()),
                s.split('.').nth(1).unwrap(),
            )
        };
        assert_eq!(
            post_data_kind(
                b"CREATE UNIQUE INDEX \"Odd \"\"Name\" ON ONLY public.\"Users\" USING btree (a);"
            ),
            PostData::Index(QualifiedName::new(Some("public"), "Users"))
        );
        assert_eq!(
            post_data_kind(
                b"ALTER TABLE ONLY public.orders\n    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);"
            ),
            PostData::Constraint(t("public.orders"))
        );
        assert_eq!(
            post_data_kind(b"ALTER TABLE ONLY public.orders\n    ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES public.users(id);"),
            PostData::ForeignKey {
                table: t("public.orders"),
                references: Some(t("public.users"))
            }
        );
        assert_eq!(
            post_data_kind(b"ALTER TABLE ONLY \"S\".\"Line Items\"\n    ADD CONSTRAINT \"fk\" FOREIGN KEY (\"orderId\", b) REFERENCES \"S\".\"Orders\"(id, b) ON DELETE CASCADE;"),
            PostData::ForeignKey {
                table: QualifiedName::new(Some("S"), "Line Items"),
                references: Some(QualifiedName::new(Some("S"), "Orders"))
            }
        );
        assert_eq!(
            post_data_kind(
                b"CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();"
            ),
            PostData::Other
        );
        assert_eq!(
            post_data_kind(b"ALTER INDEX public.p_idx ATTACH PARTITION public.c_idx;"),
            PostData::AttachIndex
        );
        assert_eq!(
            post_data_kind(b"ALTER INDEX public.p_idx SET (fillfactor = 70);"),
            PostData::Other
        );
        assert_eq!(
            post_data_kind(b"ALTER TABLE public.t CLUSTER ON i;"),
            PostData::Other
        );
    }
}
