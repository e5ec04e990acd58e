//! `-Z`: transfers run at the same time on `--parallel-max` worker
//! threads. Each worker takes the next URL as soon as it is free (a
//! sliding window, as curl's multi interface keeps `--parallel-max`
//! transfers going) and keeps its own HTTP/1 connection pool across its
//! transfers, so later URLs reuse connections; HTTP/2 connections are
//! shared by all workers, each transfer one stream (curl multiplexes, and
//! waits for the first connection to an origin rather than opening more). Each worker has a copy of
//! the cookie jar, merged back at the end. Each transfer's stdout and
//! stderr bytes are collected and handed out in command-line order as
//! soon as every earlier transfer is done, so output never interleaves
//! (stdout held back in memory up to a budget for the whole run, then in
//! temporary files: see [`spill`]); the per-transfer progress meter is
//! off.
//!
//! Entry point: [`run_all`].

mod spill;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use super::Io;
use super::args::Config;
use super::run::{self, Job, Outcome};
use crate::transfer::Ctx;
use spill::{Budget, MEMORY_BUDGET, SpillBuffer};

/// curl's default `--parallel-max`.
const DEFAULT_MAX: usize = 50;
/// curl's upper bound for `--parallel-max`.
const MAX_MAX: usize = 300;

/// One finished parallel transfer.
pub(crate) struct Done<'b> {
    pub(crate) outcome: Outcome,
    pub(crate) stdout: SpillBuffer<'b>,
    pub(crate) stderr: Vec<u8>,
}

/// Runs every URL of `cfg`, at most `--parallel-max` at a time, and hands
/// each result to `emit` in command-line order. Cookies end up in `ctx`.
pub(crate) fn run_all(cfg: &Config, jobs: &[Job], ctx: &mut Ctx, mut emit: impl FnMut(Done<'_>)) {
    let mut quiet = cfg.clone();
    quiet.no_progress_meter = true;
    let workers = cfg.parallel_max.unwrap_or(DEFAULT_MAX).clamp(1, MAX_MAX).min(jobs.len());
    let next = AtomicUsize::new(0);
    let h2 = crate::transfer::h2::Registry::parallel(!cfg.parallel_immediate);
    let budget = Budget::new(MEMORY_BUDGET);
    let (tx, rx) = mpsc::channel::<(usize, Done<'_>)>();
    let jars = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let (quiet, next, tx, budget) = (&quiet, &next, tx.clone(), &budget);
                let mut own = Ctx::new();
                own.jar = ctx.jar.clone();
                // The HSTS store and alt-svc cache are shared, not copied.
                own.hsts = ctx.hsts.clone();
                own.alt_svc = ctx.alt_svc.clone();
                // HTTP/2 connections are shared: transfers to one origin
                // become streams of one connection.
                own.h2 = h2.clone();
                scope.spawn(move || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break };
                        let (mut stdout, mut stderr) = (SpillBuffer::new(budget), Vec::new());
                        let mut io = Io { stdout: &mut stdout, stderr: &mut stderr, stdout_tty: false };
                        let outcome = run::run_url(quiet, job, &mut own, &mut io, &mut None);
                        if tx.send((i, Done { outcome, stdout, stderr })).is_err() {
                            break;
                        }
                    }
                    own.jar
                })
            })
            .collect();
        drop(tx);
        emit_in_order(rx, &mut emit);
        handles.into_iter().filter_map(|h| h.join().ok().flatten()).collect::<Vec<_>>()
    });
    if let Some(jar) = ctx.jar.as_mut() {
        for theirs in jars {
            jar.merge(theirs);
        }
    }
}

/// Passes results numbered 0, 1, 2, ... to `emit` in that order, each as
/// soon as all before it have arrived. Results after a gap (a transfer
/// that never reported) follow in order once the channel closes.
fn emit_in_order<T>(rx: mpsc::Receiver<(usize, T)>, emit: &mut impl FnMut(T)) {
    let mut waiting = BTreeMap::new();
    let mut want = 0;
    for (i, item) in rx {
        waiting.insert(i, item);
        while let Some(item) = waiting.remove(&want) {
            emit(item);
            want += 1;
        }
    }
    for item in waiting.into_values() {
        emit(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_out_in_command_line_order_as_soon_as_possible() {
        let (tx, rx) = mpsc::channel();
        for i in [2, 0, 3, 5, 1] {
            tx.send((i, i)).unwrap();
        }
        drop(tx);
        let mut seen = Vec::new();
        emit_in_order(rx, &mut |i| seen.push(i));
        // 4 never reported: 5 follows once nothing more can come.
        assert_eq!(seen, [0, 1, 2, 3, 5]);
    }
}
