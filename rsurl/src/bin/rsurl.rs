//! The `rsurl` command-line tool: curl's flags, output and exit codes.
//!
//! Entry point: `main`, a thin wrapper over `rsurl::cli::main` with the
//! real process streams.

use std::io::IsTerminal;

fn main() -> std::process::ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let stdout = std::io::stdout();
    let tty = stdout.is_terminal();
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let mut err = std::io::stderr().lock();
    let code = rsurl::cli::main(&args, &mut rsurl::cli::Io { stdout: &mut out, stderr: &mut err, stdout_tty: tty });
    std::process::ExitCode::from(code.get())
}
