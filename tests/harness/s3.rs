//! A real S3-compatible server for the tools' integration tests: s3s-fs (from crates.io) as a
//! separate process speaking HTTP on loopback, one per test, with its own data folder, a free
//! port and random keys. Modelled on `common/remote/tests/it/server.rs`.
//!
//! s3s-fs keeps each object as a plain file `<data>/<bucket>/<key>` and the state of unfinished
//! multipart uploads as files at the top of `<data>` (`.upload-<id>.json`, `.upload_id-<id>.part-N`),
//! so a test can read, truncate or alter stored bytes on disk and see leftover uploads without
//! going through the tools.
//!
//! The binary is `S3S_FS_BIN` if set, else `<workspace>/target/tools/bin/s3s-fs`, installed by
//! `scripts/lib/s3-server.sh` (`s3_install`) when missing. A missing server is a failure, never
//! a skip.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The workspace root (the parent of the `tests` crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("workspace root")
}

fn binary() -> &'static PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(bin) = std::env::var_os("S3S_FS_BIN") {
            return PathBuf::from(bin);
        }
        let root = workspace_root();
        let bin = root.join("target/tools/bin/s3s-fs");
        if !bin.exists() {
            let status = Command::new("bash")
                .arg("-c")
                .arg("source scripts/lib/s3-server.sh && s3_install")
                .current_dir(&root)
                .status()
                .expect("run bash to install s3s-fs");
            assert!(
                status.success(),
                "installing s3s-fs with scripts/lib/s3-server.sh failed; the S3 tests need it"
            );
        }
        assert!(
            bin.exists(),
            "s3s-fs missing at {} after install",
            bin.display()
        );
        bin
    })
}

/// `bytes` random bytes as lowercase hex (from /dev/urandom).
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .expect("read /dev/urandom");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// AWS variables that would change where requests go or how they are signed; removed from
/// every command so a developer's own AWS setup cannot leak into a test.
const FOREIGN_AWS: &[&str] = &[
    "AWS_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ENDPOINT",
    "AWS_ENDPOINT_URL_S3",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_SKIP_SIGNATURE",
    "AWS_BUCKET",
    "AWS_BUCKET_NAME",
    "AWS_DEFAULT_REGION",
    "AWS_VIRTUAL_HOSTED_STYLE_REQUEST",
];

/// A running s3s-fs.
pub struct S3Server {
    child: Option<Child>,
    /// Its port on 127.0.0.1 (changes on [`S3Server::restart`]).
    pub port: u16,
    /// Its folder: `s3-data/` (the store), `s3s-fs.log`, `home/` (an empty HOME).
    pub dir: tempfile::TempDir,
    /// The access key id it accepts.
    pub access_key: String,
    /// The secret key it accepts.
    pub secret_key: String,
}

impl S3Server {
    /// Starts a server on a fresh data folder with random keys.
    pub fn start() -> S3Server {
        let dir = tempfile::Builder::new()
            .prefix("test-s3-")
            .tempdir()
            .expect("s3 temp dir");
        std::fs::create_dir_all(dir.path().join("s3-data")).expect("s3-data");
        std::fs::create_dir_all(dir.path().join("home")).expect("home");
        let mut server = S3Server {
            child: None,
            port: 0,
            dir,
            access_key: format!("AK{}", random_hex(9).to_uppercase()),
            secret_key: format!("sk{}", random_hex(20)),
        };
        server.spawn();
        server
    }

