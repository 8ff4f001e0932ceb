//! Fault suite, look-alikes: the same database spelled another way (localhost or an IPv4-mapped
//! IPv6 address for 127.0.0.1, query parameters, a second config entry without `protected`, an SQLite file through a
//! symlink, a hard link or `..`) is still the protected environment or the source itself, and
//! every command that writes refuses it with exit 6, with `--config` and with only
//! `BACKUP_TOOLS_CONFIG` naming the config; nothing is changed.

use std::path::{Path, PathBuf};
use std::process::Command;

use tests::{cluster, Cluster};

use crate::faults_common::*;

struct Case {
    label: String,
    cmd: Command,
}

/// Runs every case and records those that do not exit 6.
fn expect_refused(p: &mut Problems, cases: Vec<Case>) -> usize {
    let n = cases.len();
    for Case { label, cmd } in cases {
        let out = tests::run(cmd);
        p.check(out.code == 6, || {
            format!(
                "{label}: exit {} (expected 6): {}",
                out.code,
                tail(&out.stderr)
            )
        });
    }
    n
}

/// The protected database, its spellings, a source, a config naming them.
struct PgWorld {
    prod: String,
    src: String,
    spellings: Vec<String>,
    cfg: PathBuf,
    rules: PathBuf,
    backup: PathBuf,
    _tmp: tempfile::TempDir,
}

fn pg_world(prefix: &str) -> PgWorld {
    let c = cluster();
    let prod = c.create_db(&format!("{prefix}_prod")).name;
    load_app(c, &prod, 50);
    let src = c.create_db(&format!("{prefix}_src")).name;
    load_app(c, &src, 50);
    let tmp = tempfile::tempdir().expect("tmp");
    let rules = rules_file(tmp.path(), APP_RULES);
    let port = c.port;
    let spellings = vec![
        format!("postgresql://postgres@localhost:{port}/{prod}"),
        format!("postgresql://postgres@[::ffff:127.0.0.1]:{port}/{prod}"),
        format!(
            "postgresql://postgres@127.0.0.1:{port}/{prod}?application_name=other&sslmode=prefer"
        ),
        format!("postgresql:///{prod}?host=127.0.0.1&port={port}&user=postgres"),
    ];
    let cfg = tmp.path().join("backup.toml");
    std::fs::write(
        &cfg,
        format!(
            "[env.prod]\ndb = \"{}\"\nprotected = true\n\n[env.prod_alias]\ndb = \"postgresql://postgres@localhost:{port}/{prod}\"\n\n[env.src]\ndb = \"{}\"\n",
            c.url(&prod),
            c.url(&src)
        ),
    )
    .expect("config");
    let dir = tmp.path().join("backups");
    let mut b = backup_tool();
    b.args(["backup", "--db", &c.url(&src), "--dir"]).arg(&dir);
    let out = tests::run(b);
    assert_eq!(out.code, 0, "{}", out.stderr);
    PgWorld {
        prod,
        src,
        spellings,
        cfg,
        rules,
        backup: PathBuf::from(out.stdout.trim()),
        _tmp: tmp,
    }
}

/// A command in one of the two ways of naming the config.
fn with_config(mut cmd: Command, cfg: &Path, explicit: bool) -> Command {
    if explicit {
        cmd.arg("--config").arg(cfg);
    } else {
        cmd.env("BACKUP_TOOLS_CONFIG", cfg);
    }
    cmd
}

fn unchanged(
    p: &mut Problems,
    c: &Cluster,
    db: &str,
    before: &std::collections::BTreeMap<String, String>,
) {
    p.check(c.table_checksums(db) == *before, || {
        format!("{db} was changed")
    });
    p.none(
        "databases created beside the protected one",
        &c.databases_like(&format!("{db}__")),
    );
}

#[test]
fn restore_into_a_protected_database_spelled_otherwise_is_refused() {
    let c = cluster();
    let w = pg_world("fgr");
    let before = c.table_checksums(&w.prod);
    let mut cases = Vec::new();
    for explicit in [true, false] {
        for sp in &w.spellings {
            let mut r = backup_tool();
            r.arg("restore")
                .arg(&w.backup)
                .args(["--db", sp, "--force", "--yes"]);
            cases.push(Case {
                label: format!(
                    "restore --db '{sp}' ({})",
                    if explicit {
                        "--config"
                    } else {
                        "BACKUP_TOOLS_CONFIG"
                    }
                ),
                cmd: with_config(r, &w.cfg, explicit),
            });
        }
    }
    for env in ["prod", "prod_alias"] {
        let mut r = backup_tool();
        r.arg("restore")
            .arg(&w.backup)
            .args(["--env", env, "--force", "--yes", "--config"])
            .arg(&w.cfg);
        cases.push(Case {
            label: format!("restore --config --env {env}"),
            cmd: r,
        });
    }
    let mut p = Problems::default();
    let n = expect_refused(&mut p, cases);
    unchanged(&mut p, c, &w.prod, &before);
    p.finish(&format!(
        "restore into the protected database ({n} spellings)"
    ));
}

