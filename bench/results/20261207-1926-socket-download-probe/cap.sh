#!/bin/bash
# cap.sh PORT OUT : runs the probe on PORT only, captures 1.5 s on its TAP inside its namespace
port=$1; out=$2
( ./run-down.sh /tmp/cp/A.cp 40 100 -Dprobe.only=$port > $out.probe.txt 2>&1 ) &
for i in $(seq 1 100); do ns=$(ip netns list | grep -o 'spinet-dn14p-[0-9]*' | head -1); [ -n "$ns" ] && break; sleep 0.1; done
sleep 3
tap=d14p${ns#spinet-dn14p-}; tap=${tap:0:15}
ip netns exec $ns timeout 1.5 dumpcap -q -i $tap -s 128 -w $out.pcapng 2>/dev/null
wait
