//! Tests of the reader as a whole: lexing cases, byte-identical pass-through,
//! error cases, real pg_dump output, and generated dumps.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};

use proptest::prelude::*;

use super::*;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Ev {
    Sql(Vec<u8>),
    CopyStart(Vec<u8>, QualifiedName, Vec<String>),
    Row(Vec<u8>),
    End(Vec<u8>),
    Insert(Vec<u8>, QualifiedName, Option<Vec<String>>, bool),
    Statement(Vec<u8>, Statement),
}

impl Ev {
    fn bytes(&self) -> &[u8] {
        match self {
            Ev::Sql(b) | Ev::Row(b) | Ev::End(b) => b,
            Ev::CopyStart(b, ..) | Ev::Insert(b, ..) | Ev::Statement(b, _) => b,
        }
    }
}

fn read_all<R: BufRead>(input: R) -> Result<Vec<Ev>, DumpError> {
    let mut reader = DumpReader::new(input);
    let mut out = Vec::new();
    while let Some(ev) = reader.next_event()? {
        out.push(match ev {
            Event::Sql(b) => Ev::Sql(b.to_vec()),
            Event::CopyStart {
                raw,
                table,
                columns,
            } => Ev::CopyStart(raw.to_vec(), table.clone(), columns.to_vec()),
            Event::CopyRow(b) => Ev::Row(b.to_vec()),
            Event::CopyEnd(b) => Ev::End(b.to_vec()),
            Event::Insert {
                raw,
                table,
                columns,
                standard_conforming_strings,
            } => Ev::Insert(
                raw.to_vec(),
                table.clone(),
                columns.map(<[String]>::to_vec),
                standard_conforming_strings,
            ),
            Event::Statement { raw, statement } => Ev::Statement(raw.to_vec(), statement.clone()),
        });
    }
    // Stays at the end.
    assert!(reader.next_event()?.is_none());
    Ok(out)
}

fn concat(events: &[Ev]) -> Vec<u8> {
    events
        .iter()
        .flat_map(|e| e.bytes().iter().copied())
        .collect()
}

/// Reads `input` with several buffer sizes (so chunk boundaries fall
/// everywhere), checks they all agree and reproduce the input, and returns
/// the events.
fn read_checked(input: &[u8]) -> Vec<Ev> {
    let whole = read_all(input).expect("dump should parse");
    assert_eq!(concat(&whole), input, "pass-through must be byte-identical");
    for cap in [1, 2, 3, 5, 16, 64, 4096] {
        let events = read_all(BufReader::with_capacity(cap, input)).expect("dump should parse");
        assert_eq!(events, whole, "buffer capacity {cap}");
    }
    whole
}

fn read_err(input: &[u8]) -> DumpError {
    let err = match read_all(input) {
        Ok(events) => panic!("expected an error, got {events:?}"),
        Err(e) => e,
    };
    for cap in [1, 3, 64] {
        let other = read_all(BufReader::with_capacity(cap, input)).expect_err("expected an error");
        assert_eq!(other.to_string(), err.to_string(), "capacity {cap}");
    }
    err
}

fn kinds(events: &[Ev]) -> String {
    events
        .iter()
        .map(|e| match e {
            Ev::Sql(_) => "S",
            Ev::CopyStart(..) => "C",
            Ev::Row(_) => "r",
            Ev::End(_) => "E",
            Ev::Insert(..) => "I",
            Ev::Statement(..) => "W",
        })
        .collect()
}

fn qn(schema: &str, name: &str) -> QualifiedName {
    QualifiedName::new(Some(schema), name)
}

#[test]
fn copy_block_events() {
    let input = b"SET x = 1;\n\nCOPY public.users (id, email, \"Name\") FROM stdin;\n1\ta@x\tAnn\n2\t\\N\t\n\\.\n\nSELECT 1;\n";
    let ev = read_checked(input);
    assert_eq!(kinds(&ev), "SSCrrESS");
    assert_eq!(
        ev[2],
        Ev::CopyStart(
            b"COPY public.users (id, email, \"Name\") FROM stdin;\n".to_vec(),
            qn("public", "users"),
            vec!["id".into(), "email".into(), "Name".into()]
        )
    );
    assert_eq!(ev[3], Ev::Row(b"1\ta@x\tAnn\n".to_vec()));
    assert_eq!(ev[5], Ev::End(b"\\.\n".to_vec()));
    assert_eq!(ev[0], Ev::Sql(b"SET x = 1;".to_vec()));
    assert_eq!(ev[1], Ev::Sql(b"\n\n".to_vec()));
}

#[test]
fn function_bodies_hide_copy_and_end_markers() {
    let input = b"CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $$\nBEGIN\n  -- COPY public.users (id) FROM stdin;\n  RETURN 'COPY x FROM stdin;\n1\t2\n\\.\n';\nEND;\n$$;\nCREATE FUNCTION g() RETURNS int AS $body$\nCOPY y FROM stdin;\n\\.\nSELECT $$;$$;\n$body$;\nCOPY t (a) FROM stdin;\n5\n\\.\n";
    let ev = read_checked(input);
    assert_eq!(kinds(&ev), "SSSCrE");
    assert_eq!(ev[3].bytes(), b"COPY t (a) FROM stdin;\n");
}

#[test]
fn quoted_identifiers_resolve() {
    let input = "COPY \"My Schema\".\"Order \"\"Items\"\"\" (\"Name\", \"a.b\", Id, \"sp ace\", émoji) FROM stdin;\n\\.\nCOPY Public.USERS FROM stdin;\n\\.\n";
    let ev = read_checked(input.as_bytes());
    assert_eq!(kinds(&ev), "CECE");
    let Ev::CopyStart(_, table, cols) = &ev[0] else {
        panic!("not a COPY start")
    };
    assert_eq!(table, &qn("My Schema", "Order \"Items\""));
    assert_eq!(cols, &["Name", "a.b", "id", "sp ace", "émoji"]);
    assert_eq!(table.to_string(), "\"My Schema\".\"Order \"\"Items\"\"\"");
    let Ev::CopyStart(_, table, cols) = &ev[2] else {
        panic!("not a COPY start")
    };
    assert_eq!(table, &qn("public", "users"));
    assert!(cols.is_empty());
}

