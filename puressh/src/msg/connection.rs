//! Connection-protocol message bodies (RFC 4254): global requests,
//! channel open/confirm/fail, data, window adjust, EOF/CLOSE and channel
//! requests with the session request types of §6.
//!
//! Entry points: [`ChannelOpen`], [`ChannelRequest`] and the other
//! [`Codec`] impls. Request and channel types not typed here (`x11-req`,
//! `keepalive@openssh.com`...) are kept as `Other { name, data }` and
//! re-encode byte for byte.

use super::{Codec, open_code, read_text};
use crate::wire::{Reader, WireError, Writer};

/// Encodes with a [`Writer`] appended to `out`.
fn write(out: &mut Vec<u8>, f: impl FnOnce(&mut Writer)) {
    let mut w = Writer::from_vec(core::mem::take(out));
    f(&mut w);
    *out = w.into_bytes();
}

open_code! {
    /// A CHANNEL_OPEN_FAILURE reason code (RFC 4254 §5.1).
    OpenFailureReason(u32) {
        /// 1
        ADMINISTRATIVELY_PROHIBITED = 1,
        /// 2
        CONNECT_FAILED = 2,
        /// 3
        UNKNOWN_CHANNEL_TYPE = 3,
        /// 4
        RESOURCE_SHORTAGE = 4,
    }
}

/// The request-specific part of SSH_MSG_GLOBAL_REQUEST.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GlobalRequestKind {
    /// `tcpip-forward` (RFC 4254 §7.1).
    TcpipForward {
        /// Address to bind.
        address: String,
        /// Port to bind (0: let the server choose).
        port: u32,
    },
    /// `cancel-tcpip-forward`.
    CancelTcpipForward {
        /// Bound address.
        address: String,
        /// Bound port.
        port: u32,
    },
    /// Any other request (`keepalive@openssh.com`, `hostkeys-00@openssh.com`...).
    Other {
        /// Request name.
        name: String,
        /// Everything after `want_reply`.
        data: Vec<u8>,
    },
}

/// SSH_MSG_GLOBAL_REQUEST.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlobalRequest {
    /// Whether the sender waits for REQUEST_SUCCESS/FAILURE.
    pub want_reply: bool,
    /// The request.
    pub kind: GlobalRequestKind,
}

impl Codec for GlobalRequest {
    fn encode(&self, out: &mut Vec<u8>) {
        write(out, |w| match &self.kind {
            GlobalRequestKind::TcpipForward { address, port } => {
                w.string(b"tcpip-forward").boolean(self.want_reply).string(address.as_bytes()).u32(*port);
            }
            GlobalRequestKind::CancelTcpipForward { address, port } => {
                w.string(b"cancel-tcpip-forward").boolean(self.want_reply).string(address.as_bytes()).u32(*port);
            }
            GlobalRequestKind::Other { name, data } => {
                w.string(name.as_bytes()).boolean(self.want_reply);
                let mut bytes = core::mem::take(w).into_bytes();
                bytes.extend_from_slice(data);
                *w = Writer::from_vec(bytes);
            }
        });
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let name = read_text(r, "request name")?;
        let want_reply = r.boolean()?;
        let kind = match name.as_str() {
            "tcpip-forward" => GlobalRequestKind::TcpipForward { address: read_text(r, "address")?, port: r.u32()? },
            "cancel-tcpip-forward" => {
                GlobalRequestKind::CancelTcpipForward { address: read_text(r, "address")?, port: r.u32()? }
            }
            _ => GlobalRequestKind::Other { name, data: r.rest().to_vec() },
        };
        Ok(Self { want_reply, kind })
    }
}

/// SSH_MSG_REQUEST_SUCCESS: its body depends on the request it answers
/// (a bound port for `tcpip-forward` with port 0), so it is kept raw.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestSuccess {
    /// Response-specific data.
    pub data: Vec<u8>,
}

impl Codec for RequestSuccess {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.data);
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Self { data: r.rest().to_vec() })
    }
}

/// SSH_MSG_REQUEST_FAILURE: no body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RequestFailure;

impl Codec for RequestFailure {
    fn encode(&self, _out: &mut Vec<u8>) {}

