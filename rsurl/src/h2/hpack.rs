//! HPACK header compression (RFC 7541): the static table, a dynamic
//! table with size updates and eviction, integer and string literals.
//!
//! Entry points: [`Decoder::decode`] (one header block in, a header list
//! out) and [`Encoder::encode`]. Every failure of the decoder is an
//! [`HpackError`], which the connection turns into a COMPRESSION_ERROR.
//! Memory is bounded: the dynamic table by its negotiated size, a decoded
//! header list by [`Decoder::max_list_size`] (counted as RFC 9113 §6.5.2
//! does: name + value + 32 per field).

use std::collections::VecDeque;

use super::huffman;

/// What was wrong with a header block (always a COMPRESSION_ERROR).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HpackError {
    /// The block ended inside a field representation.
    #[error("HPACK: truncated header block")]
    Truncated,
    /// An integer longer than the decoder accepts.
    #[error("HPACK: integer overflow")]
    IntegerOverflow,
    /// An index of 0 or past the end of the tables.
    #[error("HPACK: invalid table index {0}")]
    BadIndex(u64),
    /// Invalid Huffman code, EOS in a string or bad padding.
    #[error("HPACK: invalid Huffman-coded string")]
    Huffman,
    /// A string longer than what the header list may hold.
    #[error("HPACK: string literal too long")]
    StringTooLong,
    /// A dynamic table size update above the limit we announced, or after
    /// the first field of a block.
    #[error("HPACK: invalid dynamic table size update")]
    BadSizeUpdate,
    /// The decoded header list is larger than the limit.
    #[error("HPACK: header list larger than {0} bytes")]
    ListTooLarge(usize),
}

/// The static table (RFC 7541 Appendix A), index 1 first.
const STATIC: [(&str, &str); 61] = [
    (":authority", ""),
    (":method", "GET"),
    (":method", "POST"),
    (":path", "/"),
    (":path", "/index.html"),
    (":scheme", "http"),
    (":scheme", "https"),
    (":status", "200"),
    (":status", "204"),
    (":status", "206"),
    (":status", "304"),
    (":status", "400"),
    (":status", "404"),
    (":status", "500"),
    ("accept-charset", ""),
    ("accept-encoding", "gzip, deflate"),
    ("accept-language", ""),
    ("accept-ranges", ""),
    ("accept", ""),
    ("access-control-allow-origin", ""),
    ("age", ""),
    ("allow", ""),
    ("authorization", ""),
    ("cache-control", ""),
    ("content-disposition", ""),
    ("content-encoding", ""),
    ("content-language", ""),
    ("content-length", ""),
    ("content-location", ""),
    ("content-range", ""),
    ("content-type", ""),
    ("cookie", ""),
    ("date", ""),
    ("etag", ""),
    ("expect", ""),
    ("expires", ""),
    ("from", ""),
    ("host", ""),
    ("if-match", ""),
    ("if-modified-since", ""),
    ("if-none-match", ""),
    ("if-range", ""),
    ("if-unmodified-since", ""),
    ("last-modified", ""),
    ("link", ""),
    ("location", ""),
    ("max-forwards", ""),
    ("proxy-authenticate", ""),
    ("proxy-authorization", ""),
    ("range", ""),
    ("referer", ""),
    ("refresh", ""),
    ("retry-after", ""),
    ("server", ""),
    ("set-cookie", ""),
    ("strict-transport-security", ""),
    ("transfer-encoding", ""),
    ("user-agent", ""),
    ("vary", ""),
    ("via", ""),
    ("www-authenticate", ""),
];

/// Per-entry overhead in table size accounting (RFC 7541 §4.1).
const ENTRY_OVERHEAD: usize = 32;

/// The default (and initial) dynamic table size, SETTINGS_HEADER_TABLE_SIZE.
pub(crate) const DEFAULT_TABLE_SIZE: usize = 4096;

/// One decoded header field.
pub type Field = (Vec<u8>, Vec<u8>);

/// The dynamic table: newest entry first, evicted from the back.
#[derive(Debug, Clone)]
struct DynamicTable {
    entries: VecDeque<Field>,
    size: usize,
    max_size: usize,
}

impl DynamicTable {
    fn new(max_size: usize) -> Self {
        Self { entries: VecDeque::new(), size: 0, max_size }
    }

    fn set_max(&mut self, max: usize) {
        self.max_size = max;
        self.evict_to(max);
    }

    fn evict_to(&mut self, limit: usize) {
        while self.size > limit {
            let Some((n, v)) = self.entries.pop_back() else { break };
            self.size -= n.len() + v.len() + ENTRY_OVERHEAD;
        }
    }

    /// Adds an entry; one larger than the whole table empties it (§4.4).
    fn insert(&mut self, name: Vec<u8>, value: Vec<u8>) {
        let size = name.len() + value.len() + ENTRY_OVERHEAD;
        if size > self.max_size {
            self.entries.clear();
            self.size = 0;
            return;
        }
        self.evict_to(self.max_size - size);
        self.size += size;
        self.entries.push_front((name, value));
    }

