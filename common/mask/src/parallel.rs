//! Masking the rows of masked tables on several threads ([`crate::Masker::run_jobs`]).
//!
//! The run reads the dump on the calling thread as always. Rows of a masked table are gathered
//! into batches of about [`BATCH`] bytes and handed to the workers; everything else (statements,
//! rows of kept tables) is queued as ready bytes. The queue keeps the dump's order: its head is
//! written as soon as it is ready, so the output is the serial run's bytes, and the first failed
//! batch in the queue is the first error in the dump. At most [`IN_FLIGHT`] batches per worker
//! are queued; past that the reader waits for the head, so memory stays bounded.

use std::collections::VecDeque;
use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::Scope;

use dump::QualifiedName;

use super::context::MaskContext;
use super::error::{MaskError, Position};
use super::masker::{CopyState, Output, Sink};
use super::table::TableMasker;

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
    reply: SyncSender<Result<Masked, MaskError>>,
}

/// A batch's rows, masked.
struct Masked {
    bytes: Vec<u8>,
    masked_values: u64,
}

enum Slot {
    Ready(Vec<u8>),
    Pending {
        block: usize,
        reply: Receiver<Result<Masked, MaskError>>,
    },
}

/// The [`Sink`] of a parallel run: the queue, the batch being filled, the workers' channel.
pub(crate) struct Lanes<W: Write> {
    out: Output<W>,
    queue: VecDeque<Slot>,
    limit: usize,
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
    /// The first error met at the head of the queue.
    failed: Option<MaskError>,
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
            scope.spawn(move || worker(&rx, ctx));
        }
        Lanes {
            out,
            queue: VecDeque::new(),
            limit: jobs * IN_FLIGHT,
            ready: Vec::new(),
            work: Some(tx),
            blocks: Vec::new(),
            rows: Vec::new(),
            start: Position::Unknown,
            counted: Vec::new(),
            failed: None,
        }
    }

    /// After the run failed: the error to report instead, if there is one. That is an error
    /// met at the head of the queue while writing bytes (it could only be passed on as an I/O
    /// error), or else the error of a batch still queued: its rows come before the point where
    /// the run failed, so the serial run would have stopped there first.
    pub(crate) fn earlier_error(&mut self) -> Option<MaskError> {
        // Rows gathered but not handed out yet come before the failure too.
        if self.failed.is_none() {
            if let Err(e) = self.dispatch() {
                self.failed = Some(e);
            }
        }
        self.work = None;
        if self.failed.is_none() {
            while let Some(slot) = self.queue.pop_front() {
                if let Slot::Pending { reply, .. } = slot {
                    if let Err(e) = answer(&reply) {
                        self.failed = Some(e);
                        break;
                    }
                }
            }
        }
        self.queue.clear();
        self.failed.take()
    }

    /// [`Lanes::drain`] for the [`Write`] side: an error is kept for [`Lanes::earlier_error`]
    /// and passed on as an I/O error that ends the run.
    fn drain_for_write(&mut self, keep: usize, dispatch: bool) -> io::Result<()> {
        let result = if dispatch {
            self.dispatch()
        } else {
            self.drain(keep)
        };
        result.map_err(|e| {
            self.failed = Some(e);
            io::Error::other("masking stopped")
        })
    }

    /// Hands the rows gathered so far to a worker.
    fn dispatch(&mut self) -> Result<(), MaskError> {
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
        let sent = self.work.as_ref().is_some_and(|w| w.send(work).is_ok());
        if !sent {
            return Err(stopped());
        }
        self.queue.push_back(Slot::Pending { block, reply });
        self.drain(self.limit)
    }

    /// Queues the ready bytes as a slot of their own.
    fn seal_ready(&mut self) {
        if !self.ready.is_empty() {
            let bytes = std::mem::take(&mut self.ready);
            self.queue.push_back(Slot::Ready(bytes));
        }
    }

    /// Writes the head of the queue while it is ready, and waits for it while more than `keep`
    /// slots are queued. On an error nothing after it is written: the queue is emptied.
    fn drain(&mut self, keep: usize) -> Result<(), MaskError> {
        let result = self.drain_queue(keep);
        if result.is_err() {
            self.queue.clear();
            self.ready.clear();
        }
        result
    }

    fn drain_queue(&mut self, keep: usize) -> Result<(), MaskError> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        while let Some(head) = self.queue.front() {
            let wait = self.queue.len() > keep;
            let result = match head {
                Slot::Ready(_) => None,
                Slot::Pending { reply, .. } if wait => Some(answer(reply)),
                Slot::Pending { reply, .. } => match reply.try_recv() {
                    Ok(r) => Some(r),
                    Err(mpsc::TryRecvError::Empty) => return Ok(()),
                    Err(mpsc::TryRecvError::Disconnected) => Some(Err(stopped())),
                },
            };
            let Some(slot) = self.queue.pop_front() else {
                break;
            };
            match (slot, result) {
                (Slot::Ready(bytes), _) => self.out.write_all(&bytes).map_err(MaskError::Write)?,
                (Slot::Pending { block, .. }, Some(Ok(masked))) => {
                    self.counted[block] += masked.masked_values;
                    self.out
                        .write_all(&masked.bytes)
                        .map_err(MaskError::Write)?;
                }
                (_, Some(Err(e))) => return Err(e),
                (Slot::Pending { .. }, None) => unreachable!("a pending slot is answered above"),
            }
        }
        Ok(())
    }
}

/// A batch's answer, waiting for it.
fn answer(reply: &Receiver<Result<Masked, MaskError>>) -> Result<Masked, MaskError> {
    reply.recv().unwrap_or_else(|_| Err(stopped()))
}

/// A worker that ended without answering (it panicked).
fn stopped() -> MaskError {
    MaskError::Write(io::Error::other("a masking thread stopped"))
}

impl<W: Write> Write for Lanes<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.write_all(data)?;
        Ok(data.len())
    }

    fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        self.drain_for_write(self.limit, true)?;
        if self.queue.is_empty() {
            // Nothing waits before these bytes: straight out.
            return self.out.write_all(data);
        }
        self.ready.extend_from_slice(data);
        if self.ready.len() >= BATCH {
            self.seal_ready();
            self.drain_for_write(self.limit, false)?;
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

    fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        let lanes = &mut *self.lanes;
        if lanes.rows.is_empty() {
            lanes.start = self.at;
        }
        lanes.rows.extend_from_slice(data);
        if let Position::Dump { line, offset } = &mut self.at {
            *line += memchr::memchr_iter(b'\n', data).count() as u64;
            *offset += data.len() as u64;
        }
        if lanes.rows.len() >= BATCH {
            lanes.drain_for_write(lanes.limit, true)?;
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
        self.work = None;
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

    fn bulk_rows(&mut self, at: Position) -> Option<Box<dyn Write + '_>> {
        Some(Box::new(BatchRows { lanes: self, at }))
    }
}

impl<W: Write> Drop for Lanes<W> {
    fn drop(&mut self) {
        // The workers end when the channel closes; answers nobody waits for are dropped.
        self.work = None;
        self.queue.clear();
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
        let answer = result.map(|()| Masked {
            bytes,
            masked_values: st.masked_values - before,
        });
        // The run may have stopped waiting (it failed elsewhere).
        let _ = work.reply.send(answer);
    }
}
