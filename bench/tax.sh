#!/usr/bin/env bash
# What the service adds to the engine (run it as bench/run.sh tax [--quick]):
#  1. compute tax: MiniLM seq 16 batch 1, one client; the service's compute_infer (its statistics) against a bare
#     harness with the same session options, alternated round by round (10 rounds) so the machine's drift hits both;
#  2. timer lateness: a lone request under max_queue_delay_microseconds 2000 against a bare one-shot timer of 2 ms;
#  3. ResNet18's lone client (V2 raw binary, 602 KB) against raw batch 1 (spinning on, as `raw`; and off, as served), alternated.
# The JSON of both lands in bench/results/tax/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BENCH_DLL="$ROOT/bench/InferenceService.Bench/bin/Release/net10.0/InferenceService.Bench.dll"
SERVICE_DLL="$ROOT/src/InferenceService/bin/Release/net10.0/InferenceService.dll"
ROUNDS=10 SECONDS_PER_STEP=2 TIMER_ROUNDS=400
if [[ "${1:-}" == "--quick" ]]; then ROUNDS=3 SECONDS_PER_STEP=1 TIMER_ROUNDS=100; fi
RUN="$(mktemp -d "${TMPDIR:-/tmp}/inference-tax.XXXXXX")"
mkdir -p "$RUN/logs"
PIDS=()
. "$ROOT/bench/service.sh"
trap cleanup EXIT

build_release
OUT="$ROOT/bench/results/tax"
mkdir -p "$OUT"
echo "== timer lateness (load average $(cut -d' ' -f1-3 /proc/loadavg))"
dotnet "$BENCH_DLL" timers --rounds "$TIMER_ROUNDS" --out "$OUT/timers.json"
start_service tax "$ROOT/models"
echo "== compute tax, $ROUNDS rounds of $SECONDS_PER_STEP s per step (load average $(cut -d' ' -f1-3 /proc/loadavg))"
dotnet "$BENCH_DLL" tax --base "$BASE" --models "$ROOT/models" --rounds "$ROUNDS" --seconds "$SECONDS_PER_STEP" --out "$OUT/tax.json"
echo "== ResNet18 lone client vs raw batch 1, alternated (load average $(cut -d' ' -f1-3 /proc/loadavg))"
dotnet "$BENCH_DLL" lone --base "$BASE" --models "$ROOT/models" --rounds "$((ROUNDS / 2 + 1))" --seconds "$((SECONDS_PER_STEP + 1))" --out "$OUT/lone.json"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
