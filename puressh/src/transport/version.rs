//! The identification-string exchange (RFC 4253 §4.2) as a sans-I/O state
//! machine with limits.
//!
//! Entry point: [`VersionExchange`]: send [`VersionExchange::output`], feed
//! received bytes to [`VersionExchange::input`] until
//! [`VersionExchange::peer`] is `Some`; bytes after the identification
//! line are not consumed and belong to the packet layer.
//!
//! A server may send other lines first; a hostile one could send them
//! forever, or one endless line, so lines, banner bytes and line length
//! are capped, and control bytes are refused as they arrive.

use super::Role;
use crate::error::{Error, MisuseError, VersionError};

/// Limits on what the peer may send before its identification string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct VersionLimits {
    /// Most lines before the identification string.
    pub max_banner_lines: usize,
    /// Most bytes (all lines together) before the identification string.
    pub max_banner_bytes: usize,
    /// Longest line, CR LF included (RFC 4253 says 255 for the
    /// identification string).
    pub max_line_len: usize,
}

impl Default for VersionLimits {
    fn default() -> Self {
        Self { max_banner_lines: 64, max_banner_bytes: 8 * 1024, max_line_len: 255 }
    }
}

/// The peer's identification string, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerVersion {
    /// The line without CR LF: the exchange hash's `V_C` or `V_S`.
    pub raw: String,
    /// `2.0` (or a server's `1.99`, meaning 2.0 too).
    pub proto: String,
    /// Software version, e.g. `OpenSSH_9.2p1`.
    pub software: String,
    /// Comments after the first space, if any.
    pub comments: Option<String>,
    /// Lines the peer sent before its identification.
    pub banner: Vec<String>,
}

/// Reading lines until the identification string.
#[derive(Debug, Clone, Default)]
struct Reading {
    /// The current line so far (no LF yet).
    line: Vec<u8>,
    /// Lines completed before the identification.
    banner: Vec<String>,
    /// Bytes of those lines.
    banner_bytes: usize,
}

/// The exchange's states; the first error poisons it.
#[derive(Debug, Clone)]
enum State {
    Reading(Reading),
    Done(PeerVersion),
}

/// The version exchange for one connection.
#[derive(Debug, Clone)]
pub struct VersionExchange {
    role: Role,
    limits: VersionLimits,
    ours: String,
    output: Vec<u8>,
    state: Result<State, Error>,
}

impl VersionExchange {
    /// Starts an exchange announcing `SSH-2.0-{software}` (plus ` {comments}`).
    ///
    /// # Errors
    /// [`MisuseError::WrongState`] if `software` is empty or holds spaces,
    /// `-` or non-printable bytes, or the line exceeds 255 bytes.
    pub fn new(role: Role, software: &str, comments: Option<&str>, limits: VersionLimits) -> Result<Self, Error> {
        let software_ok = !software.is_empty() && software.bytes().all(|b| b.is_ascii_graphic() && b != b'-');
        let comments_ok = comments.is_none_or(|c| c.bytes().all(|b| b == b' ' || b.is_ascii_graphic()));
        let ours = match comments {
            Some(c) => format!("SSH-2.0-{software} {c}"),
            None => format!("SSH-2.0-{software}"),
        };
        if !software_ok || !comments_ok || ours.len() + 2 > 255 {
            return Err(MisuseError::WrongState("invalid identification string").into());
        }
        let output = format!("{ours}\r\n").into_bytes();
        Ok(Self { role, limits, ours, output, state: Ok(State::Reading(Reading::default())) })
    }

    /// Our identification line without CR LF (the exchange hash needs it).
    #[must_use]
    pub fn ours(&self) -> &str {
        &self.ours
    }

    /// Bytes to send: our identification line (send it once, then call
    /// [`Self::consume_output`]).
    #[must_use]
    pub fn output(&self) -> &[u8] {
        &self.output
    }

    /// Marks `n` output bytes as sent.
    pub fn consume_output(&mut self, n: usize) {
        self.output.drain(..n.min(self.output.len()));
    }

    /// The peer's identification, once received.
    #[must_use]
    pub fn peer(&self) -> Option<&PeerVersion> {
        match &self.state {
            Ok(State::Done(peer)) => Some(peer),
            _ => None,
        }
    }

