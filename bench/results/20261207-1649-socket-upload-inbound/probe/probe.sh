#!/usr/bin/env bash
# probe.sh NAME BUILD [jvm opts]: UpProbe 4 rounds x 100 MB
n=$1; b=$2; shift 2
echo "== $n $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/lib/jvm/temurin-25-jdk-amd64/bin/java --enable-native-access=ALL-UNNAMED "$@" -cp "/tmp/up14b/probe:$(cat /tmp/up14b/$b/cp)" UpProbe 4 100 2>&1 | grep -v "^spinet"
