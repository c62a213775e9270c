"""Kernel-side peers for the socket tests (dev.spinet.net), run inside the test's namespace:
python3 socket_peers.py COMMAND ARGS...

  echo-server HOST PORT          asyncio echo server (thousands of connections); prints "listening"
  rst-server HOST PORT           accepts, reads one byte, closes with SO_LINGER 0 (an RST); prints "listening"
  echo-client HOST PORT TOTAL SEED
                                 sends TOTAL pseudo-random bytes while reading the echo, half-closes,
                                 reads to EOF; prints "echo-client-ok BYTES SHA256" when byte-exact

Every socket has a timeout and every loop a bound; servers end when the test kills them.
"""
import asyncio
import hashlib
import random
import select
import socket
import struct
import sys
import time


def fail(message):
    print(message, flush=True)
    sys.exit(1)


async def serve_echo(host, port):
    async def handle(reader, writer):
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, host, port, backlog=4096, reuse_address=True)
    print("listening", flush=True)
    async with server:
        await server.serve_forever()


def cmd_rst_server(host, port):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, int(port)))
    listener.listen(16)
    print("listening", flush=True)
    while True:
        conn, _ = listener.accept()
        conn.settimeout(30)
        try:
            conn.recv(1)
        except OSError:
            pass
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()


def cmd_echo_client(host, port, total, seed):
    rnd = random.Random(int(seed))
    data = rnd.randbytes(int(total))
    s = socket.create_connection((host, int(port)), timeout=10)
    s.setblocking(False)
    got = bytearray()
    sent = 0
    shut = False
    deadline = time.monotonic() + 120
    while True:
        if time.monotonic() > deadline:
            fail("echo-client-timeout sent=%d received=%d of %d" % (sent, len(got), len(data)))
        r, w, _ = select.select([s], [] if shut else [s], [], 1.0)
        if w and sent < len(data):
            try:
                sent += s.send(data[sent:sent + 65536])
            except BlockingIOError:
                pass
            if sent == len(data):
                s.shutdown(socket.SHUT_WR)
                shut = True
        if r:
            try:
                chunk = s.recv(262144)
            except BlockingIOError:
                continue
            if not chunk:
                break
            got += chunk
    s.close()
    if bytes(got) != data:
        first = next((i for i in range(min(len(got), len(data))) if got[i] != data[i]), min(len(got), len(data)))
        fail("echo-client-mismatch received=%d of %d first-difference=%d" % (len(got), len(data), first))
    print("echo-client-ok %d %s" % (len(got), hashlib.sha256(got).hexdigest()), flush=True)


def main():
    command, args = sys.argv[1], sys.argv[2:]
    if command == "echo-server":
        asyncio.run(serve_echo(args[0], int(args[1])))
    elif command == "rst-server":
        cmd_rst_server(*args)
    elif command == "echo-client":
        cmd_echo_client(*args)
    else:
        fail("unknown command " + command)


main()
