//! Run-time configuration read from the environment without allocating.
//!
//! Entry point: [`Config::from_env`]. `BTMALLOC_PARTITIONS=P` sets the number
//! of call-site partitions: `1` disables partitioning, any other value is
//! rounded up to a power of two `2^k` (at most [`MAX_PARTITIONS`]). The
//! default is [`DEFAULT_PARTITIONS`]. `BTMALLOC_PARTITION_MODE=interned`
//! gives each distinct call site its own partition, in first-seen order,
//! until the `P` partitions run out (later sites are hashed); the default
//! mode, `hashed`, hashes every site. Reading uses `libc::getenv`, which
//! only scans `environ` and never calls `malloc`.

/// Upper bound on the number of partitions.
pub const MAX_PARTITIONS: usize = 1024;
/// Partitions used when the environment says nothing.
pub const DEFAULT_PARTITIONS: usize = 64;

/// The allocator's settings.
///
/// Invariant: `partitions == 1 << partition_bits`, `partitions <= MAX_PARTITIONS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// Number of partitions (a power of two).
    pub partitions: usize,
    /// `log2(partitions)`.
    pub partition_bits: u32,
    /// Sites get partitions in first-seen order instead of by hash.
    pub interned: bool,
}

impl Config {
    /// The configuration for `partitions` requested partitions (rounded up to
    /// a power of two and clamped to `1..=MAX_PARTITIONS`).
    #[must_use]
    pub const fn with_partitions(partitions: usize) -> Config {
        let p = if partitions == 0 {
            1
        } else if partitions > MAX_PARTITIONS {
            MAX_PARTITIONS
        } else {
            partitions
        };
        let p = p.next_power_of_two();
        Config { partitions: p, partition_bits: p.trailing_zeros(), interned: false }
    }

    /// The same configuration with interned (`true`) or hashed partitions.
    #[must_use]
    pub const fn interned(mut self, interned: bool) -> Config {
        self.interned = interned;
        self
    }

    /// Reads `BTMALLOC_PARTITIONS` and `BTMALLOC_PARTITION_MODE` from the
    /// environment (no allocation).
    #[must_use]
    pub fn from_env() -> Config {
        let partitions = env_bytes(c"BTMALLOC_PARTITIONS").and_then(parse_decimal).unwrap_or(DEFAULT_PARTITIONS);
        let interned = env_bytes(c"BTMALLOC_PARTITION_MODE") == Some(b"interned");
        Config::with_partitions(partitions).interned(interned)
    }
}

/// The value of environment variable `name`, without allocating.
pub(crate) fn env_bytes(name: &core::ffi::CStr) -> Option<&'static [u8]> {
    // SAFETY: the name is NUL-terminated; getenv returns null or a
    // NUL-terminated string that lives as long as the environment (which
    // btmalloc never modifies).
    let v = unsafe { libc::getenv(name.as_ptr()) };
    if v.is_null() {
        return None;
    }
    // SAFETY: getenv returned a NUL-terminated string.
    Some(unsafe { core::ffi::CStr::from_ptr(v) }.to_bytes())
}

/// Parses a decimal number of at most 9 digits.
pub(crate) fn parse_decimal(bytes: &[u8]) -> Option<usize> {
    if bytes.is_empty() || bytes.len() > 9 {
        return None;
    }
    let mut n = 0usize;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + usize::from(b - b'0');
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_round_to_powers_of_two() {
        assert_eq!(Config::with_partitions(1), Config { partitions: 1, partition_bits: 0, interned: false });
        assert!(Config::with_partitions(8).interned(true).interned);
        assert_eq!(Config::with_partitions(0).partitions, 1);
        assert_eq!(Config::with_partitions(3).partitions, 4);
        assert_eq!(Config::with_partitions(64).partition_bits, 6);
        assert_eq!(Config::with_partitions(1 << 20).partitions, MAX_PARTITIONS);
    }

    #[test]
    fn decimal_parsing_rejects_junk() {
        assert_eq!(parse_decimal(b"64"), Some(64));
        assert_eq!(parse_decimal(b""), None);
        assert_eq!(parse_decimal(b"6x"), None);
        assert_eq!(parse_decimal(b"1234567890"), None);
    }
}