    /// The entry at a combined index (1..=61 static, then dynamic).
    fn get(&self, index: u64) -> Result<(&[u8], &[u8]), HpackError> {
        let i = usize::try_from(index).map_err(|_| HpackError::BadIndex(index))?;
        if i == 0 {
            return Err(HpackError::BadIndex(index));
        }
        if let Some((n, v)) = STATIC.get(i - 1) {
            return Ok((n.as_bytes(), v.as_bytes()));
        }
        self.entries.get(i - 1 - STATIC.len()).map(|(n, v)| (&n[..], &v[..])).ok_or(HpackError::BadIndex(index))
    }
}

/// Decodes an integer with an `prefix`-bit prefix (RFC 7541 §5.1) at the
/// start of `data`; returns the value and the bytes used. Values above
/// 2^32 are refused, which bounds the loop to 5 continuation bytes.
pub(crate) fn decode_int(data: &[u8], prefix: u8) -> Result<(u64, usize), HpackError> {
    let mask = ((1u16 << prefix) - 1) as u8;
    let first = data.first().ok_or(HpackError::Truncated)?;
    let mut value = u64::from(first & mask);
    if value < u64::from(mask) {
        return Ok((value, 1));
    }
    let mut shift = 0u32;
    for (i, &b) in data.iter().enumerate().skip(1) {
        value += u64::from(b & 0x7f) << shift;
        if value > u64::from(u32::MAX) {
            return Err(HpackError::IntegerOverflow);
        }
        if b & 0x80 == 0 {
            return Ok((value, i + 1));
        }
        shift += 7;
        if shift > 28 {
            return Err(HpackError::IntegerOverflow);
        }
    }
    Err(HpackError::Truncated)
}

/// Appends `value` with a `prefix`-bit prefix; `flags` fills the bits
/// above the prefix in the first byte.
pub(crate) fn encode_int(value: usize, prefix: u8, flags: u8, out: &mut Vec<u8>) {
    let mask = ((1u16 << prefix) - 1) as usize;
    if value < mask {
        out.push(flags | value as u8);
        return;
    }
    out.push(flags | mask as u8);
    let mut rest = value - mask;
    while rest >= 128 {
        out.push((rest & 0x7f) as u8 | 0x80);
        rest >>= 7;
    }
    out.push(rest as u8);
}

/// Decodes a string literal (§5.2) at the start of `data`, at most `max`
/// bytes once decoded.
fn decode_string(data: &[u8], max: usize) -> Result<(Vec<u8>, usize), HpackError> {
    let huffman = data.first().ok_or(HpackError::Truncated)? & 0x80 != 0;
    let (len, used) = decode_int(data, 7)?;
    let len = usize::try_from(len).map_err(|_| HpackError::IntegerOverflow)?;
    // Refused before waiting for the bytes: a Huffman string decodes to
    // at least 8/30 of a byte per input byte, a raw one to one.
    if (huffman && len.saturating_mul(8) / 30 > max) || (!huffman && len > max) {
        return Err(HpackError::StringTooLong);
    }
    let raw = data.get(used..used.checked_add(len).ok_or(HpackError::Truncated)?).ok_or(HpackError::Truncated)?;
    let mut out = Vec::new();
    if huffman {
        huffman::decode(raw, &mut out, max)?;
    } else {
        out.extend_from_slice(raw);
    }
    Ok((out, used + len))
}

/// Appends a string literal, Huffman-coded as `policy` says: `Some`
/// forces the choice, `None` picks Huffman when it is shorter.
fn encode_string(s: &[u8], policy: Option<bool>, out: &mut Vec<u8>) {
    let hlen = huffman::encoded_len(s);
    if policy.unwrap_or(hlen < s.len()) {
        encode_int(hlen, 7, 0x80, out);
        huffman::encode(s, out);
    } else {
        encode_int(s.len(), 7, 0, out);
        out.extend_from_slice(s);
    }
}

/// The receiving side's HPACK state.
#[derive(Debug, Clone)]
pub struct Decoder {
    table: DynamicTable,
    /// The table size we announced (SETTINGS_HEADER_TABLE_SIZE): the most
    /// a size update may ask for.
    limit: usize,
    /// Most bytes in one decoded header list.
    pub max_list_size: usize,
}

impl Decoder {
    /// A decoder whose table may grow to `table_size` bytes and that
    /// refuses header lists above `max_list_size`.
    #[must_use]
    pub fn new(table_size: usize, max_list_size: usize) -> Self {
        Self { table: DynamicTable::new(table_size), limit: table_size, max_list_size }
    }

