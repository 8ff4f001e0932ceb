//! Where the endpoint, region and credentials come from: the standard AWS environment
//! variables, then the shared `credentials` and `config` files of the selected profile.
//! Never from a command line.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The variables the store reads, as a map, so callers and tests can give an explicit set.
///
/// [`Environment::from_process`] is what [`crate::Store::connect`] uses. Only `HOME` and names
/// starting with `AWS_` are ever looked at. `Debug` prints the names, never the values.
#[derive(Clone, Default)]
pub struct Environment {
    vars: HashMap<String, String>,
}

impl Environment {
    /// The current process's `HOME` and `AWS_*` variables (non-UTF-8 values are ignored).
    pub fn from_process() -> Environment {
        Environment::from_vars(
            std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))),
        )
    }

    /// An explicit set of variables (for tests, or a caller with its own configuration).
    pub fn from_vars<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Environment {
        let vars = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .filter(|(k, _)| k == "HOME" || k.starts_with("AWS_"))
            .collect();
        Environment { vars }
    }

    /// A copy with one more variable (or a new value for it).
    pub fn with(mut self, name: &str, value: &str) -> Environment {
        self.vars.insert(name.to_string(), value.to_string());
        self
    }

    /// A copy without the variable.
    pub fn without(mut self, name: &str) -> Environment {
        self.vars.remove(name);
        self
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&String> = self.vars.keys().collect();
        names.sort();
        f.debug_struct("Environment")
            .field("names", &names)
            .finish()
    }
}

/// A secret string: never printed, not even by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

/// Everything resolved from the environment and the profile files.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// The endpoint URL, `None` for AWS itself.
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: Secret,
    pub secret_access_key: Secret,
    pub session_token: Option<Secret>,
    pub allow_http: bool,
    pub virtual_hosted: bool,
    pub ca_bundle: Option<PathBuf>,
    /// Where the credentials came from, for messages ("AWS_ACCESS_KEY_ID", "profile x in …").
    pub credentials_source: String,
}

/// The files and profile consulted, for messages.
struct Profiles {
    name: String,
    explicit: bool,
    credentials_file: Option<PathBuf>,
    config_file: Option<PathBuf>,
    /// Keys of the profile in the credentials file.
    credentials: Option<HashMap<String, String>>,
    /// Keys of the profile in the config file.
    config: Option<HashMap<String, String>>,
}

impl Profiles {
    fn get(&self, key: &str) -> Option<(&str, &Path)> {
        fn from<'a>(
            section: &'a Option<HashMap<String, String>>,
            file: &'a Option<PathBuf>,
            key: &str,
        ) -> Option<(&'a str, &'a Path)> {
            let value = section.as_ref()?.get(key)?;
            Some((value.as_str(), file.as_deref()?))
        }
        from(&self.credentials, &self.credentials_file, key)
            .or_else(|| from(&self.config, &self.config_file, key))
    }

    fn config_get(&self, key: &str) -> Option<&str> {
        self.config
            .as_ref()?
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn where_looked(&self) -> String {
        let file = |p: &Option<PathBuf>, what: &str| match p {
            Some(p) => p.display().to_string(),
            None => format!("no {what} file (HOME unset)"),
        };
        format!(
            "the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), then profile '{}' in {} and {}",
            self.name,
            file(&self.credentials_file, "credentials"),
            file(&self.config_file, "config")
        )
    }
}

