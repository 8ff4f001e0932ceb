//! TLS for the admin connection, following libpq's `sslmode` rules.
//!
//! pg_dump and psql handle TLS themselves (they get `PGSSLMODE` and friends); the driver
//! connection must behave the same, or a server that forces TLS (managed services do) would be
//! reachable by the dump but not by the checks around it.
//!
//! | sslmode | encryption | certificate check |
//! | --- | --- | --- |
//! | disable | never | - |
//! | allow, prefer (default) | if the server offers it | none |
//! | require | always | none (chain only, when `sslrootcert` is given, as libpq does) |
//! | verify-ca | always | chain against `sslrootcert` or the public roots |
//! | verify-full | always | chain and host name |

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::engine::conn::PgConn;
use crate::error::{Error, Result};

/// How the driver should use TLS for one connection.
pub enum TlsChoice {
    /// `sslmode=disable`.
    Off,
    /// TLS with the given connector and driver mode (prefer or require).
    On(
        tokio_postgres_rustls::MakeRustlsConnect,
        tokio_postgres::config::SslMode,
    ),
}

#[derive(Debug)]
struct Verifier {
    /// None: accept any certificate (encryption without authentication, as libpq's `require`).
    chain: Option<Arc<WebPkiServerVerifier>>,
    check_name: bool,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
            Ok(v) => Ok(v),
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.check_name => Ok(ServerCertVerified::assertion()),
            Err(e) => Err(e),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// `~/.postgresql/<file>`, libpq's default place for certificates and keys.
fn default_file(file: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".postgresql").join(file))
}

