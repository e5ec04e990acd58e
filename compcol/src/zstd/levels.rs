//! The level table: each level is a row of match-finder parameters, as
//! zstd's own table is (same window sizes, so frames decode with the same
//! memory as the zstd tool's).
//!
//! Entry point: [`params`]. Negative levels use the fast single-hash
//! finder with a growing skip; 1..=2 the fast finder; 3..=4 the two-hash
//! ("double fast") finder; 5..=22 hash chains with greedy, lazy and
//! two-step lazy parsing and deeper searches. zstd's binary-tree and
//! optimal parsers (its levels 13..=22) are not implemented: those levels
//! use deep lazy hash-chain search instead, so they are slower to reach a
//! somewhat worse ratio than zstd's (measured in the README).

use super::NAME;
use crate::{Error, ErrorKind};

/// The fastest level.
pub const MIN_LEVEL: i32 = -7;
/// The smallest-output level ("ultra" above 19).
pub const MAX_LEVEL: i32 = 22;

/// How matches are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strategy {
    /// One hash table, first match taken, skipping faster over misses.
    Fast,
    /// Two hash tables (8-byte and 5-byte keys), first match taken.
    DoubleFast,
    /// Hash chains; `lazy` = how many following positions may replace a
    /// match with a better one (0 = greedy).
    Chain { lazy: u8 },
}

/// Parameters of one level.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Params {
    pub(crate) window_log: u32,
    pub(crate) hash_log: u32,
    pub(crate) chain_log: u32,
    /// Chain candidates examined per position.
    pub(crate) attempts: u32,
    /// Shortest match worth coding (bytes hashed).
    pub(crate) min_match: u32,
    /// A match this long ends the search.
    pub(crate) nice: u32,
    /// Fast finder: log2 of literals run per extra skip step.
    pub(crate) skip_log: u32,
    pub(crate) strategy: Strategy,
}

const fn p(
    window_log: u32,
    hash_log: u32,
    chain_log: u32,
    attempts: u32,
    min_match: u32,
    nice: u32,
    strategy: Strategy,
) -> Params {
    Params { window_log, hash_log, chain_log, attempts, min_match, nice, skip_log: 6, strategy }
}

use Strategy::{Chain, DoubleFast, Fast};

/// Levels 1..=22.
const TABLE: [Params; 22] = [
    p(19, 14, 0, 1, 6, 0, Fast),
    p(20, 16, 0, 1, 6, 0, Fast),
    p(21, 17, 16, 1, 5, 0, DoubleFast),
    p(21, 18, 18, 1, 5, 0, DoubleFast),
    p(21, 18, 19, 4, 5, 32, Chain { lazy: 0 }),
    p(21, 18, 19, 8, 5, 32, Chain { lazy: 1 }),
    p(21, 19, 20, 16, 5, 48, Chain { lazy: 1 }),
    p(21, 19, 20, 16, 5, 64, Chain { lazy: 2 }),
    p(22, 20, 21, 24, 5, 64, Chain { lazy: 2 }),
    p(22, 21, 22, 32, 5, 96, Chain { lazy: 2 }),
    p(22, 21, 22, 64, 5, 128, Chain { lazy: 2 }),
    p(22, 22, 23, 64, 5, 128, Chain { lazy: 2 }),
    p(22, 22, 22, 96, 4, 160, Chain { lazy: 2 }),
    p(22, 22, 23, 128, 4, 192, Chain { lazy: 2 }),
    p(22, 23, 23, 192, 4, 256, Chain { lazy: 2 }),
    p(22, 22, 22, 256, 4, 256, Chain { lazy: 2 }),
    p(23, 23, 22, 384, 4, 384, Chain { lazy: 2 }),
    p(23, 23, 22, 512, 4, 512, Chain { lazy: 2 }),
    p(23, 24, 22, 768, 4, 768, Chain { lazy: 2 }),
    p(25, 25, 23, 1024, 4, 1024, Chain { lazy: 2 }),
    p(26, 26, 24, 1536, 4, 2048, Chain { lazy: 2 }),
    p(27, 27, 25, 2048, 4, 4096, Chain { lazy: 2 }),
];

/// The parameters for `level` (-7..=22; 0 is the default, 3).
pub(crate) fn params(level: i32) -> Result<Params, Error> {
    let level = if level == 0 { super::DEFAULT_LEVEL } else { level };
    if !(MIN_LEVEL..=MAX_LEVEL).contains(&level) {
        return Err(Error::new(ErrorKind::InvalidArgument, NAME, "level must be -7..=22"));
    }
    if level < 0 {
        // Negative levels: the level 1 finder with a quicker skip.
        let mut q = TABLE[0];
        q.skip_log = (6 - (-level).min(5) as u32).max(1);
        q.hash_log = 13;
        return Ok(q);
    }
    TABLE.get(level as usize - 1).copied().ok_or(Error::new(ErrorKind::InvalidArgument, NAME, "level must be -7..=22"))
}
