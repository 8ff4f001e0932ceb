//! Where backups live: files that appear whole or not at all, their manifests, the codecs that
//! compress and hash them, the retention policy that prunes them, and the lock that keeps two
//! runs of one backup apart. Nothing here knows SQL.

pub mod archive;
pub mod codec;
pub mod lock;
pub mod reader;
pub mod retention;
pub mod writer;
