#!/usr/bin/env bash
# alternates configurations of build B (and A) round by round: SocketBench 5 20
for r in 1 2 3; do
  /tmp/up14b/run.sh A 5 20 > A-$r.txt 2>&1
  /tmp/up14b/run.sh B 5 20 -Dspinet.sockets.inboundRingPerReceiveRing=4 > f4-$r.txt 2>&1
  /tmp/up14b/run.sh B 5 20 -Dspinet.sockets.inboundRingPerReceiveRing=2 > f2-$r.txt 2>&1
  /tmp/up14b/run.sh B 5 20 -Dspinet.sockets.inboundRingPerReceiveRing=4 -Dspinet.sockets.leaseMicros=0 > f4L0-$r.txt 2>&1
  /tmp/up14b/run.sh B 5 20 -Dspinet.sockets.inboundRingPerReceiveRing=1 -Dspinet.sockets.leaseMicros=0 > f1L0-$r.txt 2>&1
done
