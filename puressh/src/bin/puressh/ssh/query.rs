//! `ssh -Q`: the algorithms this build implements, one per line, under
//! OpenSSH's query names (and the configuration keywords it also takes).

use puressh::names;

/// Key types, each followed by its certificate type (`-Q key`).
const KEY_TYPES: [(&str, &str); 5] = [
    (names::SSH_ED25519, names::SSH_ED25519_CERT),
    (names::ECDSA_SHA2_NISTP256, names::ECDSA_SHA2_NISTP256_CERT),
    (names::ECDSA_SHA2_NISTP384, names::ECDSA_SHA2_NISTP384_CERT),
    (names::ECDSA_SHA2_NISTP521, names::ECDSA_SHA2_NISTP521_CERT),
    (names::SSH_RSA_SHA1, names::SSH_RSA_CERT),
];

/// Signature algorithms (`-Q sig`), in OpenSSH's order.
const SIGNATURES: [&str; 7] = [
    names::SSH_ED25519,
    names::ECDSA_SHA2_NISTP256,
    names::ECDSA_SHA2_NISTP384,
    names::ECDSA_SHA2_NISTP521,
    names::SSH_RSA_SHA1,
    names::RSA_SHA2_256,
    names::RSA_SHA2_512,
];

fn compression() -> Vec<&'static str> {
    let mut list = vec![names::NONE];
    if cfg!(feature = "zlib") {
        list.extend([names::ZLIB_OPENSSH, names::ZLIB]);
    }
    list
}

/// The answer to `-Q what`, or `None` for a query OpenSSH would call
/// unsupported (or one this build has nothing for, such as `kex-gss`,
/// which answers with an empty list as OpenSSH without GSSAPI does).
pub(crate) fn answer(what: &str) -> Option<Vec<&'static str>> {
    let list = match what.to_ascii_lowercase().as_str() {
        "cipher" | "ciphers" => names::CIPHER.to_vec(),
        "cipher-auth" => names::CIPHER.iter().copied().filter(|c| names::is_aead(c)).collect(),
        "mac" | "macs" => names::MAC.to_vec(),
        "kex" | "kexalgorithms" => puressh::transport::kex::SUPPORTED.to_vec(),
        "kex-gss" => Vec::new(),
        "compression" => compression(),
        "key" => KEY_TYPES.iter().flat_map(|(plain, cert)| [*plain, *cert]).collect(),
        "key-plain" => KEY_TYPES.iter().map(|(plain, _)| *plain).collect(),
        "key-cert" => KEY_TYPES.iter().map(|(_, cert)| *cert).collect(),
        "key-sig" | "hostkeyalgorithms" | "pubkeyacceptedalgorithms" | "pubkeyacceptedkeytypes" => SIGNATURES
            .iter()
            .flat_map(|sig| {
                let cert = puressh::keys::cert::certificate_algorithm(sig);
                std::iter::once(*sig).chain(cert)
            })
            .collect(),
        "sig" | "casignaturealgorithms" => SIGNATURES.to_vec(),
        "protocol-version" => vec!["2"],
        "help" => vec![
            "cipher",
            "cipher-auth",
            "compression",
            "kex",
            "kex-gss",
            "key",
            "key-cert",
            "key-plain",
            "key-sig",
            "mac",
            "protocol-version",
            "sig",
        ],
        _ => return None,
    };
    Some(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_list_what_is_implemented() {
        assert_eq!(answer("cipher-auth").unwrap(), [names::CHACHA20_POLY1305, names::AES128_GCM, names::AES256_GCM]);
        assert_eq!(answer("Ciphers"), answer("cipher"));
        let key = answer("key").unwrap();
        assert_eq!(key[..2], [names::SSH_ED25519, names::SSH_ED25519_CERT]);
        assert_eq!(answer("key-plain").unwrap().len() + answer("key-cert").unwrap().len(), key.len());
        let sig = answer("key-sig").unwrap();
        assert!(sig.contains(&names::RSA_SHA2_512_CERT) && sig.contains(&names::SSH_RSA_CERT));
        assert!(!answer("sig").unwrap().iter().any(|s| s.contains("cert")));
        assert!(answer("kex").unwrap().contains(&names::MLKEM768X25519_SHA256));
        assert_eq!(answer("protocol-version").unwrap(), ["2"]);
        assert_eq!(answer("kex-gss").unwrap(), Vec::<&str>::new());
        assert_eq!(answer("compression").unwrap()[0], names::NONE);
        assert_eq!(answer("foo"), None);
        // Every query `help` names answers.
        for q in answer("help").unwrap() {
            assert!(answer(q).is_some(), "{q}");
        }
    }
}
