//! mask-tool through its CLI: filter, apply (PostgreSQL and SQLite), lint, leaks, refusals.

use std::path::{Path, PathBuf};
use std::process::Command;

use tests::{cluster, run, tool, Cluster, PASSWORD};

const SALT: &str = "a-test-salt-that-is-long-enough-42";

/// The seeds' policy over a small users/accounts schema; deterministic transforms only, so the
/// stream path and the live path can be compared value by value.
const RULES: &str = r#"
salt_env = "MASK_SALT"
strict = true

[tables."public.users"]
email = { template = "user_{id}@test.example.com" }
name  = { template = "Test User {id}" }
phone = "fake_phone"
keep  = ["id", "created_at"]

[tables."public.accounts"]
provider_account_id = { template = "masked_{id}" }
refresh_token       = "hash"
oauth_secret        = { template = "masked_secret_{id}" }
keep = ["id", "user_id", "provider"]
"#;

fn load_app(c: &Cluster, db: &str) {
    c.psql(
        db,
        "CREATE TABLE public.users (id bigint PRIMARY KEY, email text UNIQUE NOT NULL, name text, phone text, created_at timestamptz DEFAULT '2026-01-01');
         CREATE TABLE public.accounts (id bigint PRIMARY KEY, user_id bigint REFERENCES public.users(id), provider text,
                                       provider_account_id text, refresh_token text, oauth_secret text);
         INSERT INTO public.users (id, email, name, phone) SELECT g, 'person' || g || '@gmail.example', 'Real Name ' || g,
                CASE WHEN g % 5 = 0 THEN NULL ELSE '+49 151 ' || (1000000 + g) END FROM generate_series(1, 300) g;
         INSERT INTO public.accounts SELECT g, g, 'github', 'gh-' || (9000 + g), md5('tok' || g), 'secret-' || g FROM generate_series(1, 300) g;",
    );
}

fn write_rules(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("masking.toml");
    std::fs::write(&p, text).expect("write rules");
    p
}

fn mask_tool() -> Command {
    let mut c = tool("mask-tool");
    c.env("MASK_SALT", SALT);
    c
}

fn pg_dump(c: &Cluster, db: &str, out: &Path) {
    let f = std::fs::File::create(out).expect("dump file");
    let status = Command::new(c.bindir.join("pg_dump"))
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &c.port.to_string(),
            "-U",
            "postgres",
            "-d",
            db,
        ])
        .env("PGPASSWORD", PASSWORD)
        .stdout(f)
        .status()
        .expect("pg_dump");
    assert!(status.success());
}

/// Source -> pg_dump -> mask-tool filter -> psql into a new database; returns its name.
fn filtered_copy(c: &Cluster, src: &str, rules: &Path, dir: &Path) -> String {
    let dump = dir.join(format!("{src}.sql"));
    pg_dump(c, src, &dump);
    let masked = dir.join(format!("{src}.masked.sql"));
    let mut f = mask_tool();
    f.args(["filter", "--rules"])
        .arg(rules)
        .arg(&dump)
        .arg("-o")
        .arg(&masked);
    let out = run(f);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let copy = c.create_db("masked_copy");
    c.psql_file(&copy.name, &masked);
    copy.name
}

/// Source -> pg_dump -> psql (unmasked) into a new database; returns its name.
fn plain_copy(c: &Cluster, src: &str, dir: &Path) -> String {
    let dump = dir.join(format!("{src}.plain.sql"));
    pg_dump(c, src, &dump);
    let copy = c.create_db("plain_copy");
    c.psql_file(&copy.name, &dump);
    copy.name
}

