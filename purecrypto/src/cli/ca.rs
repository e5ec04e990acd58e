//! `purecrypto ca`: a small certification authority that keeps its state
//! in the files `openssl ca` keeps (configuration, `index.txt`, serial and
//! CRL number counters, `newcerts/`), so either tool can carry on where
//! the other stopped.
//!
//! - `ca -config F [-name S] -in REQ [-out F] [-days N] [-md M] [-batch]
//!   [-notext] [-extensions S] [-policy S] [-preserveDN] [-noemailDN]
//!   [-cert F] [-keyfile F] [-outdir D]`: checks the request's signature,
//!   applies the policy, issues the next serial, records it.
//! - `ca -config F -revoke CERT [-crl_reason R]`: marks it revoked.
//! - `ca -config F -gencrl [-out F] [-crldays N] [-crlhours N]`: signs a
//!   CRL of every revoked entry.
//!
//! Configuration keys read from the CA section (as `openssl ca` does):
//! `database`, `new_certs_dir`, `certificate`, `private_key`, `serial`,
//! `crlnumber`, `default_days`, `default_crl_days`, `default_crl_hours`,
//! `default_md`, `policy`, `x509_extensions`, `copy_extensions`,
//! `preserve`, `email_in_dn`, `unique_subject`. `crl_extensions` is
//! refused rather than ignored. The signature hash is the one this
//! crate's signer uses for the key type; a different `-md` is refused.
//!
//! Entry point: [`run_ca`].

mod config;
pub(super) mod database;
pub(super) mod extensions;
mod policy;

use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

use super::x509::{now, one_der};
use super::{CliError, Io, read_input, value};
use crate::asn1::pem;
use crate::hash::HashAlgorithm;
use crate::x509::algorithm::SignatureAlgorithm;
use crate::x509::text::to_text;
use crate::x509::time::openssl_display;
use crate::x509::{Certificate, CertificateBuilder, CertificateRequest, CrlBuilder, SigningKey};
use config::Config;
use database::{Entry, REASON_WORDS, hex_bytes, hex_upper, next_counter, parse_index, read_counter, replace_file};
use extensions::{KeyContext, from_section};

/// What the command line asked for.
#[derive(Debug, Default)]
struct Options<'a> {
    config: Option<&'a str>,
    name: Option<&'a str>,
    input: Option<&'a str>,
    output: Option<&'a str>,
    cert: Option<&'a str>,
    keyfile: Option<&'a str>,
    outdir: Option<&'a str>,
    days: Option<i64>,
    md: Option<&'a str>,
    extensions: Option<&'a str>,
    policy: Option<&'a str>,
    revoke: Option<&'a str>,
    reason: Option<&'a str>,
    crl_days: Option<i64>,
    crl_hours: Option<i64>,
    gencrl: bool,
    batch: bool,
    notext: bool,
    preserve: bool,
    no_email: bool,
}

fn number(args: &[String], i: &mut usize, opt: &str) -> Result<i64, CliError> {
    value(args, i, opt)?.parse().map_err(|_| CliError::usage(format!("{opt}: expected a number")))
}

