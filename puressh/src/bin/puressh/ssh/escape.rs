//! OpenSSH's escape sequences, as a pure state machine over the bytes
//! typed into an interactive session: the escape character (default `~`)
//! means something only right after a newline (or at the start), and the
//! byte after it picks the action:
//!
//! | typed | action |
//! |---|---|
//! | `~.` | disconnect |
//! | `~?` | help |
//! | `~~` | one literal `~` |
//! | `~^Z` | suspend `ssh` |
//! | `~#` | list connections |
//! | `~R` | rekey |
//! | `~` + other | both bytes pass through |
//!
//! Entry point: [`EscapeFilter::feed`], which splits input into bytes to
//! send and [`Action`]s, in order.

/// What an escape sequence asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    /// `~.`: close the connection now.
    Disconnect,
    /// `~?`: print the list of escapes.
    Help,
    /// `~^Z`: stop `ssh` (the local terminal comes back).
    Suspend,
    /// `~#`: list the forwarded connections.
    ListConnections,
    /// `~R`: request a rekey.
    Rekey,
}

/// One piece of filtered input, in the order typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Bytes for the remote side.
    Send(Vec<u8>),
    /// An escape action.
    Action(Action),
}

/// The escape-sequence state across reads.
///
/// Invariant: `pending` implies the previous byte was the escape
/// character typed at the start of a line.
#[derive(Debug, Clone)]
pub(crate) struct EscapeFilter {
    escape: u8,
    at_line_start: bool,
    pending: bool,
}

/// Ctrl-Z.
const CTRL_Z: u8 = 0x1a;

impl EscapeFilter {
    /// A filter for `escape`, at the start of a line.
    pub(crate) const fn new(escape: u8) -> Self {
        Self { escape, at_line_start: true, pending: false }
    }

    /// Filters `input`: bytes to send and actions, in order. An escape
    /// character at the end of `input` waits for the next call.
    pub(crate) fn feed(&mut self, input: &[u8]) -> Vec<Piece> {
        let mut pieces = Vec::new();
        let mut send = Vec::with_capacity(input.len());
        for &byte in input {
            if self.pending {
                self.pending = false;
                let action = match byte {
                    b'.' => Some(Action::Disconnect),
                    b'?' => Some(Action::Help),
                    CTRL_Z => Some(Action::Suspend),
                    b'#' => Some(Action::ListConnections),
                    b'R' => Some(Action::Rekey),
                    _ => None,
                };
                if let Some(action) = action {
                    // The line start stays: `~?` then `~.` both work.
                    if !send.is_empty() {
                        pieces.push(Piece::Send(std::mem::take(&mut send)));
                    }
                    pieces.push(Piece::Action(action));
                    continue;
                }
                if byte != self.escape {
                    send.push(self.escape);
                }
            } else if self.at_line_start && byte == self.escape {
                self.pending = true;
                continue;
            }
            self.at_line_start = byte == b'\r' || byte == b'\n';
            send.push(byte);
        }
        if !send.is_empty() {
            pieces.push(Piece::Send(send));
        }
        pieces
    }

    /// The help text for `~?` (CR LF line ends: the terminal is raw).
    pub(crate) fn help(&self) -> String {
        let e = printable(self.escape);
        format!(
            "Supported escape sequences:\r\n {e}.   - terminate connection\r\n {e}#   - list forwarded connections\r\n \
             {e}^Z  - suspend ssh\r\n {e}R   - request rekey\r\n {e}?   - this message\r\n {e}{e}   - send the escape \
             character by typing it twice\r\n(Note that escapes are only recognized immediately after newline.)\r\n"
        )
    }
}

/// `c` as typed: `^X` for control characters.
fn printable(c: u8) -> String {
    if c < 0x20 { format!("^{}", char::from(c | 0x40)) } else { char::from(c).to_string() }
}

