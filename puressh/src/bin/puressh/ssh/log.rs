//! Where `ssh`'s own messages go, as OpenSSH routes its log: standard
//! error, or the file `-E` names (appended to); `-q` keeps informational
//! lines back; each `-v` opens one more debug level. Every message ends
//! with `\r\n`, as OpenSSH's do (the terminal may be in raw mode), so
//! scripts that compare `ssh`'s standard error see the same bytes.
//!
//! Entry points: [`init`] once the command line is read, then [`error`],
//! [`info`] and [`debug`]. Before [`init`] everything goes to stderr at
//! the default level. Remote output never passes through here.

use std::fmt::Display;
use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

struct Sink {
    file: Option<File>,
    quiet: bool,
    verbosity: u8,
}

static SINK: OnceLock<Mutex<Sink>> = OnceLock::new();

/// Sets the destination and level; a second call is ignored.
///
/// # Errors
/// The `-E` file cannot be opened for appending.
pub(crate) fn init(path: Option<&Path>, quiet: bool, verbosity: u8) -> Result<(), String> {
    let file = match path {
        Some(path) => Some(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| format!("Couldn't open logfile {}: {e}", path.display()))?,
        ),
        None => None,
    };
    let _ = SINK.set(Mutex::new(Sink { file, quiet, verbosity }));
    Ok(())
}

fn write(line: &str, wanted: impl Fn(&Sink) -> bool) {
    let message = format!("{line}\r\n");
    // A log that stops taking lines must not stop the session.
    let Some(sink) = SINK.get() else {
        let _ = std::io::stderr().write_all(message.as_bytes());
        return;
    };
    let mut sink = sink.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if !wanted(&sink) {
        return;
    }
    let _ = match sink.file.as_mut() {
        Some(file) => file.write_all(message.as_bytes()),
        None => std::io::stderr().write_all(message.as_bytes()),
    };
}

/// A failure: always written.
pub(crate) fn error(message: impl Display) {
    write(&message.to_string(), |_| true);
}

/// An informational line (OpenSSH's `logit`): kept back by `-q`.
pub(crate) fn info(message: impl Display) {
    write(&message.to_string(), |sink| !sink.quiet);
}

/// A `debugN:` line, written when at least `level` `-v` flags were given.
pub(crate) fn debug(level: u8, message: impl Display) {
    write(&format!("debug{level}: {message}"), |sink| sink.verbosity >= level);
}
