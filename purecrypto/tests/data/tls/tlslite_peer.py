"""A TLS 1.3 peer on tlslite-ng (pure Python, independent of OpenSSL and
GnuTLS), the one peer here that implements RFC 8879 certificate
compression (zlib from the standard library, brotli and zstd through the
`brotli` and `zstandard` packages).

    tlslite_peer.py server CERT KEY ALG COUNT
        listens on 127.0.0.1, prints "port N", then for each of COUNT
        connections: a handshake that asks for a client certificate and
        compresses (and accepts compressed) certificates with ALG only,
        reads one line and answers
        "server_sent=A client_sent=B client_cert=yes|no line=L",
        A and B being the algorithms tlslite saw used ("None" if none).
    tlslite_peer.py client PORT ALG CERT KEY
        connects with a client certificate, accepting (and compressing
        its own certificate with) ALG only, sends "hello from tlslite",
        prints "server_sent=A client_sent=B" and the server's reply.

No chain is checked here (tlslite-ng does not build paths): the
CertificateVerify signature it checks is made with the key inside the
certificate it decompressed, which is what these tests are after.
"""

import socket
import sys

from tlslite import HandshakeSettings, TLSConnection, X509CertChain, parsePEMKey


def settings(alg):
    s = HandshakeSettings()
    s.minVersion = (3, 4)
    s.maxVersion = (3, 4)
    s.certificate_compression_send = [alg]
    s.certificate_compression_receive = [alg]
    return s


def identity(cert, key):
    chain = X509CertChain()
    with open(cert) as f:
        chain.parsePemList(f.read())
    with open(key) as f:
        private = parsePEMKey(f.read(), private=True, implementations=["python"])
    return chain, private


def read_line(conn):
    line = b""
    while not line.endswith(b"\n"):
        chunk = conn.read(max=1)
        if not chunk:
            break
        line += chunk
    return line.decode().strip()


def server(cert, key, alg, count):
    chain, private = identity(cert, key)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    print("port", listener.getsockname()[1], flush=True)
    for _ in range(count):
        sock, _ = listener.accept()
        conn = TLSConnection(sock)
        try:
            conn.handshakeServer(certChain=chain, privateKey=private, settings=settings(alg), reqCert=True)
            line = read_line(conn)
            has_cert = "yes" if conn.session.clientCertChain else "no"
            conn.write(
                f"server_sent={conn.server_cert_compression_algo} "
                f"client_sent={conn.client_cert_compression_algo} "
                f"client_cert={has_cert} line={line}\n".encode()
            )
            conn.close()
        except Exception as e:  # report and go on to the next connection
            print("handshake error:", repr(e), flush=True)
        sock.close()


def client(port, alg, cert, key):
    chain, private = identity(cert, key)
    sock = socket.create_connection(("127.0.0.1", int(port)))
    conn = TLSConnection(sock)
    conn.handshakeClientCert(chain, private, settings=settings(alg), serverName="localhost")
    conn.write(b"hello from tlslite\n")
    print(f"server_sent={conn.server_cert_compression_algo} client_sent={conn.client_cert_compression_algo}")
    print("reply:", read_line(conn), flush=True)
    conn.close()


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        client(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
