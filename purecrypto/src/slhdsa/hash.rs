//! The tweakable hash functions of FIPS 205 §11: PRF, PRF_msg, H_msg, F,
//! H and T_l, for SHAKE (§11.1) and SHA-2 (§11.2).
//!
//! Entry points: the [`Suite`] trait with [`Shake`] and [`Sha2`]. A suite
//! is built once per key from PK.seed: the SHA-2 suite absorbs the padded
//! block `PK.seed || 0^(64-n)` (and `0^(128-n)` for SHA-512) once and
//! clones the mid-state for every call, so each F costs one compression.

use zeroize::Zeroize;

use super::address::Adrs;
use crate::hash::{Hash, Sha256, Sha512, Shake256};
use crate::mac::Hmac;

/// A hash instantiation bound to one PK.seed; outputs are `n` bytes
/// written to the start of `out`.
pub(crate) trait Suite: Sized {
    /// Binds the suite to PK.seed (`n` bytes).
    fn new(pk_seed: &[u8]) -> Self;
    /// PRF(PK.seed, SK.seed, ADRS).
    fn prf(&self, adrs: &Adrs, sk_seed: &[u8], out: &mut [u8]);
    /// F(PK.seed, ADRS, M1), also T_l and H: `msg` is the concatenated input.
    fn f(&self, adrs: &Adrs, msg: &[u8], out: &mut [u8]);
    /// H and T_l (SHA-2 switches to SHA-512 for n > 16).
    fn t(&self, adrs: &Adrs, msg: &[u8], out: &mut [u8]);
    /// PRF_msg(SK.prf, opt_rand, M) over the message pieces.
    fn prf_msg(sk_prf: &[u8], opt_rand: &[u8], msg: &[&[u8]], out: &mut [u8]);
    /// H_msg(R, PK.seed, PK.root, M) over the message pieces, `out.len()` bytes.
    fn h_msg(r: &[u8], pk_seed: &[u8], pk_root: &[u8], msg: &[&[u8]], out: &mut [u8]);
}

/// SHAKE256 for every function.
pub(crate) struct Shake {
    pk_seed: [u8; 32],
    n: usize,
}

impl Shake {
    fn run(parts: &[&[u8]], out: &mut [u8]) {
        let mut x = Shake256::new();
        for p in parts {
            x.update(p);
        }
        x.finalize_xof().read(out);
    }

    fn seed(&self) -> &[u8] {
        self.pk_seed.get(..self.n).unwrap_or_default()
    }
}

impl Suite for Shake {
    fn new(pk_seed: &[u8]) -> Self {
        let mut s = [0u8; 32];
        let n = pk_seed.len().min(32);
        s.get_mut(..n).unwrap_or_default().copy_from_slice(pk_seed.get(..n).unwrap_or_default());
        Self { pk_seed: s, n }
    }

    fn prf(&self, adrs: &Adrs, sk_seed: &[u8], out: &mut [u8]) {
        Self::run(&[self.seed(), &adrs.0, sk_seed], out.get_mut(..self.n).unwrap_or_default());
    }

    fn f(&self, adrs: &Adrs, msg: &[u8], out: &mut [u8]) {
        Self::run(&[self.seed(), &adrs.0, msg], out.get_mut(..self.n).unwrap_or_default());
    }

    fn t(&self, adrs: &Adrs, msg: &[u8], out: &mut [u8]) {
        self.f(adrs, msg, out);
    }

    fn prf_msg(sk_prf: &[u8], opt_rand: &[u8], msg: &[&[u8]], out: &mut [u8]) {
        let mut x = Shake256::new();
        x.update(sk_prf);
        x.update(opt_rand);
        for p in msg {
            x.update(p);
        }
        x.finalize_xof().read(out);
    }

    fn h_msg(r: &[u8], pk_seed: &[u8], pk_root: &[u8], msg: &[&[u8]], out: &mut [u8]) {
        let mut x = Shake256::new();
        x.update(r);
        x.update(pk_seed);
        x.update(pk_root);
        for p in msg {
            x.update(p);
        }
        x.finalize_xof().read(out);
    }
}

/// SHA-256 (and SHA-512 for H, T_l, H_msg and PRF_msg when n > 16), with
/// the PK.seed block absorbed once.
pub(crate) struct Sha2 {
    n: usize,
    sha256: Sha256,
    sha512: Sha512,
}

