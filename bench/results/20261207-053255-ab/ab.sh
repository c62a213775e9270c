#!/bin/bash
# A/B: base jar (3cf75c7) vs this branch, both --no-offload where supported, plus lwIP; interleaved
set -uo pipefail
LW=/tmp/tapperf-lw
export LW_NS=tpf-lw
source $LW/netns.sh
NB=$LW/netbench
MB=${MB:-50}; N=${N:-5}
declare -A PID
up() { # up NS IF REPO IP3 ARGS LOG
  local ns=$1; del_ns $ns; ip netns add $ns
  nsx $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; nsx $ns ip link set lo up
  ip netns exec $ns "$3/spinet" run --hal tap --tap $2 --ip 10.78.$4.2/24 --services echo,discard,chargen $5 > $6 2>&1 &
  PID[$ns]=$!
  for _ in $(seq 1 300); do grep -q '^spinet ready' $6 && break; sleep 0.1; done
  nsx $ns ip addr add 10.78.$4.1/24 dev $2; nsx $ns ip link set $2 up
  for _ in $(seq 1 50); do nsx $ns ping -c1 -W1 -q 10.78.$4.2 >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "no ping $ns"
}
cleanup() { lw_down; for ns in tpf-a tpf-b; do kill -INT ${PID[$ns]} 2>/dev/null; sleep 0.5; del_ns $ns; done; }
trap cleanup EXIT
lw_up 900 /tmp/tapperf/lw.log
up tpf-a tpfa0 /tmp/tapperf/base 2 "" /tmp/tapperf/a.log
up tpf-b tpfb0 /work/wt/tapperf 3 "--no-offload ${B_ARGS:-}" /tmp/tapperf/b.log
echo "uptime: $(uptime)"
run() { timeout 60 ip netns exec $1 $NB $2 $3 $4 $((MB*1000000)) | sed "s/^/$5 /"; }
for i in 1 2; do for d in "upload 9" "download 19"; do run $LW_NS ${d%% *} 10.78.0.2 ${d##* } lw; run tpf-a ${d%% *} 10.78.2.2 ${d##* } base; run tpf-b ${d%% *} 10.78.3.2 ${d##* } new; done; done > /dev/null
for i in $(seq 1 $N); do for d in "upload 9" "download 19"; do
  run $LW_NS ${d%% *} 10.78.0.2 ${d##* } lw; run tpf-a ${d%% *} 10.78.2.2 ${d##* } base; run tpf-b ${d%% *} 10.78.3.2 ${d##* } new
done; done
echo "uptime: $(uptime)"