/// Resolves the settings; errors are plain messages (the caller adds the location).
pub(crate) fn resolve(env: &Environment) -> Result<Settings, String> {
    let profiles = load_profiles(env)?;

    // Credentials: the environment wins over the profile files.
    let (access_key_id, secret_access_key, session_token, credentials_source) = match (
        env.get("AWS_ACCESS_KEY_ID"),
        env.get("AWS_SECRET_ACCESS_KEY"),
    ) {
        (Some(id), Some(secret)) => (
            id.to_string(),
            secret.to_string(),
            env.get("AWS_SESSION_TOKEN")
                .or(env.get("AWS_SECURITY_TOKEN"))
                .map(str::to_string),
            "the environment (AWS_ACCESS_KEY_ID)".to_string(),
        ),
        (Some(_), None) => {
            return Err("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not".to_string())
        }
        (None, Some(_)) => {
            return Err("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not".to_string())
        }
        (None, None) => match (
            profiles.get("aws_access_key_id"),
            profiles.get("aws_secret_access_key"),
        ) {
            (Some((id, file)), Some((secret, _))) => (
                id.to_string(),
                secret.to_string(),
                profiles
                    .get("aws_session_token")
                    .map(|(t, _)| t.to_string()),
                format!("profile '{}' in {}", profiles.name, file.display()),
            ),
            (Some((_, file)), None) | (None, Some((_, file))) => {
                return Err(format!(
                "profile '{}' in {} has only one of aws_access_key_id and aws_secret_access_key",
                profiles.name,
                file.display()
            ))
            }
            (None, None) => {
                let unsupported = [
                    "role_arn",
                    "credential_process",
                    "sso_session",
                    "sso_start_url",
                    "web_identity_token_file",
                    "credential_source",
                ]
                .into_iter()
                .find(|k| profiles.get(k).is_some());
                let hint = match unsupported {
                        Some(key) => format!(
                            "; profile '{}' uses {key}, which is not supported: give static keys (or temporary keys with AWS_SESSION_TOKEN)",
                            profiles.name
                        ),
                        None => String::new(),
                    };
                return Err(format!(
                    "no credentials found; looked in {}{hint}",
                    profiles.where_looked()
                ));
            }
        },
    };

    let region = env
        .get("AWS_REGION")
        .or(env.get("AWS_DEFAULT_REGION"))
        .map(str::to_string)
        .or_else(|| profiles.config_get("region").map(str::to_string))
        .or_else(|| profiles.get("region").map(|(r, _)| r.to_string()))
        .unwrap_or_else(|| "us-east-1".to_string());

    let ignore_configured =
        parse_bool(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")?.unwrap_or(false);
    let endpoint = if ignore_configured {
        None
    } else {
        env.get("AWS_ENDPOINT_URL_S3")
            .or(env.get("AWS_ENDPOINT_URL"))
            .map(|e| (e.to_string(), "AWS_ENDPOINT_URL"))
            .or_else(|| {
                profiles
                    .config_get("s3.endpoint_url")
                    .map(|e| (e.to_string(), "endpoint_url of the profile"))
            })
            .or_else(|| {
                profiles
                    .config_get("endpoint_url")
                    .map(|e| (e.to_string(), "endpoint_url of the profile"))
            })
    };
    let allow_http = parse_bool(env, "AWS_ALLOW_HTTP")?.unwrap_or(false);
    let endpoint = match endpoint {
        None => None,
        Some((url, from)) => {
            let url = url.trim_end_matches('/').to_string();
            let lower = url.to_ascii_lowercase();
            if lower.starts_with("http://") {
                if !allow_http {
                    return Err(format!(
                        "the endpoint from {from} is plain http ({}); set AWS_ALLOW_HTTP=true to allow unencrypted connections",
                        endpoint_for_messages(&url)
                    ));
                }
            } else if !lower.starts_with("https://") {
                return Err(format!("the endpoint from {from} is not an http(s) URL"));
            }
            if url.contains('@') {
                return Err(format!("the endpoint from {from} must not hold user or password (use the credential variables)"));
            }
            Some(url)
        }
    };

    let virtual_hosted = match parse_bool(env, "AWS_VIRTUAL_HOSTED_STYLE_REQUEST")? {
        Some(v) => v,
        None => match profiles.config_get("s3.addressing_style") {
            Some("virtual") => true,
            Some("path") => false,
            // AWS itself: virtual-hosted, its default; any other endpoint: path-style, which
            // every S3-compatible server understands without wildcard DNS.
            _ => endpoint.is_none(),
        },
    };

    let ca_bundle = env
        .get("AWS_CA_BUNDLE")
        .map(PathBuf::from)
        .or_else(|| profiles.config_get("ca_bundle").map(PathBuf::from));

    Ok(Settings {
        endpoint,
        region,
        access_key_id: Secret(access_key_id),
        secret_access_key: Secret(secret_access_key),
        session_token: session_token.map(Secret),
        allow_http,
        virtual_hosted,
        ca_bundle,
        credentials_source,
    })
}

/// Scheme, host and port of an endpoint, for messages (no path, no query).
pub(crate) fn endpoint_for_messages(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    format!("{scheme}://{host}")
}

fn parse_bool(env: &Environment, name: &str) -> Result<Option<bool>, String> {
    match env.get(name) {
        None => Ok(None),
        Some(v) => match v.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(Some(true)),
            "false" | "0" | "no" | "off" => Ok(Some(false)),
            _ => Err(format!("{name} must be true or false")),
        },
    }
}

