//! puressh: a pure-Rust SSH implementation with sans-I/O protocol cores.
//!
//! This release holds the foundation every SSH message is built on: the
//! RFC 4251 §5 data types in [`wire`] (a bounds-checked [`wire::Reader`]
//! and a [`wire::Writer`]). Transport, authentication, channels and the
//! command-line tools arrive in later releases (see the README's status
//! table).
//!
//! ```
//! use puressh::wire::{Reader, Writer};
//!
//! let mut w = Writer::new();
//! w.string(b"ssh-ed25519");
//! w.name_list(&["curve25519-sha256", "ecdh-sha2-nistp256"]);
//! let bytes = w.into_bytes();
//!
//! let mut r = Reader::new(&bytes);
//! assert_eq!(r.string()?, b"ssh-ed25519");
//! assert_eq!(r.name_list()?.collect::<Vec<_>>(), ["curve25519-sha256", "ecdh-sha2-nistp256"]);
//! r.finish()?;
//! # Ok::<(), puressh::wire::WireError>(())
//! ```

pub mod error;
pub mod msg;
pub mod names;
pub mod pattern;
pub mod wire;

pub use error::Error;
mod base64;
pub mod config;
pub mod transport;
pub mod connection;
