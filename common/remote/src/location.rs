//! `s3://bucket/prefix` locations and the object names under them.

use std::fmt;

use crate::error::RemoteError;

/// Where objects live: a bucket and a key prefix (a "folder", possibly empty).
///
/// The prefix is kept without leading or trailing `/`; [`Location::key`] joins names under it
/// with one `/`. `Display` prints `s3://bucket/prefix` (or `s3://bucket` for the bucket root).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    bucket: String,
    prefix: String,
}

impl Location {
    /// True for text that names an object store location (`s3://…`) rather than a local folder.
    pub fn is_remote(text: &str) -> bool {
        text.get(..5)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("s3://"))
    }

    /// Parses `s3://bucket[/prefix[/]]`.
    ///
    /// Refused, with the URL in the message: other schemes, an empty or invalid bucket name,
    /// `.`/`..` or empty segments in the prefix (`a//b`), control characters, a query
    /// (`?`) or fragment (`#`).
    pub fn parse(url: &str) -> Result<Location, RemoteError> {
        let bad = |reason: String| RemoteError::InvalidLocation {
            url: url.to_string(),
            reason,
        };
        if !Location::is_remote(url) {
            let reason = match url.split_once("://") {
                Some((scheme, _)) => format!(
                    "scheme {}:// is not supported; use s3://bucket/prefix",
                    scheme.chars().take(20).collect::<String>()
                ),
                None => "not an s3:// URL".to_string(),
            };
            return Err(bad(reason));
        }
        let rest = &url[5..];
        if rest.contains(['?', '#']) {
            return Err(bad(
                "a location has no query (?) or fragment (#)".to_string()
            ));
        }
        if rest.chars().any(|c| c.is_control()) {
            return Err(bad("control characters are not allowed".to_string()));
        }
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        check_bucket(bucket).map_err(bad)?;
        let prefix = prefix.strip_suffix('/').unwrap_or(prefix);
        if !prefix.is_empty() {
            check_key(prefix).map_err(|reason| bad(format!("prefix: {reason}")))?;
        }
        Ok(Location {
            bucket: bucket.to_string(),
            prefix: prefix.to_string(),
        })
    }

    /// The bucket name.
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The key prefix, without leading or trailing `/`; empty for the bucket root.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The full object key of `name` under the prefix (`prefix/name`).
    ///
    /// Names may contain `/` (sub-folders) but no empty, `.` or `..` segments and no control
    /// characters; see [`check_name`].
    pub fn key(&self, name: &str) -> Result<String, RemoteError> {
        check_name(name).map_err(|reason| RemoteError::InvalidName {
            location: self.to_string(),
            name: printable(name),
            reason,
        })?;
        Ok(self.key_unchecked(name))
    }

    pub(crate) fn key_unchecked(&self, name: &str) -> String {
        if self.prefix.is_empty() {
            name.to_string()
        } else {
            format!("{}/{}", self.prefix, name)
        }
    }

    /// The name of `key` relative to the prefix, or `None` when the key is not under it.
    pub(crate) fn name_of<'k>(&self, key: &'k str) -> Option<&'k str> {
        if self.prefix.is_empty() {
            Some(key)
        } else {
            key.strip_prefix(self.prefix.as_str())?.strip_prefix('/')
        }
    }

    /// The `s3://` URL of object `name` under this location, for messages.
    pub fn url_of(&self, name: &str) -> String {
        format!(
            "s3://{}/{}",
            self.bucket,
            self.key_unchecked(&printable(name))
        )
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.prefix.is_empty() {
            write!(f, "s3://{}", self.bucket)
        } else {
            write!(f, "s3://{}/{}", self.bucket, self.prefix)
        }
    }
}

impl std::str::FromStr for Location {
    type Err = RemoteError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Location::parse(s)
    }
}

/// Checks an object name (relative to a location): what [`Location::key`] accepts.
///
/// Refused: empty names, a leading or trailing `/`, empty, `.` or `..` segments, control
/// characters, and names longer than 900 bytes (S3 keys stop at 1024 with the prefix).
pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("empty object name".to_string());
    }
    if name.len() > 900 {
        return Err("object name longer than 900 bytes".to_string());
    }
    check_key(name)
}

