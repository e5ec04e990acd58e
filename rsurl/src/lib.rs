//! rsurl: curl in pure Rust.
//!
//! This release holds the two tables the transfer engine is organised
//! around: the [`scheme`] table (one row per URL scheme: name, default
//! port, whether it runs over TLS) and curl's [`exit`] codes. Protocol
//! handlers, the CLI and the C ABI arrive in later releases (see the
//! README's status table).
//!
//! ```
//! use rsurl::{exit::ExitCode, scheme};
//!
//! let https = scheme::lookup("HTTPS").ok_or(ExitCode::UNSUPPORTED_PROTOCOL)?;
//! assert_eq!((https.default_port, https.tls), (443, true));
//! assert_eq!(ExitCode::COULDNT_CONNECT.get(), 7);
//! # Ok::<(), ExitCode>(())
//! ```

pub mod exit;
pub mod scheme;
