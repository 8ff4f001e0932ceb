//! Test harness: a throw-away PostgreSQL cluster per test binary, a database per test, temp
//! folders, the built binaries, and content comparisons.
//!
//! The cluster is started from the server binaries on this machine (initdb + pg_ctl in a temp
//! folder, on a free port, listening on 127.0.0.1 only, password authentication over TCP). As root
//! the server programs run as the `postgres` OS user, as PostgreSQL requires. It is stopped by its
//! pid when the test binary exits. No test uses a server the machine happens to run, and none
//! skips: missing binaries are a loud failure (the README's test command installs them).

pub mod s3;

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

/// The uid and gid of the `postgres` OS user when the tests run as root (the clusters run as it).
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

/// An empty folder the clusters' server can use as a tablespace location (owned by the OS user it
/// runs as), inside a temporary folder removed on drop.
pub fn tablespace_location(prefix: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .expect("tablespace folder");
    let location = dir.path().join("space");
    std::fs::create_dir(&location).expect("mkdir tablespace folder");
    if let Some((uid, gid)) = postgres_ids() {
        std::os::unix::fs::chown(&location, Some(uid), Some(gid)).expect("chown tablespace folder");
    }
    (dir, location)
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
                     -c max_prepared_transactions=8 \
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

// ---------------------------------------------------------------------------------------------
// Fault-suite helpers: stopping a run at a named testpoint, killing it there, and checking what
// it left by content (files, modes, bytes, databases, sessions).
// ---------------------------------------------------------------------------------------------

/// How long a run may take to reach a testpoint, or a state the suite polls for.
pub const FAULT_DEADLINE: std::time::Duration = std::time::Duration::from_secs(60);

/// Polls `f` every 20 ms until it returns true; false when `limit` passed first.
pub fn poll_until(limit: std::time::Duration, mut f: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + limit;
    loop {
        if f() {
            return true;
        }
        if std::time::Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Whether a process is gone (no such pid, or a zombie nobody reaped yet).
pub fn process_gone(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(s) => s
            .rsplit_once(')')
            .map(|(_, rest)| rest.trim_start().starts_with('Z'))
            .unwrap_or(true),
    }
}

/// Every descendant of `pid` (children, their children, ...), read from /proc.
pub fn descendants(pid: i32) -> Vec<i32> {
    let mut out = Vec::new();
    let mut todo = vec![pid];
    while let Some(p) = todo.pop() {
        let Ok(rd) = std::fs::read_dir(format!("/proc/{p}/task")) else {
            continue;
        };
        for t in rd.flatten() {
            if let Ok(s) = std::fs::read_to_string(t.path().join("children")) {
                for c in s.split_whitespace().filter_map(|x| x.parse::<i32>().ok()) {
                    if !out.contains(&c) {
                        out.push(c);
                        todo.push(c);
                    }
                }
            }
        }
    }
    out
}

/// The command line of a process, for messages.
pub fn cmdline(pid: i32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|b| {
            String::from_utf8_lossy(&b)
                .replace('\0', " ")
                .trim()
                .to_string()
        })
        .unwrap_or_default()
}

/// A tool run stopped at a testpoint (or at a polled state), ready to be killed there.
pub struct Stopped {
    /// The tool's process.
    pub child: std::process::Child,
    /// Its pid.
    pub pid: i32,
    /// Control folder: the testpoint file, the tool's stdout and stderr, and `tmp/` (its TMPDIR).
    pub ctl: tempfile::TempDir,
    /// The testpoint it was stopped at ("" when spawned without one).
    pub point: String,
    /// Where [`Stopped::release`] writes the file that lets the run go on past its testpoint.
    pub gate: Option<tempfile::TempDir>,
}

/// A run a test left without ending it (the test failed first) is killed, so that it never
/// outlives the test.
impl Drop for Stopped {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            // SAFETY: killing the child we spawned, which has not been waited for.
            unsafe {
                libc::kill(self.pid, libc::SIGKILL);
            }
            let _ = self.child.wait();
        }
    }
}

