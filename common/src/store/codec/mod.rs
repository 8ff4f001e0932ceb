//! Compression of backup streams, and the matching decoders.
//!
//! A backup is one byte stream (a dump) written through an [`Encoder`] into
//! a file; a restore or a verify reads the file back through [`decoder`].
//! The codec treats the stream as opaque bytes: it never parses, splits or
//! rewrites what it carries, so any dump format goes through unchanged.
//!
//! gzip is the default because the files must stay readable with the
//! standard tools (`gunzip`, `zcat`, `gzip -t`) on machines where this
//! program is not installed. Single-threaded gzip is the slowest stage of a
//! `pg_dump | gzip` pipeline, so with more than one thread the encoder
//! compresses independent blocks in parallel (the pigz technique) while
//! still producing one ordinary gzip member. zstd is offered for speed and
//! ratio where the readers can handle it. [`HashingWriter`],
//! [`HashingReader`] and [`sha256_file`] give the size and sha256 of the
//! compressed file, computed while it is written or read, so recording and
//! checking a checksum costs no second pass over the data.

use std::fmt;
use std::io::{self, BufRead, Read, Write};
use std::str::FromStr;

mod gzip;
mod hash;

use gzip::{Failure, GzipInline, GzipParallel, BLOCK_SIZE, GZIP_MAGIC, MAX_THREADS};
pub use hash::{sha256_file, HashingReader, HashingWriter};

/// gzip level used when the spec names no level; the same default as `gzip`.
const GZIP_DEFAULT_LEVEL: u32 = 6;
/// zstd level used when the spec names no level; the same default as `zstd`.
const ZSTD_DEFAULT_LEVEL: i32 = 3;
/// Accepted gzip levels. Level 0 (stored) is left out on purpose: it only
/// makes files bigger than `none` would.
const GZIP_LEVELS: std::ops::RangeInclusive<u32> = 1..=9;
/// Accepted zstd levels. The "ultra" levels above 19 need large windows on
/// both sides, which would break the memory bound of restores.
const ZSTD_LEVELS: std::ops::RangeInclusive<i32> = 1..=19;
/// The allowed spellings, repeated in every spec error message.
const SPEC_FORMS: &str = "gzip, gzip:1-9, zstd, zstd:1-19 or none";

/// First four bytes of a zstd frame.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// Compression of a backup stream, as chosen with
/// `--compress gzip[:1-9]|zstd[:1-19]|none`.
///
/// The level is kept with the codec so that a manifest can record exactly
/// how a file was written; it plays no part in decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Codec {
    /// A single gzip member, readable by `gunzip`/`zcat` everywhere.
    Gzip {
        /// Deflate level, 1 (fastest) to 9 (smallest).
        level: u32,
    },
    /// A zstd frame with a content checksum: faster and smaller than gzip,
    /// but needs `zstd` to read outside this program.
    Zstd {
        /// zstd level, 1 to 19.
        level: i32,
    },
    /// The stream is stored as is, for data that is already compressed or
    /// for targets that compress by themselves.
    None,
}

impl Default for Codec {
    /// gzip at level 6, what the `pg_dump | gzip` pipelines being replaced use.
    fn default() -> Self {
        Codec::Gzip {
            level: GZIP_DEFAULT_LEVEL,
        }
    }
}

/// Errors of this module that are not plain I/O failures.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// The codec name is none of the known ones.
    #[error("unknown compression '{spec}': expected {SPEC_FORMS}")]
    UnknownCodec {
        /// The spec as given.
        spec: String,
    },
    /// The level is not a number in the codec's range.
    #[error("invalid {codec} level in '{spec}': expected {codec} or {codec}:{min}-{max}")]
    BadLevel {
        /// The spec as given.
        spec: String,
        /// Codec name whose level is wrong.
        codec: &'static str,
        /// Lowest accepted level.
        min: i64,
        /// Highest accepted level.
        max: i64,
    },
    /// A level was given to `none`, which has none.
    #[error("invalid compression '{spec}': none takes no level; expected {SPEC_FORMS}")]
    LevelNotAllowed {
        /// The spec as given.
        spec: String,
    },
    /// Reading or writing a stream failed.
    #[error("compressed stream I/O: {0}")]
    Io(#[from] io::Error),
}

impl From<CodecError> for io::Error {
    /// Lets code that works in `io::Result` use `?` on codec errors.
    fn from(err: CodecError) -> Self {
        match err {
            CodecError::Io(e) => e,
            other => io::Error::new(io::ErrorKind::InvalidInput, other.to_string()),
        }
    }
}

/// Parses a level made of ASCII digits only, so that `+6`, ` 6` or `-1`
/// are refused rather than silently accepted.
fn parse_level(
    spec: &str,
    codec: &'static str,
    text: &str,
    min: i64,
    max: i64,
) -> Result<i64, CodecError> {
    text.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| text.parse::<i64>().ok())
        .flatten()
        .filter(|level| (min..=max).contains(level))
        .ok_or_else(|| CodecError::BadLevel {
            spec: spec.to_owned(),
            codec,
            min,
            max,
        })
}

impl FromStr for Codec {
    type Err = CodecError;