    /// The folder s3s-fs stores into: one sub-folder per bucket, upload state at the top.
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("s3-data")
    }

    /// The file that holds object `key` of `bucket`.
    pub fn object_file(&self, bucket: &str, key: &str) -> PathBuf {
        self.data().join(bucket).join(key)
    }

    /// Creates a bucket (for s3s-fs, a sub-folder of the data folder, as its CreateBucket does).
    pub fn create_bucket(&self, name: &str) {
        assert!(name.len() >= 3, "bucket names need at least 3 characters");
        std::fs::create_dir_all(self.data().join(name)).expect("create bucket");
    }

    /// Its log (stdout and stderr).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("s3s-fs.log")).unwrap_or_default()
    }

    fn spawn(&mut self) {
        let log = self.dir.path().join("s3s-fs.log");
        let log_file = std::fs::File::create(&log).expect("s3s-fs log");
        let child = Command::new(binary())
            .args([
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--access-key",
                &self.access_key,
                "--secret-key",
                &self.secret_key,
            ])
            .arg(self.data())
            .env("RUST_LOG", "s3s_fs=info,s3s=warn")
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("log"))
            .stderr(log_file)
            .spawn()
            .expect("start s3s-fs");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let mut text = String::new();
            std::fs::File::open(&log)
                .and_then(|mut f| f.read_to_string(&mut text))
                .expect("read s3s-fs log");
            let marker = "server is running at http://127.0.0.1:";
            if let Some(at) = text.find(marker) {
                let digits: String = text[at + marker.len()..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                self.port = digits.parse().expect("s3s-fs port");
                if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                    return;
                }
            }
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!("s3s-fs exited during start-up ({status}): {text}");
            }
            assert!(
                Instant::now() < deadline,
                "s3s-fs did not start within 30 s: {text}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The server's pid, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// SIGKILL, as a crash would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// A new server process on the same data and keys (on a new port).
    pub fn restart(&mut self) {
        self.kill();
        self.spawn();
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The variables `scripts/lib/s3-server.sh` exports, and a HOME without AWS files.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            (
                "HOME".into(),
                self.dir.path().join("home").display().to_string(),
            ),
            ("AWS_ENDPOINT_URL".into(), self.endpoint()),
            ("AWS_ACCESS_KEY_ID".into(), self.access_key.clone()),
            ("AWS_SECRET_ACCESS_KEY".into(), self.secret_key.clone()),
            ("AWS_REGION".into(), "us-east-1".into()),
            ("AWS_ALLOW_HTTP".into(), "true".into()),
        ]
    }

    /// Gives `cmd` this server's environment (and removes any other AWS setting).
    pub fn apply<'a>(&self, cmd: &'a mut Command) -> &'a mut Command {
        for v in FOREIGN_AWS {
            cmd.env_remove(v);
        }
        for (k, v) in self.env() {
            cmd.env(k, v);
        }
        cmd
    }

    /// The keys, for scans: nothing of ours may print or store them.
    pub fn secrets(&self) -> Vec<String> {
        vec![self.access_key.clone(), self.secret_key.clone()]
    }

    /// State of unfinished multipart uploads that s3s-fs keeps at the top of its data folder
    /// (upload records, parts, their metadata).
    pub fn upload_leftovers(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.data())
            .map(|rd| {
                rd.flatten()
                    .filter_map(|e| e.file_name().into_string().ok())
                    .filter(|n| n.starts_with(".upload") || n.contains(".upload-"))
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    /// Parts of unfinished multipart uploads (`.upload_id-<id>.part-N`).
    pub fn upload_parts(&self) -> Vec<String> {
        self.upload_leftovers()
            .into_iter()
            .filter(|n| n.starts_with(".upload_id-") && n.contains(".part-"))
            .collect()
    }

    /// Every object of `bucket` under `prefix` as stored on disk (relative keys, sorted);
    /// hidden ones (locks, upload markers) included.
    pub fn objects(&self, bucket: &str, prefix: &str) -> Vec<String> {
        let root = self.data().join(bucket).join(prefix);
        crate::all_files(&root)
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A TCP proxy in front of a server that passes everything through until it is armed; once
/// armed, after a given number of further bytes (both directions together) it cuts every
/// connection and closes every new one at once, as a network that fails mid-transfer.
pub struct CutProxy {
    /// Its port on 127.0.0.1.
    pub port: u16,
    state: std::sync::Arc<CutState>,
}

struct CutState {
    armed: std::sync::atomic::AtomicBool,
    budget: std::sync::atomic::AtomicI64,
    cut: std::sync::atomic::AtomicBool,
}

impl CutState {
    /// Accounts for `n` bytes about to be forwarded; how many may go (all, or what is left).
    fn take(&self, n: usize) -> usize {
        use std::sync::atomic::Ordering::SeqCst;
        if self.cut.load(SeqCst) {
            return 0;
        }
        if !self.armed.load(SeqCst) {
            return n;
        }
        let before = self.budget.fetch_sub(n as i64, SeqCst);
        if before >= n as i64 {
            n
        } else {
            self.cut.store(true, SeqCst);
            before.max(0) as usize
        }
    }
}

fn pump(
    mut from: std::net::TcpStream,
    mut to: std::net::TcpStream,
    state: std::sync::Arc<CutState>,
) {
    use std::io::Write;
    let _ = from.set_read_timeout(Some(Duration::from_millis(100)));
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        if state.cut.load(std::sync::atomic::Ordering::SeqCst) {
            break;
        }
        let n = match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut =>
            {
                continue
            }
            Err(_) => break,
        };
        let allowed = state.take(n);
        if allowed > 0 && to.write_all(&buf[..allowed]).is_err() {
            break;
        }
        if allowed < n {
            break;
        }
    }
    let _ = from.shutdown(std::net::Shutdown::Both);
    let _ = to.shutdown(std::net::Shutdown::Both);
}

impl CutProxy {
    /// Starts it in front of `upstream` (a port on 127.0.0.1), on a thread that lives as long
    /// as the test binary.
    pub fn start(upstream: u16) -> CutProxy {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = l.local_addr().expect("addr").port();
        let state = std::sync::Arc::new(CutState {
            armed: std::sync::atomic::AtomicBool::new(false),
            budget: std::sync::atomic::AtomicI64::new(0),
            cut: std::sync::atomic::AtomicBool::new(false),
        });
        let st = std::sync::Arc::clone(&state);
        std::thread::spawn(move || {
            for s in l.incoming().flatten() {
                if st.cut.load(std::sync::atomic::Ordering::SeqCst) {
                    let _ = s.shutdown(std::net::Shutdown::Both);
                    continue;
                }
                let Ok(up) = std::net::TcpStream::connect(("127.0.0.1", upstream)) else {
                    continue;
                };
                let (Ok(s2), Ok(up2)) = (s.try_clone(), up.try_clone()) else {
                    continue;
                };
                let a = std::sync::Arc::clone(&st);
                let b = std::sync::Arc::clone(&st);
                std::thread::spawn(move || pump(s, up, a));
                std::thread::spawn(move || pump(up2, s2, b));
            }
        });
        CutProxy { port, state }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Cuts everything after `bytes` more bytes have passed.
    pub fn arm(&self, bytes: u64) {
        use std::sync::atomic::Ordering::SeqCst;
        self.state.budget.store(bytes as i64, SeqCst);
        self.state.armed.store(true, SeqCst);
    }

    /// Whether it has cut.
    pub fn has_cut(&self) -> bool {
        self.state.cut.load(std::sync::atomic::Ordering::SeqCst)
    }
}
