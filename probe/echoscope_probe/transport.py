"""The one connection to Echoscope: a bounded queue drained by a background thread (NDJSON).

The program's threads only append to a deque (never block, never wait for the host); the thread
connects, says hello, waits for the welcome, and writes batches. When the host is absent, refuses,
closes or stops reading, the program goes on unobserved: events beyond the bound are counted as
dropped, and a short notice goes to stderr once.
"""

import collections
import json
import os
import selectors
import socket
import sys
import threading
import time

PROTOCOL = 1
#: Events the queue holds; past it lifecycle events are dropped (and counted).
QUEUE_LIMIT = 10_000
#: Data events (received, echoed, parked) stop being queued earlier, leaving room for lifecycle events.
DATA_LIMIT = QUEUE_LIMIT * 8 // 10
#: A line the probe sends or accepts is at most this long (probe/PROTOCOL.md).
MAX_LINE = 1024 * 1024
#: Events per `events` line at most (a line stays far below MAX_LINE: events are bounded).
BATCH_EVENTS = 2_000
#: Seconds between connection attempts; after the last one the probe gives up.
RETRY_DELAYS = (0.25, 0.5, 1.0, 2.0)
CONNECT_TIMEOUT = 1.0
#: How often the thread wakes to write what the program queued.
TICK = 0.05
#: At exit: the longest wait for queued events to leave, and the longest without any progress.
EXIT_FLUSH = 1.5
EXIT_STALL = 0.3
#: Late writes (warnings asyncio prints during interpreter shutdown) wait at most this for the host.
LATE_WRITE_TIMEOUT = 0.3

_dumps = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), allow_nan=False, default=str).encode


def notice(text: str) -> None:
    try:
        sys.stderr.write(f"echoscope probe: {text}\n")
        sys.stderr.flush()
    except Exception:
        pass