fn parse_options(args: &[String]) -> Result<Options<'_>, CliError> {
    let mut o = Options::default();
    let mut i = 0;
    while i < args.len() {
        match args.get(i).map(String::as_str).unwrap_or_default() {
            "-config" => o.config = Some(value(args, &mut i, "-config")?),
            "-name" => o.name = Some(value(args, &mut i, "-name")?),
            "-in" => o.input = Some(value(args, &mut i, "-in")?),
            "-out" => o.output = Some(value(args, &mut i, "-out")?),
            "-cert" => o.cert = Some(value(args, &mut i, "-cert")?),
            "-keyfile" => o.keyfile = Some(value(args, &mut i, "-keyfile")?),
            "-outdir" => o.outdir = Some(value(args, &mut i, "-outdir")?),
            "-days" => o.days = Some(number(args, &mut i, "-days")?),
            "-md" => o.md = Some(value(args, &mut i, "-md")?),
            "-extensions" => o.extensions = Some(value(args, &mut i, "-extensions")?),
            "-policy" => o.policy = Some(value(args, &mut i, "-policy")?),
            "-revoke" => o.revoke = Some(value(args, &mut i, "-revoke")?),
            "-crl_reason" => o.reason = Some(value(args, &mut i, "-crl_reason")?),
            "-crldays" => o.crl_days = Some(number(args, &mut i, "-crldays")?),
            "-crlhours" => o.crl_hours = Some(number(args, &mut i, "-crlhours")?),
            "-gencrl" => o.gencrl = true,
            "-batch" => o.batch = true,
            "-notext" => o.notext = true,
            "-preserveDN" => o.preserve = true,
            "-noemailDN" => o.no_email = true,
            other => return Err(CliError::usage(format!("ca: unknown option {other}"))),
        }
        i += 1;
    }
    Ok(o)
}

/// The loaded configuration, narrowed to the chosen CA section.
struct Ca {
    config: Config,
    section: String,
    config_path: String,
}

impl Ca {
    fn load(options: &Options<'_>) -> Result<Self, CliError> {
        let config_path = match options.config {
            Some(p) => p.to_string(),
            None => std::env::var("OPENSSL_CONF").map_err(|_| CliError::usage("ca: -config is required"))?,
        };
        let text = std::fs::read_to_string(&config_path).map_err(CliError::io(config_path.clone()))?;
        let config = Config::parse(&text)?;
        let section = match options.name {
            Some(n) => n.to_string(),
            None => config
                .get("ca", "default_ca")
                .ok_or_else(|| CliError::usage("ca: no -name and no default_ca in [ ca ]"))?
                .to_string(),
        };
        if config.section(&section).is_empty() {
            return Err(CliError::usage(format!("ca: section [ {section} ] is missing or empty")));
        }
        if config.get(&section, "crl_extensions").is_some() {
            return Err(CliError::usage("ca: crl_extensions is not supported"));
        }
        Ok(Self { config, section, config_path })
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.config.get(&self.section, key)
    }

    fn require(&self, key: &str) -> Result<&str, CliError> {
        self.get(key).ok_or_else(|| CliError::usage(format!("ca: variable lookup failed for {}::{key}", self.section)))
    }

    fn flag(&self, key: &str, default: bool) -> bool {
        self.get(key).map_or(default, |v| matches!(v.trim(), "yes" | "y" | "true" | "YES" | "Y" | "TRUE"))
    }

    fn database(&self) -> Result<(String, Vec<Entry>), CliError> {
        let path = self.require("database")?.to_string();
        let text = std::fs::read_to_string(&path).map_err(CliError::io(path.clone()))?;
        let entries = parse_index(&text)?;
        Ok((path, entries))
    }

    /// The CA certificate's DER and its signing key, checked to match.
    fn signer(&self, options: &Options<'_>, io: &mut Io<'_>) -> Result<(Vec<u8>, SigningKey), CliError> {
        let cert_path = match options.cert {
            Some(p) => p,
            None => self.require("certificate")?,
        };
        let key_path = match options.keyfile {
            Some(p) => p,
            None => self.require("private_key")?,
        };
        let cert = one_der(&read_input(Some(cert_path), io)?, "CERTIFICATE")?;
        let key = SigningKey::from_pem(&read_input(Some(key_path), io)?)?;
        if Certificate::from_der(&cert)?.spki != key.spki_der().as_slice() {
            return Err(CliError::usage("ca: CA certificate and CA private key do not match"));
        }
        let md = options.md.or_else(|| self.get("default_md")).unwrap_or("default");
        check_md(md, &key)?;
        Ok((cert, key))
    }
}

