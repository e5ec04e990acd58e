//! Entry points for the fuzz targets in `fuzz/` (not a stable API).
//!
//! Entry points: the `fuzz_*` functions, each taking the raw fuzzer input.

pub use crate::aead::fuzz::{fuzz_aead_open, fuzz_aead_roundtrip};
