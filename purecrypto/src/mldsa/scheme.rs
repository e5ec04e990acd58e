//! The internal algorithms of FIPS 204: ML-DSA.KeyGen_internal
//! (Algorithm 6), ML-DSA.Sign_internal (Algorithm 7) and
//! ML-DSA.Verify_internal (Algorithm 8), generic over the matrix shape
//! K x L.
//!
//! Entry points: [`keygen`], [`SecretKey::decode`] + [`SecretKey::sign`],
//! [`PublicKey::decode`] + [`PublicKey::verify`]. Keys are kept in
//! expanded form (A, and the secret vectors, already in the NTT domain) so
//! that signing and verification skip ExpandA.
//!
//! Secret independence: signing branches only on the rejection loop's
//! verdict (`z`, `r0` and `ct0` norm checks and the hint weight), which is
//! public by design (FIPS 204 §3.6.3: the restart reveals nothing about
//! the key beyond the number of attempts). Norm checks scan every
//! coefficient without early exit; packing and the NTT are branch-free.

use alloc::boxed::Box;

use zeroize::Zeroize;

use super::arith::{N, Poly, caddq, inv_ntt, ntt, pointwise, pointwise_acc, reduce32};
use super::encode::{pack, pack_hints, poly_bytes, unpack, unpack_hints};
use super::params::Params;
use super::rounding::{D, decompose, exceeds, exceeds_flag, make_hint, power2round, use_hint};
use super::sample::{expand_a_entries, expand_mask, expand_s, h, sample_in_ball};
use crate::Error;

/// A in the NTT domain: `a[row][col]`.
type Matrix<const K: usize, const L: usize> = [[Poly; L]; K];

/// ExpandA, four entries at a time on the four-way SHAKE128.
fn expand_a<const K: usize, const L: usize>(rho: &[u8; 32]) -> Box<Matrix<K, L>> {
    let mut a = Box::new([[[0i32; N]; L]; K]);
    let count = K * L;
    let mut four = [[0i32; N]; 4];
    for start in (0..count).step_by(4) {
        // A short last group repeats its final entry.
        let coords: [(u8, u8); 4] = core::array::from_fn(|l| {
            let at = (start + l).min(count - 1);
            ((at / L) as u8, (at % L) as u8)
        });
        expand_a_entries(rho, coords, &mut four);
        for (entry, p) in a.as_flattened_mut().iter_mut().skip(start).zip(&four) {
            *entry = *p;
        }
    }
    a
}

/// `out[i] = inv_ntt(sum_j a[i][j] * v[j])`, reduced to [0, q).
fn mat_vec<const K: usize, const L: usize>(a: &Matrix<K, L>, v: &[Poly; L], out: &mut [Poly; K]) {
    for (row, o) in a.iter().zip(out.iter_mut()) {
        *o = [0; N];
        for (entry, x) in row.iter().zip(v) {
            pointwise_acc(o, entry, x);
        }
        reduce_poly(o);
        inv_ntt(o);
        o.iter_mut().for_each(|c| *c = caddq(reduce32(*c)));
    }
}

fn reduce_poly(p: &mut Poly) {
    p.iter_mut().for_each(|c| *c = reduce32(*c));
}

fn ntt_vec(v: &mut [Poly]) {
    v.iter_mut().for_each(ntt);
}

/// Splits `bytes` into consecutive pieces of the given lengths.
fn split<const M: usize>(mut bytes: &[u8], lens: [usize; M]) -> Result<[&[u8]; M], Error> {
    let mut out = [&[][..]; M];
    for (o, len) in out.iter_mut().zip(lens) {
        let (head, rest) = bytes.split_at_checked(len).ok_or(Error::InvalidLength {
            what: "ML-DSA encoding",
            expected: "the parameter set's length",
            actual: bytes.len(),
        })?;
        *o = head;
        bytes = rest;
    }
    Ok(out)
}

