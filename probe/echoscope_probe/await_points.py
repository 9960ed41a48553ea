"""Where a suspended task waits: its coroutine chain (cr_await), read from the outside.

The socket and stream calls the protocol names are recognised by their code objects, so the probe
needs no wrapper coroutine around them (a wrapper would add a frame to every traceback that passes
through them, and the program must print exactly what it always printed). Anything else is reported
as "other" with the innermost awaited call and the program's own line that awaits it.
"""

import asyncio
import os
from asyncio import streams

try:
    from asyncio import selector_events
except ImportError:  # pragma: no cover - every CPython has it; guarded for odd builds
    selector_events = None
try:
    from asyncio import proactor_events
except ImportError:  # pragma: no cover - Windows only module on some builds
    proactor_events = None

_ASYNCIO_DIR = os.path.dirname(asyncio.__file__) + os.sep
_MAX_DEPTH = 64


def _codes():
    """Code object -> (awaitPoint, awaitDetail) for the calls the protocol names."""
    known = {}
    loops = [m.BaseSelectorEventLoop for m in (selector_events,) if m is not None]
    if proactor_events is not None:
        loops.append(proactor_events.BaseProactorEventLoop)
    for loop_class in loops:
        for name, point in (("sock_recv", "recv"), ("sock_sendall", "send"), ("sock_accept", "accept")):
            function = loop_class.__dict__.get(name)
            if function is not None and hasattr(function, "__code__"):
                known[function.__code__] = (point, "loop." + name)
    for name in ("read", "readline", "readexactly", "readuntil"):
        function = getattr(streams.StreamReader, name, None)
        if function is not None and hasattr(function, "__code__"):
            known[function.__code__] = ("recv", "StreamReader." + name)
    drain = getattr(streams.StreamWriter, "drain", None)
    if drain is not None and hasattr(drain, "__code__"):
        known[drain.__code__] = ("send", "StreamWriter.drain")
    return known


#: Filled once, before the probe replaces any of these methods, so it holds the originals' code.
KNOWN_CALLS = _codes()


def _suspended(coro) -> bool:
    state = getattr(coro, "cr_suspended", None)  # 3.11+
    if state is None:
        state = getattr(coro, "gi_suspended", None)
    if state is not None:
        return state
    frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
    running = getattr(coro, "cr_running", None) or getattr(coro, "gi_running", None)
    return frame is not None and frame.f_lasti != -1 and not running


def _step(coro):
    """(code, frame, awaited) of a coroutine or generator, or None for any other awaitable."""
    code = getattr(coro, "cr_code", None)
    if code is not None:
        return code, coro.cr_frame, coro.cr_await
    code = getattr(coro, "gi_code", None)
    if code is not None:
        return code, coro.gi_frame, coro.gi_yieldfrom
    return None


def _in_asyncio(code) -> bool:
    return code.co_filename.startswith(_ASYNCIO_DIR)


def _name(code) -> str:
    return getattr(code, "co_qualname", code.co_name)


def locate(task):
    """(awaitPoint, awaitDetail) of a suspended task, or None when it has not started or has ended."""
    coro = task.get_coro()
    if coro is None or not _suspended(coro):
        return None
    user_frame = None
    entered = None  # the first asyncio coroutine below the program's innermost frame
    awaited = coro
    for _ in range(_MAX_DEPTH):
        step = _step(awaited)
        if step is None:
            break
        code, frame, inner = step
        if frame is None:
            return None
        known = KNOWN_CALLS.get(code)
        if known is not None:
            return known
        if _in_asyncio(code):
            if entered is None:
                entered = code
        else:
            user_frame = frame
            entered = None
        if inner is None:
            awaited = None
            break
        awaited = inner
    if entered is not None:
        what = "asyncio." + _name(entered)
    elif awaited is not None:
        what = type(awaited).__name__
    else:
        what = "yield"
    if user_frame is None:
        return ("other", what)
    where = os.path.basename(user_frame.f_code.co_filename)
    return ("other", f"{what} at {where}:{user_frame.f_lineno}")
