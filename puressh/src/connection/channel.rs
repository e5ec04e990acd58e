//! One channel's state: an enum of per-state structs (STYLE rule 8).
//!
//! Entry point: [`Channel`], owned by [`crate::connection::Connection`]'s
//! channel table. `Opening` waits for the peer's CONFIRMATION or FAILURE;
//! `Open` carries both windows, the EOF/CLOSE flags of each direction and
//! the count of our requests still waiting for a reply.

use super::window::{ReceiveWindow, SendWindow};

/// A channel we asked to open, not confirmed yet.
#[derive(Debug, Clone)]
pub(crate) struct Opening {
    /// The window and packet size we announced.
    pub(crate) receive: ReceiveWindow,
}

/// A confirmed channel.
///
/// Invariants: `sent_close` implies `sent_eof` is irrelevant (nothing more
/// is sent); the entry is removed once both sides have sent CLOSE.
#[derive(Debug, Clone)]
pub(crate) struct Open {
    /// The peer's number for this channel.
    pub(crate) remote_id: u32,
    /// What the peer lets us send.
    pub(crate) send: SendWindow,
    /// What we let the peer send.
    pub(crate) receive: ReceiveWindow,
    /// Our requests with `want_reply` not answered yet (answers come in order).
    pub(crate) pending_replies: usize,
    /// We sent EOF.
    pub(crate) sent_eof: bool,
    /// We sent CLOSE.
    pub(crate) sent_close: bool,
    /// The peer sent EOF.
    pub(crate) peer_eof: bool,
}

/// A channel-table entry.
#[derive(Debug, Clone)]
pub(crate) enum Channel {
    /// Waiting for CONFIRMATION/FAILURE.
    Opening(Opening),
    /// Confirmed.
    Open(Open),
}

impl Opening {
    /// The transition on CHANNEL_OPEN_CONFIRMATION.
    pub(crate) fn confirm(self, remote_id: u32, initial_window: u32, max_packet: u32) -> Open {
        Open {
            remote_id,
            send: SendWindow::new(initial_window, max_packet),
            receive: self.receive,
            pending_replies: 0,
            sent_eof: false,
            sent_close: false,
            peer_eof: false,
        }
    }
}
