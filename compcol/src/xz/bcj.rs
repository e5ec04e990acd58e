//! Branch/call/jump (BCJ) converters and the delta filter: reversible
//! transforms that turn relative branch targets into absolute ones (and
//! back) so that LZMA finds more repeats in machine code.
//!
//! Entry points: [`Bcj`] (one converter with its position and x86 state;
//! [`Bcj::convert`] filters a buffer in place and says how many bytes it
//! finished; the RISC-V converter lives in `riscv`) and [`Delta`]. The
//! algorithms follow the `.xz` file format specification's filter
//! descriptions (RISC-V: xz 5.6's filter 0x0B); every converter works on whole
//! instructions, so the unfinished tail of a buffer is kept until more
//! data arrives (or passes through unchanged at the end of the data).

mod riscv;

/// Which BCJ architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BcjArch {
    /// x86 / x86-64 (filter id 0x04).
    X86,
    /// PowerPC, big endian (0x05).
    PowerPc,
    /// IA-64 / Itanium (0x06).
    Ia64,
    /// 32-bit ARM (0x07).
    Arm,
    /// ARM Thumb (0x08).
    ArmThumb,
    /// SPARC (0x09).
    Sparc,
    /// ARM64 / AArch64 (0x0A).
    Arm64,
    /// RISC-V, 32 and 64 bit, either endianness (0x0B; xz 5.6 and later).
    RiscV,
}

impl BcjArch {
    /// The `.xz` filter id.
    #[must_use]
    pub const fn id(self) -> u64 {
        match self {
            Self::X86 => 0x04,
            Self::PowerPc => 0x05,
            Self::Ia64 => 0x06,
            Self::Arm => 0x07,
            Self::ArmThumb => 0x08,
            Self::Sparc => 0x09,
            Self::Arm64 => 0x0a,
            Self::RiscV => 0x0b,
        }
    }

    /// The architecture for a filter id.
    #[must_use]
    pub const fn from_id(id: u64) -> Option<Self> {
        Some(match id {
            0x04 => Self::X86,
            0x05 => Self::PowerPc,
            0x06 => Self::Ia64,
            0x07 => Self::Arm,
            0x08 => Self::ArmThumb,
            0x09 => Self::Sparc,
            0x0a => Self::Arm64,
            0x0b => Self::RiscV,
            _ => return None,
        })
    }

    /// Instruction alignment: the start offset must be a multiple.
    #[must_use]
    pub const fn alignment(self) -> u32 {
        match self {
            Self::X86 => 1,
            Self::ArmThumb | Self::RiscV => 2,
            Self::Ia64 => 16,
            _ => 4,
        }
    }
}

/// One BCJ converter: architecture, current position, x86 prefix state.
#[derive(Debug, Clone)]
pub(crate) struct Bcj {
    arch: BcjArch,
    encode: bool,
    pos: u32,
    x86_prev_mask: u32,
    x86_prev_pos: u32,
}

#[inline(always)]
fn get(b: &[u8], i: usize) -> u32 {
    u32::from(b.get(i).copied().unwrap_or(0))
}

#[inline(always)]
fn set(b: &mut [u8], i: usize, v: u32) {
    if let Some(s) = b.get_mut(i) {
        *s = v as u8;
    }
}

/// Whether an x86 displacement's top byte is 0x00 or 0xFF.
#[inline(always)]
const fn x86_ms_byte(b: u32) -> bool {
    (b.wrapping_add(1) & 0xfe) == 0
}

impl Bcj {
    /// A converter starting at `start` (the filter's start offset).
    pub(crate) const fn new(arch: BcjArch, encode: bool, start: u32) -> Self {
        Self { arch, encode, pos: start, x86_prev_mask: 0, x86_prev_pos: start.wrapping_sub(5) }
    }

    /// Converts `buf` in place; returns how many leading bytes are final.
    pub(crate) fn convert(&mut self, buf: &mut [u8]) -> usize {
        let done = match self.arch {
            BcjArch::X86 => self.x86(buf),
            BcjArch::Arm => self.arm(buf),
            BcjArch::ArmThumb => self.arm_thumb(buf),
            BcjArch::PowerPc => self.powerpc(buf),
            BcjArch::Sparc => self.sparc(buf),
            BcjArch::Arm64 => self.arm64(buf),
            BcjArch::Ia64 => self.ia64(buf),
            BcjArch::RiscV if self.encode => riscv::encode(self.pos, buf),
            BcjArch::RiscV => riscv::decode(self.pos, buf),
        };
        self.pos = self.pos.wrapping_add(done as u32);
        done
    }

