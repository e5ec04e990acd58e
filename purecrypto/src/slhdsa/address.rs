//! The 32-byte hash address ADRS of FIPS 205 §4.2 and its 22-byte
//! compressed form for the SHA-2 instantiations (§11.2).
//!
//! Entry point: [`Adrs`]. Layout (big-endian words): layer (bytes 0..4),
//! tree address (4..16, of which we use the low 8 bytes), type (16..20),
//! then three words whose meaning depends on the type (key pair, chain /
//! tree height, hash / tree index).

/// WOTS+ hash address type.
pub(crate) const WOTS_HASH: u32 = 0;
/// WOTS+ public-key compression.
pub(crate) const WOTS_PK: u32 = 1;
/// Hash-tree (XMSS) node.
pub(crate) const TREE: u32 = 2;
/// FORS tree node.
pub(crate) const FORS_TREE: u32 = 3;
/// FORS roots compression.
pub(crate) const FORS_ROOTS: u32 = 4;
/// WOTS+ secret-key generation.
pub(crate) const WOTS_PRF: u32 = 5;
/// FORS secret-key generation.
pub(crate) const FORS_PRF: u32 = 6;

/// A hash address.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Adrs(pub(crate) [u8; 32]);

impl Adrs {
    fn set_word(&mut self, at: usize, v: u32) {
        if let Some(w) = self.0.get_mut(at..at + 4) {
            w.copy_from_slice(&v.to_be_bytes());
        }
    }

    fn word(&self, at: usize) -> u32 {
        let mut w = [0u8; 4];
        if let Some(s) = self.0.get(at..at + 4) {
            w.copy_from_slice(s);
        }
        u32::from_be_bytes(w)
    }

    pub(crate) fn set_layer(&mut self, layer: u32) {
        self.set_word(0, layer);
    }

    pub(crate) fn set_tree(&mut self, tree: u64) {
        self.set_word(4, 0);
        if let Some(w) = self.0.get_mut(8..16) {
            w.copy_from_slice(&tree.to_be_bytes());
        }
    }

    /// Sets the type and clears the three words after it.
    pub(crate) fn set_type_and_clear(&mut self, t: u32) {
        self.set_word(16, t);
        if let Some(w) = self.0.get_mut(20..32) {
            w.fill(0);
        }
    }

    pub(crate) fn set_key_pair(&mut self, i: u32) {
        self.set_word(20, i);
    }

    pub(crate) fn key_pair(&self) -> u32 {
        self.word(20)
    }

    pub(crate) fn set_chain(&mut self, i: u32) {
        self.set_word(24, i);
    }

    pub(crate) fn set_tree_height(&mut self, z: u32) {
        self.set_word(24, z);
    }

    pub(crate) fn set_hash(&mut self, i: u32) {
        self.set_word(28, i);
    }

    pub(crate) fn set_tree_index(&mut self, i: u32) {
        self.set_word(28, i);
    }

    pub(crate) fn tree_index(&self) -> u32 {
        self.word(28)
    }

    /// ADRSc: layer (1 byte), tree (8), type (1), the last 12 bytes.
    pub(crate) fn compressed(&self) -> [u8; 22] {
        let a = &self.0;
        let mut c = [0u8; 22];
        c[0] = a[3];
        c[1..9].copy_from_slice(&a[8..16]);
        c[9] = a[19];
        c[10..22].copy_from_slice(&a[20..32]);
        c
    }
}