fn load_profiles(env: &Environment) -> Result<Profiles, String> {
    let (name, explicit) = match env.get("AWS_PROFILE").or(env.get("AWS_DEFAULT_PROFILE")) {
        Some(p) => (p.to_string(), true),
        None => ("default".to_string(), false),
    };
    let home = env.get("HOME").map(PathBuf::from);
    let credentials_file = env
        .get("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".aws/credentials")));
    let config_file = env
        .get("AWS_CONFIG_FILE")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".aws/config")));

    let credentials = match &credentials_file {
        Some(path) => read_ini(path)?.map(|sections| find_section(sections, &name, false)),
        None => None,
    }
    .flatten();
    let config = match &config_file {
        Some(path) => read_ini(path)?.map(|sections| find_section(sections, &name, true)),
        None => None,
    }
    .flatten();

    let profiles = Profiles {
        name,
        explicit,
        credentials_file,
        config_file,
        credentials,
        config,
    };
    if profiles.explicit && profiles.credentials.is_none() && profiles.config.is_none() {
        let file = |p: &Option<PathBuf>| {
            p.as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "(HOME unset)".into())
        };
        return Err(format!(
            "AWS_PROFILE names profile '{}', which is in neither {} nor {}",
            profiles.name,
            file(&profiles.credentials_file),
            file(&profiles.config_file)
        ));
    }
    Ok(profiles)
}

type Sections = HashMap<String, HashMap<String, String>>;

/// Reads an AWS INI file; `None` when it does not exist. Errors name the file and a line
/// number, never a line (it may hold a key).
fn read_ini(path: &Path) -> Result<Option<Sections>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    parse_ini(&text)
        .map(Some)
        .map_err(|line| format!("cannot parse {} at line {line}", path.display()))
}

/// Parses the INI dialect of the AWS CLI: `[section]`, `key = value`, full-line `#`/`;`
/// comments, and nested blocks (`s3 =` followed by indented `key = value` lines, stored as
/// `s3.key`). Values are taken whole: the AWS CLI has no inline comments either.
fn parse_ini(text: &str) -> Result<Sections, usize> {
    let mut sections: Sections = HashMap::new();
    let mut current: Option<String> = None;
    let mut parent: Option<String> = None;
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let indented = raw.starts_with([' ', '\t']);
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if line.starts_with('[') {
            let name = line
                .strip_prefix('[')
                .and_then(|l| l.strip_suffix(']'))
                .ok_or(line_no)?;
            let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
            sections.entry(name.clone()).or_default();
            current = Some(name);
            parent = None;
            continue;
        }
        let (key, value) = line.split_once('=').ok_or(line_no)?;
        let key = key.trim().to_ascii_lowercase();
        let value = value.trim().to_string();
        let Some(section) = current.as_ref() else {
            return Err(line_no);
        };
        let entries = sections.entry(section.clone()).or_default();
        match (&parent, indented) {
            (Some(p), true) => {
                entries.insert(format!("{p}.{key}"), value);
            }
            _ => {
                parent = value.is_empty().then(|| key.clone());
                entries.insert(key, value);
            }
        }
    }
    Ok(sections)
}