    #[inline(always)]
    fn rel(&self, target: u32, at: u32) -> u32 {
        if self.encode { target.wrapping_add(at) } else { target.wrapping_sub(at) }
    }

    fn x86(&mut self, buf: &mut [u8]) -> usize {
        const ALLOWED: [bool; 8] = [true, true, true, false, true, false, false, false];
        const BIT: [u32; 8] = [0, 1, 2, 2, 3, 3, 3, 3];
        if buf.len() < 5 {
            return 0;
        }
        let now = self.pos;
        let mut prev_mask = self.x86_prev_mask;
        let mut prev_pos = self.x86_prev_pos;
        if now.wrapping_sub(prev_pos) > 5 {
            prev_pos = now.wrapping_sub(5);
        }
        let limit = buf.len() - 5;
        let mut i = 0usize;
        while i <= limit {
            let b = get(buf, i);
            if b != 0xe8 && b != 0xe9 {
                i += 1;
                continue;
            }
            let here = now.wrapping_add(i as u32);
            let offset = here.wrapping_sub(prev_pos);
            prev_pos = here;
            if offset > 5 {
                prev_mask = 0;
            } else {
                for _ in 0..offset {
                    prev_mask &= 0x77;
                    prev_mask <<= 1;
                }
            }
            let b4 = get(buf, i + 4);
            let idx = ((prev_mask >> 1) & 7) as usize;
            if x86_ms_byte(b4) && ALLOWED.get(idx).copied().unwrap_or(false) && (prev_mask >> 1) < 0x10 {
                let mut src = (b4 << 24) | (get(buf, i + 3) << 16) | (get(buf, i + 2) << 8) | get(buf, i + 1);
                let at = here.wrapping_add(5);
                let mut dest;
                loop {
                    dest = self.rel(src, at);
                    if prev_mask == 0 {
                        break;
                    }
                    let k = BIT.get((prev_mask >> 1) as usize).copied().unwrap_or(0);
                    let bb = (dest >> (24 - k * 8)) & 0xff;
                    if !x86_ms_byte(bb) {
                        break;
                    }
                    src = dest ^ ((1u32 << (32 - k * 8)) - 1);
                }
                set(buf, i + 4, !(((dest >> 24) & 1).wrapping_sub(1)));
                set(buf, i + 3, dest >> 16);
                set(buf, i + 2, dest >> 8);
                set(buf, i + 1, dest);
                i += 5;
                prev_mask = 0;
            } else {
                i += 1;
                prev_mask |= 1;
                if x86_ms_byte(b4) {
                    prev_mask |= 0x10;
                }
            }
        }
        self.x86_prev_mask = prev_mask;
        self.x86_prev_pos = prev_pos;
        i
    }

    fn arm(&self, buf: &mut [u8]) -> usize {
        let mut i = 0;
        while i + 4 <= buf.len() {
            if get(buf, i + 3) == 0xeb {
                let src = ((get(buf, i + 2) << 16) | (get(buf, i + 1) << 8) | get(buf, i)) << 2;
                let dest = self.rel(src, self.pos.wrapping_add(i as u32 + 8)) >> 2;
                set(buf, i + 2, dest >> 16);
                set(buf, i + 1, dest >> 8);
                set(buf, i, dest);
            }
            i += 4;
        }
        i
    }

    fn arm_thumb(&self, buf: &mut [u8]) -> usize {
        let mut i = 0;
        while i + 4 <= buf.len() {
            if get(buf, i + 1) & 0xf8 == 0xf0 && get(buf, i + 3) & 0xf8 == 0xf8 {
                let src = (((get(buf, i + 1) & 7) << 19)
                    | (get(buf, i) << 11)
                    | ((get(buf, i + 3) & 7) << 8)
                    | get(buf, i + 2))
                    << 1;
                let dest = self.rel(src, self.pos.wrapping_add(i as u32 + 4)) >> 1;
                set(buf, i + 1, 0xf0 | ((dest >> 19) & 7));
                set(buf, i, dest >> 11);
                set(buf, i + 3, 0xf8 | ((dest >> 8) & 7));
                set(buf, i + 2, dest);
                i += 2;
            }
            i += 2;
        }
        i
    }

