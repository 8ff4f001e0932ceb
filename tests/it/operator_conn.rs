//! Issue 11, "Connections, as libpq users write them": service files, keyword/value strings
//! wherever a URL is accepted, TLS as libpq does it (default root certificate, client
//! certificates, key passphrases that never show), the password file's permission rule, and
//! password variables on the read-only commands. psql on the same connection string, HOME and
//! environment is the oracle of what libpq does.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use tests::{cluster, load_sample, run, tool, Cluster, Stopped, PASSWORD, SAMPLE_RULES};

use crate::operator_common::*;

/// psql (libpq itself) on a connection string, with only the given environment: whether it
/// connects, and what it printed on stderr.
fn libpq_connects(c: &Cluster, conn: &str, home: &Path, env: &[(&str, &str)]) -> (bool, String) {
    let mut p = Command::new(c.bindir.join("psql"));
    p.env_clear()
        .env("HOME", home)
        .env("PATH", "/usr/bin:/bin")
        .args(["-X", "-A", "-t", "-w", "-c", "SELECT 1", "-d", conn]);
    for (k, v) in env {
        p.env(k, v);
    }
    let out = p.output().expect("run psql");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn kv(c: &Cluster, db: &str) -> String {
    format!(
        "host=127.0.0.1 port={} dbname='{}' user=postgres",
        c.port,
        db.replace('\\', "\\\\").replace('\'', "\\'")
    )
}

/// A backup's row count of `public.users` in its manifest.
fn users_in(file: &Path) -> Option<u64> {
    manifest(file)["tables"]["public.users"].as_u64()
}

#[test]
fn operator_service_files_are_honoured_home_pgservicefile_pgsysconfdir() {
    let c = cluster();
    let db = c.create_db("op_svc");
    load_sample(c, &db.name, 20);
    let home = empty_home();
    let other = tempfile::tempdir().expect("tmp");
    let dir = tempfile::tempdir().expect("tmp");
    let entry = |name: &str, port: u16| {
        format!(
            "# written by the operator\n[{name}]\nhost=127.0.0.1\nport={port}\ndbname={}\nuser=postgres\n\n",
            db.name
        )
    };
    write_mode(
        &home.path().join(".pg_service.conf"),
        &(entry("opsvc", c.port) + &entry("both", c.port)),
        0o600,
    );
    let user_file = other.path().join("services.conf");
    write_mode(&user_file, &entry("fromfile", c.port), 0o600);
    let sysconf = other.path().join("etc");
    write_mode(
        &sysconf.join("pg_service.conf"),
        &(entry("fromsys", c.port) + &entry("both", 1)),
        0o644,
    );

    let mut ch = Checks::new();
    // (what, --db, extra environment)
    #[allow(clippy::type_complexity)]
    let cases: Vec<(&str, String, Vec<(&str, String)>)> = vec![
        (
            "service= keyword, ~/.pg_service.conf",
            "service=opsvc".into(),
            vec![],
        ),
        (
            "?service= in a URL",
            "postgresql://?service=opsvc".into(),
            vec![],
        ),
        (
            "PGSERVICE with an empty URL",
            "postgresql://".into(),
            vec![("PGSERVICE", "opsvc".into())],
        ),
        (
            "PGSERVICEFILE",
            "service=fromfile".into(),
            vec![("PGSERVICEFILE", user_file.display().to_string())],
        ),
        (
            "PGSYSCONFDIR",
            "service=fromsys".into(),
            vec![("PGSYSCONFDIR", sysconf.display().to_string())],
        ),
        (
            "the user's file wins over the system's for the same service",
            "service=both".into(),
            vec![("PGSYSCONFDIR", sysconf.display().to_string())],
        ),
    ];
    for (what, url, env) in &cases {
        // libpq agrees that this connection string works with this environment.
        let envs: Vec<(&str, &str)> = env
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .chain([("PGPASSWORD", PASSWORD)])
            .collect();
        let (psql_ok, psql_err) = libpq_connects(c, url, home.path(), &envs);
        assert!(
            psql_ok,
            "oracle: psql cannot use {what} ({url}): {psql_err}"
        );
        let mut b = bare("backup-tool", home.path());
        b.env("PGPASSWORD", PASSWORD)
            .args(["backup", "--json", "--db", url, "--dir"])
            .arg(dir.path());
        for (k, v) in env {
            b.env(k, v);
        }
        let out = run(b);
        ch.clean_out(what, &out);
        if out.code != 0 {
            ch.check(false, || {
                format!(
                    "{what}: backup --db {url} exit {}: {}",
                    out.code,
                    tail(&out.stderr)
                )
            });
            continue;
        }
        let file = PathBuf::from(
            json(&out)
                .ok()
                .and_then(|j| j["path"].as_str().map(str::to_string))
                .unwrap_or_default(),
        );
        let m = manifest(&file);
        ch.check(users_in(&file) == Some(20), || {
            format!(
                "{what}: the backup is not of {} (manifest tables {})",
                db.name, m["tables"]
            )
        });
        ch.check(gunzip(&file).contains("COPY public.users"), || {
            format!("{what}: pg_dump did not dump {}", db.name)
        });
        ch.check(m["name"] == db.name.as_str(), || {
            format!(
                "{what}: the backup's default name should be the database name {:?} (README: \"the database name\"), got {}",
                db.name, m["name"]
            )
        });
        let src = m["source"].as_str().unwrap_or_default();
        ch.check(
            src.contains(&format!(":{}", c.port)) && src.contains(&db.name),
            || {
                format!(
                    "{what}: the manifest's source should name the server and database the service resolved to (127.0.0.1:{}/{}), got {src:?}",
                    c.port, db.name
                )
            },
        );
    }

    // The tool's own connection (no child) honours it too: diff of the service against the
    // same database by URL finds them equal.
    let mut d = bare("sync-tool", home.path());
    d.env("PGPASSWORD", PASSWORD)
        .args(["diff", "--from", "service=opsvc", "--to", &db.url]);
    let out = run(d);
    ch.check(out.code == 0, || {
        format!(
            "sync-tool diff --from service=opsvc: exit {}: {}",
            out.code,
            tail(&all(&out))
        )
    });

    // A service defined nowhere is an error that names it, as libpq's.
    let before = tests::visible_files(dir.path());
    let mut b = bare("backup-tool", home.path());
    b.env("PGPASSWORD", PASSWORD)
        .args(["backup", "--db", "service=nosuchsvc", "--dir"])
        .arg(dir.path());
    let out = run(b);
    ch.check(out.code != 0, || "an undefined service was accepted".into());
    ch.check(
        out.stderr.contains("nosuchsvc") && out.stderr.contains("not found"),
        || {
            format!(
                "undefined service: the error does not say so: {}",
                out.stderr
            )
        },
    );
    ch.check(tests::visible_files(dir.path()) == before, || {
        "undefined service: files were written".into()
    });
    ch.finish();
}

#[test]
fn operator_keyword_value_strings_work_wherever_a_url_does() {
    let c = cluster();
    // A name that needs quoting in a keyword/value string.
    let src = c.create_db("op kv src");
    load_sample(c, &src.name, 30);
    let work = tempfile::tempdir().expect("tmp");
    let rules = work.path().join("masking.toml");
    std::fs::write(&rules, SAMPLE_RULES).expect("rules");
    let dir = work.path().join("backups");
    let mut ch = Checks::new();
    fn step(
        ch: &mut Checks,
        what: &str,
        tool_name: &str,
        args: Vec<String>,
        want: &[i32],
    ) -> tests::Output {
        let mut t = tool(tool_name);
        t.env("MASK_SALT", "operator-kv-salt-0123456789")
            .args(&args);
        let out = run(t);
        ch.clean_out(what, &out);
        ch.check(want.contains(&out.code), || {
            format!(
                "{what}: {tool_name} {} exit {} (want {want:?}):\n{}",
                args.join(" "),
                out.code,
                tail(&all(&out))
            )
        });
        out
    }
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();

    // backup
    let out = step(
        &mut ch,
        "backup",
        "backup-tool",
        s(&[
            "backup",
            "--db",
            &kv(c, &src.name),
            "--dir",
            &dir.display().to_string(),
        ]),
        &[0],
    );
    let file = PathBuf::from(out.stdout.trim());
    if out.code == 0 {
        ch.check(users_in(&file) == Some(30), || {
            "backup: wrong rows in the manifest".into()
        });
    }
    // restore --create
    let restored = c.fresh_name("op_kv_restored");
    step(
        &mut ch,
        "restore",
        "backup-tool",
        s(&[
            "restore",
            &file.display().to_string(),
            "--db",
            &kv(c, &restored),
            "--create",
        ]),
        &[0],
    );
    ch.check(
        c.db_exists(&restored) && c.table_checksums(&restored) == c.table_checksums(&src.name),
        || "restore: the target does not hold the source's data".into(),
    );
    // verify --restore-test
    let scratch = c.fresh_name("op_kv_scratch");
    step(
        &mut ch,
        "verify --restore-test",
        "backup-tool",
        s(&[
            "verify",
            &file.display().to_string(),
            "--restore-test",
            &kv(c, &scratch),
        ]),
        &[0],
    );
    // sync setup + run + verify + diff
    let staging = c.fresh_name("op_kv_staging");
    step(
        &mut ch,
        "sync setup",
        "sync-tool",
        s(&["setup", "--to", &kv(c, &staging)]),
        &[0],
    );
    ch.check(c.db_exists(&staging), || {
        "sync setup: no staging database created".into()
    });
    step(
        &mut ch,
        "sync run",
        "sync-tool",
        s(&[
            "run",
            "--from",
            &kv(c, &src.name),
            "--to",
            &kv(c, &staging),
            "--rules",
            &rules.display().to_string(),
            "--yes",
        ]),
        &[0],
    );
    if c.db_exists(&staging) {
        let n = c.psql(
            &staging,
            "SELECT count(*) FROM pg_tables WHERE tablename = 'users'",
        );
        if n.trim() == "1" {
            let leaked = c.psql(
                &staging,
                "SELECT count(*) FROM public.users WHERE email LIKE 'user%@example.com'",
            );
            let rows = c.psql(&staging, "SELECT count(*) FROM public.users");
            ch.check(rows.trim() == "30" && leaked.trim() == "0", || {
                format!(
                    "sync run: staging has {} users, {} unmasked",
                    rows.trim(),
                    leaked.trim()
                )
            });
        } else {
            ch.check(false, || "sync run: staging has no users table".into());
        }
    }
    step(
        &mut ch,
        "sync verify",
        "sync-tool",
        s(&[
            "verify",
            "--from",
            &kv(c, &src.name),
            "--to",
            &kv(c, &staging),
            "--rules",
            &rules.display().to_string(),
        ]),
        &[0],
    );
    let out = step(
        &mut ch,
        "sync diff",
        "sync-tool",
        s(&[
            "diff",
            "--json",
            "--from",
            &kv(c, &src.name),
            "--to",
            &kv(c, &restored),
        ]),
        &[0],
    );
    ch.check(
        json(&out).map(|j| j["equal"] == true).unwrap_or(false),
        || format!("sync diff: not reported equal: {}", out.stdout),
    );
    // mask lint, apply, leaks
    step(
        &mut ch,
        "mask lint",
        "mask-tool",
        s(&[
            "lint",
            "--rules",
            &rules.display().to_string(),
            "--db",
            &kv(c, &src.name),
        ]),
        &[0, 3],
    );
    let out = step(
        &mut ch,
        "mask leaks before masking",
        "mask-tool",
        s(&[
            "leaks",
            "--rules",
            &rules.display().to_string(),
            "--from",
            &kv(c, &src.name),
            "--to",
            &kv(c, &restored),
        ]),
        &[3],
    );
    let _ = out;
    step(
        &mut ch,
        "mask apply",
        "mask-tool",
        s(&[
            "apply",
            "--rules",
            &rules.display().to_string(),
            "--db",
            &kv(c, &restored),
        ]),
        &[0],
    );
    let left = c.psql(
        &restored,
        "SELECT count(*) FROM public.users WHERE email LIKE 'user%@example.com'",
    );
    ch.check(left.trim() == "0", || {
        format!("mask apply: {} emails left unmasked", left.trim())
    });
    step(
        &mut ch,
        "mask leaks after masking",
        "mask-tool",
        s(&[
            "leaks",
            "--rules",
            &rules.display().to_string(),
            "--from",
            &kv(c, &src.name),
            "--to",
            &kv(c, &restored),
        ]),
        &[0],
    );
    ch.finish();
}

// ---------------------------------------------------------------------------------------------
// TLS: a cluster of our own (ssl=on from the harness) that also checks client certificates
// against the harness's CA, with a role that may only log in with a certificate.
// ---------------------------------------------------------------------------------------------

struct Tls {
    c: Cluster,
    /// Client certificate and key (CN=opcert), the key unencrypted.
    cert: PathBuf,
    key: PathBuf,
    /// The same key and subject in a certificate without extensions (X.509 v1).
    cert_v1: PathBuf,
    /// The same certificate's key encrypted with [`PASSPHRASE`].
    enc_key: PathBuf,
    /// A CA that did not sign the server's certificate.
    foreign_ca: PathBuf,
    _dir: tempfile::TempDir,
}

const PASSPHRASE: &str = "kEy-Passphrase-93bd";

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn tls() -> &'static Tls {
    static TLS: OnceLock<Tls> = OnceLock::new();
    TLS.get_or_init(|| {
        let c = Cluster::start("optls");
        let dir = tempfile::Builder::new().prefix("op-certs-").tempdir().expect("tmp");
        let d = dir.path();
        let ca = c.root.join("ca.crt").display().to_string();
        let ca_key = c.root.join("ca.key").display().to_string();
        openssl(d, &["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=opcert", "-keyout", "client.key", "-out", "client.csr"]);
        std::fs::write(d.join("client.ext"), "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n").expect("ext");
        openssl(d, &["x509", "-req", "-in", "client.csr", "-CA", &ca, "-CAkey", &ca_key, "-CAcreateserial", "-days", "2", "-extfile", "client.ext", "-out", "client.crt"]);
        // As the PostgreSQL manual makes one ("Creating Certificates"): no extensions.
        openssl(d, &["x509", "-req", "-in", "client.csr", "-CA", &ca, "-CAkey", &ca_key, "-CAcreateserial", "-days", "2", "-out", "client_v1.crt"]);
        openssl(d, &["pkey", "-in", "client.key", "-aes256", "-passout", &format!("pass:{PASSPHRASE}"), "-out", "client_enc.key"]);
        openssl(d, &["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=someone-else", "-keyout", "foreign.key", "-out", "foreign.crt"]);
        use std::os::unix::fs::PermissionsExt;
        for k in ["client.key", "client_enc.key"] {
            std::fs::set_permissions(d.join(k), std::fs::Permissions::from_mode(0o600)).expect("chmod");
        }
        c.psql("postgres", "CREATE ROLE opcert LOGIN SUPERUSER");
        c.psql("postgres", &format!("ALTER SYSTEM SET ssl_ca_file = '{ca}'"));
        let hba = c.root.join("data/pg_hba.conf");
        let old = std::fs::read_to_string(&hba).expect("hba");
        std::fs::write(
            &hba,
            format!("hostssl all opcert 127.0.0.1/32 cert\nhost all opcert 127.0.0.1/32 reject\n{old}"),
        )
        .expect("write hba");
        c.psql("postgres", "SELECT pg_reload_conf()");
        let t = Tls {
            cert: d.join("client.crt"),
            cert_v1: d.join("client_v1.crt"),
            key: d.join("client.key"),
            enc_key: d.join("client_enc.key"),
            foreign_ca: d.join("foreign.crt"),
            c,
            _dir: dir,
        };
        // The reload is asynchronous: wait until a certificate login works.
        let home = empty_home();
        let conn = format!(
            "host=127.0.0.1 port={} dbname=postgres user=opcert sslmode=require sslcert={} sslkey={}",
            t.c.port,
            t.cert.display(),
            t.key.display()
        );
        let ok = tests::poll_until(std::time::Duration::from_secs(30), || {
            libpq_connects(&t.c, &conn, home.path(), &[]).0
        });
        assert!(ok, "the TLS cluster never accepted a certificate login: {}", libpq_connects(&t.c, &conn, home.path(), &[]).1);
        t
    })
}

