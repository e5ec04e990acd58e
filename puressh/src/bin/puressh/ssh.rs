//! `puressh ssh` (or a link named `ssh`): an OpenSSH-compatible `ssh`:
//! `puressh ssh [-CtTnNq] [-p PORT] [-i KEY] [-l USER] [-e CHAR] [-o Option=value]
//! [-F FILE] [-J JUMPS] [-W HOST:PORT] [user@]host [command...]`.
//!
//! - With a command it runs it; without one it starts the login shell,
//!   with a pseudo-terminal when stdin is a terminal (`-t`, `-tt`, `-T`
//!   and `RequestTTY` as in OpenSSH). The local terminal is in raw mode
//!   while a pty session runs ([`crate::terminal::RawMode`], restored on
//!   exit, error, panic and on SIGTERM / SIGHUP / SIGINT / SIGQUIT);
//!   SIGWINCH becomes `window-change`; escapes (`~.` ...) are read
//!   ([`escape`]).
//! - stdin goes to the remote side, its stdout and stderr come back
//!   ([`relay`]); the exit code is the remote status, 255 for a
//!   connection error, a remote signal, `~.` or no status.
//! - `ProxyCommand` (`-o`, or `ssh_config`) runs through `/bin/sh -c`
//!   with `%h %p %r %n %%` expanded; `-J` / `ProxyJump` connects to each
//!   hop through a `direct-tcpip` channel of the one before, in this
//!   process ([`ChannelStream`]), with the same identities, known_hosts
//!   and algorithm options as the target.
//! - `-N` holds the connection without a session.
//! - `-W host:port` relays stdin and stdout through a `direct-tcpip`
//!   channel (what a proxy command of another `ssh` runs).
//!
//! An encrypted identity file asks for its passphrase on the terminal.
//! `-o` understands UserKnownHostsFile, StrictHostKeyChecking (yes,
//! accept-new, no), Port, User, IdentityFile, CertificateFile (and each
//! identity's own `-cert.pub`, as OpenSSH loads it), KexAlgorithms, Ciphers,
//! MACs and HostKeyAlgorithms (with OpenSSH's `+`/`-`/`^`),
//! ProxyCommand, ProxyJump, RequestTTY, EscapeChar, IdentityAgent,
//! ForwardAgent (also `-A` / `-a`), IdentitiesOnly, ServerAliveInterval,
//! ServerAliveCountMax, ConnectTimeout and Compression (also `-C`). Agent keys (`SSH_AUTH_SOCK` or
//! IdentityAgent) are offered before identity files. `-F FILE` (or
//! `~/.ssh/config`, `Include`s read from files) fills what the command
//! line left unset ([`apply_ssh_config`]).

mod escape;
mod forward_spec;
mod log;
mod query;
mod relay;

use crate::terminal::{self, RawMode, SignalPipe};
use puressh::agent::AgentClient;
use puressh::client::{
    ChannelStream, Client, ClientConfig, ClientError, ProxyCommand, PtyRequest, Session, SessionKind, SessionStart,
    StrictHostKeyChecking, expand_proxy_command,
};
use puressh::config::known_hosts::KnownHosts;
use puressh::config::ssh_config::{IncludeLoader, SshConfig, StrictHostKeyChecking as ConfigStrict};
use puressh::error::KeyError;
use puressh::keys::cert::Certificate;
use puressh::keys::private::PrivateKey;
use puressh::pattern::wildcard_match;
use relay::{RelayEnd, RelayOptions};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// When to ask for a pseudo-terminal (`-t`, `-tt`, `-T`, `RequestTTY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum RequestTty {
    /// For a shell when stdin is a terminal.
    #[default]
    Auto,
    /// `-t`: whenever stdin is a terminal.
    Yes,
    /// `-tt`: always.
    Force,
    /// `-T`: never.
    No,
}

/// What the command line asked for.
#[derive(Default)]
struct Args {
    port: Option<u16>,
    user: Option<String>,
    identities: Vec<PathBuf>,
    /// `CertificateFile`: user certificates besides each identity's
    /// own `-cert.pub`.
    certificates: Vec<PathBuf>,
    known_hosts: Option<PathBuf>,
    strict: Option<StrictHostKeyChecking>,
    lists: Vec<(String, Vec<String>)>,
    request_tty: RequestTty,
    /// `None` until `-e` / `EscapeChar`; `Some(None)` is `none`.
    escape: Option<Option<u8>>,
    stdin_null: bool,
    no_command: bool,
    quiet: bool,
    proxy_command: Option<String>,
    proxy_jump: Option<String>,
    stdio_forward: Option<(String, u16)>,
    config_file: Option<PathBuf>,
    /// `IdentityAgent`: a socket path, `SSH_AUTH_SOCK`, `$VAR` or `none`.
    identity_agent: Option<String>,
    /// `-A` / `-a` / `ForwardAgent`: `yes`, `no`, a socket path or `$VAR`.
    forward_agent: Option<String>,
    identities_only: Option<bool>,
    server_alive_interval: Option<u64>,
    server_alive_count_max: Option<u32>,
    connect_timeout: Option<u64>,
    /// `-v` count.
    verbosity: u8,
    /// `-E`: append our messages to this file instead of stderr.
    log_file: Option<PathBuf>,
    /// `-Q`: print a list and exit.
    query: Option<String>,
    /// `-L`, `-R`, `-D` (and the `-o` forms), parsed.
    forwards: Vec<forward_spec::Forward>,
    /// `ExitOnForwardFailure`.
    exit_on_forward_failure: bool,
    /// `BatchMode`: never ask on the terminal (encrypted keys are skipped).
    batch_mode: bool,
    /// `-C` / `Compression`.
    compression: Option<bool>,
    host: String,
    command: Vec<String>,
}

