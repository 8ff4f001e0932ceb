//! Issue 11, "Cron and systemd that work the first time": the crontab lines run as cron runs
//! them (empty environment, `%` rules, /bin/sh), their environment file, the log file's lines,
//! systemd units checked with systemd-analyze against an independent reading of the cron
//! schedule, pinned and tagged backups under retention, and pg_dump's table selection.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use tests::{cluster, load_sample, run, tool, Cluster, PASSWORD, SAMPLE_RULES};

use crate::operator_common::*;

/// A config with a PostgreSQL source (password_env), an SQLite source, and a weekly masked sync
/// into a staging database; returns (config path, staging database name).
fn write_config(c: &Cluster, folder: &Path, tag: &str) -> (PathBuf, String) {
    let prod = c.create_db(&format!("op_cron_{tag}"));
    load_sample(c, &prod.name, 15);
    let staging = c.create_db(&format!("op_cron_{tag}_staging"));
    let sqlite = folder.join("timetracking.db");
    rusqlite::Connection::open(&sqlite)
        .expect("open")
        .execute_batch("CREATE TABLE entries (id INTEGER PRIMARY KEY, what TEXT); INSERT INTO entries (what) VALUES ('a'), ('b');")
        .expect("sqlite");
    std::fs::write(folder.join("masking.toml"), SAMPLE_RULES).expect("rules");
    std::fs::create_dir_all(folder.join("log")).expect("log dir");
    let cfg = folder.join("backup.toml");
    std::fs::write(
        &cfg,
        format!(
            r#"log_file = "{log}"

[env.prod]
db = "{prod}"
password_env = "OP_PROD_PW"
protected = true
dir = "backups/pg"
schedule = "17 3 * * *"
retention = {{ keep_daily = 7, min_keep = 2 }}

[env.blue]
db = "{sqlite}"
dir = "backups/sqlite"
schedule = "*/15 * * * *"

[env.staging]
db = "{staging}"
password_env = "OP_STAGE_PW"

[sync.staging]
from = "prod"
to = "staging"
rules = "masking.toml"
schedule = "0 4 * * 0"
"#,
            log = folder.join("log/backup-tool.log").display(),
            prod = prod.url,
            sqlite = sqlite.display(),
            staging = staging.url,
        ),
    )
    .expect("config");
    (cfg, staging.name)
}

/// One crontab job: its schedule, the command as cron hands it to the shell, and its stdin.
struct CronJob {
    schedule: String,
    /// The line's text after the schedule, before cron's `%` handling.
    raw: String,
    command: String,
    stdin: String,
}

/// Reads crontab text as cron does: `NAME=value` lines set the environment, a job line is five
/// fields (or an @keyword) and a command in which an unescaped `%` ends the command (the rest
/// is its stdin) and `\%` is a `%`.
fn parse_crontab(text: &str) -> (BTreeMap<String, String>, Vec<CronJob>) {
    let mut env = BTreeMap::new();
    let mut jobs = Vec::new();
    for line in text.lines() {
        let l = line.trim_start();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let first = l.split_whitespace().next().unwrap_or_default();
        if !first.starts_with('@')
            && first.contains('=')
            && !first.starts_with('*')
            && !first.chars().next().is_some_and(|c| c.is_ascii_digit())
        {
            let (k, v) = l.split_once('=').expect("=");
            env.insert(k.trim().to_string(), v.trim().to_string());
            continue;
        }
        let nfields = if first.starts_with('@') { 1 } else { 5 };
        let mut rest = l;
        let mut sched = Vec::new();
        for _ in 0..nfields {
            rest = rest.trim_start();
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            sched.push(&rest[..end]);
            rest = &rest[end..];
        }
        let raw = rest.trim_start();
        let mut command = String::new();
        let mut stdin = String::new();
        let mut in_stdin = false;
        let mut chars = raw.chars().peekable();
        while let Some(ch) = chars.next() {
            if ch == '\\' && chars.peek() == Some(&'%') {
                chars.next();
                if in_stdin {
                    stdin.push('%')
                } else {
                    command.push('%')
                }
            } else if ch == '%' {
                if in_stdin {
                    stdin.push('\n');
                } else {
                    in_stdin = true;
                }
            } else if in_stdin {
                stdin.push(ch);
            } else {
                command.push(ch);
            }
        }
        jobs.push(CronJob {
            schedule: sched.join(" "),
            raw: raw.to_string(),
            command,
            stdin,
        });
    }
    (env, jobs)
}

