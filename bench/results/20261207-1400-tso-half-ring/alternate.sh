#!/bin/bash
# alternate A/B SocketBench runs: tsoab-run.sh ROUNDS REPS MB
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
R=${1:-3}; REPS=${2:-3}; MB=${3:-20}
for i in $(seq 1 $R); do
  for b in ${BUILDS:-A B}; do
    echo "=== round $i build $b $(date -u +%T) $(uptime)"
    timeout 600 $J --enable-native-access=ALL-UNNAMED -cp "$(cat /tmp/tsoab-$b/cp)" dev.spinet.bench.SocketBench $REPS $MB 2>&1 | tail -25
  done
done