fn usage() -> String {
    "usage: ssh [-AaCNnqTtv] [-c cipher_spec] [-D [bind_address:]port] [-E log_file] [-e escape_char]\n           \
     [-F configfile] [-i identity_file] [-J destination] [-L address] [-l login_name] [-m mac_spec]\n           \
     [-o option] [-p port] [-Q query_option] [-R address] [-W host:port] destination [command ...]"
        .into()
}

/// `host:port` of `-W`, `[v6]:port` allowed.
fn host_port(text: &str) -> Result<(String, u16), String> {
    let (host, port) = text.rsplit_once(':').ok_or_else(|| format!("bad forwarding specification '{text}'"))?;
    let port = port.parse().map_err(|_| format!("bad port in '{text}'"))?;
    Ok((host.trim_start_matches('[').trim_end_matches(']').to_owned(), port))
}

fn option(args: &mut Args, text: &str) -> Result<(), String> {
    let (key, value) = text
        .split_once('=')
        .or_else(|| text.split_once(' '))
        .ok_or_else(|| format!("bad option {text:?} (want Key=value)"))?;
    let value = value.trim();
    match key.trim().to_ascii_lowercase().as_str() {
        "userknownhostsfile" => {
            args.known_hosts = Some(PathBuf::from(value));
        }
        "stricthostkeychecking" => {
            args.strict = Some(match value.to_ascii_lowercase().as_str() {
                "yes" | "true" => StrictHostKeyChecking::Yes,
                "accept-new" => StrictHostKeyChecking::AcceptNew,
                "no" | "off" | "false" => StrictHostKeyChecking::No,
                other => return Err(format!("unsupported StrictHostKeyChecking {other}")),
            });
        }
        "port" => args.port = Some(value.parse().map_err(|_| format!("bad port {value}"))?),
        "user" => args.user = Some(value.to_owned()),
        "identityfile" => args.identities.push(PathBuf::from(value)),
        "certificatefile" => args.certificates.push(PathBuf::from(value)),
        k @ ("kexalgorithms" | "ciphers" | "macs" | "hostkeyalgorithms") => {
            args.lists.push((k.to_owned(), algorithm_list(k, value)?));
        }
        "proxycommand" => args.proxy_command = Some(value.to_owned()),
        "proxyjump" => args.proxy_jump = Some(value.to_owned()),
        "requesttty" => {
            args.request_tty = match value.to_ascii_lowercase().as_str() {
                "auto" => RequestTty::Auto,
                "yes" | "true" => RequestTty::Yes,
                "force" => RequestTty::Force,
                "no" | "false" => RequestTty::No,
                other => return Err(format!("unsupported RequestTTY {other}")),
            };
        }
        "escapechar" => args.escape = Some(escape::parse_escape_char(value)?),
        "identityagent" => args.identity_agent = Some(value.to_owned()),
        "forwardagent" => args.forward_agent = Some(value.to_owned()),
        "identitiesonly" => args.identities_only = Some(yes_no("IdentitiesOnly", value)?),
        "serveraliveinterval" => args.server_alive_interval = Some(seconds("ServerAliveInterval", value)?),
        "serveralivecountmax" => {
            args.server_alive_count_max = Some(value.parse().map_err(|_| format!("bad ServerAliveCountMax {value}"))?);
        }
        "connecttimeout" => args.connect_timeout = Some(seconds("ConnectTimeout", value)?),
        k @ ("localforward" | "remoteforward" | "dynamicforward") => {
            // `LocalForward 8080 host:80`: the two fields as one -L spec.
            let kind = match k {
                "localforward" => forward_spec::Kind::Local,
                "remoteforward" => forward_spec::Kind::Remote,
                _ => forward_spec::Kind::Dynamic,
            };
            let spec = value.split_whitespace().collect::<Vec<_>>().join(":");
            args.forwards.push(forward_spec::parse(kind, &spec)?);
        }
        "batchmode" => args.batch_mode = yes_no("BatchMode", value)?,
        "exitonforwardfailure" => args.exit_on_forward_failure = yes_no("ExitOnForwardFailure", value)?,
        "loglevel" => {
            args.verbosity = match value.to_ascii_uppercase().as_str() {
                "QUIET" | "FATAL" | "ERROR" | "INFO" | "VERBOSE" => 0,
                "DEBUG" | "DEBUG1" => 1,
                "DEBUG2" => 2,
                "DEBUG3" => 3,
                other => return Err(format!("unsupported LogLevel {other}")),
            };
            args.quiet |= matches!(value.to_ascii_uppercase().as_str(), "QUIET" | "FATAL" | "ERROR");
        }
        "compression" => args.compression = Some(yes_no("Compression", value)?),
        other => return Err(format!("unsupported option {other}")),
    }
    Ok(())
}

/// An algorithm list option with OpenSSH's `+` (append), `-` (remove,
/// wildcards allowed) and `^` (move to the front) applied to the client's
/// defaults; every name added must be one puressh implements.
fn algorithm_list(key: &str, value: &str) -> Result<Vec<String>, String> {
    let defaults = puressh::client::default_preferences();
    let current = match key {
        "kexalgorithms" => defaults.kex,
        "ciphers" => defaults.cipher,
        "macs" => defaults.mac,
        _ => defaults.host_key,
    };
    let default: Vec<&str> = current.iter().map(String::as_str).collect();
    let mut known = default.clone();
    if key == "hostkeyalgorithms" {
        known.extend(puressh::names::HOST_KEY_OPT_IN);
    }
    puressh::names::apply_modifiers(&default, &known, value).map_err(|e| match e {
        puressh::names::ListError::Unknown(name) => format!("Bad {key} '{value}': unsupported algorithm {name}"),
        _ => format!("Bad {key} '{value}'"),
    })
}

fn yes_no(key: &str, value: &str) -> Result<bool, String> {
    match value.to_ascii_lowercase().as_str() {
        "yes" | "true" => Ok(true),
        "no" | "false" => Ok(false),
        other => Err(format!("unsupported {key} {other}")),
    }
}

