//! `purecrypto pkey -in FILE [-pubin] [-pubout] [-passin P] [-passout P]
//! [-inform PEM|DER] [-outform PEM|DER] [-out FILE] [-text] [-noout]
//! [-traditional] [-aes128|-aes192|-aes256|-des3] [-provparam
//! ml-kem.output_formats=F]`: reads a key (PEM or DER; encrypted PKCS #8,
//! PKCS #1 and SEC1 too, also with legacy PEM encryption) and writes it
//! again, or its public key, like `openssl pkey`. `-traditional` writes
//! RSA keys as PKCS #1 and EC keys as SEC1 (other types as PKCS #8). A
//! cipher option with `-passout` encrypts the output: PBES2 for PKCS #8,
//! OpenSSL's legacy PEM encryption for `-traditional`; `-passout` without
//! a cipher is ignored with openssl's warning.
//!
//! Entry point: [`run`].

use std::string::String;

use super::keyio::{self, Format};
use super::{CliError, Io, value};
use crate::pkey::PrivateKeyForm;

/// `pkey ...`.
pub(super) fn run(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    let mut input = None;
    let mut out = None;
    let mut format = Format::Pem;
    let mut form = PrivateKeyForm::Default;
    let (mut pubin, mut pubout, mut text, mut noout, mut traditional) = (false, false, false, false, false);
    let (mut passin, mut passout) = (None, None);
    let mut cipher = None;
    let mut i = 0;
    while i < args.len() {
        let arg = args.get(i).map(String::as_str).unwrap_or_default();
        match arg {
            "-in" => input = Some(value(args, &mut i, arg)?),
            "-out" => out = Some(value(args, &mut i, arg)?),
            // Input format is detected (PEM or DER).
            "-inform" => {
                Format::parse(value(args, &mut i, arg)?)?;
            }
            "-outform" => format = Format::parse(value(args, &mut i, arg)?)?,
            "-pubin" => pubin = true,
            "-pubout" => pubout = true,
            "-text" => text = true,
            "-noout" => noout = true,
            "-traditional" => traditional = true,
            "-passin" => passin = Some(keyio::password(value(args, &mut i, arg)?)?),
            "-passout" => passout = Some(keyio::password(value(args, &mut i, arg)?)?),
            "-provparam" => form = keyio::form_from_provparam(value(args, &mut i, arg)?)?,
            _ if keyio::cipher_option(arg).is_some() => cipher = keyio::cipher_option(arg),
            _ => return Err(CliError::usage(std::format!("unknown option '{arg}'"))),
        }
        i += 1;
    }
    // Zeroized: it may hold the private key.
    let mut output = zeroize::Zeroizing::new(std::vec::Vec::new());
    if pubin {
        let public = keyio::read_public(input, io)?;
        if !noout {
            output.extend_from_slice(&keyio::encode_public(&public, format));
        }
        if text {
            output.extend_from_slice(keyio::public_text(&public).as_bytes());
        }
    } else {
        let key = keyio::read_private(input, passin.as_ref().map(|p| p.as_slice()), io)?;
        if cipher.is_some() && passout.is_none() && !pubout {
            return Err(CliError::usage("a cipher option needs -passout (there is no pass phrase prompt)"));
        }
        if passout.is_some() && cipher.is_none() {
            let _ = writeln!(io.stderr, "Warning: The -passout option is ignored without a cipher option");
        }
        let encryption = passout.as_ref().map(|p| p.as_slice()).zip(cipher);
        if !noout {
            if pubout {
                output.extend_from_slice(&keyio::encode_public(&key.public_key(), format));
            } else if traditional {
                output.extend_from_slice(&keyio::encode_traditional(&key, format, encryption)?);
            } else {
                output.extend_from_slice(&keyio::encode_private(&key, format, form, encryption)?);
            }
        }
        if text && pubout {
            output.extend_from_slice(keyio::public_text(&key.public_key()).as_bytes());
        } else if text {
            output.extend_from_slice(keyio::private_text(&key).as_bytes());
        }
    }
    keyio::write_output(out, &output, io)?;
    Ok(0)
}
