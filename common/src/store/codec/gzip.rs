//! The gzip engine: one ordinary gzip member, compressed on the caller's thread or in parallel
//! blocks (the pigz technique) that each start from the 32 KiB window before them.

use std::collections::VecDeque;
use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TryRecvError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use flate2::{Compress, Compression, FlushCompress, Status};

/// First two bytes of every gzip member (RFC 1952).
pub(crate) const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Size of the deflate window: each parallel block is primed with this much
/// of the preceding input, so it compresses as well as if it had not been
/// cut off from it.
pub(crate) const WINDOW: usize = 32 * 1024;
/// Uncompressed size of one parallel gzip block. Each block costs a few
/// bytes of sync marker plus a fresh Huffman table, and a handoff between
/// threads; larger blocks cost memory and make the pipeline slower to fill.
pub(crate) const BLOCK_SIZE: usize = 256 * 1024;
/// Upper bound on compression threads, whatever the caller asks for. It
/// bounds memory: gzip keeps at most two blocks per thread in flight (288
/// KiB of input and up to as much output each) plus one compressor per
/// thread (~400 KiB), about 12 MiB of heap at 8 threads (measured peak
/// RSS of the whole process: ~10 MiB at 2 threads, ~30 MiB at 8). Eight
/// gzip threads already outrun what a database dump usually delivers.
pub(crate) const MAX_THREADS: usize = 8;
/// Input gathered before one deflate call on the single-threaded gzip path,
/// so that many tiny writes do not each pay for a call into the compressor.
pub(crate) const INLINE_STAGE: usize = 64 * 1024;
/// Output buffer of the single-threaded gzip path.
pub(crate) const INLINE_OUT: usize = 128 * 1024;

/// Remembers the first failure of an encoder. After an error the
/// compressor state and what reached the output no longer match (a block
/// may be half written), so every later call must fail too rather than go
/// on and produce a file that looks fine but is corrupt.
#[derive(Default)]
pub(crate) struct Failure(Option<(io::ErrorKind, String)>);

impl Failure {
    /// Fails if an earlier call failed.
    pub(crate) fn check(&self) -> io::Result<()> {
        match &self.0 {
            Some((kind, msg)) => Err(io::Error::new(
                *kind,
                format!("compressed stream unusable after an earlier error: {msg}"),
            )),
            None => Ok(()),
        }
    }

    /// Passes `result` through, keeping its error if it is the first one.
    /// `Interrupted` is not a failure: the caller retries the same call.
    pub(crate) fn record<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if let Err(err) = &result {
            if self.0.is_none() && err.kind() != io::ErrorKind::Interrupted {
                self.0 = Some((err.kind(), err.to_string()));
            }
        }
        result
    }
}

/// Turns a deflate failure into an I/O error naming the gzip compressor.
fn deflate_error(err: impl fmt::Display) -> io::Error {
    io::Error::other(format!("gzip compressor: {err}"))
}

/// The 10-byte gzip member header: no name, no timestamp (so the same input
/// always gives the same file), OS "unknown".
fn gzip_header(level: u32) -> [u8; 10] {
    let xfl = match level {
        9 => 2,
        1 => 4,
        _ => 0,
    };
    [GZIP_MAGIC[0], GZIP_MAGIC[1], 8, 0, 0, 0, 0, 0, xfl, 255]
}

/// The 8-byte gzip trailer: CRC-32 and length modulo 2^32 of the input.
fn gzip_trailer(crc: crc32fast::Hasher, size: u64) -> [u8; 8] {
    let crc = crc.finalize().to_le_bytes();
    // ISIZE is defined as the input length modulo 2^32.
    let isize = ((size & 0xffff_ffff) as u32).to_le_bytes();
    [
        crc[0], crc[1], crc[2], crc[3], isize[0], isize[1], isize[2], isize[3],
    ]
}

