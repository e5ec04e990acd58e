//! HMAC_DRBG (NIST SP 800-90A Rev. 1 section 10.1.2).
//!
//! Entry point: [`HmacDrbg`] (`new`, `reseed`, `generate`, and the
//! [`RngCore`] impl). The caller supplies entropy; with `std`,
//! [`HmacDrbg::from_os`] seeds from [`OsRng`](super::OsRng). State is `K`
//! (the HMAC key, kept as a keyed [`DynHmac`]) and `V` (`outlen` bytes);
//! both are zeroized on drop. Invariant: `reseed_counter <= RESEED_INTERVAL`.

use alloc::vec::Vec;

use super::{CryptoRng, RngCore};
use crate::Error;
use crate::hash::HashAlgorithm;
use crate::mac::DynHmac;
use zeroize::Zeroize;

/// Requests between reseeds (SP 800-90A table 2 allows up to 2^48).
const RESEED_INTERVAL: u64 = 1 << 48;
/// Largest single request in bytes (2^19 bits).
const MAX_REQUEST: usize = 1 << 16;

/// A deterministic random bit generator on HMAC.
pub struct HmacDrbg {
    alg: HashAlgorithm,
    key: Vec<u8>,
    v: Vec<u8>,
    reseed_counter: u64,
}

impl HmacDrbg {
    /// Instantiates with `entropy` (at least the security strength: 32
    /// bytes for SHA-256), a `nonce` and an optional personalization string.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] when `entropy` is shorter than 16 bytes.
    pub fn new(alg: HashAlgorithm, entropy: &[u8], nonce: &[u8], personalization: &[u8]) -> Result<Self, Error> {
        if entropy.len() < 16 {
            return Err(Error::InvalidLength {
                what: "HMAC_DRBG entropy",
                expected: "at least 16",
                actual: entropy.len(),
            });
        }
        let n = alg.output_len();
        let mut drbg = Self { alg, key: alloc::vec![0u8; n], v: alloc::vec![1u8; n], reseed_counter: 1 };
        drbg.update(&[entropy, nonce, personalization]);
        Ok(drbg)
    }

    /// HMAC_DRBG with SHA-256 seeded from the operating system.
    ///
    /// # Errors
    /// When the OS source fails.
    #[cfg(feature = "std")]
    pub fn from_os() -> Result<Self, Error> {
        let mut seed = [0u8; 48];
        super::OsRng.try_fill_bytes(&mut seed)?;
        let (entropy, nonce) = seed.split_at(32);
        let drbg = Self::new(HashAlgorithm::Sha256, entropy, nonce, b"purecrypto HMAC_DRBG");
        seed.zeroize();
        drbg
    }

    /// `HMAC_DRBG_Update(provided_data)`, the data given as pieces.
    fn update(&mut self, data: &[&[u8]]) {
        let has_data = data.iter().any(|d| !d.is_empty());
        for round in [0u8, 1] {
            if round == 1 && !has_data {
                break;
            }
            let mut m = DynHmac::new(self.alg, &self.key);
            m.update(&self.v);
            m.update(&[round]);
            data.iter().for_each(|d| m.update(d));
            let mut new_key = m.finalize();
            core::mem::swap(&mut self.key, &mut new_key);
            new_key.zeroize();
            self.next_v();
        }
    }

    fn next_v(&mut self) {
        let mut m = DynHmac::new(self.alg, &self.key);
        m.update(&self.v);
        let mut v = m.finalize();
        core::mem::swap(&mut self.v, &mut v);
        v.zeroize();
    }

    /// Mixes in fresh `entropy` and optional `additional` input.
    pub fn reseed(&mut self, entropy: &[u8], additional: &[u8]) {
        self.update(&[entropy, additional]);
        self.reseed_counter = 1;
    }

    /// Fills `out` (at most 65536 bytes), mixing in `additional` input.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when a reseed is due or the request is
    /// too large.
    pub fn generate(&mut self, out: &mut [u8], additional: &[u8]) -> Result<(), Error> {
        if out.len() > MAX_REQUEST {
            return Err(Error::InvalidParameter { what: "HMAC_DRBG request", reason: "at most 65536 bytes" });
        }
        if self.reseed_counter > RESEED_INTERVAL {
            return Err(Error::InvalidParameter { what: "HMAC_DRBG", reason: "reseed required" });
        }
        if !additional.is_empty() {
            self.update(&[additional]);
        }
        for chunk in out.chunks_mut(self.v.len().max(1)) {
            self.next_v();
            chunk.copy_from_slice(self.v.get(..chunk.len()).unwrap_or_default());
        }
        self.update(&[additional]);
        self.reseed_counter += 1;
        Ok(())
    }
}

