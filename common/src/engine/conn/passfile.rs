//! The password file (`PGPASSFILE`, else `~/.pgpass`), read as libpq reads it.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::url::Secret;

/// The password for a connection, and the file it came from. As libpq does, a file that others
/// may read is ignored with a warning, and a Unix-socket host matches `localhost`.
pub fn lookup(host: &str, port: &str, dbname: &str, user: &str) -> Option<(Secret, PathBuf)> {
    let path = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".pgpass")))?;
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() {
        return None;
    }
    if meta.permissions().mode() & 0o077 != 0 {
        tracing::warn!(
            "password file \"{}\" has group or world access; permissions should be u=rw (0600) or less",
            path.display()
        );
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
    let host = if host.starts_with('/') {
        "localhost"
    } else {
        host
    };
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_line(line);
        if fields.len() < 5 {
            continue;
        }
        let matches = |pat: &str, v: &str| pat == "*" || pat == v;
        if matches(&fields[0], host)
            && matches(&fields[1], port)
            && matches(&fields[2], dbname)
            && matches(&fields[3], user)
        {
            return Some((Secret::new(fields[4].clone()), path));
        }
    }
    None
}

/// Splits `host:port:db:user:password`, with `\:` and `\\` escapes.
fn split_line(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    if let Some(last) = fields.last_mut() {
                        last.push(n);
                    }
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            _ => {
                if let Some(last) = fields.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    fields
}

/// One line of a password file matching any connection, with `:` and `\` escaped.
pub fn line_for_any(password: &str) -> String {
    let mut line = String::from("*:*:*:*:");
    for c in password.chars() {
        if c == ':' || c == '\\' {
            line.push('\\');
        }
        line.push(c);
    }
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_splitting_and_escapes() {
        let f = split_line("h:5432:db:u:p\\:w:x");
        assert_eq!(f, vec!["h", "5432", "db", "u", "p:w:x"]);
        assert_eq!(line_for_any("a:b\\c"), "*:*:*:*:a\\:b\\\\c\n");
        assert_eq!(split_line(line_for_any("a:b\\c").trim_end())[4], "a:b\\c");
    }
}
