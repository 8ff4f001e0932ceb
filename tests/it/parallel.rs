//! Parallel backups and restores (`--jobs`): the file stays one plain dump that psql restores by
//! hand, and every way of restoring it gives the source back, checked by schema dump and
//! per-table checksums, with sequences where the source has them.

use std::path::{Path, PathBuf};

use tests::{cluster, run, tool, Cluster};

/// A schema with what parallel paths get wrong: tables bigger than one member, identity and
/// serial columns, a sequence no column owns, partitions, inheritance, a materialized view,
/// generated columns, large objects, quoted mixed-case names, an FK cycle, tables without
/// columns or rows, an unlogged table, jsonb and bytea; several foreign keys to one table
/// (checked side by side), one left NOT VALID over a row that breaks it, one on a partitioned
/// table and one referencing a partitioned table (valid only once its partitions' keys are
/// attached), two indexes on the big table.
const SCHEMA: &str = r#"
CREATE SCHEMA "Sales Data";
CREATE TABLE public.users (id serial PRIMARY KEY, email text UNIQUE NOT NULL, profile jsonb, photo bytea);
INSERT INTO public.users (email, profile, photo)
  SELECT 'user' || i || '@example.com', jsonb_build_object('n', i, 'note', repeat('n', i % 50)), decode(md5(i::text), 'hex')
  FROM generate_series(1, 6000) i;
CREATE TABLE "Sales Data"."Order Lines" (
  line_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id int NOT NULL REFERENCES public.users(id),
  qty int NOT NULL, price numeric(10,2) NOT NULL,
  total numeric GENERATED ALWAYS AS (qty * price) STORED);
INSERT INTO "Sales Data"."Order Lines" (user_id, qty, price)
  SELECT 1 + i % 6000, 1 + i % 7, (i % 1000) / 10.0 FROM generate_series(1, 40000) i;
