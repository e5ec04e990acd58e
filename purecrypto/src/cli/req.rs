//! `purecrypto req`: PKCS #10 requests and self-signed certificates, with
//! `openssl req`'s options and output.
//!
//! Entry point: [`run`].
//!
//! - The key: `-key FILE [-passin P]`, or a new one with `-newkey rsa[:BITS]
//!   | ec | ed25519 | ed448` (`-pkeyopt ec_paramgen_curve:C`,
//!   `rsa_keygen_bits:N`) written to `-keyout FILE` (openssl's default
//!   `privkey.pem`), unencrypted with `-nodes` / `-noenc`, else PKCS #8
//!   with AES-256-CBC under `-passout P` (there is no pass phrase prompt).
//! - The request: `-new -subj /CN=..` (or `-in FILE [-inform DER]`), with
//!   `-addext NAME=VALUE` extensions (`x509v3_config` syntax, the names
//!   `ca` knows) in its extensionRequest.
//! - `-x509`: a self-signed certificate instead, as OpenSSL 3.0's default
//!   configuration makes it: a random 159-bit serial (or `-set_serial`),
//!   `-days N` (30) from now, subjectKeyIdentifier, authorityKeyIdentifier
//!   and a critical `CA:TRUE`, then the `-addext` ones (an `-addext` of
//!   one of those names replaces it). With `-in`, the request's subject
//!   and key are certified, signed by `-key`.
//! - Output: `-text` (as `openssl req -text` / `x509 -text`), `-subject`,
//!   `-pubkey`, `-verify`, then the PEM (`-outform DER`) unless `-noout`,
//!   to `-out FILE` or standard output.

use std::format;
use std::string::String;
use std::vec::Vec;

use super::ca::extensions::{KeyContext, OwnedExtension, from_section};
use super::keyio::{self, Format};
use super::ocsp::parse_serial;
use super::x509::{now, one_der};
use super::{CliError, Io, read_input, value};
use crate::asn1::pem;
use crate::pkey::{Algorithm, EcCurve, LegacyCipher, PrivateKey, PrivateKeyForm};
use crate::rng::HmacDrbg;
use crate::x509::{Certificate, CertificateBuilder, CertificateRequest, Extension, SigningKey};

/// The extensions OpenSSL 3.0's `v3_ca` section gives `req -x509`.
const X509_DEFAULT_EXTENSIONS: [(&str, &str); 3] = [
    ("subjectKeyIdentifier", "hash"),
    ("authorityKeyIdentifier", "keyid:always"),
    ("basicConstraints", "critical,CA:true"),
];

/// Where `-newkey` writes without `-keyout` (openssl's `default_keyfile`).
const DEFAULT_KEYFILE: &str = "privkey.pem";

#[derive(Debug, Default)]
struct Options<'a> {
    new: bool,
    x509: bool,
    verify: bool,
    noout: bool,
    text: bool,
    subject: bool,
    pubkey: bool,
    nodes: bool,
    der_in: bool,
    der_out: bool,
    key: Option<&'a str>,
    passin: Option<&'a str>,
    passout: Option<&'a str>,
    newkey: Option<&'a str>,
    pkeyopts: Vec<&'a str>,
    keyout: Option<&'a str>,
    subj: Option<&'a str>,
    input: Option<&'a str>,
    output: Option<&'a str>,
    days: Option<&'a str>,
    serial: Option<&'a str>,
    addext: Vec<&'a str>,
    digest: Option<&'a str>,
}

