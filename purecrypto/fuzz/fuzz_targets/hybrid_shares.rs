//! Hostile hybrid key shares (TLS X25519MLKEM768, SecP256r1MLKEM768,
//! SecP384r1MLKEM1024 and the SSH mlkem768x25519-sha256 messages): the
//! parsers return an error or a secret, never panic; a share we made
//! ourselves always round-trips.
#![no_main]

use purecrypto::hybrid::{ssh, tls::Group};

/// `bytes` cut or padded (by repeating them) to `len`, so most inputs
/// reach the checks behind the length check.
fn fit(bytes: &[u8], len: usize) -> Vec<u8> {
    if bytes.is_empty() {
        return vec![0; len];
    }
    bytes.iter().copied().cycle().take(len).collect()
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let group = Group::ALL[usize::from(pick & 3) % Group::ALL.len()];
    let exact = pick & 0x80 != 0;
    let mut ecdh = vec![1u8; group.ecdh_secret_len()];
    for (d, s) in ecdh.iter_mut().skip(1).zip(rest) {
        *d = *s;
    }
    let client_share = if exact { fit(rest, group.client_share_len()) } else { rest.to_vec() };
    let server_share = if exact { fit(rest, group.server_share_len()) } else { rest.to_vec() };
    let _ = group.encapsulate_derand(&client_share, &[7; 32], &ecdh);
    let Ok((client, share)) = group.generate_derand(&[9; 64], &ecdh) else { return };
    let _ = client.decapsulate(&server_share);

    let c_init = if exact { fit(rest, ssh::CLIENT_INIT_LEN) } else { rest.to_vec() };
    let s_reply = if exact { fit(rest, ssh::SERVER_REPLY_LEN) } else { rest.to_vec() };
    let _ = ssh::server_reply_derand(&c_init, &[7; 32], &[3; 32]);
    let (ssh_client, _) = ssh::client_init_derand(&[9; 64], &[4; 32]);
    let _ = ssh_client.finish(&s_reply);

    let (reply, secret) = group.encapsulate_derand(&share, &[7; 32], &ecdh).expect("our own share is valid");
    let Ok((client, _)) = group.generate_derand(&[9; 64], &ecdh) else { return };
    assert!(client.decapsulate(&reply).is_ok_and(|s| s == secret));
});
