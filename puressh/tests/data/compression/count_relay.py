"""A ProxyCommand for puressh's compression tests: relays stdin/stdout
to 127.0.0.1:PORT and, when the server side closes, writes how many
bytes came from the server to OUTFILE. Usage: count_relay.py PORT OUTFILE
"""
import os
import socket
import sys
import threading

sock = socket.create_connection(("127.0.0.1", int(sys.argv[1])))


def upload():
    while True:
        data = os.read(0, 65536)
        if not data:
            break
        sock.sendall(data)
    sock.shutdown(socket.SHUT_WR)


threading.Thread(target=upload, daemon=True).start()
received = 0
while True:
    data = sock.recv(65536)
    if not data:
        break
    received += len(data)
    os.write(1, data)
with open(sys.argv[2], "w") as f:
    f.write(str(received))
