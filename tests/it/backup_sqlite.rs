//! SQLite backups: snapshots while another process writes, restore by swap.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tests::{run, tool, visible_files};

fn make_db(path: &Path, rows: i64, wal: bool) {
    let conn = rusqlite::Connection::open(path).expect("open");
    if wal {
        conn.pragma_update(None, "journal_mode", "WAL")
            .expect("wal");
    }
    conn.execute_batch(
        "CREATE TABLE entries (id INTEGER PRIMARY KEY, user TEXT NOT NULL, minutes INTEGER, note TEXT);
         CREATE TABLE migrations (id INTEGER PRIMARY KEY, name TEXT);
         INSERT INTO migrations (name) VALUES ('001_init'), ('002_notes');",
    )
    .expect("schema");
    let tx = conn.unchecked_transaction().expect("tx");
    for i in 0..rows {
        tx.execute(
            "INSERT INTO entries (user, minutes, note) VALUES (?1, ?2, ?3)",
            rusqlite::params![
                format!("user{}", i % 17),
                i % 480,
                "x".repeat((i % 200) as usize)
            ],
        )
        .expect("insert");
    }
    tx.commit().expect("commit");
}

fn count(path: &Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .expect("count")
}

#[test]
fn snapshot_while_another_connection_writes_in_wal_mode_is_consistent() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("database.db");
    make_db(&db, 20_000, true);
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let db = db.clone();
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let conn = rusqlite::Connection::open(&db).expect("open");
            conn.busy_timeout(std::time::Duration::from_secs(10))
                .expect("busy");
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                // Two tables written in one transaction: a consistent snapshot sees both or neither.
                let tx = conn.unchecked_transaction().expect("tx");
                tx.execute(
                    "INSERT INTO entries (user, minutes, note) VALUES ('writer', 1, 'live')",
                    [],
                )
                .expect("insert");
                tx.execute("INSERT INTO migrations (name) VALUES ('live')", [])
                    .expect("insert");
                tx.commit().expect("commit");
                n += 1;
            }
            n
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(100));
    let dir = tmp.path().join("backups");
    let mut c = tool("backup-tool");
    c.args(["backup", "--db"])
        .arg(&db)
        .arg("--dir")
        .arg(&dir)
        .arg("--json");
    let out = run(c);
    stop.store(true, Ordering::Relaxed);
    let writes = writer.join().expect("writer");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(writes > 0);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let file = report["path"].as_str().expect("path").to_string();
    assert!(file.ends_with(".sqlite3.gz"), "{file}");
    let tables = &report["manifest"]["tables"];
    let live_entries = tables["entries"].as_i64().expect("entries") - 20_000;
    let live_migrations = tables["migrations"].as_i64().expect("migrations") - 2;
    assert_eq!(
        live_entries, live_migrations,
        "snapshot is not consistent across tables"
    );

    // Restore it elsewhere and compare with what the manifest says.
    let restored = tmp.path().join("restored.db");
    let mut r = tool("backup-tool");
    r.args(["restore", &file, "--db"]).arg(&restored);
    let out = run(r);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        count(&restored, "entries"),
        tables["entries"].as_i64().expect("n")
    );
    let mut v = tool("backup-tool");
    v.args(["verify", &file]);
    assert_eq!(run(v).code, 0);
}

#[test]
fn restore_over_a_live_target_keeps_the_previous_file_as_bak() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let blue = tmp.path().join("blue.db");
    let green = tmp.path().join("green.db");
    make_db(&blue, 500, true);
    make_db(&green, 42, true);
    let dir = tmp.path().join("backups");
    let mut c = tool("backup-tool");
    c.args(["backup", "--db"]).arg(&blue).arg("--dir").arg(&dir);
    let out = run(c);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let file = out.stdout.trim().to_string();
    // A reader keeps green open during the swap, as a running app would.
    let reader = rusqlite::Connection::open(&green).expect("open");
    let before: i64 = reader
        .query_row("SELECT count(*) FROM entries", [], |r| r.get(0))
        .expect("count");
    assert_eq!(before, 42);
    let mut r = tool("backup-tool");
    r.args(["restore", &file, "--db"])
        .arg(&green)
        .args(["--force", "--yes"]);
    let out = run(r);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(count(&green, "entries"), 500);
    assert_eq!(count(&tmp.path().join("green.db.bak"), "entries"), 42);
    let still: i64 = reader
        .query_row("SELECT count(*) FROM entries", [], |r| r.get(0))
        .expect("old reader");
    assert_eq!(still, 42, "the open reader keeps its consistent old file");
    let check: String = rusqlite::Connection::open(&green)
        .expect("open")
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check");
    assert_eq!(check, "ok");
}

