//! btmalloc: a malloc whose primary key is the call site.
//!
//! Every small allocation is served from a slab of its (partition, size
//! class), where the partition is a hash of the caller's return address
//! into `P` partitions (`BTMALLOC_PARTITIONS`, default 64; `1` turns
//! partitioning off). Slabs are carved from 2 MiB chunks; each thread owns
//! a heap of slabs and allocates without atomics; frees from other threads
//! go back to the owning slab through a lock-free list. Sizes from 32 KiB
//! to 1 MiB take a run of pages in a chunk; larger ones are mapped directly.
//!
//! Front ends: [`BtMalloc`] (`#[global_allocator]`), [`alloc_at`] with the
//! [`site!`] macro, and, with the `preload` feature, the C malloc family
//! exported from `libbtmalloc.so` for `LD_PRELOAD`.
//!
//! ```
//! use btmalloc::size_class::{class_of, class_size};
//!
//! let class = class_of(100).expect("small sizes have a class");
//! assert!(class_size(class).is_some_and(|block| block >= 100));
//! ```
//!
//! The README follows.
#![doc = include_str!("../README.md")]

pub mod config;
pub mod size_class;

mod bits;
mod census;
mod chunk;
mod engine;
mod global;
mod heap;
mod huge;
mod intern;
mod mesh;
mod profile;
mod registry;
mod releaser;
mod slab;
mod sys;
mod tls;

#[cfg(all(feature = "preload", target_arch = "x86_64", target_os = "linux"))]
pub mod preload;

pub mod internal;
pub mod report;

pub use global::{BtMalloc, alloc_at, dealloc, realloc_at, usable_size};

/// The configuration in force (read from the environment on first use).
#[must_use]
pub fn config() -> config::Config {
    engine::config()
}
