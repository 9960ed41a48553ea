"""A tiny attach host for the probe's tests: a real TCP listener on 127.0.0.1 that reads NDJSON."""

import json
import socket
import threading
import time

from .protocol_check import ProbeStreamChecker


class FakeHost:
    """Accepts probe connections; answers hello with welcome (or refused on a wrong token).

    With `reads=False` it accepts and then never reads: a stuck Echoscope; with `reads="hello"` it
    welcomes the probe and then stops reading.
    """

    def __init__(self, token=None, reads=True):
        self.token = token
        self.reads = reads
        self.messages = []  # every message of every connection, in arrival order
        self.checker = ProbeStreamChecker()
        self.closed = threading.Event()
        self._lock = threading.Condition()
        self._conn = None
        self._held = []
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen()
        self.port = self._server.getsockname()[1]
        self.address = f"127.0.0.1:{self.port}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        try:
            conn, _ = self._server.accept()
        except OSError:
            return
        if not self.reads:
            self._held.append(conn)
            return
        self._conn = conn
        self._read(conn)

    def _read(self, conn) -> None:
        buffer = b""
        while True:
            try:
                chunk = conn.recv(65536)
            except OSError:
                chunk = b""
            if not chunk:
                break
            buffer += chunk
            while b"\n" in buffer:
                raw, buffer = buffer.split(b"\n", 1)
                try:
                    message = json.loads(raw)
                except ValueError:
                    message = None
                    self.checker.problems.append(f"not JSON: {raw[:200]!r}")
                self.checker.line(raw, message)
                if isinstance(message, dict) and message.get("type") == "hello":
                    if self.token is not None and message.get("token") != self.token:
                        self.send({"type": "refused", "message": "wrong token"})
                    else:
                        self.send({"type": "welcome", "protocol": 1})
                with self._lock:
                    self.messages.append(message)
                    self._lock.notify_all()
                if self.reads == "hello":
                    return
        self.closed.set()
        with self._lock:
            self._lock.notify_all()

    def send(self, message: dict) -> None:
        self._conn.sendall((json.dumps(message) + "\n").encode())

    def events(self, **match):
        found = []
        with self._lock:
            messages = list(self.messages)
        for message in messages:
            if isinstance(message, dict) and message.get("type") == "events":
                found += [e for e in message["events"] if all(e.get(k) == v for k, v in match.items())]
        return found

    def wait_event(self, timeout=5.0, **match):
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = self.events(**match)  # the condition's lock is reentrant
                if found:
                    return found[0]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no event {match} within {timeout} s; got {self.events()}")
                self._lock.wait(min(remaining, 0.05))

    def wait_message(self, kind: str, timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                for message in self.messages:
                    if isinstance(message, dict) and message.get("type") == kind:
                        return message
                self._lock.wait(0.05)
        raise AssertionError(f"no {kind} message within {timeout} s")

    def close(self) -> None:
        for conn in [self._conn, *self._held]:
            if conn is not None:
                try:
                    conn.close()
                except OSError:
                    pass
        self._server.close()
