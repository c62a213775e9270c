#!/usr/bin/env bash
# usage: run.sh BUILD REPS MB [extra java opts]  -> runs SocketBench from saved class path
b=$1; shift; reps=$1; shift; mb=$1; shift
echo "== build $b $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/lib/jvm/temurin-25-jdk-amd64/bin/java --enable-native-access=ALL-UNNAMED "$@" -cp "$(cat /tmp/up14ab/$b/cp)" dev.spinet.bench.SocketBench $reps $mb
echo "== end $b $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)"