impl RngCore for HmacDrbg {
    /// Fills `dest`. If a reseed falls due (after 2^48 requests) the
    /// generator reseeds from [`OsRng`](super::OsRng) with `std`; without
    /// `std` there is no entropy source, so it re-keys from its own state
    /// (use [`HmacDrbg::reseed`] with real entropy before that point).
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(MAX_REQUEST) {
            if self.generate(chunk, &[]).is_err() {
                let mut fresh = [0u8; 32];
                #[cfg(feature = "std")]
                super::OsRng.fill_bytes(&mut fresh);
                #[cfg(not(feature = "std"))]
                {
                    self.next_v();
                    for (f, v) in fresh.iter_mut().zip(self.v.iter()) {
                        *f = *v;
                    }
                }
                self.reseed(&fresh, b"automatic reseed");
                fresh.zeroize();
                // A fresh counter and a chunk within MAX_REQUEST cannot fail.
                let _ = self.generate(chunk, &[]);
            }
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), Error> {
        for chunk in dest.chunks_mut(MAX_REQUEST) {
            self.generate(chunk, &[])?;
        }
        Ok(())
    }
}

impl CryptoRng for HmacDrbg {}

impl Drop for HmacDrbg {
    fn drop(&mut self) {
        self.key.zeroize();
        self.v.zeroize();
    }
}

impl core::fmt::Debug for HmacDrbg {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("HmacDrbg { .. }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hex_literal::hex;

    /// NIST CAVP `HMAC_DRBG.rsp` (drbgvectors_pr_false), [SHA-512] with
    /// reseed and additional input: instantiate, reseed, generate twice,
    /// compare the second output.
    #[test]
    fn cavp_sha512_reseed_additional_input() {
        let mut d = HmacDrbg::new(
            HashAlgorithm::Sha512,
            &hex!("4686a959e17dfb96c294b09c0f7a60efb386416cfb4c8972bcc55e44a151607a"),
            &hex!("5226543b4c89321bbfb0f11f18ee3462"),
            b"",
        )
        .unwrap();
        d.reseed(
            &hex!("5ef50daaf29929047870235c17762f5df5d9ab1af656e0e215fcc6fd9fc0d85d"),
            &hex!("d2383c3e528492269e6c3b3aaa2b54fbf48731f5aa52150ce7fc644679a5e7c6"),
        );
        let mut got = [0u8; 256];
        d.generate(&mut got, &hex!("c841e7a2d9d13bdb8644cd7f5d91d241a369e12dc6c9c2be50d1ed29484bff98")).unwrap();
        d.generate(&mut got, &hex!("9054cf9216af66a788d3bf6757b8987e42d4e49b325e728dc645d5e107048245")).unwrap();
        assert_eq!(
            got,
            hex!(
                "b60d8803531b2b8583d17bdf3ac7c01f3c65cf9b069862b2d39b9024b34c172b712db0704acb078a1ab1aec0390dbaee2dec9be7b234e63da481fd469a92c77bc7bb2cfca586855520e0f9e9d47dcb9bdf2a2fdfa9f2b4342ef0ea582616b55477717cfd516d46d6383257743656f7cf8b38402ba795a8c9d35a4aa88bec623313dad6ead689d152b54074f183b2fee556f554db343626cea853718f18d386bc8bebb0c07b3c5e96ceb391ffceece88864dbd3be83a613562c5c417a24807d5f9332974f045e79a9ade36994af6cf9bbeeb71d0025fcb4ad50f121cbc2df7cd12ff5a50cddfd9a4bbc6d942d743c8b8fbebe00eeccea3d14e07ff8454fa715da"
            )
        );
    }

    #[test]
    fn limits_and_debug() {
        assert!(HmacDrbg::new(HashAlgorithm::Sha256, &[0; 15], b"", b"").is_err());
        let mut d = HmacDrbg::new(HashAlgorithm::Sha256, &[7; 32], b"n", b"").unwrap();
        let mut big = alloc::vec![0u8; MAX_REQUEST + 1];
        assert!(d.generate(&mut big, b"").is_err());
        d.fill_bytes(&mut big);
        assert!(big.iter().any(|&b| b != 0));
        assert_eq!(alloc::format!("{d:?}"), "HmacDrbg { .. }");
    }

    #[cfg(feature = "std")]
    #[test]
    fn os_seeded_outputs_differ() {
        let mut a = HmacDrbg::from_os().unwrap();
        let mut b = HmacDrbg::from_os().unwrap();
        assert_ne!(a.next_u64(), b.next_u64());
    }
}
