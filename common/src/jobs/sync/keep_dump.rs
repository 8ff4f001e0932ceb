//! `--keep-dump DIR`: the masked stream of a refresh kept as a normal backup (with a manifest,
//! under the folder's lock), and older ones pruned by the retention engine.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::engine::conn::sanitize_name;
use crate::error::Result;
use crate::store::archive::{self, Content};
use crate::store::codec::Codec;
use crate::store::lock::{self, BackupLock};
use crate::store::retention::RetentionPolicy;
use crate::store::writer::{BackupWriter, ManifestSource};

/// The backup name of the masked dumps of a target: `<target>_masked`.
pub fn kept_name(target_stem: &str) -> String {
    format!("{}_masked", sanitize_name(target_stem))
}

/// A masked dump being written into a backup folder.
pub struct KeptDump {
    dir: PathBuf,
    name: String,
    lock: BackupLock,
    /// Where the masked stream goes.
    pub writer: BackupWriter,
}

impl KeptDump {
    /// Takes the name's lock in `dir` (created if missing) and starts the backup file.
    pub fn start(dir: &Path, name: &str, content: Content) -> Result<KeptDump> {
        archive::ensure_dir(dir)?;
        let lock = lock::acquire(dir, name, Duration::ZERO, "sync")?;
        for p in archive::clean_stale_partials(dir, name)? {
            tracing::warn!("removed {}, left by an interrupted run", p.display());
        }
        let writer = BackupWriter::create(dir, name, content, Codec::Gzip { level: 6 }, 2, &[])?;
        Ok(KeptDump {
            dir: dir.to_path_buf(),
            name: name.to_string(),
            lock,
            writer,
        })
    }

    /// Commits the backup with its manifest, then keeps only the newest `keep` masked dumps of
    /// this name (never fewer than one), as `backup-tool prune --keep-last` would.
    pub fn commit(self, source: ManifestSource, keep: u32) -> Result<PathBuf> {
        let (path, _) = self.writer.commit(source)?;
        drop(self.lock);
        let policy = RetentionPolicy {
            keep_last: Some(keep.max(1)),
            min_keep: Some(1),
            ..Default::default()
        };
        crate::jobs::prune::prune(
            &self.dir,
            Some(&self.name),
            &policy,
            chrono::Utc::now(),
            false,
            Duration::from_secs(30),
        )?;
        Ok(path)
    }
}
