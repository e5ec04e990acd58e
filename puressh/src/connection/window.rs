//! Flow-control windows (RFC 4254 §5.2), one per direction of a channel.
//!
//! Entry points: [`SendWindow`] (what the peer lets us send) and
//! [`ReceiveWindow`] (what we let the peer send). Windows are `u32` on the
//! wire and may be as large as 2^32 - 1; all arithmetic is checked.

use crate::error::ChannelError;

/// Bytes we may still send on a channel.
///
/// Invariant: `available <= u32::MAX` (an adjust past it is refused, as
/// RFC 4254 §5.2 caps windows at 2^32 - 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendWindow {
    available: u32,
    max_packet: u32,
}

impl SendWindow {
    /// The peer's initial window and maximum packet.
    #[must_use]
    pub const fn new(initial: u32, max_packet: u32) -> Self {
        Self { available: initial, max_packet }
    }

    /// Bytes we may send now.
    #[must_use]
    pub const fn available(&self) -> u32 {
        self.available
    }

    /// Largest chunk per CHANNEL_DATA.
    #[must_use]
    pub const fn max_packet(&self) -> u32 {
        self.max_packet
    }

    /// Applies a WINDOW_ADJUST.
    ///
    /// # Errors
    /// [`ChannelError::WindowOverflow`] past 2^32 - 1.
    pub fn adjust(&mut self, channel: u32, add: u32) -> Result<(), ChannelError> {
        self.available = self.available.checked_add(add).ok_or(ChannelError::WindowOverflow {
            channel,
            window: self.available,
            add,
        })?;
        Ok(())
    }

    /// Takes up to `wanted` bytes of window; returns how many were granted.
    pub fn take(&mut self, wanted: usize) -> usize {
        let granted = u32::try_from(wanted).unwrap_or(u32::MAX).min(self.available);
        self.available -= granted;
        granted as usize
    }
}

/// Bytes the peer may still send us on a channel.
///
/// Invariant: `available <= initial`; a WINDOW_ADJUST is due once
/// `available < initial / 2`, and restores `available == initial`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceiveWindow {
    initial: u32,
    available: u32,
    max_packet: u32,
}

impl ReceiveWindow {
    /// The window and maximum packet we announce.
    #[must_use]
    pub const fn new(initial: u32, max_packet: u32) -> Self {
        Self { initial, available: initial, max_packet }
    }

    /// Bytes the peer may send now.
    #[must_use]
    pub const fn available(&self) -> u32 {
        self.available
    }

    /// Accounts for `len` received bytes.
    ///
    /// # Errors
    /// [`ChannelError::PacketTooLarge`] over our maximum packet,
    /// [`ChannelError::WindowExceeded`] beyond the window.
    pub fn receive(&mut self, channel: u32, len: usize) -> Result<(), ChannelError> {
        if len > self.max_packet as usize {
            return Err(ChannelError::PacketTooLarge { channel, len, max: self.max_packet });
        }
        let taken = u32::try_from(len).ok().filter(|&n| n <= self.available).ok_or(ChannelError::WindowExceeded {
            channel,
            len,
            window: self.available,
        })?;
        self.available -= taken;
        Ok(())
    }

    /// The WINDOW_ADJUST amount to send, if the window is below half:
    /// reopening in large steps keeps adjust messages rare.
    pub fn replenish(&mut self) -> Option<u32> {
        if self.available >= self.initial / 2 {
            return None;
        }
        let add = self.initial - self.available;
        self.available = self.initial;
        Some(add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_window_overflow_is_refused() {
        let mut w = SendWindow::new(u32::MAX - 10, 32768);
        w.adjust(3, 10).unwrap();
        assert_eq!(w.available(), u32::MAX);
        assert_eq!(w.adjust(3, 1), Err(ChannelError::WindowOverflow { channel: 3, window: u32::MAX, add: 1 }));
        assert_eq!(w.take(usize::MAX), u32::MAX as usize);
        assert_eq!(w.take(5), 0);
    }

    #[test]
    fn receive_window_limits_and_replenish() {
        let mut w = ReceiveWindow::new(100, 40);
        assert_eq!(w.receive(1, 41), Err(ChannelError::PacketTooLarge { channel: 1, len: 41, max: 40 }));
        w.receive(1, 40).unwrap();
        assert_eq!(w.replenish(), None);
        w.receive(1, 40).unwrap();
        assert_eq!(w.receive(1, 21), Err(ChannelError::WindowExceeded { channel: 1, len: 21, window: 20 }));
        assert_eq!(w.replenish(), Some(80));
        assert_eq!(w.available(), 100);
        let mut huge = ReceiveWindow::new(u32::MAX, u32::MAX);
        huge.receive(0, u32::MAX as usize).unwrap();
        assert_eq!(huge.replenish(), Some(u32::MAX));
    }
}