/// Runs `comp` over all of `input` with `flush`, handing each piece of
/// output to `sink`. Returns once the input is consumed and the flush is
/// complete (for `Finish`, once the stream has ended).
fn deflate_all(
    comp: &mut Compress,
    input: &[u8],
    flush: FlushCompress,
    buf: &mut Vec<u8>,
    mut sink: impl FnMut(&mut Vec<u8>) -> io::Result<()>,
) -> io::Result<()> {
    let finish = flush == FlushCompress::Finish;
    let mut pos = 0;
    loop {
        if buf.len() == buf.capacity() {
            sink(buf)?;
            if buf.len() == buf.capacity() {
                buf.reserve(INLINE_OUT);
            }
        }
        let (in_before, out_before) = (comp.total_in(), comp.total_out());
        let status = comp
            .compress_vec(&input[pos..], buf, flush)
            .map_err(deflate_error)?;
        let consumed = usize::try_from(comp.total_in() - in_before).map_err(deflate_error)?;
        let produced = comp.total_out() - out_before;
        pos += consumed;
        // Output space left over means the compressor has nothing pending.
        let drained = buf.len() < buf.capacity();
        let done = if finish {
            status == Status::StreamEnd
        } else {
            pos == input.len() && drained
        };
        if done {
            return sink(buf);
        }
        if consumed == 0 && produced == 0 && drained {
            return Err(deflate_error("compressor made no progress"));
        }
    }
}

/// gzip on the caller's thread: one deflate stream over all the input.
pub(crate) struct GzipInline<W: Write> {
    pub(crate) out: W,
    comp: Compress,
    /// Input not yet given to the compressor.
    stage: Vec<u8>,
    obuf: Vec<u8>,
    crc: crc32fast::Hasher,
    size: u64,
}

impl<W: Write> GzipInline<W> {
    pub(crate) fn new(level: u32, mut out: W) -> io::Result<Self> {
        out.write_all(&gzip_header(level))?;
        Ok(GzipInline {
            out,
            comp: Compress::new(Compression::new(level), false),
            stage: Vec::with_capacity(INLINE_STAGE),
            obuf: Vec::with_capacity(INLINE_OUT),
            crc: crc32fast::Hasher::new(),
            size: 0,
        })
    }

    /// Compresses `input` (the stage when `None`) and writes whatever the
    /// compressor returns.
    pub(crate) fn deflate(&mut self, input: Option<&[u8]>, flush: FlushCompress) -> io::Result<()> {
        let input = input.unwrap_or(&self.stage);
        let out = &mut self.out;
        deflate_all(&mut self.comp, input, flush, &mut self.obuf, |buf| {
            out.write_all(buf)?;
            buf.clear();
            Ok(())
        })?;
        self.stage.clear();
        Ok(())
    }

