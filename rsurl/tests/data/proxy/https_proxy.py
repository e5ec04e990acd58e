#!/usr/bin/env python3
"""An HTTPS proxy for rsurl's tests, on Python's ssl module (OpenSSL):
TLS from the client to the proxy, then a CONNECT tunnel or a forwarded
plain-HTTP request (absolute form) to the target, relayed both ways.

usage: https_proxy.py CERT KEY LOG [CLIENT_CA]
With CLIENT_CA the proxy requires a client certificate issued by it.
Listens on 127.0.0.1 at a free port and prints "PORT=n" once ready.
Appends each request line it saw ("CONNECT h:p HTTP/1.1", "GET http://...")
and the TLS version the client negotiated to LOG, one per line.
"""
import socket
import ssl
import sys
import threading
from urllib.parse import urlsplit


def relay(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def serve(raw, ctx, log, lock):
    try:
        conn = ctx.wrap_socket(raw, server_side=True)
    except (ssl.SSLError, OSError):
        raw.close()
        return
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = conn.recv(1)
        if not chunk:
            conn.close()
            return
        head += chunk
    line = head.split(b"\r\n", 1)[0].decode("latin-1")
    with lock:
        with open(log, "a") as f:
            f.write(line + " " + str(conn.version()) + "\n")
    method, target, _ = line.split(" ", 2)
    if method == "CONNECT":
        host, port = target.rsplit(":", 1)
        upstream = socket.create_connection((host.strip("[]"), int(port)))
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
    else:
        url = urlsplit(target)
        upstream = socket.create_connection((url.hostname, url.port or 80))
        upstream.sendall(head)
    t = threading.Thread(target=relay, args=(conn, upstream), daemon=True)
    t.start()
    relay(upstream, conn)
    t.join()
    conn.close()
    upstream.close()


def main():
    cert, key, log = sys.argv[1:4]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    if len(sys.argv) > 4:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(sys.argv[4])
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    print("PORT=%d" % listener.getsockname()[1], flush=True)
    lock = threading.Lock()
    while True:
        raw, _ = listener.accept()
        threading.Thread(target=serve, args=(raw, ctx, log, lock), daemon=True).start()


if __name__ == "__main__":
    main()
