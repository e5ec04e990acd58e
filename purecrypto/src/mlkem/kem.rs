//! ML-KEM proper: the Fujisaki-Okamoto wrapper around K-PKE (FIPS 203
//! section 6, algorithms 16-18) and the input checks of section 7.
//!
//! Entry points: [`keygen_internal`], [`encaps_internal`],
//! [`decaps_internal`], [`check_ek`] and [`check_dk`], generic over the
//! module rank `K`. Decapsulation recomputes the ciphertext and, in
//! constant time, returns either the real key or the implicit-rejection
//! key `J(z || c)`; no branch or memory address depends on which.

use zeroize::Zeroize;

use super::encode::decode12_checked;
use super::kpke::{self, Expanded};
use super::params::{POLY_BYTES, Params};
use crate::Error;
use crate::hash::{Hash, Sha3_256, Sha3_512, Shake256};

/// The longest ciphertext (ML-KEM-1024).
const MAX_CT: usize = 1568;

/// `H(ek)`.
pub(crate) fn h(ek: &[u8]) -> [u8; 32] {
    Sha3_256::digest(ek)
}

/// `G(a || b)` split into its two 32-byte halves.
fn g(a: &[u8], b: &[u8]) -> ([u8; 32], [u8; 32]) {
    let mut h = Sha3_512::new();
    h.update(a);
    h.update(b);
    let mut out = h.finalize();
    let mut k = [0u8; 32];
    let mut r = [0u8; 32];
    let (lo, hi) = out.split_at(32);
    k.copy_from_slice(lo);
    r.copy_from_slice(hi);
    out.zeroize();
    (k, r)
}

/// `ML-KEM.KeyGen_internal(d, z)`: writes `ek` and the expanded `dk`
/// (`dk_pke || ek || H(ek) || z`), and the K-PKE key in the form
/// decapsulation uses to `expanded`.
/// `on_rho` as in [`kpke::keygen`].
pub(crate) fn keygen_internal<const K: usize>(
    p: &Params,
    d: &[u8; 32],
    z: &[u8; 32],
    ek: &mut [u8],
    dk: &mut [u8],
    on_rho: &dyn Fn(&[u8; 32]),
    expanded: &mut Expanded<K>,
) {
    let (dk_pke, rest) = dk.split_at_mut(p.dk_pke_len().min(dk.len()));
    kpke::keygen::<K>(p, d, ek, dk_pke, on_rho, expanded);
    let (ek_copy, rest) = rest.split_at_mut(p.ek_len().min(rest.len()));
    ek_copy.copy_from_slice(ek.get(..ek_copy.len()).unwrap_or_default());
    let (h, z_out) = rest.split_at_mut(32.min(rest.len()));
    h.copy_from_slice(Sha3_256::digest(ek).get(..h.len()).unwrap_or_default());
    z_out.copy_from_slice(z.get(..z_out.len()).unwrap_or_default());
}

/// `ML-KEM.Encaps_internal(ek, m)`: writes the ciphertext to `c` and
/// returns the shared key.
/// `h_ek` is `H(ek)`, which callers holding a key object compute once.
pub(crate) fn encaps_internal<const K: usize>(
    p: &Params,
    ek: &[u8],
    h_ek: &[u8; 32],
    m: &[u8; 32],
    c: &mut [u8],
) -> [u8; 32] {
    let (key, mut r) = g(m, h_ek);
    kpke::encrypt::<K>(p, ek, m, &r, c);
    r.zeroize();
    key
}

/// `ML-KEM.Decaps_internal(dk, c)` with implicit rejection. `dk` and `c`
/// have the parameter set's lengths (checked by the caller).
pub(crate) fn decaps_internal<const K: usize>(p: &Params, dk: &[u8], c: &[u8]) -> [u8; 32] {
    let dk_pke = dk.get(..p.dk_pke_len()).unwrap_or_default();
    let ek = dk.get(p.dk_pke_len()..p.dk_pke_len() + p.ek_len()).unwrap_or_default();
    let mut expanded = Expanded::<K>::zero();
    expanded.fill_from(dk_pke, ek);
    let key = decaps_expanded(p, &expanded, dk, c);
    expanded.zeroize();
    key
}

