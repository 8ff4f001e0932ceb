//! sync-tool run: production and staging on two separate clusters, checked by content.

use std::path::{Path, PathBuf};

use tests::{cluster, load_sample, run, staging_cluster, tool, Cluster, Output, PASSWORD};

const SALT: &str = "sync-test-salt-0123456789abcdef";

/// A Prisma/NextAuth-style schema: quoted, case-preserving table and column names.
const PRISMA_SCHEMA: &str = r#"
CREATE TABLE "User" (id text PRIMARY KEY, email text UNIQUE NOT NULL, name text, "emailVerified" timestamptz, image text,
                     "createdAt" timestamptz NOT NULL DEFAULT '2026-01-01');
CREATE TABLE "Account" (id text PRIMARY KEY, "userId" text NOT NULL REFERENCES "User"(id), provider text NOT NULL,
                        "providerAccountId" text NOT NULL, refresh_token text, access_token text, oauth_secret text,
                        UNIQUE (provider, "providerAccountId"));
CREATE TABLE "Session" (id text PRIMARY KEY, "sessionToken" text UNIQUE NOT NULL, "userId" text NOT NULL REFERENCES "User"(id), expires timestamptz NOT NULL);
CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, finished_at timestamptz,
                                 migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz,
                                 started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count int NOT NULL DEFAULT 0);
INSERT INTO "User" (id, email, name, "emailVerified", image)
  SELECT 'u' || g, 'customer' || g || '@gmail.example', 'Customer Name ' || g, CASE WHEN g % 2 = 0 THEN '2026-02-01'::timestamptz END,
         'https://cdn.example/avatars/' || g || '.png' FROM generate_series(1, 400) g;
INSERT INTO "Account" SELECT 'a' || g, 'u' || g, 'google', 'goog-' || (100000 + g), md5('r' || g), md5('a' || g), 'sec-' || g FROM generate_series(1, 400) g;
INSERT INTO "Session" SELECT 's' || g, md5('session' || g), 'u' || (1 + g % 400), '2026-12-01' FROM generate_series(1, 800) g;
INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name) VALUES ('m1', 'c1', now(), '20260101000000_init');
"#;

/// The seeds' policy for that schema.
const PRISMA_RULES: &str = r#"
salt_env = "MASK_SALT"
strict = true

[tables.'public."User"']
email = { template = "user_{id}@test.example.com" }
name  = { template = "Test User {id}" }
image = "null"
keep  = ["id", '"emailVerified"', '"createdAt"']

[tables.'public."Account"']
'"providerAccountId"' = { template = "masked_{id}" }
refresh_token = "random_hash"
access_token  = "random_hash"
oauth_secret  = { template = "masked_secret_{id}" }
keep = ["id", '"userId"', "provider"]

[tables.'public."Session"']
'"sessionToken"' = "hash"
keep = ["id", '"userId"', "expires"]

[tables."public._prisma_migrations"]
keep = ["id", "checksum", "finished_at", "migration_name", "logs", "rolled_back_at", "started_at", "applied_steps_count"]
"#;

fn rules_file(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("masking.toml");
    std::fs::write(&p, text).expect("rules");
    p
}

fn sync(args: &[&str]) -> Output {
    let mut c = tool("sync-tool");
    c.env("MASK_SALT", SALT).arg("run").arg("--yes").args(args);
    run(c)
}

fn exists(c: &Cluster, db: &str) -> bool {
    c.psql(
        "postgres",
        &format!("SELECT count(*) FROM pg_database WHERE datname = '{db}'"),
    )
    .trim()
        == "1"
}

fn q(c: &Cluster, db: &str, sql: &str) -> String {
    c.psql(db, sql).trim().to_string()
}

/// Staging as it was before a refresh: old data that must be replaced whole.
fn stale_staging(s: &Cluster, prefix: &str) -> String {
    let db = s.create_db(prefix);
    s.psql(
        &db.name,
        "CREATE TABLE stale (x int); INSERT INTO stale VALUES (42)",
    );
    db.name
}

