//! `purecrypto pkeyutl -sign|-verify|-encap|-decap ...` and its alias
//! `purecrypto kem -encap|-decap ...`, with OpenSSL 3.5's flags:
//!
//! ```text
//! pkeyutl -sign   -inkey PRIV [-in MSG] [-out SIG] [-pkeyopt context-string:CTX] [-pkeyopt deterministic:1]
//! pkeyutl -verify -pubin -inkey PUB [-in MSG] -sigfile SIG [-pkeyopt context-string:CTX]
//! pkeyutl -encap  -pubin -inkey PUB [-out CT] [-secret SS]
//! pkeyutl -decap  -inkey PRIV [-in CT] [-secret SS]
//! ```
//!
//! Entry points: [`run`] and [`run_kem`]. `-verify` prints `Signature
//! Verified Successfully`, or `Signature Verification Failure` and exits
//! 1, as OpenSSL does. Signatures are pure ML-DSA / SLH-DSA over the whole
//! message (OpenSSL's default `message-encoding:1`).

use std::string::String;
use std::vec::Vec;

use zeroize::Zeroizing;

use super::keyio;
use super::{CliError, Io, read_input, unhex, value};
use crate::pkey::PublicKey;
use crate::rng::HmacDrbg;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Sign,
    Verify,
    Encap,
    Decap,
}

/// `pkeyutl ...`.
pub(super) fn run(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    run_with(args, io, true)
}

/// `kem -encap|-decap ...`.
pub(super) fn run_kem(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    run_with(args, io, false)
}

fn run_with(args: &[String], io: &mut Io<'_>, signatures: bool) -> Result<i32, CliError> {
    let mut mode = None;
    let (mut inkey, mut input, mut out, mut sigfile, mut secret) = (None, None, None, None, None);
    let mut pubin = false;
    let mut passin = None;
    let mut ctx = Vec::new();
    let mut deterministic = false;
    let mut i = 0;
    while i < args.len() {
        let arg = args.get(i).map(String::as_str).unwrap_or_default();
        match arg {
            "-sign" if signatures => mode = Some(Mode::Sign),
            "-verify" if signatures => mode = Some(Mode::Verify),
            "-encap" => mode = Some(Mode::Encap),
            "-decap" => mode = Some(Mode::Decap),
            "-inkey" => inkey = Some(value(args, &mut i, arg)?),
            "-in" => input = Some(value(args, &mut i, arg)?),
            "-out" => out = Some(value(args, &mut i, arg)?),
            "-sigfile" => sigfile = Some(value(args, &mut i, arg)?),
            "-secret" => secret = Some(value(args, &mut i, arg)?),
            "-pubin" => pubin = true,
            "-passin" => passin = Some(keyio::password(value(args, &mut i, arg)?)?),
            "-keyform" => {
                keyio::Format::parse(value(args, &mut i, arg)?)?;
            }
            "-pkeyopt" => {
                let opt = value(args, &mut i, arg)?;
                if let Some(text) = opt.strip_prefix("context-string:") {
                    ctx = text.as_bytes().to_vec();
                } else if let Some(hex) = opt.strip_prefix("hexcontext-string:") {
                    ctx = unhex(hex)?;
                } else if let Some(flag) = opt.strip_prefix("deterministic:") {
                    deterministic = flag == "1";
                } else if opt != "message-encoding:1" {
                    return Err(CliError::usage(std::format!(
                        "unsupported -pkeyopt '{opt}' (context-string:, hexcontext-string:, deterministic:)"
                    )));
                }
            }
            _ => return Err(CliError::usage(std::format!("unknown option '{arg}'"))),
        }
        i += 1;
    }
    let usage = if signatures { "one of -sign, -verify, -encap, -decap" } else { "one of -encap, -decap" };
    let mode = mode.ok_or_else(|| CliError::usage(std::format!("needs {usage}")))?;
    let inkey = inkey.ok_or_else(|| CliError::usage("needs -inkey FILE"))?;
    let pass = passin.as_ref().map(|p| p.as_slice());
    let public = |io: &mut Io<'_>| -> Result<PublicKey, CliError> {
        if pubin {
            keyio::read_public(Some(inkey), io)
        } else {
            Ok(keyio::read_private(Some(inkey), pass, io)?.public_key())
        }
    };
    match mode {
        Mode::Sign => {
            if pubin {
                return Err(CliError::usage("-sign needs a private key"));
            }
            let key = keyio::read_private(Some(inkey), pass, io)?;
            let msg = read_input(input, io)?;
            let sig = if deterministic {
                key.sign::<HmacDrbg>(&msg, &ctx, None)?
            } else {
                key.sign(&msg, &ctx, Some(&mut HmacDrbg::from_os()?))?
            };
            keyio::write_output(out, &sig, io)?;
            Ok(0)
        }
        Mode::Verify => {
            let key = public(io)?;
            let sigfile = sigfile.ok_or_else(|| CliError::usage("-verify needs -sigfile FILE"))?;
            let sig = read_input(Some(sigfile), io)?;
            let msg = read_input(input, io)?;
            match key.verify(&msg, &ctx, &sig) {
                Ok(()) => {
                    io.stdout.write_all(b"Signature Verified Successfully\n").map_err(super::CliError::io("stdout"))?;
                    Ok(0)
                }
                Err(crate::Error::VerificationFailed | crate::Error::InvalidLength { .. }) => {
                    io.stdout.write_all(b"Signature Verification Failure\n").map_err(super::CliError::io("stdout"))?;
                    Ok(1)
                }
                Err(e) => Err(e.into()),
            }
        }
        Mode::Encap => {
            let key = public(io)?;
            let (ct, ss) = key.encapsulate(&mut HmacDrbg::from_os()?)?;
            let secret = secret.ok_or_else(|| CliError::usage("-encap needs -secret FILE"))?;
            keyio::write_output(Some(secret), ss.as_bytes(), io)?;
            keyio::write_output(out, &ct, io)?;
            Ok(0)
        }
        Mode::Decap => {
            if pubin {
                return Err(CliError::usage("-decap needs a private key"));
            }
            let key = keyio::read_private(Some(inkey), pass, io)?;
            let ct = read_input(input, io)?;
            let ss = key.decapsulate(&ct)?;
            let ss = Zeroizing::new(ss.as_bytes().to_vec());
            keyio::write_output(secret, &ss, io)?;
            Ok(0)
        }
    }
}
