//! sha256 and size of the stored bytes, computed while they are written or read, so recording
//! and checking a checksum costs no second pass over the data.

use std::fs::File;
use std::io::{self, BufRead, Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

/// Read buffer of [`HashingReader`] and [`sha256_file`].
pub(crate) const HASH_BUF: usize = 64 * 1024;

/// Writer adapter that counts and hashes (sha256) everything written
/// through it. Placed between the encoder and the file, it gives the size
/// and checksum of the compressed file for the manifest without a second
/// read of a file that may be large or already uploaded.
pub struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> HashingWriter<W> {
    /// Starts counting from zero over `inner`.
    pub fn new(inner: W) -> Self {
        HashingWriter {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// Bytes accepted by the inner writer so far, for progress reports.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Returns the inner writer, the byte count and the sha256 (lowercase
    /// hex) of everything the inner writer accepted.
    pub fn finish(self) -> (W, u64, String) {
        (self.inner, self.bytes, hex::encode(self.hasher.finalize()))
    }

    /// The inner writer, e.g. to inspect it.
    pub fn get_ref(&self) -> &W {
        &self.inner
    }

    /// The inner writer, e.g. to sync a file. Bytes written through this
    /// reference bypass the hash.
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.inner
    }
}

impl<W: Write> Write for HashingWriter<W> {
    /// Hashes only the bytes the inner writer took, so short writes and
    /// failures keep the hash equal to what is actually in the file.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Reader adapter that counts and hashes (sha256) everything read through
/// it, so that verify and restore check a file's checksum while decoding
/// it, in one pass.
///
/// It is buffered and implements [`BufRead`], so it can be given straight
/// to [`decoder`]. Only bytes handed to the caller (read, or consumed after
/// `fill_buf`) are hashed: read the stream to its end before
/// [`HashingReader::finish`] to get the hash of the whole file.
pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
    buf: Box<[u8]>,
    pos: usize,
    filled: usize,
}

impl<R: Read> HashingReader<R> {
    /// Starts counting from zero over `inner`.
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
            buf: vec![0; HASH_BUF].into_boxed_slice(),
            pos: 0,
            filled: 0,
        }
    }

    /// Bytes handed to the caller so far, for progress reports.
    ///
    /// Where `std::io::Read` is in scope, `reader.bytes()` means
    /// `Read::bytes` (it takes `self` by value, so it is found first):
    /// write `HashingReader::bytes(&reader)` there.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Returns the inner reader, the byte count and the sha256 (lowercase
    /// hex) of everything handed to the caller. Bytes buffered but not yet
    /// consumed are dropped and not counted.
    pub fn finish(self) -> (R, u64, String) {
        (self.inner, self.bytes, hex::encode(self.hasher.finalize()))
    }

    /// The inner reader, e.g. to inspect it.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        // Large reads with nothing buffered skip the copy through the buffer.
        if self.pos == self.filled && out.len() >= self.buf.len() {
            let n = self.inner.read(out)?;
            self.hasher.update(&out[..n]);
            self.bytes += n as u64;
            return Ok(n);
        }
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for HashingReader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos == self.filled {
            self.filled = self.inner.read(&mut self.buf)?;
            self.pos = 0;
        }
        Ok(&self.buf[self.pos..self.filled])
    }

    fn consume(&mut self, amt: usize) {
        let end = (self.pos + amt).min(self.filled);
        self.hasher.update(&self.buf[self.pos..end]);
        self.bytes += (end - self.pos) as u64;
        self.pos = end;
    }
}

/// Size and sha256 (lowercase hex) of a whole file, read in fixed-size
/// pieces so that memory use does not depend on the file size. Used to
/// check stored backups against their manifests.
pub fn sha256_file(path: &Path) -> io::Result<(u64, String)> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0; HASH_BUF];
    let mut total = 0u64;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    Ok((total, hex::encode(hasher.finalize())))
}
