//! The algorithm-name registry: one `const` per name and one slice per
//! category in our order of preference, plus OpenSSH's `+`/`-`/`^` list
//! modifiers ([`apply_modifiers`]).
//!
//! A name here says the protocol knows the algorithm; it does not say an
//! implementation is linked in. Key exchange methods, ciphers, MACs and
//! signatures plug in through the traits of [`crate::transport::cipher`]
//! once purecrypto provides the primitives.

/// `curve25519-sha256` (RFC 8731).
pub const CURVE25519_SHA256: &str = "curve25519-sha256";
/// `curve25519-sha256@libssh.org`, the pre-RFC name.
pub const CURVE25519_SHA256_LIBSSH: &str = "curve25519-sha256@libssh.org";
/// `mlkem768x25519-sha256` (draft-kampanakis-curdle-ssh-pq-ke).
pub const MLKEM768X25519_SHA256: &str = "mlkem768x25519-sha256";
/// `sntrup761x25519-sha512`.
pub const SNTRUP761X25519_SHA512: &str = "sntrup761x25519-sha512";
/// `sntrup761x25519-sha512@openssh.com`, the pre-standard name.
pub const SNTRUP761X25519_SHA512_OPENSSH: &str = "sntrup761x25519-sha512@openssh.com";
/// `ecdh-sha2-nistp256` (RFC 5656).
pub const ECDH_SHA2_NISTP256: &str = "ecdh-sha2-nistp256";
/// `ecdh-sha2-nistp384`.
pub const ECDH_SHA2_NISTP384: &str = "ecdh-sha2-nistp384";
/// `ecdh-sha2-nistp521`.
pub const ECDH_SHA2_NISTP521: &str = "ecdh-sha2-nistp521";
/// `diffie-hellman-group-exchange-sha256` (RFC 4419).
pub const DH_GEX_SHA256: &str = "diffie-hellman-group-exchange-sha256";
/// `diffie-hellman-group16-sha512` (RFC 8268).
pub const DH_GROUP16_SHA512: &str = "diffie-hellman-group16-sha512";
/// `diffie-hellman-group18-sha512`.
pub const DH_GROUP18_SHA512: &str = "diffie-hellman-group18-sha512";
/// `diffie-hellman-group14-sha256`.
pub const DH_GROUP14_SHA256: &str = "diffie-hellman-group14-sha256";

/// `ext-info-c`: the client accepts SSH_MSG_EXT_INFO (RFC 8308).
pub const EXT_INFO_C: &str = "ext-info-c";
/// `ext-info-s`: the server accepts SSH_MSG_EXT_INFO.
pub const EXT_INFO_S: &str = "ext-info-s";
/// `kex-strict-c-v00@openssh.com`: the client's strict-KEX marker
/// (OpenSSH PROTOCOL, the CVE-2023-48795 countermeasure).
pub const KEX_STRICT_C: &str = "kex-strict-c-v00@openssh.com";
/// `kex-strict-s-v00@openssh.com`: the server's strict-KEX marker.
pub const KEX_STRICT_S: &str = "kex-strict-s-v00@openssh.com";

/// `ssh-ed25519` (RFC 8709).
pub const SSH_ED25519: &str = "ssh-ed25519";
/// `ecdsa-sha2-nistp256` (RFC 5656).
pub const ECDSA_SHA2_NISTP256: &str = "ecdsa-sha2-nistp256";
/// `ecdsa-sha2-nistp384`.
pub const ECDSA_SHA2_NISTP384: &str = "ecdsa-sha2-nistp384";
/// `ecdsa-sha2-nistp521`.
pub const ECDSA_SHA2_NISTP521: &str = "ecdsa-sha2-nistp521";
/// `rsa-sha2-512` (RFC 8332).
pub const RSA_SHA2_512: &str = "rsa-sha2-512";
/// `rsa-sha2-256` (RFC 8332).
pub const RSA_SHA2_256: &str = "rsa-sha2-256";
/// `ssh-rsa` with SHA-1: only through an explicit opt-in.
pub const SSH_RSA_SHA1: &str = "ssh-rsa";
/// `ssh-ed25519-cert-v01@openssh.com`.
pub const SSH_ED25519_CERT: &str = "ssh-ed25519-cert-v01@openssh.com";
/// `ecdsa-sha2-nistp256-cert-v01@openssh.com`.
pub const ECDSA_SHA2_NISTP256_CERT: &str = "ecdsa-sha2-nistp256-cert-v01@openssh.com";
/// `ecdsa-sha2-nistp384-cert-v01@openssh.com`.
pub const ECDSA_SHA2_NISTP384_CERT: &str = "ecdsa-sha2-nistp384-cert-v01@openssh.com";
/// `ecdsa-sha2-nistp521-cert-v01@openssh.com`.
pub const ECDSA_SHA2_NISTP521_CERT: &str = "ecdsa-sha2-nistp521-cert-v01@openssh.com";
/// `ssh-rsa-cert-v01@openssh.com`: the RSA certificate key type (and,
/// as an algorithm, SHA-1 signatures: opt-in only).
pub const SSH_RSA_CERT: &str = "ssh-rsa-cert-v01@openssh.com";
/// `rsa-sha2-512-cert-v01@openssh.com`.
pub const RSA_SHA2_512_CERT: &str = "rsa-sha2-512-cert-v01@openssh.com";
/// `rsa-sha2-256-cert-v01@openssh.com`.
pub const RSA_SHA2_256_CERT: &str = "rsa-sha2-256-cert-v01@openssh.com";

