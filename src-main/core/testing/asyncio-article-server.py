"""
The asyncio echo server of "A First asyncio Application", run by real CPython for comparisons:
`npm run bench` measures Echoscope against it, and awaitable-socket tests check recv semantics against it.

    python3 asyncio-article-server.py <port, 0 for any> [--listing 2|3] [--recv N] [--backlog N]

--listing 2 (default): the article's listing 1 with the crash check of its second listing.
--listing 3: the fixed echo, which prints 'got data!' per read, logs the exception and closes in finally.

The coroutines `echo`, `echo_handled` and `listen_for_connection` are the article's, with recv(1024)
as the default. Outside them: 127.0.0.1 and the port from the command line, the listen backlog (the
article's listen() default of 128 would drop the benchmark's bursts of connects), one JSON line when
listening, and two signal handlers the benchmark uses: SIGUSR1 collects garbage, SIGTERM cancels every
echo task, as asyncio.run does at exit, and reports how long that took. Control lines on stdout are JSON.
"""

import argparse
import asyncio
import gc
import json
import logging
import os
import signal
import socket
import sys
import time
from asyncio import AbstractEventLoop

parser = argparse.ArgumentParser()
parser.add_argument("port", type=int)
parser.add_argument("--listing", type=int, choices=(2, 3), default=2)
parser.add_argument("--recv", type=int, default=1024)
parser.add_argument("--backlog", type=int, default=4096)
args = parser.parse_args()
RECV = args.recv


async def echo(connection: socket, loop: AbstractEventLoop) -> None:
    while data := await loop.sock_recv(connection, RECV):
        if data == b'boom\r\n':
            raise Exception("Unexpected network error")
        await loop.sock_sendall(connection, data)


async def echo_handled(connection: socket, loop: AbstractEventLoop) -> None:
    try:
        while data := await loop.sock_recv(connection, RECV):
            print('got data!')
            if data == b'boom\r\n':
                raise Exception("Unexpected network error")
            await loop.sock_sendall(connection, data)
    except Exception as ex:
        logging.exception(ex)
    finally:
        connection.close()


ECHO = echo if args.listing == 2 else echo_handled


async def listen_for_connection(server_socket: socket, loop: AbstractEventLoop):
    while True:
        connection, address = await loop.sock_accept(server_socket)
        connection.setblocking(False)
        print(f"Got a connection from {address}")
        asyncio.create_task(ECHO(connection, loop))


def control(**fields) -> None:
    print(json.dumps(fields), flush=True)


def open_sockets() -> int:
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return -1


async def stop_echo_tasks(main_task: asyncio.Task) -> None:
    started = time.perf_counter()
    tasks = [t for t in asyncio.all_tasks() if t is not main_task and t is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    cancelled = sum(t.cancelled() for t in tasks)
    # Listing 1 never closes its sockets: each closes when its task is freed, once the loop has run the
    # cancelled tasks' last callbacks. Stop counts until they are closed, as Echoscope's stop does.
    del tasks
    gc.collect()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    elapsed = (time.perf_counter() - started) * 1000
    control(type="stopped", durationMs=elapsed, cancelled=cancelled, openDescriptors=open_sockets())
    main_task.cancel()


async def main():
    server_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server_socket.setblocking(False)
    server_socket.bind(("127.0.0.1", args.port))
    server_socket.listen(args.backlog)

    loop = asyncio.get_event_loop()
    main_task = asyncio.current_task()
    loop.add_signal_handler(signal.SIGUSR1, lambda: (gc.collect(), control(type="collected")))
    loop.add_signal_handler(signal.SIGTERM, lambda: loop.create_task(stop_echo_tasks(main_task)))
    control(type="ready", port=server_socket.getsockname()[1])
    await listen_for_connection(server_socket, loop)


try:
    asyncio.run(main())
except asyncio.CancelledError:
    pass
sys.stdout.flush()
