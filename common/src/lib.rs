//! The engine behind `backup-tool`, `sync-tool` and `mask-tool`.
//!
//! Data flows one way: a source (a `pg_dump` child or an SQLite online backup) produces a dump
//! stream, an optional masker rewrites it, a codec compresses and hashes it, and storage commits it
//! atomically with a manifest. Restores run the same path backwards. The masker never sees a file
//! or a socket; the codec and storage never see SQL.
//!
//! The stream reader and the masker are crates of their own ([`dump`], [`mask`]: no I/O, no
//! driver). This crate groups the rest by what flows through it, and each layer only uses the
//! ones below it (`scripts/check-imports.py` checks it):
//!
//! | layer | what it holds |
//! | --- | --- |
//! | [`cli`] | what the three binaries share at their edge: common arguments, logging, prompts, reports |
//! | [`jobs`] | the commands: backup, prune, status, restore, verify, sync, apply/lint/leaks, drift, setup, and the guard that keeps production out of reach |
//! | [`config`] | the environments file and schedules |
//! | [`store`] | where backups live: atomic files and manifests, codecs, retention, locks |
//! | [`engine`] | the databases: connections, PostgreSQL client programs and catalog, SQLite, child processes and the pipe that feeds psql |
//! | [`error`], [`fs`], [`interrupt`], [`progress`], [`testpoint`] | the error type with its exit codes, file primitives, signals, progress bars, the fault suite's stopping points |

pub mod cli;
pub mod config;
pub mod engine;
pub mod error;
pub mod fs;
pub mod interrupt;
pub mod jobs;
pub mod progress;
pub mod secrets;
pub mod store;
pub mod testpoint;

pub use error::{Error, Result};

/// The version written into every manifest, so a backup says which tool made it.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");
