//! Interop tests against real peers started by `ci-templates/peers`.

mod asyncssh;
mod asyncssh_auth;
mod client;
mod interactive;
mod keygen;
mod sshd;
