//! The binary packet protocol (RFC 4253 §6): framing, padding, sequence
//! numbers, with every length checked before anything is allocated.
//!
//! Entry points: [`PacketDecoder`] (feed bytes with
//! [`PacketDecoder::input`], take payloads with
//! [`PacketDecoder::take_packet`]) and [`PacketEncoder::encode`].
//!
//! ```text
//! uint32 packet_length   (excludes itself and the tag)
//! byte   padding_length  (>= 4, < packet_length)
//! byte[] payload         (packet_length - padding_length - 1)
//! byte[] padding
//! byte[] tag             (cipher.tag_len())
//! ```
//!
//! With compression on ([`PacketEncoder::set_compression`],
//! [`PacketDecoder::set_decompression`]) the payload field holds the
//! compressed payload: compressed before padding and encryption, and
//! decompressed after authentication, bounded by the packet limit.

use super::cipher::{NoneCipher, PacketCipher, Random};
use super::compress::{Compressor, Decompressor};
use crate::error::{Error, MisuseError, PacketError};

/// Default largest `packet_length` accepted or sent: RFC 4253 §6.1 asks
/// for at least 35000; OpenSSH allows 256 KiB, which large channel
/// windows with 32 KiB or bigger chunks need.
pub const DEFAULT_MAX_PACKET_LEN: u32 = 256 * 1024;

/// Smallest padding (RFC 4253 §6).
pub const MIN_PADDING: u8 = 4;

/// A per-direction packet counter that refuses to wrap silently.
///
/// RFC 4253 lets it wrap at 2^32; puressh instead requires a rekey (strict
/// KEX resets the counter at each NEWKEYS) long before, and reports a
/// wrap as [`PacketError::SequenceWrapped`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SequenceNumber(u32);

impl SequenceNumber {
    /// The number of the next packet.
    #[must_use]
    pub const fn get(self) -> u32 {
        self.0
    }

    /// Starts counting from `value` (tests and resumption).
    #[must_use]
    pub const fn from_value(value: u32) -> Self {
        Self(value)
    }

    /// Moves to the next packet.
    ///
    /// # Errors
    /// [`PacketError::SequenceWrapped`] past 2^32 - 1.
    pub fn advance(&mut self) -> Result<(), PacketError> {
        self.0 = self.0.checked_add(1).ok_or(PacketError::SequenceWrapped)?;
        Ok(())
    }

    /// Back to zero: strict KEX does this after each NEWKEYS.
    pub fn reset(&mut self) {
        self.0 = 0;
    }
}

/// One received packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    /// Its sequence number.
    pub sequence: u32,
    /// The payload (message number first).
    pub payload: Vec<u8>,
}

/// Decoder progress within one packet.
#[derive(Debug)]
enum Progress {
    /// Collecting the first `length_bytes` bytes.
    Head(Vec<u8>),
    /// Length known and checked: collecting `4 + length + tag` bytes.
    Body { length: u32, buf: Vec<u8>, total: usize },
    /// A packet is ready and waits for [`PacketDecoder::take_packet`].
    Ready(Packet),
}

/// Receiving side of the binary packet protocol.
pub struct PacketDecoder {
    cipher: Box<dyn PacketCipher>,
    sequence: SequenceNumber,
    max_len: u32,
    /// Inflates payloads once set; decompressed payloads are bounded by
    /// `max_len` too.
    decompressor: Option<Decompressor>,
    state: Result<Progress, Error>,
}

impl core::fmt::Debug for PacketDecoder {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PacketDecoder")
            .field("cipher", &self.cipher.name())
            .field("sequence", &self.sequence)
            .field("max_len", &self.max_len)
            .field("decompressing", &self.decompressor.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for PacketDecoder {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_PACKET_LEN)
    }
}

/// The smallest and the checked length for a cipher: the shared rules of
/// both directions.
fn check_length(cipher: &dyn PacketCipher, length: u32, max_len: u32) -> Result<(), PacketError> {
    if length > max_len {
        return Err(PacketError::TooLong { length, limit: max_len });
    }
    let minimum = 1 + u32::from(MIN_PADDING);
    if length < minimum {
        return Err(PacketError::TooShort { length, minimum });
    }
    let block = cipher.block_size().max(8);
    let aligned = if cipher.aligns_length_field() { length.saturating_add(4) } else { length };
    if aligned as usize % block != 0 {
        return Err(PacketError::Misaligned { length: aligned, block });
    }
    Ok(())
}

