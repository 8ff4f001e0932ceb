//! Masking the rows of masked tables on several threads ([`crate::Masker::run_jobs`]).
//!
//! The run reads the dump on the calling thread as always. Rows of a masked table are gathered
//! into batches of about [`BATCH`] bytes and handed to the workers; everything else (statements,
//! rows of kept tables) is queued as ready bytes. The queue keeps the dump's order: its head is
//! written as soon as it is ready, so the output is the serial run's bytes, and the first failed
//! batch in the queue is the first error in the dump (a failed batch hands back the rows masked
//! before its bad one, written first as the serial run would). About [`IN_FLIGHT`] batches' bytes
//! per worker may be queued; past that the reader waits for the head, so memory stays bounded (a
//! single row longer than that is one batch of its own, as the serial run holds it too).

use std::collections::VecDeque;
use std::io::{self, BufRead, Write};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::Scope;

use dump::QualifiedName;

use super::context::MaskContext;
use super::error::{MaskError, Position};
use super::masker::{CopyState, MaskReport, Masker, Output, Sink};
use super::table::TableMasker;

impl Masker {
    /// [`Masker::run`] with the rows of masked tables masked on `jobs` threads, in batches,
    /// and written in the dump's order: the output is the same bytes (keyed and template
    /// transforms; `random_hash` draws in another order), and so is the first error. The
    /// reading, the statements and the rows of kept tables stay on the calling thread. Memory
    /// stays bounded: a few batches per thread are in flight.
    ///
    /// # Errors
    ///
    /// As [`Masker::run`].
    pub fn run_jobs<R: BufRead, W: Write>(
        &mut self,
        input: R,
        output: W,
        jobs: usize,
    ) -> Result<MaskReport, MaskError> {
        if jobs <= 1 {
            return self.run(input, output);
        }
        let ctx = &self.ctx;
        std::thread::scope(|scope| {
            let mut lanes = Lanes::start(scope, Output::new(output), ctx, jobs);
            let result = self.run_into(input, &mut lanes);
            match result {
                Ok(report) => Ok(report),
                // A row before the point of failure that failed too is the first error.
                Err(e) => Err(lanes.earlier_error().unwrap_or(e)),
            }
        })
    }
}

/// Bytes of rows per batch.
const BATCH: usize = 256 * 1024;
/// Batches queued per worker before the reader waits.
const IN_FLIGHT: usize = 4;

/// Rows of one COPY block for a worker to mask.
struct Work {
    /// The block's number in the run (a worker builds its state again for a new one).
    block: usize,
    masker: Arc<TableMasker>,
    /// Whole rows, each with its line feed.
    rows: Vec<u8>,
    /// Where the first row starts in the dump (the others follow it line by line).
    start: Position,
    reply: SyncSender<Masked>,
}

/// A batch's rows, masked: all of them, or those before the first that failed, and its error.
struct Masked {
    bytes: Vec<u8>,
    masked_values: u64,
    error: Option<MaskError>,
}

enum Slot {
    Ready(Vec<u8>),
    Pending {
        block: usize,
        /// Bytes of rows in it.
        size: usize,
        reply: Receiver<Masked>,
    },
}

/// The [`Sink`] of a parallel run: the queue, the batch being filled, the workers' channel.
pub(crate) struct Lanes<W: Write> {
    out: Output<W>,
    queue: VecDeque<Slot>,
    /// Bytes in the queue (and in `ready`) past which the reader waits for the head.
    limit: usize,
    queued: usize,
    /// Bytes for the queue not yet in a slot.
    ready: Vec<u8>,
    work: Option<Sender<Work>>,
    /// The current block: its table and how its rows are masked.
    blocks: Vec<(QualifiedName, Arc<TableMasker>)>,
    rows: Vec<u8>,
    /// Where the first row of `rows` starts in the dump.
    start: Position,
    /// Masked values per block, as the batches come back.
    counted: Vec<u64>,
    /// The first error met at the head of the queue, kept for [`Lanes::earlier_error`] when it
    /// could only be passed on as an I/O error.
    failed: Option<MaskError>,
    /// Whether the run stopped: nothing more is written or handed out.
    stopped: bool,
}

