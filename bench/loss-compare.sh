#!/bin/bash
# bench/loss-compare.sh [REPS] [MB] [CELLS] - goodput under random loss and reordering, the Linux kernel as the
# peer: Spinet with SACK and timestamps (its defaults), Spinet without them, and lwIP, all driven
# by the same kernel client (the lwIP peer's `netbench`) through a TAP, in one sitting.
#
#   upload   : MB*10^6 bytes, kernel client -> discard (9): the kernel sends, the stack receives
#   download : MB*10^6 bytes, chargen (19) -> kernel client: the stack sends (pattern checked)
#   CELLS    : default "2 5"; each cell is LOSS or LOSS:REORDER, percentages. LOSS is a random drop
#              of that share of the TCP segments between the kernel client and the stack, in both
#              directions (data and ACKs); REORDER holds that share of them back until DEPTH later
#              segments of the same direction have overtaken them (bench/nfq-reorder.py, below).
#              E.g. "0:5 0:10 2:5 2:10". LOSS:0 runs every segment through the reorderer without
#              holding any (its cost alone); LOSS alone runs without it.
#
# Topology per target: the kernel client in a namespace of its own, joined by a veth pair to a
# router namespace that forwards between the veth and the stack's TAP; the loss is applied there by
# nftables in the forward hook (`numgen random mod 100 < LOSS drop`), so neither end's TCP sees a
# local drop (a drop in a sender's own output hook only makes its TCP try again). This kernel has
# no netem (CONFIG_NET_SCH_NETEM is not set): nftables replaces it, so there is no added delay.
# Reordering, in a cell that asks for it: iptables-nft's NFQUEUE target (the xt compat target; this
# kernel has no nft `queue` expression) in the router's mangle FORWARD chain (priority -150, so
# before the loss rule at 0) hands every forwarded TCP segment to bench/nfq-reorder.py in that
# namespace, which accepts each one at once except a seeded random REORDER % per direction, held
# until DEPTH (default 5) later segments of that direction have been accepted, or MAX_HOLD_MS
# (default 10) ms if fewer come; it never drops (see that script). Every forwarded segment then also
# crosses user space, in every target's router alike: a cell LOSS:0 measures that cost alone. The client's veth has gso_max_segs 1, and Spinet runs with
# --no-offload (one MSS per frame, like lwIP's tapif), so that the forward hook sees (and drops, or
# holds) single segments, not 64 KB GSO packets.
#
#   lwip       : the peer's lwpeer (Debian liblwip 2.1.3; no SACK, no timestamps) on TAP lw0 in
#                router netns sackl-PID (the peer's netns.sh: 10.78.0.1 -> lwIP 10.78.0.2, its gateway
#                10.78.0.1); client netns sackcl-PID, 10.78.10.2 via 10.78.10.1
#   spinet     : spinet run --hal tap --no-offload (default options: window scaling, timestamps, SACK, D-SACK) on
#                TAP sp0 in router netns sacks-PID (10.78.3.1 -> Spinet 10.78.3.2 with gateway
#                10.78.3.1); client netns sackcs-PID, 10.78.11.2 via 10.78.11.1
#   spinet-off : the same with --tcp-options wscale (no timestamps, no SACK): TAP sp1 in sacko-PID
#                (10.78.4.x); client netns sackco-PID, 10.78.12.2 via 10.78.12.1
# Nothing touches the host namespace. The servers are up for the whole run; the repetitions
# alternate lwIP, Spinet, Spinet without options, so all see the same machine load. WARMUP
# (default 1) unrecorded rounds per target without loss come first (the JVM compiles Spinet's
# packet path during them), and CELL_WARMUP (default 1) more at the start of every cell, under that
# cell's loss and reordering (so the JIT has compiled the out-of-order, SACK and recovery paths
# before the recorded transfers; 0 turns it off, as before). After those, each Spinet target gets
# further unrecorded rounds of its own while its JIT compiler threads still took JIT_QUIET_MS
# (default 10) ms or more of CPU in the last one, at most JIT_WARMUP_MAX (default 4): one warm-up
# round left the C2 thread compiling 85 to 160 ms inside the first recorded SACK+TS transfers of
# the first reordering cell (CPU the sender and the reorderer did not get, on 2 CPUs), so the
# first repetition measured the JIT, not the stack (OUT/warmup.txt says how many rounds each
# target took). Every transfer is bounded: netbench gives up after 120 s (then the row says
# "timeout").
#
# Environment: LWIP_PEER (default /work/shared/peers/lwip, copied, never built in place),
# KEEP=1 keeps the work directory; DEPTH, MAX_HOLD_MS and SEED (default 1) set the reordering.
#   KERNEL=1     two more targets, Linux itself as the reference: netbench's kernel discard and
#                chargen in a namespace behind a router of its own, joined by a veth (gso_max_segs 1)
#                where a stack's TAP would be; "linux" with the kernel's defaults (SACK, D-SACK,
#                timestamps), "linux-off" with tcp_sack, tcp_dsack and tcp_timestamps 0 in that
#                namespace. Routers sackx-PID (10.78.5.x, client 10.78.13.x) and sackxo-PID
#                (10.78.6.x, client 10.78.14.x).
#   REORDERER=c  bench/nfq-reorder.c (built with gcc into the work directory) instead of the
#                Python one: the same model and the same random draws, a few microseconds of CPU
#                per segment instead of some 30.
#   SPINET_ARGS  more `spinet run` options for both Spinet targets, e.g. --buffer-bytes=131072.
#   SPINET_JAR_B another build's spinet.jar as one more target, "spinet-b" (SACK+TS, the same options
#                as "spinet"), alternating with the others in the same rounds: an A/B of two builds
#                in one sitting (copy the old build's board-app/target/spinet.jar aside first);
#                SPINET_ARGS_B (default SPINET_ARGS) gives it other `spinet run` options. TAP sp2
#                in router netns sackb-PID (10.78.7.x); client netns sackcb-PID, 10.78.15.x.
#   SS_SAMPLE=1  `ss -tin` in the client's namespace every 50 ms of each recorded transfer, into
#                OUT/ss-TARGET-CELL-DIRECTION.txt: the kernel's own view of what holds it back
#                (rwnd_limited, cwnd, retrans, reordering, rtt, pacing and delivery rates).
#   CAPTURE=DIR  the first repetition of every cell is captured (dumpcap, headers only) on each
#                router's interface towards the stack, into DIR/TARGET-CELL.pcapng.
# Every recorded line of a user-space stack carries stack_cpu_ms: the CPU time of all the stack's
# threads during the transfer (lwpeer, the Spinet JVM), and OUT/stack-threads.txt splits it by
# thread (the stack thread, the TAP's transmit thread, the JIT compilers...).
# In reordering cells every result line carries reorder_cpu: the reorderer's CPU time over the
# transfer's time (verdicts re-inject segments in the reorderer's own system calls, so this holds
# the forwarding after it too): near 1.00 the reorderer, not the stack, would set the pace.
# Needs root, iproute2, nftables, iputils-ping, gcc, python3, liblwip-dev (the peer's build.sh
# installs what is missing with apt), iptables for reordering cells, dumpcap for CAPTURE. About
# REPS * |CELLS| * 3 targets * 2 transfers; with the defaults 3 * 2 * 3 * 2 = 36 transfers of 20 MB.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
REPS=${1:-3}
MB=${2:-20}
CELLS=${3:-"2 5"}
DEPTH=${DEPTH:-5}
MAX_HOLD_MS=${MAX_HOLD_MS:-10}
SEED=${SEED:-1}
BYTES=$((MB * 1000 * 1000))
WARMUP=${WARMUP:-1}
CELL_WARMUP=${CELL_WARMUP:-1}
JIT_QUIET_MS=${JIT_QUIET_MS:-10}
JIT_WARMUP_MAX=${JIT_WARMUP_MAX:-4}
LWIP_PEER=${LWIP_PEER:-/work/shared/peers/lwip}
export LW_NS=sackl-$$
SP_NS=sacks-$$
OFF_NS=sacko-$$
LW_CLIENT=sackcl-$$
SP_CLIENT=sackcs-$$
OFF_CLIENT=sackco-$$
LX_NS=sackx-$$
LX_SRV=sackxs-$$
LX_CLIENT=sackcx-$$
LXO_NS=sackxo-$$
LXO_SRV=sackxos-$$
LXO_CLIENT=sackcxo-$$
B_NS=sackb-$$
B_CLIENT=sackcb-$$
JAR_B=${SPINET_JAR_B:-}
[ -z "$JAR_B" ] || JAR_B=$(readlink -f "$JAR_B")
KERNEL=${KERNEL:-0}
REORDERER=${REORDERER:-py}
ROUTERS=("$LW_NS" "$SP_NS" "$OFF_NS")
[ "$KERNEL" = 1 ] && ROUTERS+=("$LX_NS" "$LXO_NS")
[ -n "$JAR_B" ] && ROUTERS+=("$B_NS")
B_PID=
SPINET_PID=
CAPTURE_PID=
OFF_PID=
LX_PID=
LXO_PID=
REORDER_PIDS=()
declare -A REORDER_PID_OF=()
declare -A REORDER_LOG_OF=()

