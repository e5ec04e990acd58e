//! `puressh keygen` (or a link named `ssh-keygen`): OpenSSH's
//! `ssh-keygen` options for making, inspecting and converting keys and
//! for editing `known_hosts`. Output lines, exit codes (255 for a fatal
//! error, 1 for a declined overwrite or a host not found by `-F`) and
//! error messages follow `ssh-keygen` 9.2 where a script would notice.
//!
//! Entry point: [`main`]. Options are parsed getopt-style (`-lf key`
//! works); [`known_hosts`] holds `-F`, `-R` and `-H`.

mod known_hosts;

use crate::tty;
use purecrypto::hash::HashAlgorithm;
use puressh::error::KeyError;
use puressh::keys::private::{DEFAULT_ROUNDS, KeySpec, PemPrivateForm, PrivateKey};
use puressh::keys::rfc4716::{self, PemForm};
use puressh::keys::{EcCurve, PublicKey};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use zeroize::Zeroizing;

/// Options that take a value.
const WITH_VALUE: &str = "tbfNCEPmRFa";
/// Options that are flags.
const FLAGS: &str = "qlypeiHv";

/// A fatal error: the message `ssh-keygen` would print and exit 255.
struct Fatal(String);

type Outcome = Result<ExitCode, Fatal>;

fn fatal<T>(message: impl Into<String>) -> Result<T, Fatal> {
    Err(Fatal(message.into()))
}

/// The parsed command line.
#[derive(Default)]
struct Options {
    values: Vec<(char, String)>,
    flags: Vec<char>,
}

impl Options {
    fn value(&self, option: char) -> Option<&str> {
        self.values.iter().rev().find(|(o, _)| *o == option).map(|(_, v)| v.as_str())
    }

    fn flag(&self, option: char) -> bool {
        self.flags.contains(&option)
    }
}

fn usage() -> String {
    "usage: ssh-keygen [-q] [-a rounds] [-b bits] [-C comment] [-f output_keyfile] [-m format] [-N new_passphrase] [-t ecdsa | ed25519 | rsa]\n       ssh-keygen -p [-a rounds] [-f keyfile] [-m format] [-N new_passphrase] [-P old_passphrase]\n       ssh-keygen -i [-f input_keyfile] [-m key_format]\n       ssh-keygen -e [-f input_keyfile] [-m key_format]\n       ssh-keygen -y [-f input_keyfile] [-P passphrase]\n       ssh-keygen -l [-E fingerprint_hash] [-f input_keyfile]\n       ssh-keygen -F hostname [-lv] [-f known_hosts_file]\n       ssh-keygen -H [-f known_hosts_file]\n       ssh-keygen -R hostname [-f known_hosts_file]".into()
}

/// getopt: clustered flags, values attached (`-b4096`) or following.
fn parse(args: Vec<String>) -> Result<Options, Fatal> {
    let mut options = Options::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let Some(cluster) = arg.strip_prefix('-').filter(|c| !c.is_empty()) else {
            return fatal(usage());
        };
        for (at, option) in cluster.char_indices() {
            if WITH_VALUE.contains(option) {
                let attached = cluster.get(at + option.len_utf8()..).unwrap_or_default();
                let value = if attached.is_empty() { args.next() } else { Some(attached.to_owned()) };
                let Some(value) = value else {
                    return fatal(format!("option requires an argument -- {option}\n{}", usage()));
                };
                options.values.push((option, value));
                break;
            } else if FLAGS.contains(option) {
                options.flags.push(option);
            } else {
                return fatal(format!("unknown option -- {option}\n{}", usage()));
            }
        }
    }
    Ok(options)
}

/// Runs `ssh-keygen` with the arguments after the program name.
pub(crate) fn main(args: Vec<String>) -> ExitCode {
    let result = parse(args).and_then(|options| run(&options));
    match result {
        Ok(code) => code,
        Err(Fatal(message)) => {
            let _ = std::io::stdout().flush();
            // OpenSSH's log lines end in CR LF on stderr; usage text does not.
            let end = if message.contains("usage: ") { "\n" } else { "\r\n" };
            eprint!("{message}{end}");
            ExitCode::from(255)
        }
    }
}

