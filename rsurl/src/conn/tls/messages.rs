//! curl's per-message `-v` lines for a TLS session, as curl 7.88 prints
//! them from OpenSSL 3.0's message callback (`ossl_trace`), made from
//! purecrypto's message log: `TLSv1.3 (OUT), TLS handshake, Client hello (1):`,
//! `TLSv1.3 (OUT), TLS alert, unknown CA (560):`.
//!
//! Entry point: [`line`].

use purecrypto::tls::{AlertDescription, HandshakeType, MessageDirection, MessageEvent, MessageKind};

/// The line (without curl's `* `) for one logged message; `None` for what
/// OpenSSL 3.0 does not report: a received `change_cipher_spec` (TLS 1.2's,
/// or a TLS 1.3 peer's middlebox-compatibility one).
pub(crate) fn line(e: &MessageEvent) -> Option<String> {
    let dir = match e.direction {
        MessageDirection::Sent => "OUT",
        MessageDirection::Received => "IN",
        _ => return None,
    };
    // curl reads the type (and an alert's two bytes) through `char`,
    // signed on the platforms curl is built for.
    let signed = |b: u8| i32::from(i8::from_ne_bytes([b]));
    let (record, name, number) = match e.kind {
        MessageKind::Handshake(t) => ("TLS handshake", handshake_name(t), signed(t.to_u8())),
        MessageKind::ChangeCipherSpec if e.direction == MessageDirection::Received => return None,
        MessageKind::ChangeCipherSpec => ("TLS change cipher", "Change cipher spec", 1),
        MessageKind::Alert { level, description } => {
            ("TLS alert", alert_name(description), (signed(level) << 8) + signed(description.0))
        }
        _ => return None,
    };
    Some(format!("{} ({dir}), {record}, {name} ({number}):", e.version.name()))
}

/// curl's `ssl_msg_type` names.
fn handshake_name(t: HandshakeType) -> &'static str {
    match t {
        HandshakeType::HelloRequest => "Hello request",
        HandshakeType::ClientHello => "Client hello",
        HandshakeType::ServerHello => "Server hello",
        HandshakeType::NewSessionTicket => "Newsession Ticket",
        HandshakeType::EndOfEarlyData => "End of early data",
        HandshakeType::EncryptedExtensions => "Encrypted Extensions",
        HandshakeType::Certificate => "Certificate",
        HandshakeType::ServerKeyExchange => "Server key exchange",
        HandshakeType::CertificateRequest => "Request CERT",
        HandshakeType::ServerHelloDone => "Server finished",
        HandshakeType::CertificateVerify => "CERT verify",
        HandshakeType::ClientKeyExchange => "Client key exchange",
        HandshakeType::Finished => "Finished",
        HandshakeType::KeyUpdate => "Key update",
        HandshakeType::CertificateStatus => "Certificate Status",
        HandshakeType::MessageHash => "Message hash",
        // OpenSSL 3.0 does not know RFC 8879's CompressedCertificate.
        HandshakeType::CompressedCertificate => "Unknown",
    }
}

/// OpenSSL's `SSL_alert_desc_string_long`.
fn alert_name(d: AlertDescription) -> &'static str {
    const NAMES: &[(u8, &str)] = &[
        (0, "close notify"),
        (10, "unexpected_message"),
        (20, "bad record mac"),
        (21, "decryption failed"),
        (22, "record overflow"),
        (30, "decompression failure"),
        (40, "handshake failure"),
        (41, "no certificate"),
        (42, "bad certificate"),
        (43, "unsupported certificate"),
        (44, "certificate revoked"),
        (45, "certificate expired"),
        (46, "certificate unknown"),
        (47, "illegal parameter"),
        (48, "unknown CA"),
        (49, "access denied"),
        (50, "decode error"),
        (51, "decrypt error"),
        (60, "export restriction"),
        (70, "protocol version"),
        (71, "insufficient security"),
        (80, "internal error"),
        (86, "inappropriate fallback"),
        (90, "user canceled"),
        (100, "no renegotiation"),
        (110, "unsupported extension"),
        (111, "certificate unobtainable"),
        (112, "unrecognized name"),
        (113, "bad certificate status response"),
        (114, "bad certificate hash value"),
        (115, "unknown PSK identity"),
        (120, "no application protocol"),
    ];
    NAMES.iter().find(|(v, _)| *v == d.0).map_or("unknown", |(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use purecrypto::tls::ProtocolVersion;

    #[test]
    fn numbers_and_names_as_curl_prints_them() {
        use MessageDirection::{Received, Sent};
        let (v13, v12) = (ProtocolVersion::Tls13, ProtocolVersion::Tls12);
        let hs = MessageKind::Handshake;
        let cases = [
            (Sent, hs(HandshakeType::ClientHello), v13, Some("TLSv1.3 (OUT), TLS handshake, Client hello (1):")),
            (
                Received,
                hs(HandshakeType::CertificateVerify),
                v13,
                Some("TLSv1.3 (IN), TLS handshake, CERT verify (15):"),
            ),
            (
                Received,
                hs(HandshakeType::NewSessionTicket),
                v13,
                Some("TLSv1.3 (IN), TLS handshake, Newsession Ticket (4):"),
            ),
            (
                Received,
                hs(HandshakeType::ServerHelloDone),
                v12,
                Some("TLSv1.2 (IN), TLS handshake, Server finished (14):"),
            ),
            (
                Sent,
                MessageKind::ChangeCipherSpec,
                v12,
                Some("TLSv1.2 (OUT), TLS change cipher, Change cipher spec (1):"),
            ),
            (Received, MessageKind::ChangeCipherSpec, v13, None),
            (Received, MessageKind::ChangeCipherSpec, v12, None),
            (
                Sent,
                MessageKind::Alert { level: 2, description: AlertDescription::UNKNOWN_CA },
                v13,
                Some("TLSv1.3 (OUT), TLS alert, unknown CA (560):"),
            ),
            (
                Received,
                MessageKind::Alert { level: 1, description: AlertDescription::CLOSE_NOTIFY },
                v12,
                Some("TLSv1.2 (IN), TLS alert, close notify (256):"),
            ),
        ];
        for (direction, kind, version, want) in cases {
            let got = line(&MessageEvent::new(direction, kind, version, 4));
            assert_eq!(got.as_deref(), want, "{kind:?}");
        }
    }
}