/// The profile's section: `[name]` in the credentials file; `[profile name]` (or `[default]`)
/// in the config file.
fn find_section(
    mut sections: Sections,
    name: &str,
    config: bool,
) -> Option<HashMap<String, String>> {
    if config {
        sections.remove(&format!("profile {name}")).or_else(|| {
            if name == "default" {
                sections.remove("default")
            } else {
                None
            }
        })
    } else {
        sections.remove(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> Environment {
        Environment::from_vars(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn environment_credentials_win() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".aws")).unwrap();
        std::fs::write(
            dir.path().join(".aws/credentials"),
            "[default]\naws_access_key_id = FROMFILE\naws_secret_access_key = filesecret\n",
        )
        .unwrap();
        let home = dir.path().to_str().unwrap();
        let s = resolve(&env(&[
            ("HOME", home),
            ("AWS_ACCESS_KEY_ID", "ENVKEY"),
            ("AWS_SECRET_ACCESS_KEY", "envsecret"),
        ]))
        .unwrap();
        assert_eq!(s.access_key_id.expose(), "ENVKEY");
        let s = resolve(&env(&[("HOME", home)])).unwrap();
        assert_eq!(s.access_key_id.expose(), "FROMFILE");
        assert!(
            s.credentials_source.contains("profile 'default'"),
            "{}",
            s.credentials_source
        );
        assert_eq!(s.region, "us-east-1");
        assert!(s.endpoint.is_none());
        assert!(s.virtual_hosted);
    }

    #[test]
    fn profile_sections_region_and_endpoint_from_config() {
        let dir = tempfile::tempdir().unwrap();
        let aws = dir.path().join(".aws");
        std::fs::create_dir_all(&aws).unwrap();
        std::fs::write(
            aws.join("credentials"),
            "# comment\n[default]\naws_access_key_id=D\naws_secret_access_key=d\n\n[work]\naws_access_key_id = W\naws_secret_access_key = w+/=\naws_session_token = tok\n",
        )
        .unwrap();
        std::fs::write(
            aws.join("config"),
            "[default]\nregion = eu-west-1\n[profile work]\nregion = eu-central-1\ns3 =\n  endpoint_url = https://minio.example:9000/\n  addressing_style = virtual\n[sso-session x]\nsso_region = us-east-1\n",
        )
        .unwrap();
        let home = dir.path().to_str().unwrap();
        let s = resolve(&env(&[("HOME", home), ("AWS_PROFILE", "work")])).unwrap();
        assert_eq!(s.access_key_id.expose(), "W");
        assert_eq!(s.secret_access_key.expose(), "w+/=");
        assert_eq!(s.session_token.as_ref().unwrap().expose(), "tok");
        assert_eq!(s.region, "eu-central-1");
        assert_eq!(s.endpoint.as_deref(), Some("https://minio.example:9000"));
        assert!(s.virtual_hosted);
        let s = resolve(&env(&[("HOME", home)])).unwrap();
        assert_eq!(s.region, "eu-west-1");
        // The environment overrides the profile's region and endpoint.
        let s = resolve(&env(&[
            ("HOME", home),
            ("AWS_PROFILE", "work"),
            ("AWS_REGION", "ap-south-1"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:9"),
            ("AWS_ALLOW_HTTP", "true"),
            ("AWS_VIRTUAL_HOSTED_STYLE_REQUEST", "false"),
        ]))
        .unwrap();
        assert_eq!(s.region, "ap-south-1");
        assert_eq!(s.endpoint.as_deref(), Some("http://127.0.0.1:9"));
        assert!(!s.virtual_hosted);
        // Explicit files.
        let s = resolve(&env(&[
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                aws.join("credentials").to_str().unwrap(),
            ),
            ("AWS_CONFIG_FILE", aws.join("config").to_str().unwrap()),
        ]))
        .unwrap();
        assert_eq!(s.access_key_id.expose(), "D");
    }

    #[test]
    fn missing_credentials_say_where_they_were_looked_for() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().to_str().unwrap();
        let err = resolve(&env(&[("HOME", home)])).unwrap_err();
        assert!(
            err.contains("AWS_ACCESS_KEY_ID")
                && err.contains(".aws/credentials")
                && err.contains(".aws/config"),
            "{err}"
        );
        let err = resolve(&env(&[("HOME", home), ("AWS_PROFILE", "nope")])).unwrap_err();
        assert!(err.contains("'nope'"), "{err}");
        let err = resolve(&env(&[("AWS_ACCESS_KEY_ID", "x")])).unwrap_err();
        assert!(err.contains("AWS_SECRET_ACCESS_KEY is not"), "{err}");
    }

    #[test]
    fn plain_http_needs_allow_http() {
        let base = [
            ("AWS_ACCESS_KEY_ID", "k"),
            ("AWS_SECRET_ACCESS_KEY", "s"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:9000"),
        ];
        let err = resolve(&env(&base)).unwrap_err();
        assert!(err.contains("AWS_ALLOW_HTTP=true"), "{err}");
        let mut vars = base.to_vec();
        vars.push(("AWS_ALLOW_HTTP", "true"));
        let s = resolve(&env(&vars)).unwrap();
        assert!(!s.virtual_hosted, "custom endpoints use path-style");
        vars.push(("AWS_ENDPOINT_URL_S3", "https://s3.example"));
        assert_eq!(
            resolve(&env(&vars)).unwrap().endpoint.as_deref(),
            Some("https://s3.example")
        );
        vars.push(("AWS_ALLOW_HTTP", "maybe"));
        assert!(resolve(&env(&vars))
            .unwrap_err()
            .contains("AWS_ALLOW_HTTP must be"));
    }

    #[test]
    fn ini_errors_name_the_line_not_its_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        std::fs::write(&path, "[default]\nAKIASECRETLINE\n").unwrap();
        let err = read_ini(&path).unwrap_err();
        assert!(err.contains("line 2"), "{err}");
        assert!(!err.contains("AKIASECRETLINE"), "{err}");
    }

    #[test]
    fn secrets_do_not_show_in_debug() {
        let s = resolve(&env(&[
            ("AWS_ACCESS_KEY_ID", "AKIAVISIBLE1"),
            ("AWS_SECRET_ACCESS_KEY", "hidden-secret-value"),
            ("AWS_SESSION_TOKEN", "token-value-123"),
        ]))
        .unwrap();
        let text = format!("{s:?}");
        assert!(
            !text.contains("AKIAVISIBLE1")
                && !text.contains("hidden-secret-value")
                && !text.contains("token-value-123"),
            "{text}"
        );
        let e = env(&[("AWS_SECRET_ACCESS_KEY", "hidden-secret-value")]);
        assert!(!format!("{e:?}").contains("hidden"));
    }
}