/// A time in seconds (`none` is 0, as OpenSSH reads ConnectTimeout).
fn seconds(key: &str, value: &str) -> Result<u64, String> {
    if value.eq_ignore_ascii_case("none") {
        return Ok(0);
    }
    value.parse().map_err(|_| format!("bad {key} {value}"))
}

/// Flags that take a value (`-p 22` or `-p22`).
const VALUE_FLAGS: &[char] = &['p', 'i', 'l', 'o', 'e', 'F', 'J', 'W', 'c', 'm', 'Q', 'E', 'L', 'R', 'D'];

fn flag_with_value(args: &mut Args, flag: char, value: String) -> Result<(), String> {
    match flag {
        'p' => args.port = Some(value.parse().map_err(|_| format!("Bad port '{value}'"))?),
        'i' => args.identities.push(PathBuf::from(value)),
        'l' => args.user = Some(value),
        'o' => option(args, &value)?,
        'e' => args.escape = Some(escape::parse_escape_char(&value)?),
        'F' => args.config_file = Some(PathBuf::from(value)),
        'J' => args.proxy_jump = Some(value),
        'c' => args.lists.push(("ciphers".into(), algorithm_list("ciphers", &value)?)),
        'm' => args.lists.push(("macs".into(), algorithm_list("macs", &value)?)),
        'Q' => args.query = Some(value),
        'E' => args.log_file = Some(PathBuf::from(value)),
        'L' => args.forwards.push(forward_spec::parse(forward_spec::Kind::Local, &value)?),
        'R' => args.forwards.push(forward_spec::parse(forward_spec::Kind::Remote, &value)?),
        'D' => args.forwards.push(forward_spec::parse(forward_spec::Kind::Dynamic, &value)?),
        _ => args.stdio_forward = Some(host_port(&value)?),
    }
    Ok(())
}

fn parse(mut argv: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut args = Args::default();
    let mut ts = 0;
    while let Some(arg) = argv.next() {
        if let Some(flags) = arg.strip_prefix('-').filter(|f| !f.is_empty()) {
            for (at, flag) in flags.char_indices() {
                if VALUE_FLAGS.contains(&flag) {
                    let attached = flags.get(at + flag.len_utf8()..).unwrap_or_default();
                    let value = if attached.is_empty() {
                        argv.next().ok_or_else(|| format!("option requires an argument -- {flag}\n{}", usage()))?
                    } else {
                        attached.to_owned()
                    };
                    flag_with_value(&mut args, flag, value)?;
                    break;
                }
                match flag {
                    't' => ts += 1,
                    'T' => args.request_tty = RequestTty::No,
                    'n' => args.stdin_null = true,
                    'N' => args.no_command = true,
                    'q' => args.quiet = true,
                    'A' => args.forward_agent = Some("yes".into()),
                    'a' => args.forward_agent = Some("no".into()),
                    'C' => args.compression = Some(true),
                    'v' => args.verbosity = args.verbosity.saturating_add(1),
                    other => return Err(format!("unsupported flag -{other}\n{}", usage())),
                }
            }
            continue;
        }
        match arg.rsplit_once('@') {
            Some((user, host)) => {
                args.user.get_or_insert_with(|| user.to_owned());
                args.host = host.to_owned();
            }
            None => args.host = arg,
        }
        args.command = argv.collect();
        break;
    }
    if ts > 0 && args.request_tty != RequestTty::No {
        args.request_tty = if ts > 1 { RequestTty::Force } else { RequestTty::Yes };
    }
    if args.host.is_empty() && args.query.is_none() {
        return Err(usage());
    }
    if args.stdio_forward.is_some() && (!args.command.is_empty() || args.no_command) {
        return Err("Cannot execute command or -N with -W".into());
    }
    Ok(args)
}

fn home() -> PathBuf {
    std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from)
}

/// One `-J` hop: `[user@]host[:port]`.
#[derive(Debug, PartialEq, Eq)]
struct Hop {
    user: Option<String>,
    host: String,
    port: u16,
}

/// Parses `-J`'s comma-separated hops, first hop first.
fn parse_jumps(jumps: &str) -> Result<Vec<Hop>, String> {
    jumps
        .split(',')
        .map(|hop| {
            let (user, rest) = match hop.rsplit_once('@') {
                Some((user, rest)) => (Some(user.to_owned()), rest),
                None => (None, hop),
            };
            let (host, port) = match rest.rsplit_once(':') {
                Some((host, port)) => (host, port.parse().map_err(|_| format!("bad port in jump host '{hop}'"))?),
                None => (rest, 22),
            };
            let host = host.trim_start_matches('[').trim_end_matches(']');
            if host.is_empty() {
                return Err(format!("bad jump host '{hop}'"));
            }
            Ok(Hop { user, host: host.to_owned(), port })
        })
        .collect()
}

/// Reads `Include`d files for the user's configuration: `~/` expanded,
/// relative names under `~/.ssh/`, `*` and `?` matched in the last path
/// component; a pattern that matches nothing includes nothing (as in
/// OpenSSH).
struct FileIncludes;

impl IncludeLoader for FileIncludes {
    fn load(&mut self, pattern: &str) -> Result<Vec<(String, String)>, String> {
        let path = match pattern.strip_prefix("~/") {
            Some(rest) => home().join(rest),
            None if Path::new(pattern).is_relative() => home().join(".ssh").join(pattern),
            None => PathBuf::from(pattern),
        };
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let paths = if name.contains(['*', '?']) {
            let dir = path.parent().unwrap_or(Path::new("/"));
            let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
                .map(|entries| {
                    entries
                        .filter_map(Result::ok)
                        .filter(|e| wildcard_match(&name, &e.file_name().to_string_lossy(), false))
                        .map(|e| e.path())
                        .collect()
                })
                .unwrap_or_default();
            found.sort();
            found
        } else {
            vec![path]
        };
        let mut files = Vec::new();
        for path in paths.into_iter().filter(|p| p.is_file()) {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            files.push((path.display().to_string(), text));
        }
        Ok(files)
    }
}

