"""Runs a Python program as a real subprocess, with or without the probe, and talks to it as a client."""

import os
import signal
import socket
import subprocess
import sys
import time

PROBE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LISTINGS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "listings")
PROGRAMS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "programs")

# Children inherit an ignored SIGINT (a test run started in the background by a shell): asyncio would
# then never see Ctrl-C. A handler here resets to the default in every child.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def free_port() -> int:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return probe_socket.getsockname()[1]


def listing(name: str) -> str:
    return os.path.join(LISTINGS, name)


def program(name: str) -> str:
    return os.path.join(PROGRAMS, name)


class Program:
    """`python3 [-m echoscope_probe --to ADDRESS] script args`, with pipes for its output."""

    def __init__(self, script: str, *args, to=None, token=None, env=None):
        command = [sys.executable]
        if to is not None:
            command += ["-m", "echoscope_probe", "--to", to]
            if token is not None:
                command += ["--token", token]
        command += [script, *map(str, args)]
        environment = {k: v for k, v in os.environ.items() if not k.startswith("ECHOSCOPE_")}
        environment.update({"PYTHONPATH": PROBE_DIR, **(env or {})})
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment, cwd=PROBE_DIR
        )
        self.stdout = ""
        self.stderr = ""
        self.clients = []

    def connect(self, port: int, timeout=10.0) -> socket.socket:
        deadline = time.monotonic() + timeout
        while True:
            try:
                client = socket.create_connection(("127.0.0.1", port), timeout=2)
                client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self.clients.append(client)
                return client
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.05)

    def interrupt(self, timeout=15.0) -> int:
        """Ctrl-C, then waits for the exit; returns the exit status."""
        self.process.send_signal(signal.SIGINT)
        return self.wait(timeout)

    def wait(self, timeout=15.0) -> int:
        try:
            out, err = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate()
            raise AssertionError(f"the program did not exit within {timeout} s: {err.decode()[-2000:]}")
        self.stdout, self.stderr = out.decode(), err.decode()
        return self.process.returncode

    def kill(self) -> None:
        for client in self.clients:
            client.close()
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()
        for pipe in (self.process.stdout, self.process.stderr):
            pipe.close()


def echo(client: socket.socket, data: bytes) -> bytes:
    client.sendall(data)
    received = b""
    while len(received) < len(data):
        chunk = client.recv(65536)
        if not chunk:
            break
        received += chunk
    return received


def sees_eof(client: socket.socket, timeout: float) -> bool:
    """True when the server closed the connection within `timeout` (a timeout means it is still open)."""
    client.settimeout(timeout)
    try:
        return client.recv(100) == b""
    except socket.timeout:
        return False
    except ConnectionResetError:
        return True