[ "$(id -u)" = 0 ] || { echo "loss-compare: needs root (network namespaces, TAP devices, nftables)" >&2; exit 1; }
[ -d "$LWIP_PEER" ] || { echo "loss-compare: no lwIP peer at $LWIP_PEER (set LWIP_PEER)" >&2; exit 1; }
command -v nft >/dev/null || { echo "loss-compare: needs nft (apt-get install nftables)" >&2; exit 1; }
case " $CELLS" in *:*)
  command -v iptables >/dev/null || { echo "loss-compare: reordering needs iptables (apt-get install iptables)" >&2; exit 1; }
esac
for cell in $CELLS; do
  [[ $cell =~ ^[0-9]+(\.[0-9]+)?(:[0-9]+(\.[0-9]+)?)?$ ]] || { echo "loss-compare: cell '$cell' is not LOSS or LOSS:REORDER (percentages)" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/spinet-loss-compare.XXXXXX)
cp -r "$LWIP_PEER" "$WORK/lwpeer"
chmod -R u+w "$WORK/lwpeer"
OUT="$REPO/bench/results/$(date +%Y%m%d-%H%M%S)-loss"
mkdir -p "$OUT"

# The peer's helpers (nsx, lw_up, lw_down, stop_pid, del_ns, LW_IP, LWPEER_PID).
# shellcheck source=/dev/null
source "$WORK/lwpeer/netns.sh"

sp_down() {   # sp_down PID NS
  if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
    kill -INT "$1" 2>/dev/null || true      # graceful: spinet exits 0 on SIGINT
    for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  fi
  stop_pid "$1"
  del_ns "$2"
}

