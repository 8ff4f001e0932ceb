//! The admin connection: a blocking tokio-postgres session for the statements that need answers
//! (catalog queries, counts, create/rename/drop). Its errors carry what the server said, with
//! row data taken out ([`crate::engine::sanitize`]).

use std::time::Duration;

use crate::engine::conn::libpq::DEFAULT_CONNECT_TIMEOUT;
use crate::engine::conn::PgConn;
use crate::engine::sanitize;
use crate::error::{Error, Result, ServerError};

/// How long an admin statement waits for a lock before it fails (`lock_timeout`): a rename or drop
/// queued behind a long transaction would otherwise block every session after it.
pub const ADMIN_LOCK_TIMEOUT: Duration = Duration::from_secs(30);

/// The size of the pieces COPY data is sent in.
pub const COPY_CHUNK: usize = 64 * 1024;

/// How often a blocking call looks at the interrupt flag.
const POLL: Duration = Duration::from_millis(100);

/// How long a statement cancelled by a stop may take to answer before the run gives up on it: a
/// server that answers at all answers a cancel at once; one that stopped answering (frozen, cut
/// off) is left, so that a stop ends the run within seconds.
const CANCEL_GRACE: Duration = Duration::from_secs(4);

/// How long a clean-up statement sent after a stop may take (beyond the admin lock timeout).
const CLEANUP_LIMIT: Duration = Duration::from_secs(40);

/// A blocking admin connection over tokio-postgres, on a private single-threaded runtime.
///
/// Every call can be interrupted (Ctrl-C, SIGTERM): it returns [`Error::Interrupted`] within a
/// fraction of a second, whatever the server does, and the session is closed when dropped.
pub struct PgAdmin {
    rt: tokio::runtime::Runtime,
    client: tokio_postgres::Client,
    conn: PgConn,
}

