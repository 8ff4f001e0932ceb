//! The databases and the programs that talk to them.
//!
//! The byte stream of a dump goes through PostgreSQL's own client programs (`pg_dump`, `psql`),
//! started and checked by [`process`]; the one pipeline that feeds `psql` and decides when it may
//! commit is [`pipe`]. Questions that need answers (versions, catalogs, row counts, create,
//! rename, drop) go through the driver ([`pg`], [`sqlite`]). [`conn`] turns what an operator
//! writes into connections, the way libpq would, and keeps passwords out of sight.

pub mod conn;
pub mod pg;
pub mod pipe;
pub mod process;
pub mod sanitize;
pub mod schema;
pub mod sqlite;
pub mod tls;
