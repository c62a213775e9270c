#!/usr/bin/env bash
# one line per run: load, then upload (handler median, socket median, ratio), download ratio, echo ratios
for f in "$@"; do
  printf "%-12s %s | " "$(basename $f .txt)" "$(head -1 $f | awk '{print $4, $6}')"
  awk -F'|' '/^\| upload/{split($3,h,"/");split($4,s,"/");printf "up h %6.0f s %6.0f %s ", h[2], s[2], $5} /^\| download/{printf "| down %s ", $5} /^\| echo RTT median, us \|/{printf "| echo %s ", $5} /platform-thread socket echo/ && /median/{printf "pt %s", $5}' $f; echo
done
