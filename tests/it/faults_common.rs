//! Shared pieces of the fault suite (faults_*.rs): a schema whose personal values are unique to
//! one test (so a byte scan of a whole cluster finds only that test's originals), its masking
//! rules, the tools with their environment, and the checks every killed run must pass.

use std::path::{Path, PathBuf};
use std::process::Command;

use tests::{files_containing, non_private_files, tool, Cluster, Ended, PASSWORD};

/// The masking salt of every run of the suite.
pub const SALT: &str = "fault-suite-salt-0123456789abcdef";

/// A PostgreSQL schema with personal data unique to `tag` (use the test's database name).
pub fn app_sql(tag: &str, rows: u32) -> String {
    format!(
        r#"
CREATE TABLE public.users (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE, name text, note text,
                           created_at timestamptz NOT NULL DEFAULT '2026-01-01');
CREATE TABLE public.sessions (id serial PRIMARY KEY, user_id bigint REFERENCES public.users(id), token text);
CREATE TABLE public.events (id serial PRIMARY KEY, kind text, minutes int);
INSERT INTO public.users (email, name, note)
  SELECT 'orig-{tag}-' || g || '@leak.example', 'Origname{tag}x' || g, 'call orig-{tag}-n' || g || '@leak.example today'
  FROM generate_series(1, {rows}) g;
INSERT INTO public.sessions (user_id, token) SELECT g, 'origtok-{tag}-' || g FROM generate_series(1, {rows}) g;
INSERT INTO public.events (kind, minutes) SELECT 'k' || (g % 7), g FROM generate_series(1, {rows}) g;
"#
    )
}

/// Loads [`app_sql`] into a database.
pub fn load_app(c: &Cluster, db: &str, rows: u32) {
    c.psql(db, &app_sql(&tag_of(db), rows));
}

/// The tag of a database's personal values.
pub fn tag_of(db: &str) -> String {
    db.replace('_', "")
}

/// Byte strings that appear only in the original (unmasked) values of [`app_sql`]`(tag)`.
pub fn originals(tag: &str) -> Vec<String> {
    vec![
        format!("orig-{tag}-"),
        format!("Origname{tag}x"),
        format!("origtok-{tag}-"),
    ]
}

/// Rules that mask every personal column of [`app_sql`] (PostgreSQL names).
pub const APP_RULES: &str = r#"
salt_env = "MASK_SALT"
strict = true
[tables."public.users"]
email = { template = "user_{id}@test.example.com" }
name = "fake_name"
note = "scrub"
keep = ["id", "created_at"]
[tables."public.sessions"]
token = "hash"
keep = ["id", "user_id"]
[tables."public.events"]
keep = ["id", "kind", "minutes"]
"#;

/// The same rules for the SQLite variant of the schema.
pub const APP_RULES_SQLITE: &str = r#"
salt_env = "MASK_SALT"
strict = true
[tables."main.users"]
email = { template = "user_{id}@test.example.com" }
name = "fake_name"
note = "scrub"
keep = ["id", "created_at"]
[tables."main.sessions"]
token = "hash"
keep = ["id", "user_id"]
[tables."main.events"]
keep = ["id", "kind", "minutes"]
"#;

/// Writes rules into `dir/masking.toml`.
pub fn rules_file(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("masking.toml");
    std::fs::write(&p, text).expect("rules");
    p
}

