//! rsurl: curl in pure Rust.
//!
//! The transfer engine is organised around the [`scheme`] table (one row
//! per URL scheme: name, default port, TLS, protocol handler) and curl's
//! [`exit`] codes. HTTP/1.1 is a sans-I/O core in [`http1`]; URLs are
//! parsed by [`url`]; connections are a stack of layers (TCP or a Unix
//! socket, proxy tunnels, TLS).
//!
//! The library API is [`get`], [`Request`], [`Client`] and [`Response`]
//! (a streaming body reader); the `rsurl` binary is a thin wrapper over
//! the same engine.
//!
//! ```no_run
//! use std::io::Read;
//!
//! let client = rsurl::Client::new();
//! let req = rsurl::Request::get("http://127.0.0.1:8080/")?.header("Accept", "text/plain");
//! let mut resp = client.send(req)?;
//! assert_eq!(resp.status(), 200);
//! let mut body = String::new();
//! resp.read_to_string(&mut body)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ```
//! use rsurl::{exit::ExitCode, scheme};
//!
//! let https = scheme::lookup("HTTPS").ok_or(ExitCode::UNSUPPORTED_PROTOCOL)?;
//! assert_eq!((https.default_port, https.tls), (443, true));
//! assert_eq!(ExitCode::COULDNT_CONNECT.get(), 7);
//! # Ok::<(), ExitCode>(())
//! ```

// `unsafe` is denied everywhere (Cargo.toml's lints) except in two
// modules that allow it locally with a `// SAFETY:` on every block: the C
// ABI (`ffi` feature) and `conn::socket`, the libc calls std lacks
// (bind-before-connect, non-blocking connect, `getifaddrs`). `deny`
// rather than `forbid`, which no module could relax.
#![deny(unsafe_code)]

mod alt_svc;
mod auth;
mod base64;
mod cache_file;
#[doc(hidden)]
pub mod cli;
mod client;
mod conn;
mod cookie;
mod date;
mod decode;
pub mod error;
pub mod exit;
#[cfg(feature = "ffi")]
pub mod ffi;
pub mod h2;
mod hsts;
pub mod http1;
#[doc(hidden)]
pub mod internal;
pub mod scheme;
mod trace;
mod transfer;
pub mod url;

pub use client::{Client, Request, Response, get};
pub use error::{Error, ProxyCode};
