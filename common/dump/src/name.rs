//! Table and column names as PostgreSQL resolves them.

use std::fmt;

use super::error::DumpError;
use super::scan::Cursor;

/// Reads `name` or `schema.name` at the cursor (see [`Cursor::qualified_parts`]).
pub(crate) fn read_qualified_name(cur: &mut Cursor<'_>) -> Result<QualifiedName, &'static str> {
    let (schema, name) = cur.qualified_parts()?;
    Ok(QualifiedName { schema, name })
}

/// A possibly schema-qualified table name exactly as PostgreSQL resolves it:
/// unquoted parts folded to lower case, quoted parts kept verbatim (`""`
/// turned into `"`).
///
/// Comparing resolved names (rather than the spelling in the dump) is what
/// lets a rules file say `public.users` and match pg_dump's
/// `public.users`, and say `"MixedCase"."Order Items"` and match exactly
/// that table, whatever quoting style either side used.
///
/// [`Display`](fmt::Display) re-quotes parts only where SQL needs it (like
/// pg_dump's own quoting), so the output can be pasted back into SQL or a
/// rules file: `public.users`, `"MixedCase"."Order Items"`, `public."user"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QualifiedName {
    /// Schema, if the name was qualified.
    pub schema: Option<String>,
    /// The object name itself.
    pub name: String,
}

impl QualifiedName {
    /// Builds a name from already-resolved parts (no case folding happens).
    pub fn new(schema: Option<&str>, name: &str) -> Self {
        QualifiedName {
            schema: schema.map(str::to_owned),
            name: name.to_owned(),
        }
    }
}

impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(schema) = &self.schema {
            write_identifier(f, schema)?;
            f.write_str(".")?;
        }
        write_identifier(f, &self.name)
    }
}

/// Quotes one identifier the way SQL needs it: unchanged when it is a plain
/// lower-case identifier that is not a reserved word, otherwise in double
/// quotes with embedded `"` doubled.
pub fn quote_identifier(ident: &str) -> String {
    let mut out = String::with_capacity(ident.len() + 2);
    // Writing to a String cannot fail.
    let _ = write_identifier(&mut out, ident);
    out
}

fn write_identifier(out: &mut impl fmt::Write, ident: &str) -> fmt::Result {
    if !needs_quotes(ident) {
        return out.write_str(ident);
    }
    out.write_char('"')?;
    for part in ident.split('"').enumerate() {
        if part.0 > 0 {
            out.write_str("\"\"")?;
        }
        out.write_str(part.1)?;
    }
    out.write_char('"')
}

fn needs_quotes(ident: &str) -> bool {
    let bytes = ident.as_bytes();
    let Some(&first) = bytes.first() else {
        return true;
    };
    if !(first.is_ascii_lowercase() || first == b'_') {
        return true;
    }
    if !bytes
        .iter()
        .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return true;
    }
    RESERVED_WORDS.binary_search(&ident).is_ok()
}

/// Key words that cannot be used as bare table or column names (every
/// category but "unreserved"), as of PostgreSQL 15 plus the ones added up to
/// 18. Quoting a word that would not have needed it is harmless, so the list
/// errs on the side of including.
const RESERVED_WORDS: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "json",
    "json_array",
    "json_arrayagg",
    "json_exists",
    "json_object",
    "json_objectagg",
    "json_query",
    "json_scalar",
    "json_serialize",
    "json_table",
    "json_value",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "merge_action",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
];

/// Parses a table name the way SQL would: `public.users`,
/// `"My Schema"."T"`, `Users` (-> `users`). Whitespace and comments around
/// the parts are allowed; anything after the name is an error.
///
/// Used for the names in COPY and INSERT statements and equally for names
/// written by people in rules files, so both sides resolve the same way.
///
/// # Errors
///
/// [`DumpError::InvalidName`] for empty or malformed names, more than two
/// parts, and `U&"..."` identifiers.
pub fn parse_qualified_name(s: &str) -> Result<QualifiedName, DumpError> {
    let invalid = |reason: &'static str| DumpError::InvalidName {
        input: s.to_owned(),
        reason,
    };
    let mut cur = Cursor::new(s.as_bytes());
    cur.skip_trivia().map_err(invalid)?;
    let name = read_qualified_name(&mut cur).map_err(invalid)?;
    cur.skip_trivia().map_err(invalid)?;
    if !cur.at_end() {
        return Err(invalid("unexpected text after the name"));
    }
    Ok(name)
}

