#!/usr/bin/env bash
# alternates build A (integration tree) and D (this branch): SocketBench 5 20, then one capture each
for r in 1 2 3; do
  /tmp/up14b/run.sh A 5 20 > A-$r.txt 2>&1
  /tmp/up14b/run.sh D 5 20 > D-$r.txt 2>&1
done
/tmp/up14b/cap.sh A capA
/tmp/up14b/cap.sh D capD