/// Runs a job as cron would: /bin/sh -c, an environment of HOME, LOGNAME, SHELL and the
/// crontab's assignments only.
fn run_as_cron(job: &CronJob, env: &BTreeMap<String, String>, home: &Path) -> tests::Output {
    use std::io::Write;
    let mut c = Command::new("/bin/sh");
    c.arg("-c")
        .arg(&job.command)
        .env_clear()
        .env("HOME", home)
        .env("LOGNAME", "root")
        .env("SHELL", "/bin/sh")
        .env("PATH", "/usr/bin:/bin")
        .current_dir(home)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    let mut child = c.spawn().expect("sh");
    let _ = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(job.stdin.as_bytes());
    let out = child.wait_with_output().expect("wait");
    tests::Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn crontab(cfg: &Path, env: &[(&str, &str)]) -> tests::Output {
    let mut t = tool("backup-tool");
    t.env_remove("PGPASSWORD")
        .env_remove("OP_PROD_PW")
        .env_remove("OP_STAGE_PW")
        .env_remove("MASK_SALT")
        .args(["crontab", "--config"])
        .arg(cfg);
    for (k, v) in env {
        t.env(k, v);
    }
    run(t)
}

/// Whether a log line has a timestamp and a level, as `2026-12-01T11:54:12Z  INFO ...`.
fn stamped(line: &str) -> bool {
    let b = line.as_bytes();
    let ts = b.len() > 21
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && line[..4].chars().all(|c| c.is_ascii_digit());
    ts && ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"].iter().any(|l| {
        line[19..]
            .trim_start_matches(|c: char| c == 'Z' || c == '.' || c.is_ascii_digit())
            .trim_start()
            .starts_with(l)
    })
}

#[test]
fn operator_crontab_lines_run_under_cron_with_their_environment_file() {
    let c = cluster();
    let work = tempfile::tempdir().expect("tmp");
    let (cfg, staging) = write_config(c, work.path(), "a");
    let env_file = work.path().join("backup-tools.env");
    let mut ch = Checks::new();

    // First run of `crontab`: nothing is set in this shell.
    let out = crontab(&cfg, &[]);
    ch.clean_out("crontab", &out);
    ch.check(out.code == 0, || {
        format!("crontab: exit {}: {}", out.code, out.stderr)
    });
    for var in ["OP_PROD_PW", "OP_STAGE_PW", "MASK_SALT"] {
        ch.check(
            out.stderr
                .lines()
                .any(|l| l.contains("WARN") && l.contains(var)),
            || {
                format!(
                    "crontab does not warn that {var} (named by the config) is unset: {}",
                    out.stderr
                )
            },
        );
    }
    ch.check(
        env_file.is_file() && tests::mode_of(&env_file) == 0o600,
        || {
            format!(
                "environment file {} missing or not 0600 ({:o})",
                env_file.display(),
                tests::mode_of(&env_file)
            )
        },
    );
    let env_text = std::fs::read_to_string(&env_file).unwrap_or_default();
    for var in ["OP_PROD_PW", "OP_STAGE_PW", "MASK_SALT"] {
        ch.check(
            env_text.lines().any(|l| l.starts_with(&format!("{var}="))),
            || format!("environment file lacks {var}: {env_text}"),
        );
    }
    let (cron_env, jobs) = parse_crontab(&out.stdout);
    ch.check(jobs.len() == 3, || {
        format!(
            "want 3 jobs (prod, blue, sync), got {}:\n{}",
            jobs.len(),
            out.stdout
        )
    });
    ch.check(
        jobs.iter()
            .all(|j| j.command.contains(&env_file.display().to_string())),
        || "a job does not read the environment file".into(),
    );
    ch.check(
        jobs.iter().any(|j| j.schedule == "17 3 * * *")
            && jobs.iter().any(|j| j.schedule == "0 4 * * 0"),
        || "schedules not carried over".into(),
    );

    // The operator fills in the file; a second `crontab` keeps the values, prints none.
    let salt = "op-cron-salt-0123456789abcdef";
    write_mode(
        &env_file,
        &format!("OP_PROD_PW={PASSWORD}\nOP_STAGE_PW={PASSWORD}\nMASK_SALT={salt}\n"),
        0o600,
    );
    let again = crontab(&cfg, &[("OP_PROD_PW", PASSWORD)]);
    ch.check(
        std::fs::read_to_string(&env_file)
            .unwrap_or_default()
            .contains(salt),
        || "a second crontab run overwrote the filled environment file".into(),
    );
    ch.absent("crontab output", &all(&again), PASSWORD);
    ch.check(
        !again
            .stderr
            .lines()
            .any(|l| l.contains("WARN") && l.contains("OP_PROD_PW")),
        || {
            format!(
                "crontab warns about OP_PROD_PW although it is set: {}",
                again.stderr
            )
        },
    );

    // Every job, run as cron runs it, works.
    let home = empty_home();
    for j in &jobs {
        let r = run_as_cron(j, &cron_env, home.path());
        ch.check(r.code == 0, || {
            format!(
                "job `{}` under cron: exit {}: {}{}",
                j.command, r.code, r.stdout, r.stderr
            )
        });
    }
    let pg = tests::visible_files(&work.path().join("backups/pg"));
    ch.check(
        pg.iter().any(|f| f.ends_with(".sql.gz.manifest.json")),
        || format!("no PostgreSQL backup after the cron job: {pg:?}"),
    );
    let lite = tests::visible_files(&work.path().join("backups/sqlite"));
    ch.check(lite.iter().any(|f| f.ends_with(".manifest.json")), || {
        format!("no SQLite backup after the cron job: {lite:?}")
    });
    let masked = c.psql(
        &staging,
        "SELECT count(*) FROM public.users WHERE email NOT LIKE 'user%@example.com'",
    );
    ch.check(masked.trim() == "15", || {
        format!(
            "staging after the cron sync: {} masked users, want 15",
            masked.trim()
        )
    });

    // The log file: every line stamped with time and level, no colour codes, no secret.
    let log = std::fs::read_to_string(work.path().join("log/backup-tool.log")).unwrap_or_default();
    ch.check(!log.trim().is_empty(), || {
        "the cron jobs wrote nothing to the log file".into()
    });
    for l in log.lines().filter(|l| !l.trim().is_empty()) {
        ch.check(stamped(l), || {
            format!("log line without timestamp and level: {l:?}")
        });
    }
    ch.check(!log.contains('\x1b'), || {
        "escape codes in the log file".into()
    });
    ch.absent("log file", &log, PASSWORD);
    ch.absent("log file", &log, salt);
    ch.finish();
}

