//! Algorithm negotiation from two KEXINITs (RFC 4253 §7.1), with the
//! ext-info (RFC 8308) and strict-KEX (OpenSSH, CVE-2023-48795) markers.
//!
//! Entry points: [`negotiate`] and [`our_kexinit`].

use super::Role;
use super::cipher::Random;
use crate::error::{Category, KexError};
use crate::msg::KexInit;
use crate::names;

/// The algorithms both sides will use, and what the markers said.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Negotiated {
    /// Key exchange method.
    pub kex: String,
    /// Host key algorithm.
    pub host_key: String,
    /// Cipher, client to server.
    pub cipher_c2s: String,
    /// Cipher, server to client.
    pub cipher_s2c: String,
    /// MAC, client to server; `None` when the cipher is an AEAD.
    pub mac_c2s: Option<String>,
    /// MAC, server to client; `None` when the cipher is an AEAD.
    pub mac_s2c: Option<String>,
    /// Compression, client to server.
    pub compression_c2s: String,
    /// Compression, server to client.
    pub compression_s2c: String,
    /// Both sides announced strict KEX: the initial exchange allows only
    /// KEX messages and sequence numbers reset after each NEWKEYS.
    pub strict: bool,
    /// The client accepts EXT_INFO (`ext-info-c`).
    pub client_ext_info: bool,
    /// The server accepts EXT_INFO (`ext-info-s`).
    pub server_ext_info: bool,
    /// The client guessed and guessed wrong: the server must ignore the
    /// client's next KEX packet.
    pub ignore_client_guess: bool,
    /// The server guessed and guessed wrong: the client must ignore the
    /// server's next KEX packet.
    pub ignore_server_guess: bool,
}

impl Negotiated {
    /// Whether the peer's guessed packet must be ignored, seen from `role`.
    #[must_use]
    pub const fn ignore_peer_guess(&self, role: Role) -> bool {
        match role {
            Role::Client => self.ignore_server_guess,
            Role::Server => self.ignore_client_guess,
        }
    }
}

/// The first name in `client` that `server` also lists (RFC 4253 §7.1),
/// skipping names for which `skip` holds.
fn first_common(
    client: &[String],
    server: &[String],
    category: Category,
    skip: fn(&str) -> bool,
) -> Result<String, KexError> {
    client
        .iter()
        .find(|name| !skip(name) && server.contains(name))
        .cloned()
        .ok_or(KexError::NoCommonAlgorithm { category })
}

fn never(_: &str) -> bool {
    false
}

/// Chooses the algorithms from the client's and the server's KEXINIT.
///
/// # Errors
/// [`KexError::NoCommonAlgorithm`] naming the first category with no
/// algorithm in common.
pub fn negotiate(client: &KexInit, server: &KexInit) -> Result<Negotiated, KexError> {
    let kex = first_common(&client.kex, &server.kex, Category::Kex, names::is_kex_marker)?;
    let host_key = first_common(&client.host_key, &server.host_key, Category::HostKey, never)?;
    let cipher_c2s = first_common(&client.cipher_c2s, &server.cipher_c2s, Category::CipherC2s, never)?;
    let cipher_s2c = first_common(&client.cipher_s2c, &server.cipher_s2c, Category::CipherS2c, never)?;
    let mac_c2s = if names::is_aead(&cipher_c2s) {
        None
    } else {
        Some(first_common(&client.mac_c2s, &server.mac_c2s, Category::MacC2s, never)?)
    };
    let mac_s2c = if names::is_aead(&cipher_s2c) {
        None
    } else {
        Some(first_common(&client.mac_s2c, &server.mac_s2c, Category::MacS2c, never)?)
    };
    let compression_c2s =
        first_common(&client.compression_c2s, &server.compression_c2s, Category::CompressionC2s, never)?;
    let compression_s2c =
        first_common(&client.compression_s2c, &server.compression_s2c, Category::CompressionS2c, never)?;
    // A guess is right when both sides' first KEX method and first host
    // key algorithm agree (RFC 4253 §7).
    let guess_right = client.kex.first() == server.kex.first() && client.host_key.first() == server.host_key.first();
    Ok(Negotiated {
        kex,
        host_key,
        cipher_c2s,
        cipher_s2c,
        mac_c2s,
        mac_s2c,
        compression_c2s,
        compression_s2c,
        strict: client.kex.iter().any(|n| n == names::KEX_STRICT_C)
            && server.kex.iter().any(|n| n == names::KEX_STRICT_S),
        client_ext_info: client.kex.iter().any(|n| n == names::EXT_INFO_C),
        server_ext_info: server.kex.iter().any(|n| n == names::EXT_INFO_S),
        ignore_client_guess: client.first_kex_packet_follows && !guess_right,
        ignore_server_guess: server.first_kex_packet_follows && !guess_right,
    })
}

