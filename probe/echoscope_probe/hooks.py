"""What the probe replaces, once, at class level, so that every event loop is probed.

asyncio.run makes a fresh loop; every loop that derives from asyncio's BaseEventLoop (the selector
loop everywhere, the proactor loop on Windows) gets these methods from its class, so patching the
classes covers them all, whatever task factory or exception handler the program installs.

Every replacement is a plain function that does its bookkeeping and then calls (or returns the
coroutine of) the original: no wrapper coroutine sits in the await chain, so tracebacks and
cancellations look exactly as without the probe. Bookkeeping errors are swallowed: the program
must behave as it always did. Received bytes are counted where the socket returns them (socket.recv,
StreamReader.feed_data), sent bytes where the program hands them over (sock_sendall, StreamWriter.write).
"""

import _socket
import asyncio
import functools
import socket
from asyncio import base_events, streams

try:
    from asyncio import selector_events
except ImportError:  # pragma: no cover
    selector_events = None
try:
    from asyncio import proactor_events
except ImportError:  # pragma: no cover
    proactor_events = None

from .socket_watch import transport_socket

_STATE_ATTRIBUTE = "_echoscope_state"


def _replace(owner, name, make) -> None:
    original = getattr(owner, name)
    replacement = make(original)
    functools.update_wrapper(replacement, original)
    setattr(owner, name, replacement)


def install(probe) -> None:
    current_task = asyncio.current_task
    sockets = probe.sockets

    def task_state(loop=None):
        try:
            task = current_task(loop)
        except RuntimeError:  # no running loop: the coroutine is only being created
            return None
        return probe.state_of(task) if task is not None else None

    def create_task(original):
        def create_task(self, coro, *args, **kwargs):
            task = original(self, coro, *args, **kwargs)
            if probe.active:
                try:
                    probe.register(task)
                except Exception:
                    pass
            return task

        return create_task

    def call_exception_handler(original):
        def call_exception_handler(self, context):
            if probe.active:
                try:
                    probe.exception_reported(self, context)
                except Exception:
                    pass
            return original(self, context)

        return call_exception_handler

    _replace(base_events.BaseEventLoop, "create_task", create_task)
    _replace(base_events.BaseEventLoop, "call_exception_handler", call_exception_handler)

    # The data path runs per round trip: a known connection socket costs a dict lookup and a few
    # attribute updates; only a socket the probe has not seen yet looks up the current task.

    def sock_recv(original):
        def sock_recv(self, sock, *args, **kwargs):
            watch = sockets.get(id(sock))
            if watch is not None and watch.counts_reads:
                state = watch.owner
                state.point = "recv"
                state.detail = "loop.sock_recv"
            elif probe.active:
                try:
                    state = task_state(self)
                    if state is not None:
                        state.entered("recv", "loop.sock_recv")
                        probe.watch(sock, state, True)
                except Exception:
                    pass
            return original(self, sock, *args, **kwargs)

        return sock_recv

    def sock_sendall(original):
        def sock_sendall(self, sock, data, *args, **kwargs):
            if probe.active:
                try:
                    watch = sockets.get(id(sock))
                    state = watch.owner if watch is not None else task_state(self)
                    if state is not None:
                        state.point = "send"
                        state.detail = "loop.sock_sendall"
                        state.bytes_out += len(data) if isinstance(data, (bytes, bytearray)) else memoryview(data).nbytes
                        state.sends += 1
                        if not state.queued:
                            state.reporter.queue(state)
                except Exception:
                    pass
            return original(self, sock, data, *args, **kwargs)

        return sock_sendall

    for module, loop_class in (
        (selector_events, "BaseSelectorEventLoop"),
        (proactor_events, "BaseProactorEventLoop"),
    ):
        if module is not None and hasattr(module, loop_class):
            _replace(getattr(module, loop_class), "sock_recv", sock_recv)
            _replace(getattr(module, loop_class), "sock_sendall", sock_sendall)

    c_recv = _socket.socket.recv

    def recv(_original):
        def recv(self, *args):
            data = c_recv(self, *args)
            watch = sockets.get(id(self))
            if watch is not None and watch.counts_reads and probe.active:
                try:
                    state = watch.owner
                    if data:
                        state.bytes_in += len(data)
                        state.reads += 1
                        state.newest = data
                    if not state.queued:  # with data, or at EOF: the task moves on
                        state.reporter.queue(state)
                except Exception:
                    pass
            return data

        return recv

    def real_close(original):
        def _real_close(self, *args, **kwargs):
            original(self, *args, **kwargs)
            if id(self) in sockets and probe.active:
                try:
                    probe.socket_closed(self)
                except Exception:
                    pass

        return _real_close

    _replace(socket.socket, "recv", recv)
    _replace(socket.socket, "_real_close" if hasattr(socket.socket, "_real_close") else "close", real_close)

    def reader_call(detail):
        def make(original):
            def read(self, *args, **kwargs):
                if probe.active:
                    try:
                        state = task_state()
                        if state is not None:
                            state.entered("recv", detail)
                            if self.__dict__.get(_STATE_ATTRIBUTE) is not state:
                                setattr(self, _STATE_ATTRIBUTE, state)
                    except Exception:
                        pass
                return original(self, *args, **kwargs)

            return read

        return make

    for name in ("read", "readline", "readexactly", "readuntil"):
        _replace(streams.StreamReader, name, reader_call("StreamReader." + name))

    def feed_data(original):
        def feed_data(self, data):
            original(self, data)
            state = self.__dict__.get(_STATE_ATTRIBUTE)
            if state is not None and data and probe.active:
                try:
                    state.received(data)
                except Exception:
                    pass

        return feed_data

    _replace(streams.StreamReader, "feed_data", feed_data)

    def write(original):
        def write(self, data):
            if probe.active and data:
                try:
                    state = task_state()
                    if state is not None:
                        state.sent(len(data) if isinstance(data, (bytes, bytearray)) else memoryview(data).nbytes)
                except Exception:
                    pass
            return original(self, data)

        return write

    def writelines(original):
        def writelines(self, data):
            data = list(data)
            if probe.active:
                try:
                    state = task_state()
                    if state is not None:
                        state.sent(sum(len(chunk) for chunk in data))
                except Exception:
                    pass
            return original(self, data)

        return writelines

    def drain(original):
        def drain(self, *args, **kwargs):
            if probe.active:
                try:
                    state = task_state()
                    if state is not None:
                        state.entered("send", "StreamWriter.drain")
                except Exception:
                    pass
            return original(self, *args, **kwargs)

        return drain

    def close(original):
        def close(self):
            if probe.active:
                try:
                    watch = sockets.get(id(transport_socket(self.transport)))
                    if watch is not None and task_state() is watch.owner:
                        watch.closing = True
                except Exception:
                    pass
            return original(self)

        return close

    _replace(streams.StreamWriter, "close", close)
    _replace(streams.StreamWriter, "write", write)
    _replace(streams.StreamWriter, "writelines", writelines)
    _replace(streams.StreamWriter, "drain", drain)


def attach_reader(reader, state) -> None:
    """A StreamReader found in a new task's arguments: its incoming bytes count for that task."""
    setattr(reader, _STATE_ATTRIBUTE, state)
