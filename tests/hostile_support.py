"""Fixtures' machinery for the hostile-input tests: a loopback listener that records every
connection attempt, and secret files that record whether anyone opened them.

A hostile document names ``@HTTP@`` (the listener's base URL) and ``@SECRET@`` (a
secret file's absolute path); :func:`instantiate` fills both in. A secret is either a
regular file holding :data:`MARKER` (to prove its content never reaches any output) or
a FIFO (to prove it is never even opened: opening a FIFO for reading wakes the thread
blocked on opening it for writing).
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

MARKER = "WSLA-SECRET-7f3a9c"
SECRET_TEXT = f'<!ENTITY leakedname "{MARKER}">\n{MARKER}\n'


@dataclass
class Listener:
    """A TCP listener on 127.0.0.1 that accepts and records every connection."""

    url: str
    connections: list[tuple[str, int]] = field(default_factory=list)


@contextlib.contextmanager
def listening() -> Iterator[Listener]:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.05)
    port = server.getsockname()[1]
    listener = Listener(url=f"http://127.0.0.1:{port}")
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, address = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            listener.connections.append(address)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()


@dataclass
class Secret:
    path: Path
    is_fifo: bool
    opened: threading.Event = field(default_factory=threading.Event)


@contextlib.contextmanager
def secret_file(folder: Path, fifo: bool) -> Iterator[Secret]:
    """A secret at ``folder/secret.txt``: a regular file with :data:`MARKER`, or a FIFO
    whose ``opened`` event is set if anything opens it for reading."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "secret.txt"
    if not fifo:
        path.write_text(SECRET_TEXT, encoding="utf-8")
        yield Secret(path, is_fifo=False)
        return
    os.mkfifo(path)
    secret = Secret(path, is_fifo=True)
    releasing = threading.Event()

    def watch() -> None:
        # Blocks until a reader opens the FIFO (the code under test, or us at the end).
        fd = os.open(path, os.O_WRONLY)
        try:
            if not releasing.is_set():
                secret.opened.set()
                os.write(fd, SECRET_TEXT.encode())
        finally:
            os.close(fd)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield secret
    finally:
        releasing.set()
        with contextlib.suppress(OSError):
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            thread.join(timeout=5)
            os.close(fd)


def instantiate(template: bytes, listener: Listener, secret: Secret) -> bytes:
    return template.replace(b"@HTTP@", listener.url.encode()).replace(
        b"@SECRET@", str(secret.path).encode()
    )


def assert_no_leak(outputs: list[str], listener: Listener, secret: Secret) -> None:
    """Nothing of the secret in any output, no connection, the secret never opened."""
    for output in outputs:
        assert MARKER not in output
        assert "leakedname" not in output
    assert listener.connections == []
    assert not secret.opened.is_set(), "the secret file was opened"
