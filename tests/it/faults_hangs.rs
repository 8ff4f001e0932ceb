//! Fault suite, servers that accept a connection and never answer: every command fails within a
//! bounded time (60 s is the hang criterion; the tools' own connect timeout is 15 s), with
//! `PGCONNECT_TIMEOUT=2` and without it, and a SIGTERM ends it within seconds with 143. The same
//! holds when only the pg_dump or psql child meets the silent server (a proxy stalls only their
//! connections): the child inherits the bound, and dies with the tool.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use tests::{cluster, poll_until, staging_cluster, SilentServer, StallProxy, Stopped};

use crate::faults_common::*;

const HANG: Duration = Duration::from_secs(60);

struct World {
    _tmp: tempfile::TempDir,
    rules: PathBuf,
    backup: PathBuf,
    src: String,
    staging: String,
}

fn world(prefix: &str) -> World {
    let (c, s) = (cluster(), staging_cluster());
    let src = c.create_db(&format!("{prefix}_src")).name;
    load_app(c, &src, 100);
    let staging = s.create_db(&format!("{prefix}_stg")).name;
    let tmp = tempfile::tempdir().expect("tmp");
    let rules = rules_file(tmp.path(), APP_RULES);
    let dir = tmp.path().join("backups");
    let mut b = backup_tool();
    b.args(["backup", "--db", &c.url(&src), "--dir"]).arg(&dir);
    let out = tests::run(b);
    assert_eq!(out.code, 0, "{}", out.stderr);
    World {
        backup: PathBuf::from(out.stdout.trim()),
        rules,
        src,
        staging,
        _tmp: tmp,
    }
}

/// Every command that connects, aimed at `url` (the silent server) in the role it names.
fn commands(w: &World, url: &str, scratch: &Path) -> Vec<(String, Command)> {
    let (c, s) = (cluster(), staging_cluster());
    let mut v = Vec::new();
    let mut b = backup_tool();
    b.args(["backup", "--db", url, "--dir"])
        .arg(scratch.join("b"));
    v.push(("backup".to_string(), b));
    let mut r = backup_tool();
    r.arg("restore")
        .arg(&w.backup)
        .args(["--db", url, "--create"]);
    v.push(("restore".into(), r));
    let mut r = backup_tool();
    r.arg("verify").arg(&w.backup).args(["--restore-test", url]);
    v.push(("verify --restore-test".into(), r));
    let mut r = sync_tool();
    r.args([
        "run",
        "--yes",
        "--from",
        url,
        "--to",
        &s.url(&w.staging),
        "--rules",
    ])
    .arg(&w.rules);
    v.push(("sync run (silent source)".into(), r));
    let mut r = sync_tool();
    r.args([
        "run",
        "--yes",
        "--from",
        &c.url(&w.src),
        "--to",
        url,
        "--rules",
    ])
    .arg(&w.rules);
    v.push(("sync run (silent target)".into(), r));
    let mut r = sync_tool();
    r.args(["rollback", "--to", url]);
    v.push(("sync rollback".into(), r));
    let mut r = sync_tool();
    r.args(["setup", "--to", url]);
    v.push(("sync setup".into(), r));
    let mut r = mask_tool();
    r.args(["apply", "--rules"])
        .arg(&w.rules)
        .args(["--db", url]);
    v.push(("mask-tool apply".into(), r));
    let mut r = mask_tool();
    r.args(["lint", "--rules"])
        .arg(&w.rules)
        .args(["--db", url]);
    v.push(("mask-tool lint".into(), r));
    v
}