CREATE INDEX order_lines_user ON "Sales Data"."Order Lines" (user_id);
CREATE SEQUENCE public.ticket_no START 1000;
CREATE TABLE public.tickets (no int NOT NULL DEFAULT nextval('public.ticket_no'), subject text);
INSERT INTO public.tickets (subject) SELECT 'ticket ' || i FROM generate_series(1, 300) i;
SELECT setval('public.ticket_no', 5000);
CREATE TABLE public.events (id bigserial, at date NOT NULL, payload text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE public.events_2025 PARTITION OF public.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO public.events (at, payload) SELECT date '2024-01-01' + (i % 700), 'event ' || i FROM generate_series(1, 8000) i;
CREATE TABLE public.people (id int PRIMARY KEY, name text);
CREATE TABLE public.staff (badge text) INHERITS (public.people);
INSERT INTO public.people SELECT i, 'p' || i FROM generate_series(1, 50) i;
INSERT INTO public.staff SELECT i, 's' || i, 'b' || i FROM generate_series(51, 80) i;
CREATE MATERIALIZED VIEW public.user_totals AS
  SELECT user_id, sum(total) AS spent FROM "Sales Data"."Order Lines" GROUP BY user_id;
CREATE TABLE public.a (id int PRIMARY KEY, b_id int);
CREATE TABLE public.b (id int PRIMARY KEY, a_id int REFERENCES public.a(id) DEFERRABLE INITIALLY DEFERRED);
ALTER TABLE public.a ADD FOREIGN KEY (b_id) REFERENCES public.b(id) DEFERRABLE INITIALLY DEFERRED;
BEGIN; INSERT INTO public.a VALUES (1, 1); INSERT INTO public.b VALUES (1, 1); COMMIT;
CREATE TABLE public.nothing ();
CREATE TABLE public.empty (x int);
CREATE UNLOGGED TABLE public.cache (k text PRIMARY KEY, v text);
INSERT INTO public.cache SELECT 'k' || i, 'v' || i FROM generate_series(1, 100) i;
SELECT lo_from_bytea(0, convert_to(repeat('large object ', 1000), 'UTF8'));
CREATE INDEX order_lines_qty ON "Sales Data"."Order Lines" (qty, price);
CREATE TABLE public.audit (id int, user_id int);
INSERT INTO public.audit VALUES (1, 1), (2, 999999);
ALTER TABLE public.audit ADD CONSTRAINT audit_user FOREIGN KEY (user_id) REFERENCES public.users(id) NOT VALID;
CREATE TABLE public.logins (id int PRIMARY KEY, user_id int NOT NULL REFERENCES public.users(id) ON DELETE CASCADE);
INSERT INTO public.logins SELECT i, 1 + i % 6000 FROM generate_series(1, 3000) i;
ALTER TABLE public.events ADD COLUMN user_id int REFERENCES public.users(id);
UPDATE public.events SET user_id = 1 + id % 6000 WHERE id % 3 = 0;
CREATE TABLE public.event_notes (id int PRIMARY KEY, event_id bigint NOT NULL, event_at date NOT NULL, note text,
  FOREIGN KEY (event_id, event_at) REFERENCES public.events (id, at));
INSERT INTO public.event_notes SELECT row_number() OVER (), id, at, 'n' FROM (SELECT id, at FROM public.events ORDER BY id LIMIT 100) e;
"#;

fn source(c: &Cluster, prefix: &str) -> tests::TestDb {
    let db = c.create_db(prefix);
    c.psql(&db.name, SCHEMA);
    db
}

fn backup_jobs(url: &str, dir: &Path, extra: &[&str]) -> PathBuf {
    let mut b = tool("backup-tool");
    b.args(["backup", "-v", "--db", url, "--jobs", "2", "--dir"])
        .arg(dir)
        .args(extra)
        // Small blocks and ranges: the big tables span many members, read in heap ranges of
        // 16 blocks by both sessions.
        .env("BACKUP_TOOLS_BLOCK_BYTES", "65536")
        .env("BACKUP_TOOLS_RANGE_BYTES", "131072");
    let out = run(b);
    assert_eq!(out.code, 0, "backup --jobs: {}", out.stderr);
    assert!(out.stderr.contains("heap ranges"), "{}", out.stderr);
    PathBuf::from(out.stdout.trim())
}

fn manifest(file: &Path) -> serde_json::Value {
    let text =
        std::fs::read_to_string(format!("{}.manifest.json", file.display())).expect("manifest");
    serde_json::from_str(&text).expect("manifest json")
}

/// Everything a restored copy must share with its source: schema, rows, sequences, large
/// objects; and a default-key insert works in the copy.
fn assert_same(c: &Cluster, src: &str, copy: &str, how: &str) {
    assert_eq!(c.schema(copy), c.schema(src), "{how}: schema differs");
    let fks = "SELECT string_agg(format('%s %s %s', conrelid::regclass, conname, convalidated), ',' ORDER BY conrelid::regclass::text, conname) FROM pg_constraint WHERE contype = 'f'";
    assert_eq!(
        c.psql(copy, fks),
        c.psql(src, fks),
        "{how}: foreign keys differ (validated or not)"
    );
    assert_eq!(
        c.table_checksums(copy),
        c.table_checksums(src),
        "{how}: rows differ"
    );
    let seqs = "SELECT string_agg(format('%I.%I=%s', schemaname, sequencename, last_value), ',' ORDER BY schemaname, sequencename) FROM pg_sequences";
    assert_eq!(
        c.psql(copy, seqs),
        c.psql(src, seqs),
        "{how}: sequences differ"
    );
    let lo = "SELECT count(*) || ':' || md5(string_agg(md5(lo_get(oid)), ',' ORDER BY oid)) FROM pg_largeobject_metadata";
    assert_eq!(
        c.psql(copy, lo),
        c.psql(src, lo),
        "{how}: large objects differ"
    );
    let mv = "SELECT md5(string_agg(user_id || ':' || spent, ',' ORDER BY user_id)) FROM public.user_totals";
    assert_eq!(
        c.psql(copy, mv),
        c.psql(src, mv),
        "{how}: materialized view differs"
    );
    c.psql(copy, "INSERT INTO public.users (email) VALUES ('new@example.com'); INSERT INTO public.tickets (subject) VALUES ('new'); INSERT INTO \"Sales Data\".\"Order Lines\" (user_id, qty, price) VALUES (1, 1, 1); INSERT INTO public.events (at) VALUES ('2024-05-05')");
}

#[test]
fn a_parallel_backup_restores_by_hand_with_psql_and_with_jobs_to_the_same_database() {
    let c = cluster();
    let src = source(c, "pj_src");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = backup_jobs(&src.url, dir.path(), &[]);
    let m = manifest(&file);
    let members = m["members"].as_array().expect("members");
    let big = members
        .iter()
        .filter(|x| x["kind"] == "table-data" && x["table"] == "\"Sales Data\".\"Order Lines\"")
        .count();
    assert!(
        big > 2,
        "the big table should span several members, got {big}"
    );
    assert_eq!(m["tables"]["\"Sales Data\".\"Order Lines\""], 40000);
    assert_eq!(
        m["tables"]["public.events_2024"].as_u64().unwrap_or(0)
            + m["tables"]["public.events_2025"].as_u64().unwrap_or(0),
        8000
    );
    // The completion line ends the file and is written once.
    let mut plain = std::process::Command::new("gzip");
    plain.args(["-dc"]).arg(&file);
    let text = String::from_utf8(plain.output().expect("gzip").stdout).expect("utf8");
    assert_eq!(
        text.matches("-- PostgreSQL database dump complete").count(),
        1
    );
    assert!(text
        .trim_end()
        .lines()
        .rev()
        .take(4)
        .any(|l| l.contains("dump complete")));

    // By hand, as the seeds do.
    let by_hand = c.create_db("pj_hand");
    let script = dir.path().join("plain.sql");
    std::fs::write(&script, &text).expect("write");
    c.psql_file(&by_hand.name, &script);
    assert_same(c, &src.name, &by_hand.name, "gunzip | psql");

    // restore --jobs into a new database.
    let name = c.fresh_name("pj_jobs");
    let mut r = tool("backup-tool");
    r.arg("restore")
        .arg(&file)
        .args(["--db", &c.url(&name), "--create", "--jobs", "2"]);
    let out = run(r);
    assert_eq!(out.code, 0, "restore --jobs: {}", out.stderr);
    assert_same(c, &src.name, &name, "restore --jobs 2");

    // A serial restore of the same file.
    let serial = c.fresh_name("pj_serial");
    let mut r = tool("backup-tool");
    r.arg("restore")
        .arg(&file)
        .args(["--db", &c.url(&serial), "--create"]);
    let out = run(r);
    assert_eq!(out.code, 0, "restore: {}", out.stderr);
    assert_same(c, &src.name, &serial, "restore (one session)");

    // verify reads it whole and counts its rows.
    let mut v = tool("backup-tool");
    v.arg("verify").arg(&file);
    let out = run(v);
    assert_eq!(out.code, 0, "verify: {}", out.stderr);
}

#[test]
fn a_parallel_zstd_backup_replaces_a_database_with_jobs_keeping_its_settings() {
    let c = cluster();
    let src = source(c, "pjz_src");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = backup_jobs(&src.url, dir.path(), &["--compress", "zstd"]);
    let target = c.create_db("pjz_dst");
    c.psql(
        &target.name,
        &format!(
            "CREATE TABLE old_stuff (x int); ALTER DATABASE \"{}\" SET work_mem = '7MB'",
            target.name
        ),
    );
    let mut r = tool("backup-tool");
    r.arg("restore")
        .arg(&file)
        .args(["--db", &target.url, "--force", "--yes", "--jobs", "2"]);
    let out = run(r);
    assert_eq!(out.code, 0, "restore --jobs --force: {}", out.stderr);
    assert_same(c, &src.name, &target.name, "zstd restore --jobs --force");
    let setting = c.psql(
        "postgres",
        &format!("SELECT array_to_string(setconfig, ',') FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = '{}'", target.name),
    );
    assert_eq!(
        setting.trim(),
        "work_mem=7MB",
        "the database's settings were not kept"
    );
    assert!(
        c.databases_like(&format!("{}__", target.name)).is_empty(),
        "a database was left beside the target"
    );
}

#[test]
fn an_altered_member_is_refused_and_the_target_is_not_touched() {
    let c = cluster();
    let src = source(c, "pjm_src");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = backup_jobs(&src.url, dir.path(), &[]);
    let m = manifest(&file);
    let member = m["members"]
        .as_array()
        .and_then(|ms| ms.iter().find(|x| x["kind"] == "table-data"))
        .cloned()
        .expect("a table member");
    let target = c.create_db("pjm_dst");
    c.psql(
        &target.name,
        "CREATE TABLE keep (x int); INSERT INTO keep VALUES (42)",
    );
    let before = c.table_checksums(&target.name);
    let original = std::fs::read(&file).expect("read");
    let (offset, length) = (
        member["offset"].as_u64().unwrap_or(0),
        member["length"].as_u64().unwrap_or(0),
    );
    // One byte inside a table member's compressed data, the file's size unchanged; at several
    // places, since a flip can break the deflate stream, its framing, or only the decoded rows.
    for eighth in [1, 3, 4, 5, 7] {
        let at = (offset + length * eighth / 8) as usize;
        let mut bytes = original.clone();
        bytes[at] ^= 0x20;
        std::fs::write(&file, &bytes).expect("write");
        let mut r = tool("backup-tool");
        r.arg("restore")
            .arg(&file)
            .args(["--db", &target.url, "--force", "--yes", "--jobs", "2"]);
        let out = run(r);
        assert_ne!(
            out.code, 0,
            "an altered backup (byte {at}) was restored: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains("checksum") || out.stderr.contains("corrupt"),
            "byte {at}: {}",
            out.stderr
        );
        assert_eq!(
            c.table_checksums(&target.name),
            before,
            "the target changed (byte {at})"
        );
        assert!(
            c.databases_like(&format!("{}__", target.name)).is_empty(),
            "a half-built database was left beside the target (byte {at})"
        );
    }
    // verify says so too, by the file's own checksum.
    let mut v = tool("backup-tool");
    v.arg("verify").arg(&file);
    assert_eq!(run(v).code, 3);
}

#[test]
fn jobs_are_refused_where_they_cannot_apply() {
    let c = cluster();
    let src = c.create_db("pjr_src");
    c.psql(&src.name, "CREATE TABLE t (x int)");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut b = tool("backup-tool");
    b.args([
        "backup", "--db", &src.url, "--jobs", "2", "--table", "public.t", "--dir",
    ])
    .arg(dir.path());
    let out = run(b);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let db = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/timetracking.db");
    let mut b = tool("backup-tool");
    b.args(["backup", "--db"])
        .arg(&db)
        .args(["--jobs", "2", "--dir"])
        .arg(dir.path());
    let out = run(b);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        tests::visible_files(dir.path()).is_empty(),
        "{:?}",
        tests::visible_files(dir.path())
    );
}

