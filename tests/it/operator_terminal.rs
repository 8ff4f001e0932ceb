//! Issue 11, progress on a real terminal (tmux, read with capture-pane, the run held at a
//! testpoint so the screen is read mid-run), none when stderr is not a terminal or with -q,
//! NO_COLOR, and `--json` on every command, failures included.

use std::path::{Path, PathBuf};

use tests::{bin, cluster, load_sample, run, tool, Stopped, PASSWORD, SAMPLE_RULES};

use crate::operator_common::*;

const SEC: std::time::Duration = std::time::Duration::from_secs(1);

/// `exec env VARS... <tool> ARGS...` for a tmux pane.
fn pane_command(tool_name: &str, env: &[(&str, &str)], args: &[String]) -> String {
    let mut s = String::from("exec env -u PGHOST -u PGPORT -u PGUSER -u PGDATABASE");
    for (k, v) in env {
        s.push_str(&format!(" {k}={}", sh_quote(v)));
    }
    s.push(' ');
    s.push_str(&sh_quote(&bin(tool_name).display().to_string()));
    for a in args {
        s.push(' ');
        s.push_str(&sh_quote(a));
    }
    s
}

/// Runs a tool in a terminal until it reaches `point`; returns the terminal.
fn held_at(
    tool_name: &str,
    point: &str,
    env: &[(&str, &str)],
    args: &[String],
    ctl: &Path,
) -> Term {
    let reached = ctl.join("reached");
    let mut e: Vec<(&str, &str)> = env.to_vec();
    let reached_s = reached.display().to_string();
    e.push(("BACKUP_TOOLS_TESTPOINT", point));
    e.push(("BACKUP_TOOLS_TESTPOINT_FILE", &reached_s));
    let t = Term::start(&pane_command(tool_name, &e, args));
    let ok = tests::poll_until(tests::FAULT_DEADLINE, || reached.exists() || t.dead());
    assert!(
        reached.exists(),
        "{tool_name} never reached {point} (ok {ok}):\n{}",
        t.screen(false)
    );
    t
}

/// A progress line on the screen: starts with `label`, and carries what a bar shows.
fn bar_line<'a>(screen: &'a str, label: &str, parts: &[&str]) -> Option<&'a str> {
    screen
        .lines()
        .find(|l| l.trim_start().starts_with(label) && parts.iter().all(|p| l.contains(p)))
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// A plain dump of one big table (a few MB) and rules for it.
fn big_dump(dir: &Path) -> (PathBuf, PathBuf) {
    use std::io::Write;
    let p = dir.join("big.sql");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&p).expect("create"));
    writeln!(f, "--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\n\nCREATE TABLE public.users (\n    id bigint NOT NULL,\n    email text NOT NULL,\n    name text,\n    created_at timestamp with time zone\n);\n\nCOPY public.users (id, email, name, created_at) FROM stdin;").expect("w");
    for i in 0..150_000 {
        writeln!(
            f,
            "{i}\tperson{i}@example.com\tPerson Number {i}\t2026-01-01 00:00:00+00"
        )
        .expect("w");
    }
    writeln!(f, "\\.\n\n\n--\n-- PostgreSQL database dump complete\n--\n").expect("w");
    f.flush().expect("flush");
    let r = dir.join("users.toml");
    std::fs::write(&r, "salt_env = \"MASK_SALT\"\n[tables.\"public.users\"]\nemail = \"fake_email\"\nname = \"fake_name\"\nkeep = [\"id\", \"created_at\"]\n").expect("rules");
    (p, r)
}

