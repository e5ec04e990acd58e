//! The `purecrypto` command-line tool's subcommands (behind `std`).
//!
//! Entry point: [`run`] (and [`run_std`], which binds it to the process's
//! standard streams). Each subcommand is one row of [`COMMANDS`] and one
//! module; adding a subcommand is adding a row. Commands write to the
//! streams they are given, so tests run them in memory.

mod asn1parse;
mod ca;
mod crl;
mod dgst;
mod genpkey;
mod kdf;
mod keyio;
mod mac;
mod ocsp;
mod pkcs12;
mod pkey;
mod pkeyutl;
mod rand;
mod relay;
mod req;
mod s_client;
mod s_server;
mod speed;
mod vectors;
mod x509;

use core::sync::atomic::{AtomicBool, Ordering};
use std::io::{Read, Write};
use std::string::{String, ToString};
use std::vec::Vec;

/// The streams a command reads and writes.
pub struct Io<'a> {
    /// Standard input (`Send`: `s_client` reads it on a second thread
    /// while it prints what the server sends).
    pub stdin: &'a mut (dyn Read + Send),
    /// Standard output.
    pub stdout: &'a mut dyn Write,
    /// Standard error.
    pub stderr: &'a mut dyn Write,
}

impl core::fmt::Debug for Io<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Io { .. }")
    }
}

/// Why a command stopped; printed as `purecrypto CMD: message`, exit 1.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CliError {
    /// Bad command line.
    #[error("{0}")]
    Usage(String),
    /// A file or stream failed.
    #[error("{what}: {source}")]
    Io {
        /// The file or stream.
        what: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The library refused the request.
    #[error(transparent)]
    Crypto(#[from] crate::Error),
}

impl CliError {
    pub(crate) fn usage(msg: impl Into<String>) -> Self {
        Self::Usage(msg.into())
    }

    pub(crate) fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let what = what.into();
        move |source| Self::Io { what, source }
    }
}

/// A subcommand: its name, one line of help, and its body (returns the exit
/// status).
#[derive(Debug, Clone, Copy)]
pub struct Command {
    /// The name typed after `purecrypto`.
    pub name: &'static str,
    /// One line of help.
    pub help: &'static str,
    /// The body.
    pub run: fn(&[String], &mut Io<'_>) -> Result<i32, CliError>,
}

/// Every subcommand.
pub static COMMANDS: &[Command] = &[
    Command { name: "asn1parse", help: "dump DER / PEM structure, like `openssl asn1parse`", run: asn1parse::run },
    Command { name: "dgst", help: "message digests and HMAC, like `openssl dgst`", run: dgst::run },
    Command { name: "mac", help: "HMAC / KMAC, like `openssl mac`", run: mac::run },
    Command { name: "kdf", help: "HKDF, PBKDF2, TLS1-PRF, like `openssl kdf`", run: kdf::run },
    Command { name: "genpkey", help: "generate a private key, like `openssl genpkey`", run: genpkey::run },
    Command { name: "pkey", help: "convert keys, extract the public key, like `openssl pkey`", run: pkey::run },
    Command {
        name: "pkeyutl",
        help: "sign / verify / encrypt / decrypt / derive / encap / decap, like `openssl pkeyutl`",
        run: pkeyutl::run,
    },
    Command { name: "pkcs12", help: "write / read PKCS #12 files, like `openssl pkcs12`", run: pkcs12::run },
    Command { name: "kem", help: "ML-KEM encapsulation (-encap / -decap)", run: pkeyutl::run_kem },
    Command { name: "rand", help: "random bytes from HMAC-DRBG seeded by the OS", run: rand::run },
    Command { name: "s_client", help: "TLS 1.3 / 1.2 client, like `openssl s_client`", run: s_client::run },
    Command { name: "s_server", help: "TLS 1.3 / 1.2 server, like `openssl s_server`", run: s_server::run },
    Command { name: "speed", help: "throughput table, like `openssl speed`", run: speed::run },
    Command { name: "vectors", help: "run Wycheproof / ACVP vector files", run: vectors::run },
    Command { name: "x509", help: "print certificate fields, like `openssl x509`", run: x509::run_x509 },
    Command { name: "verify", help: "verify certificate chains, like `openssl verify`", run: x509::run_verify },
    Command { name: "ca", help: "issue / revoke / gencrl with openssl ca's files", run: ca::run_ca },
    Command { name: "crl", help: "print / convert / check CRLs, like `openssl crl`", run: crl::run_crl },
    Command {
        name: "req",
        help: "create / verify PKCS #10 requests and self-signed certificates, like `openssl req`",
        run: req::run,
    },
    Command { name: "ocsp", help: "OCSP requests, responses and responder, like `openssl ocsp`", run: ocsp::run },
];

fn usage(out: &mut dyn Write) {
    let _ = writeln!(out, "usage: purecrypto COMMAND [OPTIONS]\n\ncommands:");
    for c in COMMANDS {
        let _ = writeln!(out, "  {:<9} {}", c.name, c.help);
    }
}

/// Runs a command line (without the program name) against `io`; returns
/// the exit status.
pub fn run(args: &[String], io: &mut Io<'_>) -> i32 {
    let Some((name, rest)) = args.split_first() else {
        usage(io.stderr);
        return 1;
    };
    if matches!(name.as_str(), "help" | "-help" | "--help" | "-h") {
        usage(io.stdout);
        return 0;
    }
    let Some(cmd) = COMMANDS.iter().find(|c| c.name == name) else {
        let _ = writeln!(io.stderr, "purecrypto: unknown command '{name}'");
        usage(io.stderr);
        return 1;
    };
    match (cmd.run)(rest, io) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(io.stderr, "purecrypto {name}: {e}");
            1
        }
    }
}

