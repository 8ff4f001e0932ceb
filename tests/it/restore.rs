//! Restores: confirmation rules, replacing contents whole, failures leave the target as it was.

use tests::{cluster, load_sample, run, tool};

fn backup(url: &str, dir: &std::path::Path) -> String {
    let mut c = tool("backup-tool");
    c.args(["backup", "--db", url, "--dir"]).arg(dir);
    let out = run(c);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout.trim().to_string()
}

#[test]
fn non_empty_target_needs_force_and_confirmation_then_is_replaced_whole() {
    let c = cluster();
    let src = c.create_db("force_src");
    load_sample(c, &src.name, 100);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = backup(&src.url, dir.path());
    let target = c.create_db("force_dst");
    c.psql(&target.name, "CREATE TABLE keepme (x int); INSERT INTO keepme VALUES (1); CREATE SCHEMA other; CREATE TABLE other.t (y int)");
    let before = c.table_checksums(&target.name);

    let restore = |extra: &[&str]| {
        let mut r = tool("backup-tool");
        r.args(["restore", &file, "--db", &target.url]).args(extra);
        run(r)
    };
    let out = restore(&[]);
    assert_eq!(out.code, 6, "{}", out.stderr);
    assert!(out.stderr.contains("--force"), "{}", out.stderr);
    // --force without a terminal and without --yes: refused, nothing changed.
    let out = restore(&["--force"]);
    assert_eq!(out.code, 6, "{}", out.stderr);
    assert!(out.stderr.contains("--yes"), "{}", out.stderr);
    assert_eq!(c.table_checksums(&target.name), before);
    // --yes alone confirms nothing to replace: a non-empty target still needs --force.
    let out = restore(&["--yes"]);
    assert_eq!(out.code, 6, "{}", out.stderr);
    assert!(out.stderr.contains("--force"), "{}", out.stderr);

    let out = restore(&["--force", "--yes"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        c.table_checksums(&target.name),
        c.table_checksums(&src.name)
    );
    assert_eq!(c.schema(&target.name), c.schema(&src.name));
}

#[test]
fn a_restore_that_fails_midway_leaves_the_target_as_it_was() {
    let c = cluster();
    let src = c.create_db("failing_src");
    load_sample(c, &src.name, 100);
    // A table owned by a role that will not exist when restoring: the ALTER ... OWNER fails
    // after most of the data has been loaded.
    let role = format!("gone_{}", src.name);
    c.psql(&src.name, &format!("CREATE ROLE {role}; CREATE TABLE public.zz_last (x int); ALTER TABLE public.zz_last OWNER TO {role}"));
    let dir = tempfile::tempdir().expect("tempdir");
    let file = backup(&src.url, dir.path());
    c.psql(
        &src.name,
        &format!("DROP TABLE public.zz_last; DROP ROLE {role}"),
    );

    let target = c.create_db("failing_dst");
    c.psql(
        &target.name,
        "CREATE TABLE precious (x int); INSERT INTO precious SELECT generate_series(1, 10)",
    );
    let before = c.table_checksums(&target.name);
    let before_schema = c.schema(&target.name);
    let mut r = tool("backup-tool");
    r.args(["restore", &file, "--db", &target.url, "--force", "--yes"]);
    let out = run(r);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("psql exited with status 3"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains(&role), "{}", out.stderr);
    assert_eq!(
        c.table_checksums(&target.name),
        before,
        "target changed by a failed restore"
    );
    assert_eq!(c.schema(&target.name), before_schema);

    // Into a new database: the half-restored database is dropped again.
    let fresh = c.fresh_name("failing_new");
    let mut r = tool("backup-tool");
    r.args(["restore", &file, "--db", &c.url(&fresh), "--create"]);
    assert_eq!(run(r).code, 1);
    let exists = c.psql(
        "postgres",
        &format!("SELECT count(*) FROM pg_database WHERE datname = '{fresh}'"),
    );
    assert_eq!(exists.trim(), "0");
}

#[test]
fn missing_target_database_needs_create() {
    let c = cluster();
    let src = c.create_db("nocreate_src");
    load_sample(c, &src.name, 5);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = backup(&src.url, dir.path());
    let mut r = tool("backup-tool");
    r.args(["restore", &file, "--db", &c.url(&c.fresh_name("absent"))]);
    let out = run(r);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--create"), "{}", out.stderr);
}

#[test]
fn large_objects_cannot_commit_a_restore_that_fails_later() {
    let c = cluster();
    let src = c.create_db("lo_src");
    load_sample(c, &src.name, 20);
    let role = format!("late_{}", src.name);
    // pg_dump writes BEGIN/COMMIT around large-object data, and the GRANTs come after it: a grant
    // to a role that is gone fails the restore after that inner COMMIT.
    c.psql(
        &src.name,
        &format!("SELECT lo_from_bytea(0, 'blob'::bytea); CREATE ROLE {role}; GRANT SELECT ON public.users TO {role}"),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let file = backup(&src.url, dir.path());
    c.psql(
        &src.name,
        &format!("REVOKE ALL ON public.users FROM {role}; DROP ROLE {role}"),
    );

    let target = c.create_db("lo_dst");
    c.psql(
        &target.name,
        "CREATE TABLE precious (x int); INSERT INTO precious VALUES (1), (2)",
    );
    let before = c.table_checksums(&target.name);
    let mut r = tool("backup-tool");
    r.args(["restore", &file, "--db", &target.url, "--force", "--yes"]);
    let out = run(r);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains(&role), "{}", out.stderr);
    assert_eq!(
        c.table_checksums(&target.name),
        before,
        "a failed restore changed the target"
    );
    let los = c.psql(&target.name, "SELECT count(*) FROM pg_largeobject_metadata");
    assert_eq!(los.trim(), "0");
}

#[test]
fn restore_with_mask_gives_a_masked_copy_and_bad_rules_leave_nothing() {
    let c = cluster();
    let src = c.create_db("rmask_src");
    load_sample(c, &src.name, 200);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = backup(&src.url, dir.path());
    let rules = dir.path().join("masking.toml");
    let text = r#"
[tables."public.users"]
email = { template = "user_{id}@test.example.com" }
name = "null"
keep = ["id", "created_at"]
[tables."public.accounts"]
refresh_token = "random_hash"
meta = "null"
keep = ["id", "user_id"]
[tables.'"Billing"."Invoice Lines"']
keep = ['"Id"', '"Amount"', "note", "tags", "raw"]
[tables."public.empty_table"]
keep = ["x"]
"#;
    std::fs::write(&rules, text).expect("rules");
    let target = c.fresh_name("rmask_dst");
    let mut r = tool("backup-tool");
    r.args([
        "restore",
        &file,
        "--db",
        &c.url(&target),
        "--create",
        "--mask",
    ])
    .arg(&rules);
    let out = run(r);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let q = |db: &str, sql: &str| c.psql(db, sql).trim().to_string();
    assert_eq!(q(&target, "SELECT count(*) FROM users WHERE email <> 'user_' || id || '@test.example.com' OR name IS NOT NULL"), "0");
    assert_eq!(
        q(
            &target,
            "SELECT count(*) FROM accounts a JOIN users u ON u.id = a.user_id"
        ),
        "200"
    );
    assert_eq!(
        q(
            &target,
            "SELECT count(*) FROM accounts WHERE refresh_token = md5(id::text)"
        ),
        "0"
    );
    let billing =
        r#"SELECT md5(string_agg(t::text, ',' ORDER BY "Id")) FROM "Billing"."Invoice Lines" t"#;
    assert_eq!(q(&target, billing), q(&src.name, billing));

    // Rules that do not fit the backup: nothing is restored, the created database is gone.
    std::fs::write(
        &rules,
        text.replace("name = \"null\"", "name = \"null\"\nnickname = \"null\""),
    )
    .expect("rules");
    let target = c.fresh_name("rmask_bad");
    let mut r = tool("backup-tool");
    r.args([
        "restore",
        &file,
        "--db",
        &c.url(&target),
        "--create",
        "--mask",
    ])
    .arg(&rules);
    let out = run(r);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("nickname"), "{}", out.stderr);
    let exists = c.psql(
        "postgres",
        &format!("SELECT count(*) FROM pg_database WHERE datname = '{target}'"),
    );
    assert_eq!(exists.trim(), "0");
}
