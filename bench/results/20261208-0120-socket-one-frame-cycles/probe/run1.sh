#!/bin/bash
# usage: run1.sh CPF ROUNDS MB [java opts]  — JVM and client both on CPU 0
cpf=$1; shift; r=$1; shift; mb=$1; shift
echo "== $(date -u +%H:%M:%S) load: $(cut -d' ' -f1-3 /proc/loadavg) cp=$cpf $*"
taskset -c 0 /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --enable-native-access=ALL-UNNAMED "$@" -cp "/tmp/probe:$(cat $cpf)" DownProbe $r $mb
