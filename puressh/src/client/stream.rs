//! What the client's packets travel over: a TCP socket, the
//! stdin/stdout of a `ProxyCommand` child process, or a `direct-tcpip`
//! channel of a jump host's session (`ProxyJump`).
//!
//! Entry points: the [`ByteStream`] trait, implemented for
//! [`std::net::TcpStream`], [`ProxyCommand`] and
//! [`ChannelStream`](super::ChannelStream) (a jump host's channel);
//! [`expand_proxy_command`] for the `%h %p %r %%` tokens.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::fd::{AsRawFd, RawFd};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

/// A bidirectional byte stream the client can run SSH over.
///
/// The descriptor [`ByteStream::readable_fd`] returns lets a driver
/// (the `puressh ssh` relay loop) wait with `poll(2)` for the server's
/// bytes together with its own input; the library itself only reads and
/// writes.
pub trait ByteStream: Read + Write + Send {
    /// The descriptor that becomes readable when the peer sends bytes.
    fn readable_fd(&self) -> RawFd;

    /// Whether bytes are already waiting inside the stream, where
    /// `readable_fd` cannot show them (a channel of another session
    /// holds data that session has read already).
    fn has_buffered(&mut self) -> bool {
        false
    }

    /// For a stream nested in another session: lets the outer sessions
    /// take one step (reading their descriptor only when `readable`, the
    /// caller having seen it readable) without waiting, and says whether
    /// bytes of this stream are now ready. `None` (the default) means the
    /// stream is read directly.
    ///
    /// # Errors
    /// The outer session failed.
    fn advance(&mut self, readable: bool) -> std::io::Result<Option<bool>> {
        let _ = readable;
        Ok(None)
    }

    /// Ends the stream in both directions (best effort).
    fn shutdown(&mut self);
}

impl ByteStream for TcpStream {
    fn readable_fd(&self) -> RawFd {
        self.as_raw_fd()
    }

    fn shutdown(&mut self) {
        let _ = TcpStream::shutdown(self, std::net::Shutdown::Both);
    }
}

/// A `ProxyCommand`: `sh -c COMMAND` whose stdin and stdout carry the
/// SSH connection; its stderr stays the caller's. The child is killed
/// and reaped when this is dropped (OpenSSH ends its proxy as well).
#[derive(Debug)]
pub struct ProxyCommand {
    child: Child,
    /// `None` once shut down (closing it is the child's EOF).
    stdin: Option<ChildStdin>,
    stdout: ChildStdout,
}

impl ProxyCommand {
    /// Starts `command` through `/bin/sh -c`.
    ///
    /// # Errors
    /// The spawn failed.
    pub fn spawn(command: &str) -> std::io::Result<Self> {
        let mut child =
            Command::new("/bin/sh").arg("-c").arg(command).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?;
        let missing = || std::io::Error::other("the proxy command has no pipes");
        let stdin = child.stdin.take().ok_or_else(missing)?;
        let stdout = child.stdout.take().ok_or_else(missing)?;
        Ok(Self { child, stdin: Some(stdin), stdout })
    }
}

impl Read for ProxyCommand {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.stdout.read(buf)
    }
}

impl Write for ProxyCommand {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.stdin {
            Some(stdin) => stdin.write(buf),
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.stdin.as_mut().map_or(Ok(()), Write::flush)
    }
}

impl ByteStream for ProxyCommand {
    fn readable_fd(&self) -> RawFd {
        self.stdout.as_raw_fd()
    }

    fn shutdown(&mut self) {
        self.stdin = None;
    }
}

impl Drop for ProxyCommand {
    fn drop(&mut self) {
        self.stdin = None;
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Expands OpenSSH's `ProxyCommand` tokens: `%h` host, `%p` port, `%r`
/// remote user, `%n` the host as given, `%%` a percent sign.
///
/// # Errors
/// An unknown `%` token or a trailing `%`, as text for the caller.
pub fn expand_proxy_command(
    template: &str,
    host: &str,
    port: u16,
    user: &str,
    original_host: &str,
) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut chars = template.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('h') => out.push_str(host),
            Some('p') => out.push_str(&port.to_string()),
            Some('r') => out.push_str(user),
            Some('n') => out.push_str(original_host),
            Some('%') => out.push('%'),
            Some(other) => return Err(format!("unknown token %{other} in ProxyCommand")),
            None => return Err("ProxyCommand ends with a lone %".into()),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_expand() {
        assert_eq!(
            expand_proxy_command("nc %h %p # %r %n 100%%", "10.0.0.1", 2222, "alice", "box").unwrap(),
            "nc 10.0.0.1 2222 # alice box 100%"
        );
        assert!(expand_proxy_command("x %z", "h", 1, "u", "h").is_err());
        assert!(expand_proxy_command("x %", "h", 1, "u", "h").is_err());
    }

    #[test]
    fn proxy_command_carries_bytes_both_ways() {
        let mut proxy = ProxyCommand::spawn("tr a-z A-Z").unwrap();
        proxy.write_all(b"hello").unwrap();
        proxy.shutdown();
        let mut got = Vec::new();
        proxy.read_to_end(&mut got).unwrap();
        assert_eq!(got, b"HELLO");
        assert!(proxy.write(b"x").is_err());
    }
}
