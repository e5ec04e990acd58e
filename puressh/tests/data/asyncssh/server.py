"""A minimal asyncssh server for puressh's interop tests.

Listens on 127.0.0.1 (port chosen by the OS) with a fresh Ed25519 host
key and only the key exchange methods named on the command line; accepts
the password "pw" for any user and answers every exec request with
"hello" on stdout, "err" on stderr and exit status 3. Prints
"PORT HOSTKEY" on its first line, then serves until killed.
"""
import asyncio
import sys

import asyncssh
from password_server import PasswordServer


async def handle(process):
    process.stdout.write("hello\n")
    process.stderr.write("err\n")
    process.exit(3)


async def main():
    key = asyncssh.generate_private_key("ssh-ed25519")
    server = await asyncssh.create_server(
        PasswordServer, "127.0.0.1", 0, server_host_keys=[key], process_factory=handle, kex_algs=sys.argv[1:]
    )
    port = server.sockets[0].getsockname()[1]
    print(port, key.export_public_key().decode().strip(), flush=True)
    await asyncio.Future()


asyncio.run(main())
