//! The one integration-test binary of btmalloc: it declares every suite.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, missing_docs)]

mod basic;
