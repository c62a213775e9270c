import sys, subprocess, statistics
# per data sender port: for each data segment sent while nothing was in flight (all acked),
# the delay since the ACK that emptied the flight; and the delay from a data segment to the
# ACK covering it. Prints medians and the share of transfer time spent with nothing in flight.
pcap, port = sys.argv[1], sys.argv[2]
out = subprocess.run(["tshark", "-r", pcap, "-Y", f"tcp.port=={port}", "-T", "fields", "-e", "frame.time_relative",
     "-e", "tcp.srcport", "-e", "tcp.stream", "-e", "tcp.seq", "-e", "tcp.len", "-e", "tcp.ack"], capture_output=True, text=True).stdout
streams = {}
for line in out.splitlines():
    t, sp, st, seq, ln, ack = line.split("\t")
    streams.setdefault(st, []).append((float(t), sp == port, int(seq), int(ln), int(ack)))
idle = []; total_idle = 0; total_time = 0; ack_delay = []; bytes_ = 0
for st, evs in streams.items():
    nxt = una = None; last_empty = None; outstanding = []
    first = last = None
    for t, fromsrv, seq, ln, ack in evs:
        if fromsrv and ln > 0:
            if first is None: first = t
            last = t; bytes_ += ln
            if last_empty is not None and (una is None or una >= (nxt or 0)):
                idle.append(t - last_empty); total_idle += t - last_empty
            nxt = seq + ln; outstanding.append((seq + ln, t)); last_empty = None
        elif not fromsrv:
            una = ack
            while outstanding and outstanding[0][0] <= ack:
                ack_delay.append(t - outstanding.pop(0)[1])
            if nxt is not None and ack >= nxt:
                last_empty = t
    if first is not None: total_time += last - first
print(f"port {port}: {len(streams)} connections, {bytes_/1e6:.0f} MB in {total_time*1e3:.0f} ms of transfer; "
      f"nothing in flight for {total_idle*1e3:.0f} ms ({100*total_idle/total_time:.0f} %), {len(idle)} times, "
      f"median wait ACK->next data {statistics.median(idle)*1e6:.0f} us; median data->ACK {statistics.median(ack_delay)*1e6:.1f} us, "
      f"p90 {sorted(ack_delay)[int(len(ack_delay)*0.9)]*1e6:.0f} us")
