#!/usr/bin/env bash
# alternates: build A (integration tree), build C with a 1000 us lease, build C with 4x inbound ring + a cycle per leased read
for r in 1 2 3; do
  /tmp/up14b/run.sh A 5 20 > A-$r.txt 2>&1
  /tmp/up14b/run.sh C 5 20 -Dspinet.sockets.leaseMicros=1000 > L1000-$r.txt 2>&1
  /tmp/up14b/run.sh C 5 20 -Dspinet.sockets.inboundRingPerReceiveRing=4 -Dspinet.sockets.leaseCycles=true > F4LC-$r.txt 2>&1
done