    fn powerpc(&self, buf: &mut [u8]) -> usize {
        let mut i = 0;
        while i + 4 <= buf.len() {
            if get(buf, i) >> 2 == 0x12 && get(buf, i + 3) & 3 == 1 {
                let src = ((get(buf, i) & 3) << 24)
                    | (get(buf, i + 1) << 16)
                    | (get(buf, i + 2) << 8)
                    | (get(buf, i + 3) & !3);
                let dest = self.rel(src, self.pos.wrapping_add(i as u32));
                set(buf, i, 0x48 | ((dest >> 24) & 3));
                set(buf, i + 1, dest >> 16);
                set(buf, i + 2, dest >> 8);
                set(buf, i + 3, (get(buf, i + 3) & 3) | (dest & 0xff & !3));
            }
            i += 4;
        }
        i
    }

    fn sparc(&self, buf: &mut [u8]) -> usize {
        let mut i = 0;
        while i + 4 <= buf.len() {
            let (b0, b1) = (get(buf, i), get(buf, i + 1));
            if (b0 == 0x40 && b1 & 0xc0 == 0) || (b0 == 0x7f && b1 & 0xc0 == 0xc0) {
                let src = ((b0 << 24) | (b1 << 16) | (get(buf, i + 2) << 8) | get(buf, i + 3)) << 2;
                let mut dest = self.rel(src, self.pos.wrapping_add(i as u32)) >> 2;
                dest = ((0u32.wrapping_sub((dest >> 22) & 1) << 22) & 0x3fff_ffff) | (dest & 0x3f_ffff) | 0x4000_0000;
                set(buf, i, dest >> 24);
                set(buf, i + 1, dest >> 16);
                set(buf, i + 2, dest >> 8);
                set(buf, i + 3, dest);
            }
            i += 4;
        }
        i
    }

    fn arm64(&self, buf: &mut [u8]) -> usize {
        let mut i = 0;
        while i + 4 <= buf.len() {
            let pc = self.pos.wrapping_add(i as u32);
            let mut ins = get(buf, i) | (get(buf, i + 1) << 8) | (get(buf, i + 2) << 16) | (get(buf, i + 3) << 24);
            let mut changed = false;
            if ins >> 26 == 0x25 {
                // BL: 26-bit word offset.
                let p = if self.encode { pc >> 2 } else { 0u32.wrapping_sub(pc >> 2) };
                ins = 0x9400_0000 | (ins.wrapping_add(p) & 0x03ff_ffff);
                changed = true;
            } else if ins & 0x9f00_0000 == 0x9000_0000 {
                // ADRP: only small page offsets (+-512 MiB) are converted.
                let src = ((ins >> 29) & 3) | ((ins >> 3) & 0x001f_fffc);
                if src.wrapping_add(0x0002_0000) & 0x001c_0000 == 0 {
                    let p = if self.encode { pc >> 12 } else { 0u32.wrapping_sub(pc >> 12) };
                    let dest = src.wrapping_add(p);
                    ins &= 0x9000_001f;
                    ins |= (dest & 3) << 29;
                    ins |= (dest & 0x0003_fffc) << 3;
                    ins |= 0u32.wrapping_sub(dest & 0x0002_0000) & 0x00e0_0000;
                    changed = true;
                }
            }
            if changed {
                for k in 0..4 {
                    set(buf, i + k, ins >> (8 * k));
                }
            }
            i += 4;
        }
        i
    }

