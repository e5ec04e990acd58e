//! The one integration-test binary of btmalloc: it declares every suite.
//!
//! Under `--all-features` this binary links btmalloc with the `preload`
//! feature, so btmalloc is also the process-wide malloc of the test harness
//! itself (libtest, proptest, std): every suite doubles as a soak test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, missing_docs)]

#[path = "all/basic.rs"]
mod basic;
#[path = "all/mesh.rs"]
mod mesh;
#[path = "all/model.rs"]
mod model;
#[path = "all/profile.rs"]
mod profile;
#[path = "all/programs.rs"]
mod programs;
#[path = "all/releaser.rs"]
mod releaser;
#[path = "all/support.rs"]
mod support;
#[path = "all/threads.rs"]
mod threads;
