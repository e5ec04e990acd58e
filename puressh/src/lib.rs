//! puressh: a pure-Rust SSH implementation with sans-I/O protocol cores.
//!
//! This release holds the crypto-independent foundation (see the README's
//! status table):
//!
//! - [`wire`]: RFC 4251 §5 data types ([`wire::Reader`], [`wire::Writer`]);
//! - [`msg`]: every transport, user-auth and connection message as a typed
//!   value ([`msg::Message::decode`], [`msg::Message::encode`]);
//! - [`transport`]: version exchange, binary packet framing over a
//!   pluggable [`transport::cipher::PacketCipher`] (only the initial
//!   "none" state exists until purecrypto lands), KEXINIT negotiation,
//!   the strict-KEX rules and the [`transport::machine::Transport`] state
//!   machine that ties them together;
//! - [`auth`]: client user authentication, signing through a trait;
//! - [`agent`]: the SSH agent protocol, client side ([`agent::AgentClient`]);
//! - [`connection`]: channels, windows and session requests;
//! - [`config`]: `ssh_config` and `known_hosts` parsers;
//! - [`names`]: the algorithm-name registry and OpenSSH's list modifiers.
//!
//! Entry point for a connection: [`transport::version::VersionExchange`],
//! then [`transport::packet::PacketDecoder`] and
//! [`transport::packet::PacketEncoder`] carrying [`msg::Message`]s.
//!
//! ```
//! use puressh::msg::{ChannelRequest, ChannelRequestKind, Message};
//!
//! let request = Message::ChannelRequest(ChannelRequest {
//!     recipient_channel: 0,
//!     want_reply: true,
//!     kind: ChannelRequestKind::Exec { command: b"uname -a".to_vec() },
//! });
//! let payload = request.to_bytes();
//! assert_eq!(Message::decode(&payload)?, request);
//! # Ok::<(), puressh::wire::WireError>(())
//! ```

#![forbid(unsafe_code)]

pub mod agent;
pub mod auth;
mod base64;
pub mod client;
pub mod config;
pub mod connection;
pub mod error;
pub mod keys;
pub mod msg;
pub mod names;
pub mod pattern;
pub mod transport;
pub mod wire;

#[doc(hidden)]
pub mod internal;

pub use error::Error;