/// Fills what the command line left unset from `-F FILE` or
/// `~/.ssh/config` (the first value obtained wins, as in OpenSSH):
/// HostName, Port, User, IdentityFile, IdentitiesOnly, IdentityAgent,
/// ForwardAgent, ProxyJump / ProxyCommand, StrictHostKeyChecking,
/// UserKnownHostsFile, the algorithm lists, ConnectTimeout, Compression
/// and ServerAlive*. `Include` and `Match host/user` are resolved by the parser.
fn apply_ssh_config(args: &mut Args, user: &str) -> Result<(), String> {
    let path = args.config_file.clone().unwrap_or_else(|| home().join(".ssh").join("config"));
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(_) if args.config_file.is_none() => return Ok(()),
        Err(e) => return Err(format!("Can't open user config file {}: {e}", path.display())),
    };
    let name = path.display().to_string();
    let config = SshConfig::parse(&name, &text, &mut FileIncludes).map_err(|e| e.to_string())?;
    let host = config.resolve(&args.host, user);
    if args.proxy_command.is_none() && args.proxy_jump.is_none() {
        args.proxy_jump = host.proxy_jump.filter(|j| !j.eq_ignore_ascii_case("none"));
        args.proxy_command = host.proxy_command;
    }
    if let Some(real) = host.host_name {
        args.host = real.replace("%h", &args.host);
    }
    args.port = args.port.or(host.port);
    args.user = args.user.take().or(host.user);
    if args.identities.is_empty() {
        args.identities = host.identity_files.iter().map(|f| expand_path(f).unwrap_or_else(|| f.into())).collect();
    }
    if args.certificates.is_empty() {
        args.certificates = host.certificate_files.iter().map(|f| expand_path(f).unwrap_or_else(|| f.into())).collect();
    }
    args.identities_only = args.identities_only.or(host.identities_only);
    args.identity_agent = args.identity_agent.take().or(host.identity_agent);
    args.forward_agent = args.forward_agent.take().or(host.forward_agent);
    args.server_alive_interval = args.server_alive_interval.or(host.server_alive_interval.map(u64::from));
    args.server_alive_count_max = args.server_alive_count_max.or(host.server_alive_count_max);
    args.connect_timeout = args.connect_timeout.or(host.connect_timeout.map(u64::from));
    args.compression = args.compression.or(host.compression);
    if args.strict.is_none() {
        args.strict = host.strict_host_key_checking.and_then(|s| match s {
            ConfigStrict::Yes => Some(StrictHostKeyChecking::Yes),
            ConfigStrict::AcceptNew => Some(StrictHostKeyChecking::AcceptNew),
            ConfigStrict::No => Some(StrictHostKeyChecking::No),
            _ => None,
        });
    }
    if args.known_hosts.is_none() {
        args.known_hosts = host.user_known_hosts_files.and_then(|f| f.first().and_then(|p| expand_path(p)));
    }
    let lists = [
        ("kexalgorithms", host.kex_algorithms),
        ("ciphers", host.ciphers),
        ("macs", host.macs),
        ("hostkeyalgorithms", host.host_key_algorithms),
    ];
    for (key, list) in lists {
        if let Some(list) = list.filter(|_| !args.lists.iter().any(|(k, _)| k == key)) {
            args.lists.push((key.to_owned(), list));
        }
    }
    Ok(())
}

/// The client settings for `user` at `host` (the target or a jump host:
/// the same identities, known_hosts and algorithms).
fn client_config(args: &Args, user: &str, host: &str) -> Result<ClientConfig, String> {
    let mut config = ClientConfig::new(user);
    config.host_name = Some(host.to_owned());
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
            Err(KeyError::Encrypted) if args.batch_mode => Err(KeyError::Encrypted),
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
            Err(e) => log::error(format!("ssh: skipping {}: {e}", path.display())),
        }
        // OpenSSH loads `<identity>-cert.pub` along with each identity.
        let mut cert_path = path.into_os_string();
        cert_path.push("-cert.pub");
        if let Ok(text) = std::fs::read_to_string(&cert_path) {
            load_certificate(&mut config, &text, Path::new(&cert_path));
        }
    }
    for path in &args.certificates {
        match std::fs::read_to_string(path) {
            Ok(text) => load_certificate(&mut config, &text, path),
            Err(e) => log::error(format!("ssh: no such certificate {}: {e}", path.display())),
        }
    }
    let agent_socket = agent_socket(args.identity_agent.as_deref());
    config.agent = agent_socket.as_deref().and_then(|path| AgentClient::connect(path).ok());
    config.identities_only = args.identities_only.unwrap_or(false);
    config.compression = args.compression.unwrap_or(false);
    config.forward_agent = match args.forward_agent.as_deref().map(str::trim) {
        None => None,
        Some(v) if v.eq_ignore_ascii_case("no") || v.eq_ignore_ascii_case("false") => None,
        Some(v) if v.eq_ignore_ascii_case("yes") || v.eq_ignore_ascii_case("true") => agent_socket.clone(),
        Some(path) => expand_path(path),
    };
    config.server_alive_interval = args.server_alive_interval.filter(|&s| s > 0).map(Duration::from_secs);
    if let Some(count) = args.server_alive_count_max {
        config.server_alive_count_max = count;
    }
    config.connect_timeout = args.connect_timeout.filter(|&s| s > 0).map(Duration::from_secs);
    let known_path = known_hosts_path(args);
    let known_text = std::fs::read_to_string(&known_path).unwrap_or_default();
    config.known_hosts = KnownHosts::parse(&known_text).map_err(|e| format!("{}: {e}", known_path.display()))?;
    config.known_hosts_file = Some(known_path);
    config.strict_host_key_checking = args.strict.unwrap_or(StrictHostKeyChecking::Yes);
    for (key, list) in &args.lists {
        // An explicit HostKeyAlgorithms is used in the order given.
        config.order_host_keys &= key != "hostkeyalgorithms";
        let slot = match key.as_str() {
            "kexalgorithms" => &mut config.preferences.kex,
            "ciphers" => &mut config.preferences.cipher,
            "macs" => &mut config.preferences.mac,
            _ => &mut config.preferences.host_key,
        };
        slot.clone_from(list);
    }
    Ok(config)
}