    fn read(_r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Self)
    }
}

/// The channel type and its type-specific fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChannelOpenKind {
    /// `session` (RFC 4254 §6.1).
    Session,
    /// `x11` (§6.3.2).
    X11 {
        /// Originator address.
        originator_address: String,
        /// Originator port.
        originator_port: u32,
    },
    /// `forwarded-tcpip` (§7.2).
    ForwardedTcpip {
        /// Address that was connected.
        connected_address: String,
        /// Port that was connected.
        connected_port: u32,
        /// Originator address.
        originator_address: String,
        /// Originator port.
        originator_port: u32,
    },
    /// `direct-tcpip` (§7.2).
    DirectTcpip {
        /// Host to connect to.
        host: String,
        /// Port to connect to.
        port: u32,
        /// Originator address.
        originator_address: String,
        /// Originator port.
        originator_port: u32,
    },
    /// Any other type (`auth-agent@openssh.com`...).
    Other {
        /// Channel type name.
        name: String,
        /// Type-specific fields.
        data: Vec<u8>,
    },
}

impl ChannelOpenKind {
    /// The channel type name on the wire.
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Self::Session => "session",
            Self::X11 { .. } => "x11",
            Self::ForwardedTcpip { .. } => "forwarded-tcpip",
            Self::DirectTcpip { .. } => "direct-tcpip",
            Self::Other { name, .. } => name,
        }
    }
}

/// SSH_MSG_CHANNEL_OPEN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelOpen {
    /// The sender's channel number.
    pub sender_channel: u32,
    /// Bytes the sender may receive before a window adjust.
    pub initial_window: u32,
    /// Largest data chunk the sender accepts in one message.
    pub max_packet: u32,
    /// Type and type-specific fields.
    pub kind: ChannelOpenKind,
}

impl Codec for ChannelOpen {
    fn encode(&self, out: &mut Vec<u8>) {
        write(out, |w| {
            w.string(self.kind.name().as_bytes())
                .u32(self.sender_channel)
                .u32(self.initial_window)
                .u32(self.max_packet);
            match &self.kind {
                ChannelOpenKind::Session => {}
                ChannelOpenKind::X11 { originator_address, originator_port } => {
                    w.string(originator_address.as_bytes()).u32(*originator_port);
                }
                ChannelOpenKind::ForwardedTcpip {
                    connected_address: a,
                    connected_port: p,
                    originator_address,
                    originator_port,
                }
                | ChannelOpenKind::DirectTcpip { host: a, port: p, originator_address, originator_port } => {
                    w.string(a.as_bytes()).u32(*p).string(originator_address.as_bytes()).u32(*originator_port);
                }
                ChannelOpenKind::Other { data, .. } => {
                    let mut bytes = core::mem::take(w).into_bytes();
                    bytes.extend_from_slice(data);
                    *w = Writer::from_vec(bytes);
                }
            }
        });
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let name = read_text(r, "channel type")?;
        let sender_channel = r.u32()?;
        let initial_window = r.u32()?;
        let max_packet = r.u32()?;
        let kind = match name.as_str() {
            "session" => ChannelOpenKind::Session,
            "x11" => ChannelOpenKind::X11 { originator_address: read_text(r, "address")?, originator_port: r.u32()? },
            "forwarded-tcpip" => ChannelOpenKind::ForwardedTcpip {
                connected_address: read_text(r, "address")?,
                connected_port: r.u32()?,
                originator_address: read_text(r, "address")?,
                originator_port: r.u32()?,
            },
            "direct-tcpip" => ChannelOpenKind::DirectTcpip {
                host: read_text(r, "host")?,
                port: r.u32()?,
                originator_address: read_text(r, "address")?,
                originator_port: r.u32()?,
            },
            _ => ChannelOpenKind::Other { name, data: r.rest().to_vec() },
        };
        Ok(Self { sender_channel, initial_window, max_packet, kind })
    }
}

/// SSH_MSG_CHANNEL_OPEN_CONFIRMATION.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelOpenConfirmation {
    /// Our channel number (from our CHANNEL_OPEN).
    pub recipient_channel: u32,
    /// The peer's channel number.
    pub sender_channel: u32,
    /// The peer's receive window.
    pub initial_window: u32,
    /// The peer's largest accepted data chunk.
    pub max_packet: u32,
    /// Channel-type-specific data (empty for the types defined so far).
    pub data: Vec<u8>,
}

