//! The one integration test binary: the scriptable loopback server, the
//! declarative CLI cases (also run differentially against curl) and the
//! library API tests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs,
    unreachable_pub,
    dead_code
)]

mod auth;
mod cases;
mod cert_status;
mod demo;
#[cfg(feature = "ffi")]
mod ffi;
mod h2;
mod https;
mod https_proxy;
mod library;
mod local_bind;
mod nginx;
mod policies;
mod proxy;
mod server;
mod tls_messages;
mod tls_options;
mod truncation;
mod unix_socket;