/// Parses `-e`'s argument: one character, `^X` for a control
/// character, or `none` (escapes off: `Ok(None)`).
pub(crate) fn parse_escape_char(arg: &str) -> Result<Option<u8>, String> {
    match arg.as_bytes() {
        b"none" => Ok(None),
        [c] => Ok(Some(*c)),
        [b'^', c] => Ok(Some(c & 0x1f)),
        _ => Err(format!("Bad escape character '{arg}'.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send(bytes: &[u8]) -> Piece {
        Piece::Send(bytes.to_vec())
    }

    #[test]
    fn disconnect_only_after_a_newline() {
        let mut f = EscapeFilter::new(b'~');
        assert_eq!(f.feed(b"~."), [Piece::Action(Action::Disconnect)]);
        let mut f = EscapeFilter::new(b'~');
        assert_eq!(f.feed(b"ls ~.\r~."), [send(b"ls ~.\r"), Piece::Action(Action::Disconnect)]);
        assert_eq!(EscapeFilter::new(b'~').feed(b"a~."), [send(b"a~.")]);
        let mut f = EscapeFilter::new(b'~');
        assert_eq!(f.feed(b"x\n~."), [send(b"x\n"), Piece::Action(Action::Disconnect)]);
    }

    #[test]
    fn double_escape_sends_one_and_other_bytes_pass_through() {
        let mut f = EscapeFilter::new(b'~');
        assert_eq!(f.feed(b"~~"), [send(b"~")]);
        // After a literal `~` the line has started: the next `~` is plain.
        assert_eq!(f.feed(b"~."), [send(b"~.")]);
        let mut f = EscapeFilter::new(b'~');
        assert_eq!(f.feed(b"~x"), [send(b"~x")]);
    }

    #[test]
    fn split_across_reads() {
        let mut f = EscapeFilter::new(b'~');
        assert_eq!(f.feed(b"echo\r~"), [send(b"echo\r")]);
        assert_eq!(f.feed(b"."), [Piece::Action(Action::Disconnect)]);
        let mut f = EscapeFilter::new(b'~');
        assert_eq!(f.feed(b"~"), []);
        assert_eq!(f.feed(b"~"), [send(b"~")]);
    }

    #[test]
    fn commands_keep_the_line_start() {
        let mut f = EscapeFilter::new(b'~');
        assert_eq!(
            f.feed(b"~?~#~\x1a~R~."),
            [
                Piece::Action(Action::Help),
                Piece::Action(Action::ListConnections),
                Piece::Action(Action::Suspend),
                Piece::Action(Action::Rekey),
                Piece::Action(Action::Disconnect)
            ]
        );
    }

    /// Adjacent sends merged, so differently split inputs compare equal.
    fn merged(pieces: Vec<Piece>) -> Vec<Piece> {
        let mut out: Vec<Piece> = Vec::new();
        for piece in pieces {
            match (out.last_mut(), piece) {
                (Some(Piece::Send(last)), Piece::Send(more)) => last.extend(more),
                (_, piece) => out.push(piece),
            }
        }
        out
    }

    proptest::proptest! {
        /// Where a read boundary falls changes nothing, and with no
        /// escape character in the input everything passes through.
        #[test]
        fn splits_do_not_matter(input in proptest::collection::vec(
            proptest::sample::select(vec![b'~', b'.', b'?', b'\r', b'\n', b'a', 0x1a]), 0..40),
            cut in 0usize..40) {
            let cut = cut.min(input.len());
            let whole = EscapeFilter::new(b'~').feed(&input);
            let mut split = EscapeFilter::new(b'~');
            let mut pieces = split.feed(&input[..cut]);
            pieces.extend(split.feed(&input[cut..]));
            proptest::prop_assert_eq!(merged(whole), merged(pieces));
            let plain: Vec<u8> = input.iter().copied().filter(|&b| b != b'~').collect();
            let out = EscapeFilter::new(b'~').feed(&plain);
            proptest::prop_assert_eq!(merged(out), if plain.is_empty() { vec![] } else { vec![send(&plain)] });
        }
    }

    #[test]
    fn other_escape_characters() {
        let ctrl_x = parse_escape_char("^X").unwrap().unwrap();
        assert_eq!(ctrl_x, 0x18);
        let mut f = EscapeFilter::new(ctrl_x);
        assert_eq!(f.feed(b"~.\x18."), [send(b"~.\x18.")]);
        let mut f = EscapeFilter::new(ctrl_x);
        assert_eq!(f.feed(b"\x18."), [Piece::Action(Action::Disconnect)]);
        assert!(f.help().contains("^X."));
        assert_eq!(parse_escape_char("%").unwrap(), Some(b'%'));
        assert_eq!(parse_escape_char("none").unwrap(), None);
        assert!(parse_escape_char("ab").is_err());
    }
}
