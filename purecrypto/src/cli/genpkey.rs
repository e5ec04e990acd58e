//! `purecrypto genpkey -algorithm NAME [-out FILE] [-outform PEM|DER]
//! [-pass pass:PW] [-provparam ml-kem.output_formats=F] [-pkeyopt
//! hexseed:HEX | rsa_keygen_bits:N | rsa_pss_keygen_md:ALG |
//! rsa_pss_keygen_mgf1_md:ALG | rsa_pss_keygen_saltlen:N | ec_paramgen_curve:CURVE]`: a fresh
//! private key as PKCS #8, like `openssl genpkey`.
//!
//! Entry point: [`run`]. NAME is spelled as OpenSSL spells it
//! (`RSA`, `RSA-PSS`, `EC`, `ED25519`, `ED448`, `X25519`, `X448`,
//! `ML-KEM-768`, `ML-DSA-65`, `SLH-DSA-SHA2-128f`, any case); EC needs
//! `ec_paramgen_curve` (P-256, P-384, P-521, secp256k1 or the ASN.1
//! names), RSA defaults to 2048 bits with exponent 65537. The key is
//! written in OpenSSL's default form (seed and expanded key for ML-KEM /
//! ML-DSA) unless `-provparam` asks for another. A cipher option
//! (`-aes128`, `-aes192`, `-aes256` or their `-aes-N-cbc` names) with
//! `-pass` encrypts it (PBES2, PBKDF2-HMAC-SHA256); `-pass` alone leaves
//! it unencrypted, as in OpenSSL.

use std::string::String;

use super::keyio::{self, Format};
use super::{CliError, Io, unhex, value};
use crate::hash::HashAlgorithm;
use crate::pkey::{Algorithm, EcCurve, MlDsaPrivateKey, MlKemPrivateKey, PrivateKey, PrivateKeyForm, RsassaPssParams};
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
    let mut cipher = None;
    let mut seed = None;
    let mut rsa_bits = None;
    let mut curve = None;
    // `rsa_pss_keygen_*`: any of them makes the key restricted; the rest
    // keep RSASSA-PSS-params' DEFAULTs, as OpenSSL 3.0 writes them.
    let mut pss: Option<RsassaPssParams> = None;
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
                if let Some(hex) = opt.strip_prefix("hexseed:") {
                    seed = Some(zeroize::Zeroizing::new(unhex(hex)?));
                } else if let Some(bits) = opt.strip_prefix("rsa_keygen_bits:") {
                    rsa_bits =
                        Some(bits.parse::<usize>().map_err(|_| CliError::usage("rsa_keygen_bits needs a number"))?);
                } else if let Some(name) = opt.strip_prefix("rsa_pss_keygen_md:") {
                    pss.get_or_insert(RsassaPssParams::DEFAULT).hash = pss_hash(name)?;
                } else if let Some(name) = opt.strip_prefix("rsa_pss_keygen_mgf1_md:") {
                    pss.get_or_insert(RsassaPssParams::DEFAULT).mgf1_hash = pss_hash(name)?;
                } else if let Some(len) = opt.strip_prefix("rsa_pss_keygen_saltlen:") {
                    pss.get_or_insert(RsassaPssParams::DEFAULT).salt_len =
                        len.parse().map_err(|_| CliError::usage("rsa_pss_keygen_saltlen needs a number"))?;
                } else if let Some(e) = opt.strip_prefix("rsa_keygen_pubexp:") {
                    if e != "65537" && !e.eq_ignore_ascii_case("0x10001") {
                        return Err(CliError::usage("only the public exponent 65537 is supported"));
                    }
                } else if let Some(name) = opt.strip_prefix("ec_paramgen_curve:").or_else(|| opt.strip_prefix("group:"))
                {
                    curve = Some(
                        EcCurve::from_name(name)
                            .ok_or_else(|| CliError::usage(std::format!("unsupported curve '{name}'")))?,
                    );
                } else if opt != "ec_param_enc:named_curve" {
                    return Err(CliError::usage(std::format!(
                        "unsupported -pkeyopt '{opt}' (hexseed:, rsa_keygen_bits:, rsa_pss_keygen_md:, rsa_pss_keygen_mgf1_md:, rsa_pss_keygen_saltlen:, ec_paramgen_curve:)"
                    )));
                }
            }
            _ if keyio::cipher_option(arg).is_some() => cipher = keyio::cipher_option(arg),
            _ => return Err(CliError::usage(std::format!("unknown option '{arg}'"))),
        }
        i += 1;
    }
    let mut algorithm =
        algorithm.ok_or_else(|| CliError::usage("usage: purecrypto genpkey -algorithm NAME [-out FILE]"))?;
    if let (Algorithm::Ec(_), Some(curve)) = (algorithm, curve) {
        algorithm = Algorithm::Ec(curve);
    }
    if pss.is_some() && algorithm != Algorithm::RsaPss {
        return Err(CliError::usage("rsa_pss_keygen_* options need -algorithm RSA-PSS"));
    }
    let mut rng = HmacDrbg::from_os()?;
    let key = match (seed, algorithm, rsa_bits) {
        (Some(seed), _, _) => from_seed(algorithm, &seed)?,
        (None, Algorithm::RsaPss, bits) if pss.is_some() => {
            PrivateKey::generate_rsa_pss(bits.unwrap_or(2048), pss, &mut rng)?
        }
        (None, Algorithm::Rsa | Algorithm::RsaPss, Some(bits)) => {
            PrivateKey::generate_rsa(bits, algorithm == Algorithm::RsaPss, &mut rng)?
        }
        (None, _, _) => PrivateKey::generate(algorithm, &mut rng)?,
    };
    if cipher.is_some() && pass.is_none() {
        return Err(CliError::usage("a cipher option needs -pass (there is no pass phrase prompt)"));
    }
    let encryption = pass.as_ref().map(|p| p.as_slice()).zip(cipher);
    let encoded = keyio::encode_private(&key, format, form, encryption)?;
    keyio::write_output(out, &encoded, io)?;
    Ok(0)
}

/// A hash `RSASSA-PSS-params` can name (SHA-1 or SHA-2), by OpenSSL name.
fn pss_hash(name: &str) -> Result<HashAlgorithm, CliError> {
    match HashAlgorithm::from_name(name) {
        Some(
            h @ (HashAlgorithm::Sha1
            | HashAlgorithm::Sha224
            | HashAlgorithm::Sha256
            | HashAlgorithm::Sha384
            | HashAlgorithm::Sha512),
        ) => Ok(h),
        _ => Err(CliError::usage(std::format!(
            "unsupported RSA-PSS digest '{name}' (sha1, sha224, sha256, sha384, sha512)"
        ))),
    }
}