/// A parallel backup killed while its workers write, then stopped by SIGTERM the same way: no
/// backup is listed, the next run removes the leftover and writes a complete one.
#[test]
fn a_parallel_backup_killed_or_stopped_midway_leaves_no_backup() {
    use crate::faults_common::*;
    let c = cluster();
    let src = source(c, "pjk_src");
    let dir = tempfile::tempdir().expect("tempdir");
    let cmd = || {
        let mut b = backup_tool();
        b.args(["backup", "--db", &src.url, "--jobs", "2", "--dir"])
            .arg(dir.path())
            .env("BACKUP_TOOLS_BLOCK_BYTES", "65536");
        b
    };
    let ended = tests::Stopped::at(cmd(), "backup.dumping").kill9();
    assert_killed(&ended);
    let mut p = Problems::default();
    after_end(&mut p, &ended, &[dir.path()], &[]);
    p.none("backups listed after the kill", &listed(dir.path()));
    let ended = tests::Stopped::at(cmd(), "backup.dumping").send(libc::SIGTERM);
    after_signal(&mut p, &ended, libc::SIGTERM);
    p.none("backups listed after SIGTERM", &listed(dir.path()));
    let out = run(cmd());
    p.check(out.code == 0, || {
        format!("next run: exit {}: {}", out.code, tail(&out.stderr))
    });
    p.check(listed(dir.path()).len() == 1, || {
        format!("listed after the next run: {:?}", listed(dir.path()))
    });
    p.none(
        "incomplete backups listed",
        &listed_are_complete(dir.path()),
    );
    let leftovers: Vec<String> = tests::all_files(dir.path())
        .into_iter()
        .filter(|f| f.ends_with(".partial"))
        .collect();
    p.none("partial files after the next run", &leftovers);
    p.finish("parallel backup killed and stopped midway");
}

