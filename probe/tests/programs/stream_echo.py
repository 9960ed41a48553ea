# An echo server on asyncio streams, with a background task that sleeps: the probe's stream hooks
# and its "other" await points. Port as the first argument.
import asyncio
import sys


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while line := await reader.readline():
        writer.write(line)
        await writer.drain()
    writer.close()
    await writer.wait_closed()


async def housekeeping() -> None:
    while True:
        await asyncio.sleep(3600)


async def main() -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", int(sys.argv[1]))
    keeper = asyncio.create_task(housekeeping(), name="housekeeping")
    async with server:
        await server.serve_forever()
    await keeper


asyncio.run(main())
