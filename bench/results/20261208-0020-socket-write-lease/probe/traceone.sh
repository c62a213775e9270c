#!/bin/bash
# usage: traceone.sh PORT TAG CPF [java opts]: one CPU, 3 x MB downloads, perf trace -s over 1 s of the third
port=$1; tag=$2; cpf=$3; shift 3
./run1.sh $cpf 3 ${PERF_MB:-6000} -Dprobe.only=$port "$@" > /tmp/probe/tr-$tag.txt 2>&1 &
while ! grep -q "round 1 port" /tmp/probe/tr-$tag.txt 2>/dev/null; do sleep 0.5; done
sleep 0.5
jpid=$(pgrep -f "DownProbe" | head -1)
perf trace -s -p $jpid -o /tmp/probe/tr-$tag.sum -- sleep 1 >/dev/null 2>&1
wait
grep -o "round.*Mbit/s.*" /tmp/probe/tr-$tag.txt | cut -c1-130
