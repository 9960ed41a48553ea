"""What the probe knows about one asyncio Task, without ever holding the Task itself.

A strong reference would change the program: CPython reports "Task exception was never retrieved"
and closes a dropped task's socket when the Task object is freed, and the probe must not delay that.
So the state keeps a weak reference, and the data path only adds numbers here; events are built at
most once per flush interval per task (LoopReporter), with exact totals.
"""

import weakref

from .event_data import bounded


class TaskState:
    __slots__ = (
        "task_id",
        "ref",
        "reporter",
        "point",
        "detail",
        "reported",
        "bytes_in",
        "reads",
        "newest",
        "bytes_out",
        "sends",
        "queued",
        "ended",
        "cancel_reason",
        "open_sockets",
        "unretrieved_pending",
        "accepted",
        "located_at",
        "__weakref__",
    )

    def __init__(self, task_id: int, task, reporter, forget):
        self.task_id = task_id
        key = id(task)
        # Dropped once the Task is freed (after its __del__ has reported a never-retrieved exception).
        self.ref = weakref.ref(task, lambda _ref, key=key: forget(key))
        self.reporter = reporter
        self.point = None  # where the task is or last was: "recv" | "send" | "accept" | "other"
        self.detail = None
        self.reported = None  # (point, detail) of the last `parked` event
        self.located_at = 0.0  # when the await point was last read from the coroutine chain
        self.bytes_in = 0
        self.reads = 0
        self.newest = None  # the newest received chunk, held one flush interval at most
        self.bytes_out = 0
        self.sends = 0
        self.queued = False
        self.ended = False
        self.cancel_reason = None
        self.open_sockets = 0
        self.unretrieved_pending = False
        #: The `accepted` event, sent before anything else about the task: at its first report, so
        #: that a name given right after creation (asyncio.create_task(coro, name=...)) is in it.
        self.accepted = None

    def announce(self, transport) -> None:
        event, self.accepted = self.accepted, None
        if event is None:
            return
        task = self.ref()
        if task is not None:
            try:
                event["task"]["name"] = bounded(str(task.get_name()))
            except Exception:
                pass
        transport.emit(event)

    def received(self, chunk) -> None:
        self.bytes_in += len(chunk)
        self.reads += 1
        self.newest = chunk
        self.reporter.queue(self)

    def sent(self, size: int) -> None:
        self.bytes_out += size
        self.sends += 1
        self.reporter.queue(self)

    def entered(self, point: str, detail: str) -> None:
        self.point = point
        self.detail = detail
        if not self.queued and self.reported != (point, detail):
            self.reporter.queue(self)