/// Parses a parenthesised column list as written in COPY and INSERT
/// statements: `(id, email, "Name")` -> `["id", "email", "Name"]`.
///
/// # Errors
///
/// [`DumpError::InvalidName`] for a malformed or empty list.
pub fn parse_column_list(s: &str) -> Result<Vec<String>, DumpError> {
    let invalid = |reason: &'static str| DumpError::InvalidName {
        input: s.to_owned(),
        reason,
    };
    let mut cur = Cursor::new(s.as_bytes());
    cur.skip_trivia().map_err(invalid)?;
    let columns = cur.column_list().map_err(invalid)?;
    cur.skip_trivia().map_err(invalid)?;
    if !cur.at_end() {
        return Err(invalid("unexpected text after the column list"));
    }
    Ok(columns)
}

/// Serialized as SQL spells it (`public.users`, `"Billing"."Invoice Lines"`), for reports.
impl serde::Serialize for QualifiedName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reserved_words_are_sorted_for_binary_search() {
        assert!(RESERVED_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn folds_unquoted_and_keeps_quoted() {
        let n = parse_qualified_name("Public.Users").unwrap();
        assert_eq!(n, QualifiedName::new(Some("public"), "users"));
        let n = parse_qualified_name(r#""My Schema"."Order ""Items""""#).unwrap();
        assert_eq!(n, QualifiedName::new(Some("My Schema"), "Order \"Items\""));
        let n = parse_qualified_name("  users  ").unwrap();
        assert_eq!(n, QualifiedName::new(None, "users"));
        let n = parse_qualified_name(r#""a.b" . "C""#).unwrap();
        assert_eq!(n, QualifiedName::new(Some("a.b"), "C"));
        let n = parse_qualified_name("Émilie.t$1").unwrap();
        assert_eq!(n, QualifiedName::new(Some("Émilie"), "t$1"));
    }

    #[test]
    fn rejects_bad_names() {
        for bad in [
            "", "a.b.c", "\"\"", "\"open", "a b", "1abc", "a.", "U&\"x\"", "a;",
        ] {
            assert!(parse_qualified_name(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn display_quotes_only_where_needed() {
        let cases = [
            (QualifiedName::new(Some("public"), "users"), "public.users"),
            (
                QualifiedName::new(Some("MixedCase"), "Order Items"),
                r#""MixedCase"."Order Items""#,
            ),
            (
                QualifiedName::new(Some("public"), "user"),
                r#"public."user""#,
            ),
            (QualifiedName::new(None, "a\"b"), r#""a""b""#),
            (QualifiedName::new(None, "t$"), r#""t$""#),
            (QualifiedName::new(None, "_x1"), "_x1"),
            (QualifiedName::new(None, "1x"), r#""1x""#),
            (QualifiedName::new(None, "é"), r#""é""#),
        ];
        for (name, text) in cases {
            assert_eq!(name.to_string(), text);
            assert_eq!(parse_qualified_name(text).unwrap(), name);
        }
    }

    #[test]
    fn column_lists() {
        assert_eq!(
            parse_column_list(r#"(id, email, "Name", "weird ""col""")"#).unwrap(),
            vec!["id", "email", "Name", "weird \"col\""]
        );
        assert!(parse_column_list("()").is_err());
        assert!(parse_column_list("(a,)").is_err());
        assert!(parse_column_list("(a b)").is_err());
        assert!(parse_column_list("(a) x").is_err());
        assert!(parse_column_list("a").is_err());
    }
}
