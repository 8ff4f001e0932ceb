//! Scheduled jobs of a config file, as cron (and other schedulers) must run them.
//!
//! cron runs jobs with a bare PATH (often just /usr/bin:/bin) and none of the operator's
//! variables, so a pg_dump in /usr/local/bin is not found and `password_env` or `MASK_SALT` are
//! unset: the backup silently never happens. Every job here has absolute paths, an explicit PATH,
//! and the environment file that holds the variables the config names. The file is the
//! operator's: this module creates it (mode 0600) with one empty `NAME=` line per variable when it
//! is missing, and never writes a secret's value into it.

use std::collections::BTreeSet;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::{Error, IoContext, Result};

/// One scheduled job.
#[derive(Debug, Clone)]
pub struct Job {
    /// Folders the job writes (backup folder, SQLite target folder), for the unit's
    /// `ReadWritePaths=`.
    pub writes: Vec<PathBuf>,
    /// What it is, for comments and unit names ("backup prod", "sync staging").
    pub label: String,
    /// A short name usable in file names (`backup-prod`).
    pub slug: String,
    /// The crontab schedule.
    pub schedule: String,
    /// The program and its arguments.
    pub argv: Vec<String>,
}

/// Everything a scheduler needs for a config file.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The config file, absolute.
    pub config: PathBuf,
    /// PATH for the jobs: this program's folder, the PostgreSQL client programs' folders, and
    /// the system's.
    pub path: String,
    /// Where the jobs' output goes.
    pub log: PathBuf,
    /// The environment file the jobs read.
    pub env_file: PathBuf,
    /// Variables the jobs need (password variables, salt variables).
    pub variables: BTreeSet<String>,
    /// Variables not set in the environment of this run (a likely mistake, reported).
    pub unset: Vec<String>,
    /// The jobs.
    pub jobs: Vec<Job>,
}

/// The plan of a config file's scheduled jobs for the running program: its own folder and the
/// folders of the client programs it finds (pg_dump, psql) go on the jobs' PATH.
pub fn plan_for_this_program(config_path: &Path, env_file: Option<&Path>) -> Result<Plan> {
    let cfg = Config::load(config_path)?;
    let exe = std::env::current_exe().ctx(|| "cannot find this program's path".to_string())?;
    let exe = std::fs::canonicalize(&exe).unwrap_or(exe);
    let bin_dir = crate::fs::parent_dir(&exe);
    let client_dirs: Vec<PathBuf> = ["pg_dump", "psql"]
        .iter()
        .filter_map(|t| crate::engine::pg::find_tool(t, None, None).ok())
        .map(|t| crate::fs::parent_dir(&t.path))
        .collect();
    plan(&cfg, config_path, &bin_dir, &client_dirs, env_file)
}