cleanup() {
  capture_stop || true
  stop_reorder || true
  lw_down || true
  sp_down "$SPINET_PID" "$SP_NS" || true
  sp_down "$OFF_PID" "$OFF_NS" || true
  sp_down "$B_PID" "$B_NS" || true
  stop_pid "$LX_PID" || true
  stop_pid "$LXO_PID" || true
  for ns in "$LW_CLIENT" "$SP_CLIENT" "$OFF_CLIENT" "$B_CLIENT" "$LX_CLIENT" "$LXO_CLIENT" "$LX_SRV" "$LXO_SRV" "$LX_NS" "$LXO_NS"; do
    del_ns "$ns" || true
  done
  if [ "${KEEP:-0}" = 1 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

sp_up() {   # sp_up NS TAP NET LOGFILE [spinet run options...]; sets STARTED_PID
  local ns=$1 tap=$2 net=$3 log=$4
  shift 4
  del_ns "$ns"
  ip netns add "$ns"
  nsx "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  nsx "$ns" ip link set lo up
  # ./spinet execs java and ip netns exec execs ./spinet, so $! is the JVM's own PID.
  local launcher=("$REPO/spinet")
  # SP_JAR: another build's spinet.jar (SPINET_JAR_B), run with the JDK the launcher finds.
  [ -n "${SP_JAR:-}" ] && launcher=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$SP_JAR")
  ip netns exec "$ns" "${launcher[@]}" run --hal tap --tap "$tap" --ip "$net.2/24" --gateway "$net.1" \
      --services echo,discard,chargen "$@" >"$log" 2>&1 &
  STARTED_PID=$!
  for _ in $(seq 1 300); do
    grep -q '^spinet ready' "$log" && break
    kill -0 "$STARTED_PID" 2>/dev/null || { echo "spinet died:"; cat "$log"; return 1; }
    sleep 0.1
  done
  grep -q '^spinet ready' "$log" || { echo "spinet not ready after 30 s:"; cat "$log"; return 1; }
  nsx "$ns" ip addr add "$net.1/24" dev "$tap"
  nsx "$ns" ip link set "$tap" up
  for _ in $(seq 1 50); do
    nsx "$ns" ping -c 1 -W 1 -q "$net.2" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "spinet does not answer ping"; return 1
}

kernel_up() {   # kernel_up ROUTER_NS SERVER_NS NET LOGFILE SACK_AND_TIMESTAMPS(1|0); sets STARTED_PID
  # The Linux receiver/sender as a reference: netbench's kernel discard and chargen in a server
  # namespace joined by a veth to a router namespace, where a stack's TAP would be.
  local router=$1 srv=$2 net=$3 log=$4 opts=$5
  del_ns "$router"; del_ns "$srv"
  ip netns add "$router"; ip netns add "$srv"
  for ns in "$router" "$srv"; do
    nsx "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    nsx "$ns" ip link set lo up
  done
  nsx "$srv" sysctl -qw net.ipv4.tcp_sack="$opts" net.ipv4.tcp_timestamps="$opts" net.ipv4.tcp_dsack="$opts"
  nsx "$srv" ip link add sv0 type veth peer name rs0
  nsx "$srv" ip link set rs0 netns "$router"
  nsx "$srv" ip addr add "$net.2/24" dev sv0
  nsx "$router" ip addr add "$net.1/24" dev rs0
  nsx "$srv" ip link set dev sv0 gso_max_segs 1 gso_max_size 1500
  nsx "$srv" ip link set sv0 up
  nsx "$router" ip link set rs0 up
  nsx "$srv" ip route add default via "$net.1"
  ip netns exec "$srv" "$WORK/lwpeer/netbench" server "$net.2" 7200 >"$log" 2>&1 &
  STARTED_PID=$!
  for _ in $(seq 1 50); do grep -q server "$log" && return 0; sleep 0.1; done
  echo "netbench server not up:"; cat "$log"; return 1
}

client_up() {   # client_up CLIENT_NS ROUTER_NS NET STACK_NET: the kernel client behind a router
  local client=$1 router=$2 net=$3 stack=$4
  del_ns "$client"
  ip netns add "$client"
  nsx "$client" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  nsx "$client" ip link set lo up
  nsx "$client" ip link add cl0 type veth peer name rt0
  nsx "$client" ip link set rt0 netns "$router"
  nsx "$client" ip addr add "$net.2/24" dev cl0
  nsx "$router" ip addr add "$net.1/24" dev rt0
  # Without this the client's TCP hands the veth 64 KB GSO packets: one drop in the forward hook
  # would take out a burst of some 40 segments, and far fewer drops would happen.
  nsx "$client" ip link set dev cl0 gso_max_segs 1 gso_max_size 1500
  nsx "$client" ip link set cl0 up
  nsx "$router" ip link set rt0 up
  nsx "$router" sysctl -qw net.ipv4.ip_forward=1
  nsx "$client" ip route add "$stack.0/24" via "$net.1"
  for _ in $(seq 1 50); do
    nsx "$client" ping -c 1 -W 1 -q "$stack.2" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "$stack.2 does not answer ping from $client"; return 1
}

set_loss() {   # set_loss ROUTER_NS PERCENT: drop that share of the TCP segments it forwards
  nsx "$1" nft delete table inet lossy 2>/dev/null || true
  [ "$2" = 0 ] && return 0
  nsx "$1" nft add table inet lossy
  nsx "$1" nft add chain inet lossy forwarded '{ type filter hook forward priority 0; policy accept; }'
  nsx "$1" nft add rule inet lossy forwarded meta l4proto tcp numgen random mod 100 '<' "$2" drop
}

start_reorder() {   # start_reorder PERCENT LABEL: the reorderer in each router namespace
  local ns
  for ns in "${ROUTERS[@]}"; do
    # --queue-bypass: while no reorderer listens, segments pass instead of being dropped.
    nsx "$ns" iptables -t mangle -A FORWARD -p tcp -j NFQUEUE --queue-num 7 --queue-bypass
    ip netns exec "$ns" "${REORDER_CMD[@]}" 7 "$1" --depth "$DEPTH" \
        --max-hold-ms "$MAX_HOLD_MS" --seed "$SEED" >"$OUT/reorder-$2-$ns.log" 2>&1 &
    REORDER_PIDS+=("$!")
    REORDER_PID_OF[$ns]=$!
    REORDER_LOG_OF[$ns]="$OUT/reorder-$2-$ns.log"
  done
  for ns in "${ROUTERS[@]}"; do
    for _ in $(seq 1 50); do grep -q '^nfq-reorder ready' "$OUT/reorder-$2-$ns.log" && break; sleep 0.1; done
    grep -q '^nfq-reorder ready' "$OUT/reorder-$2-$ns.log" || { cat "$OUT/reorder-$2-$ns.log"; return 1; }
  done
}

stop_reorder() {   # the reorderers' counts stay in their logs; the kernel's queue counters beside them
  local pid ns
  for pid in "${REORDER_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    stop_pid "$pid"
  done
  REORDER_PIDS=()
  REORDER_PID_OF=()
  REORDER_LOG_OF=()
  for ns in "${ROUTERS[@]}"; do
    [ -e "/run/netns/$ns" ] || continue
    nsx "$ns" iptables -t mangle -F FORWARD 2>/dev/null || true
  done
}

reorder_counts() {   # reorder_counts PID LOG: "IFACE PACKETS HELD AFTER_K AFTER_T" per direction so far
  # The compiled reorderer answers SIGUSR1 with a block of counts in its log (the Python one does not).
  [ "$REORDERER" = c ] && [ -n "$1" ] && [ -n "$2" ] || return 0
  local before after
  before=$(grep -c '^nfq-reorder counts: end' "$2" || true)
  kill -USR1 "$1" 2>/dev/null || return 0
  for _ in $(seq 1 100); do
    after=$(grep -c '^nfq-reorder counts: end' "$2" || true)
    [ "$after" -gt "$before" ] && break
    sleep 0.01
  done
  awk '/^nfq-reorder counts: in / { last[$4] = $4 " " $6 " " $8 " " $10 " " $12 } END { for (i in last) print last[i] }' "$2"
}

cpu_ns() {   # cpu_ns PID: nanoseconds the process has run on a CPU (0 if there is none)
  local run=0
  [ -n "$1" ] && [ -r "/proc/$1/schedstat" ] && read -r run _ <"/proc/$1/schedstat"
  echo "${run:-0}"
}

threads_snapshot() {   # threads_snapshot PID: "TID NAME NS" per thread
  local t run name
  [ -n "$1" ] && [ -d "/proc/$1/task" ] || return 0
  for t in /proc/"$1"/task/*; do
    run=0; read -r run _ <"$t/schedstat" 2>/dev/null || continue
    name=$(tr ' ' '_' <"$t/comm" 2>/dev/null) || continue
    echo "${t##*/} $name $run"
  done
}

jit_cpu_ms() {   # jit_cpu_ms PID: milliseconds the JVM's JIT compiler threads have run (0 if none)
  local sum=0 run name t
  [ -n "$1" ] && [ -d "/proc/$1/task" ] || { echo 0; return; }
  for t in /proc/"$1"/task/*; do
    name=$(cat "$t/comm" 2>/dev/null) || continue
    case "$name" in
      C1\ Compiler*|C2\ Compiler*) run=0; read -r run _ <"$t/schedstat" 2>/dev/null || true; sum=$((sum + run)) ;;
    esac
  done
  echo $((sum / 1000000))
}

warm_until_compiled() {   # warm_until_compiled CLIENT_NS HOST LABEL CELL JVM_PID
  # Unrecorded rounds until the JIT is quiet (JIT_QUIET_MS in one round), at most JIT_WARMUP_MAX.
  local j0 j1=0 rounds=0 last=-1
  while [ "$rounds" -lt "$JIT_WARMUP_MAX" ]; do
    j0=$(jit_cpu_ms "$5")
    one_round "$1" "$2" /dev/null "$3" "$4" >/dev/null
    j1=$(jit_cpu_ms "$5")
    rounds=$((rounds + 1))
    last=$((j1 - j0))
    [ "$last" -lt "$JIT_QUIET_MS" ] && break
  done
  echo "$3 cell $4: $rounds more warm-up rounds, the JIT's compiler threads took $last ms in the last" >>"$OUT/warmup.txt"
}

threads_cpu_ns() {   # threads_cpu_ns PID: nanoseconds all the process's threads have run (0 if none)
  local sum=0 run t
  [ -n "$1" ] && [ -d "/proc/$1/task" ] || { echo 0; return; }
  for t in /proc/"$1"/task/*/schedstat; do
    run=0; read -r run _ <"$t" 2>/dev/null || true
    sum=$((sum + run))
  done
  echo "$sum"
}

capture_start() {   # capture_start ROUTER_NS IFACE NAME: headers of what the stack receives and sends
  CAPTURE_PID=
  [ -n "${CAPTURE:-}" ] || return 0
  mkdir -p "$CAPTURE"
  ip netns exec "$1" dumpcap -q -i "$2" -s 128 -f tcp -w "$CAPTURE/$3.pcapng" >/dev/null 2>&1 &
  CAPTURE_PID=$!
  sleep 1   # dumpcap needs a moment before it sees packets
}

capture_stop() {
  [ -n "${CAPTURE_PID:-}" ] || return 0
  sleep 0.3
  kill -INT "$CAPTURE_PID" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$CAPTURE_PID" 2>/dev/null || break; sleep 0.1; done
  stop_pid "$CAPTURE_PID"
  CAPTURE_PID=
}

one_round() {   # one_round NS HOST FILE LABEL LOSS [ROUTER_NS] [STACK_PID]
  local nb="$WORK/lwpeer/netbench" line rpid="" rlog="" spid=${7:-} c0 c1 s0 s1 share="" stack="" held=""
  [ -n "${6:-}" ] && rpid=${REORDER_PID_OF[$6]:-} && rlog=${REORDER_LOG_OF[$6]:-}
  for mode in upload download; do
    port=9; [ "$mode" = download ] && port=19
    # The kernel client's TCP counters for this transfer (nstat's history kept per namespace).
    NSTAT_HISTORY="$WORK/nstat.$1" nsx "$1" nstat -n >/dev/null 2>&1 || true
    c0=$(cpu_ns "$rpid")
    reorder_counts "$rpid" "$rlog" >"$WORK/held0"
    s0=$(threads_cpu_ns "$spid")
    threads_snapshot "$spid" >"$WORK/threads0"
    local sampler=""
    if [ "${SS_SAMPLE:-0}" = 1 ] && [ "$3" != /dev/null ]; then
      # The kernel sender's own view every 50 ms (cwnd, rwnd_limited, retrans, reordering, rtt):
      # at most 130 s, like the transfer it watches.
      ( for _ in $(seq 1 2600); do
          echo "t=$(date +%s.%N)"; nsx "$1" ss -tin dst "$2" 2>/dev/null | grep -A1 ":$port\b" || true
          sleep 0.05
        done ) >>"$OUT/ss-$4-$5-$mode.txt" 2>&1 &
      sampler=$!
    fi
    if line=$(timeout 130 ip netns exec "$1" "$nb" "$mode" "$2" "$port" "$BYTES" 2>/dev/null) && [ -n "$line" ]; then
      # The reorderer's CPU time over the transfer's time (netbench's secs; the CPU time also
      # holds the connection's set-up, so this errs high): near 1.00 it, not the stacks, sets the pace.
      c1=$(cpu_ns "$rpid")
      s1=$(threads_cpu_ns "$spid")
      # Per direction (the router's input interface: rt0 is the client's side) over this transfer:
      # segments, held, held ones released only by the MAX_HOLD_MS bound (fewer than DEPTH later
      # segments came: the sender had stopped, most often at a window closed by the hole).
      held=$(reorder_counts "$rpid" "$rlog" | awk 'NR == FNR { p[$1] = $2; h[$1] = $3; t[$1] = $5; next }
        { printf " reorder_%s=%d/%d/%d", $1, $2 - p[$1], $3 - h[$1], $5 - t[$1] }' "$WORK/held0" -)
      if [ -n "$spid" ] && [ "$3" != /dev/null ]; then
        # Per thread, the ones with at least 2 ms: which of the stack's threads took the time.
        threads_snapshot "$spid" | awk -v label="== $4 loss=$5 $mode" 'NR == FNR { t0[$1] = $3; next }
          { d = ($3 - t0[$1]) / 1e6; if (d >= 2) out = out sprintf(" %s=%.0f", $2, d) }
          END { print label out }' "$WORK/threads0" - >>"$OUT/stack-threads.txt"
      fi
      # The user-space stack's own CPU time (all its threads) for the transfer, in ms.
      [ -n "$spid" ] && stack=$(awk -v c="$((s1 - s0))" 'BEGIN { printf " stack_cpu_ms=%.0f", c / 1e6 }')
      [ -n "$rpid" ] && share=$(awk -v c="$((c1 - c0))" -v l="$line" 'BEGIN { if (match(l, /secs=[0-9.]+/)) printf " reorder_cpu=%.2f", c / 1e9 / substr(l, RSTART + 5, RLENGTH - 5) }')
      echo "$4 loss=$5 $line$share$stack$held" | tee -a "$3"
    else
      echo "$4 loss=$5 $mode timeout=1" | tee -a "$3"
    fi
    if [ -n "$sampler" ]; then kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true; fi
    if [ "$3" != /dev/null ]; then
      { echo "== $4 loss=$5 $mode"
        NSTAT_HISTORY="$WORK/nstat.$1" nsx "$1" nstat 2>/dev/null \
          | grep -E 'TcpOutSegs|TcpInSegs|TcpRetransSegs|Reorder|Undo|DSACK|FastRetrans|SlowStartRetrans|TCPTimeouts|TCPLossProbes|SpuriousRTOs|OFOQueue|Recovery|LostRetransmit|TCPSACKReneging' || true
      } >>"$OUT/nstat-client.txt"
    fi
  done
}

case "$REORDERER" in
  py) REORDER_CMD=(python3 "$REPO/bench/nfq-reorder.py") ;;
  c)  gcc -O2 -Wall -Werror -o "$WORK/nfq-reorder" "$REPO/bench/nfq-reorder.c" \
        || { echo "loss-compare: cannot build bench/nfq-reorder.c (apt-get install gcc)" >&2; exit 1; }
      REORDER_CMD=("$WORK/nfq-reorder") ;;
  *)  echo "loss-compare: REORDERER is py or c" >&2; exit 1 ;;
