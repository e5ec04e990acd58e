//! The streaming codec contract every compcol codec implements.
//!
//! Entry points: [`Encoder::encode`] and [`Decoder::decode`].
//!
//! Rules every implementation follows, so that callers (the I/O adapters,
//! the CLI, TLS certificate compression, SSH `zlib@openssh.com`, HTTP
//! content decoding) can treat all codecs alike:
//!
//! * A call never reads past `input` nor writes past `output`; it reports
//!   exactly how much of each it used in [`Progress`]. Bytes of `output`
//!   past the reported count hold nothing meaningful: a decoder may use
//!   them as scratch for wide copies (the brotli fast loop does), so a
//!   caller must not keep data there across a call.
//! * State survives across calls: any split of the input and any size of
//!   output window (down to one byte each) gives the same bytes.
//! * A call makes progress whenever progress is possible; a call that
//!   consumes and produces nothing reports why in [`Status`].
//! * After an error the codec is poisoned: every further call fails with
//!   [`ErrorKind::Poisoned`](crate::ErrorKind::Poisoned) until `reset`.
//!   Output already produced before the error stays valid.

use crate::Error;

/// Why a codec call returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Status {
    /// The codec used all the input it could; call again with more input
    /// (or, for an encoder, with a flush or [`Flush::Finish`]).
    NeedInput,
    /// The output slice is full (or too small for the next unit); call
    /// again with more output space. Pending input or flush work remains.
    NeedOutput,
    /// The stream is complete: a decoder saw the end of the stream, an
    /// encoder finished writing it after [`Flush::Finish`]. Input after the
    /// end is left unconsumed for the caller (multi-member formats handle
    /// their own concatenation).
    StreamEnd,
    /// A zlib stream announced a preset dictionary (FDICT) with this
    /// Adler-32 id and none matching was configured: supply it with
    /// `ZlibDecoder::set_dictionary`, then call again.
    NeedDictionary(u32),
}

/// What one codec call did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Progress {
    /// Bytes of `input` used; the caller must not pass them again.
    pub consumed: usize,
    /// Bytes written at the start of `output`.
    pub produced: usize,
    /// Why the call returned.
    pub status: Status,
}

/// How much an encoder must push out before returning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Flush {
    /// Buffer freely for the best ratio.
    #[default]
    None,
    /// Emit everything consumed so far in a form a decoder can fully
    /// decode now (deflate's sync flush), keeping the history.
    Sync,
    /// As [`Flush::Sync`], and also forget the history so decoding can
    /// restart at this point.
    Full,
    /// Consume all input and write the end of the stream. Repeat the call
    /// (with the same or remaining input) until it reports
    /// [`Status::StreamEnd`].
    Finish,
}

/// A streaming compressor.
///
/// A flush is complete when the call that requested it consumed all its
/// input and returned [`Status::NeedInput`]; while it returns
/// [`Status::NeedOutput`], call again with more output space and the same
/// flush mode.
pub trait Encoder {
    /// Compresses from `input` into `output`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument)
    /// when the contract is broken (input after the stream was finished),
    /// and [`ErrorKind::Poisoned`](crate::ErrorKind::Poisoned) after any
    /// earlier error.
    fn encode(&mut self, input: &[u8], output: &mut [u8], flush: Flush) -> Result<Progress, Error>;

    /// Returns to the freshly constructed state, keeping the configuration
    /// (level, window, dictionary) and any allocated buffers.
    fn reset(&mut self);
}

impl<E: Encoder + ?Sized> Encoder for alloc::boxed::Box<E> {
    fn encode(&mut self, input: &[u8], output: &mut [u8], flush: Flush) -> Result<Progress, Error> {
        (**self).encode(input, output, flush)
    }
    fn reset(&mut self) {
        (**self).reset();
    }
}

/// `&mut E` is an encoder too, so helpers can borrow one.
impl<E: Encoder + ?Sized> Encoder for &mut E {
    fn encode(&mut self, input: &[u8], output: &mut [u8], flush: Flush) -> Result<Progress, Error> {
        (**self).encode(input, output, flush)
    }
    fn reset(&mut self) {
        (**self).reset();
    }
}

/// `&mut D` is a decoder too, so helpers can borrow one.
impl<D: Decoder + ?Sized> Decoder for &mut D {
    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<Progress, Error> {
        (**self).decode(input, output)
    }
    fn reset(&mut self) {
        (**self).reset();
    }
    fn has_end_marker(&self) -> bool {
        (**self).has_end_marker()
    }
}

impl<D: Decoder + ?Sized> Decoder for alloc::boxed::Box<D> {
    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<Progress, Error> {
        (**self).decode(input, output)
    }
    fn reset(&mut self) {
        (**self).reset();
    }
    fn has_end_marker(&self) -> bool {
        (**self).has_end_marker()
    }
}

/// A streaming decompressor.
pub trait Decoder {
    /// Decompresses from `input` into `output`.
    ///
    /// # Errors
    /// A typed [`Error`] when the input is not a valid stream (it says what
    /// was wrong and at which input byte), and
    /// [`ErrorKind::Poisoned`](crate::ErrorKind::Poisoned) after any
    /// earlier error.
    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<Progress, Error>;

    /// Returns to the freshly constructed state, keeping the configuration
    /// and any allocated buffers.
    fn reset(&mut self);

    /// Whether the format marks its own end. When it does not (`store`),
    /// the end of the input is the end of the stream, and drivers must not
    /// call it truncated.
    fn has_end_marker(&self) -> bool {
        true
    }
}
