//! OpenSSH client configuration (`~/.ssh/config`, `-F`): `Host` and
//! `Match host/originalhost/user/all` blocks, `Include` with a depth
//! limit, first-value-wins resolution, and the keywords puressh uses.
//!
//! Entry points: [`SshConfig::parse`] (with an [`IncludeLoader`] that
//! reads and globs included files: the parser itself does no I/O) and
//! [`SshConfig::resolve`], which yields a [`HostConfig`] for one target.
//!
//! Included files are read in place; their lines apply only where the
//! enclosing `Host`/`Match` applies, and the enclosing condition holds
//! again after the `Include` line.

use crate::error::{ConfigError, ConfigErrorKind};
use crate::names;

/// Deepest `Include` nesting accepted.
pub const MAX_INCLUDE_DEPTH: usize = 16;

/// Longest line accepted.
pub const MAX_LINE_LEN: usize = 16 * 1024;

/// Reads included files: given an `Include` argument (possibly a glob,
/// relative paths already meaning `~/.ssh/`), returns each matching
/// file's name and contents, in lexical order.
pub trait IncludeLoader {
    /// Loads the files `pattern` names.
    ///
    /// # Errors
    /// A human-readable reason.
    fn load(&mut self, pattern: &str) -> Result<Vec<(String, String)>, String>;
}

/// A loader for configurations that may not include files.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoIncludes;

impl IncludeLoader for NoIncludes {
    fn load(&mut self, _pattern: &str) -> Result<Vec<(String, String)>, String> {
        Err("Include is not available here".to_owned())
    }
}

/// `StrictHostKeyChecking`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StrictHostKeyChecking {
    /// `yes`: unknown and changed keys are refused.
    Yes,
    /// `accept-new`: unknown keys are added, changed keys refused.
    AcceptNew,
    /// `no` / `off`: unknown keys are added, changed keys refused for
    /// connections (OpenSSH still refuses to overwrite).
    No,
    /// `ask`: the user decides.
    Ask,
}

/// The settings that apply to one target, each from the first line that
/// set it (`IdentityFile` accumulates, as in OpenSSH).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct HostConfig {
    /// `HostName`.
    pub host_name: Option<String>,
    /// `Port`.
    pub port: Option<u16>,
    /// `User`.
    pub user: Option<String>,
    /// `IdentityFile`, every one in order.
    pub identity_files: Vec<String>,
    /// `CertificateFile`, every one in order.
    pub certificate_files: Vec<String>,
    /// `IdentitiesOnly`.
    pub identities_only: Option<bool>,
    /// `ProxyJump`.
    pub proxy_jump: Option<String>,
    /// `ProxyCommand` (the rest of the line, unparsed).
    pub proxy_command: Option<String>,
    /// `StrictHostKeyChecking`.
    pub strict_host_key_checking: Option<StrictHostKeyChecking>,
    /// `UserKnownHostsFile`.
    pub user_known_hosts_files: Option<Vec<String>>,
    /// `KexAlgorithms`, modifiers applied to the registry defaults.
    pub kex_algorithms: Option<Vec<String>>,
    /// `Ciphers`, modifiers applied.
    pub ciphers: Option<Vec<String>>,
    /// `MACs`, modifiers applied.
    pub macs: Option<Vec<String>>,
    /// `HostKeyAlgorithms`, modifiers applied.
    pub host_key_algorithms: Option<Vec<String>>,
    /// `ConnectTimeout` in seconds.
    pub connect_timeout: Option<u32>,
    /// `ServerAliveInterval` in seconds.
    pub server_alive_interval: Option<u32>,
    /// `ServerAliveCountMax`.
    pub server_alive_count_max: Option<u32>,
    /// `IdentityAgent`: a socket path, `SSH_AUTH_SOCK`, `$VAR` or `none`.
    pub identity_agent: Option<String>,
    /// `ForwardAgent`: `yes`, `no`, a socket path or `$VAR`.
    pub forward_agent: Option<String>,
    /// `Compression`: whether to offer zlib compression.
    pub compression: Option<bool>,
}

/// One typed setting line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Setting {
    HostName(String),
    Port(u16),
    User(String),
    IdentityFile(String),
    CertificateFile(String),
    IdentitiesOnly(bool),
    ProxyJump(String),
    ProxyCommand(String),
    StrictHostKeyChecking(StrictHostKeyChecking),
    UserKnownHostsFile(Vec<String>),
    KexAlgorithms(Vec<String>),
    Ciphers(Vec<String>),
    Macs(Vec<String>),
    HostKeyAlgorithms(Vec<String>),
    ConnectTimeout(u32),
    ServerAliveInterval(u32),
    ServerAliveCountMax(u32),
    IdentityAgent(String),
    ForwardAgent(String),
    Compression(bool),
}