fn run(o: &Options) -> Outcome {
    if let Some(host) = o.value('F') {
        return known_hosts::find(o, host);
    }
    if let Some(host) = o.value('R') {
        return known_hosts::remove(o, host);
    }
    if o.flag('H') {
        return known_hosts::hash(o);
    }
    if o.flag('l') {
        return fingerprint(o);
    }
    if o.flag('y') {
        return print_public(o);
    }
    if o.flag('p') {
        return change_passphrase(o);
    }
    if o.flag('e') {
        return export(o);
    }
    if o.flag('i') {
        return import(o);
    }
    generate(o)
}

fn home() -> PathBuf {
    std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from)
}

/// `user@host`, the default comment and the "converted by" name.
fn user_at_host() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .or_else(user_from_passwd)
        .unwrap_or_else(|| "user".into());
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_else(|_| "localhost".into());
    format!("{user}@{}", host.trim())
}

/// The login name of our real uid, from `/proc/self/status` and
/// `/etc/passwd` (no libc call needed).
fn user_from_passwd() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let uid = status.lines().find_map(|l| l.strip_prefix("Uid:"))?.split_whitespace().next()?.to_owned();
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|l| {
        let mut fields = l.split(':');
        let name = fields.next()?;
        (fields.nth(1)? == uid).then(|| name.to_owned())
    })
}

/// The key file: `-f`, or asked for with `default` offered.
fn key_path(o: &Options, default: &str) -> Result<PathBuf, Fatal> {
    if let Some(path) = o.value('f') {
        return Ok(PathBuf::from(path));
    }
    let offered = home().join(".ssh").join(default);
    let answer = tty::ask(&format!("Enter file in which to save the key ({}): ", offered.display()))
        .ok_or_else(|| Fatal("no key file given".into()))?;
    Ok(if answer.is_empty() { offered } else { PathBuf::from(answer) })
}

fn read_text(path: &Path) -> Result<String, Fatal> {
    std::fs::read_to_string(path).or_else(|e| fatal(format!("{}: {}", path.display(), io_reason(&e))))
}

/// `No such file or directory` rather than Rust's `(os error 2)` suffix.
fn io_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    text.split(" (os error").next().unwrap_or(&text).to_owned()
}

fn hash_option(o: &Options) -> Result<HashAlgorithm, Fatal> {
    match o.value('E').map(str::to_ascii_lowercase).as_deref() {
        None | Some("sha256") => Ok(HashAlgorithm::Sha256),
        Some("md5") => Ok(HashAlgorithm::Md5),
        Some(other) => fatal(format!("Invalid hash algorithm \"{other}\"")),
    }
}

/// Why loading failed, in `ssh-keygen`'s words.
fn load_reason(e: &KeyError, had_passphrase: bool) -> &'static str {
    match e {
        KeyError::Malformed { .. } if had_passphrase => "incorrect passphrase supplied to decrypt private key",
        KeyError::Encrypted => "incorrect passphrase supplied to decrypt private key",
        KeyError::Unsupported { .. } => "unknown or unsupported key type",
        _ => "invalid format",
    }
}

/// Loads a private key, asking for the passphrase when `-P` is absent
/// and the key is encrypted.
fn load_private(path: &Path, passphrase: Option<&str>, prompt: &str) -> Result<PrivateKey, (KeyError, bool)> {
    let text = std::fs::read_to_string(path).map_err(|_| (KeyError::Malformed { what: "file" }, false))?;
    if let Some(p) = passphrase {
        return PrivateKey::from_text(&text, Some(p.as_bytes())).map_err(|e| (e, true));
    }
    match PrivateKey::from_text(&text, None) {
        Err(KeyError::Encrypted) => {
            let asked = tty::read_passphrase(prompt).ok_or((KeyError::Encrypted, false))?;
            PrivateKey::from_text(&text, Some(asked.as_bytes())).map_err(|e| (e, true))
        }
        other => other.map_err(|e| (e, false)),
    }
}

/// A public key from a `.pub`-style file: the first key line, with the
/// file's name standing in for an empty comment (as `ssh-keygen -l`).
fn public_from_file(path: &Path) -> Option<(PublicKey, String)> {
    let text = std::fs::read_to_string(path).ok()?;
    let line = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#'))?;
    let (key, comment) = PublicKey::from_openssh_line(line).ok()?;
    Some((key, if comment.is_empty() { path.display().to_string() } else { comment }))
}

fn with_pub_suffix(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".pub");
    PathBuf::from(name)
}