    /// Accepts `gzip`, `gzip:1`..`gzip:9`, `zstd`, `zstd:1`..`zstd:19` and
    /// `none`, the forms documented for `--compress`.
    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let (name, level) = match spec.split_once(':') {
            Some((name, level)) => (name, Some(level)),
            None => (spec, None),
        };
        match (name, level) {
            ("gzip", None) => Ok(Codec::Gzip {
                level: GZIP_DEFAULT_LEVEL,
            }),
            ("gzip", Some(text)) => {
                let (min, max) = (
                    i64::from(*GZIP_LEVELS.start()),
                    i64::from(*GZIP_LEVELS.end()),
                );
                let level = parse_level(spec, "gzip", text, min, max)?;
                let level = u32::try_from(level).map_err(|_| CodecError::BadLevel {
                    spec: spec.to_owned(),
                    codec: "gzip",
                    min,
                    max,
                })?;
                Ok(Codec::Gzip { level })
            }
            ("zstd", None) => Ok(Codec::Zstd {
                level: ZSTD_DEFAULT_LEVEL,
            }),
            ("zstd", Some(text)) => {
                let (min, max) = (
                    i64::from(*ZSTD_LEVELS.start()),
                    i64::from(*ZSTD_LEVELS.end()),
                );
                let level = parse_level(spec, "zstd", text, min, max)?;
                let level = i32::try_from(level).map_err(|_| CodecError::BadLevel {
                    spec: spec.to_owned(),
                    codec: "zstd",
                    min,
                    max,
                })?;
                Ok(Codec::Zstd { level })
            }
            ("none", None) => Ok(Codec::None),
            ("none", Some(_)) => Err(CodecError::LevelNotAllowed {
                spec: spec.to_owned(),
            }),
            _ => Err(CodecError::UnknownCodec {
                spec: spec.to_owned(),
            }),
        }
    }
}

impl fmt::Display for Codec {
    /// Writes the spec form (`gzip:6`, `zstd:3`, `none`), which parses back
    /// to the same value, so manifests and logs can be fed back to the CLI.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Codec::Gzip { level } => write!(f, "gzip:{level}"),
            Codec::Zstd { level } => write!(f, "zstd:{level}"),
            Codec::None => f.write_str("none"),
        }
    }
}

impl Codec {
    /// File name suffix, so that stored files open with the usual tools.
    pub fn extension(&self) -> &'static str {
        match self {
            Codec::Gzip { .. } => ".gz",
            Codec::Zstd { .. } => ".zst",
            Codec::None => "",
        }
    }

    /// Codec name without level, for logs and manifests that group by codec.
    pub fn name(&self) -> &'static str {
        match self {
            Codec::Gzip { .. } => "gzip",
            Codec::Zstd { .. } => "zstd",
            Codec::None => "none",
        }
    }

    /// Detects the codec from the first bytes of a file (gzip `1f 8b`, zstd
    /// `28 b5 2f fd`, anything else is taken as uncompressed), so restores
    /// work on files whose name or manifest was lost. The level of the
    /// result is the default one: it cannot be read back from the data.
    pub fn sniff(prefix: &[u8]) -> Codec {
        if prefix.starts_with(&GZIP_MAGIC) {
            Codec::Gzip {
                level: GZIP_DEFAULT_LEVEL,
            }
        } else if prefix.starts_with(&ZSTD_MAGIC) {
            Codec::Zstd {
                level: ZSTD_DEFAULT_LEVEL,
            }
        } else {
            Codec::None
        }
    }

    /// Refuses levels outside the documented ranges, which a `Codec` built
    /// in code (or read from a manifest) could still carry.
    fn check_level(&self) -> Result<(), CodecError> {
        let ok = match self {
            Codec::Gzip { level } => GZIP_LEVELS.contains(level),
            Codec::Zstd { level } => ZSTD_LEVELS.contains(level),
            Codec::None => true,
        };
        if ok {
            return Ok(());
        }
        let (codec, min, max) = match self {
            Codec::Zstd { .. } => (
                "zstd",
                i64::from(*ZSTD_LEVELS.start()),
                i64::from(*ZSTD_LEVELS.end()),
            ),
            _ => (
                "gzip",
                i64::from(*GZIP_LEVELS.start()),
                i64::from(*GZIP_LEVELS.end()),
            ),
        };
        Err(CodecError::BadLevel {
            spec: self.to_string(),
            codec,
            min,
            max,
        })
    }
}

/// The codec-specific state of an [`Encoder`].
enum EncoderInner<W: Write + Send + 'static> {
    GzipInline(Box<GzipInline<W>>),
    GzipParallel(Box<GzipParallel<W>>),
    Zstd(zstd::stream::write::Encoder<'static, W>),
    Plain(W),
}

/// Compressing writer for a backup stream.
///
/// Everything written goes out compressed with the chosen [`Codec`];
/// [`Encoder::finish`] must be called to complete the file. An encoder
/// dropped without `finish` (an aborted backup) stops its threads and
/// leaves a file that decoders reject as truncated, never one that looks
/// complete. After any error, every later call fails too.
pub struct Encoder<W: Write + Send + 'static> {
    inner: EncoderInner<W>,
    failed: Failure,
}