/// Algorithm lists for one KEXINIT, most preferred first.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Preferences {
    /// Key exchange methods (markers are added by [`our_kexinit`]).
    pub kex: Vec<String>,
    /// Host key algorithms.
    pub host_key: Vec<String>,
    /// Ciphers (both directions).
    pub cipher: Vec<String>,
    /// MACs (both directions).
    pub mac: Vec<String>,
    /// Compression (both directions).
    pub compression: Vec<String>,
}

impl Preferences {
    /// The registry's default lists.
    #[must_use]
    pub fn registry_defaults() -> Self {
        let own = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect();
        Self {
            kex: own(names::KEX),
            host_key: own(names::HOST_KEY),
            cipher: own(names::CIPHER),
            mac: own(names::MAC),
            compression: own(names::COMPRESSION),
        }
    }
}

/// Builds our KEXINIT: a random cookie, our preferences, and the markers
/// for our role (`ext-info-c` or `ext-info-s`, and the strict-KEX marker,
/// always on). `initial` adds the markers only to the first KEXINIT of a
/// connection, as they have no meaning later.
#[must_use]
pub fn our_kexinit(role: Role, prefs: &Preferences, initial: bool, random: &mut dyn Random) -> KexInit {
    let mut cookie = [0u8; 16];
    random.fill(&mut cookie);
    let mut kex = prefs.kex.clone();
    if initial {
        let (ext, strict) = match role {
            Role::Client => (names::EXT_INFO_C, names::KEX_STRICT_C),
            Role::Server => (names::EXT_INFO_S, names::KEX_STRICT_S),
        };
        kex.push(ext.to_owned());
        kex.push(strict.to_owned());
    }
    KexInit {
        cookie,
        kex,
        host_key: prefs.host_key.clone(),
        cipher_c2s: prefs.cipher.clone(),
        cipher_s2c: prefs.cipher.clone(),
        mac_c2s: prefs.mac.clone(),
        mac_s2c: prefs.mac.clone(),
        compression_c2s: prefs.compression.clone(),
        compression_s2c: prefs.compression.clone(),
        language_c2s: Vec::new(),
        language_s2c: Vec::new(),
        first_kex_packet_follows: false,
        reserved: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Zero;
    impl Random for Zero {
        fn fill(&mut self, out: &mut [u8]) {
            out.fill(0);
        }
    }

    fn list(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn client_preference_wins_and_markers_are_skipped() {
        let mut client = our_kexinit(Role::Client, &Preferences::registry_defaults(), true, &mut Zero);
        client.kex.insert(0, names::EXT_INFO_C.into());
        let mut server = client.clone();
        server.kex = list(&[
            "sntrup761x25519-sha512@openssh.com",
            "curve25519-sha256",
            "ext-info-c",
            "kex-strict-s-v00@openssh.com",
        ]);
        server.cipher_s2c = list(&["aes256-ctr", "aes128-ctr"]);
        let n = negotiate(&client, &server).unwrap();
        assert_eq!(n.kex, "sntrup761x25519-sha512@openssh.com");
        assert_eq!(n.cipher_c2s, "chacha20-poly1305@openssh.com");
        assert_eq!(n.mac_c2s, None, "AEAD ciphers take no MAC");
        assert_eq!(n.cipher_s2c, "aes128-ctr", "client order decides");
        assert_eq!(n.mac_s2c.as_deref(), Some("hmac-sha2-256-etm@openssh.com"));
        assert!(n.strict && n.client_ext_info && !n.server_ext_info);
    }

    #[test]
    fn no_common_algorithm_names_the_category() {
        let client = our_kexinit(Role::Client, &Preferences::registry_defaults(), true, &mut Zero);
        let mut server = client.clone();
        server.mac_c2s = list(&["hmac-md5"]);
        server.cipher_c2s = list(&["aes128-ctr"]);
        assert_eq!(negotiate(&client, &server), Err(KexError::NoCommonAlgorithm { category: Category::MacC2s }));
        server.kex = list(&["ext-info-c", "kex-strict-c-v00@openssh.com"]);
        assert_eq!(negotiate(&client, &server), Err(KexError::NoCommonAlgorithm { category: Category::Kex }));
    }

    #[test]
    fn wrong_guesses_are_flagged() {
        let client = our_kexinit(Role::Client, &Preferences::registry_defaults(), true, &mut Zero);
        let mut server = client.clone();
        server.kex = list(&["curve25519-sha256", "mlkem768x25519-sha256"]);
        server.first_kex_packet_follows = true;
        let n = negotiate(&client, &server).unwrap();
        assert_eq!(n.kex, "mlkem768x25519-sha256");
        assert!(n.ignore_server_guess && n.ignore_peer_guess(Role::Client) && !n.ignore_client_guess);
        assert!(!n.strict, "the server did not announce strict KEX");
        server.kex = client.kex.clone();
        assert!(!negotiate(&client, &server).unwrap().ignore_server_guess);
    }
}
