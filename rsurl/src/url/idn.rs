//! Internationalised host names: Punycode (RFC 3492) and a minimal
//! ToASCII (each non-ASCII label lower-cased and written as `xn--...`).
//!
//! Entry point: [`to_ascii`]. Full IDNA 2008 / UTS 46 mapping and
//! normalisation tables are not embedded: names already in NFC (what
//! keyboards and links produce) convert as browsers and curl convert them.

const BASE: u32 = 36;
const TMIN: u32 = 1;
const TMAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 128;

/// Longest label accepted (DNS limit, RFC 1035 §2.3.4).
const MAX_LABEL: usize = 63;

fn adapt(mut delta: u32, num_points: u32, first: bool) -> u32 {
    delta = if first { delta / DAMP } else { delta / 2 };
    delta += delta / num_points;
    let mut k = 0;
    while delta > ((BASE - TMIN) * TMAX) / 2 {
        delta /= BASE - TMIN;
        k += BASE;
    }
    k + (BASE - TMIN + 1) * delta / (delta + SKEW)
}

fn digit(d: u32) -> char {
    // 0..26 -> a..z, 26..36 -> 0..9
    char::from_u32(if d < 26 { u32::from(b'a') + d } else { u32::from(b'0') + d - 26 }).unwrap_or('a')
}

/// Punycode-encodes one label (RFC 3492 §6.3); `None` on overflow.
pub(crate) fn encode(input: &str) -> Option<String> {
    let chars: Vec<u32> = input.chars().map(u32::from).collect();
    let mut out: String = input.chars().filter(char::is_ascii).collect();
    let basic = u32::try_from(out.len()).ok()?;
    let mut handled = basic;
    if basic > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
    let total = u32::try_from(chars.len()).ok()?;
    while handled < total {
        let m = chars.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &chars {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        TMIN
                    } else if k >= bias + TMAX {
                        TMAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    out.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(out)
}

/// Converts a host name to its ASCII form; ASCII names pass unchanged.
/// `None` when a label cannot be encoded or is too long.
pub(crate) fn to_ascii(host: &str) -> Option<String> {
    if host.is_ascii() {
        return Some(host.to_owned());
    }
    let labels: Option<Vec<String>> = host
        .split('.')
        .map(|label| {
            let lower: String = label.chars().flat_map(char::to_lowercase).collect();
            let ascii = if lower.is_ascii() { lower } else { format!("xn--{}", encode(&lower)?) };
            (ascii.len() <= MAX_LABEL).then_some(ascii)
        })
        .collect();
    labels.map(|l| l.join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3492_samples() {
        // RFC 3492 §7.1 (A) Arabic, (B) Chinese simplified, (L) Japanese.
        let arabic = "\u{644}\u{64A}\u{647}\u{645}\u{627}\u{628}\u{62A}\u{643}\u{644}\u{645}\u{648}\u{634}\u{639}\u{631}\u{628}\u{64A}\u{61F}";
        assert_eq!(encode(arabic).unwrap(), "egbpdaj6bu4bxfgehfvwxn");
        let chinese = "\u{4ED6}\u{4EEC}\u{4E3A}\u{4EC0}\u{4E48}\u{4E0D}\u{8BF4}\u{4E2D}\u{6587}";
        assert_eq!(encode(chinese).unwrap(), "ihqwcrb4cv8a8dqg056pqjye");
        let mixed = "3\u{5E74}B\u{7D44}\u{91D1}\u{516B}\u{5148}\u{751F}";
        assert_eq!(encode(mixed).unwrap(), "3B-ww4c5e180e575a65lsy2b");
    }

    #[test]
    fn hosts() {
        assert_eq!(to_ascii("Bücher.example").unwrap(), "xn--bcher-kva.example");
        assert_eq!(to_ascii("example.com").unwrap(), "example.com");
        assert_eq!(to_ascii("münchen.de").unwrap(), "xn--mnchen-3ya.de");
        assert!(to_ascii(&"é".repeat(70)).is_none());
    }
}