/// What a stopped run left when it ended.
#[derive(Debug)]
pub struct Ended {
    /// Exit code (None: killed by a signal).
    pub code: Option<i32>,
    /// The signal that ended it, if one did.
    pub signal: Option<i32>,
    /// Seconds from the signal to the end of the process.
    pub secs: f64,
    /// Its standard output.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
    /// Children of the tool still alive 10 s after it ended (they should die with it).
    pub survivors: Vec<String>,
    /// The tool's TMPDIR (kept for scanning until this value is dropped).
    pub tmp: PathBuf,
    _ctl: tempfile::TempDir,
}

impl Stopped {
    /// Spawns `cmd` with its own TMPDIR and output files, without a testpoint.
    pub fn spawn(mut cmd: Command) -> Stopped {
        let ctl = tempfile::Builder::new()
            .prefix("fault-ctl-")
            .tempdir()
            .expect("control dir");
        std::fs::create_dir(ctl.path().join("tmp")).expect("tmp dir");
        cmd.env("TMPDIR", ctl.path().join("tmp"))
            .stdin(std::process::Stdio::null())
            .stdout(std::fs::File::create(ctl.path().join("stdout")).expect("stdout file"))
            .stderr(std::fs::File::create(ctl.path().join("stderr")).expect("stderr file"));
        let child = cmd.spawn().expect("spawn the tool");
        let pid = child.id() as i32;
        Stopped {
            child,
            pid,
            ctl,
            point: String::new(),
            gate: None,
        }
    }

    /// Spawns `cmd` and waits (polling, up to [`FAULT_DEADLINE`]) until it reaches testpoint
    /// `point`. Panics with the tool's stderr if it ends or takes too long first.
    pub fn at(mut cmd: Command, point: &str) -> Stopped {
        let ctl = tempfile::Builder::new()
            .prefix("fault-ctl-")
            .tempdir()
            .expect("control dir");
        let reached = ctl.path().join("reached");
        cmd.env("BACKUP_TOOLS_TESTPOINT", point)
            .env("BACKUP_TOOLS_TESTPOINT_FILE", &reached)
            .env("BACKUP_TOOLS_TESTPOINT_RELEASE", ctl.path().join("release"));
        let mut s = Stopped::spawn(cmd);
        // Keep the control folder of spawn (it holds the output files); the testpoint file of
        // this one only names the path.
        s.point = point.to_string();
        let ok = poll_until(FAULT_DEADLINE, || {
            reached.exists() || matches!(s.child.try_wait(), Ok(Some(_)))
        });
        if !reached.exists() {
            let status = s.child.try_wait().ok().flatten();
            if status.is_none() {
                // SAFETY: killing the child we spawned.
                unsafe {
                    libc::kill(s.pid, libc::SIGKILL);
                }
                let _ = s.child.wait();
            }
            panic!(
                "the run never reached testpoint {point} ({}): status {status:?}\nstderr:\n{}",
                if ok {
                    "it ended first"
                } else {
                    "deadline passed"
                },
                s.stderr()
            );
        }
        s.gate = Some(ctl);
        s
    }

    /// Lets the run go on past its testpoint (and past every later reach of it).
    pub fn release(&self) {
        if let Some(g) = &self.gate {
            std::fs::write(g.path().join("release"), b"").expect("release the testpoint");
        }
    }

    /// The tool's TMPDIR.
    pub fn tmp(&self) -> PathBuf {
        self.ctl.path().join("tmp")
    }

