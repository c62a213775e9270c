#!/bin/bash
# bench/lwip-compare.sh [--offload] [--kernel] [REPS] [MB] - Spinet and lwIP side by side, in one
# sitting, with the same client (the lwIP peer's `netbench`, a kernel-socket client) and the same
# parameters.
#
#   --offload : Spinet with its TAP offloads (virtio headers, 64 KiB segments, partial checksums;
#               the default of `spinet run --hal tap`). Without it Spinet runs with --no-offload,
#               one MSS per frame like lwIP's tapif: the like-for-like comparison.
#   --kernel  : also the kernel's own ceiling: the peer's `netbench server` in a second namespace
#               behind a veth pair, measured by the same client in the same rounds.
#
#   upload   : MB*10^6 bytes, kernel client -> discard (9), Mbit/s
#   download : MB*10^6 bytes, chargen (19) -> kernel client, Mbit/s (RFC 864 pattern checked)
#   echo     : 2000 timed round trips of 64 bytes on echo (7) after 50 warm-up, TCP_NODELAY;
#              median and p99 in microseconds
#   ping     : 200 ICMP echoes 10 ms apart, median RTT in microseconds
#   echo1cpu : the echo again with the server (all its threads) and the client pinned to one
#              CPU (PIN_CPU, default 1), as the peer's measure.sh does: on this 2-vCPU VM a
#              wake-up that crosses CPUs costs ~30 us, which makes unpinned latency bimodal
#
# Targets (each on a TAP inside a network namespace of its own; nothing touches the host's):
#   lwip   : the peer's lwpeer (Debian liblwip 2.1.3, stock tcpip_input), netns lwc-PID,
#            TAP lw0, kernel 10.78.0.1 -> lwIP 10.78.0.2 (the peer's netns.sh, unchanged)
#   spinet : spinet run --hal tap --services echo,discard,chargen, netns spinet-bench-PID,
#            TAP sp0, kernel 10.78.2.1 -> Spinet 10.78.2.2
# Both servers are up for the whole run and the repetitions alternate lwIP, Spinet, lwIP, ...
# so both see the same machine load. WARMUP (default 2) unrecorded rounds per target come first
# (the JVM compiles Spinet's packet path during them; lwIP gets the same rounds for symmetry).
#
# Environment: LWIP_PEER (default: shared/peers/lwip beside the repository's directory or one
# level up, i.e. ../shared/peers/lwip seen from the repository's parent; copied, never built in place),
# SPINET_ARGS (extra `spinet run` options, e.g. "--buffer-bytes 131072"), SPINET_JAVA_OPTS
# (JVM options, e.g. -XX:StartFlightRecording=filename=/tmp/spinet.jfr), KEEP=1 keeps the
# work directory. Needs root, iproute2, iputils-ping, gcc, python3, liblwip-dev (the peer's
# build.sh installs what is missing with apt).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
OFFLOAD=0
KERNEL=0
while [ $# -gt 0 ]; do
  case "$1" in
    --offload) OFFLOAD=1; shift ;;
    --no-offload) OFFLOAD=0; shift ;;
    --kernel) KERNEL=1; shift ;;
    -*) echo "lwip-compare: unknown option $1 (use --offload, --no-offload, --kernel)" >&2; exit 2 ;;
    *) break ;;
  esac
done
REPS=${1:-5}
MB=${2:-50}
BYTES=$((MB * 1000 * 1000))
ECHO_N=2000
ECHO_SIZE=64
PING_N=200
PIN_CPU=${PIN_CPU:-1}
WARMUP=${WARMUP:-2}
if [ -z "${LWIP_PEER:-}" ]; then
  for candidate in "$REPO/../shared/peers/lwip" "$REPO/../../shared/peers/lwip"; do
    if [ -d "$candidate" ]; then LWIP_PEER=$(cd "$candidate" && pwd); break; fi
  done
fi
LWIP_PEER=${LWIP_PEER:-$REPO/../shared/peers/lwip}
# Namespaces of this run only (the peer's defaults are fixed names another run may be using).
export LW_NS=lwc-$$ KB_CLI=kbc-$$ KB_SRV=kbs-$$
if [ "$OFFLOAD" = 1 ]; then OFFLOAD_ARG=; else OFFLOAD_ARG=--no-offload; fi
SP_NS=spinet-bench-$$
SP_IF=sp0
SP_KERNEL_IP=10.78.2.1
SP_IP=10.78.2.2
SPINET_PID=