impl Codec for ChannelOpenConfirmation {
    fn encode(&self, out: &mut Vec<u8>) {
        write(out, |w| {
            w.u32(self.recipient_channel).u32(self.sender_channel).u32(self.initial_window).u32(self.max_packet);
        });
        out.extend_from_slice(&self.data);
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Self {
            recipient_channel: r.u32()?,
            sender_channel: r.u32()?,
            initial_window: r.u32()?,
            max_packet: r.u32()?,
            data: r.rest().to_vec(),
        })
    }
}

/// SSH_MSG_CHANNEL_OPEN_FAILURE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelOpenFailure {
    /// Our channel number.
    pub recipient_channel: u32,
    /// Why.
    pub reason: OpenFailureReason,
    /// Text (UTF-8).
    pub description: String,
    /// Language tag.
    pub language: String,
}

impl Codec for ChannelOpenFailure {
    fn encode(&self, out: &mut Vec<u8>) {
        write(out, |w| {
            w.u32(self.recipient_channel)
                .u32(self.reason.0)
                .string(self.description.as_bytes())
                .string(self.language.as_bytes());
        });
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Self {
            recipient_channel: r.u32()?,
            reason: OpenFailureReason(r.u32()?),
            description: read_text(r, "description")?,
            language: read_text(r, "language tag")?,
        })
    }
}

/// SSH_MSG_CHANNEL_WINDOW_ADJUST.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelWindowAdjust {
    /// Receiver's channel number.
    pub recipient_channel: u32,
    /// Bytes added to the window.
    pub bytes_to_add: u32,
}

impl Codec for ChannelWindowAdjust {
    fn encode(&self, out: &mut Vec<u8>) {
        write(out, |w| {
            w.u32(self.recipient_channel).u32(self.bytes_to_add);
        });
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Self { recipient_channel: r.u32()?, bytes_to_add: r.u32()? })
    }
}

/// SSH_MSG_CHANNEL_DATA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelData {
    /// Receiver's channel number.
    pub recipient_channel: u32,
    /// The data.
    pub data: Vec<u8>,
}

impl Codec for ChannelData {
    fn encode(&self, out: &mut Vec<u8>) {
        write(out, |w| {
            w.u32(self.recipient_channel).string(&self.data);
        });
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Self { recipient_channel: r.u32()?, data: r.string()?.to_vec() })
    }
}

/// SSH_MSG_CHANNEL_EXTENDED_DATA (type 1: stderr).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelExtendedData {
    /// Receiver's channel number.
    pub recipient_channel: u32,
    /// Data type code (1 = SSH_EXTENDED_DATA_STDERR).
    pub data_type: u32,
    /// The data.
    pub data: Vec<u8>,
}

impl Codec for ChannelExtendedData {
    fn encode(&self, out: &mut Vec<u8>) {
        write(out, |w| {
            w.u32(self.recipient_channel).u32(self.data_type).string(&self.data);
        });
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Self { recipient_channel: r.u32()?, data_type: r.u32()?, data: r.string()?.to_vec() })
    }
}

macro_rules! channel_only {
    ($( $(#[$meta:meta])* $ty:ident, )*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $ty {
            /// Receiver's channel number.
            pub recipient_channel: u32,
        }

        impl Codec for $ty {
            fn encode(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.recipient_channel.to_be_bytes());
            }

            fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
                Ok(Self { recipient_channel: r.u32()? })
            }
        }
    )*};
}

channel_only! {
    /// SSH_MSG_CHANNEL_EOF.
    ChannelEof,
    /// SSH_MSG_CHANNEL_CLOSE.
    ChannelClose,
    /// SSH_MSG_CHANNEL_SUCCESS.
    ChannelSuccess,
    /// SSH_MSG_CHANNEL_FAILURE.
    ChannelFailure,
}

