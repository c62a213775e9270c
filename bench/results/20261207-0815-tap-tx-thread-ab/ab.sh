#!/bin/bash
# ab.sh ROUNDS MB - downloads: lwIP, Spinet A (SPINET_A_OPTS), Spinet B (SPINET_B_OPTS), alternating.
set -euo pipefail
REPO=/work/wt/txperf
ROUNDS=${1:-5}; MB=${2:-50}
BYTES=$((MB*1000*1000))
WORK=$(mktemp -d /tmp/txperf/ab.XXXX)
cp -r /work/shared/peers/lwip "$WORK/lwpeer"; chmod -R u+w "$WORK/lwpeer"
export LW_NS=txlw-$$
source "$WORK/lwpeer/netns.sh"
(cd "$WORK/lwpeer" && ./build.sh) >/dev/null 2>&1
PIDS=()
sp_start() { # NS IP OPTS LOG
  del_ns $1; ip netns add $1; nsx $1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1; nsx $1 ip link set lo up
  ip netns exec $1 /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --enable-native-access=ALL-UNNAMED $3 -jar ${5:-${JAR:-/tmp/txperf/spinet-prop.jar}} run --hal tap --tap sp0 --ip $2/24 --services echo,discard,chargen ${OFFLOAD_ARG---no-offload} ${SPINET_ARGS:-} >"$4" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 300); do grep -q '^spinet ready' "$4" && break; sleep 0.1; done
  nsx $1 ip addr add ${2%.2}.1/24 dev sp0; nsx $1 ip link set sp0 up
  for _ in $(seq 1 50); do nsx $1 ping -c1 -W1 -q $2 >/dev/null 2>&1 && break; sleep 0.2; done
}
A_NS=txa-$$; B_NS=txb-$$
cleanup() { lw_down; for p in "${PIDS[@]}"; do kill -INT $p 2>/dev/null || true; done; sleep 1; for p in "${PIDS[@]}"; do stop_pid $p; done; del_ns $A_NS; del_ns $B_NS; echo work=$WORK; }
trap cleanup EXIT
lw_up 1200 "$WORK/lw.log"
sp_start $A_NS 10.78.4.2 "${SPINET_A_OPTS:-}" $WORK/a.log; A_PID=${PIDS[0]}
sp_start $B_NS 10.78.5.2 "${SPINET_B_OPTS:-}" $WORK/b.log ${JAR_B:-}; B_PID=${PIDS[1]}
NB=$WORK/lwpeer/netbench
if [ "${RT:-0}" = 1 ]; then chrt -a -f -p 10 $LWPEER_PID; chrt -a -f -p 10 $A_PID; chrt -a -f -p 10 $B_PID; NB="chrt -f 10 $NB"; fi
cpu() { for t in /proc/$1/task/*; do s=$(cat $t/stat 2>/dev/null) || continue; rest=${s##*) }; set -- $rest; echo "$(basename $t) ${12} ${13}"; done; }
one() { # NS IP PID label
  cpu $3 > $WORK/c0
  local line
  case "${TEST:-download}" in
    download) line=$(timeout 120 ip netns exec $1 $NB download $2 19 $BYTES) ;;
    upload) line=$(timeout 120 ip netns exec $1 $NB upload $2 9 $BYTES) ;;
    echo) line=$(timeout 120 ip netns exec $1 $NB echo $2 7 2000 64 | grep -o 'median_us=[0-9.]* .*p99_us=[0-9.]*') ;;
  esac
  cpu $3 > $WORK/c1
  local c; c=$(python3 -c '
import sys
a={l.split()[0]:l.split() for l in open(sys.argv[1])}
tot=0; top=[]
for l in open(sys.argv[2]):
    f=l.split(); o=a.get(f[0])
    if o: d=(int(f[1])+int(f[2])-int(o[1])-int(o[2]))*10; tot+=d; top.append(d)
top.sort(reverse=True); print("cpu_ms=%d threads_ms=%s" % (tot, ",".join(map(str,top[:3]))))' $WORK/c0 $WORK/c1)
  echo "$4 $(echo $line | grep -o 'mbps=[0-9.]*\|median_us=[0-9.]*\|p99_us=[0-9.]*' | tr '\n' ' ') $c"
}
for w in 1 2 3; do one $LW_NS $LW_IP $LWPEER_PID lw >/dev/null; one $A_NS 10.78.4.2 $A_PID a >/dev/null; one $B_NS 10.78.5.2 $B_PID b > /dev/null; done
echo "uptime: $(uptime)"
for r in $(seq 1 $ROUNDS); do
  one $LW_NS $LW_IP $LWPEER_PID lwip
  one $A_NS 10.78.4.2 $A_PID A
  one $B_NS 10.78.5.2 $B_PID B
done
echo "uptime: $(uptime)"
grep -h "TX_QUEUE\|Exception" $WORK/a.log $WORK/b.log | head
