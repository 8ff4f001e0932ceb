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

/// Copies `input` to `out`, replacing top-level BEGIN/COMMIT statements with comments.
pub fn for_single_transaction<R: BufRead, W: Write>(
    input: R,
    mut out: W,
) -> Result<SingleTransaction, DumpError> {
    let mut reader = DumpReader::new(input);
    let mut removed = 0u32;
    let write_err = |source| DumpError::Write { source };
    while let Some(event) = reader.next_event()? {
        let b = event.bytes();
        match event {
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
