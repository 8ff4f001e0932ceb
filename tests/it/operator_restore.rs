//! Issue 11, "Restore without surprises": ownership and partial restores, choosing a backup by
//! time, globals rebuilt on a fresh server, legacy dumps, clear messages, `--yes` alone, and
//! `mask-tool filter -o` on a weekly job's second run. Every outcome is read back from the
//! target with psql or from the files themselves.

use std::path::{Path, PathBuf};
use std::process::Command;

use tests::{cluster, load_sample, run, staging_cluster, tool, Cluster, SAMPLE_RULES};

use crate::operator_common::*;

fn restore(file: &Path, url: &str, extra: &[&str]) -> tests::Output {
    let mut r = tool("backup-tool");
    r.arg("restore").arg(file).args(["--db", url]).args(extra);
    run(r)
}

fn owners(c: &Cluster, db: &str) -> Vec<String> {
    c.rows(
        db,
        "SELECT schemaname || '.' || tablename || '=' || tableowner FROM pg_tables \
         WHERE schemaname NOT IN ('pg_catalog','information_schema') ORDER BY 1",
    )
}

fn tables(c: &Cluster, db: &str) -> Vec<String> {
    c.rows(
        db,
        "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables \
         WHERE schemaname NOT IN ('pg_catalog','information_schema') ORDER BY 1",
    )
}

#[test]
fn operator_restore_no_owner_and_role() {
    let c = cluster();
    let s = staging_cluster();
    let src = c.create_db("op_owner");
    load_sample(c, &src.name, 15);
    let owner = format!("op_owner_role_{}", std::process::id());
    c.psql("postgres", &format!("CREATE ROLE {owner}"));
    c.psql(
        &src.name,
        &format!("ALTER TABLE public.users OWNER TO {owner}; ALTER TABLE public.accounts OWNER TO {owner}"),
    );
    let dir = tempfile::tempdir().expect("tmp");
    let file = backup(&src.url, dir.path(), &[]);
    let mut ch = Checks::new();

    // --no-owner into a server where the owner role does not exist.
    let t1 = s.fresh_name("op_noowner");
    let out = restore(&file, &s.url(&t1), &["--create", "--no-owner"]);
    ch.clean_out("restore --no-owner", &out);
    ch.check(out.code == 0, || {
        format!(
            "restore --no-owner: exit {}: {}",
            out.code,
            tail(&out.stderr)
        )
    });
    if out.code == 0 {
        ch.check(
            s.table_checksums(&t1) == c.table_checksums(&src.name),
            || "restore --no-owner: data differs".into(),
        );
        ch.check(
            owners(s, &t1).iter().all(|o| o.ends_with("=postgres")),
            || {
                format!(
                    "restore --no-owner: owners {:?}, want the restoring role",
                    owners(s, &t1)
                )
            },
        );
    }

    // --role: restore as another role (objects end up owned by it).
    let restorer = format!("op_restorer_{}", std::process::id());
    s.psql(
        "postgres",
        &format!("CREATE ROLE {restorer} NOLOGIN CREATEDB; GRANT {restorer} TO postgres"),
    );
    let t2 = s.fresh_name("op_role");
    s.psql(
        "postgres",
        &format!("CREATE DATABASE \"{t2}\" OWNER {restorer}"),
    );
    let out = restore(&file, &s.url(&t2), &["--no-owner", "--role", &restorer]);
    ch.clean_out("restore --role", &out);
    ch.check(out.code == 0, || {
        format!(
            "restore --no-owner --role {restorer}: exit {}: {}",
            out.code,
            tail(&out.stderr)
        )
    });
    if out.code == 0 {
        ch.check(
            s.table_checksums(&t2) == c.table_checksums(&src.name),
            || "restore --role: data differs".into(),
        );
        let o = owners(s, &t2);
        ch.check(
            !o.is_empty() && o.iter().all(|x| x.ends_with(&format!("={restorer}"))),
            || format!("restore --role {restorer}: owners {o:?}"),
        );
    }
    // A role that does not exist: a clear error, not psql's raw output, and no database left.
    let t3 = s.fresh_name("op_role_missing");
    let out = restore(
        &file,
        &s.url(&t3),
        &["--create", "--no-owner", "--role", "op_no_such_role"],
    );
    ch.check(out.code != 0, || {
        "restore --role of a missing role succeeded".into()
    });
    ch.check(
        out.stderr.contains("op_no_such_role") && !out.stderr.contains("psql:"),
        || {
            format!(
                "restore --role op_no_such_role: unclear error: {}",
                tail(&out.stderr)
            )
        },
    );
    ch.check(!s.db_exists(&t3), || {
        "restore --role of a missing role left a database".into()
    });
    ch.finish();
}