#[test]
fn filter_applies_the_seeds_policy_and_keeps_everything_else() {
    let c = cluster();
    let src = c.create_db("mt_src");
    load_app(c, &src.name);
    let tmp = tempfile::tempdir().expect("tempdir");
    let rules = write_rules(tmp.path(), RULES);
    let copy = filtered_copy(c, &src.name, &rules, tmp.path());
    let q = |db: &str, sql: &str| c.psql(db, sql).trim().to_string();
    assert_eq!(
        q(
            &copy,
            "SELECT count(*) FROM users WHERE email <> 'user_' || id || '@test.example.com'"
        ),
        "0"
    );
    assert_eq!(
        q(
            &copy,
            "SELECT count(*) FROM users WHERE name <> 'Test User ' || id"
        ),
        "0"
    );
    assert_eq!(q(&copy, "SELECT count(*) FROM accounts WHERE provider_account_id <> 'masked_' || id OR oauth_secret <> 'masked_secret_' || id"), "0");
    // Keyed hash: 64 hex digits, not the original.
    assert_eq!(
        q(
            &copy,
            "SELECT count(*) FROM accounts WHERE refresh_token !~ '^[0-9a-f]{64}$'"
        ),
        "0"
    );
    // Kept columns and the join are untouched; NULL phones stay NULL, others change.
    for sql in [
        "SELECT md5(string_agg(id || ':' || created_at, ',' ORDER BY id)) FROM users",
        "SELECT md5(string_agg(id || ':' || user_id || ':' || provider, ',' ORDER BY id)) FROM accounts",
        "SELECT count(*) FROM users u JOIN accounts a ON a.user_id = u.id",
        "SELECT count(*) FROM users WHERE phone IS NULL",
    ] {
        assert_eq!(q(&copy, sql), q(&src.name, sql), "{sql}");
    }
    let originals = c.psql(
        &src.name,
        "SELECT phone FROM users WHERE phone IS NOT NULL ORDER BY id",
    );
    let masked = c.psql(
        &copy,
        "SELECT phone FROM users WHERE phone IS NOT NULL ORDER BY id",
    );
    let same = originals
        .lines()
        .zip(masked.lines())
        .filter(|(a, b)| a == b)
        .count();
    assert_eq!(same, 0, "some phone numbers were not masked");
}

#[test]
fn apply_masks_a_live_copy_exactly_as_the_stream_does() {
    let c = cluster();
    let src = c.create_db("apply_src");
    load_app(c, &src.name);
    let tmp = tempfile::tempdir().expect("tempdir");
    let rules = write_rules(tmp.path(), RULES);
    let streamed = filtered_copy(c, &src.name, &rules, tmp.path());
    let live = plain_copy(c, &src.name, tmp.path());
    let mut a = mask_tool();
    a.args(["apply", "--rules"]).arg(&rules).args([
        "--db",
        &c.url(&live),
        "--batch",
        "7",
        "--json",
    ]);
    let out = run(a);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let j: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(j["tables"]["public.users"]["rows"], 300);
    // Same salt, same transforms: identical tables, however the masking reached them.
    assert_eq!(c.table_checksums(&live), c.table_checksums(&streamed));
}

#[test]
fn apply_refuses_a_protected_target_and_rules_naming_missing_columns() {
    let c = cluster();
    let src = c.create_db("prot_src");
    load_app(c, &src.name);
    let tmp = tempfile::tempdir().expect("tempdir");
    let rules = write_rules(tmp.path(), RULES);
    let cfg = tmp.path().join("backup.toml");
    std::fs::write(
        &cfg,
        format!("[env.prod]\ndb = \"{}\"\nprotected = true\n", src.url),
    )
    .expect("cfg");
    let before = c.table_checksums(&src.name);
    let mut a = mask_tool();
    a.args(["apply", "--rules"])
        .arg(&rules)
        .args(["--db", &src.url, "--config"])
        .arg(&cfg);
    let out = run(a);
    assert_eq!(out.code, 6, "{}", out.stderr);
    assert!(out.stderr.contains("protected"), "{}", out.stderr);
    assert_eq!(c.table_checksums(&src.name), before);

    // A rule for a column the table no longer has: nothing is changed at all.
    let copy = plain_copy(c, &src.name, tmp.path());
    let before = c.table_checksums(&copy);
    let bad = write_rules(
        tmp.path(),
        &RULES.replace(
            "phone = \"fake_phone\"",
            "phone = \"fake_phone\"\nfax = \"null\"",
        ),
    );
    let mut a = mask_tool();
    a.args(["apply", "--rules"])
        .arg(&bad)
        .args(["--db", &c.url(&copy)]);
    let out = run(a);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("fax"), "{}", out.stderr);
    assert_eq!(c.table_checksums(&copy), before);

    // A deterministic transform without its salt is refused, naming the variable.
    let mut a = tool("mask-tool");
    a.env_remove("MASK_SALT")
        .args(["apply", "--rules"])
        .arg(&rules)
        .args(["--db", &c.url(&copy)]);
    let out = run(a);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("MASK_SALT"), "{}", out.stderr);
}