#[test]
fn apply_on_a_protected_database_spelled_otherwise_is_refused() {
    let c = cluster();
    let w = pg_world("fga");
    let before = c.table_checksums(&w.prod);
    let mut cases = Vec::new();
    for explicit in [true, false] {
        for sp in &w.spellings {
            let mut a = mask_tool();
            a.args(["apply", "--rules"])
                .arg(&w.rules)
                .args(["--db", sp]);
            cases.push(Case {
                label: format!(
                    "apply --db '{sp}' ({})",
                    if explicit {
                        "--config"
                    } else {
                        "BACKUP_TOOLS_CONFIG"
                    }
                ),
                cmd: with_config(a, &w.cfg, explicit),
            });
        }
    }
    let mut p = Problems::default();
    let n = expect_refused(&mut p, cases);
    unchanged(&mut p, c, &w.prod, &before);
    p.finish(&format!(
        "mask-tool apply on the protected database ({n} cases)"
    ));
}

#[test]
fn sync_run_rollback_and_setup_on_a_protected_database_spelled_otherwise_are_refused() {
    let c = cluster();
    let w = pg_world("fgs");
    let before = c.table_checksums(&w.prod);
    let mut cases = Vec::new();
    for explicit in [true, false] {
        let how = if explicit {
            "--config"
        } else {
            "BACKUP_TOOLS_CONFIG"
        };
        for sp in &w.spellings {
            if !explicit {
                // With --config, --from and --to name environments; URLs are given without it.
                let mut r = sync_tool();
                r.args([
                    "run",
                    "--yes",
                    "--from",
                    &c.url(&w.src),
                    "--to",
                    sp,
                    "--rules",
                ])
                .arg(&w.rules);
                cases.push(Case {
                    label: format!("sync run --to '{sp}' ({how})"),
                    cmd: with_config(r, &w.cfg, false),
                });
            }
            let mut r = sync_tool();
            r.args(["rollback", "--to", sp]);
            cases.push(Case {
                label: format!("sync rollback --to '{sp}' ({how})"),
                cmd: with_config(r, &w.cfg, explicit),
            });
            let mut r = sync_tool();
            r.args(["setup", "--to", sp]);
            cases.push(Case {
                label: format!("sync setup --to '{sp}' ({how})"),
                cmd: with_config(r, &w.cfg, explicit),
            });
        }
    }
    for to in ["prod", "prod_alias"] {
        let mut r = sync_tool();
        r.args(["run", "--yes", "--from", "src", "--to", to, "--rules"])
            .arg(&w.rules)
            .arg("--config")
            .arg(&w.cfg);
        cases.push(Case {
            label: format!("sync run --config --from src --to {to}"),
            cmd: r,
        });
    }
    let mut p = Problems::default();
    let n = expect_refused(&mut p, cases);
    unchanged(&mut p, c, &w.prod, &before);
    p.finish(&format!(
        "sync run/rollback/setup on the protected database ({n} cases)"
    ));
}

#[test]
fn sync_run_into_its_own_source_spelled_otherwise_is_refused() {
    let c = cluster();
    let w = pg_world("fgself");
    let before = c.table_checksums(&w.src);
    let port = c.port;
    let src = &w.src;
    let mut cases = Vec::new();
    for to in [
        format!("postgresql://postgres@localhost:{port}/{src}"),
        format!("postgresql://postgres@[::ffff:127.0.0.1]:{port}/{src}"),
        format!("postgresql:///{src}?host=127.0.0.1&port={port}&user=postgres"),
    ] {
        let mut r = sync_tool();
        r.args([
            "run",
            "--yes",
            "--from",
            &c.url(src),
            "--to",
            &to,
            "--rules",
        ])
        .arg(&w.rules);
        cases.push(Case {
            label: format!("sync run --from 127.0.0.1 --to '{to}'"),
            cmd: r,
        });
    }
    let mut p = Problems::default();
    let n = expect_refused(&mut p, cases);
    unchanged(&mut p, c, src, &before);
    p.finish(&format!("sync run into its own source ({n} spellings)"));
}