/// Adds a user certificate read from `path`, or says why not.
fn load_certificate(config: &mut ClientConfig, text: &str, path: &Path) {
    match Certificate::from_openssh_line(text) {
        Ok((certificate, _)) => config.certificates.push(certificate),
        Err(e) => log::error(format!("ssh: skipping certificate {}: {e}", path.display())),
    }
}

/// `~/` and a whole-value `$VAR` in a socket path, as OpenSSH expands
/// `IdentityAgent` and `ForwardAgent`; `None` for an unset variable.
fn expand_path(value: &str) -> Option<PathBuf> {
    if let Some(name) = value.strip_prefix('$') {
        return std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    }
    match value.strip_prefix("~/") {
        Some(rest) => Some(home().join(rest)),
        None => Some(PathBuf::from(value)),
    }
}

/// The agent socket to use: `IdentityAgent` (`none` disables the agent,
/// `SSH_AUTH_SOCK` names the variable) or else `$SSH_AUTH_SOCK`.
fn agent_socket(identity_agent: Option<&str>) -> Option<PathBuf> {
    match identity_agent {
        Some(v) if v.eq_ignore_ascii_case("none") => None,
        Some("SSH_AUTH_SOCK") | None => expand_path("$SSH_AUTH_SOCK"),
        Some(path) => expand_path(path),
    }
}

/// Connects directly, through the proxy command, or through the jump
/// hosts: each hop is reached by a `direct-tcpip` channel of the hop
/// before, all in this process.
fn connect(args: &Args, user: &str) -> Result<Session, String> {
    let port = args.port.unwrap_or(22);
    if let Some(template) = args.proxy_command.as_ref().filter(|c| !c.eq_ignore_ascii_case("none")) {
        let config = client_config(args, user, &args.host)?;
        let command = expand_proxy_command(template, &args.host, port, user, &args.host)?;
        let stream = ProxyCommand::spawn(&command).map_err(|e| format!("proxy command {command:?}: {e}"))?;
        return Client::connect_stream(Box::new(stream), &args.host, port, config)
            .map_err(|e| connect_error(args, &args.host, &e));
    }
    let Some(jumps) = &args.proxy_jump else {
        let config = client_config(args, user, &args.host)?;
        return Client::connect((args.host.as_str(), port), config).map_err(|e| connect_error(args, &args.host, &e));
    };
    let local_user = std::env::var("USER").unwrap_or_else(|_| "root".into());
    let mut previous: Option<Session> = None;
    let hops = parse_jumps(jumps)?;
    let target = Hop { user: Some(user.to_owned()), host: args.host.clone(), port };
    for hop in hops.iter().chain(std::iter::once(&target)) {
        let hop_user = hop.user.as_deref().unwrap_or(&local_user);
        let hop_config = client_config(args, hop_user, &hop.host)?;
        let where_ = format!("{}:{}", hop.host, hop.port);
        let session = match previous.take() {
            None => Client::connect((hop.host.as_str(), hop.port), hop_config),
            Some(outer) => {
                let stream = ChannelStream::open(outer, &hop.host, hop.port)
                    .map_err(|e| format!("jump to {where_} failed: {e}"))?;
                Client::connect_stream(Box::new(stream), &hop.host, hop.port, hop_config)
            }
        };
        previous = Some(session.map_err(|e| connect_error(args, &where_, &e))?);
    }
    previous.ok_or_else(|| "no hosts to connect to".to_owned())
}

/// The known_hosts file in use (`UserKnownHostsFile` or the default).
fn known_hosts_path(args: &Args) -> PathBuf {
    args.known_hosts.clone().unwrap_or_else(|| home().join(".ssh").join("known_hosts"))
}

/// A connection failure as `ssh` reports it. Host key failures get
/// OpenSSH's own text, written here; the empty string then tells
/// [`main`] that the failure is already reported.
fn connect_error(args: &Args, where_: &str, error: &ClientError) -> String {
    use puressh::error::KexError;
    let ClientError::Ssh(puressh::Error::Kex(kex)) = error else { return format!("{where_}: {error}") };
    let file = known_hosts_path(args);
    let file = file.display();
    match kex {
        KexError::HostKeyChanged { host, key_type, fingerprint, line } => {
            let bar = "@".repeat(59);
            // One log message per line, as OpenSSH logs them (the
            // fingerprint message spans two).
            for message in [
                bar.clone(),
                "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @".into(),
                bar,
                "IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!".into(),
                "Someone could be eavesdropping on you right now (man-in-the-middle attack)!".into(),
                "It is also possible that a host key has just been changed.".into(),
                format!("The fingerprint for the {key_type} key sent by the remote host is\n{fingerprint}."),
                "Please contact your system administrator.".into(),
                format!("Add correct host key in {file} to get rid of this message."),
                format!("Offending {key_type} key in {file}:{line}"),
                "  remove with:".into(),
                format!("  ssh-keygen -f \"{file}\" -R \"{host}\""),
                format!("Host key for {host} has changed and you have requested strict checking."),
                "Host key verification failed.".into(),
            ] {
                log::error(message);
            }
            String::new()
        }
        KexError::HostKeyUnknown { .. } => {
            log::error(kex);
            log::error("Host key verification failed.");
            String::new()
        }
        _ => format!("{where_}: {error}"),
    }
}

/// Whether to ask for a pty, as OpenSSH decides (with its message when
/// stdin is not a terminal).
fn want_pty(args: &Args, stdin_tty: bool) -> bool {
    let asked = match args.request_tty {
        RequestTty::No => false,
        RequestTty::Force => return true,
        RequestTty::Yes => true,
        RequestTty::Auto => args.command.is_empty(),
    };
    if asked && !stdin_tty {
        if !args.quiet {
            log::info("Pseudo-terminal will not be allocated because stdin is not a terminal.");
        }
        return false;
    }
    asked
}

