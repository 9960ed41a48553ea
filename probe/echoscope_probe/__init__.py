"""Echoscope's probe for asyncio programs: streams every task's life to Echoscope (probe/PROTOCOL.md).

    python3 -m echoscope_probe --to 127.0.0.1:8765 [--token T] server.py [args]

or, in a program that starts its own loop:

    import echoscope_probe
    echoscope_probe.attach(to="127.0.0.1:8765")

Standard library only; CPython 3.10 and newer.
"""

from .attachment import DEFAULT_ADDRESS, attach

__all__ = ["attach", "DEFAULT_ADDRESS"]