/// Runs every command against a silent server; each must end by itself within [`HANG`], with a
/// failure exit code and nothing left behind.
fn bounded(prefix: &str, timeout_env: Option<&str>) {
    let w = world(prefix);
    let silent = SilentServer::start();
    let url = format!("postgresql://postgres@127.0.0.1:{}/silent_db", silent.port);
    let scratch = tempfile::tempdir().expect("scratch");
    let mut p = Problems::default();
    let cmds = commands(&w, &url, scratch.path());
    let n = cmds.len();
    // All at once: the bound is per command, and the machine is small.
    let mut running = Vec::new();
    for (label, mut cmd) in cmds {
        match timeout_env {
            Some(t) => {
                cmd.env("PGCONNECT_TIMEOUT", t);
            }
            None => {
                cmd.env_remove("PGCONNECT_TIMEOUT");
            }
        }
        running.push((label, Stopped::spawn(cmd)));
    }
    let t0 = std::time::Instant::now();
    for (label, run) in running {
        let left = HANG.saturating_sub(t0.elapsed());
        match run.wait_for(left) {
            None => p.0.push(format!(
                "{label}: still waiting for the silent server after {}s",
                HANG.as_secs()
            )),
            Some(e) => {
                p.check(e.code.is_some_and(|c| c != 0), || {
                    format!("{label}: exit {:?} against a silent server", e.code)
                });
                p.check(!e.stderr.contains(tests::PASSWORD), || {
                    format!("{label}: password in stderr")
                });
                p.none(
                    &format!("{label}: files left in TMPDIR"),
                    &tests::all_files(&e.tmp),
                );
            }
        }
    }
    p.check(silent.connections() >= n, || {
        format!(
            "only {} connections reached the silent server for {n} commands",
            silent.connections()
        )
    });
    p.none(
        "backup files created",
        &tests::all_files(&scratch.path().join("b")),
    );
    p.finish(&format!(
        "{n} commands against a silent server ({})",
        timeout_env
            .map(|t| format!("PGCONNECT_TIMEOUT={t}"))
            .unwrap_or_else(|| "default timeout".into())
    ));
}

#[test]
fn silent_server_with_a_short_connect_timeout() {
    bounded("fhs_short", Some("2"));
}

#[test]
fn silent_server_with_the_default_connect_timeout() {
    bounded("fhs_default", None);
}

/// SIGTERM while a command waits for the silent server: 143 within seconds.
#[test]
fn sigterm_while_waiting_for_a_silent_server() {
    let w = world("fhs_term");
    let mut p = Problems::default();
    let scratch = tempfile::tempdir().expect("scratch");
    let silent = SilentServer::start();
    let url = format!("postgresql://postgres@127.0.0.1:{}/silent_db", silent.port);
    let cmds = commands(&w, &url, scratch.path());
    let n = cmds.len();
    for (label, mut cmd) in cmds {
        cmd.env_remove("PGCONNECT_TIMEOUT");
        let seen = silent.connections();
        let mut run = Stopped::spawn(cmd);
        // Polls for the state: the command has connected to the silent server and waits.
        let waiting = poll_until(Duration::from_secs(30), || {
            silent.connections() > seen || !run.running()
        });
        if !waiting || !run.running() {
            p.0.push(format!(
                "{label}: never connected to the silent server (or ended first)"
            ));
            let _ = run.kill9();
            continue;
        }
        let e = run.send(libc::SIGTERM);
        p.check(e.code == Some(143), || {
            format!("{label}: exit {:?} after SIGTERM, expected 143", e.code)
        });
        p.check(e.secs < 5.0, || {
            format!("{label}: took {:.1}s to stop after SIGTERM", e.secs)
        });
        p.none(
            &format!("{label}: children outlived the tool"),
            &e.survivors,
        );
    }
    p.finish(&format!(
        "SIGTERM while waiting for a silent server ({n} commands)"
    ));
}

