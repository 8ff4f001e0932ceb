//! mask-tool filter end to end: a database full of hostile cases is dumped with pg_dump, masked,
//! restored with psql and compared with its source by content.
//!
//! The source has a non-public schema with a space in its name, mixed-case and reserved-word
//! table and column names, text with tabs, newlines, backslashes and literal `\N` and `\.`, `''`
//! next to NULL, emoji, multi-MB values, arrays, bytea, json and jsonb, a generated column
//! computed from a masked column, a declaratively partitioned table with one partition in
//! another schema, a function whose body looks like COPY data, and foreign keys whose referencing
//! and referenced columns are both masked with the same deterministic transform.
//!
//! Checked after the restore: every masked column changed (no original value left, NULL still
//! NULL, `''` still `''`), every kept column identical (per-table checksums over the kept
//! columns), the schema identical, the foreign keys joining the same rows as before, the unique
//! constraint holding, the generated column recomputed from the masked value, reruns with the
//! same salt byte-identical and another salt giving other values. Broken rules, rules that do not
//! match the dump, and data that cannot be masked stop the run with the documented exit code,
//! a message that names the table and column but not the value, and no output file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tests::{cluster, run, tool, Cluster, Output, TestDb, PASSWORD};

/// The salt of most runs (at least 16 bytes, as the tool requires).
const SALT: &str = "roundtrip-salt-5f1c2a9e0b7d";
/// Another salt, for the run that must give other values.
const OTHER_SALT: &str = "another-salt-c83e61d0a4f2";

/// The hostile source database.
const SCHEMA_AND_DATA: &str = r#"
CREATE SCHEMA "Sales Data";

CREATE TABLE public.users (
    id int PRIMARY KEY,
    email text UNIQUE,
    email_lower text GENERATED ALWAYS AS (lower(email)) STORED,
    name text,
    phone text,
    bio text,
    prefs json,
    profile jsonb,
    note text,
    tags text[],
    scores int[],
    avatar bytea
);

CREATE TABLE public."order" (
    id int PRIMARY KEY,
    "user" int NOT NULL REFERENCES public.users (id),
    customer_email text REFERENCES public.users (email),
    extra text,
    total numeric(12, 2),
    memo text
);

CREATE TABLE "Sales Data"."Customer Orders" (
    id int PRIMARY KEY,
    "Email" text REFERENCES public.users (email),
    "Order Id" int REFERENCES public."order" (id),
    "Shipping Address" text,
    comment text,
    quantities int[],
    labels text[],
    raw bytea,
    payload text
);

CREATE TABLE public.events (
    id int NOT NULL,
    region text NOT NULL,
    email text REFERENCES public.users (email),
    detail text,
    PRIMARY KEY (id, region)
) PARTITION BY LIST (region);
CREATE TABLE public.events_eu PARTITION OF public.events FOR VALUES IN ('eu');
CREATE TABLE "Sales Data"."EventsUS" PARTITION OF public.events FOR VALUES IN ('us');

CREATE TABLE public.settings (key text PRIMARY KEY, value text);

CREATE FUNCTION public.copy_text() RETURNS text LANGUAGE sql AS $body$
SELECT 'COPY public.users (id, email) FROM stdin;
1	not-a-row@example.net
\.
'::text
$body$;

INSERT INTO public.users (id, email, name, phone, bio, prefs, profile, note, tags, scores, avatar) VALUES
(1, 'alice@example.com', 'Alice Ünïcödé', '+49 170 1234567',
 E'Contact alice@example.com\tor +49 170 1234567\nbackslash \\ literal \\N dot \\.\n🎉 end',
 '{"contact": {"email": "alice@example.com", "email": "alice@example.com"}, "backup_emails": ["bob@example.com", "carol+tag@mail.example.org"], "theme": "dark\tmode \\ \u00e9"}',
 '{"alice@example.com": {"since": "2020"}, "emails": ["alice@example.com", "bob@example.com"], "nick": "🎉"}',
 E'kept\ttab\nnewline \\ backslash \\N literal \\.', '{"a,b","c\"d","NULL",NULL,""}', '{1,NULL,-3}', '\xdeadbeef00'),
(2, 'bob@example.com', 'Bob O''Brien', '(555) 123-4567',
 E'bob@example.com\n', '{"contact": {"em\u0061il": "\u0061lice@example.com"}, "backup_emails": [null, ""]}',
 '[]', E'\\N', '{}', '{}', '\x'),
(3, 'carol+tag@mail.example.org', E'\\N', '', E'\\N', 'null', '{}', '', NULL, NULL, NULL),
(4, 'emoji.🎉@example.com', 'Zoë 🎉', NULL, E'write to emoji.🎉@example.com\t🎉', '"just a string"',
 '{"to": "emoji.🎉@example.com"}', '🎉', '{"🎉"}', '{0}', '\x00'),
(5, 'MiXeD.Case@Example.COM', E'tab\tname\nnewline \\ back', '+1 (555) 987-6543',
 'mail MiXeD.Case@Example.COM now',
 E'{\n  "contact" : { "email" : "MiXeD.Case@Example.COM" } ,\n  "n" : 12345678901234567890.123, "other": {"email": "x"} }',
 '{"note": "write to MiXeD.Case@Example.COM"}', E'\\.', '{"\\\\N"}', NULL, '\x5c4e'),