fn split_mut<'a, const M: usize>(mut bytes: &'a mut [u8], lens: [usize; M]) -> [&'a mut [u8]; M] {
    let mut out: [&'a mut [u8]; M] = core::array::from_fn(|_| <&mut [u8]>::default());
    for (o, len) in out.iter_mut().zip(lens) {
        let at = len.min(bytes.len());
        let (head, rest) = core::mem::take(&mut bytes).split_at_mut(at);
        *o = head;
        bytes = rest;
    }
    out
}

/// ML-DSA.KeyGen_internal: writes pk and sk from the seed xi and returns
/// the decoded secret key.
pub(crate) fn keygen<const K: usize, const L: usize>(
    p: &Params,
    xi: &[u8; 32],
    pk: &mut [u8],
    sk: &mut [u8],
) -> Box<SecretKey<K, L>> {
    let mut seeds = [0u8; 128];
    h(&[xi, &[K as u8, L as u8]], &mut seeds);
    let (rho, rest) = seeds.split_at(32);
    let (rho_prime, key) = rest.split_at(64);
    let rho: [u8; 32] = rho.try_into().unwrap_or_default();
    let mut rho_prime: [u8; 64] = rho_prime.try_into().unwrap_or([0; 64]);
    let mut s1 = [[0i32; N]; L];
    let mut s2 = [[0i32; N]; K];
    expand_s(&rho_prime, p.eta, &mut s1, &mut s2);
    let a = expand_a::<K, L>(&rho);
    let mut t0 = [[0i32; N]; K];
    let mut t1 = [[0i32; N]; K];
    public_vectors(&a, &s1, &s2, &mut t1, &mut t0);
    encode_pk(&rho, &t1, pk);
    let mut tr = [0u8; 64];
    h(&[pk], &mut tr);
    let eb = poly_bytes(p.eta_bits());
    let [sk_rho, sk_key, sk_tr, sk_s1, sk_s2, sk_t0] = split_mut(sk, [32, 32, 64, eb * L, eb * K, 416 * K]);
    sk_rho.copy_from_slice(&rho);
    sk_key.copy_from_slice(key);
    sk_tr.copy_from_slice(&tr);
    for (chunk, s) in sk_s1.chunks_exact_mut(eb).zip(&s1) {
        pack(chunk, s, p.eta_bits(), Some(p.eta));
    }
    for (chunk, s) in sk_s2.chunks_exact_mut(eb).zip(&s2) {
        pack(chunk, s, p.eta_bits(), Some(p.eta));
    }
    for (chunk, t) in sk_t0.chunks_exact_mut(416).zip(&t0) {
        pack(chunk, t, D, Some(1 << (D - 1)));
    }
    let mut out = Box::new(SecretKey { rho, key: [0; 32], tr, s1_hat: s1, s2_hat: s2, t0_hat: t0, a });
    out.key.copy_from_slice(key);
    ntt_vec(&mut out.s1_hat);
    ntt_vec(&mut out.s2_hat);
    ntt_vec(&mut out.t0_hat);
    seeds.zeroize();
    rho_prime.zeroize();
    s1.zeroize();
    s2.zeroize();
    t0.zeroize();
    out
}

/// t = A s1 + s2 split by Power2Round into (t1, t0).
fn public_vectors<const K: usize, const L: usize>(
    a: &Matrix<K, L>,
    s1: &[Poly; L],
    s2: &[Poly; K],
    t1: &mut [Poly; K],
    t0: &mut [Poly; K],
) {
    let mut s1_hat = *s1;
    ntt_vec(&mut s1_hat);
    let mut t = [[0i32; N]; K];
    mat_vec(a, &s1_hat, &mut t);
    for (((t, s2), t1), t0) in t.iter().zip(s2).zip(t1.iter_mut()).zip(t0.iter_mut()) {
        for (((&t, &s), hi), lo) in t.iter().zip(s2).zip(t1.iter_mut()).zip(t0.iter_mut()) {
            (*hi, *lo) = power2round(caddq(reduce32(t + s)));
        }
    }
    s1_hat.zeroize();
    t.zeroize();
}

fn encode_pk<const K: usize>(rho: &[u8; 32], t1: &[Poly; K], pk: &mut [u8]) {
    let (pk_rho, pk_t1) = pk.split_at_mut(32.min(pk.len()));
    pk_rho.copy_from_slice(rho);
    for (chunk, t) in pk_t1.chunks_exact_mut(320).zip(t1) {
        pack(chunk, t, 10, None);
    }
}

/// A decoded secret key with its vectors in the NTT domain.
/// Invariant: `s1`, `s2` decoded within [-eta, eta]; `a` = ExpandA(rho).
pub(crate) struct SecretKey<const K: usize, const L: usize> {
    rho: [u8; 32],
    key: [u8; 32],
    tr: [u8; 64],
    s1_hat: [Poly; L],
    s2_hat: [Poly; K],
    t0_hat: [Poly; K],
    a: Box<Matrix<K, L>>,
}

impl<const K: usize, const L: usize> Clone for SecretKey<K, L> {
    fn clone(&self) -> Self {
        Self {
            rho: self.rho,
            key: self.key,
            tr: self.tr,
            s1_hat: self.s1_hat,
            s2_hat: self.s2_hat,
            t0_hat: self.t0_hat,
            a: self.a.clone(),
        }
    }
}

impl<const K: usize, const L: usize> Drop for SecretKey<K, L> {
    fn drop(&mut self) {
        self.key.zeroize();
        self.s1_hat.zeroize();
        self.s2_hat.zeroize();
        self.t0_hat.zeroize();
    }
}

/// Decodes s1 or s2, refusing coefficients outside [-eta, eta] (skDecode
/// leaves them unchecked; a key with them is not one KeyGen can output).
fn decode_eta(out: &mut [Poly], bytes: &[u8], p: &Params) -> Result<(), Error> {
    let eb = poly_bytes(p.eta_bits());
    // The sign bit of c + eta, OR-ed over all coefficients: no branch on
    // the secret coefficients (unpack already caps them at eta from above).
    let mut bad = 0i32;
    for (s, chunk) in out.iter_mut().zip(bytes.chunks_exact(eb)) {
        unpack(s, chunk, p.eta_bits(), Some(p.eta));
        bad |= s.iter().fold(0, |acc, &c| acc | c.wrapping_add(p.eta));
    }
    // Whether the key is valid is public.
    if super::declassify_flag(((bad >> 31) & 1) as u8) != 0 {
        Err(Error::InvalidKey { reason: "ML-DSA secret coefficient out of range" })
    } else {
        Ok(())
    }
}

impl<const K: usize, const L: usize> SecretKey<K, L> {
    /// skDecode plus the coefficient range check; expands A.
    pub(crate) fn decode(p: &Params, sk: &[u8]) -> Result<Box<Self>, Error> {
        if sk.len() != p.sk_len() {
            return Err(Error::InvalidLength {
                what: "ML-DSA secret key",
                expected: "the parameter set's length",
                actual: sk.len(),
            });
        }
        let eb = poly_bytes(p.eta_bits());
        let [rho, key, tr, s1b, s2b, t0b] = split(sk, [32, 32, 64, eb * L, eb * K, 416 * K])?;
        let rho: [u8; 32] = rho.try_into().unwrap_or_default();
        let mut out = Box::new(Self {
            rho,
            key: key.try_into().unwrap_or_default(),
            tr: tr.try_into().unwrap_or([0; 64]),
            s1_hat: [[0; N]; L],
            s2_hat: [[0; N]; K],
            t0_hat: [[0; N]; K],
            a: expand_a::<K, L>(&rho),
        });
        decode_eta(&mut out.s1_hat, s1b, p)?;
        decode_eta(&mut out.s2_hat, s2b, p)?;
        for (t, chunk) in out.t0_hat.iter_mut().zip(t0b.chunks_exact(416)) {
            unpack(t, chunk, D, Some(1 << (D - 1)));
        }
        ntt_vec(&mut out.s1_hat);
        ntt_vec(&mut out.s2_hat);
        ntt_vec(&mut out.t0_hat);
        Ok(out)
    }

    /// tr = H(pk), as stored in the key.
    pub(crate) fn tr(&self) -> &[u8; 64] {
        &self.tr
    }

    /// Recomputes pk from the secret vectors (t = A s1 + s2).
    /// `sk` is the encoding this key was decoded from (already validated).
    pub(crate) fn public_key(&self, p: &Params, sk: &[u8], pk: &mut [u8]) {
        let eb = poly_bytes(p.eta_bits());
        let s1b = sk.get(128..128 + eb * L).unwrap_or_default();
        let s2b = sk.get(128 + eb * L..128 + eb * (K + L)).unwrap_or_default();
        let mut s1 = [[0i32; N]; L];
        let mut s2 = [[0i32; N]; K];
        // The ranges were checked when the key was decoded.
        let _ = decode_eta(&mut s1, s1b, p);
        let _ = decode_eta(&mut s2, s2b, p);
        let mut t1 = [[0i32; N]; K];
        let mut t0 = [[0i32; N]; K];
        public_vectors(&self.a, &s1, &s2, &mut t1, &mut t0);
        encode_pk(&self.rho, &t1, pk);
        s1.zeroize();
        s2.zeroize();
        t0.zeroize();
    }

    /// ML-DSA.Sign_internal from mu = H(tr || M', 64) and rnd; writes the
    /// signature into `sig` (the parameter set's length).
    pub(crate) fn sign(&self, p: &Params, mu: &[u8; 64], rnd: &[u8; 32], sig: &mut [u8]) -> Result<(), Error> {
        let mut rho_pp = [0u8; 64];
        h(&[&self.key, rnd, mu], &mut rho_pp);
        let zb = poly_bytes(p.gamma1_bits + 1);
        let w1b = poly_bytes(p.w1_bits());
        let mut y = [[0i32; N]; L];
        let mut y_hat = [[0i32; N]; L];
        let mut w = [[0i32; N]; K];
        let mut w1 = [[0i32; N]; K];
        let mut w0 = [[0i32; N]; K];
        let mut z = [[0i32; N]; L];
        let mut hint = [0u8; N * 8];
        let mut w1_bytes = [0u8; 8 * 192];
        let mut c_tilde = [0u8; 64];
        let c_tilde = c_tilde.get_mut(..p.c_tilde_len).unwrap_or_default();
        let mut kappa: u16 = 0;
        let result = loop {
            if usize::from(kappa) + L > usize::from(u16::MAX) {
                break Err(Error::InvalidParameter { what: "ML-DSA signing", reason: "rejection loop exhausted" });
            }
            expand_mask(&rho_pp, kappa, p.gamma1_bits, &mut y);
            kappa += L as u16;
            y_hat = y;
            ntt_vec(&mut y_hat);
            mat_vec(&self.a, &y_hat, &mut w);
            for ((w, hi), lo) in w.iter().zip(w1.iter_mut()).zip(w0.iter_mut()) {
                for ((&a, h1), l0) in w.iter().zip(hi.iter_mut()).zip(lo.iter_mut()) {
                    (*h1, *l0) = decompose(a, p.gamma2);
                }
            }
            for (chunk, w) in w1_bytes.chunks_exact_mut(w1b).zip(&w1) {
                pack(chunk, w, p.w1_bits(), None);
            }
            h(&[mu, w1_bytes.get(..w1b * K).unwrap_or_default()], c_tilde);
            // c~ is a hash of the commitment; the accepted one is published
            // and SampleInBall's rejection reads it (as FIPS 204 specifies).
            // A rejected attempt's c~ reveals nothing about the key either:
            // H is modelled as a random oracle on (mu, w1), see section 5.5
            // of the CRYSTALS-Dilithium round-3 specification.
            super::declassify(c_tilde);
            let mut c_hat = sample_in_ball(c_tilde, p.tau);
            ntt(&mut c_hat);
            // z = y + c s1
            for ((z, s), y) in z.iter_mut().zip(&self.s1_hat).zip(&y) {
                pointwise(z, &c_hat, s);
                inv_ntt(z);
                for (zc, &yc) in z.iter_mut().zip(y) {
                    *zc = reduce32(zc.wrapping_add(yc));
                }
            }
            // The three norm checks and the hint weight are combined as
            // integers; only the restart verdict is declassified below.
            let z_bad = z.iter().fold(0u8, |acc, z| acc | exceeds_flag(z, p.gamma1() - p.beta));
            // r0 = w0 - c s2
            let mut r0_bad = 0u8;
            for (w0, s) in w0.iter_mut().zip(&self.s2_hat) {
                let mut cs2 = [0i32; N];
                pointwise(&mut cs2, &c_hat, s);
                inv_ntt(&mut cs2);
                for (a, b) in w0.iter_mut().zip(cs2) {
                    *a = reduce32(a.wrapping_sub(b));
                }
                r0_bad |= exceeds_flag(w0, p.gamma2 - p.beta);
            }
            // c t0 and the hint
            let mut ct0_bad = 0u8;
            let mut weight = 0usize;
            for ((w0, t0), (hint, w1)) in w0.iter_mut().zip(&self.t0_hat).zip(hint.chunks_exact_mut(N).zip(&w1)) {
                let mut ct0 = [0i32; N];
                pointwise(&mut ct0, &c_hat, t0);
                inv_ntt(&mut ct0);
                reduce_poly(&mut ct0);
                ct0_bad |= exceeds_flag(&ct0, p.gamma2);
                for (((hb, &a0), &a1), &ct) in hint.iter_mut().zip(w0.iter()).zip(w1).zip(&ct0) {
                    *hb = make_hint(a0.wrapping_add(ct), a1, p.gamma2) as u8;
                    weight = weight.wrapping_add(usize::from(*hb));
                }
            }
            // The restart decision: public by design (see the module doc).
            // weight <= N * K, far below 2^63: the subtraction's sign bit
            // is the comparison.
            let heavy = ((p.omega as u64).wrapping_sub(weight as u64) >> 63) as u8;
            if super::declassify_flag(z_bad | r0_bad | ct0_bad | heavy) != 0 {
                continue;
            }
            // The accepted hint is part of the signature.
            super::declassify(hint.get(..N * K).unwrap_or_default());
            let [sig_c, sig_z, sig_h] = split_mut(sig, [p.c_tilde_len, zb * L, p.omega + K]);
            sig_c.copy_from_slice(c_tilde);
            for (chunk, z) in sig_z.chunks_exact_mut(zb).zip(&z) {
                pack(chunk, z, p.gamma1_bits + 1, Some(p.gamma1()));
            }
            pack_hints(sig_h, hint.get(..N * K).unwrap_or_default(), p.omega);
            break Ok(());
        };
        rho_pp.zeroize();
        y.zeroize();
        y_hat.zeroize();
        w.zeroize();
        w0.zeroize();
        w1.zeroize();
        z.zeroize();
        result
    }
}

/// A decoded public key: A and t1 2^d in the NTT domain, and tr.
#[derive(Clone)]
pub(crate) struct PublicKey<const K: usize, const L: usize> {
    tr: [u8; 64],
    t1_hat: [Poly; K],
    a: Box<Matrix<K, L>>,
}

/// A signature split into c~, z and the hints, with the structural checks
/// of sigDecode (hint encoding) done.
pub(crate) struct DecodedSignature<'a, const K: usize, const L: usize> {
    c_tilde: &'a [u8],
    z: [Poly; L],
    hint: [Poly; K],
}

