//! zstd dictionaries: the structured format (magic 0xEC30A437, id, entropy
//! tables, repeat offsets, content) and raw-content dictionaries.
//!
//! Entry point: [`Dictionary::parse`] (any bytes: without the magic, the
//! whole input is content). [`Dictionary::id`] is what frames name.

use super::block::Entropy;
use super::{corrupt, le32};
use crate::Error;
use alloc::vec::Vec;

/// The magic number of a structured dictionary.
pub(crate) const DICT_MAGIC: u32 = 0xEC30_A437;

/// A loaded dictionary.
#[derive(Debug, Clone)]
pub struct Dictionary {
    id: u32,
    pub(crate) entropy: Option<Entropy>,
    /// The entropy section as stored, so the encoder can rebuild tables.
    pub(crate) tables: Vec<u8>,
    pub(crate) rep: [u32; 3],
    pub(crate) content: Vec<u8>,
}

impl Dictionary {
    /// Parses `data`: a structured dictionary when it starts with the
    /// magic number, raw content otherwise.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Corrupt`] for a structured dictionary with bad
    /// tables or repeat offsets.
    pub fn parse(data: &[u8]) -> Result<Self, Error> {
        let magic = data.get(..4).map(le32);
        if magic != Some(DICT_MAGIC) {
            return Ok(Self::raw(data));
        }
        let id_bytes = data.get(4..8).ok_or(corrupt("truncated dictionary header"))?;
        let id = le32(id_bytes);
        let body = data.get(8..).unwrap_or(&[]);
        let mut entropy = Entropy::default();
        let used = entropy.load_dictionary_tables(body)?;
        let reps = body.get(used..used + 12).ok_or(corrupt("truncated dictionary repeat offsets"))?;
        let content = body.get(used + 12..).unwrap_or(&[]).to_vec();
        let mut rep = [0u32; 3];
        for (r, c) in rep.iter_mut().zip(reps.chunks_exact(4)) {
            *r = le32(c);
            if *r == 0 || *r as usize > content.len() {
                return Err(corrupt("dictionary repeat offset out of range"));
            }
        }
        entropy.rep = rep;
        Ok(Self { id, entropy: Some(entropy), tables: body.get(..used).unwrap_or(&[]).to_vec(), rep, content })
    }

    /// A raw-content dictionary (id 0, default tables and offsets).
    #[must_use]
    pub fn raw(content: &[u8]) -> Self {
        Self { id: 0, entropy: None, tables: Vec::new(), rep: super::INITIAL_REP, content: content.to_vec() }
    }

    /// The dictionary id (0 for raw content).
    #[must_use]
    pub fn id(&self) -> u32 {
        self.id
    }

    /// The content bytes that frames may refer back to.
    #[must_use]
    pub fn content(&self) -> &[u8] {
        &self.content
    }
}
