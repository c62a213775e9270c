#!/bin/bash
# usage: perfone.sh PORT TAG CPF [java opts]: one CPU, 3 x 2000 MB downloads from PORT, perf over 2 s of the third
port=$1; tag=$2; cpf=$3; shift 3
./run1.sh $cpf 3 ${PERF_MB:-2000} -Dprobe.only=$port -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit "$@" > /tmp/probe/perf-$tag.txt 2>&1 &
# wait for round 1 to finish, then sample the third round
while ! grep -q "round 1 port" /tmp/probe/perf-$tag.txt 2>/dev/null; do sleep 0.5; done
sleep ${PERF_DELAY:-1.5}
perf record -q -C 0 --call-graph fp -o /tmp/probe/perf-$tag.data -- sleep 2 >/dev/null 2>&1
wait
grep -o "round.*Mbit/s.*" /tmp/probe/perf-$tag.txt | cut -c1-330
