//! Argon2d, Argon2i and Argon2id (RFC 9106), version 0x13.
//!
//! Entry points: [`Argon2Params::new`] and [`argon2`]. Lanes are filled one
//! after another in a single thread (the result is the same as a parallel
//! run). Argon2i's memory accesses are independent of the password;
//! Argon2d's (and Argon2id's after its first half pass) depend on it by
//! design. Memory is allocated fallibly and zeroized.
//! Invariant: `lanes * lane_len == blocks`, `lane_len == 4 * segment_len`.

use alloc::vec::Vec;

use crate::Error;
use crate::hash::Blake2b;
use zeroize::Zeroize;

/// Words per 1 KiB block.
const WORDS: usize = 128;
type Block = [u64; WORDS];
const VERSION: u32 = 0x13;
/// Most memory accepted, in KiB (4 GiB).
const MAX_M_COST: u32 = 1 << 22;

/// Which Argon2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Argon2Variant {
    /// Data-dependent addressing (fastest, side-channel sensitive).
    Argon2d,
    /// Data-independent addressing.
    Argon2i,
    /// Argon2i for the first half pass, then Argon2d (RFC 9106's default).
    Argon2id,
}

impl Argon2Variant {
    const fn code(self) -> u32 {
        match self {
            Self::Argon2d => 0,
            Self::Argon2i => 1,
            Self::Argon2id => 2,
        }
    }
}

/// Argon2 costs. Invariant: `1 <= parallelism < 2^24`, `t_cost >= 1`,
/// `8 * parallelism <= m_cost <= 2^22` (KiB).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Argon2Params {
    m_cost: u32,
    t_cost: u32,
    parallelism: u32,
}

impl Argon2Params {
    /// Memory in KiB, passes, lanes.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when the invariant does not hold.
    pub fn new(m_cost: u32, t_cost: u32, parallelism: u32) -> Result<Self, Error> {
        if parallelism == 0 || parallelism >= 1 << 24 {
            return Err(Error::InvalidParameter { what: "Argon2 parallelism", reason: "1..2^24" });
        }
        if t_cost == 0 {
            return Err(Error::InvalidParameter { what: "Argon2 t_cost", reason: "at least 1" });
        }
        if m_cost < 8 * parallelism || m_cost > MAX_M_COST {
            return Err(Error::InvalidParameter { what: "Argon2 m_cost", reason: "8 * parallelism ..= 2^22 KiB" });
        }
        Ok(Self { m_cost, t_cost, parallelism })
    }
}

fn blake2b(out_len: usize, parts: &[&[u8]], out: &mut [u8]) -> Result<(), Error> {
    let mut h = Blake2b::new(out_len)?;
    parts.iter().for_each(|p| h.update(p));
    h.finalize_into(out);
    Ok(())
}

/// H' (RFC 9106 section 3.3): variable-length hash built from BLAKE2b.
fn h_prime(out: &mut [u8], parts: &[&[u8]]) -> Result<(), Error> {
    let len = u32::try_from(out.len()).map_err(|_| Error::InvalidLength {
        what: "Argon2 tag",
        expected: "below 2^32",
        actual: out.len(),
    })?;
    let prefix = len.to_le_bytes();
    let mut all: Vec<&[u8]> = Vec::with_capacity(parts.len() + 1);
    all.push(&prefix);
    all.extend_from_slice(parts);
    if out.len() <= 64 {
        return blake2b(out.len(), &all, out);
    }
    let mut v = [0u8; 64];
    blake2b(64, &all, &mut v)?;
    let mut pos = 0;
    loop {
        if let Some(dst) = out.get_mut(pos..pos + 32) {
            dst.copy_from_slice(v.get(..32).unwrap_or_default());
        }
        pos += 32;
        if out.len() - pos <= 64 {
            break;
        }
        let prev = v;
        blake2b(64, &[&prev], &mut v)?;
    }
    let rest = out.len() - pos;
    let prev = v;
    blake2b(rest, &[&prev], out.get_mut(pos..).unwrap_or_default())?;
    v.zeroize();
    Ok(())
}

