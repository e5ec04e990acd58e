//! Which messages the peer may send around a key exchange (RFC 4253 §7),
//! and strict KEX (OpenSSH's `kex-strict-*-v00@openssh.com`, the
//! CVE-2023-48795 "Terrapin" countermeasure).
//!
//! Entry point: [`KexRules::on_receive`], called for every received
//! packet before it is dispatched, with [`KexRules::negotiated`] once
//! both KEXINITs are known.
//!
//! Terrapin works because, without strict KEX, an attacker can insert
//! IGNORE packets before NEWKEYS (shifting sequence numbers that the MAC
//! covers) and delete as many packets after it. Strict KEX refuses any
//! non-KEX message during the initial exchange, requires KEXINIT to be
//! the first packet, and resets sequence numbers at each NEWKEYS.

use crate::error::KexError;
use crate::msg::MsgNumber;

/// Where the receive side stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Before the peer's first KEXINIT; counts packets seen before it.
    AwaitFirstKexInit { before: u32 },
    /// Inside a key exchange (`initial`: the connection's first).
    Exchanging { initial: bool },
    /// Keys in use, no exchange in progress.
    Established,
}

/// What the caller must do with a received packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// Dispatch it.
    Accept,
    /// It was NEWKEYS: install the new incoming keys, and reset the
    /// incoming sequence number when `reset_sequence` (strict KEX).
    NewKeys {
        /// Strict KEX is on.
        reset_sequence: bool,
    },
}

/// The receive-direction key-exchange rules for one connection.
#[derive(Debug, Clone)]
pub struct KexRules {
    phase: Phase,
    /// `None` until both KEXINITs are known.
    strict: Option<bool>,
    kexinit_first: bool,
}

impl Default for KexRules {
    fn default() -> Self {
        Self::new()
    }
}

impl KexRules {
    /// A new connection, before any packet.
    #[must_use]
    pub const fn new() -> Self {
        Self { phase: Phase::AwaitFirstKexInit { before: 0 }, strict: None, kexinit_first: false }
    }

    /// Whether strict KEX is on (`None` before negotiation).
    #[must_use]
    pub const fn strict(&self) -> Option<bool> {
        self.strict
    }

    /// Records the negotiation result for the initial exchange.
    ///
    /// # Errors
    /// [`KexError::KexInitNotFirst`] under strict KEX when packets came
    /// before the peer's KEXINIT.
    pub fn negotiated(&mut self, strict: bool) -> Result<(), KexError> {
        if self.strict.is_none() {
            self.strict = Some(strict);
            if strict && !self.kexinit_first {
                return Err(KexError::KexInitNotFirst);
            }
        }
        Ok(())
    }