    pub(crate) fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.crc.update(data);
        self.size += data.len() as u64;
        if self.stage.len() + data.len() <= INLINE_STAGE {
            self.stage.extend_from_slice(data);
            return Ok(data.len());
        }
        if !self.stage.is_empty() {
            self.deflate(None, FlushCompress::None)?;
        }
        if data.len() >= INLINE_STAGE {
            self.deflate(Some(data), FlushCompress::None)?;
        } else {
            self.stage.extend_from_slice(data);
        }
        Ok(data.len())
    }

    pub(crate) fn flush(&mut self) -> io::Result<()> {
        self.deflate(None, FlushCompress::Sync)?;
        self.out.flush()
    }

    pub(crate) fn finish(mut self) -> io::Result<W> {
        self.deflate(None, FlushCompress::Finish)?;
        let trailer = gzip_trailer(self.crc.clone(), self.size);
        self.out.write_all(&trailer)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// One block for a compression worker.
pub(crate) struct Job {
    /// The dictionary (`buf[..dict_len]`, the end of the preceding input)
    /// followed by the block itself.
    buf: Vec<u8>,
    dict_len: usize,
    /// The last block ends the deflate stream; others end on a byte-aligned
    /// sync point so that blocks can simply be concatenated.
    last: bool,
    /// Reused output buffer.
    out: Vec<u8>,
    reply: SyncSender<Result<Done, String>>,
    /// Makes the worker panic, to test that a dead worker is reported.
    #[cfg(test)]
    panic: bool,
}

/// A compressed block, with both buffers handed back for reuse.
pub(crate) struct Done {
    buf: Vec<u8>,
    out: Vec<u8>,
}

/// Compresses one block as a piece of a raw deflate stream.
///
/// Each block gets a new compressor. A reset one still holds memory of the
/// blocks it compressed before, which can change the matches it picks: the
/// output stays valid but would depend on which thread took which block.
/// Fresh compressors make the file depend on the input alone, whatever the
/// thread count, at a cost (zeroing some 300 KiB) far below compressing
/// a block.
fn deflate_block(level: u32, job: &mut Job) -> io::Result<()> {
    let mut comp = Compress::new(Compression::new(level), false);
    let (dict, input) = job.buf.split_at(job.dict_len);
    if !dict.is_empty() {
        comp.set_dictionary(dict).map_err(deflate_error)?;
    }
    let flush = if job.last {
        FlushCompress::Finish
    } else {
        FlushCompress::Sync
    };
    job.out.clear();
    // Room for incompressible input plus stored-block overhead, so that the
    // block normally compresses in a single call.
    job.out.reserve(input.len() + input.len() / 64 + 64);
    deflate_all(&mut comp, input, flush, &mut job.out, |_| Ok(()))
}

/// Body of a compression worker: takes blocks from the shared queue until
/// the queue closes or the encoder is dropped.
fn gzip_worker(level: u32, jobs: Arc<Mutex<Receiver<Job>>>, cancel: Arc<AtomicBool>) {
    loop {
        let job = match jobs.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok(mut job) = job else { return };
        if cancel.load(Ordering::Relaxed) {
            // Dropping the job closes its reply channel; nobody waits on it.
            continue;
        }
        #[cfg(test)]
        if job.panic {
            panic!("test-injected gzip worker panic");
        }
        let result = match deflate_block(level, &mut job) {
            Ok(()) => Ok(Done {
                buf: job.buf,
                out: job.out,
            }),
            Err(err) => Err(err.to_string()),
        };
        // The encoder may be gone already (dropped); then nobody needs it.
        let _ = job.reply.send(result);
    }
}

/// The worker threads of a parallel gzip encoder. Dropping it stops them:
/// queued blocks are skipped and every thread is joined, so an abandoned
/// encoder leaves no thread behind.
pub(crate) struct WorkerPool {
    jobs: Option<SyncSender<Job>>,
    threads: Vec<JoinHandle<()>>,
    cancel: Arc<AtomicBool>,
}

impl WorkerPool {
    pub(crate) fn new(level: u32, threads: usize, queue: usize) -> io::Result<Self> {
        let (tx, rx) = mpsc::sync_channel(queue);
        let rx = Arc::new(Mutex::new(rx));
        let cancel = Arc::new(AtomicBool::new(false));
        let mut pool = WorkerPool {
            jobs: Some(tx),
            threads: Vec::with_capacity(threads),
            cancel,
        };
        for i in 0..threads {
            let (rx, cancel) = (Arc::clone(&rx), Arc::clone(&pool.cancel));
            let handle = std::thread::Builder::new()
                .name(format!("gzip-{i}"))
                .spawn(move || gzip_worker(level, rx, cancel))?;
            pool.threads.push(handle);
        }
        Ok(pool)
    }

    pub(crate) fn send(&self, job: Job) -> io::Result<()> {
        self.jobs
            .as_ref()
            .and_then(|tx| tx.send(job).ok())
            .ok_or_else(worker_gone)
    }

    /// Closes the queue and waits for every thread; fails if one panicked.
    pub(crate) fn shutdown(&mut self) -> io::Result<()> {
        self.jobs = None;
        let mut panicked = false;
        for handle in self.threads.drain(..) {
            panicked |= handle.join().is_err();
        }
        if panicked {
            Err(worker_gone())
        } else {
            Ok(())
        }
    }
}

impl Drop for WorkerPool {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
        // A panicked worker was already reported to the writer, if any.
        let _ = self.shutdown();
    }
}

/// The error for a worker that stopped without answering (it panicked).
fn worker_gone() -> io::Error {
    io::Error::other("gzip compression worker stopped unexpectedly")
}

/// gzip over worker threads, pigz style: the input is cut into blocks, each
/// compressed by a worker as a piece of a single raw deflate stream (primed
/// with the 32 KiB before it, ended on a byte boundary), and the pieces are
/// written in order between one header and one trailer computed here. The
/// result is one standard gzip member.
pub(crate) struct GzipParallel<W: Write> {
    pub(crate) out: W,
    pool: WorkerPool,
    /// Blocks handed to workers, oldest first; the output order.
    pub(crate) pending: VecDeque<Receiver<Result<Done, String>>>,
    max_pending: usize,
    block_size: usize,
    /// The block being filled: its dictionary, then its data.
    cur: Vec<u8>,
    cur_dict: usize,
    pub(crate) spare_bufs: Vec<Vec<u8>>,
    spare_outs: Vec<Vec<u8>>,
    crc: crc32fast::Hasher,
    size: u64,
    /// Index of a block whose worker must panic, for tests.
    #[cfg(test)]
    pub(crate) panic_at: Option<u64>,
    #[cfg(test)]
    blocks_sent: u64,
}