#[test]
fn operator_progress_bars_on_a_terminal_for_backup_restore_filter_and_sync() {
    let c = cluster();
    let src = c.create_db("op_bar");
    load_sample(c, &src.name, 200);
    let work = tempfile::tempdir().expect("tmp");
    let dir = work.path().join("b");
    let file = backup(&src.url, &dir, &[]);
    let rules = work.path().join("masking.toml");
    std::fs::write(&rules, SAMPLE_RULES).expect("rules");
    let env = [
        ("PGPASSWORD", PASSWORD),
        ("MASK_SALT", "operator-bar-salt-0123456789"),
        ("HOME", "/nonexistent"),
    ];
    let mut ch = Checks::new();

    // backup: the total is unknown; bytes and rate.
    let ctl = tempfile::tempdir().expect("ctl");
    let t = held_at(
        "backup-tool",
        "backup.dumping",
        &env,
        &s(&[
            "backup",
            "--db",
            &src.url,
            "--dir",
            &dir.display().to_string(),
        ]),
        ctl.path(),
    );
    let (ok, screen) = t.wait_for(10 * SEC, |sc| bar_line(sc, "backup", &["B/s"]).is_some());
    ch.check(ok, || {
        format!("backup: no progress line with bytes and rate on the terminal:\n{screen}")
    });
    drop(t);

    // restore: the total is known; percentage, bytes of total, rate, ETA.
    let ctl = tempfile::tempdir().expect("ctl");
    let target = c.fresh_name("op_bar_restore");
    let t = held_at(
        "backup-tool",
        "pipe.loading",
        &env,
        &s(&[
            "restore",
            &file.display().to_string(),
            "--db",
            &c.url(&target),
            "--create",
        ]),
        ctl.path(),
    );
    let (ok, screen) = t.wait_for(10 * SEC, |sc| {
        bar_line(sc, "restore", &["%", "/", "B/s", "ETA"]).is_some()
    });
    ch.check(ok, || {
        format!("restore: no bar with percentage, total, rate and ETA:\n{screen}")
    });
    drop(t);

    // filter of a file: the total is the file's size. The masked output goes into a pipe
    // nobody reads, so the run is held mid-file.
    let (input, urules) = big_dump(work.path());
    let fifo = work.path().join("out.fifo");
    let cpath = std::ffi::CString::new(fifo.display().to_string()).expect("cstr");
    // SAFETY: mkfifo with a valid C string.
    assert_eq!(unsafe { libc::mkfifo(cpath.as_ptr(), 0o600) }, 0, "mkfifo");
    use std::os::unix::fs::OpenOptionsExt;
    let reader = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&fifo)
        .expect("open fifo");
    let cmd = format!(
        "{} > {}",
        pane_command(
            "mask-tool",
            &env,
            &s(&[
                "filter",
                "--rules",
                &urules.display().to_string(),
                &input.display().to_string()
            ])
        ),
        sh_quote(&fifo.display().to_string())
    );
    let t = Term::start(&cmd);
    let (ok, screen) = t.wait_for(20 * SEC, |sc| {
        bar_line(sc, "mask", &["%", "/", "B/s", "ETA"]).is_some()
    });
    ch.check(ok, || {
        format!("filter of a file: no bar with percentage, total, rate and ETA:\n{screen}")
    });
    if let Some(l) = bar_line(&screen, "mask", &["%"]) {
        ch.check(!l.contains("100%"), || {
            format!("filter: the run was not held mid-file: {l}")
        });
    }
    drop(t);
    drop(reader);

    // sync: the total comes from the table sizes.
    let ctl = tempfile::tempdir().expect("ctl");
    let staging = c.create_db("op_bar_staging");
    let t = held_at(
        "sync-tool",
        "pipe.loading",
        &env,
        &s(&[
            "run",
            "--from",
            &src.url,
            "--to",
            &staging.url,
            "--rules",
            &rules.display().to_string(),
            "--yes",
        ]),
        ctl.path(),
    );
    let (ok, screen) = t.wait_for(10 * SEC, |sc| {
        bar_line(sc, "refresh", &["%", "/", "B/s", "ETA"]).is_some()
    });
    ch.check(ok, || {
        format!("sync: no bar with percentage, total, rate and ETA:\n{screen}")
    });
    drop(t);
    ch.finish();
}

