//! Reads, writes, listings and errors against a real s3s-fs.

use std::io::{Read, Write};

use remote::{upload::PART_SIZE, Environment, Location, Store};
use sha2::{Digest, Sha256};

use crate::server::{all_text, assert_no_secret, S3Server};
use crate::Gen;

fn sha256_of(mut reader: impl Read) -> (String, u64) {
    let mut hasher = Sha256::new();
    let mut buf = vec![0; 1 << 16];
    let mut total = 0;
    loop {
        let n = reader.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    (hex::encode(hasher.finalize()), total)
}

#[test]
fn multipart_object_round_trips_byte_for_byte() {
    let server = S3Server::start();
    server.create_bucket("backups");
    let store = server.store("s3://backups/prod/db/");
    let size: u64 = 40_000_000 + 12_345; // three parts, the last one short
    assert!(size > 2 * PART_SIZE as u64);

    let mut upload = store.upload("prod_20260101T000000Z.sql.gz").unwrap();
    let mut gen = Gen::new(7);
    let mut hasher = Sha256::new();
    let mut left = size;
    let mut buf = vec![0; 1 << 20];
    while left > 0 {
        let n = left.min(buf.len() as u64) as usize;
        gen.fill(&mut buf[..n]);
        hasher.update(&buf[..n]);
        upload.write_all(&buf[..n]).unwrap();
        left -= n as u64;
    }
    assert_eq!(upload.written(), size);
    let info = upload.finish().unwrap();
    let written_sha = hex::encode(hasher.finalize());
    assert_eq!(info.size, size);
    assert_eq!(info.name, "prod_20260101T000000Z.sql.gz");

    // Stored where the location says, complete, nothing of the upload left.
    let on_disk = server
        .data()
        .join("backups/prod/db/prod_20260101T000000Z.sql.gz");
    assert_eq!(std::fs::metadata(&on_disk).unwrap().len(), size);
    assert!(
        server.upload_leftovers().is_empty(),
        "{:?}",
        server.upload_leftovers()
    );
    assert!(
        !server.data().join("backups/prod/db/.uploads").exists()
            || std::fs::read_dir(server.data().join("backups/prod/db/.uploads"))
                .unwrap()
                .next()
                .is_none()
    );

    let listed = store.list("").unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].name, info.name);
    assert_eq!(listed[0].size, size);
    let head = store.head(&info.name).unwrap().unwrap();
    assert_eq!(head.size, size);

    let reader = store.get(&info.name).unwrap();
    assert_eq!(reader.info().size, size);
    let (read_sha, read_len) = sha256_of(reader);
    assert_eq!(read_len, size);
    assert_eq!(read_sha, written_sha);
}

#[test]
fn small_and_empty_objects_use_one_put_and_round_trip() {
    let server = S3Server::start();
    server.create_bucket("bkt");
    let store = server.store("s3://bkt");
    for (name, data) in [
        ("empty", Vec::new()),
        ("small.json", b"{\"a\":1}".to_vec()),
        ("sub/dir/x", vec![7u8; 100_000]),
    ] {
        let mut upload = store.upload(name).unwrap();
        upload.write_all(&data).unwrap();
        let info = upload.finish().unwrap();
        assert_eq!(info.size, data.len() as u64);
        let mut back = Vec::new();
        store.get(name).unwrap().read_to_end(&mut back).unwrap();
        assert_eq!(back, data, "{name}");
        assert_eq!(store.get_bytes(name).unwrap(), data);
    }
    assert!(server.upload_leftovers().is_empty());
    let names: Vec<String> = store
        .list("")
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .collect();
    assert_eq!(names, ["empty", "small.json", "sub/dir/x"]);
    let names: Vec<String> = store
        .list("sub/")
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .collect();
    assert_eq!(names, ["sub/dir/x"]);
    let names: Vec<String> = store
        .list("sm")
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .collect();
    assert_eq!(names, ["small.json"]);
}

#[test]
fn put_get_delete_and_missing_objects() {
    let server = S3Server::start();
    server.create_bucket("bkt");
    let store = server.store("s3://bkt/p");
    store.put_bytes("m.json", b"one").unwrap();
    store.put_bytes("m.json", b"two").unwrap();
    assert_eq!(store.get_bytes("m.json").unwrap(), b"two");
    store.delete("m.json").unwrap();
    store.delete("m.json").unwrap(); // missing is fine
    assert_eq!(store.head("m.json").unwrap(), None);
    let err = store.get("m.json").unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert!(err.to_string().contains("s3://bkt/p/m.json"), "{err}");
    let err = store.get_bytes("m.json").unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert!(store.list("").unwrap().is_empty());
}

