//! The one error type of the crate and the one place where store errors are classified.
//!
//! Messages name the `s3://` URL and the action, never a secret. The store's own error is not
//! kept as `#[source]`: its text quotes the server's error body, which for a bad signature
//! echoes the access key id and the string that was signed. Instead the classification keeps
//! what a person needs (HTTP status, the S3 error code, the transport failure chain), and every
//! message is passed through the [`Redactor`] of the store's secrets before it is stored.

use std::error::Error as StdError;
use std::time::Duration;

/// What went wrong talking to an object store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RemoteError {
    /// The text is not a usable `s3://bucket/prefix` location.
    #[error("invalid object store location {url}: {reason}")]
    InvalidLocation {
        /// The URL as given.
        url: String,
        /// Why.
        reason: String,
    },
    /// An object name that cannot be used as a key.
    #[error("invalid object name '{name}' under {location}: {reason}")]
    InvalidName {
        /// The location the name is under.
        location: String,
        /// The name, control characters escaped.
        name: String,
        /// Why.
        reason: String,
    },
    /// The configuration (environment, profile files) is missing or wrong.
    #[error("object store configuration for {location}: {message}")]
    Config {
        /// The location being connected to.
        location: String,
        /// What is wrong and where it was looked for.
        message: String,
    },
    /// The object does not exist.
    #[error("cannot {action} {url}: no such object")]
    NotFound {
        /// What we were doing.
        action: &'static str,
        /// The object.
        url: String,
    },
    /// The bucket does not exist.
    #[error("cannot {action} {url}: bucket {bucket} does not exist")]
    NoSuchBucket {
        /// What we were doing.
        action: &'static str,
        /// The object or location.
        url: String,
        /// The bucket.
        bucket: String,
    },
    /// The server refused the credentials or the credentials lack a permission.
    #[error("cannot {action} {url}: access denied ({detail}); credentials from {credentials}")]
    AccessDenied {
        /// What we were doing.
        action: &'static str,
        /// The object or location.
        url: String,
        /// HTTP status and S3 error code, e.g. `403 InvalidAccessKeyId`.
        detail: String,
        /// Where the credentials came from (a variable or file name, never the value).
        credentials: String,
    },
    /// The object exists already (a conditional create lost).
    #[error("cannot {action} {url}: the object exists already")]
    AlreadyExists {
        /// What we were doing.
        action: &'static str,
        /// The object.
        url: String,
    },
    /// The server did not answer in time.
    #[error("cannot {action} {url}: no answer from {endpoint} within {}s ({detail})", limit.as_secs_f32())]
    Timeout {
        /// What we were doing.
        action: &'static str,
        /// The object or location.
        url: String,
        /// The endpoint that did not answer.
        endpoint: String,
        /// The per-request time limit.
        limit: Duration,
        /// The transport failure chain.
        detail: String,
    },
    /// The server could not be reached (connection refused, DNS, TLS).
    #[error("cannot {action} {url}: cannot connect to {endpoint} ({detail})")]
    Unreachable {
        /// What we were doing.
        action: &'static str,
        /// The object or location.
        url: String,
        /// The endpoint.
        endpoint: String,
        /// The transport failure chain.
        detail: String,
    },
    /// The caller's stop function returned true (e.g. on SIGTERM).
    #[error("cannot {action} {url}: interrupted")]
    Interrupted {
        /// What we were doing.
        action: &'static str,
        /// The object or location.
        url: String,
    },
    /// Anything else the store or the transport reported.
    #[error("cannot {action} {url}: {detail}")]
    Other {
        /// What we were doing.
        action: &'static str,
        /// The object or location.
        url: String,
        /// Status, S3 error code, transport chain; secrets removed.
        detail: String,
    },
}

