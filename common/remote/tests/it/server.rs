//! A real s3s-fs server per test: its own data folder, a free loopback port, random keys.
//!
//! The binary is `S3S_FS_BIN` if set, else `<workspace>/target/tools/bin/s3s-fs`, installed
//! by `scripts/lib/s3-server.sh` (`s3_install`) when missing. A missing server is a failure,
//! never a skip.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use remote::{Environment, Location, Options, Store};

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
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

fn random_hex(bytes: usize) -> String {
    (0..bytes)
        .map(|_| format!("{:02x}", rand::random::<u8>()))
        .collect()
}

pub struct S3Server {
    child: Option<Child>,
    pub port: u16,
    pub dir: tempfile::TempDir,
    pub access_key: String,
    pub secret_key: String,
}

impl S3Server {
    pub fn start() -> S3Server {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("s3-data")).unwrap();
        let mut server = S3Server {
            child: None,
            port: 0,
            dir,
            access_key: format!("AK{}", random_hex(9).to_uppercase()),
            secret_key: random_hex(20),
        };
        server.spawn();
        server
    }

    /// The folder s3s-fs stores into: one sub-folder per bucket, upload parts at the top.
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("s3-data")
    }

    pub fn create_bucket(&self, name: &str) {
        std::fs::create_dir_all(self.data().join(name)).unwrap();
    }

    fn spawn(&mut self) {
        let log = self.dir.path().join("s3s-fs.log");
        let log_file = std::fs::File::create(&log).unwrap();
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
            .stdout(log_file.try_clone().unwrap())
            .stderr(log_file)
            .spawn()
            .expect("start s3s-fs");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let mut text = String::new();
            std::fs::File::open(&log)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            let marker = "server is running at http://127.0.0.1:";
            if let Some(at) = text.find(marker) {
                let digits: String = text[at + marker.len()..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                self.port = digits.parse().unwrap();
                if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                    return;
                }
            }
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("s3s-fs exited during start-up ({status}): {text}");
            }
            assert!(
                Instant::now() < deadline,
                "s3s-fs did not start within 30 s: {text}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
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

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The variables scripts/lib/s3-server.sh exports, and a HOME without AWS files.
    pub fn env(&self) -> Environment {
        Environment::from_vars([
            ("HOME", self.dir.path().join("home").to_str().unwrap()),
            ("AWS_ENDPOINT_URL", self.endpoint().as_str()),
            ("AWS_ACCESS_KEY_ID", self.access_key.as_str()),
            ("AWS_SECRET_ACCESS_KEY", self.secret_key.as_str()),
            ("AWS_REGION", "us-east-1"),
            ("AWS_ALLOW_HTTP", "true"),
        ])
    }

    pub fn options() -> Options {
        Options {
            timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(5),
            retries: 2,
            stop: None,
        }
    }

    pub fn store(&self, url: &str) -> Store {
        self.store_with(url, &S3Server::options())
    }

    pub fn store_with(&self, url: &str, options: &Options) -> Store {
        Store::connect_with(&Location::parse(url).unwrap(), options, &self.env()).unwrap()
    }

    pub fn secrets(&self) -> Vec<String> {
        vec![self.access_key.clone(), self.secret_key.clone()]
    }

    /// Files of unfinished multipart uploads that s3s-fs keeps at the top of its data folder.
    pub fn upload_leftovers(&self) -> Vec<String> {
        std::fs::read_dir(self.data())
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|name| name.starts_with(".upload_id-") || name.starts_with(".upload-"))
            .collect()
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Fails when `text` holds any of `secrets`.
pub fn assert_no_secret(text: &str, secrets: &[String]) {
    for secret in secrets {
        assert!(
            !text.contains(secret.as_str()),
            "a secret appears in: {text}"
        );
    }
}

/// Display, alternate Display and Debug of an error, for secret checks.
pub fn all_text(err: &remote::RemoteError) -> String {
    let mut text = format!("{err}\n{err:#}\n{err:?}\n");
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        text.push_str(&format!("{s}\n{s:?}\n"));
        source = s.source();
    }
    text
}
