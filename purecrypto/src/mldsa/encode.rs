//! Bit packing of polynomials (FIPS 204 §7.1): SimpleBitPack / BitPack and
//! their inverses, and the hint encoding.
//!
//! Entry points: [`pack`] / [`unpack`] (coefficients stored as
//! `offset - c`, or `c` when `offset` is `None`, in `bits` bits each,
//! little-endian bit order), [`pack_hints`] / [`unpack_hints`]
//! (HintBitPack / HintBitUnpack with every malformation check of
//! Algorithm 21).

use super::arith::{N, Poly};

/// Bytes taken by one polynomial at `bits` bits per coefficient.
pub(crate) const fn poly_bytes(bits: u32) -> usize {
    32 * bits as usize
}

/// Packs the 256 values `offset - c` (or `c`) into `out` (`32 bits` bytes).
pub(crate) fn pack(out: &mut [u8], poly: &Poly, bits: u32, offset: Option<i32>) {
    let mut acc = 0u64;
    let mut held = 0u32;
    let mut bytes = out.iter_mut();
    let mask = (1u64 << bits) - 1;
    for &c in poly {
        let v = match offset {
            Some(o) => o.wrapping_sub(c),
            None => c,
        };
        acc |= (u64::from(v as u32) & mask) << held;
        held += bits;
        while held >= 8 {
            if let Some(b) = bytes.next() {
                *b = acc as u8;
            }
            acc >>= 8;
            held -= 8;
        }
    }
}

/// Unpacks 256 coefficients written by [`pack`]; `input` is `32 bits`
/// bytes. Values are not range-checked here (callers check what FIPS 204
/// requires).
pub(crate) fn unpack(poly: &mut Poly, input: &[u8], bits: u32, offset: Option<i32>) {
    let mut acc = 0u64;
    let mut held = 0u32;
    let mut bytes = input.iter();
    let mask = (1u64 << bits) - 1;
    for c in poly.iter_mut() {
        while held < bits {
            acc |= u64::from(bytes.next().copied().unwrap_or(0)) << held;
            held += 8;
        }
        let v = (acc & mask) as i32;
        acc >>= bits;
        held -= bits;
        *c = match offset {
            Some(o) => o - v,
            None => v,
        };
    }
}

/// HintBitPack: `out` is omega + k bytes; `hints` holds k runs of 256
/// 0/1 bytes whose total weight is at most omega (checked by the signer).
pub(crate) fn pack_hints(out: &mut [u8], hints: &[u8], omega: usize) {
    out.fill(0);
    let mut index = 0usize;
    for (i, h) in hints.chunks_exact(N).enumerate() {
        for (j, &bit) in h.iter().enumerate() {
            if bit != 0 {
                if let Some(slot) = out.get_mut(index) {
                    *slot = j as u8;
                }
                index += 1;
            }
        }
        if let Some(slot) = out.get_mut(omega + i) {
            *slot = index as u8;
        }
    }
}

/// HintBitUnpack: `None` when the encoding is malformed (a count out of
/// order or above omega, indices not strictly increasing, or non-zero
/// padding), so that every hint vector has exactly one encoding.
pub(crate) fn unpack_hints(hints: &mut [Poly], input: &[u8], omega: usize) -> Option<()> {
    let (indices, counts) = input.split_at_checked(omega)?;
    let mut index = 0usize;
    for (h, &count) in hints.iter_mut().zip(counts) {
        *h = [0; N];
        let count = usize::from(count);
        if count < index || count > omega {
            return None;
        }
        let first = index;
        while index < count {
            let at = *indices.get(index)?;
            if index > first && *indices.get(index - 1)? >= at {
                return None;
            }
            *h.get_mut(usize::from(at))? = 1;
            index += 1;
        }
    }
    if indices.get(index..)?.iter().any(|&b| b != 0) {
        return None;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use alloc::vec;
    use alloc::vec::Vec;

    use super::*;

    #[test]
    fn pack_round_trips_every_width() {
        for (bits, offset, lo, hi) in
            [(10, None, 0, 1023), (3, Some(2), -2, 2), (4, Some(4), -4, 4), (13, Some(4096), -4095, 4096)]
        {
            let poly: Poly = core::array::from_fn(|i| lo + (i as i32 * 7919) % (hi - lo + 1));
            let mut bytes = vec![0u8; poly_bytes(bits)];
            pack(&mut bytes, &poly, bits, offset);
            let mut back = [0; N];
            unpack(&mut back, &bytes, bits, offset);
            assert_eq!(back, poly, "bits {bits}");
        }
    }

    #[test]
    fn hints_round_trip_and_reject_non_canonical() {
        let mut hints = [[0; N]; 2];
        hints[0][3] = 1;
        hints[0][200] = 1;
        hints[1][7] = 1;
        let mut bytes = [0u8; 10 + 2];
        let flat: Vec<u8> = hints.as_flattened().iter().map(|&b| b as u8).collect();
        pack_hints(&mut bytes, &flat, 10);
        let mut back = [[0; N]; 2];
        assert!(unpack_hints(&mut back, &bytes, 10).is_some());
        assert_eq!(back, hints);
        let mut swapped = bytes;
        swapped.swap(0, 1);
        assert!(unpack_hints(&mut back, &swapped, 10).is_none());
        let mut padded = bytes;
        padded[9] = 1;
        assert!(unpack_hints(&mut back, &padded, 10).is_none());
        let mut over = bytes;
        over[11] = 11;
        assert!(unpack_hints(&mut back, &over, 10).is_none());
    }
}
