//! Multipart uploads: memory, interruption, time limits, and what killed uploads leave behind.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use remote::upload::{PART_SIZE, STALE_UPLOAD_AGE};
use remote::{Environment, Location, Options, RemoteError, Store};

use crate::server::{all_text, assert_no_secret, S3Server};
use crate::{assert_child, run_child, Gen};

fn markers(server: &S3Server, bucket_and_prefix: &str) -> Vec<String> {
    let dir = server.data().join(bucket_and_prefix).join(".uploads");
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries {
            found.push(e.unwrap().file_name().into_string().unwrap());
        }
    }
    found
}

/// Writes `parts` full parts (so the multipart upload has started and its marker exists).
fn write_parts(upload: &mut remote::Upload, parts: usize) {
    let chunk = vec![0x5a; 1 << 20];
    for _ in 0..parts * (PART_SIZE >> 20) {
        upload.write_all(&chunk).unwrap();
    }
}

#[test]
fn aborted_and_dropped_uploads_leave_nothing_on_the_server() {
    let server = S3Server::start();
    server.create_bucket("bkt");
    let store = server.store("s3://bkt/p");
    let mut upload = store.upload("aborted").unwrap();
    write_parts(&mut upload, 3);
    assert!(
        !server.upload_leftovers().is_empty(),
        "parts are on the server while it runs"
    );
    assert_eq!(
        markers(&server, "bkt/p").len(),
        1,
        "the upload is recorded before its parts"
    );
    upload.abort().unwrap();
    assert!(
        server.upload_leftovers().is_empty(),
        "{:?}",
        server.upload_leftovers()
    );
    assert!(markers(&server, "bkt/p").is_empty());

    let mut upload = store.upload("dropped").unwrap();
    write_parts(&mut upload, 2);
    drop(upload);
    assert!(
        server.upload_leftovers().is_empty(),
        "{:?}",
        server.upload_leftovers()
    );
    assert!(markers(&server, "bkt/p").is_empty());
    assert!(store.list("").unwrap().is_empty());
    assert_eq!(store.head("dropped").unwrap(), None);
}

