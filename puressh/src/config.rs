//! Client configuration files: OpenSSH's `ssh_config` and `known_hosts`.
//!
//! Entry points: [`ssh_config::SshConfig::parse`] and
//! [`known_hosts::KnownHosts::parse`]. Both take text (the caller reads
//! files), report errors with line numbers and never panic on input.

pub mod known_hosts;
pub mod ssh_config;
