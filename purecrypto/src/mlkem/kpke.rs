//! K-PKE, the IND-CPA public-key encryption underneath ML-KEM (FIPS 203
//! section 5: algorithms 13, 14 and 15).
//!
//! Entry points: [`keygen`], [`encrypt`] and [`decrypt`], generic over the
//! module rank `K` with the rest of the parameter set in [`Params`]. Byte
//! buffers are caller-owned slices of the lengths `Params` gives; nothing
//! here allocates. Secret polynomials are wiped before returning.

use zeroize::Zeroize;

use super::encode::{byte_decode, byte_encode, compress, decode12_mod_q, decompress, encode12_canonical};
use super::ntt::{basemul_acc, inv_ntt, ntt};
use super::params::{POLY_BYTES, Params};
use super::poly::Poly;
use super::sampling::{sample_matrix_into, sample_noise};
use crate::hash::{Hash, Sha3_512};

fn wipe<const K: usize>(polys: &mut [Poly; K]) {
    for p in polys {
        p.zeroize();
    }
}

/// `K-PKE.KeyGen(d)`: writes `ek` (`384 K + 32` bytes) and `dk`
/// (`384 K` bytes).
/// `on_rho` sees rho as soon as it is derived: rho becomes public (it is
/// part of `ek`), and the valgrind constant-time check uses this hook to
/// declassify it before the variable-time matrix sampling reads it.
pub(crate) fn keygen<const K: usize>(
    p: &Params,
    d: &[u8; 32],
    ek: &mut [u8],
    dk: &mut [u8],
    on_rho: &dyn Fn(&[u8; 32]),
    out: &mut Expanded<K>,
) {
    let mut g_in = [0u8; 33];
    g_in[..32].copy_from_slice(d);
    g_in[32] = K as u8;
    let mut g = Sha3_512::digest(&g_in);
    g_in.zeroize();
    let (rho_bytes, sigma_bytes) = g.split_at(32);
    let mut rho = [0u8; 32];
    let mut sigma = [0u8; 32];
    rho.copy_from_slice(rho_bytes);
    sigma.copy_from_slice(sigma_bytes);
    g.zeroize();
    on_rho(&rho);

    // Â itself (entry (i, j) at a[i][j]); transposed in place below.
    let a = &mut out.a_t;
    sample_matrix_into::<K>(&rho, false, a);
    let s = &mut out.s_hat;
    let mut e: [Poly; K] = core::array::from_fn(|_| Poly::zero());
    let etas = [p.eta1; 8];
    sample_noise(&sigma, 0, etas.get(..K).unwrap_or_default(), s);
    sample_noise(&sigma, K as u8, etas.get(..K).unwrap_or_default(), &mut e);
    sigma.zeroize();
    for x in s.iter_mut().chain(e.iter_mut()) {
        ntt(x);
    }
    for (((row, e_i), t), bytes) in a.iter().zip(&e).zip(out.t_hat.iter_mut()).zip(ek.chunks_exact_mut(POLY_BYTES)) {
        basemul_acc(t, row, s);
        t.mul_by_r();
        t.add_assign(e_i);
        t.make_canonical();
        encode12_canonical(t, bytes);
    }
    if let Some(tail) = ek.get_mut(POLY_BYTES * K..) {
        tail.copy_from_slice(&rho);
    }
    for (s_i, bytes) in s.iter_mut().zip(dk.chunks_exact_mut(POLY_BYTES)) {
        s_i.make_canonical();
        encode12_canonical(s_i, bytes);
    }
    transpose(a);
    wipe(&mut e);
}

/// Swaps entry (i, j) with (j, i).
fn transpose<const K: usize>(a: &mut [[Poly; K]; K]) {
    for i in 0..K {
        for j in i + 1..K {
            let (top, bottom) = a.split_at_mut(j);
            if let (Some(x), Some(y)) =
                (top.get_mut(i).and_then(|r| r.get_mut(j)), bottom.first_mut().and_then(|r| r.get_mut(i)))
            {
                core::mem::swap(x, y);
            }
        }
    }
}

/// K-PKE key material in the form encryption and decryption use it: Â
/// transposed (`a_t[i][j]` = Â entry (j, i), what `K-PKE.Encrypt`
/// multiplies by), t̂ and ŝ, each in the NTT domain with canonical
/// coefficients (`0..q`), exactly what decoding `ek` and `dk_pke` and
/// sampling Â from rho give. A decapsulation key keeps one so that
/// decapsulation neither decodes nor re-samples; FIPS 203 section 3.3
/// allows such precomputed values. ŝ is secret: wiped by `zeroize`.
#[derive(Clone)]
pub(crate) struct Expanded<const K: usize> {
    pub(crate) a_t: [[Poly; K]; K],
    pub(crate) t_hat: [Poly; K],
    pub(crate) s_hat: [Poly; K],
}

impl<const K: usize> Expanded<K> {
    /// All zero (to be filled by [`keygen`] or [`Expanded::fill_from`]).
    pub(crate) fn zero() -> Self {
        Self {
            a_t: core::array::from_fn(|_| core::array::from_fn(|_| Poly::zero())),
            t_hat: core::array::from_fn(|_| Poly::zero()),
            s_hat: core::array::from_fn(|_| Poly::zero()),
        }
    }

