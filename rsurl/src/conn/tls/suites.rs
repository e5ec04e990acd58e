//! `--ciphers`, `--tls13-ciphers` and `--curves`: OpenSSL's list syntax
//! mapped onto what purecrypto speaks, with OpenSSL's leniency (unknown
//! entries are skipped, only a list that selects nothing fails: curl's
//! exit 59).
//!
//! Entry points: [`tls12_suites`], [`tls13_suites`], [`groups`], and
//! [`openssl_name`] (the name curl's `-v` line shows).

use purecrypto::tls::{CipherSuite, NamedGroup};

use crate::error::Error;

/// The TLS 1.2 suites we speak in the order of OpenSSL's `ALL`, and
/// whether `DEFAULT` (OpenSSL's default list, and ours) has them: the
/// AES-CCM suites (RFC 7251) are only used when a list names them, by
/// name or by a word such as `AESCCM` or `HIGH`. Their OpenSSL names come
/// from [`CipherSuite::openssl_name`].
const TLS12: [(CipherSuite, bool); 10] = [
    (CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, true),
    (CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, true),
    (CipherSuite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, true),
    (CipherSuite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, true),
    (CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8, false),
    (CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_CCM, false),
    (CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, true),
    (CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, true),
    (CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, false),
    (CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CCM, false),
];

/// OpenSSL's default TLS 1.3 order.
pub(crate) const TLS13_DEFAULT: [CipherSuite; 3] = [
    CipherSuite::TLS_AES_256_GCM_SHA384,
    CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
    CipherSuite::TLS_AES_128_GCM_SHA256,
];

/// The TLS 1.3 suites `--tls13-ciphers` may name: the default ones and
/// the AES-CCM pair, which OpenSSL too only uses when named.
const TLS13_NAMED: [CipherSuite; 5] = [
    CipherSuite::TLS_AES_256_GCM_SHA384,
    CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
    CipherSuite::TLS_AES_128_GCM_SHA256,
    CipherSuite::TLS_AES_128_CCM_SHA256,
    CipherSuite::TLS_AES_128_CCM_8_SHA256,
];

/// The TLS 1.2 suites in OpenSSL's default order.
pub(crate) fn tls12_default() -> Vec<CipherSuite> {
    TLS12.iter().filter(|(_, default)| *default).map(|(s, _)| *s).collect()
}

/// The suite as curl's `-v` line names it: OpenSSL's names, which are
/// the IANA names for TLS 1.3 and short forms for TLS 1.2.
pub(crate) fn openssl_name(suite: CipherSuite) -> String {
    suite.openssl_name().map_or_else(|| format!("{suite:?}"), str::to_owned)
}

/// Whether one OpenSSL cipher-string word (`AESGCM`, `ECDSA`, `HIGH`, an
/// exact name, ...) selects `suite`, going by its OpenSSL name.
fn word_selects(word: &str, (suite, default): (CipherSuite, bool)) -> bool {
    let iana = suite.name().unwrap_or_default();
    let name = suite.openssl_name().unwrap_or_default();
    let ecdsa = name.contains("-ECDSA-");
    let ccm = name.contains("-CCM");
    match word {
        "DEFAULT" => default,
        "ALL" | "HIGH" | "ECDHE" | "EECDH" | "kECDHE" | "kEECDH" | "TLSv1.2" => true,
        // OpenSSL 3.0's `AEAD` and `SHA2` leave the CCM suites out.
        "AEAD" | "SHA2" => !ccm,
        "ECDSA" | "aECDSA" => ecdsa,
        "RSA" | "aRSA" => !ecdsa,
        "AESGCM" => name.contains("GCM"),
        "AESCCM" => ccm,
        "AESCCM8" => name.ends_with("CCM8"),
        "AES" => name.contains("-AES"),
        "AES128" => name.contains("AES128"),
        "AES256" => name.contains("AES256"),
        "CHACHA20" => name.contains("CHACHA20"),
        "SHA256" => name.ends_with("SHA256") || name.contains("CHACHA20"),
        "SHA384" => name.ends_with("SHA384"),
        w => w == name || w == iana,
    }
}

