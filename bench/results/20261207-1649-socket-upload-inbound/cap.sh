#!/usr/bin/env bash
# usage: cap.sh BUILD OUT  : one SocketBench 1 20 run with a capture of Spinet's ACKs on ports 9/1009
b=$1; out=$2
/tmp/up14b/run.sh $b 1 20 > $out.bench 2>&1 &
bp=$!
for i in $(seq 1 100); do ns=$(ip netns list | grep -o 'spinet-skbench-[0-9]*' | head -1); [ -n "$ns" ] && ip netns exec $ns ip link show 2>/dev/null | grep -q skb && break; sleep 0.1; done
tap=$(ip netns exec $ns ip -o link show | grep -o 'skb[0-9]*' | head -1)
timeout 120 ip netns exec $ns tshark -q -i $tap -s 80 -f "tcp and src host 10.84.0.2 and (src port 9 or src port 1009)" -T fields -e frame.time_epoch -e tcp.srcport -e tcp.window_size_value -e tcp.ack -E separator=' ' > $out.acks 2>$out.tshark &
tp=$!
wait $bp
kill $tp 2>/dev/null; wait $tp 2>/dev/null
