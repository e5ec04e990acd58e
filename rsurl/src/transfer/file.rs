//! The `file://` handler: reads a local file as the response body.
//!
//! Entry point: [`FileProtocol`]. Ranges (`-r a-b`, `-C`) are honoured by
//! seeking, as curl does for local files.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use super::{Exchange, Protocol, Start};
use crate::conn::Layer;
use crate::error::Error;
use crate::http1::response::ResponseHead;
use crate::url::percent;

/// The `file://` protocol.
#[derive(Debug)]
pub(crate) struct FileProtocol;

#[derive(Debug)]
struct FileExchange {
    file: std::io::Take<File>,
    len: u64,
}

/// Parses `a-b`, `a-` or `-n` against a file of `size` bytes: (start, length).
fn range(spec: &str, size: u64) -> Option<(u64, u64)> {
    let (a, b) = spec.split_once('-')?;
    let (a, b) = (a.trim(), b.trim());
    if a.is_empty() {
        let n: u64 = b.parse().ok()?;
        let n = n.min(size);
        return Some((size - n, n));
    }
    let start: u64 = a.parse().ok()?;
    let end = if b.is_empty() { size.saturating_sub(1) } else { b.parse::<u64>().ok()?.min(size.saturating_sub(1)) };
    Some((start.min(size), (end + 1).saturating_sub(start)))
}

impl Protocol for FileProtocol {
    fn start(&self, start: Start<'_>) -> Result<Box<dyn Exchange>, Error> {
        let path_bytes = percent::decode(start.hop.url.path());
        let path = String::from_utf8_lossy(&path_bytes).into_owned();
        let mut f = File::open(&path).map_err(|_| Error::FileRead(path.clone()))?;
        let size = f.metadata().map_err(|_| Error::FileRead(path.clone()))?.len();
        let (offset, len) = match (&start.spec.range, start.spec.resume_from) {
            (Some(r), _) => range(r, size).unwrap_or((0, size)),
            (None, Some(from)) => (from.min(size), size.saturating_sub(from)),
            (None, None) => (0, size),
        };
        f.seek(SeekFrom::Start(offset)).map_err(|_| Error::FileRead(path))?;
        Ok(Box::new(FileExchange { file: f.take(len), len }))
    }
}

impl Exchange for FileExchange {
    fn head(&self) -> Option<&ResponseHead> {
        None
    }

    fn read_body(&mut self, buf: &mut [u8]) -> Result<usize, Error> {
        self.file.read(buf).map_err(Error::Read)
    }

    fn expected_len(&self) -> Option<u64> {
        Some(self.len)
    }

    fn into_reusable(self: Box<Self>) -> Option<(String, Box<dyn Layer>)> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(range("0-4", 10), Some((0, 5)));
        assert_eq!(range("5-", 10), Some((5, 5)));
        assert_eq!(range("-3", 10), Some((7, 3)));
        assert_eq!(range("8-100", 10), Some((8, 2)));
        assert_eq!(range("x", 10), None);
    }
}
