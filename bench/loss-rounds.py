#!/usr/bin/env python3
"""loss-rounds.py RESULT_DIR... - per-round upload ratios to lwIP over loss-compare.sh runs.

Each target's upload in a repetition is divided by lwIP's upload of the same repetition (the
script alternates the targets within a repetition, so both saw the same machine load); the ratios
of all the runs given are pooled per cell as a geometric mean with its standard error (of the
mean of the logarithms) and the count of rounds at or above lwIP. A spread of 30 % between the
repetitions of one cell is common on a shared 2-CPU machine: the pooled ratio over many rounds
says more than any run's medians.
"""
import collections
import math
import re
import sys

ratios = collections.defaultdict(list)
for directory in sys.argv[1:]:
    rows = collections.defaultdict(list)
    for line in open(f"{directory}/results.txt"):
        fields = line.split()
        if len(fields) < 3 or fields[2] != "upload" or "mbps=" not in line:
            continue
        rows[(fields[1], fields[0])].append(float(re.search(r"mbps=([0-9.]+)", line).group(1)))
    for (cell, target), values in rows.items():
        lwip = rows.get((cell, "lwip"))
        if target == "lwip" or not lwip:
            continue
        for mine, theirs in zip(values, lwip):
            ratios[(cell, target)].append(math.log(mine / theirs))
for (cell, target), logs in sorted(ratios.items()):
    mean = sum(logs) / len(logs)
    se = (sum((x - mean) ** 2 for x in logs) / (len(logs) - 1)) ** 0.5 / len(logs) ** 0.5 if len(logs) > 1 else 0.0
    print("%-12s %-11s n=%3d  upload / lwIP %.3fx (standard error %.3f)  rounds >= 1: %d"
          % (cell, target, len(logs), math.exp(mean), se, sum(1 for x in logs if x >= 0)))
