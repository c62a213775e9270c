#!/bin/bash
# dl.sh ROUNDS MB [CAPTURE] - downloads only, lwIP and Spinet alternating, per-thread CPU.
set -euo pipefail
REPO=/work/wt/txperf
ROUNDS=${1:-5}; MB=${2:-50}; CAP=${3:-0}
BYTES=$((MB*1000*1000))
WORK=$(mktemp -d /tmp/txperf/run.XXXX)
cp -r /work/shared/peers/lwip "$WORK/lwpeer"; chmod -R u+w "$WORK/lwpeer"
export LW_NS=txlw-$$
source "$WORK/lwpeer/netns.sh"
(cd "$WORK/lwpeer" && ./build.sh) >/dev/null 2>&1
SP_NS=txsp-$$; SP_IF=sp0; SP_IP=10.78.2.2
SPINET_PID=
sp_down() { [ -n "$SPINET_PID" ] && kill -INT "$SPINET_PID" 2>/dev/null; sleep 1; stop_pid "$SPINET_PID"; del_ns "$SP_NS"; }
trap 'lw_down; sp_down; echo work=$WORK' EXIT
lw_up 900 "$WORK/lw.log"
del_ns "$SP_NS"; ip netns add "$SP_NS"; nsx "$SP_NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1; nsx "$SP_NS" ip link set lo up
ip netns exec "$SP_NS" "$REPO/spinet" run --hal tap --tap $SP_IF --ip $SP_IP/24 --services echo,discard,chargen --no-offload ${SPINET_ARGS:-} >"$WORK/sp.log" 2>&1 &
SPINET_PID=$!
for _ in $(seq 1 300); do grep -q '^spinet ready' "$WORK/sp.log" && break; sleep 0.1; done
nsx "$SP_NS" ip addr add 10.78.2.1/24 dev $SP_IF; nsx "$SP_NS" ip link set $SP_IF up
for _ in $(seq 1 50); do nsx "$SP_NS" ping -c1 -W1 -q $SP_IP >/dev/null 2>&1 && break; sleep 0.2; done
NB=$WORK/lwpeer/netbench
if [ "${RT:-0}" = 1 ]; then chrt -a -f -p 10 $LWPEER_PID; chrt -a -f -p 10 $SPINET_PID; NB="chrt -f 10 $NB"; fi
cpu() { # cpu PID -> per thread "tid name utime stime vcs nvcs"
  for t in /proc/$1/task/*; do
    local s; s=$(cat $t/stat 2>/dev/null) || continue
    local name=$(cat $t/comm); local rest=${s##*) }; set -- $rest
    echo "$(basename $t) ${name// /_} ${12} ${13} $(awk '/^voluntary_ctxt/{v=$2}/^nonvoluntary/{n=$2}END{print v,n}' $t/status)"
  done
}
delta() { python3 - "$1" "$2" <<'PY'
import sys
a={l.split()[0]:l.split() for l in open(sys.argv[1])}
for l in open(sys.argv[2]):
    f=l.split(); o=a.get(f[0])
    if not o: continue
    du=int(f[2])-int(o[2]); ds=int(f[3])-int(o[3]); dv=int(f[4])-int(o[4]); dn=int(f[5])-int(o[5])
    if du+ds+dv+dn>0: print(f"   {f[1]:<20} user {du*10}ms sys {ds*10}ms vcsw {dv} ivcsw {dn}")
PY
}
one() { # one NS IP PID label
  cpu $3 > $WORK/c0
  ip netns exec $1 nstat -n >/dev/null 2>&1
  timeout 120 ip netns exec $1 $NB download $2 19 $BYTES | sed "s/^/$4 /"
  cpu $3 > $WORK/c1
  [ "${NSTAT:-0}" = 1 ] && ip netns exec $1 nstat 2>/dev/null | grep -E "TcpInSegs|TcpOutSegs|DelayedACK|Quick|TCPHP|PureAcks|Backlog|OFO|TCPRcvCoalesce|TCPAutoCorking|TCPWant|IpInReceives" | sed 's/^/   /' || true
  [ "${VERBOSE:-0}" = 1 ] && delta $WORK/c0 $WORK/c1 || true
}
for w in 1 2 3; do one $LW_NS $LW_IP $LWPEER_PID lw >/dev/null; one $SP_NS $SP_IP $SPINET_PID sp >/dev/null; done
echo "uptime: $(uptime)"
for r in $(seq 1 $ROUNDS); do
  one $LW_NS $LW_IP $LWPEER_PID lwip
  one $SP_NS $SP_IP $SPINET_PID spinet
done
if [ "${PERF:-0}" = 1 ]; then
  for x in "$LW_NS $LW_IP lwip" "$SP_NS $SP_IP spinet"; do set -- $x
    perf sched record -o $WORK/$3.sched -- timeout 120 ip netns exec $1 $NB download $2 19 $BYTES 2>/dev/null | sed "s/^/$3-sched /"
  done
fi
if [ "${PROF:-0}" = 1 ]; then
  for x in "$LW_NS $LW_IP lwip $LWPEER_PID" "$SP_NS $SP_IP spinet $SPINET_PID"; do set -- $x
    perf record -q -g -a -o $WORK/$3.prof -- sleep 1.5 >/dev/null 2>&1 & pp=$!
    sleep 0.6
    timeout 120 ip netns exec $1 $NB download $2 19 $BYTES | sed "s/^/$3-prof /"
    wait $pp; echo "$3 pid $4" >> $WORK/pids
  done
fi
if [ "${STRACE:-0}" = 1 ]; then
  for x in "$LW_NS $LW_IP lwip $LWPEER_PID" "$SP_NS $SP_IP spinet $SPINET_PID"; do set -- $x
    tids=$(ls /proc/$4/task | sed 's/^/-p /' | tr '\n' ' ')
    strace -c -f $tids -o $WORK/$3.strace & sp=$!
    sleep 1
    timeout 120 ip netns exec $1 $NB download $2 19 $BYTES | sed "s/^/$3-strace /"
    kill -INT $sp; wait $sp || true
    head -20 $WORK/$3.strace
  done
fi
if [ "$CAP" = 1 ]; then
  for x in "$LW_NS lw0 $LW_IP lwip" "$SP_NS sp0 $SP_IP spinet"; do set -- $x
    ip netns exec $1 dumpcap -q -i $2 -s 96 -w $WORK/$4.pcapng >/dev/null 2>&1 & cp=$!
    sleep 1.5
    timeout 120 ip netns exec $1 $NB download $3 19 $((MB*1000*1000)) | sed "s/^/$4-capture /"
    sleep 0.5; kill -INT $cp; wait $cp || true
  done
fi
echo "uptime: $(uptime)"
