"""The SSHServer the simple asyncssh test servers share: any user name,
the password "pw". Imported by server.py, echo_server.py and
matrix_server.py (Python puts a script's own directory on its path).
"""
import asyncssh


class PasswordServer(asyncssh.SSHServer):
    def begin_auth(self, username):
        return True

    def password_auth_supported(self):
        return True

    def validate_password(self, username, password):
        return password == "pw"
