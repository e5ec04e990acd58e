//! `ssh-keygen -F host`, `-R host` and `-H` on a `known_hosts` file
//! (`-f`, default `~/.ssh/known_hosts`). Lines are handled one at a time
//! so a line the parser refuses is kept and reported, never lost.
//! Rewrites keep the original as `FILE.old`, as `ssh-keygen` does.

use super::{Fatal, Options, Outcome, home, io_reason};
use purecrypto::rng::RngCore;
use puressh::config::known_hosts::{Entry, HmacSha1, Hosts, KnownHosts, Marker, hash_host};
use std::path::PathBuf;
use std::process::ExitCode;

/// purecrypto's HMAC-SHA1 for hashed host names.
struct Sha1Hmac;

impl HmacSha1 for Sha1Hmac {
    fn hmac_sha1(&self, key: &[u8], message: &[u8]) -> [u8; 20] {
        let tag = purecrypto::mac::hmac(purecrypto::hash::HashAlgorithm::Sha1, key, message);
        tag.try_into().unwrap_or([0; 20])
    }
}

fn file(o: &Options) -> PathBuf {
    o.value('f').map_or_else(|| home().join(".ssh").join("known_hosts"), PathBuf::from)
}

/// `host` or `[host]:port` to the pair the matcher wants.
fn host_port(name: &str) -> (String, u16) {
    if let Some(rest) = name.strip_prefix('[') {
        if let Some((host, port)) = rest.split_once("]:") {
            if let Ok(port) = port.parse() {
                return (host.to_owned(), port);
            }
        }
    }
    (name.to_owned(), 22)
}

/// The entry on one line, if it is a key line.
fn entry(line: &str) -> Option<Entry> {
    KnownHosts::parse(line).ok()?.entries().first().cloned()
}

fn lines(o: &Options) -> Result<(PathBuf, Vec<String>), Fatal> {
    let path = file(o);
    let text = std::fs::read_to_string(&path).map_err(|e| Fatal(format!("{}: {}", path.display(), io_reason(&e))))?;
    Ok((path, text.lines().map(str::to_owned).collect()))
}

fn matches(e: &Entry, host: &str) -> bool {
    let (name, port) = host_port(host);
    e.matches_host(&name, port, Some(&Sha1Hmac)) == Some(true)
}

/// `-F`: prints each matching line; exit 1 when none matches.
pub(super) fn find(o: &Options, host: &str) -> Outcome {
    let (_, lines) = lines(o)?;
    let mut found = false;
    for (number, line) in (1..).zip(&lines) {
        let Some(e) = entry(line) else { continue };
        if matches(&e, host) {
            let kind = match e.marker {
                Some(Marker::CertAuthority) => "CA",
                Some(Marker::Revoked) => "REVOKED",
                _ => "",
            };
            println!("# Host {host} found: line {number} {kind}");
            match hashed_lines(&e, line) {
                Some(lines) if o.flag('H') => lines.iter().for_each(|l| println!("{l}")),
                _ => println!("{line}"),
            }
            found = true;
        }
    }
    Ok(if found { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Saves `lines` over `path`, keeping the old file as `path.old`.
fn replace(path: &PathBuf, lines: &[String]) -> Result<(), Fatal> {
    let mut old = path.as_os_str().to_owned();
    old.push(".old");
    let old = PathBuf::from(old);
    let mut text = lines.join("\n");
    text.push('\n');
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let fail = |e: std::io::Error| Fatal(format!("{}: {}", path.display(), io_reason(&e)));
    std::fs::write(&tmp, text).map_err(fail)?;
    let _ = std::fs::remove_file(&old);
    std::fs::hard_link(path, &old).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(fail)?;
    println!("{} updated.", path.display());
    println!("Original contents retained as {}", old.display());
    Ok(())
}

/// `-R`: removes every plain line for `host` (marker lines stay).
pub(super) fn remove(o: &Options, host: &str) -> Outcome {
    let (path, lines) = lines(o)?;
    let mut kept = Vec::with_capacity(lines.len());
    let mut removed = false;
    for (number, line) in (1..).zip(lines) {
        if entry(&line).is_some_and(|e| e.marker.is_none() && matches(&e, host)) {
            println!("# Host {host} found: line {number}");
            removed = true;
        } else {
            kept.push(line);
        }
    }
    if removed {
        replace(&path, &kept)?;
    } else {
        eprintln!("Host {host} not found in {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The line as one hashed line per host name (`-H`), or `None` when it
/// cannot be hashed: markers, wildcards, negations, already hashed.
fn hashed_lines(e: &Entry, line: &str) -> Option<Vec<String>> {
    let Entry { marker: None, hosts: Hosts::Patterns(names), .. } = e else { return None };
    if names.iter().any(|n| n.contains(['*', '?']) || n.starts_with('!')) {
        return None;
    }
    let rest = line.trim_start().split_once([' ', '\t']).map_or("", |(_, rest)| rest.trim_start());
    let hashed = names.iter().map(|name| {
        let mut salt = [0u8; 20];
        purecrypto::rng::OsRng.fill_bytes(&mut salt);
        format!("{} {rest}", hash_host(name, &salt, &Sha1Hmac))
    });
    Some(hashed.collect())
}

/// `-H`: replaces each plain host name by its own hashed line; lines with
/// markers, wildcards or negations are kept as they are.
pub(super) fn hash(o: &Options) -> Outcome {
    let (path, lines) = lines(o)?;
    let mut out = Vec::with_capacity(lines.len());
    let mut changed = false;
    for (number, line) in (1..).zip(lines) {
        let Some(e) = entry(&line) else {
            out.push(line);
            continue;
        };
        match hashed_lines(&e, &line) {
            Some(lines) => {
                out.extend(lines);
                changed = true;
            }
            None => {
                if let (None, Hosts::Patterns(names)) = (e.marker, &e.hosts) {
                    let wild = names.iter().find(|n| n.contains(['*', '?']) || n.starts_with('!'));
                    if let Some(wild) = wild {
                        eprintln!("{}:{number}: ignoring host name with wildcard: {wild}", path.display());
                    }
                }
                out.push(line);
            }
        }
    }
    if changed {
        replace(&path, &out)?;
        eprintln!("WARNING: {}.old contains unhashed entries", path.display());
        eprintln!("Delete this file to ensure privacy of hostnames");
    }
    Ok(ExitCode::SUCCESS)
}
