//! WOTS+ (FIPS 205 §5), XMSS (§6), the hypertree (§7) and FORS (§8).
//!
//! Entry points: [`Ctx`] with [`Ctx::xmss_sign`] / [`Ctx::ht_sign`] /
//! [`Ctx::ht_verify`], [`Ctx::fors_sign`] / [`Ctx::fors_pk_from_sig`] and
//! [`Ctx::xmss_root`] for key generation. Trees are built bottom-up by one
//! treehash pass that collects the authentication path on the way, so a
//! signature computes each tree once. Independent hashes go four at a
//! time through [`Suite::f_x4`]: the WOTS+ chains of a key pair run on
//! four lanes (a lane that finishes its chain takes the next one, so
//! chains of different lengths share the lanes), and FORS and XMSS trees
//! make their leaves four at a time. Every branch and memory index here
//! depends only on public values (tree indices from the message digest);
//! secret seeds flow only into hash inputs.

use zeroize::Zeroize;

use super::address::{Adrs, FORS_PRF, FORS_ROOTS, TREE, WOTS_HASH, WOTS_PK, WOTS_PRF};
use super::hash::Suite;
use super::params::Params;

/// Largest n.
const MAX_N: usize = 32;
/// Largest WOTS+ len (2 * 32 + 3).
const MAX_LEN: usize = 67;
/// Largest tree height (a = 14).
const MAX_HEIGHT: usize = 14;
/// Largest k (FORS trees).
const MAX_K: usize = 35;

/// A hash value of up to 32 bytes (only the first n are used).
pub(crate) type Node = [u8; MAX_N];

/// base_2b (Algorithm 4): `out.len()` digits of `b` bits from `x`.
pub(crate) fn base_2b(x: &[u8], b: u32, out: &mut [u32]) {
    let mut bytes = x.iter();
    let mut bits = 0u32;
    let mut total = 0u64;
    for o in out {
        while bits < b {
            total = (total << 8) | u64::from(bytes.next().copied().unwrap_or(0));
            bits += 8;
        }
        bits -= b;
        *o = ((total >> bits) & ((1u64 << b) - 1)) as u32;
    }
}

/// The message digits plus checksum digits WOTS+ signs (Algorithm 7
/// lines 2-9).
fn wots_digits(p: &Params, msg: &[u8], digits: &mut [u32; MAX_LEN]) {
    let len1 = 2 * p.n;
    let (m, c) = digits.split_at_mut(len1);
    base_2b(msg, 4, m);
    let csum: u32 = m.iter().map(|d| 15 - d).sum::<u32>() << 4;
    base_2b(&[(csum >> 8) as u8, csum as u8], 4, c.get_mut(..3).unwrap_or_default());
}

/// Everything a key's hashing needs: the suite bound to PK.seed, SK.seed
/// (signing only) and the parameters.
pub(crate) struct Ctx<'a, S: Suite> {
    pub(crate) suite: &'a S,
    pub(crate) p: &'a Params,
    pub(crate) sk_seed: &'a [u8],
}

