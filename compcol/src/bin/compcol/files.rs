//! File naming and crash-safe output for `compcol`.
//!
//! Entry points: [`compressed_name`], [`decompressed_name`] and
//! [`AtomicFile`], which writes to a temporary file in the destination's
//! directory and renames it into place only on success, so an error never
//! leaves a half-written output (and never touches the input).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// `FILE.ext`, or `None` when FILE already ends in `.ext`.
pub(crate) fn compressed_name(file: &str, ext: &str) -> Option<String> {
    if file.ends_with(&format!(".{ext}")) {
        return None;
    }
    Some(format!("{file}.{ext}"))
}

/// Strips a known compressed suffix (`.tgz` becomes `.tar`).
pub(crate) fn decompressed_name(file: &str) -> Option<String> {
    if let Some(stem) = file.strip_suffix(".tgz") {
        return Some(format!("{stem}.tar"));
    }
    for ext in ["gz", "zz", "deflate", "store", "z", "Z", "zst", "lz4", "sz", "snappy", "lzo", "bz2", "br"] {
        if let Some(stem) = file.strip_suffix(&format!(".{ext}")) {
            if !stem.is_empty() && !stem.ends_with('/') {
                return Some(stem.to_string());
            }
        }
    }
    None
}

/// An output file that appears under its final name only on `commit`.
pub(crate) struct AtomicFile {
    temp: PathBuf,
    dest: PathBuf,
    file: Option<File>,
}

impl AtomicFile {
    /// Creates the temporary file next to `dest`. Fails if `dest` exists
    /// and `force` is off.
    pub(crate) fn create(dest: &Path, force: bool) -> io::Result<Self> {
        if !force && fs::symlink_metadata(dest).is_ok() {
            return Err(io::Error::new(io::ErrorKind::AlreadyExists, "output file already exists (use -f)"));
        }
        let dir = dest.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let base = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temp = dir.join(format!(".{base}.compcol-{}.tmp", std::process::id()));
        let file = OpenOptions::new().write(true).create_new(true).open(&temp)?;
        Ok(Self { temp, dest: dest.to_path_buf(), file: Some(file) })
    }

    /// Syncs and renames the temporary file to its final name.
    pub(crate) fn commit(mut self) -> io::Result<()> {
        if let Some(f) = self.file.take() {
            f.sync_all()?;
        }
        fs::rename(&self.temp, &self.dest)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.file.as_mut() {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("output already committed")),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self.file.as_mut() {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    /// Not committed: remove the partial output.
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(compressed_name("a.txt", "gz").as_deref(), Some("a.txt.gz"));
        assert_eq!(compressed_name("a.gz", "gz"), None);
        assert_eq!(decompressed_name("a.txt.gz").as_deref(), Some("a.txt"));
        assert_eq!(decompressed_name("x.tgz").as_deref(), Some("x.tar"));
        assert_eq!(decompressed_name("a.txt"), None);
        assert_eq!(decompressed_name(".gz"), None);
    }
}
