"""`python3 -m echoscope_probe [--to HOST:PORT] [--token T] script.py [args]`: runs the script as
__main__, as `python3 script.py` would, with the probe attached.

The script runs in a real `__main__` module that stays in sys.modules until the interpreter exits,
so its objects (a `tasks` list holding a failed task) are freed when they would be without the probe,
and CPython prints its warnings at the same moment. An exception that ends the script is printed
without the probe's own frames, and the exit status is the one the script would have had.
"""

import builtins
import os
import sys
import types
from importlib.machinery import SourceFileLoader

from .attachment import DEFAULT_ADDRESS, attach
from .transport import parse_address

USAGE = "usage: python3 -m echoscope_probe [--to HOST:PORT] [--token TOKEN] script.py [args...]"
HELP = f"""{USAGE}

Runs an asyncio program and streams its tasks to Echoscope (start it with
`echoscope web --attach-port 8765`). Without Echoscope the program runs unobserved.

  --to HOST:PORT   where Echoscope listens for probes (default {DEFAULT_ADDRESS}, or ECHOSCOPE_ATTACH)
  --token TOKEN    the token Echoscope printed (default: the ECHOSCOPE_TOKEN environment variable)
"""


def _usage_error(message: str) -> None:
    sys.stderr.write(f"{USAGE}\nechoscope probe: error: {message}\n")
    raise SystemExit(2)


def parse(argv):
    to = os.environ.get("ECHOSCOPE_ATTACH") or DEFAULT_ADDRESS
    token = None
    index = 0
    while index < len(argv) and argv[index].startswith("-"):
        option = argv[index]
        name, has_value, value = option.partition("=")
        if name in ("-h", "--help"):
            sys.stdout.write(HELP)
            raise SystemExit(0)
        if name not in ("--to", "--token"):
            _usage_error(f"unknown option {option}")
        if not has_value:
            index += 1
            if index >= len(argv):
                _usage_error(f"{name} needs a value")
            value = argv[index]
        if name == "--to":
            to = value
        else:
            token = value
        index += 1
    if index >= len(argv):
        _usage_error("no script to run")
    return to, token, argv[index], argv[index + 1 :]


def _without_probe_frames(hook, code):
    """sys.excepthook for the exception that ends the script: its traceback starts at the script."""

    def excepthook(kind, value, tb):
        start = tb
        while start is not None and start.tb_frame.f_code is not code:
            start = start.tb_next
        if start is None and isinstance(value, SyntaxError):
            tb = None
        elif start is not None:
            tb = start
        if value is not None and tb is not value.__traceback__:
            try:
                value.__traceback__ = tb
            except Exception:
                pass
        return hook(kind, value, tb)

    return excepthook


def main(argv=None) -> None:
    to, token, script, args = parse(sys.argv[1:] if argv is None else argv)
    path = os.path.abspath(script)
    try:
        with open(path, "rb") as source_file:
            source = source_file.read()
    except OSError as exc:
        sys.stderr.write(f"{sys.executable}: can't open file {script!r}: [Errno {exc.errno}] {exc.strerror}\n")
        raise SystemExit(2) from None
    try:
        parse_address(to)  # a bad --to is a usage error, before the script runs
    except ValueError as exc:
        _usage_error(str(exc))
    module = types.ModuleType("__main__")
    module.__dict__.update(
        __file__=path,
        __cached__=None,
        __builtins__=builtins,
        __loader__=SourceFileLoader("__main__", path),
        __spec__=None,
        __package__=None,
    )
    sys.argv[:] = [script, *args]
    sys.path[0] = os.path.dirname(path)
    code = None
    try:
        code = compile(source, path, "exec", dont_inherit=True)
        sys.modules["__main__"] = module
        attach(to=to, token=token, script=path)
        exec(code, module.__dict__)
    except BaseException:
        sys.excepthook = _without_probe_frames(sys.excepthook, code)
        raise