impl<S: Suite> Ctx<'_, S> {
    fn n(&self) -> usize {
        self.p.n
    }

    /// chain (Algorithm 5) on every chain `i` of the key pair in `adrs`:
    /// `steps[i]` applications of F to `xs[i]` from position `starts[i]`.
    /// Chains run on the four lanes of [`Suite::f_x4`]; a lane whose chain
    /// ends takes the next one, and a round with a single busy lane uses
    /// the one-way F. The schedule depends only on the step counts, which
    /// are public (message digits, or 15 for key generation).
    fn chains(&self, adrs: &Adrs, xs: &mut [Node], starts: &[u32], steps: &[u32]) {
        let n = self.n();
        // (chain, next position, end position) per busy lane.
        let mut lanes: [Option<(usize, u32, u32)>; 4] = [None; 4];
        let mut jobs = starts.iter().zip(steps).take(xs.len()).enumerate().filter(|(_, (_, st))| **st > 0);
        loop {
            for lane in lanes.iter_mut().filter(|l| l.is_none()) {
                *lane = jobs.next().map(|(i, (&start, &st))| (i, start, start + st));
            }
            let busy = lanes.iter().flatten().count();
            let Some(&first) = lanes.iter().flatten().next() else { break };
            let mut lane_adrs = [*adrs; 4];
            let mut ins = [[0u8; MAX_N]; 4];
            let mut outs = [[0u8; MAX_N]; 4];
            for ((lane, a), input) in lanes.iter().zip(lane_adrs.iter_mut()).zip(ins.iter_mut()) {
                let (c, pos, _) = lane.unwrap_or(first);
                a.set_chain(c as u32);
                a.set_hash(pos);
                *input = xs.get(c).copied().unwrap_or_default();
            }
            if busy == 1 {
                // Idle lanes copy the busy one, so every lane gets its result.
                let mut one = [0u8; MAX_N];
                self.suite.f(&lane_adrs[0], ins[0].get(..n).unwrap_or_default(), &mut one);
                outs = [one; 4];
                one.zeroize();
            } else {
                let [a, b, c, d] = &ins;
                let msgs = [a, b, c, d].map(|x| x.get(..n).unwrap_or_default());
                self.suite.f_x4(&lane_adrs, msgs, &mut outs);
            }
            for (lane, out) in lanes.iter_mut().zip(&outs) {
                if let Some((c, pos, end)) = lane {
                    if let Some(x) = xs.get_mut(*c) {
                        *x = *out;
                    }
                    *pos += 1;
                    if *pos == *end {
                        *lane = None;
                    }
                }
            }
            ins.as_flattened_mut().zeroize();
            outs.as_flattened_mut().zeroize();
        }
    }

    /// PRF(PK.seed, SK.seed, ADRS) for `adrs_of(i)`, i in `0..out.len()`,
    /// four at a time.
    fn prf_many(&self, out: &mut [Node], mut adrs_of: impl FnMut(u32) -> Adrs) {
        for (g, group) in out.chunks_mut(4).enumerate() {
            let base = 4 * g as u32;
            let lane_adrs: [Adrs; 4] = core::array::from_fn(|l| adrs_of(base + (l as u32).min(group.len() as u32 - 1)));
            let mut outs = [[0u8; MAX_N]; 4];
            self.suite.f_x4(&lane_adrs, [self.sk_seed; 4], &mut outs);
            for (o, v) in group.iter_mut().zip(&outs) {
                *o = *v;
            }
            outs.as_flattened_mut().zeroize();
        }
    }

    /// The WOTS+ secret values of the key pair in `adrs` (wots_pkGen /
    /// wots_sign lines 1-5), into `sks[..len]`.
    fn wots_sks(&self, adrs: &Adrs, sks: &mut [Node; MAX_LEN]) {
        let mut sk_adrs = *adrs;
        sk_adrs.set_type_and_clear(WOTS_PRF);
        sk_adrs.set_key_pair(adrs.key_pair());
        self.prf_many(sks.get_mut(..self.p.wots_len()).unwrap_or_default(), |i| {
            let mut a = sk_adrs;
            a.set_chain(i);
            a
        });
    }

    /// wots_pkGen (Algorithm 6) for the key pair in `adrs`.
    fn wots_pk(&self, adrs: &Adrs) -> Node {
        let n = self.n();
        let len = self.p.wots_len();
        let mut xs = [[0u8; MAX_N]; MAX_LEN];
        self.wots_sks(adrs, &mut xs);
        let xs_used = xs.get_mut(..len).unwrap_or_default();
        self.chains(adrs, xs_used, &[0; MAX_LEN], &[15; MAX_LEN]);
        let mut ends = [0u8; MAX_LEN * MAX_N];
        for (end, x) in ends.chunks_exact_mut(n).zip(xs_used.iter()) {
            end.copy_from_slice(x.get(..n).unwrap_or_default());
        }
        xs.as_flattened_mut().zeroize();
        let mut pk_adrs = *adrs;
        pk_adrs.set_type_and_clear(WOTS_PK);
        pk_adrs.set_key_pair(adrs.key_pair());
        let mut out = [0u8; MAX_N];
        self.suite.t(&pk_adrs, ends.get(..len * n).unwrap_or_default(), &mut out);
        out
    }

    /// wots_sign (Algorithm 7): writes len * n bytes to `sig`.
    fn wots_sign(&self, msg: &[u8], adrs: &Adrs, sig: &mut [u8]) {
        let n = self.n();
        let mut digits = [0u32; MAX_LEN];
        wots_digits(self.p, msg, &mut digits);
        let len = self.p.wots_len();
        let mut xs = [[0u8; MAX_N]; MAX_LEN];
        self.wots_sks(adrs, &mut xs);
        let xs_used = xs.get_mut(..len).unwrap_or_default();
        self.chains(adrs, xs_used, &[0; MAX_LEN], &digits);
        for (out, x) in sig.chunks_exact_mut(n).zip(xs_used.iter()) {
            out.copy_from_slice(x.get(..n).unwrap_or_default());
        }
        xs.as_flattened_mut().zeroize();
    }

    /// wots_pkFromSig (Algorithm 8).
    fn wots_pk_from_sig(&self, sig: &[u8], msg: &[u8], adrs: &Adrs) -> Node {
        let n = self.n();
        let len = self.p.wots_len();
        let mut digits = [0u32; MAX_LEN];
        wots_digits(self.p, msg, &mut digits);
        let steps: [u32; MAX_LEN] = digits.map(|d| 15 - d.min(15));
        let mut xs = [[0u8; MAX_N]; MAX_LEN];
        for (x, s) in xs.iter_mut().zip(sig.chunks_exact(n)).take(len) {
            x.get_mut(..n).unwrap_or_default().copy_from_slice(s);
        }
        let xs_used = xs.get_mut(..len).unwrap_or_default();
        self.chains(adrs, xs_used, &digits, &steps);
        let mut ends = [0u8; MAX_LEN * MAX_N];
        for (end, x) in ends.chunks_exact_mut(n).zip(xs_used.iter()) {
            end.copy_from_slice(x.get(..n).unwrap_or_default());
        }
        let mut pk_adrs = *adrs;
        pk_adrs.set_type_and_clear(WOTS_PK);
        pk_adrs.set_key_pair(adrs.key_pair());
        let mut out = [0u8; MAX_N];
        self.suite.t(&pk_adrs, ends.get(..len * n).unwrap_or_default(), &mut out);
        out
    }

    /// H(left || right) at the node address in `adrs`.
    fn h(&self, adrs: &Adrs, left: &Node, right: &Node) -> Node {
        let n = self.n();
        let mut both = [0u8; 2 * MAX_N];
        both.get_mut(..n).unwrap_or_default().copy_from_slice(left.get(..n).unwrap_or_default());
        both.get_mut(n..2 * n).unwrap_or_default().copy_from_slice(right.get(..n).unwrap_or_default());
        let mut out = [0u8; MAX_N];
        self.suite.t(adrs, both.get(..2 * n).unwrap_or_default(), &mut out);
        out
    }

    /// Treehash over `2^height` leaves: returns the root and fills
    /// `auth[..height]` with the path of leaf `target`. `leaves(i, out)`
    /// makes leaves i..i+4 (fewer when the tree has fewer);
    /// `node_adrs(z, i)` is the address of node i at height z.
    fn treehash(
        &self,
        height: usize,
        target: u32,
        auth: &mut [Node],
        mut leaves: impl FnMut(u32, &mut [Node]),
        mut node_adrs: impl FnMut(u32, u32) -> Adrs,
    ) -> Node {
        let mut stack = [[0u8; MAX_N]; MAX_HEIGHT + 1];
        let mut heights = [0usize; MAX_HEIGHT + 1];
        let mut top = 0usize;
        let count = 1u32 << height;
        let mut batch = [[0u8; MAX_N]; 4];
        for i in 0..count {
            let lane = (i % 4) as usize;
            if lane == 0 {
                leaves(i, batch.get_mut(..(count - i).min(4) as usize).unwrap_or_default());
            }
            let mut node = batch.get(lane).copied().unwrap_or_default();
            let mut z = 0usize;
            loop {
                if (i >> z) == ((target >> z) ^ 1)
                    && let Some(a) = auth.get_mut(z)
                {
                    *a = node;
                }
                if top == 0 || heights.get(top - 1) != Some(&z) {
                    break;
                }
                top -= 1;
                let left = stack.get(top).copied().unwrap_or_default();
                z += 1;
                node = self.h(&node_adrs(z as u32, i >> z), &left, &node);
            }
            if let (Some(s), Some(h)) = (stack.get_mut(top), heights.get_mut(top)) {
                *s = node;
                *h = z;
            }
            top += 1;
        }
        stack.first().copied().unwrap_or_default()
    }

    /// The XMSS root of the tree in `adrs` and the auth path of `idx`.
    fn xmss_tree(&self, idx: u32, adrs: &Adrs, auth: &mut [Node]) -> Node {
        let hp = self.p.hp;
        self.treehash(
            hp,
            idx,
            auth,
            |first, out| {
                for (i, leaf) in (first..).zip(out.iter_mut()) {
                    let mut a = *adrs;
                    a.set_type_and_clear(WOTS_HASH);
                    a.set_key_pair(i);
                    *leaf = self.wots_pk(&a);
                }
            },
            |z, i| {
                let mut a = *adrs;
                a.set_type_and_clear(TREE);
                a.set_tree_height(z);
                a.set_tree_index(i);
                a
            },
        )
    }

    /// xmss_node(0, h') for key generation: the root of the tree in `adrs`.
    pub(crate) fn xmss_root(&self, adrs: &Adrs) -> Node {
        let mut auth = [[0u8; MAX_N]; MAX_HEIGHT];
        self.xmss_tree(0, adrs, &mut auth)
    }

    /// xmss_sign (Algorithm 10) of the n-byte `msg`; writes (len + h') n
    /// bytes and returns the tree's root.
    fn xmss_sign(&self, msg: &[u8], idx: u32, adrs: &Adrs, sig: &mut [u8]) -> Node {
        let n = self.n();
        let (wots, auth_out) = sig.split_at_mut((self.p.wots_len() * n).min(sig.len()));
        let mut auth = [[0u8; MAX_N]; MAX_HEIGHT];
        let root = self.xmss_tree(idx, adrs, &mut auth);
        for (out, a) in auth_out.chunks_exact_mut(n).zip(&auth) {
            out.copy_from_slice(a.get(..n).unwrap_or_default());
        }
        let mut a = *adrs;
        a.set_type_and_clear(WOTS_HASH);
        a.set_key_pair(idx);
        self.wots_sign(msg, &a, wots);
        root
    }

    /// xmss_pkFromSig (Algorithm 11).
    fn xmss_pk_from_sig(&self, idx: u32, sig: &[u8], msg: &[u8], adrs: &Adrs) -> Node {
        let n = self.n();
        let (wots, auth) = sig.split_at((self.p.wots_len() * n).min(sig.len()));
        let mut a = *adrs;
        a.set_type_and_clear(WOTS_HASH);
        a.set_key_pair(idx);
        let mut node = self.wots_pk_from_sig(wots, msg, &a);
        a.set_type_and_clear(TREE);
        a.set_tree_index(idx);
        for (k, sibling) in auth.chunks_exact(n).take(self.p.hp).enumerate() {
            let mut s = [0u8; MAX_N];
            s.get_mut(..n).unwrap_or_default().copy_from_slice(sibling);
            a.set_tree_height(k as u32 + 1);
            let i = a.tree_index();
            a.set_tree_index(i >> 1);
            node = if (idx >> k) & 1 == 0 { self.h(&a, &node, &s) } else { self.h(&a, &s, &node) };
        }
        node
    }

    /// ht_sign (Algorithm 12) of the n-byte `msg`; writes d XMSS signatures.
    pub(crate) fn ht_sign(&self, msg: &[u8], mut idx_tree: u64, mut idx_leaf: u32, sig: &mut [u8]) {
        let n = self.n();
        let xmss_len = (self.p.wots_len() + self.p.hp) * n;
        let mut adrs = Adrs::default();
        let mut root = [0u8; MAX_N];
        root.get_mut(..n).unwrap_or_default().copy_from_slice(msg.get(..n).unwrap_or_default());
        for (j, chunk) in sig.chunks_exact_mut(xmss_len).take(self.p.d).enumerate() {
            if j > 0 {
                idx_leaf = (idx_tree & ((1u64 << self.p.hp) - 1)) as u32;
                idx_tree >>= self.p.hp;
            }
            adrs.set_layer(j as u32);
            adrs.set_tree(idx_tree);
            let m = root;
            root = self.xmss_sign(m.get(..n).unwrap_or_default(), idx_leaf, &adrs, chunk);
            // Each XMSS root is recomputed from the signature by verifiers;
            // the next layer's WOTS+ chain lengths are its digits.
            crate::mldsa::declassify(&root);
        }
    }

    /// ht_verify (Algorithm 13): the root the signature leads to.
    pub(crate) fn ht_root(&self, msg: &[u8], sig: &[u8], mut idx_tree: u64, mut idx_leaf: u32) -> Node {
        let n = self.n();
        let xmss_len = (self.p.wots_len() + self.p.hp) * n;
        let mut adrs = Adrs::default();
        let mut node = [0u8; MAX_N];
        node.get_mut(..n).unwrap_or_default().copy_from_slice(msg.get(..n).unwrap_or_default());
        for (j, chunk) in sig.chunks_exact(xmss_len).take(self.p.d).enumerate() {
            if j > 0 {
                idx_leaf = (idx_tree & ((1u64 << self.p.hp) - 1)) as u32;
                idx_tree >>= self.p.hp;
            }
            adrs.set_layer(j as u32);
            adrs.set_tree(idx_tree);
            let m = node;
            node = self.xmss_pk_from_sig(idx_leaf, chunk, m.get(..n).unwrap_or_default(), &adrs);
        }
        node
    }

    /// fors_skGen (Algorithm 14).
    fn fors_sk(&self, adrs: &Adrs, idx: u32) -> Node {
        let mut sk_adrs = *adrs;
        sk_adrs.set_type_and_clear(FORS_PRF);
        sk_adrs.set_key_pair(adrs.key_pair());
        sk_adrs.set_tree_index(idx);
        let mut out = [0u8; MAX_N];
        self.suite.prf(&sk_adrs, self.sk_seed, &mut out);
        out
    }

    /// FORS leaves F(fors_skGen(j)) for j = first.. (up to four), four
    /// at a time. `adrs` is the FORS_TREE address of the key pair.
    fn fors_leaves(&self, adrs: &Adrs, first: u32, out: &mut [Node]) {
        let n = self.n();
        let mut sks = [[0u8; MAX_N]; 4];
        let last = first + (out.len() as u32).max(1) - 1;
        let mut sk_adrs = *adrs;
        sk_adrs.set_type_and_clear(FORS_PRF);
        sk_adrs.set_key_pair(adrs.key_pair());
        self.prf_many(&mut sks, |l| {
            let mut a = sk_adrs;
            a.set_tree_index((first + l).min(last));
            a
        });
        let leaf_adrs: [Adrs; 4] = core::array::from_fn(|l| {
            let mut a = *adrs;
            a.set_tree_height(0);
            a.set_tree_index((first + l as u32).min(last));
            a
        });
        let mut leaves = [[0u8; MAX_N]; 4];
        let [a, b, c, d] = &sks;
        self.suite.f_x4(&leaf_adrs, [a, b, c, d].map(|x| x.get(..n).unwrap_or_default()), &mut leaves);
        for (o, leaf) in out.iter_mut().zip(&leaves) {
            *o = *leaf;
        }
        sks.as_flattened_mut().zeroize();
    }

    /// fors_sign (Algorithm 16) of the digest `md`; writes k (a + 1) n bytes.
    /// `adrs` is the FORS_TREE address of the key pair.
    pub(crate) fn fors_sign(&self, md: &[u8], adrs: &Adrs, sig: &mut [u8]) {
        let (n, a) = (self.n(), self.p.a);
        let mut indices = [0u32; MAX_K];
        base_2b(md, a as u32, indices.get_mut(..self.p.k).unwrap_or_default());
        for (i, (chunk, &idx)) in sig.chunks_exact_mut((a + 1) * n).zip(&indices).take(self.p.k).enumerate() {
            let i = i as u32;
            let base = i << a;
            let (sk_out, auth_out) = chunk.split_at_mut(n);
            let mut sk = self.fors_sk(adrs, base + idx);
            sk_out.copy_from_slice(sk.get(..n).unwrap_or_default());
            sk.zeroize();
            let mut auth = [[0u8; MAX_N]; MAX_HEIGHT];
            self.treehash(
                a,
                idx,
                &mut auth,
                |first, out| self.fors_leaves(adrs, base + first, out),
                |z, j| {
                    let mut node_adrs = *adrs;
                    node_adrs.set_tree_height(z);
                    node_adrs.set_tree_index((i << (a as u32 - z)) + j);
                    node_adrs
                },
            );
            for (out, node) in auth_out.chunks_exact_mut(n).zip(&auth) {
                out.copy_from_slice(node.get(..n).unwrap_or_default());
            }
        }
    }

    /// fors_pkFromSig (Algorithm 17).
    pub(crate) fn fors_pk_from_sig(&self, sig: &[u8], md: &[u8], adrs: &Adrs) -> Node {
        let (n, a) = (self.n(), self.p.a);
        let mut indices = [0u32; MAX_K];
        base_2b(md, a as u32, indices.get_mut(..self.p.k).unwrap_or_default());
        let mut roots = [0u8; MAX_K * MAX_N];
        let mut node_adrs = *adrs;
        for (i, ((chunk, &idx), root)) in
            sig.chunks_exact((a + 1) * n).zip(&indices).zip(roots.chunks_exact_mut(n)).take(self.p.k).enumerate()
        {
            let (sk, auth) = chunk.split_at(n);
            node_adrs.set_tree_height(0);
            node_adrs.set_tree_index(((i as u32) << a) + idx);
            let mut node = [0u8; MAX_N];
            self.suite.f(&node_adrs, sk, &mut node);
            for (j, sibling) in auth.chunks_exact(n).enumerate() {
                let mut s = [0u8; MAX_N];
                s.get_mut(..n).unwrap_or_default().copy_from_slice(sibling);
                node_adrs.set_tree_height(j as u32 + 1);
                let t = node_adrs.tree_index();
                node_adrs.set_tree_index(t >> 1);
                node = if (idx >> j) & 1 == 0 { self.h(&node_adrs, &node, &s) } else { self.h(&node_adrs, &s, &node) };
            }
            root.copy_from_slice(node.get(..n).unwrap_or_default());
        }
        let mut pk_adrs = *adrs;
        pk_adrs.set_type_and_clear(FORS_ROOTS);
        pk_adrs.set_key_pair(adrs.key_pair());
        let mut out = [0u8; MAX_N];
        self.suite.t(&pk_adrs, roots.get(..self.p.k * n).unwrap_or_default(), &mut out);
        out
    }
}