/// `--ciphers`: an OpenSSL cipher string (`:`, `,` or space separated;
/// `A+B` needs both words, `!X` / `-X` removes, `+X` alone is ignored,
/// `@STRENGTH` and `@SECLEVEL` too) applied to the TLS 1.2 suites.
///
/// # Errors
/// curl's 59 when the list selects none of our suites.
pub(crate) fn tls12_suites(list: &str) -> Result<Vec<CipherSuite>, Error> {
    let mut chosen: Vec<CipherSuite> = Vec::new();
    let mut banned: Vec<CipherSuite> = Vec::new();
    for entry in list.split([':', ',', ' ']).map(str::trim).filter(|e| !e.is_empty()) {
        let (remove, body) = match entry.as_bytes().first() {
            Some(b'!' | b'-') => (true, entry.get(1..).unwrap_or_default()),
            Some(b'+' | b'@') => continue,
            _ => (false, entry),
        };
        for entry in TLS12 {
            let suite = entry.0;
            if body.split('+').all(|w| word_selects(w, entry)) {
                if remove {
                    chosen.retain(|s| *s != suite);
                    banned.push(suite);
                } else if !chosen.contains(&suite) && !banned.contains(&suite) {
                    chosen.push(suite);
                }
            }
        }
    }
    if chosen.is_empty() {
        return Err(Error::Cipher(format!("failed setting cipher list: {list}")));
    }
    Ok(chosen)
}

/// `--tls13-ciphers`: `:`-separated IANA names; unknown names are
/// skipped as OpenSSL does.
///
/// # Errors
/// curl's 59 when no name is one we speak.
pub(crate) fn tls13_suites(list: &str) -> Result<Vec<CipherSuite>, Error> {
    let mut chosen = Vec::new();
    for name in list.split(':').map(str::trim) {
        if let Some(s) = TLS13_NAMED.iter().find(|s| s.name() == Some(name)) {
            if !chosen.contains(s) {
                chosen.push(*s);
            }
        }
    }
    if chosen.is_empty() {
        return Err(Error::Cipher(format!("failed setting TLS 1.3 cipher suite: {list}")));
    }
    Ok(chosen)
}