/// Works out the jobs of `cfg` (read from `config_path`). `bin_dir` holds the three tools;
/// `client_dirs` the folders of pg_dump and psql; `env_file` overrides the default
/// `<config folder>/backup-tools.env`.
pub fn plan(
    cfg: &Config,
    config_path: &Path,
    bin_dir: &Path,
    client_dirs: &[PathBuf],
    env_file: Option<&Path>,
) -> Result<Plan> {
    let config = std::fs::canonicalize(config_path)
        .ctx(|| format!("cannot resolve {}", config_path.display()))?;
    let mut path_dirs: Vec<String> = vec![bin_dir.display().to_string()];
    path_dirs.extend(client_dirs.iter().map(|d| d.display().to_string()));
    path_dirs.extend(["/usr/local/bin", "/usr/bin", "/bin"].map(String::from));
    let mut seen = BTreeSet::new();
    path_dirs.retain(|d| seen.insert(d.clone()));
    let log = cfg
        .log_file
        .clone()
        .unwrap_or_else(|| PathBuf::from("/var/log/backup-tool.log"));
    let env_file = env_file
        .map(Path::to_path_buf)
        .unwrap_or_else(|| crate::fs::parent_dir(&config).join("backup-tools.env"));
    let mut variables = BTreeSet::new();
    let mut jobs = Vec::new();
    let exe = |tool: &str| bin_dir.join(tool).display().to_string();
    let config_s = config.display().to_string();
    for (key, env) in &cfg.env {
        if let Some(s) = &env.schedule {
            if let Some(v) = &env.password_env {
                variables.insert(v.clone());
            }
            let mut writes: Vec<PathBuf> = env.dir.iter().cloned().collect();
            if let Some(m) = &cfg.metrics_file {
                writes.push(crate::fs::parent_dir(m));
            }
            jobs.push(Job {
                writes,
                label: format!("backup {key}"),
                slug: format!("backup-{}", crate::engine::conn::sanitize_name(key)),
                schedule: s.clone(),
                argv: vec![
                    exe("backup-tool"),
                    "run".into(),
                    "--config".into(),
                    config_s.clone(),
                    "--env".into(),
                    key.clone(),
                ],
            });
        }
    }
    for (key, sync) in &cfg.sync {
        if let Some(s) = &sync.schedule {
            for side in [&sync.from, &sync.to] {
                if let Some(v) = cfg.env.get(side).and_then(|e| e.password_env.clone()) {
                    variables.insert(v);
                }
            }
            let rules = crate::jobs::masking::load_rules(&sync.rules)?;
            if rules.needs_salt() {
                variables.insert(rules.salt_env().to_string());
            }
            let mut writes = Vec::new();
            if let Some(to) = cfg.env.get(&sync.to) {
                if let Ok(crate::engine::conn::DbUrl::Sqlite(p)) =
                    crate::engine::conn::DbUrl::parse(&to.db)
                {
                    writes.push(crate::fs::parent_dir(&p));
                }
            }
            jobs.push(Job {
                writes,
                label: format!("sync {key}"),
                slug: format!("sync-{}", crate::engine::conn::sanitize_name(key)),
                schedule: s.clone(),
                // The schedule in the config is the operator's consent; there is no terminal
                // to ask on.
                argv: vec![
                    exe("sync-tool"),
                    "run".into(),
                    "--yes".into(),
                    "--config".into(),
                    config_s.clone(),
                    "--from".into(),
                    sync.from.clone(),
                    "--to".into(),
                    sync.to.clone(),
                ],
            });
        }
    }
    let unset = variables
        .iter()
        .filter(|v| std::env::var_os(v).is_none_or(|x| x.is_empty()))
        .cloned()
        .collect();
    Ok(Plan {
        config,
        path: path_dirs.join(":"),
        log,
        env_file,
        variables,
        unset,
        jobs,
    })
}

/// Makes sure the environment file exists, private: created with an empty `NAME=` line per
/// variable when missing (the operator fills in the values); an existing file is left as it is,
/// but one that others may read is refused, since it holds passwords.
pub fn ensure_env_file(plan: &Plan) -> Result<bool> {
    let f = &plan.env_file;
    if let Ok(meta) = std::fs::metadata(f) {
        if meta.permissions().mode() & 0o077 != 0 {
            return Err(Error::Refused(format!(
                "{} can be read by others; it holds passwords: chmod 600 it",
                f.display()
            )));
        }
        return Ok(false);
    }
    let mut file = crate::fs::create_private(f)?;
    let mut text = String::from(
        "# Variables the scheduled backup-tool and sync-tool jobs need; fill in the values.\n\
         # Read by the crontab lines and systemd units that backup-tool prints.\n",
    );
    for v in &plan.variables {
        text.push_str(&format!("{v}=\n"));
    }
    file.write_all(text.as_bytes())
        .ctx(|| format!("cannot write {}", f.display()))?;
    Ok(true)
}

/// Quotes a word for /bin/sh when it holds anything but safe characters.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:=@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The crontab text of a plan.
pub fn crontab(plan: &Plan) -> String {
    let mut out = format!(
        "# crontab lines for {} (install with: crontab -e)\nSHELL=/bin/sh\nPATH={}\n",
        plan.config.display(),
        plan.path
    );
    let env = shell_quote(&plan.env_file.display().to_string());
    let log = shell_quote(&plan.log.display().to_string());
    for j in &plan.jobs {
        let cmd: Vec<String> = j.argv.iter().map(|a| shell_quote(a)).collect();
        let line = format!(
            "{{ set -a && . {env} && set +a && exec {}; }} >> {log} 2>&1",
            cmd.join(" ")
        );
        // cron turns an unescaped % into a line break; `\%` reaches the shell as %.
        out.push_str(&format!(
            "{} {}  # {}\n",
            j.schedule,
            line.replace('%', "\\%"),
            j.label.replace('%', "\\%")
        ));
    }
    out
}