#[test]
fn operator_restore_part_of_a_backup_schema_and_table() {
    let c = cluster();
    let src = c.create_db("op_part");
    load_sample(c, &src.name, 12);
    let dir = tempfile::tempdir().expect("tmp");
    let file = backup(&src.url, dir.path(), &[]);
    let full = c.table_checksums(&src.name);
    let mut ch = Checks::new();
    for (what, args, want) in [
        (
            "--schema Billing",
            vec!["--schema", "Billing"],
            vec!["\"Billing\".\"Invoice Lines\""],
        ),
        (
            "--table public.users",
            vec!["--table", "public.users"],
            vec!["public.users"],
        ),
        (
            "--table twice",
            vec!["--table", "public.users", "--table", "public.empty_table"],
            vec!["public.empty_table", "public.users"],
        ),
    ] {
        let t = c.fresh_name("op_part_dst");
        let mut a = vec!["--create"];
        a.extend(args.iter().copied());
        let out = restore(&file, &c.url(&t), &a);
        ch.clean_out(what, &out);
        ch.check(out.code == 0, || {
            format!("restore {what}: exit {}: {}", out.code, tail(&out.stderr))
        });
        if out.code != 0 || !c.db_exists(&t) {
            continue;
        }
        let got = tables(c, &t);
        ch.check(got == want, || {
            format!("restore {what}: tables {got:?}, want {want:?}")
        });
        let sums = c.table_checksums(&t);
        for w in &want {
            ch.check(sums.get(*w) == full.get(*w), || {
                format!("restore {what}: {w} differs from the source")
            });
        }
    }
    ch.finish();
}

