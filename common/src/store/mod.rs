//! Where backups live: files or objects that appear whole or not at all, their manifests, the
//! codecs that compress and hash them, the age encryption that seals them, the retention policy
//! that prunes them, and the lock that keeps two runs of one backup apart. A folder is a local
//! directory or an `s3://bucket/prefix` location (see [`folder`]). Nothing here knows SQL.

pub mod archive;
pub mod codec;
pub mod folder;
pub mod lock;
pub mod reader;
pub mod retention;
pub mod target;
pub mod writer;