/// `chacha20-poly1305@openssh.com` (AEAD: no separate MAC).
pub const CHACHA20_POLY1305: &str = "chacha20-poly1305@openssh.com";
/// `aes128-gcm@openssh.com` (AEAD).
pub const AES128_GCM: &str = "aes128-gcm@openssh.com";
/// `aes256-gcm@openssh.com` (AEAD).
pub const AES256_GCM: &str = "aes256-gcm@openssh.com";
/// `aes128-ctr` (RFC 4344).
pub const AES128_CTR: &str = "aes128-ctr";
/// `aes192-ctr`.
pub const AES192_CTR: &str = "aes192-ctr";
/// `aes256-ctr`.
pub const AES256_CTR: &str = "aes256-ctr";

/// `hmac-sha2-256-etm@openssh.com` (encrypt-then-MAC).
pub const HMAC_SHA2_256_ETM: &str = "hmac-sha2-256-etm@openssh.com";
/// `hmac-sha2-512-etm@openssh.com`.
pub const HMAC_SHA2_512_ETM: &str = "hmac-sha2-512-etm@openssh.com";
/// `hmac-sha2-256` (RFC 6668).
pub const HMAC_SHA2_256: &str = "hmac-sha2-256";
/// `hmac-sha2-512`.
pub const HMAC_SHA2_512: &str = "hmac-sha2-512";

/// `none`: no compression (and, before the first NEWKEYS, no cipher/MAC).
pub const NONE: &str = "none";
/// `zlib@openssh.com`: zlib started after user authentication.
pub const ZLIB_OPENSSH: &str = "zlib@openssh.com";
/// `zlib` (RFC 4253 §6.2).
pub const ZLIB: &str = "zlib";

/// Key exchange methods, most preferred first.
pub const KEX: &[&str] = &[
    MLKEM768X25519_SHA256,
    SNTRUP761X25519_SHA512,
    SNTRUP761X25519_SHA512_OPENSSH,
    CURVE25519_SHA256,
    CURVE25519_SHA256_LIBSSH,
    ECDH_SHA2_NISTP256,
    ECDH_SHA2_NISTP384,
    ECDH_SHA2_NISTP521,
    DH_GEX_SHA256,
    DH_GROUP16_SHA512,
    DH_GROUP18_SHA512,
    DH_GROUP14_SHA256,
];

/// Host key algorithms, most preferred first (`ssh-rsa` is not here: see
/// [`HOST_KEY_OPT_IN`]).
pub const HOST_KEY: &[&str] = &[
    SSH_ED25519_CERT,
    ECDSA_SHA2_NISTP256_CERT,
    ECDSA_SHA2_NISTP384_CERT,
    ECDSA_SHA2_NISTP521_CERT,
    RSA_SHA2_512_CERT,
    RSA_SHA2_256_CERT,
    SSH_ED25519,
    ECDSA_SHA2_NISTP256,
    ECDSA_SHA2_NISTP384,
    ECDSA_SHA2_NISTP521,
    RSA_SHA2_512,
    RSA_SHA2_256,
];

/// Host key algorithms that are known but only used when a configuration
/// adds them explicitly (SHA-1 signatures).
pub const HOST_KEY_OPT_IN: &[&str] = &[SSH_RSA_SHA1, SSH_RSA_CERT];

/// Ciphers, most preferred first.
pub const CIPHER: &[&str] = &[CHACHA20_POLY1305, AES128_GCM, AES256_GCM, AES128_CTR, AES192_CTR, AES256_CTR];

/// MACs, most preferred first.
pub const MAC: &[&str] = &[HMAC_SHA2_256_ETM, HMAC_SHA2_512_ETM, HMAC_SHA2_256, HMAC_SHA2_512];