/// `--curves`: `:`-separated group names as OpenSSL spells them. A name
/// OpenSSL does not know fails the whole list (as in OpenSSL); the one
/// known group we do not speak (X448) is skipped.
///
/// # Errors
/// curl's 59 for an unknown name or a list with none of our groups.
pub(crate) fn groups(list: &str) -> Result<Vec<NamedGroup>, Error> {
    let fail = || Error::Cipher(format!("failed setting curves list: '{list}'"));
    let mut chosen = Vec::new();
    for name in list.split(':').map(str::trim) {
        let group = match NamedGroup::from_openssl_name(name) {
            Some(g) => Some(g),
            None if name.eq_ignore_ascii_case("X448") => None,
            None => return Err(fail()),
        };
        if let Some(g) = group.filter(|g| !chosen.contains(g)) {
            chosen.push(g);
        }
    }
    if chosen.is_empty() {
        return Err(fail());
    }
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cipher_strings_as_openssl_reads_them() {
        let one = tls12_suites("BOGUS:ECDHE-ECDSA-AES128-GCM-SHA256").unwrap();
        assert_eq!(one, [CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]);
        let gcm = tls12_suites("ECDHE+AESGCM:!AES256").unwrap();
        assert_eq!(
            gcm,
            [CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]
        );
        assert_eq!(tls12_suites("DEFAULT").unwrap(), tls12_default());
        // As OpenSSL 3.0's `openssl ciphers`: HIGH has the CCM suites
        // (nginx's default list), DEFAULT, AEAD and SHA2 do not.
        let high = tls12_suites("HIGH:!aNULL:!MD5").unwrap();
        assert_eq!(high.len(), 10);
        assert_eq!(high[4], CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8);
        assert_eq!(tls12_suites("AEAD").unwrap(), tls12_default());
        assert_eq!(tls12_suites("SHA2").unwrap(), tls12_default());
        assert_eq!(
            tls12_suites("AESCCM8").unwrap(),
            [CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8, CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8]
        );
        assert_eq!(
            tls12_suites("AESCCM:!AES256").unwrap(),
            [CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CCM]
        );
        assert_eq!(tls12_suites("ECDHE-ECDSA-AES128-CCM").unwrap(), [CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CCM]);
        let iana = tls12_suites("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256").unwrap();
        assert_eq!(iana, [CipherSuite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256]);
        let e = tls12_suites("BOGUS").unwrap_err();
        assert_eq!((e.exit_code().get(), e.to_string()), (59, "failed setting cipher list: BOGUS".into()));
        assert!(tls12_suites("AES128-SHA:DHE-RSA-AES256-SHA").is_err());
    }

    #[test]
    fn tls13_names_and_curves() {
        let s = tls13_suites("BOGUS:TLS_CHACHA20_POLY1305_SHA256").unwrap();
        assert_eq!(s, [CipherSuite::TLS_CHACHA20_POLY1305_SHA256]);
        let ccm = tls13_suites("TLS_AES_128_CCM_8_SHA256:TLS_AES_128_CCM_SHA256").unwrap();
        assert_eq!(ccm, [CipherSuite::TLS_AES_128_CCM_8_SHA256, CipherSuite::TLS_AES_128_CCM_SHA256]);
        let e = tls13_suites("BOGUS").unwrap_err();
        assert_eq!((e.exit_code().get(), e.to_string()), (59, "failed setting TLS 1.3 cipher suite: BOGUS".into()));
        assert_eq!(groups("P-384:x25519").unwrap(), [NamedGroup::SECP384R1, NamedGroup::X25519]);
        assert_eq!(groups("X448:prime256v1").unwrap(), [NamedGroup::SECP256R1]);
        assert_eq!(
            groups("X25519MLKEM768:ffdhe2048:SECP384R1").unwrap(),
            [NamedGroup::X25519_MLKEM768, NamedGroup::FFDHE2048, NamedGroup::SECP384R1]
        );
        let e = groups("BOGUS:P-256").unwrap_err();
        assert_eq!((e.exit_code().get(), e.to_string()), (59, "failed setting curves list: 'BOGUS:P-256'".into()));
        assert!(groups("X448").is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// Any list gives either curl's exit 59 or suites and groups we
        /// speak, without duplicates, and never panics.
        #[test]
        fn any_list_selects_only_what_we_speak(
            words in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just("HIGH".to_owned()),
                    proptest::strategy::Just("!AES256".to_owned()),
                    proptest::strategy::Just("ECDHE+CHACHA20".to_owned()),
                    proptest::strategy::Just("AESCCM8".to_owned()),
                    proptest::strategy::Just("TLS_AES_128_CCM_SHA256".to_owned()),
                    proptest::strategy::Just("ECDHE-RSA-AES128-GCM-SHA256".to_owned()),
                    proptest::strategy::Just("TLS_AES_128_GCM_SHA256".to_owned()),
                    proptest::strategy::Just("P-384".to_owned()),
                    proptest::strategy::Just("X448".to_owned()),
                    "[A-Za-z0-9_+!@ ,-]{0,12}",
                ],
                0..6,
            )
        ) {
            let list = words.join(":");
            for suites in [tls12_suites(&list), tls13_suites(&list)] {
                match suites {
                    Ok(v) => {
                        let ours = |s: &CipherSuite| {
                            [CipherSuite::SUPPORTED, CipherSuite::SUPPORTED_TLS12, CipherSuite::OPTIONAL, CipherSuite::OPTIONAL_TLS12]
                                .iter()
                                .any(|list| list.contains(s))
                        };
                        proptest::prop_assert!(!v.is_empty() && v.iter().all(ours));
                        proptest::prop_assert!(v.iter().enumerate().all(|(i, s)| !v[..i].contains(s)));
                    }
                    Err(e) => proptest::prop_assert_eq!(e.exit_code().get(), 59),
                }
            }
            if let Ok(g) = groups(&list) {
                proptest::prop_assert!(!g.is_empty() && g.iter().all(|x| NamedGroup::SUPPORTED.contains(x)));
            }
        }
    }

    #[test]
    fn verbose_names() {
        assert_eq!(openssl_name(CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), "ECDHE-RSA-AES128-GCM-SHA256");
        assert_eq!(openssl_name(CipherSuite::TLS_AES_128_GCM_SHA256), "TLS_AES_128_GCM_SHA256");
        assert_eq!(openssl_name(CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8), "ECDHE-ECDSA-AES256-CCM8");
        assert_eq!(openssl_name(CipherSuite::TLS_AES_128_CCM_8_SHA256), "TLS_AES_128_CCM_8_SHA256");
    }
}
