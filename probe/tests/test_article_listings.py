"""The article's three listings under the probe, as real CPython processes with real clients."""

import re
import time

from .probe_case import ProbeCase
from .program_run import Program, echo, free_port, listing, sees_eof

BOOM = b"boom\r\n"
NEVER_RETRIEVED = "Task exception was never retrieved"


class PlainListing(ProbeCase):
    def test_boom_fails_the_task_and_cpython_warns_at_once(self):
        program, port = self.serve(listing("listing1_plain.py"))
        # The crasher connects first: listen_for_connection's `connection` variable keeps the newest
        # accepted socket alive, so CPython would keep the last connection open even after its task died.
        crasher, survivor = program.connect(port), program.connect(port)
        survivor_task, crasher_task = self.task_of(survivor), self.task_of(crasher)
        self.assertEqual(echo(survivor, b"hello\r\n"), b"hello\r\n")
        crasher.sendall(BOOM)

        failed = self.host.wait_event(kind="failed", taskId=crasher_task)
        self.assertEqual(failed["error"]["name"], "Exception")
        self.assertEqual(failed["error"]["message"], "Unexpected network error")
        self.assertIn('raise Exception("Unexpected network error")', failed["error"]["stack"])
        self.assertEqual((failed["awaitPoint"], failed["dangling"]), ("recv", True))
        # Nothing references the task: CPython frees it at once, warns, and its socket closes.
        unretrieved = self.host.wait_event(2.0, kind="unretrieved", taskId=crasher_task)
        self.assertEqual(unretrieved["via"], "gc")
        self.assertEqual(self.host.wait_event(2.0, kind="closed", taskId=crasher_task)["reason"], "finalized")
        self.assertTrue(sees_eof(crasher, 5.0), "the client sees EOF")
        received = self.host.wait_event(kind="received", taskId=crasher_task)
        self.assertEqual((received["bytes"], received["reads"]), (len(BOOM), 1))

        self.assertEqual(echo(survivor, b"still here\r\n"), b"still here\r\n")
        self.host.wait_event(kind="parked", taskId=survivor_task, awaitPoint="recv")
        self.assertEqual(program.interrupt(), -2)
        cancelled = self.host.wait_event(kind="cancelled", taskId=survivor_task)
        self.assertEqual((cancelled["awaitPoint"], cancelled["reason"]), ("recv", "stop"))
        self.assertEqual(cancelled["awaitDetail"], "loop.sock_recv")
        main = self.host.events(kind="accepted", peerPort=0)[0]
        self.assertEqual(main["task"], {"name": "Task-1", "coroutine": "main"})
        self.assertEqual(self.host.wait_event(kind="cancelled", taskId=main["taskId"])["awaitPoint"], "accept")
        data = self.host.events(taskId=survivor_task, kind="received")
        self.assertEqual(sum(e["bytes"] for e in data), len(b"hello\r\nstill here\r\n"))
        self.assertEqual(program.stderr.count(NEVER_RETRIEVED), 1)
        self.host.wait_message("bye")


class TasksListListing(ProbeCase):
    def test_the_retained_task_is_silent_until_ctrl_c(self):
        program, port = self.serve(listing("listing2_tasks.py"))
        survivor, crasher = program.connect(port), program.connect(port)
        survivor_task, crasher_task = self.task_of(survivor), self.task_of(crasher)
        crasher.sendall(BOOM)
        failed = self.host.wait_event(kind="failed", taskId=crasher_task)
        self.assertTrue(failed["dangling"])
        self.assertFalse(sees_eof(crasher, 0.5), "the retained task keeps the connection open")
        self.assertEqual(self.host.events(kind="unretrieved"), [])
        self.assertEqual(self.host.events(kind="closed", taskId=crasher_task), [])
        self.host.wait_event(kind="parked", taskId=survivor_task, awaitPoint="recv")

        self.assertEqual(program.interrupt(), -2)
        # CPython reports it while the interpreter shuts down; the probe still sends it, then bye.
        unretrieved = self.host.wait_event(kind="unretrieved", taskId=crasher_task)
        self.assertEqual(unretrieved["via"], "shutdown")
        self.assertEqual(unretrieved["error"]["message"], "Unexpected network error")
        cancelled = self.host.wait_event(kind="cancelled", taskId=survivor_task)
        self.assertEqual(cancelled["awaitPoint"], "recv")
        self.assertIn(NEVER_RETRIEVED, program.stderr)
        self.assertLess(program.stderr.index("KeyboardInterrupt"), program.stderr.index(NEVER_RETRIEVED))
        self.host.wait_message("bye")
        self.assertEqual(self.host.messages[-1]["type"], "bye")


