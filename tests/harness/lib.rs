//! Test harness: a throw-away PostgreSQL cluster per test binary, a database per test, temp
//! folders, the built binaries, and content comparisons.
//!
//! The cluster is started from the server binaries on this machine (initdb + pg_ctl in a temp
//! folder, on a free port, listening on 127.0.0.1 only, password authentication over TCP). As root
//! the server programs run as the `postgres` OS user, as PostgreSQL requires. It is stopped by its
//! pid when the test binary exits. No test uses a server the machine happens to run, and none
//! skips: missing binaries are a loud failure (the README's test command installs them).

use std::collections::BTreeMap;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

/// The superuser password of every test cluster; tests pass it through PGPASSWORD or a URL.
pub const PASSWORD: &str = "test-Secret-8f3a";

/// A running throw-away cluster.
pub struct Cluster {
    /// TCP port on 127.0.0.1.
    pub port: u16,
    /// Folder of the server and client programs.
    pub bindir: PathBuf,
    /// The cluster's temp folder (data, socket, log).
    pub root: PathBuf,
    /// Postmaster pid.
    pub pid: i32,
    next_db: AtomicU32,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();
static STARTED: Mutex<Vec<(i32, PathBuf)>> = Mutex::new(Vec::new());

extern "C" fn stop_all_clusters() {
    let started = match STARTED.lock() {
        Ok(mut s) => std::mem::take(&mut *s),
        Err(_) => return,
    };
    for (pid, root) in started {
        stop_pid(pid);
        let _ = std::fs::remove_dir_all(&root);
    }
}

fn stop_pid(pid: i32) {
    // SAFETY: plain signals to a pid we started.
    unsafe {
        libc::kill(pid, libc::SIGINT);
    }
    for _ in 0..200 {
        // SAFETY: signal 0 only checks whether the process exists.
        if unsafe { libc::kill(pid, 0) } != 0 {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // SAFETY: as above; the server did not stop in 10 s.
    unsafe {
        libc::kill(pid, libc::SIGQUIT);
    }
}

/// The shared cluster of this test binary, started on first use (the "production" side).
pub fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(|| Cluster::start("main"))
}

static STAGING: OnceLock<Cluster> = OnceLock::new();

/// A second cluster on another port, for tests that need production and staging on separate
/// servers (different system identifiers, different roles).
pub fn staging_cluster() -> &'static Cluster {
    STAGING.get_or_init(|| Cluster::start("staging"))
}

/// Finds the PostgreSQL server programs: $PG_BIN_DIR, the newest /usr/lib/postgresql/N/bin,
/// or the folder of `initdb` on PATH.
pub fn pg_bindir() -> PathBuf {
    if let Some(d) = std::env::var_os("PG_BIN_DIR") {
        return PathBuf::from(d);
    }
    let mut best: Option<(u32, PathBuf)> = None;
    if let Ok(rd) = std::fs::read_dir("/usr/lib/postgresql") {
        for e in rd.flatten() {
            if let Ok(v) = e.file_name().to_string_lossy().parse::<u32>() {
                let bin = e.path().join("bin");
                if bin.join("initdb").is_file() && best.as_ref().is_none_or(|(b, _)| v > *b) {
                    best = Some((v, bin));
                }
            }
        }
    }
    if let Some((_, b)) = best {
        return b;
    }
    if let Some(path) = std::env::var_os("PATH") {
        for d in std::env::split_paths(&path) {
            if d.join("initdb").is_file() && d.join("pg_ctl").is_file() {
                return d;
            }
        }
    }
    panic!(
        "PostgreSQL server programs (initdb, pg_ctl) not found: run scripts/test.sh, which installs \
         them, or set PG_BIN_DIR"
    );
}

fn postgres_ids() -> Option<(u32, u32)> {
    // SAFETY: getuid has no preconditions.
    if unsafe { libc::getuid() } != 0 {
        return None;
    }
    let name = std::ffi::CString::new("postgres").ok()?;
    // SAFETY: getpwnam with a valid C string; the result is read at once, before any other call.
    let pw = unsafe { libc::getpwnam(name.as_ptr()) };
    if pw.is_null() {
        panic!("running as root but there is no 'postgres' OS user to run the test cluster as (scripts/test.sh creates it)");
    }
    // SAFETY: pw is non-null and points to a valid passwd record.
    let (uid, gid) = unsafe { ((*pw).pw_uid, (*pw).pw_gid) };
    Some((uid, gid))
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().expect("local addr").port()
}

fn as_server_user(cmd: &mut Command, root: &Path) {
    cmd.current_dir(root);
    if let Some((uid, gid)) = postgres_ids() {
        cmd.uid(uid).gid(gid).env("HOME", root);
    }
}

fn run_ok(mut cmd: Command, what: &str) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot run: {e}"));
    if !out.status.success() {
        panic!(
            "{what} failed ({}):\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    String::from_utf8_lossy(&out.stdout).into_owned()
}

impl Cluster {
    /// Starts a new cluster; `label` names its temp folder. Use [`cluster`] for the shared one.
    pub fn start(label: &str) -> Cluster {
        let bindir = pg_bindir();
        let root = tempfile::Builder::new()
            .prefix(&format!("test-pg-{label}-"))
            .tempdir()
            .expect("temp dir")
            .keep();
        if let Some((uid, gid)) = postgres_ids() {
            std::os::unix::fs::chown(&root, Some(uid), Some(gid)).expect("chown cluster dir");
        }
        let pwfile = root.join("pwfile");
        std::fs::write(&pwfile, format!("{PASSWORD}\n")).expect("write pwfile");
        if let Some((uid, gid)) = postgres_ids() {
            std::os::unix::fs::chown(&pwfile, Some(uid), Some(gid)).expect("chown pwfile");
        }
        make_certificates(&root);
        let data = root.join("data");
        let mut initdb = Command::new(bindir.join("initdb"));
        initdb
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                "postgres",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .arg(format!("--pwfile={}", pwfile.display()));
        as_server_user(&mut initdb, &root);
        run_ok(initdb, "initdb");
        let mut last_err = String::new();
        for _ in 0..5 {
            let port = free_port();
            let mut ctl = Command::new(bindir.join("pg_ctl"));
            ctl.arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(root.join("server.log"))
                .args(["-w", "-t", "60", "-o"])
                .arg(format!(
                    "-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} \
                     -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100 \
                     -c ssl=on -c ssl_cert_file={}/server.crt -c ssl_key_file={}/server.key",
                    root.display(),
                    root.display(),
                    root.display()
                ))
                .arg("start");
            as_server_user(&mut ctl, &root);
            let out = ctl.output().expect("run pg_ctl");
            if out.status.success() {
                let pidfile =
                    std::fs::read_to_string(data.join("postmaster.pid")).expect("postmaster.pid");
                let pid: i32 = pidfile
                    .lines()
                    .next()
                    .and_then(|l| l.trim().parse().ok())
                    .expect("pid");
                {
                    let mut s = STARTED.lock().expect("lock");
                    if s.is_empty() {
                        // SAFETY: registering a plain extern "C" function to run at exit.
                        unsafe {
                            libc::atexit(stop_all_clusters);
                        }
                    }
                    s.push((pid, root.clone()));
                }
                return Cluster {
                    port,
                    bindir,
                    root,
                    pid,
                    next_db: AtomicU32::new(0),
                };
            }
            last_err = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stderr),
                std::fs::read_to_string(root.join("server.log")).unwrap_or_default()
            );
        }
        panic!("cannot start the test cluster: {last_err}");
    }

