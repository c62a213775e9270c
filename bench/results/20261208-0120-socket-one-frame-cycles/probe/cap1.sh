#!/bin/bash
# usage: cap1.sh CPF TAG [java opts]: one CPU; capture (on CPU 1) one 300 MB download from 1019 after 2 x 1000 MB
cpf=$1; tag=$2; shift 2
./run1.sh $cpf 3 300 -Dprobe.only=1019 "$@" > /tmp/probe/cap-$tag.txt 2>&1 &
while ! grep -q "round 1 port" /tmp/probe/cap-$tag.txt 2>/dev/null; do sleep 0.2; done
ns=$(ip netns list | grep -o 'spinet-dn14p-[0-9]*' | head -1); pid=${ns##*-}
taskset -c 1 ip netns exec $ns tcpdump -q -i d14p$pid -s 96 -w /tmp/probe/cap-$tag.pcap 2>/dev/null &
cpid=$!
while ! grep -q "round 2 port" /tmp/probe/cap-$tag.txt 2>/dev/null; do sleep 0.2; done
kill $cpid; wait
