#!/bin/bash
B=$1
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
$J --enable-native-access=ALL-UNNAMED -cp "$(cat /tmp/tsoab-$B/cp)" dev.spinet.bench.SocketBench 1 20 > /tmp/tsoab-out/skcap-$B.txt 2>&1 &
P=$!
NS=spinet-skbench-$P; IF=$(echo skb$P | cut -c1-15)
for i in $(seq 100); do ip netns exec $NS ip link show $IF >/dev/null 2>&1 && break; sleep 0.1; done
ip netns exec $NS timeout 200 tshark -q -i $IF -s 96 -w /tmp/tsoab-out/skcap-$B.pcap 2>/dev/null &
T=$!
( sleep 280; kill $P 2>/dev/null ) &
wait $P; sleep 0.5; kill $T 2>/dev/null; wait $T