esac

echo "== building the lwIP peer ($WORK/lwpeer) and spinet"
(cd "$WORK/lwpeer" && ./build.sh) >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
(cd "$REPO" && ./mvnw -B -q -DskipTests package -pl board-app -am) >>"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
touch "$REPO/board-app/target/spinet.jar"   # the launcher must not rebuild while measuring

{ echo "date: $(date -Is)"; echo "kernel: $(uname -r)"
  echo "cpus: $(nproc) x$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
  echo "liblwip0: $(dpkg-query -W -f='${Version}' liblwip0)"
  echo "spinet: $(cd "$REPO" && git rev-parse --short HEAD)$(cd "$REPO" && git diff --quiet || echo '+dirty')"
  echo "tcp_congestion_control: $(sysctl -n net.ipv4.tcp_congestion_control) sack: $(sysctl -n net.ipv4.tcp_sack) timestamps: $(sysctl -n net.ipv4.tcp_timestamps)"
  echo "reps=$REPS warmup=$WARMUP cell_warmup=$CELL_WARMUP jit_quiet_ms=$JIT_QUIET_MS jit_warmup_max=$JIT_WARMUP_MAX bytes=$BYTES cells=$CELLS (LOSS[:REORDER] %; loss: nftables numgen random in a forwarding namespace, both directions; reorder: bench/nfq-reorder.$REORDERER depth=$DEPTH max-hold-ms=$MAX_HOLD_MS seed=$SEED)"
  echo "kernel targets: $KERNEL; spinet run options added: ${SPINET_ARGS:-none}; spinet-b: ${JAR_B:-none} ${SPINET_ARGS_B-}"
  echo "loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg)"; } | tee "$OUT/env.txt"

