//! Mutation fuzzing of the stream masker over real dumps (issue 9 item 9).
//!
//! Real pg_dump 15 dumps (the fixtures of `common/dump/tests/fixtures`) and
//! a generated one are mutated the ways dumps really break or get edited:
//! lines deleted, duplicated, swapped, joined, split, the `\.` of a COPY
//! block dropped, the dump cut short, identifiers re-cased, and statements
//! injected that write original values into masked tables (UPDATE, WITH
//! ..., MERGE, INSERT variants, SELECT INTO, CREATE TABLE AS, ALTER TABLE,
//! DO, ...). Every mutant is masked under strict rules and must satisfy:
//!
//! * **no leak on success**: when the run succeeds, no original value of a
//!   masked column is anywhere in the output;
//! * **no leak before an error**: when it fails, the output written up to
//!   the error holds no original either (nothing of a masked table is
//!   written before its rows are masked);
//! * no panic, and no original in the error message.
//!
//! "Original values" are the values of masked columns in the unmutated
//! dump that its masked output no longer contains (a value that also sits
//! in a kept column, or that a transform leaves alone, cannot count),
//! restricted to values long and plain enough to be searched for as text.
//! The one legitimate way an original can reach the output is as data of a
//! table the rules keep: a line moved (or a block run on past a lost `\.`)
//! into the COPY data of such a table is that table's data for psql too.
//! Those values are excused, by a line model of psql's COPY handling that
//! is independent of the reader.
//!
//! `cargo test` runs a few hundred cases; `MASK_FUZZ_CASES=20000 cargo test
//! -p mask --release fuzz` runs more. The cases in
//! `common/dump/fuzz/corpus/` (found while writing this, or interesting)
//! are replayed on every run.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;

use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::lineage::Lineage;
use super::tests::generated_dump;
use super::*;
use dump::{
    decode_copy_field_str, parse_insert_values_with, quote_identifier, quote_literal,
    split_copy_fields, DumpReader, Event, QualifiedName, SqlValue,
};

const SALT: &[u8] = b"fuzz-salt-for-masking-0123456789";

/// Strict rules for the table set of `pg15_*` fixtures: every text column
/// masked, the rest kept.
const PG15_RULES: &str = r#"
[tables.'"My Schema"."Order Items"']
'"weird ""col"""' = "hash"
tags = "hash"
payload = "hash"
raw = "null"
keep = ["id", '"Qty.Count"', "bits"]

[tables."public.empty_cols"]

[tables."public.log"]
msg = "hash"
keep = ["id"]

[tables."public.nothing_here"]
a = "hash"

[tables.'public."user"']
'"select"' = "hash"
keep = ["id"]

[tables."public.users"]
email = "fake_email"
'"Name"' = "fake_name"
note = "hash"
keep = ["id", "born", "score", "ratio", "active"]
"#;

const PARTITION_RULES: &str = r#"
[tables."public.measurement"]
user_email = "fake_email"
note = "hash"
keep = ["id", "logdate"]

[tables."public.contacts"]
email = { template = "contact_{id}@test.example.com" }
phone = "fake_phone"
keep = ["id"]

[tables."public.vip_contacts"]
keep = ["level"]

[tables."public.tags"]
keep = ["tag"]

[tables."public.vip_tagged"]
keep = ["since"]

[tables."public.settings"]
keep = ["k", "v"]
"#;

const EVENTS_KEPT: &str =
    "\n[tables.\"public.events\"]\nkeep = [\"id\", \"user_id\", \"kind\", \"payload\", \"created_at\"]\n";