#[test]
fn apply_on_sqlite_uses_the_same_transforms() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("green.db");
    let conn = rusqlite::Connection::open(&db).expect("open");
    conn.execute_batch(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE, name TEXT);
         CREATE TABLE entries (id INTEGER PRIMARY KEY, user_id INTEGER, minutes INTEGER);
         INSERT INTO users VALUES (1, 'anna@corp.example', 'Anna'), (2, 'ben@corp.example', NULL), (3, NULL, 'Cleo');
         INSERT INTO entries VALUES (1, 1, 30), (2, 2, 60);",
    )
    .expect("schema");
    drop(conn);
    let rules = write_rules(
        tmp.path(),
        "salt_env = \"MASK_SALT\"\n[tables.\"main.users\"]\nemail = \"fake_email\"\nname = { template = \"Test User {id}\" }\nkeep = [\"id\"]\n\
         [tables.\"main.entries\"]\nkeep = [\"id\", \"user_id\", \"minutes\"]\n",
    );
    let copy = tmp.path().join("copy.db");
    std::fs::copy(&db, &copy).expect("copy");
    for target in [&db, &copy] {
        let mut a = mask_tool();
        a.args(["apply", "--json", "--rules"])
            .arg(&rules)
            .arg("--db")
            .arg(target);
        let out = run(a);
        assert_eq!(out.code, 0, "{}", out.stderr);
        // Two addresses and two names change; the NULLs stay and are not counted.
        let j: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
        assert_eq!(j["tables"]["main.users"]["rows"], 3, "{j}");
        assert_eq!(j["tables"]["main.users"]["values"], 4, "{j}");
    }
    let read = |p: &Path| -> Vec<(i64, Option<String>, Option<String>)> {
        let c = rusqlite::Connection::open(p).expect("open");
        let mut s = c
            .prepare("SELECT id, email, name FROM users ORDER BY id")
            .expect("prepare");
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("query")
            .map(|r| r.expect("row"))
            .collect()
    };
    let masked = read(&db);
    assert_eq!(masked, read(&copy), "same salt, same values");
    assert!(
        masked
            .iter()
            .all(|(_, e, _)| e.as_deref().is_none_or(|e| !e.contains("corp.example"))),
        "{masked:?}"
    );
    assert_eq!(masked[2].1, None, "NULL stays NULL");
    assert_eq!(masked[0].2.as_deref(), Some("Test User 1"));
    assert_eq!(masked[1].2.as_deref(), None, "NULL name stays NULL");
}

#[test]
fn lint_reports_unclassified_unknown_and_personal_looking_columns() {
    let c = cluster();
    let src = c.create_db("lint_src");
    load_app(c, &src.name);
    c.psql(&src.name, "ALTER TABLE public.users ADD COLUMN backup_email text; UPDATE public.users SET backup_email = 'x' || id || '@mail.example'");
    let tmp = tempfile::tempdir().expect("tempdir");
    // `provider` kept, fine; `user_id` kept, fine; a new column nobody classed; a kept column of emails.
    let rules = write_rules(
        tmp.path(),
        &RULES
            .replace(
                "keep  = [\"id\", \"created_at\"]",
                "keep  = [\"id\", \"created_at\", \"notes\"]",
            )
            .replace(
                "keep = [\"id\", \"user_id\", \"provider\"]",
                "keep = [\"id\", \"user_id\", \"provider\", \"refresh_token\"]",
            )
            .replace("refresh_token       = \"hash\"\n", ""),
    );
    let mut l = mask_tool();
    l.args(["lint", "--json", "--rules"])
        .arg(&rules)
        .args(["--db", &src.url]);
    let out = run(l);
    assert_eq!(out.code, 3, "{}{}", out.stdout, out.stderr);
    let j: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let kinds: Vec<(String, String)> = j["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap_or("").to_string(),
                f["column"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(
        kinds.contains(&("unknown_column".into(), "notes".into())),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("unclassified_column".into(), "backup_email".into())),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("looks_personal".into(), "refresh_token".into())),
        "{kinds:?}"
    );
    assert!(
        !out.stdout.contains("@mail.example"),
        "lint printed a data value"
    );

    // The same rules against a dump file of the database.
    let dump = tmp.path().join("src.sql");
    pg_dump(c, &src.name, &dump);
    let mut l = mask_tool();
    l.args(["lint", "--rules"]).arg(&rules).arg(&dump);
    let out = run(l);
    assert_eq!(out.code, 3, "{}", out.stdout);
    assert!(out.stdout.contains("backup_email"), "{}", out.stdout);

    // The original rules against the original schema: clean.
    let clean = c.create_db("lint_clean");
    load_app(c, &clean.name);
    let rules = write_rules(tmp.path(), RULES);
    let mut l = mask_tool();
    l.args(["lint", "--rules"])
        .arg(&rules)
        .args(["--db", &clean.url]);
    let out = run(l);
    assert_eq!(out.code, 0, "{}", out.stdout);
}