    /// What the tool printed on stderr so far.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(self.ctl.path().join("stderr")).unwrap_or_default()
    }

    /// Whether it is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// `kill -9` of the tool alone (not its process group: its children must die with it).
    pub fn kill9(self) -> Ended {
        self.send(libc::SIGKILL)
    }

    /// Sends `sig` and waits up to 60 s for the tool to end; children still alive 10 s later
    /// are listed in [`Ended::survivors`] (and then killed, so nothing outlives the test).
    pub fn send(mut self, sig: i32) -> Ended {
        let kids = descendants(self.pid);
        let t0 = std::time::Instant::now();
        // SAFETY: a plain signal to the child we spawned.
        unsafe {
            libc::kill(self.pid, sig);
        }
        let mut status = None;
        poll_until(std::time::Duration::from_secs(60), || {
            status = self.child.try_wait().ok().flatten();
            status.is_some()
        });
        let secs = t0.elapsed().as_secs_f64();
        let status = match status {
            Some(s) => s,
            None => {
                // SAFETY: as above; it ignored the signal for a minute.
                unsafe {
                    libc::kill(self.pid, libc::SIGKILL);
                }
                self.child.wait().expect("wait")
            }
        };
        poll_until(std::time::Duration::from_secs(10), || {
            kids.iter().all(|&k| process_gone(k))
        });
        let mut survivors = Vec::new();
        for &k in &kids {
            if !process_gone(k) {
                survivors.push(format!("{k} {}", cmdline(k)));
                // SAFETY: a process our run started; it must not outlive the test.
                unsafe {
                    libc::kill(k, libc::SIGKILL);
                }
            }
        }
        use std::os::unix::process::ExitStatusExt;
        Ended {
            code: status.code(),
            signal: status.signal(),
            secs,
            stdout: std::fs::read_to_string(self.ctl.path().join("stdout")).unwrap_or_default(),
            stderr: std::fs::read_to_string(self.ctl.path().join("stderr")).unwrap_or_default(),
            survivors,
            tmp: self.ctl.path().join("tmp"),
            _ctl: self.take_ctl(),
        }
    }

    /// The control folder, to go with the result (Stopped's drop only ends a live run).
    fn take_ctl(&mut self) -> tempfile::TempDir {
        std::mem::replace(
            &mut self.ctl,
            tempfile::Builder::new()
                .prefix("fault-ctl-")
                .tempdir()
                .expect("control dir"),
        )
    }

    /// Waits for the tool to end by itself (up to `limit`); None when it was still running
    /// (it is then killed).
    pub fn wait_for(mut self, limit: std::time::Duration) -> Option<Ended> {
        let t0 = std::time::Instant::now();
        let mut status = None;
        poll_until(limit, || {
            status = self.child.try_wait().ok().flatten();
            status.is_some()
        });
        let secs = t0.elapsed().as_secs_f64();
        match status {
            None => {
                let _ = self.kill9();
                None
            }
            Some(s) => {
                use std::os::unix::process::ExitStatusExt;
                Some(Ended {
                    code: s.code(),
                    signal: s.signal(),
                    secs,
                    stdout: std::fs::read_to_string(self.ctl.path().join("stdout"))
                        .unwrap_or_default(),
                    stderr: std::fs::read_to_string(self.ctl.path().join("stderr"))
                        .unwrap_or_default(),
                    survivors: Vec::new(),
                    tmp: self.ctl.path().join("tmp"),
                    _ctl: self.take_ctl(),
                })
            }
        }
    }
}

/// Files under `dirs` (recursively) whose bytes contain any of `needles`, found with
/// `grep -rlaF` (fast on a whole cluster's data folder). Missing folders are skipped.
pub fn files_containing(dirs: &[&Path], needles: &[&str]) -> Vec<String> {
    let dirs: Vec<&Path> = dirs.iter().copied().filter(|d| d.exists()).collect();
    if dirs.is_empty() || needles.is_empty() {
        return Vec::new();
    }
    let mut c = Command::new("grep");
    c.args(["-r", "-l", "-a", "-F", "-s"]);
    for n in needles {
        c.arg("-e").arg(n);
    }
    c.arg("--");
    for d in &dirs {
        c.arg(d);
    }
    let out = c.output().expect("run grep");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// Regular files under `dir` (recursively) with any group or other permission bit, with their
/// modes, as `path 0644`. Files whose name is in `allowed` are left out.
pub fn non_private_files(dir: &Path, allowed: &[&Path]) -> Vec<String> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            let Ok(m) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            if m.is_dir() {
                todo.push(p);
            } else if m.is_file() {
                let mode = m.permissions().mode() & 0o777;
                if mode & 0o077 != 0 && !allowed.contains(&p.as_path()) {
                    out.push(format!("{} {mode:04o}", p.display()));
                }
            }
        }
    }
    out.sort();
    out
}

