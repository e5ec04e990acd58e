//! `WWW-Authenticate` parsing (RFC 9110 section 11.6.1): a header may hold
//! several challenges, each a scheme token followed by `name=value`
//! parameters whose values may be quoted strings.
//!
//! Entry point: [`parse`]. Malformed pieces are skipped, never fatal: a
//! challenge we cannot read is simply not answered.

/// One challenge: the scheme and its parameters (names lower-cased,
/// quoted values unescaped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Challenge {
    pub(crate) scheme: String,
    pub(crate) params: Vec<(String, String)>,
}

impl Challenge {
    /// A parameter's value by (case-insensitive) name.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Splits at commas outside quoted strings.
fn split_items(value: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in value.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                items.push(value.get(start..i).unwrap_or_default());
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(value.get(start..).unwrap_or_default());
    items
}

/// `name=value` or `name="quoted"`, unescaping the quoted form.
fn param(item: &str) -> Option<(String, String)> {
    let (name, value) = item.split_once('=')?;
    let name = name.trim();
    if name.is_empty() || name.contains(char::is_whitespace) {
        return None;
    }
    let value = value.trim();
    let value = match value.strip_prefix('"') {
        Some(inner) => {
            let mut out = String::new();
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => out.extend(chars.next()),
                    '"' => break,
                    c => out.push(c),
                }
            }
            out
        }
        None => value.to_owned(),
    };
    Some((name.to_ascii_lowercase(), value))
}

/// Every challenge in the `WWW-Authenticate` values `headers`.
pub(crate) fn parse<'a>(headers: impl IntoIterator<Item = &'a str>) -> Vec<Challenge> {
    let mut out: Vec<Challenge> = Vec::new();
    for header in headers {
        for item in split_items(header) {
            let item = item.trim();
            if item.is_empty() {
                continue;
            }
            // A new challenge starts with a token that is not itself a
            // parameter: `Digest realm="x"` or a bare `Negotiate`.
            let (first, rest) = item.split_once(char::is_whitespace).unwrap_or((item, ""));
            if !first.contains('=') {
                out.push(Challenge { scheme: first.to_owned(), params: Vec::new() });
                if let (Some(p), Some(last)) = (param(rest), out.last_mut()) {
                    last.params.push(p);
                }
            } else if let (Some(p), Some(last)) = (param(item), out.last_mut()) {
                last.params.push(p);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_challenges_in_one_header_and_quoted_commas() {
        let c = parse([r#"Basic realm="a, b", Digest realm="r\"q", nonce=abc, qop="auth,auth-int""#, "Negotiate"]);
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].scheme, "Basic");
        assert_eq!(c[0].param("realm"), Some("a, b"));
        assert_eq!(c[1].scheme, "Digest");
        assert_eq!(c[1].param("REALM"), Some("r\"q"));
        assert_eq!(c[1].param("nonce"), Some("abc"));
        assert_eq!(c[1].param("qop"), Some("auth,auth-int"));
        assert_eq!(c[2].scheme, "Negotiate");
        assert!(c[2].params.is_empty());
    }

    #[test]
    fn junk_is_skipped() {
        assert!(parse([",,, =x, \"unterminated"]).iter().all(|c| c.params.is_empty()));
        assert!(parse([""]).is_empty());
    }
}
