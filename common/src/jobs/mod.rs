//! The commands of the three tools, as library functions: each takes a request, does the work
//! through the engine and the store, and returns a report or a typed error. Binaries only parse
//! arguments and print.

pub mod backup;
pub mod copy;
pub mod cron;
pub mod doctor;
pub mod drift;
pub mod filter;
pub mod guard;
pub mod live;
pub mod masking;
pub mod notify;
pub(crate) mod parallel_backup;
pub(crate) mod parallel_restore;
pub(crate) mod post_data;
pub mod prune;
pub mod restore;
pub mod setup;
pub mod status;
pub mod sync;
pub mod verify;