#[test]
fn server_killed_mid_upload_then_stale_upload_is_aborted_after_restart() {
    let mut server = S3Server::start();
    server.create_bucket("bkt");
    let options = Options {
        timeout: Duration::from_secs(5),
        retries: 1,
        ..S3Server::options()
    };
    let store = server.store_with("s3://bkt/p", &options);
    let mut upload = store.upload("big.sql.gz").unwrap();
    write_parts(&mut upload, 3);
    assert_eq!(markers(&server, "bkt/p").len(), 1);
    server.kill();

    let chunk = vec![1u8; 1 << 20];
    let err = (0..64)
        .find_map(|_| upload.write_all(&chunk).err())
        .expect("writing to a dead server fails");
    let err = RemoteError::take_from_io(err).unwrap();
    assert!(
        matches!(
            err,
            RemoteError::Unreachable { .. } | RemoteError::Other { .. }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("s3://bkt/p/big.sql.gz"), "{err}");
    assert_no_secret(&all_text(&err), &server.secrets());
    let started = Instant::now();
    drop(upload); // tries to abort, cannot: the server is down
    assert!(
        started.elapsed() < Duration::from_secs(12),
        "{:?}",
        started.elapsed()
    );
    assert!(
        !server.upload_leftovers().is_empty(),
        "the dead server kept the parts"
    );

    server.restart();
    let store = server.store("s3://bkt/p");
    assert!(
        store.list("").unwrap().is_empty(),
        "markers are not listed, the object never existed"
    );
    let aborted = store.abort_stale_uploads(STALE_UPLOAD_AGE).unwrap();
    assert_eq!(aborted, ["big.sql.gz"]);
    assert!(
        server.upload_leftovers().is_empty(),
        "{:?}",
        server.upload_leftovers()
    );
    assert!(markers(&server, "bkt/p").is_empty());
    assert!(store
        .abort_stale_uploads(STALE_UPLOAD_AGE)
        .unwrap()
        .is_empty());
}

#[test]
fn a_running_upload_of_this_process_is_never_aborted() {
    let server = S3Server::start();
    server.create_bucket("bkt");
    let store = server.store("s3://bkt");
    let mut upload = store.upload("live").unwrap();
    write_parts(&mut upload, 1);
    assert_eq!(markers(&server, "bkt").len(), 1);
    assert!(store
        .abort_stale_uploads(Duration::ZERO)
        .unwrap()
        .is_empty());
    upload.write_all(b"tail").unwrap();
    let info = upload.finish().unwrap();
    assert_eq!(info.size, PART_SIZE as u64 + 4);
    assert!(markers(&server, "bkt").is_empty());
    assert!(server.upload_leftovers().is_empty());
}

/// The real case: the uploading process is killed with SIGKILL. Its upload stays until the
/// next run's clean-up, which sees the owner is gone (same host, pid not running).
#[test]
fn upload_of_a_killed_process_is_aborted_by_the_next_run() {
    let server = S3Server::start();
    server.create_bucket("bkt");
    let exe = std::env::current_exe().unwrap();
    let mut child = std::process::Command::new(exe)
        .args([
            "--exact",
            "upload::child_uploads_until_killed",
            "--ignored",
            "--nocapture",
        ])
        .env("REMOTE_TEST_CHILD", "1")
        .env("HOME", server.dir.path())
        .env("AWS_ENDPOINT_URL", server.endpoint())
        .env("AWS_ACCESS_KEY_ID", &server.access_key)
        .env("AWS_SECRET_ACCESS_KEY", &server.secret_key)
        .env("AWS_ALLOW_HTTP", "true")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while markers(&server, "bkt/k").is_empty()
        || server
            .upload_leftovers()
            .iter()
            .all(|f| !f.contains(".part-"))
    {
        assert!(child.try_wait().unwrap().is_none(), "child ended early");
        assert!(
            Instant::now() < deadline,
            "child never started its multipart upload"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let store = server.store("s3://bkt/k");
    assert!(
        store
            .abort_stale_uploads(STALE_UPLOAD_AGE)
            .unwrap()
            .is_empty(),
        "its owner is alive"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let aborted = store.abort_stale_uploads(STALE_UPLOAD_AGE).unwrap();
    assert_eq!(aborted, ["victim.sql.gz"]);
    assert!(
        server.upload_leftovers().is_empty(),
        "{:?}",
        server.upload_leftovers()
    );
    assert!(markers(&server, "bkt/k").is_empty());
}

#[test]
#[ignore = "run by upload_of_a_killed_process_is_aborted_by_the_next_run"]
fn child_uploads_until_killed() {
    assert_child();
    let store = Store::connect(
        &Location::parse("s3://bkt/k").unwrap(),
        &S3Server::options(),
    )
    .unwrap();
    let mut upload = store.upload("victim.sql.gz").unwrap();
    write_parts(&mut upload, 1);
    let chunk = vec![3u8; 1 << 20];
    for _ in 0..600 {
        upload.write_all(&chunk).unwrap();
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("not killed within a minute");
}

/// A server that accepts connections and never answers.
struct SilentServer {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SilentServer {
    fn start() -> SilentServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let mut held = Vec::new();
            let deadline = Instant::now() + Duration::from_secs(120);
            while !flag.load(Ordering::Relaxed) && Instant::now() < deadline && held.len() < 1000 {
                match listener.accept() {
                    Ok((conn, _)) => held.push(conn),
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        SilentServer {
            port,
            stop,
            thread: Some(thread),
        }
    }

    fn store(&self, options: &Options) -> Store {
        let env = Environment::from_vars([
            (
                "AWS_ENDPOINT_URL",
                format!("http://127.0.0.1:{}", self.port),
            ),
            ("AWS_ACCESS_KEY_ID", "AKSILENTKEY000001".to_string()),
            (
                "AWS_SECRET_ACCESS_KEY",
                "silent-secret-value-0001".to_string(),
            ),
            ("AWS_ALLOW_HTTP", "true".to_string()),
        ]);
        Store::connect_with(&Location::parse("s3://bkt/p").unwrap(), options, &env).unwrap()
    }
}

impl Drop for SilentServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[test]
fn a_server_that_never_answers_times_out() {
    let silent = SilentServer::start();
    let secrets = [
        "AKSILENTKEY000001".to_string(),
        "silent-secret-value-0001".to_string(),
    ];
    // Without retries: one time limit.
    let options = Options {
        timeout: Duration::from_secs(1),
        connect_timeout: Duration::from_secs(1),
        retries: 0,
        stop: None,
    };
    let store = silent.store(&options);
    for op in ["list", "get_bytes", "put_bytes"] {
        let started = Instant::now();
        let err = match op {
            "list" => store.list("").unwrap_err(),
            "get_bytes" => store.get_bytes("x").unwrap_err(),
            _ => store.put_bytes("x", b"x").unwrap_err(),
        };
        let took = started.elapsed();
        assert!(err.is_timeout(), "{op}: {err:?}");
        assert!(
            took >= Duration::from_millis(900) && took < Duration::from_secs(3),
            "{op}: {took:?}"
        );
        assert!(err.to_string().contains("within 1s"), "{err}");
        assert_no_secret(&all_text(&err), &secrets);
    }
    // With retries: bounded by (retries + 1) time limits plus back-off.
    let options = Options {
        retries: 2,
        ..options
    };
    let store = silent.store(&options);
    let started = Instant::now();
    let err = store.head("x").unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
}

static STOP_SILENT: AtomicBool = AtomicBool::new(false);
fn stop_silent() -> bool {
    STOP_SILENT.load(Ordering::Relaxed)
}

static STOP_UPLOAD: AtomicBool = AtomicBool::new(false);
fn stop_upload() -> bool {
    STOP_UPLOAD.load(Ordering::Relaxed)
}

#[test]
fn stop_interrupts_a_blocked_call_within_a_second() {
    let silent = SilentServer::start();
    let options = Options {
        timeout: Duration::from_secs(60),
        connect_timeout: Duration::from_secs(5),
        retries: 3,
        stop: Some(stop_silent),
    };
    let store = silent.store(&options);
    let mut upload = store.upload("x").unwrap();
    let setter = std::thread::spawn(|| {
        std::thread::sleep(Duration::from_millis(500));
        STOP_SILENT.store(true, Ordering::Relaxed);
        Instant::now()
    });
    let chunk = vec![0u8; 1 << 20];
    // The first full part starts the multipart upload, which the server never answers.
    let err = (0..64)
        .find_map(|_| upload.write_all(&chunk).err())
        .expect("interrupted");
    let stopped_at = setter.join().unwrap();
    let reacted = stopped_at.elapsed();
    let err = RemoteError::take_from_io(err).unwrap();
    assert!(err.is_interrupted(), "{err:?}");
    assert!(reacted < Duration::from_secs(1), "{reacted:?}");
    let started = Instant::now();
    drop(upload);
    assert!(
        started.elapsed() < Duration::from_secs(11),
        "drop spends at most the abort budget"
    );
    // Every later call refuses at once.
    assert!(store.list("").unwrap_err().is_interrupted());
}

#[test]
fn stop_interrupts_a_running_upload_and_the_upload_is_cleaned_up() {
    let server = S3Server::start();
    server.create_bucket("bkt");
    let options = Options {
        stop: Some(stop_upload),
        ..S3Server::options()
    };
    let store = server.store_with("s3://bkt", &options);
    let mut upload = store.upload("interrupted").unwrap();
    let mut gen = Gen::new(1);
    let mut chunk = vec![0u8; 1 << 20];
    let mut stopped_at = None;
    let err = loop {
        gen.fill(&mut chunk);
        if let Err(err) = upload.write_all(&chunk) {
            break err;
        }
        if upload.written() >= 3 * PART_SIZE as u64 && stopped_at.is_none() {
            STOP_UPLOAD.store(true, Ordering::Relaxed);
            stopped_at = Some(Instant::now());
        }
        assert!(upload.written() < 1 << 30, "never interrupted");
    };
    let reacted = stopped_at.unwrap().elapsed();
    assert!(
        RemoteError::from_io(&err).unwrap().is_interrupted(),
        "{err:?}"
    );
    assert!(reacted < Duration::from_secs(1), "{reacted:?}");
    drop(upload); // aborts, ignoring the stop function
    assert!(
        server.upload_leftovers().is_empty(),
        "{:?}",
        server.upload_leftovers()
    );
    assert!(markers(&server, "bkt").is_empty());
}

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Peak RSS of a whole process that uploads 1 GiB from a generator and streams it back.
#[test]
fn upload_of_1_gib_keeps_memory_bounded() {
    let server = S3Server::start();
    server.create_bucket("big");
    let bytes: u64 = std::env::var("REMOTE_RSS_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1 << 30);
    let text = run_child(
        "upload::child_uploads_and_reads_1_gib",
        &[
            ("HOME", server.dir.path().display().to_string()),
            ("AWS_ENDPOINT_URL", server.endpoint()),
            ("AWS_ACCESS_KEY_ID", server.access_key.clone()),
            ("AWS_SECRET_ACCESS_KEY", server.secret_key.clone()),
            ("AWS_ALLOW_HTTP", "true".to_string()),
            ("REMOTE_RSS_BYTES", bytes.to_string()),
            ("REMOTE_RSS_DIR", server.dir.path().display().to_string()),
        ],
    );
    for line in text
        .lines()
        .filter_map(|l| l.find("measured:").map(|at| &l[at..]))
    {
        println!("{line}");
    }
    let peak: u64 = text
        .lines()
        .find_map(|l| {
            l.split_once("measured: peak RSS KiB ")
                .map(|(_, rest)| rest)
        })
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .expect("child reports its peak RSS");
    assert!(peak < 128 * 1024, "peak RSS {peak} KiB");
    assert!(server.upload_leftovers().is_empty());
}

#[test]
#[ignore = "run by upload_of_1_gib_keeps_memory_bounded"]
fn child_uploads_and_reads_1_gib() {
    assert_child();
    let bytes: u64 = std::env::var("REMOTE_RSS_BYTES").unwrap().parse().unwrap();
    let dir = std::path::PathBuf::from(std::env::var("REMOTE_RSS_DIR").unwrap());
    let mut chunk = vec![0u8; 1 << 20];

    // Baseline: the same generator into a local file, synced.
    let started = Instant::now();
    let mut file = std::fs::File::create(dir.join("baseline.bin")).unwrap();
    let mut gen = Gen::new(42);
    let mut left = bytes;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        gen.fill(&mut chunk[..n]);
        file.write_all(&chunk[..n]).unwrap();
        left -= n as u64;
    }
    file.sync_all().unwrap();
    drop(file);
    let file_secs = started.elapsed().as_secs_f64();
    std::fs::remove_file(dir.join("baseline.bin")).unwrap();

    let store = Store::connect(
        &Location::parse("s3://big/rss").unwrap(),
        &S3Server::options(),
    )
    .unwrap();
    let before = peak_rss_kib();
    let started = Instant::now();
    let mut upload = store.upload("one-gib.bin").unwrap();
    let mut gen = Gen::new(42);
    let mut left = bytes;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        gen.fill(&mut chunk[..n]);
        upload.write_all(&chunk[..n]).unwrap();
        left -= n as u64;
    }
    let info = upload.finish().unwrap();
    let upload_secs = started.elapsed().as_secs_f64();
    assert_eq!(info.size, bytes);
    let after_upload = peak_rss_kib();

    let started = Instant::now();
    let mut reader = store.get("one-gib.bin").unwrap();
    let mut gen = Gen::new(42);
    let mut expected = vec![0u8; 1 << 20];
    let mut got = vec![0u8; 1 << 20];
    let mut left = bytes;
    while left > 0 {
        let n = left.min(got.len() as u64) as usize;
        reader.read_exact(&mut got[..n]).unwrap();
        gen.fill(&mut expected[..n]);
        assert!(
            got[..n] == expected[..n],
            "content differs {} bytes from the end",
            left
        );
        left -= n as u64;
    }
    assert_eq!(reader.read(&mut got).unwrap(), 0);
    let read_secs = started.elapsed().as_secs_f64();
    let mib = bytes as f64 / (1 << 20) as f64;
    println!(
        "measured: peak RSS KiB {} (before upload {before}, after upload {after_upload})",
        peak_rss_kib()
    );
    println!(
        "measured: {mib:.0} MiB local file write+fsync {:.0} MiB/s",
        mib / file_secs
    );
    println!(
        "measured: {mib:.0} MiB upload to s3s-fs {:.0} MiB/s",
        mib / upload_secs
    );
    println!(
        "measured: {mib:.0} MiB streamed read from s3s-fs {:.0} MiB/s",
        mib / read_secs
    );
}
