"""Plain data for the wire: the clock, bounded strings, errors as data (probe/PROTOCOL.md)."""

import base64
import time
import traceback

#: Bytes of each received chunk kept as preview (src-shared/events.ts PREVIEW_BYTES).
PREVIEW_BYTES = 256
#: Longest traceback text sent; the head says where it started, the tail what was raised.
STACK_CHARS = 16 * 1024
#: Longest exception message sent.
MESSAGE_CHARS = 4 * 1024
#: Longest name or await detail sent.
NAME_CHARS = 200

# Epoch milliseconds from a monotonic clock, as the engine stamps its events.
_EPOCH_OFFSET = time.time() - time.perf_counter()
_perf_counter = time.perf_counter


def now_ms() -> float:
    return (_EPOCH_OFFSET + _perf_counter()) * 1000.0


def bounded(text: str, limit: int = NAME_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _bounded_stack(text: str) -> str:
    if len(text) <= STACK_CHARS:
        return text
    head = text[: STACK_CHARS // 8]
    cut = f"\n... ({len(text) - STACK_CHARS} characters left out) ...\n"
    return head + cut + text[len(text) - (STACK_CHARS - len(head) - len(cut)) :]


def exception_name(exc: BaseException) -> str:
    kind = type(exc)
    qualname = getattr(kind, "__qualname__", kind.__name__)
    return qualname if kind.__module__ == "builtins" else f"{kind.__module__}.{qualname}"


def serialize_error(exc: BaseException) -> dict:
    """The exception as the traceback module prints it; never keeps a reference to it."""
    try:
        message = str(exc)
    except Exception:  # a broken __str__ must not break the program
        message = f"<{type(exc).__name__} with an unprintable message>"
    try:
        stack = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    except Exception:
        stack = f"{exception_name(exc)}: {message}\n"
    return {
        "name": bounded(exception_name(exc)),
        "message": bounded(message, MESSAGE_CHARS),
        "stack": _bounded_stack(stack),
    }


def preview(chunk) -> str:
    return base64.b64encode(bytes(chunk[:PREVIEW_BYTES])).decode("ascii")
