//! The codec-agnostic half of `compcol -T N`: cut the input into chunks,
//! compress them on N worker threads, hand the results back in input
//! order.
//!
//! Entry points: [`Chunks`] (fixed-size reads that know which chunk is
//! the last) and [`run_ordered`] (the worker pool). gzip (`parallel`) and
//! zstd (`zstd_mt`) differ only in what a job is and how its result is
//! joined, so both drive this one scheduler.
//!
//! Memory stays bounded: at most [`IN_FLIGHT_PER_THREAD`] jobs per thread
//! are read and not yet written, whatever the input size.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Mutex, PoisonError};

/// Jobs read but not yet written, per worker: one being compressed and
/// one queued, so a worker never waits for the reader between jobs.
const IN_FLIGHT_PER_THREAD: usize = 2;

/// Fills `buf` from `r` as far as possible; returns the bytes read (less
/// than `buf.len()` only at the end of the input).
pub(crate) fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(buf.get_mut(n..).unwrap_or(&mut [])) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// One chunk of input.
pub(crate) struct Chunk {
    pub(crate) data: Vec<u8>,
    /// No input follows this chunk.
    pub(crate) last: bool,
}

/// Reads the input in chunks of exactly `size` bytes (the last may be
/// shorter). Chunk boundaries depend only on the input bytes, never on
/// how the reader delivers them, so the output of `-T N` does not depend
/// on pipe buffering or on N.
pub(crate) struct Chunks<R> {
    input: R,
    size: usize,
    /// The chunk after the one handed out last, read ahead to learn
    /// whether that one was the last.
    ahead: Option<Vec<u8>>,
    done: bool,
}

impl<R: Read> Chunks<R> {
    pub(crate) fn new(input: R, size: usize) -> Self {
        Self { input, size: size.max(1), ahead: None, done: false }
    }

    fn read_chunk(&mut self) -> io::Result<Vec<u8>> {
        let mut buf = vec![0u8; self.size];
        let n = read_full(&mut self.input, &mut buf)?;
        buf.truncate(n);
        Ok(buf)
    }

    /// The next chunk, or `None` after the last. Empty input gives one
    /// empty chunk marked last, so every format can still write its
    /// empty stream.
    pub(crate) fn next_chunk(&mut self) -> io::Result<Option<Chunk>> {
        if self.done {
            return Ok(None);
        }
        let data = match self.ahead.take() {
            Some(d) => d,
            None => self.read_chunk()?,
        };
        let last = if data.len() < self.size {
            true
        } else {
            let next = self.read_chunk()?;
            let end = next.is_empty();
            self.ahead = (!end).then_some(next);
            end
        };
        self.done = last;
        Ok(Some(Chunk { data, last }))
    }
}

/// Everything [`run_ordered`]'s workers share.
struct Shared<'a, J, F> {
    jobs: Mutex<Receiver<(u64, J)>>,
    work: &'a F,
    /// Set after the first error: queued jobs are dropped, not compressed.
    stop: AtomicBool,
}

