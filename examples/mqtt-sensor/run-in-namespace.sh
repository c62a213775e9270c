#!/usr/bin/env bash
# Runs the packaged sensor (target/mqtt-sensor.jar) on the emulated W5500 against mosquitto, all
# inside a network namespace of its own: a persistent TAP is made in the namespace, its kernel
# end is 10.85.0.1/24 with the broker, the sensor is 10.85.0.2 and publishes three readings while
# nc asks its status port. Exits 0 when the sensor published them and answered. Needs root,
# iproute2, mosquitto, nc and JDK 25 (JAVA_HOME, or the one ../../mvnw finds).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/mqtt-sensor.jar"
[ -f "$jar" ] || { echo "run-in-namespace: build first: ../../mvnw -B package" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run-in-namespace: needs root (a network namespace and a TAP)" >&2; exit 1; }
if [ -z "${JAVA_HOME:-}" ]; then
  # shellcheck source=../../.mvn/jdk25.sh
  . "$here/../../.mvn/jdk25.sh"
fi
ns=spinet-exsensor-$$
tap=exsens$(( $$ % 100000 ))
work=$(mktemp -d /tmp/spinet-mqtt-sensor.XXXXXX)
broker_pid=
cleanup() {
  [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$ns"
ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" ip tuntap add dev "$tap" mode tap
ip netns exec "$ns" ip addr add 10.85.0.1/24 dev "$tap"
ip netns exec "$ns" ip link set "$tap" up
printf 'listener 1883 10.85.0.1\nallow_anonymous true\nuser root\npersistence false\n' > "$work/broker.conf"
ip netns exec "$ns" mosquitto -c "$work/broker.conf" > "$work/broker.log" 2>&1 &
broker_pid=$!
sleep 1

ip netns exec "$ns" "$JAVA_HOME/bin/java" -jar "$jar" --broker tcp://10.85.0.1:1883 --count 3 -- \
  --hal sim-w5500 --tap "$tap" --ip 10.85.0.2/24 > "$work/sensor.log" 2>&1 &
sensor_pid=$!
status=""
for _ in $(seq 1 30); do
  sleep 0.5
  status=$(ip netns exec "$ns" nc -w 2 10.85.0.2 8080 2>/dev/null || true)
  case "$status" in *" C"*) break ;; esac
done
wait "$sensor_pid" || { echo "run-in-namespace: the sensor failed:"; cat "$work/sensor.log"; exit 1; }
published=$(grep -c '^sensor: published' "$work/sensor.log" || true)
cat "$work/sensor.log"
if [ "$published" != 3 ]; then
  echo "run-in-namespace: expected 3 readings published, saw $published" >&2
  exit 1
fi
case "$status" in
  *" C"*) echo "run-in-namespace: ok: 3 readings published over the emulated W5500; status port said: $status" ;;
  *) echo "run-in-namespace: the status port did not answer a reading (got '$status')" >&2; exit 1 ;;
esac