(6, '', '', '', '', '{}', '{}', '', '{""}', '{}', '\x'),
(7, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
(8, 'dave@example.com', 'Dave', '+44 20 7946 0958',
 'dave@example.com ' || repeat(E'lorem \\ ipsum\tdolor 🎉\n', 130000) || ' alice@example.com',
 '{"contact": {"email": "dave@example.com"}, "backup_emails": ["dave@example.com"]}',
 '{"emails": ["dave@example.com"]}', repeat(E'kept \\N\t', 200000), NULL, NULL, NULL);

INSERT INTO public.users (id, email, name, phone, bio, prefs, profile, note, tags, scores, avatar)
SELECT g, 'user' || g || '@example.org', 'Person ' || g, '+1 555 ' || lpad(g::text, 7, '0'),
       'reach me at user' || g || E'@example.org\tplease',
       ('{"contact": {"email": "user' || g || '@example.org"}, "backup_emails": []}')::json,
       jsonb_build_object('emails', jsonb_build_array('user' || g || '@example.org')),
       E'note\t' || g, ARRAY['t' || g, NULL], ARRAY[g, -g], decode(md5(g::text), 'hex')
FROM generate_series(100, 299) g;

INSERT INTO public."order" (id, "user", customer_email, extra, total, memo)
SELECT g, u.id, u.email,
       CASE WHEN g % 10 = 0 THEN NULL
            WHEN g % 10 = 1 THEN ''
            WHEN u.email IS NULL THEN '{"email": null, "cc": [null]}'
            ELSE json_build_object('email', u.email, 'cc', json_build_array(u.email), 'n', g)::text END,
       g * 1.5,
       CASE g % 3 WHEN 0 THEN NULL WHEN 1 THEN '' ELSE E'memo\t' || g || E'\n\\N \\. \\' END
FROM generate_series(1, 400) g
JOIN (SELECT id, email, row_number() OVER (ORDER BY id) - 1 AS k FROM public.users) u
  ON u.k = g % (SELECT count(*) FROM public.users);

INSERT INTO "Sales Data"."Customer Orders"
    (id, "Email", "Order Id", "Shipping Address", comment, quantities, labels, raw, payload)
SELECT g, u.email, g,
       CASE g % 7 WHEN 0 THEN NULL WHEN 1 THEN '' ELSE 'Street ' || (g % 20) || E'\t🎉' END,
       CASE WHEN g % 11 = 0 THEN NULL
            WHEN g % 11 = 1 THEN ''
            WHEN g % 11 = 2 THEN E'\\.'
            WHEN u.email IS NULL OR u.email = '' THEN E'no address \\N'
            ELSE 'Deliver to ' || u.email || E'\n\\N\t🎉 (' || g || ')' END,
       ARRAY[g, NULL], ARRAY['x' || g, 'NULL', '', E'a\\b'], decode(md5(g::text), 'hex'),
       CASE WHEN g = 1 THEN repeat(E'payload\t\\N\n🎉 ', 200000) WHEN g % 5 = 0 THEN NULL
            WHEN g % 5 = 1 THEN '' ELSE 'p' || g END
FROM generate_series(1, 300) g
JOIN (SELECT id, email, row_number() OVER (ORDER BY id) - 1 AS k FROM public.users) u
  ON u.k = (g * 7) % (SELECT count(*) FROM public.users);

INSERT INTO public.events (id, region, email, detail)
SELECT g, CASE g % 2 WHEN 0 THEN 'eu' ELSE 'us' END, u.email, E'detail\t' || g || E'\\N'
FROM generate_series(1, 120) g
JOIN (SELECT id, email, row_number() OVER (ORDER BY id) - 1 AS k FROM public.users) u
  ON u.k = (g * 3) % (SELECT count(*) FROM public.users);

INSERT INTO public.settings VALUES
('a', E'tab\there'), ('b', ''), ('c', NULL), ('d', E'\\N'), ('e', E'\\.'), ('f', '🎉'), ('Mixed', E'\\\\');
"#;

/// Strict rules classing every column of every table with data in the dump (the generated
/// column is not in the dump's data, so it is not classed).
const RULES: &str = r#"
salt_env = "MASK_SALT"
strict = true

[tables."public.users"]
email   = "fake_email"
name    = "fake_name"
phone   = "fake_phone"
bio     = "scrub"
prefs   = { json = { "contact.email" = "fake_email", "backup_emails[*]" = "fake_email" } }
profile = "scrub"
keep    = ["id", "note", "tags", "scores", "avatar"]

[tables.'public."order"']
customer_email = "fake_email"
extra          = { json = { "email" = "fake_email", "cc[*]" = "fake_email" } }
keep           = ["id", '"user"', "total", "memo"]

[tables.'"Sales Data"."Customer Orders"']
'"Email"'            = "fake_email"
'"Shipping Address"' = { hash = { length = 16 } }
comment              = "scrub"
keep                 = ["id", '"Order Id"', "quantities", "labels", "raw", "payload"]

[tables."public.events_eu"]
email = "fake_email"
keep  = ["id", "region", "detail"]

[tables.'"Sales Data"."EventsUS"']
email = "fake_email"
keep  = ["id", "region", "detail"]

[tables."public.settings"]
keep = ["key", "value"]
"#;

/// Per table (as SQL spells it): the kept columns and the ordering key.
const KEPT: &[(&str, &[&str], &str)] = &[
    (
        "public.users",
        &["id", "note", "tags", "scores", "avatar"],
        "id",
    ),
    (
        r#"public."order""#,
        &["id", r#""user""#, "total", "memo"],
        "id",
    ),
    (
        r#""Sales Data"."Customer Orders""#,
        &[
            "id",
            r#""Order Id""#,
            "quantities",
            "labels",
            "raw",
            "payload",
        ],
        "id",
    ),
    ("public.events_eu", &["id", "region", "detail"], "id"),
    (
        r#""Sales Data"."EventsUS""#,
        &["id", "region", "detail"],
        "id",
    ),
    ("public.settings", &["key", "value"], "key"),
];

/// Tables with at least one masked column, as the harness's `table_checksums` names them.
const MASKED_TABLES: &[&str] = &[
    "public.users",
    r#"public."order""#,
    r#""Sales Data"."Customer Orders""#,
    "public.events_eu",
    r#""Sales Data"."EventsUS""#,
];

/// Foreign keys on masked values: (referencing table, its key, referencing column); every one
/// references `public.users (email)`.
const EMAIL_FKS: &[(&str, &str, &str)] = &[
    (r#"public."order""#, "id", "customer_email"),
    (r#""Sales Data"."Customer Orders""#, "id", r#""Email""#),
    ("public.events", "id", "email"),
];

type Row = serde_json::Map<String, serde_json::Value>;

/// A source database loaded with every hostile case.
fn hostile_db(c: &Cluster, prefix: &str) -> TestDb {
    let db = c.create_db(prefix);
    c.psql(&db.name, SCHEMA_AND_DATA);
    db
}

/// The cluster's pg_dump for `db` (plain format, to stdout unless told otherwise).
fn pg_dump_cmd(c: &Cluster, db: &str) -> Command {
    let mut d = Command::new(c.bindir.join("pg_dump"));
    d.env("PGPASSWORD", PASSWORD)
        .args(["-h", "127.0.0.1", "-p", &c.port.to_string()])
        .args(["-U", "postgres", "-d", db]);
    d
}

/// Dumps `db` into `file`, with extra pg_dump options.
fn pg_dump(c: &Cluster, db: &str, file: &Path, options: &[&str]) {
    let mut d = pg_dump_cmd(c, db);
    d.args(options).arg("-f").arg(file);
    let out = run(d);
    assert_eq!(out.code, 0, "pg_dump {db} {options:?}: {}", out.stderr);
}

/// psql reading a script on stdin into `db`, stopping at the first error.
fn psql_stdin(c: &Cluster, db: &str) -> Command {
    let mut p = Command::new(c.bindir.join("psql"));
    p.env("PGPASSWORD", PASSWORD)
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1"])
        .args(["-p", &c.port.to_string(), "-U", "postgres", "-d", db])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    p
}

fn write_rules(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write rules");
    path
}

/// `mask-tool filter --rules RULES INPUT -o OUTPUT` with MASK_SALT set.
fn filter(rules: &Path, input: &Path, output: &Path, salt: &str) -> Output {
    let mut m = tool("mask-tool");
    m.env("MASK_SALT", salt)
        .args(["filter", "--rules"])
        .arg(rules)
        .arg(input)
        .arg("-o")
        .arg(output);
    run(m)
}

fn filter_ok(rules: &Path, input: &Path, output: &Path, salt: &str) {
    let out = filter(rules, input, output, salt);
    assert_eq!(out.code, 0, "mask-tool filter: {}", out.stderr);
    assert!(output.is_file(), "{} was not written", output.display());
}

/// Rows of `select` (which must have an integer `id` column) by id, read as JSON.
fn rows_by_id(c: &Cluster, db: &str, select: &str) -> BTreeMap<i64, Row> {
    let text = c.psql(
        db,
        &format!("SELECT coalesce(json_agg(q), '[]') FROM ({select}) q"),
    );
    let all: Vec<Row> = serde_json::from_str(text.trim()).expect("rows as JSON");
    let mut out = BTreeMap::new();
    for row in all {
        let id = row
            .get("id")
            .and_then(serde_json::Value::as_i64)
            .expect("integer id");
        assert!(out.insert(id, row).is_none(), "id {id} twice in {select}");
    }
    out
}

/// A text column of a fetched row: `None` for NULL.
fn text<'r>(row: &'r Row, col: &str) -> Option<&'r str> {
    match row.get(col) {
        Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s),
        other => panic!("column {col}: expected text or NULL, got {other:?}"),
    }
}

fn one(c: &Cluster, db: &str, sql: &str) -> String {
    c.psql(db, sql).trim().to_string()
}

/// Row count and md5 over the kept columns, ordered by the table's key.
fn kept_checksum(c: &Cluster, db: &str, table: &str, cols: &[&str], key: &str) -> String {
    one(
        c,
        db,
        &format!(
            "SELECT count(*) || ':' || coalesce(md5(string_agg(ROW({})::text, E'\\n' ORDER BY {key})), '-') FROM {table}",
            cols.join(", ")
        ),
    )
}

/// Replaces whole occurrences of each key of `map` in `text`, longest keys first.
fn replace_all(text: &str, map: &BTreeMap<String, String>) -> String {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
    let mut out = text.to_owned();
    for k in keys {
        out = out.replace(k.as_str(), &map[k]);
    }
    out
}

/// What a `json` rule must make of a document: every masked string (written plainly or with
/// its first `a` as `\u0061`) replaced by the fake of the address; every other byte kept.
fn json_masked(doc: &str, emails: &BTreeMap<String, String>) -> String {
    let mut quoted = BTreeMap::new();
    for (orig, fake) in emails {
        quoted.insert(format!("\"{orig}\""), format!("\"{fake}\""));
        if orig.contains('a') {
            quoted.insert(
                format!("\"{}\"", orig.replacen('a', "\\u0061", 1)),
                format!("\"{fake}\""),
            );
        }
    }
    replace_all(doc, &quoted)
}

/// The masked value of a non-empty source value under a deterministic transform.
fn fake_of(value: &str, map: &BTreeMap<String, String>) -> String {
    map.get(value).cloned().unwrap_or_else(|| {
        panic!(
            "no masked value known for a source value of {} bytes",
            value.len()
        )
    })
}

/// The lines of a plain dump outside its COPY data: the statements, comments and DDL.
fn statement_lines(dump: &[u8]) -> Vec<&[u8]> {
    let mut in_copy = false;
    let mut out = Vec::new();
    for line in dump.split(|&b| b == b'\n') {
        if in_copy {
            in_copy = line != b"\\.";
        } else {
            in_copy = line.starts_with(b"COPY ") && line.ends_with(b" FROM stdin;");
            out.push(line);
        }
    }
    out
}

/// Source -> masked value of a deterministically masked column, read by row id, checking that
/// NULL stayed NULL, `''` stayed `''` and every other value changed to something that is not a
/// source value of the column.
fn masked_map(
    what: &str,
    src: &BTreeMap<i64, Row>,
    copy: &BTreeMap<i64, Row>,
    col: &str,
) -> BTreeMap<String, String> {
    let originals: BTreeSet<&str> = src.values().filter_map(|r| text(r, col)).collect();
    let mut map = BTreeMap::new();
    let mut changed = 0;
    for (id, s) in src {
        let (a, b) = (text(s, col), text(&copy[id], col));
        match (a, b) {
            (None, None) => {}
            (Some(""), Some("")) => {}
            (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() => {
                assert!(
                    !originals.contains(b),
                    "{what}.{col} id {id}: the masked value is an original value of the column"
                );
                if let Some(prev) = map.insert(a.to_owned(), b.to_owned()) {
                    assert_eq!(prev, b, "{what}.{col}: one source value masked two ways");
                }
                changed += 1;
            }
            _ => panic!(
                "{what}.{col} id {id}: NULL or '' not kept as such (source {:?}, copy {:?})",
                a.map(str::len),
                b.map(str::len)
            ),
        }
    }
    assert!(changed > 0, "{what}.{col}: nothing was masked");
    map
}

/// NULL and `''` kept as such, everything else as `expected` says.
fn assert_column(
    what: &str,
    src: &BTreeMap<i64, Row>,
    copy: &BTreeMap<i64, Row>,
    col: &str,
    expected: impl Fn(&str) -> String,
) {
    assert_eq!(src.len(), copy.len(), "{what}: row count");
    for (id, s) in src {
        let want = text(s, col).map(|v| {
            if v.is_empty() {
                String::new()
            } else {
                expected(v)
            }
        });
        let got = text(&copy[id], col);
        assert!(
            want.as_deref() == got,
            "{what}.{col} id {id}: masked value is not the expected one \
             (expected {} bytes, got {} bytes){}",
            want.as_ref().map_or(0, String::len),
            got.map_or(0, str::len),
            if want.as_ref().is_some_and(|w| w.len() < 500) {
                format!("\nexpected {want:?}\n     got {got:?}")
            } else {
                String::new()
            }
        );
    }
}

/// Pairs (referencing key, users.id) joined through `col = users.email`.
fn fk_pairs(c: &Cluster, db: &str, table: &str, key: &str, col: &str) -> String {
    one(
        c,
        db,
        &format!(
            "SELECT count(*) || ':' || coalesce(md5(string_agg(t.{key} || '>' || u.id, ',' ORDER BY t.{key}, u.id)), '-') \
             FROM {table} t JOIN public.users u ON u.email = t.{col}"
        ),
    )
}

/// The masked values of the copy that later checks compare across runs.
struct Masked {
    emails: BTreeMap<String, String>,
}

/// Compares a restored masked copy with its source by content; `masked_dump` is the masked
/// dump the copy was restored from (searched for original values as well).
fn verify_copy(c: &Cluster, src: &str, copy: &str, masked_dump: &[u8]) -> Masked {
    // Same DDL (tables, constraints, partitions, the function body) byte for byte.
    assert_eq!(c.schema(src), c.schema(copy), "schema differs");
    assert_eq!(
        one(c, copy, "SELECT public.copy_text()"),
        one(c, src, "SELECT public.copy_text()")
    );

    // Kept columns identical, row counts equal, masked tables changed, the kept table identical.
    for (table, cols, key) in KEPT {
        let a = kept_checksum(c, src, table, cols, key);
        let b = kept_checksum(c, copy, table, cols, key);
        assert_eq!(a, b, "kept columns of {table} differ");
        assert!(!a.starts_with("0:"), "{table} has no rows to compare");
    }
    let (sums_src, sums_copy) = (c.table_checksums(src), c.table_checksums(copy));
    assert_eq!(
        sums_src.keys().collect::<Vec<_>>(),
        sums_copy.keys().collect::<Vec<_>>()
    );
    for (table, sum) in &sums_src {
        let count = |s: &str| s.split(':').next().unwrap_or_default().to_owned();
        assert_eq!(count(sum), count(&sums_copy[table]), "row count of {table}");
        if MASKED_TABLES.contains(&table.as_str()) {
            assert_ne!(sum, &sums_copy[table], "{table} was not masked");
        } else {
            assert_eq!(sum, &sums_copy[table], "{table} changed");
        }
    }

    // users: the reference for every masked e-mail address.
    let users = "SELECT id, email, email_lower, name, phone, bio, prefs::text AS prefs, \
                 profile::text AS profile FROM public.users";
    let (su, cu) = (rows_by_id(c, src, users), rows_by_id(c, copy, users));
    assert_eq!(su.keys().collect::<Vec<_>>(), cu.keys().collect::<Vec<_>>());
    let emails = masked_map("public.users", &su, &cu, "email");
    let phones = masked_map("public.users", &su, &cu, "phone");
    masked_map("public.users", &su, &cu, "name");
    for fake in emails.values() {
        assert_eq!(
            fake.matches('@').count(),
            1,
            "a masked address is no address"
        );
    }
    assert_eq!(
        one(
            c,
            copy,
            "SELECT count(email) = count(DISTINCT email) FROM public.users"
        ),
        "t",
        "masked e-mail addresses are not unique"
    );
    // The generated column is computed again, from the masked address.
    assert_eq!(
        one(
            c,
            copy,
            "SELECT count(*) FROM public.users WHERE email_lower IS DISTINCT FROM lower(email)"
        ),
        "0"
    );
    for (id, s) in &su {
        if text(s, "email").is_some_and(|e| !e.is_empty()) {
            assert_ne!(
                text(s, "email_lower"),
                text(&cu[id], "email_lower"),
                "users id {id}: generated column still from the original address"
            );
        }
    }
    let mut scrubbed = emails.clone();
    scrubbed.extend(phones.clone());
    assert_column("public.users", &su, &cu, "bio", |v| {
        replace_all(v, &scrubbed)
    });
    assert_column("public.users", &su, &cu, "prefs", |v| {
        json_masked(v, &emails)
    });
    // jsonb: scrubbed text, compared as JSON (an address used as a key moves in jsonb's order).
    for (id, s) in &su {
        let parse = |t: Option<&str>| {
            t.map(|t| serde_json::from_str::<serde_json::Value>(t).expect("jsonb text"))
        };
        let want = parse(
            text(s, "profile")
                .map(|v| replace_all(v, &emails))
                .as_deref(),
        );
        assert_eq!(
            parse(text(&cu[id], "profile")),
            want,
            "users id {id}: profile"
        );
    }

    // The other tables: the same address masks to the same fake wherever it is.
    let orders = "SELECT id, customer_email, extra FROM public.\"order\"";
    let (so, co) = (rows_by_id(c, src, orders), rows_by_id(c, copy, orders));
    assert_column("public.\"order\"", &so, &co, "customer_email", |v| {
        fake_of(v, &emails)
    });
    assert_column("public.\"order\"", &so, &co, "extra", |v| {
        json_masked(v, &emails)
    });

    let customer_orders = "SELECT id, \"Email\", \"Shipping Address\", comment FROM \"Sales Data\".\"Customer Orders\"";
    let (sc, cc) = (
        rows_by_id(c, src, customer_orders),
        rows_by_id(c, copy, customer_orders),
    );
    assert_column("Customer Orders", &sc, &cc, "Email", |v| {
        fake_of(v, &emails)
    });
    assert_column("Customer Orders", &sc, &cc, "comment", |v| {
        replace_all(v, &emails)
    });
    let addresses = masked_map("Customer Orders", &sc, &cc, "Shipping Address");
    assert!(
        addresses
            .values()
            .all(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit())),
        "Shipping Address: not 16 hex digits"
    );
    let distinct: BTreeSet<&String> = addresses.values().collect();
    assert_eq!(distinct.len(), addresses.len(), "two addresses hash alike");

    for partition in ["public.events_eu", "\"Sales Data\".\"EventsUS\""] {
        let sql = format!("SELECT id, email FROM {partition}");
        let (se, ce) = (rows_by_id(c, src, &sql), rows_by_id(c, copy, &sql));
        assert!(!se.is_empty(), "{partition} is empty");
        assert_column(partition, &se, &ce, "email", |v| fake_of(v, &emails));
    }

    // The foreign keys on masked values join exactly the rows they joined before.
    for (table, key, col) in EMAIL_FKS {
        let before = fk_pairs(c, src, table, key, col);
        assert!(!before.starts_with("0:"), "{table}.{col} joins nothing");
        assert_eq!(
            before,
            fk_pairs(c, copy, table, key, col),
            "{table}.{col} join"
        );
    }

    // No original address or phone number anywhere in the masked dump.
    let dump = String::from_utf8_lossy(masked_dump);
    for orig in emails.keys().chain(phones.keys()) {
        assert!(
            !dump.contains(orig.as_str()),
            "an original value ({} bytes) is in the masked dump",
            orig.len()
        );
    }
    Masked { emails }
}

/// Dumps a fresh hostile database; returns it, the temp folder, the dump and the rules file.
fn dumped(c: &Cluster, prefix: &str) -> (TestDb, tempfile::TempDir, PathBuf, PathBuf) {
    let db = hostile_db(c, prefix);
    let tmp = tempfile::tempdir().expect("tempdir");
    let dump = tmp.path().join("source.sql");
    pg_dump(c, &db.name, &dump, &[]);
    let rules = write_rules(tmp.path(), "rules.toml", RULES);
    (db, tmp, dump, rules)
}

/// Restores a plain dump file into a fresh database and returns its name.
fn restore(c: &Cluster, prefix: &str, file: &Path) -> String {
    let copy = c.create_db(prefix);
    c.psql_file(&copy.name, file);
    copy.name
}

#[test]
fn hostile_dump_masked_and_restored_changes_only_the_masked_columns() {
    let c = cluster();
    let (db, tmp, dump, rules) = dumped(c, "mask_src");
    let original = std::fs::read(&dump).expect("read dump");
    let source_text = String::from_utf8_lossy(&original);
    // The searches of verify_copy can fail: the originals are in the unmasked dump.
    for needle in [
        "alice@example.com",
        "emoji.🎉@example.com",
        "+49 170 1234567",
    ] {
        assert!(source_text.contains(needle));
    }
    let masked = tmp.path().join("out").join("masked.sql");
    filter_ok(&rules, &dump, &masked, SALT);
    let bytes = std::fs::read(&masked).expect("read masked dump");
    assert!(bytes.len() > 6_000_000, "the multi-MB values are missing");
    let copy = restore(c, "mask_copy", &masked);
    verify_copy(c, &db.name, &copy, &bytes);
}

#[test]
fn reruns_with_the_same_salt_are_byte_identical_and_another_salt_masks_differently() {
    let c = cluster();
    let (db, tmp, dump, rules) = dumped(c, "mask_rerun");
    let first = tmp.path().join("first.sql");
    let second = tmp.path().join("second.sql");
    let other = tmp.path().join("other.sql");
    filter_ok(&rules, &dump, &first, SALT);
    filter_ok(&rules, &dump, &second, SALT);
    filter_ok(&rules, &dump, &other, OTHER_SALT);
    let (a, b, o) = (
        std::fs::read(&first).expect("first"),
        std::fs::read(&second).expect("second"),
        std::fs::read(&other).expect("other"),
    );
    assert!(a == b, "two runs with the same salt differ");
    assert!(a != o, "another salt gave the same dump");

    let copy_a = restore(c, "mask_rerun_a", &first);
    let copy_o = restore(c, "mask_rerun_o", &other);
    let masked_a = verify_copy(c, &db.name, &copy_a, &a);
    let masked_o = verify_copy(c, &db.name, &copy_o, &o);
    // Same structure and kept data (verify_copy compared both with the source), other values.
    let (sql_a, sql_o) = (statement_lines(&a), statement_lines(&o));
    assert!(sql_a.len() > 100, "no statements found in the dump");
    assert!(sql_a == sql_o, "the statements of the two dumps differ");
    assert_eq!(
        a.iter().filter(|&&b| b == b'\n').count(),
        o.iter().filter(|&&b| b == b'\n').count(),
        "line counts differ"
    );
    for (orig, fake) in &masked_a.emails {
        assert_ne!(
            fake, &masked_o.emails[orig],
            "an address masked alike under two salts"
        );
    }
    let names = "SELECT id, name, phone FROM public.users";
    let (na, no) = (rows_by_id(c, &copy_a, names), rows_by_id(c, &copy_o, names));
    let differ = |col: &str| {
        na.iter()
            .filter(|(id, r)| {
                text(r, col).is_some_and(|v| !v.is_empty()) && text(r, col) != text(&no[id], col)
            })
            .count()
    };
    assert!(differ("phone") > 100, "phones barely differ between salts");
    assert!(differ("name") > 100, "names barely differ between salts");
}

#[test]
fn pg_dump_piped_through_filter_into_psql_restores_the_masked_copy() {
    let c = cluster();
    let (db, tmp, dump, rules) = dumped(c, "mask_pipe");
    let copy = c.create_db("mask_pipe_copy");

    let mut d = pg_dump_cmd(c, &db.name);
    d.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut dump_child = d.spawn().expect("spawn pg_dump");
    let mut m = tool("mask-tool");
    m.env("MASK_SALT", SALT)
        .args(["filter", "--rules"])
        .arg(&rules)
        .stdin(Stdio::from(
            dump_child.stdout.take().expect("pg_dump stdout"),
        ))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut mask_child = m.spawn().expect("spawn mask-tool");
    let mut p = psql_stdin(c, &copy.name);
    p.stdin(Stdio::from(
        mask_child.stdout.take().expect("mask-tool stdout"),
    ));
    let restored = p.output().expect("run psql");
    let masked = mask_child.wait_with_output().expect("wait mask-tool");
    let dumped = dump_child.wait_with_output().expect("wait pg_dump");
    assert!(
        dumped.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&dumped.stderr)
    );
    assert!(
        masked.status.success(),
        "mask-tool: {}",
        String::from_utf8_lossy(&masked.stderr)
    );
    assert!(
        restored.status.success(),
        "psql: {}",
        String::from_utf8_lossy(&restored.stderr)
    );

    // The same content as the file-to-file run gives.
    let file_out = tmp.path().join("masked.sql");
    filter_ok(&rules, &dump, &file_out, SALT);
    let bytes = std::fs::read(&file_out).expect("masked dump");
    verify_copy(c, &db.name, &copy.name, &bytes);
    let file_copy = restore(c, "mask_pipe_file", &file_out);
    assert_eq!(c.table_checksums(&copy.name), c.table_checksums(&file_copy));
}

