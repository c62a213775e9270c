"""Kernel-socket clients for the interop tests (dev.spinet.interop).

Runs inside the test's network namespace: python3 kernel_client.py COMMAND HOST ARGS...
Every command prints one result line starting with the command name and "-ok" on success,
or a line explaining the failure and exits 1. Every socket has a timeout and every loop a
bound, so a stuck stack ends in a clear failure instead of a hung build.
"""
import hashlib
import json
import random
import select
import socket
import struct
import sys
import time

TIMEOUT = 10.0


def fail(message):
    print(message)
    sys.exit(1)


def connect(host, port):
    s = socket.create_connection((host, port), timeout=TIMEOUT)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def rfc864_period():
    """RFC 864 written out independently of the stack's code: line k is the 72 printable
    ASCII characters (32..126) starting at ring position k mod 95, then CR LF; 95 lines
    make one period after which the stream repeats."""
    ring = bytes(range(32, 127))
    lines = []
    for k in range(95):
        lines.append(bytes(ring[(k + c) % 95] for c in range(72)) + b"\r\n")
    return b"".join(lines)


def cmd_echo(host, total, seed):
    """Sends `total` pseudo-random bytes in uneven pieces while reading the echo, then
    half-closes and reads to EOF; the echo must be byte-exact."""
    rnd = random.Random(int(seed))
    data = rnd.randbytes(int(total))
    s = connect(host, 7)
    s.setblocking(False)
    got = bytearray()
    sent = 0
    deadline = time.monotonic() + 60
    shut = False
    while True:
        if time.monotonic() > deadline:
            fail("echo-timeout sent=%d received=%d of %d" % (sent, len(got), len(data)))
        want_write = not shut
        r, w, _ = select.select([s], [s] if want_write else [], [], 1.0)
        if w and sent < len(data):
            piece = rnd.randint(1, 9000)
            try:
                sent += s.send(data[sent:sent + piece])
            except BlockingIOError:
                pass
        if w and sent == len(data) and not shut:
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
            if len(got) > len(data):
                break
    s.close()
    if bytes(got) != data:
        first = next((i for i in range(min(len(got), len(data))) if got[i] != data[i]), min(len(got), len(data)))
        fail("echo-mismatch received=%d of %d first_difference_at=%d" % (len(got), len(data), first))
    print("echo-ok bytes=%d sha256=%s" % (len(data), hashlib.sha256(data).hexdigest()[:16]))


def cmd_upload(host, total):
    """Sends `total` bytes to discard (9), half-closes, and waits for the stack's FIN."""
    total = int(total)
    block = bytes(random.Random(9).randbytes(65536))
    s = connect(host, 9)
    start = time.monotonic()
    left = total
    while left > 0:
        n = s.send(block[:min(left, len(block))])
        left -= n
    s.shutdown(socket.SHUT_WR)
    s.settimeout(30)  # the last segments may still be recovering from loss (emulated chips)
    extra = s.recv(4096)  # discard sends nothing: EOF (its FIN) is expected
    s.close()
    if extra:
        fail("upload-bad discard sent %d bytes back" % len(extra))
    secs = time.monotonic() - start
    print("upload-ok bytes=%d secs=%.3f mbps=%.1f" % (total, secs, total * 8 / secs / 1e6))


def cmd_download(host, total):
    """Reads `total` bytes from chargen (19) and checks every byte against RFC 864."""
    total = int(total)
    period = rfc864_period()
    pattern = period * 2
    s = connect(host, 19)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    start = time.monotonic()
    got = 0
    while got < total:
        chunk = s.recv(min(262144, total - got))
        if not chunk:
            fail("download-short stream ended after %d of %d bytes" % (got, total))
        offset = got % len(period)
        # A chunk may be longer than one period: compare period-sized slices.
        pos = 0
        while pos < len(chunk):
            piece = chunk[pos:pos + len(period)]
            start_in = (offset + pos) % len(period)
            if piece != pattern[start_in:start_in + len(piece)]:
                fail("download-mismatch near byte %d" % (got + pos))
            pos += len(piece)
        got += len(chunk)
    s.close()
    secs = time.monotonic() - start
    print("download-ok bytes=%d secs=%.3f mbps=%.1f" % (got, secs, got * 8 / secs / 1e6))


def cmd_churn(host, count):
    """`count` connections to echo one after another: connect, 32 bytes there and back, close."""
    count = int(count)
    for i in range(count):
        s = connect(host, 7)
        message = b"connection %05d of %05d ......\n" % (i, count)
        s.sendall(message)
        got = b""
        while len(got) < len(message):
            chunk = s.recv(64)
            if not chunk:
                fail("churn-failed connection %d closed early after %d bytes" % (i, len(got)))
            got += chunk
        if got != message:
            fail("churn-failed connection %d echoed %r" % (i, got))
        s.close()
    print("churn-ok connections=%d" % count)


def cmd_http_churn(host, count):
    """`count` HTTP/1.0 requests in a row, each on its own connection (the board closes first,
    so its TIME-WAIT table is exercised)."""
    count = int(count)
    for i in range(count):
        s = connect(host, 80)
        s.sendall(b"GET /status.json HTTP/1.0\r\nHost: board\r\n\r\n")
        response = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            response += chunk
        s.close()
        head, _, body = response.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.") or b" 200 " not in head.split(b"\r\n")[0]:
            fail("http-churn-failed request %d: %r" % (i, head[:80]))
        json.loads(body)
    print("http-churn-ok requests=%d" % count)


def cmd_reset(host, before_reset):
    """Downloads from chargen, then closes with SO_LINGER 0 mid-stream: the kernel sends RST."""
    before_reset = int(before_reset)
    s = connect(host, 19)
    got = 0
    while got < before_reset:
        chunk = s.recv(65536)
        if not chunk:
            fail("reset-failed chargen closed after %d bytes" % got)
        got += len(chunk)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    print("reset-ok read=%d then closed with SO_LINGER 0" % got)


def flatten(prefix, value, out):
    if isinstance(value, dict):
        for k, v in value.items():
            flatten(prefix + "." + k if prefix else k, v, out)
    elif isinstance(value, list):
        out.append("%s.length=%d" % (prefix, len(value)))
        for i, v in enumerate(value):
            flatten("%s[%d]" % (prefix, i), v, out)
    else:
        out.append("%s=%s" % (prefix, json.dumps(value)))


def cmd_json(path):
    """Parses a JSON file strictly and prints every scalar as path=value, one per line."""
    with open(path, "rb") as f:
        data = json.loads(f.read().decode("utf-8"))
    out = []
    flatten("", data, out)
    print("json-ok")
    print("\n".join(out))


COMMANDS = {"echo": cmd_echo, "upload": cmd_upload, "download": cmd_download, "churn": cmd_churn,
            "http-churn": cmd_http_churn, "reset": cmd_reset, "json": cmd_json}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        fail("usage: kernel_client.py {%s} ARGS..." % ",".join(COMMANDS))
    COMMANDS[sys.argv[1]](*sys.argv[2:])
