//! Big-endian readers and writers for TLS presentation-language vectors.
//!
//! Entry points: [`Reader`] (borrowing, every read bounds-checked, trailing
//! bytes an error through [`Reader::finish`]) and the `put_*` helpers that
//! write length-prefixed vectors.

use alloc::vec::Vec;

use super::error::{Error, decode};

/// A cursor over untrusted bytes; `what` names the structure for errors.
#[derive(Clone, Copy)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub(crate) const fn new(bytes: &'a [u8], what: &'static str) -> Self {
        Self { bytes, what }
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if n > self.bytes.len() {
            return Err(decode(self.what));
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, Error> {
        Ok(self.array::<1>()?[0])
    }

    pub(crate) fn u16(&mut self) -> Result<u16, Error> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    pub(crate) fn u24(&mut self) -> Result<usize, Error> {
        let [a, b, c] = self.array()?;
        Ok(usize::from(a) << 16 | usize::from(b) << 8 | usize::from(c))
    }

    pub(crate) fn u32(&mut self) -> Result<u32, Error> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    /// A vector with a one-byte length prefix.
    pub(crate) fn vec8(&mut self) -> Result<&'a [u8], Error> {
        let n = self.u8()?;
        self.take(usize::from(n))
    }

    /// A vector with a two-byte length prefix.
    pub(crate) fn vec16(&mut self) -> Result<&'a [u8], Error> {
        let n = self.u16()?;
        self.take(usize::from(n))
    }

    /// An optional vector as our stored formats (sessions, ticket state)
    /// write it: a flag byte, 0 (absent) or 1, then a two-byte-prefixed
    /// vector; any other flag is [`Error::Decode`] `what`.
    pub(crate) fn option16(&mut self, what: &'static str) -> Result<Option<&'a [u8]>, Error> {
        match self.u8()? {
            0 => Ok(None),
            1 => Ok(Some(self.vec16()?)),
            _ => Err(Error::Decode { what }),
        }
    }

    /// A vector with a three-byte length prefix.
    pub(crate) fn vec24(&mut self) -> Result<&'a [u8], Error> {
        let n = self.u24()?;
        self.take(n)
    }

    /// A sub-reader over a vector with a one/two/three-byte prefix.
    pub(crate) fn sub8(&mut self) -> Result<Self, Error> {
        Ok(Self::new(self.vec8()?, self.what))
    }

    pub(crate) fn sub16(&mut self) -> Result<Self, Error> {
        Ok(Self::new(self.vec16()?, self.what))
    }

    pub(crate) fn sub24(&mut self) -> Result<Self, Error> {
        Ok(Self::new(self.vec24()?, self.what))
    }

    pub(crate) const fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub(crate) const fn rest(&self) -> &'a [u8] {
        self.bytes
    }

    /// Fails unless every byte was consumed.
    pub(crate) fn finish(self) -> Result<(), Error> {
        if self.bytes.is_empty() { Ok(()) } else { Err(decode(self.what)) }
    }
}

pub(crate) fn put_u16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_be_bytes());
}

/// Writes a length-prefixed vector whose body `f` appends; `prefix` is the
/// length-field width in bytes (1, 2 or 3). Lengths are set by the caller's
/// own limits, so an overlong body is a bug: it is truncated to the field
/// width only in release builds' arithmetic and caught in debug builds.
pub(crate) fn put_vec(out: &mut Vec<u8>, prefix: usize, f: impl FnOnce(&mut Vec<u8>)) {
    let start = out.len();
    out.resize(start + prefix, 0);
    f(out);
    let len = out.len() - start - prefix;
    debug_assert!(len < 1usize << (8 * prefix));
    let be = (len as u32).to_be_bytes();
    if let (Some(dst), Some(src)) = (out.get_mut(start..start + prefix), be.get(4 - prefix..)) {
        dst.copy_from_slice(src);
    }
}

pub(crate) fn put_vec8(out: &mut Vec<u8>, body: &[u8]) {
    put_vec(out, 1, |o| o.extend_from_slice(body));
}

pub(crate) fn put_vec16(out: &mut Vec<u8>, body: &[u8]) {
    put_vec(out, 2, |o| o.extend_from_slice(body));
}

/// Writes what [`Reader::option16`] reads.
pub(crate) fn put_option16(out: &mut Vec<u8>, v: Option<&[u8]>) {
    match v {
        Some(v) => {
            out.push(1);
            put_vec16(out, v);
        }
        None => out.push(0),
    }
}

pub(crate) fn put_vec24(out: &mut Vec<u8>, body: &[u8]) {
    put_vec(out, 3, |o| o.extend_from_slice(body));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_round_trip_and_reject_truncation() {
        let mut out = Vec::new();
        put_vec16(&mut out, b"abc");
        put_vec(&mut out, 3, |o| put_vec8(o, b"xy"));
        let mut r = Reader::new(&out, "test");
        assert_eq!(r.vec16().unwrap(), b"abc");
        let mut s = r.sub24().unwrap();
        assert_eq!(s.vec8().unwrap(), b"xy");
        s.finish().unwrap();
        r.finish().unwrap();
        assert!(Reader::new(&[0, 5, 1], "t").vec16().is_err());
        assert!(Reader::new(&[1], "t").finish().is_err());
    }
}