/// Signals that end a raw-mode session cleanly instead of killing it
/// with the terminal left raw.
const TERMINATING: [libc::c_int; 4] = [libc::SIGTERM, libc::SIGHUP, libc::SIGINT, libc::SIGQUIT];

fn run(mut args: Args) -> Result<u8, String> {
    let local_user = std::env::var("USER").unwrap_or_else(|_| "root".into());
    let user = args.user.clone().unwrap_or_else(|| local_user.clone());
    apply_ssh_config(&mut args, &user)?;
    let user = args.user.clone().unwrap_or(local_user);
    log::debug(1, format!("Connecting to {} port {}.", args.host, args.port.unwrap_or(22)));
    let mut session = connect(&args, &user)?;
    debug_connection(&session, &args.host, args.port.unwrap_or(22));
    report_forwards(&args)?;
    if let Some((host, port)) = args.stdio_forward.clone() {
        let channel = session
            .open_direct_tcpip(&host, port)
            .map_err(|e| format!("stdio forwarding to {host}:{port} failed: {e}"))?;
        let signals = SignalPipe::install(&[]).map_err(|e| e.to_string())?;
        let options = RelayOptions { escape: None, pty: false, read_stdin: true };
        let end = relay::relay(&mut session, channel, &options, None, &signals)?;
        if let RelayEnd::Timeout(message) = &end {
            log::error(message);
        }
        let _ = session.disconnect();
        return Ok(if matches!(end, RelayEnd::Closed(_)) { 0 } else { 255 });
    }
    if args.no_command {
        // -N: no session, only the connection (for forwardings, which
        // come later); it lasts until the server ends it or a signal.
        loop {
            let buffered = session.has_buffered_input();
            let timeout = relay::wait_ms(&session, buffered);
            let ready = terminal::poll_readable(&[session.readable_fd()], timeout).map_err(|e| format!("poll: {e}"))?;
            match session
                .handle_timeout(std::time::Instant::now())
                .and_then(|()| session.receive_ready(ready.first().copied().unwrap_or(false)))
            {
                Ok(()) => {}
                Err(e @ puressh::client::ClientError::Timeout(_)) => {
                    log::error(&e);
                    return Ok(255);
                }
                Err(e) => return Err(e.to_string()),
            }
        }
    }
    let stdin_tty = std::io::stdin().is_terminal();
    let pty = want_pty(&args, stdin_tty);
    let mut start = SessionStart::new(if args.command.is_empty() {
        SessionKind::Shell
    } else {
        SessionKind::Exec(args.command.join(" ").into_bytes())
    });
    if pty {
        let (cols, rows, width_px, height_px) = terminal::window_size(0);
        let mut request = PtyRequest::new(&std::env::var("TERM").unwrap_or_default(), cols, rows);
        request.width_px = width_px;
        request.height_px = height_px;
        request.modes = terminal::terminal_modes(0);
        start.pty = Some(request);
    }
    let started = session.start_session(&start).map_err(|e| e.to_string())?;
    if pty && !started.pty_granted {
        log::error(format!("PTY allocation request failed on channel {}", started.channel));
    }
    let mut raw = if started.pty_granted && stdin_tty { RawMode::enter(0) } else { None };
    let watched: &[libc::c_int] = if raw.is_some() { &TERMINATING } else { &[] };
    let signals = SignalPipe::install(&[&[libc::SIGWINCH], watched].concat()).map_err(|e| e.to_string())?;
    let options = RelayOptions {
        escape: if pty { args.escape.unwrap_or(Some(b'~')) } else { None },
        pty: started.pty_granted,
        read_stdin: !args.stdin_null,
    };
    let end = relay::relay(&mut session, started.channel, &options, raw.as_mut(), &signals);
    drop(raw);
    drop(signals);
    let code = match end? {
        RelayEnd::Closed(outcome) => {
            if let Some(signal) = &outcome.signal {
                log::error(format!("ssh: remote command killed by signal {signal}"));
            }
            outcome.exit_code()
        }
        RelayEnd::EscapeDisconnect => 255,
        RelayEnd::Signalled(signal) => {
            log::error(format!("Killed by signal {signal}."));
            255
        }
        RelayEnd::Timeout(message) => {
            log::error(&message);
            255
        }
    };
    if pty && !args.quiet {
        log::info(format!("Connection to {} closed.", args.host));
    }
    let _ = session.disconnect();
    Ok(code)
}

/// Runs `ssh` with the arguments after the program name.
pub(crate) fn main(args: Vec<String>) -> ExitCode {
    let args = match parse(args.into_iter()) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("ssh: {e}");
            return ExitCode::from(255);
        }
    };
    if let Some(what) = &args.query {
        return print_query(what);
    }
    if let Err(e) = log::init(args.log_file.as_deref(), args.quiet, args.verbosity) {
        eprintln!("ssh: {e}");
        return ExitCode::from(255);
    }
    match run(args) {
        Ok(code) => ExitCode::from(code),
        // Already reported in OpenSSH's words (see `connect_error`).
        Err(e) if e.is_empty() => ExitCode::from(255),
        Err(e) => {
            log::error(format!("ssh: {e}"));
            ExitCode::from(255)
        }
    }
}

/// `-Q`: the list on stdout, or OpenSSH's complaint and 255.
fn print_query(what: &str) -> ExitCode {
    match query::answer(what) {
        Some(list) => {
            let mut out = String::new();
            for name in list {
                out.push_str(name);
                out.push('\n');
            }
            print!("{out}");
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("Unsupported query \"{what}\"");
            ExitCode::from(255)
        }
    }
}