/// sigDecode: `None` on a wrong length or a malformed hint encoding.
pub(crate) fn decode_signature<'a, const K: usize, const L: usize>(
    p: &Params,
    sig: &'a [u8],
) -> Option<DecodedSignature<'a, K, L>> {
    if sig.len() != p.sig_len() {
        return None;
    }
    let zb = poly_bytes(p.gamma1_bits + 1);
    let [c_tilde, zs, hs] = split(sig, [p.c_tilde_len, zb * L, p.omega + K]).ok()?;
    let mut out = DecodedSignature { c_tilde, z: [[0; N]; L], hint: [[0; N]; K] };
    for (z, chunk) in out.z.iter_mut().zip(zs.chunks_exact(zb)) {
        unpack(z, chunk, p.gamma1_bits + 1, Some(p.gamma1()));
    }
    unpack_hints(&mut out.hint, hs, p.omega)?;
    Some(out)
}

impl<const K: usize, const L: usize> PublicKey<K, L> {
    /// pkDecode, plus ExpandA and NTT(t1 2^d).
    /// `pk` has the parameter set's length (checked by the caller).
    pub(crate) fn decode(pk: &[u8]) -> Box<Self> {
        let (rho, t1b) = pk.split_at(32.min(pk.len()));
        let rho: [u8; 32] = rho.try_into().unwrap_or_default();
        let mut out = Box::new(Self { tr: [0; 64], t1_hat: [[0; N]; K], a: expand_a::<K, L>(&rho) });
        h(&[pk], &mut out.tr);
        for (t, chunk) in out.t1_hat.iter_mut().zip(t1b.chunks_exact(320)) {
            unpack(t, chunk, 10, None);
            t.iter_mut().for_each(|c| *c <<= D);
            ntt(t);
        }
        out
    }

