//! `purecrypto mac [-digest NAME] [-macopt OPT]... [-in FILE] [-binary] ALG`:
//! HMAC, KMAC and keyed BLAKE2 with `openssl mac`'s options and output
//! (upper-case hex).
//!
//! Entry point: [`run`]. `-macopt` takes `key:TEXT`, `hexkey:HEX`,
//! `custom:TEXT` (KMAC) and `size:N` (KMAC / BLAKE2 output bytes).

use std::string::String;
use std::vec::Vec;

use super::{CliError, Io, read_input, unhex, value};
use crate::hash::{Blake2b, Blake2s, HashAlgorithm};
use crate::mac::{Kmac128, Kmac256, hmac};

/// `mac ... ALG`.
pub(super) fn run(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    let mut digest = None;
    let mut key: Option<Vec<u8>> = None;
    let mut custom = Vec::new();
    let mut size = None;
    let mut input = None;
    let mut binary = false;
    let mut alg = None;
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        match arg.as_str() {
            "-digest" => digest = Some(value(args, &mut i, "-digest")?),
            "-in" => input = Some(value(args, &mut i, "-in")?),
            "-binary" => binary = true,
            "-macopt" => {
                let opt = value(args, &mut i, "-macopt")?;
                let (name, v) = opt.split_once(':').ok_or_else(|| CliError::usage("-macopt takes NAME:VALUE"))?;
                match name {
                    "key" => key = Some(v.as_bytes().to_vec()),
                    "hexkey" => key = Some(unhex(v)?),
                    "custom" => custom = v.as_bytes().to_vec(),
                    "size" => size = Some(v.parse::<usize>().map_err(|_| CliError::usage("bad size"))?),
                    "digest" => digest = Some(v),
                    _ => return Err(CliError::usage(std::format!("unknown -macopt {name}"))),
                }
            }
            other => alg = Some(other),
        }
        i += 1;
    }
    let alg = alg
        .ok_or_else(|| CliError::usage("usage: purecrypto mac [options] HMAC|KMAC128|KMAC256|BLAKE2BMAC|BLAKE2SMAC"))?;
    let key = key.ok_or_else(|| CliError::usage("no key: use -macopt key:... or hexkey:..."))?;
    let data = read_input(input, io)?;
    let tag = match alg.to_ascii_uppercase().as_str() {
        "HMAC" => {
            let name = digest.ok_or_else(|| CliError::usage("HMAC needs -digest"))?;
            let h =
                HashAlgorithm::from_name(name).ok_or_else(|| CliError::usage(std::format!("unknown digest {name}")))?;
            hmac(h, &key, &data)
        }
        "KMAC128" | "KMAC-128" => {
            let mut out = std::vec![0u8; size.unwrap_or(32)];
            let mut m = Kmac128::new(&key, &custom);
            m.update(&data);
            m.finalize_into(&mut out);
            out
        }
        "KMAC256" | "KMAC-256" => {
            let mut out = std::vec![0u8; size.unwrap_or(64)];
            let mut m = Kmac256::new(&key, &custom);
            m.update(&data);
            m.finalize_into(&mut out);
            out
        }
        "BLAKE2BMAC" => {
            let mut m = Blake2b::new_keyed(&key, size.unwrap_or(64))?;
            m.update(&data);
            let mut out = std::vec![0u8; m.output_len()];
            m.finalize_into(&mut out);
            out
        }
        "BLAKE2SMAC" => {
            let mut m = Blake2s::new_keyed(&key, size.unwrap_or(32))?;
            m.update(&data);
            let mut out = std::vec![0u8; m.output_len()];
            m.finalize_into(&mut out);
            out
        }
        other => return Err(CliError::usage(std::format!("unknown MAC {other}"))),
    };
    if binary {
        io.stdout.write_all(&tag)
    } else {
        let text: String = tag.iter().map(|b| std::format!("{b:02X}")).collect();
        writeln!(io.stdout, "{text}")
    }
    .map_err(CliError::io("stdout"))?;
    Ok(0)
}
