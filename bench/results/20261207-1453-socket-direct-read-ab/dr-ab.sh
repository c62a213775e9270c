#!/usr/bin/env bash
# A/B: SocketBench 3 20 alternating A (/tmp/dr-A) and B (/tmp/dr-B), ROUNDS rounds.
set -u
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
rounds=${1:-3}
out=/tmp/dr-ab-out; mkdir -p $out
for r in $(seq 1 $rounds); do
  for b in A B; do
    echo "=== $b round $r $(date -u +%T) $(uptime)" | tee -a $out/all.txt
    timeout 600 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$(cat /tmp/dr-$b/cp)" dev.spinet.bench.SocketBench 3 20 > $out/$b-$r.txt 2>&1
    echo "rc=$?" >> $out/$b-$r.txt
    cat $out/$b-$r.txt >> $out/all.txt
  done
done
