#!/bin/bash
port=$1; out=$2
( ./run-down.sh /tmp/cp/A.cp 60 100 -Dprobe.only=$port > $out.probe.txt 2>&1 ) &
sleep 5
perf sched record -o $out.data -- sleep 1 > /dev/null 2>&1
wait
perf sched timehist -i $out.data 2>/dev/null > $out.timehist