#[test]
fn comments_between_and_inside_statements() {
    let input = b"/* outer /* inner; */ COPY a FROM stdin; */\n-- COPY b FROM stdin;\nSELECT /* x; /* y; */ ; */ 1 -- ;\n;\nCOPY c FROM stdin; -- trailing comment\n\\.\n";
    let ev = read_checked(input);
    assert_eq!(kinds(&ev), "SSCE");
    // Comments before a plain statement travel with it.
    assert!(ev[0]
        .bytes()
        .ends_with(b"\nSELECT /* x; /* y; */ ; */ 1 -- ;\n;"));
    assert_eq!(ev[2].bytes(), b"COPY c FROM stdin; -- trailing comment\n");
}

#[test]
fn meta_commands_and_completion_trailer() {
    let input = b"--\n-- PostgreSQL database dump\n--\n\n\\restrict abcDEF123\n\nSET client_encoding = 'UTF8';\n\\connect -reuse-previous=on \"dbname='x y'\"\nCOPY t (a) FROM stdin;\n1\n\\.\n\n--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict abcDEF123\n\n";
    let ev = read_checked(input);
    assert_eq!(kinds(&ev), "SSCrES");
    let counts = count_rows(&input[..], std::io::sink()).unwrap();
    assert!(counts.complete);
    assert_eq!(counts.tables.get(&QualifiedName::new(None, "t")), Some(&1));
    assert_eq!(counts.bytes, input.len() as u64);

    // Without a final newline, and in the older order.
    let old = b"SELECT 1;\n\\unrestrict k\n--\n-- PostgreSQL database dump complete\n--";
    assert!(count_rows(&old[..], std::io::sink()).unwrap().complete);

    // Something after the trailer means it was not the end.
    for tail in [
        &b"SELECT 1;\n"[..],
        b"\\connect other\n",
        b"COPY t FROM stdin;\n\\.\n",
    ] {
        let mut text = b"-- PostgreSQL database dump complete\n".to_vec();
        text.extend_from_slice(tail);
        assert!(!count_rows(&text[..], std::io::sink()).unwrap().complete);
    }
    assert!(
        !count_rows(&b"SELECT 1;\n"[..], std::io::sink())
            .unwrap()
            .complete
    );
}

#[test]
fn escape_strings_in_statements() {
    let input =
        b"COMMENT ON TABLE t IS E'it\\'s; \\\\';\nSELECT 'plain \\';\nCOPY t FROM stdin;\n\\.\n";
    let ev = read_checked(input);
    assert_eq!(kinds(&ev), "SSSCE");
    assert_eq!(ev[0].bytes(), br"COMMENT ON TABLE t IS E'it\'s; \\';");
    assert_eq!(ev[1].bytes(), b"\nSELECT 'plain \\';");
}

#[test]
fn standard_conforming_strings_off_is_tracked() {
    let input = b"SET standard_conforming_strings = off;\nSELECT 'a\\';'; \nINSERT INTO t VALUES ('x\\\\y');\nSET standard_conforming_strings = on;\nINSERT INTO t VALUES ('x\\');\n";
    let ev = read_checked(input);
    assert_eq!(kinds(&ev), "SSSISSIS");
    let Ev::Insert(raw, _, _, std) = &ev[3] else {
        panic!("not an insert")
    };
    assert!(!std);
    let parsed = parse_insert_values_with(raw, *std).unwrap();
    assert_eq!(
        parsed.rows[0][0].value,
        SqlValue::String(Cow::Borrowed(b"x\\y"))
    );
    let Ev::Insert(raw, _, _, std) = &ev[6] else {
        panic!("not an insert")
    };
    assert!(std);
    let parsed = parse_insert_values_with(raw, *std).unwrap();
    assert_eq!(
        parsed.rows[0][0].value,
        SqlValue::String(Cow::Borrowed(b"x\\"))
    );
}

#[test]
fn multi_row_inserts() {
    let input = "INSERT INTO public.users (id, email) VALUES\n\t(1, 'a,b), (c'),\n\t(2, ''),\n\t(3, NULL),\n\t(4, 'Émilie 😀');\nINSERT INTO \"Q\".\"T t\" VALUES (1);\n";
    let ev = read_checked(input.as_bytes());
    assert_eq!(kinds(&ev), "ISIS");
    let Ev::Insert(raw, table, cols, _) = &ev[0] else {
        panic!("not an insert")
    };
    assert_eq!(table, &qn("public", "users"));
    assert_eq!(
        cols.as_deref(),
        Some(&["id".to_string(), "email".to_string()][..])
    );
    assert!(raw.ends_with(b"');"));
    let p = parse_insert_values(raw).unwrap();
    let emails: Vec<_> = p.rows.iter().map(|r| r[1].value.clone()).collect();
    assert_eq!(
        emails,
        vec![
            SqlValue::String(Cow::Borrowed(b"a,b), (c")),
            SqlValue::String(Cow::Borrowed(b"")),
            SqlValue::Null,
            SqlValue::String(Cow::Borrowed("Émilie 😀".as_bytes())),
        ]
    );
    let counts = count_rows(input.as_bytes(), std::io::sink()).unwrap();
    assert_eq!(counts.tables.get(&qn("public", "users")), Some(&4));
    assert_eq!(counts.tables.get(&qn("Q", "T t")), Some(&1));
    assert_eq!(counts.total(), 5);
}

#[test]
fn copy_fields_round_trip_through_the_reader() {
    // Empty string vs NULL, `\\N`, tabs, newlines, backslashes, multibyte.
    let values: Vec<Option<&[u8]>> = vec![
        Some(b""),
        None,
        Some(b"\\N"),
        Some(b"tab\there"),
        Some(b"new\nline\r\n"),
        Some(b"back\\slash\\"),
        Some("Émilie 😀 日本".as_bytes()),
        Some(b"\\."),
        Some(b"\x00\x08\x0b\x0c\xff"),
    ];
    let mut input = b"COPY t (a, b, c, d, e, f, g, h, i) FROM stdin;\n".to_vec();
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            input.push(b'\t');
        }
        encode_copy_field(*v, &mut input);
    }
    input.extend_from_slice(b"\n\\.\n");
    let ev = read_checked(&input);
    assert_eq!(kinds(&ev), "CrE");
    let Ev::Row(row) = &ev[1] else {
        panic!("not a row")
    };
    let fields: Vec<Option<Vec<u8>>> = split_copy_fields(row)
        .map(|f| decode_copy_field(f).unwrap().map(Cow::into_owned))
        .collect();
    let want: Vec<Option<Vec<u8>>> = values.iter().map(|v| v.map(<[u8]>::to_vec)).collect();
    assert_eq!(fields, want);
    assert_eq!(split_copy_fields(row).nth(2), Some(&b"\\\\N"[..]));
}

