//! The S3 client and the runtime it runs on: configuration into an `object_store` client, and
//! the one place that blocks on a future (bounded by the stop function) and classifies its
//! error. [`crate::Store`], [`crate::ObjectReader`] and [`crate::Upload`] are built on it.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::{BackoffConfig, ClientOptions, ObjectMeta, ObjectStore, RetryConfig};

use crate::config::{self, Environment, Settings};
use crate::error::{classify, Context, Redactor, RemoteError};
use crate::location::{printable, Location};

/// How long to wait for the server and when to give up.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Longest time one HTTP request may take, from connecting to the end of the response
    /// (default 60 s). Parts are 16 MiB, so this also sets the slowest link an upload
    /// survives (16 MiB / 60 s ≈ 280 KB/s).
    pub timeout: Duration,
    /// Longest time to establish a connection (default 10 s).
    pub connect_timeout: Duration,
    /// How often a failed request is retried (default 3): 5xx answers, connection errors, and
    /// time-outs of requests that are safe to repeat, with exponential back-off. A blocking
    /// call therefore returns within about `timeout × (retries + 1)` plus the back-off
    /// (0.1 s, 0.2 s, 0.4 s, … up to 15 s), whatever the server does.
    pub retries: usize,
    /// Polled every 100 ms during every blocking call; when it returns true the call stops
    /// waiting and returns [`RemoteError::Interrupted`] (the request in flight is dropped).
    /// Typically reads an `AtomicBool` set by a signal handler.
    pub stop: Option<fn() -> bool>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            retries: 3,
            stop: None,
        }
    }
}

/// How often the stop function is polled.
pub(crate) const STOP_POLL: Duration = Duration::from_millis(100);

/// An object as listed: its name relative to the location, size and time of last change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectInfo {
    /// The name relative to the store's location (what [`Store::get`] takes).
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// When the server last stored it (server clock).
    pub last_modified: DateTime<Utc>,
    /// The entity tag, when the server gave one (HEAD and uploads do; listings do not).
    pub e_tag: Option<String>,
}

pub(crate) struct Inner {
    pub s3: Arc<AmazonS3>,
    /// Always `Some` until dropped; taken by `Drop` to shut it down without blocking.
    rt: Option<tokio::runtime::Runtime>,
    pub location: Location,
    pub options: Options,
    pub errors: ErrorCx,
    pub region: String,
    /// Set once a listing showed the bucket exists; lets a 404 on HEAD mean "no such object".
    pub bucket_seen: AtomicBool,
}

/// What error classification needs, cloneable into background tasks.
#[derive(Clone, Debug)]
pub(crate) struct ErrorCx {
    pub bucket: String,
    pub endpoint: String,
    pub credentials: String,
    pub timeout: Duration,
    pub redactor: Redactor,
}

impl ErrorCx {
    pub(crate) fn classify(
        &self,
        err: object_store::Error,
        action: &'static str,
        url: String,
    ) -> RemoteError {
        classify(
            err,
            Context {
                action,
                url,
                bucket: &self.bucket,
                endpoint: &self.endpoint,
                credentials: &self.credentials,
                timeout: self.timeout,
                redactor: &self.redactor,
            },
        )
    }
}

impl Inner {
    /// The runtime the client's futures run on.
    pub(crate) fn rt(&self) -> &tokio::runtime::Runtime {
        match &self.rt {
            Some(rt) => rt,
            None => unreachable!("the runtime is only taken when the store is dropped"),
        }
    }

    pub(crate) fn connect(
        location: &Location,
        options: &Options,
        env: &Environment,
    ) -> Result<Inner, RemoteError> {
        let config_err = |message: String| RemoteError::Config {
            location: location.to_string(),
            message,
        };
        let settings = config::resolve(env).map_err(config_err)?;
        // reqwest is built without a default crypto provider (it would panic building the
        // client); the workspace's rustls uses ring. An error means some provider is installed
        // already, which is just as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let (s3, endpoint) = build_client(location, options, &settings).map_err(config_err)?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("remote-io")
            .enable_all()
            .build()
            .map_err(|e| config_err(format!("cannot start the I/O runtime: {e}")))?;
        let mut secrets = vec![
            settings.access_key_id.expose().to_string(),
            settings.secret_access_key.expose().to_string(),
        ];
        if let Some(token) = &settings.session_token {
            secrets.push(token.expose().to_string());
        }
        Ok(Inner {
            s3: Arc::new(s3),
            rt: Some(rt),
            location: location.clone(),
            options: *options,
            errors: ErrorCx {
                bucket: location.bucket().to_string(),
                endpoint,
                credentials: settings.credentials_source.clone(),
                timeout: options.timeout,
                redactor: Redactor::new(secrets),
            },
            region: settings.region.clone(),
            bucket_seen: AtomicBool::new(false),
        })
    }

