//! `purecrypto pkcs12`, like `openssl pkcs12`:
//!
//! ```text
//! pkcs12 -export -in CERT.pem [-inkey KEY] [-certfile CHAIN.pem] -out FILE.p12 -passout P [-passin P] [-name NAME] [-nocerts]
//! pkcs12 -in FILE.p12 -passin P [-nokeys] [-nocerts] [-nodes | -passout P] [-info] [-out FILE]
//! ```
//!
//! Entry point: [`run`]. Export writes OpenSSL 3's default PFX (PBES2 with
//! AES-256-CBC for keys and certificates, HMAC-SHA-256 MAC); the key
//! comes from `-inkey` or, failing that, from the `-in` file. Parsing
//! prints each key and certificate as PEM with its `Bag Attributes`
//! header, keys encrypted under `-passout` unless `-nodes`; `-info`
//! writes a summary to standard error.

use std::string::String;
use std::vec::Vec;

use zeroize::Zeroizing;

use super::keyio;
use super::{CliError, Io, read_input, value};
use crate::asn1::pem;
use crate::pkcs5::{EncryptOptions, Limits};
use crate::pkcs12::{self, CertEntry, KeyEntry, WriteOptions};
use crate::pkey::{PrivateKey, PrivateKeyForm};
use crate::rng::HmacDrbg;

#[derive(Default)]
struct Args<'a> {
    export: bool,
    input: Option<&'a str>,
    inkey: Option<&'a str>,
    certfile: Option<&'a str>,
    out: Option<&'a str>,
    name: Option<&'a str>,
    passin: Option<Zeroizing<Vec<u8>>>,
    passout: Option<Zeroizing<Vec<u8>>>,
    nokeys: bool,
    nocerts: bool,
    nodes: bool,
    info: bool,
}

fn parse(args: &[String]) -> Result<Args<'_>, CliError> {
    let mut a = Args::default();
    let mut i = 0;
    while i < args.len() {
        let arg = args.get(i).map(String::as_str).unwrap_or_default();
        match arg {
            "-export" => a.export = true,
            "-in" => a.input = Some(value(args, &mut i, arg)?),
            "-inkey" => a.inkey = Some(value(args, &mut i, arg)?),
            "-certfile" => a.certfile = Some(value(args, &mut i, arg)?),
            "-out" => a.out = Some(value(args, &mut i, arg)?),
            "-name" => a.name = Some(value(args, &mut i, arg)?),
            "-passin" => a.passin = Some(keyio::password(value(args, &mut i, arg)?)?),
            "-passout" => a.passout = Some(keyio::password(value(args, &mut i, arg)?)?),
            "-nokeys" => a.nokeys = true,
            "-nocerts" => a.nocerts = true,
            "-nodes" | "-noenc" => a.nodes = true,
            "-info" => a.info = true,
            // OpenSSL 3's defaults already.
            "-aes256" | "-aes-256-cbc" => {}
            _ => return Err(CliError::usage(std::format!("unknown option '{arg}'"))),
        }
        i += 1;
    }
    Ok(a)
}

/// Every `CERTIFICATE` block of a PEM file, as DER.
fn certificates(data: &[u8]) -> Result<Vec<Vec<u8>>, CliError> {
    let mut out = Vec::new();
    for block in pem::blocks(data) {
        let block = block?;
        if block.label == "CERTIFICATE" {
            out.push(block.contents.to_vec());
        }
    }
    Ok(out)
}

/// The first private-key block of a PEM file (any label `pkey` reads).
fn key_in(data: &[u8], pass: Option<&[u8]>) -> Result<Option<PrivateKey>, CliError> {
    for block in pem::blocks(data) {
        let block = block?;
        if block.label.ends_with("PRIVATE KEY") {
            let text = pem::encode(block.label, &block.contents);
            return Ok(Some(PrivateKey::read(text.as_bytes(), pass)?));
        }
    }
    Ok(None)
}

