//! The subset of OpenSSL's configuration file syntax (`config(5)`) that
//! `ca` needs: `[ section ]` headers, `name = value` lines, `#` comments,
//! quoting, backslash continuation and escapes, and `$name`, `${name}`,
//! `$(name)`, `$section::name` and `$ENV::NAME` expansion. Names before
//! the first header live in the `default` section, which every lookup
//! falls back to, as in OpenSSL.

use std::format;
use std::string::String;
use std::vec::Vec;

use super::super::CliError;

/// A parsed configuration file: sections in file order, each with its
/// `name = value` pairs in file order (the order matters for policies and
/// distinguished-name fields).
#[derive(Debug, Default)]
pub(crate) struct Config {
    sections: Vec<(String, Vec<(String, String)>)>,
}

fn error(line: usize, what: &str) -> CliError {
    CliError::usage(format!("config line {line}: {what}"))
}

/// The value with quotes and backslash escapes resolved and a trailing
/// comment removed; `$` expansions are kept for later, marked by `\0`
/// never appearing in the result otherwise.
fn unquote(raw: &str, line: usize) -> Result<String, CliError> {
    let mut out = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '#' => break,
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some('b') => out.push('\u{8}'),
                Some('$') => out.push('\u{1}'),
                Some(other) => out.push(other),
                None => {}
            },
            '"' | '\'' => loop {
                match chars.next() {
                    Some(q) if q == c => break,
                    Some('\\') if c == '"' => out.extend(chars.next()),
                    Some('$') => out.push('\u{1}'),
                    Some(other) => out.push(other),
                    None => return Err(error(line, "unterminated quote")),
                }
            },
            other => out.push(other),
        }
    }
    Ok(String::from(out.trim_end()))
}

impl Config {
    /// Parses the text of a configuration file.
    pub(crate) fn parse(text: &str) -> Result<Self, CliError> {
        let mut config = Config { sections: std::vec![(String::from("default"), Vec::new())] };
        let mut pending = String::new();
        for (index, raw_line) in text.lines().enumerate() {
            let line_no = index + 1;
            // An odd number of trailing backslashes continues the line.
            let trailing = raw_line.len() - raw_line.trim_end_matches('\\').len();
            if trailing % 2 == 1 {
                pending.push_str(&raw_line[..raw_line.len() - 1]);
                continue;
            }
            pending.push_str(raw_line);
            let line = core::mem::take(&mut pending);
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(rest) = line.strip_prefix('[') {
                let name = rest.split(']').next().unwrap_or_default().trim();
                if name.is_empty() || !rest.contains(']') {
                    return Err(error(line_no, "bad section header"));
                }
                config.sections.push((String::from(name), Vec::new()));
                continue;
            }
            if line.starts_with('.') {
                return Err(error(line_no, "directives (.include, .pragma) are not supported"));
            }
            let (name, value) = line.split_once('=').ok_or_else(|| error(line_no, "expected name = value"))?;
            let name = name.trim();
            if name.is_empty() {
                return Err(error(line_no, "empty name"));
            }
            let value = unquote(value.trim_start(), line_no)?;
            let current = config.sections.last().map(|(s, _)| s.clone()).unwrap_or_default();
            let value = config.expand(&current, &value, line_no)?;
            if let Some((_, pairs)) = config.sections.last_mut() {
                pairs.retain(|(n, _)| n != name);
                pairs.push((String::from(name), value));
            }
        }
        Ok(config)
    }

    /// Resolves `$` references in `value` against what is defined so far.
    fn expand(&self, section: &str, value: &str, line: usize) -> Result<String, CliError> {
        let mut out = String::new();
        let mut rest = value;
        while let Some(at) = rest.find('$') {
            out.push_str(&rest[..at]);
            rest = &rest[at + 1..];
            let (reference, after) = match rest.chars().next() {
                Some(open @ ('{' | '(')) => {
                    let close = if open == '{' { '}' } else { ')' };
                    let end = rest.find(close).ok_or_else(|| error(line, "unclosed variable reference"))?;
                    (&rest[1..end], &rest[end + 1..])
                }
                _ => {
                    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == ';';
                    let mut end = rest.find(|c: char| !is_name(c)).unwrap_or(rest.len());
                    // `$section::name`
                    if rest[end..].starts_with("::") {
                        let tail = &rest[end + 2..];
                        end += 2 + tail.find(|c: char| !is_name(c)).unwrap_or(tail.len());
                    }
                    (&rest[..end], &rest[end..])
                }
            };
            let resolved = match reference.split_once("::") {
                Some(("ENV", name)) => std::env::var(name).ok(),
                Some((sec, name)) => self.get(sec, name).map(String::from),
                None => self.get(section, reference).map(String::from),
            };
            out.push_str(&resolved.ok_or_else(|| error(line, &format!("variable ${reference} has no value")))?);
            rest = after;
        }
        out.push_str(rest);
        Ok(out.replace('\u{1}', "$"))
    }

    /// The value of `name` in `section`, else in the default section.
    pub(crate) fn get(&self, section: &str, name: &str) -> Option<&str> {
        let find = |sec: &str| {
            self.sections.iter().filter(|(s, _)| s == sec).flat_map(|(_, pairs)| pairs).rev().find(|(n, _)| n == name)
        };
        find(section).or_else(|| find("default")).map(|(_, v)| v.as_str())
    }

    /// Every `name = value` of `section` in file order (a section defined
    /// twice contributes both parts).
    pub(crate) fn section(&self, section: &str) -> Vec<(&str, &str)> {
        self.sections
            .iter()
            .filter(|(s, _)| s == section)
            .flat_map(|(_, pairs)| pairs)
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_variables_quotes_and_continuations() {
        let text = "home = /srv\n[ ca ]\ndefault_ca = CA_default # the one\n\n[CA_default]\ndir = $home/ca\n\
                    database = ${dir}/index.txt\nserial = $(dir)/serial\nname = \"a # b\"\n\
                    long = one \\\ntwo\nother = $ca::default_ca\ncost = \\$5\n";
        let c = Config::parse(text).unwrap();
        assert_eq!(c.get("ca", "default_ca"), Some("CA_default"));
        assert_eq!(c.get("CA_default", "database"), Some("/srv/ca/index.txt"));
        assert_eq!(c.get("CA_default", "serial"), Some("/srv/ca/serial"));
        assert_eq!(c.get("CA_default", "name"), Some("a # b"));
        assert_eq!(c.get("CA_default", "long"), Some("one two"));
        assert_eq!(c.get("CA_default", "other"), Some("CA_default"));
        assert_eq!(c.get("CA_default", "cost"), Some("$5"));
        assert_eq!(c.get("CA_default", "home"), Some("/srv"));
        assert_eq!(c.section("CA_default").first(), Some(&("dir", "/srv/ca")));
    }

    #[test]
    fn errors_are_typed() {
        for bad in ["[ca\n", "x = $nope\n", "x = \"open\n", "novalue\n", ".include other.cnf\n", "x = ${y\n"] {
            assert!(Config::parse(bad).is_err(), "{bad:?}");
        }
    }

    proptest::proptest! {
        /// Any text parses or is refused; what parses answers lookups.
        #[test]
        fn any_text_parses_or_is_refused(text in "[\\[\\]=$#{}():;\"' a-z\\\\\n\t]{0,200}") {
            if let Ok(c) = Config::parse(&text) {
                let _ = c.get("default", "a");
                let _ = c.section("a");
            }
        }
    }
}