    pub(crate) fn path(&self, name: &str) -> Result<Path, RemoteError> {
        let key = self.location.key(name)?;
        Path::parse(&key).map_err(|_| RemoteError::InvalidName {
            location: self.location.to_string(),
            name: printable(name),
            reason: "not a valid object key".to_string(),
        })
    }

    /// Runs `fut` on the runtime until it ends or the stop function says stop (`None`).
    pub(crate) fn wait<F: Future>(&self, fut: F) -> Result<F::Output, Waited> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Waited::InAsync);
        }
        let stop = self.options.stop;
        self.rt().block_on(async move {
            let Some(stop) = stop else {
                return Ok(fut.await);
            };
            if stop() {
                return Err(Waited::Stopped);
            }
            let mut fut = std::pin::pin!(fut);
            let mut tick = tokio::time::interval(STOP_POLL);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
            loop {
                tokio::select! {
                    biased;
                    out = &mut fut => return Ok(out),
                    _ = tick.tick() => if stop() { return Err(Waited::Stopped) },
                }
            }
        })
    }

    /// [`Inner::wait`] for one store call, its error classified.
    pub(crate) fn call<T, F>(
        &self,
        action: &'static str,
        url: String,
        fut: F,
    ) -> Result<T, RemoteError>
    where
        F: Future<Output = object_store::Result<T>>,
    {
        match self.wait(fut) {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(err)) => Err(self.errors.classify(err, action, url)),
            Err(waited) => Err(waited.into_error(action, url)),
        }
    }

    pub(crate) fn stopped(&self) -> bool {
        self.options.stop.is_some_and(|stop| stop())
    }

    /// After a 404 without a body: is it the bucket that is missing? One short listing,
    /// remembered once it succeeded.
    pub(crate) fn check_bucket(&self, action: &'static str, url: &str) -> Result<(), RemoteError> {
        if self.bucket_seen.load(Ordering::Relaxed) {
            return Ok(());
        }
        let s3 = Arc::clone(&self.s3);
        // Under the location's prefix: a policy may allow listing only there.
        let prefix = match self.location.prefix() {
            "" => None,
            p => Path::parse(p).ok(),
        };
        let probe = async move {
            match s3.list(prefix.as_ref()).next().await {
                Some(Err(e)) => Err(e),
                _ => Ok(()),
            }
        };
        self.call(action, url.to_string(), probe)?;
        self.bucket_seen.store(true, Ordering::Relaxed);
        Ok(())
    }
}