/// A HOME whose ~/.postgresql/root.crt is `root` (if any).
fn home_with_root(root: Option<&Path>) -> tempfile::TempDir {
    let h = empty_home();
    if let Some(r) = root {
        let pg = h.path().join(".postgresql");
        std::fs::create_dir_all(&pg).expect("mkdir");
        std::fs::copy(r, pg.join("root.crt")).expect("copy root.crt");
    }
    h
}

#[test]
fn operator_tls_verify_full_uses_home_root_crt_as_libpq_does() {
    let t = tls();
    let c = &t.c;
    let db = c.create_db("op_tls");
    load_sample(c, &db.name, 10);
    let ca = c.root.join("ca.crt");
    let good = home_with_root(Some(&ca));
    let foreign = home_with_root(Some(&t.foreign_ca));
    let none = home_with_root(None);
    let dir = tempfile::tempdir().expect("tmp");
    let url = |mode: &str, host: &str| {
        format!(
            "postgresql://postgres@{host}:{}/{}?sslmode={mode}",
            c.port, db.name
        )
    };
    // (what, connection string, HOME, libpq must connect)
    let cases: Vec<(&str, String, &Path, bool)> = vec![
        ("verify-full, ~/.postgresql/root.crt is the CA, host 127.0.0.1", url("verify-full", "127.0.0.1"), good.path(), true),
        ("verify-full, ~/.postgresql/root.crt is the CA, host localhost", url("verify-full", "localhost"), good.path(), true),
        ("verify-ca, ~/.postgresql/root.crt is the CA", url("verify-ca", "127.0.0.1"), good.path(), true),
        ("verify-full, root.crt is another CA", url("verify-full", "127.0.0.1"), foreign.path(), false),
        ("verify-ca, root.crt is another CA", url("verify-ca", "127.0.0.1"), foreign.path(), false),
        ("require with a root.crt of another CA (libpq then checks the chain)", url("require", "127.0.0.1"), foreign.path(), false),
        ("verify-full without any root.crt", url("verify-full", "127.0.0.1"), none.path(), false),
        (
            "verify-full, host name not in the certificate (hostaddr gives the address)",
            format!("host=wrong-name.invalid hostaddr=127.0.0.1 port={} dbname={} user=postgres sslmode=verify-full", c.port, db.name),
            good.path(),
            false,
        ),
    ];
    let mut ch = Checks::new();
    for (what, conn, home, want) in &cases {
        let (psql_ok, psql_err) = libpq_connects(c, conn, home, &[("PGPASSWORD", PASSWORD)]);
        assert_eq!(psql_ok, *want, "oracle: psql on {what}: {psql_err}");
        // The tool's own connection alone (diff), then the tool with pg_dump (backup).
        let mut d = bare("sync-tool", home);
        d.env("PGPASSWORD", PASSWORD)
            .args(["diff", "--from", conn, "--to", conn]);
        let out = run(d);
        ch.clean_out(what, &out);
        ch.check((out.code == 0) == *want, || {
            format!(
                "{what}: libpq {} but the tool's own connection (sync-tool diff) exit {}: {}",
                if *want { "connects" } else { "refuses" },
                out.code,
                tail(&out.stderr)
            )
        });
        let before = tests::visible_files(dir.path());
        let mut b = bare("backup-tool", home);
        b.env("PGPASSWORD", PASSWORD)
            .args(["backup", "--db", conn, "--dir"])
            .arg(dir.path());
        let out = run(b);
        ch.clean_out(what, &out);
        ch.check((out.code == 0) == *want, || {
            format!(
                "{what}: libpq {} but backup exit {}: {}",
                if *want { "connects" } else { "refuses" },
                out.code,
                tail(&out.stderr)
            )
        });
        if !*want {
            ch.check(tests::visible_files(dir.path()) == before, || {
                format!(
                    "{what}: a refused connection still left files {:?}",
                    tests::visible_files(dir.path())
                )
            });
        }
        if *want && out.code == 0 {
            let f = PathBuf::from(out.stdout.trim());
            ch.check(users_in(&f) == Some(10), || {
                format!("{what}: wrong backup content")
            });
        }
    }
    // The message for a missing root certificate is libpq's.
    let mut b = bare("backup-tool", none.path());
    b.env("PGPASSWORD", PASSWORD)
        .args(["backup", "--db", &url("verify-full", "127.0.0.1"), "--dir"])
        .arg(dir.path());
    let out = run(b);
    ch.check(
        out.stderr.contains("root.crt") && out.stderr.contains("does not exist"),
        || {
            format!(
                "missing root.crt: the error does not name it: {}",
                out.stderr
            )
        },
    );
    ch.finish();
}

