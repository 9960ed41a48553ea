"""Await points and bytes for a stream server, and "other" await points (asyncio.sleep)."""

from .probe_case import ProbeCase
from .program_run import echo, program


class StreamServer(ProbeCase):
    def test_streams_report_readline_drain_bytes_and_close(self):
        server, port = self.serve(program("stream_echo.py"))
        client = server.connect(port)
        port_of_client = client.getsockname()[1]
        self.host.wait_event(kind="parked", awaitDetail="StreamReader.readline")
        accepted = next(
            e for e in self.host.events(kind="accepted", peerPort=port_of_client) if e["task"]["coroutine"] == "handle"
        )
        task = accepted["taskId"]
        # asyncio's own task that accepted the connection is a task too, with the same peer.
        internal = self.host.events(kind="accepted", peerPort=port_of_client)[0]
        self.assertEqual(internal["task"]["coroutine"], "BaseSelectorEventLoop._accept_connection2")
        self.assertEqual((accepted["peerAddress"], accepted["localPort"]), ("127.0.0.1", port))
        parked = self.host.wait_event(kind="parked", taskId=task, awaitPoint="recv")
        self.assertEqual(parked["awaitDetail"], "StreamReader.readline")
        self.assertLess(parked["at"] - accepted["at"], 80, "reported at the next flush, not the next sample")
        for line in (b"one\n", b"two\n", b"three\n"):
            self.assertEqual(echo(client, line), line)
        client.shutdown(1)  # EOF: the handler closes its writer and completes
        self.host.wait_event(kind="completed", taskId=task)
        self.assertEqual(self.host.wait_event(kind="closed", taskId=task)["reason"], "task-ended")
        received = self.host.events(kind="received", taskId=task)
        echoed = self.host.events(kind="echoed", taskId=task)
        self.assertEqual(sum(e["bytes"] for e in received), len(b"one\ntwo\nthree\n"))
        self.assertEqual(sum(e["bytes"] for e in echoed), len(b"one\ntwo\nthree\n"))
        self.assertEqual(sum(e["sends"] for e in echoed), 3)

        keeper = self.host.wait_event(kind="accepted", task={"name": "housekeeping", "coroutine": "housekeeping"})
        sleeping = self.host.wait_event(kind="parked", taskId=keeper["taskId"])
        self.assertEqual(sleeping["awaitPoint"], "other")
        self.assertEqual(sleeping["awaitDetail"], "asyncio.sleep at stream_echo.py:17")
        self.assertEqual(server.interrupt(), -2)
        cancelled = self.host.wait_event(kind="cancelled", taskId=keeper["taskId"])
        self.assertEqual((cancelled["awaitPoint"], cancelled["reason"]), ("other", "stop"))
