//! The one integration-test binary of puressh (STYLE rule 28).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, missing_docs)]

mod captures;
mod hostile;
mod interop;
mod keygen;
mod proptests;
