//! Preparing a plain dump to run as one transaction.
//!
//! `psql --single-transaction` wraps the script in BEGIN/COMMIT, but pg_dump's plain format
//! writes its own `BEGIN;` ... `COMMIT;` around large-object data. The inner COMMIT would end the
//! outer transaction midway, so a failure after it (an index, a foreign key in the post-data
//! section) would leave a half-restored database. This filter replaces exactly those top-level
//! transaction statements with a comment and passes every other byte through.

use std::io::{BufRead, Write};

use super::error::DumpError;
use super::reader::{DumpReader, Event};

/// What the filter did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SingleTransaction {
    /// Transaction statements replaced by comments.
    pub removed: u32,
    /// Whether the dump ended with pg_dump's completion trailer.
    pub complete: bool,
    /// Bytes read, COPY data included.
    pub bytes: u64,
}

/// The statement of an Sql event without the comments and blank lines before it.
fn statement_text(bytes: &[u8]) -> &[u8] {
    let mut rest = bytes;
    loop {
        let trimmed = rest.trim_ascii_start();
        if let Some(after) = trimmed.strip_prefix(b"--") {
            match memchr::memchr(b'\n', after) {
                Some(i) => rest = &after[i + 1..],
                None => return &[],
            }
        } else {
            return trimmed.trim_ascii_end();
        }
    }
}

fn is_transaction_control(stmt: &[u8]) -> bool {
    ["BEGIN;", "COMMIT;", "START TRANSACTION;", "END;"]
        .iter()
        .any(|k| stmt.eq_ignore_ascii_case(k.as_bytes()))
}

/// What else to leave out of a script on its way to psql.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScriptOptions {
    /// Leave out ownership: `ALTER ... OWNER TO role;` and `SET SESSION AUTHORIZATION`, so the
    /// objects belong to whoever restores (as `pg_restore --no-owner`).
    pub no_owner: bool,
}

/// Object kinds pg_dump writes `ALTER <kind> <name> OWNER TO <role>;` for.
const OWNED_KINDS: &[&str] = &[
    "TABLE",
    "SEQUENCE",
    "VIEW",
    "MATERIALIZED VIEW",
    "FOREIGN TABLE",
    "FUNCTION",
    "PROCEDURE",
    "AGGREGATE",
    "ROUTINE",
    "TYPE",
    "DOMAIN",
    "SCHEMA",
    "LARGE OBJECT",
    "SERVER",
    "FOREIGN DATA WRAPPER",
    "TEXT SEARCH CONFIGURATION",
    "TEXT SEARCH DICTIONARY",
    "COLLATION",
    "CONVERSION",
    "OPERATOR",
    "OPERATOR CLASS",
    "OPERATOR FAMILY",
    "EVENT TRIGGER",
    "PUBLICATION",
    "SUBSCRIPTION",
    "STATISTICS",
    "LANGUAGE",
    "DATABASE",
];

/// Whether a statement only changes an object's owner (`ALTER TABLE public.t OWNER TO app;`)
/// or the session's user.
pub fn is_ownership(stmt: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(stmt) else {
        return false;
    };
    let upper = text.to_ascii_uppercase();
    if upper.starts_with("SET SESSION AUTHORIZATION ") && !text.contains('\n') {
        return true;
    }
    let Some(rest) = upper.strip_prefix("ALTER ") else {
        return false;
    };
    if text.contains('\n') || upper.contains(" RENAME ") || !text.ends_with(';') {
        return false;
    }
    let kind = OWNED_KINDS
        .iter()
        .any(|k| rest.strip_prefix(k).is_some_and(|r| r.starts_with(' ')));
    // `... OWNER TO <role>;` at the end, the role one identifier.
    let tail = upper.trim_end_matches(';').trim_end();
    let Some(at) = tail.rfind(" OWNER TO ") else {
        return false;
    };
    let role = text[at + " OWNER TO ".len()..text.len() - 1].trim();
    let quoted = role.len() >= 2
        && role.starts_with('"')
        && role.ends_with('"')
        && !role[1..role.len() - 1].replace("\"\"", "").contains('"');
    let plain = !role.is_empty()
        && role
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80);
    let one_identifier = quoted || plain;
    kind && one_identifier
}

/// Copies `input` to `out`, replacing top-level BEGIN/COMMIT statements with comments.
pub fn for_single_transaction<R: BufRead, W: Write>(
    input: R,
    out: W,
) -> Result<SingleTransaction, DumpError> {
    for_single_transaction_with(input, out, ScriptOptions::default())
}

