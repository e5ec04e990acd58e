//! Request bodies, streamed from memory or files, never read whole into
//! memory when they come from a file: `-d` data, `-T` uploads and `-F`
//! multipart forms (RFC 7578).
//!
//! Entry points: [`Body::open`] (a reader and the exact length) and
//! [`Multipart::parse_field`] (curl's `-F name=value|@file|<file;type=`).

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// A request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Body {
    /// No body.
    None,
    /// Bytes given on the command line (`-d`, `--json`...).
    Bytes(Vec<u8>),
    /// A file sent as is with PUT (`-T`).
    Upload(PathBuf),
    /// `-T -` or a C read callback: a one-shot stream, sent with
    /// Content-Length when its size is known and chunked otherwise.
    UploadStream(Stream),
    /// A multipart form (`-F`).
    Multipart(Multipart),
}

/// A body that can be read once (standard input, a read callback). A
/// second [`Body::open`] (a retry, a 307 redirect) fails with
/// [`ErrorKind::Unsupported`](io::ErrorKind::Unsupported): there is no
/// way to rewind it, as curl reports with exit code 65.
#[derive(Clone)]
pub(crate) struct Stream {
    reader: Arc<Mutex<Option<Box<dyn Read + Send>>>>,
    len: Option<u64>,
}

impl Stream {
    /// A stream of `len` bytes when known (else sent chunked).
    pub(crate) fn new(reader: Box<dyn Read + Send>, len: Option<u64>) -> Self {
        Self { reader: Arc::new(Mutex::new(Some(reader))), len }
    }

    fn take(&self) -> io::Result<Box<dyn Read + Send>> {
        let mut guard = self.reader.lock().map_err(|_| io::Error::other("upload stream poisoned"))?;
        let reader = guard.take().ok_or_else(|| io::Error::new(io::ErrorKind::Unsupported, "cannot rewind"))?;
        Ok(match self.len {
            Some(n) => Box::new(reader.take(n)),
            None => reader,
        })
    }
}

impl std::fmt::Debug for Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Stream({:?})", self.len)
    }
}

impl PartialEq for Stream {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.reader, &other.reader)
    }
}

impl Eq for Stream {}

/// One `-F` field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    name: String,
    content: PartContent,
    filename: Option<String>,
    content_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PartContent {
    Text(Vec<u8>),
    File(PathBuf),
}

/// A multipart/form-data body and its boundary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Multipart {
    boundary: String,
    parts: Vec<Part>,
}

/// A boundary of curl's shape: 24 dashes and 16 hex digits, from the
/// standard library's per-process random hash keys (no RNG dependency;
/// a boundary needs to be unlikely in the data, not secret).
fn new_boundary() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    format!("------------------------{:016x}", h.finish())
}

/// curl's guess of a file part's type from its extension.
fn guess_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "gif" => "image/gif",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "txt" => "text/plain",
        "htm" | "html" => "text/html",
        "pdf" => "application/pdf",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

impl Multipart {
    /// An empty form with a fresh boundary.
    pub(crate) fn new() -> Self {
        Self { boundary: new_boundary(), parts: Vec::new() }
    }

    /// The `Content-Type` header value.
    pub(crate) fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    /// Adds one `-F` argument: `name=value`, `name=@file`, `name=<file`,
    /// each optionally followed by `;type=...` and `;filename=...`.
    ///
    /// # Errors
    /// A message when the argument has no `=` or a `<file` cannot be read.
    pub(crate) fn parse_field(&mut self, arg: &str) -> Result<(), String> {
        let (name, rest) = arg.split_once('=').ok_or_else(|| format!("Illegally formatted input field: '{arg}'"))?;
        let mut pieces = rest.split(';');
        let value = pieces.next().unwrap_or("");
        let mut content_type = None;
        let mut filename = None;
        for p in pieces {
            let p = p.trim();
            if let Some(t) = p.strip_prefix("type=") {
                content_type = Some(t.to_owned());
            } else if let Some(f) = p.strip_prefix("filename=") {
                filename = Some(f.trim_matches('"').to_owned());
            }
        }
        let content = if let Some(path) = value.strip_prefix('@') {
            if filename.is_none() {
                filename = Some(path.rsplit('/').next().unwrap_or(path).to_owned());
            }
            if content_type.is_none() {
                content_type = Some(guess_type(path).to_owned());
            }
            PartContent::File(PathBuf::from(path))
        } else if let Some(path) = value.strip_prefix('<') {
            PartContent::Text(std::fs::read(path).map_err(|_| format!("Failed to open {path}"))?)
        } else {
            PartContent::Text(value.as_bytes().to_vec())
        };
        self.parts.push(Part { name: name.to_owned(), content, filename, content_type });
        Ok(())
    }