/// Every file under `dir` (recursively), relative, sorted; hidden ones included.
pub fn all_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap_or(&p).display().to_string());
            }
        }
    }
    out.sort();
    out
}

/// The mode of a file (permission bits).
pub fn mode_of(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p)
        .map(|m| m.permissions().mode() & 0o777)
        .unwrap_or(0)
}

impl Cluster {
    /// Databases whose name starts with `prefix`, sorted.
    pub fn databases_like(&self, prefix: &str) -> Vec<String> {
        let esc = prefix.replace('_', "\\_");
        self.psql(
            "postgres",
            &format!("SELECT datname FROM pg_database WHERE datname LIKE '{esc}%' ORDER BY 1"),
        )
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
    }

    /// Whether a database exists.
    pub fn db_exists(&self, name: &str) -> bool {
        self.psql(
            "postgres",
            &format!("SELECT count(*) FROM pg_database WHERE datname = '{name}'"),
        )
        .trim()
            == "1"
    }

    /// `datallowconn` of a database.
    pub fn allows_connections(&self, name: &str) -> bool {
        self.psql(
            "postgres",
            &format!("SELECT datallowconn FROM pg_database WHERE datname = '{name}'"),
        )
        .trim()
            == "t"
    }

    /// Waits (up to 30 s) until no session other than ours is connected to a database whose
    /// name starts with `prefix`; returns what is still connected if they do not go.
    pub fn wait_sessions_gone(&self, prefix: &str) -> Vec<String> {
        let esc = prefix.replace('_', "\\_");
        let q = format!(
            "SELECT pid || ' ' || coalesce(application_name, '') || ' ' || coalesce(state, '') FROM pg_stat_activity \
             WHERE datname LIKE '{esc}%' AND pid <> pg_backend_pid()"
        );
        let mut left = Vec::new();
        poll_until(std::time::Duration::from_secs(30), || {
            left = self
                .psql("postgres", &q)
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect();
            left.is_empty()
        });
        left
    }

    /// Flushes everything to the data files (so a byte scan of the data folder sees it).
    pub fn checkpoint(&self) {
        self.psql("postgres", "CHECKPOINT");
    }

    /// The data folder and the server log, for byte scans.
    pub fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    /// The server log.
    pub fn log_file(&self) -> PathBuf {
        self.root.join("server.log")
    }

