//! Secrets for packet analysers, in the NSS key log format that
//! `SSLKEYLOGFILE` (Wireshark, curl, Firefox, `openssl s_client
//! -keylogfile`) uses: one `LABEL <client_random hex> <secret hex>` line
//! per secret.
//!
//! Entry points: the [`KeyLog`] trait held by
//! [`ClientConfig::key_log`](super::ClientConfig::key_log) and
//! [`ServerConfig::key_log`](super::ServerConfig::key_log), and with
//! `std` [`KeyLogFile`], which appends to a file. Logging secrets
//! defeats TLS against whoever reads the log: it is off unless
//! configured.

use alloc::string::String;
use core::fmt::Write as _;

/// TLS 1.3 labels (the NSS names).
pub(crate) mod label {
    pub(crate) const CLIENT_EARLY: &str = "CLIENT_EARLY_TRAFFIC_SECRET";
    pub(crate) const CLIENT_HANDSHAKE: &str = "CLIENT_HANDSHAKE_TRAFFIC_SECRET";
    pub(crate) const SERVER_HANDSHAKE: &str = "SERVER_HANDSHAKE_TRAFFIC_SECRET";
    pub(crate) const CLIENT_TRAFFIC_0: &str = "CLIENT_TRAFFIC_SECRET_0";
    pub(crate) const SERVER_TRAFFIC_0: &str = "SERVER_TRAFFIC_SECRET_0";
    pub(crate) const EXPORTER: &str = "EXPORTER_SECRET";
    /// TLS 1.2: the master secret.
    pub(crate) const CLIENT_RANDOM: &str = "CLIENT_RANDOM";
}

/// Receives each secret a connection derives, with the label that names
/// it and the ClientHello random that identifies the connection.
pub trait KeyLog: Send + Sync {
    /// Called once per secret.
    fn log(&self, label: &str, client_random: &[u8; 32], secret: &[u8]);
}

/// One NSS key log line, with its newline.
#[must_use]
pub fn key_log_line(label: &str, client_random: &[u8; 32], secret: &[u8]) -> String {
    let mut line = String::with_capacity(label.len() + 2 + 64 + 2 * secret.len());
    line.push_str(label);
    line.push(' ');
    for b in client_random {
        let _ = write!(line, "{b:02x}");
    }
    line.push(' ');
    for b in secret {
        let _ = write!(line, "{b:02x}");
    }
    line.push('\n');
    line
}

/// Appends NSS key log lines to a file (created if missing), one write
/// per line so concurrent connections do not interleave.
#[cfg(feature = "std")]
#[derive(Debug)]
pub struct KeyLogFile {
    file: std::sync::Mutex<std::fs::File>,
}

#[cfg(feature = "std")]
impl KeyLogFile {
    /// Opens `path` for appending.
    ///
    /// # Errors
    /// The I/O error of opening it.
    pub fn open(path: &std::path::Path) -> std::io::Result<Self> {
        let file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
        Ok(Self { file: std::sync::Mutex::new(file) })
    }

    /// The file named by the `SSLKEYLOGFILE` environment variable, if set
    /// and openable.
    #[must_use]
    pub fn from_env() -> Option<Self> {
        let path = std::env::var_os("SSLKEYLOGFILE")?;
        Self::open(std::path::Path::new(&path)).ok()
    }
}

#[cfg(feature = "std")]
impl KeyLog for KeyLogFile {
    fn log(&self, label: &str, client_random: &[u8; 32], secret: &[u8]) {
        use std::io::Write as _;
        let line = zeroize::Zeroizing::new(key_log_line(label, client_random, secret));
        if let Ok(mut f) = self.file.lock() {
            // A failing log must not fail the connection.
            let _ = f.write_all(line.as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_format_is_nss() {
        let line = key_log_line(label::CLIENT_RANDOM, &[0xab; 32], &[1, 2]);
        assert_eq!(line, alloc::format!("CLIENT_RANDOM {} 0102\n", "ab".repeat(32)));
    }
}