#[test]
fn gzip_output_restores_with_gunzip_into_psql_and_matches_the_plain_output() {
    let c = cluster();
    let (db, tmp, dump, rules) = dumped(c, "mask_gz");
    let plain = tmp.path().join("masked.sql");
    let gz = tmp.path().join("masked.sql.gz");
    filter_ok(&rules, &dump, &plain, SALT);
    filter_ok(&rules, &dump, &gz, SALT);
    let plain_bytes = std::fs::read(&plain).expect("plain");
    let mut unzipped = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::MultiGzDecoder::new(std::fs::File::open(&gz).expect("open gz")),
        &mut unzipped,
    )
    .expect("gunzip");
    assert!(
        unzipped == plain_bytes,
        "the .gz output is not the plain output compressed"
    );

    // A compressed input gives the same output too.
    let gz_in = tmp.path().join("source.sql.gz");
    {
        let mut enc = flate2::write::GzEncoder::new(
            std::fs::File::create(&gz_in).expect("create gz input"),
            flate2::Compression::fast(),
        );
        std::io::Write::write_all(&mut enc, &std::fs::read(&dump).expect("dump")).expect("gzip");
        enc.finish().expect("finish gzip");
    }
    let from_gz = tmp.path().join("from_gz.sql");
    filter_ok(&rules, &gz_in, &from_gz, SALT);
    assert!(std::fs::read(&from_gz).expect("from gz") == plain_bytes);

    // gunzip < masked.sql.gz | psql
    let copy = c.create_db("mask_gz_copy");
    let mut g = Command::new("gunzip");
    g.stdin(std::fs::File::open(&gz).expect("open gz"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut gunzip = g.spawn().expect("spawn gunzip");
    let mut p = psql_stdin(c, &copy.name);
    p.stdin(Stdio::from(gunzip.stdout.take().expect("gunzip stdout")));
    let restored = p.output().expect("run psql");
    let unzip = gunzip.wait_with_output().expect("wait gunzip");
    assert!(
        unzip.status.success(),
        "gunzip: {}",
        String::from_utf8_lossy(&unzip.stderr)
    );
    assert!(
        restored.status.success(),
        "psql: {}",
        String::from_utf8_lossy(&restored.stderr)
    );
    verify_copy(c, &db.name, &copy.name, &plain_bytes);
}

/// A failed run: the exit code, nothing at the output path or beside it, and no value from the
/// source (`secrets`) in the message.
fn assert_failed_closed(out: &Output, code: i32, output: &Path, secrets: &[&str]) {
    assert_eq!(
        out.code, code,
        "stdout: {} stderr: {}",
        out.stdout, out.stderr
    );
    assert!(
        out.stderr.to_lowercase().contains("error"),
        "{}",
        out.stderr
    );
    assert!(!output.exists(), "{} was left behind", output.display());
    let partial = PathBuf::from(format!("{}.partial", output.display()));
    assert!(!partial.exists(), "{} was left behind", partial.display());
    if let Some(dir) = output.parent() {
        let left: Vec<_> = std::fs::read_dir(dir)
            .map(|rd| rd.flatten().map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert!(left.is_empty(), "files left in the output folder: {left:?}");
    }
    for s in secrets {
        assert!(
            !out.stderr.contains(s),
            "the message quotes a value: {}",
            out.stderr
        );
    }
}

/// Source values that no error message may quote.
const SECRETS: &[&str] = &[
    "alice@example.com",
    "bob@example.com",
    "user100@example.org",
    "+49 170 1234567",
];

/// "line N" for the line of `text` where `needle` starts.
fn line_of(text: &str, needle: &str) -> String {
    let at = text.find(needle).expect("needle in the rules");
    format!("line {}", text[..at].matches('\n').count() + 1)
}

#[test]
fn malformed_rules_stop_the_run_with_exit_2_and_no_output() {
    let c = cluster();
    let (_db, tmp, dump, _rules) = dumped(c, "mask_bad_rules");
    let cases: Vec<(&str, String, Vec<String>)> = vec![
        (
            "not toml",
            RULES.replace(
                "[tables.\"public.events_eu\"]",
                "[tables.\"public.events_eu\"",
            ),
            vec![line_of(RULES, "[tables.\"public.events_eu\"]")],
        ),
        (
            "unknown transform",
            RULES.replace("phone   = \"fake_phone\"", "phone   = \"fake_phon\""),
            vec![
                "public.users".into(),
                "phone".into(),
                "fake_phon".into(),
                line_of(RULES, "phone   ="),
            ],
        ),
        (
            "table without schema",
            RULES.replace("[tables.\"public.settings\"]", "[tables.settings]"),
            vec!["settings".into(), "must name its schema".into()],
        ),
        (
            "template reading a masked column",
            RULES.replace(
                "name    = \"fake_name\"",
                "name    = { template = \"{email}\" }",
            ),
            vec![
                "public.users".into(),
                "name".into(),
                "email".into(),
                "leak".into(),
            ],
        ),
        (
            "column classed twice",
            RULES.replace(
                "keep    = [\"id\", \"note\"",
                "keep    = [\"id\", \"email\", \"note\"",
            ),
            vec![
                "public.users".into(),
                "email".into(),
                "classed twice".into(),
            ],
        ),
    ];
    for (what, text, names) in &cases {
        assert_ne!(text.as_str(), RULES, "{what}: the rules were not changed");
        let rules = write_rules(tmp.path(), "bad.toml", text);
        let output = tmp.path().join("out").join("masked.sql");
        let out = filter(&rules, &dump, &output, SALT);
        assert_failed_closed(&out, 2, &output, SECRETS);
        assert!(out.stderr.contains("bad.toml"), "{what}: {}", out.stderr);
        for n in names {
            assert!(
                out.stderr.contains(n.as_str()),
                "{what}: {n:?} not named: {}",
                out.stderr
            );
        }
    }
}

#[test]
fn rules_naming_an_unknown_column_or_table_stop_the_run_with_exit_2_and_no_output() {
    let c = cluster();
    let (_db, tmp, dump, _rules) = dumped(c, "mask_unknown");
    let cases: &[(&str, String, &[&str])] = &[
        (
            "misspelt column",
            RULES.replace(
                "bio     = \"scrub\"",
                "bio     = \"scrub\"\nemial   = \"fake_email\"",
            ),
            &["public.users.emial", "not in the table's column list"],
        ),
        (
            "the generated column (its data is not in the dump)",
            RULES.replace(
                "bio     = \"scrub\"",
                "bio     = \"scrub\"\nemail_lower = \"fake_email\"",
            ),
            &["public.users.email_lower"],
        ),
        (
            "mixed-case column written unquoted",
            RULES.replace(
                "'\"Email\"'            = \"fake_email\"",
                "Email = \"fake_email\"",
            ),
            &["\"Sales Data\".\"Customer Orders\".email"],
        ),
        (
            "table not in the dump",
            format!("{RULES}\n[tables.\"public.ghosts\"]\nkeep = [\"id\"]\n"),
            &["public.ghosts"],
        ),
    ];
    for (what, text, names) in cases {
        assert_ne!(text.as_str(), RULES, "{what}: the rules were not changed");
        let rules = write_rules(tmp.path(), "stale.toml", text);
        let output = tmp.path().join("out").join("masked.sql");
        let out = filter(&rules, &dump, &output, SALT);
        assert_failed_closed(&out, 2, &output, SECRETS);
        for n in *names {
            assert!(
                out.stderr.contains(n),
                "{what}: {n:?} not named: {}",
                out.stderr
            );
        }
    }
}

#[test]
fn a_column_added_after_the_rules_were_written_stops_the_run_with_exit_2() {
    let c = cluster();
    let db = hostile_db(c, "mask_new_column");
    let marker = "MARKER-TAXID-93f1c7";
    c.psql(
        &db.name,
        &format!(
            "ALTER TABLE \"Sales Data\".\"Customer Orders\" ADD COLUMN \"Tax Id\" text; \
             UPDATE \"Sales Data\".\"Customer Orders\" SET \"Tax Id\" = '{marker}-' || id"
        ),
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let dump = tmp.path().join("source.sql");
    pg_dump(c, &db.name, &dump, &[]);
    let rules = write_rules(tmp.path(), "rules.toml", RULES);
    let output = tmp.path().join("out").join("masked.sql");
    let out = filter(&rules, &dump, &output, SALT);
    let mut secrets = SECRETS.to_vec();
    secrets.push(marker);
    assert_failed_closed(&out, 2, &output, &secrets);
    assert!(
        out.stderr
            .contains("\"Sales Data\".\"Customer Orders\".\"Tax Id\""),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("not classed"), "{}", out.stderr);
}

#[test]
fn text_that_is_not_json_in_a_json_masked_column_stops_the_run_with_exit_1() {
    let c = cluster();
    let db = hostile_db(c, "mask_not_json");
    let marker = "MARKER-NOTJSON-5d2c@example.com";
    c.psql(
        &db.name,
        &format!("UPDATE public.\"order\" SET extra = '{{\"email\": \"{marker}\"' WHERE id = 123"),
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let dump = tmp.path().join("source.sql");
    pg_dump(c, &db.name, &dump, &[]);
    let rules = write_rules(tmp.path(), "rules.toml", RULES);
    let output = tmp.path().join("out").join("masked.sql");
    let out = filter(&rules, &dump, &output, SALT);
    let mut secrets = SECRETS.to_vec();
    secrets.extend([marker, "MARKER"]);
    // Bad data in the dump is a failure (1), not a usage or rules error (2).
    assert_failed_closed(&out, 1, &output, &secrets);
    assert!(
        out.stderr.contains("public.\"order\".extra"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("JSON"), "{}", out.stderr);
}

#[test]
fn a_mixed_case_table_written_unquoted_or_in_other_case_never_matches() {
    let c = cluster();
    let (_db, tmp, dump, _rules) = dumped(c, "mask_case");
    let relaxed = RULES.replace("strict = true", "strict = false");
    let cases: &[(&str, String, i32, &[&str])] = &[
        (
            "unquoted, folded to lower case (strict off)",
            relaxed.replace(
                "[tables.'\"Sales Data\".\"EventsUS\"']",
                "[tables.'\"Sales Data\".EventsUS']",
            ),
            2,
            &["\"Sales Data\".eventsus", "no data for"],
        ),
        (
            "quoted in lower case (strict off)",
            relaxed.replace(
                "[tables.'\"Sales Data\".\"Customer Orders\"']",
                "[tables.'\"sales data\".\"customer orders\"']",
            ),
            2,
            &["\"sales data\".\"customer orders\"", "no data for"],
        ),
        (
            "unquoted, folded to lower case (strict on)",
            RULES.replace(
                "[tables.'\"Sales Data\".\"EventsUS\"']",
                "[tables.'\"Sales Data\".EventsUS']",
            ),
            2,
            &["\"Sales Data\".\"EventsUS\"", "has no rules"],
        ),
    ];
    for (what, text, code, names) in cases {
        assert!(
            text.as_str() != RULES && text != &relaxed,
            "{what}: the rules were not changed"
        );
        let rules = write_rules(tmp.path(), "case.toml", text);
        let output = tmp.path().join("out").join("masked.sql");
        let out = filter(&rules, &dump, &output, SALT);
        assert_failed_closed(&out, *code, &output, SECRETS);
        for n in *names {
            assert!(
                out.stderr.contains(n),
                "{what}: {n:?} not named: {}",
                out.stderr
            );
        }
    }
    // The relaxed rules themselves are fine: the failures above come from the names alone.
    let rules = write_rules(tmp.path(), "relaxed.toml", &relaxed);
    let output = tmp.path().join("relaxed.sql");
    filter_ok(&rules, &dump, &output, SALT);
}

#[test]
fn column_insert_dumps_round_trip_and_inserts_without_column_lists_are_refused() {
    let c = cluster();
    let db = hostile_db(c, "mask_inserts");
    let tmp = tempfile::tempdir().expect("tempdir");
    let rules = write_rules(tmp.path(), "rules.toml", RULES);
    // Multi-row INSERTs with column lists are masked like COPY data.
    let dump = tmp.path().join("inserts.sql");
    pg_dump(
        c,
        &db.name,
        &dump,
        &["--column-inserts", "--rows-per-insert=5"],
    );
    let masked = tmp.path().join("masked.sql");
    filter_ok(&rules, &dump, &masked, SALT);
    let bytes = std::fs::read(&masked).expect("masked dump");
    let copy = restore(c, "mask_inserts_copy", &masked);
    verify_copy(c, &db.name, &copy, &bytes);

    // Without column lists the values cannot be matched to the rules. The rules are fine and
    // the input cannot be processed: a failure (1), not a usage or rules error (2).
    let dump = tmp.path().join("bare.sql");
    pg_dump(c, &db.name, &dump, &["--inserts"]);
    let output = tmp.path().join("out").join("masked.sql");
    let out = filter(&rules, &dump, &output, SALT);
    assert_failed_closed(&out, 1, &output, SECRETS);
    assert!(out.stderr.contains("no column list"), "{}", out.stderr);
}

#[test]
fn a_dump_cut_short_stops_the_run_with_exit_1_and_no_output() {
    let c = cluster();
    let (_db, tmp, dump, rules) = dumped(c, "mask_cut");
    let full = std::fs::read_to_string(&dump).expect("dump");
    let row = full.find("1\talice@example.com\t").expect("alice's row");
    let trailer = full
        .find("-- PostgreSQL database dump complete")
        .expect("completion trailer");
    let cases = [
        // In the middle of a masked row: the start of the value must not be passed on.
        ("inside a row", &full[..row + "1\talice@exa".len()]),
        // Between statements, after all the data: only the trailer is missing.
        ("before the trailer", &full[..trailer]),
    ];
    for (what, text) in cases {
        let cut = tmp.path().join("cut.sql");
        std::fs::write(&cut, text).expect("write cut dump");
        let output = tmp.path().join("out").join("masked.sql");
        let out = filter(&rules, &cut, &output, SALT);
        let mut secrets = SECRETS.to_vec();
        secrets.push("alice@exa");
        // A broken input is a failure (1), not a usage or rules error (2).
        assert_failed_closed(&out, 1, &output, &secrets);
        assert!(
            out.stderr.contains("dump"),
            "{what}: the message does not say the dump is at fault: {}",
            out.stderr
        );
    }
}
