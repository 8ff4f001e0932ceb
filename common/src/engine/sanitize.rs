//! What servers and client programs say, with row data taken out before it reaches a message or
//! a log line.
//!
//! PostgreSQL quotes values in some messages (`invalid input syntax for type integer: "…"`,
//! `value "…" is out of range`), prints whole rows in `DETAIL:` (`Failing row contains (…)`,
//! `Key (email)=(…) already exists`), statements in `CONTEXT:` and `LINE n:`. Object names are
//! quoted the same way (`relation "users" does not exist`), and they are what an operator needs.
//! So the rule is: drop DETAIL, CONTEXT, QUERY, STATEMENT and LINE lines entirely; in what is
//! left, keep a quoted string only when the word before it names a kind of object, and blank
//! every other quoted string. Data exceptions (SQLSTATE class 22) and syntax errors quote
//! input, never names: there every quoted string is blanked.

/// Words after which PostgreSQL quotes an object's name, not a value.
const OBJECT_WORDS: &[&str] = &[
    "relation",
    "table",
    "column",
    "constraint",
    "index",
    "schema",
    "database",
    "role",
    "user",
    "type",
    "function",
    "sequence",
    "view",
    "trigger",
    "extension",
    "operator",
    "domain",
    "collation",
    "policy",
    "publication",
    "subscription",
    "tablespace",
    "server",
    "language",
    "rule",
    "aggregate",
    "procedure",
    "statistics",
    "cursor",
    "savepoint",
    "parameter",
    "variable",
    "file",
    "directory",
    "snapshot",
    "encoding",
    "locale",
    "for",
];

/// What a blanked value is replaced with.
pub const BLANK: &str = "\"…\"";

/// A server's primary message, safe to print. `code` is the SQLSTATE, when known.
pub fn server_message(code: Option<&str>, message: &str) -> String {
    let input_quoted = code.is_some_and(|c| c.starts_with("22") || c == "42601");
    crate::secrets::scrub(&blank_quoted(message, input_quoted))
}

/// One line of a client program's stderr, safe to log or show; `None` when the whole line must go
/// (it carries rows or statement text).
pub fn stderr_line(line: &str) -> Option<String> {
    let body = strip_location(line).trim_start();
    let dropped = [
        "DETAIL:",
        "CONTEXT:",
        "QUERY:",
        "STATEMENT:",
        "LINE ",
        "WHERE:",
    ];
    if dropped.iter().any(|d| body.starts_with(d)) {
        return None;
    }
    // The caret line under `LINE n:`, and a statement's continuation lines, start with spaces.
    if line.starts_with(' ') || line.starts_with('\t') {
        return None;
    }
    let input_quoted = body.contains("invalid input")
        || body.contains("syntax error")
        || body.contains("out of range")
        || body.contains("malformed")
        || body.contains("invalid byte sequence");
    Some(crate::secrets::scrub(&blank_quoted(line, input_quoted)))
}

/// `psql:<stdin>:12: ERROR:  x` -> `ERROR:  x`; other lines unchanged.
fn strip_location(line: &str) -> &str {
    for sev in [
        "ERROR:", "FATAL:", "PANIC:", "WARNING:", "NOTICE:", "DETAIL:", "HINT:", "CONTEXT:",
        "LINE ",
    ] {
        if let Some(i) = line.find(sev) {
            return &line[i..];
        }
    }
    line
}

/// Replaces quoted strings (`"…"` and `'…'`) by [`BLANK`], except, when `all` is false, those
/// right after a word of [`OBJECT_WORDS`].
fn blank_quoted(text: &str, all: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['"', '\'']) {
        let quote = rest.as_bytes()[i] as char;
        let before = &rest[..i];
        out.push_str(before);
        let after = &rest[i + 1..];
        // The closing quote; a doubled quote inside is part of the string.
        let mut end = None;
        let mut j = 0;
        let b = after.as_bytes();
        while j < b.len() {
            if b[j] as char == quote {
                if b.get(j + 1).map(|c| *c as char) == Some(quote) {
                    j += 2;
                    continue;
                }
                end = Some(j);
                break;
            }
            j += 1;
        }
        let Some(end) = end else {
            // An unterminated quote: everything after it may be data.
            out.push_str(BLANK);
            return out;
        };
        let word = out
            .trim_end()
            .rsplit(|c: char| !c.is_alphanumeric() && c != '_')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if !all && quote == '"' && OBJECT_WORDS.contains(&word.as_str()) {
            out.push(quote);
            out.push_str(&after[..end]);
            out.push(quote);
        } else {
            out.push_str(BLANK);
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_blanked_names_are_kept() {
        assert_eq!(
            server_message(
                Some("22P02"),
                "invalid input syntax for type integer: \"alice@example.com\""
            ),
            "invalid input syntax for type integer: \"…\""
        );
        assert_eq!(
            server_message(Some("42P01"), "relation \"public.users\" does not exist"),
            "relation \"public.users\" does not exist"
        );
        assert_eq!(
            server_message(
                Some("23502"),
                "null value in column \"email\" of relation \"users\" violates not-null constraint"
            ),
            "null value in column \"email\" of relation \"users\" violates not-null constraint"
        );
        assert_eq!(
            server_message(
                Some("22003"),
                "value \"99999999999\" is out of range for type integer"
            ),
            "value \"…\" is out of range for type integer"
        );
        assert_eq!(
            server_message(Some("XX000"), "something about 'bob@x.io' and \"carol\""),
            "something about \"…\" and \"…\""
        );
    }

    #[test]
    fn rows_and_statements_are_dropped_from_stderr() {
        assert_eq!(
            stderr_line("DETAIL:  Failing row contains (1, alice@example.com)."),
            None
        );
        assert_eq!(
            stderr_line(
                "psql:<stdin>:40: DETAIL:  Key (email)=(alice@example.com) already exists."
            ),
            None
        );
        assert_eq!(
            stderr_line("CONTEXT:  COPY users, line 1: \"1\talice@example.com\""),
            None
        );
        assert_eq!(
            stderr_line("LINE 1: INSERT INTO users VALUES ('alice@example.com')"),
            None
        );
        assert_eq!(stderr_line("                                      ^"), None);
        assert_eq!(
            stderr_line("psql:<stdin>:7: ERROR:  invalid input syntax for type integer: \"alice\"")
                .as_deref(),
            Some("psql:<stdin>:7: ERROR:  invalid input syntax for type integer: \"…\"")
        );
        assert_eq!(
            stderr_line("psql:<stdin>:9: ERROR:  duplicate key value violates unique constraint \"users_email_key\"").as_deref(),
            Some("psql:<stdin>:9: ERROR:  duplicate key value violates unique constraint \"users_email_key\"")
        );
        assert_eq!(
            stderr_line("ERROR:  unterminated 'alice@example.com").as_deref(),
            Some("ERROR:  unterminated \"…\"")
        );
    }
}
