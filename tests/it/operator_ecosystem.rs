//! Issue 11, "Ecosystem": completions that shells accept and that complete, man pages that
//! render without warnings, `--help` of every subcommand ending with examples that can be
//! pasted, `run --help` pointing at files that exist, and errors (OS errors, broken pipes, full
//! disks) printed once and never as Rust debug output.

use std::process::{Command, Stdio};

use tests::{cluster, run, tool};

use crate::operator_common::*;

const TOOLS: [&str; 3] = ["backup-tool", "sync-tool", "mask-tool"];

#[test]
fn operator_completions_for_bash_zsh_and_fish_parse_and_complete() {
    let work = tempfile::tempdir().expect("tmp");
    let mut ch = Checks::new();
    for t in TOOLS {
        for shell in ["bash", "zsh", "fish"] {
            let mut c = tool(t);
            c.args(["completions", shell]);
            let out = run(c);
            ch.check(out.code == 0 && out.stdout.len() > 500, || {
                format!("{t} completions {shell}: exit {}: {}", out.code, out.stderr)
            });
            let f = work.path().join(format!("{t}.{shell}"));
            std::fs::write(&f, &out.stdout).expect("write");
            let check = Command::new(shell).arg("-n").arg(&f).output();
            match check {
                Ok(o) => ch.check(o.status.success(), || {
                    format!(
                        "{shell} -n {t} completions: {}",
                        String::from_utf8_lossy(&o.stderr)
                    )
                }),
                Err(e) => ch.check(false, || {
                    format!("{shell} is not installed ({e}): apt-get install {shell}")
                }),
            }
        }
        let sub = match t {
            "backup-tool" => ("re", "restore"),
            "sync-tool" => ("rol", "rollback"),
            _ => ("lea", "leaks"),
        };
        // bash: the registered function completes a subcommand and an option.
        let bash = work.path().join(format!("{t}.bash"));
        let script = format!(
            r#"source {f}; spec=$(complete -p {t}); fn=${{spec##*-F }}; fn=${{fn%% *}};
               COMP_WORDS=({t} {p}); COMP_CWORD=1; COMP_LINE="{t} {p}"; COMP_POINT=${{#COMP_LINE}}; $fn {t} {p} {t}; echo "SUB ${{COMPREPLY[*]}}";
               COMP_WORDS=({t} {full} --js); COMP_CWORD=2; COMP_LINE="{t} {full} --js"; COMP_POINT=${{#COMP_LINE}}; $fn {t} --js {full}; echo "OPT ${{COMPREPLY[*]}}""#,
            f = sh_quote(&bash.display().to_string()),
            p = sub.0,
            full = sub.1
        );
        let out = run({
            let mut c = Command::new("bash");
            c.args(["-c", &script]);
            c
        });
        ch.check(
            out.stdout
                .lines()
                .any(|l| l.starts_with("SUB") && l.contains(sub.1)),
            || {
                format!(
                    "bash: `{t} {}<TAB>` does not offer {}: {}{}",
                    sub.0, sub.1, out.stdout, out.stderr
                )
            },
        );
        ch.check(
            out.stdout
                .lines()
                .any(|l| l.starts_with("OPT") && l.contains("--json")),
            || {
                format!(
                    "bash: `{t} {} --js<TAB>` does not offer --json: {}{}",
                    sub.1, out.stdout, out.stderr
                )
            },
        );
        // fish: complete -C.
        let fish = work.path().join(format!("{t}.fish"));
        let out = run({
            let mut c = Command::new("fish");
            c.args([
                "--no-config",
                "-c",
                &format!(
                    "source {}; complete -C '{t} {}'",
                    sh_quote(&fish.display().to_string()),
                    sub.0
                ),
            ]);
            c
        });
        ch.check(out.stdout.lines().any(|l| l.starts_with(sub.1)), || {
            format!(
                "fish: `{t} {}` does not complete to {}: {}{}",
                sub.0, sub.1, out.stdout, out.stderr
            )
        });
    }
    // Installed by a documented command.
    let readme = std::fs::read_to_string(workspace().join("README.md")).unwrap_or_default();
    ch.check(
        readme.contains("completions bash") || readme.contains("completions zsh"),
        || "the README does not show how to install the completions".into(),
    );
    ch.finish();
}

#[test]
fn operator_man_pages_render_without_warnings() {
    let work = tempfile::tempdir().expect("tmp");
    let mut ch = Checks::new();
    for t in TOOLS {
        let mut c = tool(t);
        c.arg("manpage");
        let out = run(c);
        ch.check(out.code == 0 && out.stdout.contains(".TH"), || {
            format!("{t} manpage: exit {}: {}", out.code, out.stderr)
        });
        let f = work.path().join(format!("{t}.1"));
        std::fs::write(&f, &out.stdout).expect("write");
        let g = Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .arg(&f)
            .output()
            .expect("groff");
        ch.check(g.status.success() && g.stderr.is_empty(), || {
            format!(
                "groff warnings for {t}.1: {}",
                String::from_utf8_lossy(&g.stderr)
            )
        });
        let m = Command::new("man")
            .arg("-l")
            .arg(&f)
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "100")
            .env("PAGER", "cat")
            .output()
            .expect("man");
        let text = String::from_utf8_lossy(&m.stdout).replace('\u{8}', "");
        ch.check(m.status.success(), || {
            format!("man -l {t}.1: {}", String::from_utf8_lossy(&m.stderr))
        });
        ch.check(
            text.contains("NAME") && text.contains(t) && text.contains("SYNOPSIS"),
            || format!("man -l {t}.1 lacks NAME/SYNOPSIS: {}", tail(&text)),
        );
        let subs = match t {
            "backup-tool" => vec!["backup", "restore", "prune", "doctor"],
            "sync-tool" => vec!["run", "diff", "rollback"],
            _ => vec!["filter", "apply", "lint", "leaks"],
        };
        for s in subs {
            ch.check(
                text.contains(&format!("{t}-{s}"))
                    || text.contains(&format!("{s}\n"))
                    || text.contains(&format!(" {s} ")),
                || format!("man page of {t} does not list {s}"),
            );
        }
    }
    let readme = std::fs::read_to_string(workspace().join("README.md")).unwrap_or_default();
    ch.check(readme.contains("manpage"), || {
        "the README does not show how to install the man pages".into()
    });
    ch.finish();
}

/// The subcommands listed by `TOOL --help` (without clap's `help`).
fn subcommands(t: &str) -> Vec<String> {
    let mut c = tool(t);
    c.arg("--help");
    let out = run(c);
    let mut inside = false;
    let mut subs = Vec::new();
    for l in out.stdout.lines() {
        if l.starts_with("Commands:") {
            inside = true;
            continue;
        }
        if inside {
            if l.trim().is_empty() {
                break;
            }
            if l.starts_with("  ") && !l.starts_with("   ") {
                let name = l.split_whitespace().next().unwrap_or_default();
                if name != "help" {
                    subs.push(name.to_string());
                }
            }
        }
    }
    subs
}

#[test]
fn operator_every_subcommand_help_ends_with_examples_that_paste() {
    let mut ch = Checks::new();
    for t in TOOLS {
        let subs = subcommands(t);
        ch.check(subs.len() >= 4, || {
            format!("{t}: subcommands not found in --help: {subs:?}")
        });
        let mut helps = vec![(t.to_string(), {
            let mut c = tool(t);
            c.arg("--help");
            run(c)
        })];
        for s in &subs {
            let mut c = tool(t);
            c.args([s.as_str(), "--help"]);
            helps.push((format!("{t} {s}"), run(c)));
        }
        for (what, out) in helps {
            ch.check(out.code == 0, || {
                format!("{what} --help: exit {}", out.code)
            });
            let text = out.stdout.trim_end();
            let Some(pos) = text.rfind("\nExamples:") else {
                ch.check(false, || {
                    format!(
                        "{what} --help has no Examples section at its end; it ends with:\n{}",
                        tail_lines(text, 3)
                    )
                });
                continue;
            };
            let section = &text[pos + "\nExamples:".len()..];
            ch.check(!section.contains("\n\n"), || {
                format!("{what} --help: something follows the examples")
            });
            let lines: Vec<&str> = section.lines().filter(|l| !l.trim().is_empty()).collect();
            ch.check(!lines.is_empty(), || {
                format!("{what} --help: empty Examples section")
            });
            // Each example is a command one can paste: it starts with the tool (or VAR=... and
            // the tool, or another program it pipes into), or continues a line ending in `\`.
            let mut prev_continues = false;
            for l in &lines {
                let w = l.trim_start();
                let starts_command = w.starts_with(t)
                    || w.split_whitespace().take_while(|x| x.contains('=')).count() > 0
                        && w.contains(t)
                    || ["pg_dump", "systemctl", "crontab", "gunzip", "zstd"]
                        .iter()
                        .any(|p| w.starts_with(p));
                ch.check(starts_command || prev_continues, || {
                    format!("{what} --help: example line is not a command (wrapped?): {l:?}")
                });
                prev_continues = w.ends_with('\\');
            }
        }
    }
    ch.finish();
}

fn tail_lines(s: &str, n: usize) -> String {
    let v: Vec<&str> = s.lines().collect();
    v[v.len().saturating_sub(n)..].join("\n")
}

#[test]
fn operator_run_help_points_to_files_that_exist_and_the_example_config_works() {
    let mut c = tool("backup-tool");
    c.args(["run", "--help"]);
    let out = run(c);
    let root = workspace();
    let mut ch = Checks::new();
    let mut named = Vec::new();
    for w in out.stdout.split(|c: char| {
        c.is_whitespace() || c == '(' || c == ')' || c == ',' || c == ';' || c == ':'
    }) {
        let w = w.trim_end_matches('.');
        // Absolute paths are where an operator's own files go; relative ones are the project's.
        if (w.contains('/') && !w.starts_with('/') && (w.ends_with(".toml") || w.ends_with(".md")))
            || w == "README"
            || w == "DESIGN"
        {
            named.push(w.to_string());
        }
    }
    ch.check(!named.is_empty(), || {
        format!("run --help names no file: {}", out.stdout)
    });
    for n in &named {
        let candidates = [root.join(n), root.join(format!("{n}.md"))];
        ch.check(candidates.iter().any(|p| p.is_file()), || {
            format!(
                "run --help points to {n:?}, which is not in the project ({})",
                root.display()
            )
        });
    }
    if out.stdout.contains("section \"Config file and cron\"") {
        let readme = std::fs::read_to_string(root.join("README.md")).unwrap_or_default();
        ch.check(
            readme
                .lines()
                .any(|l| l.starts_with('#') && l.contains("Config file and cron")),
            || "README has no section \"Config file and cron\"".into(),
        );
    }
    // The example config works as it is: copied with its neighbours, crontab accepts it.
    let work = tempfile::tempdir().expect("tmp");
    for f in [
        "backup.example.toml",
        "masking.example.toml",
        "timetracking.db",
    ] {
        std::fs::copy(root.join("examples").join(f), work.path().join(f)).expect("copy example");
    }
    let mut c = tool("backup-tool");
    c.args(["crontab", "--config"])
        .arg(work.path().join("backup.example.toml"));
    let out = run(c);
    ch.check(out.code == 0 && out.stdout.contains("--env prod"), || {
        format!(
            "crontab of the example config: exit {}: {}",
            out.code, out.stderr
        )
    });
    ch.finish();
}

#[test]
fn operator_errors_print_once_and_never_as_rust_debug_output() {
    let c = cluster();
    let work = tempfile::tempdir().expect("tmp");
    let w = |p: &str| work.path().join(p).display().to_string();
    std::fs::write(work.path().join("afile"), "x").expect("file");
    std::fs::create_dir(work.path().join("adir")).expect("dir");
    std::os::unix::fs::symlink(
        work.path().join("loop1.sql.gz"),
        work.path().join("loop2.sql.gz"),
    )
    .expect("ln");
    std::os::unix::fs::symlink(
        work.path().join("loop2.sql.gz"),
        work.path().join("loop1.sql.gz"),
    )
    .expect("ln");
    std::fs::write(work.path().join("bad.toml"), "salt_env = [\n").expect("bad toml");
    std::fs::write(
        work.path().join("badtype.toml"),
        "[env.prod]\ndb = 5\ndir = \"b\"\n",
    )
    .expect("bad cfg");
    let long = format!("{}.sql.gz", "n".repeat(300));
    let db = work.path().join("ok.db");
    rusqlite::Connection::open(&db)
        .expect("open")
        .execute_batch("CREATE TABLE t (x);")
        .expect("sqlite");
    let down = "postgresql://postgres@127.0.0.1:1/x".to_string();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<String>>();
    // (what, tool, args, an OS error text the message should carry, if any)
    let cases: Vec<(&str, &str, Vec<String>, &str)> = vec![
        (
            "list a file",
            "backup-tool",
            s(&["list", "--dir", &w("afile")]),
            "Not a directory",
        ),
        (
            "back up into a folder under a file",
            "backup-tool",
            s(&[
                "backup",
                "--db",
                &db.display().to_string(),
                "--dir",
                &w("afile/sub"),
            ]),
            "Not a directory",
        ),
        (
            "back up a missing SQLite file",
            "backup-tool",
            s(&["backup", "--db", &w("none.db"), "--dir", &w("b")]),
            "",
        ),
        (
            "verify a folder",
            "backup-tool",
            s(&["verify", &w("adir")]),
            "",
        ),
        (
            "verify a symlink loop",
            "backup-tool",
            s(&["verify", &w("loop1.sql.gz")]),
            "",
        ),
        (
            "verify a name too long",
            "backup-tool",
            s(&["verify", &w(&long)]),
            "",
        ),
        (
            "restore a symlink loop",
            "backup-tool",
            s(&[
                "restore",
                &w("loop1.sql.gz"),
                "--db",
                &c.url("op_err_x"),
                "--create",
            ]),
            "",
        ),
        (
            "connection refused",
            "backup-tool",
            s(&["backup", "--db", &down, "--dir", &w("b")]),
            "Connection refused",
        ),
        (
            "unknown host",
            "sync-tool",
            s(&[
                "diff",
                "--from",
                "postgresql://postgres@no-such-host.invalid/x",
                "--to",
                &down,
            ]),
            "",
        ),
        (
            "filter a folder",
            "mask-tool",
            s(&["filter", "--rules", &w("bad.toml"), &w("adir")]),
            "",
        ),
        (
            "rules that are not TOML",
            "mask-tool",
            s(&[
                "lint",
                "--rules",
                &w("bad.toml"),
                "--db",
                &db.display().to_string(),
            ]),
            "",
        ),
        (
            "config with a wrong type",
            "backup-tool",
            s(&["run", "--config", &w("badtype.toml")]),
            "",
        ),
        (
            "filter into a missing folder",
            "mask-tool",
            s(&[
                "filter",
                "--random-salt",
                "--rules",
                &w("none.toml"),
                "-o",
                &w("nodir/out.sql"),
                &w("afile"),
            ]),
            "",
        ),
        (
            "sqlite restore under a file",
            "backup-tool",
            s(&["restore", &w("none.sqlite3.gz"), "--db", &w("afile/x.db")]),
            "",
        ),
    ];
    let mut ch = Checks::new();
    for (what, t, args, os) in &cases {
        for json_flag in [false, true] {
            let mut cmd = tool(t);
            cmd.args(args);
            if json_flag {
                cmd.arg("--json");
            }
            let out = run(cmd);
            let what = format!("{what}{}", if json_flag { " (--json)" } else { "" });
            ch.check(out.code != 0, || format!("{what}: succeeded"));
            ch.clean_out(&what, &out);
            ch.check(!all(&out).contains("panicked"), || {
                format!("{what}: panicked: {}", tail(&out.stderr))
            });
            if !os.is_empty() && !json_flag {
                ch.check(out.stderr.matches(os).count() <= 1, || {
                    format!(
                        "{what}: want {os:?} at most once on stderr: {}",
                        out.stderr.trim()
                    )
                });
            }
        }
    }
    // Output into a closed pipe (its reader already gone) or a full disk: a clean error or a
    // quiet end, never a panic.
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full")
    };
    let closed = || {
        let (r, w) = std::io::pipe().expect("pipe");
        drop(r);
        w
    };
    let outputs: Vec<(&str, Vec<String>, std::process::Stdio)> = vec![
        (
            "completions bash into a closed pipe",
            s(&["completions", "bash"]),
            closed().into(),
        ),
        (
            "manpage into a closed pipe",
            s(&["manpage"]),
            closed().into(),
        ),
        (
            "backup --help into a closed pipe",
            s(&["backup", "--help"]),
            closed().into(),
        ),
        (
            "list into a full disk",
            s(&["list", "--dir", &w("b")]),
            full().into(),
        ),
        (
            "completions zsh into a full disk",
            s(&["completions", "zsh"]),
            full().into(),
        ),
        ("manpage into a full disk", s(&["manpage"]), full().into()),
    ];
    std::fs::create_dir_all(work.path().join("b")).expect("mkdir");
    backup(&db.display().to_string(), &work.path().join("b"), &[]);
    for (what, args, stdout) in outputs {
        let mut cmd = tool("backup-tool");
        cmd.args(&args)
            .env("RUST_BACKTRACE", "0")
            .stdout(stdout)
            .stderr(Stdio::piped());
        let out = cmd.output().expect("run");
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        ch.check(!err.contains("panicked"), || {
            format!("{what}: panicked: {}", err.trim())
        });
        // A reader that left (`| head`) ends the run quietly; a full disk is an error.
        let closed_pipe = what.contains("closed pipe");
        ch.check((out.status.code() == Some(0)) == closed_pipe, || {
            format!("{what}: exit {:?}: {}", out.status.code(), err.trim())
        });
        if !err.contains("panicked") {
            ch.clean(what, &err);
        }
    }
    ch.finish();
}
