#!/usr/bin/env bash
# Issue 11's load sweep (run it as bench/run.sh latency [--quick]): MiniLM seq 16 (V2 JSON) and ResNet18 (V2 raw binary),
# each served under a few hand-tuned static dynamic_batching settings and under latency_target_ms 50 alone, driven
# open-loop at fractions of the shipped setting's closed-loop throughput measured first in the same run.
# Results: bench/results/latency/ and the latency section of bench/README.md.
#   bench/run.sh latency            8 s per point (~8 min)
#   bench/run.sh latency --quick    2 s per point (~2.5 min), for development; noisy
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BENCH_DLL="$ROOT/bench/InferenceService.Bench/bin/Release/net10.0/InferenceService.Bench.dll"
SERVICE_DLL="$ROOT/src/InferenceService/bin/Release/net10.0/InferenceService.dll"
TARGET_MS=50
FRACTIONS=0.1,0.3,0.5,0.7,0.9,1.1
QUICK=false; POINT_SECONDS=8; WARMUP_SECONDS=2; CAPACITY_SECONDS=5
if [[ "${1:-}" == "--quick" ]]; then QUICK=true; POINT_SECONDS=2; WARMUP_SECONDS=1; CAPACITY_SECONDS=2; fi

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
RUN="$(mktemp -d "${TMPDIR:-/tmp}/inference-latency.XXXXXX")"
mkdir -p "$RUN/sweeps" "$RUN/logs" "$RUN/capacity"
PIDS=()
. "$ROOT/bench/service.sh"
trap cleanup EXIT
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

build_release

# capacity SERVED_NAME CLIENTS BODY TYPE RAW -> prints closed-loop req/s (wrk, after 1 s of warm-up)
capacity() {
  local name="$1" clients="$2" out="$RUN/capacity/$1.json"
  for d in 1 "$CAPACITY_SECONDS"; do
    BENCH_METHOD=POST BENCH_BODY="$3" BENCH_CONTENT_TYPE="$4" BENCH_RAW_BINARY="$5" BENCH_OUT="$out" \
      wrk -t2 -c"$clients" -d"${d}s" --timeout 10s -s "$ROOT/bench/wrk/request.lua" "$BASE/v2/models/$name/infer" >/dev/null
  done
  python3 -c 'import json,sys; w=json.load(open(sys.argv[1])); print(round(w["requests"]/(w["duration_us"]/1e6),1))' "$out"
}

# variant MODEL SERVED_NAME KIND LABEL JSON: a repository holding only models/MODEL served as SERVED_NAME with top-level
# config sections replaced by JSON, served alone (a second model's warm-up would disturb a latency target's calibration);
# the first variant of a model (its shipped config) also measures the capacity the rates are fractions of.
variant() {
  local model="$1" name="$2" kind="$3" label="$4" set="$5" raw=0
  SEQ=$((SEQ + 1))
  dotnet "$BENCH_DLL" variant --models "$ROOT/models" --model "$model" --name "$name" --out "$RUN/repo-$name" --set-json "$set"
  start_service "$name" "$RUN/repo-$name"
  [[ "$BODY_TYPE" == application/octet-stream ]] && raw=1
  if [[ -z "$CAP" ]]; then
    CAP="$(capacity "$name" "$CAPACITY_CLIENTS" "$BODY" "$BODY_TYPE" "$raw")"
    echo "   capacity ($name, $CAPACITY_CLIENTS connections, closed loop): $CAP req/s"
  fi
  local extra=()
  [[ "$raw" == 1 ]] && extra=(--raw-binary)
  dotnet "$BENCH_DLL" sweep --base "$BASE/" --workload "$WORKLOAD" --model "$name" --kind "$kind" --label "$label" \
    --capacity "$CAP" --body "$BODY" --content-type "$BODY_TYPE" "${extra[@]}" --fractions "$FRACTIONS" \
    --seconds "$POINT_SECONDS" --warmup "$WARMUP_SECONDS" --out "$RUN/sweeps/$(printf %02d "$SEQ")-$name.json"
  cleanup; PIDS=()
}

SEQ=0
TARGET="{\"dynamic_batching\": {\"latency_target_ms\": $TARGET_MS}}"

echo "== MiniLM seq 16, V2 JSON"
WORKLOAD="MiniLM seq 16, V2 JSON"; BODY="$RUN/bodies/minilm16.json"; BODY_TYPE=application/json; CAPACITY_CLIENTS=32; CAP=""
variant minilm minilm-shipped static "work-conserving: max_batch_size 64, no delay (shipped)" '{}'
variant minilm minilm-64-2000us static "static: max_batch_size 64, delay 2000 µs (Triton-style)" \
  '{"dynamic_batching": {"max_queue_delay_microseconds": 2000, "max_queue_size": 2048}}'
variant minilm minilm-64-500us static "static: max_batch_size 64, delay 500 µs" \
  '{"dynamic_batching": {"max_queue_delay_microseconds": 500, "max_queue_size": 2048}}'
variant minilm minilm-16-2000us static "static: max_batch_size 16, delay 2000 µs" \
  '{"max_batch_size": 16, "dynamic_batching": {"max_queue_delay_microseconds": 2000, "max_queue_size": 2048}}'
variant minilm minilm-target target "latency_target_ms $TARGET_MS only (max_batch_size 64 as shipped)" "$TARGET"

echo "== ResNet18, V2 raw binary"
WORKLOAD="ResNet18, V2 raw binary"; BODY="$RUN/bodies/resnet18.bin"; BODY_TYPE=application/octet-stream; CAPACITY_CLIENTS=16; CAP=""
variant resnet18 resnet18-shipped static "work-conserving: max_batch_size 8, no delay (shipped)" '{}'
variant resnet18 resnet18-8-1000us static "static: max_batch_size 8, delay 1000 µs (Triton-style)" \
  '{"dynamic_batching": {"max_queue_delay_microseconds": 1000, "max_queue_size": 256}}'
variant resnet18 resnet18-2-1000us static "static: max_batch_size 2, delay 1000 µs" \
  '{"max_batch_size": 2, "dynamic_batching": {"max_queue_delay_microseconds": 1000, "max_queue_size": 256}}'
variant resnet18 resnet18-target target "latency_target_ms $TARGET_MS only (max_batch_size 8 as shipped)" "$TARGET"

NOTES=("the open-loop generator runs on the same cores as the service")
[[ "$QUICK" == true ]] && NOTES+=("--quick: short points on a shared machine; noisy, for development, not for conclusions")
[[ -n "${BENCH_NOTE:-}" ]] && NOTES+=("$BENCH_NOTE")
write_meta "$RUN/meta.json" "$LOAD_BEFORE" "$POINT_SECONDS" "$QUICK" "${NOTES[@]}"

echo "== report"
dotnet "$BENCH_DLL" latency-report --run "$RUN" --out "$ROOT/bench/results/latency" --target-ms "$TARGET_MS" --readme "$ROOT/bench/README.md"
echo "raw files of this run: $RUN"
