#!/usr/bin/env python3
"""receiver-answers.py PCAP STACK_IP [PORT] - how a TCP receiver answered a bulk upload.

Reads a capture taken beside the receiver (loss-compare.sh CAPTURE=DIR: the router's interface
towards the stack, so data as the receiver got it after the reorderer, and its ACKs as it sent
them) and counts, for the connection on PORT (default 9, discard), what the clauses ask of it:

  dup_acks                       ACKs that repeat the highest ACK (RFC 5681 4.2)
  acks_with_sack, sack_blocks_N  RFC 2018
  data_seen_twice                data segments whose sequence number came before (duplicates)
  acks_with_dsack_first          ACKs whose first block is a D-SACK (RFC 2883 section 4), and
                                 how long after the duplicate it left
  hole_fill_acks, fill_tsecr_*   ACKs that jump past a hole after SACK blocks, and whether their
                                 TSecr is the TSval of the segment that filled it (RFC 7323 4.3)
  window_right_edge_moved_left   ACK + window below an edge offered before (RFC 9293 3.8.6)
  acks_advancing_without_moving_the_edge
                                 ACKs that move RCV.NXT but offer no byte past the highest
                                 edge so far (receiver SWS avoidance holding the edge)
  TSval lag                      the ACK's time on the wire less its TSval (the receiver's clock
                                 when it built the ACK), against the smallest such difference

Needs tshark. Relative sequence numbers (tshark's default) throughout.
"""
import collections
import statistics
import subprocess
import sys

MOD = 1 << 32


def before(a, b):
    return a != b and ((a - b) % MOD) > MOD // 2


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__.split("\n")[0])
    pcap, stack = sys.argv[1], sys.argv[2]
    port = sys.argv[3] if len(sys.argv) > 3 else "9"
    fields = ["frame.time_relative", "ip.src", "tcp.seq", "tcp.ack", "tcp.len", "tcp.window_size",
              "tcp.options.sack_le", "tcp.options.sack_re", "tcp.options.timestamp.tsval",
              "tcp.options.timestamp.tsecr", "tcp.flags.syn"]
    command = ["tshark", "-r", pcap, "-Y", f"tcp.port=={port}", "-T", "fields", "-E", "separator=|"]
    for f in fields:
        command += ["-e", f]
    lines = subprocess.run(command, capture_output=True, text=True, check=True).stdout.splitlines()

    count = collections.Counter()
    arrivals = {}              # sequence number -> [(time, TSval)] of the data segments with it
    duplicates = []            # (time, seq) of duplicates not yet reported
    dsack_delays, fill_delays, lags = [], [], []
    max_ack = edge = None
    sack_seen = False
    for line in lines:
        t, src, seq, ack, length, window, le, re_, tsval, tsecr, syn = line.split("|")
        if syn == "1":
            continue
        t, seq, ack, length, window = float(t), int(seq), int(ack), int(length), int(window or 0)
        lefts = [int(x) for x in le.split(",")] if le else []
        rights = [int(x) for x in re_.split(",")] if re_ else []
        tsval = int(tsval) if tsval else None
        tsecr = int(tsecr) if tsecr else None
        if src != stack:
            if length == 0:
                continue
            count["data"] += 1
            if seq in arrivals:
                count["data_seen_twice"] += 1
                duplicates.append((t, seq))
            arrivals.setdefault(seq, []).append((t, tsval))
            continue
        count["acks"] += 1
        if tsval is not None:
            lags.append(t * 1000.0 - tsval)
        if lefts:
            count["acks_with_sack"] += 1
            count["sack_blocks_%d" % len(lefts)] += 1
            dsack = before(lefts[0], ack) or (len(lefts) > 1 and not before(lefts[0], lefts[1])
                                              and not before(rights[1], rights[0]))
            if dsack:
                count["acks_with_dsack_first"] += 1
                for d in duplicates:
                    if d[1] == lefts[0]:
                        dsack_delays.append(t - d[0])
                        duplicates.remove(d)
                        break
        if max_ack is None:
            max_ack = ack
        elif before(max_ack, ack):
            if edge is not None and not before(edge, (ack + window) % MOD):
                count["acks_advancing_without_moving_the_edge"] += 1
            if sack_seen and (ack - max_ack) % MOD > 2 * 1448:
                count["hole_fill_acks"] += 1
                copies = arrivals.get(max_ack, [])
                if copies:
                    first_time, first_tsval = copies[0]
                    fill_delays.append(t - first_time)
                    if tsecr == first_tsval:
                        count["fill_tsecr_is_the_filling_segments_tsval"] += 1
                    else:
                        count["fill_tsecr_other"] += 1
            max_ack = ack
        elif ack == max_ack:
            count["dup_acks"] += 1
        sack_seen = bool(lefts) and not before(lefts[0], ack)
        right = (ack + window) % MOD
        if edge is not None and before(right, edge):
            count["window_right_edge_moved_left"] += 1
        if edge is None or before(edge, right):
            edge = right

    for key in sorted(count):
        print(f"{key:42s} {count[key]}")
    if dsack_delays:
        print("D-SACK after its duplicate arrived, us: median %.0f, max %.0f (%d)"
              % (statistics.median(dsack_delays) * 1e6, max(dsack_delays) * 1e6, len(dsack_delays)))
    if duplicates:
        print("duplicates never reported in a D-SACK:", len(duplicates))
    if fill_delays:
        fill_delays.sort()
        print("hole-filling ACK after the filling segment arrived, us: median %.0f, p90 %.0f"
              % (statistics.median(fill_delays) * 1e6, fill_delays[int(len(fill_delays) * 0.9)] * 1e6))
    if lags:
        base = min(lags)
        lags = sorted(x - base for x in lags)
        n = len(lags)
        print("TSval lag, ms (1 ms resolution): median %.1f, p90 %.1f, p99 %.1f, max %.1f; over 5 ms: %d of %d"
              % (lags[n // 2], lags[int(n * 0.9)], lags[int(n * 0.99)], lags[-1], sum(1 for x in lags if x > 5), n))


if __name__ == "__main__":
    main()