/// Accepts `-md` / `default_md` only when it names the hash this key
/// signs with (or `default`).
pub(super) fn check_md(md: &str, key: &SigningKey) -> Result<(), CliError> {
    let hash = match key.algorithm() {
        SignatureAlgorithm::RsaPkcs1(h) | SignatureAlgorithm::Ecdsa(h) | SignatureAlgorithm::RsaPss { hash: h, .. } => {
            Some(h)
        }
        _ => None,
    };
    let wanted = match md {
        "default" => return Ok(()),
        "sha256" => HashAlgorithm::Sha256,
        "sha384" => HashAlgorithm::Sha384,
        "sha512" => HashAlgorithm::Sha512,
        other => return Err(CliError::usage(format!("unsupported message digest {other}"))),
    };
    match hash {
        Some(h) if h == wanted => Ok(()),
        None => Ok(()),
        Some(_) => Err(CliError::usage(format!("this key signs with its own hash; {md} is not available"))),
    }
}

/// Asks on standard input, as `openssl ca` does without `-batch`.
fn confirm(io: &mut Io<'_>, question: &str) -> Result<bool, CliError> {
    let _ = io.stderr.write_all(question.as_bytes());
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while io.stdin.read(&mut byte).map_err(CliError::io("stdin"))? == 1 && byte[0] != b'\n' {
        line.push(byte[0]);
    }
    Ok(matches!(line.first(), Some(b'y' | b'Y')))
}

fn write_output(path: Option<&str>, data: &[u8], io: &mut Io<'_>) -> Result<(), CliError> {
    match path {
        Some(p) => std::fs::write(p, data).map_err(CliError::io(p.to_string())),
        None => io.stdout.write_all(data).map_err(CliError::io("stdout")),
    }
}

/// `purecrypto ca`.
pub(crate) fn run_ca(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    let options = parse_options(args)?;
    let ca = Ca::load(&options)?;
    let _ = io.stderr.write_all(format!("Using configuration from {}\n", ca.config_path).as_bytes());
    if let Some(path) = options.revoke {
        return revoke(&ca, &options, path, io);
    }
    if options.gencrl {
        return gencrl(&ca, &options, io);
    }
    issue(&ca, &options, io)
}