/// `mask-tool leaks --json` of a copy against its source.
fn leaks_json(rules: &Path, from: &str, to: &str) -> tests::Output {
    let mut l = mask_tool();
    l.args(["leaks", "--json", "--rules"])
        .arg(rules)
        .args(["--from", from, "--to", to]);
    run(l)
}

#[test]
fn leaks_finds_originals_in_an_unmasked_copy_and_none_in_a_masked_one() {
    let c = cluster();
    let src = c.create_db("leak_src");
    load_app(c, &src.name);
    let tmp = tempfile::tempdir().expect("tempdir");
    let rules = write_rules(tmp.path(), RULES);
    let masked = filtered_copy(c, &src.name, &rules, tmp.path());
    let plain = plain_copy(c, &src.name, tmp.path());
    let leaks = |copy: &str| leaks_json(&rules, &src.url, &c.url(copy));
    let out = leaks(&masked);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let out = leaks(&plain);
    assert_eq!(out.code, 3, "{}", out.stdout);
    let j: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let cols: Vec<&str> = j["leaks"]
        .as_array()
        .expect("leaks")
        .iter()
        .filter_map(|l| l["column"].as_str())
        .collect();
    for col in [
        "email",
        "name",
        "phone",
        "provider_account_id",
        "refresh_token",
        "oauth_secret",
    ] {
        assert!(cols.contains(&col), "{col} not reported: {cols:?}");
    }
    assert!(
        !out.stdout.contains("gmail.example"),
        "the report must not carry values"
    );
}

