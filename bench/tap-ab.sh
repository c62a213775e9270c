#!/bin/bash
# bench/tap-ab.sh JAR_A JAR_B [REPS=5] [MB=50] - two builds of Spinet and lwIP in one sitting, on
# TAPs (without offloads unless OFFLOAD=1), the three alternating round by round (lwIP, A, B, lwIP, A, B, ...), so a
# change is measured against the build before it under the same machine load. As root.
#
#   JAR_A, JAR_B : spinet.jar files (e.g. a copy of main's board-app/target/spinet.jar kept aside,
#                  and the working tree's); each runs `spinet run --hal tap --no-offload` (OFFLOAD=1: without --no-offload) with
#                  SPINET_ARGS_A / SPINET_ARGS_B and SPINET_JAVA_OPTS_A / SPINET_JAVA_OPTS_B
#   per round    : upload (MB*10^6 bytes to discard), download (from chargen, pattern checked),
#                  echo (2000 x 64 B, median and p99): the client is the lwIP peer's netbench, as in
#                  bench/lwip-compare.sh
#   per transfer : the server's CPU time per thread (utime + stime from /proc/PID/task/TID/stat, ms)
#                  and voluntary / involuntary context switches (/proc/PID/task/TID/status), threads
#                  with less than 5 ms left out; nstat's TcpOutSegs / TcpInSegs of the client's namespace
#
# OFFLOAD=1 runs both builds with their TAP offloads (the default of `spinet run --hal tap`) instead.
# FIFO=1 runs the three servers (all threads) and the client under SCHED_FIFO (chrt -f 10), so other
# processes on a shared machine cannot take the CPUs during a transfer: the quiet machine's regime.
# WARMUP (default 2) unrecorded rounds per target first. Results in OUT = bench/results/<timestamp>-ab/:
# OUT/lwip.txt, OUT/a.txt, OUT/b.txt (netbench lines), OUT/cpu.txt (per-transfer thread lines),
# OUT/env.txt and OUT/summary.md.
# The lwIP peer is found and copied as bench/lwip-compare.sh does (LWIP_PEER).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 2 ] || { echo "usage: bench/tap-ab.sh JAR_A JAR_B [REPS] [MB]" >&2; exit 2; }
JAR_A=$(readlink -f "$1"); JAR_B=$(readlink -f "$2")
REPS=${3:-5}
MB=${4:-50}
BYTES=$((MB * 1000 * 1000))
WARMUP=${WARMUP:-2}
if [ "${FIFO:-0}" = 1 ]; then RT="chrt -f 10"; else RT=; fi
if [ "${OFFLOAD:-0}" = 1 ]; then OFFLOAD_ARG=; else OFFLOAD_ARG=--no-offload; fi
[ -f "$JAR_A" ] && [ -f "$JAR_B" ] || { echo "tap-ab: no such jar: $JAR_A or $JAR_B" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "tap-ab: needs root (network namespaces and TAP devices)" >&2; exit 1; }
if [ -z "${LWIP_PEER:-}" ]; then
  for candidate in "$REPO/../shared/peers/lwip" "$REPO/../../shared/peers/lwip" /work/shared/peers/lwip; do
    if [ -d "$candidate" ]; then LWIP_PEER=$(cd "$candidate" && pwd); break; fi
  done
fi
[ -d "${LWIP_PEER:-}" ] || { echo "tap-ab: no lwIP peer found (set LWIP_PEER to the peer's directory)" >&2; exit 1; }
. "$REPO/.mvn/jdk25.sh"
export LW_NS=lwab-$$ KB_CLI=kbcab-$$ KB_SRV=kbsab-$$
NS_A=spab-a-$$; NS_B=spab-b-$$
WORK=$(mktemp -d /tmp/spinet-tap-ab.XXXXXX)
cp -r "$LWIP_PEER" "$WORK/lwpeer"; chmod -R u+w "$WORK/lwpeer"
OUT="$REPO/bench/results/$(date +%Y%m%d-%H%M%S)-ab"
mkdir -p "$OUT"
# shellcheck source=/dev/null
source "$WORK/lwpeer/netns.sh"
PID_A=; PID_B=