#[test]
fn operator_restore_latest_and_at_time_choose_by_manifest_time() {
    let c = cluster();
    let src = c.create_db("op_pick");
    c.psql(&src.name, "CREATE TABLE gen (n int)");
    let dir = tempfile::tempdir().expect("tmp");
    let now = chrono::Utc::now();
    let at = |h: i64| {
        let t = now - chrono::Duration::hours(h);
        chrono::DateTime::<chrono::Utc>::from_timestamp(t.timestamp(), 0).expect("time")
    };
    // Backups holding 1, 2 and 3 rows, taken (by their manifests) 3, 2 and 1 hours ago.
    let mut files = Vec::new();
    for (i, h) in [(1, 3), (2, 2), (3, 1)] {
        c.psql(&src.name, &format!("INSERT INTO gen VALUES ({i})"));
        let f = backup(&src.url, dir.path(), &["--name", "app"]);
        edit_manifest(&f, |m| {
            m["started_at"] = serde_json::json!(at(h).to_rfc3339());
            m["finished_at"] =
                serde_json::json!((at(h) + chrono::Duration::seconds(5)).to_rfc3339());
        });
        files.push(f);
    }
    // A newer backup of another name in the same folder, never chosen for `app`.
    c.psql(&src.name, "INSERT INTO gen VALUES (99)");
    backup(&src.url, dir.path(), &["--name", "other"]);
    let rows_of = |db: &str| {
        c.psql(db, "SELECT string_agg(n::text, ',' ORDER BY n) FROM gen")
            .trim()
            .to_string()
    };
    let mut ch = Checks::new();
    let pick = |ch: &mut Checks, what: &str, sel: &[&str], want: Option<&str>| {
        let t = c.fresh_name("op_pick_dst");
        let mut r = tool("backup-tool");
        r.args(["restore", "--dir"])
            .arg(dir.path())
            .args(["--name", "app"])
            .args(sel)
            .args(["--db", &c.url(&t), "--create"]);
        let out = run(r);
        ch.clean_out(what, &out);
        match want {
            Some(w) => {
                ch.check(out.code == 0, || {
                    format!("{what}: exit {}: {}", out.code, tail(&out.stderr))
                });
                if out.code == 0 {
                    let got = rows_of(&t);
                    ch.check(got == w, || {
                        format!("{what}: restored rows {got:?}, want {w:?}")
                    });
                }
            }
            None => {
                ch.check(out.code != 0, || {
                    format!("{what}: a backup was restored although none is that old")
                });
                ch.check(!c.db_exists(&t), || {
                    format!("{what}: a database was created")
                });
                ch.check(out.stderr.contains("at or before"), || {
                    format!("{what}: unclear message: {}", out.stderr)
                });
            }
        }
    };
    pick(&mut ch, "--latest", &["--latest"], Some("1,2,3"));
    let mid = at(2) + chrono::Duration::minutes(30);
    pick(
        &mut ch,
        "--at between 2 h and 1 h ago (RFC 3339)",
        &["--at", &mid.format("%Y-%m-%dT%H:%M:%SZ").to_string()],
        Some("1,2"),
    );
    pick(
        &mut ch,
        "--at \"YYYY-MM-DD HH:MM\"",
        &["--at", &mid.format("%Y-%m-%d %H:%M").to_string()],
        Some("1,2"),
    );
    pick(
        &mut ch,
        "--at exactly the middle backup's time",
        &["--at", &at(2).format("%Y-%m-%dT%H:%M:%SZ").to_string()],
        Some("1,2"),
    );
    pick(
        &mut ch,
        "--at one second before the middle backup",
        &[
            "--at",
            &(at(2) - chrono::Duration::seconds(1))
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string(),
        ],
        Some("1"),
    );
    pick(
        &mut ch,
        "--at before every backup",
        &["--at", &at(5).format("%Y-%m-%dT%H:%M:%SZ").to_string()],
        None,
    );
    // The newest file cut short is not a good backup: --latest takes the one before.
    let newest = files.last().expect("files");
    let len = std::fs::metadata(newest).expect("meta").len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(newest)
        .and_then(|f| f.set_len(len / 2))
        .expect("truncate");
    pick(
        &mut ch,
        "--latest with the newest backup truncated",
        &["--latest"],
        Some("1,2"),
    );
    ch.finish();
}

