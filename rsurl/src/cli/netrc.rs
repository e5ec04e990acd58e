//! `.netrc` files (`-n`, `--netrc-file`): login and password per machine.
//!
//! Entry point: [`lookup`]. Tokens are whitespace-separated
//! (`machine NAME login USER password PASS`, `default ...`); `macdef`
//! blocks run to the next empty line and are skipped.

/// The (login, password) for `host`, the first `machine` match winning
/// over `default`.
pub(crate) fn lookup(text: &str, host: &str) -> Option<(String, String)> {
    let mut tokens = Vec::new();
    let mut in_macdef = false;
    for line in text.lines() {
        if in_macdef {
            in_macdef = !line.trim().is_empty();
            continue;
        }
        if line.trim_start().starts_with('#') {
            continue;
        }
        for w in line.split_whitespace() {
            if w == "macdef" {
                in_macdef = true;
                break;
            }
            tokens.push(w.to_owned());
        }
    }
    let mut found: Option<(String, String)> = None;
    let mut default: Option<(String, String)> = None;
    let mut i = 0;
    while let Some(t) = tokens.get(i) {
        let (is_match, is_default) = match t.as_str() {
            "machine" => {
                i += 1;
                (tokens.get(i).is_some_and(|m| m.eq_ignore_ascii_case(host)), false)
            }
            "default" => (false, true),
            _ => {
                i += 1;
                continue;
            }
        };
        i += 1;
        let (mut login, mut password) = (String::new(), String::new());
        while let Some(k) = tokens.get(i) {
            match k.as_str() {
                "machine" | "default" => break,
                "login" => login = tokens.get(i + 1).cloned().unwrap_or_default(),
                "password" => password = tokens.get(i + 1).cloned().unwrap_or_default(),
                _ => {}
            }
            i += 2;
        }
        if is_match && found.is_none() {
            found = Some((login, password));
        } else if is_default && default.is_none() {
            default = Some((login, password));
        }
    }
    found.or(default)
}

#[cfg(test)]
mod tests {
    use super::lookup;

    #[test]
    fn machines_default_and_macdef() {
        let text = "# comment\nmachine a.test login alice password s3cret\nmacdef init\ncd /\n\nmachine b.test\n  login bob\n  password pw\ndefault login anon password x\n";
        assert_eq!(lookup(text, "A.test"), Some(("alice".into(), "s3cret".into())));
        assert_eq!(lookup(text, "b.test"), Some(("bob".into(), "pw".into())));
        assert_eq!(lookup(text, "c.test"), Some(("anon".into(), "x".into())));
        assert_eq!(lookup("machine a login u password p", "z"), None);
    }
}