fn parse(args: &[String]) -> Result<Options<'_>, CliError> {
    let mut o = Options::default();
    let mut i = 0;
    while i < args.len() {
        let arg = args.get(i).map(String::as_str).unwrap_or_default();
        match arg {
            "-new" => o.new = true,
            "-x509" => o.x509 = true,
            "-verify" => o.verify = true,
            "-noout" => o.noout = true,
            "-text" => o.text = true,
            "-subject" => o.subject = true,
            "-pubkey" => o.pubkey = true,
            "-nodes" | "-noenc" => o.nodes = true,
            // Each key signs with its own hash: these only confirm it.
            "-sha256" | "-sha384" | "-sha512" => o.digest = arg.strip_prefix('-'),
            "-key" => o.key = Some(value(args, &mut i, arg)?),
            "-passin" => o.passin = Some(value(args, &mut i, arg)?),
            "-passout" => o.passout = Some(value(args, &mut i, arg)?),
            "-newkey" => o.newkey = Some(value(args, &mut i, arg)?),
            "-pkeyopt" => o.pkeyopts.push(value(args, &mut i, arg)?),
            "-keyout" => o.keyout = Some(value(args, &mut i, arg)?),
            "-subj" => o.subj = Some(value(args, &mut i, arg)?),
            "-in" => o.input = Some(value(args, &mut i, arg)?),
            "-out" => o.output = Some(value(args, &mut i, arg)?),
            "-inform" => o.der_in = Format::parse(value(args, &mut i, arg)?)? == Format::Der,
            "-outform" => o.der_out = Format::parse(value(args, &mut i, arg)?)? == Format::Der,
            "-days" => o.days = Some(value(args, &mut i, arg)?),
            "-set_serial" => o.serial = Some(value(args, &mut i, arg)?),
            "-addext" => o.addext.push(value(args, &mut i, arg)?),
            other => return Err(CliError::usage(format!("req: unknown option {other}"))),
        }
        i += 1;
    }
    Ok(o)
}

/// `-newkey SPEC` with its `-pkeyopt`s.
fn new_key(spec: &str, pkeyopts: &[&str]) -> Result<PrivateKey, CliError> {
    let (name, bits) = match spec.split_once(':') {
        Some((name, bits)) => (name, Some(bits)),
        None => (spec, None),
    };
    let mut bits = bits.map(|b| b.parse::<usize>().map_err(|_| CliError::usage(format!("req: -newkey {spec}"))));
    let mut curve = None;
    for opt in pkeyopts {
        if let Some(c) = opt.strip_prefix("ec_paramgen_curve:").or_else(|| opt.strip_prefix("group:")) {
            curve = Some(EcCurve::from_name(c).ok_or_else(|| CliError::usage(format!("req: unsupported curve {c}")))?);
        } else if let Some(b) = opt.strip_prefix("rsa_keygen_bits:") {
            bits = Some(b.parse().map_err(|_| CliError::usage("req: rsa_keygen_bits needs a number")));
        } else {
            return Err(CliError::usage(format!("req: unsupported -pkeyopt {opt}")));
        }
    }
    let algorithm = match Algorithm::from_name(name) {
        Some(Algorithm::Ec(default)) => Algorithm::Ec(curve.unwrap_or(default)),
        Some(a @ (Algorithm::Rsa | Algorithm::Ed25519 | Algorithm::Ed448)) => a,
        _ => return Err(CliError::usage(format!("req: -newkey {name}: use rsa[:BITS], ec, ed25519 or ed448"))),
    };
    let mut rng = HmacDrbg::from_os()?;
    Ok(match algorithm {
        Algorithm::Rsa => PrivateKey::generate_rsa(bits.transpose()?.unwrap_or(2048), false, &mut rng)?,
        other => PrivateKey::generate(other, &mut rng)?,
    })
}