impl RemoteError {
    /// The object (or bucket) does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, RemoteError::NotFound { .. })
    }

    /// The bucket does not exist.
    pub fn is_no_such_bucket(&self) -> bool {
        matches!(self, RemoteError::NoSuchBucket { .. })
    }

    /// Credentials were refused or lack a permission.
    pub fn is_access_denied(&self) -> bool {
        matches!(self, RemoteError::AccessDenied { .. })
    }

    /// The server did not answer within the time limit.
    pub fn is_timeout(&self) -> bool {
        matches!(self, RemoteError::Timeout { .. })
    }

    /// The caller's stop function asked us to stop.
    pub fn is_interrupted(&self) -> bool {
        matches!(self, RemoteError::Interrupted { .. })
    }

    /// The configuration is missing or wrong (including missing credentials).
    pub fn is_config(&self) -> bool {
        matches!(self, RemoteError::Config { .. })
    }

    /// The [`RemoteError`] inside an `io::Error` returned by [`crate::Upload`] or
    /// [`crate::ObjectReader`], if any.
    pub fn from_io(err: &std::io::Error) -> Option<&RemoteError> {
        err.get_ref()
            .and_then(|inner| inner.downcast_ref::<RemoteError>())
    }

    /// Takes the [`RemoteError`] out of an `io::Error` that wraps one; gives the `io::Error`
    /// back otherwise.
    pub fn take_from_io(err: std::io::Error) -> Result<RemoteError, std::io::Error> {
        if RemoteError::from_io(&err).is_none() {
            return Err(err);
        }
        let kind = err.kind();
        match err
            .into_inner()
            .map(|inner| inner.downcast::<RemoteError>())
        {
            Some(Ok(remote)) => Ok(*remote),
            Some(Err(other)) => Err(std::io::Error::new(kind, other)),
            None => Err(std::io::Error::from(kind)),
        }
    }

    pub(crate) fn interrupted(action: &'static str, url: String) -> RemoteError {
        RemoteError::Interrupted { action, url }
    }
}

impl From<RemoteError> for std::io::Error {
    /// Wraps the error; the kind is never `Interrupted` (which `write_all`, `read_to_end` and
    /// `io::copy` would retry forever), an interruption becomes `Other`.
    fn from(err: RemoteError) -> Self {
        use std::io::ErrorKind;
        let kind = match &err {
            RemoteError::NotFound { .. } | RemoteError::NoSuchBucket { .. } => ErrorKind::NotFound,
            RemoteError::AccessDenied { .. } => ErrorKind::PermissionDenied,
            RemoteError::Timeout { .. } => ErrorKind::TimedOut,
            RemoteError::AlreadyExists { .. } => ErrorKind::AlreadyExists,
            _ => ErrorKind::Other,
        };
        std::io::Error::new(kind, err)
    }
}

/// Removes the store's secret strings from any text before it becomes part of an error.
#[derive(Clone, Default)]
pub(crate) struct Redactor {
    secrets: Vec<String>,
}

impl Redactor {
    pub(crate) fn new(secrets: impl IntoIterator<Item = String>) -> Redactor {
        // Very short values would redact ordinary words; real keys are 16+ characters.
        Redactor {
            secrets: secrets.into_iter().filter(|s| s.len() >= 8).collect(),
        }
    }

    pub(crate) fn clean(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), "[REDACTED]");
            }
        }
        out
    }
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactor({} secrets)", self.secrets.len())
    }
}

/// What a failed request is about, for [`classify`].
pub(crate) struct Context<'a> {
    pub action: &'static str,
    pub url: String,
    pub bucket: &'a str,
    pub endpoint: &'a str,
    pub credentials: &'a str,
    pub timeout: Duration,
    pub redactor: &'a Redactor,
}

