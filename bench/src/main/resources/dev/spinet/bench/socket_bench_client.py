"""Kernel-socket client of SocketBench (docs/benchmarks.md), run inside the benchmark's namespace:

  rtt HOST PORT COUNT WARMUP     64-byte round trips on one TCP_NODELAY connection;
                                 prints "rtt-ok MEDIAN_US P99_US"
  rtt-pair HOST PORT_A PORT_B COUNT WARMUP
                                 the same, on two connections at once, one round trip on A then
                                 one on B, so both see the same moments of machine load;
                                 prints "rtt-pair-ok MEDIAN_A P99_A MEDIAN_B P99_B"
  upload HOST PORT BYTES         sends BYTES, half-closes, waits for the server's FIN;
                                 prints "upload-ok MBIT_PER_S"
  download HOST PORT BYTES       reads BYTES from a server that streams, then closes;
                                 prints "download-ok MBIT_PER_S"
  upload-pair HOST PORT_A PORT_B BYTES COUNT
  download-pair HOST PORT_A PORT_B BYTES COUNT
                                 COUNT transfers to (from) each of two servers in turn, A B B A
                                 A B ..., each on a new connection, so both see the same moments
                                 of machine load; prints "upload-pair-ok MEDIAN_A MEDIAN_B" (or
                                 download-pair-ok), medians of the transfers' Mbit/s

Every socket has a timeout, so a stuck server ends the run with an error instead of a hang.
"""
import socket
import sys
import time

TIMEOUT = 30.0


def connect(host, port):
    s = socket.create_connection((host, int(port)), timeout=TIMEOUT)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def recv_exactly(s, n):
    got = bytearray()
    while len(got) < n:
        chunk = s.recv(n - len(got))
        if not chunk:
            raise RuntimeError("connection closed after %d of %d bytes" % (len(got), n))
        got += chunk
    return bytes(got)


def cmd_rtt(host, port, count, warmup):
    s = connect(host, port)
    message = bytes(range(64))
    samples = []
    for i in range(int(warmup) + int(count)):
        start = time.perf_counter_ns()
        s.sendall(message)
        if recv_exactly(s, 64) != message:
            raise RuntimeError("echo changed the data")
        if i >= int(warmup):
            samples.append((time.perf_counter_ns() - start) / 1000.0)
    s.close()
    samples.sort()
    print("rtt-ok %.1f %.1f" % (samples[len(samples) // 2], samples[int(len(samples) * 0.99)]))


def cmd_rtt_pair(host, port_a, port_b, count, warmup):
    a, b = connect(host, port_a), connect(host, port_b)
    message = bytes(range(64))
    samples = ([], [])
    for i in range(int(warmup) + int(count)):
        for k, s in enumerate((a, b)):
            start = time.perf_counter_ns()
            s.sendall(message)
            if recv_exactly(s, 64) != message:
                raise RuntimeError("echo changed the data")
            if i >= int(warmup):
                samples[k].append((time.perf_counter_ns() - start) / 1000.0)
    a.close()
    b.close()
    out = []
    for series in samples:
        series.sort()
        out += [series[len(series) // 2], series[int(len(series) * 0.99)]]
    print("rtt-pair-ok %.1f %.1f %.1f %.1f" % tuple(out))


def upload(host, port, total):
    s = connect(host, port)
    block = bytes(65536)
    start = time.perf_counter()
    sent = 0
    while sent < total:
        sent += s.send(block[:min(len(block), total - sent)])
    s.shutdown(socket.SHUT_WR)
    while s.recv(65536):
        pass
    elapsed = time.perf_counter() - start
    s.close()
    return total * 8 / elapsed / 1e6


def download(host, port, total):
    s = connect(host, port)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    start = time.perf_counter()
    got = 0
    while got < total:
        chunk = s.recv(262144)
        if not chunk:
            raise RuntimeError("stream ended after %d of %d bytes" % (got, total))
        got += len(chunk)
    elapsed = time.perf_counter() - start
    s.close()
    return total * 8 / elapsed / 1e6


def cmd_upload(host, port, total):
    print("upload-ok %.0f" % upload(host, port, int(total)))


def cmd_download(host, port, total):
    print("download-ok %.0f" % download(host, port, int(total)))


def median(values):
    values = sorted(values)
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def pair(transfer, host, port_a, port_b, total, count):
    rates = ([], [])
    for i in range(int(count)):
        order = (0, 1) if i % 2 == 0 else (1, 0)
        for k in order:
            rates[k].append(transfer(host, (port_a, port_b)[k], int(total)))
    return median(rates[0]), median(rates[1])


def cmd_upload_pair(host, port_a, port_b, total, count):
    print("upload-pair-ok %.0f %.0f" % pair(upload, host, port_a, port_b, total, count))


def cmd_download_pair(host, port_a, port_b, total, count):
    print("download-pair-ok %.0f %.0f" % pair(download, host, port_a, port_b, total, count))


def main():
    command, args = sys.argv[1], sys.argv[2:]
    {"rtt": cmd_rtt, "rtt-pair": cmd_rtt_pair, "upload": cmd_upload, "download": cmd_download,
     "upload-pair": cmd_upload_pair, "download-pair": cmd_download_pair}[command](*args)


main()