/// [`run`] on the process's standard streams.
pub fn run_std(args: &[String]) -> i32 {
    let mut stdin = ProcessStdin;
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    let code = run(args, &mut Io { stdin: &mut stdin, stdout: &mut stdout, stderr: &mut stderr });
    let _ = stdout.flush();
    code
}

/// Set once the command will read no more standard input: a
/// [`ProcessStdin`] read waiting for input then ends as at EOF.
static STDIN_DONE: AtomicBool = AtomicBool::new(false);

/// Tells a [`ProcessStdin`] read waiting on another thread to give up
/// (`s_client` once the server has closed the connection).
pub(crate) fn stop_reading_stdin() {
    STDIN_DONE.store(true, Ordering::Relaxed);
}

/// Lets [`ProcessStdin`] reads wait for input again (`s_server`'s next
/// connection).
pub(crate) fn resume_reading_stdin() {
    STDIN_DONE.store(false, Ordering::Relaxed);
}

/// The process's standard input, read in short polls so that
/// [`stop_reading_stdin`] can end a read that would otherwise wait for
/// the next line from a terminal.
struct ProcessStdin;

impl Read for ProcessStdin {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if STDIN_DONE.load(Ordering::Relaxed) {
                return Ok(0);
            }
            if crate::arch::os_poll::stdin_ready(100)? {
                return std::io::stdin().read(buf);
            }
        }
    }
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| std::format!("{b:02x}")).collect()
}

/// Parses hex (either case).
pub(crate) fn unhex(text: &str) -> Result<Vec<u8>, CliError> {
    if !text.len().is_multiple_of(2) {
        return Err(CliError::usage("odd-length hex"));
    }
    text.as_bytes()
        .chunks(2)
        .map(|p| core::str::from_utf8(p).ok().and_then(|d| u8::from_str_radix(d, 16).ok()))
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(|| CliError::usage(std::format!("bad hex '{text}'")))
}

/// The value after option `opt`, advancing the cursor.
pub(crate) fn value<'a>(args: &'a [String], i: &mut usize, opt: &str) -> Result<&'a str, CliError> {
    *i += 1;
    args.get(*i).map(String::as_str).ok_or_else(|| CliError::usage(std::format!("{opt} needs a value")))
}

/// Reads a whole file, or standard input for `None` / `-`.
pub(crate) fn read_input(path: Option<&str>, io: &mut Io<'_>) -> Result<Vec<u8>, CliError> {
    let mut data = Vec::new();
    match path {
        None | Some("-") => io.stdin.read_to_end(&mut data).map_err(CliError::io("stdin"))?,
        Some(p) => {
            std::fs::File::open(p).and_then(|mut f| f.read_to_end(&mut data)).map_err(CliError::io(p.to_string()))?
        }
    };
    Ok(data)
}
