"""Shared set-up: a fake host, the program under the probe, and protocol checks after every test."""

import unittest

from .fake_host import FakeHost
from .program_run import Program, free_port


class ProbeCase(unittest.TestCase):
    def setUp(self):
        self.host = FakeHost()
        self.addCleanup(self.host.close)
        self.programs = []

    def tearDown(self):
        for program in self.programs:
            program.kill()
        self.assertEqual(self.host.checker.problems, [], "lines that break probe/PROTOCOL.md")

    def start(self, script, *args, to=None, **kwargs) -> Program:
        program = Program(script, *args, to=self.host.address if to is None else to, **kwargs)
        self.programs.append(program)
        return program

    def serve(self, script, **kwargs):
        """Starts a listing on a free port; returns (program, port)."""
        port = free_port()
        return self.start(script, port, **kwargs), port

    def task_of(self, client, timeout=5.0) -> int:
        """The probe's taskId for the connection task serving this client."""
        accepted = self.host.wait_event(timeout, kind="accepted", peerPort=client.getsockname()[1])
        return accepted["taskId"]