    fn ia64(&self, buf: &mut [u8]) -> usize {
        const BRANCH: [u32; 32] =
            [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 6, 6, 0, 0, 7, 7, 4, 4, 0, 0, 4, 4, 0, 0];
        let mut i = 0;
        while i + 16 <= buf.len() {
            let mask = BRANCH.get((get(buf, i) & 0x1f) as usize).copied().unwrap_or(0);
            let mut bit_pos = 5u32;
            for slot in 0..3 {
                if (mask >> slot) & 1 != 0 {
                    let byte_pos = (bit_pos >> 3) as usize;
                    let bit_res = bit_pos & 7;
                    let mut insn = 0u64;
                    for j in 0..6 {
                        insn |= u64::from(get(buf, i + j + byte_pos)) << (8 * j);
                    }
                    let mut norm = insn >> bit_res;
                    if (norm >> 37) & 0xf == 0x5 && (norm >> 9) & 7 == 0 {
                        let mut src = ((norm >> 13) & 0xf_ffff) as u32;
                        src |= (((norm >> 36) & 1) as u32) << 20;
                        src <<= 4;
                        let dest = self.rel(src, self.pos.wrapping_add(i as u32)) >> 4;
                        norm &= !(0x8f_ffffu64 << 13);
                        norm |= u64::from(dest & 0xf_ffff) << 13;
                        norm |= u64::from(dest & 0x10_0000) << (36 - 20);
                        insn &= (1u64 << bit_res) - 1;
                        insn |= norm << bit_res;
                        for j in 0..6 {
                            set(buf, i + j + byte_pos, (insn >> (8 * j)) as u32);
                        }
                    }
                }
                bit_pos += 41;
            }
            i += 16;
        }
        i
    }
}

/// The delta filter: each byte minus (encode) or plus (decode) the byte
/// `distance` before it.
#[derive(Debug, Clone)]
pub(crate) struct Delta {
    encode: bool,
    distance: usize,
    history: [u8; 256],
    pos: u8,
}

impl Delta {
    /// `distance` in 1..=256.
    pub(crate) const fn new(encode: bool, distance: usize) -> Self {
        Self { encode, distance, history: [0; 256], pos: 0 }
    }

    /// Filters all of `buf` in place.
    pub(crate) fn convert(&mut self, buf: &mut [u8]) {
        for b in buf.iter_mut() {
            let back = self.history.get(usize::from(self.pos.wrapping_add(self.distance as u8))).copied().unwrap_or(0);
            let orig = *b;
            let plain = if self.encode { orig } else { orig.wrapping_add(back) };
            if self.encode {
                *b = orig.wrapping_sub(back);
            } else {
                *b = plain;
            }
            if let Some(h) = self.history.get_mut(usize::from(self.pos)) {
                *h = plain;
            }
            self.pos = self.pos.wrapping_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn sample() -> Vec<u8> {
        let mut x = 0x2545_f491u32;
        (0..5000)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                // Sprinkle opcodes every converter looks for.
                match i % 37 {
                    0 => 0xe8,
                    5 => 0xeb,
                    9 => 0x48,
                    13 => 0xf0,
                    15 => 0xf8,
                    21 => 0x94,
                    25 => 0x17,
                    29 => 0xef,
                    _ => (x >> 24) as u8,
                }
            })
            .collect()
    }

    #[test]
    fn every_converter_inverts_itself_at_any_split() {
        let data = sample();
        for arch in [
            BcjArch::X86,
            BcjArch::Arm,
            BcjArch::ArmThumb,
            BcjArch::PowerPc,
            BcjArch::Sparc,
            BcjArch::Arm64,
            BcjArch::Ia64,
            BcjArch::RiscV,
        ] {
            let mut enc = data.clone();
            let mut e = Bcj::new(arch, true, 0);
            let n = e.convert(&mut enc);
            assert!(n + 16 >= data.len(), "{arch:?}");
            assert_ne!(enc, data, "{arch:?} changed nothing");
            // Decode in two uneven pieces, carrying the unfinished tail.
            let mut d = Bcj::new(arch, false, 0);
            let mut out = enc.clone();
            let first = d.convert(&mut out[..1234]);
            let second = d.convert(&mut out[first..n]);
            let done = first + second;
            assert!(done + 16 >= n, "{arch:?}");
            assert_eq!(out[..done], data[..done], "{arch:?}");
        }
    }

    #[test]
    fn delta_inverts_itself() {
        let data = sample();
        for dist in [1, 2, 4, 7, 256] {
            let mut buf = data.clone();
            Delta::new(true, dist).convert(&mut buf);
            let mut d = Delta::new(false, dist);
            let (a, b) = buf.split_at_mut(100);
            d.convert(a);
            d.convert(b);
            assert_eq!(buf, data, "distance {dist}");
        }
    }
}
