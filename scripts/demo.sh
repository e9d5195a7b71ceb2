#!/usr/bin/env bash
# The README's demo: a streaming job on the embedded runtime. Nexmark events are generated,
# the query computes results incrementally with event time and keyed state, and the results
# are printed; then the run summary (throughput, memory, latency).
set -euo pipefail
BUILD_DIR=${1:-build/release}
echo "== Nexmark q4 (average closing price per category: join + aggregation, an updating result)"
echo "   1,000,000 generated events, parallelism 2, results written to out/demo-q4 and printed"
rm -rf out/demo-q4
"$BUILD_DIR/glint" nexmark run --query q4 --events 1000000 --parallelism 2 --sink csv:out/demo-q4
cat out/demo-q4/part-*.csv
echo
echo "== Nexmark q7 (highest bid of every 10-second window), first rows"
rm -rf out/demo-q7
"$BUILD_DIR/glint" nexmark run --query q7 --events 1000000 --parallelism 2 --sink csv:out/demo-q7
head -n 6 out/demo-q7/part-*.csv