/// One `Match` criterion.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Criterion {
    All,
    Host { negated: bool, list: String },
    OriginalHost { negated: bool, list: String },
    User { negated: bool, list: String },
}

/// A block header.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Condition {
    /// `Host` patterns (whitespace-separated, `!` negation).
    Host(Vec<String>),
    /// `Match` criteria, all of which must hold.
    Match(Vec<Criterion>),
}

/// A setting with the conditions (outer `Include` contexts first) under which it applies.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Directive {
    conditions: Vec<usize>,
    setting: Setting,
}

/// A parsed configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SshConfig {
    conditions: Vec<Condition>,
    directives: Vec<Directive>,
}

/// What a target looks like while resolving.
struct Target<'a> {
    original: &'a str,
    host: String,
    user: String,
}

impl SshConfig {
    /// Parses `text` (named `file` in errors), reading `Include`d files
    /// through `loader`.
    ///
    /// # Errors
    /// [`ConfigError`] with the file and 1-based line of the first problem.
    pub fn parse(file: &str, text: &str, loader: &mut dyn IncludeLoader) -> Result<Self, ConfigError> {
        let mut config = Self::default();
        let mut parser = Parser { config: &mut config, loader, ignore_unknown: Vec::new() };
        parser.file(file, text, &[], 0)?;
        Ok(config)
    }

    /// The settings for `host` as typed on the command line, connecting
    /// as `user` unless the configuration says otherwise.
    #[must_use]
    pub fn resolve(&self, host: &str, user: &str) -> HostConfig {
        let mut out = HostConfig::default();
        let mut target = Target { original: host, host: host.to_owned(), user: user.to_owned() };
        for directive in &self.directives {
            let applies =
                directive.conditions.iter().all(|&i| self.conditions.get(i).is_some_and(|c| c.holds(&target)));
            if applies {
                apply(&mut out, &directive.setting);
                if let Some(name) = &out.host_name {
                    target.host.clone_from(name);
                }
                if let Some(u) = &out.user {
                    target.user.clone_from(u);
                }
            }
        }
        out
    }
}

fn apply(out: &mut HostConfig, setting: &Setting) {
    fn first<T: Clone>(slot: &mut Option<T>, value: &T) {
        if slot.is_none() {
            *slot = Some(value.clone());
        }
    }
    match setting {
        Setting::HostName(v) => first(&mut out.host_name, v),
        Setting::Port(v) => first(&mut out.port, v),
        Setting::User(v) => first(&mut out.user, v),
        Setting::IdentityFile(v) => out.identity_files.push(v.clone()),
        Setting::CertificateFile(v) => out.certificate_files.push(v.clone()),
        Setting::IdentitiesOnly(v) => first(&mut out.identities_only, v),
        Setting::ProxyJump(v) => first(&mut out.proxy_jump, v),
        Setting::ProxyCommand(v) => first(&mut out.proxy_command, v),
        Setting::StrictHostKeyChecking(v) => first(&mut out.strict_host_key_checking, v),
        Setting::UserKnownHostsFile(v) => first(&mut out.user_known_hosts_files, v),
        Setting::KexAlgorithms(v) => first(&mut out.kex_algorithms, v),
        Setting::Ciphers(v) => first(&mut out.ciphers, v),
        Setting::Macs(v) => first(&mut out.macs, v),
        Setting::HostKeyAlgorithms(v) => first(&mut out.host_key_algorithms, v),
        Setting::ConnectTimeout(v) => first(&mut out.connect_timeout, v),
        Setting::ServerAliveInterval(v) => first(&mut out.server_alive_interval, v),
        Setting::ServerAliveCountMax(v) => first(&mut out.server_alive_count_max, v),
        Setting::IdentityAgent(v) => first(&mut out.identity_agent, v),
        Setting::ForwardAgent(v) => first(&mut out.forward_agent, v),
        Setting::Compression(v) => first(&mut out.compression, v),
    }
}

impl Condition {
    fn holds(&self, target: &Target<'_>) -> bool {
        match self {
            Self::Host(patterns) => {
                let mut hit = false;
                for p in patterns {
                    if let Some(neg) = p.strip_prefix('!') {
                        if crate::pattern::wildcard_match(neg, target.original, true) {
                            return false;
                        }
                    } else if crate::pattern::wildcard_match(p, target.original, true) {
                        hit = true;
                    }
                }
                hit
            }
            Self::Match(criteria) => criteria.iter().all(|c| {
                let (negated, list, text) = match c {
                    Criterion::All => return true,
                    Criterion::Host { negated, list } => (negated, list, target.host.as_str()),
                    Criterion::OriginalHost { negated, list } => (negated, list, target.original),
                    Criterion::User { negated, list } => (negated, list, target.user.as_str()),
                };
                (crate::pattern::match_list(list, text, true) == Some(true)) != *negated
            }),
        }
    }
}

