#!/usr/bin/env python3
"""Prints the early-dip table of docs/reproduction.md ("The first 200 steps") from runs' metrics.csv files.

Per run: the highest 3-point median fidelity over steps 14-40 (the peak), the lowest 3-point median within the
40 steps after it, the drop between them, the highest noise in those 40 steps over the noise at the peak, and the
mean fidelity over steps 90-110 and 180-200.

Usage: scripts/early-dip-table.py data/repro-dense/e2-wink-base-lr3e-3-s*/metrics.csv ...
"""
import csv
import sys


def median3(values, i):
    window = sorted(values[max(0, i - 1):i + 2])
    return window[len(window) // 2]


def mean_between(steps, values, lo, hi):
    picked = [v for s, v in zip(steps, values) if lo <= s <= hi]
    return sum(picked) / len(picked) if picked else float("nan")


def row(path):
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    steps = [int(r["step"]) for r in rows]
    fidelity = [float(r["fidelity"]) for r in rows]
    noise = [float(r["noise"]) for r in rows]
    smooth = [median3(fidelity, i) for i in range(len(fidelity))]
    early = [i for i, s in enumerate(steps) if 14 <= s <= 40]
    if not early:
        raise SystemExit(f"{path}: no eval between steps 14 and 40 (evaluate every 2 steps early)")
    peak = max(early, key=lambda i: smooth[i])
    after = [i for i, s in enumerate(steps) if steps[peak] < s <= steps[peak] + 40]
    low = min(after, key=lambda i: smooth[i])
    noise_ratio = max(noise[i] for i in after) / noise[peak]
    name = path.replace("\\", "/").split("/")[-2]
    return (f"| {name} | {smooth[peak]:.2f} ({steps[peak]}) | {smooth[low]:.2f} ({steps[low]}) | "
            f"{smooth[peak] - smooth[low]:.2f} | {noise_ratio:.2f} | "
            f"{mean_between(steps, fidelity, 90, 110):.2f} / {mean_between(steps, fidelity, 180, 200):.2f} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    print("| run | peak (step) | low after (step) | drop | noise max there / at the peak | fidelity near 100 / 200 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for p in sys.argv[1:]:
        print(row(p))
