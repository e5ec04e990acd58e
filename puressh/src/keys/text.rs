//! Public keys as text: the one-line OpenSSH form (`type base64
//! comment`, the `.pub` file and `authorized_keys` line), fingerprints
//! (`SHA256:...` and `MD5:aa:bb:...`) and the "randomart" picture
//! `ssh-keygen` draws, all byte for byte as OpenSSH prints them.
//!
//! Entry points: [`PublicKey::from_openssh_line`],
//! [`PublicKey::to_openssh_line`], [`PublicKey::fingerprint`],
//! [`PublicKey::randomart`].

use super::{EcCurve, PublicKey};
use crate::error::KeyError;
use purecrypto::hash::HashAlgorithm;

const LINE: KeyError = KeyError::Malformed { what: "public key line" };
/// Width and height of the randomart field (OpenSSH's 17 x 9).
const ART_W: usize = 17;
const ART_H: usize = 9;
/// Symbols by visit count; the last two mark the start and the end.
const ART_SYMBOLS: &[u8] = b" .o+=*BOX@%&#/^SE";

/// Splits `type base64 [comment]` (the `.pub` and `-cert.pub` line) into
/// the type field, the decoded blob and the trimmed comment.
pub(crate) fn split_line(line: &str) -> Option<(&str, Vec<u8>, String)> {
    let line = line.trim();
    let (key_type, rest) = line.split_once([' ', '\t'])?;
    let rest = rest.trim_start();
    let (b64, comment) = rest.split_once([' ', '\t']).unwrap_or((rest, ""));
    Some((key_type, crate::base64::decode(b64)?, comment.trim().to_owned()))
}

/// The inverse of [`split_line`].
pub(crate) fn join_line(key_type: &str, blob: &[u8], comment: &str) -> String {
    let mut line = format!("{key_type} {}", crate::base64::encode(blob));
    if !comment.is_empty() {
        line.push(' ');
        line.push_str(comment);
    }
    line
}

impl PublicKey {
    /// Parses `type base64 [comment]`, returning the key and the comment
    /// (empty when absent). Options before the type (authorized_keys)
    /// are not accepted here.
    ///
    /// # Errors
    /// [`KeyError::Malformed`] for a bad line or a type field that
    /// differs from the blob's, [`KeyError::Unsupported`].
    pub fn from_openssh_line(line: &str) -> Result<(Self, String), KeyError> {
        let (key_type, blob, comment) = split_line(line).ok_or(LINE)?;
        let key = Self::from_blob(&blob)?;
        if key.key_type() != key_type {
            return Err(LINE);
        }
        Ok((key, comment))
    }

    /// `type base64` followed by ` comment` when the comment is not empty.
    #[must_use]
    pub fn to_openssh_line(&self, comment: &str) -> String {
        join_line(self.key_type(), &self.to_blob(), comment)
    }

    /// Size in bits as `ssh-keygen -l` prints it (the modulus for RSA).
    #[must_use]
    pub fn bits(&self) -> usize {
        match self {
            Self::Ed25519(_) => 256,
            Self::Ecdsa { curve: EcCurve::P256, .. } => 256,
            Self::Ecdsa { curve: EcCurve::P384, .. } => 384,
            Self::Ecdsa { curve: EcCurve::P521, .. } => 521,
            Self::Rsa { n, .. } => {
                let lead = n.iter().position(|&b| b != 0).unwrap_or(n.len());
                let top = n.get(lead).map_or(0, |&b| 8 - b.leading_zeros() as usize);
                (n.len() - lead).saturating_sub(1) * 8 + top
            }
        }
    }

    /// The short type name of `ssh-keygen -l` and randomart titles.
    #[must_use]
    pub const fn type_label(&self) -> &'static str {
        match self {
            Self::Ed25519(_) => "ED25519",
            Self::Ecdsa { .. } => "ECDSA",
            Self::Rsa { .. } => "RSA",
        }
    }

    /// `SHA256:<base64, no padding>` or, for MD5, `MD5:<hex:pairs>`;
    /// other hashes print as `SHA384:`-style base64 too.
    #[must_use]
    pub fn fingerprint(&self, hash: HashAlgorithm) -> String {
        let digest = hash.hash(&self.to_blob());
        if hash == HashAlgorithm::Md5 {
            let pairs: Vec<String> = digest.iter().map(|b| format!("{b:02x}")).collect();
            return format!("MD5:{}", pairs.join(":"));
        }
        let b64 = crate::base64::encode(&digest);
        format!("{}:{}", hash_label(hash), b64.trim_end_matches('='))
    }

    /// The `ssh-keygen -l` line: `bits fingerprint comment (TYPE)`.
    #[must_use]
    pub fn fingerprint_line(&self, hash: HashAlgorithm, comment: &str) -> String {
        format!("{} {} {} ({})", self.bits(), self.fingerprint(hash), comment, self.type_label())
    }

    /// The "drunken bishop" picture of the fingerprint under `hash`:
    /// a walk over a 17 x 9 field steered two bits at a time, low bits
    /// first, framed with the key type and size above and the hash below.
    #[must_use]
    pub fn randomart(&self, hash: HashAlgorithm) -> String {
        let digest = hash.hash(&self.to_blob());
        let mut field = [[0u8; ART_H]; ART_W];
        let top = ART_SYMBOLS.len() - 3;
        let (mut x, mut y) = (ART_W / 2, ART_H / 2);
        for byte in digest {
            for step in 0..4 {
                let bits = byte >> (2 * step);
                x = if bits & 1 == 1 { (x + 1).min(ART_W - 1) } else { x.saturating_sub(1) };
                y = if bits & 2 == 2 { (y + 1).min(ART_H - 1) } else { y.saturating_sub(1) };
                if let Some(cell) = field.get_mut(x).and_then(|c| c.get_mut(y)) {
                    if usize::from(*cell) < top {
                        *cell += 1;
                    }
                }
            }
        }
        if let Some(cell) = field.get_mut(ART_W / 2).and_then(|c| c.get_mut(ART_H / 2)) {
            *cell = u8::try_from(ART_SYMBOLS.len() - 2).unwrap_or(0);
        }
        if let Some(cell) = field.get_mut(x).and_then(|c| c.get_mut(y)) {
            *cell = u8::try_from(ART_SYMBOLS.len() - 1).unwrap_or(0);
        }
        let mut out = border(&format!("[{} {}]", self.type_label(), self.bits()));
        for row in 0..ART_H {
            out.push('|');
            for column in &field {
                let v = column.get(row).copied().unwrap_or(0);
                out.push(char::from(ART_SYMBOLS.get(usize::from(v)).copied().unwrap_or(b'?')));
            }
            out.push_str("|\n");
        }
        out.push_str(&border(&format!("[{}]", hash_label(hash))));
        out.pop();
        out
    }
}

/// `+--[title]--+` centred as OpenSSH does (extra dash on the right).
fn border(title: &str) -> String {
    let left = ART_W.saturating_sub(title.len()) / 2;
    let right = ART_W.saturating_sub(left + title.len());
    format!("+{}{title}{}+\n", "-".repeat(left), "-".repeat(right))
}

fn hash_label(hash: HashAlgorithm) -> &'static str {
    match hash {
        HashAlgorithm::Md5 => "MD5",
        HashAlgorithm::Sha1 => "SHA1",
        HashAlgorithm::Sha384 => "SHA384",
        HashAlgorithm::Sha512 => "SHA512",
        _ => "SHA256",
    }
}

#[cfg(test)]
mod tests;