[ "$(id -u)" = 0 ] || { echo "lwip-compare: needs root (network namespaces and TAP devices)" >&2; exit 1; }
[ -d "$LWIP_PEER" ] || { echo "lwip-compare: no lwIP peer at $LWIP_PEER (set LWIP_PEER to the peer's directory)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/spinet-lwip-compare.XXXXXX)
cp -r "$LWIP_PEER" "$WORK/lwpeer"
chmod -R u+w "$WORK/lwpeer"
OUT="$REPO/bench/results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"

# The peer's helpers (lw_up, lw_down, stop_pid, del_ns, LW_NS, LW_IP, LWPEER_PID).
# shellcheck source=/dev/null
source "$WORK/lwpeer/netns.sh"

sp_down() {
  if [ -n "$SPINET_PID" ] && kill -0 "$SPINET_PID" 2>/dev/null; then
    kill -INT "$SPINET_PID" 2>/dev/null || true      # graceful: spinet exits 0 on SIGINT
    for _ in $(seq 1 50); do kill -0 "$SPINET_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  stop_pid "$SPINET_PID"
  SPINET_PID=
  del_ns "$SP_NS"
}

cleanup() {
  lw_down || true
  if [ "$KERNEL" = 1 ]; then kb_down || true; fi
  sp_down || true
  if [ "${KEEP:-0}" = 1 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

sp_up() {   # sp_up LOGFILE: Spinet on its own TAP in its own namespace
  del_ns "$SP_NS"
  ip netns add "$SP_NS"
  nsx "$SP_NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  nsx "$SP_NS" ip link set lo up
  # ./spinet execs java and ip netns exec execs ./spinet, so $! is the JVM's own PID.
  # shellcheck disable=SC2086
  ip netns exec "$SP_NS" "$REPO/spinet" run --hal tap --tap "$SP_IF" --ip "$SP_IP/24" \
      --services echo,discard,chargen $OFFLOAD_ARG ${SPINET_ARGS:-} >"$1" 2>&1 &
  SPINET_PID=$!
  for _ in $(seq 1 300); do
    grep -q '^spinet ready' "$1" && break
    kill -0 "$SPINET_PID" 2>/dev/null || { echo "spinet died:"; cat "$1"; return 1; }
    sleep 0.1
  done
  grep -q '^spinet ready' "$1" || { echo "spinet not ready after 30 s:"; cat "$1"; return 1; }
  nsx "$SP_NS" ip addr add "$SP_KERNEL_IP/24" dev "$SP_IF"
  nsx "$SP_NS" ip link set "$SP_IF" up
  for _ in $(seq 1 50); do
    nsx "$SP_NS" ping -c 1 -W 1 -q "$SP_IP" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "spinet does not answer ping"; return 1
}

ping_median() {   # ping_median NS HOST -> "ping count=N median_us=X ..."
  timeout 30 ip netns exec "$1" ping -n -c "$PING_N" -i 0.01 -W 1 "$2" |
    python3 -c 'import sys,re,statistics as s
t=[float(m.group(1))*1000 for m in re.finditer(r"time=([0-9.]+) ms", sys.stdin.read())]
print("ping count=%d median_us=%.1f min_us=%.1f max_us=%.1f" % (len(t), s.median(t), min(t), max(t)) if t else "ping count=0")'
}

one_round() {   # one_round NS HOST FILE SERVER_PID
  local nb="$WORK/lwpeer/netbench"
  timeout 120 ip netns exec "$1" "$nb" upload "$2" 9 "$BYTES" | tee -a "$3"
  timeout 120 ip netns exec "$1" "$nb" download "$2" 19 "$BYTES" | tee -a "$3"
  timeout 120 ip netns exec "$1" "$nb" echo "$2" 7 "$ECHO_N" "$ECHO_SIZE" | tee -a "$3"
  ping_median "$1" "$2" | tee -a "$3"
  taskset -a -p -c "$PIN_CPU" "$4" >/dev/null
  timeout 120 ip netns exec "$1" taskset -c "$PIN_CPU" "$nb" echo "$2" 7 "$ECHO_N" "$ECHO_SIZE" |
    sed 's/^echo/echo1cpu/' | tee -a "$3"
  taskset -a -p -c "0-$(($(nproc) - 1))" "$4" >/dev/null
}

echo "== building the lwIP peer ($WORK/lwpeer) and spinet"
(cd "$WORK/lwpeer" && ./build.sh) >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
(cd "$REPO" && ./mvnw -B -q -DskipTests package -pl board-app -am) >>"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
touch "$REPO/board-app/target/spinet.jar"   # the launcher must not rebuild while measuring

{ echo "date: $(date -Is)"; echo "kernel: $(uname -r)"
  echo "cpus: $(nproc) x$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
  echo "liblwip0: $(dpkg-query -W -f='${Version}' liblwip0)"
  echo "spinet: $(cd "$REPO" && git rev-parse --short HEAD)$(cd "$REPO" && git diff --quiet || echo '+dirty') offload: $([ "$OFFLOAD" = 1 ] && echo on || echo off) args: ${SPINET_ARGS:-none} java opts: ${SPINET_JAVA_OPTS:-none}"
  echo "tcp_congestion_control: $(sysctl -n net.ipv4.tcp_congestion_control)"
  echo "reps=$REPS warmup=$WARMUP bytes=$BYTES echo=${ECHO_N}x${ECHO_SIZE} ping=$PING_N pin_cpu=$PIN_CPU"
  echo "lwip peer: $LWIP_PEER"
  echo "uptime at start: $(uptime)"; } | tee "$OUT/env.txt"

lw_up 1800 "$OUT/lwpeer.log"
sp_up "$OUT/spinet.log"
if [ "$KERNEL" = 1 ]; then kb_up 1800 "$OUT/kernel.log"; fi

kernel_round() {   # kernel_round FILE: upload and download between two namespaces over veth
  local nb="$WORK/lwpeer/netbench"
  timeout 120 ip netns exec "$KB_CLI" "$nb" upload "$KB_SRV_IP" 9 "$BYTES" | tee -a "$1"
  timeout 120 ip netns exec "$KB_CLI" "$nb" download "$KB_SRV_IP" 19 "$BYTES" | tee -a "$1"
}

for r in $(seq 1 "$WARMUP"); do
  echo "== warm-up round $r (not recorded)"
  one_round "$LW_NS" "$LW_IP" /dev/null "$LWPEER_PID" >/dev/null
  one_round "$SP_NS" "$SP_IP" /dev/null "$SPINET_PID" >/dev/null
  if [ "$KERNEL" = 1 ]; then kernel_round /dev/null >/dev/null; fi
done

for r in $(seq 1 "$REPS"); do
  echo "== lwip rep $r";   one_round "$LW_NS" "$LW_IP" "$OUT/lwip.txt" "$LWPEER_PID"
  echo "== spinet rep $r"; one_round "$SP_NS" "$SP_IP" "$OUT/spinet.txt" "$SPINET_PID"
  if [ "$KERNEL" = 1 ]; then echo "== kernel (veth) rep $r"; kernel_round "$OUT/kernel.txt"; fi
done
echo "uptime at end: $(uptime)" | tee -a "$OUT/env.txt"
kill -0 "$SPINET_PID" 2>/dev/null || { echo "spinet died during the run:"; cat "$OUT/spinet.log"; exit 1; }

python3 - "$OUT" "$OFFLOAD" > "$OUT/summary.md" <<'PY'
import sys, statistics as st
out = sys.argv[1]
def load(label):
    data = {}
    for line in open(f"{out}/{label}.txt"):
        kind, *kv = line.split()
        for item in kv:
            k, _, v = item.partition("=")
            try:
                data.setdefault((kind, k), []).append(float(v))
            except ValueError:
                pass
    return data
lw, sp = load("lwip"), load("spinet")
import os
kernel = load("kernel") if os.path.exists(f"{out}/kernel.txt") else None
offload = sys.argv[2] == "1"
rows = [("upload to discard, Mbit/s", "upload", "mbps", True),
        ("download from chargen, Mbit/s", "download", "mbps", True),
        ("echo 64 B RTT median, us", "echo", "median_us", False),
        ("echo 64 B RTT p99, us", "echo", "p99_us", False),
        ("ping RTT median, us", "ping", "median_us", False),
        ("echo median, 1 CPU, us", "echo1cpu", "median_us", False),
        ("echo p99, 1 CPU, us", "echo1cpu", "p99_us", False)]
def mmm(v):
    f = "%.0f" if max(v) >= 1000 else "%.1f"
    return " / ".join(f % x for x in (min(v), st.median(v), max(v)))
n = len(lw.get(("upload", "mbps"), []))
print(f"min / median / max over {n} alternating runs; ratio = Spinet median / lwIP median.")
print("Throughput: higher is better (goal ratio >= 1.0). RTT: lower is better (goal ratio <= 1.0).")
print()
mode = "--hal tap, offloads on" if offload else "--hal tap --no-offload"
print(f"| measurement | lwIP (tapif) | Spinet ({mode}) | Spinet/lwIP | goal met |")
print("|---|---|---|---|---|")
for title, kind, key, higher in rows:
    a, b = lw.get((kind, key), []), sp.get((kind, key), [])
    if not a or not b:
        print(f"| {title} | {mmm(a) if a else 'n/a'} | {mmm(b) if b else 'n/a'} | n/a | n/a |")
        continue
    ratio = st.median(b) / st.median(a)
    met = ratio >= 1.0 if higher else ratio <= 1.0
    print(f"| {title} | {mmm(a)} | {mmm(b)} | {ratio:.2f}x | {'yes' if met else 'no'} |")
if kernel:
    print()
    print("Kernel to kernel over a veth pair (the peer's netbench server), same rounds:")
    print()
    print("| measurement | kernel (veth) | Spinet/kernel |")
    print("|---|---|---|")
    for title, kind, key, _ in rows[:2]:
        k, b = kernel.get((kind, key), []), sp.get((kind, key), [])
        if k and b:
            print(f"| {title} | {mmm(k)} | {st.median(b) / st.median(k):.2f}x |")
bad = [line for line in open(f"{out}/spinet.txt") if "MISMATCH" in line] + \
      [line for line in open(f"{out}/lwip.txt") if "MISMATCH" in line]
if bad:
    print("\nchargen pattern MISMATCH in: " + "; ".join(l.strip() for l in bad))
PY
echo
cat "$OUT/summary.md"
echo "results in $OUT"
