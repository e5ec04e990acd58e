//! slh_keygen_internal, slh_sign_internal and slh_verify_internal
//! (FIPS 205 Algorithms 18-20), generic over the hash [`Suite`].
//!
//! Entry points: [`keygen`], [`sign`], [`verify`]. The message is passed
//! as pieces (`M' = prefix || M`) so long messages are never copied.

use super::address::{Adrs, FORS_TREE};
use super::hash::Suite;
use super::params::Params;
use super::trees::Ctx;

/// slh_keygen_internal: PK.root of the top XMSS tree.
pub(crate) fn keygen<S: Suite>(p: &Params, sk_seed: &[u8], pk_seed: &[u8], pk_root: &mut [u8]) {
    let suite = S::new(pk_seed);
    let ctx = Ctx { suite: &suite, p, sk_seed };
    let mut adrs = Adrs::default();
    adrs.set_layer(p.d as u32 - 1);
    let root = ctx.xmss_root(&adrs);
    pk_root.copy_from_slice(root.get(..p.n).unwrap_or_default());
}

/// Big-endian integer of up to 8 bytes.
fn to_int(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
}

/// Splits H_msg's digest into (md, idx_tree, idx_leaf) (Algorithm 19
/// lines 7-12).
fn split_digest<'a>(p: &Params, digest: &'a [u8]) -> (&'a [u8], u64, u32) {
    let md_len = (p.k * p.a).div_ceil(8);
    let tree_len = (p.h - p.hp).div_ceil(8);
    let leaf_len = p.hp.div_ceil(8);
    let (md, rest) = digest.split_at(md_len.min(digest.len()));
    let (tree, rest) = rest.split_at(tree_len.min(rest.len()));
    let leaf = rest.get(..leaf_len).unwrap_or_default();
    let tree_bits = p.h - p.hp;
    let idx_tree = if tree_bits >= 64 { to_int(tree) } else { to_int(tree) & ((1u64 << tree_bits) - 1) };
    let idx_leaf = (to_int(leaf) & ((1u64 << p.hp) - 1)) as u32;
    (md, idx_tree, idx_leaf)
}

/// slh_sign_internal: `sk` is SK.seed || SK.prf || PK.seed || PK.root,
/// `addrnd` the hedging randomness (None: deterministic, PK.seed is used).
/// Writes the parameter set's signature length into `sig`.
pub(crate) fn sign<S: Suite>(p: &Params, sk: &[u8], msg: &[&[u8]], addrnd: Option<&[u8]>, sig: &mut [u8]) {
    let n = p.n;
    let (sk_seed, rest) = sk.split_at(n.min(sk.len()));
    let (sk_prf, pk) = rest.split_at(n.min(rest.len()));
    let (pk_seed, pk_root) = pk.split_at(n.min(pk.len()));
    let suite = S::new(pk_seed);
    let ctx = Ctx { suite: &suite, p, sk_seed };
    let (r, rest) = sig.split_at_mut(n.min(sig.len()));
    let (sig_fors, sig_ht) = rest.split_at_mut((p.k * (p.a + 1) * n).min(rest.len()));
    S::prf_msg(sk_prf, addrnd.unwrap_or(pk_seed), msg, r);
    // R is published; the tree indices and FORS digits derive from it.
    crate::mldsa::declassify(r);
    let mut digest = [0u8; 64];
    let digest = digest.get_mut(..p.m).unwrap_or_default();
    S::h_msg(r, pk_seed, pk_root, msg, digest);
    let (md, idx_tree, idx_leaf) = split_digest(p, digest);
    let mut adrs = Adrs::default();
    adrs.set_tree(idx_tree);
    adrs.set_type_and_clear(FORS_TREE);
    adrs.set_key_pair(idx_leaf);
    ctx.fors_sign(md, &adrs, sig_fors);
    let pk_fors = ctx.fors_pk_from_sig(sig_fors, md, &adrs);
    // The FORS public key is recomputed from the signature by verifiers.
    crate::mldsa::declassify(&pk_fors);
    ctx.ht_sign(pk_fors.get(..n).unwrap_or_default(), idx_tree, idx_leaf, sig_ht);
}

/// slh_verify_internal: `pk` is PK.seed || PK.root.
pub(crate) fn verify<S: Suite>(p: &Params, pk: &[u8], msg: &[&[u8]], sig: &[u8]) -> bool {
    let n = p.n;
    if sig.len() != p.sig_len() || pk.len() != 2 * n {
        return false;
    }
    let (pk_seed, pk_root) = pk.split_at(n);
    let suite = S::new(pk_seed);
    let ctx = Ctx { suite: &suite, p, sk_seed: &[] };
    let (r, rest) = sig.split_at(n);
    let (sig_fors, sig_ht) = rest.split_at(p.k * (p.a + 1) * n);
    let mut digest = [0u8; 64];
    let digest = digest.get_mut(..p.m).unwrap_or_default();
    S::h_msg(r, pk_seed, pk_root, msg, digest);
    let (md, idx_tree, idx_leaf) = split_digest(p, digest);
    let mut adrs = Adrs::default();
    adrs.set_tree(idx_tree);
    adrs.set_type_and_clear(FORS_TREE);
    adrs.set_key_pair(idx_leaf);
    let pk_fors = ctx.fors_pk_from_sig(sig_fors, md, &adrs);
    let root = ctx.ht_root(pk_fors.get(..n).unwrap_or_default(), sig_ht, idx_tree, idx_leaf);
    root.get(..n) == Some(pk_root)
}
