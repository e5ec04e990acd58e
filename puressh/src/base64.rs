//! Standard base64 (RFC 4648 §4, with `=` padding) decoding for `known_hosts` keys and hashed host names.
//!
//! Entry point: [`decode`]. Decoding is strict: no
//! whitespace, padding required, non-zero trailing bits refused, so that
//! one text has exactly one meaning.

fn value(c: u8) -> Option<u32> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Decodes padded standard base64; `None` when malformed.
#[must_use]
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if bytes.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    let chunks = bytes.len() / 4;
    for (i, chunk) in bytes.chunks_exact(4).enumerate() {
        let &[a, b, c, d] = chunk else { return None };
        let last = i + 1 == chunks;
        let pad = match (c, d) {
            (b'=', b'=') if last => 2,
            (_, b'=') if last => 1,
            _ => 0,
        };
        let n = (value(a)? << 18)
            | (value(b)? << 12)
            | (if pad == 2 { 0 } else { value(c)? << 6 })
            | (if pad >= 1 { 0 } else { value(d)? });
        let [_, x, y, z] = n.to_be_bytes();
        match pad {
            0 => out.extend_from_slice(&[x, y, z]),
            1 if z == 0 => out.extend_from_slice(&[x, y]),
            2 if y == 0 && z == 0 => out.push(x),
            _ => return None,
        }
    }
    Some(out)
}

/// Encodes as padded standard base64 (for the `known_hosts` lines that
/// `StrictHostKeyChecking accept-new` appends).
#[must_use]
pub(crate) fn encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let symbol = |v: u32| char::from(ALPHABET.get((v & 63) as usize).copied().unwrap_or(b'='));
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(symbol(n >> 18));
        out.push(symbol(n >> 12));
        out.push(if chunk.len() > 1 { symbol(n >> 6) } else { '=' });
        out.push(if chunk.len() > 2 { symbol(n) } else { '=' });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, coded) in cases {
            assert_eq!(decode(coded).unwrap(), plain.as_bytes());
            assert_eq!(encode(plain.as_bytes()), coded);
        }
    }

    #[test]
    fn malformed_is_refused() {
        for bad in ["Zg=", "Zg", "Z===", "Zh==", "Zm9=", "Zm 9", "Zg==Zg==", "=Zg="] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
