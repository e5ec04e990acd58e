//! Passphrase prompts on the controlling terminal, echo off, as
//! `ssh-keygen` asks them. The only `unsafe` of the package: `tcgetattr`
//! / `tcsetattr` through libc (the library itself forbids `unsafe`).

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use zeroize::Zeroizing;

/// Restores the saved terminal mode when dropped (also on a panic).
struct EchoOff {
    fd: i32,
    saved: libc::termios,
}

impl EchoOff {
    #[allow(unsafe_code)]
    fn new(fd: i32) -> Option<Self> {
        // SAFETY: termios is plain data that tcgetattr fills completely;
        // `fd` is an open descriptor owned by the caller for our lifetime.
        let mut saved: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: as above; `saved` is a valid, writable termios.
        if unsafe { libc::tcgetattr(fd, &raw mut saved) } != 0 {
            return None;
        }
        let mut quiet = saved;
        quiet.c_lflag &= !(libc::ECHO | libc::ECHONL);
        // SAFETY: `quiet` is a valid termios derived from the current one.
        if unsafe { libc::tcsetattr(fd, libc::TCSANOW, &raw const quiet) } != 0 {
            return None;
        }
        Some(Self { fd, saved })
    }
}

impl Drop for EchoOff {
    #[allow(unsafe_code)]
    fn drop(&mut self) {
        // SAFETY: restores the termios read in `new` on the same open fd.
        unsafe {
            libc::tcsetattr(self.fd, libc::TCSANOW, &raw const self.saved);
        }
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
