"""A task's connection: found in its coroutine's arguments, watched until its socket is closed or freed."""

import socket
import weakref
from asyncio import streams


class SocketWatch:
    """One connection socket: who reads it (its bytes count for that task) and when it closes."""

    __slots__ = ("owner", "closing", "counts_reads", "_ref", "_probe")

    def __init__(self, sock, owner, probe, counts_reads: bool):
        self.owner = owner
        #: Its recv() results count as the owner's received bytes (not for stream transports, whose
        #: bytes are counted where they reach the StreamReader).
        self.counts_reads = counts_reads
        #: The owner's own code asked to close it (StreamWriter.close): the transport closes it later.
        self.closing = False
        owner.open_sockets += 1
        key = id(sock)
        # Fires once the socket object is freed: CPython's finalizer has closed its descriptor by then.
        self._ref = weakref.ref(sock, lambda _ref, key=key: probe.socket_freed(key))
        self._probe = probe

    def move_to(self, owner) -> None:
        self.owner.open_sockets -= 1
        owner.open_sockets += 1
        self.owner = owner

    def closed(self, reason: str) -> None:
        self.owner.open_sockets -= 1
        self._probe.emit_closed(self.owner, reason)


def _peer(name):
    if isinstance(name, tuple) and len(name) >= 2:
        return str(name[0]), int(name[1])
    return (str(name) if name else ""), 0


def _local_port(name) -> int:
    return int(name[1]) if isinstance(name, tuple) and len(name) >= 2 else 0


def transport_socket(transport):
    """The socket under a stream transport (asyncio wraps it in a TransportSocket)."""
    if transport is None:
        return None
    wrapped = transport.get_extra_info("socket")
    return getattr(wrapped, "_sock", wrapped) if wrapped is not None else None


def connection_of(coro):
    """(socket or None, peer address, peer port, local port, StreamReader or None, whether the socket
    is the program's own) from a new coroutine's arguments, or None when it has no connection among them."""
    frame = getattr(coro, "cr_frame", None)
    if frame is None:
        return None
    values = list(frame.f_locals.values())
    reader = next((value for value in values if isinstance(value, streams.StreamReader)), None)
    for value in values:
        if isinstance(value, socket.socket):
            try:
                peer = value.getpeername()
                local = value.getsockname()
            except OSError:  # a listening or unconnected socket is not a connection
                continue
            return (value, *_peer(peer), _local_port(local), reader, True)
        transport = None
        if isinstance(value, streams.StreamWriter):
            transport = value.transport
        elif isinstance(value, streams.StreamReader):
            transport = getattr(value, "_transport", None)
        if transport is not None:
            peer = transport.get_extra_info("peername")
            local = transport.get_extra_info("sockname")
            sock = transport_socket(transport)
            sock = sock if isinstance(sock, socket.socket) else None
            return (sock, *_peer(peer), _local_port(local), reader, False)
    return None
