#!/usr/bin/env bash
# Overload with admission (run it as bench/run.sh overload [--quick]): ResNet18 (raw binary bodies, 602 KB) and MiniLM
# seq 16 (V2 JSON), each with a queue timeout, first at a load that saturates the model (the baseline), then from 512
# connections at once. The load generator shares the cores with the service, as in the other benches.
# Clients wait a refusal's Retry-After before resending; one more MiniLM point resends at once (a refusal storm), and
# one more ResNet18 point sends Expect: 100-continue (as curl does for large bodies: a refused body is never sent).
# Prints one markdown table (refusal and admitted latencies, admitted throughput vs the baseline) and keeps the JSON.
#   bench/run.sh overload            10 s per point (~2 min)
#   bench/run.sh overload --quick    3 s per point, for development; noisy
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BENCH_DLL="$ROOT/bench/InferenceService.Bench/bin/Release/net10.0/InferenceService.Bench.dll"
SERVICE_DLL="$ROOT/src/InferenceService/bin/Release/net10.0/InferenceService.dll"
SECONDS_PER_POINT=10
if [[ "${1:-}" == "--quick" ]]; then SECONDS_PER_POINT=3; fi
RUN="$(mktemp -d "${TMPDIR:-/tmp}/inference-overload.XXXXXX")"
mkdir -p "$RUN/logs" "$RUN/points" "$RUN/repo"
PIDS=()
. "$ROOT/bench/service.sh"
trap cleanup EXIT
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

build_release

# The shipped queues, plus a queue timeout: the expected-wait refusal needs one (no new knob).
dotnet "$BENCH_DLL" variant --models "$ROOT/models" --model resnet18 --name resnet18 --out "$RUN/repo" \
  --set-json '{"dynamic_batching": {"max_queue_size": 256, "default_timeout_microseconds": 2000000}}'
dotnet "$BENCH_DLL" variant --models "$ROOT/models" --model minilm --name minilm --out "$RUN/repo" \
  --set-json '{"dynamic_batching": {"max_queue_size": 2048, "default_timeout_microseconds": 1000000, "length_buckets": [16, 32, 64, 128, 256]}}'
start_service overload "$RUN/repo"
SERVICE_PID="${PIDS[-1]}"

# point NAME MODEL CONNECTIONS SECONDS BODY TYPE [--raw-binary]
point() {
  dotnet "$BENCH_DLL" overload --base "$BASE" --model "$2" --connections "$3" --seconds "$4" --body "$5" --content-type "$6" ${7:-} \
    --service-pid "$SERVICE_PID" --out "$RUN/points/$1.json"
}

echo "== ResNet18, raw binary"
point resnet18-warmup resnet18 8 2 "$RUN/bodies/resnet18.bin" application/octet-stream --raw-binary >/dev/null
point resnet18-baseline resnet18 16 "$SECONDS_PER_POINT" "$RUN/bodies/resnet18.bin" application/octet-stream --raw-binary
point resnet18-overload resnet18 512 "$SECONDS_PER_POINT" "$RUN/bodies/resnet18.bin" application/octet-stream --raw-binary
point resnet18-continue resnet18 512 "$SECONDS_PER_POINT" "$RUN/bodies/resnet18.bin" application/octet-stream "--raw-binary --expect-continue"
echo "== MiniLM seq 16, V2 JSON"
point minilm-warmup minilm 8 2 "$RUN/bodies/minilm16.json" application/json >/dev/null
point minilm-baseline minilm 32 "$SECONDS_PER_POINT" "$RUN/bodies/minilm16.json" application/json
point minilm-overload minilm 512 "$SECONDS_PER_POINT" "$RUN/bodies/minilm16.json" application/json
point minilm-storm minilm 512 "$SECONDS_PER_POINT" "$RUN/bodies/minilm16.json" application/json --ignore-retry-after

mkdir -p "$ROOT/bench/results/overload"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
cp -r "$RUN/points" "$ROOT/bench/results/overload/$STAMP"
python3 - "$RUN/points" "$LOAD_BEFORE" "$(cut -d' ' -f1-3 /proc/loadavg)" "$SECONDS_PER_POINT" <<'PY'
import json, sys, os
points, before, after, seconds = sys.argv[1:]
def load(name): return json.load(open(os.path.join(points, name + ".json")))
def ms(v): return "—" if v is None else f"{v:.1f}"
print(f"\nOverload, {seconds} s per point; load average before {before}, after {after}\n")
print("| model | connections | 200/s | 200 p50 / p99 ms | 503 count | 503 p50 / p99 ms | 503 upload p50 / p99 ms | other | 200/s ÷ baseline | in the model: request / queue mean ms | CPU s/s service / generator |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for model in ("resnet18", "minilm"):
    base = load(f"{model}-baseline")
    for kind in ("baseline", "overload", "continue", "storm"):
        if not os.path.exists(os.path.join(points, f"{model}-{kind}.json")):
            continue
        p = load(f"{model}-{kind}")
        a, r = p["admitted"], p["refused"]
        ratio = a["per_second"] / base["admitted"]["per_second"] if base["admitted"]["per_second"] else float("nan")
        label = f"{p['connections']}" + {"storm": " (ignoring Retry-After)", "continue": " (Expect: 100-continue)"}.get(kind, "")
        print(f"| {model} | {label} | {a['per_second']:.1f} | {ms(a['p50_ms'])} / {ms(a['p99_ms'])} | {r['count']} | {ms(r['p50_ms'])} / {ms(r['p99_ms'])} | {ms(p['refused_upload']['p50_ms'])} / {ms(p['refused_upload']['p99_ms'])} | {p['other']} | {ratio:.2f} | {p['server']['success_mean_ms']:.1f} / {p['server']['queue_mean_ms']:.1f} | {p['cpu']['service'] / p['seconds']:.2f} / {p['cpu']['generator'] / p['seconds']:.2f} |")
PY