/// The root certificates to check the server against: `sslrootcert` (`system` for the public
/// roots), else `~/.postgresql/root.crt` as libpq. `None` when there is no such file.
fn roots(conn: &PgConn) -> Result<Option<RootCertStore>> {
    let mut store = RootCertStore::empty();
    let path = match conn.params.get("sslrootcert") {
        Some(p) if p == "system" => {
            store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            return Ok(Some(store));
        }
        Some(p) => std::path::PathBuf::from(p),
        None => match default_file("root.crt").filter(|p| p.is_file()) {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    let pem = std::fs::read(&path).map_err(|e| {
        Error::bad_input(
            format!("cannot read root certificate file {}", path.display()),
            e,
        )
    })?;
    for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
        let cert = cert.map_err(|e| {
            Error::bad_input(
                format!("root certificate file {} is not PEM", path.display()),
                e,
            )
        })?;
        store.add(cert).map_err(|e| {
            Error::bad_input(format!("root certificate file {}", path.display()), e)
        })?;
    }
    Ok(Some(store))
}

/// Always presents the one certificate and key it holds.
#[derive(Debug)]
struct FixedClientCert(Arc<rustls::sign::CertifiedKey>);

impl rustls::client::ResolvesClientCert for FixedClientCert {
    fn resolve(
        &self,
        _root_hint_subjects: &[&[u8]],
        _sigschemes: &[rustls::SignatureScheme],
    ) -> Option<Arc<rustls::sign::CertifiedKey>> {
        Some(Arc::clone(&self.0))
    }

    fn has_certs(&self) -> bool {
        true
    }
}

/// The client certificate and key to present: `sslcert`/`sslkey`, else
/// `~/.postgresql/postgresql.crt` and `.key` when they exist. A key others may read is refused,
/// as libpq refuses it.
fn client_identity(
    conn: &PgConn,
) -> Result<
    Option<(
        Vec<CertificateDer<'static>>,
        rustls::pki_types::PrivateKeyDer<'static>,
    )>,
> {
    use std::os::unix::fs::PermissionsExt;
    let cert = match conn.params.get("sslcert") {
        Some(p) => std::path::PathBuf::from(p),
        None => match default_file("postgresql.crt").filter(|p| p.is_file()) {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    let key = match conn.params.get("sslkey") {
        Some(p) => std::path::PathBuf::from(p),
        None => default_file("postgresql.key").unwrap_or_default(),
    };
    let read = |p: &std::path::Path, what: &str| {
        std::fs::read(p)
            .map_err(|e| Error::bad_input(format!("cannot read {what} {}", p.display()), e))
    };
    let certs: Vec<CertificateDer<'static>> =
        rustls_pemfile::certs(&mut read(&cert, "client certificate")?.as_slice())
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| {
                Error::bad_input(
                    format!("client certificate {} is not PEM", cert.display()),
                    e,
                )
            })?;
    let meta = std::fs::metadata(&key)
        .map_err(|e| Error::bad_input(format!("cannot read client key {}", key.display()), e))?;
    if meta.permissions().mode() & 0o077 != 0 {
        return Err(Error::Usage(format!(
            "private key file \"{}\" has group or world access; file must have permissions u=rw (0600) or less",
            key.display()
        )));
    }
    let pem = read(&key, "client key")?;
    let text = String::from_utf8_lossy(&pem);
    if text.contains("Proc-Type: 4,ENCRYPTED") {
        return Err(Error::Usage(format!(
            "client key {} is encrypted in OpenSSL's old format; convert it to PKCS#8 \
             (openssl pkcs8 -topk8 -in old.key -out new.key) and give its passphrase as sslpassword",
            key.display()
        )));
    }
    if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
        let Some(pass) = conn.sslpassword() else {
            return Err(Error::Usage(format!(
                "client key {} is encrypted: give its passphrase as sslpassword (in the URL, a \
                 service file or the keyword string)",
                key.display()
            )));
        };
        use pkcs8::der::Decode;
        let (_, doc) = pkcs8::Document::from_pem(&text)
            .map_err(|_| Error::Usage(format!("client key {} is not PEM", key.display())))?;
        let decrypted = pkcs8::EncryptedPrivateKeyInfo::from_der(doc.as_bytes())
            .map_err(pkcs8::Error::from)
            .and_then(|info| info.decrypt(pass.expose().as_bytes()))
            .map_err(|_| {
                Error::Usage(format!(
                    "cannot decrypt client key {} (wrong sslpassword, or an unsupported cipher)",
                    key.display()
                ))
            })?;
        let der = rustls::pki_types::PrivateKeyDer::Pkcs8(decrypted.as_bytes().to_vec().into());
        return Ok(Some((certs, der)));
    }
    let der = rustls_pemfile::private_key(&mut pem.as_slice())
        .map_err(|e| Error::bad_input(format!("client key {} is not PEM", key.display()), e))?
        .ok_or_else(|| {
            Error::Usage(format!("client key {} holds no private key", key.display()))
        })?;
    Ok(Some((certs, der)))
}

/// Chooses TLS settings for a connection from its `sslmode` and `sslrootcert`.
pub fn choose(conn: &PgConn) -> Result<TlsChoice> {
    use tokio_postgres::config::SslMode;
    let mode = conn
        .params
        .get("sslmode")
        .map(String::as_str)
        .unwrap_or("prefer");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = roots(conn)?;
    let (driver_mode, verify, check_name) = match mode {
        "disable" => return Ok(TlsChoice::Off),
        "allow" | "prefer" => (SslMode::Prefer, false, false),
        // As libpq: with a root certificate file at hand, require checks the chain too.
        "require" => (SslMode::Require, roots.is_some(), false),
        "verify-ca" => (SslMode::Require, true, false),
        "verify-full" => (SslMode::Require, true, true),
        other => {
            return Err(Error::Usage(format!(
                "unknown sslmode '{other}' (use disable, allow, prefer, require, verify-ca or verify-full)"
            )))
        }
    };
    let chain = if verify {
        let store = roots.ok_or_else(|| Error::Postgres {
            context: format!("cannot connect to {}", conn.redacted()),
            source: Some(crate::error::ServerError {
                code: None,
                message: format!(
                    "root certificate file \"{}\" does not exist; either provide the file, use the system's roots (sslrootcert=system), or change sslmode to disable server certificate verification",
                    default_file("root.crt").unwrap_or_default().display()
                ),
            }),
        })?;
        Some(
            WebPkiServerVerifier::builder_with_provider(Arc::new(store), Arc::clone(&provider))
                .build()
                .map_err(|e| Error::bad_input("cannot set up certificate checks", e))?,
        )
    } else {
        None
    };
    let verifier = Verifier {
        chain,
        check_name,
        provider: Arc::clone(&provider),
    };
    let builder = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::bad_input("cannot set up TLS", e))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier));
    let config = match client_identity(conn)? {
        // Presented as given: libpq does not insist on X.509 v3 for its own certificate either
        // (the manual's `openssl x509 -req` makes v1), so the key is loaded without parsing
        // the certificate; the server checks it.
        Some((certs, key)) => {
            let signer = provider
                .key_provider
                .load_private_key(key)
                .map_err(|e| Error::bad_input("cannot use the client key", e))?;
            let certified = Arc::new(rustls::sign::CertifiedKey::new(certs, signer));
            builder.with_client_cert_resolver(Arc::new(FixedClientCert(certified)))
        }
        None => builder.with_no_client_auth(),
    };
    Ok(TlsChoice::On(
        tokio_postgres_rustls::MakeRustlsConnect::new(config),
        driver_mode,
    ))
}
