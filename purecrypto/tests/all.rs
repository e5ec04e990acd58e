//! The integration test binary: one binary, one module per area (faster to
//! link than one binary per file).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, missing_docs)]

mod cli;
mod vectors;