impl<W: Write> GzipParallel<W> {
    pub(crate) fn new(
        level: u32,
        mut out: W,
        threads: usize,
        block_size: usize,
    ) -> io::Result<Self> {
        let max_pending = 2 * threads;
        let pool = WorkerPool::new(level, threads, max_pending)?;
        out.write_all(&gzip_header(level))?;
        Ok(GzipParallel {
            out,
            pool,
            pending: VecDeque::with_capacity(max_pending),
            max_pending,
            block_size,
            cur: Vec::with_capacity(WINDOW + block_size),
            cur_dict: 0,
            spare_bufs: Vec::new(),
            spare_outs: Vec::new(),
            crc: crc32fast::Hasher::new(),
            size: 0,
            #[cfg(test)]
            panic_at: None,
            #[cfg(test)]
            blocks_sent: 0,
        })
    }

    /// Writes the oldest pending block once it is ready. With `wait` false
    /// it returns `Ok(false)` instead of waiting for it.
    pub(crate) fn write_front(&mut self, wait: bool) -> io::Result<bool> {
        let Some(front) = self.pending.front() else {
            return Ok(false);
        };
        let reply = if wait {
            front.recv().map_err(|_| worker_gone())
        } else {
            match front.try_recv() {
                Ok(reply) => Ok(reply),
                Err(TryRecvError::Empty) => return Ok(false),
                Err(TryRecvError::Disconnected) => Err(worker_gone()),
            }
        };
        self.pending.pop_front();
        let done = reply?.map_err(io::Error::other)?;
        self.out.write_all(&done.out)?;
        self.spare_bufs.push(done.buf);
        self.spare_outs.push(done.out);
        Ok(true)
    }

    /// Hands the current block to the workers. The next block starts with
    /// the last 32 KiB of input seen so far as its dictionary.
    pub(crate) fn dispatch(&mut self, last: bool) -> io::Result<()> {
        while self.pending.len() >= self.max_pending {
            self.write_front(true)?;
        }
        let mut next = self
            .spare_bufs
            .pop()
            .unwrap_or_else(|| Vec::with_capacity(WINDOW + self.block_size));
        next.clear();
        if !last {
            let tail = self.cur.len().saturating_sub(WINDOW);
            next.extend_from_slice(&self.cur[tail..]);
        }
        let next_dict = next.len();
        let buf = std::mem::replace(&mut self.cur, next);
        let dict_len = std::mem::replace(&mut self.cur_dict, next_dict);
        let (reply, receiver) = mpsc::sync_channel(1);
        let job = Job {
            buf,
            dict_len,
            last,
            out: self.spare_outs.pop().unwrap_or_default(),
            reply,
            #[cfg(test)]
            panic: self.panic_at == Some(self.blocks_sent),
        };
        #[cfg(test)]
        {
            self.blocks_sent += 1;
        }
        self.pool.send(job)?;
        self.pending.push_back(receiver);
        // Keep the output flowing without waiting for slower blocks.
        while self.write_front(false)? {}
        Ok(())
    }

    pub(crate) fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        // A full block is sent only when more input arrives, so the input
        // ending exactly on a block boundary still makes that block the last.
        if self.cur.len() - self.cur_dict >= self.block_size {
            self.dispatch(false)?;
        }
        let room = self.block_size - (self.cur.len() - self.cur_dict);
        let n = room.min(data.len());
        let data = &data[..n];
        self.cur.extend_from_slice(data);
        self.crc.update(data);
        self.size += n as u64;
        Ok(n)
    }

    pub(crate) fn flush(&mut self) -> io::Result<()> {
        if self.cur.len() > self.cur_dict {
            self.dispatch(false)?;
        }
        while self.write_front(true)? {}
        self.out.flush()
    }

    pub(crate) fn finish(mut self) -> io::Result<W> {
        // The last block may be empty: it still ends the deflate stream.
        self.dispatch(true)?;
        while self.write_front(true)? {}
        self.pool.shutdown()?;
        let trailer = gzip_trailer(self.crc.clone(), self.size);
        self.out.write_all(&trailer)?;
        self.out.flush()?;
        Ok(self.out)
    }
}