    /// A psql session kept open (stdin piped), e.g. to hold a lock across a run; its
    /// `application_name` is `app`.
    pub fn session(&self, db: &str, app: &str) -> Session {
        let mut c = self.client("psql");
        c.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db])
            .env("PGAPPNAME", app)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let child = c.spawn().expect("spawn psql session");
        Session { child }
    }

    /// Rows of a query on `postgres`, one string per row.
    pub fn rows(&self, db: &str, sql: &str) -> Vec<String> {
        self.psql(db, sql)
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// An open psql session fed through its stdin.
pub struct Session {
    child: std::process::Child,
}

impl Session {
    /// Sends SQL (a newline is added).
    pub fn send(&mut self, sql: &str) {
        use std::io::Write;
        let stdin = self.child.stdin.as_mut().expect("stdin");
        stdin
            .write_all(format!("{sql}\n").as_bytes())
            .and_then(|_| stdin.flush())
            .expect("write to psql session");
    }

    /// Ends the session (its open transaction is rolled back).
    pub fn close(mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP server that accepts connections and never answers (holds every socket open).
pub struct SilentServer {
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// Connections accepted so far.
    pub accepted: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl SilentServer {
    /// Starts it on a thread that lives as long as the test binary.
    pub fn start() -> SilentServer {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = l.local_addr().expect("addr").port();
        let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let count = std::sync::Arc::clone(&accepted);
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for s in l.incoming().flatten() {
                held.push(s);
                count.fetch_add(1, Ordering::SeqCst);
            }
        });
        SilentServer { port, accepted }
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

/// A TCP proxy to a real cluster that stalls (accepts, never answers) the connections whose
/// startup packet names one of `stall` as `application_name` (the client must not ask for TLS:
/// give `sslmode=disable`), and passes every other connection through.
pub struct StallProxy {
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// Connections stalled so far.
    pub stalled: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl StallProxy {
    /// Starts it in front of `upstream` (a port on 127.0.0.1).
    pub fn start(upstream: u16, stall: &[&str]) -> StallProxy {
        use std::io::{Read, Write};
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = l.local_addr().expect("addr").port();
        let stall: Vec<String> = stall.iter().map(|s| s.to_string()).collect();
        let stalled = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let count = std::sync::Arc::clone(&stalled);
        std::thread::spawn(move || {
            let held = std::sync::Arc::new(Mutex::new(Vec::new()));
            for s in l.incoming().flatten() {
                let stall = stall.clone();
                let held = std::sync::Arc::clone(&held);
                let count = std::sync::Arc::clone(&count);
                std::thread::spawn(move || {
                    let mut s = s;
                    let mut len = [0u8; 4];
                    if s.read_exact(&mut len).is_err() {
                        return;
                    }
                    let n = u32::from_be_bytes(len) as usize;
                    if !(8..=10_000).contains(&n) {
                        return;
                    }
                    let mut body = vec![0u8; n - 4];
                    if s.read_exact(&mut body).is_err() {
                        return;
                    }
                    let text = String::from_utf8_lossy(&body).into_owned();
                    let fields: Vec<&str> = text.split('\0').collect();
                    let app = fields
                        .iter()
                        .position(|f| f.ends_with("application_name"))
                        .and_then(|i| fields.get(i + 1))
                        .map(|s| s.to_string())
                        .unwrap_or_default();
                    if stall.contains(&app) {
                        if let Ok(mut h) = held.lock() {
                            h.push(s);
                        }
                        count.fetch_add(1, Ordering::SeqCst);
                        return;
                    }
                    let Ok(mut up) = std::net::TcpStream::connect(("127.0.0.1", upstream)) else {
                        return;
                    };
                    if up
                        .write_all(&len)
                        .and_then(|_| up.write_all(&body))
                        .is_err()
                    {
                        return;
                    }
                    let (Ok(mut s2), Ok(mut up2)) = (s.try_clone(), up.try_clone()) else {
                        return;
                    };
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut up2, &mut s2);
                        let _ = s2.shutdown(std::net::Shutdown::Both);
                    });
                    let _ = std::io::copy(&mut s, &mut up);
                    let _ = up.shutdown(std::net::Shutdown::Both);
                });
            }
        });
        StallProxy { port, stalled }
    }

    /// Connections stalled so far.
    pub fn stalled(&self) -> usize {
        self.stalled.load(Ordering::SeqCst)
    }
}

/// The whole content of an SQLite file as text (schema, then every table's rows in rowid
/// order), for comparing a file before and after a run. Opening it rolls back a hot journal,
/// as any reader would.
pub fn sqlite_content(path: &Path) -> String {
    let c = rusqlite::Connection::open(path).expect("open sqlite");
    let mut out = String::new();
    let mut stmt = c
        .prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY name")
        .expect("schema");
    let objs: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .and_then(|rows| rows.collect())
        .expect("schema rows");
    for (ty, name, sql) in &objs {
        out.push_str(&format!("{ty} {name}: {sql}\n"));
        if ty == "table" && !name.starts_with("sqlite_") {
            let q = format!(
                "SELECT * FROM \"{}\" ORDER BY rowid",
                name.replace('"', "\"\"")
            );
            let mut s = c.prepare(&q).expect("select");
            let n = s.column_count();
            let rows: Vec<String> = s
                .query_map([], |r| {
                    let mut v = Vec::new();
                    for i in 0..n {
                        let x: rusqlite::types::Value = r.get(i)?;
                        v.push(format!("{x:?}"));
                    }
                    Ok(v.join("|"))
                })
                .and_then(|rows| rows.collect())
                .expect("rows");
            for r in rows {
                out.push_str(&r);
                out.push('\n');
            }
        }
    }
    out
}
