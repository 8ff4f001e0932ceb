//! Restore as operators of pg_restore expect: `--no-owner`, `--role`, and part of a backup with
//! `--table` / `--schema`, checked by what the server says afterwards.

use std::path::{Path, PathBuf};

use tests::{cluster, run, tool, Cluster};

fn backup(url: &str, dir: &Path) -> PathBuf {
    let mut c = tool("backup-tool");
    c.args(["backup", "--db", url, "--dir"]).arg(dir);
    let out = run(c);
    assert_eq!(out.code, 0, "{}", out.stderr);
    PathBuf::from(out.stdout.trim())
}

fn restore(file: &Path, url: &str, extra: &[&str]) -> tests::Output {
    let mut r = tool("backup-tool");
    r.arg("restore").arg(file).args(["--db", url]).args(extra);
    run(r)
}

fn owners(c: &Cluster, db: &str) -> Vec<String> {
    c.rows(db, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1")
}

/// A source whose objects belong to a role of their own, in two schemas.
fn source(c: &Cluster, prefix: &str) -> (tests::TestDb, String) {
    let db = c.create_db(prefix);
    let owner = format!("{}_owner", db.name);
    c.psql(
        &db.name,
        &format!(
            "CREATE ROLE {owner} NOLOGIN; \
             CREATE SCHEMA billing; \
             CREATE TABLE public.customers (id serial PRIMARY KEY, email text UNIQUE); \
             CREATE TABLE public.orders (id bigserial PRIMARY KEY, customer_id int REFERENCES public.customers(id), total numeric); \
             CREATE INDEX orders_customer ON public.orders (customer_id); \
             CREATE TABLE billing.invoices (id int PRIMARY KEY, amount numeric); \
             INSERT INTO public.customers (email) SELECT 'c' || i || '@example.com' FROM generate_series(1, 50) i; \
             INSERT INTO public.orders (customer_id, total) SELECT 1 + i % 50, i FROM generate_series(1, 500) i; \
             INSERT INTO billing.invoices SELECT i, i * 2 FROM generate_series(1, 30) i; \
             ALTER TABLE public.customers OWNER TO {owner}; ALTER TABLE public.orders OWNER TO {owner}; \
             ALTER TABLE billing.invoices OWNER TO {owner}; ALTER SCHEMA billing OWNER TO {owner};"
        ),
    );
    (db, owner)
}

#[test]
fn no_owner_and_role_decide_who_owns_the_restored_objects() {
    let c = cluster();
    let (src, owner) = source(c, "ro_src");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = backup(&src.url, dir.path());

    let kept = c.fresh_name("ro_kept");
    let out = restore(&file, &c.url(&kept), &["--create"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(owners(c, &kept), vec![owner.clone()]);

    let mine = c.fresh_name("ro_mine");
    let out = restore(&file, &c.url(&mine), &["--create", "--no-owner"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(owners(c, &mine), vec!["postgres".to_string()]);
    assert_eq!(c.table_checksums(&mine), c.table_checksums(&src.name));

    let role = format!("{kept}_restorer");
    c.psql("postgres", &format!("CREATE ROLE {role} NOLOGIN CREATEDB"));
    let as_role = c.fresh_name("ro_role");
    c.psql(
        "postgres",
        &format!("CREATE DATABASE {as_role} OWNER {role}"),
    );
    let out = restore(&file, &c.url(&as_role), &["--role", &role]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(owners(c, &as_role), vec![role.clone()]);
    assert_eq!(c.table_checksums(&as_role), c.table_checksums(&src.name));

    // A role that is not there: a clear usage error, nothing created.
    let none = c.fresh_name("ro_none");
    let out = restore(
        &file,
        &c.url(&none),
        &["--create", "--role", "no_such_role_here"],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("no_such_role_here") && out.stderr.contains("does not exist"),
        "{}",
        out.stderr
    );
    assert!(!c.db_exists(&none));
    assert!(
        !out.stderr.contains("ERROR:"),
        "a raw server error: {}",
        out.stderr
    );
}

#[test]
fn table_and_schema_restore_only_what_they_name() {
    let c = cluster();
    let (src, _) = source(c, "rs_src");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = backup(&src.url, dir.path());
    let target = c.create_db("rs_dst");
    c.psql(
        &target.name,
        "CREATE TABLE public.unrelated (x int); INSERT INTO public.unrelated VALUES (1), (2)",
    );
    let unrelated = c.psql(&target.name, "SELECT count(*) FROM public.unrelated");

    // A non-empty target needs --force, as a whole restore does.
    let out = restore(&file, &target.url, &["--table", "public.customers"]);
    assert_eq!(out.code, 6, "{}", out.stderr);

    let out = restore(
        &file,
        &target.url,
        &[
            "--table",
            "public.customers",
            "--force",
            "--yes",
            "--no-owner",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let tables = c.rows(&target.name, "SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1");
    assert_eq!(
        tables,
        vec![
            "public.customers".to_string(),
            "public.unrelated".to_string()
        ]
    );
    let q = "SELECT count(*) || ':' || md5(string_agg(id || email, ',' ORDER BY id)) FROM public.customers";
    assert_eq!(c.psql(&target.name, q), c.psql(&src.name, q));
    assert_eq!(
        c.psql(&target.name, "SELECT count(*) FROM public.unrelated"),
        unrelated
    );
    // Its key and sequence came with it: a default-key insert works.
    c.psql(
        &target.name,
        "INSERT INTO public.customers (email) VALUES ('new@example.com')",
    );

    // Again, over the table restored before: replaced, not doubled.
    let out = restore(
        &file,
        &target.url,
        &[
            "--table",
            "public.customers",
            "--force",
            "--yes",
            "--no-owner",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(c.psql(&target.name, q), c.psql(&src.name, q));

    let out = restore(
        &file,
        &target.url,
        &["--schema", "billing", "--force", "--yes", "--no-owner"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        c.psql(&target.name, "SELECT count(*) FROM billing.invoices"),
        c.psql(&src.name, "SELECT count(*) FROM billing.invoices")
    );
    assert!(c
        .rows(
            &target.name,
            "SELECT 1 FROM pg_tables WHERE tablename = 'orders'"
        )
        .is_empty());
    assert!(
        c.databases_like(&format!("{}__", target.name)).is_empty(),
        "scratch databases left: {:?}",
        c.databases_like(&format!("{}__", target.name))
    );
}
