#!/usr/bin/env bash
# One model beside another, A/B (issue 17 item 6): for each variant, a service on 127.0.0.1 and then
#   MiniLM seq 16 paced open loop alone (and the service's CPU seconds per request),
#   ResNet18 saturated alone (16 closed-loop clients), then both together, at each pace in PACES.
# Variants alternate (A B A B ...) so that their ratios come from the same minutes of a shared machine.
#   bench/rate.sh [--seconds S] [--rounds N] [--paces "20 5"] [--no-build] NAME='SERVICE ARGS' NAME='SERVICE ARGS' ...
#   e.g. bench/rate.sh off='--Scheduling:CoreBudget=0' on=''
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BENCH_DLL="$ROOT/bench/InferenceService.Bench/bin/Release/net10.0/InferenceService.Bench.dll"
SERVICE_DLL="$ROOT/src/InferenceService/bin/Release/net10.0/InferenceService.dll"
SECONDS_PER_POINT=6
ROUNDS=1
PACES="20"
BUILD=true
VARIANTS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) SECONDS_PER_POINT="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --paces) PACES="$2"; shift 2 ;;
    --no-build) BUILD=false; shift ;;
    *=*) VARIANTS+=("$1"); shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ ${#VARIANTS[@]} -gt 0 ]] || VARIANTS=("shipped=")

RUN="$(mktemp -d "${TMPDIR:-/tmp}/inference-rate.XXXXXX")"
mkdir -p "$RUN/logs" "$RUN/paced"
PIDS=()
. "$ROOT/bench/service.sh"
trap cleanup EXIT
if $BUILD; then build_release; else dotnet "$BENCH_DLL" bodies --out "$RUN/bodies" >/dev/null; fi
B="$RUN/bodies"
echo "date $(date -u '+%Y-%m-%d %H:%M UTC'), load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"

# The service's user + system CPU ticks (1/100 s) so far.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# start_variant NAME WORDS: as start_service; WORDS starting with -- are appended to the command line, others
# (NAME=VALUE) are set in its environment.
start_variant() {
  local name="$1" port word envs=() args=()
  for word in $2; do if [[ "$word" == --* ]]; then args+=("$word"); else envs+=("$word"); fi; done
  port="$(free_port)"
  env ASPNETCORE_ENVIRONMENT=Production "${envs[@]}" dotnet "$SERVICE_DLL" --urls "http://127.0.0.1:$port" --Grpc:Url= \
    --ModelRepository:Path="$ROOT/models" --Logging:LogLevel:Default=Warning "${args[@]}" >"$RUN/logs/$name.log" 2>&1 &
  PIDS+=("$!")
  BASE="http://127.0.0.1:$port"
  for _ in $(seq 1 240); do
    curl -fs "$BASE/v2/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "$name did not become ready" >&2; tail -n 40 "$RUN/logs/$name.log" >&2; exit 1
}

# paced LABEL RATE: MiniLM seq 16 at RATE/s open loop; prints p50 and the service's CPU ms per request.
paced() {
  local label="$1" rate="$2" before after
  before="$(ticks "${PIDS[-1]}")"
  dotnet "$BENCH_DLL" sweep --base "$BASE" --model minilm --workload minilm16 --label "$label" --kind static \
    --body "$B/minilm16-binout.json" --content-type application/json --capacity "$rate" --fractions 1 \
    --seconds "$SECONDS_PER_POINT" --warmup 0.5 --out "$RUN/paced/$label.json" >/dev/null
  after="$(ticks "${PIDS[-1]}")"
  python3 - "$RUN/paced/$label.json" "$before" "$after" "$rate" "$SECONDS_PER_POINT" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["points"][0]
cpu_s = (int(sys.argv[3]) - int(sys.argv[2])) / 100
reqs = float(sys.argv[4]) * (float(sys.argv[5]) + 0.5)
print(f"p50 {r['p50_ms']:.2f} ms  p99 {r['p99_ms']:.2f} ms  ok {r['ok']}  failed {r['non2xx'] + r['errors'] + r['skipped']}  service CPU {cpu_s:.2f} s ({1000 * cpu_s / reqs:.1f} ms/req)")
PY
}

# saturate SECONDS: ResNet18 V2 binary, 16 closed-loop clients; prints req/s and the service's CPU share of the cores.
saturate() {
  local seconds="$1" out="$2" before after
  before="$(ticks "${PIDS[-1]}")"
  BENCH_METHOD=POST BENCH_BODY="$B/resnet18.bin" BENCH_CONTENT_TYPE=application/octet-stream BENCH_RAW_BINARY=1 BENCH_OUT="$out" \
    wrk -t2 -c16 -d"${seconds}s" --timeout 10s -s "$ROOT/bench/wrk/request.lua" "$BASE/v2/models/resnet18/infer" >/dev/null
  after="$(ticks "${PIDS[-1]}")"
  python3 - "$out" "$before" "$after" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
seconds = r["duration_us"] / 1e6
cpu = (int(sys.argv[3]) - int(sys.argv[2])) / 100 / seconds
print(f"{r['requests'] / seconds:.2f} req/s  p50 {r['p50_us'] / 1000:.0f} ms  service CPU {cpu:.2f} cores")
PY
}

for round in $(seq 1 "$ROUNDS"); do
  for variant in "${VARIANTS[@]}"; do
    name="${variant%%=*}"
    start_variant "$name-$round" "${variant#*=}"
    BENCH_METHOD=POST BENCH_BODY="$B/resnet18.bin" BENCH_CONTENT_TYPE=application/octet-stream BENCH_RAW_BINARY=1 BENCH_OUT=/dev/null \
      wrk -t2 -c8 -d1s --timeout 10s -s "$ROOT/bench/wrk/request.lua" "$BASE/v2/models/resnet18/infer" >/dev/null
    echo "== $name (round $round, load $(cut -d' ' -f1 /proc/loadavg))"
    echo "   resnet18 alone       $(saturate "$SECONDS_PER_POINT" "$RUN/alone.json")"
    for pace in $PACES; do
      echo "   minilm $pace/s alone    $(paced "$name-$round-$pace-alone" "$pace")"
      saturate $((SECONDS_PER_POINT + 2)) "$RUN/beside.json" >"$RUN/beside.txt" &
      loader=$!
      sleep 1
      echo "   minilm $pace/s beside   $(paced "$name-$round-$pace-beside" "$pace")"
      wait "$loader"
      echo "   resnet18 beside $pace/s $(cat "$RUN/beside.txt")"
    done
    kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true; unset 'PIDS[-1]'
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); raw files: $RUN"