class HandledListing(ProbeCase):
    def test_handled_failure_logs_and_closes(self):
        program, port = self.serve(listing("listing3_handled.py"))
        survivor, crasher = program.connect(port), program.connect(port)
        survivor_task, crasher_task = self.task_of(survivor), self.task_of(crasher)
        self.assertEqual(echo(survivor, b"abc\r\n"), b"abc\r\n")
        crasher.sendall(BOOM)
        self.host.wait_event(kind="completed", taskId=crasher_task)
        self.assertEqual(self.host.wait_event(kind="closed", taskId=crasher_task)["reason"], "task-ended")
        self.assertTrue(sees_eof(crasher, 5.0))
        self.assertEqual(self.host.events(kind="failed"), [])
        self.host.wait_event(kind="parked", taskId=survivor_task, awaitPoint="recv")

        self.assertEqual(program.interrupt(), -2)
        cancelled = self.host.wait_event(kind="cancelled", taskId=survivor_task)
        self.assertEqual(cancelled["awaitPoint"], "recv")
        self.assertEqual(self.host.wait_event(kind="closed", taskId=survivor_task)["reason"], "task-ended")
        self.assertIn("got data!", program.stdout)
        self.assertIn("ERROR:root:Unexpected network error", program.stderr)
        self.assertNotIn(NEVER_RETRIEVED, program.stderr)

    def test_cancel_from_echoscope(self):
        program, port = self.serve(listing("listing3_handled.py"))
        client = program.connect(port)
        task = self.task_of(client)
        self.host.wait_event(kind="parked", taskId=task, awaitPoint="recv")
        self.host.send({"type": "cancel", "requestId": 7, "taskId": task})
        self.host.send({"type": "cancel", "requestId": 8, "taskId": 999})
        cancelled = self.host.wait_event(kind="cancelled", taskId=task)
        self.assertEqual((cancelled["reason"], cancelled["awaitPoint"]), ("user", "recv"))
        self.assertTrue(sees_eof(client, 5.0), "finally closed the connection")
        results = {}
        deadline = time.monotonic() + 5
        while len(results) < 2 and time.monotonic() < deadline:
            results = {m["requestId"]: m for m in self.host.messages if m and m.get("type") == "cancel-result"}
            time.sleep(0.02)
        self.assertTrue(results[7]["cancelled"])
        self.assertFalse(results[8]["cancelled"])
        self.assertIn("999", results[8]["message"])
        self.assertEqual(program.interrupt(), -2)


def _normalized(text: str) -> str:
    return re.sub(r"\('127\.0\.0\.1', \d+\)", "('127.0.0.1', PORT)", text)


class SameOutput(ProbeCase):
    def _run(self, script, with_probe: bool):
        port = free_port()
        program = self.start(script, port) if with_probe else Program(script, port)
        self.programs.append(program)
        crasher, survivor = program.connect(port), program.connect(port)
        echo(survivor, b"one\r\n")
        crasher.sendall(BOOM)
        sees_eof(crasher, 0.5)
        echo(survivor, b"two\r\n")
        status = program.interrupt()
        return status, _normalized(program.stdout), _normalized(program.stderr)

    def test_each_listing_prints_what_it_prints_without_the_probe(self):
        for name in ("listing1_plain.py", "listing2_tasks.py", "listing3_handled.py"):
            with self.subTest(name):
                plain = self._run(listing(name), with_probe=False)
                probed = self._run(listing(name), with_probe=True)
                self.assertEqual(probed, plain)
                self.assertIn("KeyboardInterrupt", probed[2])
