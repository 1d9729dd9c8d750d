#!/usr/bin/env bash
# The tiny-model path (issue 17): the recommender route against the trivial endpoint, as the service's CPU per request
# (utime + stime of the service process over a wrk run ÷ the requests it answered), which is steadier on shared cores
# than a throughput ratio; req/s is reported beside it. The recommender is alone in the repository.
#   bench/tiny.sh [--rounds N] [--seconds S] [--before DIR]
# --before DIR: a second build's output folder (a copy of src/InferenceService/bin/Release/net10.0 from another
# commit); both services run at once, idle but for the one under load, and their points alternate round by round.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ROUNDS=3 SECONDS_PER_POINT=4 CLIENTS=32 BEFORE=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --seconds) SECONDS_PER_POINT="$2"; shift 2 ;;
    --before) BEFORE="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
RUN="$(mktemp -d "${TMPDIR:-/tmp}/inference-tiny.XXXXXX")"
mkdir -p "$RUN/logs" "$RUN/repo" "$RUN/load"
PIDS=()
. "$ROOT/bench/service.sh"
trap cleanup EXIT
cp -r "$ROOT/models/recommender" "$RUN/repo/"
TICKS="$(getconf CLK_TCK)"

echo "== build (Release)"
dotnet build src/InferenceService -c Release -nologo -v q
SERVICE_DLL="$ROOT/src/InferenceService/bin/Release/net10.0/InferenceService.dll"
start_service after "$RUN/repo"
declare -A BASES PIDOF
BASES[after]="$BASE" PIDOF[after]="${PIDS[-1]}"
BUILDS=(after)
if [[ -n "$BEFORE" ]]; then
  SERVICE_DLL="$BEFORE/InferenceService.dll"
  start_service before "$RUN/repo"
  BASES[before]="$BASE" PIDOF[before]="${PIDS[-1]}"
  BUILDS=(before after)
fi

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# point BUILD SCENARIO PATH -> one wrk run; prints and records requests/s and CPU µs per request.
point() {
  local build="$1" scenario="$2" path="$3" pid="${PIDOF[$1]}" t0 t1 key
  key="$build.$scenario.$(date +%s%N)"
  t0="$(cpu_ticks "$pid")"
  BENCH_METHOD=GET BENCH_OUT="$RUN/load/$key.json" \
    wrk -t2 -c"$CLIENTS" -d"${SECONDS_PER_POINT}s" --timeout 10s -s "$ROOT/bench/wrk/request.lua" "${BASES[$build]}$path" >"$RUN/logs/$key.wrk.txt"
  t1="$(cpu_ticks "$pid")"
  python3 - "$RUN/load/$key.json" "$build" "$scenario" "$((t1 - t0))" "$TICKS" <<'PY' | tee -a "$RUN/points.tsv"
import json, sys
path, build, scenario, ticks, hz = sys.argv[1:]
r = json.load(open(path))
ok = r["requests"] - r["non2xx"]
if r["non2xx"]:
    print(f"# {build} {scenario}: {r['non2xx']} non-2xx answers", file=sys.stderr)
print(f"{build}\t{scenario}\t{ok / (r['duration_us'] / 1e6):.0f}\t{int(ticks) / int(hz) * 1e6 / max(ok, 1):.1f}\t{r['p50_us']}")
PY
}

REC=/v1/recommendations/recommender/users/1
echo "== warm-up"
for build in "${BUILDS[@]}"; do
  for path in /v2/health/live "$REC"; do
    BENCH_METHOD=GET BENCH_OUT=/dev/null wrk -t2 -c8 -d2s -s "$ROOT/bench/wrk/request.lua" "${BASES[$build]}$path" >/dev/null
  done
done
echo "== $ROUNDS rounds, $SECONDS_PER_POINT s per point, $CLIENTS connections (load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC'))"
printf 'build\tscenario\treq/s\tcpu_us/req\tp50_us\n'
for round in $(seq 1 "$ROUNDS"); do
  for build in "${BUILDS[@]}"; do
    point "$build" trivial /v2/health/live
    point "$build" recommender "$REC"
  done
done
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$RUN/points.tsv" <<'PY'
import collections, statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1])]
by = collections.defaultdict(list)
for build, scenario, rps, cpu, p50 in rows:
    by[(build, scenario)].append((float(rps), float(cpu)))
for build in dict.fromkeys(b for b, _ in by):
    t, r = by[(build, "trivial")], by[(build, "recommender")]
    med = lambda xs, i: statistics.median(x[i] for x in xs)
    print(f"{build}: trivial {med(t, 0):.0f} req/s {med(t, 1):.1f} us/req; recommender {med(r, 0):.0f} req/s {med(r, 1):.1f} us/req; "
          f"ratio (CPU) {med(t, 1) / med(r, 1):.2f}, ratio (req/s) {med(r, 0) / med(t, 0):.2f}")
PY
