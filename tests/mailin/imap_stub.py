"""A small IMAP4rev1 server on loopback, enough for imaplib and the poller; it records commands.

It serves one folder of messages with UIDs and speaks: CAPABILITY, LOGIN, SELECT / EXAMINE,
UID SEARCH UID n:* and ALL, UID FETCH (RFC822.SIZE | BODY.PEEK[] | BODY.PEEK[HEADER]), NOOP,
LOGOUT. Anything else is answered BAD, so a poller that tried to change the mailbox (STORE,
EXPUNGE, COPY, MOVE) would be seen doing it.
"""

from __future__ import annotations

import re
import socketserver
import threading
from dataclasses import dataclass, field
from functools import partial


@dataclass
class Folder:
    uid_validity: int = 1
    messages: dict[int, bytes] = field(default_factory=dict)  # uid -> raw message
    commands: list[str] = field(default_factory=list)  # every command received, in order
    user: str = "desk"
    password: str = "secret"

    def add(self, raw: bytes) -> int:
        uid = max(self.messages, default=0) + 1
        self.messages[uid] = raw
        return uid


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def send(self, line: str | bytes) -> None:
        data = line if isinstance(line, bytes) else line.encode()
        self.wfile.write(data + b"\r\n")

    def handle(self) -> None:
        folder = self.server.folder
        self.send("* OK [CAPABILITY IMAP4rev1] stub ready")
        signed_in = False
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode().rstrip("\r\n")
            tag, _space, rest = line.partition(" ")
            command, _space, argument = rest.partition(" ")
            command = command.upper()
            folder.commands.append(rest)
            if command == "CAPABILITY":
                self.send("* CAPABILITY IMAP4rev1")
            elif command == "LOGIN":
                user, password = [a.strip('"') for a in argument.split(" ", 1)]
                if (user, password) != (folder.user, folder.password):
                    self.send(f"{tag} NO [AUTHENTICATIONFAILED] wrong user or password")
                    continue
                signed_in = True
            elif command == "LOGOUT":
                self.send("* BYE stub")
                self.send(f"{tag} OK LOGOUT completed")
                return
            elif not signed_in:
                self.send(f"{tag} BAD sign in first")
                continue
            elif command in ("SELECT", "EXAMINE"):
                self.send(f"* {len(folder.messages)} EXISTS")
                self.send(f"* OK [UIDVALIDITY {folder.uid_validity}] UIDs valid")
                mode = "READ-ONLY" if command == "EXAMINE" else "READ-WRITE"
                self.send(f"{tag} OK [{mode}] {command} completed")
                continue
            elif command == "UID":
                if not self.uid(tag, argument):
                    continue
            elif command != "NOOP":
                self.send(f"{tag} BAD {command} is not served here")
                continue
            self.send(f"{tag} OK {command} completed")

    def uid(self, tag: str, argument: str) -> bool:
        folder = self.server.folder
        kind, _space, rest = argument.partition(" ")
        uids = sorted(folder.messages)
        if kind.upper() == "SEARCH":
            found = re.fullmatch(r"UID (\d+):\*", rest)
            if rest.upper() == "ALL":
                chosen = uids
            elif found:
                low = int(found.group(1))
                # RFC 3501: "n:*" with n above the highest UID still means the highest one.
                chosen = [uid for uid in uids if uid >= low] or uids[-1:]
            else:
                self.send(f"{tag} BAD search")
                return False
            self.send("* SEARCH" + "".join(f" {uid}" for uid in chosen))
            return True
        if kind.upper() == "FETCH":
            number, _space, items = rest.partition(" ")
            uid = int(number)
            if uid not in folder.messages:
                return True  # nothing to say about a UID that is gone
            sequence = uids.index(uid) + 1
            raw = folder.messages[uid]
            if items == "(RFC822.SIZE)":
                self.send(f"* {sequence} FETCH (UID {uid} RFC822.SIZE {len(raw)})")
                return True
            if items in ("(BODY.PEEK[])", "(BODY.PEEK[HEADER])"):
                data = (
                    raw if items == "(BODY.PEEK[])" else raw.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
                )
                section = "" if items == "(BODY.PEEK[])" else "HEADER"
                self.wfile.write(
                    f"* {sequence} FETCH (UID {uid} BODY[{section}] {{{len(data)}}}\r\n".encode()
                    + data
                    + b")\r\n"
                )
                return True
        self.send(f"{tag} BAD UID {kind} is not served here")
        return False


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    folder: Folder


class ImapStub:
    """Run the stub in a thread: `with ImapStub(folder) as port: ...`."""

    def __init__(self, folder: Folder) -> None:
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.folder = folder

    def __enter__(self) -> int:
        serve = partial(self.server.serve_forever, poll_interval=0.05)
        threading.Thread(target=serve, daemon=True).start()
        return self.server.server_address[1]

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
