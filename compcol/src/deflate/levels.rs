//! The compression level table: one row of matcher parameters per level.
//!
//! Entry point: [`LEVELS`]. Levels 1-3 take the greedy matcher (a match is
//! taken as soon as it is found; matches up to `lazy` bytes have all their
//! positions hashed, none at level 1), levels 4-9 the lazy matcher (a match
//! is kept only if the next position does not start a longer one). Higher
//! levels search longer hash chains and try harder for long matches.
//! Levels 1-8 hash 4 bytes per position; level 9 hashes 3 so it still
//! finds every 3-byte match (its output must not be larger than zlib's).

/// Which matching loop a level runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Stored blocks only.
    Stored,
    /// One hash probe per position, no chains (level 1).
    Quick,
    /// Greedy matching.
    Greedy,
    /// Lazy matching.
    Lazy,
}

/// Matcher parameters of one level.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Params {
    /// Quarter the chain search once a match this long is in hand.
    pub(crate) good: u16,
    /// Greedy: hash every position of matches up to this long.
    /// Lazy: do not look for a better match after one this long.
    pub(crate) lazy: u16,
    /// Stop searching at a match this long.
    pub(crate) nice: u16,
    /// Most hash-chain links followed per search.
    pub(crate) chain: u16,
    pub(crate) kind: Kind,
    /// Hash 4 bytes instead of 3: shorter chains of better candidates, at
    /// the cost of rarely finding 3-byte matches.
    pub(crate) hash4: bool,
}

const fn p(good: u16, lazy: u16, nice: u16, chain: u16, kind: Kind) -> Params {
    Params { good, lazy, nice, chain, kind, hash4: false }
}

const fn p4(good: u16, lazy: u16, nice: u16, chain: u16, kind: Kind) -> Params {
    Params { good, lazy, nice, chain, kind, hash4: true }
}

/// Parameters by level 0..=9.
pub(crate) const LEVELS: [Params; 10] = [
    p(0, 0, 0, 0, Kind::Stored),
    p4(0, 0, 258, 1, Kind::Quick),
    p4(4, 5, 16, 8, Kind::Greedy),
    p4(4, 6, 32, 32, Kind::Greedy),
    p4(4, 4, 16, 16, Kind::Lazy),
    p4(8, 16, 32, 32, Kind::Lazy),
    p4(4, 32, 128, 40, Kind::Lazy),
    p4(8, 32, 128, 128, Kind::Lazy),
    p4(32, 128, 258, 1024, Kind::Lazy),
    p(32, 258, 258, 4096, Kind::Lazy),
];
