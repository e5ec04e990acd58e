//! The public-suffix check behind cookie `Domain` attributes (RFC 6265
//! §5.3 step 5): a cookie may not be scoped to a suffix under which
//! unrelated parties register names (`com`, `co.uk`, `github.io`).
//!
//! Entry point: [`is_public_suffix`]. The rules are Mozilla's Public
//! Suffix List, embedded verbatim as `public_suffix_list.dat` (MPL-2.0,
//! see its header; ICANN and private sections both apply, as libpsl's
//! cookie check does for curl). The list is parsed once, on the first
//! cookie with a `Domain` attribute; Unicode rules are stored in their
//! punycode form because hosts reach the jar that way.

use std::collections::HashSet;
use std::sync::OnceLock;

/// The list as published (`// ...` comments, one rule per line).
const LIST: &str = include_str!("public_suffix_list.dat");

/// Parsed rules: plain (`co.uk`), wildcard (`*.ck` stored as `ck`) and
/// exception (`!www.ck` stored as `www.ck`).
#[derive(Debug, Default)]
struct Rules {
    plain: HashSet<String>,
    wildcard: HashSet<String>,
    exception: HashSet<String>,
}

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| parse(LIST))
}

fn parse(text: &str) -> Rules {
    let mut r = Rules::default();
    for line in text.lines() {
        // A rule is the first whitespace-separated word of a line.
        let Some(rule) = line.split_whitespace().next() else { continue };
        if rule.starts_with("//") {
            continue;
        }
        let (set, name) = if let Some(rest) = rule.strip_prefix('!') {
            (&mut r.exception, rest)
        } else if let Some(rest) = rule.strip_prefix("*.") {
            (&mut r.wildcard, rest)
        } else {
            (&mut r.plain, rule)
        };
        let ascii = if name.is_ascii() { Some(name.to_ascii_lowercase()) } else { crate::url::idn::to_ascii(name) };
        if let Some(a) = ascii {
            set.insert(a);
        }
    }
    r
}

/// Whether `domain` (lower-case ASCII, no leading or trailing dot) is a
/// public suffix. A name no rule covers falls under the implicit `*`
/// rule: its last label is a suffix.
pub(crate) fn is_public_suffix(domain: &str) -> bool {
    let r = rules();
    if domain.is_empty() || r.exception.contains(domain) {
        return false;
    }
    if r.plain.contains(domain) {
        return true;
    }
    match domain.split_once('.') {
        // `*.parent` makes every direct child of `parent` a suffix.
        Some((_, parent)) => r.wildcard.contains(parent),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icann_private_wildcard_and_exception_rules() {
        for suffix in ["com", "uk", "co.uk", "github.io", "anything.ck", "xn--p1ai", "unknowntld"] {
            assert!(is_public_suffix(suffix), "{suffix}");
        }
        for name in ["example.com", "example.co.uk", "user.github.io", "www.ck", "a.b.ck", "example.xn--p1ai"] {
            assert!(!is_public_suffix(name), "{name}");
        }
    }

    #[test]
    fn the_embedded_list_is_whole() {
        let r = rules();
        // Thousands of rules from both sections (the list has ~9,000).
        assert!(r.plain.len() > 5000, "{}", r.plain.len());
        assert!(LIST.contains("===END ICANN DOMAINS===") && LIST.contains("===END PRIVATE DOMAINS==="));
        assert!(r.plain.iter().all(|s| s.is_ascii() && !s.starts_with('.')));
    }
}
