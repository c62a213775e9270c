#!/usr/bin/env python3
"""nfq-reorder.py QUEUE PERCENT [--depth K] [--max-hold-ms T] [--seed S] [--duration S]

A packet reorderer for a kernel without netem: it takes the packets an iptables NFQUEUE rule hands
it (netlink, NETLINK_NETFILTER, queue QUEUE of the namespace it runs in) and gives each its verdict
(always ACCEPT: it never drops), holding some back so that later ones overtake them.

The model, per direction (a direction is the packet's input interface):
  - each packet, independently, is held with probability PERCENT/100 (a PRNG per direction seeded
    from S and the direction's ordinal, the first to send being 0, so a run repeats its choices);
  - a held packet is released right after the K-th later packet of its direction has been accepted
    (it arrives displaced by K packets: K >= 3 gives a receiver K out-of-order segments, so three
    duplicate ACKs), or after T ms if fewer than K followed (the end of a burst), whichever first;
  - a released packet is not held again; at most 256 packets are held at once (the oldest goes
    when that is reached).
The kernel segments GSO packets before queueing them (no NFQA_CFG_F_GSO), so every TCP segment is
one packet here. Counts go to stderr at the end (SIGTERM or SIGINT, or after --duration seconds).
Needs root (CAP_NET_ADMIN in the namespace); only the Python standard library.
"""
import argparse
import collections
import os
import random
import select
import signal
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
SOL_NETLINK = 270
NETLINK_NO_ENOBUFS = 5
SO_RCVBUFFORCE = 33
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG = 0, 1, 2
NFQA_CFG_CMD, NFQA_CFG_PARAMS, NFQA_CFG_QUEUE_MAXLEN = 1, 2, 3
NFQNL_CFG_CMD_BIND, NFQNL_CFG_CMD_UNBIND = 1, 2
NFQNL_COPY_META = 1
NFQA_PACKET_HDR, NFQA_VERDICT_HDR, NFQA_IFINDEX_INDEV = 1, 2, 3
NF_ACCEPT = 1
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
MAX_HELD = 256


def attr(kind, payload):
    length = 4 + len(payload)
    return struct.pack("=HH", length, kind) + payload + b"\0" * ((4 - length % 4) % 4)


def message(kind, flags, seq, queue, attrs):
    body = struct.pack("!BBH", socket.AF_UNSPEC, 0, queue) + b"".join(attrs)
    return struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | kind, flags, seq, 0) + body