    /// Feeds received bytes; returns how many were consumed. Consumption
    /// stops right after the identification line.
    ///
    /// # Errors
    /// [`VersionError`] for a limit or format violation; the exchange is
    /// then poisoned and every later call fails.
    pub fn input(&mut self, bytes: &[u8]) -> Result<usize, Error> {
        if let Err(first) = &self.state {
            return Err(first.clone());
        }
        let state = core::mem::replace(&mut self.state, Err(MisuseError::Poisoned.into()))?;
        let mut reading = match state {
            State::Reading(reading) => reading,
            done @ State::Done(_) => {
                self.state = Ok(done);
                return Ok(0);
            }
        };
        // Rule: every exit stores the state back (or the error).
        for (i, &byte) in bytes.iter().enumerate() {
            match self.step(&mut reading, byte) {
                Ok(Some(peer)) => {
                    self.state = Ok(State::Done(peer));
                    return Ok(i + 1);
                }
                Ok(None) => {}
                Err(e) => {
                    self.state = Err(e.clone().into());
                    return Err(e.into());
                }
            }
        }
        self.state = Ok(State::Reading(reading));
        Ok(bytes.len())
    }

    fn step(&self, reading: &mut Reading, byte: u8) -> Result<Option<PeerVersion>, VersionError> {
        let line_no = reading.banner.len() + 1;
        if byte != b'\n' {
            // Room for the byte plus the LF that must still come.
            if reading.line.len() + 2 > self.limits.max_line_len {
                return Err(VersionError::LineTooLong { line: line_no, limit: self.limits.max_line_len });
            }
            if reading.line.last() == Some(&b'\r') {
                // A CR is only allowed right before the LF.
                let column = reading.line.len() - 1;
                return Err(VersionError::NonPrintable { byte: b'\r', line: line_no, column });
            }
            if !(byte == b' ' || byte.is_ascii_graphic() || byte == b'\r') {
                return Err(VersionError::NonPrintable { byte, line: line_no, column: reading.line.len() });
            }
            reading.line.push(byte);
            return Ok(None);
        }
        let mut line = core::mem::take(&mut reading.line);
        let line_bytes = line.len() + 1;
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        // Only printable ASCII was pushed, so this cannot fail.
        let line = String::from_utf8(line).map_err(|_| VersionError::Malformed { line: line_no })?;
        if line.starts_with("SSH-") {
            return parse_identification(line, core::mem::take(&mut reading.banner), self.role).map(Some);
        }
        if self.role == Role::Server {
            return Err(VersionError::NotIdentification { line: line_no });
        }
        if reading.banner.len() >= self.limits.max_banner_lines {
            return Err(VersionError::TooManyLines { limit: self.limits.max_banner_lines });
        }
        reading.banner_bytes += line_bytes;
        if reading.banner_bytes > self.limits.max_banner_bytes {
            return Err(VersionError::TooManyBytes { limit: self.limits.max_banner_bytes });
        }
        reading.banner.push(line);
        Ok(None)
    }
}

