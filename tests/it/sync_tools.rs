//! sync-tool diff and setup.

use tests::{cluster, load_sample, run, tool};

fn sqlite_app(path: &std::path::Path, migrations: &[&str]) {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.execute_batch(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);
         CREATE TABLE entries (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), minutes INTEGER);
         CREATE INDEX idx_entries_user ON entries(user_id);
         CREATE TABLE migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
    )
    .expect("schema");
    for m in migrations {
        conn.execute("INSERT INTO migrations (name) VALUES (?1)", [m])
            .expect("insert");
    }
}

#[test]
fn diff_finds_blue_green_sqlite_drift_and_nothing_when_equal() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let blue = tmp.path().join("blue.db");
    let green = tmp.path().join("green.db");
    sqlite_app(&blue, &["001_init", "002_entries"]);
    sqlite_app(&green, &["001_init", "002_entries"]);
    let diff = || {
        let mut d = tool("sync-tool");
        d.args(["diff", "--from"])
            .arg(&blue)
            .arg("--to")
            .arg(&green);
        run(d)
    };
    let out = diff();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("schema: equal")
            && out.stdout.contains("migrations (migrations): equal"),
        "{}",
        out.stdout
    );

    // GREEN got a migration BLUE did not.
    let g = rusqlite::Connection::open(&green).expect("open");
    g.execute_batch("ALTER TABLE users ADD COLUMN feature_flag BOOLEAN DEFAULT false; INSERT INTO migrations (name) VALUES ('003_feature_flag');")
        .expect("migrate green");
    drop(g);
    let out = diff();
    assert_eq!(
        out.code, 3,
        "differences are a failed check: {}",
        out.stdout
    );
    assert!(
        out.stdout.contains("+ column users.feature_flag"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("~ table users"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("+ 003_feature_flag   (applied only in to)"),
        "{}",
        out.stdout
    );
    let mut d = tool("sync-tool");
    d.args(["diff", "--json", "--from"])
        .arg(&blue)
        .arg("--to")
        .arg(&green);
    let j: serde_json::Value = serde_json::from_str(&run(d).stdout).expect("json");
    assert_eq!(j["equal"], false);
    assert_ne!(
        j["report"]["from_fingerprint"],
        j["report"]["to_fingerprint"]
    );
    assert_eq!(j["report"]["migrations_only_in_to"][0], "003_feature_flag");
}

#[test]
fn diff_finds_postgres_drift_including_prisma_migrations() {
    let c = cluster();
    let a = c.create_db("drift_a");
    let b = c.create_db("drift_b");
    load_sample(c, &a.name, 10);
    load_sample(c, &b.name, 50);
    let diff = || {
        let mut d = tool("sync-tool");
        d.args(["diff", "--from", &a.url, "--to", &b.url]);
        run(d)
    };
    let out = diff();
    assert_eq!(
        out.code, 0,
        "same schema, different data: {}{}",
        out.stdout, out.stderr
    );
    let prisma = "CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, finished_at timestamptz, \
                  migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(), \
                  applied_steps_count int NOT NULL DEFAULT 0)";
    for db in [&a.name, &b.name] {
        c.psql(db, prisma);
        c.psql(db, "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name) VALUES ('1', 'x', now(), '20260101_init')");
    }
    c.psql(&b.name, "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name) VALUES ('2', 'y', now(), '20260110_add_phone')");
    // A failed attempt (not finished) does not count as applied.
    c.psql(&a.name, "INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES ('3', 'z', '20260110_add_phone')");
    c.psql(&b.name, "ALTER TABLE public.users ADD COLUMN phone text; CREATE INDEX users_name_idx ON public.users (name)");
    let out = diff();
    assert_eq!(
        out.code, 3,
        "differences are a failed check: {}",
        out.stdout
    );
    assert!(
        out.stdout.contains("+ column public.users.phone: text"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("+ index public.users_name_idx"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("+ 20260110_add_phone   (applied only in to)"),
        "{}",
        out.stdout
    );
    // Mixed engines are a usage error.
    let mut d = tool("sync-tool");
    d.args(["diff", "--from", &a.url, "--to", "/tmp/x.db"]);
    assert_eq!(run(d).code, 2);
}

#[test]
fn setup_creates_the_staging_database_once_and_check_only_reports() {
    let c = cluster();
    let name = c.fresh_name("staging");
    c.psql("postgres", &format!("CREATE ROLE owner_{name} LOGIN"));
    let setup = |extra: &[&str]| {
        let mut s = tool("sync-tool");
        s.args(["setup", "--to", &c.url(&name)]).args(extra);
        run(s)
    };
    let out = setup(&["--check"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("does not exist"), "{}", out.stdout);
    let owner = format!("owner_{name}");
    let out = setup(&["--owner", &owner]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("created database"), "{}", out.stdout);
    let db_owner = c.psql(
        "postgres",
        &format!("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '{name}'"),
    );
    assert_eq!(db_owner.trim(), owner);
    let out = setup(&[]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout.contains("exists") && out.stdout.contains("writable"),
        "{}",
        out.stdout
    );
    assert_eq!(setup(&["--check"]).code, 0);

    let tmp = tempfile::tempdir().expect("tempdir");
    let green = tmp.path().join("green.db");
    let mut s = tool("sync-tool");
    s.args(["setup", "--check", "--to"]).arg(&green);
    assert_eq!(run(s).code, 1);
    let mut s = tool("sync-tool");
    s.args(["setup", "--to"]).arg(&green);
    let out = run(s);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(green.exists());
}