# Restarts lwpeer on the same TAP when it has reached its lifetime, so that a long run does not
# record lwIP's later transfers as timeouts.
lwip_alive() {
  kill -0 "$LWPEER_PID" 2>/dev/null && return 0
  echo "lwpeer had ended (lifetime); restarted at $(date -u +%T)" | tee -a "$OUT/lwpeer.log"
  PRECONFIGURED_TAPIF=$LW_IF ip netns exec "$LW_NS" "$WORK/lwpeer/lwpeer" -t 3600 ${LWPEER_ARGS:-} >>"$OUT/lwpeer.log" 2>&1 &
  LWPEER_PID=$!
  for _ in $(seq 1 50); do
    nsx "$LW_NS" ping -c 1 -W 1 -q "$LW_IP" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "lwpeer does not answer ping after its restart" | tee -a "$OUT/lwpeer.log"
}

# lwpeer ends by itself after its lifetime, at most 3600 s (a larger -t falls back to its
# default of 600 s); a run with 5 % loss cells lasts longer, so lwip_alive restarts it.
lw_up 3600 "$OUT/lwpeer.log"
# shellcheck disable=SC2086 # SPINET_ARGS is a list of options
sp_up "$SP_NS" sp0 10.78.3 "$OUT/spinet.log" --no-offload ${SPINET_ARGS:-}
SPINET_PID=$STARTED_PID
# shellcheck disable=SC2086
sp_up "$OFF_NS" sp1 10.78.4 "$OUT/spinet-off.log" --no-offload --tcp-options wscale ${SPINET_ARGS:-}
OFF_PID=$STARTED_PID
if [ -n "$JAR_B" ]; then
  # shellcheck source=/dev/null
  . "$REPO/.mvn/jdk25.sh"
  # shellcheck disable=SC2086
  SP_JAR=$JAR_B sp_up "$B_NS" sp2 10.78.7 "$OUT/spinet-b.log" --no-offload ${SPINET_ARGS_B-${SPINET_ARGS:-}}
  B_PID=$STARTED_PID
