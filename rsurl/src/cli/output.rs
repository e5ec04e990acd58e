//! Where a transfer's bytes go: stdout or a file (`-o`, `-O`,
//! `--output-dir`, `--create-dirs`, `-C -` appends), opened lazily so a
//! failed transfer leaves no empty file behind, as curl does.
//!
//! Entry points: [`Target::resolve`] and [`Sink`].

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::PathBuf;

use super::args::OutSpec;

/// The destination chosen for one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    Stdout,
    File(PathBuf),
}

impl Target {
    /// Applies `-o`/`-O` and `--output-dir` to one URL's output choice.
    ///
    /// # Errors
    /// curl's "Remote file name has no length!" when `-O` finds no name.
    pub(crate) fn resolve(
        spec: Option<&OutSpec>,
        url: &crate::url::Url,
        dir: Option<&PathBuf>,
    ) -> Result<Self, &'static str> {
        let name = match spec {
            None => return Ok(Self::Stdout),
            Some(OutSpec::File(f)) if f == "-" => return Ok(Self::Stdout),
            Some(OutSpec::File(f)) => f.clone(),
            Some(OutSpec::Remote) => {
                let n = url.file_name();
                if n.is_empty() {
                    return Err("Remote file name has no length!");
                }
                n
            }
        };
        Ok(Self::File(match dir {
            Some(d) if !name.starts_with('/') => d.join(name),
            _ => PathBuf::from(name),
        }))
    }

    /// The name `%{filename_effective}` shows.
    pub(crate) fn name(&self) -> Option<String> {
        match self {
            Self::Stdout => None,
            Self::File(p) => Some(p.display().to_string()),
        }
    }
}

/// A lazily opened destination.
#[derive(Debug)]
pub(crate) struct Sink {
    target: Target,
    file: Option<File>,
    append: bool,
    create_dirs: bool,
    /// Bytes written so far.
    pub(crate) written: u64,
}

impl Sink {
    pub(crate) fn new(target: Target, append: bool, create_dirs: bool) -> Self {
        Self { target, file: None, append, create_dirs, written: 0 }
    }

    /// Whether the data goes to standard output.
    pub(crate) fn is_stdout(&self) -> bool {
        self.target == Target::Stdout
    }

    /// Writes `data`, opening the file on first use.
    ///
    /// # Errors
    /// The I/O error from creating or writing the file or stdout.
    pub(crate) fn write(&mut self, stdout: &mut dyn Write, data: &[u8]) -> io::Result<()> {
        self.written += data.len() as u64;
        match &self.target {
            Target::Stdout => stdout.write_all(data),
            Target::File(path) => {
                if self.file.is_none() {
                    if self.create_dirs {
                        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                            std::fs::create_dir_all(parent)?;
                        }
                    }
                    let f = OpenOptions::new()
                        .write(true)
                        .create(true)
                        .append(self.append)
                        .truncate(!self.append)
                        .open(path)?;
                    self.file = Some(f);
                }
                match &mut self.file {
                    Some(f) => f.write_all(data),
                    None => Ok(()),
                }
            }
        }
    }

    /// `-J`: switches to `name` (from Content-Disposition) in `dir`,
    /// unless something was already written. Only the last path component
    /// of `name` is used, so a server cannot pick a directory.
    ///
    /// # Errors
    /// A message when the file already exists (never overwritten).
    pub(crate) fn retarget(&mut self, name: &str, dir: Option<&PathBuf>) -> Result<(), String> {
        let base = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
        if self.file.is_some() || base.is_empty() || base == "." || base == ".." {
            return Ok(());
        }
        let path = match dir {
            Some(d) => d.join(base),
            None => PathBuf::from(base),
        };
        if path.exists() {
            return Err(format!("Refusing to overwrite {}: File exists", path.display()));
        }
        self.target = Target::File(path);
        Ok(())
    }

    /// `-R`: sets the written file's modification time.
    pub(crate) fn set_mtime(&mut self, t: std::time::SystemTime) {
        if let Some(f) = &self.file {
            // Best effort, as in curl: a filesystem without mtimes is fine.
            let _ = f.set_modified(t);
        }
    }

    /// Creates the file even when no byte arrived (an empty body is still
    /// a successful download).
    pub(crate) fn touch(&mut self, stdout: &mut dyn Write) -> io::Result<()> {
        if self.file.is_none() && matches!(self.target, Target::File(_)) {
            let written = self.written;
            self.write(stdout, &[])?;
            self.written = written;
        }
        Ok(())
    }
}