#[test]
fn operator_log_file_lines_of_failed_jobs_have_timestamps_and_levels() {
    let c = cluster();
    let work = tempfile::tempdir().expect("tmp");
    let (cfg, _) = write_config(c, work.path(), "b");
    let out = crontab(&cfg, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let env_file = work.path().join("backup-tools.env");
    // The operator forgot the salt and typed the staging password wrong.
    write_mode(
        &env_file,
        &format!("OP_PROD_PW={PASSWORD}\nOP_STAGE_PW=wrong\nMASK_SALT=\n"),
        0o600,
    );
    let (cron_env, jobs) = parse_crontab(&out.stdout);
    let home = empty_home();
    let mut ch = Checks::new();
    for j in &jobs {
        let r = run_as_cron(j, &cron_env, home.path());
        if j.command.contains("sync-tool") {
            ch.check(r.code != 0, || "the sync without salt succeeded".into());
        }
    }
    // A broken connection in a backup job too.
    let mut bad = jobs
        .iter()
        .find(|j| j.command.contains("--env prod"))
        .map(|j| j.command.clone())
        .unwrap_or_default();
    bad = bad.replace("--env prod", "--env blue");
    std::fs::remove_file(work.path().join("timetracking.db")).expect("rm");
    let r = run_as_cron(
        &CronJob {
            schedule: String::new(),
            raw: bad.clone(),
            command: bad,
            stdin: String::new(),
        },
        &cron_env,
        home.path(),
    );
    ch.check(r.code != 0, || {
        "a backup of a missing SQLite file succeeded".into()
    });
    let log = std::fs::read_to_string(work.path().join("log/backup-tool.log")).unwrap_or_default();
    ch.check(log.lines().any(|l| l.contains("ERROR")), || {
        format!("no ERROR line in the log of failed jobs:\n{log}")
    });
    for l in log.lines().filter(|l| !l.trim().is_empty()) {
        ch.check(stamped(l), || {
            format!("log line without timestamp and level: {l:?}")
        });
    }
    ch.clean("log file", &log);
    ch.finish();
}

#[test]
fn operator_crontab_and_units_survive_a_folder_with_a_space_and_a_percent_sign() {
    let c = cluster();
    let base = tempfile::tempdir().expect("tmp");
    let folder = base.path().join("Backups 100%");
    std::fs::create_dir(&folder).expect("mkdir");
    let (cfg, _) = write_config(c, &folder, "pct");
    let mut ch = Checks::new();
    let out = crontab(&cfg, &[]);
    ch.check(out.code == 0, || format!("crontab: {}", out.stderr));
    write_mode(&folder.join("backup-tools.env"), &format!("OP_PROD_PW={PASSWORD}\nOP_STAGE_PW={PASSWORD}\nMASK_SALT=op-cron-salt-0123456789abcdef\n"), 0o600);
    let (cron_env, jobs) = parse_crontab(&out.stdout);
    let home = empty_home();
    if let Some(j) = jobs.iter().find(|j| j.raw.contains("--env blue")) {
        let r = run_as_cron(j, &cron_env, home.path());
        ch.check(r.code == 0, || format!("the blue job under cron (cron cuts a command at an unescaped %): exit {}: {}\ncommand as cron runs it: {}", r.code, r.stderr, j.command));
    } else {
        ch.check(false, || "no blue job".into());
    }
    let units = base.path().join("units");
    let mut s = tool("backup-tool");
    s.env_remove("PGPASSWORD")
        .args(["systemd", "--config"])
        .arg(&cfg)
        .arg("--out")
        .arg(&units);
    let out = run(s);
    ch.check(out.code == 0, || format!("systemd: {}", out.stderr));
    for f in tests::visible_files(&units) {
        let p = units.join(&f);
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        let stray = text.replace("%%", "").contains('%');
        ch.check(!stray, || {
            format!("{f}: an unescaped % is a systemd specifier:\n{text}")
        });
        let v = Command::new("systemd-analyze")
            .arg("verify")
            .arg(&p)
            .output()
            .expect("systemd-analyze");
        let err = String::from_utf8_lossy(&v.stderr);
        ch.check(v.status.success() && err.trim().is_empty(), || {
            format!("systemd-analyze verify {f}: {err}")
        });
    }
    ch.finish();
}

// ------------------------------------------------------------------------------------------
// systemd units, with OnCalendar= checked against cron's own rules.
// ------------------------------------------------------------------------------------------

/// The values a cron field allows, `lo..=hi`.
fn cron_set(field: &str, lo: u32, hi: u32, names: &[&str]) -> Vec<bool> {
    let mut set = vec![false; (hi + 1) as usize];
    let val = |s: &str| -> u32 {
        let l = s.to_ascii_lowercase();
        names
            .iter()
            .position(|n| *n == l)
            .map(|i| lo + i as u32)
            .unwrap_or_else(|| s.parse().expect("number"))
    };
    for item in field.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((r, s)) => (r, s.parse::<u32>().expect("step")),
            None => (item, 1),
        };
        let (a, b) = if range == "*" {
            (lo, hi)
        } else if let Some((a, b)) = range.split_once('-') {
            (val(a), val(b))
        } else if item.contains('/') {
            (val(range), hi)
        } else {
            (val(range), val(range))
        };
        let mut v = a;
        while v <= b {
            set[v as usize] = true;
            v += step;
        }
    }
    set
}

