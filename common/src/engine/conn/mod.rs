//! Connections: what an operator writes ([`url`]), resolved the way libpq would ([`libpq`],
//! [`passfile`]), and handed to child programs without a password on any command line or disk
//! ([`child`]).
//!
//! A password never leaves these files in clear except through [`Secret::expose`], which is
//! called only to fill the in-memory password file of a child or to hand it to the driver.

pub mod child;
pub mod libpq;
pub mod passfile;
pub mod service;
pub mod url;

pub use child::ChildAuth;
pub use libpq::PgConn;
pub use url::{sanitize_name, DbUrl, Engine, PgUrl, Secret};