#[test]
fn full_refresh_of_a_prisma_schema_masks_verifies_and_swaps() {
    let (p, s) = (cluster(), staging_cluster());
    let src = p.create_db("prisma_prod");
    p.psql(&src.name, PRISMA_SCHEMA);
    let staging = stale_staging(s, "prisma_staging");
    let tmp = tempfile::tempdir().expect("tempdir");
    let rules = rules_file(tmp.path(), PRISMA_RULES);
    // An application session on staging: the swap ends it instead of waiting forever.
    let mut app = std::process::Command::new(s.bindir.join("psql"))
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &s.port.to_string(),
            "-U",
            "postgres",
            "-d",
            &staging,
            "-c",
            "SELECT pg_sleep(60)",
        ])
        .env("PGPASSWORD", PASSWORD)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("app session");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let dump_dir = tmp.path().join("masked-dumps");
    let out = sync(&[
        "--from",
        &src.url,
        "--to",
        &s.url(&staging),
        "--rules",
        rules.to_str().expect("utf8"),
        "--json",
        "--keep-dump",
        dump_dir.to_str().expect("utf8"),
    ]);
    let _ = app.kill();
    let _ = app.wait();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(report["tables"], 4);
    assert_eq!(report["rows"], 400 + 400 + 800 + 1);
    let phases: Vec<&str> = report["phases"]
        .as_array()
        .expect("phases")
        .iter()
        .filter_map(|p| p[0].as_str())
        .collect();
    assert_eq!(phases, vec!["preflight", "copy", "verify", "swap"]);

    // Staging is the masked copy now, whole: the stale table is gone, nothing half-built is left.
    assert_eq!(
        q(
            s,
            &staging,
            "SELECT count(*) FROM pg_tables WHERE tablename = 'stale'"
        ),
        "0"
    );
    assert!(
        !exists(s, &format!("{staging}__incoming")) && !exists(s, &format!("{staging}__previous"))
    );
    // Masked columns changed, the rest identical, joins intact.
    assert_eq!(
        q(
            s,
            &staging,
            r#"SELECT count(*) FROM "User" WHERE email <> 'user_' || id || '@test.example.com' OR name <> 'Test User ' || id OR image IS NOT NULL"#
        ),
        "0"
    );
    assert_eq!(
        q(
            s,
            &staging,
            r#"SELECT count(*) FROM "Account" WHERE "providerAccountId" <> 'masked_' || id OR oauth_secret <> 'masked_secret_' || id"#
        ),
        "0"
    );
    for sql in [
        r#"SELECT md5(string_agg(id || ':' || coalesce("emailVerified"::text, '-') || ':' || "createdAt", ',' ORDER BY id)) FROM "User""#,
        r#"SELECT count(*) FROM "Session" se JOIN "User" u ON u.id = se."userId" JOIN "Account" a ON a."userId" = u.id"#,
        "SELECT md5(string_agg(migration_name, ',' ORDER BY id)) FROM _prisma_migrations",
    ] {
        assert_eq!(q(s, &staging, sql), q(p, &src.name, sql), "{sql}");
    }
    let originals = q(
        p,
        &src.name,
        r#"SELECT string_agg(refresh_token, ',' ORDER BY id) FROM "Account""#,
    );
    let masked = q(
        s,
        &staging,
        r#"SELECT string_agg(refresh_token, ',' ORDER BY id) FROM "Account""#,
    );
    assert!(originals
        .split(',')
        .zip(masked.split(','))
        .all(|(a, b)| a != b));
    // The masked dump kept as a normal backup verifies, and holds no original address.
    let kept = report["kept_dump"]
        .as_str()
        .expect("kept dump path")
        .to_string();
    let mut v = tool("backup-tool");
    v.args(["verify", &kept]);
    assert_eq!(run(v).code, 0);
    let text = {
        let f = std::fs::File::open(&kept).expect("open");
        let mut d = flate2::read::GzDecoder::new(f);
        let mut s = String::new();
        std::io::Read::read_to_string(&mut d, &mut s).expect("decode");
        s
    };
    assert!(
        !text.contains("gmail.example"),
        "the kept dump is not masked"
    );
    // The next refresh keeps only the newest masked dump when asked to keep one.
    let out = sync(&[
        "--from",
        &src.url,
        "--to",
        &s.url(&staging),
        "--rules",
        rules.to_str().expect("utf8"),
        "--json",
        "--keep-dump",
        dump_dir.to_str().expect("utf8"),
        "--keep-dumps",
        "1",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let newest = report["kept_dump"].as_str().expect("kept dump").to_string();
    let mut l = tool("backup-tool");
    l.args(["list", "--json", "--dir"]).arg(&dump_dir);
    let listed: serde_json::Value = serde_json::from_str(&run(l).stdout).expect("json");
    let files: Vec<&str> = listed["backups"]
        .as_array()
        .expect("backups")
        .iter()
        .filter_map(|b| b["path"].as_str())
        .collect();
    assert_eq!(files, vec![newest.as_str()]);
}

#[test]
fn refresh_of_a_hostile_identifier_schema_keeps_everything_unmasked_identical() {
    let (p, s) = (cluster(), staging_cluster());
    let src = p.create_db("hostile_prod");
    load_sample(p, &src.name, 300);
    let staging = stale_staging(s, "hostile_staging");
    let tmp = tempfile::tempdir().expect("tempdir");
    let rules = rules_file(tmp.path(), tests::SAMPLE_RULES);
    let out = sync(&[
        "--from",
        &src.url,
        "--to",
        &s.url(&staging),
        "--rules",
        rules.to_str().expect("utf8"),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for sql in [
        r#"SELECT md5(string_agg("Id" || ':' || coalesce("Amount"::text, '-') || ':' || coalesce(tags::text, '-') || ':' || coalesce(raw::text, '-'), ',' ORDER BY "Id")) FROM "Billing"."Invoice Lines""#,
        "SELECT count(*) FROM users u JOIN accounts a ON a.user_id = u.id",
        "SELECT count(DISTINCT email) FROM users",
        "SELECT public.tricky()",
    ] {
        assert_eq!(q(s, &staging, sql), q(p, &src.name, sql), "{sql}");
    }
    assert_eq!(
        q(
            s,
            &staging,
            "SELECT count(*) FROM users WHERE email LIKE '%@example.com' AND email LIKE 'user%'"
        ),
        "0"
    );
    assert_eq!(
        q(
            s,
            &staging,
            "SELECT count(*) FROM accounts WHERE meta->>'email' LIKE 'user%@example.com'"
        ),
        "0"
    );
    assert_eq!(
        q(
            s,
            &staging,
            "SELECT count(*) FROM accounts WHERE (meta->>'k')::int = id"
        ),
        "300"
    );
}

/// Installs wrappers for pg_dump and psql into a folder and returns it.
fn wrappers(c: &Cluster, dir: &Path, pg_dump_body: &str, psql_body: &str) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).expect("bin");
    for (prog, body) in [("pg_dump", pg_dump_body), ("psql", psql_body)] {
        let real = c.bindir.join(prog);
        let script = format!(
            "#!/bin/sh\ncase \"$1\" in --version) exec '{}' --version;; esac\necho \"ARGV $0 $*\" >> '{}/argv.log'\nenv | grep '^PG' >> '{}/argv.log'\n{}\n",
            real.display(),
            dir.display(),
            dir.display(),
            body.replace("REAL", &real.display().to_string())
        );
        let p = bin.join(prog);
        tests::write_executable(&p, &script);
    }
    bin
}

#[test]
fn a_refresh_failing_midway_leaves_staging_untouched_and_nothing_behind() {
    let (p, s) = (cluster(), staging_cluster());
    let src = p.create_db("fail_prod");
    p.psql(&src.name, PRISMA_SCHEMA);
    let staging = stale_staging(s, "fail_staging");
    let before = s.table_checksums(&staging);
    let tmp = tempfile::tempdir().expect("tempdir");
    let rules = rules_file(tmp.path(), PRISMA_RULES);
    // The source connection dies mid-stream: pg_dump stops after part of its output and fails.
    let bin = wrappers(
        p,
        tmp.path(),
        "'REAL' \"$@\" | head -c 30000\nexit 1",
        "exec 'REAL' \"$@\"",
    );
    let out = sync(&[
        "--from",
        &p.url_with_password(&src.name),
        "--to",
        &s.url(&staging),
        "--rules",
        rules.to_str().expect("utf8"),
        "--pg-bin-dir",
        bin.to_str().expect("utf8"),
    ]);
    assert_ne!(out.code, 0, "{}", out.stderr);
    assert_eq!(s.table_checksums(&staging), before);
    assert!(
        !exists(s, &format!("{staging}__incoming")),
        "half-built database left behind"
    );
    // The restore fails: psql reads part of the stream, then reports an error.
    let tmp2 = tempfile::tempdir().expect("tempdir");
    let bin = wrappers(
        p,
        tmp2.path(),
        "exec 'REAL' \"$@\"",
        "head -c 40000 > /dev/null\necho 'ERROR: simulated restore failure' >&2\nexit 3",
    );
    let out = sync(&[
        "--from",
        &src.url,
        "--to",
        &s.url(&staging),
        "--rules",
        rules.to_str().expect("utf8"),
        "--pg-bin-dir",
        bin.to_str().expect("utf8"),
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("simulated restore failure"),
        "{}",
        out.stderr
    );
    assert_eq!(s.table_checksums(&staging), before);
    assert!(!exists(s, &format!("{staging}__incoming")));
    // No child ever saw a password on its command line or in its environment.
    for dir in [tmp.path(), tmp2.path()] {
        let log = std::fs::read_to_string(dir.join("argv.log")).expect("wrappers ran");
        assert!(log.contains("ARGV"), "{log}");
        assert!(
            !log.contains(PASSWORD),
            "a password reached a child:\n{log}"
        );
    }
}

#[test]
fn refuses_production_as_target_a_protected_target_and_an_unclassified_new_column() {
    let (p, s) = (cluster(), staging_cluster());
    let src = p.create_db("refuse_prod");
    p.psql(&src.name, PRISMA_SCHEMA);
    let tmp = tempfile::tempdir().expect("tempdir");
    let rules = rules_file(tmp.path(), PRISMA_RULES);
    let r = rules.to_str().expect("utf8");
    // The target is the source.
    let before = p.table_checksums(&src.name);
    let out = sync(&["--from", &src.url, "--to", &src.url, "--rules", r]);
    assert_eq!(out.code, 6, "{}", out.stderr);
    assert!(
        out.stderr.contains("is the source itself"),
        "{}",
        out.stderr
    );
    assert_eq!(p.table_checksums(&src.name), before);
    // The target is marked protected in the config.
    let staging = stale_staging(s, "refuse_staging");
    let cfg = tmp.path().join("backup.toml");
    std::fs::write(
        &cfg,
        format!(
            "[env.prod]\ndb = \"{}\"\nprotected = true\n[env.staging]\ndb = \"{}\"\nprotected = true\n[sync.weekly]\nfrom = \"prod\"\nto = \"staging\"\nrules = \"masking.toml\"\n",
            src.url,
            s.url(&staging)
        ),
    )
    .expect("config");
    let before = s.table_checksums(&staging);
    let out = sync(&[
        "--config",
        cfg.to_str().expect("utf8"),
        "--from",
        "prod",
        "--to",
        "staging",
    ]);
    assert_eq!(out.code, 6, "{}", out.stderr);
    assert!(out.stderr.contains("protected"), "{}", out.stderr);
    // A column added to production that the rules do not class: refused before any copying.
    p.psql(&src.name, r#"ALTER TABLE "User" ADD COLUMN phone text; UPDATE "User" SET phone = '+49 151 ' || (2000000 + length(id))"#);
    let out = sync(&["--from", &src.url, "--to", &s.url(&staging), "--rules", r]);
    assert_eq!(out.code, 6, "{}", out.stderr);
    assert!(out.stderr.contains("phone"), "{}", out.stderr);
    assert_eq!(s.table_checksums(&staging), before);
    assert!(!exists(s, &format!("{staging}__incoming")));
}

#[test]
fn keep_previous_then_rollback_puts_the_old_staging_back() {
    let (p, s) = (cluster(), staging_cluster());
    let src = p.create_db("rb_prod");
    p.psql(&src.name, PRISMA_SCHEMA);
    let staging = stale_staging(s, "rb_staging");
    let before = s.table_checksums(&staging);
    let tmp = tempfile::tempdir().expect("tempdir");
    let rules = rules_file(tmp.path(), PRISMA_RULES);
    let out = sync(&[
        "--from",
        &src.url,
        "--to",
        &s.url(&staging),
        "--rules",
        rules.to_str().expect("utf8"),
        "--keep-previous",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(exists(s, &format!("{staging}__previous")));
    assert_eq!(q(s, &staging, r#"SELECT count(*) FROM "User""#), "400");
    let mut rb = tool("sync-tool");
    rb.args(["rollback", "--to", &s.url(&staging)]);
    let out = run(rb);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(s.table_checksums(&staging), before);
    assert!(!exists(s, &format!("{staging}__previous")));
    let mut rb = tool("sync-tool");
    rb.args(["rollback", "--to", &s.url(&staging)]);
    assert_eq!(run(rb).code, 2, "nothing left to roll back to");
}

#[test]
fn sqlite_blue_green_refresh_while_a_reader_holds_the_target_open() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let blue = tmp.path().join("blue.db");
    let green = tmp.path().join("green.db");
    let make = |p: &Path, n: i64| {
        let c = rusqlite::Connection::open(p).expect("open");
        c.pragma_update(None, "journal_mode", "WAL").expect("wal");
        c.execute_batch("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE, name TEXT); CREATE TABLE entries (id INTEGER PRIMARY KEY, user_id INTEGER, minutes INTEGER);")
            .expect("schema");
        for i in 1..=n {
            c.execute(
                "INSERT INTO users VALUES (?1, ?2, ?3)",
                rusqlite::params![
                    i,
                    format!("worker{i}@company.example"),
                    format!("Worker {i}")
                ],
            )
            .expect("user");
            c.execute(
                "INSERT INTO entries (user_id, minutes) VALUES (?1, ?2)",
                rusqlite::params![i, i * 15],
            )
            .expect("entry");
        }
    };
    make(&blue, 120);
    make(&green, 3);
    let rules = rules_file(
        tmp.path(),
        "salt_env = \"MASK_SALT\"\n[tables.\"main.users\"]\nemail = \"fake_email\"\nname = { template = \"Test User {id}\" }\nkeep = [\"id\"]\n[tables.\"main.entries\"]\nkeep = [\"id\", \"user_id\", \"minutes\"]\n",
    );
    let reader = rusqlite::Connection::open(&green).expect("reader");
    let old: i64 = reader
        .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
        .expect("count");
    let out = sync(&[
        "--from",
        blue.to_str().expect("utf8"),
        "--to",
        green.to_str().expect("utf8"),
        "--rules",
        rules.to_str().expect("utf8"),
        "--json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let g = rusqlite::Connection::open(&green).expect("open");
    let (n, leaked): (i64, i64) = g
        .query_row(
            "SELECT count(*), sum(email LIKE '%company.example') FROM users",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("query");
    assert_eq!((n, leaked), (120, 0));
    let joined: i64 = g
        .query_row(
            "SELECT count(*) FROM entries e JOIN users u ON u.id = e.user_id",
            [],
            |r| r.get(0),
        )
        .expect("join");
    assert_eq!(joined, 120);
    let still: i64 = reader
        .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
        .expect("old reader");
    assert_eq!(still, old, "the open reader keeps its consistent old file");
    let bak = rusqlite::Connection::open(tmp.path().join("green.db.bak")).expect("bak");
    let n: i64 = bak
        .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
        .expect("bak count");
    assert_eq!(n, 3);
    let left: Vec<String> = std::fs::read_dir(tmp.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("incoming"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// A production database for the `--jobs` comparisons (the sample's users, the Prisma schema, a
/// table without columns that still has rows), the deterministic rules, and two staging
/// databases, the first refreshed by one stream.
fn jobs_setup(
    prefix: &str,
    users: u32,
) -> (
    tests::TestDb,
    tempfile::TempDir,
    std::path::PathBuf,
    tests::TestDb,
    tests::TestDb,
) {
    let (p, s) = (cluster(), staging_cluster());
    let src = p.create_db(&format!("{prefix}_prod"));
    load_sample(p, &src.name, users);
    p.psql(&src.name, PRISMA_SCHEMA);
    p.psql(
        &src.name,
        "CREATE TABLE public.\"Marker\" (); INSERT INTO public.\"Marker\" DEFAULT VALUES; \
         INSERT INTO public.\"Marker\" DEFAULT VALUES",
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    // Deterministic transforms only, so two refreshes must agree value by value.
    let rules = rules_file(
        tmp.path(),
        &format!(
            "{}\n{}\n[tables.'public.\"Marker\"']\n",
            PRISMA_RULES.replace("\"random_hash\"", "\"hash\""),
            tests::SAMPLE_RULES.replace("salt_env = \"MASK_SALT\"\n", "")
        ),
    );
    let one = s.create_db(&format!("{prefix}_one"));
    let two = s.create_db(&format!("{prefix}_two"));
    let r = rules.to_str().expect("utf8");
    let out = sync(&["--from", &src.url, "--to", &s.url(&one.name), "--rules", r]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    (src, tmp, rules, one, two)
}

#[test]
fn parallel_copy_gives_exactly_what_one_stream_gives() {
    let s = staging_cluster();
    let (src, _tmp, rules, one, two) = jobs_setup("jobs", 500);
    let r = rules.to_str().expect("utf8");
    let out = sync(&[
        "--from",
        &src.url,
        "--to",
        &s.url(&two.name),
        "--rules",
        r,
        "--jobs",
        "2",
        "--json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(report["tables"], 9);
    assert!(
        report["masked_values"].as_u64().unwrap_or(0) > 500,
        "{report}"
    );
    assert!(report["bytes"].as_u64().unwrap_or(0) > 10_000, "{report}");
    assert_eq!(s.table_checksums(&two.name), s.table_checksums(&one.name));
    assert_eq!(s.schema(&two.name), s.schema(&one.name));
    assert_eq!(
        s.psql(&two.name, "SELECT count(*) FROM \"Marker\"").trim(),
        "2"
    );
    assert!(!exists(s, &format!("{}__incoming", two.name)));
}

#[test]
fn parallel_copy_in_heap_ranges_gives_exactly_what_one_stream_gives() {
    let s = staging_cluster();
    let (src, _tmp, rules, one, two) = jobs_setup("ranges", 3000);
    let r = rules.to_str().expect("utf8");
    // Ranges of one heap block: every table with rows is copied in pieces, two at a time.
    let mut c = tool("sync-tool");
    c.env("MASK_SALT", SALT)
        .env("BACKUP_TOOLS_RANGE_BYTES", "8192")
        .args(["-v", "run", "--from", &src.url, "--to", &s.url(&two.name)])
        .args(["--rules", r, "--jobs", "2", "--yes"]);
    let out = run(c);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("heap ranges"), "{}", out.stderr);
    assert_eq!(s.table_checksums(&two.name), s.table_checksums(&one.name));
    assert_eq!(s.schema(&two.name), s.schema(&one.name));
    // Sequences came along: new rows get fresh keys.
    let seqs = "SELECT string_agg(format('%I.%I=%s', schemaname, sequencename, last_value), ',' ORDER BY schemaname, sequencename) FROM pg_sequences";
    assert_eq!(s.psql(&two.name, seqs), s.psql(&one.name, seqs));
}