def configure(sock, queue, seq, attrs):
    sock.send(message(NFQNL_MSG_CONFIG, NLM_F_REQUEST | NLM_F_ACK, seq, queue, attrs))
    reply = sock.recv(65536)
    length, kind = struct.unpack_from("=IH", reply)
    if kind == NLMSG_ERROR:
        error = struct.unpack_from("=i", reply, 16)[0]
        if error != 0:
            sys.exit(f"nfq-reorder: queue {queue} configuration refused: {os.strerror(-error)}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("queue", type=int)
    p.add_argument("percent", type=float)
    p.add_argument("--depth", type=int, default=5, help="K: later packets that overtake a held one")
    p.add_argument("--max-hold-ms", type=float, default=10.0, help="T: longest hold in ms")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--duration", type=float, default=3600.0, help="exit after this many seconds")
    a = p.parse_args()
    if not 0 <= a.percent <= 100 or a.depth < 1 or a.max_hold_ms <= 0:
        sys.exit("nfq-reorder: PERCENT must be 0..100, --depth at least 1, --max-hold-ms above 0")

    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 16 << 20)
    sock.setsockopt(SOL_NETLINK, NETLINK_NO_ENOBUFS, 1)
    sock.bind((0, 0))
    configure(sock, a.queue, 1, [attr(NFQA_CFG_CMD, struct.pack("!BxH", NFQNL_CFG_CMD_BIND, socket.AF_INET))])
    configure(sock, a.queue, 2, [attr(NFQA_CFG_PARAMS, struct.pack("!IB", 0, NFQNL_COPY_META)),
                                 attr(NFQA_CFG_QUEUE_MAXLEN, struct.pack("!I", 8192))])
    print(f"nfq-reorder ready: queue {a.queue}, {a.percent:g} % held for {a.depth} packets "
          f"or {a.max_hold_ms:g} ms, seed {a.seed}", flush=True)

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    threshold = a.percent / 100.0
    hold_s = a.max_hold_ms / 1000.0
    rngs = {}
    held = {}                      # direction -> deque of [packet id, packets still to overtake, deadline]
    held_count = 0
    counts = collections.Counter()
    verdicts = []
    queue_id = a.queue

    def accept(packet_id):
        verdicts.append(message(NFQNL_MSG_VERDICT, NLM_F_REQUEST, 0, queue_id,
                                [attr(NFQA_VERDICT_HDR, struct.pack("!II", NF_ACCEPT, packet_id))]))

    sock.setblocking(False)
    end = time.monotonic() + a.duration
    while not stop and time.monotonic() < end:
        now = time.monotonic()
        earliest = min((q[0][2] for q in held.values() if q), default=now + 0.2)
        try:
            readable, _, _ = select.select([sock], [], [], max(0.0, earliest - now))
        except InterruptedError:
            continue
        for _ in range(256 if readable else 0):
            try:
                data = sock.recv(65536)
            except (BlockingIOError, InterruptedError):
                break
            offset = 0
            while offset + 16 <= len(data):
                length, kind = struct.unpack_from("=IH", data, offset)
                if length < 16:
                    break
                if kind == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
                    packet_id, indev = None, 0
                    pos = offset + 20
                    while pos + 4 <= offset + length:
                        alen, atype = struct.unpack_from("=HH", data, pos)
                        if alen < 4:
                            break
                        atype &= 0x3FFF
                        if atype == NFQA_PACKET_HDR:
                            packet_id = struct.unpack_from("!I", data, pos + 4)[0]
                        elif atype == NFQA_IFINDEX_INDEV:
                            indev = struct.unpack_from("!I", data, pos + 4)[0]
                        pos += (alen + 3) & ~3
                    if packet_id is not None:
                        counts["packets"] += 1
                        rng = rngs.get(indev)
                        if rng is None:
                            # Directions are numbered in the order their first packet came (the
                            # client's SYN first), not by interface index, so that every namespace
                            # draws the same sequence for the same traffic.
                            rng = rngs[indev] = random.Random(a.seed * 1000 + len(rngs))
                            held[indev] = collections.deque()
                        queue = held[indev]
                        if rng.random() < threshold:
                            counts["held"] += 1
                            queue.append([packet_id, a.depth, time.monotonic() + hold_s])
                            held_count += 1
                            if held_count > MAX_HELD:
                                oldest = min((q for q in held.values() if q), key=lambda q: q[0][2])
                                accept(oldest.popleft()[0])
                                held_count -= 1
                                counts["released when full"] += 1
                        else:
                            accept(packet_id)
                            while queue:
                                for entry in queue:
                                    entry[1] -= 1
                                if queue[0][1] > 0:
                                    break
                                accept(queue.popleft()[0])
                                held_count -= 1
                                counts["released after K"] += 1
                offset += (length + 3) & ~3
        now = time.monotonic()
        for queue in held.values():
            while queue and queue[0][2] <= now:
                accept(queue.popleft()[0])
                held_count -= 1
                counts["released after T"] += 1
        if verdicts:
            send_all(sock, verdicts)
            verdicts.clear()
    for queue in held.values():
        while queue:
            accept(queue.popleft()[0])
    if verdicts:
        send_all(sock, verdicts)
    sock.setblocking(True)
    configure(sock, a.queue, 3, [attr(NFQA_CFG_CMD, struct.pack("!BxH", NFQNL_CFG_CMD_UNBIND, socket.AF_INET))])
    print("nfq-reorder: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), file=sys.stderr)


def send_all(sock, verdicts):
    # Netlink takes several messages in one datagram; batches stay well under the socket's limit.
    for start in range(0, len(verdicts), 128):
        batch = b"".join(verdicts[start:start + 128])
        while True:
            try:
                sock.send(batch)
                break
            except (BlockingIOError, InterruptedError):
                select.select([], [sock], [], 0.01)


if __name__ == "__main__":
    main()
