//! Checksums used by the container formats: CRC-32 (gzip), Adler-32
//! (zlib) and XXH64 (zstd), each with a streaming state, a one-shot function and a
//! `combine` for checksums of concatenated pieces (multi-member and
//! parallel compression).
//!
//! Entry points: [`Crc32`], [`crc32`], [`crc32_combine`], [`Adler32`],
//! [`adler32`], [`adler32_combine`]. Each dispatches to the `simd` module
//! when the CPU supports it and to the portable code otherwise; both paths
//! are always compiled and tested against each other.

mod adler32;
mod crc32;
mod xxhash64;

pub use adler32::{Adler32, adler32, adler32_combine};
pub use crc32::{Crc32, crc32, crc32_combine};
pub use xxhash64::{XxHash64, xxhash64};
#[cfg(feature = "snappy")]
mod crc32c;
#[cfg(feature = "xz")]
mod crc64;
#[cfg(any(feature = "xz", feature = "brotli"))]
mod sha256;
#[cfg(feature = "lz4")]
mod xxhash32;

#[cfg(feature = "snappy")]
pub use crc32c::{Crc32c, crc32c, crc32c_masked};
#[cfg(feature = "xz")]
pub use crc64::{Crc64, crc64};
#[cfg(any(feature = "xz", feature = "brotli"))]
pub use sha256::{Sha256, sha256};
#[cfg(feature = "lz4")]
pub use xxhash32::{Xxh32, xxh32};

#[doc(hidden)]
pub mod portable {
    //! The portable kernels, exposed for benches and equivalence tests.
    pub use super::adler32::update_portable as adler32_update;
    pub use super::crc32::update_portable as crc32_update;
    #[cfg(feature = "snappy")]
    pub use super::crc32c::update_portable as crc32c_update;
}
