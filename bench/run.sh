#!/usr/bin/env bash
# The benchmark in one command: Release build, raw ONNX Runtime throughput, the service under wrk load,
# a Triton-style delay config, one model beside another, batching on vs off, then JSON + markdown + PNG in bench/results/ and the table in bench/README.md.
#   bench/run.sh            full run (8 s per load point, ~6 min)
#   bench/run.sh --quick    2 s per load point (~2 min), for development
#   bench/run.sh micro [--quick] [--filter '*']   BenchmarkDotNet micro-benchmarks of the hot path
#   bench/run.sh latency [--quick]   open-loop load sweep, static knobs vs latency_target_ms (bench/latency.sh)
#   bench/run.sh tax [--quick]       the service's compute_infer vs a bare harness, alternated; timer lateness (bench/tax.sh)
#   bench/run.sh overload [--quick]  512 connections against a saturated model: refusal and admitted latencies (bench/overload.sh)
#   bench/run.sh mixed [--quick]     mixed-length text (8–256 tokens): raw ideal batches, then /v1/text/embeddings with and without max_batch_tokens (bench/mixed.sh)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BENCH_DLL="$ROOT/bench/InferenceService.Bench/bin/Release/net10.0/InferenceService.Bench.dll"
SERVICE_DLL="$ROOT/src/InferenceService/bin/Release/net10.0/InferenceService.dll"

