#!/bin/bash
# bench/netsim-sack.sh [SEEDS] - the netsim matrix (NetsimMatrixTest, test-harness) with SACK on
# against SACK off, timestamps on in both: every cell of loss x reordering x ring size x RTT run
# SEEDS times (default 5, at most 30) with each option set, in simulated time (deterministic,
# independent of machine load; seconds once built). Writes test-harness/target/netsim-sack.md
# (per cell: geometric means of the time to deliver 256 KiB, the speed-up time(off) / time(on)
# with a 95 % interval over the seeds; over the lossy cells: the geometric mean speed-up) and
# prints it. Nothing is installed into ~/.m2.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
SEEDS=${1:-5}
case "$SEEDS" in
  [1-9]|[12][0-9]|30) ;;
  *) echo "netsim-sack: SEEDS must be 1..30, was $SEEDS" >&2; exit 2 ;;
esac
cd "$REPO"
./mvnw -B -q -pl test-harness -am test -Dtest='NetsimMatrixTest#sackOnAgainstSackOff' \
  -Dsurefire.failIfNoSpecifiedTests=false -Dspinet.netsim.seeds="$SEEDS" >/dev/null
cat test-harness/target/netsim-sack.md