#[test]
fn put_if_absent_creates_once() {
    let server = S3Server::start();
    server.create_bucket("bkt");
    let store = server.store("s3://bkt/locks");
    assert!(store.put_if_absent("prod.lock", b"owner 1").unwrap());
    assert!(!store.put_if_absent("prod.lock", b"owner 2").unwrap());
    assert_eq!(store.get_bytes("prod.lock").unwrap(), b"owner 1");
    store.delete("prod.lock").unwrap();
    assert!(store.put_if_absent("prod.lock", b"owner 3").unwrap());
}

/// s3s-fs answers ListObjectsV2 with at most 1000 keys a page (its max-keys default), so
/// 1100 keys need two pages.
#[test]
fn list_reads_every_page() {
    let server = S3Server::start();
    server.create_bucket("bkt");
    let store = server.store("s3://bkt/many");
    for i in 0..1100 {
        store.put_bytes(&format!("k{i:05}"), b"x").unwrap();
    }
    store.put_bytes("../outside-is-refused", b"x").unwrap_err();
    let listed = store.list("").unwrap();
    assert_eq!(listed.len(), 1100);
    assert_eq!(listed.first().unwrap().name, "k00000");
    assert_eq!(listed.last().unwrap().name, "k01099");
    assert!(listed.windows(2).all(|w| w[0].name < w[1].name));
    assert_eq!(store.list("k0100").unwrap().len(), 10);
}

#[test]
fn wrong_credentials_are_access_denied_without_the_keys() {
    let server = S3Server::start();
    server.create_bucket("bkt");
    server.store("s3://bkt").put_bytes("x", b"x").unwrap();
    let location = Location::parse("s3://bkt").unwrap();
    let wrong_secret = "0123456789abcdef0123456789abcdefwrong";
    let unknown_key = "AKUNKNOWNKEY000001";
    let cases = [
        server.env().with("AWS_SECRET_ACCESS_KEY", wrong_secret),
        server.env().with("AWS_ACCESS_KEY_ID", unknown_key),
    ];
    let mut secrets = server.secrets();
    secrets.push(wrong_secret.to_string());
    secrets.push(unknown_key.to_string());
    for env in cases {
        let store = Store::connect_with(&location, &S3Server::options(), &env).unwrap();
        assert_no_secret(&format!("{store:?}"), &secrets);
        let errors = [
            store.list("").unwrap_err(),
            store.get_bytes("x").unwrap_err(),
            store.put_bytes("y", b"y").unwrap_err(),
            store.head("x").unwrap_err(),
            store.delete("x").unwrap_err(),
        ];
        for err in errors {
            assert!(err.is_access_denied(), "{err:?}");
            let text = all_text(&err);
            assert!(text.contains("s3://bkt"), "{text}");
            assert!(
                text.contains("AWS_ACCESS_KEY_ID"),
                "says where the credentials came from: {text}"
            );
            assert_no_secret(&text, &secrets);
        }
        let mut upload = store.upload("big").unwrap();
        let chunk = vec![0u8; 1 << 20];
        let err = (0..40)
            .find_map(|_| upload.write_all(&chunk).err())
            .expect("a write fails");
        let err = remote::RemoteError::from_io(&err).unwrap();
        assert!(err.is_access_denied(), "{err:?}");
        assert_no_secret(&all_text(err), &secrets);
    }
}

/// Reads name the missing bucket. (s3s-fs, unlike S3, creates a missing bucket's folder on
/// the first write, so writes are not checked here.)
#[test]
fn missing_bucket_is_its_own_error() {
    let server = S3Server::start();
    let store = server.store("s3://nosuchbucket/p");
    let errors = [
        store.list("").unwrap_err(),
        store.head("x").unwrap_err(),
        store.get("x").unwrap_err(),
        store.get_bytes("x").unwrap_err(),
        store
            .abort_stale_uploads(remote::upload::STALE_UPLOAD_AGE)
            .unwrap_err(),
    ];
    for (i, err) in errors.iter().enumerate() {
        assert!(err.is_no_such_bucket(), "{i}: {err:?}");
        assert!(
            err.to_string()
                .contains("bucket nosuchbucket does not exist"),
            "{err}"
        );
        assert!(err.to_string().contains("s3://nosuchbucket/p"), "{err}");
        assert_no_secret(&all_text(err), &server.secrets());
    }
}

