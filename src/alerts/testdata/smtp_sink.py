#!/usr/bin/python3
"""A local SMTP sink for the alert email tests (Debian's python3-aiosmtpd).

Usage: smtp_sink.py DIR [--refuse-first N] [--auth USER:PASSWORD]
Listens on 127.0.0.1 (a free port), prints "PORT <n>" on stdout, and writes every accepted
message to DIR/<n>.eml with its envelope in DIR/<n>.json. --refuse-first N answers the first
N messages with "451 4.3.0 try again later" (a temporary failure). --auth requires AUTH PLAIN
or LOGIN with these credentials (TLS is not required: the test runs on loopback). Runs until
it is killed.
"""
import argparse
import json
import os
import socket
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, directory, refuse_first):
        self.directory = directory
        self.refuse_left = refuse_first
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse_left > 0:
                self.refuse_left -= 1
                return "451 4.3.0 try again later"
            self.count += 1
            n = self.count
        base = os.path.join(self.directory, str(n))
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 stored"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--refuse-first", type=int, default=0)
    parser.add_argument("--auth", default="")
    args = parser.parse_args()

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    kwargs = {}
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
                  and auth_data.password.decode() == password)
            return AuthResult(success=ok)

        kwargs = {"authenticator": authenticator, "auth_required": True,
                  "auth_require_tls": False}
    controller = Controller(Sink(args.directory, args.refuse_first), hostname="127.0.0.1",
                            port=port, decode_data=False, **kwargs)
    controller.start()
    print(f"PORT {port}", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    sys.exit(main())
