//! Key logging: both sides log the same NSS lines, named by the
//! ClientHello random, and the logged secrets are the ones in use: the
//! TLS 1.3 server traffic secret opens the server's first record, and the
//! exporter (1.3) / master secret (1.2) reproduce the connection's
//! exported keying material.

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use std::sync::Mutex;

use super::{client_config, pump, rng, server_config};
use crate::tls::exporter::Exporter;
use crate::tls::record::{HEADER_LEN, RecordCipher};
use crate::tls::*;

/// One logged secret: label, client random, secret.
type Entry = (String, [u8; 32], Vec<u8>);

#[derive(Default)]
struct Recorder(Mutex<Vec<Entry>>);

impl KeyLog for Recorder {
    fn log(&self, label: &str, client_random: &[u8; 32], secret: &[u8]) {
        self.0.lock().unwrap().push((label.into(), *client_random, secret.to_vec()));
    }
}

impl Recorder {
    fn secret(&self, label: &str) -> Vec<u8> {
        self.0.lock().unwrap().iter().find(|(l, _, _)| l == label).unwrap().2.clone()
    }
    fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().iter().map(|(l, r, s)| key_log_line(l, r, s)).collect()
    }
}

/// Both sides, both logs, the ClientHello random and the ServerHello
/// random (bytes 11..43 of each side's first record).
type Logged = (Connection, Connection, Arc<Recorder>, Arc<Recorder>, [u8; 32], [u8; 32]);

/// Handshakes with both sides logging.
fn logged(version: ProtocolVersion) -> Logged {
    let (cl, sl) = (Arc::new(Recorder::default()), Arc::new(Recorder::default()));
    let mut cc = client_config();
    cc.max_version = version;
    cc.min_version = version;
    cc.key_log = Some(cl.clone());
    let mut sc = server_config("p256");
    sc.key_log = Some(sl.clone());
    let mut c = Connection::client(Arc::new(cc), "localhost", rng(5)).unwrap();
    let mut s = Connection::server(Arc::new(sc), rng(6)).unwrap();
    let mut hello = Vec::new();
    c.write_tls(&mut hello);
    s.read_tls(&hello).unwrap();
    let mut flight = Vec::new();
    s.write_tls(&mut flight);
    c.read_tls(&flight).unwrap();
    assert_eq!(pump(&mut c, &mut s), (None, None));
    assert!(!c.is_handshaking() && !s.is_handshaking());
    (c, s, cl, sl, hello[11..43].try_into().unwrap(), flight[11..43].try_into().unwrap())
}

#[test]
fn tls13_lines_match_on_both_sides_and_the_secrets_work() {
    let (c, mut s, cl, sl, client_random, _) = logged(ProtocolVersion::Tls13);
    let labels: Vec<String> = cl.0.lock().unwrap().iter().map(|(l, _, _)| l.clone()).collect();
    assert_eq!(
        labels,
        [
            "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
            "SERVER_HANDSHAKE_TRAFFIC_SECRET",
            "CLIENT_TRAFFIC_SECRET_0",
            "SERVER_TRAFFIC_SECRET_0",
            "EXPORTER_SECRET"
        ]
    );
    let mut client_lines = cl.lines();
    let mut server_lines = sl.lines();
    client_lines.sort();
    server_lines.sort();
    assert_eq!(client_lines, server_lines);
    assert!(cl.0.lock().unwrap().iter().all(|(_, r, _)| *r == client_random));

    let suite = c.cipher_suite().unwrap();
    let hash = suite.hash().unwrap();
    let mut ours = [0u8; 32];
    c.export_keying_material(&mut ours, b"keylog test", None).unwrap();
    let ex = Exporter::Tls13 { hash, secret: zeroize::Zeroizing::new(cl.secret("EXPORTER_SECRET")) };
    let mut theirs = [0u8; 32];
    ex.export(b"keylog test", None, &mut theirs).unwrap();
    assert_eq!(ours, theirs);

    s.write_plaintext(b"seen by wireshark").unwrap();
    let mut wire = Vec::new();
    s.write_tls(&mut wire);
    let mut cipher = RecordCipher::new(suite, hash, &sl.secret("SERVER_TRAFFIC_SECRET_0")).unwrap();
    let len = usize::from(u16::from_be_bytes([wire[3], wire[4]]));
    let mut body = wire[HEADER_LEN..HEADER_LEN + len].to_vec();
    cipher.open(len, &mut body).unwrap();
    assert_eq!(body, b"seen by wireshark");
}

#[test]
fn tls12_logs_the_master_secret_under_client_random() {
    let (c, _, cl, sl, hello_random, server_random) = logged(ProtocolVersion::Tls12);
    assert_eq!(cl.lines(), sl.lines());
    let logs = cl.0.lock().unwrap().clone();
    let [(label, client_random, master)] = <[_; 1]>::try_from(logs).unwrap();
    assert_eq!(label, "CLIENT_RANDOM");
    assert_eq!(client_random, hello_random);
    assert_eq!(master.len(), 48);
    let hash = c.cipher_suite().unwrap().hash().unwrap();
    let master = zeroize::Zeroizing::new(<[u8; 48]>::try_from(master.as_slice()).unwrap());
    let ex = Exporter::tls12(hash, &master, &client_random, &server_random);
    let (mut ours, mut theirs) = ([0u8; 32], [0u8; 32]);
    c.export_keying_material(&mut ours, b"keylog test", None).unwrap();
    ex.export(b"keylog test", None, &mut theirs).unwrap();
    assert_eq!(ours, theirs);
}