/// Creates an SQLite database with the schema of [`app_sql`] and `rows` rows, tagged `tag`.
pub fn make_sqlite_app(path: &Path, tag: &str, rows: u32, wal: bool) {
    let c = rusqlite::Connection::open(path).expect("open sqlite");
    if wal {
        c.pragma_update(None, "journal_mode", "WAL").expect("wal");
    }
    c.execute_batch(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT, note TEXT, created_at TEXT NOT NULL DEFAULT '2026-01-01');
         CREATE TABLE sessions (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), token TEXT);
         CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT, minutes INTEGER);",
    )
    .expect("schema");
    c.execute_batch("BEGIN").expect("begin");
    for g in 1..=rows {
        c.execute(
            "INSERT INTO users (id, email, name, note) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![
                g,
                format!("orig-{tag}-{g}@leak.example"),
                format!("Origname{tag}x{g}"),
                format!("call orig-{tag}-n{g}@leak.example today")
            ],
        )
        .expect("user");
        c.execute(
            "INSERT INTO sessions (user_id, token) VALUES (?1, ?2)",
            rusqlite::params![g, format!("origtok-{tag}-{g}")],
        )
        .expect("session");
        c.execute(
            "INSERT INTO events (kind, minutes) VALUES (?1, ?2)",
            rusqlite::params![format!("k{}", g % 7), g],
        )
        .expect("event");
    }
    c.execute_batch("COMMIT").expect("commit");
}

/// An SQLite staging file with old, non-personal content.
pub fn make_sqlite_stale(path: &Path) {
    let c = rusqlite::Connection::open(path).expect("open sqlite");
    c.execute_batch("CREATE TABLE stale (x INTEGER); INSERT INTO stale VALUES (42);")
        .expect("stale");
}

/// backup-tool with the suite's environment.
pub fn backup_tool() -> Command {
    let mut c = tool("backup-tool");
    c.env("MASK_SALT", SALT).env_remove("BACKUP_TOOLS_CONFIG");
    c
}

/// sync-tool with the suite's environment.
pub fn sync_tool() -> Command {
    let mut c = tool("sync-tool");
    c.env("MASK_SALT", SALT).env_remove("BACKUP_TOOLS_CONFIG");
    c
}

/// mask-tool with the suite's environment.
pub fn mask_tool() -> Command {
    let mut c = tool("mask-tool");
    c.env("MASK_SALT", SALT).env_remove("BACKUP_TOOLS_CONFIG");
    c
}

