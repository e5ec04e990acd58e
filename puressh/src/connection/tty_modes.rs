//! Encoded terminal modes for `pty-req` (RFC 4254 §8; `IUTF8` from
//! RFC 8160): a list of `(opcode: byte, argument: uint32)` pairs ended by
//! `TTY_OP_END`.
//!
//! Entry point: [`TerminalModes`], filled by the caller (the `puressh ssh`
//! binary reads them from the local terminal with `tcgetattr`; the
//! library stays free of `unsafe`) and turned into bytes with
//! [`TerminalModes::encode`]. Opcodes are the [`Opcode`] constants.

/// A terminal mode opcode (RFC 4254 §8). Open: any byte value can be
/// sent, the constants name the standard ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Opcode(pub u8);

macro_rules! opcodes {
    ($($name:ident = $value:expr, $doc:expr;)*) => {
        impl Opcode {
            $(#[doc = $doc] pub const $name: Self = Self($value);)*
        }
    };
}

opcodes! {
    TTY_OP_END = 0, "Ends the list.";
    VINTR = 1, "Interrupt character.";
    VQUIT = 2, "Quit character.";
    VERASE = 3, "Erase the character left of the cursor.";
    VKILL = 4, "Kill the current input line.";
    VEOF = 5, "End-of-file character.";
    VEOL = 6, "End-of-line character besides CR and LF.";
    VEOL2 = 7, "Additional end-of-line character.";
    VSTART = 8, "Continue paused output.";
    VSTOP = 9, "Pause output.";
    VSUSP = 10, "Suspend the current program.";
    VDSUSP = 11, "Another suspend character.";
    VREPRINT = 12, "Reprint the current input line.";
    VWERASE = 13, "Erase a word left of the cursor.";
    VLNEXT = 14, "Enter the next character literally.";
    VFLUSH = 15, "Flush output.";
    VSWTCH = 16, "Switch to a different shell layer.";
    VSTATUS = 17, "Print a status line.";
    VDISCARD = 18, "Toggle the flushing of terminal output.";
    IGNPAR = 30, "Ignore parity errors.";
    PARMRK = 31, "Mark parity and framing errors.";
    INPCK = 32, "Check parity.";
    ISTRIP = 33, "Strip the eighth bit.";
    INLCR = 34, "Map NL to CR on input.";
    IGNCR = 35, "Ignore CR on input.";
    ICRNL = 36, "Map CR to NL on input.";
    IUCLC = 37, "Map upper case to lower case on input.";
    IXON = 38, "Output flow control.";
    IXANY = 39, "Any character restarts stopped output.";
    IXOFF = 40, "Input flow control.";
    IMAXBEL = 41, "Ring the bell when the input queue is full.";
    IUTF8 = 42, "Input is UTF-8 (RFC 8160).";
    ISIG = 50, "Enable signal characters.";
    ICANON = 51, "Canonical (line) input.";
    XCASE = 52, "Upper-case-only terminal escapes.";
    ECHO = 53, "Echo input.";
    ECHOE = 54, "Visually erase characters.";
    ECHOK = 55, "Kill character discards the line.";
    ECHONL = 56, "Echo NL even without ECHO.";
    NOFLSH = 57, "No flush after interrupt.";
    TOSTOP = 58, "Stop background jobs that write.";
    IEXTEN = 59, "Extended input processing.";
    ECHOCTL = 60, "Echo control characters as ^X.";
    ECHOKE = 61, "Visual erase for line kill.";
    PENDIN = 62, "Retype pending input.";
    OPOST = 70, "Output processing.";
    OLCUC = 71, "Map lower case to upper case on output.";
    ONLCR = 72, "Map NL to CR-NL on output.";
    OCRNL = 73, "Map CR to NL on output.";
    ONOCR = 74, "No CR output at column 0.";
    ONLRET = 75, "NL performs CR.";
    CS7 = 90, "7-bit characters.";
    CS8 = 91, "8-bit characters.";
    PARENB = 92, "Parity enable.";
    PARODD = 93, "Odd parity.";
    TTY_OP_ISPEED = 128, "Input baud rate (bits per second).";
    TTY_OP_OSPEED = 129, "Output baud rate (bits per second).";
}

/// The modes to send, in insertion order; a later value for an opcode
/// replaces the earlier one, so each opcode appears once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TerminalModes {
    modes: Vec<(Opcode, u32)>,
}

impl TerminalModes {
    /// No modes: the server keeps its defaults.
    #[must_use]
    pub const fn new() -> Self {
        Self { modes: Vec::new() }
    }

    /// Sets `opcode` to `value`. `TTY_OP_END` and the opcodes from 160
    /// on (which end parsing at the peer, RFC 4254 §8) are ignored.
    pub fn set(&mut self, opcode: Opcode, value: u32) {
        if opcode == Opcode::TTY_OP_END || opcode.0 >= 160 {
            return;
        }
        match self.modes.iter_mut().find(|(o, _)| *o == opcode) {
            Some(slot) => slot.1 = value,
            None => self.modes.push((opcode, value)),
        }
    }

    /// Sets a boolean flag (1 or 0).
    pub fn set_flag(&mut self, opcode: Opcode, on: bool) {
        self.set(opcode, u32::from(on));
    }

    /// The value of `opcode`, if set.
    #[must_use]
    pub fn get(&self, opcode: Opcode) -> Option<u32> {
        self.modes.iter().find(|(o, _)| *o == opcode).map(|(_, v)| *v)
    }

    /// The wire form for the `pty-req` "encoded terminal modes" string.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.modes.len() * 5 + 1);
        for (opcode, value) in &self.modes {
            out.push(opcode.0);
            out.extend_from_slice(&value.to_be_bytes());
        }
        out.push(Opcode::TTY_OP_END.0);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_is_just_the_end_marker() {
        assert_eq!(TerminalModes::new().encode(), [0]);
    }

    #[test]
    fn encodes_opcode_value_pairs_once_each() {
        let mut modes = TerminalModes::new();
        modes.set(Opcode::VINTR, 3);
        modes.set_flag(Opcode::ECHO, true);
        modes.set(Opcode::TTY_OP_OSPEED, 38400);
        modes.set_flag(Opcode::ECHO, false);
        modes.set(Opcode::TTY_OP_END, 7);
        modes.set(Opcode(200), 7);
        assert_eq!(modes.get(Opcode::ECHO), Some(0));
        assert_eq!(modes.encode(), [1, 0, 0, 0, 3, 53, 0, 0, 0, 0, 129, 0, 0, 0x96, 0, 0]);
    }
}
