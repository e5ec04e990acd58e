//! `purecrypto pkeyutl -sign|-verify|-encrypt|-decrypt|-derive|-encap|-decap
//! ...` and its alias `purecrypto kem -encap|-decap ...`, with OpenSSL's
//! flags:
//!
//! ```text
//! pkeyutl -sign    -inkey PRIV [-in MSG] [-out SIG] [-rawin] [-digest ALG] [-pkeyopt OPT]...
//! pkeyutl -verify  [-pubin] -inkey KEY [-in MSG] -sigfile SIG [-rawin] [-digest ALG] [-pkeyopt OPT]...
//! pkeyutl -encrypt [-pubin] -inkey KEY [-in MSG] [-out CT] [-pkeyopt rsa_padding_mode:oaep ...]
//! pkeyutl -decrypt -inkey PRIV [-in CT] [-out MSG] [-pkeyopt rsa_padding_mode:oaep ...]
//! pkeyutl -derive  -inkey PRIV -peerkey PEER [-out SECRET]
//! pkeyutl -encap   -pubin -inkey PUB [-out CT] [-secret SS]
//! pkeyutl -decap   -inkey PRIV [-in CT] [-secret SS]
//! ```
//!
//! Entry points: [`run`] and [`run_kem`]. `-pkeyopt` takes
//! `context-string:`, `hexcontext-string:`, `deterministic:1` (ML-DSA /
//! SLH-DSA), `digest:ALG`, `rsa_padding_mode:pkcs1|pss|oaep`,
//! `rsa_pss_saltlen:digest|max|auto|N`, `rsa_oaep_md:ALG`,
//! `rsa_mgf1_md:ALG`, `rsa_oaep_label:HEX`. As in OpenSSL, RSA and ECDSA
//! sign the input as a ready digest (`-pkeyopt digest:ALG` names it; an
//! EC key guesses from the length) unless `-rawin` asks to hash the
//! message with `-digest` (SHA-256 by default); Ed25519, Ed448, ML-DSA
//! and SLH-DSA always sign the whole message. `-verify` prints
//! `Signature Verified Successfully`, or `Signature Verification Failure`
//! and exits 1, as OpenSSL does.

use std::string::String;
use std::vec::Vec;

use zeroize::Zeroizing;

use super::keyio;
use super::{CliError, Io, read_input, unhex, value};
use crate::hash::HashAlgorithm;
use crate::pkey::{Algorithm, EncryptionScheme, PrivateKey, PssSalt, PublicKey, RsassaPssParams, SignatureScheme};
use crate::rng::HmacDrbg;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Sign,
    Verify,
    Encrypt,
    Decrypt,
    Derive,
    Encap,
    Decap,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Padding {
    Pkcs1,
    Pss,
    Oaep,
}

/// The `-pkeyopt` / `-digest` choices for the classical keys.
#[derive(Default)]
struct Options {
    rawin: bool,
    digest: Option<HashAlgorithm>,
    padding: Option<Padding>,
    salt: Option<PssSalt>,
    oaep_md: Option<HashAlgorithm>,
    mgf1_md: Option<HashAlgorithm>,
    label: Vec<u8>,
}

fn hash_named(name: &str) -> Result<HashAlgorithm, CliError> {
    HashAlgorithm::from_name(name).ok_or_else(|| CliError::usage(std::format!("unknown digest '{name}'")))
}

