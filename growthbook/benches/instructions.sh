#!/usr/bin/env bash
# Instructions per evaluation (valgrind's callgrind) for every case of both
# workloads: JSON attributes on a warm instance, typed attributes on a warm
# instance, a whole request with typed attributes (struct, instance, flag)
# and a whole request with JSON attributes (Value, instance, flag).
# Usage: bash growthbook/benches/instructions.sh   (from the repository root)
set -euo pipefail
cargo build --release -q -p growthbook --bench instructions
bin=$(ls -t target/release/deps/instructions-* | grep -v '\.d$' | head -1)
count() {
    local before after
    before=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 0 "$3" 2>&1 | grep -o 'refs: *[0-9,]*' | tr -dc 0-9)
    # 100 rounds of every user (10,000 evaluations), so that what setting up
    # varies by (hash seeds are random per process) counts for little.
    after=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 100 "$3" 2>&1 | grep -o 'refs: *[0-9,]*' | tr -dc 0-9)
    echo $(((after - before) / 10000))
}
printf '%-10s %-24s %8s %8s %9s %13s\n' workload case json typed request request_json
for workload in workload realistic; do
    cases=$(python3 -c "import json,sys; print(' '.join(c['name'] for c in json.load(open('growthbook/benches/data/$workload.json'))['cases']))")
    for case in $cases; do
        printf '%-10s %-24s %8s %8s %9s %13s\n' "$workload" "$case" \
            "$(count $workload $case json)" "$(count $workload $case typed)" \
            "$(count $workload $case request)" "$(count $workload $case request_json)"
    done
done
parse_count() {
    local before after
    before=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" parse 0 "$2" 2>&1 | grep -o 'refs: *[0-9,]*' | tr -dc 0-9)
    after=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" parse 2 "$2" 2>&1 | grep -o 'refs: *[0-9,]*' | tr -dc 0-9)
    echo $(((after - before) / 2000))
}
printf '\n%-10s %-24s %14s %14s\n' workload parse feature_set serde_value
for workload in workload realistic; do
    printf '%-10s %-24s %14s %14s\n' "$workload" "thousand instructions" \
        "$(parse_count $workload feature_set)" "$(parse_count $workload value)"
done
