"""attach() in a program that runs its own loop: the importable API, in this process."""

import asyncio
import unittest

import echoscope_probe

from .fake_host import FakeHost


class AttachInProcess(unittest.TestCase):
    def test_attach_reports_existing_and_new_tasks_of_the_running_loop(self):
        host = FakeHost()
        self.addCleanup(host.close)

        async def napping():
            await asyncio.sleep(30)

        async def program():
            before = asyncio.create_task(napping(), name="before-attach")
            await asyncio.sleep(0)
            probe = echoscope_probe.attach(to=host.address)
            self.assertIs(echoscope_probe.attach(to=host.address), probe, "attach is idempotent")
            after = asyncio.create_task(napping(), name="after-attach")
            await asyncio.sleep(0.3)
            before.cancel()
            after.cancel()
            await asyncio.gather(before, after, return_exceptions=True)
            await asyncio.sleep(0.1)

        asyncio.run(program())
        for name in ("before-attach", "after-attach"):
            accepted = host.wait_event(kind="accepted", task={"name": name, "coroutine": "AttachInProcess.test_attach_reports_existing_and_new_tasks_of_the_running_loop.<locals>.napping"})
            parked = host.wait_event(kind="parked", taskId=accepted["taskId"])
            self.assertEqual(parked["awaitPoint"], "other")
            self.assertRegex(parked["awaitDetail"], r"^asyncio\.sleep at test_attach\.py:\d+$")
            cancelled = host.wait_event(kind="cancelled", taskId=accepted["taskId"])
            self.assertEqual(cancelled["reason"], "stop")
        self.assertEqual(host.checker.problems, [])