fn issue(ca: &Ca, options: &Options<'_>, io: &mut Io<'_>) -> Result<i32, CliError> {
    let (ca_der, key) = ca.signer(options, io)?;
    let ca_cert = Certificate::from_der(&ca_der)?;
    let request_der = one_der(&read_input(options.input, io)?, "CERTIFICATE REQUEST")?;
    let request = CertificateRequest::from_der(&request_der)?;
    let _ = io.stderr.write_all(b"Check that the request matches the signature\n");
    if request.verify().is_err() {
        let _ = io.stderr.write_all(b"Signature did not match the certificate request\n");
        return Ok(1);
    }
    let _ = io.stderr.write_all(b"Signature ok\n");
    let policy_name = options.policy.map(String::from).or_else(|| ca.get("policy").map(String::from));
    let policy_name = policy_name.ok_or_else(|| CliError::usage("ca: no policy"))?;
    let subject_der = policy::apply(
        &ca.config.section(&policy_name),
        &request.subject,
        &ca_cert.subject,
        options.preserve || ca.flag("preserve", false),
        !options.no_email && ca.flag("email_in_dn", true),
    )?;
    let subject = crate::x509::Name::from_der(&subject_der)?;
    let subject_line = policy::oneline(&subject);
    let (db_path, mut entries) = ca.database()?;
    let unique = attr_unique_subject(&db_path).unwrap_or_else(|| ca.flag("unique_subject", true));
    if unique && entries.iter().any(|e| e.status == 'V' && e.subject == subject_line) {
        let _ = io.stderr.write_all(format!("ERROR:There is already a certificate for {subject_line}\n").as_bytes());
        return Ok(1);
    }
    let days = match options.days {
        Some(d) => d,
        None => ca.require("default_days")?.trim().parse().map_err(|_| CliError::usage("ca: bad default_days"))?,
    };
    let serial_path = ca.require("serial")?.to_string();
    let serial = read_counter(&serial_path)?;
    let not_before = now();
    let not_after = not_before + days * 86_400;
    let keys = KeyContext {
        subject_spki: request.spki,
        issuer_spki: ca_cert.spki,
        issuer_key_id: ca_cert.extensions.subject_key_id,
    };
    let mut builder = CertificateBuilder::new(&subject_der, request.spki, not_before, not_after)
        .serial(&serial)
        .issuer(ca_cert.subject.der);
    let extensions_section = options.extensions.or_else(|| ca.get("x509_extensions"));
    let configured = match extensions_section {
        Some(s) => from_section(&ca.config.section(s), &keys)?,
        None => Vec::new(),
    };
    let copy = ca.get("copy_extensions").unwrap_or("none").trim().to_string();
    for e in &configured {
        let requested = request.extensions.list.iter().any(|r| r.oid == e.oid);
        if !(copy == "copyall" && requested) {
            builder = builder.extension(e.oid, e.critical, e.value.clone());
        }
    }
    match copy.as_str() {
        "none" => {}
        "copy" | "copyall" => {
            for r in &request.extensions.list {
                if copy == "copyall" || !configured.iter().any(|e| e.oid == r.oid) {
                    builder = builder.extension(r.oid, r.critical, r.value.to_vec());
                }
            }
        }
        other => return Err(CliError::usage(format!("ca: copy_extensions = {other}: use none, copy or copyall"))),
    }
    let _ = io.stderr.write_all(
        format!("Certificate is to be certified until {} ({days} days)\n", openssl_display(not_after)).as_bytes(),
    );
    if !options.batch {
        if !confirm(io, "Sign the certificate? [y/n]:")? {
            let _ = io.stderr.write_all(b"CERTIFICATE WILL NOT BE CERTIFIED\n");
            return Ok(0);
        }
        if !confirm(io, "\n\n1 out of 1 certificate requests certified, commit? [y/n]")? {
            let _ = io.stderr.write_all(b"CERTIFICATION CANCELED\n");
            return Ok(0);
        }
    }
    let der = builder.sign(&key, &mut crate::rng::OsRng)?;
    let serial_hex = hex_upper(&serial);
    replace_file(&serial_path, format!("{}\n", next_counter(&serial)).as_bytes())?;
    entries.push(Entry {
        status: 'V',
        expiry: not_after,
        revoked: None,
        serial: serial_hex.clone(),
        subject: subject_line,
    });
    write_database(&db_path, &entries, unique)?;
    let _ = io.stderr.write_all(b"Write out database with 1 new entries\nDatabase updated\n");
    let mut out = if options.notext { String::new() } else { to_text(&Certificate::from_der(&der)?) };
    out.push_str(&pem::encode("CERTIFICATE", &der));
    let dir = match options.outdir {
        Some(d) => d,
        None => ca.require("new_certs_dir")?,
    };
    let copy_path = format!("{dir}/{serial_hex}.pem");
    std::fs::write(&copy_path, out.as_bytes()).map_err(CliError::io(copy_path))?;
    write_output(options.output, out.as_bytes(), io)?;
    Ok(0)
}

/// `unique_subject` as recorded next to the database, if it is.
fn attr_unique_subject(db_path: &str) -> Option<bool> {
    let text = std::fs::read_to_string(format!("{db_path}.attr")).ok()?;
    let value = text.lines().find_map(|l| l.split_once('=').filter(|(k, _)| k.trim() == "unique_subject"))?.1;
    Some(matches!(value.trim(), "yes" | "y" | "true" | "YES" | "Y" | "TRUE"))
}

fn write_database(db_path: &str, entries: &[Entry], unique: bool) -> Result<(), CliError> {
    replace_file(db_path, database::format_index(entries).as_bytes())?;
    let attr = format!("unique_subject = {}\n", if unique { "yes" } else { "no" });
    replace_file(&format!("{db_path}.attr"), attr.as_bytes())
}