/// The request-specific part of SSH_MSG_CHANNEL_REQUEST (RFC 4254 §6).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChannelRequestKind {
    /// `pty-req` (§6.2).
    PtyReq {
        /// TERM value.
        term: String,
        /// Width in characters.
        cols: u32,
        /// Height in rows.
        rows: u32,
        /// Width in pixels.
        width_px: u32,
        /// Height in pixels.
        height_px: u32,
        /// Encoded terminal modes (§8).
        modes: Vec<u8>,
    },
    /// `env` (§6.4).
    Env {
        /// Variable name.
        name: String,
        /// Value.
        value: String,
    },
    /// `shell` (§6.5).
    Shell,
    /// `exec` (§6.5): the command is bytes, not necessarily UTF-8.
    Exec {
        /// Command line.
        command: Vec<u8>,
    },
    /// `subsystem` (§6.5).
    Subsystem {
        /// Subsystem name, e.g. `sftp`.
        name: String,
    },
    /// `window-change` (§6.7).
    WindowChange {
        /// Width in characters.
        cols: u32,
        /// Height in rows.
        rows: u32,
        /// Width in pixels.
        width_px: u32,
        /// Height in pixels.
        height_px: u32,
    },
    /// `signal` (§6.9): a signal name without the `SIG` prefix.
    Signal {
        /// E.g. `INT`.
        name: String,
    },
    /// `exit-status` (§6.10).
    ExitStatus {
        /// The command's exit status.
        status: u32,
    },
    /// `exit-signal` (§6.10).
    ExitSignal {
        /// Signal name without `SIG`.
        signal: String,
        /// Whether a core was dumped.
        core_dumped: bool,
        /// Error message.
        message: String,
        /// Language tag.
        language: String,
    },
    /// Any other request type (`x11-req`, `xon-xoff`,
    /// `keepalive@openssh.com`, `eow@openssh.com`...).
    Other {
        /// Request type name.
        name: String,
        /// Everything after `want_reply`.
        data: Vec<u8>,
    },
}

impl ChannelRequestKind {
    /// The request type name on the wire.
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Self::PtyReq { .. } => "pty-req",
            Self::Env { .. } => "env",
            Self::Shell => "shell",
            Self::Exec { .. } => "exec",
            Self::Subsystem { .. } => "subsystem",
            Self::WindowChange { .. } => "window-change",
            Self::Signal { .. } => "signal",
            Self::ExitStatus { .. } => "exit-status",
            Self::ExitSignal { .. } => "exit-signal",
            Self::Other { name, .. } => name,
        }
    }

    fn encode_fields(&self, w: &mut Writer) {
        match self {
            Self::PtyReq { term, cols, rows, width_px, height_px, modes } => {
                w.string(term.as_bytes()).u32(*cols).u32(*rows).u32(*width_px).u32(*height_px).string(modes);
            }
            Self::Env { name, value } => {
                w.string(name.as_bytes()).string(value.as_bytes());
            }
            Self::Shell => {}
            Self::Exec { command } => {
                w.string(command);
            }
            Self::Subsystem { name } | Self::Signal { name } => {
                w.string(name.as_bytes());
            }
            Self::WindowChange { cols, rows, width_px, height_px } => {
                w.u32(*cols).u32(*rows).u32(*width_px).u32(*height_px);
            }
            Self::ExitStatus { status } => {
                w.u32(*status);
            }
            Self::ExitSignal { signal, core_dumped, message, language } => {
                w.string(signal.as_bytes())
                    .boolean(*core_dumped)
                    .string(message.as_bytes())
                    .string(language.as_bytes());
            }
            Self::Other { data, .. } => {
                let mut bytes = core::mem::take(w).into_bytes();
                bytes.extend_from_slice(data);
                *w = Writer::from_vec(bytes);
            }
        }
    }

    fn read_fields(name: String, r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(match name.as_str() {
            "pty-req" => Self::PtyReq {
                term: read_text(r, "TERM")?,
                cols: r.u32()?,
                rows: r.u32()?,
                width_px: r.u32()?,
                height_px: r.u32()?,
                modes: r.string()?.to_vec(),
            },
            "env" => Self::Env { name: read_text(r, "variable name")?, value: read_text(r, "variable value")? },
            "shell" => Self::Shell,
            "exec" => Self::Exec { command: r.string()?.to_vec() },
            "subsystem" => Self::Subsystem { name: read_text(r, "subsystem")? },
            "window-change" => {
                Self::WindowChange { cols: r.u32()?, rows: r.u32()?, width_px: r.u32()?, height_px: r.u32()? }
            }
            "signal" => Self::Signal { name: read_text(r, "signal name")? },
            "exit-status" => Self::ExitStatus { status: r.u32()? },
            "exit-signal" => Self::ExitSignal {
                signal: read_text(r, "signal name")?,
                core_dumped: r.boolean()?,
                message: read_text(r, "error message")?,
                language: read_text(r, "language tag")?,
            },
            _ => Self::Other { name, data: r.rest().to_vec() },
        })
    }
}

