#!/usr/bin/env python3
"""A paramiko 5.1.0 SSH server for puressh's interop tests.

Usage: server.py AUTHORIZED_PUB HOSTKEY...

Host keys are OpenSSH private key files (ssh-keygen made, no passphrase);
every one is offered. Logins: publickey with the key in AUTHORIZED_PUB,
any user name. Each `exec` request runs its command with /bin/sh in this
process's environment, stdin/stdout/stderr streamed over the channel,
then exit-status. The first line on stdout is "PORT", then the algorithm
lists paramiko offers as "kex=a,b", "cipher=...", "mac=...", "key=...".
The server exits when its stdin reaches EOF (the test binary holds it).
"""
import socket
import subprocess
import sys
import threading

import paramiko


class Server(paramiko.ServerInterface):
    def __init__(self, authorized):
        self.authorized = authorized

    def get_allowed_auths(self, username):
        return "publickey"

    def check_auth_publickey(self, username, key):
        if key.asbytes() == self.authorized:
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_channel_request(self, kind, chanid):
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def check_channel_exec_request(self, channel, command):
        threading.Thread(target=run, args=(channel, command), daemon=True).start()
        return True


def pump_in(channel, proc):
    """Channel data to the command's stdin until the client's EOF."""
    try:
        while True:
            data = channel.recv(65536)
            if not data:
                break
            proc.stdin.write(data)
            proc.stdin.flush()
    except (OSError, EOFError):
        pass
    finally:
        try:
            proc.stdin.close()
        except OSError:
            pass


def pump_err(channel, proc):
    for chunk in iter(lambda: proc.stderr.read1(65536), b""):
        channel.sendall_stderr(chunk)


def run(channel, command):
    proc = subprocess.Popen(
        ["/bin/sh", "-c", command.decode()],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    threading.Thread(target=pump_in, args=(channel, proc), daemon=True).start()
    err = threading.Thread(target=pump_err, args=(channel, proc), daemon=True)
    err.start()
    for chunk in iter(lambda: proc.stdout.read1(65536), b""):
        channel.sendall(chunk)
    err.join()
    channel.send_exit_status(proc.wait())
    channel.shutdown_write()
    channel.close()


def load_key(path):
    for kind in (paramiko.Ed25519Key, paramiko.ECDSAKey, paramiko.RSAKey):
        try:
            return kind.from_private_key_file(path)
        except (paramiko.SSHException, ValueError):
            continue
    raise SystemExit(f"cannot load host key {path}")


def serve(conn, authorized, host_keys):
    transport = paramiko.Transport(conn)
    for key in host_keys:
        transport.add_server_key(key)
    try:
        transport.start_server(server=Server(authorized))
    except (paramiko.SSHException, EOFError, OSError):
        return
    while transport.is_active():
        transport.join(1)


def main():
    line = open(sys.argv[1]).read().split()
    authorized = paramiko.PKey.from_type_string(line[0], __import__("base64").b64decode(line[1])).asbytes()
    host_keys = [load_key(p) for p in sys.argv[2:]]
    # Group exchange as a server needs the moduli (openssh-server's file).
    if not paramiko.Transport.load_server_moduli():
        raise SystemExit("no /etc/ssh/moduli for diffie-hellman-group-exchange")
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    t = paramiko.Transport
    print(listener.getsockname()[1])
    print("kex=" + ",".join(t._preferred_kex))
    print("cipher=" + ",".join(t._preferred_ciphers))
    print("mac=" + ",".join(t._preferred_macs))
    print("key=" + ",".join(t._preferred_keys))
    sys.stdout.flush()

    def accept():
        while True:
            conn, _ = listener.accept()
            threading.Thread(target=serve, args=(conn, authorized, host_keys), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    sys.stdin.read()


if __name__ == "__main__":
    main()
