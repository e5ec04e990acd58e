//! `purecrypto genpkey -algorithm NAME [-out FILE] [-outform PEM|DER]
//! [-pass pass:PW] [-provparam ml-kem.output_formats=F] [-pkeyopt
//! hexseed:HEX]`: a fresh private key as PKCS #8, like `openssl genpkey`.
//!
//! Entry point: [`run`]. NAME is spelled as OpenSSL spells it
//! (`ML-KEM-768`, `ML-DSA-65`, `SLH-DSA-SHA2-128f`, any case). The key is
//! written in OpenSSL's default form (seed and expanded key for ML-KEM /
//! ML-DSA) unless `-provparam` asks for another; `-pass` encrypts it
//! (PBES2, AES-256-CBC) whatever cipher option accompanies it.

use std::string::String;

use super::keyio::{self, Format};
use super::{CliError, Io, unhex, value};
use crate::pkey::{Algorithm, MlDsaPrivateKey, MlKemPrivateKey, PrivateKey, PrivateKeyForm};
use crate::rng::HmacDrbg;

/// The key for `-pkeyopt hexseed:HEX` (ML-KEM: 64 bytes, ML-DSA: 32).
fn from_seed(algorithm: Algorithm, seed: &[u8]) -> Result<PrivateKey, CliError> {
    let bad = || CliError::usage("hexseed has the wrong length (ML-KEM 64 bytes, ML-DSA 32)");
    match algorithm {
        Algorithm::MlKem(set) => {
            Ok(PrivateKey::MlKem(MlKemPrivateKey::from_seed(set, seed.try_into().map_err(|_| bad())?)))
        }
        Algorithm::MlDsa(set) => {
            Ok(PrivateKey::MlDsa(MlDsaPrivateKey::from_seed(set, seed.try_into().map_err(|_| bad())?)))
        }
        _ => Err(CliError::usage("hexseed applies to ML-KEM and ML-DSA keys")),
    }
}

/// `genpkey ...`.
pub(super) fn run(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    let mut algorithm = None;
    let mut out = None;
    let mut format = Format::Pem;
    let mut form = PrivateKeyForm::Default;
    let mut pass = None;
    let mut seed = None;
    let mut i = 0;
    while i < args.len() {
        let arg = args.get(i).map(String::as_str).unwrap_or_default();
        match arg {
            "-algorithm" => {
                let name = value(args, &mut i, arg)?;
                algorithm = Some(
                    Algorithm::from_name(name)
                        .ok_or_else(|| CliError::usage(std::format!("unsupported algorithm '{name}'")))?,
                );
            }
            "-out" => out = Some(value(args, &mut i, arg)?),
            "-outform" => format = Format::parse(value(args, &mut i, arg)?)?,
            "-pass" => pass = Some(keyio::password(value(args, &mut i, arg)?)?),
            "-provparam" => form = keyio::form_from_provparam(value(args, &mut i, arg)?)?,
            "-pkeyopt" => {
                let opt = value(args, &mut i, arg)?;
                let hex = opt
                    .strip_prefix("hexseed:")
                    .ok_or_else(|| CliError::usage(std::format!("unsupported -pkeyopt '{opt}' (hexseed:HEX)")))?;
                seed = Some(zeroize::Zeroizing::new(unhex(hex)?));
            }
            // The cipher for -pass; PBES2 with AES-256-CBC is always used.
            "-aes256" | "-aes-256-cbc" => {}
            _ => return Err(CliError::usage(std::format!("unknown option '{arg}'"))),
        }
        i += 1;
    }
    let algorithm =
        algorithm.ok_or_else(|| CliError::usage("usage: purecrypto genpkey -algorithm NAME [-out FILE]"))?;
    let key = match seed {
        Some(seed) => from_seed(algorithm, &seed)?,
        None => PrivateKey::generate(algorithm, &mut HmacDrbg::from_os()?)?,
    };
    let encoded = keyio::encode_private(&key, format, form, pass.as_ref().map(|p| p.as_slice()))?;
    keyio::write_output(out, &encoded, io)?;
    Ok(0)
}