impl Options {
    /// Takes a classical `-pkeyopt`; `false` when it is not one.
    fn pkeyopt(&mut self, opt: &str) -> Result<bool, CliError> {
        let Some((name, val)) = opt.split_once(':') else { return Ok(false) };
        match name {
            "digest" => self.digest = Some(hash_named(val)?),
            "rsa_padding_mode" => {
                self.padding = Some(match val {
                    "pkcs1" => Padding::Pkcs1,
                    "pss" => Padding::Pss,
                    "oaep" => Padding::Oaep,
                    _ => return Err(CliError::usage(std::format!("unsupported rsa_padding_mode '{val}'"))),
                });
            }
            "rsa_pss_saltlen" => {
                self.salt = Some(match val {
                    "digest" | "-1" => PssSalt::Digest,
                    "max" | "-3" => PssSalt::Max,
                    "auto" | "-2" => PssSalt::Auto,
                    n => PssSalt::Exact(
                        n.parse().map_err(|_| CliError::usage("rsa_pss_saltlen: digest, max, auto or N"))?,
                    ),
                });
            }
            "rsa_oaep_md" => self.oaep_md = Some(hash_named(val)?),
            "rsa_mgf1_md" => self.mgf1_md = Some(hash_named(val)?),
            "rsa_oaep_label" => self.label = unhex(val)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The signature scheme for a classical RSA / EC key and whether the
    /// input is a ready digest. An RSA-PSS key's `restrictions` supply the
    /// default digest and MGF1 hash, as in OpenSSL.
    fn signature_scheme(
        &self,
        algorithm: Algorithm,
        restrictions: Option<&RsassaPssParams>,
        input_len: usize,
    ) -> Result<(SignatureScheme, bool), CliError> {
        let prehashed = !self.rawin;
        let hash = match (self.digest.or(restrictions.map(|r| r.hash)), prehashed, algorithm) {
            (Some(h), _, _) => h,
            (None, false, _) => HashAlgorithm::Sha256,
            (None, true, Algorithm::Ec(_)) => match input_len {
                20 => HashAlgorithm::Sha1,
                28 => HashAlgorithm::Sha224,
                48 => HashAlgorithm::Sha384,
                64 => HashAlgorithm::Sha512,
                _ => HashAlgorithm::Sha256,
            },
            (None, true, _) => {
                return Err(CliError::usage("RSA signatures need -rawin, or -pkeyopt digest:ALG for a ready digest"));
            }
        };
        let pss = self.padding == Some(Padding::Pss) || algorithm == Algorithm::RsaPss;
        let scheme = match algorithm {
            Algorithm::Rsa | Algorithm::RsaPss if pss => SignatureScheme::RsaPss {
                hash,
                mgf1: self.mgf1_md.or(restrictions.map(|r| r.mgf1_hash)).unwrap_or(hash),
                salt: self.salt.unwrap_or(PssSalt::Auto),
            },
            Algorithm::Rsa => SignatureScheme::RsaPkcs1v15(hash),
            _ => SignatureScheme::Ecdsa(hash),
        };
        Ok((scheme, prehashed))
    }

    fn encryption_scheme(&self) -> EncryptionScheme<'_> {
        if self.padding == Some(Padding::Oaep) {
            let hash = self.oaep_md.unwrap_or(HashAlgorithm::Sha1);
            EncryptionScheme::RsaOaep { hash, mgf1: self.mgf1_md.unwrap_or(hash), label: &self.label }
        } else {
            EncryptionScheme::RsaPkcs1v15
        }
    }
}

/// Whether the key signs through an RSA / ECDSA scheme (else it signs the
/// whole message with its pure scheme).
const fn uses_scheme(algorithm: Algorithm) -> bool {
    matches!(algorithm, Algorithm::Rsa | Algorithm::RsaPss | Algorithm::Ec(_))
}

/// `pkeyutl ...`.
pub(super) fn run(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    run_with(args, io, true)
}

/// `kem -encap|-decap ...`.
pub(super) fn run_kem(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    run_with(args, io, false)
}

fn run_with(args: &[String], io: &mut Io<'_>, all: bool) -> Result<i32, CliError> {
    let mut mode = None;
    let (mut inkey, mut input, mut out, mut sigfile, mut secret, mut peerkey) = (None, None, None, None, None, None);
    let mut pubin = false;
    let mut passin = None;
    let mut ctx = Vec::new();
    let mut deterministic = false;
    let mut opts = Options::default();
    let mut i = 0;
    while i < args.len() {
        let arg = args.get(i).map(String::as_str).unwrap_or_default();
        match arg {
            "-sign" if all => mode = Some(Mode::Sign),
            "-verify" if all => mode = Some(Mode::Verify),
            "-encrypt" if all => mode = Some(Mode::Encrypt),
            "-decrypt" if all => mode = Some(Mode::Decrypt),
            "-derive" if all => mode = Some(Mode::Derive),
            "-encap" => mode = Some(Mode::Encap),
            "-decap" => mode = Some(Mode::Decap),
            "-inkey" => inkey = Some(value(args, &mut i, arg)?),
            "-peerkey" => peerkey = Some(value(args, &mut i, arg)?),
            "-in" => input = Some(value(args, &mut i, arg)?),
            "-out" => out = Some(value(args, &mut i, arg)?),
            "-sigfile" => sigfile = Some(value(args, &mut i, arg)?),
            "-secret" => secret = Some(value(args, &mut i, arg)?),
            "-pubin" => pubin = true,
            "-rawin" => opts.rawin = true,
            "-digest" => opts.digest = Some(hash_named(value(args, &mut i, arg)?)?),
            "-passin" => passin = Some(keyio::password(value(args, &mut i, arg)?)?),
            // Key formats are detected (PEM or DER).
            "-keyform" | "-peerform" => {
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
                } else if opt != "message-encoding:1" && !opts.pkeyopt(opt)? {
                    return Err(CliError::usage(std::format!("unsupported -pkeyopt '{opt}'")));
                }
            }
            _ => return Err(CliError::usage(std::format!("unknown option '{arg}'"))),
        }
        i += 1;
    }
    let usage = if all {
        "one of -sign, -verify, -encrypt, -decrypt, -derive, -encap, -decap"
    } else {
        "one of -encap, -decap"
    };
    let mode = mode.ok_or_else(|| CliError::usage(std::format!("needs {usage}")))?;
    let inkey = inkey.ok_or_else(|| CliError::usage("needs -inkey FILE"))?;
    let pass = passin.as_ref().map(|p| p.as_slice());
    let private = |io: &mut Io<'_>, what: &str| -> Result<PrivateKey, CliError> {
        if pubin {
            return Err(CliError::usage(std::format!("{what} needs a private key")));
        }
        keyio::read_private(Some(inkey), pass, io)
    };
    let public = |io: &mut Io<'_>| -> Result<PublicKey, CliError> {
        if pubin {
            keyio::read_public(Some(inkey), io)
        } else {
            Ok(keyio::read_private(Some(inkey), pass, io)?.public_key())
        }
    };
    match mode {
        Mode::Sign => {
            let key = private(io, "-sign")?;
            let msg = read_input(input, io)?;
            let mut rng = HmacDrbg::from_os()?;
            let algorithm = key.algorithm();
            let sig = if uses_scheme(algorithm) {
                match opts.signature_scheme(algorithm, key.pss_restrictions(), msg.len())? {
                    (scheme, true) => key.sign_digest(scheme, &msg, &mut rng)?,
                    (scheme, false) => key.sign_with(scheme, &msg, &mut rng)?,
                }
            } else if deterministic {
                key.sign::<HmacDrbg>(&msg, &ctx, None)?
            } else {
                key.sign(&msg, &ctx, Some(&mut rng))?
            };
            keyio::write_output(out, &sig, io)?;
            Ok(0)
        }
        Mode::Verify => {
            let key = public(io)?;
            let sigfile = sigfile.ok_or_else(|| CliError::usage("-verify needs -sigfile FILE"))?;
            let sig = read_input(Some(sigfile), io)?;
            let msg = read_input(input, io)?;
            let algorithm = key.algorithm();
            let verdict = if uses_scheme(algorithm) {
                match opts.signature_scheme(algorithm, key.pss_restrictions(), msg.len())? {
                    (scheme, true) => key.verify_digest(scheme, &msg, &sig),
                    (scheme, false) => key.verify_with(scheme, &msg, &sig),
                }
            } else {
                key.verify(&msg, &ctx, &sig)
            };
            match verdict {
                Ok(()) => {
                    io.stdout.write_all(b"Signature Verified Successfully\n").map_err(CliError::io("stdout"))?;
                    Ok(0)
                }
                Err(
                    crate::Error::VerificationFailed
                    | crate::Error::InvalidLength { .. }
                    | crate::Error::Malformed { .. },
                ) => {
                    io.stdout.write_all(b"Signature Verification Failure\n").map_err(CliError::io("stdout"))?;
                    Ok(1)
                }
                Err(e) => Err(e.into()),
            }
        }
        Mode::Encrypt => {
            let key = public(io)?;
            let msg = Zeroizing::new(read_input(input, io)?);
            let ct = key.encrypt(opts.encryption_scheme(), &msg, &mut HmacDrbg::from_os()?)?;
            keyio::write_output(out, &ct, io)?;
            Ok(0)
        }
        Mode::Decrypt => {
            let key = private(io, "-decrypt")?;
            let ct = read_input(input, io)?;
            let msg = key.decrypt(opts.encryption_scheme(), &ct, &mut HmacDrbg::from_os()?)?;
            keyio::write_output(out, &msg, io)?;
            Ok(0)
        }
        Mode::Derive => {
            let key = private(io, "-derive")?;
            let peerkey = peerkey.ok_or_else(|| CliError::usage("-derive needs -peerkey FILE"))?;
            let peer = match keyio::read_public(Some(peerkey), io) {
                Ok(peer) => peer,
                // OpenSSL also takes the peer's private key file.
                Err(public_error) => {
                    keyio::read_private(Some(peerkey), None, io).map_err(|_| public_error)?.public_key()
                }
            };
            let shared = key.derive(&peer)?;
            keyio::write_output(out, &shared, io)?;
            Ok(0)
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
            let key = private(io, "-decap")?;
            let ct = read_input(input, io)?;
            let ss = key.decapsulate(&ct)?;
            let ss = Zeroizing::new(ss.as_bytes().to_vec());
            keyio::write_output(secret, &ss, io)?;
            Ok(0)
        }
    }
}
