#!/usr/bin/env python3
"""Joins geo-bench results with peer results: one line per (benchmark, peer).

usage: bench_report.py OURS.jsonl PEERS.jsonl
  name: value unit (peer: value unit, ratio Nx)   ratio = how many times faster (or, for MB, smaller) geo is than the peer
"""
import json
import sys


def fmt(v):
    if v is None:
        return "n/a"
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= limit:
            return f"{v / limit:.3g}{suffix}"
    return f"{v:.3g}"


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip().startswith("{")]


ours = load(sys.argv[1])
peers = load(sys.argv[2]) if len(sys.argv) > 2 else []
for o in ours:
    # A -batch variant (all cores) is compared with the same peer as the one-thread figure.
    base = o["name"][:-len("-batch")] if o["name"].endswith("-batch") else o["name"]
    mine = [p for p in peers if p["name"] == base]
    head = f'{o["name"]}: {fmt(o["value"])} {o["unit"]}'
    if not mine:
        print(head)
    for p in mine:
        if p["value"]:
            # Ratio = how many times faster geo is: ours/peer for rates, peer/ours for times.
            lower_is_better = o["unit"] in ("ms", "s", "MB")
            ratio = p["value"] / o["value"] if lower_is_better else o["value"] / p["value"]
            print(f'{head} ({p["peer"]}: {fmt(p["value"])} {p["unit"]}, ratio {ratio:.2f}x)')
        else:
            print(f'{head} ({p["peer"]}: n/a — {p.get("note", "not measured")})')