/// Compression methods, most preferred first.
pub const COMPRESSION: &[&str] = &[NONE, ZLIB_OPENSSH, ZLIB];

/// Whether a cipher authenticates by itself, so the negotiated MAC is not
/// used (OpenSSH's PROTOCOL.chacha20poly1305, RFC 5647 as amended).
#[must_use]
pub fn is_aead(cipher: &str) -> bool {
    matches!(cipher, CHACHA20_POLY1305 | AES128_GCM | AES256_GCM)
}

/// Whether a KEX list entry is a marker rather than a method (never
/// negotiated as the key exchange).
#[must_use]
pub fn is_kex_marker(name: &str) -> bool {
    matches!(name, EXT_INFO_C | EXT_INFO_S | KEX_STRICT_C | KEX_STRICT_S)
}

/// Why an algorithm list could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ListError {
    /// A name that `known` does not contain.
    Unknown(String),
    /// An empty list or an empty name.
    Empty,
}

/// Builds an algorithm list from `spec` the way OpenSSH's `Ciphers`,
/// `MACs`, `KexAlgorithms` and `HostKeyAlgorithms` do: `+a,b` appends
/// to `default`, `-a*,b` removes (wildcards allowed), `^a,b` moves to the
/// front, and a bare list replaces. Every added name must be in `known`.
///
/// # Errors
/// [`ListError::Unknown`] for a name not in `known`; [`ListError::Empty`]
/// for an empty name or a result with no algorithm left.
pub fn apply_modifiers(default: &[&str], known: &[&str], spec: &str) -> Result<Vec<String>, ListError> {
    let (modifier, list) = match spec.as_bytes().first() {
        Some(b'+' | b'-' | b'^') => spec.split_at(1),
        _ => ("", spec),
    };
    let names: Vec<&str> = list.split(',').collect();
    if names.iter().any(|n| n.is_empty()) {
        return Err(ListError::Empty);
    }
    if modifier != "-" {
        if let Some(bad) = names.iter().find(|n| !known.contains(n)) {
            return Err(ListError::Unknown((*bad).to_owned()));
        }
    }
    let owned = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<String>>();
    let mut out = match modifier {
        "+" => {
            let mut out = owned(default);
            for name in names {
                if !out.iter().any(|n| n == name) {
                    out.push(name.to_owned());
                }
            }
            out
        }
        "-" => default
            .iter()
            .filter(|d| !names.iter().any(|pattern| crate::pattern::wildcard_match(pattern, d, false)))
            .map(|s| (*s).to_owned())
            .collect(),
        "^" => {
            let mut out = owned(&names);
            out.extend(default.iter().filter(|d| !names.contains(d)).map(|s| (*s).to_owned()));
            out
        }
        _ => owned(&names),
    };
    out.dedup();
    if out.is_empty() {
        return Err(ListError::Empty);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modifiers() {
        let default = [AES128_CTR, AES256_CTR];
        assert_eq!(
            apply_modifiers(&default, CIPHER, "+chacha20-poly1305@openssh.com").unwrap(),
            [AES128_CTR, AES256_CTR, CHACHA20_POLY1305]
        );
        assert_eq!(apply_modifiers(&default, CIPHER, "^aes256-ctr").unwrap(), [AES256_CTR, AES128_CTR]);
        assert_eq!(apply_modifiers(&default, CIPHER, "-aes128-*").unwrap(), [AES256_CTR]);
        assert_eq!(apply_modifiers(&default, CIPHER, "aes192-ctr").unwrap(), [AES192_CTR]);
        assert_eq!(apply_modifiers(&default, CIPHER, "+aes128-cbc"), Err(ListError::Unknown("aes128-cbc".into())));
        assert_eq!(apply_modifiers(&default, CIPHER, "-aes*"), Err(ListError::Empty));
        assert_eq!(apply_modifiers(&default, CIPHER, "a,,b"), Err(ListError::Empty));
    }

    #[test]
    fn registry_slices_are_well_formed() {
        for list in [KEX, HOST_KEY, HOST_KEY_OPT_IN, CIPHER, MAC, COMPRESSION] {
            for name in list {
                assert!(!name.is_empty() && name.len() <= crate::wire::MAX_NAME_LEN);
                assert!(name.bytes().all(|b| b.is_ascii_graphic() && b != b','));
                assert_eq!(list.iter().filter(|n| *n == name).count(), 1, "{name} twice");
            }
        }
        assert!(is_aead(CHACHA20_POLY1305) && !is_aead(AES128_CTR));
        assert!(is_kex_marker(KEX_STRICT_S) && !is_kex_marker(CURVE25519_SHA256));
    }
}
