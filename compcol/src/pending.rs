//! The output queue shared by the encoders: bytes already produced that
//! wait for room in the caller's output slice.
//!
//! Entry point: [`PendingOutput::drain`]. Every encoder builds whole units
//! (blocks, frames, headers) into a `Vec<u8>` and hands them out as the
//! caller makes room, so the streaming contract holds down to one byte of
//! output space. The queue vector itself may live elsewhere (inside a bit
//! writer, for instance); `PendingOutput` only remembers how much of it has
//! been handed out, which is why it borrows the vector on each call.

use alloc::vec::Vec;

/// How much of an encoder's output queue has already been handed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PendingOutput {
    /// `queue[..sent]` is already in the caller's hands.
    sent: usize,
}

impl PendingOutput {
    /// An empty cursor: nothing handed out yet.
    pub(crate) const fn new() -> Self {
        Self { sent: 0 }
    }

    /// Copies as much of `queue[sent..]` as fits into `output[*op..]`,
    /// advancing `*op`. Once everything is handed out the queue is cleared
    /// (so it does not grow without bound) and `true` is returned; `false`
    /// means the caller's output is full and bytes still wait.
    pub(crate) fn drain(&mut self, queue: &mut Vec<u8>, output: &mut [u8], op: &mut usize) -> bool {
        let rest = queue.get(self.sent..).unwrap_or(&[]);
        let room = output.get_mut(*op..).unwrap_or(&mut []);
        let n = rest.len().min(room.len());
        if let (Some(dst), Some(src)) = (room.get_mut(..n), rest.get(..n)) {
            dst.copy_from_slice(src);
        }
        *op += n;
        self.sent += n;
        if self.sent >= queue.len() {
            queue.clear();
            self.sent = 0;
            true
        } else {
            false
        }
    }

    /// Bytes of `queue` not yet handed out (the xz encoders stop taking
    /// input while too many wait).
    #[cfg_attr(not(feature = "xz"), allow(dead_code))]
    pub(crate) fn waiting(&self, queue: &[u8]) -> usize {
        queue.len().saturating_sub(self.sent)
    }
}

impl Default for PendingOutput {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::PendingOutput;
    use alloc::vec::Vec;

    #[test]
    fn drains_one_byte_at_a_time_then_clears() {
        let mut queue: Vec<u8> = (1..=5).collect();
        let mut p = PendingOutput::new();
        let mut got = Vec::new();
        loop {
            let mut one = [0u8; 1];
            let mut op = 0;
            let done = p.drain(&mut queue, &mut one, &mut op);
            assert_eq!(op, 1);
            got.push(one[0]);
            if done {
                break;
            }
            assert_eq!(p.waiting(&queue), 5 - got.len());
        }
        assert_eq!(got, [1, 2, 3, 4, 5]);
        assert!(queue.is_empty());
        assert_eq!(p.waiting(&queue), 0);
    }

    #[test]
    fn respects_the_output_offset_and_reports_full() {
        let mut queue = alloc::vec![9u8; 10];
        let mut p = PendingOutput::new();
        let mut out = [0u8; 6];
        let mut op = 2;
        assert!(!p.drain(&mut queue, &mut out, &mut op));
        assert_eq!((op, out), (6, [0, 0, 9, 9, 9, 9]));
        assert_eq!(p.waiting(&queue), 6);
        let mut op = 0;
        let mut big = [0u8; 16];
        assert!(p.drain(&mut queue, &mut big, &mut op));
        assert_eq!(op, 6);
        // An empty queue drains to "done" without writing.
        let mut op = 0;
        assert!(p.drain(&mut queue, &mut big, &mut op));
        assert_eq!(op, 0);
    }
}