/// A systemd unit file: its name and text.
#[derive(Debug, Clone)]
pub struct Unit {
    /// File name (`backup-tools-backup-prod.service`).
    pub name: String,
    /// Contents.
    pub text: String,
}

/// Writes `units` into `dir` (created if missing), each whole or not at all (written beside,
/// then renamed), mode 0644 as systemd expects; returns the paths written.
pub fn write_units(units: &[Unit], dir: &Path) -> Result<Vec<PathBuf>> {
    crate::store::archive::ensure_dir(dir)?;
    let mut written = Vec::new();
    for u in units {
        let path = dir.join(&u.name);
        let mut f = crate::store::archive::PartialFile::create_replacing(&path)?;
        f.write_all(u.text.as_bytes())
            .ctx(|| format!("cannot write {}", path.display()))?;
        std::fs::set_permissions(f.partial_path(), std::fs::Permissions::from_mode(0o644))
            .ctx(|| format!("cannot set the mode of {}", path.display()))?;
        written.push(f.commit()?);
    }
    Ok(written)
}

/// A `.service` and a `.timer` per scheduled job: `OnCalendar=` from the crontab schedule,
/// `Persistent=true` (a run missed while the machine was off happens at boot), the environment
/// file, and hardening (no new privileges, read-only system, private /tmp, writes only to the
/// job's folders). `user` runs the service as that user.
pub fn systemd_units(plan: &Plan, user: Option<&str>) -> Result<Vec<Unit>> {
    let mut out = Vec::new();
    for j in &plan.jobs {
        let sched = crate::config::schedule::Schedule::parse(&j.schedule).map_err(Error::Usage)?;
        let calendars = sched.to_systemd().map_err(Error::Usage)?;
        let base = format!("backup-tools-{}", j.slug);
        let exec: Vec<String> = j
            .argv
            .iter()
            .map(|a| systemd_quote(&unit_escape(a)))
            .collect();
        let mut rw: Vec<String> = j
            .writes
            .iter()
            .map(|p| systemd_quote(&unit_escape(&p.display().to_string())))
            .collect();
        rw.sort();
        rw.dedup();
        let mut service = format!(
            "[Unit]\nDescription=backup-tools: {label} ({config})\nWants=network-online.target\nAfter=network-online.target\n\n\
             [Service]\nType=oneshot\nEnvironmentFile={env}\nEnvironment=PATH={path}\nExecStart={exec}\n",
            label = unit_escape(&j.label),
            config = unit_escape(&plan.config.display().to_string()),
            // EnvironmentFile= takes the rest of the line as the path, unquoted.
            env = unit_escape(&plan.env_file.display().to_string()),
            path = unit_escape(&plan.path),
            exec = exec.join(" "),
        );
        if let Some(u) = user {
            service.push_str(&format!("User={u}\n"));
        }
        service.push_str(
            "UMask=0077\nNoNewPrivileges=yes\nPrivateTmp=yes\nPrivateDevices=yes\nProtectSystem=strict\n\
             ProtectHome=read-only\nProtectKernelTunables=yes\nProtectKernelModules=yes\n\
             ProtectControlGroups=yes\nRestrictSUIDSGID=yes\nLockPersonality=yes\n",
        );
        if !rw.is_empty() {
            service.push_str(&format!("ReadWritePaths={}\n", rw.join(" ")));
        }
        let mut timer = format!(
            "[Unit]\nDescription=backup-tools: {} on schedule {}\n\n[Timer]\n",
            unit_escape(&j.label),
            unit_escape(&j.schedule)
        );
        for c in &calendars {
            timer.push_str(&format!("OnCalendar={c}\n"));
        }
        timer.push_str(&format!(
            "Persistent=true\nUnit={base}.service\n\n[Install]\nWantedBy=timers.target\n"
        ));
        out.push(Unit {
            name: format!("{base}.service"),
            text: service,
        });
        out.push(Unit {
            name: format!("{base}.timer"),
            text: timer,
        });
    }
    Ok(out)
}

/// A value as systemd reads it literally: `%` starts a specifier, `%%` is a percent sign.
fn unit_escape(s: &str) -> String {
    s.replace('%', "%%")
}

/// Quotes a word for a systemd unit line when it holds spaces or quotes.
fn systemd_quote(s: &str) -> String {
    if s.chars()
        .any(|c| c.is_whitespace() || c == '"' || c == '\\' || c == '\'')
    {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        s.to_string()
    }
}