/// BLAKE2b's round with Argon2's multiply-hardened G on 16 words.
// Indices are fixed and below 16.
#[allow(clippy::indexing_slicing)]
fn permute(v: &mut [u64; 16]) {
    fn fbla(a: u64, b: u64) -> u64 {
        a.wrapping_add(b).wrapping_add(2u64.wrapping_mul(u64::from(a as u32)).wrapping_mul(u64::from(b as u32)))
    }
    macro_rules! gb {
        ($a:expr, $b:expr, $c:expr, $d:expr) => {
            v[$a] = fbla(v[$a], v[$b]);
            v[$d] = (v[$d] ^ v[$a]).rotate_right(32);
            v[$c] = fbla(v[$c], v[$d]);
            v[$b] = (v[$b] ^ v[$c]).rotate_right(24);
            v[$a] = fbla(v[$a], v[$b]);
            v[$d] = (v[$d] ^ v[$a]).rotate_right(16);
            v[$c] = fbla(v[$c], v[$d]);
            v[$b] = (v[$b] ^ v[$c]).rotate_right(63);
        };
    }
    gb!(0, 4, 8, 12);
    gb!(1, 5, 9, 13);
    gb!(2, 6, 10, 14);
    gb!(3, 7, 11, 15);
    gb!(0, 5, 10, 15);
    gb!(1, 6, 11, 12);
    gb!(2, 7, 8, 13);
    gb!(3, 4, 9, 14);
}

/// The compression function G: `out = P(x ^ y) ^ (x ^ y)`, XORed into
/// `out` instead when `xor_into` (passes after the first).
// Indices: rows 16 i + k and columns 16 j + 2 i + {0,1}, all below 128.
#[allow(clippy::indexing_slicing)]
fn compress(x: &Block, y: &Block, out: &mut Block, xor_into: bool) {
    let mut r = [0u64; WORDS];
    for ((ri, a), b) in r.iter_mut().zip(x.iter()).zip(y.iter()) {
        *ri = a ^ b;
    }
    let mut z = r;
    for row in 0..8 {
        let mut v = [0u64; 16];
        v.copy_from_slice(&z[16 * row..16 * row + 16]);
        permute(&mut v);
        z[16 * row..16 * row + 16].copy_from_slice(&v);
    }
    for col in 0..8 {
        let mut v = [0u64; 16];
        for j in 0..8 {
            v[2 * j] = z[16 * j + 2 * col];
            v[2 * j + 1] = z[16 * j + 2 * col + 1];
        }
        permute(&mut v);
        for j in 0..8 {
            z[16 * j + 2 * col] = v[2 * j];
            z[16 * j + 2 * col + 1] = v[2 * j + 1];
        }
    }
    for ((o, zi), ri) in out.iter_mut().zip(z.iter()).zip(r.iter()) {
        *o = if xor_into { *o ^ zi ^ ri } else { zi ^ ri };
    }
}

fn block_from_bytes(bytes: &[u8; 1024]) -> Block {
    let mut b = [0u64; WORDS];
    for (w, c) in b.iter_mut().zip(bytes.chunks_exact(8)) {
        let mut le = [0u8; 8];
        le.copy_from_slice(c);
        *w = u64::from_le_bytes(le);
    }
    b
}