/// The next `n` times after `from` (UTC) at which Vixie cron (Debian's) starts `schedule`.
fn cron_times(
    schedule: &str,
    from: chrono::DateTime<chrono::Utc>,
    n: usize,
) -> Vec<chrono::NaiveDateTime> {
    use chrono::{Datelike, Timelike};
    let s = match schedule {
        "@hourly" => "0 * * * *",
        "@daily" | "@midnight" => "0 0 * * *",
        "@weekly" => "0 0 * * 0",
        "@monthly" => "0 0 1 * *",
        "@yearly" | "@annually" => "0 0 1 1 *",
        other => other,
    };
    let f: Vec<&str> = s.split_whitespace().collect();
    let mins = cron_set(f[0], 0, 59, &[]);
    let hours = cron_set(f[1], 0, 23, &[]);
    let doms = cron_set(f[2], 1, 31, &[]);
    let months = cron_set(
        f[3],
        1,
        12,
        &[
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ],
    );
    let mut dows = cron_set(
        f[4],
        0,
        7,
        &["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
    );
    if dows[7] {
        dows[0] = true;
    }
    // Vixie cron: a day field that starts with '*' makes the day test "both", else "either".
    let star = f[2].starts_with('*') || f[4].starts_with('*');
    let mut t = from
        .naive_utc()
        .with_second(0)
        .expect("s")
        .with_nanosecond(0)
        .expect("ns")
        + chrono::Duration::minutes(1);
    let mut out = Vec::new();
    let limit = t + chrono::Duration::days(800);
    while out.len() < n && t < limit {
        let dom = doms[t.day() as usize];
        let dow = dows[t.weekday().num_days_from_sunday() as usize];
        let day = if star { dom && dow } else { dom || dow };
        if mins[t.minute() as usize]
            && hours[t.hour() as usize]
            && months[t.month() as usize]
            && day
        {
            out.push(t);
        }
        t += chrono::Duration::minutes(1);
    }
    out
}

/// The next times systemd starts a timer with these OnCalendar= expressions (systemd-analyze).
fn systemd_times(exprs: &[String], n: usize) -> Result<Vec<chrono::NaiveDateTime>, String> {
    let out = Command::new("systemd-analyze")
        .env("TZ", "UTC")
        .arg("calendar")
        .arg(format!("--iterations={n}"))
        .args(exprs)
        .output()
        .map_err(|e| format!("systemd-analyze: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "systemd-analyze calendar {exprs:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let mut times = Vec::new();
    for l in String::from_utf8_lossy(&out.stdout).lines() {
        let l = l.trim();
        if l.starts_with("Next elapse:") || l.starts_with("Iter. #") {
            let v: Vec<&str> = l.split_whitespace().collect();
            // "... : Sun 2026-12-06 03:00:00 UTC"
            let k = v.len();
            let t = chrono::NaiveDateTime::parse_from_str(
                &format!("{} {}", v[k - 3], v[k - 2]),
                "%Y-%m-%d %H:%M:%S",
            )
            .map_err(|e| format!("{l}: {e}"))?;
            times.push(t);
        }
    }
    times.sort();
    times.dedup();
    times.truncate(n);
    Ok(times)
}

#[test]
fn operator_systemd_units_match_the_cron_schedules_and_are_hardened() {
    let c = cluster();
    let work = tempfile::tempdir().expect("tmp");
    let (cfg, _) = write_config(c, work.path(), "sd");
    let schedules = [
        "*/15 * * * *",
        "0 9-17/2 * * 1-5",
        "30 2 1 * *",
        "0 0 1,15 * 5",
        "0 0 */2 * 1",
        "5 4 * jan,jul sun",
        "0 4 * * 7",
        "10 22 * * mon-fri",
        "@daily",
        "@weekly",
        "@monthly",
    ];
    // More scheduled environments (SQLite, no database needed) to check each schedule.
    let mut text = std::fs::read_to_string(&cfg).expect("cfg");
    for (i, s) in schedules.iter().enumerate() {
        text.push_str(&format!(
            "\n[env.s{i}]\ndb = \"sqlite://{}\"\ndir = \"backups/s{i}\"\nschedule = \"{s}\"\n",
            work.path().join("timetracking.db").display()
        ));
    }
    std::fs::write(&cfg, text).expect("cfg");
    let units = work.path().join("units");
    let mut ch = Checks::new();
    let mut s = tool("backup-tool");
    s.env_remove("PGPASSWORD")
        .args(["systemd", "--config"])
        .arg(&cfg)
        .arg("--out")
        .arg(&units);
    let out = run(s);
    ch.clean_out("systemd", &out);
    ch.check(out.code == 0, || {
        format!("systemd: exit {}: {}", out.code, out.stderr)
    });
    let env_file = work.path().join("backup-tools.env");
    ch.check(
        env_file.is_file() && tests::mode_of(&env_file) == 0o600,
        || "the EnvironmentFile was not created 0600".into(),
    );

    let mut expected: Vec<(String, String)> = vec![
        ("backup-prod".into(), "17 3 * * *".into()),
        ("backup-blue".into(), "*/15 * * * *".into()),
        ("sync-staging".into(), "0 4 * * 0".into()),
    ];
    for (i, s) in schedules.iter().enumerate() {
        expected.push((format!("backup-s{i}"), s.to_string()));
    }
    for (slug, sched) in &expected {
        let svc = units.join(format!("backup-tools-{slug}.service"));
        let tim = units.join(format!("backup-tools-{slug}.timer"));
        let (Ok(svc_text), Ok(tim_text)) =
            (std::fs::read_to_string(&svc), std::fs::read_to_string(&tim))
        else {
            ch.check(false, || {
                format!(
                    "no unit pair for {slug}: {:?}",
                    tests::visible_files(&units)
                )
            });
            continue;
        };
        let cal: Vec<String> = tim_text
            .lines()
            .filter_map(|l| l.strip_prefix("OnCalendar="))
            .map(str::to_string)
            .collect();
        ch.check(tim_text.lines().any(|l| l == "Persistent=true"), || {
            format!("{slug}.timer: no Persistent=true")
        });
        ch.check(
            tim_text
                .lines()
                .any(|l| l == format!("Unit=backup-tools-{slug}.service")),
            || format!("{slug}.timer does not start its service"),
        );
        let now = chrono::Utc::now();
        let want = cron_times(sched, now, 8);
        match systemd_times(&cal, 6) {
            Ok(got) => {
                let fits = want.windows(got.len()).take(2).any(|w| w == got.as_slice());
                ch.check(fits && got.len() == 6, || {
                    format!("{slug}: OnCalendar={cal:?} for cron \"{sched}\" fires at {got:?}, cron at {:?}", &want[..6.min(want.len())])
                });
            }
            Err(e) => ch.check(false, || format!("{slug}: {e}")),
        }
        // The service: absolute program, the environment file, hardening.
        let exec = svc_text
            .lines()
            .find_map(|l| l.strip_prefix("ExecStart="))
            .unwrap_or_default()
            .to_string();
        let prog = exec.split_whitespace().next().unwrap_or_default();
        ch.check(prog.starts_with('/') && Path::new(prog).is_file(), || {
            format!("{slug}: ExecStart program {prog:?} is not an absolute existing file")
        });
        ch.check(
            exec.contains(
                &std::fs::canonicalize(&cfg)
                    .expect("abs")
                    .display()
                    .to_string(),
            ),
            || format!("{slug}: ExecStart does not name the config: {exec}"),
        );
        let ef = svc_text
            .lines()
            .find_map(|l| l.strip_prefix("EnvironmentFile="))
            .unwrap_or_default();
        ch.check(
            Path::new(ef) == env_file
                || std::fs::canonicalize(ef).ok() == std::fs::canonicalize(&env_file).ok(),
            || {
                format!(
                    "{slug}: EnvironmentFile={ef:?}, want {}",
                    env_file.display()
                )
            },
        );
        for opt in [
            "NoNewPrivileges=yes",
            "ProtectSystem=strict",
            "PrivateTmp=yes",
            "Type=oneshot",
        ] {
            ch.check(svc_text.lines().any(|l| l == opt), || {
                format!("{slug}.service lacks {opt}")
            });
        }
        ch.check(
            svc_text.lines().any(|l| l.starts_with("ProtectHome=")),
            || format!("{slug}.service lacks ProtectHome="),
        );
        if slug.starts_with("backup-") {
            let env_name = slug.trim_start_matches("backup-");
            let dir =
                std::fs::canonicalize(work.path())
                    .expect("abs")
                    .join(if env_name == "prod" {
                        "backups/pg".to_string()
                    } else if env_name == "blue" {
                        "backups/sqlite".to_string()
                    } else {
                        format!("backups/{env_name}")
                    });
            let rw = svc_text
                .lines()
                .find_map(|l| l.strip_prefix("ReadWritePaths="))
                .unwrap_or_default();
            ch.check(rw.split_whitespace().any(|p| dir.starts_with(p.trim_matches('"'))), || {
                format!("{slug}: ProtectSystem=strict but the backup folder {} is not in ReadWritePaths={rw:?}", dir.display())
            });
        }
        for f in [&svc, &tim] {
            let v = Command::new("systemd-analyze")
                .arg("verify")
                .arg(f)
                .output()
                .expect("systemd-analyze");
            let err = String::from_utf8_lossy(&v.stderr);
            ch.check(v.status.success() && err.trim().is_empty(), || {
                format!("systemd-analyze verify {}: {err}", f.display())
            });
        }
    }
    // The unit's command works with the unit's environment (EnvironmentFile= parsed as systemd
    // does: KEY=VALUE lines) — the blue backup needs nothing else.
    if let Ok(svc_text) = std::fs::read_to_string(units.join("backup-tools-backup-blue.service")) {
        let exec = svc_text
            .lines()
            .find_map(|l| l.strip_prefix("ExecStart="))
            .unwrap_or_default();
        let path = svc_text
            .lines()
            .find_map(|l| l.strip_prefix("Environment=PATH="))
            .unwrap_or("/usr/bin:/bin");
        let words: Vec<String> = exec
            .split_whitespace()
            .map(|w| w.trim_matches('"').to_string())
            .collect();
        let mut cmd = Command::new(&words[0]);
        cmd.args(&words[1..])
            .env_clear()
            .env("PATH", path)
            .current_dir("/");
        let out = run(cmd);
        ch.check(out.code == 0, || {
            format!(
                "the blue unit's ExecStart: exit {}: {}",
                out.code, out.stderr
            )
        });
    }
    // The README shows both ways.
    let readme = std::fs::read_to_string(workspace().join("README.md")).expect("README");
    ch.check(readme.contains("backup-tool systemd"), || {
        "README does not show `backup-tool systemd` beside `crontab`".into()
    });
    ch.finish();
}

// ------------------------------------------------------------------------------------------
// Tags and pinned backups.
// ------------------------------------------------------------------------------------------

#[test]
fn operator_tag_and_keep_for_pin_a_backup_against_retention() {
    let c = cluster();
    let src = c.create_db("op_pin");
    load_sample(c, &src.name, 5);
    let dir = tempfile::tempdir().expect("tmp");
    let mut ch = Checks::new();
    let pinned = backup(
        &src.url,
        dir.path(),
        &[
            "--name",
            "app",
            "--tag",
            "pre-migration",
            "--keep-for",
            "48h",
            "--globals",
        ],
    );
    let m = manifest(&pinned);
    ch.check(m["tags"] == serde_json::json!(["pre-migration"]), || {
        format!("manifest tags: {}", m["tags"])
    });
    // Later backups, each followed by retention that keeps only the newest.
    let b2 = backup(&src.url, dir.path(), &["--name", "app", "--globals"]);
    let b3 = backup(
        &src.url,
        dir.path(),
        &["--name", "app", "--globals", "--keep-last", "1"],
    );
    ch.check(pinned.exists(), || {
        "backup --keep-last 1 removed the pinned backup at once".into()
    });
    ch.check(!b2.exists() && b3.exists(), || {
        "retention did not apply to the unpinned backups".into()
    });
    // Even the strictest policy by hand leaves it.
    let prune = |extra: &[&str]| {
        let mut p = tool("backup-tool");
        p.args(["prune", "--dir"])
            .arg(dir.path())
            .args(["--keep-last", "1"])
            .args(extra);
        run(p)
    };
    let dry = prune(&["--name", "app", "--dry-run"]);
    ch.check(
        dry.stdout.lines().any(|l| {
            l.contains(&pinned.file_name().expect("n").to_string_lossy().to_string())
                && l.to_lowercase().contains("pinned")
        }),
        || {
            format!(
                "prune --dry-run does not give the pin as the reason:\n{}",
                dry.stdout
            )
        },
    );
    let out = prune(&[]);
    ch.check(out.code == 0 && pinned.exists(), || {
        format!("prune removed the pinned backup: {}", out.stderr)
    });
    // Its globals are part of it: a fresh server needs them to take the pinned backup.
    let globals: Vec<String> = tests::visible_files(dir.path())
        .into_iter()
        .filter(|f| f.contains("globals") && !f.ends_with(".json"))
        .collect();
    let pinned_globals = globals.iter().any(|g| {
        let m = std::fs::read_to_string(dir.path().join(format!("{g}.manifest.json")))
            .unwrap_or_default();
        m.contains("pre-migration")
    });
    ch.check(pinned_globals, || {
        format!("the globals saved with the pinned backup were pruned (none left tagged pre-migration); left: {globals:?}")
    });
    // list shows the tag, in text and JSON.
    let mut l = tool("backup-tool");
    l.args(["list", "--dir"])
        .arg(dir.path())
        .args(["--name", "app"]);
    let out = run(l);
    ch.check(
        out.stdout.lines().any(|l| l.contains("pre-migration")),
        || format!("list does not show the tag:\n{}", out.stdout),
    );
    let mut l = tool("backup-tool");
    l.args(["list", "--json", "--dir"])
        .arg(dir.path())
        .args(["--name", "app"]);
    let out = run(l);
    let tagged = json(&out)
        .ok()
        .map(|j| j.to_string().contains("pre-migration"))
        .unwrap_or(false);
    ch.check(tagged, || {
        format!("list --json does not show the tag: {}", out.stdout)
    });
    // Two days later the pin has run out: the same policy removes it.
    edit_manifest(&pinned, |m| {
        let t = chrono::Utc::now() - chrono::Duration::hours(49);
        m["started_at"] = serde_json::json!(t.to_rfc3339());
        m["finished_at"] = serde_json::json!(t.to_rfc3339());
        m["keep_until"] = serde_json::json!((t + chrono::Duration::hours(48)).to_rfc3339());
    });
    let out = prune(&["--name", "app"]);
    ch.check(out.code == 0 && !pinned.exists(), || {
        format!("a pin that ran out still keeps the backup: {}", out.stderr)
    });
    // A duration without a unit is a usage error.
    let mut b = tool("backup-tool");
    b.args(["backup", "--db", &src.url, "--dir"])
        .arg(dir.path())
        .args(["--keep-for", "48"]);
    let out = run(b);
    ch.check(out.code == 2, || {
        format!("--keep-for 48: exit {}", out.code)
    });
    ch.finish();
}

// ------------------------------------------------------------------------------------------
// pg_dump's table selection.
// ------------------------------------------------------------------------------------------

#[test]
fn operator_exclude_table_exclude_table_data_and_table_reach_pg_dump_and_manifest() {
    let c = cluster();
    let src = c.create_db("op_sel");
    c.psql(
        &src.name,
        r#"CREATE TABLE keep_me (id int); INSERT INTO keep_me SELECT generate_series(1, 3);
           CREATE TABLE skip_me (id int); INSERT INTO skip_me SELECT generate_series(1, 5);
           CREATE TABLE audit_log (id int, secret text); INSERT INTO audit_log SELECT g, 'audit-row-' || g FROM generate_series(1, 7) g;
           CREATE TABLE "Odd Name" (id int); INSERT INTO "Odd Name" VALUES (1), (2);"#,
    );
    let dir = tempfile::tempdir().expect("tmp");
    let mut ch = Checks::new();

    let f = backup(
        &src.url,
        dir.path(),
        &[
            "--name",
            "excl",
            "--exclude-table",
            "public.skip_me",
            "--exclude-table-data",
            "public.audit_log",
        ],
    );
    let sql = gunzip(&f);
    ch.check(
        sql.contains("CREATE TABLE public.keep_me") && sql.contains("COPY public.keep_me"),
        || "keep_me missing from the dump".into(),
    );
    ch.check(!sql.contains("public.skip_me"), || {
        "--exclude-table: skip_me is in the dump".into()
    });
    ch.check(sql.contains("CREATE TABLE public.audit_log"), || {
        "--exclude-table-data: audit_log's definition is missing".into()
    });
    ch.check(
        !sql.contains("COPY public.audit_log") && !sql.contains("audit-row-"),
        || "--exclude-table-data: audit_log's rows are in the dump".into(),
    );
    let m = manifest(&f);
    let mtext = m.to_string();
    ch.check(
        mtext.contains("--exclude-table=public.skip_me")
            || (mtext.contains("exclude") && mtext.contains("public.skip_me")),
        || format!("the manifest does not record --exclude-table: {mtext}"),
    );
    ch.check(
        mtext.contains("public.audit_log") && mtext.contains("exclude-table-data")
            || mtext.contains("exclude_table_data"),
        || format!("the manifest does not record --exclude-table-data: {mtext}"),
    );
    ch.check(m["tables"].get("public.skip_me").is_none(), || {
        format!("manifest counts rows of an excluded table: {}", m["tables"])
    });
    ch.check(
        m["tables"]
            .get("public.audit_log")
            .and_then(|v| v.as_u64())
            .unwrap_or(0)
            == 0,
        || format!("manifest counts audit_log rows: {}", m["tables"]),
    );
    // The restore test agrees with the manifest's counts.
    let scratch = c.fresh_name("op_sel_scratch");
    let mut v = tool("backup-tool");
    v.arg("verify")
        .arg(&f)
        .args(["--restore-test", &c.url(&scratch)]);
    let out = run(v);
    ch.check(out.code == 0, || {
        format!(
            "verify --restore-test of the selective backup: exit {}: {}{}",
            out.code, out.stdout, out.stderr
        )
    });

    let f2 = backup(
        &src.url,
        dir.path(),
        &[
            "--name",
            "only",
            "--table",
            "public.keep_me",
            "--table",
            "public.\"Odd Name\"",
        ],
    );
    let sql = gunzip(&f2);
    ch.check(
        sql.contains("COPY public.keep_me") && sql.contains("COPY public.\"Odd Name\""),
        || "--table: the chosen tables are missing".into(),
    );
    ch.check(
        !sql.contains("skip_me") && !sql.contains("audit_log"),
        || "--table: other tables are in the dump".into(),
    );
    let m2 = manifest(&f2);
    let t: Vec<String> = m2["tables"]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    ch.check(
        t == vec![
            "public.\"Odd Name\"".to_string(),
            "public.keep_me".to_string(),
        ] || t
            == vec![
                "public.keep_me".to_string(),
                "public.\"Odd Name\"".to_string(),
            ],
        || format!("--table: manifest tables {t:?}"),
    );
    ch.check(
        m2.to_string().contains("public.keep_me") && m2.to_string().contains("table"),
        || "the manifest does not record --table".into(),
    );
    ch.finish();
}
