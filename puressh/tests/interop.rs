//! Interop tests against real peers started by `ci-templates/peers`.

mod asyncssh;
mod client;
mod sshd;