impl<W: Write> Lanes<W> {
    /// Starts `jobs` workers in `scope`; the masked dump goes to `out`.
    pub(crate) fn start<'scope, 'env>(
        scope: &'scope Scope<'scope, 'env>,
        out: Output<W>,
        ctx: &'env MaskContext,
        jobs: usize,
    ) -> Self {
        let (tx, rx) = mpsc::channel::<Work>();
        let rx = Arc::new(Mutex::new(rx));
        for _ in 0..jobs {
            let rx = Arc::clone(&rx);
            // A panic ends the worker without an answer, which the run reports as an error; it
            // must not also end the scope in a panic.
            scope.spawn(move || {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| worker(&rx, ctx)));
            });
        }
        Lanes {
            out,
            queue: VecDeque::new(),
            limit: jobs * IN_FLIGHT * BATCH,
            queued: 0,
            ready: Vec::new(),
            work: Some(tx),
            blocks: Vec::new(),
            rows: Vec::new(),
            start: Position::Unknown,
            counted: Vec::new(),
            failed: None,
            stopped: false,
        }
    }

    /// After the run failed: the error to report instead, if there is one. That is an error
    /// met at the head of the queue while writing bytes (it could only be passed on as an I/O
    /// error), or else the first error of what is still queued, written out in order as the
    /// serial run would have written it before reaching the failure: a batch's bad row, or a
    /// write error.
    pub(crate) fn earlier_error(&mut self) -> Option<MaskError> {
        if !self.stopped {
            // Rows gathered but not handed out yet come before the failure too.
            let rest = self.dispatch().and_then(|()| {
                self.seal_ready();
                self.drain(0)
            });
            if let Err(e) = rest {
                self.failed.get_or_insert(e);
            }
        }
        self.stop();
        self.failed.take()
    }

    /// Nothing more is written or handed out; the workers end once their batches are done.
    fn stop(&mut self) {
        self.stopped = true;
        self.work = None;
        self.queue.clear();
        self.ready.clear();
        self.rows.clear();
        self.queued = 0;
    }

    /// [`Lanes::dispatch`] (or [`Lanes::drain`]) for the [`Write`] side: an error is kept for
    /// [`Lanes::earlier_error`] and passed on as an I/O error that ends the run.
    fn dispatch_for_write(&mut self, dispatch: bool) -> io::Result<()> {
        let result = if dispatch {
            self.dispatch()
        } else {
            self.drain(self.limit)
        };
        result.map_err(|e| {
            self.failed.get_or_insert(e);
            io::Error::other("masking stopped")
        })
    }

    /// Hands the rows gathered so far to a worker.
    fn dispatch(&mut self) -> Result<(), MaskError> {
        if self.stopped {
            return Err(MaskError::Write(io::Error::other("masking stopped")));
        }
        if self.rows.is_empty() {
            return Ok(());
        }
        self.seal_ready();
        let block = self.blocks.len() - 1;
        let (reply_tx, reply) = mpsc::sync_channel(1);
        let work = Work {
            block,
            masker: Arc::clone(&self.blocks[block].1),
            rows: std::mem::replace(&mut self.rows, Vec::with_capacity(BATCH + BATCH / 4)),
            start: self.start,
            reply: reply_tx,
        };
        let size = work.rows.len();
        let sent = self.work.as_ref().is_some_and(|w| w.send(work).is_ok());
        if !sent {
            return Err(ended());
        }
        self.queued += size;
        self.queue.push_back(Slot::Pending { block, size, reply });
        self.drain(self.limit)
    }

    /// Queues the ready bytes as a slot of their own.
    fn seal_ready(&mut self) {
        if !self.ready.is_empty() {
            let bytes = std::mem::take(&mut self.ready);
            self.queued += bytes.len();
            self.queue.push_back(Slot::Ready(bytes));
        }
    }

    /// Writes the head of the queue while it is ready, and waits for it while more than `keep`
    /// bytes are queued (`0`: until the queue is empty). On an error the run stops: nothing
    /// after it is written.
    fn drain(&mut self, keep: usize) -> Result<(), MaskError> {
        let result = self.drain_queue(keep);
        if result.is_err() {
            self.stop();
        }
        result
    }

    fn drain_queue(&mut self, keep: usize) -> Result<(), MaskError> {
        while let Some(head) = self.queue.front() {
            let wait = keep == 0 || self.queued > keep;
            let answered = match head {
                Slot::Ready(_) => None,
                Slot::Pending { reply, .. } if wait => Some(answer(reply)),
                Slot::Pending { reply, .. } => match reply.try_recv() {
                    Ok(m) => Some(m),
                    Err(mpsc::TryRecvError::Empty) => return Ok(()),
                    Err(mpsc::TryRecvError::Disconnected) => Some(failed_batch(ended())),
                },
            };
            let Some(slot) = self.queue.pop_front() else {
                break;
            };
            match (slot, answered) {
                (Slot::Ready(bytes), _) => {
                    self.queued -= bytes.len();
                    self.out.write_all(&bytes).map_err(MaskError::Write)?;
                }
                (Slot::Pending { block, size, .. }, Some(masked)) => {
                    self.queued -= size;
                    self.counted[block] += masked.masked_values;
                    self.out
                        .write_all(&masked.bytes)
                        .map_err(MaskError::Write)?;
                    if let Some(e) = masked.error {
                        return Err(e);
                    }
                }
                (Slot::Pending { .. }, None) => unreachable!("a pending slot is answered above"),
            }
        }
        Ok(())
    }
}

/// A batch's answer, waiting for it.
fn answer(reply: &Receiver<Masked>) -> Masked {
    reply.recv().unwrap_or_else(|_| failed_batch(ended()))
}

fn failed_batch(error: MaskError) -> Masked {
    Masked {
        bytes: Vec::new(),
        masked_values: 0,
        error: Some(error),
    }
}

/// A worker that ended without answering (it panicked).
fn ended() -> MaskError {
    MaskError::Write(io::Error::other("a masking thread stopped"))
}