impl Drop for Inner {
    /// Shuts the runtime down without waiting for its tasks (they are aborted uploads and
    /// prefetches by then), which is also allowed inside another runtime's async context,
    /// where dropping a runtime would panic.
    fn drop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

/// Why [`Inner::wait`] did not wait.
pub(crate) enum Waited {
    Stopped,
    InAsync,
}

impl Waited {
    pub(crate) fn into_error(self, action: &'static str, url: String) -> RemoteError {
        match self {
            Waited::Stopped => RemoteError::interrupted(action, url),
            Waited::InAsync => RemoteError::Other {
                action,
                url,
                detail: "the blocking object store API was called from inside an async runtime"
                    .to_string(),
            },
        }
    }
}

/// Every object under `folder_key` (all pages).
pub(crate) fn list_all(
    inner: &Inner,
    folder_key: &str,
    action: &'static str,
    url: &str,
) -> Result<Vec<ObjectMeta>, RemoteError> {
    let s3 = Arc::clone(&inner.s3);
    let folder = if folder_key.is_empty() {
        None
    } else {
        Some(
            Path::parse(folder_key).map_err(|_| RemoteError::InvalidLocation {
                url: url.to_string(),
                reason: "not a valid key prefix".to_string(),
            })?,
        )
    };
    inner.call(action, url.to_string(), async move {
        let mut stream = s3.list(folder.as_ref());
        let mut all = Vec::new();
        while let Some(meta) = stream.next().await {
            all.push(meta?);
        }
        Ok(all)
    })
}

pub(crate) fn object_info(location: &Location, meta: ObjectMeta) -> Option<ObjectInfo> {
    let name = location.name_of(meta.location.as_ref())?.to_string();
    Some(ObjectInfo {
        name,
        size: meta.size,
        last_modified: meta.last_modified,
        e_tag: meta.e_tag,
    })
}

/// Builds the S3 client; returns it with the endpoint for messages.
fn build_client(
    location: &Location,
    options: &Options,
    settings: &Settings,
) -> Result<(AmazonS3, String), String> {
    // All client settings in one ClientOptions: `with_client_options` replaces the whole set,
    // so an allow_http given to the builder before it would be lost.
    let mut client = ClientOptions::new()
        .with_timeout(options.timeout)
        .with_connect_timeout(options.connect_timeout)
        .with_allow_http(settings.allow_http);
    if let Some(path) = &settings.ca_bundle {
        let pem = std::fs::read(path)
            .map_err(|e| format!("cannot read AWS_CA_BUNDLE {}: {e}", path.display()))?;
        let certs = object_store::Certificate::from_pem_bundle(&pem).map_err(|_| {
            format!(
                "AWS_CA_BUNDLE {} holds no valid PEM certificate",
                path.display()
            )
        })?;
        for cert in certs {
            client = client.with_root_certificate(cert);
        }
    }
    let retry = RetryConfig {
        backoff: BackoffConfig::default(),
        max_retries: options.retries,
        retry_timeout: options.timeout,
    };

    let mut builder = AmazonS3Builder::new()
        .with_bucket_name(location.bucket())
        .with_region(&settings.region)
        .with_access_key_id(settings.access_key_id.expose())
        .with_secret_access_key(settings.secret_access_key.expose())
        .with_virtual_hosted_style_request(settings.virtual_hosted)
        .with_retry(retry)
        .with_client_options(client);
    if let Some(token) = &settings.session_token {
        builder = builder.with_token(token.expose());
    }
    let endpoint_shown = match &settings.endpoint {
        Some(endpoint) => {
            // object_store takes a virtual-hosted endpoint with the bucket already in the host;
            // the AWS convention is an endpoint without it.
            let url = if settings.virtual_hosted {
                with_bucket_host(endpoint, location.bucket())
            } else {
                endpoint.clone()
            };
            builder = builder.with_endpoint(url);
            config::endpoint_for_messages(endpoint)
        }
        None if settings.virtual_hosted => format!(
            "https://{}.s3.{}.amazonaws.com",
            location.bucket(),
            settings.region
        ),
        None => format!("https://s3.{}.amazonaws.com", settings.region),
    };
    let s3 = builder.build().map_err(|e| {
        format!(
            "cannot set up the S3 client: {}",
            redact_config_error(&e.to_string(), settings)
        )
    })?;
    Ok((s3, endpoint_shown))
}

fn redact_config_error(text: &str, settings: &Settings) -> String {
    let mut secrets = vec![
        settings.access_key_id.expose().to_string(),
        settings.secret_access_key.expose().to_string(),
    ];
    if let Some(t) = &settings.session_token {
        secrets.push(t.expose().to_string());
    }
    Redactor::new(secrets).clean(text)
}

/// `https://host:port/path` → `https://bucket.host:port/path`.
fn with_bucket_host(endpoint: &str, bucket: &str) -> String {
    match endpoint.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{bucket}.{rest}"),
        None => format!("{bucket}.{endpoint}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_hosted_endpoint_gets_the_bucket_in_the_host() {
        assert_eq!(
            with_bucket_host("https://minio.example:9000", "b"),
            "https://b.minio.example:9000"
        );
    }
}