fn revoke(ca: &Ca, options: &Options<'_>, path: &str, io: &mut Io<'_>) -> Result<i32, CliError> {
    let reason = match options.reason {
        Some(word) => Some(
            REASON_WORDS
                .iter()
                .find(|(w, _)| w.eq_ignore_ascii_case(word))
                .map(|(_, r)| *r)
                .ok_or_else(|| CliError::usage(format!("ca: unknown CRL reason {word}")))?,
        ),
        None => None,
    };
    let der = one_der(&read_input(Some(path), io)?, "CERTIFICATE")?;
    let cert = Certificate::from_der(&der)?;
    let serial = hex_upper(cert.serial);
    let (db_path, mut entries) = ca.database()?;
    let index = match entries.iter().position(|e| e.serial == serial) {
        Some(i) => i,
        None => {
            let subject = policy::oneline(&cert.subject);
            let _ = io
                .stderr
                .write_all(format!("Adding Entry with serial number {serial} to DB for {subject}\n").as_bytes());
            entries.push(Entry { status: 'V', expiry: cert.not_after, revoked: None, serial: serial.clone(), subject });
            entries.len() - 1
        }
    };
    let Some(entry) = entries.get_mut(index) else { return Ok(1) };
    if entry.status == 'R' {
        let _ = io.stderr.write_all(format!("ERROR:Already revoked, serial number {serial}\n").as_bytes());
        return Ok(1);
    }
    entry.status = 'R';
    entry.revoked = Some((now(), reason));
    let _ = io.stderr.write_all(format!("Revoking Certificate {serial}.\n").as_bytes());
    let unique = attr_unique_subject(&db_path).unwrap_or_else(|| ca.flag("unique_subject", true));
    write_database(&db_path, &entries, unique)?;
    let _ = io.stderr.write_all(b"Database updated\n");
    Ok(0)
}

fn gencrl(ca: &Ca, options: &Options<'_>, io: &mut Io<'_>) -> Result<i32, CliError> {
    let (ca_der, key) = ca.signer(options, io)?;
    let ca_cert = Certificate::from_der(&ca_der)?;
    let read = |key: &str| -> Result<Option<i64>, CliError> {
        ca.get(key).map(|v| v.trim().parse().map_err(|_| CliError::usage(format!("ca: bad {key}")))).transpose()
    };
    let days = options.crl_days.or(read("default_crl_days")?);
    let hours = options.crl_hours.or(read("default_crl_hours")?);
    if days.is_none() && hours.is_none() {
        return Err(CliError::usage("ca: cannot lookup how long until the next CRL is issued"));
    }
    let this_update = now();
    let next_update = this_update + days.unwrap_or(0) * 86_400 + hours.unwrap_or(0) * 3_600;
    let (_, entries) = ca.database()?;
    let number_path = ca.get("crlnumber").map(String::from);
    let number = match &number_path {
        Some(path) => {
            let bytes = read_counter(path)?;
            let n = bytes.iter().try_fold(0u64, |acc, &b| acc.checked_mul(256).map(|v| v | u64::from(b)));
            Some((bytes.clone(), n.ok_or_else(|| CliError::usage("ca: CRL numbers above 2^64 are not supported"))?))
        }
        None => None,
    };
    let mut builder =
        CrlBuilder::new(ca_cert.subject.der, this_update, next_update, number.as_ref().map_or(0, |n| n.1));
    if number.is_none() {
        builder = builder.without_number();
    }
    for e in entries.iter().filter(|e| e.status == 'R') {
        let (when, reason) = e.revoked.unwrap_or((this_update, None));
        builder = builder.revoke(&hex_bytes(&e.serial)?, when, reason);
    }
    let der = builder.sign(&key, &mut crate::rng::OsRng)?;
    if let (Some(path), Some((bytes, _))) = (number_path, number) {
        replace_file(&path, format!("{}\n", next_counter(&bytes)).as_bytes())?;
    }
    write_output(options.output, pem::encode("X509 CRL", &der).as_bytes(), io)?;
    Ok(0)
}