#[test]
fn operator_no_progress_when_stderr_is_not_a_terminal_or_with_quiet() {
    let c = cluster();
    let src = c.create_db("op_nobar");
    load_sample(c, &src.name, 100);
    let work = tempfile::tempdir().expect("tmp");
    let file = backup(&src.url, &work.path().join("b"), &[]);
    let mut ch = Checks::new();
    let barish =
        |t: &str| t.contains("B/s") || t.contains("ETA") || t.contains('\r') || t.contains('\x1b');

    // stderr to a file (cron): a whole restore and a whole backup print no bar.
    let target = c.fresh_name("op_nobar_file");
    let mut r = tool("backup-tool");
    r.arg("restore")
        .arg(&file)
        .args(["--db", &c.url(&target), "--create"]);
    let out = run(r);
    ch.check(out.code == 0 && !barish(&out.stderr), || {
        format!(
            "restore with stderr not a terminal printed a bar or escapes: {:?}",
            out.stderr
        )
    });
    let mut b = tool("backup-tool");
    b.args(["backup", "--db", &src.url, "--dir"])
        .arg(work.path().join("b2"));
    let out = run(b);
    ch.check(out.code == 0 && !barish(&out.stderr), || {
        format!(
            "backup with stderr not a terminal printed a bar or escapes: {:?}",
            out.stderr
        )
    });
    // Held mid-run with stderr in a file: still nothing.
    let mut r = tool("backup-tool");
    r.arg("restore")
        .arg(&file)
        .args(["--db", &c.url(&c.fresh_name("op_nobar_held")), "--create"]);
    let held = Stopped::at(r, "pipe.loading");
    let quiet_for_a_while = !tests::poll_until(2 * SEC, || barish(&held.stderr()));
    ch.check(quiet_for_a_while, || {
        format!(
            "held restore, stderr a file: bar output {:?}",
            held.stderr()
        )
    });
    let _ = held.send(libc::SIGTERM);

    // -q on a terminal: no bar (the same run without -q shows one within a tick).
    let env = [("PGPASSWORD", PASSWORD), ("HOME", "/nonexistent")];
    let ctl = tempfile::tempdir().expect("ctl");
    let t = held_at(
        "backup-tool",
        "pipe.loading",
        &env,
        &s(&[
            "-q",
            "restore",
            &file.display().to_string(),
            "--db",
            &c.url(&c.fresh_name("op_nobar_q")),
            "--create",
        ]),
        ctl.path(),
    );
    let (shown, screen) = t.wait_for(2 * SEC, |sc| {
        bar_line(sc, "restore", &["%"]).is_some() || sc.contains("B/s")
    });
    ch.check(!shown, || {
        format!("-q on a terminal still shows a bar:\n{screen}")
    });
    ch.check(!screen.contains("INFO"), || {
        format!("-q on a terminal still logs INFO:\n{screen}")
    });
    drop(t);
    ch.finish();
}

#[test]
fn operator_no_color_is_honoured_on_a_terminal() {
    let work = tempfile::tempdir().expect("tmp");
    let db = work.path().join("app.db");
    rusqlite::Connection::open(&db)
        .expect("open")
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .expect("sqlite");
    let dir = work.path().join("b");
    let mut ch = Checks::new();
    let runs = [
        (
            "a -v backup",
            "backup-tool",
            s(&[
                "-v",
                "backup",
                "--db",
                &db.display().to_string(),
                "--dir",
                &dir.display().to_string(),
            ]),
        ),
        (
            "a failing restore",
            "backup-tool",
            s(&[
                "restore",
                &work.path().join("none.sql.gz").display().to_string(),
                "--db",
                &db.display().to_string(),
            ]),
        ),
        ("a usage error", "backup-tool", s(&["backup"])),
        (
            "a sync-tool usage error",
            "sync-tool",
            s(&["diff", "--from"]),
        ),
        (
            "mask-tool with bad rules",
            "mask-tool",
            s(&[
                "lint",
                "--rules",
                "/nonexistent.toml",
                &db.display().to_string(),
            ]),
        ),
    ];
    // Control: without NO_COLOR the same usage error is coloured, so the capture sees colours.
    let term = Term::start(&pane_command(
        "backup-tool",
        &[("HOME", "/nonexistent")],
        &s(&["backup"]),
    ));
    tests::poll_until(30 * SEC, || term.dead());
    let coloured = term.screen(true);
    assert!(
        coloured.contains("\x1b["),
        "control: no colour codes seen even without NO_COLOR: {coloured:?}"
    );
    drop(term);
    for (what, t, args) in runs {
        let term = Term::start(&pane_command(
            t,
            &[("NO_COLOR", "1"), ("HOME", "/nonexistent")],
            &args,
        ));
        let ended = tests::poll_until(30 * SEC, || term.dead());
        let screen = term.screen(true);
        ch.check(ended, || format!("{what}: did not end"));
        ch.check(!screen.trim().is_empty(), || {
            format!("{what}: printed nothing")
        });
        // capture-pane -e shows colours and attributes as SGR sequences; NO_COLOR allows none.
        ch.check(!screen.contains("\x1b["), || {
            format!(
                "{what}: colour or attribute codes with NO_COLOR=1: {:?}",
                screen.trim()
            )
        });
    }
    ch.finish();
}

