//! The RISC-V BCJ converter (`.xz` filter id 0x0B, added in xz 5.6).
//!
//! Entry points: [`encode`] and [`decode`], each converting a buffer in
//! place from stream position `pos` and returning how many leading bytes
//! are final. Instructions are 16 or 32 bits (C extension), so the scan
//! moves in 2-byte steps, and a conversion needs 8 bytes in view.
//!
//! Two shapes are converted, both of them calls or address loads:
//! - `JAL` with rd = x1 or x5 (calls, not plain jumps): the 20-bit
//!   pc-relative offset becomes absolute and is stored with its bits in
//!   descending order, which compresses better than the J-type shuffle.
//! - `AUIPC rd` followed by a 32-bit instruction whose rs1 is that rd (the
//!   usual call / address / load / store pair): the pair is rewritten as an
//!   `AUIPC x2` carrying the second instruction's low 20 bits, followed by
//!   the absolute 32-bit target in big-endian order. `AUIPC x2` is the
//!   marker (x2 is the stack pointer, never an AUIPC target in practice);
//!   `AUIPC x0` (landing pads) is never touched. So that the transform is
//!   a bijection on arbitrary bytes, input that already looks like the
//!   marker is swapped by a position-free "fake" rewrite in both
//!   directions.

#[inline(always)]
fn le32(b: &[u8], i: usize) -> u32 {
    match b.get(i..i + 4) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
        _ => 0,
    }
}

#[inline(always)]
fn put(b: &mut [u8], i: usize, bytes: [u8; 4]) {
    if let Some(s) = b.get_mut(i..i + 4) {
        s.copy_from_slice(&bytes);
    }
}

#[inline(always)]
fn byte(b: &[u8], i: usize) -> u32 {
    u32::from(b.get(i).copied().unwrap_or(0))
}

/// The low 7 bits of an AUIPC.
const AUIPC: u32 = 0x17;
/// The first byte of a JAL whose rd is odd (x1, x5 are checked next).
const JAL_ODD_RD: u32 = 0xef;

/// Whether the JAL at `i` links through x1 (ra) or x5 (t0).
#[inline(always)]
fn jal_links(b1: u32) -> bool {
    // rd[4:1] sit in the low nibble of byte 1; x1 and x5 differ only in
    // rd bit 2.
    b1 & 0x0d == 0
}

/// The AUIPC's rd.
#[inline(always)]
const fn rd(inst: u32) -> u32 {
    (inst >> 7) & 0x1f
}

/// Whether `inst2` is a 32-bit instruction whose rs1 is `auipc`'s rd.
#[inline(always)]
const fn is_pair(auipc: u32, inst2: u32) -> bool {
    inst2 & 3 == 3 && (inst2 >> 15) & 0x1f == rd(auipc)
}

/// Whether `inst` (an AUIPC with rd x0 or x2) is the converted marker:
/// rd = x2, the packed second instruction's opcode bits set, and the
/// packed rs1 (bits 27..31) neither x0 nor x2.
#[inline(always)]
const fn is_marker(inst: u32) -> bool {
    let rs1 = inst >> 27;
    rd(inst) == 2 && (inst >> 12) & 3 == 3 && rs1 != 0 && rs1 != 2
}

/// The J-type immediate of the JAL whose upper bytes are b1..b3.
#[inline(always)]
fn jal_offset(b1: u32, b2: u32, b3: u32) -> u32 {
    // imm[20|10:1|11|19:12] occupy instruction bits 31..12.
    ((b1 & 0xf0) << 8)          // imm[15:12]
        | ((b2 & 0x0f) << 16)   // imm[19:16]
        | ((b2 & 0x10) << 7)    // imm[11]
        | ((b2 & 0xe0) >> 4)    // imm[3:1]
        | ((b3 & 0x7f) << 4)    // imm[10:4]
        | ((b3 & 0x80) << 13) // imm[20]
}

/// Converts `buf` (at stream position `pos`) for compression.
pub(super) fn encode(pos: u32, buf: &mut [u8]) -> usize {
    let mut i = 0;
    while i + 8 <= buf.len() {
        let b0 = byte(buf, i);
        let pc = pos.wrapping_add(i as u32);
        if b0 == JAL_ODD_RD {
            let b1 = byte(buf, i + 1);
            if !jal_links(b1) {
                i += 2;
                continue;
            }
            let target = jal_offset(b1, byte(buf, i + 2), byte(buf, i + 3)).wrapping_add(pc);
            // Target bits 20..1 in descending order over b1[7:4], b2, b3.
            if let Some(s) = buf.get_mut(i + 1..i + 4) {
                s.copy_from_slice(&[
                    ((b1 & 0x0f) | ((target >> 13) & 0xf0)) as u8,
                    (target >> 9) as u8,
                    (target >> 1) as u8,
                ]);
            }
            i += 4;
        } else if b0 & 0x7f == AUIPC {
            let inst = le32(buf, i);
            if rd(inst) != 0 && rd(inst) != 2 {
                let inst2 = le32(buf, i + 4);
                if !is_pair(inst, inst2) {
                    // Skip far enough that the second word's first half
                    // cannot start a conversion the decoder would not see.
                    i += 6;
                    continue;
                }
                // inst2's immediate is signed 12 bits.
                let imm12 = (inst2 >> 20).wrapping_sub((inst2 >> 19) & 0x1000);
                let target = (inst & 0xffff_f000).wrapping_add(imm12).wrapping_add(pc);
                put(buf, i, (AUIPC | (2 << 7) | (inst2 << 12)).to_le_bytes());
                put(buf, i + 4, target.to_be_bytes());
            } else {
                if !is_marker(inst) {
                    i += 4;
                    continue;
                }
                // Input already shaped like the marker: swap it into a
                // plain AUIPC pair (no position, little endian) so the
                // decoder's rewrite gives it back.
                let word = le32(buf, i + 4);
                let fake_inst2 = (inst >> 12) | (word << 20);
                let fake = AUIPC | ((inst >> 27) << 7) | (word & 0xffff_f000);
                put(buf, i, fake.to_le_bytes());
                put(buf, i + 4, fake_inst2.to_le_bytes());
            }
            i += 8;
        } else {
            i += 2;
        }
    }
    i
}

