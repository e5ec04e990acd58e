//! CTR_DRBG (NIST SP 800-90A Rev. 1, section 10.2) with AES-256 and the
//! block-cipher derivation function.
//!
//! Entry point: [`CtrDrbg`]: `new(entropy, nonce, personalization)`,
//! `generate(out, additional)`, `reseed(entropy, additional)`. The caller
//! supplies entropy (at least 32 bytes: the 256-bit security strength);
//! the generator never gathers any itself. State (key, V) is zeroized on
//! drop and `Debug` prints nothing of it.

use alloc::vec::Vec;

use zeroize::Zeroize;

use crate::Error;
use crate::cipher::aes::Aes;

const KEY_LEN: usize = 32;
const SEED_LEN: usize = 48;
/// Requests between reseeds (SP 800-90A allows up to 2^48).
pub const RESEED_INTERVAL: u64 = 1 << 48;
/// Largest single request in bytes (2^19 bits).
pub const MAX_REQUEST: usize = 1 << 16;
/// Smallest entropy input accepted, in bytes.
pub const MIN_ENTROPY: usize = 32;
/// Largest entropy, nonce, personalization or additional input, in bytes.
pub const MAX_INPUT: usize = 1 << 16;

/// An AES-256 CTR_DRBG instance.
///
/// Invariant: `aes` is keyed with the current `Key`, `v` is `V`, and
/// `reseed_counter` counts generate requests since the last (re)seed.
pub struct CtrDrbg {
    aes: Aes,
    v: [u8; 16],
    reseed_counter: u64,
}

impl core::fmt::Debug for CtrDrbg {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("CtrDrbg { .. }")
    }
}

impl Drop for CtrDrbg {
    fn drop(&mut self) {
        self.v.zeroize();
    }
}

fn increment(v: &mut [u8; 16]) {
    *v = u128::from_be_bytes(*v).wrapping_add(1).to_be_bytes();
}

fn check(what: &'static str, input: &[u8], min: usize) -> Result<(), Error> {
    if input.len() < min || input.len() > MAX_INPUT {
        return Err(Error::InvalidLength { what, expected: "within the DRBG input limits", actual: input.len() });
    }
    Ok(())
}

/// BCC: CBC-MAC with a zero IV over whole blocks.
fn bcc(aes: &Aes, data: &[u8]) -> [u8; 16] {
    let mut chain = [0u8; 16];
    for block in data.chunks_exact(16) {
        for (c, b) in chain.iter_mut().zip(block) {
            *c ^= b;
        }
        aes.encrypt_block(&mut chain);
    }
    chain
}

/// Block_Cipher_df: derives `SEED_LEN` bytes from the concatenated inputs.
fn derive(inputs: &[&[u8]]) -> Result<[u8; SEED_LEN], Error> {
    let total: usize = inputs.iter().map(|i| i.len()).sum();
    let l = u32::try_from(total).map_err(|_| Error::InvalidLength {
        what: "DRBG seed material",
        expected: "below 2^32 bytes",
        actual: total,
    })?;
    // IV (16, filled per round) || L || N || input || 0x80 || zero pad.
    let mut s = Vec::with_capacity(16 + 8 + total + 17);
    s.extend_from_slice(&[0u8; 16]);
    s.extend_from_slice(&l.to_be_bytes());
    s.extend_from_slice(&(SEED_LEN as u32).to_be_bytes());
    for i in inputs {
        s.extend_from_slice(i);
    }
    s.push(0x80);
    while s.len() % 16 != 0 {
        s.push(0);
    }
    let k: [u8; 32] = core::array::from_fn(|i| i as u8);
    let aes = Aes::new(&k)?;
    let mut temp = [0u8; SEED_LEN];
    for (i, out) in temp.chunks_exact_mut(16).enumerate() {
        if let Some(iv) = s.get_mut(..4) {
            iv.copy_from_slice(&(i as u32).to_be_bytes());
        }
        out.copy_from_slice(&bcc(&aes, &s));
    }
    s.zeroize();
    let (key, x) = temp.split_at(KEY_LEN);
    let aes = Aes::new(key)?;
    let mut x: [u8; 16] = x.try_into().unwrap_or_default();
    let mut out = [0u8; SEED_LEN];
    for chunk in out.chunks_exact_mut(16) {
        aes.encrypt_block(&mut x);
        chunk.copy_from_slice(&x);
    }
    temp.zeroize();
    x.zeroize();
    Ok(out)
}