fn parse_identification(raw: String, banner: Vec<String>, role: Role) -> Result<PeerVersion, VersionError> {
    let line = banner.len() + 1;
    let rest = raw.get(4..).unwrap_or_default();
    let (proto, rest) = rest.split_once('-').ok_or(VersionError::Malformed { line })?;
    let (software, comments) = match rest.split_once(' ') {
        Some((s, c)) => (s, Some(c.to_owned())),
        None => (rest, None),
    };
    if software.is_empty() || proto.is_empty() {
        return Err(VersionError::Malformed { line });
    }
    // A server announcing 1.99 speaks 2.0 too (RFC 4253 §5.1); a client must say 2.0.
    let supported = proto == "2.0" || (proto == "1.99" && role == Role::Client);
    if !supported {
        return Err(VersionError::UnsupportedProtocol { version: proto.to_owned() });
    }
    Ok(PeerVersion { proto: proto.to_owned(), software: software.to_owned(), comments, banner, raw })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> VersionExchange {
        VersionExchange::new(Role::Client, "puressh_0.1", None, VersionLimits::default()).unwrap()
    }

    #[test]
    fn parses_openssh_identification_after_banner_lines() {
        let mut vx = client();
        assert_eq!(vx.output(), b"SSH-2.0-puressh_0.1\r\n");
        let input = b"hello there\r\nSSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n\x00\x00\x01";
        let used = vx.input(input).unwrap();
        assert_eq!(used, input.len() - 3, "packet bytes are left alone");
        let peer = vx.peer().unwrap();
        assert_eq!(peer.software, "OpenSSH_9.2p1");
        assert_eq!(peer.comments.as_deref(), Some("Debian-2+deb12u3"));
        assert_eq!(peer.raw, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3");
        assert_eq!(peer.banner, ["hello there"]);
    }

    #[test]
    fn split_at_every_size() {
        let input = b"banner one\r\nbanner two\nSSH-2.0-OpenSSH_9.2p1 c\r\nPACKET";
        for chunk in 1..=17 {
            let mut vx = client();
            let mut used = 0;
            while vx.peer().is_none() {
                let end = (used + chunk).min(input.len());
                used += vx.input(&input[used..end]).unwrap();
            }
            assert_eq!(&input[used..], b"PACKET", "chunk {chunk}");
            assert_eq!(vx.peer().unwrap().banner, ["banner one", "banner two"]);
        }
    }

    #[test]
    fn byte_at_a_time_and_bare_lf() {
        let mut vx = client();
        for &b in b"SSH-1.99-x\n" {
            assert_eq!(vx.input(&[b]).unwrap(), 1);
        }
        assert_eq!(vx.peer().unwrap().proto, "1.99");
        assert_eq!(vx.input(b"more").unwrap(), 0);
    }

    #[test]
    fn limits_and_refusals() {
        let mut vx = client();
        let flood = b"x\r\n".repeat(100);
        assert_eq!(vx.input(&flood), Err(Error::Version(VersionError::TooManyLines { limit: 64 })));
        // The first error poisons the exchange and is returned again.
        assert_eq!(vx.input(b"SSH-2.0-x\r\n"), Err(Error::Version(VersionError::TooManyLines { limit: 64 })));

        let mut vx = client();
        let long = vec![b'a'; 300];
        assert!(matches!(vx.input(&long), Err(Error::Version(VersionError::LineTooLong { line: 1, .. }))));

        let mut vx = client();
        let many_bytes = [vec![b'b'; 200], b"\n".to_vec()].concat().repeat(50);
        assert!(matches!(vx.input(&many_bytes), Err(Error::Version(VersionError::TooManyBytes { .. }))));

        let mut vx = client();
        assert_eq!(
            vx.input(b"SSH-2.0-a\x1bb\r\n"),
            Err(Error::Version(VersionError::NonPrintable { byte: 0x1b, line: 1, column: 9 }))
        );
        let mut vx = client();
        assert!(matches!(vx.input(b"SSH-2.0-a\rb\n"), Err(Error::Version(VersionError::NonPrintable { .. }))));

        let mut vx = client();
        assert!(matches!(vx.input(b"SSH-1.5-old\r\n"), Err(Error::Version(VersionError::UnsupportedProtocol { .. }))));
        let mut vx = client();
        assert!(matches!(vx.input(b"SSH-2.0-\r\n"), Err(Error::Version(VersionError::Malformed { .. }))));

        let mut server = VersionExchange::new(Role::Server, "s", None, VersionLimits::default()).unwrap();
        assert!(matches!(server.input(b"hi\r\n"), Err(Error::Version(VersionError::NotIdentification { line: 1 }))));
        let mut server = VersionExchange::new(Role::Server, "s", None, VersionLimits::default()).unwrap();
        assert!(matches!(
            server.input(b"SSH-1.99-c\r\n"),
            Err(Error::Version(VersionError::UnsupportedProtocol { .. }))
        ));
    }

    #[test]
    fn our_identification_is_validated() {
        assert!(VersionExchange::new(Role::Client, "bad-name", None, VersionLimits::default()).is_err());
        assert!(VersionExchange::new(Role::Client, "", None, VersionLimits::default()).is_err());
        let long = "a".repeat(300);
        assert!(VersionExchange::new(Role::Client, &long, None, VersionLimits::default()).is_err());
        let vx = VersionExchange::new(Role::Client, "p", Some("c c"), VersionLimits::default()).unwrap();
        assert_eq!(vx.ours(), "SSH-2.0-p c c");
    }
}
