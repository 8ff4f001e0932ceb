//! Reading one table with several sessions: its heap cut into block ranges, and the COPY that
//! reads a table or one of its ranges. Shared by `backup --jobs` and `sync-tool run --jobs`.
//!
//! TID range scans (PostgreSQL 14 and later) read only a range's blocks; before, each range would
//! scan the whole table, so ranges are only used from 14 on.

/// Heap pages are 8 kB in every build these tools meet.
const PAGE: u64 = 8192;

/// A table's share of the database above which it is read in ranges, at least this
/// (`BACKUP_TOOLS_RANGE_BYTES` changes it: tests use small ranges).
const MIN_RANGE_BYTES: u64 = 32 << 20;

/// Heap blocks `[start, end)` of a table; `end` None reads to the table's end, so rows added to
/// blocks past the size seen when splitting are read too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeapRange {
    /// First block.
    pub start: u64,
    /// Block after the last one; None for the last range.
    pub end: Option<u64>,
}

/// Bytes of heap above which a table is read in ranges of about that size: the total's
/// `1 / shares`, at least 32 MB (or `BACKUP_TOOLS_RANGE_BYTES`, at least one page).
pub fn range_bytes(total: u64, shares: u64) -> u64 {
    std::env::var("BACKUP_TOOLS_RANGE_BYTES")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|&n| n >= PAGE)
        .unwrap_or_else(|| MIN_RANGE_BYTES.max(total / shares.max(1)))
}

/// The ranges a table of `bytes` heap bytes is read in, with `jobs` sessions on a server of
/// `major` version; empty when it is read whole (one session, an old server, a small table, a
/// table without columns, whose rows a SELECT list cannot name).
pub fn split(
    bytes: u64,
    range_bytes: u64,
    major: u32,
    jobs: usize,
    columns: bool,
) -> Vec<HeapRange> {
    if major < 14 || jobs < 2 || bytes <= range_bytes || !columns {
        return Vec::new();
    }
    let blocks = bytes / PAGE;
    let per = blocks.div_ceil(bytes.div_ceil(range_bytes)).max(1);
    let mut out = Vec::new();
    let mut start = 0;
    while start < blocks {
        let end = start + per;
        out.push(HeapRange {
            start,
            end: (end < blocks).then_some(end),
        });
        start = end;
    }
    out
}

/// `COPY ... TO STDOUT` of a whole table (`range` None) or of one range of its heap. `table` is
/// the quoted name, `columns` the quoted column list (empty for a table without columns).
pub fn copy_out_sql(table: &str, columns: &str, range: Option<HeapRange>) -> String {
    match range {
        // COPY TO reads no child table, as pg_dump's does.
        None if columns.is_empty() => format!("COPY {table} TO STDOUT"),
        None => format!("COPY {table} ({columns}) TO STDOUT"),
        Some(HeapRange { start, end }) => {
            let upper = end
                .map(|e| format!(" AND ctid < '({e},0)'::tid"))
                .unwrap_or_default();
            format!(
                "COPY (SELECT {columns} FROM ONLY {table} WHERE ctid >= '({start},0)'::tid{upper}) TO STDOUT"
            )
        }
    }
}

/// The `COPY ... FROM stdin;` line pg_dump writes for a table's data (`columns` as for
/// [`copy_out_sql`]).
pub fn copy_in_line(table: &str, columns: &str) -> String {
    if columns.is_empty() {
        format!("COPY {table}  FROM stdin;\n")
    } else {
        format!("COPY {table} ({columns}) FROM stdin;\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_every_block_once_and_the_last_is_open() {
        let r = split(10 * PAGE + 100, 3 * PAGE, 16, 2, true);
        assert_eq!(r.first().map(|r| r.start), Some(0));
        assert_eq!(r.last().and_then(|r| r.end), None);
        for w in r.windows(2) {
            assert_eq!(w[0].end, Some(w[1].start));
        }
        assert!(r.len() >= 3, "{r:?}");
    }

    #[test]
    fn a_table_is_read_whole_where_ranges_cannot_help() {
        assert!(split(100 * PAGE, PAGE, 13, 2, true).is_empty());
        assert!(split(100 * PAGE, PAGE, 16, 1, true).is_empty());
        assert!(split(PAGE, PAGE, 16, 2, true).is_empty());
        assert!(split(100 * PAGE, PAGE, 16, 2, false).is_empty());
    }

    #[test]
    fn copy_statements_name_the_columns_when_there_are_any() {
        assert_eq!(
            copy_out_sql("public.t", "", None),
            "COPY public.t TO STDOUT"
        );
        assert_eq!(
            copy_out_sql("public.t", "a, b", Some(HeapRange { start: 4, end: Some(8) })),
            "COPY (SELECT a, b FROM ONLY public.t WHERE ctid >= '(4,0)'::tid AND ctid < '(8,0)'::tid) TO STDOUT"
        );
        assert_eq!(copy_in_line("public.t", ""), "COPY public.t  FROM stdin;\n");
    }
}
