//! Replays of what OpenSSH 9.2's sshd sent, recorded in
//! `tests/data/openssh/`: these run everywhere, also where no sshd can start.

use puressh::msg::Message;
use puressh::names;
use puressh::transport::Role;
use puressh::transport::cipher::Random;
use puressh::transport::negotiate::{Preferences, negotiate, our_kexinit};
use puressh::transport::version::{VersionExchange, VersionLimits};

const VERSION: &[u8] = include_bytes!("data/openssh/version-9.2p1.txt");
const KEXINIT: &[u8] = include_bytes!("data/openssh/kexinit-9.2p1.bin");

struct Zero;
impl Random for Zero {
    fn fill(&mut self, out: &mut [u8]) {
        out.fill(0);
    }
}

#[test]
fn openssh_9_2_identification() {
    let mut vx = VersionExchange::new(Role::Client, "puressh", None, VersionLimits::default()).unwrap();
    assert_eq!(vx.input(VERSION).unwrap(), VERSION.len());
    let peer = vx.peer().unwrap();
    assert_eq!((peer.proto.as_str(), peer.software.as_str()), ("2.0", "OpenSSH_9.2p1"));
}

#[test]
fn openssh_9_2_kexinit_round_trips_and_negotiates() {
    let message = Message::decode(KEXINIT).unwrap();
    assert_eq!(message.to_bytes(), KEXINIT, "byte-exact re-encoding (the exchange hash needs it)");
    let Message::KexInit(server) = message else { panic!("not a KEXINIT") };
    assert!(server.kex.iter().any(|n| n == names::KEX_STRICT_S));
    assert!(!server.kex.iter().any(|n| n == names::MLKEM768X25519_SHA256), "9.2 predates ML-KEM");
    assert_eq!(server.host_key, ["ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-512", "rsa-sha2-256"]);
    assert!(!server.first_kex_packet_follows);

    let client = our_kexinit(Role::Client, &Preferences::registry_defaults(), true, &mut Zero);
    let n = negotiate(&client, &server).unwrap();
    // Debian 12's 9.2p1 offers the RFC name of sntrup761 as well.
    assert_eq!(n.kex, names::SNTRUP761X25519_SHA512);
    assert_eq!(n.host_key, names::SSH_ED25519);
    assert_eq!((n.cipher_c2s.as_str(), n.mac_c2s.as_deref()), (names::CHACHA20_POLY1305, None));
    assert!(n.strict);

    // With the ciphers limited to AES-CTR, an ETM MAC is chosen.
    let mut prefs = Preferences::registry_defaults();
    prefs.cipher = vec![names::AES256_CTR.to_owned()];
    let client = our_kexinit(Role::Client, &prefs, true, &mut Zero);
    let n = negotiate(&client, &server).unwrap();
    assert_eq!(n.mac_s2c.as_deref(), Some(names::HMAC_SHA2_256_ETM));
}