    /// URL of a database on this cluster, without a password (tests set PGPASSWORD).
    pub fn url(&self, db: &str) -> String {
        format!("postgresql://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// URL with the password in it (to prove it is redacted everywhere).
    pub fn url_with_password(&self, db: &str) -> String {
        format!(
            "postgresql://postgres:{PASSWORD}@127.0.0.1:{}/{db}",
            self.port
        )
    }

    /// Environment for client programs and our tools to reach this cluster.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![("PGPASSWORD".into(), PASSWORD.into())]
    }

    /// A fresh, empty database for one test.
    pub fn create_db(&self, prefix: &str) -> TestDb {
        let n = self.next_db.fetch_add(1, Ordering::SeqCst);
        let name = format!("{prefix}_{n}");
        self.psql("postgres", &format!("CREATE DATABASE \"{name}\""));
        TestDb {
            name,
            url: self.url(&format!("{prefix}_{n}")),
        }
    }

    /// A database name that does not exist yet (for --create targets).
    pub fn fresh_name(&self, prefix: &str) -> String {
        let n = self.next_db.fetch_add(1, Ordering::SeqCst);
        format!("{prefix}_{n}")
    }

    fn client(&self, program: &str) -> Command {
        let mut c = Command::new(self.bindir.join(program));
        c.env("PGHOST", "127.0.0.1")
            .env("PGPORT", self.port.to_string())
            .env("PGUSER", "postgres")
            .env("PGPASSWORD", PASSWORD)
            .env_remove("PGDATABASE");
        c
    }

    /// Runs SQL with psql (stops at the first error) and returns its unaligned output.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let mut c = self.client("psql");
        c.args([
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            db,
            "-c",
            sql,
        ]);
        run_ok(c, &format!("psql on {db}"))
    }

    /// Runs a SQL script file with psql.
    pub fn psql_file(&self, db: &str, file: &Path) -> String {
        let mut c = self.client("psql");
        c.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-f"])
            .arg(file);
        run_ok(c, &format!("psql -f on {db}"))
    }