fi
client_up "$LW_CLIENT" "$LW_NS" 10.78.10 10.78.0
client_up "$SP_CLIENT" "$SP_NS" 10.78.11 10.78.3
client_up "$OFF_CLIENT" "$OFF_NS" 10.78.12 10.78.4
[ -n "$JAR_B" ] && client_up "$B_CLIENT" "$B_NS" 10.78.15 10.78.7
if [ "$KERNEL" = 1 ]; then
  kernel_up "$LX_NS" "$LX_SRV" 10.78.5 "$OUT/linux.log" 1
  LX_PID=$STARTED_PID
  kernel_up "$LXO_NS" "$LXO_SRV" 10.78.6 "$OUT/linux-off.log" 0
  LXO_PID=$STARTED_PID
  client_up "$LX_CLIENT" "$LX_NS" 10.78.13 10.78.5
  client_up "$LXO_CLIENT" "$LXO_NS" 10.78.14 10.78.6
fi

for r in $(seq 1 "$WARMUP"); do
  echo "== warm-up round $r (no loss, not recorded)"
  one_round "$LW_CLIENT" "$LW_IP" /dev/null lwip 0 >/dev/null
  one_round "$SP_CLIENT" 10.78.3.2 /dev/null spinet 0 >/dev/null
  one_round "$OFF_CLIENT" 10.78.4.2 /dev/null spinet-off 0 >/dev/null
  [ -n "$JAR_B" ] && one_round "$B_CLIENT" 10.78.7.2 /dev/null spinet-b 0 >/dev/null
  if [ "$KERNEL" = 1 ]; then
    one_round "$LX_CLIENT" 10.78.5.2 /dev/null linux 0 >/dev/null
    one_round "$LXO_CLIENT" 10.78.6.2 /dev/null linux-off 0 >/dev/null
  fi
done