    /// Checks one received packet's message number.
    ///
    /// # Errors
    /// [`KexError::StrictViolation`] for a non-KEX message during the
    /// initial exchange under strict KEX; [`KexError::Unexpected`] for
    /// messages no key exchange allows (a second KEXINIT, services,
    /// auth or channel messages mid-exchange).
    pub fn on_receive(&mut self, number: MsgNumber, sequence: u32) -> Result<Verdict, KexError> {
        let generic = matches!(number.0, 1..=4);
        match self.phase {
            Phase::AwaitFirstKexInit { before } => {
                if number == MsgNumber::KEXINIT {
                    self.kexinit_first = before == 0;
                    self.phase = Phase::Exchanging { initial: true };
                    Ok(Verdict::Accept)
                } else if generic {
                    self.phase = Phase::AwaitFirstKexInit { before: before.saturating_add(1) };
                    Ok(Verdict::Accept)
                } else {
                    Err(KexError::Unexpected { number: number.0 })
                }
            }
            Phase::Exchanging { initial } => {
                let strict = self.strict.unwrap_or(false);
                if initial && strict && !number.is_kex() && number != MsgNumber::DISCONNECT {
                    return Err(KexError::StrictViolation { number: number.0, sequence });
                }
                if number == MsgNumber::NEWKEYS {
                    self.phase = Phase::Established;
                    return Ok(Verdict::NewKeys { reset_sequence: strict });
                }
                if generic || (number.is_kex() && number != MsgNumber::KEXINIT) {
                    Ok(Verdict::Accept)
                } else {
                    Err(KexError::Unexpected { number: number.0 })
                }
            }
            Phase::Established => {
                if number == MsgNumber::KEXINIT {
                    self.phase = Phase::Exchanging { initial: false };
                } else if number == MsgNumber::NEWKEYS || number.is_kex() {
                    return Err(KexError::Unexpected { number: number.0 });
                }
                Ok(Verdict::Accept)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_initial_exchange_refuses_ignore_before_newkeys() {
        let mut rules = KexRules::new();
        assert_eq!(rules.on_receive(MsgNumber::KEXINIT, 0), Ok(Verdict::Accept));
        rules.negotiated(true).unwrap();
        assert_eq!(rules.on_receive(MsgNumber(31), 1), Ok(Verdict::Accept));
        assert_eq!(rules.on_receive(MsgNumber::IGNORE, 2), Err(KexError::StrictViolation { number: 2, sequence: 2 }));
    }

    #[test]
    fn strict_newkeys_resets_and_later_rekeys_are_lenient() {
        let mut rules = KexRules::new();
        rules.on_receive(MsgNumber::KEXINIT, 0).unwrap();
        rules.negotiated(true).unwrap();
        assert_eq!(rules.on_receive(MsgNumber::NEWKEYS, 1), Ok(Verdict::NewKeys { reset_sequence: true }));
        assert_eq!(rules.on_receive(MsgNumber::IGNORE, 0), Ok(Verdict::Accept));
        assert_eq!(rules.on_receive(MsgNumber::CHANNEL_DATA, 1), Ok(Verdict::Accept));
        assert_eq!(rules.on_receive(MsgNumber::KEXINIT, 2), Ok(Verdict::Accept));
        assert_eq!(rules.on_receive(MsgNumber::IGNORE, 3), Ok(Verdict::Accept));
        assert_eq!(rules.on_receive(MsgNumber::CHANNEL_DATA, 4), Err(KexError::Unexpected { number: 94 }));
        assert_eq!(rules.on_receive(MsgNumber::NEWKEYS, 5), Ok(Verdict::NewKeys { reset_sequence: true }));
    }

    #[test]
    fn strict_requires_kexinit_first() {
        let mut rules = KexRules::new();
        rules.on_receive(MsgNumber::IGNORE, 0).unwrap();
        rules.on_receive(MsgNumber::KEXINIT, 1).unwrap();
        assert_eq!(rules.negotiated(true), Err(KexError::KexInitNotFirst));
        let mut lenient = KexRules::new();
        lenient.on_receive(MsgNumber::IGNORE, 0).unwrap();
        lenient.on_receive(MsgNumber::KEXINIT, 1).unwrap();
        lenient.negotiated(false).unwrap();
        assert_eq!(lenient.on_receive(MsgNumber::IGNORE, 2), Ok(Verdict::Accept));
        assert_eq!(lenient.on_receive(MsgNumber::NEWKEYS, 3), Ok(Verdict::NewKeys { reset_sequence: false }));
    }

    #[test]
    fn non_kex_messages_before_keys_are_refused() {
        let mut rules = KexRules::new();
        assert_eq!(rules.on_receive(MsgNumber::SERVICE_ACCEPT, 0), Err(KexError::Unexpected { number: 6 }));
        let mut rules = KexRules::new();
        rules.on_receive(MsgNumber::KEXINIT, 0).unwrap();
        assert_eq!(rules.on_receive(MsgNumber::KEXINIT, 1), Err(KexError::Unexpected { number: 20 }));
        let mut rules = KexRules::new();
        rules.on_receive(MsgNumber::KEXINIT, 0).unwrap();
        rules.negotiated(true).unwrap();
        assert_eq!(rules.on_receive(MsgNumber::DISCONNECT, 1), Ok(Verdict::Accept));
    }
}