/// restore --jobs --force stopped after the new copy is built but before it is swapped in, and
/// killed while the tables load: the target keeps its old content and nothing is left beside it.
#[test]
fn a_parallel_restore_stopped_or_killed_leaves_the_target_as_it_was() {
    use crate::faults_common::*;
    let c = cluster();
    let src = source(c, "pjs_src");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = backup_jobs(&src.url, dir.path(), &[]);
    let target = c.create_db("pjs_dst");
    c.psql(
        &target.name,
        "CREATE TABLE keep (x int); INSERT INTO keep VALUES (7)",
    );
    let before = c.table_checksums(&target.name);
    let before_schema = c.schema(&target.name);
    let cmd = || {
        let mut r = backup_tool();
        r.arg("restore")
            .arg(&file)
            .args(["--db", &target.url, "--force", "--yes", "--jobs", "2"]);
        r
    };
    let mut p = Problems::default();
    let ended = tests::Stopped::at(cmd(), "restore.before-rename").send(libc::SIGTERM);
    after_signal(&mut p, &ended, libc::SIGTERM);
    p.check(c.table_checksums(&target.name) == before, || {
        "the target changed after SIGTERM".into()
    });
    p.none(
        "databases left beside the target after SIGTERM",
        &c.databases_like(&format!("{}__", target.name)),
    );
    // Killed with an index or key built (a unique index built, its constraint maybe not yet
    // added on it), then killed with everything built, before the rename.
    for point in ["load.built", "restore.before-rename"] {
        let ended = tests::Stopped::at(cmd(), point).kill9();
        assert_killed(&ended);
        p.check(c.table_checksums(&target.name) == before, || {
            format!("the target changed after kill -9 at {point}")
        });
        p.check(c.schema(&target.name) == before_schema, || {
            format!("the target's schema changed after kill -9 at {point}")
        });
    }
    p.check(c.allows_connections(&target.name), || {
        "the target refuses connections after kill -9".into()
    });
    // The next run removes the copy the killed one built, and replaces the target.
    let out = run(cmd());
    p.check(out.code == 0, || {
        format!("next run: exit {}: {}", out.code, tail(&out.stderr))
    });
    p.check(
        c.table_checksums(&target.name) == c.table_checksums(&src.name),
        || "the next run did not restore the backup".into(),
    );
    p.none(
        "databases left beside the target after the next run",
        &c.databases_like(&format!("{}__", target.name)),
    );
    p.check(c.schema(&target.name) == c.schema(&src.name), || {
        "the next run's schema differs from the source's".into()
    });
    p.finish("parallel restore stopped and killed");
}