/// Undoes [`encode`] on `buf` (at stream position `pos`).
pub(super) fn decode(pos: u32, buf: &mut [u8]) -> usize {
    let mut i = 0;
    while i + 8 <= buf.len() {
        let b0 = byte(buf, i);
        let pc = pos.wrapping_add(i as u32);
        if b0 == JAL_ODD_RD {
            let b1 = byte(buf, i + 1);
            if !jal_links(b1) {
                i += 2;
                continue;
            }
            let target = ((b1 & 0xf0) << 13) | (byte(buf, i + 2) << 9) | (byte(buf, i + 3) << 1);
            let off = target.wrapping_sub(pc);
            // Back into the J-type order imm[20|10:1|11|19:12].
            if let Some(s) = buf.get_mut(i + 1..i + 4) {
                s.copy_from_slice(&[
                    ((b1 & 0x0f) | ((off >> 8) & 0xf0)) as u8,
                    (((off >> 16) & 0x0f) | ((off >> 7) & 0x10) | ((off << 4) & 0xe0)) as u8,
                    (((off >> 4) & 0x7f) | ((off >> 13) & 0x80)) as u8,
                ]);
            }
            i += 4;
        } else if b0 & 0x7f == AUIPC {
            let inst = le32(buf, i);
            let (first, second) = if rd(inst) != 0 && rd(inst) != 2 {
                let inst2 = le32(buf, i + 4);
                if !is_pair(inst, inst2) {
                    i += 6;
                    continue;
                }
                // A plain pair here was a marker-shaped input: restore it.
                let word = (inst & 0xffff_f000).wrapping_add(inst2 >> 20);
                (AUIPC | (2 << 7) | (inst2 << 12), word)
            } else {
                if !is_marker(inst) {
                    i += 4;
                    continue;
                }
                let word = le32(buf, i + 4).swap_bytes();
                let off = word.wrapping_sub(pc);
                let rs1 = inst >> 27;
                let inst2 = (inst >> 12) | (off << 20);
                // AUIPC's part rounds so that inst2's signed immediate
                // lands on the target.
                (AUIPC | (rs1 << 7) | (off.wrapping_add(0x800) & 0xffff_f000), inst2)
            };
            put(buf, i, first.to_le_bytes());
            put(buf, i + 4, second.to_le_bytes());
            i += 8;
        } else {
            i += 2;
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn auipc_jalr_call_becomes_marker_and_big_endian_target() {
        // At pc 0x100: auipc ra, 0x1 ; jalr ra, -42(ra)  -> target 0x10d6.
        let auipc: u32 = 0x17 | (1 << 7) | (1 << 12);
        let jalr: u32 = 0x67 | (1 << 7) | (1 << 15) | (((-42i32) as u32) << 20);
        let mut buf = Vec::new();
        buf.extend_from_slice(&auipc.to_le_bytes());
        buf.extend_from_slice(&jalr.to_le_bytes());
        let plain = buf.clone();
        assert_eq!(encode(0x100, &mut buf), 8);
        assert_eq!(buf[4..], [0x00, 0x00, 0x10, 0xd6]);
        assert_eq!(le32(&buf, 0), 0x17 | (2 << 7) | (jalr << 12));
        assert_eq!(decode(0x100, &mut buf), 8);
        assert_eq!(buf, plain);
    }

    #[test]
    fn jal_ra_offset_becomes_absolute() {
        // At pc 0x1000: jal ra, +0x800 (imm[11] set) -> target 0x1800,
        // stored as bits 20..17 | 16..9 | 8..1 = 0x0 | 0x0c | 0x00.
        let mut buf = [0xef, 0x00, 0x10, 0x00, 0x13, 0, 0, 0];
        let plain = buf;
        encode(0x1000, &mut buf);
        assert_eq!(buf[..4], [0xef, 0x00, 0x0c, 0x00]);
        decode(0x1000, &mut buf);
        assert_eq!(buf, plain);
        // jal zero (a plain jump) is left alone.
        let mut jump = [0x6f, 0x00, 0x10, 0x00, 0, 0, 0, 0];
        encode(0x1000, &mut jump);
        assert_eq!(jump, [0x6f, 0x00, 0x10, 0x00, 0, 0, 0, 0]);
    }

    #[test]
    fn marker_shaped_input_and_random_bytes_round_trip() {
        let mut x = 0x1234_5678u32;
        let mut data: Vec<u8> = (0..20_000)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                match i % 29 {
                    0 => 0xef,
                    7 => 0x17,
                    8 => 0x31, // rd = x2, bits 12..13 set: marker-shaped
                    13 => 0x97,
                    _ => (x >> 24) as u8,
                }
            })
            .collect();
        data.extend_from_slice(&[0x17, 0x31, 0, 0x18, 1, 2, 3, 4]);
        let mut buf = data.clone();
        let n = encode(0, &mut buf);
        assert!(n + 8 >= data.len());
        assert_ne!(buf, data);
        let mut back = buf.clone();
        let first = decode(0, &mut back[..7777]);
        let second = decode(first as u32, &mut back[first..n]);
        assert_eq!(back[..first + second], data[..first + second]);
    }
}
