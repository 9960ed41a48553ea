"""A slow, stuck, absent or refusing Echoscope: the program runs as it always does."""

import collections
import time

from echoscope_probe import transport as transport_module
from echoscope_probe.transport import QUEUE_LIMIT, Transport

from .fake_host import FakeHost
from .probe_case import ProbeCase
from .program_run import Program, echo, free_port, listing

ROUND_TRIPS = 1500
CONNECTIONS = 150


def workload(program, port) -> float:
    """Seconds for ROUND_TRIPS round trips on one connection and CONNECTIONS short connections."""
    started = time.monotonic()
    client = program.connect(port)
    for index in range(ROUND_TRIPS):
        echo(client, b"x" * 64)
    for index in range(CONNECTIONS):
        short = program.connect(port)
        echo(short, b"hello\r\n")
        short.close()
    return time.monotonic() - started


class Unobserved(ProbeCase):
    def test_absent_echoscope_prints_one_notice_and_the_program_runs(self):
        port = free_port()
        program = self.start(listing("listing3_handled.py"), port, to=f"127.0.0.1:{free_port()}")
        client = program.connect(port)
        self.assertEqual(echo(client, b"hi\r\n"), b"hi\r\n")
        self.assertEqual(program.interrupt(), -2)
        first = program.stderr.splitlines()[0]
        self.assertRegex(
            first, r"^echoscope probe: cannot reach 127\.0\.0\.1:\d+ \(Connection refused\); the program runs unobserved$"
        )
        self.assertEqual(program.stderr.count("echoscope probe:"), 1)
        self.assertIn("got data!", program.stdout)

    def test_stuck_echoscope_does_not_slow_the_program_beyond_a_bound(self):
        stuck = FakeHost(reads=False)
        self.addCleanup(stuck.close)
        port = free_port()
        plain = Program(listing("listing1_plain.py"), port)
        self.programs.append(plain)
        baseline = workload(plain, port)
        plain.interrupt()

        port = free_port()
        probed = self.start(listing("listing1_plain.py"), port, to=stuck.address)
        elapsed = workload(probed, port)
        interrupted = time.monotonic()
        self.assertEqual(probed.interrupt(), -2)
        exit_seconds = time.monotonic() - interrupted
        # The probe's exit flush gives a stuck host at most EXIT_FLUSH + EXIT_STALL seconds.
        self.assertLess(exit_seconds, transport_module.EXIT_FLUSH + transport_module.EXIT_STALL + 1.5)
        self.assertLess(elapsed, baseline * 2 + 1.0, f"baseline {baseline:.2f} s, under a stuck host {elapsed:.2f} s")
        self.assertNotIn("echoscope probe:", probed.stderr)

    def test_wrong_token_is_refused_with_a_notice(self):
        guarded = FakeHost(token="secret")
        self.addCleanup(guarded.close)
        port = free_port()
        program = self.start(listing("listing3_handled.py"), port, to=guarded.address, token="wrong")
        client = program.connect(port)
        self.assertEqual(echo(client, b"hi\r\n"), b"hi\r\n")
        guarded.wait_message("hello")
        time.sleep(0.2)
        self.assertEqual(program.interrupt(), -2)
        self.assertIn("echoscope probe: Echoscope refused the probe (wrong token)", program.stderr)
        self.assertEqual(guarded.events(), [])

    def test_token_from_the_environment(self):
        guarded = FakeHost(token="secret")
        self.addCleanup(guarded.close)
        port = free_port()
        program = self.start(listing("listing3_handled.py"), port, to=guarded.address, env={"ECHOSCOPE_TOKEN": "secret"})
        client = program.connect(port)
        self.assertEqual(echo(client, b"hi\r\n"), b"hi\r\n")
        self.assertEqual(guarded.wait_message("hello")["token"], "secret")
        guarded.wait_event(kind="received")
        self.assertEqual(program.interrupt(), -2)
        self.assertNotIn("echoscope probe:", program.stderr)


class BoundedQueue(ProbeCase):
    def test_a_host_that_stops_reading_costs_drops_not_time(self):
        host = FakeHost(reads="hello")
        self.addCleanup(host.close)
        transport = Transport("127.0.0.1", host.port, {"type": "hello", "protocol": 1}, lambda *_: None)
        transport.start()
        host.wait_message("hello")
        time.sleep(0.1)
        padding = "x" * 1000
        started = time.monotonic()
        slowest = 0.0
        for index in range(60_000):
            before = time.perf_counter()
            transport.emit({"kind": "completed", "at": 0.0, "taskId": index + 1, "pad": padding})
            slowest = max(slowest, time.perf_counter() - before)
        elapsed = time.monotonic() - started
        self.assertLessEqual(len(transport._events), QUEUE_LIMIT)
        self.assertGreater(transport.dropped, 0)
        self.assertLess(elapsed, 2.0)
        self.assertLess(slowest, 0.05, "one emit never waits for the host")
        transport.finish(keep_open=False)
        self.assertIsInstance(transport._events, collections.deque)
