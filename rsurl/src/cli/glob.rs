//! URL globbing, as curl does it: `{a,b,c}` alternatives and `[1-10]`,
//! `[001-100:5]`, `[a-z]` ranges, expanded left to right (the last
//! pattern varies fastest); `#N` in `-o` names is the N-th pattern's text.
//!
//! Entry points: [`expand`] and [`fill_output`]. A bracket holding a colon
//! and no range is an IPv6 literal and stays as is; `-g` turns all of this
//! off.

/// Most URLs one glob may produce.
const MAX_EXPANSIONS: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Choices(Vec<String>),
}

/// Why a glob was refused (curl exit code 3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GlobError(pub(crate) String);

fn range(spec: &str) -> Option<Vec<String>> {
    let (body, step) = match spec.split_once(':') {
        Some((b, s)) => (b, s.parse::<u64>().ok().filter(|s| *s > 0)?),
        None => (spec, 1),
    };
    let (a, b) = body.split_once('-')?;
    let step_us = usize::try_from(step).ok()?;
    if let (Some(x), Some(y)) = (single_letter(a), single_letter(b)) {
        if x > y || x.is_ascii_lowercase() != y.is_ascii_lowercase() {
            return None;
        }
        return Some((x..=y).step_by(step_us).map(String::from).collect());
    }
    let (lo, hi): (u64, u64) = (a.parse().ok()?, b.parse().ok()?);
    if lo > hi || (hi - lo) / step > MAX_EXPANSIONS as u64 {
        return None;
    }
    let width = if a.len() > 1 && a.starts_with('0') { a.len() } else { 0 };
    Some((lo..=hi).step_by(step_us).map(|n| format!("{n:0width$}")).collect())
}

fn single_letter(s: &str) -> Option<char> {
    let mut it = s.chars();
    let c = it.next()?;
    (it.next().is_none() && c.is_ascii_alphabetic()).then_some(c)
}

fn parse(url: &str) -> Result<Vec<Part>, GlobError> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut rest = url;
    while let Some(c) = rest.chars().next() {
        if c == '\\' {
            if let Some(next) = rest.get(1..).and_then(|r| r.chars().next()).filter(|n| "{}[]".contains(*n)) {
                text.push(next);
                rest = rest.get(1 + next.len_utf8()..).unwrap_or("");
                continue;
            }
        }
        let (open, close) = match c {
            '{' => ('{', '}'),
            '[' => ('[', ']'),
            _ => {
                text.push(c);
                rest = rest.get(c.len_utf8()..).unwrap_or("");
                continue;
            }
        };
        let inner_end = rest.find(close).ok_or_else(|| GlobError(format!("unmatched brace/bracket at: {rest}")))?;
        let inner = rest.get(1..inner_end).unwrap_or("");
        let choices = if open == '{' {
            inner.split(',').map(str::to_owned).collect()
        } else if inner.contains(':') && !inner.contains('-') || inner.contains("::") {
            // An IPv6 literal such as [::1] or [fe80::1%25eth0].
            text.push_str(rest.get(..=inner_end).unwrap_or(""));
            rest = rest.get(inner_end + 1..).unwrap_or("");
            continue;
        } else {
            range(inner).ok_or_else(|| GlobError(format!("bad range specification: [{inner}]")))?
        };
        parts.push(Part::Text(core::mem::take(&mut text)));
        parts.push(Part::Choices(choices));
        rest = rest.get(inner_end + 1..).unwrap_or("");
    }
    parts.push(Part::Text(text));
    Ok(parts)
}

/// Expands `url` into (URL, texts of each pattern) pairs.
///
/// # Errors
/// [`GlobError`] for unmatched braces, bad ranges or too many URLs.
pub(crate) fn expand(url: &str) -> Result<Vec<(String, Vec<String>)>, GlobError> {
    let parts = parse(url)?;
    let mut out: Vec<(String, Vec<String>)> = vec![(String::new(), Vec::new())];
    for part in parts {
        match part {
            Part::Text(t) => out.iter_mut().for_each(|(u, _)| u.push_str(&t)),
            Part::Choices(c) => {
                if out.len().saturating_mul(c.len()) > MAX_EXPANSIONS {
                    return Err(GlobError("too many URLs in the glob".into()));
                }
                out = out
                    .into_iter()
                    .flat_map(|(u, caps)| {
                        c.iter().map(move |choice| {
                            let mut caps = caps.clone();
                            caps.push(choice.clone());
                            (format!("{u}{choice}"), caps)
                        })
                    })
                    .collect();
            }
        }
    }
    Ok(out)
}

/// Replaces `#N` in an `-o` name with the N-th pattern's text (`#N` with
/// no such pattern stays as written).
pub(crate) fn fill_output(name: &str, caps: &[String]) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(i) = rest.find('#') {
        out.push_str(rest.get(..i).unwrap_or(""));
        let after = rest.get(i + 1..).unwrap_or("");
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        match digits.parse::<usize>().ok().and_then(|n| n.checked_sub(1)).and_then(|n| caps.get(n)) {
            Some(c) => out.push_str(c),
            None => {
                out.push('#');
                out.push_str(&digits);
            }
        }
        rest = after.get(digits.len()..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(s: &str) -> Vec<String> {
        expand(s).unwrap().into_iter().map(|(u, _)| u).collect()
    }

    #[test]
    fn sets_and_ranges() {
        assert_eq!(urls("http://h/{a,b}[1-2]"), ["http://h/a1", "http://h/a2", "http://h/b1", "http://h/b2"]);
        assert_eq!(urls("http://h/[08-11:2]"), ["http://h/08", "http://h/10"]);
        assert_eq!(urls("http://h/[x-z]"), ["http://h/x", "http://h/y", "http://h/z"]);
        assert_eq!(urls("http://[::1]:80/[1-2]"), ["http://[::1]:80/1", "http://[::1]:80/2"]);
        assert_eq!(urls("http://h/\\{x\\}"), ["http://h/{x}"]);
        assert!(expand("http://h/{a,b").is_err());
        assert!(expand("http://h/[5-1]").is_err());
        assert!(expand("http://h/[1-1000000000]").is_err());
        assert!(expand("http://h/[1-1000][1-1000]").is_err());
    }

    #[test]
    fn output_names() {
        let (_, caps) = expand("http://h/{a,b}/[1-3]").unwrap().remove(4);
        assert_eq!(fill_output("f_#1_#2.txt", &caps), "f_b_2.txt");
        assert_eq!(fill_output("#3#x#", &caps), "#3#x#");
    }
}
