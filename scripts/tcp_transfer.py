#!/usr/bin/env python3
"""Kernel-side client for scripts/sim-chip-transfer: bulk TCP transfers against Spinet's services.

  tcp_transfer.py upload   HOST BYTES   send BYTES to discard (port 9), wait for the close
  tcp_transfer.py download HOST BYTES   read BYTES from chargen (port 19), check them against RFC 864
  tcp_transfer.py echo     HOST BYTES   send BYTES to echo (port 7) while reading them back, compare

Prints one line: "<mode> bytes=N seconds=S mbit_s=R sha256_sent=... sha256_received=... identical=yes|no".
The payload is a deterministic pseudo-random stream (SHA-256 in counter mode), so every run sends the
same bytes. Exit status 0 when the bytes are identical (echo, download) or all were sent (upload).
"""
import hashlib
import socket
import sys
import threading
import time

CHUNK = 65536


def payload(total):
    """Yields the deterministic test stream in CHUNK-sized pieces."""
    counter = 0
    sent = 0
    while sent < total:
        block = b"".join(hashlib.sha256(b"spinet-%d-%d" % (counter, i)).digest() for i in range(CHUNK // 32))
        counter += 1
        piece = block[: min(CHUNK, total - sent)]
        sent += len(piece)
        yield piece


def chargen(total):
    """RFC 864: line k is the 72 printable characters from ring position k mod 95, then CR LF."""
    period = bytearray()
    for line in range(95):
        period += bytes(32 + (line + c) % 95 for c in range(72)) + b"\r\n"
    period = bytes(period)
    produced = 0
    while produced < total:
        piece = period[: min(len(period), total - produced)]
        produced += len(piece)
        yield piece


def connect(host, port):
    s = socket.create_connection((host, port), timeout=120)
    s.settimeout(120)
    return s


def report(mode, total, seconds, sent_hash, received_hash, ok):
    print("%s bytes=%d seconds=%.3f mbit_s=%.3f sha256_sent=%s sha256_received=%s identical=%s"
          % (mode, total, seconds, total * 8 / seconds / 1e6, sent_hash, received_hash, "yes" if ok else "no"))
    sys.stdout.flush()
    return 0 if ok else 1


def upload(host, total):
    h = hashlib.sha256()
    s = connect(host, 9)
    start = time.monotonic()
    for piece in payload(total):
        s.sendall(piece)
        h.update(piece)
    s.shutdown(socket.SHUT_WR)
    while s.recv(CHUNK):
        pass
    seconds = time.monotonic() - start
    s.close()
    return report("upload", total, seconds, h.hexdigest(), "-", True)


def download(host, total):
    expected = hashlib.sha256()
    for piece in chargen(total):
        expected.update(piece)
    h = hashlib.sha256()
    s = connect(host, 19)
    start = time.monotonic()
    got = 0
    while got < total:
        data = s.recv(min(CHUNK, total - got))
        if not data:
            break
        h.update(data)
        got += len(data)
    seconds = time.monotonic() - start
    s.close()
    return report("download", total, seconds, expected.hexdigest(), h.hexdigest(),
                  got == total and h.hexdigest() == expected.hexdigest())


def echo(host, total):
    sent = hashlib.sha256()
    received = hashlib.sha256()
    s = connect(host, 7)
    start = time.monotonic()
    got = [0]

    def reader():
        while got[0] < total:
            data = s.recv(CHUNK)
            if not data:
                return
            received.update(data)
            got[0] += len(data)

    t = threading.Thread(target=reader)
    t.start()
    for piece in payload(total):
        s.sendall(piece)
        sent.update(piece)
    t.join(timeout=3600)
    seconds = time.monotonic() - start
    s.close()
    return report("echo", total, seconds, sent.hexdigest(), received.hexdigest(),
                  got[0] == total and sent.hexdigest() == received.hexdigest())


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("upload", "download", "echo"):
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit({"upload": upload, "download": download, "echo": echo}[sys.argv[1]](sys.argv[2], int(sys.argv[3])))
