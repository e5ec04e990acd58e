//! peerctl: start a real interop peer by name from a test, stop it on drop.
//!
//! Entry points: [`Peer::start`] and [`start_or_skip`]. Each peer is a
//! script in `ci-templates/peers/` that installs the program when absent,
//! starts it on 127.0.0.1 at a free port with a fresh temp config and
//! prints `KEY=VALUE` lines (`PORT`, `PID`, `DIR`, and peer-specific ones
//! such as `CA` or `KEY`).
//!
//! In CI (the `CI` environment variable is set) a peer that cannot start
//! fails the test. Elsewhere [`start_or_skip`] prints a loud SKIPPED banner
//! and returns `None`, so a laptop without nginx still runs the rest.
//!
//! ```no_run
//! if let Some(nginx) = peerctl::start_or_skip("nginx") {
//!     let url = format!("https://localhost:{}/", nginx.port());
//!     let ca = nginx.var("CA").unwrap_or_default();
//!     // ... run the client under test against `url`, trusting `ca` ...
//! } // stopped here
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The folder holding the peer scripts.
#[must_use]
pub fn scripts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../peers")
}

/// A running peer; dropping it stops the process and removes its files.
#[derive(Debug)]
pub struct Peer {
    name: String,
    vars: BTreeMap<String, String>,
}

impl Peer {
    /// Starts the peer named like its script in `ci-templates/peers/`.
    ///
    /// # Errors
    /// A description of what failed: no such peer, the install or start
    /// failed (with the script's stderr), or its output lacked PORT/DIR.
    pub fn start(name: &str) -> Result<Self, String> {
        let script = scripts_dir().join(name);
        if name.contains('/') || !script.is_file() {
            return Err(format!(
                "no peer script named {name} in {}",
                scripts_dir().display()
            ));
        }
        let out = Command::new(&script)
            .arg("start")
            .output()
            .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
        if !out.status.success() {
            return Err(format!(
                "{name} failed to start ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let vars: BTreeMap<String, String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|line| line.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let peer = Self {
            name: name.to_owned(),
            vars,
        };
        if peer.var("DIR").is_none()
            || peer
                .var("PORT")
                .and_then(|p| p.parse::<u16>().ok())
                .is_none()
        {
            return Err(format!("{name} started but did not print PORT and DIR"));
        }
        Ok(peer)
    }

    /// The peer's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The main TCP port on 127.0.0.1.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.var("PORT").and_then(|p| p.parse().ok()).unwrap_or(0)
    }

    /// The process id the stop command will kill.
    #[must_use]
    pub fn pid(&self) -> Option<u32> {
        self.var("PID").and_then(|p| p.parse().ok())
    }

    /// The peer's temp dir (config, keys, logs).
    #[must_use]
    pub fn dir(&self) -> &Path {
        Path::new(self.var("DIR").unwrap_or_default())
    }

    /// Any `KEY=VALUE` the start script printed.
    #[must_use]
    pub fn var(&self, key: &str) -> Option<&str> {
        self.vars.get(key).map(String::as_str)
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let status = Command::new(scripts_dir().join(&self.name))
            .arg("stop")
            .arg(self.dir())
            .status();
        if !matches!(status, Ok(s) if s.success()) {
            eprintln!(
                "peerctl: stopping {} ({}) failed: {status:?}",
                self.name,
                self.dir().display()
            );
        }
    }
}

/// Whether this run is CI, where every peer must be available.
#[must_use]
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// Starts a peer, or (outside CI only) reports loudly that the test is
/// skipped and returns `None`.
///
/// # Panics
/// In CI, when the peer cannot start: a missing peer there is a failure.
#[must_use]
#[allow(clippy::panic)] // failing the calling test is the point, in CI
pub fn start_or_skip(name: &str) -> Option<Peer> {
    match Peer::start(name) {
        Ok(peer) => Some(peer),
        Err(e) if in_ci() => panic!("peer {name} is required in CI and could not start: {e}"),
        Err(e) => {
            eprintln!("\n!!!!!!!! SKIPPED: peer {name} unavailable outside CI: {e} !!!!!!!!\n");
            None
        }
    }
}
