#!/usr/bin/env bash
b=$1; shift; reps=$1; shift; mb=$1; shift
echo "== build $b $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/lib/jvm/temurin-25-jdk-amd64/bin/java --enable-native-access=ALL-UNNAMED "$@" -cp "$(cat /tmp/up14b/$b/cp)" dev.spinet.bench.SocketBench $reps $mb
echo "== end $b $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)"
