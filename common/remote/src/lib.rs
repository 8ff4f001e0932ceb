//! S3-compatible object storage behind a blocking API, for backups stored at
//! `s3://bucket/prefix`.
//!
//! ```text
//! Location::parse("s3://bucket/some/prefix") -> Result<Location>     Location::is_remote(text)
//! location.key(name) -> Result<String>     location.url_of(name)     Display: s3://bucket/prefix
//! Store::connect(&Location, &Options) -> Result<Store>               (process environment)
//! Store::connect_with(&Location, &Options, &Environment)             (explicit variables)
//! store.list(prefix) -> Result<Vec<ObjectInfo>>                       all pages, sorted, no markers
//! store.head(name) -> Result<Option<ObjectInfo>>
//! store.get(name) -> Result<ObjectReader>                             ObjectReader: Read + Send
//! store.get_bytes(name) -> Result<Vec<u8>>                            small objects (≤ 64 MiB)
//! store.put_bytes(name, &[u8]) -> Result<()>
//! store.put_if_absent(name, &[u8]) -> Result<bool>                    false: it exists
//! store.delete(name) -> Result<()>                                    missing is fine
//! store.upload(name) -> Result<Upload>                                Upload: Write + Send
//! upload.finish() -> Result<ObjectInfo>    upload.abort() -> Result<()>    drop = abort
//! store.abort_stale_uploads(max_age) -> Result<Vec<String>>
//! ```
//!
//! Every method blocks the calling thread; the store runs its own two-thread tokio runtime,
//! so it must not be called from inside an async runtime.
//!
//! # Configuration
//!
//! Read from the environment and the AWS shared files, never from a command line (it would
//! show the keys in `ps`). The environment wins over the files.
//!
//! | what | variables, in order | profile key |
//! | --- | --- | --- |
//! | credentials | `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`) | `aws_access_key_id`, `aws_secret_access_key`, `aws_session_token` (credentials file, then config file) |
//! | profile | `AWS_PROFILE` (or `AWS_DEFAULT_PROFILE`), else `default` | `[name]` in credentials, `[profile name]` / `[default]` in config |
//! | files | `AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`, else `~/.aws/credentials`, `~/.aws/config` | |
//! | region | `AWS_REGION`, `AWS_DEFAULT_REGION`, else `us-east-1` | `region` |
//! | endpoint | `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL` (`AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` ignores all) | `s3 =` / `endpoint_url`, then `endpoint_url` |
//! | addressing | `AWS_VIRTUAL_HOSTED_STYLE_REQUEST=true|false`; default: path-style with an endpoint, virtual-hosted on AWS | `s3 =` / `addressing_style` |
//! | plain http | only with `AWS_ALLOW_HTTP=true`; an `http://` endpoint without it is refused | |
//! | CA bundle | `AWS_CA_BUNDLE` (PEM), added to the system roots | `ca_bundle` |
//!
//! Not consulted: EC2/ECS instance roles, web identity, SSO, `credential_process` and
//! `role_arn` profiles (a profile using them gets an error saying so), proxies. Missing
//! credentials are an error that lists where they were looked for; nothing is tried on the
//! network (object_store would otherwise fall back to the EC2 metadata address).
//!
//! # Bounded waiting
//!
//! [`Options`]: each HTTP request is bounded by `timeout` (connect included) and
//! `connect_timeout`, retried at most `retries` times; `stop` is polled every 100 ms in every
//! blocking call and makes it return [`RemoteError::Interrupted`] at once.
//!
//! # Memory
//!
//! [`Store::get`] reads 8 MiB ranges, one ahead (≤ ~24 MiB buffered). [`Upload`] sends 16 MiB
//! parts, two in flight while the third fills (≤ ~48 MiB buffered); objects up to 156 GiB.
//!
//! # Killed uploads
//!
//! Each multipart upload is recorded in a marker `<prefix>/.uploads/<name>.<upload-id>`
//! before its first part (see [`upload`]); [`Store::abort_stale_uploads`] aborts the upload of
//! every marker whose owner is certainly gone (same host and boot: pid not running or reused;
//! a reboot; this process, no longer uploading it) or whose marker was not refreshed for
//! `max_age` (running uploads rewrite it every 5 minutes; [`upload::STALE_UPLOAD_AGE`], one
//! hour, is a safe age). Markers never appear in [`Store::list`].
//!
//! # Errors
//!
//! [`RemoteError`] names the action and the `s3://` URL; it never holds a key, token or the
//! server's error body (which echoes the access key id), only the status and S3 error code.
//! See [`RemoteError::is_not_found`] and its siblings.

mod client;
mod config;
mod error;
mod location;
mod lock;
mod reader;
mod store;
pub mod upload;

pub use client::{ObjectInfo, Options};
pub use config::Environment;
pub use error::RemoteError;
pub use location::{check_name, Location};
pub use lock::{Held, ObjectLock};
pub use reader::{ObjectReader, READ_CHUNK};
pub use store::{Store, GET_BYTES_LIMIT};
pub use upload::Upload;