impl PacketDecoder {
    /// A decoder in the initial "none" state, refusing packets longer
    /// than `max_len`.
    #[must_use]
    pub fn new(max_len: u32) -> Self {
        Self {
            cipher: Box::new(NoneCipher),
            sequence: SequenceNumber::default(),
            max_len,
            decompressor: None,
            state: Ok(Progress::Head(Vec::new())),
        }
    }

    /// Starts (`Some`, a fresh stream) or stops (`None`) decompressing
    /// payloads, from the next packet on.
    pub fn set_decompression(&mut self, decompressor: Option<Decompressor>) {
        self.decompressor = decompressor;
    }

    /// Whether payloads are being decompressed.
    #[must_use]
    pub const fn decompressing(&self) -> bool {
        self.decompressor.is_some()
    }

    /// The sequence number the next packet will get.
    #[must_use]
    pub const fn sequence(&self) -> SequenceNumber {
        self.sequence
    }

    /// Installs new keys (after NEWKEYS); takes effect from the next packet.
    pub fn set_cipher(&mut self, cipher: Box<dyn PacketCipher>) {
        self.cipher = cipher;
    }

    /// Resets the sequence number (strict KEX, after NEWKEYS).
    pub fn reset_sequence(&mut self) {
        self.sequence.reset();
    }

    /// Feeds received bytes; returns how many were consumed. Stops at the
    /// end of a packet: take it with [`Self::take_packet`], then feed the
    /// rest.
    ///
    /// # Errors
    /// [`PacketError`] for a length, alignment, padding or authentication
    /// failure; the decoder is then poisoned.
    pub fn input(&mut self, bytes: &[u8]) -> Result<usize, Error> {
        if let Err(first) = &self.state {
            return Err(first.clone());
        }
        let state = core::mem::replace(&mut self.state, Err(MisuseError::Poisoned.into()))?;
        match self.advance(state, bytes) {
            Ok((state, used)) => {
                self.state = Ok(state);
                Ok(used)
            }
            Err(e) => {
                self.state = Err(e.clone());
                Err(e)
            }
        }
    }

    /// The packet completed by [`Self::input`], if any.
    pub fn take_packet(&mut self) -> Option<Packet> {
        match core::mem::replace(&mut self.state, Ok(Progress::Head(Vec::new()))) {
            Ok(Progress::Ready(packet)) => Some(packet),
            other => {
                self.state = other;
                None
            }
        }
    }

    fn advance(&mut self, mut state: Progress, mut bytes: &[u8]) -> Result<(Progress, usize), Error> {
        let mut used = 0;
        // Rule: every iteration either consumes input, changes state or returns.
        loop {
            state = match state {
                Progress::Ready(_) => return Ok((state, used)),
                Progress::Head(mut head) => {
                    let need = self.cipher.length_bytes().max(4);
                    let (now, rest) = bytes.split_at((need - head.len()).min(bytes.len()));
                    head.extend_from_slice(now);
                    used += now.len();
                    bytes = rest;
                    if head.len() < need {
                        return Ok((Progress::Head(head), used));
                    }
                    let length = self.cipher.decrypt_length(self.sequence.get(), &mut head)?;
                    check_length(self.cipher.as_ref(), length, self.max_len)?;
                    // Bounded by max_len (checked above) plus the tag.
                    let total = 4 + length as usize + self.cipher.tag_len();
                    let mut buf = Vec::with_capacity(total);
                    buf.extend_from_slice(&head);
                    Progress::Body { length, buf, total }
                }
                Progress::Body { length, mut buf, total } => {
                    let (now, rest) = bytes.split_at((total - buf.len()).min(bytes.len()));
                    buf.extend_from_slice(now);
                    used += now.len();
                    bytes = rest;
                    if buf.len() < total {
                        return Ok((Progress::Body { length, buf, total }, used));
                    }
                    Progress::Ready(self.finish(length, buf)?)
                }
            };
        }
    }

    fn finish(&mut self, length: u32, mut buf: Vec<u8>) -> Result<Packet, Error> {
        let body_end = 4 + length as usize;
        let at = body_end.min(buf.len());
        let (packet, tag) = buf.split_at_mut(at);
        self.cipher.open(self.sequence.get(), packet, tag)?;
        let padding = *packet.get(4).ok_or(PacketError::TooShort { length, minimum: 5 })?;
        if padding < MIN_PADDING {
            return Err(PacketError::PaddingTooShort { padding }.into());
        }
        if u32::from(padding) >= length {
            return Err(PacketError::PaddingOverrun { padding, length }.into());
        }
        let payload_end = body_end - usize::from(padding);
        buf.truncate(payload_end);
        buf.drain(..5);
        let payload = match &mut self.decompressor {
            Some(d) => d.decompress(&buf, self.max_len as usize)?,
            None => buf,
        };
        let sequence = self.sequence.get();
        self.sequence.advance()?;
        Ok(Packet { sequence, payload })
    }
}