#[test]
fn operator_globals_rebuild_a_fresh_server_from_the_folder() {
    let c = cluster();
    let fresh = staging_cluster();
    let pid = std::process::id();
    let role = format!("op_glob_owner_{pid}");
    let member = format!("op_glob_member_{pid}");
    let ts = format!("op_glob_ts_{pid}");
    let (_loc, location) = tests::tablespace_location("op-ts-");
    c.psql(
        "postgres",
        &format!("CREATE ROLE {role} LOGIN CREATEDB CONNECTION LIMIT 7 PASSWORD 'op-role-pw'"),
    );
    c.psql("postgres", &format!("CREATE ROLE {member} NOLOGIN"));
    c.psql("postgres", &format!("GRANT {role} TO {member}"));
    c.psql(
        "postgres",
        &format!("ALTER ROLE {role} SET search_path = app, public"),
    );
    c.psql(
        "postgres",
        &format!(
            "CREATE TABLESPACE {ts} OWNER {role} LOCATION '{}'",
            location.display()
        ),
    );
    let src = c.create_db("op_glob");
    c.psql(&src.name, &format!("CREATE TABLE public.placed (id int, v text) TABLESPACE {ts}; INSERT INTO placed SELECT g, 'v' || g FROM generate_series(1, 25) g; ALTER TABLE public.placed OWNER TO {role}"));
    let role_row = |k: &Cluster| {
        k.psql("postgres", &format!(
            "SELECT rolcanlogin || ' ' || rolcreatedb || ' ' || rolconnlimit || ' ' || coalesce(rolpassword, '-') || ' ' || \
             coalesce((SELECT string_agg(array_to_string(setconfig, ','), ';') FROM pg_db_role_setting s WHERE s.setrole = a.oid), '-') \
             FROM pg_authid a WHERE rolname = '{role}'"
        )).trim().to_string()
    };
    let membership = |k: &Cluster| {
        k.psql("postgres", &format!(
            "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member \
             WHERE r.rolname = '{role}' AND u.rolname = '{member}'"
        )).trim().to_string()
    };
    let ts_row = |k: &Cluster| {
        k.psql("postgres", &format!(
            "SELECT pg_tablespace_location(t.oid) || ' ' || pg_get_userbyid(spcowner) FROM pg_tablespace t WHERE spcname = '{ts}'"
        )).trim().to_string()
    };
    let want_role = role_row(c);
    let want_ts = ts_row(c);
    assert!(
        want_role.starts_with("true true 7 SCRAM-SHA-256$"),
        "{want_role}"
    );
    let dir = tempfile::tempdir().expect("tmp");
    let mut ch = Checks::new();

    // backup --globals: the globals are a backup of their own, beside it, 0600, with a manifest.
    let file = backup(&src.url, dir.path(), &["--globals", "--name", "appg"]);
    let names = tests::visible_files(dir.path());
    let globals: Vec<&String> = names
        .iter()
        .filter(|n| n.contains("globals") && !n.ends_with(".manifest.json"))
        .collect();
    ch.check(globals.len() == 1, || {
        format!("backup --globals: files {names:?}")
    });
    if let Some(g) = globals.first() {
        let gp = dir.path().join(g);
        let gm = PathBuf::from(format!("{}.manifest.json", gp.display()));
        ch.check(
            tests::mode_of(&gp) == 0o600 && tests::mode_of(&gm) == 0o600,
            || {
                format!(
                    "globals file {:o} / manifest {:o}, want 0600",
                    tests::mode_of(&gp),
                    tests::mode_of(&gm)
                )
            },
        );
        let text = gunzip(&gp);
        ch.check(
            text.contains(&format!("CREATE ROLE {role}"))
                && text.contains(&format!("CREATE TABLESPACE {ts}")),
            || "the globals file lacks the role or the tablespace".into(),
        );
        ch.check(
            !text.contains("COPY ") && !text.contains("CREATE TABLE public"),
            || "the globals file holds table data".into(),
        );
        if gm.exists() {
            let m = manifest(&gp);
            let sha = Command::new("sha256sum")
                .arg(&gp)
                .output()
                .expect("sha256sum");
            let sha = String::from_utf8_lossy(&sha.stdout)
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
            ch.check(m["sha256"] == sha.as_str(), || {
                "the globals manifest's sha256 is not the file's".into()
            });
            ch.check(
                m["dump_tool"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("pg_dumpall"),
                || format!("globals manifest: {m}"),
            );
        }
    }
    // `globals = true` in a config does the same for `run`.
    let cfgdir = tempfile::tempdir().expect("tmp");
    let cfg = cfgdir.path().join("backup.toml");
    std::fs::write(
        &cfg,
        format!(
            "[env.g]\ndb = \"{}\"\ndir = \"out\"\nglobals = true\n",
            src.url
        ),
    )
    .expect("cfg");
    let mut r = tool("backup-tool");
    r.args(["run", "--config"]).arg(&cfg);
    let out = run(r);
    ch.check(out.code == 0, || {
        format!(
            "run with globals = true: exit {}: {}",
            out.code,
            tail(&out.stderr)
        )
    });
    let run_files = tests::visible_files(&cfgdir.path().join("out"));
    ch.check(
        run_files
            .iter()
            .any(|f| f.contains("globals") && f.ends_with(".manifest.json")),
        || format!("run with globals = true wrote no globals backup: {run_files:?}"),
    );

    // The source server goes away (its tablespace folder is free again).
    c.psql("postgres", &format!("DROP DATABASE \"{}\"", src.name));
    c.psql("postgres", &format!("DROP TABLESPACE {ts}"));
    c.psql("postgres", &format!("DROP ROLE {member}"));
    c.psql("postgres", &format!("DROP ROLE {role}"));

    // Without --globals the fresh server cannot take it (owner and tablespace are missing).
    let t0 = fresh.fresh_name("op_glob_without");
    let out = restore(&file, &fresh.url(&t0), &["--create"]);
    ch.check(out.code != 0 && !fresh.db_exists(&t0), || {
        "restore without --globals on a fresh server succeeded (the test proves nothing)".into()
    });

    // restore --globals --latest from the folder alone.
    let t = fresh.fresh_name("op_glob_rebuilt");
    let mut r = tool("backup-tool");
    r.args([
        "restore",
        "--globals",
        "--latest",
        "--name",
        "appg",
        "--dir",
    ])
    .arg(dir.path())
    .args(["--db", &fresh.url(&t), "--create"]);
    let out = run(r);
    ch.clean_out("restore --globals", &out);
    ch.check(out.code == 0, || {
        format!(
            "restore --globals: exit {}: {}",
            out.code,
            tail(&out.stderr)
        )
    });
    ch.check(role_row(fresh) == want_role, || {
        format!(
            "role on the fresh server: {:?}, want {want_role:?}",
            role_row(fresh)
        )
    });
    ch.check(membership(fresh) == "1", || {
        "role membership not rebuilt".into()
    });
    ch.check(ts_row(fresh) == want_ts, || {
        format!(
            "tablespace on the fresh server: {:?}, want {want_ts:?}",
            ts_row(fresh)
        )
    });
    if out.code == 0 {
        let placed = fresh.psql(&t, "SELECT coalesce(t.spcname, '-') || ' ' || pg_get_userbyid(c.relowner) || ' ' || (SELECT count(*) FROM public.placed) FROM pg_class c LEFT JOIN pg_tablespace t ON t.oid = c.reltablespace WHERE c.relname = 'placed'");
        ch.check(placed.trim() == format!("{ts} {role} 25"), || {
            format!("the table on the fresh server: {:?}", placed.trim())
        });
    }
    // Leave the fresh server as other tests expect it.
    if fresh.db_exists(&t) {
        fresh.psql("postgres", &format!("DROP DATABASE \"{t}\""));
    }
    let _ = Command::new(fresh.bindir.join("psql"))
        .env("PGPASSWORD", tests::PASSWORD)
        .args([
            "-X",
            "-q",
            "-h",
            "127.0.0.1",
            "-p",
            &fresh.port.to_string(),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-c",
            &format!("DROP TABLESPACE IF EXISTS {ts}"),
        ])
        .output();
    ch.finish();
}

/// A dump made as the old scripts made it: `pg_dump | gzip > prod_20240821.sql.gz`.
fn legacy_dump(c: &Cluster, db: &str, dir: &Path) -> PathBuf {
    let f = dir.join("prod_20240821.sql.gz");
    let sh = format!(
        "{} -h 127.0.0.1 -p {} -U postgres -d {} | gzip > {}",
        c.bindir.join("pg_dump").display(),
        c.port,
        sh_quote(db),
        sh_quote(&f.display().to_string())
    );
    let out = Command::new("sh")
        .args(["-c", &sh])
        .env("PGPASSWORD", tests::PASSWORD)
        .output()
        .expect("sh");
    assert!(
        out.status.success(),
        "legacy dump: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    f
}

#[test]
fn operator_legacy_dump_without_manifest_needs_the_unverified_flag() {
    let c = cluster();
    let src = c.create_db("op_legacy");
    load_sample(c, &src.name, 10);
    let dir = tempfile::tempdir().expect("tmp");
    let f = legacy_dump(c, &src.name, dir.path());
    let mut ch = Checks::new();
    let t = c.fresh_name("op_legacy_dst");
    let out = restore(&f, &c.url(&t), &["--create"]);
    ch.check(out.code != 0 && !c.db_exists(&t), || {
        format!(
            "a dump without manifest was restored without the flag: exit {}",
            out.code
        )
    });
    ch.check(out.stderr.contains("--unverified"), || {
        format!(
            "the refusal does not name the flag that allows it: {}",
            tail(&out.stderr)
        )
    });
    let out = restore(&f, &c.url(&t), &["--create", "--unverified", "--json"]);
    ch.clean_out("restore --unverified", &out);
    ch.check(out.code == 0, || {
        format!(
            "restore --unverified: exit {}: {}",
            out.code,
            tail(&out.stderr)
        )
    });
    if out.code == 0 {
        ch.check(
            c.table_checksums(&t) == c.table_checksums(&src.name),
            || "restore --unverified: data differs".into(),
        );
        ch.check(
            json(&out).map(|j| j["unverified"] == true).unwrap_or(false),
            || format!("the JSON report does not say unverified: {}", out.stdout),
        );
        ch.check(out.stderr.to_lowercase().contains("unverified"), || {
            "the log does not say the restore is unverified".into()
        });
    }
    // A legacy dump cut short is still refused whole: nothing is created.
    let text = Command::new("gzip")
        .arg("-dc")
        .arg(&f)
        .output()
        .expect("gzip")
        .stdout;
    let cut = dir.path().join("prod_20240822.sql.gz");
    let mut gz = Command::new("sh")
        .args([
            "-c",
            &format!("gzip > {}", sh_quote(&cut.display().to_string())),
        ])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("gzip");
    use std::io::Write;
    gz.stdin
        .take()
        .expect("stdin")
        .write_all(&text[..text.len() * 2 / 3])
        .expect("write");
    gz.wait().expect("gzip");
    let t2 = c.fresh_name("op_legacy_cut");
    let out = restore(&cut, &c.url(&t2), &["--create", "--unverified"]);
    ch.check(out.code != 0 && !c.db_exists(&t2), || {
        format!(
            "a cut legacy dump: exit {}, database exists {}",
            out.code,
            c.db_exists(&t2)
        )
    });
    ch.finish();
}

#[test]
fn operator_missing_backup_file_says_no_such_file() {
    let c = cluster();
    let dir = tempfile::tempdir().expect("tmp");
    let missing = dir.path().join("app_20261122T030000Z.sql.gz");
    let mut ch = Checks::new();
    let t = c.fresh_name("op_missing");
    for (what, out) in [
        ("restore", restore(&missing, &c.url(&t), &["--create"])),
        (
            "restore --unverified",
            restore(&missing, &c.url(&t), &["--create", "--unverified"]),
        ),
        ("verify", {
            let mut v = tool("backup-tool");
            v.arg("verify").arg(&missing);
            run(v)
        }),
    ] {
        ch.clean_out(what, &out);
        ch.check(out.code != 0, || {
            format!("{what} of a missing file succeeded")
        });
        let text = all(&out);
        ch.check(text.to_lowercase().contains("no such file"), || {
            format!("{what}: no \"no such file\": {}", text.trim())
        });
        ch.check(!text.contains("manifest"), || {
            format!(
                "{what} of a missing file talks about a manifest: {}",
                text.trim()
            )
        });
    }
    ch.check(!c.db_exists(&t), || {
        "a database was created for a missing file".into()
    });
    ch.finish();
}

#[test]
fn operator_yes_alone_is_accepted() {
    let c = cluster();
    let src = c.create_db("op_yes");
    load_sample(c, &src.name, 8);
    let dir = tempfile::tempdir().expect("tmp");
    let file = backup(&src.url, dir.path(), &[]);
    let mut ch = Checks::new();
    let t = c.fresh_name("op_yes_new");
    let out = restore(&file, &c.url(&t), &["--create", "--yes"]);
    ch.clean_out("restore --create --yes", &out);
    ch.check(
        out.code == 0 && c.db_exists(&t) && c.table_checksums(&t) == c.table_checksums(&src.name),
        || {
            format!(
                "restore --create --yes: exit {}: {}",
                out.code,
                tail(&out.stderr)
            )
        },
    );
    let empty = c.create_db("op_yes_empty");
    let out = restore(&file, &empty.url, &["--yes"]);
    ch.check(
        out.code == 0 && c.table_checksums(&empty.name) == c.table_checksums(&src.name),
        || {
            format!(
                "restore --yes into an empty database: exit {}: {}",
                out.code,
                tail(&out.stderr)
            )
        },
    );
    ch.finish();
}

#[test]
fn operator_filter_output_that_exists_takes_force() {
    let work = tempfile::tempdir().expect("tmp");
    let rules = work.path().join("masking.toml");
    std::fs::write(&rules, SAMPLE_RULES).expect("rules");
    let c = cluster();
    let src = c.create_db("op_filter_force");
    load_sample(c, &src.name, 10);
    let dump = gunzip(&backup(&src.url, &work.path().join("b"), &[]));
    let input = work.path().join("prod.sql");
    std::fs::write(&input, &dump).expect("dump");
    let mut ch = Checks::new();
    for name in ["masked.sql", "masked.sql.gz"] {
        let out_file = work.path().join(name);
        let filter = |extra: &[&str]| {
            let mut f = tool("mask-tool");
            f.env("MASK_SALT", "operator-filter-salt-123456")
                .args(["filter", "--rules"])
                .arg(&rules)
                .arg(&input)
                .arg("-o")
                .arg(&out_file)
                .args(extra);
            run(f)
        };
        let first = filter(&[]);
        ch.check(first.code == 0, || {
            format!("{name}: first run: exit {}: {}", first.code, first.stderr)
        });
        let before = std::fs::read(&out_file).unwrap_or_default();
        let second = filter(&[]);
        ch.clean_out(name, &second);
        ch.check(second.code != 0 && second.stderr.contains("--force"), || {
            format!("{name}: second run without --force: exit {}, should refuse and name --force: {}", second.code, second.stderr)
        });
        ch.check(
            std::fs::read(&out_file).unwrap_or_default() == before,
            || format!("{name}: refused run changed the file"),
        );
        let third = filter(&["--force"]);
        ch.check(third.code == 0, || {
            format!("{name}: --force: exit {}: {}", third.code, third.stderr)
        });
        let text = if name.ends_with(".gz") {
            gunzip(&out_file)
        } else {
            std::fs::read_to_string(&out_file).unwrap_or_default()
        };
        ch.check(
            text.contains("COPY public.users") && !text.contains("user1@example.com"),
            || format!("{name}: --force output is not the masked dump"),
        );
        ch.check(tests::mode_of(&out_file) == 0o600, || {
            format!("{name}: mode {:o}, want 0600", tests::mode_of(&out_file))
        });
    }
    // --force replaces a symlink at the output path; it never writes through it.
    let victim = work.path().join("victim.txt");
    std::fs::write(&victim, "precious").expect("victim");
    let link = work.path().join("linked.sql");
    std::os::unix::fs::symlink(&victim, &link).expect("symlink");
    let mut f = tool("mask-tool");
    f.env("MASK_SALT", "operator-filter-salt-123456")
        .args(["filter", "--force", "--rules"])
        .arg(&rules)
        .arg(&input)
        .arg("-o")
        .arg(&link);
    let out = run(f);
    ch.check(
        std::fs::read_to_string(&victim).unwrap_or_default() == "precious",
        || {
            format!(
                "filter -o SYMLINK --force wrote through the link into its target (exit {})",
                out.code
            )
        },
    );
    ch.finish();
}
