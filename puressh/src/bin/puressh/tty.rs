//! Passphrase prompts on the controlling terminal, echo off, as
//! `ssh-keygen` asks them; the termios calls are [`crate::terminal`]'s.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use zeroize::Zeroizing;

use crate::terminal::{get_termios, set_termios};

/// Restores the saved terminal mode when dropped (also on a panic).
struct EchoOff {
    fd: i32,
    saved: libc::termios,
}

impl EchoOff {
    fn new(fd: i32) -> Option<Self> {
        let saved = get_termios(fd)?;
        let mut quiet = saved;
        quiet.c_lflag &= !(libc::ECHO | libc::ECHONL);
        set_termios(fd, &quiet).then_some(Self { fd, saved })
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        set_termios(self.fd, &self.saved);
    }
}

/// Asks `prompt` on /dev/tty and reads one line without echo. `None`
/// when there is no terminal (scripts must pass `-N` / `-P`).
pub(crate) fn read_passphrase(prompt: &str) -> Option<Zeroizing<String>> {
    let tty = File::options().read(true).write(true).open("/dev/tty").ok()?;
    let mut out = tty.try_clone().ok()?;
    let _ = out.write_all(prompt.as_bytes());
    let _ = out.flush();
    let guard = EchoOff::new(tty.as_raw_fd());
    // One byte at a time: a buffered reader would swallow the next
    // answer (the "again" prompt) typed ahead.
    let mut line = Zeroizing::new(Vec::new());
    let mut byte = [0u8; 1];
    let mut reader = &tty;
    let ended = loop {
        match reader.read(&mut byte) {
            Ok(1) if byte[0] != b'\n' => line.push(byte[0]),
            Ok(1) => break true,
            _ => break !line.is_empty(),
        }
    };
    drop(guard);
    let _ = out.write_all(b"\n");
    if !ended {
        return None;
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    String::from_utf8(std::mem::take(&mut *line)).ok().map(Zeroizing::new)
}

/// Asks a yes/no question on stdin (as `ssh-keygen`'s overwrite prompt).
pub(crate) fn confirm(prompt: &str) -> bool {
    print!("{prompt}");
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    if std::io::stdin().read_line(&mut line).is_err() {
        return false;
    }
    matches!(line.trim_start().chars().next(), Some('y' | 'Y'))
}

/// Reads one line from stdin after `prompt` (file name questions).
pub(crate) fn ask(prompt: &str) -> Option<String> {
    print!("{prompt}");
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).ok()?;
    Some(line.trim_end_matches(['\n', '\r']).to_owned())
}
