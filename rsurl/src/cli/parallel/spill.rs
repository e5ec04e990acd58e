//! Standard output of a `-Z` transfer that may not print yet (an earlier
//! one still runs): held in memory while all such transfers together
//! stay within a [`Budget`], then in an unlinked temporary file. Output
//! stays in command-line order, as before, and memory stays bounded
//! however large the bodies are (curl interleaves them instead).
//!
//! Entry points: [`Budget`], [`SpillBuffer`].

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Bytes all held-back outputs of one `-Z` run may keep in memory.
pub(crate) const MEMORY_BUDGET: usize = 32 << 20;

/// Memory shared by the buffers of one run.
#[derive(Debug)]
pub(crate) struct Budget {
    left: AtomicUsize,
}

impl Budget {
    pub(crate) fn new(bytes: usize) -> Self {
        Self { left: AtomicUsize::new(bytes) }
    }

    /// Takes `n` bytes if that many are left.
    fn take(&self, n: usize) -> bool {
        self.left.fetch_update(Ordering::AcqRel, Ordering::Acquire, |left| left.checked_sub(n)).is_ok()
    }

    fn give_back(&self, n: usize) {
        self.left.fetch_add(n, Ordering::AcqRel);
    }

    #[cfg(test)]
    fn left(&self) -> usize {
        self.left.load(Ordering::Acquire)
    }
}

/// One transfer's held-back standard output.
#[derive(Debug)]
pub(crate) struct SpillBuffer<'b> {
    budget: &'b Budget,
    memory: Vec<u8>,
    file: Option<File>,
}

impl<'b> SpillBuffer<'b> {
    pub(crate) fn new(budget: &'b Budget) -> Self {
        Self { budget, memory: Vec::new(), file: None }
    }

    /// Writes everything held to `out`, in the order it came.
    pub(crate) fn drain_into(mut self, out: &mut dyn Write) -> io::Result<()> {
        match self.file.take() {
            Some(mut file) => {
                file.seek(SeekFrom::Start(0))?;
                let mut chunk = vec![0u8; 64 * 1024];
                loop {
                    let n = file.read(&mut chunk)?;
                    if n == 0 {
                        return Ok(());
                    }
                    out.write_all(chunk.get(..n).unwrap_or_default())?;
                }
            }
            None => out.write_all(&self.memory),
        }
    }

    /// Moves what memory holds into a new temporary file, which has no
    /// name (removed as soon as it is open), so it goes away with us.
    fn spill(&mut self) -> io::Result<&mut File> {
        let mut file = anonymous_file()?;
        file.write_all(&self.memory)?;
        self.budget.give_back(self.memory.len());
        self.memory = Vec::new();
        Ok(self.file.insert(file))
    }
}

impl Write for SpillBuffer<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(file) = &mut self.file {
            return file.write(buf);
        }
        if self.budget.take(buf.len()) {
            self.memory.extend_from_slice(buf);
            return Ok(buf.len());
        }
        self.spill()?.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), Write::flush)
    }
}

impl Drop for SpillBuffer<'_> {
    fn drop(&mut self) {
        self.budget.give_back(self.memory.len());
    }
}

/// A new read-write file in the temporary directory, readable by us only,
/// already unlinked.
fn anonymous_file() -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir();
    for _ in 0..16 {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let path = dir.join(format!(".rsurl-Z-{}-{n}-{nanos:x}", std::process::id()));
        match std::fs::OpenOptions::new().read(true).write(true).create_new(true).mode(0o600).open(&path) {
            Ok(file) => {
                std::fs::remove_file(&path)?;
                return Ok(file);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(io::ErrorKind::AlreadyExists, "no free temporary file name"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(len: usize, seed: u8) -> Vec<u8> {
        (0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
    }

    #[test]
    fn output_within_the_budget_stays_in_memory() {
        let budget = Budget::new(1000);
        let mut b = SpillBuffer::new(&budget);
        b.write_all(&pattern(600, 1)).unwrap();
        assert!(b.file.is_none());
        assert_eq!(budget.left(), 400);
        let mut out = Vec::new();
        b.drain_into(&mut out).unwrap();
        assert_eq!(out, pattern(600, 1));
        assert_eq!(budget.left(), 1000, "given back");
    }

    #[test]
    fn output_beyond_the_budget_moves_to_a_file_in_order() {
        let budget = Budget::new(1000);
        let mut first = SpillBuffer::new(&budget);
        first.write_all(&pattern(700, 2)).unwrap();
        // The second buffer finds too little left and spills at once; the
        // first spills when it outgrows what is left.
        let mut second = SpillBuffer::new(&budget);
        second.write_all(&pattern(400, 3)).unwrap();
        assert!(second.file.is_some() && first.file.is_none());
        let mut expected = pattern(700, 2);
        for chunk in [pattern(250, 4), pattern(100_000, 5)] {
            first.write_all(&chunk).unwrap();
            expected.extend_from_slice(&chunk);
        }
        assert!(first.file.is_some());
        assert_eq!(budget.left(), 1000, "spilled bytes leave the budget");
        let (mut a, mut b) = (Vec::new(), Vec::new());
        first.drain_into(&mut a).unwrap();
        second.drain_into(&mut b).unwrap();
        assert_eq!(a, expected);
        assert_eq!(b, pattern(400, 3));
    }

    #[test]
    fn a_dropped_buffer_gives_its_memory_back() {
        let budget = Budget::new(100);
        let mut b = SpillBuffer::new(&budget);
        b.write_all(b"abc").unwrap();
        drop(b);
        assert_eq!(budget.left(), 100);
    }
}
