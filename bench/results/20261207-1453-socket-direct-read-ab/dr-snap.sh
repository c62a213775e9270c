#!/usr/bin/env bash
# Copies the worktree's built bench classpath aside to /tmp/dr-$1 (module jars and bench classes).
set -eu
wt=/work/wt/directread; d=/tmp/dr-$1
rm -rf $d; mkdir -p $d/jars
cp -r $wt/bench/target/classes $d/bench-classes
cp_out="$d/bench-classes"
IFS=: read -ra parts < $wt/bench/target/bench.classpath || true
for p in "${parts[@]}"; do
  case "$p" in
    $wt/*) if [ -d "$p" ]; then n=$(echo "${p#$wt/}" | tr / _); cp -r "$p" $d/jars/$n; cp_out="$cp_out:$d/jars/$n";
           else cp "$p" $d/jars/; cp_out="$cp_out:$d/jars/$(basename "$p")"; fi ;;
    *) cp_out="$cp_out:$p" ;;
  esac
done
echo "$cp_out" > $d/cp
echo "$cp_out" | tr : '\n'