#[test]
fn operator_tls_client_certificates_sslcert_sslkey_and_home_defaults() {
    let t = tls();
    let c = &t.c;
    let db = c.create_db("op_cert");
    load_sample(c, &db.name, 10);
    let ca = c.root.join("ca.crt");
    let plain_home = home_with_root(Some(&ca));
    let default_home = home_with_root(Some(&ca));
    let pg = default_home.path().join(".postgresql");
    std::fs::copy(&t.cert, pg.join("postgresql.crt")).expect("copy");
    std::fs::copy(&t.key, pg.join("postgresql.key")).expect("copy");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        pg.join("postgresql.key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .expect("chmod");
    let loose = tempfile::tempdir().expect("tmp");
    let loose_key = loose.path().join("loose.key");
    std::fs::copy(&t.key, &loose_key).expect("copy");
    std::fs::set_permissions(&loose_key, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let svc_home = home_with_root(Some(&ca));
    write_mode(
        &svc_home.path().join(".pg_service.conf"),
        &format!(
            "[certsvc]\nhost=127.0.0.1\nport={}\ndbname={}\nuser=opcert\nsslmode=verify-full\nsslcert={}\nsslkey={}\nsslpassword={PASSPHRASE}\n",
            c.port,
            db.name,
            t.cert.display(),
            t.enc_key.display()
        ),
        0o600,
    );
    let base = format!(
        "host=127.0.0.1 port={} dbname={} user=opcert sslmode=verify-full",
        c.port, db.name
    );
    let cases: Vec<(&str, String, &Path, bool)> = vec![
        (
            "sslcert/sslkey",
            format!(
                "{base} sslcert={} sslkey={}",
                t.cert.display(),
                t.key.display()
            ),
            plain_home.path(),
            true,
        ),
        (
            "~/.postgresql/postgresql.crt and .key by default",
            base.clone(),
            default_home.path(),
            true,
        ),
        (
            "a certificate made as the PostgreSQL manual shows (openssl x509 -req, X.509 v1)",
            format!(
                "{base} sslcert={} sslkey={}",
                t.cert_v1.display(),
                t.key.display()
            ),
            plain_home.path(),
            true,
        ),
        (
            "URL form with sslcert/sslkey",
            format!(
                "postgresql://opcert@127.0.0.1:{}/{}?sslmode=verify-full&sslcert={}&sslkey={}",
                c.port,
                db.name,
                t.cert.display(),
                t.key.display()
            ),
            plain_home.path(),
            true,
        ),
        (
            "no client certificate",
            base.clone(),
            plain_home.path(),
            false,
        ),
        (
            "a key others may read",
            format!(
                "{base} sslcert={} sslkey={}",
                t.cert.display(),
                loose_key.display()
            ),
            plain_home.path(),
            false,
        ),
        (
            "an encrypted key with sslpassword",
            format!(
                "{base} sslcert={} sslkey={} sslpassword={PASSPHRASE}",
                t.cert.display(),
                t.enc_key.display()
            ),
            plain_home.path(),
            true,
        ),
        (
            "an encrypted key with sslpassword from a service file",
            "service=certsvc".to_string(),
            svc_home.path(),
            true,
        ),
    ];
    let dir = tempfile::tempdir().expect("tmp");
    let mut ch = Checks::new();
    for (what, conn, home, want) in &cases {
        let (psql_ok, psql_err) = libpq_connects(c, conn, home, &[]);
        assert_eq!(psql_ok, *want, "oracle: psql with {what}: {psql_err}");
        let mut d = bare("sync-tool", home);
        d.args(["diff", "-v", "--from", conn, "--to", conn]);
        let out = run(d);
        ch.absent(what, &all(&out), PASSPHRASE);
        ch.clean_out(what, &out);
        ch.check((out.code == 0) == *want, || {
            format!(
                "{what}: libpq {} but the tool's own connection (sync-tool diff) exit {}: {}",
                if *want { "connects" } else { "refuses" },
                out.code,
                tail(&out.stderr)
            )
        });
        let mut b = bare("backup-tool", home);
        b.args(["backup", "-v", "--json", "--db", conn, "--dir"])
            .arg(dir.path());
        let out = run(b);
        ch.absent(what, &all(&out), PASSPHRASE);
        ch.clean_out(what, &out);
        ch.check((out.code == 0) == *want, || {
            format!(
                "{what}: libpq {} but backup exit {}: {}",
                if *want { "connects" } else { "refuses" },
                out.code,
                tail(&out.stderr)
            )
        });
        if out.code == 0 {
            let f = json(&out)
                .ok()
                .and_then(|j| j["path"].as_str().map(PathBuf::from))
                .unwrap_or_default();
            ch.check(users_in(&f) == Some(10), || {
                format!("{what}: wrong backup content")
            });
            let m = std::fs::read_to_string(format!("{}.manifest.json", f.display()))
                .unwrap_or_default();
            ch.absent(&format!("{what}: manifest"), &m, PASSPHRASE);
        }
    }
    ch.finish();
}

#[test]
fn operator_sslpassword_never_reaches_logs_errors_cmdline_or_environ() {
    let t = tls();
    let c = &t.c;
    let db = c.create_db("op_sslpw");
    load_sample(c, &db.name, 10);
    let home = home_with_root(Some(&c.root.join("ca.crt")));
    // An unencrypted key: libpq ignores the passphrase, so the run gets as far as pg_dump and
    // what the children were given can be read while it runs.
    write_mode(
        &home.path().join(".pg_service.conf"),
        &format!(
            "[pwsvc]\nhost=127.0.0.1\nport={}\ndbname={}\nuser=opcert\nsslmode=verify-full\nsslcert={}\nsslkey={}\nsslpassword={PASSPHRASE}\n",
            c.port,
            db.name,
            t.cert.display(),
            t.key.display()
        ),
        0o600,
    );
    let dir = tempfile::tempdir().expect("tmp");
    let mut ch = Checks::new();
    let url_form = format!(
        "postgresql://opcert@127.0.0.1:{}/{}?sslmode=verify-full&sslcert={}&sslkey={}&sslpassword={PASSPHRASE}",
        c.port,
        db.name,
        t.cert.display(),
        t.key.display()
    );

    // 1. Logs (-vv), the JSON report and the manifest of a good run.
    for conn in ["service=pwsvc", url_form.as_str()] {
        let mut b = bare("backup-tool", home.path());
        b.args(["backup", "-vv", "--json", "--db", conn, "--dir"])
            .arg(dir.path());
        let out = run(b);
        ch.absent(
            &format!(
                "backup -vv of {}",
                if conn.starts_with("service") {
                    "a service"
                } else {
                    "a URL"
                }
            ),
            &all(&out),
            PASSPHRASE,
        );
        ch.check(out.code == 0, || {
            format!(
                "backup with sslpassword given exit {}: {}",
                out.code,
                tail(&out.stderr)
            )
        });
    }
    for f in tests::all_files(dir.path()) {
        let text = std::fs::read(dir.path().join(&f)).unwrap_or_default();
        ch.check(!String::from_utf8_lossy(&text).contains(PASSPHRASE), || {
            format!("{f} holds the passphrase")
        });
    }

    // 2. Errors: a server that is not there, a wrong passphrase for an encrypted key.
    let down =
        format!("postgresql://opcert@127.0.0.1:1/x?sslmode=require&sslpassword={PASSPHRASE}");
    let wrong = format!(
        "host=127.0.0.1 port={} dbname={} user=opcert sslmode=require sslcert={} sslkey={} sslpassword=not-{PASSPHRASE}",
        c.port,
        db.name,
        t.cert.display(),
        t.enc_key.display()
    );
    for (what, conn) in [
        ("unreachable server", down.as_str()),
        ("wrong passphrase", wrong.as_str()),
    ] {
        for json_flag in [false, true] {
            let mut b = bare("backup-tool", home.path());
            b.args(["backup", "-vv", "--db", conn, "--dir"])
                .arg(dir.path());
            if json_flag {
                b.arg("--json");
            }
            let out = run(b);
            ch.check(out.code != 0, || format!("{what}: accepted"));
            ch.absent(
                &format!("{what} (json {json_flag})"),
                &all(&out),
                PASSPHRASE,
            );
            ch.clean_out(what, &out);
        }
    }

    // 3. While pg_dump runs: nothing of the tool's children shows the passphrase.
    let mut b = bare("backup-tool", home.path());
    b.args(["backup", "-vv", "--db", "service=pwsvc", "--dir"])
        .arg(dir.path());
    let stopped = Stopped::at(b, "backup.dumping");
    let kids = tests::descendants(stopped.pid);
    ch.check(!kids.is_empty(), || "no child process while dumping".into());
    for pid in std::iter::once(stopped.pid).chain(kids.iter().copied()) {
        let cmd = tests::cmdline(pid);
        ch.check(!cmd.contains(PASSPHRASE), || {
            format!("/proc/{pid}/cmdline holds the passphrase: {cmd}")
        });
        let env = environ(pid);
        for e in &env {
            ch.check(!e.contains(PASSPHRASE), || {
                format!("/proc/{pid}/environ ({cmd}) holds the passphrase: {e}")
            });
        }
    }
    let tmp_hits = tests::files_containing(
        &[
            &stopped.tmp(),
            dir.path(),
            home.path().join(".postgresql").as_path(),
        ],
        &[PASSPHRASE],
    );
    ch.check(tmp_hits.is_empty(), || {
        format!("files on disk hold the passphrase: {tmp_hits:?}")
    });
    let ended = stopped.kill9();
    ch.absent("stderr of the stopped run", &ended.stderr, PASSPHRASE);
    ch.finish();
}

#[test]
fn operator_world_readable_pgpass_is_refused_with_libpqs_warning() {
    let c = cluster();
    let db = c.create_db("op_pgpass");
    load_sample(c, &db.name, 5);
    let home = empty_home();
    let pgpass = home.path().join(".pgpass");
    let line = format!("127.0.0.1:{}:*:postgres:{PASSWORD}\n", c.port);
    let dir = tempfile::tempdir().expect("tmp");
    let other = tempfile::tempdir().expect("tmp");
    let passfile = other.path().join("passfile");
    let mut ch = Checks::new();
    #[allow(clippy::type_complexity)]
    let cases: Vec<(&str, &Path, Vec<(&str, String)>)> = vec![
        ("~/.pgpass", pgpass.as_path(), vec![]),
        (
            "PGPASSFILE",
            passfile.as_path(),
            vec![("PGPASSFILE", passfile.display().to_string())],
        ),
    ];
    for (what, file, env) in &cases {
        for mode in [0o644, 0o600] {
            write_mode(file, &line, mode);
            let envs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (psql_ok, psql_err) = libpq_connects(c, &db.url, home.path(), &envs);
            assert_eq!(
                psql_ok,
                mode == 0o600,
                "oracle psql, {what} {mode:o}: {psql_err}"
            );
            if mode == 0o644 {
                assert!(
                    psql_err.contains("has group or world access"),
                    "oracle: {psql_err}"
                );
            }
            for (t, args) in [
                (
                    "backup-tool",
                    vec![
                        "backup".to_string(),
                        "--db".into(),
                        db.url.clone(),
                        "--dir".into(),
                        dir.path().display().to_string(),
                    ],
                ),
                (
                    "sync-tool",
                    vec![
                        "diff".to_string(),
                        "--from".into(),
                        db.url.clone(),
                        "--to".into(),
                        db.url.clone(),
                    ],
                ),
            ] {
                let mut cmd = bare(t, home.path());
                cmd.args(&args);
                for (k, v) in env {
                    cmd.env(k, v);
                }
                let out = run(cmd);
                ch.clean_out(what, &out);
                ch.absent(&format!("{t} {what} {mode:o}"), &all(&out), PASSWORD);
                if mode == 0o600 {
                    ch.check(out.code == 0, || {
                        format!("{t}, {what} 0600: exit {}: {}", out.code, tail(&out.stderr))
                    });
                } else {
                    ch.check(out.code != 0, || format!("{t}, {what} 0644: the password of a world-readable file was used (psql refuses it)"));
                    ch.check(out.stderr.contains("has group or world access"), || {
                        format!("{t}, {what} 0644: no libpq warning (\"password file ... has group or world access\"): {}", tail(&out.stderr))
                    });
                }
            }
        }
    }
    ch.finish();
}

/// Runs diff, verify and leaks of `a` against `b` with password flags `flags`; the password
/// variables hold `pw`.
fn read_only_commands(
    a: &str,
    b: &str,
    rules: &Path,
    flags: &[&str],
    pw: &str,
    home: &Path,
) -> Vec<(String, tests::Output)> {
    let r = rules.display().to_string();
    let cmds: Vec<(&str, Vec<&str>)> = vec![
        ("sync-tool", vec!["diff", "--from", a, "--to", b]),
        (
            "sync-tool",
            vec!["verify", "--from", a, "--to", b, "--rules", &r],
        ),
        (
            "mask-tool",
            vec!["leaks", "--rules", &r, "--from", a, "--to", b],
        ),
    ];
    cmds.into_iter()
        .map(|(t, args)| {
            let mut cmd = bare(t, home);
            cmd.args(&args)
                .args(flags)
                .env("OP_FROM_PW", pw)
                .env("OP_TO_PW", pw)
                .env("MASK_SALT", "operator-password-env-salt-42");
            (format!("{t} {}", args[0]), run(cmd))
        })
        .collect()
}

fn masked_pair(c: &Cluster, prefix: &str) -> (tests::TestDb, String, tempfile::TempDir, PathBuf) {
    let src = c.create_db(prefix);
    load_sample(c, &src.name, 20);
    let work = tempfile::tempdir().expect("tmp");
    let rules = work.path().join("masking.toml");
    std::fs::write(&rules, SAMPLE_RULES).expect("rules");
    let file = backup(&src.url, &work.path().join("b"), &[]);
    let copy = c.fresh_name(&format!("{prefix}_copy"));
    let mut r = tool("backup-tool");
    r.env("MASK_SALT", "operator-password-env-salt-42")
        .args(["restore"])
        .arg(&file)
        .args(["--db", &c.url(&copy), "--create", "--mask"])
        .arg(&rules);
    let out = run(r);
    assert_eq!(out.code, 0, "masked restore: {}", out.stderr);
    (src, copy, work, rules)
}

#[test]
fn operator_password_env_on_diff_verify_and_leaks() {
    let c = cluster();
    let (src, copy, _work, rules) = masked_pair(c, "op_pwenv");
    let home = empty_home();
    let mut ch = Checks::new();
    let flags = [
        "--from-password-env",
        "OP_FROM_PW",
        "--to-password-env",
        "OP_TO_PW",
    ];
    for (what, out) in read_only_commands(
        &src.url,
        &c.url(&copy),
        &rules,
        &flags,
        PASSWORD,
        home.path(),
    ) {
        ch.check(out.code == 0, || {
            format!(
                "{what} with the password in variables: exit {}: {}",
                out.code,
                tail(&all(&out))
            )
        });
        ch.absent(&what, &all(&out), PASSWORD);
        ch.clean_out(&what, &out);
    }
    for (what, out) in read_only_commands(
        &src.url,
        &c.url(&copy),
        &rules,
        &flags,
        "wrong-password",
        home.path(),
    ) {
        ch.check(
            out.code != 0 && out.stderr.contains("password authentication failed"),
            || {
                format!(
                    "{what} with a wrong password in the variables: exit {}: {}",
                    out.code,
                    tail(&out.stderr)
                )
            },
        );
        ch.check(out.stderr.contains("OP_FROM_PW") || out.stderr.contains("OP_TO_PW"), || {
            format!("{what}: the authentication error does not say where the password came from: {}", tail(&out.stderr))
        });
    }
    // A variable that is not set is a usage error naming it.
    let mut d = bare("sync-tool", home.path());
    d.args([
        "diff",
        "--from",
        &src.url,
        "--to",
        &c.url(&copy),
        "--from-password-env",
        "OP_UNSET_PW",
    ]);
    let out = run(d);
    ch.check(out.code == 2 && out.stderr.contains("OP_UNSET_PW"), || {
        format!("unset password variable: exit {}: {}", out.code, out.stderr)
    });
    ch.finish();
}

#[test]
fn operator_plain_password_env_flag_on_diff_verify_and_leaks() {
    // The other commands take `--password-env VAR`; an operator types the same on these.
    let c = cluster();
    let (src, copy, _work, rules) = masked_pair(c, "op_pwenv1");
    let home = empty_home();
    let mut ch = Checks::new();
    for (what, out) in read_only_commands(
        &src.url,
        &c.url(&copy),
        &rules,
        &["--password-env", "OP_FROM_PW"],
        PASSWORD,
        home.path(),
    ) {
        ch.check(out.code == 0, || {
            format!(
                "{what} --password-env VAR: exit {}: {}",
                out.code,
                tail(&all(&out))
            )
        });
    }
    ch.finish();
}

#[test]
fn operator_verify_restore_test_takes_password_env() {
    let c = cluster();
    let src = c.create_db("op_vrt");
    load_sample(c, &src.name, 10);
    let work = tempfile::tempdir().expect("tmp");
    let file = backup(&src.url, &work.path().join("b"), &[]);
    let home = empty_home();
    let mut ch = Checks::new();
    let verify = |pw: Option<&str>| {
        let mut v = bare("backup-tool", home.path());
        v.args(["verify"])
            .arg(&file)
            .args(["--restore-test", &c.url(&c.fresh_name("op_vrt_scratch"))]);
        if let Some(pw) = pw {
            v.env("OP_VRT_PW", pw).args(["--password-env", "OP_VRT_PW"]);
        }
        run(v)
    };
    let out = verify(Some(PASSWORD));
    ch.check(
        out.code == 0 && out.stdout.contains("restore test passed"),
        || {
            format!(
                "verify --restore-test --password-env: exit {}: {}",
                out.code,
                tail(&all(&out))
            )
        },
    );
    ch.absent("verify --restore-test --password-env", &all(&out), PASSWORD);
    let out = verify(None);
    ch.check(out.code != 0, || {
        format!(
            "without the password the scratch server must refuse: exit {}: {}",
            out.code,
            tail(&all(&out))
        )
    });
    ch.finish();
}
