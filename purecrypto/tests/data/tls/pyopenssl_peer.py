"""A TLS 1.3 peer on the OpenSSL 4 that PyPI `cryptography` bundles (through
pyOpenSSL), the one peer here that speaks the ML-KEM hybrid groups.

    pyopenssl_peer.py server CERT KEY GROUPS COUNT
        listens on 127.0.0.1, prints "port N", then for each of COUNT
        connections reads one line and answers "group=G line=L".
    pyopenssl_peer.py client PORT GROUPS
        connects (no certificate check: the test pins nothing here),
        sends "hello from pyopenssl", prints the group it negotiated and
        the server's reply.

GROUPS is an OpenSSL group list ("X25519MLKEM768:X25519", ...).
"""

import socket
import sys

from OpenSSL import SSL
from cryptography.hazmat.bindings.openssl.binding import Binding


def context(groups):
    ctx = SSL.Context(SSL.TLS_METHOD)
    ctx.set_min_proto_version(SSL.TLS1_3_VERSION)
    if Binding.lib.SSL_CTX_set1_curves_list(ctx._context, groups.encode()) != 1:
        sys.exit(f"OpenSSL refused the group list {groups}")
    return ctx


def read_line(conn):
    line = b""
    while not line.endswith(b"\n"):
        chunk = conn.recv(1)
        if not chunk:
            break
        line += chunk
    return line.decode().strip()


def server(cert, key, groups, count):
    ctx = context(groups)
    ctx.use_certificate_file(cert)
    ctx.use_privatekey_file(key)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    print("port", listener.getsockname()[1], flush=True)
    for _ in range(count):
        sock, _ = listener.accept()
        conn = SSL.Connection(ctx, sock)
        conn.set_accept_state()
        try:
            conn.do_handshake()
            line = read_line(conn)
            conn.sendall(f"group={conn.get_group_name()} line={line}\n".encode())
            conn.shutdown()
        except SSL.Error as e:
            print("handshake error:", e, flush=True)
        sock.close()


def client(port, groups):
    # Blocking: pyOpenSSL on a socket with a timeout raises WantReadError.
    sock = socket.create_connection(("127.0.0.1", int(port)))
    conn = SSL.Connection(context(groups), sock)
    conn.set_connect_state()
    conn.set_tlsext_host_name(b"localhost")
    conn.do_handshake()
    conn.sendall(b"hello from pyopenssl\n")
    print(f"group={conn.get_group_name()} version={conn.get_protocol_version_name()}")
    print("reply:", read_line(conn), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        client(sys.argv[2], sys.argv[3])