/// SSH_MSG_CHANNEL_REQUEST.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelRequest {
    /// Receiver's channel number.
    pub recipient_channel: u32,
    /// Whether the sender waits for CHANNEL_SUCCESS/FAILURE.
    pub want_reply: bool,
    /// The request.
    pub kind: ChannelRequestKind,
}

impl Codec for ChannelRequest {
    fn encode(&self, out: &mut Vec<u8>) {
        write(out, |w| {
            w.u32(self.recipient_channel).string(self.kind.name().as_bytes()).boolean(self.want_reply);
            self.kind.encode_fields(w);
        });
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        let recipient_channel = r.u32()?;
        let name = read_text(r, "request type")?;
        let want_reply = r.boolean()?;
        let kind = ChannelRequestKind::read_fields(name, r)?;
        Ok(Self { recipient_channel, want_reply, kind })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msg::Message;

    #[test]
    fn session_requests_round_trip() {
        let kinds = [
            ChannelRequestKind::PtyReq {
                term: "xterm".into(),
                cols: 80,
                rows: 24,
                width_px: 0,
                height_px: 0,
                modes: vec![0],
            },
            ChannelRequestKind::Env { name: "LANG".into(), value: "C".into() },
            ChannelRequestKind::Shell,
            ChannelRequestKind::Exec { command: b"echo \xff".to_vec() },
            ChannelRequestKind::Subsystem { name: "sftp".into() },
            ChannelRequestKind::WindowChange { cols: 1, rows: 2, width_px: 3, height_px: 4 },
            ChannelRequestKind::Signal { name: "INT".into() },
            ChannelRequestKind::ExitStatus { status: 3 },
            ChannelRequestKind::ExitSignal {
                signal: "KILL".into(),
                core_dumped: true,
                message: "boom".into(),
                language: String::new(),
            },
            ChannelRequestKind::Other { name: "keepalive@openssh.com".into(), data: vec![] },
        ];
        for kind in kinds {
            let message = Message::ChannelRequest(ChannelRequest { recipient_channel: 9, want_reply: true, kind });
            assert_eq!(Message::decode(&message.to_bytes()).unwrap(), message);
        }
    }

    #[test]
    fn exec_with_trailing_bytes_is_refused() {
        let mut w = Writer::new();
        w.byte(98).u32(0).string(b"exec").boolean(false).string(b"ls").byte(0);
        assert!(matches!(Message::decode(&w.into_bytes()), Err(WireError::TrailingBytes { count: 1, .. })));
    }

    #[test]
    fn channel_open_kinds_round_trip() {
        let kinds = [
            ChannelOpenKind::Session,
            ChannelOpenKind::X11 { originator_address: "1.2.3.4".into(), originator_port: 5 },
            ChannelOpenKind::DirectTcpip {
                host: "h".into(),
                port: 22,
                originator_address: "o".into(),
                originator_port: 1,
            },
            ChannelOpenKind::ForwardedTcpip {
                connected_address: "c".into(),
                connected_port: 2,
                originator_address: "o".into(),
                originator_port: 3,
            },
            ChannelOpenKind::Other { name: "auth-agent@openssh.com".into(), data: vec![] },
        ];
        for kind in kinds {
            let message =
                Message::ChannelOpen(ChannelOpen { sender_channel: 1, initial_window: 2, max_packet: 3, kind });
            assert_eq!(Message::decode(&message.to_bytes()).unwrap(), message);
        }
    }
}