fn export(a: &Args<'_>, io: &mut Io<'_>) -> Result<i32, CliError> {
    let pass = a.passin.as_ref().map(|p| p.as_slice());
    let input = Zeroizing::new(read_input(a.input, io)?);
    let key = match a.inkey {
        Some(path) => Some(keyio::read_private(Some(path), pass, io)?),
        None => key_in(&input, pass)?,
    };
    let mut certs = if a.nocerts { Vec::new() } else { certificates(&input)? };
    if let Some(chain) = a.certfile {
        certs.extend(certificates(&read_input(Some(chain), io)?)?);
    }
    if key.is_none() && certs.is_empty() {
        return Err(CliError::usage("nothing to export: no private key and no certificate"));
    }
    let password = a.passout.as_ref().map_or(&[][..], |p| p.as_slice());
    let mut rng = HmacDrbg::from_os()?;
    let options = WriteOptions::DEFAULT;
    let der = match (&key, certs.first()) {
        (Some(key), Some(cert)) => {
            let info = key.to_pkcs8_der(PrivateKeyForm::Default)?;
            let chain: Vec<&[u8]> = certs.iter().skip(1).map(Vec::as_slice).collect();
            pkcs12::write_key_and_certificates(&info, cert, &chain, a.name, password, &options, &mut rng)?
        }
        _ => {
            let name = a.name.map(String::from);
            let keys: Vec<KeyEntry> = match &key {
                Some(key) => std::vec![KeyEntry {
                    private_key_info: key.to_pkcs8_der(PrivateKeyForm::Default)?,
                    friendly_name: name.clone(),
                    local_key_id: None,
                }],
                None => Vec::new(),
            };
            let entries: Vec<CertEntry> = certs
                .into_iter()
                .map(|der| CertEntry { der, friendly_name: name.clone(), local_key_id: None })
                .collect();
            pkcs12::write(&keys, &entries, password, &options, &mut rng)?
        }
    };
    keyio::write_output(a.out, &der, io)?;
    Ok(0)
}

/// OpenSSL's `Bag Attributes` header lines.
fn bag_attributes(out: &mut Vec<u8>, friendly_name: Option<&str>, local_key_id: Option<&[u8]>) {
    if friendly_name.is_none() && local_key_id.is_none() {
        out.extend_from_slice(b"Bag Attributes: <No Attributes>\n");
        return;
    }
    out.extend_from_slice(b"Bag Attributes\n");
    if let Some(id) = local_key_id {
        let hex: Vec<String> = id.iter().map(|b| std::format!("{b:02X}")).collect();
        out.extend_from_slice(std::format!("    localKeyID: {} \n", hex.join(" ")).as_bytes());
    }
    if let Some(name) = friendly_name {
        out.extend_from_slice(std::format!("    friendlyName: {name}\n").as_bytes());
    }
}

fn dump(a: &Args<'_>, io: &mut Io<'_>) -> Result<i32, CliError> {
    let data = read_input(a.input, io)?;
    let password = a.passin.as_ref().map_or(&[][..], |p| p.as_slice());
    let pfx = pkcs12::read(&data, password, &Limits::DEFAULT)?;
    if a.info {
        let mac = if pfx.mac_verified { "MAC verified OK" } else { "no MAC" };
        let line = std::format!(
            "{mac}\n{} key(s), {} certificate(s), {} other bag(s)\n",
            pfx.keys.len(),
            pfx.certificates.len(),
            pfx.skipped_bags
        );
        io.stderr.write_all(line.as_bytes()).map_err(CliError::io("stderr"))?;
    }
    let mut out = Zeroizing::new(Vec::new());
    if !a.nocerts {
        for cert in &pfx.certificates {
            bag_attributes(&mut out, cert.friendly_name.as_deref(), cert.local_key_id.as_deref());
            out.extend_from_slice(pem::encode("CERTIFICATE", &cert.der).as_bytes());
        }
    }
    if !a.nokeys {
        for key in &pfx.keys {
            bag_attributes(&mut out, key.friendly_name.as_deref(), key.local_key_id.as_deref());
            out.extend_from_slice(b"Key Attributes: <No Attributes>\n");
            if a.nodes {
                out.extend_from_slice(pem::encode(crate::pkcs8::PEM_LABEL, &key.private_key_info).as_bytes());
            } else {
                let pass = a.passout.as_ref().ok_or_else(|| CliError::usage("keys need -passout P or -nodes"))?;
                let mut rng = HmacDrbg::from_os()?;
                let pem_text =
                    crate::pkcs8::encrypt_pem(&key.private_key_info, pass, &EncryptOptions::DEFAULT, &mut rng)?;
                out.extend_from_slice(pem_text.as_bytes());
            }
        }
    }
    keyio::write_output(a.out, &out, io)?;
    Ok(0)
}

/// `pkcs12 ...`.
pub(super) fn run(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    let a = parse(args)?;
    if a.export { export(&a, io) } else { dump(&a, io) }
}