impl<W: Write + Send + 'static> Encoder<W> {
    /// Starts a compressed stream into `out`.
    ///
    /// `threads` is the number of compression threads: with gzip they
    /// compress blocks in parallel, with zstd they are zstd's own workers.
    /// 0 or 1 compresses on the caller's thread, which is best when the
    /// machine is busy with the database itself. Values above 8 are capped
    /// to bound memory. The gzip header is written here.
    pub fn new(codec: Codec, out: W, threads: usize) -> io::Result<Self> {
        codec.check_level()?;
        let threads = threads.min(MAX_THREADS);
        let inner = match codec {
            Codec::Gzip { level } if threads > 1 => EncoderInner::GzipParallel(Box::new(
                GzipParallel::new(level, out, threads, BLOCK_SIZE)?,
            )),
            Codec::Gzip { level } => {
                EncoderInner::GzipInline(Box::new(GzipInline::new(level, out)?))
            }
            Codec::Zstd { level } => {
                let mut enc = zstd::stream::write::Encoder::new(out, level)?;
                // The same checksum the zstd CLI adds: corruption is detected
                // on every decode, not only by a separate hash check.
                enc.include_checksum(true)?;
                if threads > 1 {
                    enc.multithread(threads as u32)?;
                }
                EncoderInner::Zstd(enc)
            }
            Codec::None => EncoderInner::Plain(out),
        };
        Ok(Encoder {
            inner,
            failed: Failure::default(),
        })
    }

    /// Writes out everything still buffered or compressing, writes the
    /// trailer, stops the threads and returns the inner writer (flushed).
    /// Only after this returns `Ok` is the file complete.
    pub fn finish(self) -> io::Result<W> {
        self.failed.check()?;
        match self.inner {
            EncoderInner::GzipInline(gz) => gz.finish(),
            EncoderInner::GzipParallel(gz) => gz.finish(),
            EncoderInner::Zstd(enc) => {
                let mut out = enc.finish()?;
                out.flush()?;
                Ok(out)
            }
            EncoderInner::Plain(mut out) => {
                out.flush()?;
                Ok(out)
            }
        }
    }

    /// The inner writer, e.g. to read the byte count of a [`HashingWriter`]
    /// for progress reports. Writing to it directly would corrupt the stream.
    pub fn get_ref(&self) -> &W {
        match &self.inner {
            EncoderInner::GzipInline(gz) => &gz.out,
            EncoderInner::GzipParallel(gz) => &gz.out,
            EncoderInner::Zstd(enc) => enc.get_ref(),
            EncoderInner::Plain(out) => out,
        }
    }
}

impl<W: Write + Send + 'static> Write for Encoder<W> {
    /// Takes input for compression; output may lag behind while blocks are
    /// being compressed, and blocks when the output cannot keep up.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.failed.check()?;
        let result = match &mut self.inner {
            EncoderInner::GzipInline(gz) => gz.write(buf),
            EncoderInner::GzipParallel(gz) => gz.write(buf),
            EncoderInner::Zstd(enc) => enc.write(buf),
            EncoderInner::Plain(out) => out.write(buf),
        };
        self.failed.record(result)
    }

    /// Pushes all input so far through the compressor to the inner writer,
    /// so that a reader of the output could decode up to here. Each flush
    /// ends a compression block early and costs some ratio: call it rarely.
    fn flush(&mut self) -> io::Result<()> {
        self.failed.check()?;
        let result = match &mut self.inner {
            EncoderInner::GzipInline(gz) => gz.flush(),
            EncoderInner::GzipParallel(gz) => gz.flush(),
            EncoderInner::Zstd(enc) => enc.flush(),
            EncoderInner::Plain(out) => out.flush(),
        };
        self.failed.record(result)
    }
}

/// Compresses `data` as one whole gzip member or zstd frame (with the checksum the zstd CLI adds).
/// A zstd frame is made in one call over the contiguous input, without the streaming encoder's
/// copies into its window (about a third less CPU at level 3).
pub fn compress_whole(codec: Codec, data: &[u8]) -> io::Result<Vec<u8>> {
    match codec {
        Codec::Zstd { level } => {
            codec.check_level()?;
            let mut z = zstd::bulk::Compressor::new(level)?;
            z.set_parameter(zstd::zstd_safe::CParameter::ChecksumFlag(true))?;
            z.compress(data)
        }
        _ => {
            let mut enc = Encoder::new(codec, Vec::with_capacity(data.len() / 3 + 64), 1)?;
            enc.write_all(data)?;
            enc.finish()
        }
    }
}

/// A decoding reader over a compressed stream.
///
/// For gzip it reads every member of a multi-member file, like `gunzip`
/// does, so files made by concatenation or by other parallel tools restore
/// too. Truncated or corrupted input makes a read fail; it never looks like
/// a shorter, complete stream. For good speed give it a `BufRead` with a
/// buffer of 64 KiB or more.
pub fn decoder<'a, R: BufRead + 'a>(codec: Codec, input: R) -> io::Result<Box<dyn Read + 'a>> {
    Ok(match codec {
        Codec::Gzip { .. } => Box::new(flate2::bufread::MultiGzDecoder::new(input)),
        Codec::Zstd { .. } => Box::new(zstd::stream::read::Decoder::with_buffer(input)?),
        Codec::None => Box::new(input),
    })
}

/// Opens a file whose compression is told by its first bytes (gzip, zstd, or none), decoded and
/// buffered.
pub fn open_sniffed(path: &std::path::Path) -> crate::error::Result<Box<dyn BufRead + Send>> {
    use crate::error::IoContext;
    let f = std::fs::File::open(path).ctx(|| format!("cannot open {}", path.display()))?;
    sniffed(Box::new(f), &path.display().to_string())
}

/// Decodes a stream whose compression is told by its first bytes; `what` names it in errors.
pub fn sniffed(
    input: Box<dyn Read + Send>,
    what: &str,
) -> crate::error::Result<Box<dyn BufRead + Send>> {
    use crate::error::IoContext;
    let mut buffered = crate::fs::StreamReader::new(input);
    let prefix = buffered
        .fill_buf()
        .ctx(|| format!("cannot read {what}"))?
        .to_vec();
    let decoded =
        decoder_send(Codec::sniff(&prefix), buffered).ctx(|| format!("cannot decode {what}"))?;
    Ok(Box::new(crate::fs::StreamReader::new(decoded)))
}