fn check_key(key: &str) -> Result<(), String> {
    if key.starts_with('/') {
        return Err("must not start with /".to_string());
    }
    if key.ends_with('/') {
        return Err("must not end with /".to_string());
    }
    for segment in key.split('/') {
        match segment {
            "" => return Err("empty path segment (//)".to_string()),
            "." | ".." => return Err(format!("'{segment}' path segments are not allowed")),
            _ => {}
        }
        if segment.chars().any(|c| c.is_control()) {
            return Err("control characters are not allowed".to_string());
        }
    }
    Ok(())
}

/// Bucket names as S3 allows them (3-63 of a-z, 0-9, '.', '-', starting and ending with a letter
/// or digit); upper case and '_' are accepted too, for older buckets and other stores.
fn check_bucket(bucket: &str) -> Result<(), String> {
    if bucket.is_empty() {
        return Err("empty bucket name".to_string());
    }
    if bucket.len() < 3 || bucket.len() > 63 {
        return Err("bucket name must be 3 to 63 characters long".to_string());
    }
    if !bucket
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        return Err("bucket name may hold only letters, digits, '.', '-' and '_'".to_string());
    }
    let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !edge_ok(bucket.chars().next()) || !edge_ok(bucket.chars().last()) {
        return Err("bucket name must start and end with a letter or digit".to_string());
    }
    Ok(())
}

/// A name as it may appear in a message: control characters escaped, length bounded.
pub(crate) fn printable(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if i == 200 {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bucket_and_prefix() {
        let l = Location::parse("s3://backups/prod/db/").unwrap();
        assert_eq!(l.bucket(), "backups");
        assert_eq!(l.prefix(), "prod/db");
        assert_eq!(l.to_string(), "s3://backups/prod/db");
        assert_eq!(l.key("x.sql.gz").unwrap(), "prod/db/x.sql.gz");
        assert_eq!(l.url_of("x"), "s3://backups/prod/db/x");
        assert_eq!(l.name_of("prod/db/a/b"), Some("a/b"));
        assert_eq!(l.name_of("prod/dbx/a"), None);
    }

    #[test]
    fn bucket_root() {
        for url in ["s3://b1k", "s3://b1k/", "S3://b1k"] {
            let l = Location::parse(url).unwrap();
            assert_eq!(l.prefix(), "");
            assert_eq!(l.to_string(), "s3://b1k");
            assert_eq!(l.key("n").unwrap(), "n");
        }
    }

    #[test]
    fn refuses_bad_urls_naming_them() {
        for (url, why) in [
            ("s3://", "empty bucket"),
            ("s3:///prefix", "empty bucket"),
            ("gs://b/p", "scheme gs://"),
            ("/backups", "not an s3:// URL"),
            ("s3://bkt/a/../c", "'..'"),
            ("s3://bkt/a//c", "empty path segment"),
            ("s3://bkt/./c", "'.'"),
            ("s3://bkt/p?x=1", "query"),
            ("s3://bk_/p", "start and end"),
            ("s3://ab/p", "3 to 63"),
            ("s3://b c/p", "only letters"),
        ] {
            let err = Location::parse(url).unwrap_err().to_string();
            assert!(err.contains(url), "{err}");
            assert!(err.contains(why), "{url}: {err}");
        }
    }

    #[test]
    fn is_remote() {
        assert!(Location::is_remote("s3://bkt"));
        assert!(Location::is_remote("S3://b"));
        assert!(!Location::is_remote("/var/backups"));
        assert!(!Location::is_remote("s3:/b"));
        assert!(!Location::is_remote("s3"));
    }

    #[test]
    fn refuses_bad_names() {
        let l = Location::parse("s3://bkt/p").unwrap();
        for name in ["", "/a", "a/", "a//b", "..", "a/../b", "a\nb"] {
            let err = l.key(name).unwrap_err().to_string();
            assert!(err.contains("s3://bkt/p"), "{err}");
        }
        assert_eq!(l.key("a/b.c").unwrap(), "p/a/b.c");
    }
}