/// Rows found by keys of several types (a composite of text, timestamptz and numeric; a uuid;
/// none at all): an original left in its own column, or copied into a kept text column of its
/// row, is found in each.
#[test]
fn leaks_finds_originals_by_keys_of_every_type() {
    let c = cluster();
    let src = c.create_db("leak_keys_src");
    c.psql(
        &src.name,
        "CREATE TABLE public.visits (region text, at timestamptz, n numeric(10,2), email text, note text, \
           PRIMARY KEY (region, at, n)); \
         INSERT INTO public.visits SELECT 'r' || (i % 3), timestamptz '2024-01-01 00:00:00+02' + i * interval '1 minute', \
           i / 4.0, 'visitor' || i || '@leaky.example', 'wrote from visitor' || i || '@leaky.example' FROM generate_series(1, 300) i; \
         CREATE TABLE public.tokens (id uuid PRIMARY KEY, secret text); \
         INSERT INTO public.tokens SELECT md5(i::text)::uuid, 'secret-token-' || md5(i::text) FROM generate_series(1, 300) i; \
         CREATE TABLE public.log (line text); \
         INSERT INTO public.log SELECT 'visitor' || i || '@leaky.example logged in' FROM generate_series(1, 300) i;",
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let rules = write_rules(
        tmp.path(),
        r#"
salt_env = "MASK_SALT"
[tables."public.visits"]
email = "fake_email"
keep = ["region", "at", "n", "note"]
[tables."public.tokens"]
secret = "random_hash"
keep = ["id"]
[tables."public.log"]
line = "scrub"
"#,
    );
    let leaks = |copy: &str| leaks_json(&rules, &src.url, &c.url(copy));
    let plain = plain_copy(c, &src.name, tmp.path());
    let out = leaks(&plain);
    assert_eq!(out.code, 3, "{}{}", out.stdout, out.stderr);
    let j: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let found: Vec<String> = j["leaks"]
        .as_array()
        .expect("leaks")
        .iter()
        .filter_map(|l| {
            Some(format!(
                "{} in {}",
                l["column"].as_str()?,
                l["found_in"].as_str()?
            ))
        })
        .collect();
    for want in [
        "email in public.visits.email",
        "email in public.visits.note",
        "secret in public.tokens.secret",
    ] {
        assert!(
            found.iter().any(|f| f == want),
            "{want} not reported: {found:?}"
        );
    }
    // The masked copy, with its notes masked too so that no original is left anywhere.
    let rules_text = std::fs::read_to_string(&rules).expect("rules");
    std::fs::write(
        &rules,
        rules_text.replace(
            "keep = [\"region\", \"at\", \"n\", \"note\"]",
            "note = \"scrub\"\nkeep = [\"region\", \"at\", \"n\"]",
        ),
    )
    .expect("rules");
    let masked = filtered_copy(c, &src.name, &rules, tmp.path());
    let out = leaks(&masked);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

/// Indexes of every kind a masked table can carry, built again from the masked rows or left in
/// place: the schema after `apply` is the schema before, and the rebuilt keys still hold.
const INDEXED: &str = r#"
CREATE TABLE public.members (
  id int PRIMARY KEY,
  email text NOT NULL,
  name text,
  during tsrange,
  code text NOT NULL,
  CONSTRAINT members_email_key UNIQUE (email) DEFERRABLE INITIALLY IMMEDIATE,
  CONSTRAINT members_no_overlap EXCLUDE USING gist (during WITH &&)
);
CREATE INDEX members_lower_email ON public.members (lower(email)) INCLUDE (name) WITH (fillfactor = 70);
ALTER INDEX public.members_lower_email ALTER COLUMN 1 SET STATISTICS 500;
CREATE INDEX members_name_partial ON public.members (name) WHERE name IS NOT NULL;
CREATE UNIQUE INDEX members_code ON public.members (code);
ALTER TABLE public.members REPLICA IDENTITY USING INDEX members_code;
CREATE INDEX members_clustered ON public.members (id, name);
CLUSTER public.members USING members_clustered;
CREATE INDEX members_commented ON public.members (during);
COMMENT ON INDEX public.members_commented IS 'kept with its comment';
INSERT INTO public.members
  SELECT i, 'person' || i || '@example.com', 'Person ' || i,
         tsrange(timestamp '2024-01-01' + i * interval '1 hour', timestamp '2024-01-01' + (i + 1) * interval '1 hour'),
         'c' || i
  FROM generate_series(1, 500) i;
-- A view that relies on the primary key (grouping by it), and a table referencing it.
CREATE VIEW public.member_names AS SELECT id, name FROM public.members GROUP BY id;
CREATE TABLE public.notes (id int PRIMARY KEY, member_id int REFERENCES public.members(id), body text);
INSERT INTO public.notes SELECT i, 1 + i % 500, 'note ' || i FROM generate_series(1, 200) i;
CREATE INDEX notes_member ON public.notes (member_id);
CREATE TABLE public.visits (id int, at date NOT NULL, email text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE public.visits_2024 PARTITION OF public.visits FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX visits_email ON public.visits (email);
INSERT INTO public.visits SELECT i, date '2024-01-01' + i % 300, 'person' || i || '@example.com' FROM generate_series(1, 300) i;
"#;

#[test]
fn apply_builds_a_masked_tables_indexes_again_as_they_were() {
    let c = cluster();
    let db = c.create_db("apply_idx");
    c.psql(&db.name, INDEXED);
    let tmp = tempfile::tempdir().expect("tempdir");
    let rules = write_rules(
        tmp.path(),
        r#"
salt_env = "MASK_SALT"
strict = false
[tables."public.members"]
email = { template = "member_{id}@test.example.com" }
name  = { template = "Member {id}" }
[tables."public.notes"]
body = "null"
[tables."public.visits"]
email = "fake_email"
"#,
    );
    let before = c.schema(&db.name);
    let oids = "SELECT string_agg(indexrelid::regclass || '=' || indexrelid::oid, ',' ORDER BY indexrelid::regclass::text) FROM pg_index WHERE indrelid::regclass::text NOT LIKE 'pg_%'";
    let oid = |text: &str, index: &str| -> String {
        text.split(',')
            .find_map(|kv| kv.strip_prefix(&format!("{index}=")))
            .unwrap_or_default()
            .to_string()
    };
    let oids_before = c.psql(&db.name, oids).trim().to_string();
    let mut a = mask_tool();
    a.args(["apply", "--rules"])
        .arg(&rules)
        .args(["--db", &db.url]);
    let out = run(a);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(c.schema(&db.name), before, "apply changed the schema");
    // Built again: plain, partial, unique and exclusion indexes of the masked tables. Left in
    // place: what a view, a replica identity, CLUSTER, a comment, a statistics target or a
    // partitioned parent's index depends on.
    let oids_after = c.psql(&db.name, oids).trim().to_string();
    for rebuilt in [
        "members_name_partial",
        "members_email_key",
        "members_no_overlap",
        "notes_pkey",
        "notes_member",
    ] {
        assert_ne!(
            oid(&oids_before, rebuilt),
            oid(&oids_after, rebuilt),
            "{rebuilt} was not built again"
        );
    }
    for kept in [
        "members_pkey",
        "members_code",
        "members_clustered",
        "members_commented",
        "members_lower_email",
        "visits_2024_pkey",
        "visits_2024_email_idx",
    ] {
        assert!(!oid(&oids_before, kept).is_empty(), "{kept}: no such index");
        assert_eq!(
            oid(&oids_before, kept),
            oid(&oids_after, kept),
            "{kept} should have stayed"
        );
    }
    let check = "SELECT count(*) FILTER (WHERE email LIKE 'member\\_%@test.example.com'), count(*) FROM public.members";
    assert_eq!(c.psql(&db.name, check).trim(), "500|500");
    // The rebuilt indexes are valid and enforce what they enforced.
    assert_eq!(
        c.psql(
            &db.name,
            "SELECT count(*) FROM pg_index WHERE NOT indisvalid OR NOT indisready"
        )
        .trim(),
        "0"
    );
    for refused in [
        "INSERT INTO public.members (id, email, code) VALUES (1, 'x@example.com', 'n1')",
        "INSERT INTO public.members (id, email, code) VALUES (9001, 'member_2@test.example.com', 'n2')",
        "INSERT INTO public.members (id, email, code) VALUES (9002, 'y@example.com', 'c3')",
        "INSERT INTO public.members (id, email, code, during) VALUES (9003, 'z@example.com', 'n3', tsrange('2024-01-01 00:30', '2024-01-01 02:00'))",
        "INSERT INTO public.notes (id, member_id) VALUES (9004, 424242)",
    ] {
        let block = format!(
            "DO $$ BEGIN {refused}; RAISE EXCEPTION 'accepted after apply'; \
             EXCEPTION WHEN unique_violation OR exclusion_violation OR foreign_key_violation THEN NULL; END $$"
        );
        c.psql(&db.name, &block);
    }
    // Index scans find the masked rows.
    assert_eq!(
        c.psql(
            &db.name,
            "SET enable_seqscan = off; SELECT id FROM public.members WHERE email = 'member_7@test.example.com'"
        )
        .trim(),
        "7"
    );
}

/// `mask-tool filter dump | head`: the reader leaving ends the run quietly (exit 0, nothing on
/// stderr); a full disk is an error that says so.
#[test]
fn filter_into_a_closed_pipe_ends_quietly_and_into_a_full_disk_fails() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dump = tmp.path().join("big.sql");
    let mut text = String::from("COPY public.t (a) FROM stdin;\n");
    for i in 0..200_000 {
        text.push_str(&format!("row{i}\n"));
    }
    text.push_str("\\.\n");
    std::fs::write(&dump, text).expect("dump");
    let kept = write_rules(
        tmp.path(),
        "strict = false\n[tables.\"public.t\"]\nkeep = [\"a\"]\n",
    );
    let masked = tmp.path().join("masked.toml");
    std::fs::write(
        &masked,
        "strict = false\nsalt_env = \"MASK_SALT\"\n[tables.\"public.t\"]\na = \"hash\"\n",
    )
    .expect("rules");
    let closed = || {
        let (r, w) = std::io::pipe().expect("pipe");
        drop(r);
        w
    };
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full")
    };
    // Kept rows, and masked rows on one thread and on three.
    for (rules, jobs) in [(&kept, "1"), (&masked, "1"), (&masked, "3")] {
        for (what, stdout, want) in [
            ("a closed pipe", std::process::Stdio::from(closed()), 0),
            ("a full disk", std::process::Stdio::from(full()), 1),
        ] {
            let what = format!("{what}, {} --jobs {jobs}", rules.display());
            let out = mask_tool()
                .args(["filter", "--jobs", jobs, "--rules"])
                .arg(rules)
                .arg(&dump)
                .stdout(stdout)
                .stderr(std::process::Stdio::piped())
                .output()
                .expect("run");
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(want), "{what}: {err}");
            if want == 0 {
                assert!(err.trim().is_empty(), "{what}: {err}");
            } else {
                assert!(err.contains("No space left"), "{what}: {err}");
            }
        }
    }
}

