//! SSH messages of RFC 4253 (transport), RFC 4252 (user authentication),
//! RFC 4254 (connection) and RFC 8308 (ext-info), as typed values.
//!
//! Entry points: [`Message::decode`] and [`Message::encode`] for a whole
//! packet payload, and the [`Codec`] trait that every message body
//! implements (STYLE rule 12). Message numbers that a peer may extend are
//! the open newtype [`MsgNumber`]: numbers with no typed form here (the
//! KEX-method range 30-49, the auth-method range 60-79, vendor numbers)
//! decode to [`Message::Other`] and encode back byte for byte.

pub mod connection;
pub mod transport;
pub mod userauth;

use crate::wire::{Reader, WireError};

pub use connection::{
    ChannelClose, ChannelData, ChannelEof, ChannelExtendedData, ChannelFailure, ChannelOpen, ChannelOpenConfirmation,
    ChannelOpenFailure, ChannelOpenKind, ChannelRequest, ChannelRequestKind, ChannelSuccess, ChannelWindowAdjust,
    GlobalRequest, GlobalRequestKind, OpenFailureReason, RequestFailure, RequestSuccess,
};
pub use transport::{
    DebugMessage, Disconnect, DisconnectReason, ExtInfo, Extension, Ignore, KexEcdhInit, KexEcdhReply, KexInit,
    NewKeys, ServiceAccept, ServiceRequest, Unimplemented,
};
pub use userauth::{
    AuthMethod, InfoRequest, InfoResponse, PasswdChangeReq, Password, Prompt, UserauthBanner, UserauthFailure,
    UserauthPkOk, UserauthRequest, UserauthSuccess,
};

/// One message body's wire form (everything after the message number).
///
/// `read` must consume exactly the body's fields; [`Message::decode`]
/// refuses bytes left over afterwards.
pub trait Codec: Sized {
    /// Appends the encoded body to `out`.
    fn encode(&self, out: &mut Vec<u8>);

