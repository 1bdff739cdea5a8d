#!/usr/bin/env python3
"""Prints the median time per evaluation of every benchmark of the last
`cargo bench -p growthbook --bench evaluate` run, from criterion's JSON
estimates (target/criterion). Group `cases` time 100 evaluations per
iteration; the figure printed is per evaluation."""
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")
per_iteration = {"default_only", "force_condition", "rollout", "experiment",
                 "complex_condition", "json_value", "unknown_feature"}
for estimates in sorted(root.glob("*/*/new/estimates.json")):
    group, bench = estimates.parts[-4], estimates.parts[-3]
    median_ns = json.loads(estimates.read_text())["median"]["point_estimate"]
    if group in per_iteration:
        median_ns /= 100
    unit = "ns" if median_ns < 10_000 else "us"
    value = median_ns if unit == "ns" else median_ns / 1000
    print(f"{group + '/' + bench:<45} {value:10.1f} {unit}")