    fn part_header(&self, p: &Part) -> Vec<u8> {
        let mut h =
            format!("--{}\r\nContent-Disposition: form-data; name=\"{}\"", self.boundary, escape_quoted(&p.name));
        if let Some(f) = &p.filename {
            h.push_str(&format!("; filename=\"{}\"", escape_quoted(f)));
        }
        h.push_str("\r\n");
        if let Some(t) = &p.content_type {
            h.push_str(&format!("Content-Type: {t}\r\n"));
        }
        h.push_str("\r\n");
        h.into_bytes()
    }

    fn open(&self) -> io::Result<(Box<dyn Read + Send>, u64)> {
        let mut reader: Box<dyn Read + Send> = Box::new(io::empty());
        let mut len = 0u64;
        for p in &self.parts {
            let head = self.part_header(p);
            len += head.len() as u64 + 2;
            reader = Box::new(reader.chain(Cursor::new(head)));
            match &p.content {
                PartContent::Text(t) => {
                    len += t.len() as u64;
                    reader = Box::new(reader.chain(Cursor::new(t.clone())));
                }
                PartContent::File(path) => {
                    let f = File::open(path)?;
                    len += f.metadata()?.len();
                    reader = Box::new(reader.chain(f));
                }
            }
            reader = Box::new(reader.chain(Cursor::new(b"\r\n".to_vec())));
        }
        let tail = format!("--{}--\r\n", self.boundary).into_bytes();
        len += tail.len() as u64;
        Ok((Box::new(reader.chain(Cursor::new(tail))), len))
    }
}

/// Field names and file names are quoted strings: escape `"` and `\`.
fn escape_quoted(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

impl Body {
    /// The `Content-Type` this body implies, unless `-H` overrides it.
    pub(crate) fn content_type(&self) -> Option<String> {
        match self {
            Self::Bytes(_) => Some("application/x-www-form-urlencoded".to_owned()),
            Self::Multipart(m) => Some(m.content_type()),
            Self::None | Self::Upload(_) | Self::UploadStream(_) => None,
        }
    }

    /// A fresh reader over the body and its exact length (`None`: not
    /// known, the body goes chunked). Called again when a request is
    /// retried on a new connection.
    ///
    /// # Errors
    /// The I/O error opening a file; `Unsupported` for a stream opened
    /// before.
    pub(crate) fn open(&self) -> io::Result<(Box<dyn Read + Send>, Option<u64>)> {
        match self {
            Self::None => Ok((Box::new(io::empty()), Some(0))),
            Self::Bytes(b) => Ok((Box::new(Cursor::new(b.clone())), Some(b.len() as u64))),
            Self::Upload(path) => {
                let f = File::open(path)?;
                let len = f.metadata()?.len();
                Ok((Box::new(f.take(len)), Some(len)))
            }
            Self::UploadStream(s) => Ok((s.take()?, s.len)),
            Self::Multipart(m) => m.open().map(|(r, n)| (r, Some(n))),
        }
    }

    /// The length [`Body::open`] would report, without consuming a stream.
    ///
    /// # Errors
    /// As [`Body::open`] for files.
    pub(crate) fn size(&self) -> io::Result<Option<u64>> {
        match self {
            Self::UploadStream(s) => Ok(s.len),
            _ => self.open().map(|(_, n)| n),
        }
    }

    /// Whether the body is a one-shot stream (nothing, such as a payload
    /// hash, may read it before it is sent).
    pub(crate) const fn is_stream(&self) -> bool {
        matches!(self, Self::UploadStream(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_length_matches_bytes() {
        let dir = std::env::temp_dir().join(format!("rsurl-mp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("a.txt");
        std::fs::write(&file, b"file body").unwrap();
        let mut m = Multipart::new();
        m.parse_field("name=value").unwrap();
        m.parse_field(&format!("up=@{};type=text/x-mine", file.display())).unwrap();
        m.parse_field("q=say \"hi\";filename=x\"y.bin").unwrap();
        assert!(m.parse_field("novalue").is_err());
        let (mut r, len) = Body::Multipart(m.clone()).open().unwrap();
        let mut all = Vec::new();
        r.read_to_end(&mut all).unwrap();
        assert_eq!(Some(all.len() as u64), len);
        let text = String::from_utf8(all).unwrap();
        let b = &m.boundary;
        assert!(text.starts_with(&format!("--{b}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nvalue\r\n")));
        assert!(text.contains("name=\"up\"; filename=\"a.txt\"\r\nContent-Type: text/x-mine\r\n\r\nfile body\r\n"));
        assert!(text.contains("filename=\"x\\\"y.bin\""));
        assert!(text.ends_with(&format!("--{b}--\r\n")));
        assert_eq!(b.len(), 40);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
