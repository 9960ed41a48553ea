"""Turns one event loop's task activity into events, on that loop's thread, at most every ~16 ms.

Tasks with data or a new await point are queued; one timer handle reports them: `received`,
`echoed`, then `parked` if the task now waits somewhere else. Tasks waiting outside the known socket
and stream calls (asyncio.sleep, a queue, a lock...) are looked at again every SAMPLE_INTERVAL, since
nothing the probe wraps tells it when they move.
"""

import threading
import time

from .await_points import locate
from .event_data import bounded, now_ms, preview

FLUSH_INTERVAL = 0.016
SAMPLE_INTERVAL = 0.1
#: Data events a second the reporter aims to stay under when many tasks are busy (as the engine's
#: DATA_EVENT_BUDGET): the interval between flushes then grows with the number of tasks reported,
#: up to MAX_FLUSH_INTERVAL. Totals stay exact; only how often they are reported changes.
DATA_EVENT_BUDGET = 4_000
MAX_FLUSH_INTERVAL = 0.1


class LoopReporter:
    def __init__(self, loop, transport):
        self._loop = loop
        self._transport = transport
        self.thread_id = threading.get_ident()
        self._pending = []
        self._others = set()
        self._timer = None
        self._timer_due = 0.0
        self._next_sample = 0.0
        self._interval = FLUSH_INTERVAL

    def queue(self, state) -> None:
        if state.queued or state.ended or threading.get_ident() != self.thread_id:
            return
        state.queued = True
        self._pending.append(state)
        if self._timer is None:
            self._arm(self._interval)
        elif self._timer_due > time.monotonic() + self._interval:
            self._timer.cancel()  # only the slower sampling timer was armed
            self._arm(self._interval)

    def _arm(self, delay: float) -> None:
        try:
            self._timer = self._loop.call_later(delay, self.flush)
            self._timer_due = time.monotonic() + delay
        except RuntimeError:  # the loop is closed: what is queued is reported at exit
            self._timer = None

    def settle(self, state) -> None:
        """Reports a task's data now, ahead of its end (its final park is not news)."""
        state.announce(self._transport)
        if state.queued:
            state.queued = False
            self._report_data(state)

    def forget(self, state) -> None:
        self._others.discard(state)

    def flush(self) -> None:
        self._timer = None
        pending, self._pending = self._pending, []
        self._interval = min(MAX_FLUSH_INTERVAL, max(FLUSH_INTERVAL, len(pending) * 2 / DATA_EVENT_BUDGET))
        now = time.monotonic()
        for state in pending:
            if not state.queued:
                continue
            state.queued = False
            state.announce(self._transport)
            self._report_data(state)
            # A task back at the call it was reported at (recv after each echo) is not walked again
            # within SAMPLE_INTERVAL: the hooks saw it enter that call.
            reported = state.reported
            if reported is None or state.point != reported[0] or now - state.located_at >= SAMPLE_INTERVAL:
                self._locate(state, now)
        if self._others and now >= self._next_sample:
            self._next_sample = now + SAMPLE_INTERVAL
            for state in list(self._others):
                self._locate(state, now)
        if self._pending:
            self._arm(self._interval)
        elif self._others:
            self._arm(max(0.0, self._next_sample - time.monotonic()))

    def flush_at_exit(self) -> None:
        """The loop has stopped: reports data still queued (no await points: nothing runs any more)."""
        pending, self._pending = self._pending, []
        for state in pending:
            self.settle(state)

    def _report_data(self, state) -> None:
        emit = self._transport.emit
        if state.reads:
            emit(
                {
                    "kind": "received",
                    "at": now_ms(),
                    "taskId": state.task_id,
                    "bytes": state.bytes_in,
                    "reads": state.reads,
                    "preview": preview(state.newest) if state.newest is not None else "",
                },
                True,
            )
            state.bytes_in = state.reads = 0
            state.newest = None
        if state.sends:
            emit(
                {"kind": "echoed", "at": now_ms(), "taskId": state.task_id, "bytes": state.bytes_out, "sends": state.sends},
                True,
            )
            state.bytes_out = state.sends = 0

    def _locate(self, state, now: float) -> None:
        state.located_at = now
        if state.ended:
            self._others.discard(state)
            return
        task = state.ref()
        if task is None:
            return
        try:
            where = locate(task)
        except Exception:  # an exotic awaitable must not break the program
            where = None
        if where is None:  # not started yet: look again later
            self._others.add(state)
            return
        state.point, state.detail = where
        if where[0] == "other":
            self._others.add(state)
        else:
            self._others.discard(state)
        if where != state.reported:
            state.reported = where
            self._transport.emit(
                {
                    "kind": "parked",
                    "at": now_ms(),
                    "taskId": state.task_id,
                    "awaitPoint": where[0],
                    "awaitDetail": bounded(where[1]),
                },
                True,
            )