struct Parser<'c, 'l> {
    config: &'c mut SshConfig,
    loader: &'l mut dyn IncludeLoader,
    ignore_unknown: Vec<String>,
}

/// Splits arguments on whitespace, honouring double quotes.
fn split_args(text: &str) -> Result<Vec<String>, ConfigErrorKind> {
    let mut args = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&c) = chars.peek() else { return Ok(args) };
        let mut arg = String::new();
        if c == '"' {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') => break,
                    Some(ch) => arg.push(ch),
                    None => return Err(ConfigErrorKind::UnterminatedQuote),
                }
            }
        } else {
            while let Some(ch) = chars.next_if(|c| !c.is_whitespace()) {
                if ch == '"' {
                    return Err(ConfigErrorKind::UnterminatedQuote);
                }
                arg.push(ch);
            }
        }
        args.push(arg);
    }
}

fn one(keyword: &'static str, args: &[String]) -> Result<String, ConfigErrorKind> {
    match args {
        [only] => Ok(only.clone()),
        _ => Err(ConfigErrorKind::Arguments(keyword)),
    }
}

fn number<T: core::str::FromStr>(keyword: &'static str, args: &[String]) -> Result<T, ConfigErrorKind> {
    let value = one(keyword, args)?;
    value.parse().map_err(|_| ConfigErrorKind::BadValue { keyword, value })
}

fn yes_no(keyword: &'static str, args: &[String]) -> Result<bool, ConfigErrorKind> {
    let value = one(keyword, args)?;
    match value.to_ascii_lowercase().as_str() {
        "yes" => Ok(true),
        "no" => Ok(false),
        _ => Err(ConfigErrorKind::BadValue { keyword, value }),
    }
}

fn algorithms(
    keyword: &'static str,
    args: &[String],
    default: &[&str],
    known: &[&str],
) -> Result<Vec<String>, ConfigErrorKind> {
    let spec = one(keyword, args)?;
    names::apply_modifiers(default, known, &spec).map_err(|e| match e {
        names::ListError::Unknown(name) => ConfigErrorKind::UnknownAlgorithm(name),
        _ => ConfigErrorKind::BadValue { keyword, value: spec.clone() },
    })
}

fn criteria(args: &[String]) -> Result<Vec<Criterion>, ConfigErrorKind> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(word) = it.next() {
        let (negated, name) = match word.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, word.as_str()),
        };
        let lower = name.to_ascii_lowercase();
        if lower == "all" && !negated {
            out.push(Criterion::All);
            continue;
        }
        let mut list = || it.next().cloned().ok_or(ConfigErrorKind::Arguments("Match"));
        out.push(match lower.as_str() {
            "host" => Criterion::Host { negated, list: list()? },
            "originalhost" => Criterion::OriginalHost { negated, list: list()? },
            "user" => Criterion::User { negated, list: list()? },
            _ => return Err(ConfigErrorKind::UnsupportedMatch(word.clone())),
        });
    }
    if out.is_empty() {
        return Err(ConfigErrorKind::Arguments("Match"));
    }
    Ok(out)
}

