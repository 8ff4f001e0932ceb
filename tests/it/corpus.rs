//! The schema corpus (tests/corpus) through every masking path, checked by content.
//!
//! For each entry: its source is loaded, the original values of every masked column are read
//! from it with SQL (whole values; the e-mail addresses and phone numbers inside scrubbed text;
//! the values at JSON paths; generated, materialized-view and full-text data derived from them),
//! every path the engine has is run with the entry's rules (PostgreSQL: filter, apply, sync
//! serial and `--jobs 2`, backup + `restore --mask`; SQLite: apply, sync, backup + `restore
//! --mask`, sync `--keep-dump`), and each result is scanned byte by byte for those originals by
//! the tests themselves (`grep -F` over a pg_dump of the result, its relation files after a
//! CHECKPOINT, the SQLite file and its journal), never by the tools' own leak check. The result
//! must also be usable: row counts and foreign-key join counts equal the source's, sequences
//! equal, a row with a default key can be inserted, kept columns byte-identical, and the same
//! deterministic data on every path. Then the tools' leak checks are held to no false alarm on
//! a masked copy and an alarm on unmasked and half-masked copies, and lint's "looks personal" is
//! scored against the hand labels.
//!
//! Each test collects every broken promise of its entry and fails once, listing them all, so one
//! run shows every defect.

mod lint;
mod model;
mod needles;
mod pg;
mod sqlite;
mod toml_lite;

/// What one entry's test found: the promises it saw broken, and what it measured.
pub struct Report {
    entry: String,
    failures: Vec<String>,
    notes: Vec<String>,
}

impl Report {
    fn new(entry: &str) -> Report {
        Report {
            entry: entry.to_string(),
            failures: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// A broken promise.
    fn fail(&mut self, msg: impl Into<String>) {
        self.failures.push(msg.into());
    }

    /// A measurement shown with the result.
    fn note(&mut self, msg: impl Into<String>) {
        self.notes.push(msg.into());
    }

    /// Prints the notes and panics with every failure.
    fn finish(self) {
        let mut text = format!("corpus entry {}:\n", self.entry);
        for n in &self.notes {
            text.push_str(&format!("  note: {n}\n"));
        }
        eprint!("{text}");
        if !self.failures.is_empty() {
            let mut msg = format!(
                "corpus entry {}: {} broken promise(s):\n",
                self.entry,
                self.failures.len()
            );
            for f in &self.failures {
                msg.push_str(&format!("  - {f}\n"));
            }
            panic!("{msg}");
        }
    }
}
