//! `s_server -WWW` / `-HTTP`: files from the current directory, as
//! openssl's simple web server serves them.
//!
//! A request `GET /PATH HTTP/1.0` is answered with `./PATH`. With `-WWW`
//! the server writes the status line and a `Content-type` (`text/html` for
//! `.html`, `.htm` and `.php`, else `text/plain`) before the file; with
//! `-HTTP` the file is the whole response, headers included. The file is
//! streamed in [`CHUNK`]-sized writes, never read whole (the bulk-transfer
//! compare script serves 1 GiB this way). Paths that climb out of the
//! directory (a `..` segment), name a drive or another root (`:`, a second
//! `/`, `\`), or name a directory are refused with a 404 page saying why.

use std::io::{Read, Write};
use std::path::Path;
use std::string::{String, ToString};

/// How much of the file one TLS write carries.
const CHUNK: usize = 64 * 1024;

/// Which of openssl's two file-serving modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FileMode {
    /// `-WWW`: status line and content type, then the file.
    Www,
    /// `-HTTP`: the file holds the whole response.
    Http,
}

/// Why a request is not answered with a file.
#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    NotGet,
    BadPath(String),
    Directory(String),
    Unreadable(String, String),
}

impl Refusal {
    fn page(&self) -> String {
        let reason = match self {
            Self::NotGet => String::from("only 'GET /path' is answered"),
            Self::BadPath(p) => std::format!("'{p}' is an invalid path"),
            Self::Directory(p) => std::format!("'{p}' is a directory"),
            Self::Unreadable(p, e) => std::format!("Error opening '{p}': {e}"),
        };
        std::format!("HTTP/1.0 404 not found\r\nContent-type: text/plain\r\n\r\n{reason}\r\n")
    }
}

/// The relative file path a request head asks for.
fn requested_path(head: &[u8]) -> Result<String, Refusal> {
    let rest = head.strip_prefix(b"GET /").ok_or(Refusal::NotGet)?;
    let end = rest.iter().position(|&b| matches!(b, b' ' | b'\r' | b'\n')).unwrap_or(rest.len());
    let raw = rest.get(..end).unwrap_or_default();
    let path = String::from_utf8(raw.to_vec()).map_err(|_| Refusal::BadPath(String::from_utf8_lossy(raw).into()))?;
    let climbs = path.split('/').any(|segment| segment == "..");
    if path.is_empty() || climbs || path.starts_with('/') || path.contains([':', '\\', '\0']) {
        return Err(Refusal::BadPath(path));
    }
    Ok(path)
}

/// The `-WWW` content type, by extension as openssl chooses it.
fn content_type(path: &str) -> &'static str {
    let html = [".html", ".htm", ".php"].iter().any(|ext| path.ends_with(ext));
    if html { "text/html" } else { "text/plain" }
}

/// Answers one request head with a file under `root` (the server's
/// working directory), or a 404 page saying why not.
pub(super) fn serve_file(out: &mut impl Write, head: &[u8], mode: FileMode, root: &Path) -> std::io::Result<()> {
    let opened = requested_path(head).and_then(|path| {
        let full = root.join(&path);
        if full.is_dir() {
            return Err(Refusal::Directory(path));
        }
        std::fs::File::open(&full)
            .map(|file| (path.clone(), file))
            .map_err(|e| Refusal::Unreadable(path, e.to_string()))
    });
    let (path, mut file) = match opened {
        Ok(found) => found,
        Err(refusal) => {
            out.write_all(refusal.page().as_bytes())?;
            return out.flush();
        }
    };
    if mode == FileMode::Www {
        let head = std::format!("HTTP/1.0 200 ok\r\nContent-type: {}\r\n\r\n", content_type(&path));
        out.write_all(head.as_bytes())?;
    }
    let mut buf = std::vec![0u8; CHUNK];
    loop {
        match file.read(&mut buf)? {
            0 => break,
            n => out.write_all(buf.get(..n).unwrap_or_default())?,
        }
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use std::vec::Vec;

    use super::*;

    #[test]
    fn paths_are_taken_relative_and_never_climb() {
        assert_eq!(requested_path(b"GET /a/b.txt HTTP/1.0\r\n\r\n"), Ok("a/b.txt".into()));
        assert_eq!(requested_path(b"GET /x\r\n"), Ok("x".into()));
        for bad in [&b"GET /../etc/passwd HTTP/1.0"[..], b"GET /a/../../b HTTP/1.0", b"GET //etc/passwd HTTP/1.0"] {
            assert!(matches!(requested_path(bad), Err(Refusal::BadPath(_))), "{}", String::from_utf8_lossy(bad));
        }
        assert!(matches!(requested_path(b"GET /c:/x HTTP/1.0"), Err(Refusal::BadPath(_))));
        assert!(matches!(requested_path(b"GET / HTTP/1.0"), Err(Refusal::BadPath(_))));
        assert_eq!(requested_path(b"POST /x HTTP/1.0"), Err(Refusal::NotGet));
        // A segment merely starting with dots is a file name.
        assert_eq!(requested_path(b"GET /..x HTTP/1.0"), Ok("..x".into()));
    }

    #[test]
    fn www_adds_openssls_header_and_http_sends_the_file_alone() {
        let dir = std::env::temp_dir().join(std::format!("purecrypto-www-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let body: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("sub/page.html"), &body).unwrap();
        let answer = |request: &[u8], mode| {
            let mut out = Vec::new();
            serve_file(&mut out, request, mode, &dir).unwrap();
            out
        };
        let www = answer(b"GET /sub/page.html HTTP/1.0\r\n\r\n", FileMode::Www);
        let http = answer(b"GET /sub/page.html HTTP/1.0\r\n\r\n", FileMode::Http);
        let dir_page = answer(b"GET /sub HTTP/1.0\r\n\r\n", FileMode::Www);
        let missing = answer(b"GET /nothing HTTP/1.0\r\n\r\n", FileMode::Http);
        std::fs::remove_dir_all(&dir).unwrap();

        let header = b"HTTP/1.0 200 ok\r\nContent-type: text/html\r\n\r\n";
        assert_eq!(www.get(..header.len()), Some(&header[..]));
        assert_eq!(www.get(header.len()..), Some(&body[..]));
        assert_eq!(http, body);
        assert!(String::from_utf8_lossy(&dir_page).contains("is a directory"));
        assert!(dir_page.starts_with(b"HTTP/1.0 404"));
        assert!(String::from_utf8_lossy(&missing).contains("Error opening 'nothing'"));
    }

    #[test]
    fn content_type_follows_the_extension() {
        assert_eq!(content_type("a.htm"), "text/html");
        assert_eq!(content_type("a.php"), "text/html");
        assert_eq!(content_type("big.bin"), "text/plain");
    }
}