/// `-v`: what was negotiated and with whom, in OpenSSH's debug1 words.
fn debug_connection(session: &Session, host: &str, port: u16) {
    if let Some(n) = session.negotiated() {
        log::debug(1, format!("kex: algorithm: {}", n.kex));
        log::debug(1, format!("kex: host key algorithm: {}", n.host_key));
        let mac = |m: &Option<String>| m.clone().unwrap_or_else(|| "<implicit>".into());
        log::debug(
            1,
            format!(
                "kex: server->client cipher: {} MAC: {} compression: {}",
                n.cipher_s2c,
                mac(&n.mac_s2c),
                n.compression_s2c
            ),
        );
        log::debug(
            1,
            format!(
                "kex: client->server cipher: {} MAC: {} compression: {}",
                n.cipher_c2s,
                mac(&n.mac_c2s),
                n.compression_c2s
            ),
        );
    }
    if let Some(blob) = session.host_key() {
        let sha256 = purecrypto::hash::HashAlgorithm::Sha256;
        match Certificate::from_blob(blob) {
            Ok(cert) => log::debug(
                1,
                format!(
                    "Server host certificate: {} {}, serial {} ID \"{}\" CA {} {}",
                    cert.key_type(),
                    cert.key.fingerprint(sha256),
                    cert.serial,
                    cert.key_id,
                    cert.signature_key.key_type(),
                    cert.signature_key.fingerprint(sha256)
                ),
            ),
            Err(_) => {
                if let Ok(key) = puressh::keys::PublicKey::from_blob(blob) {
                    log::debug(1, format!("Server host key: {} {}", key.key_type(), key.fingerprint(sha256)));
                }
            }
        }
    }
    log::debug(1, format!("Authenticated to {host} ([{host}]:{port})."));
}