sp_up() {   # sp_up NS JAR ARGS JAVA_OPTS SUBNET LOG -> prints the JVM's PID
  local ns=$1 jar=$2 args=$3 opts=$4 net=$5 log=$6 pid
  del_ns "$ns"; ip netns add "$ns"
  nsx "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  nsx "$ns" ip link set lo up
  # shellcheck disable=SC2086
  ip netns exec "$ns" $RT "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED $opts -jar "$jar" run --hal tap --tap sp0 \
      --ip "$net.2/24" --services echo,discard,chargen $OFFLOAD_ARG $args >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do grep -q '^spinet ready' "$log" && break; sleep 0.1; done
  grep -q '^spinet ready' "$log" || { echo "spinet ($jar) not ready:" >&2; cat "$log" >&2; return 1; }
  nsx "$ns" ip addr add "$net.1/24" dev sp0
  nsx "$ns" ip link set sp0 up
  for _ in $(seq 1 50); do nsx "$ns" ping -c 1 -W 1 -q "$net.2" >/dev/null 2>&1 && break; sleep 0.2; done
  echo "$pid"
}

cleanup() {
  lw_down || true
  for p in "$PID_A" "$PID_B"; do [ -n "$p" ] && kill -INT "$p" 2>/dev/null || true; done
  sleep 1
  stop_pid "$PID_A"; stop_pid "$PID_B"
  del_ns "$NS_A"; del_ns "$NS_B"
  rm -rf "$WORK"
}
trap cleanup EXIT

threads() {   # threads PID -> "tid name ticks vol invol" per thread
  local t
  for t in /proc/"$1"/task/*; do
    awk -v tid="${t##*/}" '
      FILENAME ~ /stat$/ { sub(/^[^)]*\) /, ""); n=$0; ticks=$12+$13 }
      FILENAME ~ /comm$/ { name=$0; gsub(/ /, "_", name) }
      FILENAME ~ /status$/ && /^voluntary_ctxt_switches/ { vol=$2 }
      FILENAME ~ /status$/ && /^nonvoluntary_ctxt_switches/ { inv=$2 }
      END { print tid, name, ticks, vol, inv }' "$t/stat" "$t/comm" "$t/status" 2>/dev/null || true
  done
}

measured() {   # measured LABEL NS HOST PID KIND PORT: one transfer with thread CPU and nstat around it
  local label=$1 ns=$2 host=$3 pid=$4 kind=$5 port=$6 before after line
  before=$(threads "$pid")
  nsx "$ns" nstat -n >/dev/null 2>&1 || true
  line=$(timeout 120 ip netns exec "$ns" $RT "$WORK/lwpeer/netbench" "$kind" "$host" "$port" "$BYTES")
  after=$(threads "$pid")
  local segs
  segs=$(nsx "$ns" nstat -z TcpOutSegs TcpInSegs 2>/dev/null | awk '/TcpOutSegs/{o=$2} /TcpInSegs/{i=$2} END{print "client_out=" o " client_in=" i}')
  echo "$line $segs" | tee -a "$OUT/$label.txt"
  python3 - "$label" "$kind" "$before" "$after" >>"$OUT/cpu.txt" <<'PY'
import sys, os
label, kind, before, after = sys.argv[1:5]
hz = os.sysconf("SC_CLK_TCK")
def parse(s):
    d = {}
    for l in s.splitlines():
        p = l.split()
        if len(p) == 5:
            d[p[0]] = (p[1], int(p[2]), int(p[3]), int(p[4]))
    return d
b, a = parse(before), parse(after)
parts = []
for tid, (name, ticks, vol, inv) in a.items():
    t0, v0, i0 = (b[tid][1], b[tid][2], b[tid][3]) if tid in b else (0, 0, 0)
    ms = (ticks - t0) * 1000 // hz
    if ms >= 5:
        parts.append(f"{name}:{ms}ms/{vol - v0}v/{inv - i0}i")
print(label, kind, " ".join(sorted(parts)))
PY
}

round() {   # round LABEL NS HOST PID FILE
  measured "$1" "$2" "$3" "$4" upload 9
  measured "$1" "$2" "$3" "$4" download 19
  timeout 120 ip netns exec "$2" $RT "$WORK/lwpeer/netbench" echo "$3" 7 2000 64 | tee -a "$OUT/$1.txt"
}