impl Parser<'_, '_> {
    fn file(&mut self, file: &str, text: &str, outer: &[usize], depth: usize) -> Result<(), ConfigError> {
        let mut current: Vec<usize> = outer.to_vec();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let err = |kind| ConfigError { file: file.to_owned(), line, kind };
            if raw.len() > MAX_LINE_LEN {
                return Err(err(ConfigErrorKind::TooLong));
            }
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let split = trimmed.find(|c: char| c.is_whitespace() || c == '=').unwrap_or(trimmed.len());
            let (keyword, rest) = trimmed.split_at(split);
            let rest = rest.trim_start();
            let rest = rest.strip_prefix('=').unwrap_or(rest).trim_start();
            let keyword = keyword.to_ascii_lowercase();
            match keyword.as_str() {
                "host" => {
                    let patterns = split_args(rest).map_err(err)?;
                    if patterns.is_empty() {
                        return Err(err(ConfigErrorKind::Arguments("Host")));
                    }
                    current = outer.to_vec();
                    current.push(self.condition(Condition::Host(patterns)));
                }
                "match" => {
                    let args = split_args(rest).map_err(err)?;
                    let criteria = criteria(&args).map_err(err)?;
                    current = outer.to_vec();
                    current.push(self.condition(Condition::Match(criteria)));
                }
                "include" => {
                    let patterns = split_args(rest).map_err(err)?;
                    if patterns.is_empty() {
                        return Err(err(ConfigErrorKind::Arguments("Include")));
                    }
                    if depth + 1 > MAX_INCLUDE_DEPTH {
                        return Err(err(ConfigErrorKind::IncludeDepth(MAX_INCLUDE_DEPTH)));
                    }
                    for pattern in patterns {
                        let files = self
                            .loader
                            .load(&pattern)
                            .map_err(|reason| err(ConfigErrorKind::Include { path: pattern.clone(), reason }))?;
                        for (name, contents) in files {
                            self.file(&name, &contents, &current, depth + 1)?;
                        }
                    }
                }
                "ignoreunknown" => {
                    let list = one("IgnoreUnknown", &split_args(rest).map_err(err)?).map_err(err)?;
                    self.ignore_unknown.push(list);
                }
                _ => {
                    if let Some(setting) = self.setting(&keyword, rest).map_err(err)? {
                        self.config.directives.push(Directive { conditions: current.clone(), setting });
                    }
                }
            }
        }
        Ok(())
    }

    fn condition(&mut self, condition: Condition) -> usize {
        self.config.conditions.push(condition);
        self.config.conditions.len() - 1
    }

    fn setting(&self, keyword: &str, rest: &str) -> Result<Option<Setting>, ConfigErrorKind> {
        if keyword == "proxycommand" {
            if rest.is_empty() {
                return Err(ConfigErrorKind::Arguments("ProxyCommand"));
            }
            return Ok(Some(Setting::ProxyCommand(rest.to_owned())));
        }
        let args = split_args(rest)?;
        let setting = match keyword {
            "hostname" => Setting::HostName(one("HostName", &args)?),
            "port" => {
                let port: u16 = number("Port", &args)?;
                if port == 0 {
                    return Err(ConfigErrorKind::BadValue { keyword: "Port", value: "0".into() });
                }
                Setting::Port(port)
            }
            "user" => Setting::User(one("User", &args)?),
            "identityfile" => Setting::IdentityFile(one("IdentityFile", &args)?),
            "certificatefile" => Setting::CertificateFile(one("CertificateFile", &args)?),
            "identitiesonly" => Setting::IdentitiesOnly(yes_no("IdentitiesOnly", &args)?),
            "proxyjump" => Setting::ProxyJump(one("ProxyJump", &args)?),
            "stricthostkeychecking" => {
                let value = one("StrictHostKeyChecking", &args)?;
                Setting::StrictHostKeyChecking(match value.to_ascii_lowercase().as_str() {
                    "yes" => StrictHostKeyChecking::Yes,
                    "accept-new" => StrictHostKeyChecking::AcceptNew,
                    "no" | "off" => StrictHostKeyChecking::No,
                    "ask" => StrictHostKeyChecking::Ask,
                    _ => return Err(ConfigErrorKind::BadValue { keyword: "StrictHostKeyChecking", value }),
                })
            }
            "userknownhostsfile" => {
                if args.is_empty() {
                    return Err(ConfigErrorKind::Arguments("UserKnownHostsFile"));
                }
                Setting::UserKnownHostsFile(args)
            }
            "kexalgorithms" => Setting::KexAlgorithms(algorithms("KexAlgorithms", &args, names::KEX, names::KEX)?),
            "ciphers" => Setting::Ciphers(algorithms("Ciphers", &args, names::CIPHER, names::CIPHER)?),
            "macs" => Setting::Macs(algorithms("MACs", &args, names::MAC, names::MAC)?),
            "hostkeyalgorithms" => {
                let known: Vec<&str> = names::HOST_KEY.iter().chain(names::HOST_KEY_OPT_IN).copied().collect();
                Setting::HostKeyAlgorithms(algorithms("HostKeyAlgorithms", &args, names::HOST_KEY, &known)?)
            }
            "connecttimeout" => Setting::ConnectTimeout(number("ConnectTimeout", &args)?),
            "serveraliveinterval" => Setting::ServerAliveInterval(number("ServerAliveInterval", &args)?),
            "serveralivecountmax" => Setting::ServerAliveCountMax(number("ServerAliveCountMax", &args)?),
            "identityagent" => Setting::IdentityAgent(one("IdentityAgent", &args)?),
            "compression" => Setting::Compression(yes_no("Compression", &args)?),
            "forwardagent" => {
                let value = one("ForwardAgent", &args)?;
                // yes/no, or a socket: a path or an environment variable.
                let is_socket = value.starts_with(['/', '~', '$']);
                if !is_socket && !["yes", "no", "true", "false"].contains(&value.to_ascii_lowercase().as_str()) {
                    return Err(ConfigErrorKind::BadValue { keyword: "ForwardAgent", value });
                }
                Setting::ForwardAgent(value)
            }
            _ => {
                let ignored = self
                    .ignore_unknown
                    .iter()
                    .any(|list| crate::pattern::match_list(list, keyword, true) == Some(true));
                if ignored {
                    return Ok(None);
                }
                return Err(ConfigErrorKind::UnknownKeyword(keyword.to_owned()));
            }
        };
        Ok(Some(setting))
    }
}

#[cfg(test)]
mod tests;