#[test]
fn crlf_input_does_not_break() {
    let input = b"SET a = 1;\r\nCOPY t (a) FROM stdin;\r\n1\r\n2\r\n\\.\r\nSELECT 1;\r\n";
    let ev = read_checked(input);
    assert_eq!(kinds(&ev), "SSCrrESS");
    let Ev::Row(row) = &ev[3] else {
        panic!("not a row")
    };
    assert_eq!(split_line_terminator(row), (&b"1"[..], &b"\r\n"[..]));
    assert_eq!(split_copy_fields(row).collect::<Vec<_>>(), vec![&b"1"[..]]);
}

#[test]
fn end_marker_without_final_newline() {
    let ev = read_checked(b"COPY t (a) FROM stdin;\n1\n\\.");
    assert_eq!(kinds(&ev), "CrE");
}

#[test]
fn rows_longer_than_the_buffer() {
    let big = vec![b'x'; 3 << 20];
    let mut input = b"COPY t (a, b) FROM stdin;\n1\t".to_vec();
    input.extend_from_slice(&big);
    input.extend_from_slice(b"\n2\tsmall\n\\.\n");
    let mut insert = b"INSERT INTO t VALUES (1, '".to_vec();
    insert.extend_from_slice(&big);
    insert.extend_from_slice(b"');\n");
    input.extend_from_slice(&insert);
    for events in [
        read_all(&input[..]).unwrap(),
        read_all(BufReader::with_capacity(8192, &input[..])).unwrap(),
    ] {
        assert_eq!(kinds(&events), "CrrEIS");
        assert_eq!(events[1].bytes().len(), big.len() + 3);
        assert_eq!(events[2].bytes(), b"2\tsmall\n");
        assert_eq!(concat(&events), input);
    }
    let counts = count_rows(BufReader::with_capacity(8192, &input[..]), std::io::sink()).unwrap();
    assert_eq!(counts.tables.get(&QualifiedName::new(None, "t")), Some(&3));
}

#[test]
fn huge_statements_are_streamed_in_pieces() {
    let mut input = b"CREATE FUNCTION f() RETURNS text AS $$".to_vec();
    input.extend(std::iter::repeat_n(b'y', 3 << 20));
    input.extend_from_slice(b"$$;\nCOPY t FROM stdin;\n\\.\n");
    let events = read_all(BufReader::with_capacity(64 * 1024, &input[..])).unwrap();
    assert_eq!(concat(&events), input);
    assert!(events.iter().filter(|e| matches!(e, Ev::Sql(_))).count() > 1);
    assert!(events.iter().all(|e| e.bytes().len() < 2 << 20));
    assert!(kinds(&events).ends_with("CE"));
}

#[test]
fn truncated_dumps_are_errors() {
    let cases: [(&[u8], &str); 8] = [
        (
            b"COPY public.users (id) FROM stdin;\n1\n2\n",
            "COPY data for table public.users started at line 1",
        ),
        (
            b"COPY public.users (id) FROM stdin;\n1\n2",
            "COPY data for table public.users",
        ),
        (b"COPY t FROM stdin;", "COPY data for table t"),
        (
            b"SELECT 'abc\n",
            "inside a quoted string that started at line 1",
        ),
        (
            b"\n\nCREATE FUNCTION f() AS $x$ body",
            "inside a dollar-quoted string that started at line 3",
        ),
        (b"/* comment", "inside a block comment"),
        (
            b"SELECT 1;\nSELECT 2",
            "in the middle of a statement (no terminating semicolon) that started at line 2",
        ),
        (b"SELECT \"ident", "inside a quoted identifier"),
    ];
    for (input, want) in cases {
        let err = read_err(input);
        assert!(matches!(err, DumpError::Truncated { .. }), "{err}");
        assert!(err.to_string().contains(want), "{err} / {want}");
    }
    let err = read_err(b"SELECT 1;\nCOPY t FROM stdin;\n1\n");
    assert_eq!(
        err.to_string(),
        "line 4: dump is truncated: input ended inside the COPY data for table t started at line 2 (before \\.)"
    );
}

#[test]
fn invalid_data_and_unsupported_constructs_are_errors() {
    let secret = "SECRET-PERSONAL-DATA";
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            format!("COPY public.users (a) FROM stdin;\n{secret}\\\n\\.\n").into_bytes(),
            "line 2: invalid COPY data for table public.users: row ends with a lone backslash",
        ),
        (
            format!("COPY t (a) FROM stdin;\n\\.{secret}\n\\.\n").into_bytes(),
            "row starts with \\.",
        ),
        (
            format!("COPY t (a) FROM stdin WITH (FORMAT csv);\n{secret}\n\\.\n").into_bytes(),
            "with options is not supported",
        ),
        (
            format!("COPY t (a) FROM stdin; SELECT '{secret}';\n\\.\n").into_bytes(),
            "unexpected text after the COPY statement",
        ),
        (
            format!("\\copy t from stdin\n{secret}\n\\.\n").into_bytes(),
            "\\copy is not supported",
        ),
        (
            format!("SELECT 1;\n\\.\n{secret}\n").into_bytes(),
            "line 2: end-of-data marker",
        ),
        (
            format!("SELECT '{secret}' \\g\n").into_bytes(),
            "backslash outside quotes",
        ),
        (
            format!("INSERT INTO (SELECT '{secret}');\n").into_bytes(),
            "INSERT statement not understood",
        ),
    ];
    for (input, want) in cases {
        let err = read_err(&input);
        let text = err.to_string();
        assert!(text.contains(want), "{text} / {want}");
        assert!(!text.contains(secret), "error leaks data: {text}");
        assert!(
            !format!("{err:?}").contains(secret),
            "error leaks data: {err:?}"
        );
    }
    // The reader stays failed.
    let mut reader = DumpReader::new(&b"COPY t (a) FROM stdin;\nx\\\n\\.\n"[..]);
    assert!(reader.next_event().is_ok());
    assert!(reader.next_event().is_err());
    assert!(reader.next_event().is_err());
}

