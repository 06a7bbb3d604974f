#!/usr/bin/python3
"""A TCP proxy on loopback that adds a fixed one-way delay in each direction.

    latency_proxy.py LISTEN_PORT TARGET_PORT DELAY_MS [--stats FILE]

Each chunk is forwarded DELAY_MS after it arrived, in order, without
serialising the delays (a burst of chunks is delayed once, not once per
chunk), so 25 ms each way gives a 50 ms round trip. It counts the
connections it accepted and writes the count to --stats on SIGTERM/SIGINT.
Only 127.0.0.1 is used on both sides.
"""
import asyncio
import signal
import sys
import time


class Stats:
    connections = 0


# asyncio holds tasks only by weak references: a connection's tasks, all
# waiting on futures of their own, can be collected mid-flight under GC
# pressure ("Task was destroyed but it is pending!"), which closed the
# client's side early with no data. Every task is held here until done.
TASKS = set()


def hold(task):
    TASKS.add(task)
    task.add_done_callback(TASKS.discard)
    return task


async def pump(reader, writer, delay):
    queue = asyncio.Queue()

    async def sender():
        while True:
            due, data = await queue.get()
            if data is None:
                break
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                writer.write(data)
                await writer.drain()
            except (ConnectionError, OSError):
                break
        try:
            if writer.can_write_eof():
                writer.write_eof()
        except (ConnectionError, OSError):
            pass

    task = hold(asyncio.ensure_future(sender()))
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            queue.put_nowait((time.monotonic() + delay, data))
    except (ConnectionError, OSError):
        pass
    queue.put_nowait((time.monotonic() + delay, None))
    await task


async def handle(client_r, client_w, target_port, delay):
    Stats.connections += 1
    hold(asyncio.current_task())
    try:
        server_r, server_w = await asyncio.open_connection("127.0.0.1", target_port)
    except OSError:
        client_w.close()
        return
    await asyncio.gather(pump(client_r, server_w, delay), pump(server_r, client_w, delay))
    for w in (client_w, server_w):
        try:
            w.close()
        except OSError:
            pass


async def main():
    listen_port, target_port, delay_ms = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    stats_file = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--stats" else None
    delay = delay_ms / 1000.0
    server = await asyncio.start_server(lambda r, w: handle(r, w, target_port, delay),
                                        "127.0.0.1", listen_port, backlog=512)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if stats_file:
        # SIGUSR1 writes the current count without stopping
        loop.add_signal_handler(signal.SIGUSR1, lambda: open(stats_file, "w").write(f"{Stats.connections}\n"))
    async with server:
        await stop.wait()
    if stats_file:
        with open(stats_file, "w") as f:
            f.write(f"{Stats.connections}\n")


if __name__ == "__main__":
    asyncio.run(main())