#[test]
fn restore_jobs_into_an_existing_empty_database_loads_in_parallel() {
    let c = cluster();
    let src = source(c, "pje_src");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = backup_jobs(&src.url, dir.path(), &[]);
    let target = c.create_db("pje_dst");
    c.psql(
        "postgres",
        &format!("ALTER DATABASE \"{}\" SET work_mem = '9MB'", target.name),
    );
    // Held while the schema loads: a parallel restore builds its copy beside the target (one
    // transaction cannot span sessions); a serial one would be loading the target itself.
    let mut r = tool("backup-tool");
    r.arg("restore")
        .arg(&file)
        .args(["--db", &target.url, "--jobs", "2"]);
    let held = tests::Stopped::at(r, "pipe.loading");
    let beside = c.rows(
        "postgres",
        &format!(
            "SELECT datname FROM pg_database WHERE datname = '{}__restoring'",
            target.name
        ),
    );
    let ended = held.kill9();
    assert!(
        ended.survivors.is_empty(),
        "children outlived the tool: {:?}",
        ended.survivors
    );
    assert_eq!(
        beside.len(),
        1,
        "restore --jobs 2 into an empty database did not load in parallel"
    );
    // Run to the end: the copy is swapped in, the database keeps its settings.
    let mut r = tool("backup-tool");
    r.arg("restore")
        .arg(&file)
        .args(["--db", &target.url, "--jobs", "2"]);
    let out = run(r);
    assert_eq!(
        out.code, 0,
        "restore --jobs into an empty database: {}",
        out.stderr
    );
    assert_same(
        c,
        &src.name,
        &target.name,
        "restore --jobs into an empty database",
    );
    let setting = c.psql(
        "postgres",
        &format!("SELECT array_to_string(setconfig, ',') FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = '{}'", target.name),
    );
    assert_eq!(
        setting.trim(),
        "work_mem=9MB",
        "the database's settings were not kept"
    );
}