/// Passes a dump through, taking the first row of every COPY block as an
/// event and the rest with `copy_rows_to`; returns the output and the rows
/// per block.
fn pass_with_fast_lane<R: BufRead>(input: R) -> Result<(Vec<u8>, Vec<u64>), DumpError> {
    let mut reader = DumpReader::new(input);
    let mut out = Vec::new();
    let mut blocks = Vec::new();
    while let Some(ev) = reader.next_event()? {
        out.extend_from_slice(ev.bytes());
        match ev {
            Event::CopyStart { .. } => blocks.push(0),
            Event::CopyRow(_) => {
                let rest = reader.copy_rows_to(&mut out)?;
                if let Some(n) = blocks.last_mut() {
                    *n += 1 + rest;
                }
                // Nothing left: a second call is a no-op.
                assert_eq!(reader.copy_rows_to(&mut out)?, 0);
            }
            _ => assert_eq!(reader.copy_rows_to(&mut out)?, 0),
        }
    }
    Ok((out, blocks))
}

#[test]
fn copy_rows_to_passes_whole_blocks() {
    let input = b"COPY a (x) FROM stdin;\n1\n2\n3\n\\.\nCOPY b (y) FROM stdin;\n\\.\nSELECT 1;\nCOPY c (z) FROM stdin;\nlast\n\\.";
    for cap in [1, 2, 5, 64, 4096] {
        let (out, blocks) = pass_with_fast_lane(BufReader::with_capacity(cap, &input[..])).unwrap();
        assert_eq!(out, input);
        assert_eq!(blocks, [3, 0, 1]);

        let mut reader = DumpReader::new(BufReader::with_capacity(cap, &input[..]));
        let mut out = Vec::new();
        let mut kinds = String::new();
        while let Some(ev) = reader.next_event().unwrap() {
            out.extend_from_slice(ev.bytes());
            kinds.push(match ev {
                Event::CopyStart { .. } => 'C',
                Event::CopyEnd(_) => 'E',
                Event::CopyRow(_) => 'r',
                _ => 'S',
            });
            if kinds.ends_with('C') {
                let n = reader.copy_rows_to(&mut out).unwrap();
                kinds.push_str(&n.to_string());
            }
        }
        assert_eq!(out, input);
        assert_eq!(kinds, "C3EC0ESSC1E");
        assert_eq!(reader.position().0, input.len() as u64);
        assert_eq!(reader.position().1, 11);
    }
    let err = count_rows(
        &b"SELECT 1;\nCOPY t (a) FROM stdin;\n1\n2\nbad\\\n\\.\n"[..],
        std::io::sink(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 5: invalid COPY data for table t: row ends with a lone backslash (an escaped line break)"
    );
    for input in [
        &b"COPY t (a) FROM stdin;\n1\n2"[..],
        b"COPY t (a) FROM stdin;\n1\n",
    ] {
        for cap in [1, 3, 4096] {
            let err =
                count_rows(BufReader::with_capacity(cap, input), std::io::sink()).unwrap_err();
            assert!(matches!(err, DumpError::Truncated { .. }), "{err}");
        }
    }
}

#[test]
fn counting_insert_errors_carry_the_line() {
    let input = b"SELECT 1;\n\nINSERT INTO t SELECT 'SECRET';\n";
    let err = count_rows(&input[..], std::io::sink()).unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("line 3: invalid INSERT statement"),
        "{text}"
    );
    assert!(!text.contains("SECRET"));
}

#[test]
fn event_debug_output_hides_data() {
    let input = b"COPY t (a) FROM stdin;\nSECRET\n\\.\nINSERT INTO t VALUES ('SECRET');\n";
    let mut reader = DumpReader::new(&input[..]);
    while let Some(ev) = reader.next_event().unwrap() {
        assert!(!format!("{ev:?}").contains("SECRET"));
    }
}

#[test]
fn positions_advance_with_events() {
    let input = b"SELECT 1;\nCOPY t (a) FROM stdin;\n1\n\\.\n";
    let mut reader = DumpReader::new(&input[..]);
    assert_eq!(reader.position(), (0, 1));
    let mut seen = Vec::new();
    while let Some(ev) = reader.next_event().unwrap() {
        let len = ev.bytes().len();
        seen.push((len, reader.position()));
    }
    assert_eq!(seen.last().map(|s| s.1), Some((input.len() as u64, 5)));
    assert_eq!(seen[0], (9, (9, 1)));
}

