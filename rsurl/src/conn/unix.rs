//! The bottom layer for `--unix-socket PATH` / `--abstract-unix-socket
//! NAME`: HTTP (or TLS) over a Unix stream socket instead of TCP. The URL
//! still names the host (for `Host:`, SNI and the certificate check) and
//! the port (for `-w`); proxies are not used, as in curl.
//!
//! Entry points: [`UnixTarget`] (where to connect, from the command line)
//! and [`UnixLayer::connect`].

use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::time::Duration;

use super::Layer;

/// A Unix socket address: a file system path, or (Linux) a name in the
/// abstract namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UnixTarget {
    /// `--unix-socket PATH`.
    Path(PathBuf),
    /// `--abstract-unix-socket NAME` (without the leading NUL).
    Abstract(Vec<u8>),
}

impl UnixTarget {
    /// The address as curl prints it (`Trying`, `%{remote_ip}`): the
    /// path; nothing for an abstract name, which curl prints as the C
    /// string it keeps, starting with the NUL.
    pub(crate) fn display(&self) -> String {
        match self {
            Self::Path(p) => p.display().to_string(),
            Self::Abstract(_) => String::new(),
        }
    }
}

/// A connected Unix stream socket.
#[derive(Debug)]
pub(crate) struct UnixLayer {
    stream: UnixStream,
}

impl UnixLayer {
    /// Connects to `target` (a local socket: no timeout needed to connect).
    pub(crate) fn connect(target: &UnixTarget) -> io::Result<Self> {
        let stream = match target {
            UnixTarget::Path(p) => UnixStream::connect(p)?,
            UnixTarget::Abstract(name) => connect_abstract(name)?,
        };
        Ok(Self { stream })
    }
}

#[cfg(target_os = "linux")]
fn connect_abstract(name: &[u8]) -> io::Result<UnixStream> {
    use std::os::linux::net::SocketAddrExt;
    let addr = std::os::unix::net::SocketAddr::from_abstract_name(name)?;
    UnixStream::connect_addr(&addr)
}

#[cfg(not(target_os = "linux"))]
fn connect_abstract(_: &[u8]) -> io::Result<UnixStream> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "abstract Unix sockets are Linux only"))
}

impl Read for UnixLayer {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.read(buf)
    }
}

impl Write for UnixLayer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.stream.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

impl Layer for UnixLayer {
    fn set_io_timeout(&self, t: Option<Duration>) -> io::Result<()> {
        // A zero duration is an error for std; treat it as the smallest wait.
        let t = t.map(|d| d.max(Duration::from_millis(1)));
        self.stream.set_read_timeout(t)?;
        self.stream.set_write_timeout(t)
    }

    fn peer_addr(&self) -> Option<SocketAddr> {
        None
    }

    fn local_addr(&self) -> Option<SocketAddr> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::net::UnixListener;

    #[test]
    fn path_and_abstract_sockets_carry_bytes() {
        let dir = std::env::temp_dir().join(format!("rsurl-unix-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("s.sock");
        let _ = std::fs::remove_file(&path);
        let listener = UnixListener::bind(&path).unwrap();
        let echo = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut b = [0u8; 4];
            s.read_exact(&mut b).unwrap();
            s.write_all(&b).unwrap();
        });
        let mut c = UnixLayer::connect(&UnixTarget::Path(path.clone())).unwrap();
        c.set_io_timeout(Some(Duration::from_secs(5))).unwrap();
        c.write_all(b"ping").unwrap();
        let mut back = [0u8; 4];
        c.read_exact(&mut back).unwrap();
        assert_eq!(&back, b"ping");
        echo.join().unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(UnixTarget::Path(path).display(), dir.join("s.sock").display().to_string());
        let missing = UnixTarget::Abstract(format!("rsurl-none-{}", std::process::id()).into_bytes());
        assert!(UnixLayer::connect(&missing).is_err());
        assert_eq!(missing.display(), "");
    }
}
