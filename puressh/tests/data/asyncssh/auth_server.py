"""An asyncssh server for puressh's user-authentication interop tests.

Usage: python auth_server.py AUTHORIZED_KEY.pub
Listens on 127.0.0.1 at an ephemeral port, prints "PORT=<n>" and
"HOSTKEY=<openssh public key>" lines on stdout, and serves until its
stdin closes (so it ends with the test process that started it).

Users (each test connection picks one):
  alice  password "correct horse battery staple"
  kbd    keyboard-interactive: one round of two prompts (Password, Token:
         answers "s3cret", "424242"), then one empty round (a message only)
  both   publickey (AUTHORIZED_KEY) AND password "second factor", in any
         order: the first method answers FAILURE with partial success
  anon   nothing: the "none" method succeeds
  chg    password "old pw" is expired: PASSWD_CHANGEREQ, new one "new pw"
  loop   keyboard-interactive that never decides (a hostile server)
Every user may run one exec request, answered with "user=U command=C".
"""

import asyncio
import sys

import asyncssh
from asyncssh.connection import SSHServerConnection

PASSWORDS = {"alice": "correct horse battery staple", "both": "second factor"}
KBD_ANSWERS = ["s3cret", "424242"]
KBD_CHALLENGE = ("Login", "Answer both", "", [("Password: ", False), ("Token: ", True)])
KBD_MESSAGE = ("Welcome", "No questions this round", "", [])
LOOP_CHALLENGE = ("Again", "", "", [("Again: ", False)])


class AuthServer(asyncssh.SSHServer):
    """Per-connection state: the user and the methods that succeeded."""

    authorized = None  # the AUTHORIZED_KEY, set in main()

    def __init__(self):
        self.user = ""
        self.done = set()
        self.last = None
        self.kbd_round = 0

    def begin_auth(self, username):
        self.user = username
        return username != "anon"

    def required(self):
        return {"publickey", "password"} if self.user == "both" else None

    def public_key_auth_supported(self):
        return self.user == "both" and "publickey" not in self.done

    def validate_public_key(self, username, key):
        self.last = "publickey"
        return key.public_data == self.authorized.public_data

    def password_auth_supported(self):
        return self.user in ("alice", "chg") or (self.user == "both" and "password" not in self.done)

    def validate_password(self, username, password):
        self.last = "password"
        if username == "chg" and password == "old pw":
            raise asyncssh.PasswordChangeRequired("Password expired, choose a new one")
        return PASSWORDS.get(username) == password

    def change_password(self, username, old_password, new_password):
        self.last = "password"
        return username == "chg" and old_password == "old pw" and new_password == "new pw"

    def kbdint_auth_supported(self):
        return self.user in ("kbd", "loop")

    def get_kbdint_challenge(self, username, lang, submethods):
        self.last = "keyboard-interactive"
        self.kbd_round = 0
        return LOOP_CHALLENGE if username == "loop" else KBD_CHALLENGE

    def validate_kbdint_response(self, username, responses):
        if username == "loop":
            return LOOP_CHALLENGE
        self.kbd_round += 1
        if self.kbd_round == 1:
            return KBD_MESSAGE if list(responses) == KBD_ANSWERS else False
        return list(responses) == []


# asyncssh has no multi-method policy of its own: a success that leaves a
# required method undone becomes FAILURE with partial success (RFC 4252 §5.1),
# listing the methods still supported.
_send_success = SSHServerConnection.send_userauth_success


async def _success_or_partial(conn):
    server = conn._owner
    required = server.required() if isinstance(server, AuthServer) else None
    if required is not None:
        server.done.add(server.last)
        if not required <= server.done:
            conn.send_userauth_failure(True)
            return
    await _send_success(conn)


SSHServerConnection.send_userauth_success = _success_or_partial


def handle_exec(process):
    user = process.get_extra_info("username")
    process.stdout.write(f"user={user} command={process.command}\n")
    process.exit(0)


async def main():
    AuthServer.authorized = asyncssh.read_public_key(sys.argv[1])
    host_key = asyncssh.generate_private_key("ssh-ed25519")
    server = await asyncssh.create_server(
        AuthServer, "127.0.0.1", 0, server_host_keys=[host_key], process_factory=handle_exec
    )
    port = server.sockets[0].getsockname()[1]
    public = host_key.export_public_key().decode().split()
    print(f"PORT={port}", flush=True)
    print(f"HOSTKEY={public[0]} {public[1]}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    server.close()


asyncio.run(main())
