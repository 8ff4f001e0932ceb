//! The https path (rustls with the ring provider, system roots, AWS_CA_BUNDLE) against a local
//! `openssl s_server` with a self-signed certificate. Not S3: the point is the TLS handshake.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use remote::{Environment, Location, Options, RemoteError, Store};

struct TlsServer {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl TlsServer {
    fn start() -> TlsServer {
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str| dir.path().join(name);
        std::fs::write(
            path("leaf.ext"),
            "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        let steps: [Vec<String>; 3] = [
            // A test CA, then a server certificate for 127.0.0.1 signed by it.
            ["req", "-x509"]
                .into_iter()
                .chain(ec)
                .chain(["-days", "1", "-subj", "/CN=remote-test-ca"])
                .map(String::from)
                .chain([
                    "-keyout".into(),
                    path("ca.key").display().to_string(),
                    "-out".into(),
                    path("ca.pem").display().to_string(),
                ])
                .collect(),
            ["req"]
                .into_iter()
                .chain(ec)
                .chain(["-subj", "/CN=127.0.0.1"])
                .map(String::from)
                .chain([
                    "-keyout".into(),
                    path("key.pem").display().to_string(),
                    "-out".into(),
                    path("leaf.csr").display().to_string(),
                ])
                .collect(),
            ["x509", "-req", "-days", "1", "-CAcreateserial"]
                .into_iter()
                .map(String::from)
                .chain(
                    [
                        "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-extfile",
                        "leaf.ext", "-out", "cert.pem",
                    ]
                    .map(|a| {
                        if a.starts_with('-') {
                            a.to_string()
                        } else {
                            path(a).display().to_string()
                        }
                    }),
                )
                .collect(),
        ];
        for args in steps {
            let status = Command::new("openssl")
                .args(&args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("openssl is needed for the TLS tests (apt-get install openssl)");
            assert!(status.success(), "openssl {args:?} failed");
        }
        let (cert, key) = (path("cert.pem"), path("key.pem"));
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("openssl")
            .args(["s_server", "-quiet", "-www", "-accept"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("-cert")
            .arg(&cert)
            .arg("-key")
            .arg(&key)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "openssl s_server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        TlsServer { child, port, dir }
    }

    fn store(&self, ca_bundle: bool) -> Store {
        let mut env = Environment::from_vars([
            (
                "AWS_ENDPOINT_URL",
                format!("https://127.0.0.1:{}", self.port),
            ),
            ("AWS_ACCESS_KEY_ID", "AKTLSKEY000000001".to_string()),
            (
                "AWS_SECRET_ACCESS_KEY",
                "tls-secret-value-000001".to_string(),
            ),
        ]);
        if ca_bundle {
            env = env.with(
                "AWS_CA_BUNDLE",
                self.dir.path().join("ca.pem").to_str().unwrap(),
            );
        }
        let options = Options {
            timeout: Duration::from_secs(5),
            retries: 0,
            ..Options::default()
        };
        Store::connect_with(&Location::parse("s3://bkt/p").unwrap(), &options, &env).unwrap()
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn unknown_certificate_is_refused_and_a_ca_bundle_makes_it_trusted() {
    let server = TlsServer::start();
    let err = server.store(false).list("").unwrap_err();
    assert!(matches!(err, RemoteError::Unreachable { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("certificate") || text.contains("UnknownIssuer"),
        "names the TLS failure: {text}"
    );

    // Trusted through AWS_CA_BUNDLE: the handshake succeeds. (s_server answers any GET with an
    // HTML page, which object_store reads as an empty listing.)
    match server.store(true).list("") {
        Ok(listed) => assert!(listed.is_empty()),
        Err(err) => {
            assert!(
                !matches!(
                    err,
                    RemoteError::Unreachable { .. } | RemoteError::Timeout { .. }
                ),
                "{err:?}"
            );
            let text = format!("{err} {err:?}");
            assert!(
                !text.contains("tls-secret-value") && !text.contains("AKTLSKEY"),
                "{text}"
            );
        }
    }
}