/// Turns an `object_store` error into a [`RemoteError`]: the one place that reads its shape.
pub(crate) fn classify(err: object_store::Error, cx: Context<'_>) -> RemoteError {
    use object_store::Error as E;
    let text = err.to_string();
    let code = s3_code(&text);
    let status = http_status(&text);
    let Context { action, url, .. } = cx;
    match &err {
        E::NotFound { .. } if code.as_deref() == Some("NoSuchBucket") => {
            return RemoteError::NoSuchBucket {
                action,
                url,
                bucket: cx.bucket.to_string(),
            };
        }
        E::NotFound { .. } => return RemoteError::NotFound { action, url },
        E::AlreadyExists { .. } | E::Precondition { .. } => {
            return RemoteError::AlreadyExists { action, url };
        }
        E::PermissionDenied { .. } | E::Unauthenticated { .. } => {
            return RemoteError::AccessDenied {
                action,
                url,
                detail: status_detail(status, code.as_deref()),
                credentials: cx.credentials.to_string(),
            };
        }
        _ => {}
    }
    if code.as_deref() == Some("NoSuchBucket") {
        return RemoteError::NoSuchBucket {
            action,
            url,
            bucket: cx.bucket.to_string(),
        };
    }
    // Listings and some other calls come as generic errors whatever the status.
    if matches!(status, Some(401 | 403))
        || matches!(
            code.as_deref(),
            Some(
                "InvalidAccessKeyId"
                    | "SignatureDoesNotMatch"
                    | "AccessDenied"
                    | "ExpiredToken"
                    | "InvalidToken"
                    | "NotSignedUp"
            )
        )
    {
        return RemoteError::AccessDenied {
            action,
            url,
            detail: status_detail(status, code.as_deref()),
            credentials: cx.credentials.to_string(),
        };
    }
    if let Some((kind, chain)) = transport_failure(&err) {
        let detail = cx.redactor.clean(&chain);
        let endpoint = cx.endpoint.to_string();
        use object_store::client::HttpErrorKind as K;
        return match kind {
            K::Timeout => RemoteError::Timeout {
                action,
                url,
                endpoint,
                limit: cx.timeout,
                detail,
            },
            K::Connect => RemoteError::Unreachable {
                action,
                url,
                endpoint,
                detail,
            },
            _ => RemoteError::Other {
                action,
                url,
                detail: format!("transport error: {detail}"),
            },
        };
    }
    let detail = if status.is_some() || code.is_some() {
        status_detail(status, code.as_deref())
    } else {
        // Neither a response nor a transport error: configuration or library errors, whose
        // text carries no server body. Keep it (redacted) so the cause is not lost.
        cx.redactor.clean(&text)
    };
    RemoteError::Other {
        action,
        url,
        detail,
    }
}

fn status_detail(status: Option<u16>, code: Option<&str>) -> String {
    match (status, code) {
        (Some(s), Some(c)) => format!("HTTP {s} {c}"),
        (Some(s), None) => format!("HTTP {s}"),
        (None, Some(c)) => c.to_string(),
        (None, None) => "refused".to_string(),
    }
}

/// The `<Code>…</Code>` of an S3 error body quoted in `text`, if it is a plain word.
fn s3_code(text: &str) -> Option<String> {
    let start = text.find("<Code>")? + "<Code>".len();
    let len = text[start..].find("</Code>")?;
    let code = &text[start..start + len];
    (!code.is_empty() && code.len() <= 64 && code.chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| code.to_string())
}

/// The HTTP status quoted by object_store's "Server returned non-2xx status code: 403 …".
fn http_status(text: &str) -> Option<u16> {
    let marker = "status code: ";
    let start = text.find(marker)? + marker.len();
    let digits: String = text[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok().filter(|s| (100..600).contains(s))
}

/// The transport-level failure under `err`, if any: its kind and the chain of messages below
/// the `HttpError` (reqwest, hyper, io), which quote no response body.
fn transport_failure(
    err: &object_store::Error,
) -> Option<(object_store::client::HttpErrorKind, String)> {
    let mut cause: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(current) = cause {
        if let Some(http) = current.downcast_ref::<object_store::client::HttpError>() {
            let mut parts = Vec::new();
            let mut below = http.source();
            while let Some(e) = below {
                let msg = e.to_string();
                if !msg.is_empty() && parts.last() != Some(&msg) {
                    parts.push(msg);
                }
                below = e.source();
            }
            if parts.is_empty() {
                parts.push(http.to_string());
            }
            return Some((http.kind(), parts.join(": ")));
        }
        cause = current.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_s3_code_and_status() {
        let text =
            "Error performing GET http://h/b/k in 1ms - Server returned non-2xx status code: \
                    404 Not Found: <?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code></Error>";
        assert_eq!(s3_code(text).as_deref(), Some("NoSuchBucket"));
        assert_eq!(http_status(text), Some(404));
        assert_eq!(s3_code("<Code>a b</Code>"), None);
        assert_eq!(http_status("nothing"), None);
    }

    #[test]
    fn redactor_removes_secrets() {
        let r = Redactor::new(["AKIAEXAMPLEKEY123".to_string(), "short".to_string()]);
        assert_eq!(r.clean("key AKIAEXAMPLEKEY123 here"), "key [REDACTED] here");
        assert_eq!(r.clean("short stays"), "short stays");
        assert!(!format!("{r:?}").contains("AKIA"));
    }

    #[test]
    fn io_conversion_never_interrupted() {
        let e: std::io::Error = RemoteError::interrupted("upload", "s3://b/k".into()).into();
        assert_ne!(e.kind(), std::io::ErrorKind::Interrupted);
        assert!(RemoteError::from_io(&e).unwrap().is_interrupted());
    }
}
