//! `purecrypto kdf -keylen N [-binary] -kdfopt NAME:VALUE... ALG`: key
//! derivation with `openssl kdf`'s options and output (upper-case hex bytes
//! joined by colons).
//!
//! Entry point: [`run`]. Algorithms: `HKDF` (digest, key, salt, info),
//! `PBKDF2` (digest, pass, salt, iter), `TLS1-PRF` (digest, secret, seed),
//! `SCRYPT` (pass, salt, n, r, p), and beyond OpenSSL 3.0: `ARGON2ID` /
//! `ARGON2I` / `ARGON2D` (pass, salt, iter, memcost in KiB, lanes, secret,
//! ad) and `BCRYPT-PBKDF` (pass, salt, rounds). Every byte-string option
//! also has a `hex` form (`hexkey:...`).

use std::collections::BTreeMap;
use std::string::{String, ToString};
use std::vec::Vec;

use super::{CliError, Io, unhex, value};
use crate::hash::HashAlgorithm;
use crate::kdf::{hkdf, pbkdf2, tls12_prf};

struct Opts(BTreeMap<String, String>);

impl Opts {
    fn bytes(&self, name: &str) -> Result<Option<Vec<u8>>, CliError> {
        if let Some(v) = self.0.get(name) {
            return Ok(Some(v.as_bytes().to_vec()));
        }
        self.0.get(&std::format!("hex{name}")).map(|v| unhex(v)).transpose()
    }

    fn required(&self, name: &str) -> Result<Vec<u8>, CliError> {
        self.bytes(name)?.ok_or_else(|| CliError::usage(std::format!("missing -kdfopt {name}:...")))
    }

    fn number(&self, name: &str) -> Result<u64, CliError> {
        let v = self.0.get(name).ok_or_else(|| CliError::usage(std::format!("missing -kdfopt {name}:N")))?;
        v.parse().map_err(|_| CliError::usage(std::format!("bad number for {name}")))
    }

    fn digest(&self) -> Result<HashAlgorithm, CliError> {
        let name = self.0.get("digest").map_or("sha256", String::as_str);
        HashAlgorithm::from_name(name).ok_or_else(|| CliError::usage(std::format!("unknown digest {name}")))
    }
}

/// `kdf ... ALG`.
pub(super) fn run(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    let mut keylen = None;
    let mut binary = false;
    let mut opts = Opts(BTreeMap::new());
    let mut alg = None;
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        match arg.as_str() {
            "-keylen" => {
                keylen =
                    Some(value(args, &mut i, "-keylen")?.parse::<usize>().map_err(|_| CliError::usage("bad -keylen"))?);
            }
            "-binary" => binary = true,
            "-kdfopt" => {
                let opt = value(args, &mut i, "-kdfopt")?;
                let (name, v) = opt.split_once(':').ok_or_else(|| CliError::usage("-kdfopt takes NAME:VALUE"))?;
                opts.0.insert(name.to_ascii_lowercase(), v.to_string());
            }
            other => alg = Some(other),
        }
        i += 1;
    }
    let alg = alg.ok_or_else(|| CliError::usage("usage: purecrypto kdf -keylen N -kdfopt ... ALG"))?;
    let keylen = keylen.ok_or_else(|| CliError::usage("-keylen is required"))?;
    if keylen > 1 << 20 {
        return Err(CliError::usage("-keylen at most 1 MiB"));
    }
    let mut out = std::vec![0u8; keylen];
    match alg.to_ascii_uppercase().as_str() {
        "HKDF" => {
            let salt = opts.bytes("salt")?;
            let info = opts.bytes("info")?.unwrap_or_default();
            hkdf(opts.digest()?, salt.as_deref(), &opts.required("key")?, &info, &mut out)?;
        }
        "PBKDF2" => {
            let iter = u32::try_from(opts.number("iter")?).map_err(|_| CliError::usage("iter too large"))?;
            pbkdf2(opts.digest()?, &opts.required("pass")?, &opts.required("salt")?, iter, &mut out)?;
        }
        "TLS1-PRF" => {
            tls12_prf(opts.digest()?, &opts.required("secret")?, b"", &opts.required("seed")?, &mut out);
        }
        "SCRYPT" => {
            let params = crate::kdf::ScryptParams::new(opts.number("n")?, opts.number("r")?, opts.number("p")?)?;
            crate::kdf::scrypt(&opts.required("pass")?, &opts.required("salt")?, &params, &mut out)?;
        }
        name @ ("ARGON2D" | "ARGON2I" | "ARGON2ID") => {
            let variant = match name {
                "ARGON2D" => crate::kdf::Argon2Variant::Argon2d,
                "ARGON2I" => crate::kdf::Argon2Variant::Argon2i,
                _ => crate::kdf::Argon2Variant::Argon2id,
            };
            let small = |n: &str, default: u64| -> Result<u32, CliError> {
                let v = if opts.0.contains_key(n) { opts.number(n)? } else { default };
                u32::try_from(v).map_err(|_| CliError::usage(std::format!("{n} too large")))
            };
            let params =
                crate::kdf::Argon2Params::new(small("memcost", 65536)?, small("iter", 3)?, small("lanes", 1)?)?;
            let secret = opts.bytes("secret")?.unwrap_or_default();
            let ad = opts.bytes("ad")?.unwrap_or_default();
            crate::kdf::argon2(
                variant,
                &params,
                &opts.required("pass")?,
                &opts.required("salt")?,
                &secret,
                &ad,
                &mut out,
            )?;
        }
        "BCRYPT-PBKDF" => {
            let rounds = u32::try_from(opts.number("rounds")?).map_err(|_| CliError::usage("rounds too large"))?;
            crate::kdf::bcrypt_pbkdf(&opts.required("pass")?, &opts.required("salt")?, rounds, &mut out)?;
        }
        other => return Err(CliError::usage(std::format!("unknown KDF {other}"))),
    }
    if binary {
        io.stdout.write_all(&out)
    } else {
        let parts: Vec<String> = out.iter().map(|b| std::format!("{b:02X}")).collect();
        write!(io.stdout, "{}\n\n", parts.join(":"))
    }
    .map_err(CliError::io("stdout"))?;
    Ok(0)
}