#[test]
fn filter_on_threads_writes_the_same_masked_dump_as_one_thread() {
    let c = cluster();
    let src = c.create_db("mt_jobs_src");
    // Enough rows for many batches of each masked table, a kept table between them.
    c.psql(
        &src.name,
        "CREATE TABLE public.users (id bigint PRIMARY KEY, email text UNIQUE NOT NULL, name text, phone text, created_at timestamptz DEFAULT '2026-01-01');
         CREATE TABLE public.accounts (id bigint PRIMARY KEY, user_id bigint REFERENCES public.users(id), provider text,
                                       provider_account_id text, refresh_token text, oauth_secret text);
         CREATE TABLE public.audit (id bigint, note text);
         INSERT INTO public.users (id, email, name, phone) SELECT g, 'person' || g || '@gmail.example', 'Real Name ' || g,
                CASE WHEN g % 5 = 0 THEN NULL ELSE '+49 151 ' || (1000000 + g) END FROM generate_series(1, 40000) g;
         INSERT INTO public.accounts SELECT g, g, 'github', 'gh-' || (9000 + g), md5('tok' || g), 'secret-' || g FROM generate_series(1, 40000) g;
         INSERT INTO public.audit SELECT g, 'kept ' || g FROM generate_series(1, 20000) g;",
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let rules = write_rules(
        tmp.path(),
        &format!("{RULES}\n[tables.\"public.audit\"]\nkeep = [\"id\", \"note\"]\n"),
    );
    let dump = tmp.path().join("src.sql");
    pg_dump(c, &src.name, &dump);
    let filtered = |jobs: &str| {
        let out_file = tmp.path().join(format!("masked-{jobs}.sql"));
        let mut f = mask_tool();
        f.args(["filter", "--json", "--jobs", jobs, "--rules"])
            .arg(&rules)
            .arg(&dump)
            .arg("-o")
            .arg(&out_file);
        let out = run(f);
        assert_eq!(out.code, 0, "--jobs {jobs}: {}", out.stderr);
        let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("json report");
        (std::fs::read(&out_file).expect("masked dump"), report)
    };
    let (one, one_report) = filtered("1");
    let (three, three_report) = filtered("3");
    assert!(one == three, "--jobs 3 wrote other bytes than --jobs 1");
    assert_eq!(one_report["tables"], three_report["tables"]);
    // Read back by hand: no original address or phone number in the bytes, and the copy loads.
    let text = String::from_utf8_lossy(&three);
    assert!(
        !text.contains("@gmail.example"),
        "an original e-mail address is left"
    );
    assert!(
        !text.contains("+49 151 1000007"),
        "an original phone number is left"
    );
    assert!(text.contains("kept 19999"), "the kept table lost rows");
    let copy = c.create_db("mt_jobs_copy");
    c.psql_file(&copy.name, &tmp.path().join("masked-3.sql"));
    assert_eq!(
        c.psql(
            &copy.name,
            "SELECT count(*) FROM users WHERE email = 'user_' || id || '@test.example.com'"
        )
        .trim(),
        "40000"
    );
}
