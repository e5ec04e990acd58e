//! Key files for the key commands (`genpkey`, `pkey`, `pkeyutl`, `kem`):
//! reading a private or public key in PEM or DER (encrypted PKCS #8
//! too), OpenSSL's `-pass` / `-passin` syntax, the output-format options,
//! and writing a result to a file or standard output.
//!
//! Entry points: [`read_private`], [`read_public`], [`password`],
//! [`cipher_option`], [`Format`], [`form_from_provparam`],
//! [`write_output`].

use std::string::{String, ToString};
use std::vec::Vec;

use zeroize::Zeroizing;

use super::{CliError, Io, read_input};
use crate::pkcs5::{Cipher, EncryptOptions};
use crate::pkey::{LegacyCipher, PrivateKey, PrivateKeyForm, PublicKey};

/// `-inform` / `-outform`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Pem,
    Der,
}

impl Format {
    pub(super) fn parse(text: &str) -> Result<Self, CliError> {
        match text.to_ascii_uppercase().as_str() {
            "PEM" => Ok(Self::Pem),
            "DER" => Ok(Self::Der),
            _ => Err(CliError::usage(std::format!("unknown format '{text}' (PEM or DER)"))),
        }
    }
}

/// A password argument in OpenSSL's syntax: `pass:TEXT`, `env:VAR`,
/// `file:PATH` (first line).
pub(super) fn password(spec: &str) -> Result<Zeroizing<Vec<u8>>, CliError> {
    if let Some(text) = spec.strip_prefix("pass:") {
        Ok(Zeroizing::new(text.as_bytes().to_vec()))
    } else if let Some(var) = spec.strip_prefix("env:") {
        std::env::var(var)
            .map(|v| Zeroizing::new(v.into_bytes()))
            .map_err(|_| CliError::usage(std::format!("environment variable {var} is not set")))
    } else if let Some(path) = spec.strip_prefix("file:") {
        let text = Zeroizing::new(std::fs::read(path).map_err(CliError::io(path.to_string()))?);
        let line = text.split(|&b| b == b'\n').next().unwrap_or_default();
        Ok(Zeroizing::new(line.strip_suffix(b"\r").unwrap_or(line).to_vec()))
    } else {
        Err(CliError::usage(std::format!("unsupported password source '{spec}' (pass:, env:, file:)")))
    }
}

/// The private-key form chosen by `-provparam ml-kem.output_formats=F` or
/// `ml-dsa.output_formats=F` (OpenSSL's names: `seed-only`, `priv-only`,
/// `seed-priv`; the first of a comma- or colon-separated list is taken).
pub(super) fn form_from_provparam(param: &str) -> Result<PrivateKeyForm, CliError> {
    let value = param
        .strip_prefix("ml-kem.output_formats=")
        .or_else(|| param.strip_prefix("ml-dsa.output_formats="))
        .ok_or_else(|| CliError::usage(std::format!("unsupported -provparam '{param}'")))?;
    let first = value.split([',', ':']).next().unwrap_or_default();
    PrivateKeyForm::from_name(first).ok_or_else(|| {
        CliError::usage(std::format!("unsupported output format '{first}' (seed-only, priv-only, seed-priv)"))
    })
}

/// Reads a private key (PEM or DER: PKCS #8 plain or encrypted, PKCS #1
/// RSA, SEC1 EC) from `path`.
pub(super) fn read_private(path: Option<&str>, pass: Option<&[u8]>, io: &mut Io<'_>) -> Result<PrivateKey, CliError> {
    let data = Zeroizing::new(read_input(path, io)?);
    Ok(PrivateKey::read(&data, pass)?)
}

/// Reads a public key (SPKI or PKCS #1 RSA, PEM or DER) from `path`.
pub(super) fn read_public(path: Option<&str>, io: &mut Io<'_>) -> Result<PublicKey, CliError> {
    let data = read_input(path, io)?;
    Ok(PublicKey::read(&data)?)
}

/// Writes `data` to `path`, or standard output for `None` / `-`.
pub(super) fn write_output(path: Option<&str>, data: &[u8], io: &mut Io<'_>) -> Result<(), CliError> {
    match path {
        None | Some("-") => io.stdout.write_all(data).map_err(CliError::io("stdout")),
        Some(p) => std::fs::write(p, data).map_err(CliError::io(p.to_string())),
    }
}

/// The traditional encoding (`-traditional`: PKCS #1 RSA, SEC1 EC) in
/// The cipher an `openssl` cipher option names (`-aes256`, `-aes-128-cbc`,
/// `-des3`...), or `None` when `arg` is not one.
pub(super) fn cipher_option(arg: &str) -> Option<LegacyCipher> {
    match arg.strip_prefix('-')? {
        "aes128" => Some(LegacyCipher::Aes128Cbc),
        "aes192" => Some(LegacyCipher::Aes192Cbc),
        "aes256" => Some(LegacyCipher::Aes256Cbc),
        "des3" => Some(LegacyCipher::DesEde3Cbc),
        name => LegacyCipher::from_name(name),
    }
}