/// `backup-tool list --json --dir DIR`: the listed backups' file names, oldest first.
pub fn listed(dir: &Path) -> Vec<String> {
    let mut l = backup_tool();
    l.args(["list", "--json", "--dir"]).arg(dir);
    let out = tests::run(l);
    assert_eq!(out.code, 0, "list failed: {}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("list json");
    let names: Vec<String> = v["backups"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|b| {
                    b["file"]
                        .as_str()
                        .or_else(|| b["path"].as_str())
                        .map(|s| {
                            Path::new(s)
                                .file_name()
                                .map(|f| f.to_string_lossy().into_owned())
                                .unwrap_or_default()
                        })
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default();
    // In list order: oldest first by the manifests' start time.
    names
}

/// Every listed backup of a folder is complete: its sha256 matches its manifest and it decodes
/// to the end (checked here with gzip/zstd/sha256sum, not with the tool).
pub fn listed_are_complete(dir: &Path) -> Vec<String> {
    let mut bad = Vec::new();
    for f in listed(dir) {
        let path = dir.join(&f);
        let m: serde_json::Value = match std::fs::read(dir.join(format!("{f}.manifest.json")))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
        {
            Some(m) => m,
            None => {
                bad.push(format!("{f}: listed without a readable manifest"));
                continue;
            }
        };
        let sum = tests::run({
            let mut s = Command::new("sha256sum");
            s.arg(&path);
            s
        });
        let sha = sum
            .stdout
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string();
        if Some(sha.as_str()) != m["sha256"].as_str() {
            bad.push(format!(
                "{f}: sha256 {sha} differs from the manifest's {}",
                m["sha256"]
            ));
        }
        let decode = if f.ends_with(".gz") {
            Some(("gzip", "-t"))
        } else if f.ends_with(".zst") {
            Some(("zstd", "-t"))
        } else {
            None
        };
        if let Some((prog, flag)) = decode {
            let out = tests::run({
                let mut s = Command::new(prog);
                s.arg(flag).arg(&path);
                s
            });
            if out.code != 0 {
                bad.push(format!("{f}: {prog} {flag} fails: {}", out.stderr.trim()));
            }
        }
        if f.contains(".sql.") || f.ends_with(".sql") {
            let text = tests::run({
                let mut s = Command::new("sh");
                s.arg("-c").arg(format!(
                    "{} '{}' | tail -c 300",
                    if f.ends_with(".gz") {
                        "gzip -dc"
                    } else if f.ends_with(".zst") {
                        "zstd -dc"
                    } else {
                        "cat"
                    },
                    path.display()
                ));
                s
            });
            if !text.stdout.contains("PostgreSQL database dump complete") {
                bad.push(format!(
                    "{f}: the dump does not end with pg_dump's completion line"
                ));
            }
        }
    }
    bad
}

/// Collects violated guarantees of one test, so that one defect does not hide the others.
#[derive(Default)]
pub struct Problems(pub Vec<String>);

impl Problems {
    /// Records `what` unless `ok`.
    pub fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(what());
        }
    }

    /// Records every line of `found` under `what`, if any.
    pub fn none(&mut self, what: &str, found: &[String]) {
        if !found.is_empty() {
            self.0.push(format!("{what}: {}", found.join(", ")));
        }
    }

    /// Panics listing every problem.
    pub fn finish(self, case: &str) {
        assert!(
            self.0.is_empty(),
            "{case}: {} guarantee(s) broken:\n  - {}",
            self.0.len(),
            self.0.join("\n  - ")
        );
    }
}

/// The checks every killed or stopped run must pass: its children died with it, no password
/// is on disk in its TMPDIR or in `dirs`, and every file in `dirs` holding data is 0600
/// (`keep_mode` lists files that keep the mode of the file they replaced).
pub fn after_end(p: &mut Problems, ended: &Ended, dirs: &[&Path], keep_mode: &[&Path]) {
    p.none("children outlived the tool", &ended.survivors);
    let mut scan: Vec<&Path> = dirs.to_vec();
    scan.push(&ended.tmp);
    p.none(
        "the password is on disk",
        &files_containing(&scan, &[PASSWORD]),
    );
    let left_in_tmp = tests::all_files(&ended.tmp);
    p.none("files left in the tool's TMPDIR", &left_in_tmp);
    for d in dirs {
        p.none(
            &format!("files in {} that are not 0600", d.display()),
            &non_private_files(d, keep_mode),
        );
    }
}

/// Asserts a killed run really was killed by SIGKILL (not ended on its own first).
pub fn assert_killed(ended: &Ended) {
    assert_eq!(
        ended.signal,
        Some(libc::SIGKILL),
        "the run ended before the kill: {:?}\n{}",
        ended.code,
        ended.stderr
    );
}

/// The exit code expected for a signal (128 + N).
pub fn code_for(sig: i32) -> i32 {
    128 + sig
}

/// Checks a signalled run: exit 128+N within 10 s.
pub fn after_signal(p: &mut Problems, ended: &Ended, sig: i32) {
    p.check(ended.code == Some(code_for(sig)), || {
        format!(
            "exit code {:?} (signal {:?}) after signal {sig}, expected {}; stderr: {}",
            ended.code,
            ended.signal,
            code_for(sig),
            tail(&ended.stderr)
        )
    });
    p.check(ended.secs < 10.0, || {
        format!("took {:.1}s to stop after signal {sig}", ended.secs)
    });
}

/// The last lines of a long text, for messages.
pub fn tail(s: &str) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(6)..].join(" | ")
}

/// Row counts of every user table of a PostgreSQL database.
pub fn row_counts(c: &Cluster, db: &str) -> Vec<(String, String)> {
    c.table_checksums(db)
        .into_iter()
        .map(|(t, v)| (t, v.split(':').next().unwrap_or_default().to_string()))
        .collect()
}

/// Files of ours a killed SQLite run may leave beside `target` (hidden, `.partial`).
pub fn scratch_beside(dir: &Path) -> Vec<String> {
    tests::all_files(dir)
        .into_iter()
        .filter(|f| f.contains(".partial"))
        .collect()
}
