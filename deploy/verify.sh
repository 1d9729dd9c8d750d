#!/usr/bin/env bash
# Verifies the deployment without a Docker engine:
#   1. docker-compose v1 validates docker-compose.yml (default profile, and with gpu + observability)
#   2. yamllint --strict on every YAML file (config: .yamllint)
#   3. dockerfilelint on the Dockerfile, plus its structure (stages, default target, cpu == cuda tails) and its base
#      image pins (SDK_TAG = global.json's SDK, ASPNET_TAG = the runtime that SDK ships)
#   4. every kustomize overlay rendered (kubectl kustomize); the rendered objects against the API schemas
#      (Kubernetes, KEDA, Prometheus operator: kubernetes-models packages; KServe: deploy/verify/types), unknown
#      fields included; each bad case in deploy/verify/cases rejected; cross-checks of all overlays
#   5. the Dockerfile's build stage emulated: context filtered by .dockerignore, its COPY and `RUN dotnet ...`
#      commands run verbatim; the cpu image's files assembled; the app started with the image's environment and
#      entry point (as UID 1654 when run as root), on 127.0.0.1 and a free port; the image's HEALTHCHECK command
#      until ready; every probe path and the V2 health routes; one V2 inference on minilm; a graceful stop
# Installs what it needs when missing (apt: docker-compose, yamllint, curl, python3-yaml; npm into .cache/npm:
# dockerfilelint, kubernetes-models, @kubernetes-models/keda, @kubernetes-models/prometheus-operator, typescript).
# Needs kubectl (for `kubectl kustomize`; on these machines it is installed). Prints "N passed, M failed" last; exits non-zero on any failure.
#
#   deploy/verify.sh                 everything
#   deploy/verify.sh --static        steps 1-4 only (no dotnet publish, no server)
# Environment: VERIFY_READY_TIMEOUT (seconds, default 180); VERIFY_KEEP=1 keeps the scratch folder (kept anyway
# after a failure), TMPDIR picks where it goes.
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
NPM_PREFIX="$REPO/.cache/npm"
PY=/usr/bin/python3
READY_TIMEOUT="${VERIFY_READY_TIMEOUT:-180}"
STATIC_ONLY=0
[[ "${1:-}" == "--static" ]] && STATIC_ONLY=1

passed=0
failed=0
failures=()
SCRATCH=""
SERVER_PID=""

say() { printf '\n== %s\n' "$*"; }
pass() { passed=$((passed + 1)); printf 'PASS: %s\n' "$1"; }
fail() { failed=$((failed + 1)); failures+=("$1"); printf 'FAIL: %s\n' "$1" >&2; }
die() { printf 'verify: %s\n' "$*" >&2; summary; exit 1; }

summary() {
  printf '\n'
  for f in "${failures[@]+"${failures[@]}"}"; do printf 'failed: %s\n' "$f"; done
  printf 'verify: %d passed, %d failed\n' "$passed" "$failed"
}

cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null
    for _ in $(seq 1 30); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ -z "$SCRATCH" ]]; then return; fi
  if [[ "${VERIFY_KEEP:-0}" == 1 || $failed -gt 0 ]]; then
    echo "verify: scratch folder kept for inspection (build.log, server.log): $SCRATCH" >&2
  else
    rm -rf "$SCRATCH"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- tools ----