/// `-l`: every key line of a public key file (authorized_keys too), or
/// the key of a private key file (its `.pub` first, as `ssh-keygen`).
fn fingerprint(o: &Options) -> Outcome {
    let hash = hash_option(o)?;
    let path = key_path(o, "id_ed25519")?;
    let text = read_text(&path)?;
    if !text.contains("PRIVATE KEY-----") {
        let mut printed = 0;
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with(['#', '@'])) {
            if let Some((key, comment)) = key_in_line(line) {
                let comment = if comment.is_empty() { path.display().to_string() } else { comment };
                println!("{}", key.fingerprint_line(hash, &comment));
                printed += 1;
            }
        }
        if printed == 0 {
            return fatal(format!("{} is not a public key file.", path.display()));
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Some((key, comment)) = public_from_file(&with_pub_suffix(&path)) {
        println!("{}", key.fingerprint_line(hash, &comment));
        return Ok(ExitCode::SUCCESS);
    }
    match PrivateKey::from_text(&text, None) {
        Ok(key) => println!("{}", key.public_key().fingerprint_line(hash, key.comment())),
        Err(KeyError::Encrypted) => match header_public_key(&text) {
            Some(key) => println!("{}", key.fingerprint_line(hash, "no comment")),
            None => return fatal(format!("{} is not a public key file.", path.display())),
        },
        Err(_) => return fatal(format!("{} is not a public key file.", path.display())),
    }
    Ok(ExitCode::SUCCESS)
}

/// The key of a `.pub`, `authorized_keys` or `known_hosts` line and
/// what `ssh-keygen -l` shows beside it: the comment, or for a
/// known_hosts line its host names.
fn key_in_line(line: &str) -> Option<(PublicKey, String)> {
    if let Ok(found) = PublicKey::from_openssh_line(line) {
        return Some(found);
    }
    let starts = line
        .char_indices()
        .filter(|&(i, c)| i > 0 && !c.is_whitespace() && line.get(..i).is_some_and(|p| p.ends_with([' ', '\t'])));
    for (at, _) in starts {
        let (prefix, rest) = line.split_at(at);
        let Ok((key, comment)) = PublicKey::from_openssh_line(rest) else { continue };
        let prefix = prefix.trim();
        // Options (authorized_keys) hold `=` or quotes; host names do not.
        let is_hosts = !prefix.contains(['=', '"', ' ', '\t']);
        return Some((key, if is_hosts { prefix.to_owned() } else { comment }));
    }
    None
}

/// The public key in the clear header of an encrypted OpenSSH key file
/// (`magic, cipher, kdf, kdfoptions, count, public blob`).
fn header_public_key(text: &str) -> Option<PublicKey> {
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect::<Vec<_>>().concat();
    let raw = base64_decode(&body)?;
    let rest = raw.strip_prefix(b"openssh-key-v1\0".as_slice())?;
    let mut r = puressh::wire::Reader::new(rest);
    for _ in 0..3 {
        r.string().ok()?;
    }
    r.u32().ok()?;
    PublicKey::from_blob(r.string().ok()?).ok()
}

/// Base64 through a throwaway public-key line parse would be odd; the
/// crate's decoder is private, so decode here (standard alphabet, padded).
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.bytes().filter(|c| !c.is_ascii_whitespace()) {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

/// `-y`: the public key line of a private key file.
fn print_public(o: &Options) -> Outcome {
    let path = key_path(o, "id_ed25519")?;
    match load_private(&path, o.value('P'), "Enter passphrase: ") {
        Ok(key) => {
            println!("{}", key.public_key().to_openssh_line(key.comment()));
            Ok(ExitCode::SUCCESS)
        }
        Err((e, had)) => fatal(format!("Load key \"{}\": {}", path.display(), load_reason(&e, had))),
    }
}

/// A new passphrase: `-N`, or asked twice on the terminal.
fn new_passphrase(o: &Options, first: &str) -> Result<Zeroizing<String>, Fatal> {
    if let Some(p) = o.value('N') {
        return Ok(Zeroizing::new(p.to_owned()));
    }
    let one = tty::read_passphrase(first).ok_or_else(|| Fatal("passphrase needed: no terminal (use -N)".into()))?;
    let two = tty::read_passphrase("Enter same passphrase again: ")
        .ok_or_else(|| Fatal("passphrase needed: no terminal (use -N)".into()))?;
    if *one != *two {
        return fatal("Passphrases do not match.  Try again.");
    }
    Ok(one)
}

fn rounds(o: &Options) -> Result<u32, Fatal> {
    match o.value('a') {
        None => Ok(DEFAULT_ROUNDS),
        Some(a) => a.parse().ok().filter(|&r| r > 0).map_or_else(|| fatal(format!("Invalid number: {a}")), Ok),
    }
}

/// The private key file's text: OpenSSH's format, or with `-m PEM` /
/// `-m PKCS8` OpenSSL's (unencrypted only; Ed25519 stays OpenSSH's, as
/// `ssh-keygen` does).
fn private_text(o: &Options, key: &PrivateKey, passphrase: &str) -> Result<Zeroizing<String>, Fatal> {
    let form = match key_format(o)? {
        None => None,
        Some(PemForm::Pem) => Some(PemPrivateForm::Pem),
        Some(_) => Some(PemPrivateForm::Pkcs8),
    };
    if let Some(text) = form.and_then(|form| key.to_pem(form)) {
        if !passphrase.is_empty() {
            return fatal("passphrase-protected PEM and PKCS8 private keys are not supported: use the default format");
        }
        return Ok(text);
    }
    let pass = (!passphrase.is_empty()).then_some(passphrase.as_bytes());
    key.to_openssh(pass, rounds(o)?).or_else(|e| fatal(e.to_string()))
}

/// Writes the private key file with mode 0600 (also when it existed).
fn write_private(path: &Path, text: &str) -> Result<(), Fatal> {
    let saving = |e: std::io::Error| Fatal(format!("Saving key \"{}\" failed: {}", path.display(), io_reason(&e)));
    let mut file =
        std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path).map_err(saving)?;
    file.set_permissions(std::fs::Permissions::from_mode(0o600)).map_err(saving)?;
    file.write_all(text.as_bytes()).map_err(saving)
}

fn write_public(path: &Path, key: &PrivateKey) -> Result<(), Fatal> {
    let line = format!("{}\n", key.public_key().to_openssh_line(key.comment()));
    std::fs::write(path, line)
        .or_else(|e| fatal(format!("Unable to save public key to {}: {}", path.display(), io_reason(&e))))
}

/// `-p`: re-encrypts a key file under a new passphrase.
fn change_passphrase(o: &Options) -> Outcome {
    let path = key_path(o, "id_ed25519")?;
    let key = match load_private(&path, o.value('P'), "Enter old passphrase: ") {
        Ok(key) => key,
        Err((e, had)) => return fatal(format!("Failed to load key {}: {}", path.display(), load_reason(&e, had))),
    };
    println!("Key has comment '{}'", key.comment());
    let new = new_passphrase(o, "Enter new passphrase (empty for no passphrase): ")?;
    write_private(&path, &private_text(o, &key, &new)?)?;
    println!("Your identification has been saved with the new passphrase.");
    Ok(ExitCode::SUCCESS)
}

fn key_format(o: &Options) -> Result<Option<PemForm>, Fatal> {
    match o.value('m').map(str::to_ascii_uppercase).as_deref() {
        None | Some("RFC4716" | "SSH2") => Ok(None),
        Some("PKCS8") => Ok(Some(PemForm::Pkcs8)),
        Some("PEM") => Ok(Some(PemForm::Pem)),
        Some(other) => fatal(format!("Unsupported conversion format \"{other}\"")),
    }
}

/// The public key of a public or (unencrypted or `-P`) private key file.
fn any_public(o: &Options, path: &Path) -> Result<(PublicKey, String), Fatal> {
    if let Some(found) = public_from_file(path) {
        return Ok(found);
    }
    match load_private(path, o.value('P'), "Enter passphrase: ") {
        Ok(key) => Ok((key.public_key().clone(), key.comment().to_owned())),
        Err((e, had)) => fatal(format!("Load key \"{}\": {}", path.display(), load_reason(&e, had))),
    }
}

/// `-e`: RFC 4716 (default) or PEM public key on stdout.
fn export(o: &Options) -> Outcome {
    let form = key_format(o)?;
    let path = key_path(o, "id_ed25519")?;
    let (key, _) = any_public(o, &path)?;
    let text = match form {
        None => {
            let comment =
                format!("{}-bit {}, converted by {} from OpenSSH", key.bits(), key.type_label(), user_at_host());
            rfc4716::to_rfc4716(&key, &comment)
        }
        Some(form) => match rfc4716::to_pem(&key, form) {
            Ok(text) => text,
            Err(_) => {
                let what = if form == PemForm::Pem { "pem" } else { "pkcs8" };
                return fatal(format!("do_convert_to_{what}: unsupported key type {}", key.type_label()));
            }
        },
    };
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}

/// `-i`: an RFC 4716 (default) or PEM public key to OpenSSH's line.
fn import(o: &Options) -> Outcome {
    let form = key_format(o)?;
    let path = key_path(o, "id_ed25519")?;
    let text = read_text(&path)?;
    let key = match form {
        None => rfc4716::from_rfc4716(&text).map(|parsed| parsed.key),
        Some(_) => rfc4716::from_pem(&text),
    };
    match key {
        Ok(key) => {
            println!("{}", key.to_openssh_line(""));
            Ok(ExitCode::SUCCESS)
        }
        Err(_) => fatal(format!("{}: unrecognised key format", path.display())),
    }
}

/// `-t` and `-b` to what to generate, with `ssh-keygen`'s defaults
/// (ed25519; ECDSA 256; RSA 3072) and refusals.
fn key_spec(o: &Options) -> Result<(KeySpec, &'static str), Fatal> {
    let bits = match o.value('b') {
        None => None,
        Some(b) => Some(
            b.parse::<usize>()
                .ok()
                .filter(|&b| b > 0)
                .map_or_else(|| fatal(format!("Bits has bad value {b} (invalid)")), Ok)?,
        ),
    };
    match o.value('t').unwrap_or("ed25519").to_ascii_lowercase().as_str() {
        "ed25519" => Ok((KeySpec::Ed25519, "id_ed25519")),
        "ecdsa" => match bits.unwrap_or(256) {
            256 => Ok((KeySpec::Ecdsa(EcCurve::P256), "id_ecdsa")),
            384 => Ok((KeySpec::Ecdsa(EcCurve::P384), "id_ecdsa")),
            521 => Ok((KeySpec::Ecdsa(EcCurve::P521), "id_ecdsa")),
            _ => fatal("Invalid ECDSA key length: valid lengths are 256, 384 or 521 bits"),
        },
        "rsa" => match bits.unwrap_or(3072) {
            b if b < KeySpec::MIN_RSA_BITS => {
                fatal(format!("Invalid RSA key length: minimum is {} bits", KeySpec::MIN_RSA_BITS))
            }
            b if b > KeySpec::MAX_RSA_BITS => {
                fatal(format!("Invalid RSA key length: maximum is {} bits", KeySpec::MAX_RSA_BITS))
            }
            b => Ok((KeySpec::Rsa(b.next_multiple_of(8)), "id_rsa")),
        },
        other => fatal(format!("unknown key type {other}")),
    }
}

/// No action option: generate a key pair.
fn generate(o: &Options) -> Outcome {
    let (spec, default_name) = key_spec(o)?;
    let quiet = o.flag('q');
    if !quiet {
        let name = match spec {
            KeySpec::Ed25519 => "ed25519",
            KeySpec::Ecdsa(_) => "ecdsa",
            _ => "rsa",
        };
        println!("Generating public/private {name} key pair.");
    }
    let path = key_path(o, default_name)?;
    if path.exists() {
        println!("{} already exists.", path.display());
        if !tty::confirm("Overwrite (y/n)? ") {
            return Ok(ExitCode::from(1));
        }
    }
    let passphrase = new_passphrase(o, "Enter passphrase (empty for no passphrase): ")?;
    let comment = o.value('C').map_or_else(user_at_host, str::to_owned);
    let key = PrivateKey::generate(spec, &comment).or_else(|e| fatal(e.to_string()))?;
    write_private(&path, &private_text(o, &key, &passphrase)?)?;
    let public_path = with_pub_suffix(&path);
    write_public(&public_path, &key)?;
    if !quiet {
        let public = key.public_key();
        println!("Your identification has been saved in {}", path.display());
        println!("Your public key has been saved in {}", public_path.display());
        println!("The key fingerprint is:");
        println!("{} {}", public.fingerprint(HashAlgorithm::Sha256), key.comment());
        println!("The key's randomart image is:");
        println!("{}", public.randomart(HashAlgorithm::Sha256));
    }
    Ok(ExitCode::SUCCESS)
}
