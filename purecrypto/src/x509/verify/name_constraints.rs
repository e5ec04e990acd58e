//! RFC 5280 section 4.2.1.10 name constraints, applied by a CA to every
//! certificate below it: dNSName, iPAddress (address and mask),
//! rfc822Name, directoryName and URI (by host). A subject's
//! `emailAddress` attributes count as rfc822 names; the subject DN is
//! checked against directoryName subtrees. A SAN-less leaf's common name is
//! *not* treated as a DNS name (RFC 5280 gives CN no such role; OpenSSL
//! differs here).
//!
//! Entry point: [`check`].

use alloc::vec::Vec;

use super::super::error::Reason;
use super::super::extensions::{GeneralSubtree, NameConstraints};
use super::super::general_name::GeneralName;
use super::super::name::Name;
use super::super::oids;

/// The names of one certificate that constraints apply to.
fn names_of<'a>(subject: &Name<'a>, sans: Option<&Vec<GeneralName<'a>>>) -> Vec<GeneralName<'a>> {
    let mut out: Vec<GeneralName<'a>> = Vec::new();
    if !subject.is_empty() {
        out.push(GeneralName::DirectoryName(subject.clone()));
    }
    for attribute in subject.attributes() {
        if attribute.oid == oids::EMAIL_ADDRESS
            && let Ok(email) = core::str::from_utf8(attribute.value)
        {
            out.push(GeneralName::Email(email));
        }
    }
    out.extend(sans.into_iter().flatten().cloned());
    out
}

/// Same `GeneralName` CHOICE arm.
fn same_type(a: &GeneralName<'_>, b: &GeneralName<'_>) -> bool {
    core::mem::discriminant(a) == core::mem::discriminant(b)
        && match (a, b) {
            (GeneralName::Other(x, _), GeneralName::Other(y, _)) => x == y,
            _ => true,
        }
}

/// `name` ends with `.suffix` or equals `suffix`, case-insensitively; a
/// suffix with a leading dot matches only strict subdomains.
fn dns_match(name: &str, base: &str) -> bool {
    if base.is_empty() {
        return true;
    }
    let (n, b) = (name.as_bytes(), base.as_bytes());
    if n.len() < b.len() {
        return false;
    }
    let split = n.len() - b.len();
    let (head, tail) = n.split_at(split);
    if !tail.eq_ignore_ascii_case(b) {
        return false;
    }
    base.starts_with('.') || head.is_empty() || head.last() == Some(&b'.')
}

fn email_match(email: &str, base: &str) -> bool {
    match (email.rsplit_once('@'), base.contains('@')) {
        (Some((local, domain)), true) => {
            base.rsplit_once('@').is_some_and(|(bl, bd)| bl == local && bd.eq_ignore_ascii_case(domain))
        }
        (Some((_, domain)), false) if base.starts_with('.') => dns_match(domain, base),
        (Some((_, domain)), false) => domain.eq_ignore_ascii_case(base),
        (None, _) => false,
    }
}

fn ip_match(ip: &[u8], base: &[u8]) -> bool {
    if base.len() != ip.len() * 2 {
        return false;
    }
    let (addr, mask) = base.split_at(ip.len());
    ip.iter().zip(addr).zip(mask).all(|((i, a), m)| i & m == a & m)
}

/// directoryName: the base's RDNs are a prefix of the name's.
fn dn_match(name: &Name<'_>, base: &Name<'_>) -> bool {
    base.rdns.len() <= name.rdns.len() && base.rdns.iter().zip(&name.rdns).all(|(b, n)| b == n)
}

fn uri_host(uri: &str) -> Option<&str> {
    let rest = uri.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host_port.split(':').next()?;
    if host.is_empty() { None } else { Some(host) }
}

/// Matches one name against one subtree base of the same type; `Err` for
/// a malformed name or an unsupported type.
fn matches(name: &GeneralName<'_>, base: &GeneralName<'_>) -> Result<bool, Reason> {
    Ok(match (name, base) {
        (GeneralName::Dns(n), GeneralName::Dns(b)) => dns_match(n, b),
        (GeneralName::Email(n), GeneralName::Email(b)) => email_match(n, b),
        (GeneralName::Ip(n), GeneralName::Ip(b)) => {
            if n.len() != 4 && n.len() != 16 {
                return Err(Reason::UnsupportedNameSyntax);
            }
            ip_match(n, b)
        }
        (GeneralName::DirectoryName(n), GeneralName::DirectoryName(b)) => dn_match(n, b),
        (GeneralName::Uri(n), GeneralName::Uri(b)) => {
            // RFC 5280: a URI constraint names one host, or with a leading
            // period every subdomain (not the domain itself).
            let host = uri_host(n).ok_or(Reason::UnsupportedNameSyntax)?;
            if b.starts_with('.') { dns_match(host, b) } else { host.eq_ignore_ascii_case(b) }
        }
        _ => return Err(Reason::UnsupportedConstraintType),
    })
}

fn check_name(
    name: &GeneralName<'_>,
    permitted: &[GeneralSubtree<'_>],
    excluded: &[GeneralSubtree<'_>],
) -> Result<(), Reason> {
    let mut relevant_permitted = false;
    let mut permitted_hit = false;
    for subtree in permitted.iter().filter(|s| same_type(&s.base, name)) {
        relevant_permitted = true;
        if matches(name, &subtree.base)? {
            permitted_hit = true;
        }
    }
    if relevant_permitted && !permitted_hit {
        return Err(Reason::PermittedViolation);
    }
    for subtree in excluded.iter().filter(|s| same_type(&s.base, name)) {
        if matches(name, &subtree.base)? {
            return Err(Reason::ExcludedViolation);
        }
    }
    Ok(())
}

/// Checks a certificate's subject and subjectAltName against `nc`.
///
/// # Errors
/// The [`Reason`] of the first violation.
pub(crate) fn check(
    subject: &Name<'_>,
    sans: Option<&Vec<GeneralName<'_>>>,
    nc: &NameConstraints<'_>,
) -> Result<(), Reason> {
    if nc.permitted.iter().chain(&nc.excluded).any(|s| s.has_min_max) {
        return Err(Reason::SubtreeMinMax);
    }
    for name in names_of(subject, sans) {
        // A name type no constraint mentions is unconstrained, whatever
        // its type.
        let constrained = nc.permitted.iter().chain(&nc.excluded).any(|s| same_type(&s.base, &name));
        if constrained {
            check_name(&name, &nc.permitted, &nc.excluded)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_and_email_and_ip_rules() {
        assert!(dns_match("a.example.com", "example.com"));
        assert!(dns_match("EXAMPLE.com", "example.COM"));
        assert!(!dns_match("badexample.com", "example.com"));
        assert!(!dns_match("example.com", ".example.com"));
        assert!(dns_match("x.example.com", ".example.com"));
        assert!(email_match("u@mail.example.com", ".example.com"));
        assert!(!email_match("u@example.com", ".example.com"));
        assert!(email_match("u@EXAMPLE.com", "example.com"));
        assert!(email_match("u@example.com", "u@example.com"));
        assert!(!email_match("U@example.com", "u@example.com"));
        assert!(ip_match(&[10, 1, 2, 3], &[10, 0, 0, 0, 255, 0, 0, 0]));
        assert!(!ip_match(&[11, 1, 2, 3], &[10, 0, 0, 0, 255, 0, 0, 0]));
        assert!(!ip_match(&[10, 1, 2, 3], &[0; 32]));
        assert_eq!(uri_host("https://user@h.example:8443/x"), Some("h.example"));
    }
}