/// Argon2: fills `out` (at least 4 bytes) from `password` and `salt` (at
/// least 8 bytes), with an optional `secret` key and associated data.
///
/// # Errors
/// [`Error::InvalidLength`] for a short salt or tag,
/// [`Error::InvalidParameter`] when memory cannot be allocated.
#[allow(clippy::too_many_arguments)]
pub fn argon2(
    variant: Argon2Variant,
    params: &Argon2Params,
    password: &[u8],
    salt: &[u8],
    secret: &[u8],
    associated_data: &[u8],
    out: &mut [u8],
) -> Result<(), Error> {
    if salt.len() < 8 {
        return Err(Error::InvalidLength { what: "Argon2 salt", expected: "at least 8", actual: salt.len() });
    }
    if out.len() < 4 {
        return Err(Error::InvalidLength { what: "Argon2 tag", expected: "at least 4", actual: out.len() });
    }
    let le = |n: usize| (n as u32).to_le_bytes();
    let lanes = params.parallelism as usize;
    let mut h0 = [0u8; 72];
    blake2b(
        64,
        &[
            &params.parallelism.to_le_bytes(),
            &le(out.len()),
            &params.m_cost.to_le_bytes(),
            &params.t_cost.to_le_bytes(),
            &VERSION.to_le_bytes(),
            &variant.code().to_le_bytes(),
            &le(password.len()),
            password,
            &le(salt.len()),
            salt,
            &le(secret.len()),
            secret,
            &le(associated_data.len()),
            associated_data,
        ],
        h0.get_mut(..64).unwrap_or_default(),
    )?;

    let segment_len = params.m_cost as usize / (4 * lanes);
    let lane_len = 4 * segment_len;
    let blocks = lane_len * lanes;
    let mut memory: Vec<Block> = Vec::new();
    memory
        .try_reserve_exact(blocks)
        .map_err(|_| Error::InvalidParameter { what: "Argon2 memory", reason: "allocation failed" })?;
    memory.resize(blocks, [0u64; WORDS]);

    let mut bytes = [0u8; 1024];
    for lane in 0..lanes {
        for j in 0..2usize {
            h_prime(&mut bytes, &[h0.get(..64).unwrap_or_default(), &le(j), &le(lane)])?;
            if let Some(b) = memory.get_mut(lane * lane_len + j) {
                *b = block_from_bytes(&bytes);
            }
        }
    }
    bytes.zeroize();
    h0.zeroize();

    let ctx = Context { variant, params: *params, lanes, lane_len, segment_len, blocks };
    for pass in 0..params.t_cost {
        for slice in 0..4 {
            for lane in 0..lanes {
                fill_segment(&ctx, &mut memory, pass, slice, lane);
            }
        }
    }

    let mut last = [0u64; WORDS];
    for lane in 0..lanes {
        if let Some(b) = memory.get(lane * lane_len + lane_len - 1) {
            for (a, x) in last.iter_mut().zip(b.iter()) {
                *a ^= x;
            }
        }
    }
    let mut last_bytes = [0u8; 1024];
    for (c, w) in last_bytes.chunks_exact_mut(8).zip(last.iter()) {
        c.copy_from_slice(&w.to_le_bytes());
    }
    let result = h_prime(out, &[&last_bytes]);
    last_bytes.zeroize();
    last.zeroize();
    memory.iter_mut().for_each(Zeroize::zeroize);
    result
}

struct Context {
    variant: Argon2Variant,
    params: Argon2Params,
    lanes: usize,
    lane_len: usize,
    segment_len: usize,
    blocks: usize,
}

