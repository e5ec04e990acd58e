//! The purecrypto integration test binary: one binary, one module per
//! area (see `tests/all/`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, missing_docs)]

#[path = "all/cipher_vectors.rs"]
mod cipher_vectors;
#[path = "all/ctgrind.rs"]
mod ctgrind;