/// Indexes and keys placed in a tablespace of their own (pg_dump writes `SET default_tablespace`
/// before them, in the middle of the post-data section) land there in a parallel restore too.
#[test]
fn a_parallel_restore_keeps_indexes_in_their_tablespaces() {
    let c = cluster();
    let ts = format!("pjt_space_{}", std::process::id());
    let (_loc, location) = tests::tablespace_location("pjt-ts-");
    c.psql(
        "postgres",
        &format!("CREATE TABLESPACE {ts} LOCATION '{}'", location.display()),
    );
    let src = c.create_db("pjt_src");
    c.psql(
        &src.name,
        &format!(
            "CREATE TABLE public.placed (id int, code text, v text, \
               CONSTRAINT placed_pkey PRIMARY KEY (id) USING INDEX TABLESPACE {ts}, \
               CONSTRAINT placed_code_key UNIQUE (code)); \
             CREATE INDEX placed_v ON public.placed (v) TABLESPACE {ts}; \
             CREATE INDEX placed_v_default ON public.placed (v, id); \
             INSERT INTO public.placed SELECT g, 'c' || g, 'v' || (g % 50) FROM generate_series(1, 3000) g;"
        ),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let file = backup_jobs(&src.url, dir.path(), &[]);
    let target = c.create_db("pjt_dst");
    let mut r = tool("backup-tool");
    r.arg("restore")
        .arg(&file)
        .args(["--db", &target.url, "--force", "--yes", "--jobs", "2"]);
    let out = run(r);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let placed = "SELECT string_agg(indexname || '=' || coalesce(tablespace, '-'), ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'placed'";
    let got = c.psql(&target.name, placed);
    assert_eq!(got, c.psql(&src.name, placed), "indexes moved tablespace");
    assert!(got.contains(&format!("placed_v={ts}")), "{got}");
    assert_eq!(c.schema(&target.name), c.schema(&src.name));
    for db in [&target.name, &src.name] {
        c.psql("postgres", &format!("DROP DATABASE \"{db}\""));
    }
    c.psql("postgres", &format!("DROP TABLESPACE {ts}"));
}
