"""An asyncssh server offering every algorithm it implements, for
puressh's algorithm-set interop test.

Listens on 127.0.0.1 (port chosen by the OS) with fresh Ed25519, ECDSA
P-256 and RSA-2048 host keys and every key exchange (but GSS), cipher and
MAC asyncssh has; accepts the password "pw" for any user and answers every
exec request with "hello" on stdout, "err" on stderr and exit status 3.
Prints the port, then one known_hosts key per host key ("key TYPE B64"),
then "kex=...", "cipher=...", "mac=..." and "key=..." lists, then serves
until its stdin reaches EOF.
"""
import asyncio
import sys

import asyncssh
from password_server import PasswordServer
import asyncssh.encryption
import asyncssh.kex
import asyncssh.mac


async def handle(process):
    process.stdout.write("hello")
    process.stderr.write("err")
    process.exit(3)


def names(algs):
    return ",".join(algs)


async def main():
    keys = [
        asyncssh.generate_private_key("ssh-ed25519"),
        asyncssh.generate_private_key("ecdsa-sha2-nistp256"),
        asyncssh.generate_private_key("ssh-rsa", key_size=2048),
    ]
    # GSS key exchange needs Kerberos credentials: left out.
    kex = [a.decode() for a in asyncssh.kex.get_kex_algs() if not a.startswith(b"gss-")]
    ciphers = [a.decode() for a in asyncssh.encryption.get_encryption_algs()]
    macs = [a.decode() for a in asyncssh.mac.get_mac_algs()]
    # What the three keys can sign with (asyncssh offers them all).
    host_key_algs = ["ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-512", "rsa-sha2-256"]
    server = await asyncssh.create_server(
        PasswordServer,
        "127.0.0.1",
        0,
        server_host_keys=keys,
        process_factory=handle,
        kex_algs=kex,
        encryption_algs=ciphers,
        mac_algs=macs,
    )
    print(server.sockets[0].getsockname()[1])
    for key in keys:
        print("key", key.export_public_key().decode().strip())
    print("kex=" + names(kex))
    print("cipher=" + names(ciphers))
    print("mac=" + names(macs))
    print("key=" + names(host_key_algs), flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


asyncio.run(main())