    /// Decodes `dk_pke` and `ek` (coefficients reduced mod q, as
    /// `ByteDecode_12` is read by FIPS 203) and samples Â from `ek`'s rho.
    pub(crate) fn fill_from(&mut self, dk_pke: &[u8], ek: &[u8]) {
        for (s, bytes) in self.s_hat.iter_mut().zip(dk_pke.chunks_exact(POLY_BYTES)) {
            *s = decode12_mod_q(bytes);
        }
        self.fill_public(ek);
    }

    /// The public half: t̂ and Â transposed from `ek`.
    fn fill_public(&mut self, ek: &[u8]) {
        for (t, bytes) in self.t_hat.iter_mut().zip(ek.chunks_exact(POLY_BYTES)) {
            *t = decode12_mod_q(bytes);
        }
        let mut rho = [0u8; 32];
        if let Some(tail) = ek.get(POLY_BYTES * K..POLY_BYTES * K + 32) {
            rho.copy_from_slice(tail);
        }
        sample_matrix_into::<K>(&rho, true, &mut self.a_t);
    }
}

impl<const K: usize> Zeroize for Expanded<K> {
    /// Wipes ŝ, the only secret part (Â and t̂ come from the public `ek`).
    fn zeroize(&mut self) {
        wipe(&mut self.s_hat);
    }
}

/// `K-PKE.Encrypt(ek, m, r)`: writes the ciphertext to `c`. The key's
/// coefficients are reduced mod q (the modulus check, where FIPS 203
/// requires it, happens before this is called).
pub(crate) fn encrypt<const K: usize>(p: &Params, ek: &[u8], m: &[u8; 32], r: &[u8; 32], c: &mut [u8]) {
    let mut key = Expanded::<K>::zero();
    key.fill_public(ek);
    encrypt_expanded(p, &key.a_t, &key.t_hat, m, r, c);
}

/// [`encrypt`] with `ek` already decoded and Â (transposed) sampled.
pub(crate) fn encrypt_expanded<const K: usize>(
    p: &Params,
    at: &[[Poly; K]; K],
    t_hat: &[Poly; K],
    m: &[u8; 32],
    r: &[u8; 32],
    c: &mut [u8],
) {
    // r_0..r_{K-1} (eta1), e1_0..e1_{K-1} (eta2), e2 (eta2): nonces 0..=2K.
    let mut noise: [Poly; 9] = core::array::from_fn(|_| Poly::zero());
    let mut etas = [p.eta2; 9];
    for eta in etas.iter_mut().take(K) {
        *eta = p.eta1;
    }
    let count = 2 * K + 1;
    sample_noise(r, 0, etas.get(..count).unwrap_or_default(), noise.get_mut(..count).unwrap_or_default());
    let (r_vec, rest) = noise.split_at_mut(K);
    let (e1, rest) = rest.split_at_mut(K);
    for x in r_vec.iter_mut() {
        ntt(x);
    }

    let Some((c1, c2)) = c.split_at_mut_checked(p.c1_len()) else { return };
    let du_bytes = 32 * p.du as usize;
    for ((row, e1_i), out) in at.iter().zip(e1.iter()).zip(c1.chunks_exact_mut(du_bytes)) {
        let mut u = Poly::zero();
        basemul_acc(&mut u, row, r_vec);
        inv_ntt(&mut u);
        u.add_assign(e1_i);
        byte_encode(&compress(&u, p.du), p.du, out);
    }

    let mut v = Poly::zero();
    basemul_acc(&mut v, t_hat, r_vec);
    inv_ntt(&mut v);
    if let Some(e2) = rest.first() {
        v.add_assign(e2);
    }
    let mut mu = decompress(&byte_decode(m, 1), 1);
    v.add_assign(&mu);
    byte_encode(&compress(&v, p.dv), p.dv, c2);
    mu.zeroize();
    v.zeroize();
    wipe(&mut noise);
}

/// `K-PKE.Decrypt(dk, c)`: the 32-byte message.
pub(crate) fn decrypt<const K: usize>(p: &Params, dk: &[u8], c: &[u8]) -> [u8; 32] {
    let mut s_hat: [Poly; K] = core::array::from_fn(|_| Poly::zero());
    for (s, bytes) in s_hat.iter_mut().zip(dk.chunks_exact(POLY_BYTES)) {
        *s = decode12_mod_q(bytes);
    }
    let m = decrypt_expanded(p, &s_hat, c);
    wipe(&mut s_hat);
    m
}

/// [`decrypt`] with `dk` already decoded to ŝ.
pub(crate) fn decrypt_expanded<const K: usize>(p: &Params, s_hat: &[Poly; K], c: &[u8]) -> [u8; 32] {
    let (c1, c2) = c.split_at(p.c1_len().min(c.len()));
    let du_bytes = 32 * p.du as usize;
    let mut u: [Poly; K] = core::array::from_fn(|_| Poly::zero());
    for (u_i, bytes) in u.iter_mut().zip(c1.chunks_exact(du_bytes)) {
        *u_i = decompress(&byte_decode(bytes, p.du), p.du);
        ntt(u_i);
    }
    let v = decompress(&byte_decode(c2, p.dv), p.dv);
    let mut w = Poly::zero();
    basemul_acc(&mut w, s_hat, &u);
    inv_ntt(&mut w);
    w.rsub_assign(&v);
    let mut m = [0u8; 32];
    let mut bits = compress(&w, 1);
    byte_encode(&bits, 1, &mut m);
    bits.zeroize();
    wipe(&mut u);
    w.zeroize();
    m
}
