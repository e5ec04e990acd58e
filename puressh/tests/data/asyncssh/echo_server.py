"""An asyncssh server for puressh's compression tests.

Listens on 127.0.0.1 (port chosen by the OS) with a fresh Ed25519 host
key, offering only the compression methods named on the command line;
accepts the password "pw" for any user and echoes each exec session's
stdin to its stdout, then exits with status 0. Prints "PORT HOSTKEY" on
its first line, then serves until killed.
"""
import asyncio
import sys

import asyncssh
from password_server import PasswordServer


async def handle(process):
    while True:
        data = await process.stdin.read(65536)
        if not data:
            break
        process.stdout.write(data)
        await process.stdout.drain()
    process.exit(0)


async def main():
    key = asyncssh.generate_private_key("ssh-ed25519")
    server = await asyncssh.create_server(
        PasswordServer,
        "127.0.0.1",
        0,
        server_host_keys=[key],
        process_factory=handle,
        compression_algs=sys.argv[1:],
        encoding=None,
    )
    port = server.sockets[0].getsockname()[1]
    print(port, key.export_public_key().decode().strip(), flush=True)
    await asyncio.Future()


asyncio.run(main())
