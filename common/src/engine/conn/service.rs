//! Connection service files (`pg_service.conf`), read as libpq reads them.
//!
//! A service is a named `[section]` of `keyword=value` lines. The user's file
//! (`$PGSERVICEFILE`, else `~/.pg_service.conf`) is searched first, then the system's
//! (`$PGSYSCONFDIR/pg_service.conf`, else `/etc/postgresql-common/pg_service.conf` as Debian
//! installs it, else `/etc/pg_service.conf`). A service named but defined nowhere is an error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The files searched, in order.
fn files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    match std::env::var_os("PGSERVICEFILE") {
        Some(f) => out.push(PathBuf::from(f)),
        None => {
            if let Some(h) = std::env::var_os("HOME") {
                out.push(Path::new(&h).join(".pg_service.conf"));
            }
        }
    }
    match std::env::var_os("PGSYSCONFDIR") {
        Some(d) => out.push(Path::new(&d).join("pg_service.conf")),
        None => {
            out.push(PathBuf::from("/etc/postgresql-common/pg_service.conf"));
            out.push(PathBuf::from("/etc/pg_service.conf"));
        }
    }
    out
}

/// The keywords of service `name`, with the file they came from.
pub fn lookup(name: &str) -> Result<(BTreeMap<String, String>, PathBuf)> {
    for f in files() {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        if let Some(kw) = section(&text, name, &f)? {
            return Ok((kw, f));
        }
    }
    Err(Error::Usage(format!(
        "definition of service \"{name}\" not found (looked in {})",
        files()
            .iter()
            .map(|f| f.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

/// The `keyword=value` lines of `[name]` in a service file, if it has that section.
fn section(text: &str, name: &str, file: &Path) -> Result<Option<BTreeMap<String, String>>> {
    let mut inside = false;
    let mut found = false;
    let mut out = BTreeMap::new();
    for (no, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(sec) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            if found {
                break;
            }
            inside = sec.trim() == name;
            found = inside;
            continue;
        }
        if !inside {
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            return Err(Error::Config {
                path: file.to_path_buf(),
                message: format!("line {}: syntax error in service \"{name}\"", no + 1),
            });
        };
        out.insert(k.trim().to_string(), v.trim().to_string());
    }
    Ok(found.then_some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_found_by_name() {
        let text = "# comment\n[prod]\nhost=db1\nport = 5433\ndbname=app\n\n[staging]\nhost=db2\n";
        let p = Path::new("x");
        let prod = section(text, "prod", p).expect("ok").expect("found");
        assert_eq!(prod.get("host").map(String::as_str), Some("db1"));
        assert_eq!(prod.get("port").map(String::as_str), Some("5433"));
        assert!(!prod.contains_key("staging"));
        assert!(section(text, "nope", p).expect("ok").is_none());
        assert!(section("[a]\nbroken line\n", "a", p).is_err());
    }
}