#[test]
fn corrupt_sqlite_backup_fails_verify() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("app.sqlite");
    make_db(&db, 3000, false);
    let dir = tmp.path().join("backups");
    let mut c = tool("backup-tool");
    c.args(["backup", "--compress", "zstd", "--db"])
        .arg(&db)
        .arg("--dir")
        .arg(&dir);
    let out = run(c);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let file = out.stdout.trim().to_string();
    let mut bytes = std::fs::read(&file).expect("read");
    let n = bytes.len();
    bytes.truncate(n - n / 3);
    std::fs::write(&file, bytes).expect("write");
    let mut v = tool("backup-tool");
    v.args(["verify", &file]);
    let out = run(v);
    assert_eq!(out.code, 3, "{}", out.stdout);
    assert!(out.stdout.contains(&file), "{}", out.stdout);
    assert_eq!(visible_files(&dir).len(), 2);
}

/// An encrypted backup of an SQLite database: its plain snapshot is made beside the database,
/// never in the backup folder, and a killed run's snapshot is removed by the next run.
#[test]
fn encrypted_sqlite_backup_puts_no_plaintext_in_the_backup_folder() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let src_dir = tmp.path().join("app");
    std::fs::create_dir(&src_dir).expect("mkdir");
    let db = src_dir.join("app.db");
    let c = rusqlite::Connection::open(&db).expect("open");
    c.execute_batch("CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT)")
        .expect("schema");
    for i in 0..200 {
        c.execute(
            "INSERT INTO people (email) VALUES (?1)",
            [format!("person{i}.plaintext@example.org")],
        )
        .expect("row");
    }
    drop(c);
    let key = tmp.path().join("key.txt");
    let keygen = std::process::Command::new("age-keygen")
        .arg("-o")
        .arg(&key)
        .output()
        .expect("age-keygen");
    assert!(
        keygen.status.success(),
        "age-keygen: {}",
        String::from_utf8_lossy(&keygen.stderr)
    );
    let text = std::fs::read_to_string(&key).expect("key");
    let recipient = text
        .lines()
        .find_map(|l| l.strip_prefix("# public key: "))
        .expect("public key")
        .to_string();
    let backups = tmp.path().join("backups");
    let cmd = || {
        let mut b = tool("backup-tool");
        b.args(["backup", "--db"])
            .arg(&db)
            .arg("--dir")
            .arg(&backups)
            .args(["--encrypt-to", &recipient]);
        b
    };
    let holds_plaintext =
        |dir: &Path| -> Vec<String> { tests::files_containing(&[dir], &["plaintext@example.org"]) };
    // Held once the snapshot is being written out: the plain copy is beside the database.
    let held = tests::Stopped::at(cmd(), "backup.dumping");
    let beside: Vec<String> = visible_or_hidden(&src_dir)
        .into_iter()
        .filter(|f| f.contains(".snapshot-"))
        .collect();
    let in_backups = holds_plaintext(&backups);
    let ended = held.kill9();
    assert!(
        ended.survivors.is_empty(),
        "children outlived the tool: {:?}",
        ended.survivors
    );
    assert_eq!(
        beside.len(),
        1,
        "the snapshot is not beside the database: {:?}",
        visible_or_hidden(&src_dir)
    );
    assert!(
        in_backups.is_empty(),
        "plaintext in the backup folder: {in_backups:?}"
    );
    // The next run removes the killed run's snapshot, and its own.
    let out = run(cmd());
    assert_eq!(out.code, 0, "{}", out.stderr);
    let left: Vec<String> = visible_or_hidden(&src_dir)
        .into_iter()
        .filter(|f| f.contains(".snapshot-"))
        .collect();
    assert!(
        left.is_empty(),
        "snapshots left beside the database: {left:?}"
    );
    assert!(
        holds_plaintext(&backups).is_empty(),
        "plaintext in the backup folder"
    );
    assert!(
        out.stdout.trim().ends_with(".sqlite3.gz.age"),
        "{}",
        out.stdout
    );
}

fn visible_or_hidden(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}
