//! Percent-encoding (RFC 3986 §2.1) for URL components and form data.
//!
//! Entry points: [`normalize`] (checks `%XX` triplets, upper-cases their
//! hex, encodes bytes a URL may not carry raw), [`encode_form`] (the
//! `application/x-www-form-urlencoded` rules `--data-urlencode` uses) and
//! [`decode`].

use crate::error::UrlError;

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Appends `%XX` for `b`.
pub(crate) fn push_escaped(out: &mut String, b: u8) {
    out.push('%');
    out.push(char::from(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0')));
    out.push(char::from(HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0')));
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Normalises one URL component: `%xx` becomes `%XX`, bytes above 0x7e
/// and spaces (curl encodes those rather than refusing them in redirects)
/// are percent-encoded, control bytes are refused. `base` is the
/// component's offset in the whole URL, for error positions.
///
/// # Errors
/// [`UrlError::BadPercent`] for a `%` without two hex digits and
/// [`UrlError::ForbiddenByte`] for control bytes.
pub(crate) fn normalize(s: &str, base: usize) -> Result<String, UrlError> {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hi = bytes.get(i + 1).copied().and_then(hex_val);
            let lo = bytes.get(i + 2).copied().and_then(hex_val);
            match (hi, lo) {
                (Some(h), Some(l)) => {
                    push_escaped(&mut out, (h << 4) | l);
                    i += 3;
                    continue;
                }
                _ => return Err(UrlError::BadPercent(base + i)),
            }
        }
        if b < 0x20 || b == 0x7f {
            return Err(UrlError::ForbiddenByte { byte: b, offset: base + i });
        }
        if b == b' ' || b >= 0x80 {
            push_escaped(&mut out, b);
        } else {
            out.push(char::from(b));
        }
        i += 1;
    }
    Ok(out)
}

/// Decodes `%XX` triplets; a `%` without two hex digits stays as is.
#[must_use]
pub(crate) fn decode(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            if let (Some(h), Some(l)) =
                (bytes.get(i + 1).copied().and_then(hex_val), bytes.get(i + 2).copied().and_then(hex_val))
            {
                out.push((h << 4) | l);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    out
}

/// Encodes for `application/x-www-form-urlencoded` the way curl's
/// `--data-urlencode` does: unreserved bytes (`A-Za-z0-9-._~`) stay,
/// everything else becomes `%XX` (a space is `%20`, as curl writes it).
#[must_use]
pub(crate) fn encode_form(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len());
    for &b in data {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            push_escaped(&mut out, b);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_uppercases_and_encodes() {
        assert_eq!(normalize("/a%2fb c\u{e9}", 0).unwrap(), "/a%2Fb%20c%C3%A9");
        assert_eq!(normalize("/%zz", 10), Err(UrlError::BadPercent(11)));
        assert_eq!(normalize("/%2", 0), Err(UrlError::BadPercent(1)));
        assert_eq!(normalize("/a\r\n", 0), Err(UrlError::ForbiddenByte { byte: b'\r', offset: 2 }));
    }

    #[test]
    fn form_encoding_and_decode_round_trip() {
        let raw = b"a b&c=d/\xff~";
        let enc = encode_form(raw);
        assert_eq!(enc, "a%20b%26c%3Dd%2F%FF~");
        assert_eq!(decode(&enc), raw);
        assert_eq!(decode("100%"), b"100%");
    }
}