/// Forwardings are parsed but not set up by this build: each one is
/// reported the way `ssh` reports a forwarding it could not establish,
/// and `ExitOnForwardFailure` makes that fatal.
fn report_forwards(args: &Args) -> Result<(), String> {
    for forward in &args.forwards {
        let message =
            format!("Could not request {} forwarding (port forwarding is not implemented yet).", forward.kind.label());
        if args.exit_on_forward_failure {
            return Err(message);
        }
        log::error(format!("Warning: {message}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Result<Args, String> {
        parse(line.split_whitespace().map(str::to_owned))
    }

    #[test]
    fn cipher_mac_query_log_and_forward_flags() {
        let a = args("-c aes256-gcm@openssh.com,aes128-ctr -m ^hmac-sha2-512 -vvv -E /tmp/log host").unwrap();
        assert_eq!(
            a.lists[0],
            ("ciphers".to_owned(), vec![puressh::names::AES256_GCM.to_owned(), puressh::names::AES128_CTR.to_owned()])
        );
        assert_eq!(a.lists[1].0, "macs");
        assert_eq!(a.lists[1].1[0], puressh::names::HMAC_SHA2_512);
        assert_eq!((a.verbosity, a.log_file.as_deref()), (3, Some(Path::new("/tmp/log"))));
        assert!(args("-c nope-cipher host").is_err());
        // -Q needs no destination.
        assert_eq!(args("-Q cipher").unwrap().query.as_deref(), Some("cipher"));
        assert!(args("-v").is_err());
        let a = args("-L 8080:db:5432 -R 0:localhost:22 -D1080 -o LocalForward=9090:h:80 host").unwrap();
        assert_eq!(a.forwards.len(), 4);
        let a = args("-L 8080:db:5432 -o DynamicForward=1080 -o ExitOnForwardFailure=yes host").unwrap();
        assert_eq!(a.forwards.len(), 2);
        assert!(a.exit_on_forward_failure);
        assert_eq!(
            report_forwards(&a).unwrap_err(),
            "Could not request local forwarding (port forwarding is not implemented yet)."
        );
        assert_eq!(args("-L abc host").err().unwrap(), "Bad local forwarding specification 'abc'");
        assert_eq!(args("-o LogLevel=DEBUG2 host").unwrap().verbosity, 2);
        assert!(args("-o LogLevel=QUIET host").unwrap().quiet);
        assert!(args("-o BatchMode=yes host").unwrap().batch_mode);
    }

    #[test]
    fn tty_flags_as_openssh() {
        assert_eq!(args("host").unwrap().request_tty, RequestTty::Auto);
        assert_eq!(args("-t host").unwrap().request_tty, RequestTty::Yes);
        assert_eq!(args("-tt host").unwrap().request_tty, RequestTty::Force);
        assert_eq!(args("-t -t host").unwrap().request_tty, RequestTty::Force);
        assert_eq!(args("-T -t host").unwrap().request_tty, RequestTty::No);
        assert_eq!(args("-o RequestTTY=force host").unwrap().request_tty, RequestTty::Force);
        let a = args("-Tnq host cmd").unwrap();
        assert!(a.stdin_null && a.quiet && a.request_tty == RequestTty::No);
        assert!(want_pty(&args("host").unwrap(), true));
        assert!(!want_pty(&args("host ls").unwrap(), true));
        assert!(want_pty(&args("-t host ls").unwrap(), true));
        assert!(!want_pty(&args("-tq host").unwrap(), false));
        assert!(want_pty(&args("-tt host ls").unwrap(), false));
    }

    #[test]
    fn values_attached_or_separate() {
        let a = args("-p2222 -l bob -e ^X -W [::1]:22 -Jjump:2200 host").unwrap();
        assert_eq!((a.port, a.user.as_deref()), (Some(2222), Some("bob")));
        assert_eq!(a.escape, Some(Some(0x18)));
        assert_eq!(a.stdio_forward, Some(("::1".to_owned(), 22)));
        assert_eq!(a.proxy_jump.as_deref(), Some("jump:2200"));
        assert_eq!(args("-e none host").unwrap().escape, Some(None));
        assert!(args("-e xy host").is_err());
        assert!(args("-W h:1 host ls").is_err());
        assert!(args("-p").is_err());
        let a = args("-o ProxyCommand=nc_%h_%p alice@host echo hi").unwrap();
        assert_eq!(a.proxy_command.as_deref(), Some("nc_%h_%p"));
        assert_eq!((a.user.as_deref(), a.host.as_str(), a.command.len()), (Some("alice"), "host", 2));
    }

    #[test]
    fn jump_hosts_parse() {
        let hops = parse_jumps("a@first:2201,second,[::1]:22").unwrap();
        assert_eq!(
            hops,
            [
                Hop { user: Some("a".into()), host: "first".into(), port: 2201 },
                Hop { user: None, host: "second".into(), port: 22 },
                Hop { user: None, host: "::1".into(), port: 22 },
            ]
        );
        assert!(parse_jumps("host:x").is_err());
        assert!(parse_jumps("a,,b").is_err());
    }

    #[test]
    fn agent_and_keepalive_options() {
        assert_eq!(args("-A host").unwrap().forward_agent.as_deref(), Some("yes"));
        assert_eq!(args("-A -a host").unwrap().forward_agent.as_deref(), Some("no"));
        let a = args("-o IdentityAgent=none -o IdentitiesOnly=yes -o ServerAliveInterval=5 host").unwrap();
        assert_eq!((a.identity_agent.as_deref(), a.identities_only), (Some("none"), Some(true)));
        assert_eq!(a.server_alive_interval, Some(5));
        let a = args("-o ServerAliveCountMax=7 -o ConnectTimeout=none -o ForwardAgent=/tmp/s host").unwrap();
        assert_eq!((a.server_alive_count_max, a.connect_timeout), (Some(7), Some(0)));
        assert_eq!(a.forward_agent.as_deref(), Some("/tmp/s"));
        assert!(args("-o IdentitiesOnly=maybe host").is_err());
        assert!(args("-o ServerAliveInterval=soon host").is_err());
        assert_eq!(agent_socket(Some("none")), None);
        assert_eq!(agent_socket(Some("/run/a.sock")), Some(PathBuf::from("/run/a.sock")));
    }

    #[test]
    fn compression_flag_and_option() {
        assert_eq!(args("host").unwrap().compression, None);
        assert_eq!(args("-C host").unwrap().compression, Some(true));
        assert_eq!(args("-C -o Compression=no host").unwrap().compression, Some(false));
        assert!(args("-o Compression=fast host").is_err());
    }

    #[test]
    fn algorithm_options_take_openssh_modifiers() {
        let defaults = puressh::client::default_preferences();
        let ciphers = |spec: &str| algorithm_list("ciphers", spec);
        assert_eq!(ciphers("aes128-ctr,aes256-gcm@openssh.com").unwrap(), ["aes128-ctr", "aes256-gcm@openssh.com"]);
        let removed = ciphers("-aes*-ctr").unwrap();
        assert!(removed.iter().all(|c| !c.ends_with("-ctr")) && !removed.is_empty());
        assert_eq!(ciphers("^aes128-ctr").unwrap().first().map(String::as_str), Some("aes128-ctr"));
        assert_eq!(ciphers("^aes128-ctr").unwrap().len(), defaults.cipher.len());
        assert!(ciphers("+3des-cbc").is_err());
        let host_keys = algorithm_list("hostkeyalgorithms", "+ssh-rsa").unwrap();
        assert_eq!(host_keys.last().map(String::as_str), Some("ssh-rsa"));
        assert_eq!(host_keys.len(), defaults.host_key.len() + 1);
        let a = args("-o Ciphers=-chacha20-poly1305@openssh.com host").unwrap();
        assert!(!a.lists[0].1.iter().any(|c| c.starts_with("chacha")));
    }

    #[test]
    fn ssh_config_fills_what_the_command_line_left_unset() {
        let dir = std::env::temp_dir().join(format!("puressh-ssh-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let included = dir.join("extra.conf");
        std::fs::write(&included, "Host alias\n    ServerAliveInterval 9\n    ForwardAgent yes\n").unwrap();
        let config = dir.join("config");
        let text = format!(
            "Include {}/extra*.conf\nHost alias\n    HostName 127.0.0.7\n    Port 2201\n    User alice\n    \
             IdentityFile /keys/a\n    IdentitiesOnly yes\n    Ciphers ^aes128-ctr\nMatch host 127.0.0.7 user alice\n    \
             ConnectTimeout 4\n    ServerAliveCountMax 1\n",
            dir.display()
        );
        std::fs::write(&config, text).unwrap();
        let mut a = args(&format!("-F {} -p 2222 -o ServerAliveCountMax=5 alias ls", config.display())).unwrap();
        apply_ssh_config(&mut a, "me").unwrap();
        assert_eq!((a.host.as_str(), a.port, a.user.as_deref()), ("127.0.0.7", Some(2222), Some("alice")));
        assert_eq!(a.identities, [PathBuf::from("/keys/a")]);
        assert_eq!((a.identities_only, a.server_alive_interval), (Some(true), Some(9)));
        assert_eq!(a.forward_agent.as_deref(), Some("yes"));
        // Match host (the HostName) and user (set by the config's User);
        // the command line's count wins.
        assert_eq!((a.connect_timeout, a.server_alive_count_max), (Some(4), Some(5)));
        assert_eq!(a.lists[0].1.first().map(String::as_str), Some("aes128-ctr"));
        let mut b = args(&format!("-F {} alias", config.display())).unwrap();
        apply_ssh_config(&mut b, "me").unwrap();
        assert_eq!((b.connect_timeout, b.server_alive_count_max), (Some(4), Some(1)));
        // Another user on the command line: the Match block does not apply.
        let mut c = args(&format!("-F {} -l bob 127.0.0.7", config.display())).unwrap();
        apply_ssh_config(&mut c, "bob").unwrap();
        assert_eq!((c.user.as_deref(), c.connect_timeout, c.server_alive_count_max), (Some("bob"), None, None));
        let mut d = args(&format!("-F {} -l alice 127.0.0.7", config.display())).unwrap();
        apply_ssh_config(&mut d, "alice").unwrap();
        assert_eq!((d.connect_timeout, d.server_alive_interval), (Some(4), None));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