class Transport:
    def __init__(self, host: str, port: int, hello: dict, on_cancel):
        self.address = f"{host}:{port}"
        self._host = host
        self._port = port
        self._hello = hello
        self._on_cancel = on_cancel
        self._events = collections.deque()
        self._replies = collections.deque()
        self.dropped = 0
        self.active = True
        self._seq = 0
        self._sock = None
        self._welcomed = False
        self._stopping = threading.Event()
        self._finished = threading.Event()
        self._late = False  # the thread has stopped; emitters write themselves (shutdown)
        self._late_lock = threading.Lock()
        self._bye_sent = False
        self._thread = threading.Thread(target=self._run, name="echoscope-probe", daemon=True)

    def start(self) -> None:
        self._thread.start()

    # Called by the program's threads -------------------------------------------------------------

    def emit(self, event: dict, data: bool = False) -> None:
        if not self.active:
            return
        if self._late:
            self._write_late([event])
            return
        if len(self._events) >= (DATA_LIMIT if data else QUEUE_LIMIT):
            self.dropped += 1
            return
        self._events.append(event)

    def reply(self, message: dict) -> None:
        if self.active:
            self._replies.append(message)

    def disable(self) -> None:
        """After fork: the child has no sender thread and must not share the parent's socket."""
        self.active = False
        self._events.clear()

    # Exit ----------------------------------------------------------------------------------------

    def finish(self, keep_open: bool) -> None:
        """Flushes what is queued (bounded); with keep_open, later events are written directly."""
        if not self._thread.is_alive():
            return
        self._stopping.set()
        if not self._finished.wait(EXIT_FLUSH + EXIT_STALL + 0.2) or not self.active or self._sock is None:
            self.active = False
            return
        if keep_open:
            self._late = True
        else:
            self.close_with_bye()

    def close_with_bye(self) -> None:
        with self._late_lock:
            if self._bye_sent or self._sock is None:
                return
            self._bye_sent = True
            self._send_blocking(_dumps({"type": "bye", "reason": "exit"}) + "\n")
            self._close()

    # The thread ----------------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            sock = self._connect()
            if sock is None:
                self._give_up()
                return
            self._sock = sock
            self._serve(sock)
        except Exception as exc:  # the program must never see the probe fail
            notice(f"stopped observing ({type(exc).__name__}: {exc}); the program runs unobserved")
            self._give_up()
        finally:
            self._finished.set()

    def _connect(self):
        failure = None
        for attempt, delay in enumerate((0.0, *RETRY_DELAYS)):
            if delay and self._stopping.wait(delay):
                return None
            try:
                sock = socket.create_connection((self._host, self._port), timeout=CONNECT_TIMEOUT)
            except OSError as exc:
                if failure is None:
                    failure = exc.strerror or str(exc) or type(exc).__name__
                    notice(f"cannot reach {self.address} ({failure}); the program runs unobserved")
                continue
            if failure is not None:
                notice(f"reached {self.address} on attempt {attempt + 1}; the program is observed from now on")
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.setblocking(False)
            return sock
        return None

    def _serve(self, sock) -> None:
        selector = selectors.DefaultSelector()
        selector.register(sock, selectors.EVENT_READ)
        pending = bytearray((_dumps(self._hello) + "\n").encode("ascii"))
        incoming = bytearray()
        exit_started = None
        progress_at = None
        try:
            while self.active:
                if not pending and self._welcomed:
                    pending = self._next_lines()
                if self._stopping.is_set():
                    now = time.monotonic()
                    if exit_started is None:
                        exit_started = progress_at = now
                    if not pending and self._welcomed and not self._events and not self._replies:
                        return
                    # A host that stopped reading (or never welcomed) gets a short grace, then the rest
                    # is dropped: the program's exit is delayed by a bounded time only.
                    if now - exit_started > EXIT_FLUSH or now - progress_at > EXIT_STALL:
                        self._give_up()
                        return
                selector.modify(sock, selectors.EVENT_READ | (selectors.EVENT_WRITE if pending else 0))
                for _, mask in selector.select(TICK):
                    if mask & selectors.EVENT_READ and not self._receive(sock, incoming):
                        return
                    if mask & selectors.EVENT_WRITE and pending:
                        try:
                            sent = sock.send(pending)
                        except (BlockingIOError, InterruptedError):
                            sent = 0
                        except OSError as exc:
                            self._lost(f"the connection failed ({exc.strerror or exc})")
                            return
                        if sent:
                            del pending[:sent]
                            progress_at = time.monotonic()
        finally:
            selector.close()

    def _next_lines(self) -> bytearray:
        """The replies waiting, then one `events` line of what the program queued (seq stamped here)."""
        lines = []
        while self._replies:
            lines.append(_dumps(self._replies.popleft()))
        if self._events:
            parts = []
            size = 0
            while self._events and len(parts) < BATCH_EVENTS and size < MAX_LINE // 2:
                event = self._events.popleft()
                self._seq += 1
                event["seq"] = self._seq
                part = _dumps(event)
                parts.append(part)
                size += len(part) + 1
            lines.append('{"type":"events","events":[' + ",".join(parts) + '],"dropped":' + str(self.dropped) + "}")
        return bytearray("".join(line + "\n" for line in lines).encode("ascii")) if lines else bytearray()

    def _receive(self, sock, incoming: bytearray) -> bool:
        try:
            chunk = sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return True
        except OSError as exc:
            self._lost(f"the connection failed ({exc.strerror or exc})")
            return False
        if not chunk:
            self._lost("Echoscope closed the connection")
            return False
        incoming += chunk
        while True:
            end = incoming.find(b"\n")
            if end < 0:
                if len(incoming) > MAX_LINE:
                    self._lost("Echoscope sent a line longer than 1 MiB")
                    return False
                return True
            line = bytes(incoming[:end])
            del incoming[: end + 1]
            if line.strip() and not self._handle(line):
                return False

    def _handle(self, line: bytes) -> bool:
        try:
            message = json.loads(line)
        except ValueError:
            self._lost("Echoscope sent a line that is not JSON")
            return False
        if not isinstance(message, dict):
            return True
        kind = message.get("type")
        if kind == "welcome":
            if message.get("protocol") != PROTOCOL:
                self._lost(f"Echoscope speaks protocol {message.get('protocol')!r}, this probe {PROTOCOL}")
                return False
            self._welcomed = True
        elif kind == "refused":
            text = message.get("message")
            self._lost(f"Echoscope refused the probe ({text if isinstance(text, str) else 'no reason given'})")
            return False
        elif kind == "cancel" and self._welcomed:
            request_id, task_id = message.get("requestId"), message.get("taskId")
            if _is_int(request_id):
                if _is_int(task_id):
                    self._on_cancel(request_id, task_id)
                else:
                    self.reply(cancel_result(request_id, False, "taskId must be an integer"))
        return True  # unknown messages are ignored: a newer host may send more

    def _lost(self, why: str) -> None:
        notice(f"{why}; the program runs unobserved from here")
        self._give_up()

    def _give_up(self) -> None:
        self.active = False
        self._events.clear()
        self._replies.clear()
        self._close()

    def _close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass

    # Late writes, on the thread that reports (the sender thread has stopped) -----------------------

    def _write_late(self, events: list) -> None:
        with self._late_lock:
            if self._sock is None or self._bye_sent:
                return
            parts = []
            for event in events:
                self._seq += 1
                event["seq"] = self._seq
                parts.append(_dumps(event))
            line = '{"type":"events","events":[' + ",".join(parts) + '],"dropped":' + str(self.dropped) + "}\n"
            self._send_blocking(line)

    def _send_blocking(self, line: str) -> None:
        sock = self._sock
        if sock is None:
            return
        try:
            sock.settimeout(LATE_WRITE_TIMEOUT)
            sock.sendall(line.encode("ascii"))
        except OSError:
            self.active = False
            self._close()


def cancel_result(request_id: int, cancelled: bool, message: str = "") -> dict:
    result = {"type": "cancel-result", "requestId": request_id, "cancelled": cancelled}
    if message:
        result["message"] = message
    return result


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_address(text: str):
    """'host:port' or '[v6]:port' -> (host, port)."""
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not host:
        raise ValueError(f"expected HOST:PORT, got {text!r}")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    number = int(port)
    if not 0 < number < 65536:
        raise ValueError(f"port out of range in {text!r}")
    return host, number


def process_facts() -> dict:
    import platform

    return {
        "pid": os.getpid(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
    }
