#!/bin/bash
# usage: sb.sh CPF OUT [taskset-cpus|-] REPS MB [java opts]
cpf=$1; out=$2; cpus=$3; reps=$4; mb=$5; shift 5
pre=""; [ "$cpus" != "-" ] && pre="taskset -c $cpus"
{ echo "== $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg) cp=$cpf cpus=$cpus opts=$*"
  $pre /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --enable-native-access=ALL-UNNAMED "$@" -cp "$(cat $cpf)" dev.spinet.bench.SocketBench $reps $mb; } > $out 2>&1
grep -E "^\| (echo RTT median|upload|download)" $out | awk -F'|' '{printf "%s:%s ", $2, $5}'; echo " [$out]"