/// The tool's own connection works, but its pg_dump or psql child meets a server that never
/// answers: the child must be bounded too, and stop with the tool.
#[test]
fn children_meeting_a_silent_server_are_bounded_and_die_with_the_tool() {
    let (c, s) = (cluster(), staging_cluster());
    let w = world("fhs_child");
    let mut p = Problems::default();
    let via = |proxy: &StallProxy, db: &str| {
        format!(
            "postgresql://postgres@127.0.0.1:{}/{db}?sslmode=disable",
            proxy.port
        )
    };
    let dump_proxy = StallProxy::start(c.port, &["pg_dump"]);
    let psql_proxy = StallProxy::start(s.port, &["psql"]);
    let scratch = tempfile::tempdir().expect("scratch");
    let target = s.fresh_name("fhs_child_dst");
    let build = |which: usize| -> (String, Command) {
        match which {
            0 => {
                let mut b = backup_tool();
                b.args(["backup", "--db", &via(&dump_proxy, &w.src), "--dir"])
                    .arg(scratch.path().join("b"));
                ("backup (pg_dump stalls)".into(), b)
            }
            1 => {
                let mut r = backup_tool();
                r.arg("restore").arg(&w.backup).args([
                    "--db",
                    &via(&psql_proxy, &target),
                    "--create",
                ]);
                ("restore --create (psql stalls)".into(), r)
            }
            2 => {
                let mut r = sync_tool();
                r.args([
                    "run",
                    "--yes",
                    "--from",
                    &via(&dump_proxy, &w.src),
                    "--to",
                    &s.url(&w.staging),
                    "--rules",
                ])
                .arg(&w.rules);
                ("sync run (pg_dump stalls)".into(), r)
            }
            _ => {
                let mut r = sync_tool();
                r.args([
                    "run",
                    "--yes",
                    "--from",
                    &c.url(&w.src),
                    "--to",
                    &via(&psql_proxy, &w.staging),
                    "--rules",
                ])
                .arg(&w.rules);
                ("sync run (psql stalls)".into(), r)
            }
        }
    };
    // What each run left (new since the previous run: a leftover is reported once).
    let seen = std::cell::RefCell::new(std::collections::BTreeSet::<String>::new());
    let leftovers = |p: &mut Problems, label: &str| {
        let mut now: Vec<String> = tests::all_files(&scratch.path().join("b"))
            .into_iter()
            .filter(|f| !f.ends_with(".lock"))
            .collect();
        if s.db_exists(&target) {
            now.push(target.clone());
        }
        now.extend(s.databases_like(&format!("{target}__")));
        now.extend(s.databases_like(&format!("{}__", w.staging)));
        let new: Vec<String> = now
            .into_iter()
            .filter(|x| seen.borrow_mut().insert(x.clone()))
            .collect();
        p.none(&format!("{label}: left behind"), &new);
    };
    for which in 0..4 {
        // Bounded by itself.
        let (label, mut cmd) = build(which);
        cmd.env_remove("PGCONNECT_TIMEOUT");
        match Stopped::spawn(cmd).wait_for(HANG) {
            None => {
                p.0.push(format!("{label}: still running after {}s", HANG.as_secs()))
            }
            Some(e) => {
                p.check(e.code.is_some_and(|c| c != 0), || {
                    format!("{label}: exit {:?}", e.code)
                });
                p.none(
                    &format!("{label}: files left in TMPDIR"),
                    &tests::all_files(&e.tmp),
                );
            }
        }
        leftovers(&mut p, &label);
        // And stopped by SIGTERM while the child waits.
        let (label, mut cmd) = build(which);
        let label = format!("{label}, SIGTERM");
        cmd.env_remove("PGCONNECT_TIMEOUT");
        let proxy = if which % 2 == 0 {
            &dump_proxy
        } else {
            &psql_proxy
        };
        let seen = proxy.stalled();
        let mut run = Stopped::spawn(cmd);
        if !poll_until(Duration::from_secs(30), || {
            proxy.stalled() > seen || !run.running()
        }) || !run.running()
        {
            p.0.push(format!(
                "{label}: the child never reached the stalling proxy: {}",
                tail(&run.stderr())
            ));
            let _ = run.kill9();
            continue;
        }
        let e = run.send(libc::SIGTERM);
        p.check(e.code == Some(143), || {
            format!("{label}: exit {:?} after SIGTERM, expected 143", e.code)
        });
        p.check(e.secs < 5.0, || {
            format!("{label}: took {:.1}s to stop after SIGTERM", e.secs)
        });
        p.none(
            &format!("{label}: children outlived the tool"),
            &e.survivors,
        );
        leftovers(&mut p, &label);
    }
    p.finish("children meeting a silent server");
}