/// A password and the cipher to encrypt a private key file with.
pub(super) type Encryption<'a> = Option<(&'a [u8], LegacyCipher)>;

/// The traditional (PKCS #1 / SEC1) encoding of `key` in `format`, with
/// legacy PEM encryption when `encryption` is given; keys without a
/// traditional form, and encrypted DER, are written as PKCS #8 (OpenSSL
/// does the same).
pub(super) fn encode_traditional(
    key: &PrivateKey,
    format: Format,
    encryption: Encryption<'_>,
) -> Result<Zeroizing<Vec<u8>>, CliError> {
    let Ok((der, label)) = key.to_traditional_der() else {
        return encode_private(key, format, PrivateKeyForm::Default, encryption);
    };
    Ok(match (format, encryption) {
        (Format::Der, None) => der,
        (Format::Pem, None) => Zeroizing::new(crate::asn1::pem::encode(label, &der).into_bytes()),
        (Format::Der, Some(_)) => return encode_private(key, format, PrivateKeyForm::Default, encryption),
        (Format::Pem, Some((pass, cipher))) => {
            let mut rng = crate::rng::HmacDrbg::from_os()?;
            Zeroizing::new(key.to_traditional_encrypted_pem(cipher, pass, &mut rng)?.into_bytes())
        }
    })
}

/// The private key in `format` and `form` as PKCS #8, encrypted with
/// PBES2 (PBKDF2-HMAC-SHA256) and the chosen cipher when `encryption` is
/// given.
pub(super) fn encode_private(
    key: &PrivateKey,
    format: Format,
    form: PrivateKeyForm,
    encryption: Encryption<'_>,
) -> Result<Zeroizing<Vec<u8>>, CliError> {
    let der = key.to_pkcs8_der(form)?;
    let Some((pass, cipher)) = encryption else {
        return Ok(match format {
            Format::Der => der,
            Format::Pem => Zeroizing::new(crate::asn1::pem::encode(crate::pkcs8::PEM_LABEL, &der).into_bytes()),
        });
    };
    let cipher = match cipher {
        LegacyCipher::Aes128Cbc => Cipher::Aes128Cbc,
        LegacyCipher::Aes192Cbc => Cipher::Aes192Cbc,
        LegacyCipher::Aes256Cbc => Cipher::Aes256Cbc,
        _ => {
            return Err(CliError::usage(
                "PKCS #8 encryption supports the AES ciphers only (-aes128, -aes192, -aes256)",
            ));
        }
    };
    let options = EncryptOptions { cipher, ..EncryptOptions::DEFAULT };
    let mut rng = crate::rng::HmacDrbg::from_os()?;
    Ok(Zeroizing::new(match format {
        Format::Der => crate::pkcs8::encrypt(&der, pass, &options, &mut rng)?,
        Format::Pem => crate::pkcs8::encrypt_pem(&der, pass, &options, &mut rng)?.into_bytes(),
    }))
}

/// The public key in `format`.
pub(super) fn encode_public(key: &PublicKey, format: Format) -> Vec<u8> {
    match format {
        Format::Der => key.to_spki_der(),
        Format::Pem => key.to_spki_pem().into_bytes(),
    }
}

/// `-text` of a private key: OpenSSL 3.0's layout for the classical
/// keys, [`text`] of its public key for the post-quantum ones.
pub(super) fn private_text(key: &PrivateKey) -> Zeroizing<String> {
    crate::pkey::private_text(key).unwrap_or_else(|| Zeroizing::new(text(&key.public_key(), true)))
}

/// `-text` of a public key: OpenSSL 3.0's layout for the classical keys,
/// [`text`] for the post-quantum ones.
pub(super) fn public_text(key: &PublicKey) -> String {
    crate::pkey::public_text(key).unwrap_or_else(|| text(key, false))
}

/// `-text` for a post-quantum key: the key type and the public key in
/// OpenSSL's colon-hex layout (15 bytes a line).
pub(super) fn text(public: &PublicKey, private: bool) -> String {
    let mut out = String::new();
    let kind = if private { "Private" } else { "Public" };
    out.push_str(&std::format!("{} {kind}-Key:\npub:\n", public.algorithm().name()));
    for chunk in public.as_bytes().chunks(15) {
        let line: Vec<String> = chunk.iter().map(|b| std::format!("{b:02x}")).collect();
        out.push_str("    ");
        out.push_str(&line.join(":"));
        out.push_str(":\n");
    }
    out
}