/// One dump to mutate, with its rules and what counts as an original.
struct Source {
    name: &'static str,
    dump: Vec<u8>,
    rules: Rules,
    /// Original values of masked columns (see the module docs).
    originals: Vec<String>,
    /// Masked tables as the dump spells them, with their masked columns.
    targets: Vec<(String, Vec<String>)>,
    /// Effective rules per table (partitions included), for the psql model.
    effective: BTreeMap<QualifiedName, Option<TableRules>>,
    /// Child -> parents, from the unmutated run.
    parents: BTreeMap<QualifiedName, Vec<QualifiedName>>,
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../dump/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn ctx() -> MaskContext {
    MaskContext::new(Salt::from_secret(SALT).unwrap()).with_random_seed(7)
}

/// Runs the masker; the output is what was written, also on error.
fn run(rules: &Rules, dump: &[u8]) -> (Vec<u8>, Result<MaskReport, MaskError>) {
    let mut out = Vec::new();
    let result = Masker::new(rules, ctx())
        .unwrap()
        .run(Cursor::new(dump), &mut out);
    (out, result)
}

/// Values plain enough to be found as text in any of the dump's spellings.
fn searchable(v: &str) -> bool {
    v.chars().count() >= 4
        && v.bytes()
            .all(|b| !b.is_ascii_control() && !b"'\\\"$".contains(&b))
}

/// Words the injected statements are made of (`NULL`, `text`, ...): once
/// re-cased they can be in the output without being anybody's data.
fn is_template_word(v: &str) -> bool {
    const WORDS: &str = "update only set where is not null with as select from insert into values \
        returning merge using on false true when matched then overriding system value conflict \
        do nothing lower create table partition of default delete begin end alter column type \
        text add fuzz_extra fuzz_copy prepare fz explain analyze copy stdin tmp";
    WORDS.split(' ').any(|w| w.eq_ignore_ascii_case(v))
}

/// Words fakes are made of (the name lists, the fake e-mail domain): a
/// mutant's fakes can spell them without any original being in the output.
fn is_fake_word(v: &str) -> bool {
    super::fake::FIRST_NAMES
        .iter()
        .chain(super::fake::LAST_NAMES.iter())
        .any(|n| n.to_ascii_lowercase().contains(&v.to_ascii_lowercase()))
        || "example.com".contains(v)
}

/// Every (table, column, value) of the dump's data, from COPY rows and
/// INSERTs with column lists.
fn values(dump: &[u8]) -> Vec<(QualifiedName, String, String)> {
    let mut out = Vec::new();
    let mut reader = DumpReader::new(Cursor::new(dump));
    let mut current: Option<(QualifiedName, Vec<String>)> = None;
    while let Some(ev) = reader.next_event().unwrap() {
        match ev {
            Event::CopyStart { table, columns, .. } => {
                current = Some((table.clone(), columns.to_vec()));
            }
            Event::CopyRow(row) => {
                let Some((table, columns)) = &current else {
                    continue;
                };
                for (c, f) in columns.iter().zip(split_copy_fields(row)) {
                    if let Ok(Some(v)) = decode_copy_field_str(f) {
                        out.push((table.clone(), c.clone(), v.into_owned()));
                    }
                }
            }
            Event::Insert {
                raw,
                table,
                columns: Some(columns),
                standard_conforming_strings,
            } => {
                let stmt = parse_insert_values_with(raw, standard_conforming_strings).unwrap();
                for row in &stmt.rows {
                    for (c, v) in columns.iter().zip(row) {
                        let text = match &v.value {
                            SqlValue::String(b) => String::from_utf8_lossy(b).into_owned(),
                            SqlValue::Number(n) => (*n).to_owned(),
                            _ => continue,
                        };
                        out.push((table.clone(), c.clone(), text));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// How many placeholders of the table's templates read `column`.
fn template_reads(rules: Option<&TableRules>, column: &str) -> usize {
    rules.map_or(0, |r| {
        r.masked()
            .map(|(_, t)| t.referenced_columns().filter(|c| *c == column).count())
            .sum()
    })
}

fn masked(rules: Option<&TableRules>, column: &str) -> bool {
    rules.is_some_and(|r| r.transform(column).is_some_and(|t| *t != Transform::Keep))
}

impl Source {
    fn new(name: &'static str, dump: Vec<u8>, rules_text: &str, value_source: &[u8]) -> Source {
        let rules = Rules::parse(rules_text, name).unwrap();
        let (clean, result) = run(&rules, value_source);
        let report = result.unwrap_or_else(|e| panic!("{name}: the unmutated dump fails: {e}"));
        let mut lineage = Lineage::default();
        for (child, parents) in &report.inherits {
            for p in parents {
                lineage.link(child, p);
            }
        }
        let clean = String::from_utf8_lossy(&clean).into_owned();
        let mut effective = BTreeMap::new();
        let mut originals = BTreeSet::new();
        let mut targets: BTreeMap<QualifiedName, BTreeSet<String>> = BTreeMap::new();
        for (table, column, value) in values(value_source) {
            let eff = effective.entry(table.clone()).or_insert_with(|| {
                lineage
                    .effective(&rules, &table, Position::Unknown)
                    .unwrap()
                    .cloned()
            });
            if masked(eff.as_ref(), &column) {
                targets.entry(table).or_default().insert(column);
                if searchable(&value)
                    && !clean.contains(&value)
                    && !is_template_word(&value)
                    && !is_fake_word(&value)
                {
                    originals.insert(value);
                }
            }
        }
        assert!(
            originals.len() >= 3,
            "{name}: only {} originals",
            originals.len()
        );
        Source {
            name,
            dump,
            rules,
            originals: originals.into_iter().collect(),
            targets: targets
                .into_iter()
                .map(|(t, c)| (t.to_string(), c.into_iter().collect()))
                .collect(),
            effective,
            parents: report.inherits,
        }
    }

    /// The rules that apply to `table` in the psql model.
    fn rules_of(&mut self, table: &QualifiedName) -> Option<TableRules> {
        if !self.effective.contains_key(table) {
            let mut lineage = Lineage::default();
            for (child, parents) in &self.parents {
                for p in parents {
                    lineage.link(child, p);
                }
            }
            let eff = lineage
                .effective(&self.rules, table, Position::Unknown)
                .ok()
                .flatten()
                .cloned();
            self.effective.insert(table.clone(), eff);
        }
        self.effective.get(table).cloned().flatten()
    }
}

fn sources() -> Vec<Source> {
    let example = format!(
        "{}{EVENTS_KEPT}",
        include_str!("../../../examples/masking.example.toml")
    );
    let generated = generated_dump(40, 2).into_bytes();
    let pg15_copy = fixture("pg15_copy.sql");
    let parts_copy = fixture("pg15_partitions_copy.sql");
    vec![
        Source::new("pg15_copy.sql", pg15_copy.clone(), PG15_RULES, &pg15_copy),
        Source::new(
            "pg15_column_inserts.sql",
            fixture("pg15_column_inserts.sql"),
            PG15_RULES,
            &fixture("pg15_column_inserts.sql"),
        ),
        Source::new(
            "pg15_inserts.sql",
            fixture("pg15_inserts.sql"),
            PG15_RULES,
            &pg15_copy,
        ),
        Source::new(
            "pg15_inserts_nonstd.sql",
            fixture("pg15_inserts_nonstd.sql"),
            PG15_RULES,
            &pg15_copy,
        ),
        Source::new(
            "pg15_partitions_copy.sql",
            parts_copy.clone(),
            PARTITION_RULES,
            &parts_copy,
        ),
        Source::new(
            "pg15_partitions_column_inserts.sql",
            fixture("pg15_partitions_column_inserts.sql"),
            PARTITION_RULES,
            &fixture("pg15_partitions_column_inserts.sql"),
        ),
        Source::new("generated", generated.clone(), &example, &generated),
    ]
}

/// The dump as lines, each with its line feed (the last one maybe without).
fn lines(dump: &[u8]) -> Vec<Vec<u8>> {
    dump.split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

/// Flips the case of ASCII letters outside single and double quotes.
fn recase(line: &[u8], rng: &mut StdRng) -> Vec<u8> {
    let mut quote: Option<u8> = None;
    line.iter()
        .map(|&b| {
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => return b,
                None if b == b'\'' || b == b'"' => quote = Some(b),
                None if b.is_ascii_alphabetic() && rng.random_bool(0.5) => {
                    return b ^ 0x20;
                }
                None => {}
            }
            b
        })
        .collect()
}

/// A statement writing `value` into a masked column of a masked table.
fn injected(src: &Source, rng: &mut StdRng) -> String {
    let (table, columns) = &src.targets[rng.random_range(0..src.targets.len())];
    let column = quote_identifier(&columns[rng.random_range(0..columns.len())]);
    let value = &src.originals[rng.random_range(0..src.originals.len())];
    let mut v = Vec::new();
    quote_literal(value, &mut v);
    let v = String::from_utf8(v).unwrap();
    let (t, c) = (table.as_str(), column.as_str());
    let forms = [
        format!("UPDATE {t} SET {c} = {v};"),
        format!("UPDATE ONLY {t} SET {c} = {v} WHERE {c} IS NOT NULL;"),
        format!("WITH x AS (SELECT {v} AS v) UPDATE {t} SET {c} = x.v FROM x;"),
        format!("WITH x AS (SELECT 1) INSERT INTO {t} ({c}) SELECT {v} FROM x;"),
        format!("WITH x AS (INSERT INTO {t} ({c}) VALUES ({v}) RETURNING 1) SELECT * FROM x;"),
        format!("MERGE INTO {t} t USING (SELECT {v} AS v) s ON false WHEN NOT MATCHED THEN INSERT ({c}) VALUES (s.v);"),
        format!("MERGE INTO {t} t USING (SELECT 1) s ON true WHEN MATCHED THEN UPDATE SET {c} = {v};"),
        format!("INSERT INTO {t} ({c}) SELECT {v};"),
        format!("INSERT INTO {t} ({c}) VALUES ({v});"),
        format!("INSERT INTO {t} ({c}) VALUES ({v}), ({v});"),
        format!("INSERT INTO {t} ({c}) VALUES (NULL) ON CONFLICT ({c}) DO UPDATE SET {c} = {v};"),
        format!("INSERT INTO {t} ({c}) OVERRIDING SYSTEM VALUE VALUES ({v}) ON CONFLICT DO NOTHING;"),
        format!("INSERT INTO {t} VALUES ({v});"),
        format!("INSERT INTO {t} ({c}) VALUES (lower({v}));"),
        format!("SELECT {v} AS {c} INTO public.fuzz_copy;"),
        format!("SELECT {v} AS {c} INTO {t};"),
        format!("CREATE TABLE public.fuzz_copy AS SELECT {v} AS {c};"),
        format!("CREATE TABLE {t}_x PARTITION OF {t} DEFAULT;"),
        format!("DELETE FROM {t} WHERE {c} = {v};"),
        format!("DO $$ BEGIN UPDATE {t} SET {c} = {v}; END $$;"),
        format!("ALTER TABLE {t} ALTER COLUMN {c} TYPE text USING {v};"),
        format!("ALTER TABLE {t} ADD COLUMN fuzz_extra text DEFAULT {v};"),
        format!("PREPARE fz AS UPDATE {t} SET {c} = {v};"),
        format!("EXPLAIN ANALYZE UPDATE {t} SET {c} = {v};"),
        format!("COPY {t} ({c}) FROM stdin;\n{value}\n\\."),
        format!("COPY {t} FROM '/tmp/{value}';"),
        format!("{value};"),
        format!("1\t{value}\tx;"),
    ];
    let stmt = forms[rng.random_range(0..forms.len())].clone();
    if rng.random_bool(0.3) {
        String::from_utf8(recase(stmt.as_bytes(), rng)).unwrap()
    } else {
        stmt
    }
}

/// Applies 1 to 4 random mutations.
fn mutate(src: &Source, seed: u64) -> Vec<u8> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut ls = lines(&src.dump);
    for _ in 0..rng.random_range(1..=4) {
        if ls.len() < 3 {
            break;
        }
        let n = ls.len();
        let i = rng.random_range(0..n);
        match rng.random_range(0..10) {
            0 => {
                ls.remove(i);
            }
            1 => {
                let l = ls[i].clone();
                ls.insert(rng.random_range(0..n), l);
            }
            2 => {
                let j = if rng.random_bool(0.5) {
                    (i + 1).min(n - 1)
                } else {
                    rng.random_range(0..n)
                };
                ls.swap(i, j);
            }
            3 => {
                let ends: Vec<usize> = (0..n).filter(|&k| ls[k].starts_with(b"\\.")).collect();
                if let Some(&k) = ends.get(rng.random_range(0..ends.len().max(1))) {
                    ls.remove(k);
                }
            }
            4 | 5 => {
                let mut stmt = injected(src, &mut rng).into_bytes();
                stmt.push(b'\n');
                // Mostly where a statement can start: after a line ending a
                // statement or a blank line.
                let at = if rng.random_bool(0.8) {
                    let starts: Vec<usize> = (1..n)
                        .filter(|&k| {
                            let p = ls[k - 1].trim_ascii_end();
                            p.is_empty() || p.ends_with(b";")
                        })
                        .collect();
                    starts
                        .get(rng.random_range(0..starts.len().max(1)))
                        .copied()
                        .unwrap_or(i)
                } else {
                    i
                };
                ls.insert(at, stmt);
            }
            6 => ls[i] = recase(&ls[i], &mut rng),
            7 => {
                // Split a line at a space, or join it with the next.
                let l = ls[i].clone();
                let spaces: Vec<usize> = (0..l.len()).filter(|&k| l[k] == b' ').collect();
                if rng.random_bool(0.5) && !spaces.is_empty() {
                    let k = spaces[rng.random_range(0..spaces.len())];
                    ls[i] = l[..k].to_vec();
                    ls[i].push(b'\n');
                    ls.insert(i + 1, l[k + 1..].to_vec());
                } else if i + 1 < n {
                    let next = ls.remove(i + 1);
                    if ls[i].ends_with(b"\n") {
                        ls[i].pop();
                        ls[i].push(b' ');
                    }
                    ls[i].extend_from_slice(&next);
                }
            }
            8 => ls.truncate(i.max(1)),
            _ => {
                // Replace a COPY or INSERT line's table name with another's.
                let (t, _) = &src.targets[rng.random_range(0..src.targets.len())];
                let l = String::from_utf8_lossy(&ls[i]).into_owned();
                if let Some(rest) = l
                    .strip_prefix("COPY ")
                    .or_else(|| l.strip_prefix("INSERT INTO "))
                {
                    if let Some(sp) = rest.find(' ') {
                        let head = if l.starts_with("COPY") {
                            "COPY "
                        } else {
                            "INSERT INTO "
                        };
                        ls[i] = format!("{head}{t}{}", &rest[sp..]).into_bytes();
                    }
                }
            }
        }
    }
    ls.concat()
}

/// How often each original occurs in the mutated input where passing it
/// on is not a leak, by a model of how psql reads a script that is
/// independent of the dump reader:
///
/// * in the COPY data of a table (from a `COPY ... FROM stdin;` statement
///   to the next line `\.`) at a field the table keeps, or anywhere in a
///   row of a table that masks nothing or in a row that does not fit the
///   block: psql loads it into that table, where the rules keep it (or the
///   server rejects the row);
/// * in the text of a statement that puts no rows into tables (DDL such as
///   a function body a line was moved into, a SELECT without INTO, SET,
///   ...), and in comments: code, query literals and comments are not
///   table data, and the masker passes them as is.
fn excused(src: &mut Source, dump: &[u8]) -> BTreeMap<String, usize> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let originals = src.originals.clone();
    let note = |text: &[u8], counts: &mut BTreeMap<String, usize>| {
        let text = String::from_utf8_lossy(text);
        for o in &originals {
            let n = text.matches(o.as_str()).count();
            if n > 0 {
                *counts.entry(o.clone()).or_default() += n;
            }
        }
    };
    let s = dump;
    let mut i = 0;
    let mut std_strings = true;
    while i < s.len() {
        let b = s[i];
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if s[i..].starts_with(b"--") {
            let end = memchr::memchr(b'\n', &s[i..]).map_or(s.len(), |k| i + k);
            note(&s[i..end], &mut counts);
            i = end;
            continue;
        }
        if b == b'\\' {
            // A meta-command line: not excused.
            i = memchr::memchr(b'\n', &s[i..]).map_or(s.len(), |k| i + k);
            continue;
        }
        // A statement, up to a `;` outside quotes, comments and brackets.
        // Like psql, a CREATE FUNCTION/PROCEDURE's `BEGIN ATOMIC` body runs
        // to its matching END (words counted outside quotes and brackets).
        let start = i;
        let mut depth = 0i32;
        let mut atomic = 0i32;
        let mut words = 0usize;
        let mut routine = false;
        let mut comments: Vec<(usize, usize)> = Vec::new();
        while i < s.len() {
            if s[i].is_ascii_alphabetic()
                && (i == 0 || !(s[i - 1].is_ascii_alphanumeric() || s[i - 1] == b'_'))
            {
                let len = s[i..]
                    .iter()
                    .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_' || *c == b'$'))
                    .unwrap_or(s.len() - i);
                let word = s[i..i + len].to_ascii_lowercase();
                words += 1;
                if words <= 4 && (word == b"function" || word == b"procedure") {
                    routine = true;
                }
                if routine && depth == 0 {
                    match word.as_slice() {
                        b"begin" => atomic += 1,
                        b"case" if atomic >= 1 => atomic += 1,
                        b"end" => atomic = (atomic - 1).max(0),
                        _ => {}
                    }
                }
                i += len;
                continue;
            }
            match s[i] {
                b';' if depth <= 0 && atomic == 0 => {
                    i += 1;
                    break;
                }
                b'(' => depth += 1,
                b')' => depth -= 1,
                b'\'' => {
                    let escapes = !std_strings || (i > 0 && matches!(s[i - 1], b'e' | b'E'));
                    i += 1;
                    while i < s.len() {
                        if escapes && s[i] == b'\\' {
                            i += 2;
                            continue;
                        }
                        if s[i] == b'\'' {
                            if s.get(i + 1) == Some(&b'\'') {
                                i += 2;
                                continue;
                            }
                            break;
                        }
                        i += 1;
                    }
                }
                b'"' => {
                    i += 1;
                    while i < s.len() && s[i] != b'"' {
                        i += 1;
                    }
                }
                b'$' => {
                    let tag_end = s[i + 1..]
                        .iter()
                        .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))
                        .map(|k| i + 1 + k);
                    if let Some(te) = tag_end.filter(|&te| {
                        s[te] == b'$' && !s[i + 1..te].first().is_some_and(u8::is_ascii_digit)
                    }) {
                        let tag = &s[i..=te];
                        match memchr::memmem::find(&s[te + 1..], tag) {
                            Some(k) => i = te + 1 + k + tag.len() - 1,
                            None => i = s.len(),
                        }
                    }
                }
                b'-' if s.get(i + 1) == Some(&b'-') => {
                    let end = memchr::memchr(b'\n', &s[i..]).map_or(s.len(), |k| i + k);
                    comments.push((i, end));
                    i = end;
                }
                _ => {}
            }
            i += 1;
        }
        let stmt = &s[start..i.min(s.len())];
        for &(a, b) in &comments {
            note(&s[a..b], &mut counts);
        }
        let text = String::from_utf8_lossy(stmt).to_ascii_lowercase();
        let first = text
            .trim_start_matches(|c: char| c == '(' || c.is_whitespace())
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .next()
            .unwrap_or("");
        // Statements that put no rows into tables: their text (DDL, code,
        // literals of a query) is not table data. Text that is no SQL
        // command at all (data rows out of place) is not excused.
        let writes_nothing = [
            "create",
            "alter",
            "comment",
            "grant",
            "revoke",
            "drop",
            "security",
            "select",
            "values",
            "table",
            "set",
            "show",
            "begin",
            "commit",
            "end",
            "rollback",
            "abort",
            "start",
            "savepoint",
            "release",
            "lock",
            "vacuum",
            "analyze",
            "analyse",
            "refresh",
            "reindex",
            "cluster",
            "truncate",
            "discard",
            "reset",
            "checkpoint",
            "listen",
            "notify",
            "unlisten",
            "load",
            "declare",
            "fetch",
            "move",
            "close",
            "deallocate",
            "reassign",
            "import",
        ]
        .contains(&first);
        let into = text
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .any(|w| w == "into");
        if writes_nothing && !(first == "select" && into) {
            note(stmt, &mut counts);
        }
        if first == "set" && text.contains("standard_conforming_strings") {
            std_strings = !text.contains("off");
        }
        let tail: Vec<&str> = text.split_whitespace().rev().take(2).collect();
        if first != "copy" || tail != ["stdin;", "from"] {
            continue;
        }
        // COPY data: the rest of the line, then lines up to `\.`.
        let head = String::from_utf8_lossy(stmt).into_owned();
        let head = head.trim_start()[4..].trim();
        let cut = head
            .to_ascii_lowercase()
            .rfind("from")
            .unwrap_or(head.len());
        let head = head[..cut].trim();
        let (name, cols) = match head.find('(') {
            Some(p) => (head[..p].trim(), &head[p..]),
            None => (head, ""),
        };
        let table = dump::parse_qualified_name(name).ok();
        let columns = dump::parse_column_list(cols).unwrap_or_default();
        let rules = table.and_then(|t| src.rules_of(&t));
        i = i.min(s.len());
        i = memchr::memchr(b'\n', &s[i..]).map_or(s.len(), |k| i + k + 1);
        while i < s.len() {
            let end = memchr::memchr(b'\n', &s[i..]).map_or(s.len(), |k| i + k);
            let line = &s[i..end];
            i = (end + 1).min(s.len());
            if line == b"\\." || line == b"\\.\r" {
                break;
            }
            let fields: Vec<&[u8]> = line.split(|&c| c == b'\t').collect();
            let whole =
                rules.as_ref().is_none_or(|r| !r.masks_anything()) || fields.len() != columns.len();
            for (k, f) in fields.iter().enumerate() {
                if whole || columns.get(k).is_none_or(|c| !masked(rules.as_ref(), c)) {
                    // A kept value is also copied into the templates that read it.
                    let copies = 1 + columns
                        .get(k)
                        .map_or(0, |c| template_reads(rules.as_ref(), c));
                    for _ in 0..copies {
                        note(f, &mut counts);
                    }
                }
            }
        }
    }
    counts
}

/// Checks one mutant; returns a description of what went wrong.
fn check(src: &mut Source, dump: &[u8]) -> Result<(), String> {
    let rules = src.rules.clone();
    let result = std::panic::catch_unwind(|| run(&rules, dump));
    let Ok((out, result)) = result else {
        return Err("the masker panicked".into());
    };
    let out = String::from_utf8_lossy(&out);
    let excused = excused(src, dump);
    let leaked: Vec<&String> = src
        .originals
        .iter()
        .filter(|o| out.matches(o.as_str()).count() > excused.get(*o).copied().unwrap_or(0))
        .collect();
    let message = result.as_ref().err().map(ToString::to_string);
    if let Some(m) = &message {
        if let Some(o) = src.originals.iter().find(|o| m.contains(o.as_str())) {
            return Err(format!("the error message holds original {o:?}: {m}"));
        }
    }
    if !leaked.is_empty() {
        return Err(format!(
            "{} with originals in the output: {leaked:?}",
            match &message {
                None => "success".to_owned(),
                Some(m) => format!("error ({m})"),
            }
        ));
    }
    Ok(())
}

/// Saves a failing mutant where it can be looked at, and says where.
fn save(src: &Source, seed: u64, dump: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!("mask-fuzz-{}-{seed}.sql", src.name));
    let mut text = format!("-- fuzz-source: {}\n", src.name).into_bytes();
    text.extend_from_slice(dump);
    let _ = std::fs::write(&path, text);
    path.display().to_string()
}

fn cases() -> u32 {
    std::env::var("MASK_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_dumps_never_leak(source in 0usize..7, seed in any::<u64>()) {
        thread_local! {
            static SOURCES: std::cell::RefCell<Vec<Source>> = std::cell::RefCell::new(sources());
        }
        SOURCES.with(|s| {
            let mut all = s.borrow_mut();
            let src = &mut all[source];
            let dump = mutate(src, seed);
            if let Err(why) = check(src, &dump) {
                let path = save(src, seed, &dump);
                panic!("{}, seed {seed}: {why} (mutant saved as {path})", src.name);
            }
        });
    }
}

/// The corpus: mutants worth keeping, each starting with a line naming
/// its source.
#[test]
fn corpus_cases_never_leak() {
    let dir = format!("{}/../dump/fuzz/corpus", env!("CARGO_MANIFEST_DIR"));
    let mut all = sources();
    let mut count = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let text = std::fs::read(&path).unwrap();
        let first = text.split(|&b| b == b'\n').next().unwrap();
        let name = String::from_utf8_lossy(first)
            .strip_prefix("-- fuzz-source: ")
            .unwrap_or_else(|| panic!("{}: no source line", path.display()))
            .to_owned();
        let src = all
            .iter_mut()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("{}: unknown source {name}", path.display()));
        if let Err(why) = check(src, &text) {
            panic!("{}: {why}", path.display());
        }
        count += 1;
    }
    assert!(count > 0, "the corpus is empty");
}

#[test]
fn unmutated_sources_pass_and_have_originals() {
    for mut src in sources() {
        let dump = src.dump.clone();
        check(&mut src, &dump).unwrap();
        assert!(!src.targets.is_empty(), "{}", src.name);
    }
}