for cell in $CELLS; do
  loss=${cell%%:*}
  reorder=; [ "$cell" != "$loss" ] && reorder=${cell#*:}
  set_loss "$LW_NS" "$loss"
  set_loss "$SP_NS" "$loss"
  set_loss "$OFF_NS" "$loss"
  [ -n "$JAR_B" ] && set_loss "$B_NS" "$loss"
  if [ "$KERNEL" = 1 ]; then set_loss "$LX_NS" "$loss"; set_loss "$LXO_NS" "$loss"; fi
  if [ -n "$reorder" ]; then start_reorder "$reorder" "$loss-$reorder"; fi
  # CELL_WARMUP (default 1) unrecorded rounds per target under the cell's own loss and
  # reordering: the warm-up above runs without them, so the JIT would otherwise compile (and
  # deoptimise and recompile) Spinet's out-of-order, SACK and recovery paths inside the first
  # recorded transfers (its C2 compiler thread took 180 to 490 ms of CPU in them, on 2 CPUs).
  for _ in $(seq 1 "$CELL_WARMUP"); do
    echo "== loss $loss %, reorder ${reorder:-none}: warm-up round (not recorded)"
    lwip_alive
    one_round "$LW_CLIENT" "$LW_IP" /dev/null lwip "$cell" >/dev/null
    one_round "$SP_CLIENT" 10.78.3.2 /dev/null spinet "$cell" >/dev/null
    one_round "$OFF_CLIENT" 10.78.4.2 /dev/null spinet-off "$cell" >/dev/null
    [ -n "$JAR_B" ] && one_round "$B_CLIENT" 10.78.7.2 /dev/null spinet-b "$cell" >/dev/null
    if [ "$KERNEL" = 1 ]; then
      one_round "$LX_CLIENT" 10.78.5.2 /dev/null linux "$cell" >/dev/null
      one_round "$LXO_CLIENT" 10.78.6.2 /dev/null linux-off "$cell" >/dev/null
    fi
  done
  if [ "$JIT_WARMUP_MAX" -gt 0 ]; then
    warm_until_compiled "$SP_CLIENT" 10.78.3.2 spinet "$cell" "$SPINET_PID"
    warm_until_compiled "$OFF_CLIENT" 10.78.4.2 spinet-off "$cell" "$OFF_PID"
    [ -n "$JAR_B" ] && warm_until_compiled "$B_CLIENT" 10.78.7.2 spinet-b "$cell" "$B_PID"
  fi
  for r in $(seq 1 "$REPS"); do
    echo "== loss $loss %, reorder ${reorder:-none (no reorderer)}, rep $r ($(cut -d' ' -f1-3 /proc/loadavg))"
    # CAPTURE=DIR: the first repetition of each cell is also captured (headers only) on each
    # router's interface towards the stack, so after the reorderer for what the stack receives.
    [ "$r" = 1 ] && capture_start "$LW_NS" lw0 "lwip-$cell"
    lwip_alive
    one_round "$LW_CLIENT" "$LW_IP" "$OUT/results.txt" lwip "$cell" "$LW_NS" "$LWPEER_PID"
    capture_stop
    [ "$r" = 1 ] && capture_start "$SP_NS" sp0 "spinet-$cell"
    one_round "$SP_CLIENT" 10.78.3.2 "$OUT/results.txt" spinet "$cell" "$SP_NS" "$SPINET_PID"
    capture_stop
    [ "$r" = 1 ] && capture_start "$OFF_NS" sp1 "spinet-off-$cell"
    one_round "$OFF_CLIENT" 10.78.4.2 "$OUT/results.txt" spinet-off "$cell" "$OFF_NS" "$OFF_PID"
    capture_stop
    if [ -n "$JAR_B" ]; then
      [ "$r" = 1 ] && capture_start "$B_NS" sp2 "spinet-b-$cell"
      one_round "$B_CLIENT" 10.78.7.2 "$OUT/results.txt" spinet-b "$cell" "$B_NS" "$B_PID"
    fi
    capture_stop
    if [ "$KERNEL" = 1 ]; then
      [ "$r" = 1 ] && capture_start "$LX_NS" rs0 "linux-$cell"
      one_round "$LX_CLIENT" 10.78.5.2 "$OUT/results.txt" linux "$cell" "$LX_NS"
      capture_stop
      [ "$r" = 1 ] && capture_start "$LXO_NS" rs0 "linux-off-$cell"
      one_round "$LXO_CLIENT" 10.78.6.2 "$OUT/results.txt" linux-off "$cell" "$LXO_NS"
      capture_stop
    fi
  done
  if [ -n "$reorder" ]; then
    for ns in "${ROUTERS[@]}"; do
      { echo "kernel queue counters (queue portid waiting copy_mode copy_range queue_dropped user_dropped id_sequence 1):"
        nsx "$ns" cat /proc/net/netfilter/nfnetlink_queue; } >>"$OUT/reorder-$loss-$reorder-$ns.log"
    done
    stop_reorder
  fi
done
echo "loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/env.txt"
for pid in "$SPINET_PID" "$OFF_PID" ${B_PID:+"$B_PID"}; do
  kill -0 "$pid" 2>/dev/null || { echo "a spinet died during the run:"; cat "$OUT"/spinet*.log; exit 1; }
done

python3 - "$OUT" > "$OUT/summary.md" <<'PY'
import sys, statistics as st
out = sys.argv[1]
data, cpu, stack_cpu = {}, {}, {}
for line in open(f"{out}/results.txt"):
    target, loss, mode, *kv = line.split()
    fields = dict(item.partition("=")[::2] for item in kv)
    loss, colon, reorder = loss.split("=")[1].partition(":")
    key = ((float(loss), float(reorder) if colon else -1.0), mode, target)
    data.setdefault(key, []).append(float(fields["mbps"]) if "mbps" in fields else None)
    if "reorder_cpu" in fields:
        cpu.setdefault(key, []).append(float(fields["reorder_cpu"]))
    if "stack_cpu_ms" in fields:
        stack_cpu.setdefault(key, []).append(float(fields["stack_cpu_ms"]))
kernel = any(k[2] == "linux" for k in data)
has_b = any(k[2] == "spinet-b" for k in data)
def med(v):
    ok = [x for x in v if x is not None]
    return st.median(ok) if len(ok) == len(v) and ok else None
def cell(v):
    ok = [x for x in v if x is not None]
    text = " / ".join("%.1f" % x for x in (min(ok), st.median(ok), max(ok))) if ok else "-"
    return text + (" (%d timeout)" % (len(v) - len(ok)) if len(ok) < len(v) else "")
targets = ["lwip", "spinet", "spinet-off"] + (["linux", "linux-off"] if kernel else []) + (["spinet-b"] if has_b else [])
print("Goodput in Mbit/s, min / median / max over the repetitions; the kernel is the client in both directions")
print("(upload: the kernel sends to discard; download: the stack's chargen sends to the kernel). Loss: nftables")
print("random drop of the TCP segments a router namespace forwards between the kernel client and the TAP, both")
print("directions. Reorder: that share of the forwarded TCP segments held back by the reorderer")
print("until later segments of the same direction overtook them (env.txt: which one, depth, longest hold, seed);")
print("reorder \"-\": no reorderer in the path, 0 %: every segment through it, none held.")
print()
extra = (" Linux, SACK+TS | Linux, no SACK/TS |" if kernel else "") + (" Spinet B (SPINET_JAR_B), SACK+TS |" if has_b else "")
print("| loss | reorder | direction | lwIP | Spinet, SACK+TS | Spinet, no SACK/TS |" + extra + " SACK+TS / off | Spinet / lwIP |" + (" B / lwIP |" if has_b else ""))
print("|---|---|---|---|---|---|" + ("---|---|" if kernel else "") + ("---|" if has_b else "") + "---|---|" + ("---|" if has_b else ""))
for cellkey in sorted({k[0] for k in data}):
    loss, reorder = cellkey
    for mode in ("upload", "download"):
        runs = [data.get((cellkey, mode, t), []) for t in targets]
        lw, on, off = runs[:3]
        a, b, c = med(lw), med(on), med(off)
        r1 = "%.2fx" % (b / c) if b and c else "n/a"
        r2 = "%.2fx" % (b / a) if b and a else ("n/a (lwIP timed out)" if b and lw and a is None else "n/a")
        shown = "-" if reorder < 0 else f"{reorder:g} %"
        rb = ""
        if has_b:
            bb = med(runs[-1])
            rb = " %s |" % ("%.2fx" % (bb / a) if bb and a else "n/a")
        print(f"| {loss:g} % | {shown} | {mode} | " + " | ".join(cell(v) for v in runs) + f" | {r1} | {r2} |" + rb)
if cpu:
    print()
    print("The reorderer's share of one CPU during each transfer, median over the repetitions:")
    print()
    print("| loss | reorder | direction | " + " | ".join(targets) + " |")
    print("|---|---|---|" + "---|" * len(targets))
    for cellkey in sorted({k[0] for k in cpu}):
        for mode in ("upload", "download"):
            vals = [cpu.get((cellkey, mode, t)) for t in targets]
            print(f"| {cellkey[0]:g} % | {cellkey[1]:g} % | {mode} | " + " | ".join("%.2f" % st.median(v) if v else "-" for v in vals) + " |")
# The kernel sender's counters per upload (nstat in the client's namespace, medians over the
# repetitions): how it read each receiver's ACKs.
nstat, cur = {}, None
try:
    for line in open(f"{out}/nstat-client.txt"):
        if line.startswith("== "):
            target, loss, mode = line[3:].split()[:3]
            l, colon, r = loss.split("=")[1].partition(":")
            cur = ((float(l), float(r) if colon else -1.0), mode, target)
            nstat.setdefault(cur, []).append({})
        elif cur and len(line.split()) >= 2:
            name, value = line.split()[:2]
            nstat[cur][-1][name.replace("TcpExt", "")] = int(value)
except FileNotFoundError:
    pass
counters = ["TcpOutSegs", "TcpInSegs", "TcpRetransSegs", "TCPSackRecovery", "TCPRenoRecovery", "TCPSACKReorder",
            "TCPRenoReorder", "TCPTSReorder", "TCPDSACKRecv", "TCPDSACKUndo", "TCPPartialUndo", "TCPFullUndo",
            "TCPLossUndo", "TCPLostRetransmit", "TCPSpuriousRTOs"]
uploads = sorted(k for k in nstat if k[1] == "upload")
if uploads:
    print()
    print("The kernel sender's counters per upload (nstat in the client's namespace), median over the repetitions:")
    print()
    print("| loss | reorder | receiver | " + " | ".join(counters) + " |")
    print("|---|---|---|" + "---|" * len(counters))
    order = {t: i for i, t in enumerate(targets)}
    for key in sorted(uploads, key=lambda k: (k[0], order.get(k[2], 99))):
        runs = nstat[key]
        reorder = "-" if key[0][1] < 0 else "%g %%" % key[0][1]
        print(f"| {key[0][0]:g} % | {reorder} | {key[2]} | " + " | ".join("%g" % st.median([r.get(c, 0) for r in runs]) for c in counters) + " |")
if stack_cpu:
    print()
    print("The user-space stack's CPU time per transfer (all its threads, ms), median over the repetitions:")
    print()
    shown = [t for t in targets if any(k[2] == t for k in stack_cpu)]
    print("| loss | reorder | direction | " + " | ".join(shown) + " |")
    print("|---|---|---|" + "---|" * len(shown))
    for cellkey in sorted({k[0] for k in stack_cpu}):
        for mode in ("upload", "download"):
            vals = [stack_cpu.get((cellkey, mode, t)) for t in shown]
            reorder = "-" if cellkey[1] < 0 else "%g %%" % cellkey[1]
            print(f"| {cellkey[0]:g} % | {reorder} | {mode} | " + " | ".join("%.0f" % st.median(v) if v else "-" for v in vals) + " |")
PY
echo
cat "$OUT/summary.md"
echo "results in $OUT"
