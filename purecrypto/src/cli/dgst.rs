//! `purecrypto dgst`: digests and HMACs of files, output byte-identical to
//! `openssl dgst` (`-hex` default, `-binary`, `-r`, `-c`, `-hmac KEY`).
//!
//! Entry point: [`run`]. Files are streamed in 64 KiB pieces.

use std::io::Read;
use std::string::{String, ToString};
use std::vec::Vec;

use super::{CliError, Io, hex, value};
use crate::hash::{HashAlgorithm, Hasher, Shake128, Shake256};
use crate::mac::DynHmac;

/// What `dgst` computes.
#[derive(Clone, Copy)]
enum Algorithm {
    Fixed(HashAlgorithm),
    Shake128,
    Shake256,
}

impl Algorithm {
    fn from_option(opt: &str) -> Option<Self> {
        match opt {
            "shake128" => Some(Self::Shake128),
            "shake256" => Some(Self::Shake256),
            _ => HashAlgorithm::from_name(opt).map(Self::Fixed),
        }
    }

    /// The name OpenSSL 3 prints before the file name.
    fn label(self) -> &'static str {
        match self {
            Self::Shake128 => "SHAKE-128",
            Self::Shake256 => "SHAKE-256",
            Self::Fixed(alg) => match alg {
                HashAlgorithm::Md5 => "MD5",
                HashAlgorithm::Sha1 => "SHA1",
                HashAlgorithm::Sha224 => "SHA2-224",
                HashAlgorithm::Sha256 => "SHA2-256",
                HashAlgorithm::Sha384 => "SHA2-384",
                HashAlgorithm::Sha512 => "SHA2-512",
                HashAlgorithm::Sha512_224 => "SHA2-512/224",
                HashAlgorithm::Sha512_256 => "SHA2-512/256",
                HashAlgorithm::Sha3_224 => "SHA3-224",
                HashAlgorithm::Sha3_256 => "SHA3-256",
                HashAlgorithm::Sha3_384 => "SHA3-384",
                HashAlgorithm::Sha3_512 => "SHA3-512",
                HashAlgorithm::Blake2b512 => "BLAKE2B-512",
                HashAlgorithm::Blake2s256 => "BLAKE2S-256",
                _ => "BLAKE3",
            },
        }
    }
}

/// A running digest or MAC (one per file; its size does not matter).
#[allow(clippy::large_enum_variant)]
enum State {
    Hash(Hasher),
    Hmac(DynHmac),
    Shake128(Shake128),
    Shake256(Shake256),
}

impl State {
    fn new(alg: Algorithm, key: Option<&[u8]>) -> Result<Self, CliError> {
        Ok(match (alg, key) {
            (Algorithm::Fixed(a), None) => Self::Hash(Hasher::new(a)),
            (Algorithm::Fixed(a), Some(k)) => Self::Hmac(DynHmac::new(a, k)),
            (Algorithm::Shake128, None) => Self::Shake128(Shake128::new()),
            (Algorithm::Shake256, None) => Self::Shake256(Shake256::new()),
            (_, Some(_)) => return Err(CliError::usage("-hmac needs a fixed-length digest")),
        })
    }

    fn update(&mut self, data: &[u8]) {
        match self {
            Self::Hash(h) => h.update(data),
            Self::Hmac(h) => h.update(data),
            Self::Shake128(h) => h.update(data),
            Self::Shake256(h) => h.update(data),
        }
    }

    fn finish(self) -> Vec<u8> {
        match self {
            Self::Hash(h) => h.finalize(),
            Self::Hmac(h) => h.finalize(),
            Self::Shake128(h) => h.finalize_xof().read_vec(16),
            Self::Shake256(h) => h.finalize_xof().read_vec(32),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Hex,
    Colons,
    Binary,
    Coreutils,
}

fn digest_stream(state: &mut State, reader: &mut dyn Read) -> std::io::Result<()> {
    let mut buf = std::vec![0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        state.update(buf.get(..n).unwrap_or_default());
    }
}

/// `dgst [-ALG] [-hex|-binary|-c|-r] [-hmac KEY] [FILE...]`.
pub(super) fn run(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    let mut alg = None;
    let mut format = Format::Hex;
    let mut key: Option<Vec<u8>> = None;
    let mut files = Vec::new();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        match arg.as_str() {
            "-hex" => format = Format::Hex,
            "-binary" => format = Format::Binary,
            "-c" => format = Format::Colons,
            "-r" => format = Format::Coreutils,
            "-hmac" => key = Some(value(args, &mut i, "-hmac")?.as_bytes().to_vec()),
            "--" => {
                files.extend(args.iter().skip(i + 1).cloned());
                break;
            }
            opt if opt.starts_with('-') && opt.len() > 1 => {
                let name = opt.trim_start_matches('-');
                alg = Some(
                    Algorithm::from_option(name)
                        .ok_or_else(|| CliError::usage(std::format!("unknown option {opt}")))?,
                );
            }
            file => files.push(file.to_string()),
        }
        i += 1;
    }
    // Without a digest option openssl uses SHA-256 and labels it "SHA256".
    let (alg, label) = match alg {
        Some(a) => (a, a.label()),
        None => (Algorithm::Fixed(HashAlgorithm::Sha256), "SHA256"),
    };
    let prefix = if key.is_some() { "HMAC-" } else { "" };
    let inputs: Vec<Option<String>> =
        if files.is_empty() { std::vec![None] } else { files.into_iter().map(Some).collect() };
    let mut status = 0;
    for input in inputs {
        let mut state = State::new(alg, key.as_deref())?;
        let result = match &input {
            None => digest_stream(&mut state, io.stdin),
            Some(path) => std::fs::File::open(path).and_then(|mut f| digest_stream(&mut state, &mut f)),
        };
        let name = input.as_deref().unwrap_or("stdin");
        if let Err(e) = result {
            let _ = writeln!(io.stderr, "{name}: {e}");
            status = 1;
            continue;
        }
        let digest = state.finish();
        let line = match format {
            Format::Binary => {
                io.stdout.write_all(&digest).map_err(CliError::io("stdout"))?;
                continue;
            }
            Format::Hex => std::format!("{prefix}{label}({name})= {}\n", hex(&digest)),
            Format::Colons => {
                let parts: Vec<String> = digest.iter().map(|b| std::format!("{b:02x}")).collect();
                std::format!("{prefix}{label}({name})= {}\n", parts.join(":"))
            }
            Format::Coreutils => std::format!("{} *{name}\n", hex(&digest)),
        };
        io.stdout.write_all(line.as_bytes()).map_err(CliError::io("stdout"))?;
    }
    Ok(status)
}
