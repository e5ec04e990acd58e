//! Standard base64 (RFC 4648 §4) for `Authorization: Basic`.
//!
//! Entry point: [`encode`]. Encoding only: nothing rsurl receives is
//! base64 yet.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn sym(v: u32) -> char {
    char::from(ALPHABET.get((v & 63) as usize).copied().unwrap_or(b'A'))
}

/// Encodes `data` with `=` padding.
#[must_use]
pub(crate) fn encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk.first().copied(), chunk.get(1).copied(), chunk.get(2).copied()];
        let v =
            (u32::from(b[0].unwrap_or(0)) << 16) | (u32::from(b[1].unwrap_or(0)) << 8) | u32::from(b[2].unwrap_or(0));
        out.push(sym(v >> 18));
        out.push(sym(v >> 12));
        out.push(if b[1].is_some() { sym(v >> 6) } else { '=' });
        out.push(if b[2].is_some() { sym(v) } else { '=' });
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc4648_vectors() {
        let cases =
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("foobar", "Zm9vYmFy")];
        for (plain, enc) in cases {
            assert_eq!(super::encode(plain.as_bytes()), enc);
        }
    }
}
