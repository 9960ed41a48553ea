"""The probe: registers tasks, reports their ends, connections and never-retrieved exceptions.

Everything here runs on the program's loop threads, from the hooks (hooks.py), except the cancel
requests, which arrive on the transport's thread and are handed to the task's loop thread-safely.
"""

import itertools
import weakref

from .hooks import attach_reader
from .event_data import bounded, now_ms, serialize_error
from .loop_reporter import LoopReporter
from .socket_watch import SocketWatch, connection_of
from .task_state import TaskState
from .transport import cancel_result

NEVER_RETRIEVED = "Task exception was never retrieved"
_REPORTER_ATTRIBUTE = "_echoscope_reporter"


class Probe:
    def __init__(self):
        self.transport = None
        self.active = False
        self._ids = itertools.count(1)
        self._by_task = {}  # id(task) -> TaskState, until the Task is freed (purged in batches)
        self._freed = []  # keys of freed Tasks, purged later: a collection clears weak references
        # before it runs finalizers, and the never-retrieved report comes from Task.__del__
        self._live = {}  # taskId -> TaskState, until the task ends
        self._reporters = weakref.WeakSet()
        self.sockets = {}  # id(socket) -> SocketWatch, until the socket is closed or freed
        #: Set at exit while failed tasks are still alive: called once CPython has reported the last.
        self.on_last_unretrieved = None

    # Tasks ---------------------------------------------------------------------------------------

    def state_of(self, task):
        """The task's state; a task the probe has not seen yet (created before it attached) is registered."""
        state = self._by_task.get(id(task))
        return state if state is not None and state.ref() is task else self.register(task)

    def register(self, task):
        state = self._by_task.get(id(task))
        if state is not None and state.ref() is task:
            return state
        if len(self._freed) > 256:
            self._purge()
        loop = task.get_loop()
        state = TaskState(next(self._ids), task, self._reporter(loop), self._forget)
        self._by_task[id(task)] = state
        self._live[state.task_id] = state
        coro = task.get_coro()
        peer_address, peer_port, local_port = "", 0, 0
        connection = connection_of(coro)
        if connection is not None:
            sock, peer_address, peer_port, local_port, reader, own_socket = connection
            if sock is not None:
                self.watch(sock, state, own_socket)
            if reader is not None:
                attach_reader(reader, state)
        state.accepted = (
            {
                "kind": "accepted",
                "at": now_ms(),
                "taskId": state.task_id,
                "peerAddress": peer_address,
                "peerPort": peer_port,
                "localPort": local_port,
                "task": {
                    "name": bounded(str(task.get_name())),
                    "coroutine": bounded(getattr(coro, "__qualname__", type(coro).__name__)),
                },
            }
        )
        task.add_done_callback(self._on_done)
        state.reporter.queue(state)
        return state

    def _reporter(self, loop):
        reporter = getattr(loop, _REPORTER_ATTRIBUTE, None)
        if reporter is None:
            reporter = LoopReporter(loop, self.transport)
            setattr(loop, _REPORTER_ATTRIBUTE, reporter)
            self._reporters.add(reporter)
        return reporter

    def _forget(self, key: int) -> None:
        self._freed.append(key)

    def _purge(self) -> None:
        freed, self._freed = self._freed, []
        for key in freed:
            state = self._by_task.get(key)
            if state is not None and state.ref() is None:
                del self._by_task[key]

    def _on_done(self, task) -> None:
        if not self.active:
            return
        state = self._by_task.get(id(task))
        if state is None or state.ended or state.ref() is not task:
            return
        state.announce(self.transport)
        state.reporter.settle(state)
        state.ended = True
        state.reporter.forget(state)
        self._live.pop(state.task_id, None)
        base = {"at": now_ms(), "taskId": state.task_id}
        if task.cancelled():
            event = {
                "kind": "cancelled",
                **base,
                "awaitPoint": state.point or "other",
                "reason": state.cancel_reason or "stop",
            }
        else:
            # Read without task.exception(): that would mark it retrieved and silence CPython's warning.
            exc = getattr(task, "_exception", None)
            if exc is None:
                event = {"kind": "completed", **base}
            else:
                state.unretrieved_pending = bool(getattr(task, "_log_traceback", False))
                event = {
                    "kind": "failed",
                    **base,
                    "error": serialize_error(exc),
                    "policy": "unhandled",
                    "awaitPoint": state.point or "other",
                    "dangling": state.open_sockets > 0,
                }
        if state.detail and event["kind"] != "completed":
            event["awaitDetail"] = bounded(state.detail)
        self.transport.emit(event)

    # Never retrieved ---------------------------------------------------------------------------

    def exception_reported(self, loop, context) -> None:
        """asyncio's exception handler was called; the program's own handling follows unchanged."""
        if context.get("message") != NEVER_RETRIEVED:
            return
        future = context.get("future")
        state = self._by_task.get(id(future))
        exc = context.get("exception")
        if state is None or state.ref() not in (None, future) or not isinstance(exc, BaseException):
            return
        state.unretrieved_pending = False
        state.announce(self.transport)
        self.transport.emit(
            {
                "kind": "unretrieved",
                "at": now_ms(),
                "taskId": state.task_id,
                "error": serialize_error(exc),
                "via": "gc" if loop.is_running() else "shutdown",
            }
        )
        if self.on_last_unretrieved is not None and not self.unretrieved_pending():
            done, self.on_last_unretrieved = self.on_last_unretrieved, None
            done()

    def unretrieved_pending(self) -> bool:
        """A failed task is still alive with its exception unretrieved: CPython reports it when freed."""
        for state in list(self._by_task.values()):
            task = state.ref()
            if state.unretrieved_pending and task is not None and getattr(task, "_log_traceback", False):
                return True
        return False

    # Connections -------------------------------------------------------------------------------

    def watch(self, sock, state, counts_reads: bool) -> None:
        watch = self.sockets.get(id(sock))
        if watch is None:
            self.sockets[id(sock)] = SocketWatch(sock, state, self, counts_reads)
            return
        if watch.owner is not state:
            watch.move_to(state)
        watch.counts_reads = counts_reads  # the latest user of the socket says how it is read

    def socket_closed(self, sock) -> None:
        watch = self.sockets.pop(id(sock), None)
        if watch is not None:
            watch.closed("task-ended" if watch.closing else self._close_reason(watch.owner))

    def socket_freed(self, key: int) -> None:
        watch = self.sockets.pop(key, None)
        if watch is not None:
            watch.closed("finalized")

    def _close_reason(self, owner) -> str:
        if owner.ended:
            return "task-ended"
        task = owner.ref()
        if task is not None:
            loop = task.get_loop()
            current = _current_task(loop)
            if current is task:
                return "task-ended"
        return "peer"

    def emit_closed(self, state, reason: str) -> None:
        if self.active:
            state.announce(self.transport)
            self.transport.emit({"kind": "closed", "at": now_ms(), "taskId": state.task_id, "reason": reason, "reset": False})

    # Cancel requests from the host (transport thread) -------------------------------------------

    def request_cancel(self, request_id: int, task_id: int) -> None:
        state = self._live.get(task_id)
        task = state.ref() if state is not None else None
        if task is None:
            self.transport.reply(cancel_result(request_id, False, f"no running task {task_id}"))
            return
        try:
            task.get_loop().call_soon_threadsafe(self._cancel_on_loop, request_id, state)
        except RuntimeError:
            self.transport.reply(cancel_result(request_id, False, "its event loop is closed"))

    def _cancel_on_loop(self, request_id: int, state) -> None:
        task = state.ref()
        if task is None or task.done():
            self.transport.reply(cancel_result(request_id, False, "the task has already ended"))
            return
        state.cancel_reason = "user"
        cancelled = task.cancel()
        if not cancelled:
            state.cancel_reason = None
        self.transport.reply(cancel_result(request_id, cancelled, "" if cancelled else "the task refused"))

    # Exit --------------------------------------------------------------------------------------

    def flush_at_exit(self) -> None:
        for reporter in list(self._reporters):
            reporter.flush_at_exit()


def _current_task(loop):
    import asyncio

    try:
        return asyncio.current_task(loop)
    except RuntimeError:
        return None