/// Like [`for_single_transaction`], also leaving out what `opts` says.
pub fn for_single_transaction_with<R: BufRead, W: Write>(
    input: R,
    mut out: W,
    opts: ScriptOptions,
) -> Result<SingleTransaction, DumpError> {
    let mut reader = DumpReader::new(input);
    let mut removed = 0u32;
    let write_err = |source| DumpError::Write { source };
    while let Some(event) = reader.next_event()? {
        let b = event.bytes();
        match event {
            Event::Sql(_) if opts.no_owner && is_ownership(statement_text(b)) => {
                let stmt = statement_text(b);
                let start = stmt.as_ptr() as usize - b.as_ptr() as usize;
                out.write_all(&b[..start]).map_err(write_err)?;
                out.write_all(b"-- (ownership left out: --no-owner)")
                    .map_err(write_err)?;
                out.write_all(&b[start + stmt.len()..]).map_err(write_err)?;
                removed += 1;
            }
            Event::Sql(_) if is_transaction_control(statement_text(b)) => {
                let stmt = statement_text(b);
                // `stmt` is a sub-slice of `b`: keep what stands before and after it.
                let start = stmt.as_ptr() as usize - b.as_ptr() as usize;
                out.write_all(&b[..start]).map_err(write_err)?;
                out.write_all(b"-- (").map_err(write_err)?;
                out.write_all(stmt).map_err(write_err)?;
                out.write_all(b" left out: this restore runs as one transaction)")
                    .map_err(write_err)?;
                out.write_all(&b[start + stmt.len()..]).map_err(write_err)?;
                removed += 1;
            }
            Event::CopyStart { .. } => {
                out.write_all(b).map_err(write_err)?;
                reader.copy_rows_to(&mut out)?;
            }
            _ => out.write_all(b).map_err(write_err)?,
        }
    }
    Ok(SingleTransaction {
        removed,
        complete: reader.saw_completion_trailer(),
        bytes: reader.position().0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ownership_is_left_out_only_where_asked_and_only_ownership() {
        for yes in [
            "ALTER TABLE public.users OWNER TO app;",
            "ALTER FUNCTION public.f(integer, text) OWNER TO \"App Owner\";",
            "ALTER LARGE OBJECT 16387 OWNER TO app;",
            "ALTER MATERIALIZED VIEW public.mv OWNER TO app;",
            "SET SESSION AUTHORIZATION 'app';",
        ] {
            assert!(is_ownership(yes.as_bytes()), "{yes}");
        }
        for no in [
            "ALTER TABLE public.t RENAME COLUMN owner TO x;",
            "ALTER TABLE ONLY public.t ADD CONSTRAINT c CHECK (a <> ' OWNER TO x');",
            "ALTER TABLE public.t ALTER COLUMN owner SET DEFAULT 'OWNER TO x';",
            "ALTER DEFAULT PRIVILEGES FOR ROLE app GRANT SELECT ON TABLES TO ro;",
            "CREATE TABLE owner_to (x int);",
        ] {
            assert!(!is_ownership(no.as_bytes()), "{no}");
        }
        let dump = "SET x = 1;\nCREATE TABLE public.t (a int);\n\nALTER TABLE public.t OWNER TO app;\n\n--\n-- PostgreSQL database dump complete\n--\n";
        let mut out = Vec::new();
        let r = for_single_transaction_with(
            dump.as_bytes(),
            &mut out,
            ScriptOptions { no_owner: true },
        )
        .expect("filters");
        let text = String::from_utf8(out).expect("utf8");
        assert_eq!(r.removed, 1);
        assert!(!text.contains("OWNER TO app"), "{text}");
        let mut out = Vec::new();
        for_single_transaction(dump.as_bytes(), &mut out).expect("filters");
        assert!(String::from_utf8(out)
            .expect("utf8")
            .contains("OWNER TO app"));
    }

    #[test]
    fn large_object_transaction_is_neutralised_and_the_rest_passes_through() {
        let dump = "--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\n\
                    CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ BEGIN; $$;\n\
                    COPY public.t (x) FROM stdin;\n1\nBEGIN;\n\\.\n\n\
                    --\n-- Data for Name: BLOBS; Type: BLOBS; Schema: -; Owner: -\n--\n\nBEGIN;\n\n\
                    SELECT pg_catalog.lo_open('16387', 131072);\nSELECT pg_catalog.lo_close(0);\n\nCOMMIT;\n\n\
                    --\n-- PostgreSQL database dump complete\n--\n\n";
        let mut out = Vec::new();
        let r = for_single_transaction(dump.as_bytes(), &mut out).expect("filters");
        let text = String::from_utf8(out).expect("utf8");
        assert_eq!(r.removed, 2);
        assert!(r.complete);
        assert!(!text.contains("\nBEGIN;\n\nSELECT"), "{text}");
        assert!(!text.contains("\nCOMMIT;\n"), "{text}");
        assert!(text.contains("-- (BEGIN; left out"), "{text}");
        // A BEGIN inside a function body or a COPY row is data, not a statement.
        assert!(text.contains("$$ BEGIN; $$"), "{text}");
        assert!(text.contains("1\nBEGIN;\n\\."), "{text}");
        assert!(text.contains("-- Data for Name: BLOBS"), "{text}");
        assert_eq!(
            text.len(),
            dump.len() + 2 * "-- ( left out: this restore runs as one transaction)".len()
        );
        assert!(
            text.contains("-- (COMMIT; left out: this restore runs as one transaction)\n\n--"),
            "{text}"
        );
    }
}