fn worker<J, O, F>(shared: &Shared<'_, J, F>, done: Sender<(u64, io::Result<O>)>)
where
    F: Fn(J) -> io::Result<O>,
{
    loop {
        // The lock is held while waiting: only one idle worker waits on
        // the queue at a time, the others wait for the lock.
        let next = shared.jobs.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok((index, job)) = next else { return };
        if shared.stop.load(Ordering::Relaxed) {
            return;
        }
        // A panic becomes this job's error: the caller sees an error, and
        // the reorder loop is not left waiting for a result that never comes.
        let result = catch_unwind(AssertUnwindSafe(|| (shared.work)(job)))
            .unwrap_or_else(|_| Err(io::Error::other("compression worker panicked")));
        if done.send((index, result)).is_err() {
            return;
        }
    }
}

/// The reading, dispatching and reordering loop of [`run_ordered`], on
/// the caller's thread. Takes the job queue by value so that returning,
/// early or not, closes it and lets the workers end.
fn drive<J, O>(
    limit: u64,
    next_job: &mut impl FnMut() -> io::Result<Option<J>>,
    sink: &mut impl FnMut(O) -> io::Result<()>,
    jobs: Sender<(u64, J)>,
    done: &Receiver<(u64, io::Result<O>)>,
) -> io::Result<u64> {
    // Invariant: written <= sent, sent - written <= limit; `ready` holds
    // finished results with index in written..sent.
    let (mut sent, mut written) = (0u64, 0u64);
    let mut ready = BTreeMap::new();
    let mut input_done = false;
    loop {
        while !input_done && sent - written < limit {
            match next_job()? {
                Some(job) => {
                    jobs.send((sent, job)).map_err(|_| gone())?;
                    sent += 1;
                }
                None => input_done = true,
            }
        }
        if written == sent {
            return Ok(sent);
        }
        let (index, result) = done.recv().map_err(|_| gone())?;
        ready.insert(index, result?);
        while let Some(out) = ready.remove(&written) {
            sink(out)?;
            written += 1;
        }
    }
}

fn gone() -> io::Error {
    io::Error::other("compression workers stopped")
}

/// Runs `work` on every job from `next_job` (until it returns `None`) on
/// `threads` worker threads, passing each result to `sink` in job order;
/// returns the number of jobs.
///
/// The first error (from reading, a worker, a worker panic or `sink`)
/// stops the pool and is returned; jobs already queued are dropped.
pub(crate) fn run_ordered<J, O, F>(
    threads: usize,
    mut next_job: impl FnMut() -> io::Result<Option<J>>,
    work: F,
    mut sink: impl FnMut(O) -> io::Result<()>,
) -> io::Result<u64>
where
    J: Send,
    O: Send,
    F: Fn(J) -> io::Result<O> + Sync,
{
    let threads = threads.max(1);
    let limit = (threads * IN_FLIGHT_PER_THREAD) as u64;
    let (job_tx, job_rx) = channel::<(u64, J)>();
    let (done_tx, done_rx) = channel::<(u64, io::Result<O>)>();
    let shared = Shared { jobs: Mutex::new(job_rx), work: &work, stop: AtomicBool::new(false) };
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let done = done_tx.clone();
                let shared = &shared;
                s.spawn(move || worker(shared, done))
            })
            .collect();
        drop(done_tx);
        let result = drive(limit, &mut next_job, &mut sink, job_tx, &done_rx);
        // `drive` has dropped the job queue: idle workers end now, busy
        // ones after their current job.
        if result.is_err() {
            shared.stop.store(true, Ordering::Relaxed);
        }
        for h in handles {
            // Workers catch their own panics; nothing else can unwind.
            let _ = h.join();
        }
        result
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `jobs` (numbers) through the pool; `work` may fail or panic.
    fn run(threads: usize, jobs: u64, work: impl Fn(u64) -> io::Result<u64> + Sync) -> io::Result<Vec<u64>> {
        let mut next = 0u64;
        let mut got = Vec::new();
        let n = run_ordered(
            threads,
            || {
                next += 1;
                Ok((next <= jobs).then_some(next - 1))
            },
            work,
            |o| {
                got.push(o);
                Ok(())
            },
        )?;
        assert_eq!(n, jobs);
        Ok(got)
    }

    #[test]
    fn results_come_back_in_job_order() {
        for threads in [1, 2, 3, 8] {
            // Early jobs are the slowest, so later ones finish first.
            let got = run(threads, 40, |i| {
                std::thread::sleep(std::time::Duration::from_micros((40 - i) * 50));
                Ok(i * 10)
            })
            .unwrap();
            assert_eq!(got, (0..40).map(|i| i * 10).collect::<Vec<_>>(), "{threads} threads");
        }
        assert_eq!(run(2, 0, Ok).unwrap(), Vec::<u64>::new());
    }

    #[test]
    fn a_worker_error_is_returned() {
        let e = run(3, 100, |i| if i == 17 { Err(io::Error::other("job 17 failed")) } else { Ok(i) }).unwrap_err();
        assert_eq!(e.to_string(), "job 17 failed");
    }

    #[test]
    #[allow(clippy::panic)] // the panic is the point: it must come back as an error
    fn a_worker_panic_is_an_error_not_a_panic() {
        let e = run(2, 10, |i| if i == 3 { panic!("boom") } else { Ok(i) }).unwrap_err();
        assert!(e.to_string().contains("panicked"), "{e}");
    }

    #[test]
    fn reader_and_sink_errors_are_returned() {
        let mut n = 0;
        let e = run_ordered(
            2,
            || {
                n += 1;
                if n == 5 { Err(io::Error::other("read failed")) } else { Ok(Some(n)) }
            },
            Ok,
            |_| Ok(()),
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "read failed");
        let mut n = 0;
        let e = run_ordered(
            2,
            || {
                n += 1;
                Ok((n < 50).then_some(n))
            },
            Ok,
            |o| if o == 7 { Err(io::Error::other("write failed")) } else { Ok(()) },
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "write failed");
    }

    #[test]
    fn in_flight_jobs_are_bounded() {
        use std::sync::atomic::AtomicUsize;
        let live = AtomicUsize::new(0);
        let peak = AtomicUsize::new(0);
        let mut n = 0;
        run_ordered(
            2,
            || {
                n += 1;
                let now = live.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                Ok((n <= 50).then_some(n))
            },
            |i| {
                std::thread::sleep(std::time::Duration::from_micros(200));
                Ok(i)
            },
            |_| {
                live.fetch_sub(1, Ordering::SeqCst);
                Ok(())
            },
        )
        .unwrap();
        // +1: the final `None` is counted as read too.
        assert!(peak.load(Ordering::SeqCst) <= 2 * IN_FLIGHT_PER_THREAD + 1);
    }

    #[test]
    fn chunks_split_exactly_and_mark_the_last() {
        let sizes = |data: &[u8], size: usize| {
            let mut c = Chunks::new(data, size);
            let mut v = Vec::new();
            while let Some(ch) = c.next_chunk().unwrap() {
                v.push((ch.data.len(), ch.last));
            }
            v
        };
        assert_eq!(sizes(&[], 4), [(0, true)]);
        assert_eq!(sizes(&[1; 3], 4), [(3, true)]);
        assert_eq!(sizes(&[1; 8], 4), [(4, false), (4, true)]);
        assert_eq!(sizes(&[1; 9], 4), [(4, false), (4, false), (1, true)]);
    }

    /// Hands out at most `step` bytes per read, as a pipe might.
    struct Trickle<'a>(&'a [u8], usize);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            let (head, tail) = self.0.split_at(n);
            buf.get_mut(..n).unwrap_or(&mut []).copy_from_slice(head);
            self.0 = tail;
            Ok(n)
        }
    }

    #[test]
    fn chunk_boundaries_do_not_depend_on_read_sizes() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
        let all = |step: usize| {
            let mut c = Chunks::new(Trickle(&data, step), 64);
            let mut v = Vec::new();
            while let Some(ch) = c.next_chunk().unwrap() {
                v.push(ch.data);
            }
            v
        };
        let whole = all(usize::MAX);
        assert_eq!(whole.concat(), data);
        for step in 1..=17 {
            assert_eq!(all(step), whole, "reads of {step}");
        }
    }
}