/// Sending side of the binary packet protocol.
pub struct PacketEncoder {
    cipher: Box<dyn PacketCipher>,
    sequence: SequenceNumber,
    max_len: u32,
    /// Compresses payloads once set.
    compressor: Option<Compressor>,
    /// Scratch for the compressed payload (kept to reuse its allocation).
    scratch: Vec<u8>,
}

impl core::fmt::Debug for PacketEncoder {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PacketEncoder")
            .field("cipher", &self.cipher.name())
            .field("sequence", &self.sequence)
            .field("compressing", &self.compressor.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for PacketEncoder {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_PACKET_LEN)
    }
}

impl PacketEncoder {
    /// An encoder in the initial "none" state.
    #[must_use]
    pub fn new(max_len: u32) -> Self {
        Self {
            cipher: Box::new(NoneCipher),
            sequence: SequenceNumber::default(),
            max_len,
            compressor: None,
            scratch: Vec::new(),
        }
    }

    /// Starts (`Some`, a fresh stream) or stops (`None`) compressing
    /// payloads, from the next packet on.
    pub fn set_compression(&mut self, compressor: Option<Compressor>) {
        self.compressor = compressor;
    }

    /// Whether payloads are being compressed.
    #[must_use]
    pub const fn compressing(&self) -> bool {
        self.compressor.is_some()
    }

    /// The sequence number the next packet will get.
    #[must_use]
    pub const fn sequence(&self) -> SequenceNumber {
        self.sequence
    }

    /// Installs new keys (after sending NEWKEYS).
    pub fn set_cipher(&mut self, cipher: Box<dyn PacketCipher>) {
        self.cipher = cipher;
    }

    /// Resets the sequence number (strict KEX, after NEWKEYS).
    pub fn reset_sequence(&mut self) {
        self.sequence.reset();
    }

    /// Frames, pads and protects `payload`, appending the packet to
    /// `out`; returns its sequence number.
    ///
    /// # Errors
    /// [`PacketError::PayloadTooLong`] over the packet limit (before or
    /// after compression), [`PacketError::SequenceWrapped`].
    pub fn encode(&mut self, payload: &[u8], random: &mut dyn Random, out: &mut Vec<u8>) -> Result<u32, Error> {
        let Some(compressor) = &mut self.compressor else { return self.frame(payload, random, out) };
        // The peer bounds what it inflates by its packet limit: so do we.
        if payload.len() > self.max_len as usize {
            return Err(PacketError::PayloadTooLong { length: payload.len() }.into());
        }
        let mut packed = core::mem::take(&mut self.scratch);
        packed.clear();
        let done = compressor.compress(payload, &mut packed).map_err(Error::from);
        let framed = done.and_then(|()| self.frame(&packed, random, out));
        self.scratch = packed;
        framed
    }

    /// Frames one (already compressed, if compression is on) payload.
    fn frame(&mut self, payload: &[u8], random: &mut dyn Random, out: &mut Vec<u8>) -> Result<u32, Error> {
        let block = self.cipher.block_size().max(8);
        let counted = if self.cipher.aligns_length_field() { 4 + 1 } else { 1 };
        let unpadded = counted + payload.len();
        let mut padding = block - unpadded % block;
        if padding < usize::from(MIN_PADDING) {
            padding += block;
        }
        let length = 1 + payload.len() + padding;
        let length32 = u32::try_from(length).map_err(|_| PacketError::PayloadTooLong { length: payload.len() })?;
        if length32 > self.max_len {
            return Err(PacketError::PayloadTooLong { length: payload.len() }.into());
        }
        check_length(self.cipher.as_ref(), length32, self.max_len)?;
        let sequence = self.sequence.get();
        self.sequence.advance()?;
        let start = out.len();
        out.extend_from_slice(&length32.to_be_bytes());
        // padding < 2 * block <= 255 for every block size up to 128 bytes.
        out.push(u8::try_from(padding).unwrap_or(u8::MAX));
        out.extend_from_slice(payload);
        let pad_start = out.len();
        out.resize(pad_start + padding, 0);
        if let Some(pad) = out.get_mut(pad_start..) {
            random.fill(pad);
        }
        let tag_start = out.len();
        out.resize(tag_start + self.cipher.tag_len(), 0);
        if let Some(region) = out.get_mut(start..) {
            let (packet, tag) = region.split_at_mut(tag_start - start);
            self.cipher.seal(sequence, packet, tag);
        }
        Ok(sequence)
    }
}

#[cfg(test)]
mod tests;
