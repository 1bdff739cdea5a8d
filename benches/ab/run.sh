#!/usr/bin/env bash
# Instructions per evaluation (valgrind's callgrind) of the workload's cases
# through the public API, for this checkout and for an earlier revision.
# Usage: bash benches/ab/run.sh <revision>   (from the repository root)
# e.g. `bash benches/ab/run.sh 9dedd48~1` compares with the release before
# the conformance work (no `preserve_order`).
# Wall time, for a quick look where instructions and time disagree: build
# both sides as below, then run each binary alternately with
# `AB_TIME=20 growthbook-ab-bench <workload> <case> 500 is_on` (prints the
# best of 20 batches, in ns per evaluation).
set -euo pipefail
rev=${1:?a revision to compare with}
root=$(pwd)
work=$(mktemp -d)
git worktree add -q "$work/base" "$rev"
trap 'git worktree remove --force "$work/base"; rm -rf "$work"' EXIT
for side in base head; do
    mkdir -p "$work/ab-$side/src"
    cp benches/ab/src/main.rs "$work/ab-$side/src/"
    gb=$([ "$side" = base ] && echo "$work/base" || echo "$root")
    sed "s#path = \"../../growthbook\"#path = \"$gb/growthbook\"#" benches/ab/Cargo.toml > "$work/ab-$side/Cargo.toml"
    cp "$gb/Cargo.lock" "$work/ab-$side/" 2>/dev/null || true
    (cd "$work/ab-$side" && cargo build --release -q)
done
workload=growthbook/benches/data/workload.json
count() { # binary case mode iterations -> instructions per evaluation
    local a b
    a=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" $workload "$2" 0 "$3" 2>&1 | grep -o 'refs: *[0-9,]*' | tr -dc 0-9)
    b=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" $workload "$2" "$4" "$3" 2>&1 | grep -o 'refs: *[0-9,]*' | tr -dc 0-9)
    echo $(((b - a) / ($4 * 100)))
}
# 100 rounds per case: the steady state criterion measures (an instance's
# per-attribute memos are filled on its second evaluation, and 10 rounds
# would charge a tenth of that to every one).
printf '%-20s %-14s %10s %10s\n' case mode "$rev" HEAD
cases=$(python3 -c "import json; print(' '.join(c['name'] for c in json.load(open('$workload'))['cases']))")
for case in $cases; do
    for mode in is_on feature_value natural eval_feature owned; do
        printf '%-20s %-14s %10s %10s\n' "$case" "$mode" \
            "$(count "$work/ab-base/target/release/growthbook-ab-bench" "$case" $mode 100)" \
            "$(count "$work/ab-head/target/release/growthbook-ab-bench" "$case" $mode 100)"
    done
done
printf '%-20s %-14s %10s %10s\n' instance create+drop \
    "$(count "$work/ab-base/target/release/growthbook-ab-bench" instance x 10)" \
    "$(count "$work/ab-head/target/release/growthbook-ab-bench" instance x 10)"
printf '%-20s %-14s %10s %10s\n' parse "per 100 parses" \
    "$(count "$work/ab-base/target/release/growthbook-ab-bench" parse x 2)" \
    "$(count "$work/ab-head/target/release/growthbook-ab-bench" parse x 2)"