/// Like [`decoder`], for a reader that may move to another thread.
pub fn decoder_send<'a, R: BufRead + Send + 'a>(
    codec: Codec,
    input: R,
) -> io::Result<Box<dyn Read + Send + 'a>> {
    Ok(match codec {
        Codec::Gzip { .. } => Box::new(flate2::bufread::MultiGzDecoder::new(input)),
        Codec::Zstd { .. } => Box::new(zstd::stream::read::Decoder::with_buffer(input)?),
        Codec::None => Box::new(input),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::gzip::GzipParallel;
    use super::hash::HASH_BUF;
    use super::*;
    use sha2::{Digest, Sha256};
    use std::process::{Command, Stdio};
    use std::sync::{Arc, Mutex};

    /// A tiny linear congruential generator: enough to make incompressible
    /// and varied test data without a dependency.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            self.0 >> 33
        }
    }

    fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
        let mut rng = Lcg(seed);
        (0..len).map(|_| rng.next() as u8).collect()
    }

    /// COPY-style rows with varying ids, names and numbers.
    fn text_bytes(len: usize, seed: u64) -> Vec<u8> {
        const WORDS: &[&str] = &[
            "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
            "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo",
            "sierra", "tango",
        ];
        let mut rng = Lcg(seed);
        let mut out = Vec::with_capacity(len + 200);
        let mut id = 0u64;
        while out.len() < len {
            id += 1;
            let w1 = WORDS[rng.next() as usize % WORDS.len()];
            let w2 = WORDS[rng.next() as usize % WORDS.len()];
            let line = format!(
                "{id}\t{w1} {w2}\t{w1}.{w2}{}@example.com\t2024-{:02}-{:02} {:02}:{:02}:00+00\t{}.{:02}\n",
                rng.next() % 1000,
                1 + rng.next() % 12,
                1 + rng.next() % 28,
                rng.next() % 24,
                rng.next() % 60,
                rng.next() % 100_000,
                rng.next() % 100
            );
            out.extend_from_slice(line.as_bytes());
        }
        out.truncate(len);
        out
    }

    /// A 20 KiB random chunk repeated: it compresses well only if matches
    /// can reach back across block boundaries, i.e. if the dictionary works.
    fn repetitive_bytes(len: usize) -> Vec<u8> {
        let chunk = random_bytes(20 * 1024, 99);
        chunk.iter().copied().cycle().take(len).collect()
    }

    fn encode(codec: Codec, threads: usize, data: &[u8], chunk: usize) -> Vec<u8> {
        let mut enc = Encoder::new(codec, Vec::new(), threads).unwrap();
        for piece in data.chunks(chunk.max(1)) {
            enc.write_all(piece).unwrap();
        }
        enc.finish().unwrap()
    }

    /// Parallel gzip with a chosen block size, to reach many blocks cheaply.
    fn encode_blocks(
        level: u32,
        threads: usize,
        block: usize,
        data: &[u8],
        chunk: usize,
    ) -> Vec<u8> {
        let mut gz = GzipParallel::new(level, Vec::new(), threads, block).unwrap();
        for piece in data.chunks(chunk.max(1)) {
            let mut piece = piece;
            while !piece.is_empty() {
                let n = gz.write(piece).unwrap();
                piece = &piece[n..];
            }
        }
        gz.finish().unwrap()
    }

    fn decode(codec: Codec, bytes: &[u8]) -> io::Result<Vec<u8>> {
        let mut reader = decoder(codec, bytes)?;
        let mut out = Vec::new();
        reader.read_to_end(&mut out)?;
        Ok(out)
    }

    /// One gzip member holding `data`, with the header this module writes.
    fn assert_single_member(gz: &[u8], data: &[u8]) {
        assert!(gz.len() >= 20, "gzip too short: {} bytes", gz.len());
        assert_eq!(&gz[..8], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0], "gzip header");
        assert_eq!(gz[9], 255, "gzip OS byte");
        let mut dec = flate2::bufread::GzDecoder::new(gz);
        let mut out = Vec::new();
        dec.read_to_end(&mut out).unwrap();
        assert!(out == data, "single-member decode differs");
        assert!(
            dec.into_inner().is_empty(),
            "bytes after the first gzip member"
        );
        let n = gz.len();
        let crc = u32::from_le_bytes([gz[n - 8], gz[n - 7], gz[n - 6], gz[n - 5]]);
        let isize = u32::from_le_bytes([gz[n - 4], gz[n - 3], gz[n - 2], gz[n - 1]]);
        assert_eq!(crc, crc32fast::hash(data), "trailer CRC");
        assert_eq!(
            u64::from(isize),
            data.len() as u64 & 0xffff_ffff,
            "trailer ISIZE"
        );
    }

    /// Runs a system command with `input` on stdin; returns status and stdout.
    fn run_tool(program: &str, args: &[&str], input: Vec<u8>) -> (bool, Vec<u8>) {
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
        let mut stdin = child.stdin.take().unwrap();
        let feeder = std::thread::spawn(move || {
            // The tool may stop reading early on bad input.
            let _ = stdin.write_all(&input);
        });
        let output = child.wait_with_output().unwrap();
        feeder.join().unwrap();
        (output.status.success(), output.stdout)
    }

    const ALL_CODECS: &[Codec] = &[
        Codec::Gzip { level: 1 },
        Codec::Gzip { level: 6 },
        Codec::Gzip { level: 9 },
        Codec::Zstd { level: 1 },
        Codec::Zstd { level: 3 },
        Codec::Zstd { level: 19 },
        Codec::None,
    ];

    #[test]
    fn encoder_and_adapters_can_move_between_threads() {
        fn assert_send<T: Send>() {}
        assert_send::<Encoder<Vec<u8>>>();
        assert_send::<HashingWriter<Vec<u8>>>();
        assert_send::<HashingReader<std::fs::File>>();
        assert_send::<Codec>();
        assert_send::<CodecError>();
    }

    #[test]
    fn spec_parsing_and_display() {
        let cases = [
            ("gzip", Codec::Gzip { level: 6 }),
            ("gzip:1", Codec::Gzip { level: 1 }),
            ("gzip:9", Codec::Gzip { level: 9 }),
            ("zstd", Codec::Zstd { level: 3 }),
            ("zstd:1", Codec::Zstd { level: 1 }),
            ("zstd:19", Codec::Zstd { level: 19 }),
            ("none", Codec::None),
        ];
        for (spec, codec) in cases {
            assert_eq!(spec.parse::<Codec>().unwrap(), codec, "{spec}");
            assert_eq!(codec.to_string().parse::<Codec>().unwrap(), codec, "{spec}");
        }
        assert_eq!(Codec::Gzip { level: 6 }.to_string(), "gzip:6");
        assert_eq!(Codec::Zstd { level: 3 }.to_string(), "zstd:3");
        assert_eq!(Codec::None.to_string(), "none");
        for level in 1..=9 {
            let codec = Codec::Gzip { level };
            assert_eq!(codec.to_string().parse::<Codec>().unwrap(), codec);
        }
        for level in 1..=19 {
            let codec = Codec::Zstd { level };
            assert_eq!(codec.to_string().parse::<Codec>().unwrap(), codec);
        }
        assert_eq!(Codec::default(), Codec::Gzip { level: 6 });
    }

    #[test]
    fn bad_specs_are_named_in_errors() {
        for bad in [
            "",
            "gz",
            "GZIP",
            "bzip2",
            "gzip:",
            "gzip:0",
            "gzip:10",
            "gzip:x",
            "gzip:+6",
            "gzip: 6",
            "gzip:-1",
            "gzip:6:1",
            "zstd:0",
            "zstd:20",
            "zstd:-3",
            "zstd:99999999999999999999",
            "none:1",
            "none:",
        ] {
            let err = bad.parse::<Codec>().unwrap_err();
            let msg = err.to_string();
            assert!(msg.contains(&format!("'{bad}'")), "{msg}");
            assert!(
                msg.contains("gzip:1-9") || msg.contains("zstd:1-19"),
                "error for '{bad}' lists no allowed forms: {msg}"
            );
        }
        let msg = "zstd:20".parse::<Codec>().unwrap_err().to_string();
        assert!(msg.contains("zstd:1-19"), "{msg}");
        let msg = "brotli".parse::<Codec>().unwrap_err().to_string();
        assert!(
            msg.contains("gzip, gzip:1-9, zstd, zstd:1-19 or none"),
            "{msg}"
        );
    }

    #[test]
    fn names_extensions_and_sniffing() {
        let gz = Codec::Gzip { level: 9 };
        let zst = Codec::Zstd { level: 19 };
        assert_eq!((gz.name(), gz.extension()), ("gzip", ".gz"));
        assert_eq!((zst.name(), zst.extension()), ("zstd", ".zst"));
        assert_eq!((Codec::None.name(), Codec::None.extension()), ("none", ""));
        assert_eq!(Codec::sniff(&[0x1f, 0x8b, 8, 0]), Codec::Gzip { level: 6 });
        assert_eq!(
            Codec::sniff(&[0x28, 0xb5, 0x2f, 0xfd, 0]),
            Codec::Zstd { level: 3 }
        );
        assert_eq!(Codec::sniff(b"--\n-- PostgreSQL"), Codec::None);
        assert_eq!(Codec::sniff(&[]), Codec::None);
        assert_eq!(Codec::sniff(&[0x1f]), Codec::None);
        assert_eq!(Codec::sniff(&[0x28, 0xb5, 0x2f]), Codec::None);
        for &codec in ALL_CODECS {
            let out = encode(codec, 1, b"x", 1);
            assert_eq!(Codec::sniff(&out).name(), codec.name());
        }
    }

    #[test]
    fn out_of_range_levels_are_refused() {
        for codec in [
            Codec::Gzip { level: 0 },
            Codec::Gzip { level: 10 },
            Codec::Zstd { level: 0 },
            Codec::Zstd { level: 20 },
            Codec::Zstd { level: -5 },
        ] {
            for threads in [1, 2] {
                let err = Encoder::new(codec, Vec::new(), threads).err().unwrap();
                assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{codec}");
            }
        }
    }

    #[test]
    fn round_trips_at_block_edges() {
        let sizes = [
            0,
            1,
            4096,
            BLOCK_SIZE - 1,
            BLOCK_SIZE,
            BLOCK_SIZE + 1,
            5 * BLOCK_SIZE + 12_345,
        ];
        let inputs: Vec<(&str, Vec<u8>)> = vec![
            ("text", text_bytes(5 * BLOCK_SIZE + 12_345, 1)),
            ("random", random_bytes(5 * BLOCK_SIZE + 12_345, 2)),
            ("repetitive", repetitive_bytes(5 * BLOCK_SIZE + 12_345)),
        ];
        for &codec in ALL_CODECS {
            for threads in [1, 2, 3] {
                for (kind, full) in &inputs {
                    for &size in &sizes {
                        if matches!(codec, Codec::Zstd { level: 19 }) && size > BLOCK_SIZE + 1 {
                            continue; // slow, and says nothing the other levels do not
                        }
                        let data = &full[..size];
                        let chunk = if size <= 4096 { 1 } else { 7 * 1024 };
                        let out = encode(codec, threads, data, chunk);
                        let back = decode(codec, &out).unwrap();
                        assert!(back == data, "{codec} threads={threads} {kind} size={size}");
                        if let Codec::Gzip { .. } = codec {
                            assert_single_member(&out, data);
                        }
                        if codec == Codec::None {
                            assert!(out == data);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn parallel_gzip_small_blocks() {
        let text = text_bytes(300_000, 3);
        let random = random_bytes(100_000, 4);
        for block in [1000, 32 * 1024, 40_000] {
            for threads in [2, 4] {
                for (data, chunk) in [(&text, 7 * 1024), (&text, 1), (&random, 333)] {
                    let out = encode_blocks(6, threads, block, data, chunk);
                    assert_single_member(&out, data);
                    assert!(decode(Codec::Gzip { level: 6 }, &out).unwrap() == *data);
                }
                // Input ending exactly on a block boundary, and an empty input.
                let exact = &text[..block * 3];
                assert_single_member(&encode_blocks(6, threads, block, exact, 5000), exact);
                assert_single_member(&encode_blocks(6, threads, block, &[], 1), &[]);
            }
        }
    }

    #[test]
    fn parallel_gzip_uses_the_previous_window() {
        // 1 MiB of a repeated 20 KiB chunk in 64 KiB blocks: without the
        // dictionary each block would cost at least one full chunk.
        let data = repetitive_bytes(1 << 20);
        let out = encode_blocks(6, 2, 64 * 1024, &data, 7 * 1024);
        assert_single_member(&out, &data);
        assert!(
            out.len() < 40 * 1024,
            "repetitive data compressed to {} bytes",
            out.len()
        );
        // Text compresses about as well as single-threaded gzip.
        let text = text_bytes(3 << 20, 5);
        let parallel = encode(Codec::Gzip { level: 6 }, 2, &text, 7 * 1024).len();
        let inline = encode(Codec::Gzip { level: 6 }, 1, &text, 7 * 1024).len();
        assert!(
            parallel * 100 <= inline * 101,
            "parallel {parallel} vs inline {inline} bytes"
        );
    }

    #[test]
    fn parallel_gzip_output_is_deterministic() {
        let data = text_bytes(2 << 20, 6);
        let first = encode(Codec::Gzip { level: 6 }, 2, &data, 7 * 1024);
        for threads in [2, 3, 5] {
            for chunk in [1000, 64 * 1024] {
                assert!(
                    encode(Codec::Gzip { level: 6 }, threads, &data, chunk) == first,
                    "threads={threads}"
                );
            }
        }
    }

    #[test]
    fn gzip_output_passes_system_gzip() {
        let data = text_bytes(3 * BLOCK_SIZE + 777, 7);
        for threads in [1, 2] {
            for (input, chunk) in [(&data[..], 7 * 1024), (&data[..0], 1), (&data[..1], 1)] {
                let out = encode(Codec::Gzip { level: 6 }, threads, input, chunk);
                let (ok, _) = run_tool("gzip", &["-t"], out.clone());
                assert!(
                    ok,
                    "gzip -t rejects output of threads={threads}, {} bytes",
                    input.len()
                );
                let (ok, plain) = run_tool("gunzip", &["-c"], out);
                assert!(
                    ok && plain == input,
                    "gunzip -c output differs, threads={threads}"
                );
            }
        }
    }

    #[test]
    fn decoder_reads_multi_member_gzip() {
        let a = text_bytes(100_000, 8);
        let b = text_bytes(50_000, 9);
        let mut both = encode(Codec::Gzip { level: 6 }, 2, &a, 4096);
        let (ok, from_gzip) = run_tool("gzip", &["-c"], b.clone());
        assert!(ok);
        both.extend_from_slice(&from_gzip);
        let mut expected = a;
        expected.extend_from_slice(&b);
        assert!(decode(Codec::Gzip { level: 6 }, &both).unwrap() == expected);
    }

    #[test]
    fn damaged_gzip_is_an_error() {
        let data = text_bytes(600_000, 10);
        for threads in [1, 2] {
            let good = encode(Codec::Gzip { level: 6 }, threads, &data, 7 * 1024);
            let n = good.len();
            for cut in [0, 1, 5, 10, 12, n / 2, n - 9, n - 8, n - 4, n - 1] {
                let result = decode(Codec::Gzip { level: 6 }, &good[..cut]);
                assert!(
                    result.is_err(),
                    "gzip cut to {cut} of {n} bytes decoded, threads={threads}"
                );
            }
            for pos in [12, n / 3, n / 2, n - 20, n - 7, n - 2] {
                let mut bad = good.clone();
                bad[pos] ^= 0x55;
                let result = decode(Codec::Gzip { level: 6 }, &bad);
                assert!(
                    result.is_err(),
                    "gzip with byte {pos} of {n} changed decoded, threads={threads}"
                );
            }
        }
    }

    #[test]
    fn damaged_zstd_is_an_error() {
        let data = text_bytes(600_000, 11);
        for threads in [1, 2] {
            let good = encode(Codec::Zstd { level: 3 }, threads, &data, 7 * 1024);
            let n = good.len();
            for cut in [0, 3, 10, n / 2, n - 4, n - 1] {
                let result = decode(Codec::Zstd { level: 3 }, &good[..cut]);
                assert!(
                    result.is_err(),
                    "zstd cut to {cut} of {n} bytes decoded, threads={threads}"
                );
            }
            for pos in [n / 2, n - 2] {
                let mut bad = good.clone();
                bad[pos] ^= 0x55;
                let result = decode(Codec::Zstd { level: 3 }, &bad);
                assert!(
                    result.is_err(),
                    "zstd with byte {pos} of {n} changed decoded, threads={threads}"
                );
            }
        }
    }

    /// A writer that accepts `limit` bytes, then fails like a full disk.
    struct FailAfter {
        limit: usize,
        written: usize,
    }

    impl Write for FailAfter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.written >= self.limit {
                return Err(io::Error::other("no space left on test device"));
            }
            let n = buf.len().min(self.limit - self.written);
            self.written += n;
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn output_errors_surface() {
        let data = text_bytes(2 << 20, 12);
        for codec in [
            Codec::Gzip { level: 6 },
            Codec::Zstd { level: 3 },
            Codec::None,
        ] {
            for threads in [1, 2] {
                for limit in [0, 5, 100, 50_000, 300_000] {
                    let out = FailAfter { limit, written: 0 };
                    let result = Encoder::new(codec, out, threads).and_then(|mut enc| {
                        let mut failed_at = None;
                        for (i, piece) in data.chunks(7 * 1024).enumerate() {
                            if let Err(err) = enc.write_all(piece) {
                                failed_at = Some((i, err));
                                break;
                            }
                        }
                        match failed_at {
                            Some((_, err)) => {
                                // Once failed, the encoder keeps failing.
                                assert!(enc.write_all(b"more").is_err());
                                assert!(enc.flush().is_err());
                                assert!(enc.finish().is_err());
                                Err(err)
                            }
                            None => enc.finish().map(|_| ()),
                        }
                    });
                    assert!(
                        result.is_err(),
                        "{codec} threads={threads} limit={limit}: no error"
                    );
                }
            }
        }
    }

    /// A writer that is interrupted (EINTR) on every other call.
    struct Interrupting {
        data: Vec<u8>,
        calls: u64,
    }

    impl Write for Interrupting {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.calls += 1;
            if self.calls % 2 == 1 {
                return Err(io::ErrorKind::Interrupted.into());
            }
            self.data.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn interrupted_writes_are_retried_not_fatal() {
        let data = text_bytes(BLOCK_SIZE * 3, 20);
        for &codec in ALL_CODECS {
            for threads in [1, 2] {
                let out = Interrupting {
                    data: Vec::new(),
                    calls: 0,
                };
                let mut enc = Encoder::new(codec, out, threads).unwrap();
                for piece in data.chunks(7 * 1024) {
                    enc.write_all(piece).unwrap();
                }
                let out = enc.finish().unwrap();
                assert!(
                    decode(codec, &out.data).unwrap() == data,
                    "{codec} threads={threads}"
                );
            }
        }
    }

    #[test]
    fn worker_panic_is_an_error_not_a_hang() {
        let data = text_bytes(50_000, 13);
        // 10 blocks: 0..=8 are sent while writing, 9 (the last) by finish.
        for panic_at in [0, 2, 8, 9] {
            let mut gz = GzipParallel::new(6, Vec::new(), 2, 5000).unwrap();
            gz.panic_at = Some(panic_at);
            let mut failed = false;
            for piece in data.chunks(1000) {
                if gz.write(piece).is_err() {
                    failed = true;
                    break;
                }
            }
            if !failed {
                let err = gz.finish().expect_err("finish after a worker panic");
                assert!(err.to_string().contains("worker"), "{err}");
            }
        }
    }

    /// A writer whose bytes stay readable after it is moved into an encoder.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn dropped_encoder_leaves_an_invalid_file() {
        let data = text_bytes(3 * BLOCK_SIZE, 14);
        for codec in [Codec::Gzip { level: 6 }, Codec::Zstd { level: 3 }] {
            for threads in [1, 2, 4] {
                let sink = Shared::default();
                let mut enc = Encoder::new(codec, sink.clone(), threads).unwrap();
                for piece in data.chunks(7 * 1024) {
                    enc.write_all(piece).unwrap();
                }
                drop(enc);
                let written = sink.0.lock().unwrap().clone();
                assert!(
                    decode(codec, &written).is_err(),
                    "{codec} threads={threads}"
                );
            }
        }
    }

    #[test]
    fn flush_makes_written_data_decodable() {
        let data = text_bytes(700_000, 15);
        let (first, second) = data.split_at(400_000);
        for threads in [1, 2] {
            let sink = Shared::default();
            let mut enc = Encoder::new(Codec::Gzip { level: 6 }, sink.clone(), threads).unwrap();
            enc.write_all(first).unwrap();
            enc.flush().unwrap();
            let so_far = sink.0.lock().unwrap().clone();
            let mut inflate = flate2::Decompress::new(false);
            let mut plain = Vec::with_capacity(first.len() + 1024);
            inflate
                .decompress_vec(&so_far[10..], &mut plain, flate2::FlushDecompress::Sync)
                .unwrap();
            assert!(plain == first, "flushed prefix, threads={threads}");
            enc.write_all(second).unwrap();
            enc.flush().unwrap();
            enc.flush().unwrap();
            enc.finish().unwrap();
            let all = sink.0.lock().unwrap().clone();
            assert_single_member(&all, &data);
        }
        for &codec in ALL_CODECS {
            let mut enc = Encoder::new(codec, Vec::new(), 2).unwrap();
            enc.write_all(first).unwrap();
            enc.flush().unwrap();
            enc.write_all(second).unwrap();
            let out = enc.finish().unwrap();
            assert!(decode(codec, &out).unwrap() == data, "{codec}");
        }
    }

    /// A writer so slow that the encoder must wait for it.
    struct Slow(Vec<u8>);

    impl Write for Slow {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            std::thread::sleep(std::time::Duration::from_millis(2));
            let n = buf.len().min(16 * 1024);
            self.0.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn slow_output_bounds_blocks_in_flight() {
        let data = random_bytes(40 * 20_000, 16);
        let mut gz = GzipParallel::new(1, Slow(Vec::new()), 3, 20_000).unwrap();
        for piece in data.chunks(7 * 1024) {
            let mut piece = piece;
            while !piece.is_empty() {
                piece = &piece[gz.write(piece).unwrap()..];
                assert!(
                    gz.pending.len() <= 6,
                    "{} blocks in flight",
                    gz.pending.len()
                );
                assert!(gz.spare_bufs.len() + gz.pending.len() <= 7);
            }
        }
        let out = gz.finish().unwrap();
        assert_single_member(&out.0, &data);
    }

    #[test]
    fn encoder_exposes_inner_writer() {
        for &codec in ALL_CODECS {
            let mut enc = Encoder::new(codec, HashingWriter::new(Vec::new()), 2).unwrap();
            enc.write_all(&text_bytes(BLOCK_SIZE * 2, 17)).unwrap();
            let before = enc.get_ref().bytes();
            let (out, bytes, _) = enc.finish().unwrap().finish();
            assert!(before <= bytes && bytes == out.len() as u64, "{codec}");
        }
    }

    const SHA_EMPTY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    const SHA_ABC: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    const SHA_448: &str = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
    const MSG_448: &[u8] = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

    /// Takes at most 3 bytes per write, to exercise short writes.
    struct Trickle(Vec<u8>);

    impl Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let n = buf.len().min(3);
            self.0.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn hashing_writer_matches_known_vectors() {
        for (msg, sha) in [(&b""[..], SHA_EMPTY), (b"abc", SHA_ABC), (MSG_448, SHA_448)] {
            let mut w = HashingWriter::new(Vec::new());
            w.write_all(msg).unwrap();
            assert_eq!(w.bytes(), msg.len() as u64);
            let (inner, n, hex) = w.finish();
            assert_eq!(
                (inner.as_slice(), n, hex.as_str()),
                (msg, msg.len() as u64, sha)
            );
        }
        let mut w = HashingWriter::new(Trickle(Vec::new()));
        assert_eq!(w.write(b"abcdef").unwrap(), 3);
        w.write_all(b"def").unwrap();
        w.get_mut().flush().unwrap();
        assert_eq!(w.get_ref().0, b"abcdef");
        let (_, n, hex) = w.finish();
        assert_eq!(n, 6);
        assert_eq!(hex, hex::encode(Sha256::digest(b"abcdef")));
    }

    #[test]
    fn hashing_reader_matches_known_vectors() {
        for (msg, sha) in [(&b""[..], SHA_EMPTY), (b"abc", SHA_ABC), (MSG_448, SHA_448)] {
            let mut r = HashingReader::new(msg);
            let mut out = Vec::new();
            r.read_to_end(&mut out).unwrap();
            assert_eq!(out, msg);
            assert_eq!(HashingReader::bytes(&r), msg.len() as u64);
            let (_, n, hex) = r.finish();
            assert_eq!((n, hex.as_str()), (msg.len() as u64, sha));
        }
    }

    #[test]
    fn hashing_reader_counts_what_it_hands_out() {
        let data = random_bytes(300_000, 18);
        let expected = hex::encode(Sha256::digest(&data));
        // Small reads go through the buffer, big ones around it.
        for size in [1, 1000, HASH_BUF, 200_000] {
            let mut r = HashingReader::new(&data[..]);
            let mut out = Vec::new();
            let mut buf = vec![0; size];
            loop {
                let n = r.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                out.extend_from_slice(&buf[..n]);
            }
            assert!(out == data);
            let (_, n, hex) = r.finish();
            assert_eq!(
                (n, hex.as_str()),
                (data.len() as u64, expected.as_str()),
                "reads of {size}"
            );
        }
        // Through BufRead: only consumed bytes count.
        let mut r = HashingReader::new(&b"abcdef"[..]);
        assert_eq!(r.fill_buf().unwrap(), b"abcdef");
        r.consume(3);
        assert_eq!(HashingReader::bytes(&r), 3);
        let (_, n, hex) = r.finish();
        assert_eq!((n, hex.as_str()), (3, SHA_ABC));
        // As the input of a decoder, the way verify uses it.
        let compressed = encode(Codec::Gzip { level: 6 }, 2, &data, 7 * 1024);
        let mut r = HashingReader::new(&compressed[..]);
        let codec = Codec::sniff(r.fill_buf().unwrap());
        assert_eq!(codec.name(), "gzip");
        let plain = {
            let mut dec = decoder(codec, &mut r).unwrap();
            let mut plain = Vec::new();
            dec.read_to_end(&mut plain).unwrap();
            plain
        };
        assert!(plain == data);
        io::copy(&mut r, &mut io::sink()).unwrap();
        let (_, n, hex) = r.finish();
        assert_eq!(n, compressed.len() as u64);
        assert_eq!(hex, hex::encode(Sha256::digest(&compressed)));
    }

    #[test]
    fn sha256_of_a_file() {
        let path = std::env::temp_dir().join(format!("codec-sha256-test-{}", std::process::id()));
        let data = random_bytes(3 * HASH_BUF + 17, 19);
        std::fs::write(&path, &data).unwrap();
        let result = sha256_file(&path);
        std::fs::remove_file(&path).unwrap();
        let (n, hex) = result.unwrap();
        assert_eq!(n, data.len() as u64);
        assert_eq!(hex, hex::encode(Sha256::digest(&data)));
        std::fs::write(&path, b"abc").unwrap();
        let result = sha256_file(&path);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(result.unwrap(), (3, SHA_ABC.to_owned()));
        assert!(sha256_file(&path).is_err());
    }
}
