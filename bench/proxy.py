#!/usr/bin/env python3
"""A TCP proxy the benchmark can take down: forwards 127.0.0.1:PORT to TARGET
(host:port) while the file DOWN_FLAG does not exist; while it does, it closes
every open connection and every new one, as an unreachable service looks.
Usage: proxy.py PORT TARGET DOWN_FLAG"""
import asyncio
import os
import sys

port, target, flag = int(sys.argv[1]), sys.argv[2], sys.argv[3]
host, target_port = target.rsplit(":", 1)
open_writers = set()


async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def handle(client_reader, client_writer):
    if os.path.exists(flag):
        client_writer.close()
        return
    try:
        server_reader, server_writer = await asyncio.open_connection(host, int(target_port))
    except OSError:
        client_writer.close()
        return
    open_writers.update({client_writer, server_writer})
    await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))
    open_writers.difference_update({client_writer, server_writer})


async def watch_flag():
    while True:
        if os.path.exists(flag):
            for writer in list(open_writers):
                writer.close()
        await asyncio.sleep(0.1)


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", port)
    asyncio.create_task(watch_flag())
    async with server:
        await server.serve_forever()


asyncio.run(main())
