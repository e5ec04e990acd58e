//! The hybrid key exchanges (`purecrypto::hybrid`): interoperability with
//! OpenSSL's ML-KEM, X25519 and ECDH through the `cryptography` package
//! (`tests/data/hybrid/peer.py` builds each hybrid from the components, so
//! both the share layout and the secret order are checked against an
//! independent implementation), in both directions; round-trip and
//! no-panic properties.

use std::path::PathBuf;
use std::process::Command;

use proptest::prelude::*;
use purecrypto::hybrid::{ssh, tls::Group};
use purecrypto::rng::HmacDrbg;
use purecrypto::rng::RngCore;

use crate::stack_py::python_with;

/// The interpreter with `cryptography` 50 (OpenSSL 4) and pyOpenSSL on
/// top of it (see [`crate::stack_py`]).
pub(crate) fn stack_python() -> Option<PathBuf> {
    python_with(
        "from cryptography.hazmat.primitives.asymmetric import mlkem; import OpenSSL",
        "hybrid KEM interop with OpenSSL 4",
    )
}

fn peer(python: &PathBuf, args: &[&str]) -> Vec<Vec<u8>> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/hybrid/peer.py");
    let out = Command::new(python).arg(script).args(args).output().unwrap();
    assert!(out.status.success(), "peer.py {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().split_whitespace().map(hex).collect()
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn drbg(label: &[u8]) -> HmacDrbg {
    HmacDrbg::new(purecrypto::hash::HashAlgorithm::Sha256, &[0x5a; 32], label, b"hybrid interop").unwrap()
}

/// A seed for `peer.py client-*`: the ML-KEM `d || z` and an ECDH private
/// key that our side accepts too (so it is in range for the NIST curves).
fn client_seed(group: Group, rng: &mut HmacDrbg) -> (Vec<u8>, Vec<u8>) {
    let mut kem = vec![0u8; 64];
    let mut ecdh = vec![0u8; group.ecdh_secret_len()];
    loop {
        rng.fill_bytes(&mut kem);
        rng.fill_bytes(&mut ecdh);
        if group.generate_derand(kem.as_slice().try_into().unwrap(), &ecdh).is_ok() {
            return (kem, ecdh);
        }
    }
}

#[test]
fn tls_hybrids_interoperate_with_openssl() {
    let Some(python) = stack_python() else { return };
    let mut rng = drbg(b"tls");
    for group in Group::ALL {
        for _ in 0..2 {
            // OpenSSL encapsulates to our share; we decapsulate.
            let (client, share) = group.generate(&mut rng).unwrap();
            let answer = peer(&python, &["server", group.name(), &to_hex(&share)]);
            let [reply, secret] = &answer[..] else { panic!("peer.py server: {answer:?}") };
            assert_eq!(reply.len(), group.server_share_len());
            assert_eq!(client.decapsulate(reply).unwrap().as_bytes(), &secret[..], "{group}: we decapsulate");

            // We encapsulate to OpenSSL's share; it decapsulates.
            let (kem, ecdh) = client_seed(group, &mut rng);
            let seed = to_hex(&[kem.clone(), ecdh.clone()].concat());
            let share = peer(&python, &["client-share", group.name(), &seed]).remove(0);
            let (ours_client, ours_share) = group.generate_derand(kem.as_slice().try_into().unwrap(), &ecdh).unwrap();
            assert_eq!(share, ours_share, "{group}: same key share from the same seed");
            drop(ours_client);
            let (reply, secret) = group.encapsulate(&share, &mut rng).unwrap();
            let theirs = peer(&python, &["client-finish", group.name(), &seed, &to_hex(&reply)]).remove(0);
            assert_eq!(secret.as_bytes(), &theirs[..], "{group}: OpenSSL decapsulates");
        }
    }
}

#[test]
fn ssh_hybrid_interoperates_with_openssl() {
    let Some(python) = stack_python() else { return };
    let mut rng = drbg(b"ssh");
    let (client, c_init) = ssh::client_init(&mut rng).unwrap();
    let answer = peer(&python, &["server", "ssh", &to_hex(&c_init)]);
    let [s_reply, k] = &answer[..] else { panic!("peer.py server: {answer:?}") };
    assert_eq!(client.finish(s_reply).unwrap().as_bytes(), &k[..]);

    let (kem, x) = client_seed(Group::X25519MlKem768, &mut rng);
    let seed = to_hex(&[kem.clone(), x.clone()].concat());
    let c_init = peer(&python, &["client-share", "ssh", &seed]).remove(0);
    let (s_reply, k) = ssh::server_reply(&c_init, &mut rng).unwrap();
    let theirs = peer(&python, &["client-finish", "ssh", &seed, &to_hex(&s_reply)]).remove(0);
    assert_eq!(k.as_bytes(), &theirs[..]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any seeds give a working exchange in every group.
    #[test]
    fn tls_round_trip(seed in prop::array::uniform32(any::<u8>()), m in prop::array::uniform32(any::<u8>()), pick in 0usize..3) {
        let group = Group::ALL[pick];
        let kem_seed: [u8; 64] = [seed, m].concat().try_into().unwrap();
        // A leading 0x01 keeps a NIST scalar below the order.
        let len = group.ecdh_secret_len();
        let mut ecdh = vec![0x01u8; len];
        ecdh[1..].copy_from_slice(&[seed, m].concat()[..len - 1]);
        let (client, share) = group.generate_derand(&kem_seed, &ecdh).unwrap();
        let (reply, secret) = group.encapsulate_derand(&share, &m, &ecdh).unwrap();
        prop_assert_eq!(client.decapsulate(&reply).unwrap(), secret);
    }

    /// Arbitrary bytes as a peer's share or reply: an error or a secret,
    /// never a panic.
    #[test]
    fn tls_shares_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..1700), pick in 0usize..3) {
        let group = Group::ALL[pick];
        let mut rng = drbg(b"no panic");
        let mut share = bytes.clone();
        share.resize(group.client_share_len(), 0x55);
        let _ = group.encapsulate(&bytes, &mut rng);
        let _ = group.encapsulate(&share, &mut rng);
        let (client, _) = group.generate(&mut rng).unwrap();
        let _ = client.decapsulate(&bytes);
        let _ = ssh::server_reply(&bytes, &mut rng);
    }
}
