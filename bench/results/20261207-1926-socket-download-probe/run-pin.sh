#!/bin/bash
cpf=$1; shift; r=$1; shift; mb=$1; shift
taskset -c 0 /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --enable-native-access=ALL-UNNAMED -Dprobe.clientCpu=1 "$@" -cp "/tmp/probe:$(cat $cpf)" DownProbe $r $mb
