//! Fault suite, staging refreshes: `sync-tool run` (PostgreSQL serial and `--jobs 2`, SQLite)
//! and `sync-tool rollback`, killed or stopped at each stage (load, before the commit, verified
//! before the swap, inside the swap transaction, waiting for a lock in the swap). Staging is
//! whole and as before, or whole and new; it always accepts connections; nothing unmasked is
//! on the staging side; the next run cleans up and succeeds.

use std::path::{Path, PathBuf};
use std::process::Command;

use tests::{
    cluster, files_containing, mode_of, poll_until, sqlite_content, staging_cluster, Cluster,
    Ended, Stopped, FAULT_DEADLINE,
};

use crate::faults_common::*;

/// Where a run is stopped.
#[derive(Clone, Copy, Debug)]
enum At {
    /// A named testpoint.
    Point(&'static str),
    /// A COPY into `<staging>__incoming` has processed rows (polled in pg_stat_progress_copy).
    Copying,
}

struct PgSetup {
    src: String,
    staging: String,
    tag: String,
    _tmp: tempfile::TempDir,
    rules: PathBuf,
    keep_dir: PathBuf,
}

fn pg_setup(prefix: &str, rows: u32, big_events: bool) -> PgSetup {
    let (c, s) = (cluster(), staging_cluster());
    let src = c.create_db(&format!("{prefix}_src")).name;
    load_app(c, &src, rows);
    if big_events {
        c.psql(
            &src,
            "INSERT INTO public.events (kind, minutes) SELECT 'bulk', g FROM generate_series(1, 400000) g",
        );
    }
    let staging = s.create_db(&format!("{prefix}_stg")).name;
    s.psql(
        &staging,
        "CREATE TABLE stale (x int); INSERT INTO stale VALUES (42); CREATE TABLE public.users (id int, email text); INSERT INTO public.users VALUES (1, 'stale@staging.example')",
    );
    let tmp = tempfile::tempdir().expect("tmp");
    let rules = rules_file(tmp.path(), APP_RULES);
    let keep_dir = tmp.path().join("kept");
    PgSetup {
        tag: tag_of(&src),
        src,
        staging,
        rules,
        keep_dir,
        _tmp: tmp,
    }
}

fn sync_cmd(st: &PgSetup, extra: &[&str]) -> Command {
    let (c, s) = (cluster(), staging_cluster());
    let mut cmd = sync_tool();
    cmd.args([
        "run",
        "--yes",
        "--from",
        &c.url_with_password(&st.src),
        "--to",
        &s.url_with_password(&st.staging),
        "--rules",
    ])
    .arg(&st.rules)
    .args(extra);
    cmd
}

fn incoming_copying(s: &Cluster, staging: &str) -> bool {
    s.psql(
        "postgres",
        &format!(
            "SELECT count(*) FROM pg_stat_progress_copy p JOIN pg_database d ON d.oid = p.datid \
             WHERE d.datname = '{staging}__incoming' AND p.tuples_processed > 0"
        ),
    )
    .trim()
        != "0"
}

fn swap_waits_on_lock(s: &Cluster) -> bool {
    s.psql(
        "postgres",
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sync-tool' AND wait_event_type = 'Lock'",
    )
    .trim()
        != "0"
}

/// Runs `cmd` until `at`, then ends it with `sig`.
fn stop_at(cmd: Command, at: At, sig: i32, s: &Cluster, staging: &str) -> Ended {
    match at {
        At::Point(p) => Stopped::at(cmd, p).send(sig),
        At::Copying => {
            let mut run = Stopped::spawn(cmd);
            let seen = poll_until(FAULT_DEADLINE, || {
                incoming_copying(s, staging) || !run.running()
            });
            assert!(
                seen && run.running(),
                "no COPY into {staging}__incoming was seen: {}",
                run.stderr()
            );
            run.send(sig)
        }
    }
}

fn staging_whole_and_old(
    p: &mut Problems,
    s: &Cluster,
    staging: &str,
    before: &std::collections::BTreeMap<String, String>,
    before_schema: &str,
) {
    p.none(
        "sessions of the ended run still open",
        &s.wait_sessions_gone(staging),
    );
    p.check(s.db_exists(staging), || {
        format!("staging database {staging} is gone")
    });
    if !s.db_exists(staging) {
        return;
    }
    p.check(s.allows_connections(staging), || {
        format!("{staging} refuses connections (datallowconn = false)")
    });
    let mut probe = Command::new(s.bindir.join("psql"));
    probe
        .args([
            "-X",
            "-A",
            "-t",
            "-h",
            "127.0.0.1",
            "-p",
            &s.port.to_string(),
            "-U",
            "postgres",
            "-d",
            staging,
            "-c",
            "SELECT 1",
        ])
        .env("PGPASSWORD", tests::PASSWORD);
    let out = tests::run(probe);
    p.check(out.code == 0, || {
        format!("cannot connect to {staging}: {}", out.stderr.trim())
    });
    if out.code == 0 {
        p.check(s.table_checksums(staging) == *before, || {
            format!("{staging} changed: {:?}", s.table_checksums(staging))
        });
        p.check(s.schema(staging) == before_schema, || {
            format!("{staging}'s schema changed")
        });
    }
}

fn no_originals_on_staging(p: &mut Problems, s: &Cluster, extra: &[&Path], tag: &str) {
    s.checkpoint();
    let mut dirs: Vec<PathBuf> = vec![s.data_dir(), s.log_file()];
    dirs.extend(extra.iter().map(|d| d.to_path_buf()));
    let refs: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
    let needles = originals(tag);
    let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
    p.none(
        "original (unmasked) values on the staging side",
        &files_containing(&refs, &needles),
    );
}

fn staging_new(p: &mut Problems, s: &Cluster, st: &PgSetup) {
    let c = cluster();
    p.check(row_counts(s, &st.staging) == row_counts(c, &st.src), || {
        format!(
            "{} row counts differ from the source's: {:?}",
            st.staging,
            row_counts(s, &st.staging)
        )
    });
    p.check(s.schema(&st.staging) == c.schema(&st.src), || {
        format!("{}'s schema differs from the source's", st.staging)
    });
    let leaked = s.psql(
        &st.staging,
        "SELECT count(*) FROM users WHERE email LIKE 'orig-%' OR name LIKE 'Origname%' OR note LIKE '%orig-%'",
    );
    p.check(leaked.trim() == "0", || {
        format!("{} unmasked users in staging", leaked.trim())
    });
}

/// A PostgreSQL refresh ended by `sig` at `at`, checked, then run again.
fn pg_case(prefix: &str, at: At, sig: i32, extra: &[&str]) {
    let s = staging_cluster();
    let st = pg_setup(prefix, 3000, matches!(at, At::Copying));
    let before = s.table_checksums(&st.staging);
    let before_schema = s.schema(&st.staging);
    let keep = st.keep_dir.display().to_string();
    let mut args: Vec<&str> = extra.to_vec();
    if extra.contains(&"--keep-dump") {
        args.retain(|a| *a != "--keep-dump");
        args.push("--keep-dump");
        args.push(&keep);
    }
    let ended = stop_at(sync_cmd(&st, &args), at, sig, s, &st.staging);
    let case = format!("sync run {args:?} ended by signal {sig} at {at:?}");
    let mut p = Problems::default();
    if sig == libc::SIGKILL {
        assert_killed(&ended);
    } else {
        after_signal(&mut p, &ended, sig);
    }
    after_end(&mut p, &ended, &[st.keep_dir.as_path()], &[]);
    staging_whole_and_old(&mut p, s, &st.staging, &before, &before_schema);
    let left = s.databases_like(&format!("{}__", st.staging));
    if sig != libc::SIGKILL {
        p.none("databases left by the stopped run", &left);
    }
    no_originals_on_staging(&mut p, s, &[st.keep_dir.as_path()], &st.tag);
    if st.keep_dir.exists() {
        p.none(
            "kept dumps listed that are not complete",
            &listed_are_complete(&st.keep_dir),
        );
    }
    // The next run succeeds, cleans up, and swaps in a masked copy.
    let out = tests::run(sync_cmd(&st, &args));
    p.check(out.code == 0, || {
        format!("next run: exit {}: {}", out.code, tail(&out.stderr))
    });
    if out.code == 0 {
        staging_new(&mut p, s, &st);
    }
    p.none(
        "databases left after the next run",
        &s.databases_like(&format!("{}__", st.staging)),
    );
    no_originals_on_staging(&mut p, s, &[st.keep_dir.as_path()], &st.tag);
    if st.keep_dir.exists() {
        p.none(
            "kept dumps listed that are not complete",
            &listed_are_complete(&st.keep_dir),
        );
        p.none(
            "files in the kept-dump folder that are not listed dumps",
            &tests::all_files(&st.keep_dir)
                .into_iter()
                .filter(|f| f.ends_with(".partial"))
                .collect::<Vec<_>>(),
        );
    }
    p.finish(&case);
}

#[test]
fn serial_killed_while_loading() {
    pg_case("fsy_load", At::Point("pipe.loading"), libc::SIGKILL, &[]);
}

#[test]
fn serial_killed_before_commit() {
    pg_case(
        "fsy_commit",
        At::Point("pipe.before-commit"),
        libc::SIGKILL,
        &[],
    );
}

#[test]
fn serial_killed_verified_before_swap() {
    pg_case(
        "fsy_verified",
        At::Point("sync.before-swap"),
        libc::SIGKILL,
        &[],
    );
}

#[test]
fn serial_killed_inside_the_swap_transaction() {
    pg_case(
        "fsy_swap",
        At::Point("sync.swap.in-transaction"),
        libc::SIGKILL,
        &[],
    );
}

#[test]
fn serial_killed_while_copying() {
    pg_case("fsy_copy", At::Copying, libc::SIGKILL, &[]);
}

#[test]
fn serial_with_kept_dump_killed_while_loading() {
    pg_case(
        "fsy_kept",
        At::Point("pipe.loading"),
        libc::SIGKILL,
        &["--keep-dump"],
    );
}

#[test]
fn serial_sigterm_while_loading() {
    pg_case("fsy_tload", At::Point("pipe.loading"), libc::SIGTERM, &[]);
}

#[test]
fn serial_sigterm_verified_before_swap() {
    pg_case(
        "fsy_tverified",
        At::Point("sync.before-swap"),
        libc::SIGTERM,
        &[],
    );
}

#[test]
fn serial_sigint_inside_the_swap_transaction() {
    pg_case(
        "fsy_iswap",
        At::Point("sync.swap.in-transaction"),
        libc::SIGINT,
        &[],
    );
}

#[test]
fn serial_with_kept_dump_sigterm_before_commit() {
    pg_case(
        "fsy_tkept",
        At::Point("pipe.before-commit"),
        libc::SIGTERM,
        &["--keep-dump"],
    );
}

#[test]
fn jobs2_killed_in_the_schema_section() {
    pg_case(
        "fsj_pre",
        At::Point("pipe.loading"),
        libc::SIGKILL,
        &["--jobs", "2"],
    );
}

#[test]
fn jobs2_killed_while_copying_tables() {
    pg_case("fsj_copy", At::Copying, libc::SIGKILL, &["--jobs", "2"]);
}

#[test]
fn jobs2_killed_verified_before_swap() {
    pg_case(
        "fsj_verified",
        At::Point("sync.before-swap"),
        libc::SIGKILL,
        &["--jobs", "2"],
    );
}

#[test]
fn jobs2_killed_inside_the_swap_transaction() {
    pg_case(
        "fsj_swap",
        At::Point("sync.swap.in-transaction"),
        libc::SIGKILL,
        &["--jobs", "2"],
    );
}

#[test]
fn jobs2_killed_with_an_index_or_key_built() {
    pg_case(
        "fsj_built",
        At::Point("load.built"),
        libc::SIGKILL,
        &["--jobs", "2"],
    );
}

#[test]
fn jobs2_sigterm_with_an_index_or_key_built() {
    pg_case(
        "fsj_tbuilt",
        At::Point("load.built"),
        libc::SIGTERM,
        &["--jobs", "2"],
    );
}

#[test]
fn jobs2_sigterm_while_copying_tables() {
    pg_case("fsj_tcopy", At::Copying, libc::SIGTERM, &["--jobs", "2"]);
}

/// Holds a row lock on staging's pg_database entry (an `ALTER DATABASE` left open in a
/// transaction by another operator) until closed.
fn hold_database_row(s: &Cluster, db: &str) -> tests::Session {
    let app = format!("lockholder_{db}");
    let mut holder = s.session("postgres", &app);
    holder.send(&format!(
        "BEGIN; ALTER DATABASE \"{db}\" CONNECTION LIMIT -1;"
    ));
    assert!(
        poll_until(FAULT_DEADLINE, || {
            s.psql(
                "postgres",
                &format!("SELECT count(*) FROM pg_stat_activity WHERE application_name = '{app}' AND state = 'idle in transaction'"),
            )
            .trim()
                == "1"
        }),
        "the lock holder never got its lock"
    );
    holder
}

/// The swap waits for a lock held by another session; the run is killed while it waits.
/// Staging stays, accepts connections and holds its old content; once the lock is gone the next
/// run succeeds.
#[test]
fn serial_killed_while_the_swap_waits_for_a_lock() {
    let s = staging_cluster();
    let st = pg_setup("fsy_lock", 1000, false);
    let before = s.table_checksums(&st.staging);
    let before_schema = s.schema(&st.staging);
    let holder = hold_database_row(s, &st.staging);
    let mut run = Stopped::spawn(sync_cmd(&st, &[]));
    let waiting = poll_until(FAULT_DEADLINE, || swap_waits_on_lock(s) || !run.running());
    assert!(
        waiting && run.running(),
        "the swap never waited on the held lock: {}",
        run.stderr()
    );
    let ended = run.kill9();
    assert_killed(&ended);
    let mut p = Problems::default();
    after_end(&mut p, &ended, &[], &[]);
    // While the other session still holds its lock: staging is there and usable.
    p.check(s.allows_connections(&st.staging), || {
        format!("{} refuses connections after the kill", st.staging)
    });
    holder.close();
    staging_whole_and_old(&mut p, s, &st.staging, &before, &before_schema);
    no_originals_on_staging(&mut p, s, &[], &st.tag);
    let out = tests::run(sync_cmd(&st, &[]));
    p.check(out.code == 0, || {
        format!("next run: exit {}: {}", out.code, tail(&out.stderr))
    });
    if out.code == 0 {
        staging_new(&mut p, s, &st);
    }
    p.none(
        "databases left after the next run",
        &s.databases_like(&format!("{}__", st.staging)),
    );
    p.finish("sync run killed while the swap waits for a lock");
}

/// A swap whose lock is never granted gives up in bounded time (its lock timeout, a few
/// attempts) with staging whole, old and accepting connections.
#[test]
fn serial_swap_that_never_gets_its_lock_gives_up_cleanly() {
    let s = staging_cluster();
    let st = pg_setup("fsy_lockgive", 300, false);
    let before = s.table_checksums(&st.staging);
    let before_schema = s.schema(&st.staging);
    let holder = hold_database_row(s, &st.staging);
    let run = Stopped::spawn(sync_cmd(&st, &[]));
    let ended = run.wait_for(std::time::Duration::from_secs(300));
    let mut p = Problems::default();
    match &ended {
        None => {
            p.0.push("the run still waited for its lock after 300 s".into())
        }
        Some(e) => {
            p.check(e.code == Some(1), || {
                format!(
                    "exit {:?} for a swap that never got its lock: {}",
                    e.code,
                    tail(&e.stderr)
                )
            });
            after_end(&mut p, e, &[], &[]);
        }
    }
    p.check(s.allows_connections(&st.staging), || {
        format!("{} refuses connections after the swap gave up", st.staging)
    });
    holder.close();
    staging_whole_and_old(&mut p, s, &st.staging, &before, &before_schema);
    p.none(
        "databases left after the swap gave up",
        &s.databases_like(&format!("{}__", st.staging)),
    );
    p.finish("sync swap that never gets its lock");
}

/// Clients that reconnect to staging as fast as they can (a pool, a worker restarted by its
/// supervisor), while a run swaps: `stop` ends them; returns (connections made, refused).
fn reconnecting_clients(
    s: &'static Cluster,
    db: &str,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> std::thread::JoinHandle<(u32, u32)> {
    let url = s.url(db);
    std::thread::spawn(move || {
        let (mut ok, mut refused) = (0, 0);
        while !stop.load(std::sync::atomic::Ordering::SeqCst) {
            let out = Command::new(tests::pg_bindir().join("psql"))
                .args(["-X", "-q", "-A", "-t", "-d", &url, "-c", "SELECT 1"])
                .envs(s.env())
                .env("PGCONNECT_TIMEOUT", "30")
                .output();
            match out {
                Ok(o) if o.status.success() => ok += 1,
                Ok(o) => {
                    let err = String::from_utf8_lossy(&o.stderr);
                    if err.contains("not currently accepting connections") {
                        refused += 1;
                    }
                }
                Err(_) => {}
            }
        }
        (ok, refused)
    })
}

/// Sessions keep coming back to staging while a run swaps, and the run is killed inside the
/// swap's transaction (its first rename done and holding staging's lock). The swap changes no
/// setting of staging on the way, so at no moment does staging refuse connections, and after
/// the kill it is whole, old and accepting; the next run swaps in spite of the clients.
#[test]
fn serial_killed_inside_the_swap_while_sessions_keep_coming_back() {
    let s = staging_cluster();
    let st = pg_setup("fsy_reconnect", 300, false);
    let before = s.table_checksums(&st.staging);
    let before_schema = s.schema(&st.staging);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clients = reconnecting_clients(s, &st.staging, std::sync::Arc::clone(&stop));
    let stopped = Stopped::at(sync_cmd(&st, &[]), "sync.swap.in-transaction");
    let allowed_at_kill = s.allows_connections(&st.staging);
    let ended = stopped.kill9();
    let mut p = Problems::default();
    p.check(allowed_at_kill, || {
        format!(
            "{} refused connections (datallowconn = false) during the swap",
            st.staging
        )
    });
    assert_killed(&ended);
    after_end(&mut p, &ended, &[], &[]);
    p.check(s.allows_connections(&st.staging), || {
        format!(
            "{} refuses connections after the run was killed in its swap",
            st.staging
        )
    });
    staging_whole_and_old(&mut p, s, &st.staging, &before, &before_schema);
    // The next run, with the clients still coming back, swaps.
    let out = tests::run(sync_cmd(&st, &[]));
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let (connected, refused) = clients.join().unwrap_or((0, 0));
    p.check(out.code == 0, || {
        format!("next run: exit {}: {}", out.code, tail(&out.stderr))
    });
    if out.code == 0 {
        staging_new(&mut p, s, &st);
    }
    p.check(connected > 0, || {
        "the reconnecting clients never got in".to_string()
    });
    p.check(refused == 0, || {
        format!("{refused} connection(s) to staging were refused (datallowconn = false) during the swaps")
    });
    p.check(s.allows_connections(&st.staging), || {
        format!("{} refuses connections after the next run", st.staging)
    });
    p.none(
        "databases left after the next run",
        &s.databases_like(&format!("{}__", st.staging)),
    );
    p.finish("sync run killed inside the swap while sessions keep coming back");
}

/// `sync-tool rollback` ended inside its swap transaction: staging and the kept previous copy
/// are both as they were; the next rollback puts the previous one back.
fn rollback_case(prefix: &str, sig: i32) {
    let s = staging_cluster();
    let st = pg_setup(prefix, 500, false);
    let old = s.table_checksums(&st.staging);
    let out = tests::run(sync_cmd(&st, &["--keep-previous"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let previous = format!("{}__previous", st.staging);
    assert!(s.db_exists(&previous));
    let current = s.table_checksums(&st.staging);
    let current_schema = s.schema(&st.staging);
    let rb = || {
        let mut c = sync_tool();
        c.args(["rollback", "--to", &s.url_with_password(&st.staging)]);
        c
    };
    let ended = Stopped::at(rb(), "sync.swap.in-transaction").send(sig);
    let mut p = Problems::default();
    if sig == libc::SIGKILL {
        assert_killed(&ended);
    } else {
        after_signal(&mut p, &ended, sig);
    }
    after_end(&mut p, &ended, &[], &[]);
    staging_whole_and_old(&mut p, s, &st.staging, &current, &current_schema);
    p.check(
        s.db_exists(&previous) && s.table_checksums(&previous) == old,
        || format!("{previous} is gone or changed"),
    );
    let out = tests::run(rb());
    p.check(out.code == 0, || {
        format!("next rollback: exit {}: {}", out.code, tail(&out.stderr))
    });
    p.check(s.table_checksums(&st.staging) == old, || {
        "the rollback did not put the old staging back".into()
    });
    p.none(
        "databases left after the next rollback",
        &s.databases_like(&format!("{}__", st.staging)),
    );
    p.finish(&format!(
        "sync rollback ended by signal {sig} inside its swap transaction"
    ));
}

#[test]
fn rollback_killed_inside_the_swap_transaction() {
    rollback_case("fsr_kill", libc::SIGKILL);
}

#[test]
fn rollback_sigterm_inside_the_swap_transaction() {
    rollback_case("fsr_term", libc::SIGTERM);
}

// ---------------------------------------------------------------------------------------------
// SQLite blue/green.

fn sqlite_case(tag: &str, point: &'static str, sig: i32) {
    use std::os::unix::fs::PermissionsExt;
    let prod = tempfile::tempdir().expect("prod");
    let blue = prod.path().join("blue.db");
    make_sqlite_app(&blue, tag, 3000, true);
    let staging = tempfile::tempdir().expect("staging");
    let green = staging.path().join("green.db");
    make_sqlite_stale(&green);
    std::fs::set_permissions(&green, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let before = sqlite_content(&green);
    let rules = rules_file(prod.path(), APP_RULES_SQLITE);
    let cmd = || {
        let mut c = sync_tool();
        c.args(["run", "--yes", "--from"])
            .arg(&blue)
            .arg("--to")
            .arg(&green)
            .arg("--rules")
            .arg(&rules);
        c
    };
    let ended = Stopped::at(cmd(), point).send(sig);
    let mut p = Problems::default();
    if sig == libc::SIGKILL {
        assert_killed(&ended);
    } else {
        after_signal(&mut p, &ended, sig);
        p.none(
            "scratch files left by the stopped run",
            &scratch_beside(staging.path()),
        );
    }
    let bak = staging.path().join("green.db.bak");
    after_end(&mut p, &ended, &[staging.path()], &[&green, &bak]);
    p.check(sqlite_content(&green) == before, || {
        "the target changed".into()
    });
    p.check(mode_of(&green) == 0o640, || {
        format!("target mode is now {:o}", mode_of(&green))
    });
    let needles = originals(tag);
    let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
    if point == "sync.sqlite.before-swap" {
        p.none(
            "original values on the staging side after masking (free pages, journals)",
            &files_containing(&[staging.path()], &needles),
        );
    }
    let out = tests::run(cmd());
    p.check(out.code == 0, || {
        format!("next run: exit {}: {}", out.code, tail(&out.stderr))
    });
    p.none(
        "scratch files left after the next run",
        &scratch_beside(staging.path()),
    );
    p.none(
        "original values on the staging side after the next run",
        &files_containing(&[staging.path()], &needles),
    );
    p.check(mode_of(&green) == 0o640, || {
        format!(
            "target mode after the next run is {:o}, not the 0640 it had",
            mode_of(&green)
        )
    });
    if out.code == 0 {
        let g = rusqlite::Connection::open(&green).expect("open");
        let n: i64 = g
            .query_row("SELECT count(*) FROM users", [], |r| r.get(0))
            .unwrap_or(-1);
        p.check(n == 3000, || {
            format!("target has {n} users after the next run")
        });
    }
    p.finish(&format!("sqlite sync ended by signal {sig} at {point}"));
}

#[test]
fn sqlite_killed_after_the_snapshot() {
    sqlite_case("fsqsnap", "sync.sqlite.snapshot", libc::SIGKILL);
}

#[test]
fn sqlite_killed_while_masking() {
    sqlite_case("fsqmask", "apply.before-commit", libc::SIGKILL);
}

#[test]
fn sqlite_killed_before_swap() {
    sqlite_case("fsqswap", "sync.sqlite.before-swap", libc::SIGKILL);
}

#[test]
fn sqlite_sigterm_after_the_snapshot() {
    sqlite_case("fsqtsnap", "sync.sqlite.snapshot", libc::SIGTERM);
}

#[test]
fn sqlite_sigint_before_swap() {
    sqlite_case("fsqiswap", "sync.sqlite.before-swap", libc::SIGINT);
}

/// Frozen (SIGSTOP) source backends, resumed when dropped, whatever the test's outcome.
struct Frozen(Vec<i32>);

impl Drop for Frozen {
    fn drop(&mut self) {
        for &pid in &self.0 {
            // SAFETY: a plain signal to a server backend this test stopped.
            unsafe {
                libc::kill(pid, libc::SIGCONT);
            }
        }
    }
}

/// The source's session is ended in the middle of a heap range's COPY (an operator's
/// `pg_terminate_backend`, a failover): the piece's load is aborted rather than committed cut
/// short, the run fails naming the source, staging is whole and as before, nothing is left, and
/// the next run succeeds.
#[test]
fn jobs2_source_session_ended_in_a_range_copy() {
    let (c, s) = (cluster(), staging_cluster());
    let st = pg_setup("fsj_ended", 3000, true);
    let before = s.table_checksums(&st.staging);
    let before_schema = s.schema(&st.staging);
    let mut cmd = sync_cmd(&st, &["--jobs", "2"]);
    cmd.env("BACKUP_TOOLS_RANGE_BYTES", "8388608");
    // Stopped with a range's first rows passed on: its backend is in the middle of the COPY.
    let run = Stopped::at(cmd, "sync.range-copying");
    let ended_pids = c.psql(
        "postgres",
        &format!(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE datname = '{}' AND query LIKE 'COPY (SELECT %ctid%'",
            st.src
        ),
    );
    assert!(
        ended_pids.trim().parse::<u32>().unwrap_or(0) > 0,
        "no range COPY on the source: {}",
        run.stderr()
    );
    run.release();
    let ended = run
        .wait_for(FAULT_DEADLINE)
        .expect("the run did not end after its source session was ended");
    let mut p = Problems::default();
    p.check(ended.code.is_some_and(|c| c != 0), || {
        format!(
            "the run with its source session ended: exit {:?}: {}",
            ended.code,
            tail(&ended.stderr)
        )
    });
    p.check(ended.stderr.contains(&st.src), || {
        format!(
            "the error does not name the source: {}",
            tail(&ended.stderr)
        )
    });
    after_end(&mut p, &ended, &[], &[]);
    staging_whole_and_old(&mut p, s, &st.staging, &before, &before_schema);
    p.none(
        "databases left by the failed run",
        &s.databases_like(&format!("{}__", st.staging)),
    );
    no_originals_on_staging(&mut p, s, &[], &st.tag);
    let out = tests::run(sync_cmd(&st, &["--jobs", "2"]));
    p.check(out.code == 0, || {
        format!("next run: exit {}: {}", out.code, tail(&out.stderr))
    });
    if out.code == 0 {
        staging_new(&mut p, s, &st);
    }
    p.finish("sync run --jobs 2 with the source's session ended in a range copy");
}

/// The source stops answering in the middle of a heap range's COPY (its backends frozen with
/// SIGSTOP: a server that holds the connection and sends nothing more), and once everything
/// already sent has been loaded the run gets SIGTERM: it ends within seconds with 143, staging
/// whole and as before, nothing left; once the source answers again the next run succeeds.
#[test]
fn jobs2_sigterm_while_the_source_is_frozen_in_a_range_copy() {
    let (c, s) = (cluster(), staging_cluster());
    let st = pg_setup("fsj_frozen", 3000, true);
    let before = s.table_checksums(&st.staging);
    let before_schema = s.schema(&st.staging);
    let mut cmd = sync_cmd(&st, &["--jobs", "2"]);
    cmd.env("BACKUP_TOOLS_RANGE_BYTES", "8388608");
    // Stopped with a range's first rows passed on: its backend is in the middle of the COPY.
    let run = Stopped::at(cmd, "sync.range-copying");
    let copying = |what: &str| {
        let q = format!(
            "SELECT pid FROM pg_stat_activity WHERE datname = '{}' AND query LIKE '{what}'",
            st.src
        );
        c.psql("postgres", &q)
            .lines()
            .filter_map(|l| l.trim().parse::<i32>().ok())
            .collect::<Vec<i32>>()
    };
    // Every session that copies from the source stops answering (in the middle of its COPY, or
    // when the COPY's rows already fit in the sockets' buffers, at the COMMIT after it); then
    // the run goes on and meets it.
    let frozen = Frozen(copying("COPY %"));
    assert!(
        !copying("COPY (SELECT %ctid%").is_empty(),
        "no range COPY on the source: {}",
        run.stderr()
    );
    for &pid in &frozen.0 {
        // SAFETY: a plain signal to a backend of the harness's own cluster.
        unsafe {
            libc::kill(pid, libc::SIGSTOP);
        }
    }
    run.release();
    // What was already sent drains into staging; then nothing moves.
    let progress = || {
        s.psql(
            "postgres",
            &format!(
                "SELECT coalesce(sum(p.tuples_processed), 0) FROM pg_stat_progress_copy p \
                 JOIN pg_database d ON d.oid = p.datid WHERE d.datname = '{}__incoming'",
                st.staging
            ),
        )
    };
    let mut last = progress();
    let still = poll_until(FAULT_DEADLINE, || {
        std::thread::sleep(std::time::Duration::from_millis(500));
        let now = progress();
        std::mem::replace(&mut last, now) == last
    });
    assert!(still, "the loads kept moving with the source frozen");
    let ended = run.send(libc::SIGTERM);
    let mut p = Problems::default();
    after_signal(&mut p, &ended, libc::SIGTERM);
    after_end(&mut p, &ended, &[], &[]);
    staging_whole_and_old(&mut p, s, &st.staging, &before, &before_schema);
    p.none(
        "databases left by the stopped run",
        &s.databases_like(&format!("{}__", st.staging)),
    );
    no_originals_on_staging(&mut p, s, &[], &st.tag);
    drop(frozen);
    let out = tests::run(sync_cmd(&st, &["--jobs", "2"]));
    p.check(out.code == 0, || {
        format!("next run: exit {}: {}", out.code, tail(&out.stderr))
    });
    if out.code == 0 {
        staging_new(&mut p, s, &st);
    }
    p.finish("sync run --jobs 2, SIGTERM with the source frozen in a range copy");
}