/// [`decaps_internal`] with the K-PKE part of `dk` already expanded
/// (`expanded` must be what [`Expanded::fill_from`] makes of `dk`; only
/// `H(ek)` and `z` are read from `dk` itself).
pub(crate) fn decaps_expanded<const K: usize>(p: &Params, expanded: &Expanded<K>, dk: &[u8], c: &[u8]) -> [u8; 32] {
    let h = dk.get(p.dk_pke_len() + p.ek_len()..p.dk_len() - 32).unwrap_or_default();
    let z = dk.get(p.dk_len() - 32..).unwrap_or_default();

    let mut m = kpke::decrypt_expanded::<K>(p, &expanded.s_hat, c);
    let (mut key, mut r) = g(&m, h);
    let mut reject = [0u8; 32];
    let mut j = Shake256::new();
    j.update(z);
    j.update(c);
    j.finalize_xof().read(&mut reject);

    let mut c_again = [0u8; MAX_CT];
    let c_again = c_again.get_mut(..c.len()).unwrap_or_default();
    kpke::encrypt_expanded::<K>(p, &expanded.a_t, &expanded.t_hat, &m, &r, c_again);
    let differ = differ_mask(c, c_again);
    for (k, bar) in key.iter_mut().zip(&reject) {
        *k = (*k & !differ) | (*bar & differ);
    }
    m.zeroize();
    r.zeroize();
    reject.zeroize();
    c_again.zeroize();
    key
}

/// All ones when `a` and `b` (equal lengths) differ, zero when they are
/// equal; no branch or address depends on their contents. The OR of the
/// XORed words goes through an optimisation barrier before it becomes a
/// mask: LLVM, seeing a 0/1 value, may otherwise select with a
/// conditional move (valgrind flagged that once, through `subtle`).
fn differ_mask(a: &[u8], b: &[u8]) -> u8 {
    let mut acc = 0u64;
    let (aw, ar) = a.as_chunks::<8>();
    let (bw, br) = b.as_chunks::<8>();
    for (x, y) in aw.iter().zip(bw) {
        acc |= u64::from_ne_bytes(*x) ^ u64::from_ne_bytes(*y);
    }
    for (x, y) in ar.iter().zip(br) {
        acc |= u64::from(x ^ y);
    }
    // Top bit of acc | -acc: set exactly when acc != 0.
    let nonzero = crate::arch::value_barrier((acc | acc.wrapping_neg()) >> 63);
    0u64.wrapping_sub(nonzero) as u8
}

/// The encapsulation-key check of FIPS 203 section 7.2: the length, and
/// every 12-bit coefficient below q (the "modulus check").
pub(crate) fn check_ek(p: &Params, ek: &[u8]) -> Result<(), Error> {
    if ek.len() != p.ek_len() {
        return Err(Error::InvalidLength {
            what: "ML-KEM encapsulation key",
            expected: p.ek_len_text(),
            actual: ek.len(),
        });
    }
    let polys = ek.get(..POLY_BYTES * p.k).unwrap_or_default();
    if polys.chunks_exact(POLY_BYTES).all(|chunk| decode12_checked(chunk).is_some()) {
        Ok(())
    } else {
        Err(Error::InvalidKey { reason: "ML-KEM encapsulation key coefficient not reduced mod q" })
    }
}

/// The decapsulation-key check of FIPS 203 section 7.3: the length, and
/// the stored `H(ek)` equal to the hash of the stored `ek`.
pub(crate) fn check_dk(p: &Params, dk: &[u8]) -> Result<(), Error> {
    if dk.len() != p.dk_len() {
        return Err(Error::InvalidLength {
            what: "ML-KEM decapsulation key",
            expected: p.dk_len_text(),
            actual: dk.len(),
        });
    }
    let ek = dk.get(p.dk_pke_len()..p.dk_pke_len() + p.ek_len()).unwrap_or_default();
    let h = dk.get(p.dk_pke_len() + p.ek_len()..p.dk_len() - 32).unwrap_or_default();
    if crate::ct::eq(&Sha3_256::digest(ek), h) {
        Ok(())
    } else {
        Err(Error::InvalidKey { reason: "ML-KEM decapsulation key hash check failed" })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn differ_mask_sees_every_byte() {
        for len in [0usize, 1, 7, 8, 9, 768, 1088, 1568] {
            let a: alloc::vec::Vec<u8> = (0..len).map(|i| (i * 31) as u8).collect();
            assert_eq!(super::differ_mask(&a, &a), 0, "len {len}");
            for at in 0..len {
                for bit in [0, 7] {
                    let mut b = a.clone();
                    b[at] ^= 1 << bit;
                    assert_eq!(super::differ_mask(&a, &b), 0xff, "len {len} byte {at}");
                }
            }
        }
    }
}
