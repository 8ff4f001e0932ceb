//! The engine behind `backup-tool`, `sync-tool` and `mask-tool`.
//!
//! Data flows one way: a source (a `pg_dump` child or an SQLite online backup) produces a dump
//! stream, an optional masker rewrites it, a codec compresses and hashes it, and storage commits it
//! atomically with a manifest. Restores run the same path backwards. The masker never sees a file
//! or a socket; the codec and storage never see SQL.

pub mod archive;
pub mod backup;
pub mod codec;
pub mod config;
pub mod drift;
pub mod dump;
pub mod error;
pub mod interrupt;
pub mod lock;
pub mod mask;
pub mod mask_live;
pub mod output;
pub mod pg;
pub mod process;
pub mod restore;
pub mod retention;
pub mod schedule;
pub mod schema;
pub mod sqlite;
pub mod sync;
pub mod sync_parallel;
pub mod tls;
pub mod url;
pub mod verify;

pub use error::{Error, Result};

/// The version written into every manifest, so a backup says which tool made it.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");
