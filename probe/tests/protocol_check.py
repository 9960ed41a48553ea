"""Checks every line a probe sends against probe/PROTOCOL.md: field names, types and bounds."""

import base64
import binascii

MAX_LINE = 1024 * 1024
AWAIT_POINTS = {"recv", "send", "accept", "other"}
BASE = {"kind", "seq", "at", "taskId"}
ERROR_FIELDS = {"name": str, "message": str, "stack": str}


def _int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _short(value) -> bool:
    return isinstance(value, str) and len(value) <= 200


def _error(value) -> bool:
    return (
        isinstance(value, dict)
        and set(value) == set(ERROR_FIELDS)
        and all(isinstance(value[k], t) for k, t in ERROR_FIELDS.items())
        and len(value["stack"]) <= 16 * 1024
    )


def _preview(value) -> bool:
    try:
        return isinstance(value, str) and len(base64.b64decode(value, validate=True)) <= 256
    except (binascii.Error, ValueError):
        return False


def _task(value) -> bool:
    return isinstance(value, dict) and set(value) == {"name", "coroutine"} and all(_short(v) for v in value.values())


# kind -> (required field checks, optional field checks)
EVENTS = {
    "accepted": (
        {"peerAddress": lambda v: isinstance(v, str), "peerPort": _int, "localPort": _int},
        {"task": _task},
    ),
    "parked": ({"awaitPoint": AWAIT_POINTS.__contains__}, {"awaitDetail": _short}),
    "received": (
        {"bytes": lambda v: _int(v) and v > 0, "reads": lambda v: _int(v) and v > 0, "preview": _preview},
        {},
    ),
    "echoed": ({"bytes": lambda v: _int(v) and v >= 0, "sends": lambda v: _int(v) and v > 0}, {}),
    "completed": ({}, {}),
    "failed": (
        {
            "error": _error,
            "policy": "unhandled".__eq__,
            "awaitPoint": AWAIT_POINTS.__contains__,
            "dangling": lambda v: isinstance(v, bool),
        },
        {"awaitDetail": _short},
    ),
    "cancelled": (
        {"awaitPoint": AWAIT_POINTS.__contains__, "reason": {"user", "stop"}.__contains__},
        {"awaitDetail": _short},
    ),
    "closed": ({"reason": {"task-ended", "finalized", "peer"}.__contains__, "reset": False.__eq__}, {}),
    "unretrieved": ({"error": _error, "via": {"gc", "shutdown"}.__contains__}, {}),
}


def _fields(message: dict, required: dict, optional: dict, what: str) -> list:
    problems = []
    for name, check in required.items():
        if name not in message:
            problems.append(f"{what}: missing {name}")
        elif not check(message[name]):
            problems.append(f"{what}: bad {name}={message[name]!r}")
    for name, check in optional.items():
        if name in message and not check(message[name]):
            problems.append(f"{what}: bad {name}={message[name]!r}")
    extra = set(message) - set(required) - set(optional)
    if extra:
        problems.append(f"{what}: unknown fields {sorted(extra)}")
    return problems


class ProbeStreamChecker:
    """Feed it every line of one probe connection, in order; `problems` lists what broke the protocol."""

    def __init__(self):
        self.problems = []
        self.lines = 0
        self.last_seq = 0
        self.bye = False

    def line(self, raw: bytes, message) -> None:
        self.lines += 1
        if len(raw) > MAX_LINE:
            self.problems.append(f"line {self.lines} is {len(raw)} bytes")
        if self.bye:
            self.problems.append(f"line {self.lines} after bye")
        if not isinstance(message, dict):
            self.problems.append(f"line {self.lines} is not an object")
            return
        kind = message.get("type")
        if self.lines == 1:
            if kind != "hello":
                self.problems.append("first line is not hello")
            self.problems += _fields(
                message,
                {
                    "type": "hello".__eq__,
                    "protocol": 1 .__eq__,
                    "pid": _int,
                    "python": lambda v: isinstance(v, str),
                    "implementation": lambda v: isinstance(v, str),
                    "script": lambda v: isinstance(v, str),
                    "argv": lambda v: isinstance(v, list) and all(isinstance(a, str) for a in v),
                },
                {"token": lambda v: isinstance(v, str)},
                "hello",
            )
        elif kind == "events":
            self.problems += _fields(
                message,
                {"type": str, "events": lambda v: isinstance(v, list), "dropped": lambda v: _int(v) and v >= 0},
                {},
                "events",
            )
            for event in message.get("events") or []:
                self._event(event)
        elif kind == "cancel-result":
            self.problems += _fields(
                message,
                {"type": str, "requestId": _int, "cancelled": lambda v: isinstance(v, bool)},
                {"message": lambda v: isinstance(v, str)},
                "cancel-result",
            )
        elif kind == "bye":
            self.bye = True
            self.problems += _fields(message, {"type": str, "reason": "exit".__eq__}, {}, "bye")
        else:
            self.problems.append(f"line {self.lines}: unknown type {kind!r}")

    def _event(self, event) -> None:
        if not isinstance(event, dict) or event.get("kind") not in EVENTS:
            self.problems.append(f"unknown event {event!r}")
            return
        seq = event.get("seq")
        if not _int(seq) or seq <= self.last_seq or (self.last_seq == 0 and seq != 1):
            self.problems.append(f"seq {seq!r} after {self.last_seq}")
        else:
            self.last_seq = seq
        required, optional = EVENTS[event["kind"]]
        base = {"kind": str, "seq": _int, "at": _number, "taskId": lambda v: _int(v) and v >= 1}
        self.problems += _fields(event, {**base, **required}, optional, event["kind"])
