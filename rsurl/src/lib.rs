//! rsurl: curl in pure Rust.
//!
//! The transfer engine is organised around the [`scheme`] table (one row
//! per URL scheme: name, default port, TLS, protocol handler) and curl's
//! [`exit`] codes. HTTP/1.1 is a sans-I/O core in [`http1`]; URLs are
//! parsed by [`url`]; connections are a stack of layers (TCP today, proxy
//! and TLS later).
//!
//! ```
//! use rsurl::{exit::ExitCode, scheme};
//!
//! let https = scheme::lookup("HTTPS").ok_or(ExitCode::UNSUPPORTED_PROTOCOL)?;
//! assert_eq!((https.default_port, https.tls), (443, true));
//! assert_eq!(ExitCode::COULDNT_CONNECT.get(), 7);
//! # Ok::<(), ExitCode>(())
//! ```

mod base64;
#[doc(hidden)]
pub mod cli;
mod conn;
mod decode;
pub mod error;
pub mod exit;
pub mod http1;
pub mod scheme;
mod transfer;
pub mod url;

pub use error::Error;