apt_updated=0
apt_install() {
  if [[ $(id -u) -ne 0 ]]; then die "missing $*: install them (apt-get install $*) or run as root"; fi
  if [[ $apt_updated -eq 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed"
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || die "apt-get install $* failed"
}

say "tools"
command -v docker-compose >/dev/null || apt_install docker-compose
command -v yamllint >/dev/null || apt_install yamllint
command -v curl >/dev/null || apt_install curl
[[ -x "$PY" ]] && "$PY" -c 'import yaml' 2>/dev/null || apt_install python3 python3-yaml
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
command -v kubectl >/dev/null || die "kubectl is missing (kubectl kustomize renders the overlays): install kubectl"
NPM_PACKAGES=(dockerfilelint@1.8.0 kubernetes-models@5.1.0 @kubernetes-models/keda@2.0.0
  @kubernetes-models/prometheus-operator@6.0.0 typescript@5.9.3)
if [[ ! -x "$NPM_PREFIX/node_modules/.bin/dockerfilelint" || ! -d "$NPM_PREFIX/node_modules/kubernetes-models" \
  || ! -d "$NPM_PREFIX/node_modules/@kubernetes-models/keda" || ! -d "$NPM_PREFIX/node_modules/typescript" \
  || ! -d "$NPM_PREFIX/node_modules/@kubernetes-models/prometheus-operator" ]]; then
  npm install --prefix "$NPM_PREFIX" --no-audit --no-fund --loglevel=error "${NPM_PACKAGES[@]}" \
    >/dev/null || die "npm install of ${NPM_PACKAGES[*]} failed"
fi
printf '%s\n' "$(docker-compose version --short 2>/dev/null | head -1) (docker-compose)" \
  "$(yamllint --version)" "dockerfilelint $(node -p "require('$NPM_PREFIX/node_modules/dockerfilelint/package.json').version")" \
  "kubernetes-models $(node -p "require('$NPM_PREFIX/node_modules/kubernetes-models/package.json').version")" \
  "typescript $(node -p "require('$NPM_PREFIX/node_modules/typescript/package.json').version")" \
  "kubectl $(kubectl version --client -o json 2>/dev/null | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["kustomizeVersion"])' \
    2>/dev/null) (kustomize)"

# ---- 1. compose ----
say "docker-compose config (v1 schema)"
if out=$(docker-compose -f docker-compose.yml config -q 2>&1) && [[ -z "$out" ]]; then
  pass "docker-compose.yml validates (default profile)"
else
  printf '%s\n' "$out" >&2; fail "docker-compose.yml (default profile)"
fi
if out=$(docker-compose -f docker-compose.yml --profile gpu --profile observability config -q 2>&1) && [[ -z "$out" ]]; then
  pass "docker-compose.yml validates (profiles gpu, observability)"
else
  printf '%s\n' "$out" >&2; fail "docker-compose.yml (profiles gpu, observability)"
fi
services=$(docker-compose -f docker-compose.yml --profile gpu --profile observability config --services 2>/dev/null | sort | xargs)
if [[ "$services" == "grafana inference inference-gpu prometheus" ]]; then
  pass "compose services: $services"
else
  fail "compose services are '$services', expected 'grafana inference inference-gpu prometheus'"
fi

# ---- 2. YAML ----
say "yamllint --strict"
yaml_count=$(yamllint --list-files . | wc -l)
if yamllint --strict --format parsable . && [[ $yaml_count -gt 0 ]]; then
  pass "yamllint: $yaml_count YAML files clean"
else
  fail "yamllint"
fi
if "$PY" -m json.tool deploy/grafana/dashboards/inference-service.json >/dev/null; then
  pass "Grafana dashboard JSON parses"
else
  fail "deploy/grafana/dashboards/inference-service.json is not valid JSON"
fi

# ---- 3. Dockerfile ----
say "dockerfilelint"
if "$NPM_PREFIX/node_modules/.bin/dockerfilelint" Dockerfile; then pass "dockerfilelint: Dockerfile clean"; else fail "dockerfilelint"; fi
if "$PY" deploy/verify/dockerfile.py check Dockerfile; then pass "Dockerfile structure"; else fail "Dockerfile structure"; fi
# Base image pins: SDK_TAG is global.json's SDK, ASPNET_TAG the runtime that SDK ships (from its bundled versions).
sdk_pin=$("$PY" -c 'import json; print(json.load(open("global.json"))["sdk"]["version"])')
sdk_dir=$(dotnet --list-sdks 2>/dev/null | awk -v v="$sdk_pin" '$1 == v { gsub(/[][]/, "", $2); print $2 "/" v }')
runtime_pin=$(sed -n 's:.*<BundledNETCoreAppPackageVersion>\(.*\)</BundledNETCoreAppPackageVersion>.*:\1:p' \
  "${sdk_dir:-/nonexistent}/Microsoft.NETCoreSdk.BundledVersions.props" 2>/dev/null)
if [[ -z "$runtime_pin" ]]; then
  fail "Dockerfile pins: SDK $sdk_pin (global.json) is not installed here, so its runtime version is unknown"
elif "$PY" deploy/verify/dockerfile.py pins Dockerfile "$sdk_pin" "$runtime_pin"; then
  pass "Dockerfile pins match global.json (sdk:$sdk_pin, aspnet:$runtime_pin)"
else
  fail "Dockerfile pins"
fi

# ---- 4. Kubernetes ----
say "kustomize overlays (kubectl kustomize)"
for overlay in deploy/kustomize/overlays/*/; do
  overlay=${overlay%/}
  if out=$(kubectl kustomize "$overlay" 2>&1); then
    pass "$overlay renders: $(printf '%s\n' "$out" | grep -c '^kind:') objects"
  else
    printf '%s\n' "$out" >&2; fail "$overlay does not render"
  fi
done

say "schemas: Kubernetes, KEDA, Prometheus operator, KServe (unknown fields included)"
if "$PY" deploy/verify/manifests.py k8s-json "$REPO" \
  | node deploy/verify/k8s-schema.mjs "$NPM_PREFIX/node_modules" deploy/verify/types "$NPM_PREFIX/schema-check"; then
  pass "every overlay's objects match their schemas"
else
  fail "schema validation of the overlays"
fi
# The check must fail on what the controllers would reject: each case is one such object; its "# expect:" line
# is a word the rejection must name.
for case in deploy/verify/cases/*.yaml; do
  expect=$(sed -n 's/^# expect: //p' "$case")
  out=$("$PY" deploy/verify/manifests.py yaml-json "$case" \
    | node deploy/verify/k8s-schema.mjs "$NPM_PREFIX/node_modules" deploy/verify/types "$NPM_PREFIX/schema-case" 2>&1)
  if [[ $? -ne 0 ]] && grep -qF -- "$expect" <<<"$out"; then
    pass "bad case $(basename "$case") rejected: $(grep -m1 -A1 '^INVALID' <<<"$out" | tail -1 | sed 's/^ *//')"
  else
    printf '%s\n' "$out" >&2; fail "bad case $case was not rejected naming '$expect'"
  fi
done
if "$PY" deploy/verify/manifests.py check "$REPO"; then pass "manifests consistent"; else fail "manifest cross-checks"; fi

if [[ $STATIC_ONLY -eq 1 ]]; then summary; [[ $failed -eq 0 ]]; exit; fi

# ---- 5. build as the Dockerfile does, run as the image does ----
say "build stage (dotnet publish as in the Dockerfile)"
SCRATCH=$(mktemp -d -t inference-verify.XXXXXX)  # under TMPDIR, default /tmp
chmod 755 "$SCRATCH"
build_log="$SCRATCH/build.log"
# No MSBuild nodes or compiler server left running afterwards (the Docker build stage exits with its container).
build_stage() {
  rm -rf "$SCRATCH/root"
  MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 UseSharedCompilation=false DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 timeout 1200 nice -n 10 \
    "$PY" deploy/verify/dockerfile.py build Dockerfile "$REPO" "$SCRATCH/root" build >"$build_log" 2>&1
}
# One retry: on a shared machine another user's clean-up (pkill -f ...) can stop the publish midway, which shows as
# a publish that prints nothing. A real build error fails twice.
if build_stage || { tail -5 "$build_log" >&2; echo "build stage failed; retrying once" >&2; build_stage; }; then
  grep -E '^(build context|COPY|RUN|  as:)|Provisioned|provisioned|error' "$build_log"
  pass "build stage: restore, publish, weights provisioned"
else
  tail -40 "$build_log" >&2
  fail "build stage (log: $build_log)"
  die "cannot run the app without a build"
fi

say "image filesystem and configuration (target cpu)"
image_sh=$("$PY" deploy/verify/dockerfile.py image Dockerfile "$SCRATCH/root" cpu 2>"$SCRATCH/image.log") \
  || { cat "$SCRATCH/image.log" >&2; die "cannot assemble the cpu image's files"; }
cat "$SCRATCH/image.log"
eval "$image_sh"
printf 'WORKDIR %s\nENV %s\nUSER %s\nENTRYPOINT/CMD %s\nHEALTHCHECK %s\n' "$IMAGE_WORKDIR" "${IMAGE_ENV_DECLARED[*]}" \
  "$IMAGE_USER" "${IMAGE_COMMAND[*]}" "$IMAGE_HEALTHCHECK"
[[ ${#IMAGE_COMMAND[@]} -gt 0 && -n "$IMAGE_HEALTHCHECK" ]] || die "the cpu stage has no ENTRYPOINT or HEALTHCHECK"

port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
grpc_port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
# The image's environment, with the port swapped for a free one and Kestrel kept on the loopback interface
# (ASPNETCORE_URLS wins over ASPNETCORE_HTTP_PORTS); DOTNET_RUNNING_IN_CONTAINER comes from the ASP.NET base image.
run_env=(PATH="$(dirname "$(readlink -f "$(command -v dotnet)")"):/usr/local/bin:/usr/bin:/bin" HOME="$SCRATCH/home"
  DOTNET_RUNNING_IN_CONTAINER=true "${IMAGE_ENV[@]}" ASPNETCORE_HTTP_PORTS="$port" ASPNETCORE_URLS="$base" Grpc__Url="http://127.0.0.1:$grpc_port")
mkdir -p "$SCRATCH/home"
as_user=()
# HOME stays root-owned, like /home/app under Kubernetes' readOnlyRootFilesystem: only /tmp is writable there.
if [[ $(id -u) -eq 0 && "$IMAGE_USER" =~ ^[0-9]+$ ]] && command -v setpriv >/dev/null; then
  candidate=(setpriv --reuid="$IMAGE_USER" --regid="$IMAGE_USER" --clear-groups)
  if (cd "$IMAGE_WORKDIR" && env -i "${run_env[@]}" "${candidate[@]}" dotnet --list-runtimes >/dev/null 2>&1); then
    as_user=("${candidate[@]}")
    echo "running as UID $IMAGE_USER; app, models and HOME owned by root (as in the image under Kubernetes)"
  else
    echo "note: UID $IMAGE_USER cannot reach dotnet or $SCRATCH here; running as $(id -un)"
  fi
fi

say "run: ${IMAGE_COMMAND[*]} on $base"
server_log="$SCRATCH/server.log"
(cd "$IMAGE_WORKDIR" && exec env -i "${run_env[@]}" "${as_user[@]}" "${IMAGE_COMMAND[@]}") >"$server_log" 2>&1 &
SERVER_PID=$!

ready=0
start=$SECONDS
while (( SECONDS - start < READY_TIMEOUT )); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
  if env ASPNETCORE_HTTP_PORTS="$port" sh -c "$IMAGE_HEALTHCHECK" 2>/dev/null; then ready=1; break; fi
  sleep 1
done
if [[ $ready -eq 1 ]]; then
  pass "ready after $((SECONDS - start)) s (the image's HEALTHCHECK command passed)"
else
  tail -40 "$server_log" >&2
  if kill -0 "$SERVER_PID" 2>/dev/null; then fail "not ready within $READY_TIMEOUT s"; else fail "the app exited before it was ready"; fi
  die "see $server_log"
fi

for path in $("$PY" deploy/verify/manifests.py probe-paths "$REPO"); do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$base$path")
  if [[ "$code" == 200 ]]; then pass "probe path $path -> 200"; else fail "probe path $path -> $code"; fi
done

while IFS=$'\t' read -r service command; do
  if env ASPNETCORE_HTTP_PORTS="$port" sh -c "$command" >/dev/null 2>&1; then
    pass "compose health check of $service passes"
  else
    fail "compose health check of $service: $command"
  fi
done < <("$PY" deploy/verify/manifests.py compose-healthchecks "$REPO")

# The Open Inference Protocol's own health routes (KServe and V2 clients use them).
for path in /v2/health/live /v2/health/ready /v2/models/minilm/ready; do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$base$path")
  if [[ "$code" == 200 ]]; then pass "V2 route $path -> 200"; else fail "V2 route $path -> $code"; fi
done

say "V2 inference: POST /v2/models/minilm/infer"
request='{"inputs":[{"name":"input_ids","shape":[1,7],"datatype":"INT64","data":[101,2023,2003,1037,3231,1012,102]},{"name":"attention_mask","shape":[1,7],"datatype":"INT64","data":[1,1,1,1,1,1,1]},{"name":"token_type_ids","shape":[1,7],"datatype":"INT64","data":[0,0,0,0,0,0,0]}]}'
code=$(curl -s -o "$SCRATCH/infer.json" -w '%{http_code}' --max-time 30 -H 'Content-Type: application/json' \
  -X POST --data "$request" "$base/v2/models/minilm/infer")
if [[ "$code" == 200 ]] && "$PY" - "$SCRATCH/infer.json" <<'EOF'
import json, math, sys
body = json.load(open(sys.argv[1]))
out = {o["name"]: o for o in body["outputs"]}["last_hidden_state"]
assert out["shape"] == [1, 7, 384], f"shape {out['shape']}"
assert out["datatype"] == "FP32", out["datatype"]
assert len(out["data"]) == 7 * 384 and all(math.isfinite(v) for v in out["data"]), "data"
print(f"model {body['model_name']} version {body.get('model_version')}: last_hidden_state FP32 {out['shape']}, "
      f"first values {out['data'][:3]}")
EOF
then
  pass "minilm inference: 200, last_hidden_state [1,7,384]"
else
  printf 'HTTP %s: %s\n' "$code" "$(head -c 600 "$SCRATCH/infer.json" 2>/dev/null)" >&2
  fail "minilm inference"
fi

say "stop (SIGTERM, as docker stop and Kubernetes do)"
kill -TERM "$SERVER_PID"
stopped=0
for _ in $(seq 1 30); do kill -0 "$SERVER_PID" 2>/dev/null || { stopped=1; break; }; sleep 1; done
if [[ $stopped -eq 1 ]]; then
  wait "$SERVER_PID"; rc=$?
  SERVER_PID=""
  if [[ $rc -eq 0 ]]; then pass "stopped gracefully (exit 0)"; else fail "exit code $rc after SIGTERM"; fi
else
  fail "still running 30 s after SIGTERM"
fi
echo "server warnings (the CUDA provider's is expected without CUDA 13):"
grep -A1 -E '^warn:' "$server_log" | cut -c1-240 || echo "  none"
if grep -E '^(fail|crit):' "$server_log" | grep -v 'HealthChecks' >&2; then
  fail "the server logged errors (see above; log: $server_log)"
fi

summary
[[ $failed -eq 0 ]]