// --- Real pg_dump output (PostgreSQL 15, with \restrict from the security
// update): the same tricky database dumped with COPY, --inserts,
// --column-inserts --rows-per-insert 3 --on-conflict-do-nothing, and with
// standard_conforming_strings off.

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every table's rows as text values, in dump order, whichever way the dump
/// wrote them. Booleans and bit strings are normalised to COPY's spelling.
fn table_values(input: &[u8]) -> BTreeMap<QualifiedName, Vec<Vec<Option<Vec<u8>>>>> {
    let mut out: BTreeMap<QualifiedName, Vec<Vec<Option<Vec<u8>>>>> = BTreeMap::new();
    let mut current = None;
    for ev in read_checked(input) {
        match ev {
            Ev::CopyStart(_, table, cols) => {
                out.entry(table.clone()).or_default();
                current = Some((table, cols.len()));
            }
            Ev::Row(row) => {
                let (table, width) = current.clone().unwrap();
                let fields: Vec<Option<Vec<u8>>> = if width == 0 {
                    Vec::new()
                } else {
                    split_copy_fields(&row)
                        .map(|f| decode_copy_field(f).unwrap().map(Cow::into_owned))
                        .collect()
                };
                assert_eq!(fields.len(), width);
                out.get_mut(&table).unwrap().push(fields);
            }
            Ev::Insert(raw, table, _, std) => {
                let p = parse_insert_values_with(&raw, std).unwrap();
                for row in p.rows {
                    let vals = row
                        .into_iter()
                        .map(|v| match v.value {
                            SqlValue::Null => None,
                            SqlValue::Number(n) => Some(n.as_bytes().to_vec()),
                            SqlValue::Bool(b) => {
                                Some(if b { b"t".to_vec() } else { b"f".to_vec() })
                            }
                            SqlValue::String(s) => Some(s.into_owned()),
                            SqlValue::Other(o) => {
                                let bits = o.strip_prefix(b"B'").and_then(|o| o.strip_suffix(b"'"));
                                Some(bits.unwrap_or_else(|| panic!("unexpected {o:?}")).to_vec())
                            }
                        })
                        .collect();
                    out.entry(table.clone()).or_default().push(vals);
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn real_dumps_parse_and_agree() {
    let copy = fixture("pg15_copy.sql");
    let from_copy = table_values(&copy);
    let counts = count_rows(&copy[..], std::io::sink()).unwrap();
    assert!(counts.complete);
    let want: BTreeMap<QualifiedName, u64> = [
        (qn("My Schema", "Order Items"), 3),
        (qn("public", "empty_cols"), 2),
        (qn("public", "log"), 7),
        (qn("public", "nothing_here"), 0),
        (qn("public", "user"), 1),
        (qn("public", "users"), 4),
    ]
    .into_iter()
    .collect();
    assert_eq!(counts.tables, want);
    let users = &from_copy[&qn("public", "users")];
    assert_eq!(users[1][1], Some(Vec::new()), "empty string");
    assert_eq!(users[1][3], None, "NULL");
    assert_eq!(users[2][1], Some(b"\\N".to_vec()), "the text \\N");
    assert_eq!(users[2][2].as_deref(), Some("Émilie 😀".as_bytes()));
    assert_eq!(
        users[0][3].as_deref(),
        Some(&b"tab\there\nnewline and back\\slash"[..])
    );
    let log = &from_copy[&qn("public", "log")];
    assert_eq!(log[6][1].as_deref(), Some(&b"line1\n\\.\nline3"[..]));

    for name in ["pg15_inserts.sql", "pg15_column_inserts.sql"] {
        let text = fixture(name);
        let counts = count_rows(&text[..], std::io::sink()).unwrap();
        assert!(counts.complete, "{name}");
        // Empty tables have no INSERT statements at all.
        let mut want = want.clone();
        want.remove(&qn("public", "nothing_here"));
        assert_eq!(counts.tables, want, "{name}");
        let mut from_inserts = table_values(&text);
        from_inserts
            .entry(qn("public", "nothing_here"))
            .or_default();
        // empty_cols rows are DEFAULT VALUES: no values, as in COPY.
        assert_eq!(from_inserts, from_copy, "{name}");
    }

    let nonstd = fixture("pg15_inserts_nonstd.sql");
    let values = table_values(&nonstd);
    assert_eq!(
        values[&qn("public", "log")],
        from_copy[&qn("public", "log")]
    );
    assert_eq!(
        values[&qn("public", "users")],
        from_copy[&qn("public", "users")]
    );
}

/// What a masker does with this module: rewrite one column of one table
/// in both data formats, everything else byte-identical.
fn mask_emails(input: &[u8]) -> Vec<u8> {
    let target = qn("public", "users");
    let mut reader = DumpReader::new(input);
    let mut out = Vec::new();
    let mut email_col: Option<usize> = None;
    while let Some(ev) = reader.next_event().unwrap() {
        match ev {
            Event::CopyStart {
                raw,
                table,
                columns,
            } => {
                email_col = (*table == target)
                    .then(|| columns.iter().position(|c| c == "email"))
                    .flatten();
                out.extend_from_slice(raw);
            }
            Event::CopyRow(row) if email_col.is_some() => {
                let (content, eol) = split_line_terminator(row);
                for (i, f) in split_copy_fields(content).enumerate() {
                    if i > 0 {
                        out.push(b'\t');
                    }
                    if Some(i) == email_col && decode_copy_field(f).unwrap().is_some() {
                        encode_copy_field(Some(b"masked@example.com"), &mut out);
                    } else {
                        out.extend_from_slice(f);
                    }
                }
                out.extend_from_slice(eol);
            }
            Event::CopyEnd(raw) => {
                email_col = None;
                out.extend_from_slice(raw);
            }
            Event::Insert {
                raw,
                table,
                columns,
                standard_conforming_strings,
            } if *table == target => {
                // Without a column list, email is the table's second column.
                let col = columns.map_or(Some(1), |c| c.iter().position(|c| c == "email"));
                let p = parse_insert_values_with(raw, standard_conforming_strings).unwrap();
                p.write_with(&mut out, |_, c, v| {
                    (Some(c) == col && *v != SqlValue::Null)
                        .then(|| NewValue::Text("masked@example.com".into()))
                });
            }
            other => out.extend_from_slice(other.bytes()),
        }
    }
    out
}

#[test]
fn masking_changes_only_the_target_column() {
    for name in [
        "pg15_copy.sql",
        "pg15_inserts.sql",
        "pg15_column_inserts.sql",
        "pg15_inserts_nonstd.sql",
    ] {
        let input = fixture(name);
        let masked = mask_emails(&input);
        let before = table_values(&input);
        let after = table_values(&masked);
        for (table, rows) in &before {
            if *table != qn("public", "users") {
                assert_eq!(&after[table], rows, "{name} {table}");
                continue;
            }
            for (a, b) in rows.iter().zip(&after[table]) {
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    if i == 1 {
                        assert_eq!(y.as_deref(), Some(&b"masked@example.com"[..]), "{name}");
                    } else {
                        assert_eq!(x, y, "{name}");
                    }
                }
            }
        }
        // Only the lines holding users rows changed.
        let changed = input
            .split(|&b| b == b'\n')
            .zip(masked.split(|&b| b == b'\n'))
            .filter(|(a, b)| a != b)
            .count();
        assert!(
            (1..=4).contains(&changed),
            "{name}: {changed} lines changed"
        );
    }
}

// --- Generated dumps.

#[derive(Debug, Clone)]
enum Item {
    Comment(String),
    Block(String),
    Set(bool),
    Meta(String),
    /// A statement with an escape string literal.
    EComment(String),
    Function {
        tag: &'static str,
        body: Vec<&'static str>,
    },
    Copy {
        table: QualifiedName,
        columns: Vec<String>,
        rows: Vec<Vec<Option<Vec<u8>>>>,
    },
    Insert {
        table: QualifiedName,
        columns: bool,
        rows: Vec<Vec<Option<String>>>,
    },
}

fn ident() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z_][a-z0-9_]{0,6}",
        "[A-Za-z ._\"é;$-]{1,8}",
        Just("user".to_string()),
        Just("select".to_string()),
    ]
}

fn table() -> impl Strategy<Value = QualifiedName> {
    (proptest::option::of(ident()), ident()).prop_map(|(s, n)| QualifiedName { schema: s, name: n })
}

const NASTY_LINES: &[&str] = &[
    "COPY x FROM stdin;",
    "COPY public.users (id) FROM stdin;",
    "\\.",
    "'",
    "\"",
    "/*",
    "*/",
    "--",
    ";",
    "$",
    "E'\\'",
    "BEGIN",
    "END;",
    "$a$",
    "INSERT INTO t VALUES (1);",
    "\\connect x",
    "\t1\t\\N",
];

fn item() -> impl Strategy<Value = Item> {
    let field = proptest::option::of(proptest::collection::vec(any::<u8>(), 0..12));
    let text = proptest::option::of("[^\u{0}]{0,10}");
    prop_oneof![
        "[^\n]{0,20}".prop_map(Item::Comment),
        "[a-z ;'\"$\n]{0,20}".prop_map(Item::Block),
        any::<bool>().prop_map(Item::Set),
        "[^\u{0}]{0,12}".prop_map(Item::EComment),
        prop_oneof![
            Just("\\connect db".to_string()),
            "[a-zA-Z0-9]{1,20}".prop_map(|k| format!("\\restrict {k}"))
        ]
        .prop_map(Item::Meta),
        (
            prop_oneof![Just("body"), Just("_"), Just("x1"), Just("")],
            proptest::collection::vec(proptest::sample::select(NASTY_LINES), 0..8)
        )
            .prop_map(|(tag, body)| Item::Function { tag, body }),
        (1usize..4)
            .prop_flat_map(move |w| (
                table(),
                proptest::collection::vec(ident(), w),
                proptest::collection::vec(proptest::collection::vec(field.clone(), w), 0..6)
            ))
            .prop_map(|(table, columns, rows)| Item::Copy {
                table,
                columns,
                rows
            }),
        (1usize..4)
            .prop_flat_map(move |w| (
                table(),
                any::<bool>(),
                proptest::collection::vec(proptest::collection::vec(text.clone(), w), 1..5)
            ))
            .prop_map(|(table, columns, rows)| Item::Insert {
                table,
                columns,
                rows
            }),
    ]
}

fn render(items: &[Item], trailer: bool) -> Vec<u8> {
    let mut out = b"--\n-- PostgreSQL database dump\n--\n\n\\restrict KEY\n\n".to_vec();
    // Strings are quoted for the session's standard_conforming_strings, as
    // pg_dump does.
    let mut std_strings = true;
    for item in items {
        match item {
            Item::Comment(c) => out.extend_from_slice(format!("-- {c}\n").as_bytes()),
            Item::Block(c) => {
                let c = c.replace("*/", "").replace("/*", "");
                out.extend_from_slice(format!("/* {c} /* nested */ */\n").as_bytes());
            }
            Item::Set(on) => {
                std_strings = *on;
                out.extend_from_slice(
                    format!(
                        "SET standard_conforming_strings = {};\n",
                        if *on { "on" } else { "off" }
                    )
                    .as_bytes(),
                );
            }
            Item::EComment(text) => {
                let escaped = text.replace('\\', "\\\\").replace('\'', "\\'");
                out.extend_from_slice(format!("COMMENT ON TABLE t IS E'{escaped}';\n").as_bytes());
            }
            Item::Meta(m) => {
                if m.starts_with("\\connect") {
                    std_strings = true;
                }
                out.extend_from_slice(format!("{m}\n").as_bytes());
            }
            Item::Function { tag, body } => {
                let mut text = format!(
                    "CREATE FUNCTION f() RETURNS void\n    LANGUAGE plpgsql\n    AS ${tag}$\n"
                );
                for line in body {
                    if tag.is_empty() && line.contains('$') {
                        continue;
                    }
                    text.push_str(line);
                    text.push('\n');
                }
                text.push_str(&format!("${tag}$;\n\n"));
                out.extend_from_slice(text.as_bytes());
            }
            Item::Copy {
                table,
                columns,
                rows,
            } => {
                let cols: Vec<String> = columns.iter().map(|c| quote_identifier(c)).collect();
                out.extend_from_slice(
                    format!("COPY {table} ({}) FROM stdin;\n", cols.join(", ")).as_bytes(),
                );
                for row in rows {
                    for (i, v) in row.iter().enumerate() {
                        if i > 0 {
                            out.push(b'\t');
                        }
                        encode_copy_field(v.as_deref(), &mut out);
                    }
                    out.push(b'\n');
                }
                out.extend_from_slice(b"\\.\n\n\n");
            }
            Item::Insert {
                table,
                columns,
                rows,
            } => {
                out.extend_from_slice(format!("INSERT INTO {table} ").as_bytes());
                if *columns {
                    let names: Vec<String> = (0..rows[0].len()).map(|i| format!("c{i}")).collect();
                    out.extend_from_slice(format!("({}) ", names.join(", ")).as_bytes());
                }
                out.extend_from_slice(b"VALUES ");
                for (r, row) in rows.iter().enumerate() {
                    out.extend_from_slice(if r > 0 { b",\n\t(" } else { b"(" });
                    for (i, v) in row.iter().enumerate() {
                        if i > 0 {
                            out.extend_from_slice(b", ");
                        }
                        match v {
                            None => out.extend_from_slice(b"NULL"),
                            Some(s) if std_strings => quote_literal(s, &mut out),
                            Some(s) => super::insert::quote_literal_backslashes(s, &mut out),
                        }
                    }
                    out.push(b')');
                }
                out.extend_from_slice(b";\n");
            }
        }
    }
    if trailer {
        out.extend_from_slice(
            b"\n--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict KEY\n\n",
        );
    }
    out
}

/// Row counts the generated dump should produce.
fn expected_counts(items: &[Item]) -> BTreeMap<QualifiedName, u64> {
    let mut want = BTreeMap::new();
    for item in items {
        match item {
            Item::Copy { table, rows, .. } => {
                *want.entry(table.clone()).or_insert(0) += rows.len() as u64
            }
            Item::Insert { table, rows, .. } => {
                *want.entry(table.clone()).or_insert(0) += rows.len() as u64
            }
            _ => {}
        }
    }
    want
}

proptest! {
    #[test]
    fn generated_dumps_pass_through_and_count(items in proptest::collection::vec(item(), 0..12), cap in 1usize..80, trailer in any::<bool>()) {
        let input = render(&items, trailer);
        let events = read_all(BufReader::with_capacity(cap, &input[..])).unwrap();
        prop_assert_eq!(concat(&events), input.clone());
        prop_assert_eq!(read_all(&input[..]).unwrap(), events.clone());

        let counts = count_rows(BufReader::with_capacity(cap, &input[..]), std::io::sink()).unwrap();
        prop_assert_eq!(counts.complete, trailer);
        prop_assert_eq!(&counts.tables, &expected_counts(&items));

        let (fast, _) = pass_with_fast_lane(BufReader::with_capacity(cap, &input[..])).unwrap();
        prop_assert_eq!(fast, input.clone());

        // The data comes back as generated.
        let mut copies = items.iter().filter_map(|i| match i {
            Item::Copy { rows, .. } => Some(rows),
            _ => None,
        });
        let mut inserts = items.iter().filter_map(|i| match i {
            Item::Insert { rows, .. } => Some(rows),
            _ => None,
        });
        let mut copy_rows: Vec<Vec<Option<Vec<u8>>>> = Vec::new();
        for ev in &events {
            match ev {
                Ev::CopyStart(..) => copy_rows.clear(),
                Ev::Row(row) => copy_rows.push(
                    split_copy_fields(row)
                        .map(|f| decode_copy_field(f).unwrap().map(Cow::into_owned))
                        .collect(),
                ),
                Ev::End(_) => prop_assert_eq!(Some(&copy_rows), copies.next()),
                Ev::Statement(..) => {}
                Ev::Insert(raw, _, _, std) => {
                    let want = inserts.next().unwrap();
                    let p = parse_insert_values_with(raw, *std).unwrap();
                    prop_assert_eq!(p.row_count(), want.len());
                    for (got, want) in p.rows.iter().zip(want) {
                        let got: Vec<Option<Vec<u8>>> = got
                            .iter()
                            .map(|v| match &v.value {
                                SqlValue::Null => None,
                                SqlValue::String(s) => Some(s.to_vec()),
                                other => panic!("unexpected {other:?}"),
                            })
                            .collect();
                        let want: Vec<Option<Vec<u8>>> =
                            want.iter().map(|v| v.as_ref().map(|s| s.as_bytes().to_vec())).collect();
                        prop_assert_eq!(got, want);
                    }
                }
                Ev::Sql(_) => {}
            }
        }
        prop_assert!(copies.next().is_none());
    }

    #[test]
    fn truncated_dumps_fail_or_pass_through(items in proptest::collection::vec(item(), 1..8), cut in any::<proptest::sample::Index>()) {
        let input = render(&items, true);
        let cut = cut.index(input.len());
        let prefix = &input[..cut];
        if let Ok(events) = read_all(BufReader::with_capacity(7, prefix)) {
            prop_assert_eq!(concat(&events), prefix);
        }
        let _ = count_rows(prefix, std::io::sink());
    }

    #[test]
    fn arbitrary_bytes_never_panic(input in proptest::collection::vec(any::<u8>(), 0..300), cap in 1usize..40) {
        if let Ok(events) = read_all(BufReader::with_capacity(cap, &input[..])) {
            prop_assert_eq!(concat(&events), input.clone());
        }
        let _ = count_rows(&input[..], std::io::sink());
    }

    #[test]
    fn sql_like_bytes_never_panic(parts in proptest::collection::vec(proptest::sample::select(&[
        "COPY t FROM stdin;\n", "COPY \"a\".b (x) FROM stdin;\n", "\\.\n", "\\", "'", "\"", "$$", "$a$", "/*", "*/",
        "--", "\n", ";", "(", ")", "E'", "x\t\\N\n", "INSERT INTO t VALUES (", "1, '", "SET standard_conforming_strings = off;\n",
        "CREATE FUNCTION f() BEGIN ATOMIC ", "END", " ", "U&'", "\r\n",
    ][..]), 0..40), cap in 1usize..20) {
        let input: Vec<u8> = parts.concat().into_bytes();
        if let Ok(events) = read_all(BufReader::with_capacity(cap, &input[..])) {
            prop_assert_eq!(concat(&events), input.clone());
            for ev in events {
                if let Ev::Insert(raw, _, _, std) = ev {
                    let _ = parse_insert_values_with(&raw, std);
                }
            }
        }
        let _ = count_rows(&input[..], std::io::sink());
    }
}

/// Regression (issue 9 item 9): a COPY block whose `\.` was lost swallowed
/// the next table's rows.
#[test]
fn copy_data_running_past_a_missing_end_marker_is_an_error() {
    let secret = "SECRET-PERSONAL-DATA";
    let next = format!(
        "\n\n--\n-- Data for Name: users; Type: TABLE DATA; Schema: public; Owner: app\n--\n\n\
         COPY public.users (id, email) FROM stdin;\n1\t{secret}\n\\.\n"
    );
    let cases: Vec<(String, &str)> = vec![
        // Two columns: the blank line after the block has one field.
        (
            format!("COPY public.a (id, v) FROM stdin;\n1\tx\n{next}"),
            "line 3: invalid COPY data for table public.a: the row does not have one field per column",
        ),
        // One column: blank lines and comments are rows, the COPY line is not.
        (
            format!("COPY public.one (v) FROM stdin;\nx\n{next}"),
            "line 9: invalid COPY data for table public.one: a COPY statement inside the data",
        ),
        // No columns: only empty lines.
        (
            format!("COPY public.empty  FROM stdin;\n\n{next}"),
            "invalid COPY data for table public.empty: the row does not have one field",
        ),
        // Without a column list the first row sets the width.
        (
            "COPY t FROM stdin;\n1\t2\n3\n\\.\n".to_string(),
            "line 3: invalid COPY data for table t: the row does not have one field",
        ),
        (
            format!("COPY t (a, b) FROM stdin;\n1\t2\t{secret}\n\\.\n"),
            "line 2: invalid COPY data for table t: the row does not have one field",
        ),
    ];
    for (input, want) in cases {
        let err = read_err(input.as_bytes());
        let text = err.to_string();
        assert!(text.contains(want), "{text} / {want}");
        assert!(!text.contains(secret), "error leaks data: {text}");
        // The fast lane refuses the same row, having written only the rows before it.
        let mut out = Vec::new();
        let mut reader = DumpReader::new(BufReader::with_capacity(7, input.as_bytes()));
        let mut failed = false;
        loop {
            match reader.next_event() {
                Ok(Some(Event::CopyStart { raw, .. })) => {
                    out.extend_from_slice(raw);
                    if let Err(e) = reader.copy_rows_to(&mut out) {
                        assert_eq!(e.to_string(), text);
                        failed = true;
                        break;
                    }
                }
                Ok(Some(ev)) => out.extend_from_slice(ev.bytes()),
                Ok(None) => break,
                Err(e) => {
                    assert_eq!(e.to_string(), text);
                    failed = true;
                    break;
                }
            }
        }
        assert!(failed);
        assert!(!String::from_utf8_lossy(&out).contains(secret));
    }
    // Escaped tabs (never written by pg_dump) are counted exactly.
    let ev = read_checked(b"COPY t (a, b) FROM stdin;\nx\\\ty\tz\n\\.\n");
    assert_eq!(kinds(&ev), "CrE");
    // The one-column case at the end of the dump: truncated.
    let err = read_err(
        b"COPY public.one (v) FROM stdin;\nx\n\n--\n-- PostgreSQL database dump complete\n--\n",
    );
    assert!(err.to_string().contains("dump is truncated"), "{err}");
}

fn statement_of(input: &[u8]) -> Vec<Statement> {
    read_checked(input)
        .into_iter()
        .filter_map(|e| match e {
            Ev::Statement(_, s) => Some(s),
            _ => None,
        })
        .collect()
}

#[test]
fn statements_that_write_data_are_handed_out_whole() {
    let input = b"SET x = 1;\n-- c\nUPDATE public.users SET email = 'a@b.c';\nWITH x AS (SELECT 1) INSERT INTO public.users (id) SELECT 1 FROM x;\nSELECT pg_catalog.setval('s', 1, true);\nCOPY public.users FROM '/tmp/x';\nCOPY public.users TO stdout;\nGRANT UPDATE ON public.users TO x;\n";
    let ev = read_checked(input);
    assert_eq!(kinds(&ev).matches('W').count(), 3);
    let st = statement_of(input);
    let users = Some(qn("public", "users"));
    assert_eq!(st[0].writes[0].table, users);
    assert_eq!(st[0].writes[0].how, "UPDATE");
    assert_eq!(st[1].writes[0].how, "INSERT");
    assert_eq!(st[2].writes[0].how, "COPY ... FROM a file or program");
    // Held statements are never handed out in pieces, however large.
    let big = format!(
        "UPDATE public.users SET note = '{}';\n",
        "x".repeat(3 << 20)
    );
    let ev = read_checked(big.as_bytes());
    assert_eq!(kinds(&ev), "WS");
}

#[test]
fn text_that_is_not_sql_and_unknown_meta_commands_are_flagged() {
    for input in [
        &b"1\tanna@example.com\tnote;\n"[..],
        b"anna@example.com\tx;\n",
        b"'x';\n",
        b"\\i /tmp/data.sql\n",
        b"\\! psql -c 'select 1'\n",
        b"\\N\tanna@example.com\n",
        b"END $_$\nALTER FUNCTION f() OWNER TO x;\nUPDATE t SET a = 'anna@example.com';\n$_$;\n",
        b"COMMIT 'x';\n",
        b"BEGIN ATOMIC\n1\tanna@example.com\tx;\n",
    ] {
        let st = statement_of(input);
        assert_eq!(st.len(), 1, "{}", String::from_utf8_lossy(input));
        assert_eq!(st[0].writes[0].table, None);
    }
    for input in [
        &b";\n"[..],
        b"\\set ON_ERROR_STOP on\n\\encoding UTF8\n",
        b"SELECT 1;\n",
        b"BEGIN;\nCOMMIT;\nDROP TABLE IF EXISTS public.\"x y\";\nREFRESH MATERIALIZED VIEW public.v;\n",
    ] {
        assert!(
            statement_of(input).is_empty(),
            "{}",
            String::from_utf8_lossy(input)
        );
    }
}

#[test]
fn partition_fixtures_declare_their_parents() {
    let text = fixture("pg15_partitions_copy.sql");
    let links: Vec<(String, String)> = statement_of(&text)
        .iter()
        .flat_map(|s| {
            s.links
                .iter()
                .map(|l| (l.child.to_string(), l.parent.to_string()))
        })
        .collect();
    assert_eq!(links.len(), 10, "{links:?}");
    assert!(links.contains(&(
        "public.measurement_2025_rest".into(),
        "public.measurement_2025".into()
    )));
    assert!(links.contains(&("public.vip_tagged".into(), "public.tags".into())));
    for name in [
        "pg15_partitions_inserts.sql",
        "pg15_partitions_column_inserts.sql",
        "pg15_partitions_via_root.sql",
        "pg15_partitions_multirow.sql",
    ] {
        let counts = count_rows(&fixture(name)[..], std::io::sink()).unwrap();
        assert!(counts.complete, "{name}");
        assert_eq!(counts.total(), 11, "{name}");
    }
}