    /// Decodes one complete header block into its field list.
    ///
    /// # Errors
    /// [`HpackError`] on any malformed representation; the decoder's
    /// state is then unusable (the connection must end).
    pub fn decode(&mut self, block: &[u8]) -> Result<Vec<Field>, HpackError> {
        let mut fields = Vec::new();
        let mut list_size = 0usize;
        let mut pos = 0;
        let mut updates_allowed = true;
        while let Some(&b) = block.get(pos) {
            let rest = block.get(pos..).unwrap_or_default();
            if b & 0xe0 == 0x20 {
                // Dynamic table size update: only at the start of a block.
                let (size, used) = decode_int(rest, 5)?;
                let size = usize::try_from(size).map_err(|_| HpackError::BadSizeUpdate)?;
                if !updates_allowed || size > self.limit {
                    return Err(HpackError::BadSizeUpdate);
                }
                self.table.set_max(size);
                pos += used;
                continue;
            }
            updates_allowed = false;
            let room = self.max_list_size.saturating_sub(list_size);
            let (name, value, used) = if b & 0x80 != 0 {
                let (index, used) = decode_int(rest, 7)?;
                let (n, v) = self.table.get(index)?;
                (n.to_vec(), v.to_vec(), used)
            } else {
                // Literal: with incremental indexing (01, 6-bit index),
                // without indexing (0000) or never indexed (0001), 4-bit.
                let prefix = if b & 0x40 != 0 { 6 } else { 4 };
                let (index, mut used) = decode_int(rest, prefix)?;
                let name = if index == 0 {
                    let (n, u) = decode_string(rest.get(used..).unwrap_or_default(), room)?;
                    used += u;
                    n
                } else {
                    self.table.get(index)?.0.to_vec()
                };
                let (value, u) = decode_string(rest.get(used..).unwrap_or_default(), room)?;
                used += u;
                if b & 0x40 != 0 {
                    self.table.insert(name.clone(), value.clone());
                }
                (name, value, used)
            };
            list_size = list_size.saturating_add(name.len() + value.len() + ENTRY_OVERHEAD);
            if list_size > self.max_list_size {
                return Err(HpackError::ListTooLarge(self.max_list_size));
            }
            fields.push((name, value));
            pos += used;
        }
        Ok(fields)
    }

    /// Bytes the dynamic table holds (RFC 7541 §4.1 accounting).
    #[must_use]
    pub fn table_size(&self) -> usize {
        self.table.size
    }
}

/// The sending side's HPACK state: exact matches are sent as indices,
/// everything else as literals with incremental indexing, except fields
/// that carry credentials, which are never indexed (§7.1.3).
#[derive(Debug, Clone)]
pub struct Encoder {
    table: DynamicTable,
    /// A size update to announce at the start of the next block.
    pending_update: Option<usize>,
    /// `Some(true)`: Huffman-code every string (RFC 7541 Appendix C.4 /
    /// C.6 do); `Some(false)`: never (C.3 / C.5); `None`: where shorter.
    pub huffman: Option<bool>,
}

impl Encoder {
    /// An encoder with a table of `table_size` bytes (the peer's
    /// SETTINGS_HEADER_TABLE_SIZE, 4096 until it says otherwise).
    #[must_use]
    pub fn new(table_size: usize) -> Self {
        Self { table: DynamicTable::new(table_size), pending_update: None, huffman: None }
    }

    /// Applies the peer's new SETTINGS_HEADER_TABLE_SIZE (capped at what
    /// we are willing to hold); a change is announced in the next block.
    pub fn set_max_size(&mut self, size: usize) {
        let size = size.min(DEFAULT_TABLE_SIZE);
        if size != self.table.max_size {
            self.table.set_max(size);
            self.pending_update = Some(size);
        }
    }

    /// Appends the header block for `fields`.
    pub fn encode(&mut self, fields: &[(&[u8], &[u8])], out: &mut Vec<u8>) {
        if let Some(size) = self.pending_update.take() {
            encode_int(size, 5, 0x20, out);
        }
        for &(name, value) in fields {
            let sensitive = name == b"authorization" || name == b"proxy-authorization";
            let mut name_index = None;
            let mut exact = None;
            let total = STATIC.len() + self.table.entries.len();
            for i in 1..=total {
                let Ok((n, v)) = self.table.get(i as u64) else { break };
                if n == name {
                    name_index.get_or_insert(i);
                    if v == value && !sensitive {
                        exact = Some(i);
                        break;
                    }
                }
            }
            if let Some(i) = exact {
                encode_int(i, 7, 0x80, out);
                continue;
            }
            let (prefix, flags) = if sensitive { (4, 0x10) } else { (6, 0x40) };
            encode_int(name_index.unwrap_or(0), prefix, flags, out);
            if name_index.is_none() {
                encode_string(name, self.huffman, out);
            }
            encode_string(value, self.huffman, out);
            if !sensitive {
                self.table.insert(name.to_vec(), value.to_vec());
            }
        }
    }

    /// Bytes the dynamic table holds.
    #[must_use]
    pub fn table_size(&self) -> usize {
        self.table.size
    }
}

#[cfg(test)]
mod tests;
