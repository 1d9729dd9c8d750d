# Sourced by run.sh, latency.sh and overload.sh: build, start the Release service on a free 127.0.0.1 port, stop what was started.
# Needs RUN (with a logs/ folder), SERVICE_DLL and BENCH_DLL; appends to PIDS.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# start_service NAME REPOSITORY -> sets $BASE
start_service() {
  local name="$1" repo="$2" port
  port="$(free_port)"
  ASPNETCORE_ENVIRONMENT=Production dotnet "$SERVICE_DLL" --urls "http://127.0.0.1:$port" --Grpc:Url= \
    --ModelRepository:Path="$repo" --Logging:LogLevel:Default=Warning >"$RUN/logs/$name.log" 2>&1 &
  PIDS+=("$!")
  BASE="http://127.0.0.1:$port"
  for _ in $(seq 1 240); do
    if curl -fs "$BASE/v2/health/ready" >/dev/null 2>&1; then echo "   $name ready at $BASE"; return 0; fi
    sleep 0.5
  done
  echo "$name did not become ready; log:" >&2; tail -n 40 "$RUN/logs/$name.log" >&2; exit 1
}

# build_release: the Release service and bench, and the request bodies the benches send (in $RUN/bodies).
build_release() {
  echo "== build (Release)"
  dotnet build src/InferenceService -c Release -nologo -v q
  dotnet build bench/InferenceService.Bench -c Release -nologo -v q
  dotnet "$BENCH_DLL" bodies --out "$RUN/bodies"
}

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}

# write_meta FILE LOAD_BEFORE DURATION_S QUICK NOTE... : date, machine, load average before/after (after = now).
write_meta() {
  local machine
  machine="$(nproc) cores, $(. /etc/os-release && echo "$PRETTY_NAME"), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  python3 - "$1" "$2" "$(cut -d' ' -f1-3 /proc/loadavg)" "$machine" "$3" "$4" "${@:5}" <<'PY'
import json, sys, datetime
out, before, after, machine, duration, quick, *notes = sys.argv[1:]
json.dump({"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine,
           "load_before": before, "load_after": after, "duration_s": float(duration), "quick": quick == "true",
           "notes": notes}, open(out, "w"))
PY
}
