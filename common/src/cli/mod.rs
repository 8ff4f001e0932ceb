//! What the three binaries share at their edge: common arguments ([`args`]), the confirmation
//! prompt ([`confirm`]), logging, reports on stdout and errors mapped to exit codes
//! ([`output`]). Everything else a binary does is a call into [`crate::jobs`].

pub mod args;
pub mod confirm;
pub mod docs;
pub mod output;