/// MGF1 with hash `D` (RFC 8017 B.2.1): fills `out`.
fn mgf1<D: Hash>(seed: &[&[u8]], out: &mut [u8]) {
    for (counter, chunk) in out.chunks_mut(D::OUTPUT_LEN).enumerate() {
        let mut d = D::new();
        for s in seed {
            d.update(s);
        }
        d.update(&(counter as u32).to_be_bytes());
        let block = d.finalize();
        chunk.copy_from_slice(block.as_ref().get(..chunk.len()).unwrap_or_default());
    }
}

/// H_msg for SHA-2: MGF1-D(R || PK.seed || D(R || PK.seed || PK.root || M)).
fn sha2_h_msg<D: Hash>(r: &[u8], pk_seed: &[u8], pk_root: &[u8], msg: &[&[u8]], out: &mut [u8]) {
    let mut d = D::new();
    d.update(r);
    d.update(pk_seed);
    d.update(pk_root);
    for p in msg {
        d.update(p);
    }
    let inner = d.finalize();
    mgf1::<D>(&[r, pk_seed, inner.as_ref()], out);
}

fn sha2_prf_msg<D: Hash>(sk_prf: &[u8], opt_rand: &[u8], msg: &[&[u8]], out: &mut [u8]) {
    let mut mac = Hmac::<D>::new(sk_prf);
    mac.update(opt_rand);
    for p in msg {
        mac.update(p);
    }
    let mut tag = mac.finalize();
    let n = out.len();
    out.copy_from_slice(tag.as_ref().get(..n).unwrap_or_default());
    tag.as_mut().zeroize();
}

impl Sha2 {
    fn finish<D: Hash>(mut d: D, adrs: &Adrs, parts: &[&[u8]], out: &mut [u8], n: usize) {
        d.update(&adrs.compressed());
        for p in parts {
            d.update(p);
        }
        let mut digest = d.finalize();
        if let Some(o) = out.get_mut(..n) {
            o.copy_from_slice(digest.as_ref().get(..n).unwrap_or_default());
        }
        digest.as_mut().zeroize();
    }
}

impl Suite for Sha2 {
    fn new(pk_seed: &[u8]) -> Self {
        let zeros = [0u8; 128];
        let n = pk_seed.len();
        let mut sha256 = Sha256::new();
        sha256.update(pk_seed);
        sha256.update(zeros.get(..64usize.saturating_sub(n)).unwrap_or_default());
        let mut sha512 = Sha512::new();
        sha512.update(pk_seed);
        sha512.update(zeros.get(..128usize.saturating_sub(n)).unwrap_or_default());
        Self { n, sha256, sha512 }
    }

    fn prf(&self, adrs: &Adrs, sk_seed: &[u8], out: &mut [u8]) {
        Self::finish(self.sha256.clone(), adrs, &[sk_seed], out, self.n);
    }

    fn f(&self, adrs: &Adrs, msg: &[u8], out: &mut [u8]) {
        Self::finish(self.sha256.clone(), adrs, &[msg], out, self.n);
    }

    fn t(&self, adrs: &Adrs, msg: &[u8], out: &mut [u8]) {
        if self.n == 16 {
            Self::finish(self.sha256.clone(), adrs, &[msg], out, self.n);
        } else {
            Self::finish(self.sha512.clone(), adrs, &[msg], out, self.n);
        }
    }

    fn prf_msg(sk_prf: &[u8], opt_rand: &[u8], msg: &[&[u8]], out: &mut [u8]) {
        if sk_prf.len() == 16 {
            sha2_prf_msg::<Sha256>(sk_prf, opt_rand, msg, out);
        } else {
            sha2_prf_msg::<Sha512>(sk_prf, opt_rand, msg, out);
        }
    }

    fn h_msg(r: &[u8], pk_seed: &[u8], pk_root: &[u8], msg: &[&[u8]], out: &mut [u8]) {
        if r.len() == 16 {
            sha2_h_msg::<Sha256>(r, pk_seed, pk_root, msg, out);
        } else {
            sha2_h_msg::<Sha512>(r, pk_seed, pk_root, msg, out);
        }
    }
}