/// The SQLite world: a protected file, its look-alikes, a source file, a backup of it.
#[test]
fn sqlite_look_alikes_of_a_protected_file_and_of_the_source_are_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    let live = tmp.path().join("live");
    std::fs::create_dir_all(live.join("sub")).expect("dirs");
    let prod = live.join("prod.db");
    make_sqlite_app(&prod, "fgsqlprod", 50, true);
    let src = tmp.path().join("src.db");
    make_sqlite_app(&src, "fgsqlsrc", 50, false);
    let link = tmp.path().join("link.db");
    std::os::unix::fs::symlink(&prod, &link).expect("symlink");
    let hard = tmp.path().join("hard.db");
    std::fs::hard_link(&prod, &hard).expect("hard link");
    let dotted = live.join("sub/../prod.db");
    let rules = rules_file(tmp.path(), APP_RULES_SQLITE);
    let cfg = tmp.path().join("backup.toml");
    std::fs::write(
        &cfg,
        format!(
            "[env.prod]\ndb = \"live/prod.db\"\nprotected = true\n\n[env.alias]\ndb = \"{}\"\n\n[env.src]\ndb = \"{}\"\n",
            link.display(),
            src.display()
        ),
    )
    .expect("config");
    let dir = tmp.path().join("backups");
    let mut b = backup_tool();
    b.args(["backup", "--db"]).arg(&src).arg("--dir").arg(&dir);
    let out = tests::run(b);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let backup = PathBuf::from(out.stdout.trim());
    let sha = |p: &Path| {
        tests::run({
            let mut s = Command::new("sha256sum");
            s.arg(p);
            s
        })
        .stdout
    };
    let (prod_before, src_before) = (sha(&prod), sha(&src));
    let spellings: Vec<String> = vec![
        link.display().to_string(),
        hard.display().to_string(),
        dotted.display().to_string(),
        format!("sqlite://{}", dotted.display()),
    ];
    let mut cases = Vec::new();
    for explicit in [true, false] {
        let how = if explicit {
            "--config"
        } else {
            "BACKUP_TOOLS_CONFIG"
        };
        for sp in &spellings {
            let mut r = backup_tool();
            r.arg("restore")
                .arg(&backup)
                .args(["--db", sp, "--force", "--yes"]);
            cases.push(Case {
                label: format!("restore --db {sp} ({how})"),
                cmd: with_config(r, &cfg, explicit),
            });
            let mut a = mask_tool();
            a.args(["apply", "--rules"]).arg(&rules).args(["--db", sp]);
            cases.push(Case {
                label: format!("apply --db {sp} ({how})"),
                cmd: with_config(a, &cfg, explicit),
            });
            if !explicit {
                let mut r = sync_tool();
                r.args(["run", "--yes", "--from"])
                    .arg(&src)
                    .args(["--to", sp, "--rules"])
                    .arg(&rules);
                cases.push(Case {
                    label: format!("sync run --to {sp} ({how})"),
                    cmd: with_config(r, &cfg, false),
                });
            }
            let mut r = sync_tool();
            r.args(["setup", "--to", sp]);
            cases.push(Case {
                label: format!("sync setup --to {sp} ({how})"),
                cmd: with_config(r, &cfg, explicit),
            });
        }
    }
    // A relative path from another working folder.
    let mut a = mask_tool();
    a.args(["apply", "--rules"])
        .arg(&rules)
        .args(["--db", "../prod.db", "--config"])
        .arg(&cfg)
        .current_dir(live.join("sub"));
    cases.push(Case {
        label: "apply --db ../prod.db from live/sub".into(),
        cmd: a,
    });
    for to in ["prod", "alias"] {
        let mut r = sync_tool();
        r.args(["run", "--yes", "--from", "src", "--to", to, "--rules"])
            .arg(&rules)
            .arg("--config")
            .arg(&cfg);
        cases.push(Case {
            label: format!("sync run --config --from src --to {to}"),
            cmd: r,
        });
        let mut r = backup_tool();
        r.arg("restore")
            .arg(&backup)
            .args(["--env", to, "--force", "--yes", "--config"])
            .arg(&cfg);
        cases.push(Case {
            label: format!("restore --config --env {to}"),
            cmd: r,
        });
    }
    // The source itself, spelled otherwise.
    let src_link = tmp.path().join("src-link.db");
    std::os::unix::fs::symlink(&src, &src_link).expect("symlink");
    std::fs::create_dir_all(tmp.path().join("x")).expect("dir");
    for to in [src_link.clone(), tmp.path().join("x/../src.db")] {
        let mut r = sync_tool();
        r.args(["run", "--yes", "--from"])
            .arg(&src)
            .arg("--to")
            .arg(&to)
            .arg("--rules")
            .arg(&rules);
        cases.push(Case {
            label: format!("sync run --from src.db --to {}", to.display()),
            cmd: r,
        });
    }
    let mut p = Problems::default();
    let n = expect_refused(&mut p, cases);
    p.check(sha(&prod) == prod_before, || {
        "the protected file was changed".into()
    });
    p.check(sha(&src) == src_before, || {
        "the source file was changed".into()
    });
    p.none(
        "scratch files beside the protected file",
        &scratch_beside(&live),
    );
    p.none(
        "scratch files beside the source",
        &scratch_beside(tmp.path())
            .into_iter()
            .filter(|f| !f.starts_with("backups"))
            .collect::<Vec<_>>(),
    );
    p.finish(&format!("SQLite look-alikes ({n} cases)"));
}