    /// tr = H(pk).
    pub(crate) fn tr(&self) -> &[u8; 64] {
        &self.tr
    }

    /// ML-DSA.Verify_internal from mu (all of FIPS 204's checks: length,
    /// hint encoding, ||z|| < gamma1 - beta, and c~ recomputed).
    pub(crate) fn verify(&self, p: &Params, mu: &[u8; 64], sig: &[u8]) -> bool {
        let Some(mut s) = decode_signature::<K, L>(p, sig) else { return false };
        if s.z.iter().any(|z| exceeds(z, p.gamma1() - p.beta)) {
            return false;
        }
        let mut c_hat = sample_in_ball(s.c_tilde, p.tau);
        ntt(&mut c_hat);
        ntt_vec(&mut s.z);
        let w1b = poly_bytes(p.w1_bits());
        let mut w1_bytes = [0u8; 8 * 192];
        for (((row, t1), hint), chunk) in
            self.a.iter().zip(&self.t1_hat).zip(&s.hint).zip(w1_bytes.chunks_exact_mut(w1b))
        {
            let mut w = [0i32; N];
            for (entry, z) in row.iter().zip(&s.z) {
                pointwise_acc(&mut w, entry, z);
            }
            let mut ct1 = [0i32; N];
            pointwise(&mut ct1, &c_hat, t1);
            for (a, b) in w.iter_mut().zip(ct1) {
                *a = reduce32(*a - b);
            }
            inv_ntt(&mut w);
            for (c, &hb) in w.iter_mut().zip(hint) {
                *c = use_hint(caddq(reduce32(*c)), hb != 0, p.gamma2);
            }
            pack(chunk, &w, p.w1_bits(), None);
        }
        let mut c_check = [0u8; 64];
        let c_check = c_check.get_mut(..p.c_tilde_len).unwrap_or_default();
        h(&[mu, w1_bytes.get(..w1b * K).unwrap_or_default()], c_check);
        c_check == s.c_tilde
    }
}