/// A failing invocation of every command with --json: stdout must be one JSON object with the
/// error and the exit code, equal to the process's.
#[test]
fn operator_json_on_every_command_including_failures() {
    let c = cluster();
    let work = tempfile::tempdir().expect("tmp");
    let w = |p: &str| work.path().join(p).display().to_string();
    std::fs::write(work.path().join("masking.toml"), SAMPLE_RULES).expect("rules");
    std::fs::write(work.path().join("afile"), "not a folder").expect("file");
    let down = "postgresql://postgres@127.0.0.1:1/op_json".to_string();
    let rules = w("masking.toml");
    let missing_cfg = w("missing.toml");
    let cases: Vec<(&str, Vec<String>)> = vec![
        (
            "backup-tool",
            s(&["backup", "--db", &down, "--dir", &w("b")]),
        ),
        ("backup-tool", s(&["list", "--dir", &w("afile")])),
        ("backup-tool", s(&["verify", &w("none.sql.gz")])),
        (
            "backup-tool",
            s(&["prune", "--dir", &w("afile"), "--keep-last", "1"]),
        ),
        (
            "backup-tool",
            s(&["restore", &w("none.sql.gz"), "--db", &down, "--create"]),
        ),
        (
            "backup-tool",
            s(&["status", "--dir", &w("b"), "--name", "x", "--max-age", "1h"]),
        ),
        ("backup-tool", s(&["run", "--config", &missing_cfg])),
        ("backup-tool", s(&["crontab", "--config", &missing_cfg])),
        (
            "backup-tool",
            s(&["systemd", "--config", &missing_cfg, "--out", &w("u")]),
        ),
        ("backup-tool", s(&["doctor", "--config", &missing_cfg])),
        ("backup-tool", s(&["backup", "--dir", &w("b")])),
        ("sync-tool", s(&["diff", "--from", &down, "--to", &down])),
        ("sync-tool", s(&["setup", "--to", &down])),
        (
            "sync-tool",
            s(&[
                "run",
                "--from",
                &down,
                "--to",
                &c.url("op_json_t"),
                "--rules",
                &rules,
                "--yes",
            ]),
        ),
        ("sync-tool", s(&["verify", "--from", &down, "--to", &down])),
        ("sync-tool", s(&["rollback", "--to", &down])),
        ("sync-tool", s(&["run", "--from", &down])),
        (
            "mask-tool",
            s(&["filter", "--rules", &w("none.toml"), &w("none.sql")]),
        ),
        ("mask-tool", s(&["apply", "--rules", &rules, "--db", &down])),
        ("mask-tool", s(&["lint", "--rules", &rules, "--db", &down])),
        (
            "mask-tool",
            s(&["leaks", "--rules", &rules, "--from", &down, "--to", &down]),
        ),
        ("mask-tool", s(&["filter"])),
    ];
    let mut ch = Checks::new();
    for (t, args) in &cases {
        let what = format!("{t} {} --json", args.join(" "));
        let mut cmd = tool(t);
        cmd.env("MASK_SALT", "operator-json-salt-0123456789")
            .args(args)
            .arg("--json");
        let out = run(cmd);
        ch.clean_out(&what, &out);
        ch.check(out.code != 0, || format!("{what}: succeeded"));
        match json(&out) {
            Ok(j) => {
                ch.check(j.is_object(), || {
                    format!("{what}: stdout is JSON but not an object")
                });
                ch.check(
                    j["error"].as_str().is_some_and(|e| !e.trim().is_empty()),
                    || format!("{what}: no \"error\" string in {j}"),
                );
                ch.check(j["exit_code"].as_i64() == Some(out.code as i64), || {
                    format!(
                        "{what}: \"exit_code\" {} but the exit code is {}",
                        j["exit_code"], out.code
                    )
                });
            }
            Err(e) => ch.check(false, || format!("{what}: {e}")),
        }
    }
    // Successes print one JSON object too.
    let db = work.path().join("ok.db");
    rusqlite::Connection::open(&db)
        .expect("open")
        .execute_batch("CREATE TABLE t (x);")
        .expect("sqlite");
    let f = backup(&db.display().to_string(), &work.path().join("ok"), &[]);
    std::fs::write(
        work.path().join("cfg.toml"),
        format!(
            "[env.x]\ndb = \"{}\"\ndir = \"okrun\"\nschedule = \"@daily\"\n",
            db.display()
        ),
    )
    .expect("cfg");
    let good: Vec<(&str, Vec<String>)> = vec![
        ("backup-tool", s(&["list", "--dir", &w("ok")])),
        ("backup-tool", s(&["verify", &f.display().to_string()])),
        (
            "backup-tool",
            s(&[
                "status",
                "--dir",
                &w("ok"),
                "--name",
                "ok",
                "--max-age",
                "1h",
            ]),
        ),
        ("backup-tool", s(&["run", "--config", &w("cfg.toml")])),
        ("backup-tool", s(&["crontab", "--config", &w("cfg.toml")])),
        (
            "backup-tool",
            s(&["systemd", "--config", &w("cfg.toml"), "--out", &w("units")]),
        ),
        (
            "sync-tool",
            s(&[
                "diff",
                "--from",
                &db.display().to_string(),
                "--to",
                &db.display().to_string(),
            ]),
        ),
    ];
    for (t, args) in &good {
        let what = format!("{t} {} --json", args.join(" "));
        let mut cmd = tool(t);
        cmd.args(args).arg("--json");
        let out = run(cmd);
        ch.check(out.code == 0, || {
            format!("{what}: exit {}: {}", out.code, tail(&out.stderr))
        });
        ch.check(json(&out).map(|j| j.is_object()).unwrap_or(false), || {
            format!(
                "{what}: stdout is not one JSON object: {}",
                tail(&out.stdout)
            )
        });
    }
    ch.finish();
}