    /// The schema of a database as pg_dump prints it, without comments and session settings,
    /// for comparing two databases.
    pub fn schema(&self, db: &str) -> String {
        let mut c = self.client("pg_dump");
        c.args(["--schema-only", "--no-owner", "--no-privileges", "-d", db]);
        let text = run_ok(c, &format!("pg_dump --schema-only {db}"));
        text.lines()
            .filter(|l| {
                !l.starts_with("--")
                    && !l.starts_with("\\restrict")
                    && !l.starts_with("\\unrestrict")
                    && !l.trim().is_empty()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Per-table row count and an md5 over all rows in a fixed order: equal maps mean equal data.
    pub fn table_checksums(&self, db: &str) -> BTreeMap<String, String> {
        let tables = self.psql(
            db,
            "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1",
        );
        let mut out = BTreeMap::new();
        for t in tables.lines().filter(|l| !l.is_empty()) {
            let v = self.psql(
                db,
                &format!("SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, E'\\n' ORDER BY x::text)), '-') FROM {t} x"),
            );
            out.insert(t.to_string(), v.trim().to_string());
        }
        out
    }
}

/// Makes a test CA and a server certificate for 127.0.0.1 in `root` (ca.crt, server.crt,
/// server.key), so TLS connections can be tested with and without certificate checks.
fn make_certificates(root: &Path) {
    let ossl = |args: &[&str]| {
        let mut c = Command::new("openssl");
        c.args(args).current_dir(root);
        run_ok(c, "openssl (install it: scripts/test.sh does)");
    };
    std::fs::write(
        root.join("san.cnf"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n",
    )
    .expect("san");
    ossl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=test-ca",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
    ]);
    ossl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    ]);
    ossl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "san.cnf",
        "-out",
        "server.crt",
    ]);
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        root.join("server.key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .expect("chmod key");
    if let Some((uid, gid)) = postgres_ids() {
        for f in ["server.key", "server.crt", "ca.crt"] {
            std::os::unix::fs::chown(root.join(f), Some(uid), Some(gid)).expect("chown cert");
        }
    }
}

/// A database created for one test.
pub struct TestDb {
    /// Its name.
    pub name: String,
    /// Its URL (no password).
    pub url: String,
}

/// Path of a workspace binary (built by `cargo build --workspace`, which scripts/test.sh runs first).
pub fn bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
    let p = dir.join(name);
    assert!(
        p.is_file(),
        "{} is not built: run `cargo build --workspace` (scripts/test.sh does) before the tests",
        p.display()
    );
    p
}

/// A command for one of our binaries, with the cluster's password in the environment.
pub fn tool(name: &str) -> Command {
    let mut c = Command::new(bin(name));
    c.env("PGPASSWORD", PASSWORD)
        .env_remove("PGHOST")
        .env_remove("PGPORT")
        .env_remove("PGUSER")
        .env_remove("PGDATABASE")
        .env_remove("RUST_LOG")
        .stdin(std::process::Stdio::null());
    c
}

/// The result of running a binary: exit code, stdout, stderr.
#[derive(Debug)]
pub struct Output {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs a command and captures everything.
pub fn run(mut cmd: Command) -> Output {
    let out = cmd.output().expect("run command");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Files in a folder, sorted, with hidden ones (locks) left out.
pub fn visible_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Loads a schema with awkward names and types, and some data, into a database.
pub fn load_sample(c: &Cluster, db: &str, rows: u32) {
    c.psql(
        db,
        &format!(
            r#"
CREATE SCHEMA "Billing";
CREATE TABLE public.users (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE, name text, created_at timestamptz NOT NULL DEFAULT '2026-01-01');
CREATE TABLE public.accounts (id serial PRIMARY KEY, user_id bigint REFERENCES public.users(id), refresh_token text, meta jsonb);
CREATE TABLE "Billing"."Invoice Lines" ("Id" int PRIMARY KEY, "Amount" numeric(12,2), note text, tags text[], raw bytea);
CREATE TABLE public.empty_table (x int);
CREATE FUNCTION public.tricky() RETURNS text LANGUAGE sql AS $body$ SELECT 'COPY public.users (id) FROM stdin;
\.
'::text $body$;
INSERT INTO public.users (email, name) SELECT 'user' || g || '@example.com', 'Name ' || g || E'\twith tab' FROM generate_series(1, {rows}) g;
INSERT INTO public.accounts (user_id, refresh_token, meta) SELECT g, md5(g::text), jsonb_build_object('k', g, 'email', 'user' || g || '@example.com') FROM generate_series(1, {rows}) g;
INSERT INTO "Billing"."Invoice Lines" VALUES (1, 10.50, E'line\nbreak \\N literal', ARRAY['a','b c'], '\xdeadbeef'), (2, NULL, '', '{{}}', NULL), (3, 3.14, 'emoji 🎉 ünïcödé', NULL, '\x00');
"#
        ),
    );
}

/// Deterministic masking rules that class every column of [`load_sample`]'s schema.
pub const SAMPLE_RULES: &str = r#"
salt_env = "MASK_SALT"
[tables."public.users"]
email = "fake_email"
name = "fake_name"
keep = ["id", "created_at"]
[tables."public.accounts"]
refresh_token = "hash"
meta = { json = { "email" = "fake_email" } }
keep = ["id", "user_id"]
[tables.'"Billing"."Invoice Lines"']
note = "scrub"
keep = ['"Id"', '"Amount"', "tags", "raw"]
[tables."public.empty_table"]
keep = ["x"]
"#;

/// Writes a script and makes it executable (wrappers around pg_dump and psql in tests).
pub fn write_executable(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).expect("write script");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod script");
}
