//! The HTTPS server behind `ci-templates/demo`: pure Rust, offline, with a
//! throwaway CA made fresh on every start.
//!
//! `demo_server DIR` makes a P-256 CA and a `localhost` / `127.0.0.1`
//! leaf it signs (purecrypto's `x509::CertificateBuilder`), writes the
//! CA to `DIR/ca.pem` (what `rsurl --cacert` trusts), listens on a free
//! loopback port and prints `PORT=n` on stdout once it accepts
//! connections. It serves one resource, `/demo.txt` (about 1 MiB of text),
//! gzip-compressed by compcol when the request's `Accept-Encoding` allows
//! it, over purecrypto's TLS server (TLS 1.3 or 1.2, ALPN `http/1.1`).
//! Every connection gets one response and is closed. The process exits
//! by itself after two minutes so a demo that dies cannot leave it
//! behind; the demo script kills it sooner.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use purecrypto::ec::{P256, ecdsa};
use purecrypto::rng::OsRng;
use purecrypto::tls::{self, Connection, ServerConfig, Stream};
use purecrypto::x509::{CertificateBuilder, GeneralName, KeyUsage, SigningKey, name, oids};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// How long the server lives at most.
const LIFETIME: Duration = Duration::from_secs(120);

/// The resource: numbered lines of text, which compress well.
fn resource() -> Vec<u8> {
    let mut body = Vec::new();
    for i in 0..16_384 {
        body.extend_from_slice(
            format!("{i:06} rsurl demo: HTTPS verified by purecrypto, decoded by compcol\n").as_bytes(),
        );
    }
    body
}

/// A fresh P-256 key, usable both to sign certificates (x509) and in the
/// TLS handshake.
fn p256_pair() -> Result<(SigningKey, tls::SigningKey)> {
    let key = ecdsa::SigningKey::<P256>::generate(&mut OsRng)?;
    let bytes = key.secret_key().to_bytes();
    let again = ecdsa::SigningKey::<P256>::from_bytes(&bytes)?;
    Ok((SigningKey::P256(key), tls::SigningKey::EcdsaP256(again)))
}

/// The CA certificate (DER), the leaf chain and the leaf's TLS key.
fn throwaway_pki() -> Result<(Vec<u8>, Vec<Vec<u8>>, tls::SigningKey)> {
    let now = i64::try_from(SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs())?;
    let (ca_key, _) = p256_pair()?;
    let ca_name = name::encode_name(&[("O", "rsurl demo"), ("CN", "rsurl demo throwaway CA")])?;
    let ca = CertificateBuilder::new(&ca_name, &ca_key.spki_der(), now - 3600, now + 86_400)
        .basic_constraints(true, Some(0))
        .key_usage(KeyUsage(KeyUsage::KEY_CERT_SIGN | KeyUsage::CRL_SIGN))
        .key_identifiers(None)?
        .sign(&ca_key, &mut OsRng)?;
    let (leaf_x509, leaf_tls) = p256_pair()?;
    let leaf_name = name::encode_name(&[("CN", "localhost")])?;
    let leaf = CertificateBuilder::new(&leaf_name, &leaf_x509.spki_der(), now - 3600, now + 86_400)
        .issuer(&ca_name)
        .serial(&[2])
        .basic_constraints(false, None)
        .key_usage(KeyUsage(KeyUsage::DIGITAL_SIGNATURE))
        .ext_key_usage(&[oids::EKU_SERVER_AUTH])
        .subject_alt_names(&[GeneralName::Dns("localhost"), GeneralName::Ip(&[127, 0, 0, 1])])
        .key_identifiers(Some(&ca_key.spki_der()))?
        .sign(&ca_key, &mut OsRng)?;
    Ok((ca, vec![leaf], leaf_tls))
}

/// Reads the request head (up to the blank line, at most 64 KiB).
fn read_head(stream: &mut impl Read) -> Result<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf)?;
        if n == 0 || head.len() > 65_536 {
            return Err("request head incomplete".into());
        }
        head.extend_from_slice(buf.get(..n).unwrap_or_default());
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

/// Whether the request's `Accept-Encoding` lists gzip.
fn accepts_gzip(head: &str) -> bool {
    head.lines().any(|l| {
        l.split_once(':').is_some_and(|(name, value)| {
            name.trim().eq_ignore_ascii_case("accept-encoding")
                && value.split(',').any(|c| c.trim().split(';').next() == Some("gzip"))
        })
    })
}

/// One connection: handshake, one request, one response, close.
fn serve(tcp: TcpStream, config: Arc<ServerConfig>, plain: &[u8], gzipped: &[u8]) -> Result<()> {
    tcp.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut tls = Stream::new(Connection::new_server(config)?, tcp);
    tls.handshake()?;
    let head = read_head(&mut tls)?;
    let path = head.split_whitespace().nth(1).unwrap_or("/");
    let response = if path != "/demo.txt" {
        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
    } else {
        let (coding, body) = if accepts_gzip(&head) { ("Content-Encoding: gzip\r\n", gzipped) } else { ("", plain) };
        let mut r = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n{coding}Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        r.extend_from_slice(body);
        r
    };
    tls.write_all(&response)?;
    tls.flush()?;
    tls.close()?;
    Ok(())
}

fn main() -> Result<()> {
    let dir = std::env::args().nth(1).ok_or("usage: demo_server DIR (writes DIR/ca.pem, prints PORT=n)")?;
    let (ca, chain, key) = throwaway_pki()?;
    std::fs::write(std::path::Path::new(&dir).join("ca.pem"), purecrypto::asn1::pem::encode("CERTIFICATE", &ca))?;
    let mut config = ServerConfig::new(chain, key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let config = Arc::new(config);
    let plain = resource();
    let gzipped = compcol::gzip::compress_to_vec(&plain, 6)?;
    let listener = TcpListener::bind("127.0.0.1:0")?;
    println!("PORT={}", listener.local_addr()?.port());
    std::io::stdout().flush()?;
    std::thread::spawn(|| {
        std::thread::sleep(LIFETIME);
        std::process::exit(0);
    });
    for tcp in listener.incoming().flatten() {
        if let Err(e) = serve(tcp, config.clone(), &plain, &gzipped) {
            eprintln!("demo_server: connection ended: {e}");
        }
    }
    Ok(())
}
