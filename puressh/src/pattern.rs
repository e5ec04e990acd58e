//! OpenSSH-style patterns: `*` and `?` wildcards, comma-separated lists
//! with `!` negation. Used by `ssh_config` Host/Match, `known_hosts` host
//! fields and the `-` algorithm-list modifier.
//!
//! Entry points: [`wildcard_match`] and [`match_list`]. Matching is
//! iterative with single-star backtracking, so a hostile pattern such as
//! `*a*a*a*a*b` costs O(pattern × text), never exponential time.

/// Whether `text` matches `pattern` (`*`: any run, `?`: one byte),
/// comparing ASCII case-insensitively when `fold_case`.
#[must_use]
pub fn wildcard_match(pattern: &str, text: &str, fold_case: bool) -> bool {
    let p = pattern.as_bytes();
    let t = text.as_bytes();
    let eq = |a: u8, b: u8| if fold_case { a.eq_ignore_ascii_case(&b) } else { a == b };
    let (mut pi, mut ti) = (0usize, 0usize);
    // Where the last `*` was, and the text position it currently covers up to.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match (p.get(pi), t.get(ti)) {
            (Some(b'*'), _) => {
                star = Some((pi, ti));
                pi += 1;
            }
            (Some(&pc), Some(&tc)) if pc == b'?' || eq(pc, tc) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..).unwrap_or_default().iter().all(|&c| c == b'*')
}

/// Matches `text` against a comma-separated pattern list: `Some(false)`
/// if a negated (`!`) pattern matches (negation wins), `Some(true)` if a
/// positive one matches, `None` if none does.
#[must_use]
pub fn match_list(list: &str, text: &str, fold_case: bool) -> Option<bool> {
    let mut positive = false;
    for pattern in list.split(',') {
        if let Some(negated) = pattern.strip_prefix('!') {
            if wildcard_match(negated, text, fold_case) {
                return Some(false);
            }
        } else if wildcard_match(pattern, text, fold_case) {
            positive = true;
        }
    }
    positive.then_some(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard_match("*", "", false));
        assert!(wildcard_match("*.example.org", "a.example.org", false));
        assert!(!wildcard_match("*.example.org", "example.org", false));
        assert!(wildcard_match("h?st", "host", false));
        assert!(!wildcard_match("h?st", "hst", false));
        assert!(wildcard_match("HOST*", "host1", true));
        assert!(!wildcard_match("HOST*", "host1", false));
        assert!(wildcard_match("a*b*c", "aXXbYYc", false));
        assert!(!wildcard_match("a*b*c", "aXXbYY", false));
        assert!(wildcard_match("hmac-*-etm@openssh.com", "hmac-sha2-256-etm@openssh.com", false));
    }

    #[test]
    fn hostile_pattern_is_fast_enough_to_finish() {
        let text = "a".repeat(10_000);
        assert!(!wildcard_match("*a*a*a*a*a*a*a*a*b", &text, false));
    }

    #[test]
    fn lists_and_negation() {
        assert_eq!(match_list("*.org,!bad.org", "good.org", false), Some(true));
        assert_eq!(match_list("*.org,!bad.org", "bad.org", false), Some(false));
        assert_eq!(match_list("!bad.org", "good.org", false), None);
        assert_eq!(match_list("a,b", "c", false), None);
    }
}
