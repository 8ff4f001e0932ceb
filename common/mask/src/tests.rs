//! End-to-end tests of the masking engine: real pg_dump 15 fixtures,
//! generated dumps, and every fail-closed case.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Cursor;

use proptest::prelude::*;

use super::*;
use dump::{
    decode_copy_field, encode_copy_field, parse_insert_values_with, split_copy_fields, DumpError,
    DumpReader, Event, QualifiedName, SqlValue,
};

const SALT: &[u8] = b"test-salt-for-masking-0123456789";
const EXAMPLE: &str = include_str!("../../../examples/masking.example.toml");
/// Rules for the filler table of the generated dump, appended to the
/// example rules.
const EVENTS_KEPT: &str =
    "\n[tables.\"public.events\"]\nkeep = [\"id\", \"user_id\", \"kind\", \"payload\", \"created_at\"]\n";
/// A value that must never show up in an error message.
const MARKER: &str = "LEAKMARKER";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../dump/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn ctx() -> MaskContext {
    MaskContext::new(Salt::from_secret(SALT).unwrap())
}

fn rules(text: &str) -> Rules {
    Rules::parse(text, "test.toml").unwrap()
}

fn mask_with(
    rules: &Rules,
    ctx: MaskContext,
    dump: &[u8],
) -> Result<(Vec<u8>, MaskReport), MaskError> {
    let mut out = Vec::new();
    let report = Masker::new(rules, ctx)?.run(Cursor::new(dump), &mut out)?;
    Ok((out, report))
}

fn mask(rules_text: &str, dump: &[u8]) -> Result<(Vec<u8>, MaskReport), MaskError> {
    mask_with(&rules(rules_text), ctx(), dump)
}

fn mask_err(rules_text: &str, dump: &[u8]) -> MaskError {
    let err = mask(rules_text, dump).map(|_| ()).unwrap_err();
    let text = err.to_string();
    assert!(!text.contains(MARKER), "error leaks a value: {text}");
    assert!(
        !format!("{err:?}").contains(MARKER),
        "error leaks a value: {err:?}"
    );
    err
}

// ---------------------------------------------------------------------------
// Dumps

const HEADER: &str = "--\n-- PostgreSQL database dump\n--\n\n\
SET statement_timeout = 0;\nSET client_encoding = 'UTF8';\n\
SET standard_conforming_strings = on;\n\
SELECT pg_catalog.set_config('search_path', '', false);\n\n";
const TRAILER: &str = "\n--\n-- PostgreSQL database dump complete\n--\n\n";

/// A dump with one COPY block per table, rows given as raw COPY lines.
fn small_dump(tables: &[(&str, &str, &[&str])]) -> String {
    let mut d = HEADER.to_owned();
    for (table, columns, _) in tables {
        d.push_str(&format!("CREATE TABLE {table} ({columns});\n\n"));
    }
    for (table, columns, rows) in tables {
        d.push_str(&format!("COPY {table} ({columns}) FROM stdin;\n"));
        for r in *rows {
            d.push_str(r);
            d.push('\n');
        }
        d.push_str("\\.\n\n\n");
    }
    d.push_str(TRAILER);
    d
}

fn copy_line(fields: &[Option<&str>]) -> String {
    let mut line = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            line.push(b'\t');
        }
        encode_copy_field(f.map(str::as_bytes), &mut line);
    }
    line.push(b'\n');
    String::from_utf8(line).unwrap()
}

fn user_name(i: usize) -> Option<String> {
    match i % 7 {
        0 => None,
        1 => Some(format!("Tab\tName {i}")),
        2 => Some(format!("Émilie 😀 {i}")),
        3 => Some(format!("back\\slash\nnewline {i}")),
        4 => Some(String::new()),
        _ => Some(format!("Anna Meyer {i}")),
    }
}

fn user_email(i: usize) -> Option<String> {
    (!i.is_multiple_of(13)).then(|| format!("person{i}.real@corp.example"))
}

fn user_phone(i: usize) -> Option<String> {
    match i % 4 {
        0 => None,
        1 => Some(format!("+49 170 {:07}", i)),
        2 => Some(format!("(030) 555-{:04}", i % 10000)),
        _ => Some(String::new()),
    }
}

/// A pg_dump-like dump of the example schema: `users` users with one
/// account and session each, a verification token for every fifth, and
/// `events` filler rows per user in a kept table.
pub(crate) fn generated_dump(users: usize, events: usize) -> String {
    let mut d = HEADER.to_owned();
    d.push_str(
        "CREATE TABLE public.users (id integer NOT NULL, name text, email text, \
         email_verified timestamp with time zone, image text, phone text, created_at \
         timestamp with time zone);\n\n\
         CREATE TABLE public.accounts (id integer, user_id integer, type text, provider text, \
         provider_account_id text, refresh_token text, access_token text, expires_at integer, \
         token_type text, scope text, id_token text, session_state text, oauth_token_secret \
         text, oauth_token text);\n\n\
         CREATE TABLE public.sessions (id integer, session_token text, user_id integer, \
         expires timestamp with time zone);\n\n\
         CREATE TABLE public.verification_tokens (identifier text, token text, expires \
         timestamp with time zone);\n\n\
         CREATE TABLE public.events (id bigint, user_id integer, kind text, payload jsonb, \
         created_at timestamp with time zone);\n\n",
    );
    d.push_str("--\n-- Data for Name: users; Type: TABLE DATA; Schema: public; Owner: app\n--\n\n");
    d.push_str(
        "COPY public.users (id, name, email, email_verified, image, phone, created_at) FROM stdin;\n",
    );
    for i in 1..=users {
        let id = i.to_string();
        let image = format!("https://cdn.example/u/{i}.png");
        d.push_str(&copy_line(&[
            Some(&id),
            user_name(i).as_deref(),
            user_email(i).as_deref(),
            i.is_multiple_of(2).then_some("2024-01-02 03:04:05+00"),
            (!i.is_multiple_of(3)).then_some(image.as_str()),
            user_phone(i).as_deref(),
            Some("2023-05-06 07:08:09.123+00"),
        ]));
    }
    d.push_str("\\.\n\n\n");
    d.push_str(
        "COPY public.accounts (id, user_id, type, provider, provider_account_id, refresh_token, \
         access_token, expires_at, token_type, scope, id_token, session_state, \
         oauth_token_secret, oauth_token) FROM stdin;\n",
    );
    for i in 1..=users {
        let id = i.to_string();
        let pid = (1_000_000 + i).to_string();
        let refresh = format!("ghr_{i:x}secretrefresh");
        let access = format!("gho_{i}access");
        let id_token = format!("eyJhbGciOi.{i}.sig");
        let secret = format!("osecret{i}");
        let token = format!("otok{i}");
        d.push_str(&copy_line(&[
            Some(&id),
            Some(&id),
            Some("oauth"),
            Some("github"),
            Some(&pid),
            Some(&refresh),
            Some(&access),
            Some("1700000000"),
            Some("bearer"),
            Some("read:user user:email"),
            i.is_multiple_of(2).then_some(id_token.as_str()),
            None,
            Some(&secret),
            Some(&token),
        ]));
    }
    d.push_str("\\.\n\n\n");
    d.push_str("COPY public.sessions (id, session_token, user_id, expires) FROM stdin;\n");
    for i in 1..=users {
        let id = i.to_string();
        let token = format!("sess_{i}_8f3a9c2b7e");
        d.push_str(&copy_line(&[
            Some(&id),
            Some(&token),
            Some(&id),
            Some("2030-01-01 00:00:00+00"),
        ]));
    }
    d.push_str("\\.\n\n\n");
    d.push_str("COPY public.verification_tokens (identifier, token, expires) FROM stdin;\n");
    for i in (5..=users).step_by(5) {
        let email = user_email(i).unwrap_or_else(|| format!("other{i}@corp.example"));
        let token = format!("vt{i}");
        d.push_str(&copy_line(&[
            Some(&email),
            Some(&token),
            Some("2030-01-01 00:00:00+00"),
        ]));
    }
    d.push_str("\\.\n\n\n");
    d.push_str("COPY public.events (id, user_id, kind, payload, created_at) FROM stdin;\n");
    let mut n = 0u64;
    for i in 1..=users {
        for _ in 0..events {
            n += 1;
            let payload = format!(
                "{{\"path\": \"/items/{n}\", \"ms\": {}, \"ref\": \"campaign-{}\"}}",
                n % 500,
                n % 17
            );
            d.push_str(&copy_line(&[
                Some(&n.to_string()),
                Some(&i.to_string()),
                Some("page_view"),
                Some(&payload),
                Some("2024-03-04 05:06:07.891+00"),
            ]));
        }
    }
    d.push_str("\\.\n\n\n");
    d.push_str(TRAILER);
    d
}

/// A dump taken apart: everything outside COPY rows, in order, and the
/// rows of every COPY block.
#[derive(Debug, Default)]
struct Parsed {
    other: Vec<Vec<u8>>,
    blocks: Vec<Block>,
}

#[derive(Debug)]
struct Block {
    table: QualifiedName,
    columns: Vec<String>,
    /// Raw (escaped) fields.
    raw: Vec<Vec<Vec<u8>>>,
    /// Decoded fields.
    rows: Vec<Vec<Option<Vec<u8>>>>,
}

impl Block {
    fn col(&self, name: &str) -> usize {
        self.columns.iter().position(|c| c == name).unwrap()
    }

    fn text(&self, row: usize, col: &str) -> Option<String> {
        self.rows[row][self.col(col)]
            .as_ref()
            .map(|b| String::from_utf8(b.clone()).unwrap())
    }
}

impl Parsed {
    fn block(&self, table: &str) -> &Block {
        let name = dump::parse_qualified_name(table).unwrap();
        self.blocks.iter().find(|b| b.table == name).unwrap()
    }
}

