//! Interop tests against real peers started by `ci-templates/peers`.

mod agent;
mod asyncssh;
mod asyncssh_auth;
mod certs;
mod client;
mod common;
mod compression;
mod dropbear;
mod interactive;
mod keepalive;
mod keygen;
mod paramiko;
mod sshd;