(cd "$WORK/lwpeer" && ./build.sh) >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
{ echo "date: $(date -Is)"; echo "kernel: $(uname -r)"
  echo "A: $JAR_A ($(sha256sum "$JAR_A" | cut -c1-12)) args: ${SPINET_ARGS_A:-none} java opts: ${SPINET_JAVA_OPTS_A:-none}"
  echo "B: $JAR_B ($(sha256sum "$JAR_B" | cut -c1-12)) args: ${SPINET_ARGS_B:-none} java opts: ${SPINET_JAVA_OPTS_B:-none}"
  echo "spinet tree: $(cd "$REPO" && git rev-parse --short HEAD)$(cd "$REPO" && git diff --quiet || echo '+dirty')"
  echo "reps=$REPS warmup=$WARMUP bytes=$BYTES scheduling: ${RT:-normal} offload: ${OFFLOAD_ARG:-on}"
  echo "uptime at start: $(uptime)"; } | tee "$OUT/env.txt"

lw_up 3600 "$OUT/lwpeer.log"
if [ -n "$RT" ]; then chrt -a -f -p 10 "$LWPEER_PID"; fi
PID_A=$(sp_up "$NS_A" "$JAR_A" "${SPINET_ARGS_A:-}" "${SPINET_JAVA_OPTS_A:-}" 10.78.4 "$OUT/spinet-a.log")
PID_B=$(sp_up "$NS_B" "$JAR_B" "${SPINET_ARGS_B:-}" "${SPINET_JAVA_OPTS_B:-}" 10.78.5 "$OUT/spinet-b.log")

for r in $(seq 1 "$WARMUP"); do
  echo "== warm-up round $r (not recorded)"
  for t in "lwip $LW_NS $LW_IP" "a $NS_A 10.78.4.2" "b $NS_B 10.78.5.2"; do
    set -- $t
    for k in upload:9 download:19; do timeout 120 ip netns exec "$2" "$WORK/lwpeer/netbench" "${k%:*}" "$3" "${k#*:}" "$BYTES" >/dev/null; done
    timeout 120 ip netns exec "$2" "$WORK/lwpeer/netbench" echo "$3" 7 500 64 >/dev/null
  done
done
: >"$OUT/cpu.txt"
for r in $(seq 1 "$REPS"); do
  echo "== round $r"
  round lwip "$LW_NS" "$LW_IP" "$LWPEER_PID"
  round a "$NS_A" 10.78.4.2 "$PID_A"
  round b "$NS_B" 10.78.5.2 "$PID_B"
done
echo "uptime at end: $(uptime)" | tee -a "$OUT/env.txt"

python3 - "$OUT" > "$OUT/summary.md" <<'PY'
import sys, statistics as st
out = sys.argv[1]
def load(label):
    d = {}
    for line in open(f"{out}/{label}.txt"):
        kind, *kv = line.split()
        for item in kv:
            k, _, v = item.partition("=")
            try: d.setdefault((kind, k), []).append(float(v))
            except ValueError: pass
    return d
t = {x: load(x) for x in ("lwip", "a", "b")}
def mmm(v): return " / ".join(("%.0f" if max(v) >= 100 else "%.1f") % x for x in (min(v), st.median(v), max(v)))
print("min / median / max; ratios of medians\n")
print("| measurement | lwIP | A | B | A/lwIP | B/lwIP | B/A |")
print("|---|---|---|---|---|---|---|")
for title, kind, key in (("upload, Mbit/s", "upload", "mbps"), ("download, Mbit/s", "download", "mbps"),
                         ("echo median, us", "echo", "median_us"), ("echo p99, us", "echo", "p99_us")):
    v = [t[x].get((kind, key), []) for x in ("lwip", "a", "b")]
    if not all(v): continue
    m = [st.median(x) for x in v]
    print(f"| {title} | {mmm(v[0])} | {mmm(v[1])} | {mmm(v[2])} | {m[1]/m[0]:.2f}x | {m[2]/m[0]:.2f}x | {m[2]/m[1]:.2f}x |")
print("\nServer threads per transfer (cpu.txt): name:CPU ms/voluntary/involuntary switches")
for line in open(f"{out}/cpu.txt"): print("    " + line.rstrip())
PY
cat "$OUT/summary.md"
echo "results in $OUT"