#[test]
fn credentials_come_from_a_profile_in_home() {
    let server = S3Server::start();
    server.create_bucket("bkt");
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".aws")).unwrap();
    std::fs::write(
        home.path().join(".aws/credentials"),
        format!(
            "[default]\naws_access_key_id = AKWRONGDEFAULT01\naws_secret_access_key = wrongwrongwrongwrong\n\n[backup]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            server.access_key, server.secret_key
        ),
    )
    .unwrap();
    std::fs::write(
        home.path().join(".aws/config"),
        format!(
            "[profile backup]\nregion = us-east-1\nendpoint_url = {}\n",
            server.endpoint()
        ),
    )
    .unwrap();
    let env = Environment::from_vars([
        ("HOME", home.path().to_str().unwrap()),
        ("AWS_PROFILE", "backup"),
        ("AWS_ALLOW_HTTP", "true"),
    ]);
    let store = Store::connect_with(
        &Location::parse("s3://bkt/x").unwrap(),
        &S3Server::options(),
        &env,
    )
    .unwrap();
    store.put_bytes("hello", b"from a profile").unwrap();
    assert_eq!(store.get_bytes("hello").unwrap(), b"from a profile");

    // The default profile has wrong keys: the error names the profile file, not the keys.
    let env = env
        .without("AWS_PROFILE")
        .with("AWS_ENDPOINT_URL", &server.endpoint());
    let store = Store::connect_with(
        &Location::parse("s3://bkt/x").unwrap(),
        &S3Server::options(),
        &env,
    )
    .unwrap();
    let err = store.get_bytes("hello").unwrap_err();
    assert!(err.is_access_denied(), "{err:?}");
    let text = all_text(&err);
    assert!(
        text.contains("profile 'default'") && text.contains(".aws/credentials"),
        "{text}"
    );
    assert_no_secret(
        &text,
        &[
            "AKWRONGDEFAULT01".to_string(),
            "wrongwrongwrongwrong".to_string(),
        ],
    );

    // No credentials anywhere: a configuration error that says where we looked.
    let empty = tempfile::tempdir().unwrap();
    let env = Environment::from_vars([("HOME", empty.path().to_str().unwrap())]);
    let err = Store::connect_with(
        &Location::parse("s3://bkt").unwrap(),
        &S3Server::options(),
        &env,
    )
    .unwrap_err();
    assert!(err.is_config(), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("AWS_ACCESS_KEY_ID") && text.contains(".aws/credentials"),
        "{text}"
    );
}

/// `Store::connect` reads the real process environment: run this test binary again as a child
/// with the variables set (changing this process's environment would race other tests).
#[test]
fn connect_reads_the_process_environment() {
    let server = S3Server::start();
    server.create_bucket("envb");
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".aws")).unwrap();
    std::fs::write(
        home.path().join(".aws/credentials"),
        format!(
            "[ci]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            server.access_key, server.secret_key
        ),
    )
    .unwrap();
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "store::child_connects_from_process_environment",
            "--ignored",
            "--nocapture",
        ])
        .env_clear()
        .env("HOME", home.path())
        .env("AWS_PROFILE", "ci")
        .env("AWS_ENDPOINT_URL", server.endpoint())
        .env("AWS_ALLOW_HTTP", "true")
        .env("REMOTE_TEST_CHILD", "1")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{text}");
    assert!(text.contains("1 passed"), "{text}");
    assert_eq!(
        server.store("s3://envb").get_bytes("from-child").unwrap(),
        b"ok"
    );
}

#[test]
#[ignore = "run by connect_reads_the_process_environment"]
fn child_connects_from_process_environment() {
    assert_eq!(
        std::env::var("REMOTE_TEST_CHILD").as_deref(),
        Ok("1"),
        "run by its parent test only"
    );
    let store =
        Store::connect(&Location::parse("s3://envb").unwrap(), &S3Server::options()).unwrap();
    store.put_bytes("from-child", b"ok").unwrap();
}

#[test]
fn handles_can_move_to_other_threads() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<Store>();
    send::<remote::Upload>();
    send::<remote::ObjectReader>();
}

/// Called from async code by mistake: an error instead of a panic or a deadlock, and dropping
/// the store there is safe too.
#[test]
fn inside_an_async_runtime_calls_refuse_and_drop_is_safe() {
    let server = S3Server::start();
    server.create_bucket("bkt");
    let store = server.store("s3://bkt");
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async move {
        let err = store.list("").unwrap_err();
        assert!(err.to_string().contains("inside an async runtime"), "{err}");
        drop(store);
    });
}