impl<W: Write> Write for Lanes<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.write_all(data)?;
        Ok(data.len())
    }

    fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        self.dispatch_for_write(true)?;
        if self.queue.is_empty() {
            // Nothing waits before these bytes: straight out.
            return self.out.write_all(data);
        }
        self.ready.extend_from_slice(data);
        if self.ready.len() >= BATCH {
            self.seal_ready();
            self.dispatch_for_write(false)?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The rows of a masked table's block as the dump reader hands them out in bulk (whole rows in
/// each write), gathered into batches.
pub(crate) struct BatchRows<'a, W: Write> {
    lanes: &'a mut Lanes<W>,
    /// Where the next row starts.
    at: Position,
}

impl<W: Write> Write for BatchRows<'_, W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.write_all(data)?;
        Ok(data.len())
    }

    /// Takes whole rows (the reader's scan regions, up to a megabyte), cut at row ends into
    /// batches of about [`BATCH`] bytes.
    fn write_all(&mut self, mut data: &[u8]) -> io::Result<()> {
        while !data.is_empty() {
            let lanes = &mut *self.lanes;
            if lanes.stopped {
                return Err(io::Error::other("masking stopped"));
            }
            if lanes.rows.is_empty() {
                lanes.start = self.at;
            }
            let room = BATCH.saturating_sub(lanes.rows.len());
            let take = if data.len() <= room {
                data.len()
            } else {
                // To the end of the row that crosses the batch's size.
                memchr::memchr(b'\n', &data[room..]).map_or(data.len(), |i| room + i + 1)
            };
            let (piece, rest) = data.split_at(take);
            lanes.rows.extend_from_slice(piece);
            if let Position::Dump { line, offset } = &mut self.at {
                *line += memchr::memchr_iter(b'\n', piece).count() as u64;
                *offset += piece.len() as u64;
            }
            if lanes.rows.len() >= BATCH {
                lanes.dispatch_for_write(true)?;
            }
            data = rest;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<W: Write> Sink for Lanes<W> {
    fn copy_begins(&mut self, table: &QualifiedName, state: &CopyState) {
        // The block's COPY line was written: rows of the block before are dispatched.
        debug_assert!(self.rows.is_empty());
        self.blocks
            .push((table.clone(), Arc::new(state.masker.clone())));
        self.counted.push(0);
    }

    fn masked_row(
        &mut self,
        _state: &mut CopyState,
        row: &[u8],
        _ctx: &MaskContext,
        at: Position,
    ) -> Result<(), MaskError> {
        if self.stopped {
            return Err(MaskError::Write(io::Error::other("masking stopped")));
        }
        if self.rows.is_empty() {
            self.start = at;
        }
        self.rows.extend_from_slice(row);
        if self.rows.len() >= BATCH {
            self.dispatch()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<Vec<(QualifiedName, u64)>, MaskError> {
        self.dispatch()?;
        self.seal_ready();
        self.drain(0)?;
        self.stop();
        self.out.flush().map_err(MaskError::Write)?;
        Ok(self
            .blocks
            .iter()
            .zip(&self.counted)
            .map(|((table, _), &n)| (table.clone(), n))
            .collect())
    }

    fn bytes(&self) -> u64 {
        self.out.bytes()
    }

    fn bulk_rows<'s>(
        &'s mut self,
        _state: &'s mut CopyState,
        _ctx: &'s MaskContext,
        at: Position,
    ) -> Option<Box<dyn Write + 's>> {
        Some(Box::new(BatchRows { lanes: self, at }))
    }
}

impl<W: Write> Drop for Lanes<W> {
    fn drop(&mut self) {
        // The workers end when the channel closes; answers nobody waits for are dropped.
        self.stop();
    }
}

/// Masks batches until the channel closes. The state of a block is built again when a batch of
/// another block comes.
fn worker(rx: &Mutex<Receiver<Work>>, ctx: &MaskContext) {
    let mut state: Option<(usize, CopyState)> = None;
    loop {
        let work = match rx.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok(work) = work else {
            return;
        };
        let st = match &mut state {
            Some((block, st)) if *block == work.block => st,
            _ => {
                let st = CopyState::new((*work.masker).clone());
                &mut state.insert((work.block, st)).1
            }
        };
        let before = st.masked_values;
        let mut bytes = Vec::with_capacity(work.rows.len() + work.rows.len() / 4);
        let mut result = Ok(());
        let mut at = work.start;
        let mut rest = &work.rows[..];
        while !rest.is_empty() {
            let len = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
            let (row, after) = rest.split_at(len);
            result = st.mask_row(row, ctx, at, &mut bytes);
            if result.is_err() {
                break;
            }
            rest = after;
            if let Position::Dump { line, offset } = &mut at {
                *line += 1;
                *offset += len as u64;
            }
        }
        let answer = Masked {
            bytes,
            masked_values: st.masked_values - before,
            error: result.err(),
        };
        // The run may have stopped waiting (it failed elsewhere).
        let _ = work.reply.send(answer);
    }
}
