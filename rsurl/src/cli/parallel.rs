//! `-Z`: transfers run at the same time, each on its own thread with its
//! own connection pool and a copy of the cookie jar (merged back at the
//! end); the HSTS store and alt-svc cache are shared between them. Each transfer's stdout and stderr bytes are collected and
//! replayed in command-line order, so output never interleaves; the
//! per-transfer progress meter is off.
//!
//! Entry point: [`run_all`].

use super::Io;
use super::args::Config;
use super::run::{self, Job, Outcome};
use crate::transfer::Ctx;

/// curl's default `--parallel-max`.
const DEFAULT_MAX: usize = 50;
/// curl's upper bound for `--parallel-max`.
const MAX_MAX: usize = 300;

/// One finished parallel transfer.
pub(crate) struct Done {
    pub(crate) outcome: Outcome,
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr: Vec<u8>,
}

/// Runs every URL of `cfg`, at most `--parallel-max` at a time, and
/// returns the results in command-line order. Cookies end up in `ctx`.
pub(crate) fn run_all(cfg: &Config, jobs: &[Job], ctx: &mut Ctx) -> Vec<Done> {
    let mut quiet = cfg.clone();
    quiet.no_progress_meter = true;
    let max = cfg.parallel_max.unwrap_or(DEFAULT_MAX).clamp(1, MAX_MAX);
    let mut all = Vec::with_capacity(jobs.len());
    for batch in jobs.chunks(max) {
        let results: Vec<(Done, Ctx)> = std::thread::scope(|scope| {
            let handles: Vec<_> = batch
                .iter()
                .map(|job| {
                    let quiet = &quiet;
                    let jar = ctx.jar.clone();
                    // The HSTS store and alt-svc cache are shared, not copied.
                    let (hsts, alt_svc) = (ctx.hsts.clone(), ctx.alt_svc.clone());
                    scope.spawn(move || {
                        let mut own = Ctx::new();
                        own.jar = jar;
                        own.hsts = hsts;
                        own.alt_svc = alt_svc;
                        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
                        let mut io = Io { stdout: &mut stdout, stderr: &mut stderr, stdout_tty: false };
                        let outcome = run::run_url(quiet, job, &mut own, &mut io, &mut None);
                        (Done { outcome, stdout, stderr }, own)
                    })
                })
                .collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        for (done, own) in results {
            if let (Some(jar), Some(theirs)) = (ctx.jar.as_mut(), own.jar) {
                jar.merge(theirs);
            }
            all.push(done);
        }
    }
    all
}
