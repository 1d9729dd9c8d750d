#!/usr/bin/env bash
# Issue 17's mixed-length text workload (run it as bench/run.sh mixed [--quick]): sentences of 8–256 MiniLM tokens
# (seeded log-uniform; InferenceService.Bench/MixedText.cs). First the engine's limit: MiniLM's sessions in-process on
# the same sentences pre-sorted into ideal batches under max_batch_tokens, each padded to its own longest (mixed-raw).
# Then the service on POST /v1/text/embeddings, closed loop (mixed-load), serving MiniLM with its shipped
# dynamic_batching and with the same section without max_batch_tokens, at a few client counts and texts per request.
# The load generator shares the cores with the service, as in the other benches. Prints one markdown table and keeps
# the JSON in bench/results/mixed/<UTC stamp>/.
#   bench/run.sh mixed            10 s per point (~4 min)
#   bench/run.sh mixed --quick    3 s per point, for development; noisy
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BENCH_DLL="$ROOT/bench/InferenceService.Bench/bin/Release/net10.0/InferenceService.Bench.dll"
SERVICE_DLL="$ROOT/src/InferenceService/bin/Release/net10.0/InferenceService.dll"
SECONDS_PER_POINT=10; RAW_SECONDS=10; WARMUP_SECONDS=2
if [[ "${1:-}" == "--quick" ]]; then SECONDS_PER_POINT=3; RAW_SECONDS=3; WARMUP_SECONDS=1; fi
# (clients, texts per request) per point.
POINTS=("8 1" "32 1" "32 4")
# MiniLM's dynamic_batching (kept in step with models/minilm/config.json) with token budgets: none, 8192 (shipped until
# 2026-12-02), 2048 (shipped since) and 1024; MIXED_BUDGETS="2048" runs only those named.
BATCHING='"max_queue_size": 2048, "length_buckets": [16, 32, 64, 128, 256]'
VARIANTS=("no-budget|{\"dynamic_batching\": {$BATCHING}}")
for budget in ${MIXED_BUDGETS:-8192 2048 1024}; do
  VARIANTS+=("budget-$budget|{\"dynamic_batching\": {$BATCHING, \"max_batch_tokens\": $budget}}")
done

RUN="$(mktemp -d "${TMPDIR:-/tmp}/inference-mixed.XXXXXX")"
mkdir -p "$RUN/logs" "$RUN/points"
PIDS=()
. "$ROOT/bench/service.sh"
trap cleanup EXIT
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

build_release

echo "== raw ONNX Runtime: the mixed sentences in ideal batches, the best of a budget and row-cap sweep ($RAW_SECONDS s)"
dotnet "$BENCH_DLL" mixed-raw --models "$ROOT/models" --seconds "$RAW_SECONDS" --sweep --out "$RUN/points/raw.json"

for variant in "${VARIANTS[@]}"; do
  label="${variant%%|*}"
  echo "== /v1/text/embeddings, dynamic_batching $label"
  # Served as minilm: the text endpoints call the model of that name.
  dotnet "$BENCH_DLL" variant --models "$ROOT/models" --model minilm --name minilm --out "$RUN/repo-$label" --set-json "${variant#*|}"
  start_service "$label" "$RUN/repo-$label"
  for point in "${POINTS[@]}"; do
    read -r clients texts <<<"$point"
    dotnet "$BENCH_DLL" mixed-load --base "$BASE/" --models "$ROOT/models" --clients "$clients" --texts "$texts" \
      --seconds "$SECONDS_PER_POINT" --warmup "$WARMUP_SECONDS" --out "$RUN/points/$label-c$clients-t$texts.json"
  done
  cleanup; PIDS=()
done

mkdir -p "$ROOT/bench/results/mixed"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
cp -r "$RUN/points" "$ROOT/bench/results/mixed/$STAMP"
python3 - "$RUN/points" "$LOAD_BEFORE" "$(cut -d' ' -f1-3 /proc/loadavg)" "$SECONDS_PER_POINT" <<'PY'
import json, sys, os, glob
points, before, after, seconds = sys.argv[1:]
raw = json.load(open(os.path.join(points, "raw.json")))
def ms(v): return "—" if v is None else f"{v:.1f}"
print(f"\nMixed-length text (8–256 tokens), {seconds} s per point; load average before {before}, after {after}\n")
if raw.get("sweep"):
    print("Raw batching sweep (one pass over a sample of the same sentences each): " + ", ".join(
        f"{p['budget']}/{p['max_rows']} rows {p['sentences_per_second']:.1f}/s" for p in raw["sweep"]) + "\n")
print(f"Raw ONNX Runtime, ideal batches, best of the sweep (budget {raw['budget']}, at most {raw['max_batch_size']} rows, {raw['ideal_batches']} batches, {raw['padding_share']:.1%} padding): "
      f"{raw['sentences_per_second']:.1f} sentences/s, {raw['tokens_per_second']:.0f} tokens/s ({raw['provider']}, {raw['intra_op_threads']} threads)\n")
print("| dynamic_batching | clients | texts/request | sentences/s | ÷ raw | p50 / p99 ms | mean batch rows | errors |")
print("|---|---|---|---|---|---|---|---|")
for path in sorted(glob.glob(os.path.join(points, "*-c*-t*.json"))):
    p = json.load(open(path))
    label = os.path.basename(path).rsplit("-c", 1)[0]
    errors = ", ".join(f"{k}: {v}" for k, v in p["errors"].items()) or "0"
    print(f"| {label} | {p['clients']} | {p['texts_per_request']} | {p['sentences_per_second']:.1f} | {p['sentences_per_second'] / raw['sentences_per_second']:.2f} | "
          f"{ms(p['p50_ms'])} / {ms(p['p99_ms'])} | {p['mean_batch_rows']:.1f} | {errors} |")
PY
echo "raw files of this run: $RUN"