/// The signing key: `-key`, or a fresh `-newkey` saved to `-keyout`.
fn signing_key(o: &Options<'_>, io: &mut Io<'_>) -> Result<Option<SigningKey>, CliError> {
    let key = match (o.newkey, o.key) {
        (Some(spec), _) => {
            if !o.nodes && o.passout.is_none() {
                return Err(CliError::usage("req: -newkey needs -nodes (or -noenc) or -passout: there is no prompt"));
            }
            let key = new_key(spec, &o.pkeyopts)?;
            let pass = o.passout.map(keyio::password).transpose()?;
            let encryption = pass.as_ref().filter(|_| !o.nodes).map(|p| (p.as_slice(), LegacyCipher::Aes256Cbc));
            let pem = keyio::encode_private(&key, Format::Pem, PrivateKeyForm::Default, encryption)?;
            let path = o.keyout.unwrap_or(DEFAULT_KEYFILE);
            let _ = io.stderr.write_all(format!("Writing a new private key to '{path}'\n-----\n").as_bytes());
            keyio::write_output(Some(path), &pem, io)?;
            key
        }
        (None, Some(path)) => {
            let pass = o.passin.map(keyio::password).transpose()?;
            keyio::read_private(Some(path), pass.as_ref().map(|p| p.as_slice()), io)?
        }
        (None, None) => return Ok(None),
    };
    let der = key.to_pkcs8_der(PrivateKeyForm::Default)?;
    let signer = SigningKey::from_pkcs8_der(&der)?;
    super::ca::check_md(o.digest.unwrap_or("default"), &signer)?;
    Ok(Some(signer))
}

/// `-addext NAME=VALUE` as `(name, value)`.
fn addext_pairs<'a>(addext: &[&'a str]) -> Result<Vec<(&'a str, &'a str)>, CliError> {
    addext
        .iter()
        .map(|e| {
            e.split_once('=')
                .map(|(k, v)| (k.trim(), v.trim()))
                .ok_or_else(|| CliError::usage(format!("req: -addext {e}: expected NAME=VALUE")))
        })
        .collect()
}

/// A self-signed (or `-key`-signed) certificate for `subject` and `spki`.
fn certificate(
    o: &Options<'_>,
    subject: &[u8],
    spki: &[u8],
    signer: &SigningKey,
    added: &[(&str, &str)],
) -> Result<Vec<u8>, CliError> {
    let days: i64 = o.days.map_or(Ok(30), str::parse).map_err(|_| CliError::usage("req: -days needs a number"))?;
    let mut rng = HmacDrbg::from_os()?;
    let serial = match o.serial {
        Some(text) => parse_serial(text)?,
        None => {
            // 20 random bytes, positive: OpenSSL's 159-bit serials.
            let mut s = std::vec![0u8; 20];
            crate::rng::RngCore::fill_bytes(&mut rng, &mut s);
            if let Some(top) = s.first_mut() {
                *top &= 0x7f;
            }
            s
        }
    };
    let mut section: Vec<(&str, &str)> =
        X509_DEFAULT_EXTENSIONS.iter().filter(|(name, _)| !added.iter().any(|(a, _)| a == name)).copied().collect();
    section.extend_from_slice(added);
    let issuer_spki = signer.spki_der();
    let keys = KeyContext { subject_spki: spki, issuer_spki: &issuer_spki, issuer_key_id: None };
    let start = now();
    let mut builder = CertificateBuilder::new(subject, spki, start, start.saturating_add(days.saturating_mul(86_400)))
        .serial(&serial)
        .issuer(subject);
    for e in from_section(&section, &keys)? {
        builder = builder.extension(e.oid, e.critical, e.value);
    }
    Ok(builder.sign(signer, &mut rng)?)
}

/// A request for `subject` asking for `extensions`, signed by `signer`.
fn request(subject: &[u8], extensions: &[OwnedExtension], signer: &SigningKey) -> Result<Vec<u8>, CliError> {
    let list: Vec<Extension<'_>> =
        extensions.iter().map(|e| Extension { oid: e.oid, critical: e.critical, value: &e.value }).collect();
    let mut rng = HmacDrbg::from_os()?;
    Ok(crate::x509::csr::build_request(subject, &list, signer, &mut rng)?)
}

