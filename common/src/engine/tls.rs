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

use crate::error::{Error, Result};
use crate::engine::conn::PgConn;

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

fn roots(conn: &PgConn) -> Result<(RootCertStore, bool)> {
    let mut store = RootCertStore::empty();
    match conn.params.get("sslrootcert") {
        Some(path) if path != "system" => {
            let pem = std::fs::read(path)
                .map_err(|e| Error::Usage(format!("cannot read sslrootcert {path}: {e}")))?;
            for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
                let cert =
                    cert.map_err(|e| Error::Usage(format!("sslrootcert {path} is not PEM: {e}")))?;
                store
                    .add(cert)
                    .map_err(|e| Error::Usage(format!("sslrootcert {path}: {e}")))?;
            }
            Ok((store, true))
        }
        _ => {
            store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            Ok((store, false))
        }
    }
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
    let (driver_mode, verify, check_name) = match mode {
        "disable" => return Ok(TlsChoice::Off),
        "allow" | "prefer" => (SslMode::Prefer, false, false),
        "require" => (SslMode::Require, conn.params.contains_key("sslrootcert"), false),
        "verify-ca" => (SslMode::Require, true, false),
        "verify-full" => (SslMode::Require, true, true),
        other => {
            return Err(Error::Usage(format!(
                "unknown sslmode '{other}' (use disable, allow, prefer, require, verify-ca or verify-full)"
            )))
        }
    };
    let chain = if verify {
        let (store, _) = roots(conn)?;
        Some(
            WebPkiServerVerifier::builder_with_provider(Arc::new(store), Arc::clone(&provider))
                .build()
                .map_err(|e| Error::Usage(format!("cannot set up certificate checks: {e}")))?,
        )
    } else {
        None
    };
    let verifier = Verifier {
        chain,
        check_name,
        provider: Arc::clone(&provider),
    };
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Usage(format!("cannot set up TLS: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok(TlsChoice::On(
        tokio_postgres_rustls::MakeRustlsConnect::new(config),
        driver_mode,
    ))
}
