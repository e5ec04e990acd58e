//! Interop tests against real peers started by `ci-templates/peers`.

mod client;
mod sshd;