fn parse_dump(dump: &[u8]) -> Parsed {
    let mut reader = DumpReader::new(Cursor::new(dump));
    let mut p = Parsed::default();
    while let Some(ev) = reader.next_event().unwrap() {
        match ev {
            Event::CopyStart {
                raw,
                table,
                columns,
            } => {
                p.other.push(raw.to_vec());
                p.blocks.push(Block {
                    table: table.clone(),
                    columns: columns.to_vec(),
                    raw: Vec::new(),
                    rows: Vec::new(),
                });
            }
            Event::CopyRow(row) => {
                let b = p.blocks.last_mut().unwrap();
                let raw: Vec<Vec<u8>> = split_copy_fields(row).map(<[u8]>::to_vec).collect();
                b.rows.push(
                    raw.iter()
                        .map(|f| decode_copy_field(f).unwrap().map(|c| c.into_owned()))
                        .collect(),
                );
                b.raw.push(raw);
            }
            other => p.other.push(other.bytes().to_vec()),
        }
    }
    p
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

fn same_format_other_digits(before: &str, after: &str) -> bool {
    before.len() == after.len()
        && before.chars().zip(after.chars()).all(|(a, b)| {
            a.is_ascii_digit() == b.is_ascii_digit() && (a.is_ascii_digit() || a == b)
        })
}

/// The generated dump under the example rules.
fn example_rules() -> Rules {
    Rules::parse(&format!("{EXAMPLE}{EVENTS_KEPT}"), "masking.example.toml").unwrap()
}

// ---------------------------------------------------------------------------
// The example rules over a generated dump

#[test]
fn example_rules_mask_the_generated_dump_and_nothing_else() {
    let users = 300;
    let dump = generated_dump(users, 3);
    let (out, report) = mask_with(&example_rules(), ctx(), dump.as_bytes()).unwrap();
    let before = parse_dump(dump.as_bytes());
    let after = parse_dump(&out);

    // Everything outside the data rows is byte-identical.
    assert_eq!(before.other, after.other);
    assert_eq!(before.blocks.len(), after.blocks.len());

    let rules = example_rules();
    for (b, a) in before.blocks.iter().zip(&after.blocks) {
        assert_eq!(b.table, a.table);
        assert_eq!(b.rows.len(), a.rows.len(), "{}", b.table);
        let table_rules = rules.table(&b.table).unwrap();
        for (r, (braw, araw)) in b.raw.iter().zip(&a.raw).enumerate() {
            assert_eq!(braw.len(), araw.len());
            for (c, name) in b.columns.iter().enumerate() {
                if table_rules.transform(name) == Some(&Transform::Keep) {
                    assert_eq!(braw[c], araw[c], "{}.{name} row {r}", b.table);
                }
            }
        }
    }

    let (bu, au) = (before.block("public.users"), after.block("public.users"));
    let mut emails = HashSet::new();
    for r in 0..users {
        let id = bu.text(r, "id").unwrap();
        match bu.text(r, "email") {
            None => assert_eq!(au.text(r, "email"), None),
            Some(_) => {
                let masked = au.text(r, "email").unwrap();
                assert_eq!(masked, format!("user_{id}@test.example.com"));
                assert!(emails.insert(masked), "template output not unique");
            }
        }
        match bu.text(r, "name") {
            None => assert_eq!(au.text(r, "name"), None),
            Some(_) => assert_eq!(au.text(r, "name").unwrap(), format!("Test User {id}")),
        }
        assert_eq!(au.text(r, "image"), None);
        match bu.text(r, "phone") {
            None => assert_eq!(au.text(r, "phone"), None),
            Some(p) if p.is_empty() => assert_eq!(au.text(r, "phone").unwrap(), ""),
            Some(p) => {
                let m = au.text(r, "phone").unwrap();
                assert_ne!(m, p);
                assert!(same_format_other_digits(&p, &m), "{p} -> {m}");
            }
        }
    }
    let (ba, aa) = (
        before.block("public.accounts"),
        after.block("public.accounts"),
    );
    for r in 0..users {
        let id = ba.text(r, "id").unwrap();
        assert_eq!(
            aa.text(r, "provider_account_id").unwrap(),
            format!("masked_{id}")
        );
        assert_eq!(
            aa.text(r, "oauth_token_secret").unwrap(),
            format!("masked_secret_{id}")
        );
        for col in ["refresh_token", "access_token", "oauth_token"] {
            let m = aa.text(r, col).unwrap();
            assert!(is_hex(&m, 64), "{col}: {m}");
            assert_ne!(Some(m), ba.text(r, col));
        }
        assert_eq!(
            aa.text(r, "id_token").is_some(),
            ba.text(r, "id_token").is_some()
        );
        assert_eq!(aa.text(r, "session_state"), None);
    }
    let av = after.block("public.verification_tokens");
    for r in 0..av.rows.len() {
        let m = av.text(r, "identifier").unwrap();
        assert!(
            m.ends_with("@example.com") && m.split('.').count() == 4,
            "{m}"
        );
        assert!(is_hex(&av.text(r, "token").unwrap(), 64));
    }

    // The report.
    assert!(report.complete);
    assert_eq!(report.bytes_in, dump.len() as u64);
    assert_eq!(report.bytes_out, out.len() as u64);
    let users_stats = &report.tables[&QualifiedName::new(Some("public"), "users")];
    assert_eq!(users_stats.rows, users as u64);
    assert_eq!(users_stats.mode, DataMode::Copy);
    assert_eq!(users_stats.treatment, Treatment::Masked);
    assert!(users_stats.masked_values > users as u64);
    let events = &report.tables[&QualifiedName::new(Some("public"), "events")];
    assert_eq!((events.rows, events.masked_values), (3 * users as u64, 0));
    assert_eq!(events.treatment, Treatment::Kept);
    let json = serde_json::to_string(&report).unwrap();
    assert!(
        json.contains("\"public.users\"") && json.contains("\"masked\""),
        "{json}"
    );
}

#[test]
fn same_salt_same_output_different_salt_different_output() {
    let dump = generated_dump(120, 1);
    let rules = example_rules();
    let seeded = |salt: &[u8], seed| {
        MaskContext::new(Salt::from_secret(salt).unwrap()).with_random_seed(seed)
    };
    // With the random source pinned, a rerun is byte-identical.
    let (a, _) = mask_with(&rules, seeded(SALT, 9), dump.as_bytes()).unwrap();
    let (b, _) = mask_with(&rules, seeded(SALT, 9), dump.as_bytes()).unwrap();
    assert_eq!(a, b);
    // With a fresh random source, only the random_hash columns differ.
    let (c, _) = mask_with(&rules, ctx(), dump.as_bytes()).unwrap();
    let (pa, pc) = (parse_dump(&a), parse_dump(&c));
    assert_eq!(pa.other, pc.other);
    let random: HashSet<&str> = [
        "refresh_token",
        "access_token",
        "id_token",
        "oauth_token",
        "session_token",
        "token",
    ]
    .into();
    for (x, y) in pa.blocks.iter().zip(&pc.blocks) {
        for (rx, ry) in x.raw.iter().zip(&y.raw) {
            for (i, name) in x.columns.iter().enumerate() {
                if !random.contains(name.as_str()) {
                    assert_eq!(rx[i], ry[i], "{}.{name}", x.table);
                }
            }
        }
    }
    // Another salt changes the keyed columns.
    let (d, _) = mask_with(
        &rules,
        seeded(b"another-salt-0123456789", 9),
        dump.as_bytes(),
    )
    .unwrap();
    let pd = parse_dump(&d);
    let phones_a: Vec<_> = (0..120)
        .map(|r| pa.block("public.users").text(r, "phone"))
        .collect();
    let phones_d: Vec<_> = (0..120)
        .map(|r| pd.block("public.users").text(r, "phone"))
        .collect();
    assert_ne!(phones_a, phones_d);
    let va = pa.block("public.verification_tokens").text(0, "identifier");
    let vd = pd.block("public.verification_tokens").text(0, "identifier");
    assert_ne!(va, vd);
    // Templates do not depend on the salt.
    assert_eq!(
        pa.block("public.users").text(0, "email"),
        pd.block("public.users").text(0, "email")
    );
}

#[test]
fn same_value_masks_the_same_in_every_table() {
    let dump = generated_dump(60, 0);
    let text = r#"
strict = false
[tables."public.users"]
email = "fake_email"
name = "fake_name"
[tables."public.verification_tokens"]
identifier = "fake_email"
token = { hash = { length = 20 } }
"#;
    let (out, _) = mask(text, dump.as_bytes()).unwrap();
    let (before, after) = (parse_dump(dump.as_bytes()), parse_dump(&out));
    let (bu, au) = (before.block("public.users"), after.block("public.users"));
    let mut fake_of: HashMap<String, String> = HashMap::new();
    for r in 0..bu.rows.len() {
        if let (Some(orig), Some(masked)) = (bu.text(r, "email"), au.text(r, "email")) {
            assert_ne!(orig, masked);
            fake_of.insert(orig, masked);
        }
    }
    let (bv, av) = (
        before.block("public.verification_tokens"),
        after.block("public.verification_tokens"),
    );
    let mut matched = 0;
    for r in 0..bv.rows.len() {
        let orig = bv.text(r, "identifier").unwrap();
        if let Some(expected) = fake_of.get(&orig) {
            assert_eq!(&av.text(r, "identifier").unwrap(), expected);
            matched += 1;
        }
    }
    assert!(matched >= 10, "{matched}");
    // The standalone engine agrees, and so does scrub inside free text.
    let c = ctx();
    let (orig, masked) = fake_of.iter().next().unwrap();
    let direct =
        apply_transform(&Transform::Fake(FakeKind::Email), Some(orig), &|_| None, &c).unwrap();
    assert_eq!(direct.as_deref(), Some(masked.as_str()));
    let note = format!("contact {orig} today");
    let scrubbed = apply_transform(&Transform::Scrub, Some(&note), &|_| None, &c).unwrap();
    assert_eq!(scrubbed.unwrap(), format!("contact {masked} today"));
    let json = format!("{{\"email\": \"{orig}\"}}");
    let rules = JsonRules {
        paths: vec![(
            JsonPath::parse("email").unwrap(),
            Transform::Fake(FakeKind::Email),
        )],
    };
    let in_json = apply_transform(&Transform::Json(rules), Some(&json), &|_| None, &c).unwrap();
    assert_eq!(in_json.unwrap(), format!("{{\"email\": \"{masked}\"}}"));
}

#[test]
fn fake_emails_are_unique_over_200k_values() {
    let c = ctx();
    let salt = c.salt().unwrap();
    let mut seen = HashSet::with_capacity(200_000);
    let mut out = String::new();
    for i in 0..200_000u32 {
        out.clear();
        super::fake::email(salt, format!("user{i}@corp.example").as_bytes(), &mut out);
        assert!(seen.insert(out.clone()), "duplicate after {i} values");
    }
}

// ---------------------------------------------------------------------------
// Fail-closed cases

fn users_dump(extra_column: bool) -> String {
    let (cols, rows): (&str, Vec<String>) = if extra_column {
        (
            "id, email, new_col",
            vec![format!("1\t{MARKER}@corp.example\tx"), "2\t\\N\ty".into()],
        )
    } else {
        (
            "id, email",
            vec![format!("1\t{MARKER}@corp.example"), "2\t\\N".into()],
        )
    };
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    small_dump(&[("public.users", cols, &rows)])
}

const USERS_RULES: &str = "[tables.\"public.users\"]\nemail = \"fake_email\"\nkeep = [\"id\"]\n";

#[test]
fn rules_table_missing_from_the_dump_is_an_error() {
    let text = format!("{USERS_RULES}\n[tables.\"public.ghost\"]\nkeep = [\"x\"]\n");
    let err = mask_err(&text, users_dump(false).as_bytes());
    assert!(matches!(err, MaskError::TablesNotInDump { .. }), "{err}");
    assert!(err.to_string().contains("public.ghost"), "{err}");
    assert!(err.to_string().contains("test.toml"), "{err}");
}

#[test]
fn rules_column_missing_from_the_dump_is_an_error() {
    let text = "[tables.\"public.users\"]\nemail = \"fake_email\"\nlegacy_phone = \"fake_phone\"\nkeep = [\"id\"]\n";
    let err = mask_err(text, users_dump(false).as_bytes());
    assert!(matches!(err, MaskError::UnknownColumn { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("public.users.legacy_phone") && msg.contains("line "),
        "{msg}"
    );
}

#[test]
fn unclassified_column_in_strict_mode_is_an_error() {
    let err = mask_err(USERS_RULES, users_dump(true).as_bytes());
    assert!(matches!(err, MaskError::UnclassifiedColumn { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("column public.users.new_col is not classed mask or keep")
            && err.to_string().contains("add it to the rules"),
        "{err}"
    );
    // Non-strict mode passes the unclassed column through as it is.
    let (out, _) = mask(
        &format!("strict = false\n{USERS_RULES}"),
        users_dump(true).as_bytes(),
    )
    .unwrap();
    let p = parse_dump(&out);
    assert_eq!(
        p.block("public.users").text(0, "new_col").as_deref(),
        Some("x")
    );
    assert!(!String::from_utf8_lossy(&out).contains(MARKER));
}

#[test]
fn table_without_rules_in_strict_mode_is_an_error() {
    let dump = small_dump(&[
        ("public.users", "id, email", &["1\ta@b.co"]),
        ("public.audit", "id, detail", &["1\tLEAKMARKER"]),
    ]);
    let err = mask_err(USERS_RULES, dump.as_bytes());
    assert!(matches!(err, MaskError::UnclassifiedTable { .. }), "{err}");
    assert!(err.to_string().contains("public.audit"), "{err}");
    // Without strict mode it passes through untouched.
    let (out, report) = mask(&format!("strict = false\n{USERS_RULES}"), dump.as_bytes()).unwrap();
    assert!(String::from_utf8_lossy(&out).contains("1\tLEAKMARKER\n"));
    assert_eq!(
        report.tables[&QualifiedName::new(Some("public"), "audit")].treatment,
        Treatment::Unlisted
    );
}

#[test]
fn template_referencing_a_missing_column_is_an_error() {
    let text = "[tables.\"public.users\"]\nemail = { template = \"user_{uid}@test.example.com\" }\nkeep = [\"id\"]\n";
    let err = mask_err(text, users_dump(false).as_bytes());
    assert!(
        matches!(err, MaskError::UnknownTemplateColumn { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("uid"), "{err}");
}

#[test]
fn undecodable_field_in_a_masked_column_is_an_error() {
    // \377 decodes to a byte that is not UTF-8.
    let dump = small_dump(&[("public.users", "id, email", &["1\tLEAKMARKER\\377@x.io"])]);
    let err = mask_err(USERS_RULES, dump.as_bytes());
    assert!(matches!(err, MaskError::Value { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("public.users.email") && msg.contains(" at line 13 "),
        "{msg}"
    );
    // The same bytes in a kept column are nobody's business.
    let dump = small_dump(&[("public.users", "id, email", &["\\377\tx@y.io"])]);
    let text = "[tables.\"public.users\"]\nemail = \"fake_email\"\nkeep = [\"id\"]\n";
    let (out, _) = mask(text, dump.as_bytes()).unwrap();
    assert!(String::from_utf8_lossy(&out).contains("\\377\t"));
}

#[test]
fn an_undecodable_field_after_good_rows_names_its_own_line() {
    // Rows of a masked table are masked in bulk: the error still names the failing row's line
    // (the first row is on line 13), whichever row of the stretch it is.
    let dump = small_dump(&[(
        "public.users",
        "id, email",
        &[
            "1\ta@x.io",
            "2\tb@x.io",
            "3\tLEAKMARKER\\377@x.io",
            "4\tc@x.io",
        ],
    )]);
    let err = mask_err(USERS_RULES, dump.as_bytes());
    assert!(matches!(err, MaskError::Value { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains(" at line 15 ") && !msg.contains("LEAKMARKER"),
        "{msg}"
    );
}

#[test]
fn rows_with_the_wrong_number_of_fields_are_an_error() {
    let dump = small_dump(&[("public.users", "id, email", &["1\tLEAKMARKER@x.io\textra"])]);
    let err = mask_err(USERS_RULES, dump.as_bytes());
    // The dump reader refuses the row before the masker sees it.
    assert!(
        matches!(err, MaskError::Dump(DumpError::InvalidCopyRow { .. })),
        "{err}"
    );
    let dump = small_dump(&[("public.users", "id, email", &["1"])]);
    assert!(matches!(
        mask_err(USERS_RULES, dump.as_bytes()),
        MaskError::Dump(DumpError::InvalidCopyRow { .. })
    ));
}

#[test]
fn inserts_without_column_list_for_a_masked_table_are_an_error() {
    let text = "strict = false\n[tables.\"public.users\"]\nemail = \"fake_email\"\n";
    for fixture_name in ["pg15_inserts.sql", "pg15_inserts_nonstd.sql"] {
        let err = mask_err(text, &fixture(fixture_name));
        assert!(
            matches!(err, MaskError::InsertWithoutColumns { .. }),
            "{err}"
        );
        let msg = err.to_string();
        assert!(
            msg.contains("--column-inserts") && msg.contains("public.users"),
            "{msg}"
        );
    }
    // Tables without rules pass, in non-strict mode.
    let (out, report) = mask("strict = false\n", &fixture("pg15_inserts.sql")).unwrap();
    assert_eq!(out, fixture("pg15_inserts.sql"));
    let users = &report.tables[&QualifiedName::new(Some("public"), "users")];
    assert_eq!((users.rows, users.mode), (4, DataMode::Insert));
}

#[test]
fn non_json_in_a_json_column_is_an_error() {
    let text = "[tables.\"public.users\"]\nprofile = { json = { \"email\" = \"fake_email\" } }\nkeep = [\"id\"]\n";
    let dump = small_dump(&[(
        "public.users",
        "id, profile",
        &[
            "1\t{\"email\": \"a@b.co\"}",
            "2\t\\N",
            "3\t",
            "4\tLEAKMARKER is not json",
        ],
    )]);
    let err = mask_err(text, dump.as_bytes());
    assert!(matches!(err, MaskError::Value { .. }), "{err}");
    assert!(err.to_string().contains("not valid JSON"), "{err}");
    assert!(err.to_string().contains("public.users.profile"), "{err}");
}

#[test]
fn truncated_dumps_are_errors() {
    let dump = generated_dump(50, 2);
    // Cut inside the users COPY block.
    let cut = dump.find("COPY public.accounts").unwrap() - 300;
    let err = mask_with(&example_rules(), ctx(), &dump.as_bytes()[..cut])
        .map(|_| ())
        .unwrap_err();
    assert!(
        matches!(err, MaskError::Dump(DumpError::Truncated { .. })),
        "{err}"
    );
    // Cut cleanly between two statements: no completion trailer.
    let cut = dump.find("COPY public.events").unwrap();
    let err = mask_with(&example_rules(), ctx(), &dump.as_bytes()[..cut])
        .map(|_| ())
        .unwrap_err();
    assert!(matches!(err, MaskError::Incomplete { .. }), "{err}");
    // A caller can accept a missing trailer explicitly; the rules then
    // still notice the missing table.
    let mut out = Vec::new();
    let err = Masker::new(&example_rules(), ctx())
        .unwrap()
        .allow_incomplete(true)
        .run(Cursor::new(&dump.as_bytes()[..cut]), &mut out)
        .unwrap_err();
    assert!(err.to_string().contains("public.events"), "{err}");
}

#[test]
fn missing_salt_is_an_error() {
    let r = rules(USERS_RULES);
    let err = Masker::new(&r, MaskContext::without_salt()).unwrap_err();
    assert!(matches!(err, MaskError::SaltRequired { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("MASK_SALT") && msg.contains("public.users.email"),
        "{msg}"
    );
    let r = rules(&format!(
        "salt_env = \"MASK_TEST_SALT_NEVER_SET_7f3a\"\n{USERS_RULES}"
    ));
    let err = Salt::from_var_value(r.salt_env(), std::ffi::OsString::new()).unwrap_err();
    assert!(
        err.to_string().contains("MASK_TEST_SALT_NEVER_SET_7f3a"),
        "{err}"
    );
    // Rules without keyed transforms need no salt.
    let r = rules("[tables.\"public.users\"]\nemail = { template = \"u{id}\" }\nkeep = [\"id\"]\n");
    let (out, _) = mask_with(
        &r,
        MaskContext::without_salt(),
        users_dump(false).as_bytes(),
    )
    .unwrap();
    assert!(String::from_utf8(out).unwrap().contains("1\tu1\n2\t\\N\n"));
}

#[test]
fn large_objects_are_refused_in_strict_mode() {
    let dump = format!(
        "{HEADER}SELECT pg_catalog.lo_create('16385');\nSELECT pg_catalog.lo_open('16385', 131072);\n\
         SELECT pg_catalog.lowrite(0, '\\x4c45414b');\nSELECT pg_catalog.lo_close(0);\n{TRAILER}"
    );
    let err = mask_err("", dump.as_bytes());
    assert!(matches!(err, MaskError::LargeObjects { .. }), "{err}");
    assert!(mask("strict = false\n", dump.as_bytes()).is_ok());
}

// ---------------------------------------------------------------------------
// Identifiers

#[test]
fn quoted_mixed_case_tables_match_only_quoted_rules() {
    let dump = small_dump(&[(
        "public.\"Users\"",
        "id, email",
        &["1\tLEAKMARKER@corp.example"],
    )]);
    // public.users is not public."Users".
    for unquoted in ["public.users", "public.Users", "PUBLIC.USERS"] {
        let text = format!("[tables.\"{unquoted}\"]\nemail = \"fake_email\"\nkeep = [\"id\"]\n");
        let err = mask_err(&text, dump.as_bytes());
        assert!(matches!(err, MaskError::UnclassifiedTable { .. }), "{err}");
        assert!(err.to_string().contains("public.\"Users\""), "{err}");
        // Not strict: the rules table is reported missing instead of the
        // real one slipping through.
        let err = mask_err(&format!("strict = false\n{text}"), dump.as_bytes());
        assert!(matches!(err, MaskError::TablesNotInDump { .. }), "{err}");
    }
    for quoted in ["'\"public\".\"Users\"'", "'public.\"Users\"'"] {
        let text = format!("[tables.{quoted}]\nemail = \"fake_email\"\nkeep = [\"id\"]\n");
        let (out, report) = mask(&text, dump.as_bytes()).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(!out.contains(MARKER), "{out}");
        assert!(out.contains("COPY public.\"Users\" (id, email) FROM stdin;\n1\t"));
        assert_eq!(
            report.tables[&QualifiedName::new(Some("public"), "Users")].masked_values,
            1
        );
    }
}

// ---------------------------------------------------------------------------
// Values

#[test]
fn nulls_empties_multibyte_and_escapes() {
    let text = r#"
[tables."public.t"]
a = { partial = { first = 1, last = 1, char = "·" } }
b = { set = "x\ty\nz\\w\r" }
c = "fake_name"
d = { template = "{e}|{{id}}|{id}", null_as = "NULL" }
f = { set = "filled", nulls = true }
keep = ["id", "e"]
"#;
    let rows = [
        copy_line(&[
            Some("1"),
            Some("😀ab😃"),
            Some("old"),
            Some("Bob"),
            Some("x"),
            Some("tab\there\\back\nnl"),
            None,
        ]),
        copy_line(&[Some("2"), None, None, None, None, None, Some("")]),
        copy_line(&[
            Some("3"),
            Some(""),
            Some(""),
            Some(""),
            Some(""),
            Some("e"),
            Some("v"),
        ]),
    ];
    let rows: Vec<&str> = rows.iter().map(|r| r.trim_end_matches('\n')).collect();
    let dump = small_dump(&[("public.t", "id, a, b, c, d, e, f", &rows)]);
    let (out, report) = mask(text, dump.as_bytes()).unwrap();
    let p = parse_dump(&out);
    let t = p.block("public.t");
    // Row 1: multibyte partial, re-escaped set, fake name, template over a
    // value with tab, backslash and newline.
    assert_eq!(t.text(0, "a").unwrap(), "😀··😃");
    assert_eq!(t.text(0, "b").unwrap(), "x\ty\nz\\w\r");
    let fake = t.text(0, "c").unwrap();
    assert!(fake.contains(' ') && fake != "Bob");
    assert_eq!(t.text(0, "d").unwrap(), "tab\there\\back\nnl|{id}|1");
    assert_eq!(t.text(0, "f").unwrap(), "filled");
    assert_eq!(t.raw[0][2], b"x\\ty\\nz\\\\w\\r".to_vec());
    // Row 2: NULL stays NULL (d's template is not applied to a NULL d),
    // except where the rule says nulls = true; '' in f is replaced.
    assert_eq!(t.text(1, "a"), None);
    assert_eq!(t.text(1, "b"), None);
    assert_eq!(t.text(1, "c"), None);
    assert_eq!(t.text(1, "d"), None);
    assert_eq!(t.text(1, "f").unwrap(), "filled");
    // Row 3: '' stays '' for value-derived transforms; set and template
    // write their output.
    assert_eq!(t.text(2, "a").unwrap(), "");
    assert_eq!(t.text(2, "b").unwrap(), "x\ty\nz\\w\r");
    assert_eq!(t.text(2, "c").unwrap(), "");
    assert_eq!(t.text(2, "d").unwrap(), "e|{id}|3");
    let stats = &report.tables[&QualifiedName::new(Some("public"), "t")];
    assert_eq!(stats.rows, 3);
    assert_eq!(stats.masked_values, 5 + 1 + 3);
}

#[test]
fn template_null_reference_is_an_error_unless_null_as_is_given() {
    let text = "[tables.\"public.t\"]\nd = { template = \"u{e}\" }\nkeep = [\"id\", \"e\"]\n";
    let dump = small_dump(&[("public.t", "id, d, e", &["1\tLEAKMARKER\t\\N"])]);
    let err = mask_err(text, dump.as_bytes());
    assert!(
        err.to_string().contains("NULL") && err.to_string().contains("public.t.d"),
        "{err}"
    );
}

#[test]
fn json_rules_inside_copy() {
    let text = r#"
[tables."public.t"]
profile = { json = { "email" = "fake_email", "profile.phone" = "fake_phone", "tokens[*]" = "random_hash" } }
keep = ["id"]
"#;
    let json = r#"{"email": "anna@corp.example", "profile": {"phone": "+49 170 1234567", "city": "Köln"}, "tokens": ["a", "b"], "n": 1.50}"#;
    let row1 = copy_line(&[Some("1"), Some(json)]);
    let dump = small_dump(&[(
        "public.t",
        "id, profile",
        &[row1.trim_end(), "2\t{}", "3\t\\N", "4\t[1, 2]"],
    )]);
    let (out, _) = mask(text, dump.as_bytes()).unwrap();
    let p = parse_dump(&out);
    let t = p.block("public.t");
    let masked = t.text(0, "profile").unwrap();
    let v: serde_json::Value = serde_json::from_str(&masked).unwrap();
    assert!(v["email"].as_str().unwrap().ends_with("@example.com"));
    let phone = v["profile"]["phone"].as_str().unwrap();
    assert!(same_format_other_digits("+49 170 1234567", phone) && phone != "+49 170 1234567");
    assert_eq!(v["profile"]["city"], "Köln");
    assert!(v["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| is_hex(t.as_str().unwrap(), 64)));
    assert!(masked.ends_with(r#""n": 1.50}"#), "{masked}");
    assert_eq!(t.raw[1][1], b"{}".to_vec());
    assert_eq!(t.text(2, "profile"), None);
    assert_eq!(t.raw[3][1], b"[1, 2]".to_vec());
}

// ---------------------------------------------------------------------------
// Real pg_dump fixtures

const FIXTURE_RULES: &str = r#"
[tables.'"My Schema"."Order Items"']
'"weird ""col"""' = "scrub"
payload = { json = { "k" = { partial = { first = 1 } } } }
keep = ["id", '"Qty.Count"', "tags", "bits", "raw"]

[tables."public.empty_cols"]

[tables."public.log"]
msg = { set = "it's a \\ test" }
keep = ["id"]

[tables."public.nothing_here"]
keep = ["a"]

[tables.'public."user"']
'"select"' = "fake_first_name"
keep = ["id"]

[tables."public.users"]
email = "fake_email"
'"Name"' = "fake_name"
note = "scrub"
born = "null"
score = { set = 0 }
keep = ["id", "ratio", "active"]
"#;

#[test]
fn copy_fixture_masks_every_table_it_should() {
    let input = fixture("pg15_copy.sql");
    let (out, report) = mask(FIXTURE_RULES, &input).unwrap();
    let (before, after) = (parse_dump(&input), parse_dump(&out));
    assert_eq!(before.other, after.other);
    let (bu, au) = (before.block("public.users"), after.block("public.users"));
    for r in 0..bu.rows.len() {
        assert_eq!(bu.raw[r][0], au.raw[r][0]);
        assert_eq!(bu.raw[r][6..], au.raw[r][6..]);
        match bu.text(r, "email").as_deref() {
            None => assert_eq!(au.text(r, "email"), None),
            Some("") => assert_eq!(au.text(r, "email").unwrap(), ""),
            Some(e) => {
                let m = au.text(r, "email").unwrap();
                assert!(m != e && m.ends_with("@example.com"), "{m}");
            }
        }
        assert_eq!(au.text(r, "born"), None);
        assert_eq!(au.text(r, "score").as_deref(), Some("0"));
    }
    let order = after.block("\"My Schema\".\"Order Items\"");
    assert_eq!(
        order.text(0, "payload").unwrap(),
        r#"{"k": "v**", "n": [1, 2]}"#
    );
    assert_eq!(order.text(1, "payload").unwrap(), "null");
    assert_eq!(
        after.block("public.log").text(0, "msg").unwrap(),
        "it's a \\ test"
    );
    assert_eq!(
        after.block("public.log").raw[0][1],
        b"it's a \\\\ test".to_vec()
    );
    assert!(report.complete);
    assert_eq!(report.tables.len(), 6);
    assert_eq!(
        report.tables[&QualifiedName::new(Some("public"), "nothing_here")].treatment,
        Treatment::Kept
    );
}

/// The values of every INSERT in a dump, per table, in order.
fn insert_values(dump: &[u8], std_strings: bool) -> BTreeMap<String, Vec<Vec<SqlValue<'static>>>> {
    let mut reader = DumpReader::new(Cursor::new(dump));
    let mut all: BTreeMap<String, Vec<Vec<SqlValue<'static>>>> = BTreeMap::new();
    while let Some(ev) = reader.next_event().unwrap() {
        if let Event::Insert { raw, table, .. } = ev {
            let stmt = parse_insert_values_with(raw, std_strings).unwrap();
            for row in stmt.rows {
                let owned = row
                    .into_iter()
                    .map(|v| match v.value {
                        SqlValue::Null => SqlValue::Null,
                        SqlValue::Bool(b) => SqlValue::Bool(b),
                        SqlValue::Number(n) => SqlValue::String(n.as_bytes().to_vec().into()),
                        SqlValue::String(s) => SqlValue::String(s.into_owned().into()),
                        SqlValue::Other(o) => SqlValue::Other(o.to_vec().leak()),
                    })
                    .collect();
                all.entry(table.to_string()).or_default().push(owned);
            }
        }
    }
    all
}

fn text_of(v: &SqlValue<'_>) -> Option<String> {
    match v {
        SqlValue::String(s) => Some(String::from_utf8(s.to_vec()).unwrap()),
        SqlValue::Null => None,
        other => panic!("not a string: {other:?}"),
    }
}

#[test]
fn column_inserts_fixture_is_masked() {
    let input = fixture("pg15_column_inserts.sql");
    let (out, report) = mask(FIXTURE_RULES, &input).unwrap();
    let (before, after) = (insert_values(&input, true), insert_values(&out, true));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    let (bu, au) = (&before["public.users"], &after["public.users"]);
    for (b, a) in bu.iter().zip(au) {
        assert_eq!(b[0], a[0]);
        assert_eq!(b[6..], a[6..]);
        assert_eq!(text_of(&a[5]).as_deref(), Some("0"));
        match text_of(&b[1]).as_deref() {
            Some("") => assert_eq!(text_of(&a[1]).unwrap(), ""),
            Some(_) => assert!(text_of(&a[1]).unwrap().ends_with("@example.com")),
            None => assert_eq!(a[1], SqlValue::Null),
        }
        assert_eq!(a[4], SqlValue::Null);
    }
    let out_text = String::from_utf8(out.clone()).unwrap();
    assert!(!out_text.contains("alice@example.com"));
    assert!(
        out_text.contains("'0'"),
        "numbers are written as quoted literals"
    );
    assert_eq!(
        text_of(&after["public.log"][0][1]).unwrap(),
        "it's a \\ test"
    );
    let order = &after["\"My Schema\".\"Order Items\""];
    assert_eq!(
        text_of(&order[0][4]).unwrap(),
        r#"{"k": "v**", "n": [1, 2]}"#
    );
    let users = &report.tables[&QualifiedName::new(Some("public"), "users")];
    assert_eq!(
        (users.rows, users.mode, users.treatment),
        (4, DataMode::Insert, Treatment::Masked)
    );
    let empty = &report.tables[&QualifiedName::new(Some("public"), "nothing_here")];
    assert_eq!(empty.rows, 0);
}

#[test]
fn nonstd_inserts_with_column_lists_are_masked_and_requoted() {
    let input = String::from_utf8(fixture("pg15_inserts_nonstd.sql")).unwrap();
    let input = input
        .replace(
            "INSERT INTO public.users VALUES",
            "INSERT INTO public.users (id, email, \"Name\", note, born, score, ratio, active) VALUES",
        )
        .replace("INSERT INTO public.log VALUES", "INSERT INTO public.log (id, msg) VALUES");
    let text = r#"
strict = false
[tables."public.users"]
email = "fake_email"
note = { set = "back\\slash 'q'" }
'"Name"' = { partial = { first = 1, last = 1 } }
[tables."public.log"]
msg = { template = "m{id}\\" }
"#;
    let (out, _) = mask(text, input.as_bytes()).unwrap();
    let after = insert_values(&out, false);
    let before = insert_values(input.as_bytes(), false);
    for (b, a) in before["public.users"].iter().zip(&after["public.users"]) {
        assert_eq!(b[0], a[0]);
        assert_eq!(b[4..], a[4..]);
        if text_of(&b[3]).is_some() {
            assert_eq!(text_of(&a[3]).unwrap(), "back\\slash 'q'");
        }
        let name = text_of(&a[2]).unwrap();
        assert_eq!(
            name.chars().count(),
            text_of(&b[2]).unwrap().chars().count()
        );
    }
    let log = &after["public.log"];
    assert_eq!(text_of(&log[0][1]).unwrap(), "m7\\");
    let out_text = String::from_utf8(out).unwrap();
    assert!(
        out_text.contains("'m7\\\\'"),
        "backslashes doubled for standard_conforming_strings=off"
    );
    assert!(out_text.contains("SET standard_conforming_strings = off;"));
}

// ---------------------------------------------------------------------------
// The engine outside dumps

#[test]
fn table_masker_masks_rows_for_live_copies() {
    let r = rules(&format!("{EXAMPLE}{EVENTS_KEPT}"));
    let columns: Vec<String> = [
        "id",
        "name",
        "email",
        "email_verified",
        "image",
        "phone",
        "created_at",
    ]
    .map(String::from)
    .to_vec();
    let users = QualifiedName::new(Some("public"), "users");
    let tm = r.resolve(&users, &columns).unwrap().unwrap();
    assert_eq!(
        tm.masked_columns()
            .map(|(i, n, _)| (i, n))
            .collect::<Vec<_>>(),
        vec![(1, "name"), (2, "email"), (4, "image"), (5, "phone")]
    );
    assert_eq!(tm.needed_columns().collect::<Vec<_>>(), vec![0, 1, 2, 4, 5]);
    let mut row = vec![
        Some("7".to_owned()),
        Some("Anna".to_owned()),
        Some("anna@corp.example".to_owned()),
        None,
        Some("https://x/y.png".to_owned()),
        Some("+49 170 1234567".to_owned()),
        Some("2024-01-01".to_owned()),
    ];
    let changed = tm.mask_row(&mut row, &ctx()).unwrap();
    assert_eq!(changed, 4);
    assert_eq!(row[1].as_deref(), Some("Test User 7"));
    assert_eq!(row[2].as_deref(), Some("user_7@test.example.com"));
    assert_eq!(row[4], None);
    assert!(same_format_other_digits(
        "+49 170 1234567",
        row[5].as_deref().unwrap()
    ));
    assert!(tm.mask_row(&mut row[..3], &ctx()).is_err());
    // Schema drift is caught here too.
    let mut drifted = columns.clone();
    drifted.push("new_col".into());
    assert!(matches!(
        r.resolve(&users, &drifted),
        Err(MaskError::UnclassifiedColumn { .. })
    ));
    let events = r
        .resolve(
            &QualifiedName::new(Some("public"), "events"),
            &["id", "user_id", "kind", "payload", "created_at"].map(String::from),
        )
        .unwrap()
        .unwrap();
    assert!(events.is_identity());
}

// ---------------------------------------------------------------------------
// Arbitrary field contents

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn masking_arbitrary_fields_keeps_the_row_shape(
        rows in proptest::collection::vec(
            (proptest::option::of(any::<String>()), proptest::option::of(any::<String>()),
             proptest::option::of(any::<String>()), proptest::option::of(any::<String>())),
            0..12,
        )
    ) {
        let text = r#"
strict = false
[tables."public.t"]
a = { partial = { first = 2, last = 1 } }
b = { template = "<{c}>", null_as = "" }
d = "scrub"
"#;
        let lines: Vec<String> = rows
            .iter()
            .enumerate()
            .map(|(i, (a, b, c, d))| {
                let id = i.to_string();
                copy_line(&[Some(&id), a.as_deref(), b.as_deref(), c.as_deref(), d.as_deref()])
                    .trim_end_matches('\n')
                    .to_owned()
            })
            .collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let dump = small_dump(&[("public.t", "id, a, b, c, d", &refs)]);
        let (out, report) = mask(text, dump.as_bytes()).unwrap();
        let p = parse_dump(&out);
        let t = p.block("public.t");
        prop_assert_eq!(t.rows.len(), rows.len());
        prop_assert_eq!(report.tables[&QualifiedName::new(Some("public"), "t")].rows, rows.len() as u64);
        for (r, (a, b, c, _)) in rows.iter().enumerate() {
            prop_assert_eq!(t.rows[r].len(), 5);
            prop_assert_eq!(t.text(r, "c"), c.clone());
            prop_assert_eq!(t.text(r, "a").map(|s| s.chars().count()), a.as_ref().map(|s| s.chars().count()));
            let expected_b = b.as_ref().map(|_| format!("<{}>", c.clone().unwrap_or_default()));
            prop_assert_eq!(t.text(r, "b"), expected_b);
        }
    }
}

proptest! {
    #[test]
    fn text_scanners_never_panic_and_keep_unmatched_text(text in any::<String>()) {
        let c = ctx();
        let scrubbed = apply_transform(&Transform::Scrub, Some(&text), &|_| None, &c).unwrap();
        if super::scrub::find_all(&text).is_empty() {
            prop_assert_eq!(scrubbed.as_deref(), Some(text.as_str()));
        }
        let _ = value_looks_personal(&text);
        let _ = column_looks_personal(&text);
        let rules = JsonRules {
            paths: vec![
                (JsonPath::parse("a[*].b").unwrap(), Transform::Fake(FakeKind::Phone)),
                (JsonPath::parse("*").unwrap(), Transform::Partial { first: 1, last: 1, fill: '*' }),
            ],
        };
        let _ = apply_transform(&Transform::Json(rules), Some(&text), &|_| None, &c);
    }

    #[test]
    fn json_rewrites_parse_back(values in proptest::collection::vec(any::<String>(), 0..6)) {
        let doc = serde_json::json!({ "a": values.iter().map(|v| serde_json::json!({ "b": v, "c": v })).collect::<Vec<_>>() });
        let text = doc.to_string();
        let rules = JsonRules {
            paths: vec![(JsonPath::parse("a[*].b").unwrap(), Transform::Partial { first: 1, last: 0, fill: '#' })],
        };
        let out = apply_transform(&Transform::Json(rules), Some(&text), &|_| None, &ctx()).unwrap().unwrap();
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        for (i, v) in values.iter().enumerate() {
            prop_assert_eq!(back["a"][i]["c"].as_str().unwrap(), v.as_str());
            prop_assert_eq!(back["a"][i]["b"].as_str().unwrap().chars().count(), v.chars().count());
        }
    }
}

// ---------------------------------------------------------------------------
// Fail-closed statements (issue 9 item 9)

/// A dump of public.users (masked) and public.notes (kept), with `extra`
/// SQL between the DDL and the data.
fn dump_with(extra: &str) -> String {
    let mut d = HEADER.to_owned();
    d.push_str("CREATE TABLE public.users (id integer, email text);\n\nCREATE TABLE public.notes (id integer, body text);\n\n");
    d.push_str(extra);
    d.push_str("\n\nCOPY public.users (id, email) FROM stdin;\n1\tanna@corp.example\n\\.\n\n");
    d.push_str("COPY public.notes (id, body) FROM stdin;\n1\thello\n\\.\n");
    d.push_str(TRAILER);
    d
}

const GUARD_RULES: &str = "[tables.\"public.users\"]\nemail = \"fake_email\"\nkeep = [\"id\"]\n\n[tables.\"public.notes\"]\nkeep = [\"id\", \"body\"]\n";

/// Statements that put data into public.users other than COPY rows and
/// INSERT ... VALUES, each carrying the marker as an original value.
fn writes_into_users() -> Vec<String> {
    let m = MARKER;
    vec![
        format!("UPDATE public.users SET email = '{m}@x.io' WHERE id = 1;"),
        format!("update PUBLIC.Users set email = '{m}@x.io';"),
        format!("UPDATE ONLY public.users u SET email = $${m}$$;"),
        format!("WITH x AS (SELECT 1) INSERT INTO public.users (id, email) SELECT 2, '{m}@x.io' FROM x;"),
        format!("WITH x AS (UPDATE public.users SET email = '{m}' RETURNING id) SELECT * FROM x;"),
        format!("WITH x AS (SELECT 1) UPDATE public.users SET email = '{m}';"),
        format!("MERGE INTO public.users u USING (VALUES (1, '{m}')) s (id, e) ON u.id = s.id WHEN MATCHED THEN UPDATE SET email = s.e;"),
        format!("WITH s AS (SELECT 1) MERGE INTO public.users u USING s ON true WHEN NOT MATCHED THEN INSERT VALUES (3, '{m}');"),
        format!("INSERT INTO public.users (id, email) SELECT 2, '{m}@x.io';"),
        format!("INSERT INTO public.users (id, email) VALUES (2, 'a@b.cd') ON CONFLICT (id) DO UPDATE SET email = '{m}@x.io';"),
        format!("INSERT INTO public.users (id, email) VALUES (2, 'a@b.cd') RETURNING '{m}';"),
        format!("INSERT INTO public.users VALUES (2, '{m}@x.io');"),
        format!("INSERT INTO public.users (id, email) OVERRIDING SYSTEM VALUE VALUES (2, lower('{m}@x.io'));"),
        format!("DELETE FROM public.users WHERE email = '{m}@x.io';"),
        format!("COPY public.users FROM '/tmp/{m}.csv';"),
        format!("ALTER TABLE public.users ALTER COLUMN email TYPE text USING '{m}';"),
        format!("EXPLAIN ANALYZE UPDATE public.users SET email = '{m}';"),
        format!("PREPARE p (text) AS UPDATE public.users SET email = '{m}';"),
        format!("DO $$ BEGIN UPDATE public.users SET email = '{m}'; END $$;"),
        format!("CALL public.set_email('{m}');"),
        format!("\\i /tmp/{m}.sql"),
        format!("1\t{m}@corp.example;"),
    ]
}

#[test]
fn statements_writing_into_masked_tables_are_refused() {
    let plain = dump_with("");
    mask(GUARD_RULES, plain.as_bytes()).unwrap();
    let non_strict = format!("strict = false\n{GUARD_RULES}");
    for stmt in writes_into_users() {
        let dump = dump_with(&stmt);
        for rules_text in [GUARD_RULES, non_strict.as_str()] {
            let r = rules(rules_text);
            let mut out = Vec::new();
            let err = Masker::new(&r, ctx())
                .unwrap()
                .run(Cursor::new(dump.as_bytes()), &mut out)
                .map(|_| ())
                .unwrap_err();
            let text = err.to_string();
            assert!(!text.contains(MARKER), "error leaks a value: {text}");
            assert!(text.contains("line 14"), "{stmt}: {text}");
            assert!(
                matches!(
                    err,
                    MaskError::StatementRefused { .. }
                        | MaskError::UncheckedStatement { .. }
                        | MaskError::InsertWithoutColumns { .. }
                        | MaskError::Value { .. }
                ),
                "{stmt}: {err:?}"
            );
            if matches!(err, MaskError::StatementRefused { .. }) {
                assert!(text.contains("public.users"), "{stmt}: {text}");
            }
            // Nothing of it was written before the error.
            assert!(!String::from_utf8_lossy(&out).contains(MARKER), "{stmt}");
        }
    }
}

#[test]
fn statements_for_tables_kept_whole_pass() {
    let ok = [
        "UPDATE public.notes SET body = 'x';",
        "WITH x AS (SELECT 1) INSERT INTO public.notes (id, body) SELECT 2, 'y' FROM x;",
        "INSERT INTO public.notes (id, body) SELECT 3, 'z';",
        "INSERT INTO public.notes (id, body) VALUES (4, 'w') ON CONFLICT (id) DO UPDATE SET body = 'v';",
        "DELETE FROM public.notes WHERE id = 9;",
        "MERGE INTO public.notes n USING public.users u ON n.id = u.id WHEN MATCHED THEN DELETE;",
        "ALTER TABLE public.users ADD COLUMN note text DEFAULT 'n/a';",
        "UPDATE pg_catalog.pg_database SET datistemplate = false WHERE datname = 'x';",
        "SELECT pg_catalog.setval('public.users_id_seq', 3, true);",
        "CREATE TABLE public.copy AS SELECT 1 WITH NO DATA;",
    ];
    let rules_text = format!("strict = false\n{GUARD_RULES}");
    for stmt in ok {
        let dump = dump_with(stmt);
        let (out, _) = mask(&rules_text, dump.as_bytes()).unwrap_or_else(|e| panic!("{stmt}: {e}"));
        assert!(String::from_utf8(out).unwrap().contains(stmt));
    }
    // In strict mode a table without rules is guarded too.
    let err = mask_err(
        GUARD_RULES,
        dump_with("UPDATE public.other SET a = 1;").as_bytes(),
    );
    assert!(matches!(err, MaskError::StatementRefused { .. }), "{err}");
    assert!(err.to_string().contains("strict"), "{err}");
    // A column added with a default: refused when it is masked or unclassed (strict).
    let err = mask_err(
        &GUARD_RULES.replace("keep = [\"id\"]", "keep = [\"id\"]\nnote = \"null\""),
        dump_with("ALTER TABLE public.users ADD COLUMN note text DEFAULT 'LEAKMARKER';").as_bytes(),
    );
    assert!(matches!(err, MaskError::StatementRefused { .. }), "{err}");
    let err = mask_err(
        GUARD_RULES,
        dump_with("ALTER TABLE public.users ADD COLUMN note text DEFAULT 'LEAKMARKER';").as_bytes(),
    );
    assert!(matches!(err, MaskError::StatementRefused { .. }), "{err}");
    // Rules that mask nothing in non-strict mode guard nothing.
    let (out, _) = mask(
        "strict = false\n[tables.\"public.notes\"]\nkeep = [\"id\", \"body\"]\n",
        dump_with("DO $$ BEGIN END $$;").as_bytes(),
    )
    .unwrap();
    assert!(String::from_utf8(out).unwrap().contains("DO $$"));
}

#[test]
fn valid_inserts_are_masked_in_every_form() {
    let dump = dump_with(&format!(
        "INSERT INTO public.users (id, email) VALUES (5, '{MARKER}.a@corp.example'), (6, NULL) ON CONFLICT DO NOTHING;\n\
         INSERT INTO public.users (id, email) OVERRIDING USER VALUE VALUES (7, '{MARKER}.b@corp.example');\n\
         INSERT INTO public.users (id, email) VALUES (8, '{MARKER}.c@corp.example') ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email;\n\
         Insert Into PUBLIC.USERS (ID, Email) values (9, E'{MARKER}.d@corp.example');"
    ));
    let (out, report) = mask(GUARD_RULES, dump.as_bytes()).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(!text.contains(MARKER), "{text}");
    assert!(text.contains("DO UPDATE SET email = EXCLUDED.email;"));
    assert_eq!(
        report.tables[&QualifiedName::new(Some("public"), "users")].rows,
        6
    );
}

#[test]
fn unqualified_names_that_could_mean_a_masked_table_are_refused() {
    let mut d = HEADER.to_owned();
    d.push_str("COPY users (id, email) FROM stdin;\n1\tLEAKMARKER@corp.example\n\\.\n");
    d.push_str(TRAILER);
    let text = format!("strict = false\n{GUARD_RULES}");
    let err = mask_err(&text, d.as_bytes());
    assert!(matches!(err, MaskError::AmbiguousName { .. }), "{err}");
    assert!(err.to_string().contains("public.users"), "{err}");
    let err = mask_err(
        &text,
        dump_with("UPDATE users SET email = 'LEAKMARKER';").as_bytes(),
    );
    assert!(matches!(err, MaskError::AmbiguousName { .. }), "{err}");
}

#[test]
fn partitions_declared_without_schema_or_as_foreign_tables_are_not_passed_unmasked() {
    let parent = "CREATE TABLE public.users (id integer, email text) PARTITION BY RANGE (id);\n";
    let rows = "COPY public.users_p1 (id, email) FROM stdin;\n1\tLEAKMARKER@corp.example\n\\.\n";
    for (strict, declare) in [
        ("false", "SET search_path = public;\nCREATE TABLE users_p1 PARTITION OF users FOR VALUES FROM (0) TO (10);\n"),
        ("false", "CREATE TABLE users_p1 PARTITION OF public.users FOR VALUES FROM (0) TO (10);\n"),
        ("false", "CREATE TABLE public.users_p1 PARTITION OF users FOR VALUES FROM (0) TO (10);\n"),
        ("false", "CREATE TABLE public.users_p1 (id integer, email text);\nALTER TABLE ONLY users ATTACH PARTITION public.users_p1 FOR VALUES FROM (0) TO (10);\n"),
        ("true", "CREATE TABLE users_p1 PARTITION OF public.users FOR VALUES FROM (0) TO (10);\n"),
    ] {
        let mut d = HEADER.to_owned();
        d.push_str(parent);
        d.push_str(declare);
        d.push_str(rows);
        d.push_str(TRAILER);
        let text = format!("strict = {strict}\n[tables.\"public.users\"]\nemail = \"fake_email\"\nkeep = [\"id\"]\n");
        let err = mask_err(&text, d.as_bytes());
        assert!(matches!(err, MaskError::AmbiguousName { .. }), "{declare}: {err}");
        assert!(err.to_string().contains("users"), "{err}");
    }
    // A foreign table as a partition (pg_dump --include-foreign-data writes its rows).
    let mut d = HEADER.to_owned();
    d.push_str(parent);
    d.push_str("CREATE FOREIGN TABLE public.users_p1 PARTITION OF public.users FOR VALUES FROM (0) TO (10) SERVER s;\n");
    d.push_str(rows);
    d.push_str(TRAILER);
    let text =
        "strict = false\n[tables.\"public.users\"]\nemail = \"fake_email\"\nkeep = [\"id\"]\n";
    let (out, _) = mask(text, d.as_bytes()).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(!out.contains("LEAKMARKER"), "{out}");
    assert!(out.contains("@example.com"), "{out}");
}

/// Regression (issue 9 item 9): a COPY block missing its `\.` swallowed
/// the next table's rows, which then went out unmasked.
#[test]
fn copy_block_missing_its_end_marker_is_an_error() {
    let rules_text =
        "strict = false\n[tables.\"public.users\"]\nemail = \"fake_email\"\nkeep = [\"id\"]\n";
    for (first, row) in [
        ("public.notes (id, body)", "1\thello"),
        ("public.tags (tag)", "hello"),
        ("public.empty ", ""),
    ] {
        let mut d = HEADER.to_owned();
        d.push_str(&format!("COPY {first} FROM stdin;\n{row}\n\n\n"));
        d.push_str(
            "--\n-- Data for Name: users; Type: TABLE DATA; Schema: public; Owner: app\n--\n\n",
        );
        d.push_str("COPY public.users (id, email) FROM stdin;\n1\tLEAKMARKER@corp.example\n\\.\n");
        d.push_str(TRAILER);
        let r = rules(rules_text);
        let mut out = Vec::new();
        let err = Masker::new(&r, ctx())
            .unwrap()
            .run(Cursor::new(d.as_bytes()), &mut out)
            .map(|_| ())
            .unwrap_err();
        assert!(
            matches!(err, MaskError::Dump(DumpError::InvalidCopyRow { .. })),
            "{first}: {err}"
        );
        assert!(!String::from_utf8_lossy(&out).contains(MARKER), "{first}");
    }
}

// ---------------------------------------------------------------------------
// Partitions and inheritance (issue 9 item 6)

const PARTITION_RULES: &str = r#"
[tables."public.measurement"]
user_email = "fake_email"
note = "scrub"
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

/// The personal values in the partition fixtures.
const PARTITION_ORIGINALS: &[&str] = &[
    "old.user@corp.example",
    "+49 170 1111111",
    "anna.2023@corp.example",
    "bob.2024@corp.example",
    "(030) 555-2024",
    "carl.2025@corp.example",
    "dora.2025@corp.example",
    "+1 202 555 0150",
    "eve.future@corp.example",
    "plain.contact@corp.example",
    "+49 30 1234567",
    "vip.contact@corp.example",
    "+49 30 7654321",
    "tagged.vip@corp.example",
    "+49 30 1112223",
];

fn qn(schema: &str, name: &str) -> QualifiedName {
    QualifiedName::new(Some(schema), name)
}

#[test]
fn partitions_and_children_are_masked_with_their_parents_rules() {
    for name in [
        "pg15_partitions_copy.sql",
        "pg15_partitions_column_inserts.sql",
        "pg15_partitions_via_root.sql",
        "pg15_partitions_multirow.sql",
    ] {
        let dump = fixture(name);
        let (out, report) = mask(PARTITION_RULES, &dump).unwrap_or_else(|e| panic!("{name}: {e}"));
        let text = String::from_utf8(out).unwrap();
        for o in PARTITION_ORIGINALS {
            assert!(!text.contains(o), "{name}: {o} left in the output");
        }
        assert!(text.contains("contact_3@test.example.com"), "{name}");
        assert!(text.contains("future row"), "{name}: scrub keeps the rest");
        if name != "pg15_partitions_via_root.sql" {
            let m24 = &report.tables[&qn("public", "measurement_2024")];
            assert_eq!(
                (m24.rows, m24.masked_values, m24.treatment),
                (1, 2, Treatment::Masked),
                "{name}"
            );
            assert_eq!(
                report.inherits[&qn("public", "measurement_2025_low")],
                vec![qn("public", "measurement_2025")]
            );
            assert_eq!(
                report.inherits[&qn("public", "vip_tagged")],
                vec![qn("public", "vip_contacts"), qn("public", "tags")]
            );
            assert_eq!(report.inherits.len(), 9);
        }
        // The parent has no data of its own, and that is fine.
        assert!(
            !report.tables.contains_key(&qn("public", "measurement")) || name.contains("via_root")
        );
    }
    // Without column lists the rows cannot be matched to the rules.
    let err = mask_err(PARTITION_RULES, &fixture("pg15_partitions_inserts.sql"));
    assert!(
        matches!(err, MaskError::InsertWithoutColumns { .. }),
        "{err}"
    );
    // The report says what was learned.
    let (_, report) = mask(PARTITION_RULES, &fixture("pg15_partitions_copy.sql")).unwrap();
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(
        json["inherits"]["\"Archive\".\"Measurement Old\""],
        serde_json::json!(["public.measurement"])
    );
}

#[test]
fn a_new_partition_of_a_masked_parent_is_masked_in_non_strict_mode() {
    let rules_text = "strict = false\n[tables.\"public.measurement\"]\nuser_email = \"fake_email\"\nnote = \"null\"\n";
    let (out, report) = mask(rules_text, &fixture("pg15_partitions_copy.sql")).unwrap();
    let text = String::from_utf8(out).unwrap();
    for o in &PARTITION_ORIGINALS[..9] {
        assert!(!text.contains(o), "{o} left in the output");
    }
    // contacts have no rules: passed as they are.
    assert!(text.contains("plain.contact@corp.example"));
    assert_eq!(
        report.tables[&qn("public", "measurement_default")].treatment,
        Treatment::Masked
    );
    assert_eq!(
        report.tables[&qn("public", "contacts")].treatment,
        Treatment::Unlisted
    );
}

#[test]
fn a_partitions_own_rule_takes_precedence_column_by_column() {
    let rules_text = format!(
        "{PARTITION_RULES}\n[tables.\"public.measurement_default\"]\nnote = {{ set = \"own rule\" }}\n"
    );
    let (out, _) = mask(&rules_text, &fixture("pg15_partitions_copy.sql")).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("own rule"));
    assert!(!text.contains("eve.future@corp.example"));
    // A rule for a partition alone (no parent rules) still works.
    let only_child =
        "strict = false\n[tables.\"public.measurement_2024\"]\nuser_email = \"null\"\n";
    let (out, _) = mask(only_child, &fixture("pg15_partitions_copy.sql")).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(!text.contains("bob.2024@corp.example"));
    assert!(text.contains("anna.2023@corp.example"));
}

#[test]
fn parents_with_conflicting_rules_and_late_relations_are_errors() {
    let mut d = HEADER.to_owned();
    d.push_str("CREATE TABLE public.a (id integer, email text);\n\nCREATE TABLE public.b (id integer, email text);\n\n");
    d.push_str("CREATE TABLE public.c (\n)\nINHERITS (public.a, public.b);\n\n");
    for t in ["a", "b", "c"] {
        d.push_str(&format!(
            "COPY public.{t} (id, email) FROM stdin;\n1\tLEAKMARKER@corp.example\n\\.\n\n"
        ));
    }
    d.push_str(TRAILER);
    let two = "[tables.\"public.a\"]\nemail = \"null\"\nkeep = [\"id\"]\n[tables.\"public.b\"]\nemail = \"fake_email\"\nkeep = [\"id\"]\n";
    let err = mask_err(two, d.as_bytes());
    assert!(
        err.is_rules_error() && err.to_string().contains("different rules"),
        "{err}"
    );
    // The child's own rule settles it.
    let settled = format!("{two}[tables.\"public.c\"]\nemail = \"hash\"\n");
    let (out, _) = mask(&settled, d.as_bytes()).unwrap();
    assert!(!String::from_utf8(out).unwrap().contains(MARKER));

    // Data first, relation after: the rows already went out without the parent's rules.
    let mut d = HEADER.to_owned();
    d.push_str("CREATE TABLE public.p (id integer, email text) PARTITION BY RANGE (id);\n\n");
    d.push_str("COPY public.c (id, email) FROM stdin;\n1\tLEAKMARKER@corp.example\n\\.\n\n");
    d.push_str(
        "ALTER TABLE ONLY public.p ATTACH PARTITION public.c FOR VALUES FROM (0) TO (10);\n",
    );
    d.push_str(TRAILER);
    let err = mask_err(
        "strict = false\n[tables.\"public.p\"]\nemail = \"null\"\nkeep = [\"id\"]\n",
        d.as_bytes(),
    );
    assert!(matches!(err, MaskError::LateRelation { .. }), "{err}");
}

#[test]
fn relations_given_up_front_cover_data_only_dumps() {
    let mut d = HEADER.to_owned();
    d.push_str("COPY public.measurement_2031 (id, user_email, note, logdate) FROM stdin;\n5\tLEAKMARKER@corp.example\tx\t2031-01-01\n\\.\n");
    d.push_str(TRAILER);
    let r = rules("strict = false\n[tables.\"public.measurement\"]\nuser_email = \"fake_email\"\nkeep = [\"id\", \"logdate\", \"note\"]\n");
    let mut out = Vec::new();
    let report = Masker::new(&r, ctx())
        .unwrap()
        .with_parents([(
            qn("public", "measurement_2031"),
            qn("public", "measurement"),
        )])
        .run(Cursor::new(d.as_bytes()), &mut out)
        .unwrap();
    assert!(!String::from_utf8(out).unwrap().contains(MARKER));
    assert_eq!(
        report.tables[&qn("public", "measurement_2031")].masked_values,
        1
    );
}

/// Found by the mutation fuzzer: a statement for a table whose rules keep
/// some columns passed before the DDL that made it a child of a masked
/// table; with its DDL mangled, a "kept" table took a DELETE holding an
/// original. In strict mode only COPY rows and INSERT ... VALUES may put
/// data into any table.
#[test]
fn strict_mode_refuses_every_other_write() {
    let rules_text = "[tables.\"public.p\"]\nemail = \"null\"\nkeep = [\"id\"]\n\n[tables.\"public.c\"]\nkeep = [\"level\"]\n";
    let mut d = HEADER.to_owned();
    d.push_str("CREATE TABLE public.p (id integer, email text);\n\n");
    d.push_str("UPDATE public.c SET email = 'LEAKMARKER';\n\n");
    d.push_str("CREATE TABLE public.c (\n    level integer\n)\nINHERITS (public.p);\n\n");
    d.push_str("COPY public.c (id, email, level) FROM stdin;\n1\tx@y.zz\t2\n\\.\n");
    d.push_str(TRAILER);
    let err = mask_err(rules_text, d.as_bytes());
    assert!(matches!(err, MaskError::StatementRefused { .. }), "{err}");
    // A table kept whole: refused in strict mode, passed otherwise.
    let kept = "[tables.\"public.k\"]\nkeep = [\"id\", \"v\"]\n";
    let mut d = HEADER.to_owned();
    d.push_str("CREATE TABLE public.k (id integer, v text);\n\nUPDATE public.k SET v = 'x';\n\n");
    d.push_str("INSERT INTO public.k (id, v) SELECT 2, 'y';\n\n");
    d.push_str("COPY public.k (id, v) FROM stdin;\n1\tx\n\\.\n");
    d.push_str(TRAILER);
    let err = mask_err(kept, d.as_bytes());
    assert!(err.to_string().contains("are strict"), "{err}");
    mask(&format!("strict = false\n{kept}"), d.as_bytes()).unwrap();
}

/// Found by the mutation fuzzer: two swapped lines turned a function
/// body's closing `$_$` into an opening one, and the dump's data sections
/// became the text of one statement.
#[test]
fn a_quote_that_swallows_data_sections_is_refused() {
    let mut d = HEADER.to_owned();
    d.push_str("END $_$;\n\n--\n-- Data for Name: users; Type: TABLE DATA; Schema: public; Owner: app\n--\n\n");
    d.push_str(
        "INSERT INTO public.users (id, email) VALUES (1, 'LEAKMARKER@corp.example');\n\n$_$;\n",
    );
    d.push_str(TRAILER);
    let err = mask_err(USERS_RULES, d.as_bytes());
    assert!(matches!(err, MaskError::UncheckedStatement { .. }), "{err}");
}

#[test]
fn one_partitions_data_is_masked_with_its_ancestors_rules() {
    let r = rules(PARTITION_RULES);
    let child = qn("public", "measurement_2025_low");
    let relations = vec![
        (child.clone(), qn("public", "measurement_2025")),
        (
            qn("public", "measurement_2025"),
            qn("public", "measurement"),
        ),
    ];
    let only = r.only_with_ancestors(&child, &relations);
    assert_eq!(only.tables().count(), 1);
    assert!(only.table(&qn("public", "measurement")).is_some());
    let mut d = HEADER.to_owned();
    d.push_str("COPY public.measurement_2025_low (id, user_email, note, logdate) FROM stdin;\n4\tcarl.2025@corp.example\t\\N\t2025-02-02\n\\.\n");
    d.push_str(TRAILER);
    let mut out = Vec::new();
    Masker::new(&only, ctx())
        .unwrap()
        .with_parents(relations)
        .run(Cursor::new(d.as_bytes()), &mut out)
        .unwrap();
    assert!(!String::from_utf8(out)
        .unwrap()
        .contains("carl.2025@corp.example"));
}

// ---------------------------------------------------------------------------
// Masking on several threads

fn mask_on(rules: &Rules, dump: &[u8], jobs: usize) -> Result<(Vec<u8>, MaskReport), MaskError> {
    let mut out = Vec::new();
    let report = Masker::new(rules, ctx())?.run_jobs(Cursor::new(dump), &mut out, jobs)?;
    Ok((out, report))
}

#[test]
fn rows_cut_by_the_input_buffer_are_masked_as_whole_rows() {
    // The reader hands a masked table's rows over in stretches of its buffer, and a row that
    // crosses the buffer's end (or is longer than the buffer) on its own: every buffer size
    // gives the same bytes and counts as the whole dump in one buffer.
    let text = format!("{EXAMPLE}{EVENTS_KEPT}").replace("\"random_hash\"", "\"hash\"");
    let rules = Rules::parse(&text, "masking.toml").unwrap();
    let dump = generated_dump(300, 2);
    let (whole, whole_report) = mask_on(&rules, dump.as_bytes(), 1).unwrap();
    assert!(whole_report.tables.values().any(|t| t.masked_values > 300));
    for cap in [1, 7, 64, 333, 4096, 70_000] {
        let mut out = Vec::new();
        let input = std::io::BufReader::with_capacity(cap, dump.as_bytes());
        let report = Masker::new(&rules, ctx())
            .unwrap()
            .run(input, &mut out)
            .unwrap();
        assert!(out == whole, "a {cap}-byte buffer gave other bytes");
        assert_eq!(
            serde_json::to_value(&report).unwrap(),
            serde_json::to_value(&whole_report).unwrap(),
            "a {cap}-byte buffer"
        );
    }
}

#[test]
fn masking_on_threads_writes_what_one_thread_writes() {
    // Keyed transforms only (random_hash draws in another order on threads).
    let text = format!("{EXAMPLE}{EVENTS_KEPT}").replace("\"random_hash\"", "\"hash\"");
    let rules = Rules::parse(&text, "masking.toml").unwrap();
    // Several batches of each masked table, kept tables and statements between them.
    let dump = generated_dump(6000, 4);
    assert!(dump.len() > 3_000_000, "{}", dump.len());
    let (serial, serial_report) = mask_on(&rules, dump.as_bytes(), 1).unwrap();
    for jobs in [2, 3, 8] {
        let (out, report) = mask_on(&rules, dump.as_bytes(), jobs).unwrap();
        assert!(out == serial, "{jobs} threads wrote other bytes");
        assert_eq!(
            serde_json::to_value(&report).unwrap(),
            serde_json::to_value(&serial_report).unwrap(),
            "{jobs} threads"
        );
    }
    assert!(serial_report
        .tables
        .values()
        .any(|t| t.masked_values > 10_000));
}

#[test]
fn masking_on_threads_fails_at_the_first_bad_row_as_one_thread_does() {
    let row = |i: usize| format!("{i}\tperson{i}@corp.example");
    let mut rows: Vec<String> = (0..40_000).map(row).collect();
    // Deep in the block, batches after the first; then a table the strict rules do not know.
    rows[31_000] = "31000\tLEAKMARKER\\377@x.io".into();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let dump = small_dump(&[
        ("public.users", "id, email", &rows),
        ("public.unlisted", "id", &["1"]),
    ]);
    let serial = mask_err(USERS_RULES, dump.as_bytes()).to_string();
    assert!(serial.contains("public.users.email"), "{serial}");
    for jobs in [2, 4] {
        let err = mask_on(&rules(USERS_RULES), dump.as_bytes(), jobs)
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert_eq!(err, serial, "{jobs} threads");
        assert!(!err.contains(MARKER), "{err}");
    }
    // A bad value in rows not yet handed to a thread, then a row the reader refuses.
    let mut rows: Vec<String> = (0..100).map(row).collect();
    rows[50] = "50\tLEAKMARKER\\377@x.io".into();
    rows[80] = "80\tx@y.io\textra".into();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let dump = small_dump(&[("public.users", "id, email", &rows)]);
    let serial = mask_err(USERS_RULES, dump.as_bytes());
    assert!(matches!(serial, MaskError::Value { .. }), "{serial}");
    let err = mask_on(&rules(USERS_RULES), dump.as_bytes(), 2)
        .map(|_| ())
        .unwrap_err();
    assert_eq!(err.to_string(), serial.to_string());
    // Without the bad row, the later error is the one of both.
    let ok_rows: Vec<String> = (0..40_000).map(row).collect();
    let ok_rows: Vec<&str> = ok_rows.iter().map(String::as_str).collect();
    let dump = small_dump(&[
        ("public.users", "id, email", &ok_rows),
        ("public.unlisted", "id", &["1"]),
    ]);
    let serial = mask_err(USERS_RULES, dump.as_bytes()).to_string();
    let err = mask_on(&rules(USERS_RULES), dump.as_bytes(), 3)
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert_eq!(err, serial);
}

/// A reader that left after `left` bytes: writes past them fail as into a closed pipe.
struct ClosedAfter {
    left: usize,
}

impl std::io::Write for ClosedAfter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if data.len() > self.left {
            return Err(std::io::ErrorKind::BrokenPipe.into());
        }
        self.left -= data.len();
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn masking_on_threads_reports_a_write_error_before_a_later_bad_row_as_one_thread_does() {
    let mut rows: Vec<String> = (0..60_000)
        .map(|i| format!("{i}\tperson{i}@corp.example"))
        .collect();
    // Far past the point where the output closes; and a bad value in the same batch as the
    // rows written when it closes.
    rows[59_000] = "59000\tLEAKMARKER\\377@x.io".into();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let dump = small_dump(&[("public.users", "id, email", &rows)]);
    for (left, jobs) in [(300_000, 1), (300_000, 2), (300_000, 4), (1_200_000, 2)] {
        let err = Masker::new(&rules(USERS_RULES), ctx())
            .unwrap()
            .run_jobs(Cursor::new(dump.as_bytes()), ClosedAfter { left }, jobs)
            .map(|_| ())
            .unwrap_err();
        assert!(
            matches!(&err, MaskError::Write(e) if e.kind() == std::io::ErrorKind::BrokenPipe),
            "{jobs} threads, closed after {left}: {err}"
        );
    }
}

#[test]
fn scrub_in_a_dump_masks_encoded_addresses_and_typeset_phone_numbers() {
    let rules = "[tables.\"public.notes\"]\nbody = \"scrub\"\nkeep = [\"id\"]\n";
    // COPY text doubles the backslash of the JSON escape.
    let dump = concat!(
        "COPY public.notes (id, body) FROM stdin;\n",
        "1\t{\"to\": \"anna.secret\\\\u0040corp.example\"}\n",
        "2\t/reset?email=bob.secret%40corp.example&x=1\n",
        "3\t<b>carla.secret&#64;corp.example</b>\n",
        "4\tappelez le 01\u{a0}23\u{a0}45\u{a0}67\u{a0}89\n",
        "5\tTel. 0171 / 987 654, Fax 030\u{2013}7654321\n",
        "\\.\n",
    )
    .to_owned()
        + TRAILER;
    let (out, _) = mask(rules, dump.as_bytes()).unwrap();
    let text = String::from_utf8(out).unwrap();
    for original in [
        "anna.secret",
        "bob.secret",
        "carla.secret",
        "45\u{a0}67\u{a0}89",
        "987 654",
        "7654321",
    ] {
        assert!(!text.contains(original), "{original} left in {text}");
    }
    // Each value keeps its form: the JSON escape (COPY-escaped), the URL, the entity.
    assert!(text.contains("\\\\u0040example.com\"}"), "{text}");
    assert!(text.contains("%40example.com&x=1"), "{text}");
    assert!(text.contains("&#64;example.com</b>"), "{text}");
}
