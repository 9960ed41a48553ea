"""attach(): installs the hooks once, starts the transport, and settles everything at exit."""

import asyncio
import atexit
import os
import sys
import threading

from . import hooks
from .probe import Probe
from .transport import PROTOCOL, Transport, parse_address, process_facts

DEFAULT_ADDRESS = "127.0.0.1:8765"

_lock = threading.Lock()
_probe = None


def attach(loop=None, to=None, token=None, script=None):
    """Starts observing this process (once; later calls return the same probe).

    `to` is "HOST:PORT" (default: ECHOSCOPE_ATTACH, else 127.0.0.1:8765), `token` the host's token (default: the
    ECHOSCOPE_TOKEN environment variable). Tasks that already exist on `loop` (default: the running
    loop, if any) are reported too. Never raises for an absent Echoscope: the program runs unobserved.
    """
    global _probe
    with _lock:
        if _probe is not None:
            return _probe
        host, port = parse_address(to or os.environ.get("ECHOSCOPE_ATTACH") or DEFAULT_ADDRESS)
        if token is None:
            token = os.environ.get("ECHOSCOPE_TOKEN") or None
        hello = {"type": "hello", "protocol": PROTOCOL}
        if token:
            hello["token"] = token
        hello.update(process_facts())
        hello["script"] = os.path.abspath(script or sys.argv[0] or "")
        hello["argv"] = [str(arg) for arg in sys.argv]
        probe = Probe()
        probe.transport = Transport(host, port, hello, probe.request_cancel)
        probe.active = True
        hooks.install(probe)
        atexit.register(_settle_at_exit, probe)
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=lambda: _detach_child(probe))
        probe.transport.start()
        _probe = probe
    if loop is None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
    if loop is not None:
        for task in asyncio.all_tasks(loop):
            probe.register(task)
    return probe


def _detach_child(probe) -> None:
    probe.active = False
    probe.transport.disable()


def _settle_at_exit(probe) -> None:
    """Reports what is still queued; keeps the connection for never-retrieved warnings to come.

    A failed task the program still references (the article's `tasks` list) is reported by CPython
    while the interpreter shuts down, after atexit: the connection stays open for that one report,
    written directly (the sender thread has stopped), and `bye` follows it.
    """
    if not probe.active:
        return
    try:
        probe.flush_at_exit()
    except Exception:
        pass
    pending = probe.unretrieved_pending()
    probe.transport.finish(keep_open=pending)
    if pending:
        probe.on_last_unretrieved = probe.transport.close_with_bye
