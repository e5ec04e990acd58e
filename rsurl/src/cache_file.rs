//! Reading and writing the cache files of `--hsts` and `--alt-svc` (and
//! of the library's `Client::with_hsts_file` / `with_alt_svc_file`): one
//! trait both stores implement, and the file I/O around it.
//!
//! Entry points: [`CacheFile`], [`load`] and [`save`]. Like curl, a
//! missing or unreadable file is an empty cache, and the file is written
//! back whole at the end (expired entries dropped) even when nothing
//! changed.

use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::transfer::lock;

/// A store kept in a text file.
pub(crate) trait CacheFile: Default {
    /// Adds the live entries of `text` (the file's content) at `now`.
    fn load_text(&mut self, text: &str, now: u64);
    /// The whole file as it should be written at `now`.
    fn file_text(&self, now: u64) -> String;
}

impl CacheFile for crate::hsts::Hsts {
    fn load_text(&mut self, text: &str, now: u64) {
        self.load(text, now);
    }
    fn file_text(&self, now: u64) -> String {
        self.to_file(now)
    }
}

impl CacheFile for crate::alt_svc::AltSvc {
    fn load_text(&mut self, text: &str, now: u64) {
        self.load(text, now);
    }
    fn file_text(&self, now: u64) -> String {
        self.to_file(now)
    }
}

/// Reads `path` into `store`, creating the store if there is none yet.
pub(crate) fn load<T: CacheFile>(store: &mut Option<Arc<Mutex<T>>>, path: &Path) {
    let store = store.get_or_insert_with(Arc::default);
    if let Ok(bytes) = std::fs::read(path) {
        lock(store).load_text(&String::from_utf8_lossy(&bytes), crate::cookie::now());
    }
}

/// Writes `store` to `path`.
///
/// # Errors
/// The write's I/O error.
pub(crate) fn save<T: CacheFile>(store: &Mutex<T>, path: &Path) -> std::io::Result<()> {
    let text = lock(store).file_text(crate::cookie::now());
    std::fs::write(path, text)
}