impl CtrDrbg {
    /// Instantiates from `entropy` (at least [`MIN_ENTROPY`] bytes), a
    /// `nonce` and an optional `personalization` string.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for too little entropy or an input over
    /// [`MAX_INPUT`] bytes.
    pub fn new(entropy: &[u8], nonce: &[u8], personalization: &[u8]) -> Result<Self, Error> {
        check("DRBG entropy", entropy, MIN_ENTROPY)?;
        check("DRBG nonce", nonce, 0)?;
        check("DRBG personalization", personalization, 0)?;
        let mut seed = derive(&[entropy, nonce, personalization])?;
        let mut drbg = Self { aes: Aes::new(&[0u8; KEY_LEN])?, v: [0; 16], reseed_counter: 1 };
        drbg.update(&seed)?;
        seed.zeroize();
        Ok(drbg)
    }

    /// CTR_DRBG_Update with `SEED_LEN` bytes of provided data.
    fn update(&mut self, provided: &[u8; SEED_LEN]) -> Result<(), Error> {
        let mut temp = [0u8; SEED_LEN];
        for chunk in temp.chunks_exact_mut(16) {
            increment(&mut self.v);
            let mut b = self.v;
            self.aes.encrypt_block(&mut b);
            chunk.copy_from_slice(&b);
        }
        for (t, p) in temp.iter_mut().zip(provided) {
            *t ^= p;
        }
        let (key, v) = temp.split_at(KEY_LEN);
        self.aes = Aes::new(key)?;
        self.v.copy_from_slice(v);
        temp.zeroize();
        Ok(())
    }

    /// Mixes fresh `entropy` (at least [`MIN_ENTROPY`] bytes) and optional
    /// additional input into the state.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for too little entropy or oversized input.
    pub fn reseed(&mut self, entropy: &[u8], additional: &[u8]) -> Result<(), Error> {
        check("DRBG entropy", entropy, MIN_ENTROPY)?;
        check("DRBG additional input", additional, 0)?;
        let mut seed = derive(&[entropy, additional])?;
        self.update(&seed)?;
        seed.zeroize();
        self.reseed_counter = 1;
        Ok(())
    }

    /// Fills `out` (at most [`MAX_REQUEST`] bytes) with pseudorandom bytes.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for an oversized request or additional
    /// input; [`Error::ReseedRequired`] once [`RESEED_INTERVAL`] requests
    /// were served since the last (re)seed.
    pub fn generate(&mut self, out: &mut [u8], additional: &[u8]) -> Result<(), Error> {
        if out.len() > MAX_REQUEST {
            return Err(Error::InvalidLength {
                what: "DRBG request",
                expected: "at most 65536 bytes",
                actual: out.len(),
            });
        }
        check("DRBG additional input", additional, 0)?;
        if self.reseed_counter > RESEED_INTERVAL {
            return Err(Error::ReseedRequired);
        }
        let mut add = [0u8; SEED_LEN];
        if !additional.is_empty() {
            add = derive(&[additional])?;
            self.update(&add)?;
        }
        for chunk in out.chunks_mut(16) {
            increment(&mut self.v);
            let mut b = self.v;
            self.aes.encrypt_block(&mut b);
            for (o, k) in chunk.iter_mut().zip(b) {
                *o = k;
            }
            b.zeroize();
        }
        self.update(&add)?;
        add.zeroize();
        self.reseed_counter += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
