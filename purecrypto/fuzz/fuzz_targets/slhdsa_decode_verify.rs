//! SLH-DSA public-key and signature decoders plus verification on hostile
//! bytes (the 128f sets: verification is fast): the first byte picks SHA-2
//! or SHAKE. Must never panic; may never accept.
#![no_main]

use purecrypto::slhdsa::{ParameterSet, Signature, SlhDsaSha2_128f, SlhDsaShake128f, VerifyingKey};

fn run<P: ParameterSet>(data: &[u8]) {
    let (pk, rest) = data.split_at(P::PUBLIC_KEY_LEN.min(data.len()));
    let (sig, msg) = rest.split_at(P::SIGNATURE_LEN.min(rest.len()));
    if let (Ok(vk), Ok(sig)) = (VerifyingKey::<P>::from_bytes(pk), Signature::<P>::from_bytes(sig)) {
        let _ = vk.verify(msg, b"", &sig);
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| match data.split_first() {
    Some((0, rest)) => run::<SlhDsaSha2_128f>(rest),
    Some((_, rest)) => run::<SlhDsaShake128f>(rest),
    None => {}
});
