//! `--trace` / `--trace-ascii`: curl's wire dump of everything sent and
//! received, written to a file, stdout (`-`) or stderr (`%`).
//!
//! Entry point: [`Tracer`], a cheap handle the transfer engine clones into
//! each exchange. Each event is one block: a direction line such as
//! `=> Send header, 78 bytes (0x4e)` followed by offset-prefixed dump
//! lines (16 bytes as hex plus text, or 64 characters of text per line in
//! ASCII mode, where a CRLF also ends a line), or `== Info: text` for the
//! engine's informational lines. The layout is curl's, so tools that read
//! curl traces read ours; trace output is best effort and never fails a
//! transfer.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

/// Hex dump (`--trace`) or text only (`--trace-ascii`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Hex,
    Ascii,
}

/// What a traced block carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    HeaderOut,
    DataOut,
    HeaderIn,
    DataIn,
}

impl Kind {
    const fn label(self) -> &'static str {
        match self {
            Self::HeaderOut => "=> Send header",
            Self::DataOut => "=> Send data",
            Self::HeaderIn => "<= Recv header",
            Self::DataIn => "<= Recv data",
        }
    }
}

struct Inner {
    out: Box<dyn Write + Send>,
    mode: Mode,
    timestamps: bool,
}

/// A shared trace destination.
#[derive(Clone)]
pub(crate) struct Tracer(Arc<Mutex<Inner>>);

impl std::fmt::Debug for Tracer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tracer")
    }
}

impl Tracer {
    /// A tracer writing to `out`; `timestamps` prefixes each block with
    /// the UTC time of day (`--trace-time`).
    pub(crate) fn new(out: Box<dyn Write + Send>, mode: Mode, timestamps: bool) -> Self {
        Self(Arc::new(Mutex::new(Inner { out, mode, timestamps })))
    }

    /// An informational line (what `-v` prints after `* `).
    pub(crate) fn info(&self, text: &str) {
        self.with(|inner| {
            let stamp = inner.stamp();
            let _ = writeln!(inner.out, "{stamp}== Info: {text}");
        });
    }

    /// One block of bytes in one direction.
    pub(crate) fn data(&self, kind: Kind, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        self.with(|inner| {
            let stamp = inner.stamp();
            let mut text = format!("{stamp}{}, {} bytes (0x{:x})\n", kind.label(), bytes.len(), bytes.len());
            dump(&mut text, bytes, inner.mode);
            let _ = inner.out.write_all(text.as_bytes());
        });
    }

    /// A received head, traced one header line at a time as curl does.
    pub(crate) fn head_in(&self, raw: &[u8]) {
        for line in raw.split_inclusive(|&b| b == b'\n') {
            self.data(Kind::HeaderIn, line);
        }
    }

    /// Flushes the destination (at the end of a run).
    pub(crate) fn flush(&self) {
        self.with(|inner| {
            let _ = inner.out.flush();
        });
    }

    fn with(&self, f: impl FnOnce(&mut Inner)) {
        // A poisoned lock only means another transfer's thread panicked
        // mid-write; the dump stays usable.
        let mut guard = match self.0.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut guard);
    }
}

impl Inner {
    fn stamp(&self) -> String {
        if !self.timestamps {
            return String::new();
        }
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        let secs = now.as_secs() % 86_400;
        format!("{:02}:{:02}:{:02}.{:06} ", secs / 3600, secs / 60 % 60, secs % 60, now.subsec_micros())
    }
}

/// Appends the dump lines of `bytes` to `text`.
fn dump(text: &mut String, bytes: &[u8], mode: Mode) {
    use std::fmt::Write as _;
    let width = match mode {
        Mode::Hex => 16,
        Mode::Ascii => 64,
    };
    let crlf_at = |i: usize| bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) == Some(&b'\n');
    let mut start = 0;
    while start < bytes.len() {
        let _ = write!(text, "{start:04x}: ");
        let line = bytes.get(start..bytes.len().min(start + width)).unwrap_or_default();
        if mode == Mode::Hex {
            for c in 0..width {
                match line.get(c) {
                    Some(b) => {
                        let _ = write!(text, "{b:02x} ");
                    }
                    None => text.push_str("   "),
                }
            }
        }
        let mut next = start + width;
        for (c, &b) in line.iter().enumerate() {
            let at = start + c;
            // In ASCII mode a CRLF ends the line and is not shown.
            if mode == Mode::Ascii && crlf_at(at) {
                next = at + 2;
                break;
            }
            text.push(if (0x20..0x7f).contains(&b) { char::from(b) } else { '.' });
            if mode == Mode::Ascii && crlf_at(at + 1) {
                next = at + 3;
                break;
            }
        }
        text.push('\n');
        start = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dumped(bytes: &[u8], mode: Mode) -> String {
        let mut s = String::new();
        dump(&mut s, bytes, mode);
        s
    }

    #[test]
    fn hex_lines_hold_sixteen_bytes_and_pad_the_last() {
        let got = dumped(b"HTTP/1.1 200 OK\r\n", Mode::Hex);
        assert_eq!(
            got,
            "0000: 48 54 54 50 2f 31 2e 31 20 32 30 30 20 4f 4b 0d HTTP/1.1 200 OK.\n\
             0010: 0a                                              .\n"
        );
    }

    #[test]
    fn ascii_lines_end_at_crlf_without_showing_it() {
        let got = dumped(b"GET / HTTP/1.1\r\nHost: h\r\n\r\n", Mode::Ascii);
        assert_eq!(got, "0000: GET / HTTP/1.1\n0010: Host: h\n0019: \n");
    }

    #[test]
    fn ascii_wraps_at_sixty_four_and_shows_lone_controls_as_dots() {
        let long = [b'a'; 70];
        let got = dumped(&long, Mode::Ascii);
        assert_eq!(got, format!("0000: {}\n0040: {}\n", "a".repeat(64), "a".repeat(6)));
        assert_eq!(dumped(b"a\nb\x01", Mode::Ascii), "0000: a.b.\n");
    }

    #[test]
    fn time_stamps_are_time_of_day_with_microseconds() {
        let inner = Inner { out: Box::new(std::io::sink()), mode: Mode::Hex, timestamps: true };
        let stamp = inner.stamp();
        let b = stamp.as_bytes();
        assert_eq!(b.len(), 16, "{stamp:?}");
        assert_eq!((b[2], b[5], b[8], b[15]), (b':', b':', b'.', b' '), "{stamp:?}");
        assert!(stamp.chars().filter(char::is_ascii_digit).count() == 12, "{stamp:?}");
        let off = Inner { out: Box::new(std::io::sink()), mode: Mode::Hex, timestamps: false };
        assert_eq!(off.stamp(), "");
    }

    #[test]
    fn header_lines_are_separate_blocks() {
        #[derive(Clone, Default)]
        struct Shared(Arc<Mutex<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let sink = Shared::default();
        let t = Tracer::new(Box::new(sink.clone()), Mode::Ascii, false);
        t.info("Connected");
        t.head_in(b"HTTP/1.1 200 OK\r\nA: b\r\n\r\n");
        t.data(Kind::DataIn, b"");
        let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        assert_eq!(
            text,
            "== Info: Connected\n<= Recv header, 17 bytes (0x11)\n0000: HTTP/1.1 200 OK\n\
             <= Recv header, 6 bytes (0x6)\n0000: A: b\n<= Recv header, 2 bytes (0x2)\n0000: \n"
        );
    }
}