if [[ "${1:-}" == "micro" ]]; then
  shift
  dotnet build bench/InferenceService.Bench -c Release -nologo -v q
  [[ $# -eq 0 ]] && set -- --filter '*'
  [[ "$*" == "--quick" ]] && set -- --quick --filter '*'
  exec dotnet "$BENCH_DLL" micro "$@"
fi

if [[ "${1:-}" == "latency" ]]; then
  shift
  exec "$ROOT/bench/latency.sh" "$@"
fi

if [[ "${1:-}" == "tax" ]]; then
  shift
  exec "$ROOT/bench/tax.sh" "$@"
fi

if [[ "${1:-}" == "overload" ]]; then
  shift
  exec "$ROOT/bench/overload.sh" "$@"
fi

if [[ "${1:-}" == "mixed" ]]; then
  shift
  exec "$ROOT/bench/mixed.sh" "$@"
fi

QUICK=false
DURATION=8
RAW_SECONDS=3
if [[ "${1:-}" == "--quick" ]]; then QUICK=true; DURATION=2; RAW_SECONDS=1; fi
CONCURRENCY=(1 8 32 64)
PACED_RATE=20

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
RUN="$(mktemp -d "${TMPDIR:-/tmp}/inference-bench.XXXXXX")"
mkdir -p "$RUN/load" "$RUN/stats" "$RUN/logs"
PIDS=()
. "$ROOT/bench/service.sh"
trap cleanup EXIT
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
NOTES=()

echo "== build (Release)"
dotnet build src/InferenceService -c Release -nologo -v q
dotnet build bench/InferenceService.Bench -c Release -nologo -v q

echo "== raw ONNX Runtime"
dotnet "$BENCH_DLL" raw --models "$ROOT/models" --seconds "$RAW_SECONDS" --out "$RUN/raw.json"
dotnet "$BENCH_DLL" bodies --out "$RUN/bodies"

# load SCENARIO CLIENTS MODEL METHOD PATH [BODY CONTENT_TYPE RAW_BINARY]
load() {
  local scenario="$1" clients="$2" model="$3" method="$4" path="$5" body="${6:-}" type="${7:-}" raw="${8:-0}"
  local threads=$(( clients < 2 ? 1 : 2 )) key="${scenario}__c${clients}"
  [[ -n "$model" ]] && curl -fs "$BASE/v2/models/$model/stats" >"$RUN/stats/$key.before.json"
  BENCH_METHOD="$method" BENCH_BODY="$body" BENCH_CONTENT_TYPE="$type" BENCH_RAW_BINARY="$raw" BENCH_OUT="$RUN/load/$key.json" \
    wrk -t"$threads" -c"$clients" -d"${DURATION}s" --timeout 10s -s "$ROOT/bench/wrk/request.lua" "$BASE$path" >"$RUN/logs/$key.wrk.txt"
  [[ -n "$model" ]] && curl -fs "$BASE/v2/models/$model/stats" >"$RUN/stats/$key.after.json"
  printf '   %-20s c=%-3s %s\n' "$scenario" "$clients" "$(cat "$RUN/load/$key.json")"
}

# warm SCENARIO ... : 1 s at 8 clients, not recorded (JIT, connection set-up, arena growth).
warm() {
  local method="$4" path="$5" body="${6:-}" type="${7:-}" raw="${8:-0}"
  BENCH_METHOD="$method" BENCH_BODY="$body" BENCH_CONTENT_TYPE="$type" BENCH_RAW_BINARY="$raw" BENCH_OUT=/dev/null \
    wrk -t2 -c8 -d1s --timeout 10s -s "$ROOT/bench/wrk/request.lua" "$BASE$path" >/dev/null
}

series() {
  warm "$@"
  for c in "${CONCURRENCY[@]}"; do load "$1" "$c" "${@:3}"; done
}

echo "== service under load ($DURATION s per point)"
start_service main "$ROOT/models"
B="$RUN/bodies"
series trivial x "" GET /v2/health/live
series resnet18-binary x resnet18 POST /v2/models/resnet18/infer "$B/resnet18.bin" application/octet-stream 1
series minilm16-v2json x minilm POST /v2/models/minilm/infer "$B/minilm16.json" application/json
series minilm16-v2binout x minilm POST /v2/models/minilm/infer "$B/minilm16-binout.json" application/json
series minilm16-text x minilm POST /v1/text/embeddings "$B/text16.json" application/json
series minilm128-v2json x minilm POST /v2/models/minilm/infer "$B/minilm128.json" application/json
series minilm128-text x minilm POST /v1/text/embeddings "$B/text128.json" application/json
if [[ -d "$ROOT/models/recommender" ]]; then
  series recommender x recommender GET /v1/recommendations/recommender/users/1
else
  echo "   recommender: no models/recommender yet; skipped"
  NOTES+=("no recommender model in models/ yet: the recommender scenario and its ratio were skipped")
fi

echo "== the same, Triton-style: max_queue_delay 2000 µs (MiniLM), 1000 µs (ResNet18), the configs shipped before"
MAIN_BASE="$BASE"
dotnet "$BENCH_DLL" variant --models "$ROOT/models" --model minilm --name minilm --out "$RUN/repo-delay" \
  --set-json '{"dynamic_batching": {"max_queue_delay_microseconds": 2000, "max_queue_size": 2048, "length_buckets": [16, 32, 64, 128, 256]}}'
dotnet "$BENCH_DLL" variant --models "$ROOT/models" --model resnet18 --name resnet18 --out "$RUN/repo-delay" \
  --set-json '{"dynamic_batching": {"max_queue_delay_microseconds": 1000, "max_queue_size": 256}}'
start_service delay "$RUN/repo-delay"
series resnet18-binary-delay x resnet18 POST /v2/models/resnet18/infer "$B/resnet18.bin" application/octet-stream 1
series minilm16-v2json-delay x minilm POST /v2/models/minilm/infer "$B/minilm16.json" application/json
series minilm16-v2binout-delay x minilm POST /v2/models/minilm/infer "$B/minilm16-binout.json" application/json
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true; unset 'PIDS[-1]'
BASE="$MAIN_BASE"

echo "== one model beside another: MiniLM paced at $PACED_RATE/s alone, then beside ResNet18 saturated by 16 clients"
mkdir -p "$RUN/paced"
paced() {
  dotnet "$BENCH_DLL" sweep --base "$BASE" --model minilm --workload minilm16 --label "$1" --kind static \
    --body "$B/minilm16-binout.json" --content-type application/json --capacity "$PACED_RATE" --fractions 1 \
    --seconds "$DURATION" --warmup 1 --out "$RUN/paced/$1.json"
}
RES=(resnet18 POST /v2/models/resnet18/infer "$B/resnet18.bin" application/octet-stream 1)
paced minilm-alone
warm x x "${RES[@]}"; load resnet18-alone 16 "${RES[@]}"
DURATION=$((DURATION + 3)) load resnet18-beside-minilm 16 "${RES[@]}" &
LOADER=$!
sleep 1
paced minilm-beside
wait "$LOADER"

echo "== batching on vs off (32 clients: MiniLM seq 16 V2 JSON, ResNet18 V2 binary)"
MAIN_BASE="$BASE"
for model in minilm resnet18; do
  dotnet "$BENCH_DLL" nobatch --models "$ROOT/models" --model "$model" --out "$RUN/repo-nobatch"
done
start_service nobatch "$RUN/repo-nobatch"
OFF_BASE="$BASE"
MINI=(minilm POST /v2/models/minilm/infer "$B/minilm16.json" application/json)
RES=(resnet18 POST /v2/models/resnet18/infer "$B/resnet18.bin" application/octet-stream 1)
BASE="$MAIN_BASE"; warm x x "${MINI[@]}"; load minilm16-batch-on 32 "${MINI[@]}"
BASE="$OFF_BASE"; warm x x "${MINI[@]}"; load minilm16-batch-off 32 "${MINI[@]}"
BASE="$MAIN_BASE"; warm x x "${RES[@]}"; load resnet18-batch-on 32 "${RES[@]}"
BASE="$OFF_BASE"; warm x x "${RES[@]}"; load resnet18-batch-off 32 "${RES[@]}"
cleanup; PIDS=()

write_meta "$RUN/meta.json" "$LOAD_BEFORE" "$DURATION" "$QUICK" "${NOTES[@]}" \
  "wrk runs on the same 2 cores as the service; figures are ratios within this run"

echo "== report"
dotnet "$BENCH_DLL" report --run "$RUN" --out "$ROOT/bench/results" --readme "$ROOT/bench/README.md"
echo "raw files of this run: $RUN"