impl PgAdmin {
    /// Connects; the error names the redacted URL, says why, and where the password came from.
    /// The whole handshake is bounded by the connection's `connect_timeout` (default 15 s), so a
    /// server that accepts and never answers is an error, not a hang.
    pub fn connect(conn: &PgConn) -> Result<PgAdmin> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::io("cannot start the async runtime", e))?;
        let mut cfg = driver_config(conn);
        let limit = connect_timeout(conn);
        let timed_out = || Error::Postgres {
            context: format!("cannot connect to {}", conn.redacted()),
            source: Some(ServerError {
                code: None,
                message: format!("no answer within {}s (connect_timeout)", limit.as_secs()),
            }),
        };
        let client = match crate::engine::tls::choose(conn)? {
            crate::engine::tls::TlsChoice::Off => {
                cfg.ssl_mode(tokio_postgres::config::SslMode::Disable);
                let (client, connection) =
                    wait(&rt, Some(limit), cfg.connect(tokio_postgres::NoTls))
                        .map_err(|w| w.into_error(timed_out))?
                        .map_err(|e| connect_error(conn, &e))?;
                rt.spawn(async move {
                    let _ = connection.await;
                });
                client
            }
            crate::engine::tls::TlsChoice::On(tls, mode) => {
                cfg.ssl_mode(mode);
                let (client, connection) = wait(&rt, Some(limit), cfg.connect(tls))
                    .map_err(|w| w.into_error(timed_out))?
                    .map_err(|e| connect_error(conn, &e))?;
                rt.spawn(async move {
                    let _ = connection.await;
                });
                client
            }
        };
        Ok(PgAdmin {
            rt,
            client,
            conn: conn.clone(),
        })
    }

    /// Connects to a maintenance database of the server (`postgres`, else `template1`), for
    /// statements about databases (create, rename, drop).
    pub fn connect_maintenance(conn: &PgConn) -> Result<PgAdmin> {
        match PgAdmin::connect(&conn.with_dbname("postgres")) {
            Ok(a) => Ok(a),
            Err(first) => PgAdmin::connect(&conn.with_dbname("template1")).map_err(|_| first),
        }
    }

    /// The connection this admin session uses.
    pub fn conn(&self) -> &PgConn {
        &self.conn
    }

    /// Runs a driver call to its end, or until the run is interrupted.
    ///
    /// After a stop was requested no statement is sent. A stop during a statement cancels it on
    /// the server and waits for its answer, so the result is the truth: a statement that
    /// finished anyway (a COMMIT that was already done) returns its result, one that was
    /// cancelled returns [`Error::Interrupted`], and the next call is not sent.
    fn run<T>(
        &self,
        fut: impl std::future::Future<Output = Result<T, tokio_postgres::Error>>,
    ) -> Result<T> {
        if crate::interrupt::requested() {
            return Err(Error::interrupted("the database was left as it was"));
        }
        self.run_to_end(fut)
    }

    /// Like [`PgAdmin::run`], but sent even after a stop was requested: for the statements
    /// that clean up (ROLLBACK, dropping what the run built).
    fn run_to_end<T>(
        &self,
        fut: impl std::future::Future<Output = Result<T, tokio_postgres::Error>>,
    ) -> Result<T> {
        let cancel = self.client.cancel_token();
        // A clean-up statement sent after the stop is not cancelled, only bounded.
        let cleaning_up = crate::interrupt::requested();
        let started = tokio::time::Instant::now();
        let out = self.rt.block_on(async {
            tokio::pin!(fut);
            let mut tick = tokio::time::interval(POLL);
            let mut cancelled_at: Option<tokio::time::Instant> = None;
            loop {
                tokio::select! {
                    out = &mut fut => return Ok(out),
                    _ = tick.tick() => {
                        if cleaning_up {
                            if started.elapsed() >= CLEANUP_LIMIT {
                                return Err(());
                            }
                            continue;
                        }
                        match cancelled_at {
                            None if crate::interrupt::requested() => {
                                // A cancel that cannot be delivered (a server that accepts and
                                // never answers) leaves the grace period below as the bound.
                                let _ = tokio::time::timeout(
                                    Duration::from_secs(2),
                                    cancel.cancel_query(tokio_postgres::NoTls),
                                )
                                .await;
                                cancelled_at = Some(tokio::time::Instant::now());
                            }
                            Some(t) if t.elapsed() >= CANCEL_GRACE => return Err(()),
                            _ => {}
                        }
                    }
                }
            }
        });
        match out {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e))
                if crate::interrupt::requested()
                    && e.as_db_error().is_some_and(|d| d.code().code() == "57014") =>
            {
                Err(Error::interrupted("the statement was cancelled; the database was left as it was"))
            }
            Ok(Err(e)) => Err(query_error(&self.conn, &e)),
            Err(()) => Err(Error::interrupted(
                "the server did not answer the cancel request; its last statement may still be running",
            )),
        }
    }

    pub(crate) fn query(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<Vec<tokio_postgres::Row>> {
        self.run(self.client.query(sql, params))
    }

    /// Runs a query through the simple protocol and returns every value as text (NULL as
    /// `None`): for catalog queries and samples, whatever the column types.
    pub fn query_values(&self, sql: &str) -> Result<Vec<Vec<Option<String>>>> {
        let msgs = self.run(self.client.simple_query(sql))?;
        let mut out = Vec::new();
        for m in msgs {
            if let tokio_postgres::SimpleQueryMessage::Row(r) = m {
                out.push((0..r.len()).map(|i| r.get(i).map(str::to_string)).collect());
            }
        }
        Ok(out)
    }

    /// Like [`PgAdmin::query_values`], with NULL as an empty string.
    pub fn query_text(&self, sql: &str) -> Result<Vec<Vec<String>>> {
        Ok(self
            .query_values(sql)?
            .into_iter()
            .map(|r| r.into_iter().map(Option::unwrap_or_default).collect())
            .collect())
    }

    /// Runs a one-row query of counts (`SELECT count(*) FILTER (...), ...`) with parameters.
    pub fn query_counts(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<Vec<i64>> {
        let rows = self.query(sql, params)?;
        Ok(rows
            .first()
            .map(|r| (0..r.len()).map(|i| r.get::<_, i64>(i)).collect())
            .unwrap_or_default())
    }

    /// Runs statements that return nothing (DDL, admin commands).
    pub fn execute(&self, sql: &str) -> Result<()> {
        self.run(self.client.batch_execute(sql))
    }

    /// Like [`PgAdmin::execute`], and sent even after a stop was requested: for statements that
    /// undo or remove what the run built (ROLLBACK, DROP DATABASE of a half-built copy).
    pub fn execute_cleanup(&self, sql: &str) -> Result<()> {
        self.run_to_end(self.client.batch_execute(sql))
    }

    /// Like [`PgAdmin::query_text`], and sent even after a stop was requested.
    pub fn query_text_cleanup(&self, sql: &str) -> Result<Vec<Vec<String>>> {
        let msgs = self.run_to_end(self.client.simple_query(sql))?;
        let mut out = Vec::new();
        for m in msgs {
            if let tokio_postgres::SimpleQueryMessage::Row(r) = m {
                out.push(
                    (0..r.len())
                        .map(|i| r.get(i).unwrap_or_default().to_string())
                        .collect(),
                );
            }
        }
        Ok(out)
    }
}

impl PgAdmin {
    /// Runs `COPY ... TO STDOUT` and writes its data to `out` as it arrives (memory stays
    /// bounded by one message). Returns the bytes written.
    pub fn copy_out(&self, sql: &str, out: &mut dyn std::io::Write) -> Result<u64> {
        use futures_util::StreamExt;
        let copy_err = |e: std::io::Error| {
            Error::io(
                format!("cannot pass on COPY data from {}", self.conn.redacted()),
                e,
            )
        };
        self.run(async {
            let stream = self.client.copy_out(sql).await?;
            futures_util::pin_mut!(stream);
            let mut total = 0u64;
            while let Some(chunk) = stream.next().await {
                let chunk = chunk?;
                if let Err(e) = out.write_all(&chunk) {
                    return Ok(Err(copy_err(e)));
                }
                total += chunk.len() as u64;
            }
            Ok(Ok(total))
        })?
    }

    /// Runs `COPY ... FROM STDIN` with the data read from `input` until its end. Returns the
    /// rows copied. A read error aborts the COPY (nothing of it stays).
    pub fn copy_in(&self, sql: &str, input: &mut dyn std::io::Read) -> Result<u64> {
        let mut next = || -> std::io::Result<Option<Vec<u8>>> {
            let mut buf = vec![0u8; COPY_CHUNK];
            loop {
                match input.read(&mut buf) {
                    Ok(0) => return Ok(None),
                    Ok(n) => {
                        buf.truncate(n);
                        return Ok(Some(buf));
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            }
        };
        self.copy_in_chunks(sql, &mut next)
    }

    /// Runs `COPY ... FROM STDIN` with the data `next` hands over, chunk by chunk, until it
    /// says the data ended (`None`). Returns the rows copied. An error from `next` aborts the
    /// COPY (nothing of it stays).
    pub fn copy_in_chunks(
        &self,
        sql: &str,
        next: &mut dyn FnMut() -> std::io::Result<Option<Vec<u8>>>,
    ) -> Result<u64> {
        use futures_util::SinkExt;
        let conn = self.conn.redacted();
        self.run(async {
            let sink = self.client.copy_in::<_, bytes::Bytes>(sql).await?;
            futures_util::pin_mut!(sink);
            loop {
                let chunk = match next() {
                    Ok(Some(chunk)) => chunk,
                    Ok(None) => break,
                    Err(e) => {
                        // Dropping the sink unfinished aborts the COPY on the server.
                        return Ok(Err(Error::io(
                            format!("cannot read the data for COPY into {conn}"),
                            e,
                        )));
                    }
                };
                sink.send(bytes::Bytes::from(chunk)).await?;
            }
            let rows = sink.as_mut().finish().await?;
            Ok(Ok(rows))
        })?
    }
}

/// Why [`wait`] gave up.
enum Gave {
    /// A stop was requested.
    Interrupted,
    /// The time limit passed.
    TimedOut,
}

impl Gave {
    fn into_error(self, timed_out: impl FnOnce() -> Error) -> Error {
        match self {
            Gave::Interrupted => Error::interrupted("the database was left as it was"),
            Gave::TimedOut => timed_out(),
        }
    }
}

/// Blocks on `fut`, giving up when a stop is requested or `limit` passes.
fn wait<T>(
    rt: &tokio::runtime::Runtime,
    limit: Option<Duration>,
    fut: impl std::future::Future<Output = T>,
) -> std::result::Result<T, Gave> {
    rt.block_on(async {
        let deadline = limit.map(|l| tokio::time::Instant::now() + l);
        tokio::pin!(fut);
        let mut tick = tokio::time::interval(POLL);
        loop {
            tokio::select! {
                out = &mut fut => return Ok(out),
                _ = tick.tick() => {
                    if crate::interrupt::requested() {
                        return Err(Gave::Interrupted);
                    }
                    if deadline.is_some_and(|d| tokio::time::Instant::now() >= d) {
                        return Err(Gave::TimedOut);
                    }
                }
            }
        }
    })
}

/// The connection's `connect_timeout` (libpq treats values below 2 s as 2 s).
fn connect_timeout(conn: &PgConn) -> Duration {
    conn.params
        .get("connect_timeout")
        .and_then(|t| t.trim().parse::<u64>().ok())
        .filter(|t| *t > 0)
        .map(|t| Duration::from_secs(t.max(2)))
        .unwrap_or(DEFAULT_CONNECT_TIMEOUT)
}

/// The driver configuration for admin statements over tokio-postgres.
fn driver_config(conn: &PgConn) -> tokio_postgres::Config {
    let mut cfg = tokio_postgres::Config::new();
    for h in &conn.hosts {
        if h.starts_with('/') {
            cfg.host_path(h);
        } else {
            cfg.host(h);
        }
    }
    for p in &conn.ports {
        cfg.port(*p);
    }
    // `hostaddr` is where to connect; `host` stays the name the server's certificate must carry.
    if let Some(addrs) = conn.params.get("hostaddr") {
        for a in addrs.split(',') {
            if let Ok(ip) = a.trim().parse::<std::net::IpAddr>() {
                cfg.hostaddr(ip);
            }
        }
    }
    cfg.user(&conn.user);
    cfg.dbname(&conn.dbname);
    // The program's own name, so operators can tell our sessions apart in pg_stat_activity.
    let program = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|s| ["backup-tool", "sync-tool", "mask-tool"].contains(&s.as_str()))
        .unwrap_or_else(|| "backup-tools".into());
    cfg.application_name(&program);
    if let Some(pw) = conn.password() {
        cfg.password(pw.expose());
    }
    cfg.connect_timeout(connect_timeout(conn));
    cfg.keepalives(true);
    cfg.keepalives_idle(Duration::from_secs(30));
    let mut options = conn.params.get("options").cloned().unwrap_or_default();
    if !options.contains("lock_timeout") {
        options.push_str(&format!(
            " -c lock_timeout={}",
            ADMIN_LOCK_TIMEOUT.as_millis()
        ));
    }
    cfg.options(options.trim());
    cfg
}

/// What the server or the connection said, without row data.
fn server_error(e: &tokio_postgres::Error) -> ServerError {
    match e.as_db_error() {
        Some(db) => ServerError {
            code: Some(db.code().code().to_string()),
            message: sanitize::server_message(Some(db.code().code()), db.message()),
        },
        None => ServerError {
            code: None,
            message: sanitize::server_message(None, &crate::error::chain(e)),
        },
    }
}

fn connect_error(conn: &PgConn, e: &tokio_postgres::Error) -> Error {
    let cause = server_error(e);
    let about_password = cause.message.contains("password");
    let hint = match conn.password_source() {
        Some(src) if about_password => format!(" (password from {src})"),
        None if about_password => {
            " (no password given: set it in the URL, PGPASSWORD, password_env or ~/.pgpass)".into()
        }
        _ => String::new(),
    };
    Error::Postgres {
        context: format!("cannot connect to {}{hint}", conn.redacted()),
        source: Some(cause),
    }
}

fn query_error(conn: &PgConn, e: &tokio_postgres::Error) -> Error {
    Error::Postgres {
        context: format!("query on {} failed", conn.redacted()),
        source: Some(server_error(e)),
    }
}

/// The name of a database derived from `base` (`app` + `__incoming`), kept within PostgreSQL's
/// 63-byte limit: a long base is cut and a digest of it added, so two long names never collide
/// after the server truncates them.
pub fn derived_name(base: &str, suffix: &str) -> String {
    const MAX: usize = 63;
    let full = format!("{base}{suffix}");
    if full.len() <= MAX {
        return full;
    }
    use sha2::{Digest, Sha256};
    let digest = hex::encode(&Sha256::digest(base.as_bytes())[..4]);
    let mut keep = MAX - suffix.len() - digest.len() - 1;
    while !base.is_char_boundary(keep) {
        keep -= 1;
    }
    format!("{}_{digest}{suffix}", &base[..keep])
}

/// Quotes an identifier for SQL, doubling embedded double quotes.
pub fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Quotes a string literal for SQL (standard_conforming_strings on: quotes doubled).
pub fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }
}