#[test]
fn operator_progress_bars_for_parallel_restore_and_sync() {
    let c = cluster();
    let src = c.create_db("op_barj");
    load_sample(c, &src.name, 200);
    let work = tempfile::tempdir().expect("tmp");
    let file = backup(&src.url, &work.path().join("b"), &["--jobs", "2"]);
    let rules = work.path().join("masking.toml");
    std::fs::write(&rules, SAMPLE_RULES).expect("rules");
    let env = [
        ("PGPASSWORD", PASSWORD),
        ("MASK_SALT", "operator-bar-salt-0123456789"),
        ("HOME", "/nonexistent"),
    ];
    let mut ch = Checks::new();
    // restore --jobs: one bar over every member, with its total.
    let ctl = tempfile::tempdir().expect("ctl");
    let target = c.fresh_name("op_barj_restore");
    let t = held_at(
        "backup-tool",
        "pipe.loading",
        &env,
        &s(&[
            "restore",
            &file.display().to_string(),
            "--db",
            &c.url(&target),
            "--create",
            "--jobs",
            "2",
        ]),
        ctl.path(),
    );
    let (ok, screen) = t.wait_for(10 * SEC, |sc| {
        bar_line(sc, "restore", &["%", "/", "B/s", "ETA"]).is_some()
    });
    ch.check(ok, || {
        format!("restore --jobs: no bar with percentage, total, rate and ETA:\n{screen}")
    });
    drop(t);
    // sync --jobs: a line per stream being loaded.
    let ctl = tempfile::tempdir().expect("ctl");
    let staging = c.create_db("op_barj_staging");
    let t = held_at(
        "sync-tool",
        "pipe.loading",
        &env,
        &s(&[
            "run",
            "--from",
            &src.url,
            "--to",
            &staging.url,
            "--rules",
            &rules.display().to_string(),
            "--yes",
            "--jobs",
            "2",
        ]),
        ctl.path(),
    );
    let (ok, screen) = t.wait_for(10 * SEC, |sc| bar_line(sc, "sync", &["B/s"]).is_some());
    ch.check(ok, || {
        format!("sync --jobs: no progress line with bytes and rate:\n{screen}")
    });
    drop(t);
    ch.finish();
}
