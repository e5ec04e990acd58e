//! Interop tests against real peers started by `ci-templates/peers`.

mod client;
mod keygen;
mod sshd;
