//! `puressh ssh` (or a link named `ssh`): a minimal OpenSSH-compatible
//! `ssh` for running one remote command: `puressh ssh [-p PORT] [-i KEY] [-l USER]
//! [-o Option=value] [user@]host command...`. The exit code is the
//! remote command's status (255 for a local or protocol error, 128 + n
//! style codes are not synthesised for signals: 255 then too).
//!
//! An encrypted identity file asks for its passphrase on the terminal.
//!
//! `-o` understands UserKnownHostsFile, StrictHostKeyChecking (yes,
//! accept-new, no), Port, User, IdentityFile, KexAlgorithms, Ciphers,
//! MACs and HostKeyAlgorithms (plain lists, no `+`/`-`/`^`).

use puressh::client::{Client, ClientConfig, StrictHostKeyChecking};
use puressh::config::known_hosts::KnownHosts;
use puressh::error::KeyError;
use puressh::keys::private::PrivateKey;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// What the command line asked for.
#[derive(Default)]
struct Args {
    port: u16,
    user: Option<String>,
    identities: Vec<PathBuf>,
    known_hosts: Option<PathBuf>,
    strict: Option<StrictHostKeyChecking>,
    lists: Vec<(String, Vec<String>)>,
    host: String,
    command: Vec<String>,
}

fn usage() -> String {
    "usage: ssh [-p port] [-i identity_file] [-l login_name] [-o option=value] [user@]host command ...".into()
}

fn option(args: &mut Args, text: &str) -> Result<(), String> {
    let (key, value) = text
        .split_once('=')
        .or_else(|| text.split_once(' '))
        .ok_or_else(|| format!("bad option {text:?} (want Key=value)"))?;
    let value = value.trim();
    match key.trim().to_ascii_lowercase().as_str() {
        "userknownhostsfile" => args.known_hosts = Some(PathBuf::from(value)),
        "stricthostkeychecking" => {
            args.strict = Some(match value.to_ascii_lowercase().as_str() {
                "yes" | "true" => StrictHostKeyChecking::Yes,
                "accept-new" => StrictHostKeyChecking::AcceptNew,
                "no" | "off" | "false" => StrictHostKeyChecking::No,
                other => return Err(format!("unsupported StrictHostKeyChecking {other}")),
            });
        }
        "port" => args.port = value.parse().map_err(|_| format!("bad port {value}"))?,
        "user" => args.user = Some(value.to_owned()),
        "identityfile" => args.identities.push(PathBuf::from(value)),
        k @ ("kexalgorithms" | "ciphers" | "macs" | "hostkeyalgorithms") => {
            args.lists.push((k.to_owned(), value.split(',').map(str::to_owned).collect()));
        }
        other => return Err(format!("unsupported option {other}")),
    }
    Ok(())
}

fn parse(mut argv: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut args = Args { port: 22, ..Args::default() };
    while let Some(arg) = argv.next() {
        let mut value = |flag: &str| argv.next().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "-p" => args.port = value("-p")?.parse().map_err(|_| "bad port".to_owned())?,
            "-i" => args.identities.push(PathBuf::from(value("-i")?)),
            "-l" => args.user = Some(value("-l")?),
            "-o" => {
                let text = value("-o")?;
                option(&mut args, &text)?;
            }
            "-T" | "-q" | "-n" => {}
            flag if flag.starts_with('-') => return Err(format!("unsupported flag {flag}\n{}", usage())),
            target => {
                match target.rsplit_once('@') {
                    Some((user, host)) => {
                        args.user.get_or_insert_with(|| user.to_owned());
                        args.host = host.to_owned();
                    }
                    None => args.host = target.to_owned(),
                }
                args.command = argv.collect();
                break;
            }
        }
    }
    if args.host.is_empty() {
        return Err(usage());
    }
    if args.command.is_empty() {
        return Err("interactive sessions are not supported yet: give a command".into());
    }
    Ok(args)
}

fn home() -> PathBuf {
    std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from)
}

fn run(args: Args) -> Result<Option<u32>, String> {
    let user = args.user.clone().or_else(|| std::env::var("USER").ok()).unwrap_or_else(|| "root".into());
    let mut config = ClientConfig::new(&user);
    config.host_name = Some(args.host.clone());
    let identities = if args.identities.is_empty() {
        ["id_ed25519", "id_ecdsa", "id_rsa"]
            .iter()
            .map(|n| home().join(".ssh").join(n))
            .filter(|p| p.exists())
            .collect()
    } else {
        args.identities.clone()
    };
    for path in identities {
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let loaded = match PrivateKey::from_text(&text, None) {
            Err(KeyError::Encrypted) => {
                match crate::tty::read_passphrase(&format!("Enter passphrase for key '{}': ", path.display())) {
                    Some(pass) => PrivateKey::from_text(&text, Some(pass.as_bytes())),
                    None => Err(KeyError::Encrypted),
                }
            }
            other => other,
        };
        match loaded {
            Ok(key) => config.identities.push(key),
            Err(e) => eprintln!("ssh: skipping {}: {e}", path.display()),
        }
    }
    let known_path = args.known_hosts.clone().unwrap_or_else(|| home().join(".ssh").join("known_hosts"));
    let known_text = std::fs::read_to_string(&known_path).unwrap_or_default();
    config.known_hosts = KnownHosts::parse(&known_text).map_err(|e| format!("{}: {e}", known_path.display()))?;
    config.known_hosts_file = Some(known_path);
    config.strict_host_key_checking = args.strict.unwrap_or(StrictHostKeyChecking::Yes);
    for (key, list) in &args.lists {
        let slot = match key.as_str() {
            "kexalgorithms" => &mut config.preferences.kex,
            "ciphers" => &mut config.preferences.cipher,
            "macs" => &mut config.preferences.mac,
            _ => &mut config.preferences.host_key,
        };
        slot.clone_from(list);
    }
    let mut session =
        Client::connect((args.host.as_str(), args.port), config).map_err(|e| format!("{}: {e}", args.host))?;
    let command = args.command.join(" ");
    let (status, signal) = session
        .exec_streaming(
            command.as_bytes(),
            |d| {
                let _ = std::io::stdout().write_all(d);
            },
            |d| {
                let _ = std::io::stderr().write_all(d);
            },
        )
        .map_err(|e| e.to_string())?;
    let _ = std::io::stdout().flush();
    if let Some(signal) = signal {
        eprintln!("ssh: remote command killed by signal {signal}");
    }
    let _ = session.disconnect();
    Ok(status)
}

/// Runs `ssh` with the arguments after the program name.
pub(crate) fn main(args: Vec<String>) -> ExitCode {
    let result = parse(args.into_iter()).and_then(run);
    match result {
        Ok(Some(status)) => ExitCode::from(u8::try_from(status).unwrap_or(255)),
        Ok(None) => ExitCode::from(255),
        Err(e) => {
            eprintln!("ssh: {e}");
            ExitCode::from(255)
        }
    }
}
