//! PostgreSQL: the client programs ([`tools`]), the admin connection ([`admin`]), the
//! catalog queries ([`catalog`]) and the heap ranges one table is read in ([`ranges`]).
//!
//! The byte stream goes through the client programs, which know every object type of every
//! server version; the small admin statements (versions, row counts, create/rename/drop database)
//! go through the driver, because they need answers, not a stream.

pub mod admin;
pub mod catalog;
pub mod ranges;
pub mod tools;

pub use admin::{derived_name, quote_ident, quote_literal, PgAdmin};
pub use tools::{
    find_tool, spawn_dump, spawn_dumpall_globals, spawn_psql, DumpOptions, PgTool, PgVersion,
};