/// Fills one segment (a quarter of one lane) of one pass.
fn fill_segment(ctx: &Context, memory: &mut [Block], pass: u32, slice: usize, lane: usize) {
    let data_independent = match ctx.variant {
        Argon2Variant::Argon2i => true,
        Argon2Variant::Argon2d => false,
        Argon2Variant::Argon2id => pass == 0 && slice < 2,
    };
    let zero = [0u64; WORDS];
    let mut input = [0u64; WORDS];
    let mut addresses = [0u64; WORDS];
    if data_independent {
        input[0] = u64::from(pass);
        input[1] = lane as u64;
        input[2] = slice as u64;
        input[3] = ctx.blocks as u64;
        input[4] = u64::from(ctx.params.t_cost);
        input[5] = u64::from(ctx.variant.code());
    }
    let next_addresses = |input: &mut Block, addresses: &mut Block| {
        input[6] += 1;
        let mut tmp = [0u64; WORDS];
        compress(&zero, input, &mut tmp, false);
        compress(&zero, &tmp, addresses, false);
    };
    let start = if pass == 0 && slice == 0 { 2 } else { 0 };
    if data_independent && start != 0 {
        next_addresses(&mut input, &mut addresses);
    }
    for index in start..ctx.segment_len {
        let col = slice * ctx.segment_len + index;
        let cur = lane * ctx.lane_len + col;
        let prev = if col == 0 { cur + ctx.lane_len - 1 } else { cur - 1 };
        let pseudo = if data_independent {
            if index % WORDS == 0 {
                next_addresses(&mut input, &mut addresses);
            }
            addresses.get(index % WORDS).copied().unwrap_or(0)
        } else {
            memory.get(prev).map_or(0, |b| b[0])
        };
        let j1 = pseudo & 0xffff_ffff;
        let j2 = pseudo >> 32;
        let ref_lane = if pass == 0 && slice == 0 { lane } else { (j2 % ctx.lanes as u64) as usize };
        let same_lane = ref_lane == lane;
        // Blocks the reference may point at (RFC 9106 section 3.4.1.2).
        let area = if pass == 0 {
            if same_lane {
                slice * ctx.segment_len + index - 1
            } else {
                slice * ctx.segment_len - usize::from(index == 0)
            }
        } else if same_lane {
            ctx.lane_len - ctx.segment_len + index - 1
        } else {
            ctx.lane_len - ctx.segment_len - usize::from(index == 0)
        } as u64;
        let x = (j1 * j1) >> 32;
        let y = (area * x) >> 32;
        let rel = area - 1 - y;
        let start_pos = if pass == 0 || slice == 3 { 0 } else { (slice + 1) * ctx.segment_len } as u64;
        let ref_col = ((start_pos + rel) % ctx.lane_len as u64) as usize;
        let ref_index = ref_lane * ctx.lane_len + ref_col;
        let (Some(&prev_block), Some(&ref_block)) = (memory.get(prev), memory.get(ref_index)) else { continue };
        if let Some(cur_block) = memory.get_mut(cur) {
            compress(&prev_block, &ref_block, cur_block, pass > 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hex_literal::hex;

    fn rfc_9106(variant: Argon2Variant) -> [u8; 32] {
        let mut out = [0u8; 32];
        let params = Argon2Params::new(32, 3, 4).unwrap();
        argon2(variant, &params, &[1; 32], &[2; 16], &[3; 8], &[4; 12], &mut out).unwrap();
        out
    }

    /// RFC 9106 section 5 test vectors.
    #[test]
    fn rfc_9106_vectors() {
        assert_eq!(
            rfc_9106(Argon2Variant::Argon2d),
            hex!("512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb")
        );
        assert_eq!(
            rfc_9106(Argon2Variant::Argon2i),
            hex!("c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8")
        );
        assert_eq!(
            rfc_9106(Argon2Variant::Argon2id),
            hex!("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659")
        );
    }

    #[test]
    fn long_tags_and_bad_parameters() {
        let params = Argon2Params::new(16, 1, 1).unwrap();
        let mut long = [0u8; 100];
        argon2(Argon2Variant::Argon2id, &params, b"pw", b"saltsalt", b"", b"", &mut long).unwrap();
        let mut short = [0u8; 64];
        argon2(Argon2Variant::Argon2id, &params, b"pw", b"saltsalt", b"", b"", &mut short).unwrap();
        assert_ne!(long[..32], short[..32], "the tag length is an input");
        assert!(argon2(Argon2Variant::Argon2id, &params, b"pw", b"short", b"", b"", &mut short).is_err());
        assert!(Argon2Params::new(7, 1, 1).is_err());
        assert!(Argon2Params::new(64, 0, 1).is_err());
        assert!(Argon2Params::new(64, 1, 0).is_err());
    }
}