/// `purecrypto req`.
pub(super) fn run(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    let o = parse(args)?;
    let signer = signing_key(&o, io)?;
    let added = addext_pairs(&o.addext)?;
    let existing = match o.input {
        Some(_) => {
            let bytes = read_input(o.input, io)?;
            Some(if o.der_in { bytes } else { one_der(&bytes, "CERTIFICATE REQUEST")? })
        }
        None if o.new || o.newkey.is_some() || o.x509 => None,
        None => Some(one_der(&read_input(None, io)?, "CERTIFICATE REQUEST")?),
    };
    let new_subject = match (&existing, o.subj) {
        (Some(_), _) => None,
        (None, Some(subj)) => {
            let pairs = crate::x509::name::parse_slash_subject(subj)?;
            let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            Some(crate::x509::name::encode_name(&refs)?)
        }
        (None, None) => return Err(CliError::usage("req: a new request needs -subj (there is no prompt)")),
    };
    let no_key = || CliError::usage("req: signing needs -key or -newkey");
    let (der, label) = match (&existing, &new_subject, o.x509) {
        (Some(csr), _, true) => {
            let req = CertificateRequest::from_der(csr)?;
            (certificate(&o, req.subject.der, req.spki, signer.as_ref().ok_or_else(no_key)?, &added)?, "CERTIFICATE")
        }
        (None, Some(subject), true) => {
            let signer = signer.as_ref().ok_or_else(no_key)?;
            (certificate(&o, subject, &signer.spki_der(), signer, &added)?, "CERTIFICATE")
        }
        (None, Some(subject), false) => {
            let signer = signer.as_ref().ok_or_else(no_key)?;
            let spki = signer.spki_der();
            let keys = KeyContext { subject_spki: &spki, issuer_spki: &spki, issuer_key_id: None };
            (request(subject, &from_section(&added, &keys)?, signer)?, "CERTIFICATE REQUEST")
        }
        (Some(csr), _, false) => (csr.clone(), "CERTIFICATE REQUEST"),
        (None, None, _) => return Err(no_key()),
    };
    print(&o, &der, label, io)
}

/// `-verify`, `-text`, `-subject`, `-pubkey` and the output itself.
fn print(o: &Options<'_>, der: &[u8], label: &str, io: &mut Io<'_>) -> Result<i32, CliError> {
    let mut code = 0;
    let mut out = String::new();
    let spki = if label == "CERTIFICATE" {
        let cert = Certificate::from_der(der)?;
        if o.text {
            out.push_str(&crate::x509::text::to_text(&cert));
        }
        if o.subject {
            out.push_str(&format!("subject={}\n", cert.subject));
        }
        cert.spki.to_vec()
    } else {
        let req = CertificateRequest::from_der(der)?;
        if o.verify {
            let ok = req.verify().is_ok();
            let verdict = if ok { "verify OK" } else { "verify failure" };
            let _ = io.stderr.write_all(format!("Certificate request self-signature {verdict}\n").as_bytes());
            code = i32::from(!ok);
        }
        if o.text {
            out.push_str(&crate::x509::text::request_to_text(&req));
        }
        if o.subject {
            out.push_str(&format!("subject={}\n", req.subject));
        }
        req.spki.to_vec()
    };
    if o.pubkey {
        out.push_str(&pem::encode("PUBLIC KEY", &spki));
    }
    let mut bytes = out.into_bytes();
    if !o.noout {
        if o.der_out {
            bytes.extend_from_slice(der);
        } else {
            bytes.extend_from_slice(pem::encode(label, der).as_bytes());
        }
    }
    keyio::write_output(o.output, &bytes, io)?;
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addext_needs_a_name_and_a_value() {
        assert_eq!(
            addext_pairs(&["subjectAltName = DNS:a", "keyUsage=critical,digitalSignature"]).unwrap(),
            [("subjectAltName", "DNS:a"), ("keyUsage", "critical,digitalSignature")]
        );
        assert!(addext_pairs(&["subjectAltName"]).is_err());
    }

    #[test]
    fn newkey_specs() {
        assert!(new_key("x25519", &[]).is_err());
        assert!(new_key("ec", &["ec_paramgen_curve:nope"]).is_err());
        assert!(new_key("ec", &["unknown:1"]).is_err());
        assert!(new_key("rsa:abc", &[]).is_err());
        assert!(matches!(new_key("ec", &["ec_paramgen_curve:P-384"]).unwrap(), PrivateKey::Ec(_)));
        assert!(matches!(new_key("ed25519", &[]).unwrap(), PrivateKey::Ed25519(_)));
    }
}