    /// Reads the body from `r`.
    ///
    /// # Errors
    /// A [`WireError`] saying what was malformed and at which offset.
    fn read(r: &mut Reader<'_>) -> Result<Self, WireError>;
}

/// Declares an open newtype over an integer code point with named
/// constants; unknown values are kept and print as hex.
macro_rules! open_code {
    (
        $(#[$meta:meta])* $name:ident($int:ty) {
            $( $(#[$cmeta:meta])* $konst:ident = $value:expr, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub $int);

        impl $name {
            $( $(#[$cmeta])* pub const $konst: Self = Self($value); )*

            /// The constant's name, if this value has one.
            #[must_use]
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    $( $value => Some(stringify!($konst)), )*
                    _ => None,
                }
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self.name() {
                    Some(name) => f.write_str(name),
                    None => write!(f, "{}({:#x})", stringify!($name), self.0),
                }
            }
        }
    };
}
pub(crate) use open_code;

open_code! {
    /// An SSH message number (RFC 4250 §4.1).
    MsgNumber(u8) {
        /// RFC 4253 §11.1.
        DISCONNECT = 1,
        /// RFC 4253 §11.2.
        IGNORE = 2,
        /// RFC 4253 §11.4.
        UNIMPLEMENTED = 3,
        /// RFC 4253 §11.3.
        DEBUG = 4,
        /// RFC 4253 §10.
        SERVICE_REQUEST = 5,
        /// RFC 4253 §10.
        SERVICE_ACCEPT = 6,
        /// RFC 8308 §2.3.
        EXT_INFO = 7,
        /// RFC 4253 §7.1.
        KEXINIT = 20,
        /// RFC 4253 §7.3.
        NEWKEYS = 21,
        /// RFC 5656 §4 (also curve25519-sha256): first KEX-method number.
        KEX_ECDH_INIT = 30,
        /// RFC 5656 §4.
        KEX_ECDH_REPLY = 31,
        /// RFC 4252 §5.
        USERAUTH_REQUEST = 50,
        /// RFC 4252 §5.1.
        USERAUTH_FAILURE = 51,
        /// RFC 4252 §5.1.
        USERAUTH_SUCCESS = 52,
        /// RFC 4252 §5.4.
        USERAUTH_BANNER = 53,
        /// RFC 4252 §7 (PK_OK), RFC 4256 (INFO_REQUEST): first auth-method number.
        USERAUTH_60 = 60,
        /// RFC 4256 §3.4 (INFO_RESPONSE).
        USERAUTH_61 = 61,
        /// RFC 4254 §4.
        GLOBAL_REQUEST = 80,
        /// RFC 4254 §4.
        REQUEST_SUCCESS = 81,
        /// RFC 4254 §4.
        REQUEST_FAILURE = 82,
        /// RFC 4254 §5.1.
        CHANNEL_OPEN = 90,
        /// RFC 4254 §5.1.
        CHANNEL_OPEN_CONFIRMATION = 91,
        /// RFC 4254 §5.1.
        CHANNEL_OPEN_FAILURE = 92,
        /// RFC 4254 §5.2.
        CHANNEL_WINDOW_ADJUST = 93,
        /// RFC 4254 §5.2.
        CHANNEL_DATA = 94,
        /// RFC 4254 §5.2.
        CHANNEL_EXTENDED_DATA = 95,
        /// RFC 4254 §5.3.
        CHANNEL_EOF = 96,
        /// RFC 4254 §5.3.
        CHANNEL_CLOSE = 97,
        /// RFC 4254 §5.4.
        CHANNEL_REQUEST = 98,
        /// RFC 4254 §5.4.
        CHANNEL_SUCCESS = 99,
        /// RFC 4254 §5.4.
        CHANNEL_FAILURE = 100,
    }
}

impl MsgNumber {
    /// Whether this number belongs to the key exchange itself (RFC 4253
    /// §7: KEXINIT, NEWKEYS and the method-specific 30-49), the only
    /// messages strict KEX allows during the initial exchange.
    #[must_use]
    pub const fn is_kex(self) -> bool {
        matches!(self.0, 20 | 21 | 30..=49)
    }
}

/// Declares [`Message`] with one variant per typed body, plus its
/// number, encode and decode dispatch.
macro_rules! messages {
    ($( $(#[$vmeta:meta])* $variant:ident($ty:ty) = $konst:ident, )*) => {
        /// One SSH message: a packet payload.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum Message {
            $( $(#[$vmeta])* $variant($ty), )*
            /// A message with no typed form here (KEX-method and
            /// auth-method numbers, extensions): kept verbatim.
            Other {
                /// Its number.
                number: MsgNumber,
                /// Everything after the number.
                body: Vec<u8>,
            },
        }

        impl Message {
            /// This message's number.
            #[must_use]
            pub const fn number(&self) -> MsgNumber {
                match self {
                    $( Self::$variant(_) => MsgNumber::$konst, )*
                    Self::Other { number, .. } => *number,
                }
            }

            /// Appends the payload (number, then body) to `out`.
            pub fn encode(&self, out: &mut Vec<u8>) {
                out.push(self.number().0);
                match self {
                    $( Self::$variant(body) => body.encode(out), )*
                    Self::Other { body, .. } => out.extend_from_slice(body),
                }
            }

            /// Decodes one whole payload; bytes after the last field are
            /// an error.
            ///
            /// # Errors
            /// A [`WireError`] with the offset into `payload`.
            pub fn decode(payload: &[u8]) -> Result<Self, WireError> {
                let mut r = Reader::new(payload);
                let number = MsgNumber(r.byte()?);
                let message = match number {
                    $( MsgNumber::$konst => Self::$variant(<$ty>::read(&mut r)?), )*
                    number => Self::Other { number, body: r.rest().to_vec() },
                };
                r.finish()?;
                Ok(message)
            }
        }

        $(
            impl From<$ty> for Message {
                fn from(body: $ty) -> Self {
                    Self::$variant(body)
                }
            }
        )*
    };
}

messages! {
    /// RFC 4253 §11.1.
    Disconnect(Disconnect) = DISCONNECT,
    /// RFC 4253 §11.2.
    Ignore(Ignore) = IGNORE,
    /// RFC 4253 §11.4.
    Unimplemented(Unimplemented) = UNIMPLEMENTED,
    /// RFC 4253 §11.3.
    Debug(DebugMessage) = DEBUG,
    /// RFC 4253 §10.
    ServiceRequest(ServiceRequest) = SERVICE_REQUEST,
    /// RFC 4253 §10.
    ServiceAccept(ServiceAccept) = SERVICE_ACCEPT,
    /// RFC 8308 §2.3.
    ExtInfo(ExtInfo) = EXT_INFO,
    /// RFC 4253 §7.1.
    KexInit(KexInit) = KEXINIT,
    /// RFC 4253 §7.3.
    NewKeys(NewKeys) = NEWKEYS,
    /// RFC 4252 §5.
    UserauthRequest(UserauthRequest) = USERAUTH_REQUEST,
    /// RFC 4252 §5.1.
    UserauthFailure(UserauthFailure) = USERAUTH_FAILURE,
    /// RFC 4252 §5.1.
    UserauthSuccess(UserauthSuccess) = USERAUTH_SUCCESS,
    /// RFC 4252 §5.4.
    UserauthBanner(UserauthBanner) = USERAUTH_BANNER,
    /// RFC 4254 §4.
    GlobalRequest(GlobalRequest) = GLOBAL_REQUEST,
    /// RFC 4254 §4.
    RequestSuccess(RequestSuccess) = REQUEST_SUCCESS,
    /// RFC 4254 §4.
    RequestFailure(RequestFailure) = REQUEST_FAILURE,
    /// RFC 4254 §5.1.
    ChannelOpen(ChannelOpen) = CHANNEL_OPEN,
    /// RFC 4254 §5.1.
    ChannelOpenConfirmation(ChannelOpenConfirmation) = CHANNEL_OPEN_CONFIRMATION,
    /// RFC 4254 §5.1.
    ChannelOpenFailure(ChannelOpenFailure) = CHANNEL_OPEN_FAILURE,
    /// RFC 4254 §5.2.
    ChannelWindowAdjust(ChannelWindowAdjust) = CHANNEL_WINDOW_ADJUST,
    /// RFC 4254 §5.2.
    ChannelData(ChannelData) = CHANNEL_DATA,
    /// RFC 4254 §5.2.
    ChannelExtendedData(ChannelExtendedData) = CHANNEL_EXTENDED_DATA,
    /// RFC 4254 §5.3.
    ChannelEof(ChannelEof) = CHANNEL_EOF,
    /// RFC 4254 §5.3.
    ChannelClose(ChannelClose) = CHANNEL_CLOSE,
    /// RFC 4254 §5.4.
    ChannelRequest(ChannelRequest) = CHANNEL_REQUEST,
    /// RFC 4254 §5.4.
    ChannelSuccess(ChannelSuccess) = CHANNEL_SUCCESS,
    /// RFC 4254 §5.4.
    ChannelFailure(ChannelFailure) = CHANNEL_FAILURE,
}

impl Message {
    /// The payload as a new vector.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }
}

/// Reads a name-list into owned names (validated by
/// [`Reader::name_list`]: printable, non-empty, at most 64 bytes each).
pub(crate) fn read_names(r: &mut Reader<'_>) -> Result<Vec<String>, WireError> {
    Ok(r.name_list()?.map(str::to_owned).collect())
}

/// Reads a UTF-8 string into an owned `String`.
pub(crate) fn read_text(r: &mut Reader<'_>, what: &'static str) -> Result<String, WireError> {
    r.utf8(what).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_numbers_round_trip() {
        for payload in [&[192u8, 1, 2, 3][..], &[30, 0, 0, 0, 1, 9], &[60], &[255, 0]] {
            let message = Message::decode(payload).unwrap();
            assert!(matches!(message, Message::Other { .. }));
            assert_eq!(message.to_bytes(), payload);
        }
        assert_eq!(format!("{:?}", MsgNumber(192)), "MsgNumber(0xc0)");
        assert_eq!(format!("{:?}", MsgNumber::KEXINIT), "KEXINIT");
    }

    #[test]
    fn empty_payload_is_truncated() {
        assert!(matches!(Message::decode(&[]), Err(WireError::Truncated { what: "byte", offset: 0, .. })));
    }

    #[test]
    fn trailing_bytes_after_a_typed_message_are_refused() {
        // NEWKEYS has no body.
        assert_eq!(Message::decode(&[21]).unwrap(), Message::NewKeys(NewKeys));
        assert_eq!(Message::decode(&[21, 0]), Err(WireError::TrailingBytes { count: 1, offset: 1 }));
    }

    #[test]
    fn kex_numbers() {
        assert!(MsgNumber::KEXINIT.is_kex() && MsgNumber(49).is_kex() && MsgNumber::NEWKEYS.is_kex());
        assert!(!MsgNumber::IGNORE.is_kex() && !MsgNumber(50).is_kex() && !MsgNumber(22).is_kex());
    }
}
