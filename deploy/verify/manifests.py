#!/usr/bin/env python3
"""Cross-checks of the deployment files that no linter makes (used by verify.sh).

  manifests.py check REPO         per rendered overlay (deploy/kustomize/overlays/*, `kubectl kustomize`): ConfigMap ==
                                  models/*/config.json, every model config mounted; selectors, ports, one autoscaler per
                                  Deployment, the queue-depth query in the ScaledObject's namespace; images with a registry
                                  host; monitors with a release label; GPU pods pinned to R580+ drivers; KServe names clear
                                  of the plain Service, runtime ports per protocol, seccomp, mode-specific settings; every
                                  grace period covers preStop + ShutdownDelaySeconds + DrainTimeoutSeconds + 5
  manifests.py k8s-json REPO      every object of every rendered overlay as a JSON array (for k8s-schema.mjs)
  manifests.py yaml-json FILE...  the objects of YAML files as the same JSON array (verify.sh's bad cases)
  manifests.py probe-paths REPO   the HTTP paths that probes and health checks call, one a line
  manifests.py compose-healthchecks REPO   our compose services' CMD-SHELL health checks: NAME<TAB>COMMAND
  manifests.py sync REPO          rewrite the ConfigMap data and the Deployments' config mounts from models/*/config.json
                                  (run it after adding a model or changing a config)
"""
import glob
import json
import os
import re
import subprocess
import sys

import yaml

METRIC = "inference_pending_requests"
# NVIDIA GPU feature discovery's driver label (older releases: nvidia.com/cuda.driver.major).
DRIVER_LABELS = {"nvidia.com/cuda.driver-version.major", "nvidia.com/cuda.driver.major"}

# The service's defaults (src/InferenceService/Hosting/ModelRepositoryOptions.cs) and the margin its host adds after
# the drain (ModelLoaderService.ShutdownMargin); Kubernetes' default grace period.
SHUTDOWN_DEFAULTS = {"ModelRepository__ShutdownDelaySeconds": 0.0, "ModelRepository__DrainTimeoutSeconds": 30.0}
SHUTDOWN_MARGIN = 5
DEFAULT_GRACE = 30


def load_all(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def overlays(repo):
    root = os.path.join(repo, "deploy", "kustomize", "overlays")
    return sorted(d for d in os.listdir(root) if os.path.isfile(os.path.join(root, d, "kustomization.yaml")))


_rendered = {}


def render(repo, overlay):
    """The overlay as `kubectl kustomize` renders it (what `kubectl apply -k` would send)."""
    key = (repo, overlay)
    if key not in _rendered:
        path = os.path.join(repo, "deploy", "kustomize", "overlays", overlay)
        result = subprocess.run(["kubectl", "kustomize", path], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise SystemExit(f"kubectl kustomize {os.path.relpath(path, repo)} failed:\n{result.stderr}")
        _rendered[key] = [d for d in yaml.safe_load_all(result.stdout) if isinstance(d, dict)]
    return _rendered[key]


def rendered_objects(repo):
    """(where, object) for every object of every overlay; where = overlays/NAME."""
    return [(f"overlays/{o}", d) for o in overlays(repo) for d in render(repo, o)]


def containers_of(doc):
    kind = doc["kind"]
    if kind == "Deployment":
        return doc["spec"]["template"]["spec"]["containers"]
    if kind == "ServingRuntime":
        return doc["spec"]["containers"]
    return []


def walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def shutdown_seconds(container, extra_env=()):
    """preStop + ShutdownDelaySeconds + DrainTimeoutSeconds + margin for a container, with the terms; None if unknown."""
    env = {e["name"]: e.get("value") for e in list(container.get("env", [])) + list(extra_env)}
    terms = {name.split("__")[1]: float(env.get(name) or default) for name, default in SHUTDOWN_DEFAULTS.items()}
    pre_stop = container.get("lifecycle", {}).get("preStop")
    if pre_stop is None:
        terms = {"preStop": 0.0, **terms}
    elif "sleep" in pre_stop:
        terms = {"preStop": float(pre_stop["sleep"]["seconds"]), **terms}
    elif pre_stop.get("exec", {}).get("command", [])[:1] == ["sleep"] and len(pre_stop["exec"]["command"]) == 2:
        terms = {"preStop": float(pre_stop["exec"]["command"][1]), **terms}
    else:
        return None, terms
    return sum(terms.values()) + SHUTDOWN_MARGIN, terms


def check_grace(errors, where, grace, container, extra_env=()):
    needed, terms = shutdown_seconds(container, extra_env)
    if needed is None:
        errors.append(f"{where}: cannot tell how long the preStop hook takes; use sleep N")
    elif grace < needed:
        formula = " + ".join(f"{name} {value:g}" for name, value in terms.items())
        errors.append(f"{where}: terminationGracePeriodSeconds {grace} < {formula} + {SHUTDOWN_MARGIN} = {needed:g}")


def image_has_registry(image):
    """True when the reference names a registry host: its first path part has a dot or a port, or is localhost."""
    first = image.split("/", 1)[0] if "/" in image else ""
    return "." in first or ":" in first or first == "localhost"


def port_of(url):
    match = re.search(r":(\d+)/?$", url or "")
    return int(match.group(1)) if match else None


def gpu_affinity_ok(pod):
    """A pod asking for nvidia.com/gpu must require nodes whose driver runs CUDA 13 (R580+) through a Gt rule."""
    terms = (pod.get("affinity", {}).get("nodeAffinity", {}).get("requiredDuringSchedulingIgnoredDuringExecution", {})
             .get("nodeSelectorTerms", []))
    return bool(terms) and all(
        any(e["key"] in DRIVER_LABELS and e["operator"] == "Gt" and int(e["values"][0]) >= 579
            for e in term.get("matchExpressions", []))
        for term in terms)


def check_overlay(repo, overlay, docs, models, errors):
    where = f"overlays/{overlay}"
    by_kind = {}
    for doc in docs:
        by_kind.setdefault(doc["kind"], []).append(doc)
    names = lambda kind: {d["metadata"]["name"] for d in by_kind.get(kind, [])}  # noqa: E731

    # Images: one reference with a registry host (a bare name means Docker Hub's library namespace).
    for doc in docs:
        for node in walk(doc.get("spec", {})):
            for container in node.get("containers", []) if isinstance(node.get("containers"), list) else []:
                image = container.get("image", "")
                if not image_has_registry(image):
                    errors.append(f"{where}: {doc['kind']} {doc['metadata']['name']}: image '{image}' names no "
                                  "registry host (set it in the overlay's images: entry)")

    # Monitors: kube-prometheus-stack selects them by the release label.
    for kind in ("ServiceMonitor", "PodMonitor"):
        for doc in by_kind.get(kind, []):
            if not doc["metadata"].get("labels", {}).get("release"):
                errors.append(f"{where}: {kind} {doc['metadata']['name']} has no release label")

    # The ConfigMap ships the repository's configs verbatim, one key per model, and every Deployment mounts each.
    configmaps = [d for d in by_kind.get("ConfigMap", []) if d["metadata"]["name"] == "inference-service-models"]
    if by_kind.get("Deployment"):
        data = configmaps[0].get("data", {}) if len(configmaps) == 1 else {}
        if len(configmaps) != 1:
            errors.append(f"{where}: expected one ConfigMap inference-service-models")
        expected_keys = {f"{m}.config.json" for m in models}
        if set(data) != expected_keys:
            errors.append(f"{where}: ConfigMap keys {sorted(data)} != models with a config.json {sorted(expected_keys)}")
        for model in models:
            with open(os.path.join(repo, "models", model, "config.json"), encoding="utf-8") as f:
                text = f.read()
            shipped = data.get(f"{model}.config.json")
            if shipped is not None and shipped.rstrip("\n") != text.rstrip("\n"):
                errors.append(f"{where}: ConfigMap {model}.config.json differs from models/{model}/config.json")

    for doc in by_kind.get("Deployment", []):
        name = doc["metadata"]["name"]
        template_labels = doc["spec"]["template"]["metadata"]["labels"]
        if any(template_labels.get(k) != v for k, v in doc["spec"]["selector"]["matchLabels"].items()):
            errors.append(f"{where}: {name}: selector does not match the pod template labels")
        pod = doc["spec"]["template"]["spec"]
        container = pod["containers"][0]
        ports = {p["name"]: p["containerPort"] for p in container.get("ports", [])}
        env = {e["name"]: e.get("value") for e in container.get("env", [])}
        if ports.get("http") != int(env.get("ASPNETCORE_HTTP_PORTS", "0")):
            errors.append(f"{where}: {name}: port http {ports.get('http')} != ASPNETCORE_HTTP_PORTS "
                          f"{env.get('ASPNETCORE_HTTP_PORTS')}")
        if ports.get("grpc") != port_of(env.get("Grpc__Url")):
            errors.append(f"{where}: {name}: port grpc {ports.get('grpc')} != Grpc__Url {env.get('Grpc__Url')}")
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            if probe not in container:
                errors.append(f"{where}: {name} has no {probe}")
        mounts = {m["mountPath"]: m for m in container.get("volumeMounts", [])}
        for model in models:
            mount = mounts.get(f"/models/{model}/config.json")
            if mount is None or mount.get("subPath") != f"{model}.config.json":
                errors.append(f"{where}: {name}: no subPath mount of {model}.config.json at /models/{model}/config.json")
        for service in by_kind.get("Service", []):
            if any(template_labels.get(k) != v for k, v in service["spec"]["selector"].items()):
                errors.append(f"{where}: Service {service['metadata']['name']} selector misses the pods of {name}")
        check_grace(errors, f"{where}: {name}", pod.get("terminationGracePeriodSeconds", DEFAULT_GRACE), container)
        if not any(all(template_labels.get(k) == v for k, v in pdb["spec"]["selector"]["matchLabels"].items())
                   for pdb in by_kind.get("PodDisruptionBudget", [])):
            errors.append(f"{where}: no PodDisruptionBudget selects the pods of {name}")
        if any("nvidia.com/gpu" in c.get("resources", {}).get("limits", {}) for c in pod["containers"]) \
                and not gpu_affinity_ok(pod):
            errors.append(f"{where}: {name} asks for nvidia.com/gpu without a required node affinity on "
                          f"{' or '.join(sorted(DRIVER_LABELS))} Gt 579 (CUDA 13 needs driver R580+)")
        scalers = [s for s in by_kind.get("ScaledObject", []) + by_kind.get("HorizontalPodAutoscaler", [])
                   if s["spec"]["scaleTargetRef"]["name"] == name]
        if len(scalers) != 1:
            errors.append(f"{where}: {name} has {len(scalers)} autoscalers (ScaledObject or HPA), expected 1")

    # KServe: names clear of the plain Service, runtimes and their ports per protocol, mode-specific settings.
    runtimes = {d["metadata"]["name"]: d for d in by_kind.get("ServingRuntime", [])}
    for runtime in runtimes.values():
        protocols = runtime["spec"].get("protocolVersions", [])
        for container in runtime["spec"]["containers"]:
            env = {e["name"]: e.get("value") for e in container.get("env", [])}
            ports = [p["containerPort"] for p in container.get("ports", [])]
            expected = [port_of(env.get("Grpc__Url"))] if protocols == ["grpc-v2"] \
                else [int(env.get("ASPNETCORE_HTTP_PORTS", "0"))]
            if ports != expected:
                errors.append(f"{where}: ServingRuntime {runtime['metadata']['name']} ({protocols}): containerPort "
                              f"{ports} != {expected} from its env")
            if container.get("name") != "kserve-container":
                errors.append(f"{where}: the predictor container must be named kserve-container")
            if container.get("securityContext", {}).get("seccompProfile", {}).get("type") != "RuntimeDefault":
                errors.append(f"{where}: ServingRuntime {runtime['metadata']['name']}: no seccompProfile "
                              "RuntimeDefault (the restricted Pod Security level rejects the pod)")
    plain_services = names("Service") | {"inference-service"}
    for isvc in by_kind.get("InferenceService", []):
        name = isvc["metadata"]["name"]
        predictor = isvc["spec"]["predictor"]
        mode = isvc["metadata"].get("annotations", {}).get("serving.kserve.io/deploymentMode", "Standard")
        for service in (name, f"{name}-predictor"):
            if service in plain_services:
                errors.append(f"{where}: InferenceService {name}: KServe's Service {service} clashes with a Service")
        runtime = runtimes.get(predictor["model"]["runtime"])
        if runtime is None:
            errors.append(f"{where}: InferenceService {name}: runtime {predictor['model']['runtime']} not defined")
            continue
        if predictor["model"].get("protocolVersion") not in runtime["spec"].get("protocolVersions", []):
            errors.append(f"{where}: InferenceService {name}: protocol {predictor['model'].get('protocolVersion')} "
                          f"not offered by runtime {runtime['metadata']['name']}")
        container = runtime["spec"]["containers"][0]
        if mode in ("Knative", "Serverless"):
            if "lifecycle" in container:
                errors.append(f"{where}: runtime {runtime['metadata']['name']}: Knative rejects a container lifecycle")
        else:
            if predictor.get("scaleMetric") in ("concurrency", "rps"):
                errors.append(f"{where}: InferenceService {name}: scaleMetric {predictor['scaleMetric']} works only in "
                              "Knative mode; in Standard mode the HPA gets no such metric")
            check_grace(errors, f"{where}: InferenceService {name}",
                        predictor.get("terminationGracePeriodSeconds", DEFAULT_GRACE), container,
                        predictor["model"].get("env", []))
            autoscaler = isvc["metadata"].get("annotations", {}).get("serving.kserve.io/autoscalerClass", "hpa")
            scaled = [s for s in by_kind.get("ScaledObject", [])
                      if s["spec"]["scaleTargetRef"]["name"] == f"{name}-predictor"]
            if autoscaler == "external" and len(scaled) != 1:
                errors.append(f"{where}: InferenceService {name} (autoscalerClass external) has {len(scaled)} "
                              "ScaledObjects on its predictor Deployment, expected 1")

    # Autoscalers: the queue-depth signal, in the ScaledObject's own namespace, averaged per pod.
    targets = names("Deployment") | {f"{n}-predictor" for n in names("InferenceService")}
    for scaled in by_kind.get("ScaledObject", []):
        name = scaled["metadata"]["name"]
        if scaled["spec"]["scaleTargetRef"]["name"] not in targets:
            errors.append(f"{where}: ScaledObject {name} targets {scaled['spec']['scaleTargetRef']['name']}, "
                          "which this overlay does not create")
        queue = [t for t in scaled["spec"]["triggers"] if t.get("name") == "queue-depth"]
        if len(queue) != 1:
            errors.append(f"{where}: ScaledObject {name} has no trigger named queue-depth")
            continue
        query = queue[0]["metadata"]["query"]
        namespace = scaled["metadata"].get("namespace")
        if METRIC not in query or f'namespace="{namespace}"' not in query:
            errors.append(f"{where}: ScaledObject {name}: query {query!r} does not read {METRIC} in namespace "
                          f"{namespace}")
        if queue[0].get("metricType") != "AverageValue":
            errors.append(f"{where}: ScaledObject {name}: the queue-depth trigger must be AverageValue (per pod)")
    for hpa in by_kind.get("HorizontalPodAutoscaler", []):
        metrics = [m.get("pods", {}).get("metric", {}).get("name") for m in hpa["spec"]["metrics"]]
        if METRIC not in metrics:
            errors.append(f"{where}: HPA {hpa['metadata']['name']} does not scale on {METRIC}")


def check_readme(repo, errors):
    """docs/deployment.md's numbered commands agree with what the cpu overlay renders."""
    with open(os.path.join(repo, "docs", "deployment.md"), encoding="utf-8") as f:
        text = f.read()
    docs = render(repo, "cpu")
    first = lambda kind: next(d for d in docs if d["kind"] == kind)  # noqa: E731
    helm = re.search(r"helm install (\S+) prometheus-community/kube-prometheus-stack -n (\S+)", text)
    if helm is None:
        errors.append("docs/deployment.md: no `helm install ... prometheus-community/kube-prometheus-stack -n ...` step")
    else:
        release, namespace = helm.groups()
        label = first("ServiceMonitor")["metadata"]["labels"].get("release")
        if label != release:
            errors.append(f"docs/deployment.md installs kube-prometheus-stack as {release}, the ServiceMonitor's release "
                          f"label is {label}")
        address = f"http://{release}-prometheus.{namespace}.svc:9090"
        for scaled in (d for d in docs if d["kind"] == "ScaledObject"):
            for trigger in scaled["spec"]["triggers"]:
                if trigger["type"] == "prometheus" and trigger["metadata"]["serverAddress"] != address:
                    errors.append(f"ScaledObject {scaled['metadata']['name']}: serverAddress "
                                  f"{trigger['metadata']['serverAddress']} is not {address} (docs/deployment.md's install)")
    namespace = first("Deployment")["metadata"]["namespace"]
    if f"kubectl create namespace {namespace}" not in text:
        errors.append(f"docs/deployment.md does not create the overlay's namespace {namespace}")
    secret = re.search(r"create secret generic (\S+) --from-literal=([\w.-]+)=", text)
    refs = [e["valueFrom"]["secretKeyRef"] for c in first("Deployment")["spec"]["template"]["spec"]["containers"]
            for e in c.get("env", []) if "secretKeyRef" in e.get("valueFrom", {})]
    if secret is None or not any(r["name"] == secret.group(1) and r["key"] == secret.group(2) for r in refs):
        errors.append(f"docs/deployment.md's Secret ({secret.groups() if secret else None}) is not the one the Deployment "
                      f"reads ({[(r['name'], r['key']) for r in refs]})")
    for path in sorted(set(re.findall(r"deploy/kustomize/[\w./-]+[\w/]", text))):
        if not os.path.exists(os.path.join(repo, path)):
            errors.append(f"docs/deployment.md names {path}, which does not exist")


def check(repo):
    errors = []
    check_readme(repo, errors)
    models = sorted(os.path.basename(os.path.dirname(p)) for p in glob.glob(os.path.join(repo, "models", "*", "config.json")))
    total = 0
    for overlay in overlays(repo):
        docs = render(repo, overlay)
        total += len(docs)
        check_overlay(repo, overlay, docs, models, errors)
    for overlay in ("cpu", "gpu", "kserve-knative", "kserve-standard"):
        if overlay not in overlays(repo):
            errors.append(f"deploy/kustomize/overlays/{overlay} is missing")

    adapter_path = os.path.join(repo, "deploy", "kustomize", "components", "prometheus-adapter",
                                "prometheus-adapter-values.yaml")
    with open(adapter_path, encoding="utf-8") as f:
        adapter = yaml.safe_load(f)
    if not any(rule.get("name", {}).get("as") == METRIC for rule in adapter["rules"]["custom"]):
        errors.append(f"prometheus-adapter-values.yaml does not expose {METRIC}")

    with open(os.path.join(repo, "docker-compose.yml"), encoding="utf-8") as f:
        compose = yaml.safe_load(f)
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("./") and not os.path.exists(os.path.join(repo, source)):
                errors.append(f"docker-compose.yml: {name} mounts {source}, which does not exist")

    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(1)
    print(f"{len(overlays(repo))} overlays ({', '.join(overlays(repo))}), {total} objects, {len(models)} model configs: "
          "consistent")


def probe_paths(repo):
    paths = set()
    for _, doc in rendered_objects(repo):
        for node in walk(doc):
            if "httpGet" in node and isinstance(node["httpGet"], dict):
                paths.add(node["httpGet"]["path"])
            if "exec" in node and isinstance(node["exec"], dict):
                for match in re.finditer(r"http://127\.0\.0\.1:\d+(/\S*)", " ".join(node["exec"].get("command", []))):
                    paths.add(match.group(1))
    with open(os.path.join(repo, "docker-compose.yml"), encoding="utf-8") as f:
        compose = yaml.safe_load(f)
    for service in compose["services"].values():
        if "build" not in service:
            continue  # Prometheus and Grafana: not our routes
        test = service.get("healthcheck", {}).get("test", [])
        for match in re.finditer(r"http://127\.0\.0\.1:[^/\s]+(/\S*)", " ".join(test)):
            paths.add(match.group(1))
    with open(os.path.join(repo, "Dockerfile"), encoding="utf-8") as f:
        for match in re.finditer(r"^HEALTHCHECK .*?http://[^/\s]+(/[^\s\"']*)", f.read(), re.MULTILINE):
            paths.add(match.group(1))
    print("\n".join(sorted(paths)))


def compose_healthchecks(repo):
    """The CMD-SHELL health checks of our services, as the container's shell receives them ($$ -> $)."""
    with open(os.path.join(repo, "docker-compose.yml"), encoding="utf-8") as f:
        compose = yaml.safe_load(f)
    for name, service in sorted(compose["services"].items()):
        test = service.get("healthcheck", {}).get("test", [])
        if "build" in service and test[:1] == ["CMD-SHELL"]:
            print(f"{name}\t{test[1].replace('$$', '$')}")


def sync(repo):
    """Regenerates what `check` compares: the ConfigMap's data and one subPath mount per model in each Deployment."""
    import re
    models = sorted(os.path.basename(os.path.dirname(p)) for p in glob.glob(os.path.join(repo, "models", "*", "config.json")))
    cm_path = os.path.join(repo, "deploy", "kustomize", "base", "configmap-models.yaml")
    with open(cm_path, encoding="utf-8") as f:
        text = f.read()
    head = text[: re.search(r"^data:\n", text, re.M).end()]
    body = []
    for model in models:
        with open(os.path.join(repo, "models", model, "config.json"), encoding="utf-8") as f:
            config = f.read().rstrip("\n")
        body.append(f"  {model}.config.json: |\n" + "\n".join(("    " + line) if line else "" for line in config.split("\n")) + "\n")
    with open(cm_path, "w", encoding="utf-8") as f:
        f.write(head + "".join(body))
    for deployment in [os.path.join(repo, "deploy", "kustomize", "base", "deployment.yaml")]:
        with open(deployment, encoding="utf-8") as f:
            text = f.read()
        match = re.search(r"(?P<indent> *)- name: model-configs\n(?:.*\n)*?(?=(?P=indent)- name: (?!model-configs)|(?P=indent)[a-z]|\s*volumes:)", text)
        if not match:
            raise SystemExit(f"{deployment}: no model-configs mounts found")
        indent = match.group("indent")
        mounts = "".join(
            f"{indent}- name: model-configs\n{indent}  mountPath: /models/{m}/config.json\n{indent}  subPath: {m}.config.json\n{indent}  readOnly: true\n"
            for m in models)
        text = text[: match.start()] + mounts + text[match.end():]
        with open(deployment, "w", encoding="utf-8") as f:
            f.write(text)
    print(f"synced {len(models)} model config(s): {', '.join(models)}")


def main(argv):
    if len(argv) == 2 and argv[0] == "check":
        check(argv[1])
    elif len(argv) == 2 and argv[0] == "k8s-json":
        print(json.dumps([{"file": p, "object": d} for p, d in rendered_objects(argv[1])]))
    elif len(argv) >= 2 and argv[0] == "yaml-json":
        print(json.dumps([{"file": os.path.basename(p), "object": d} for p in argv[1:] for d in load_all(p)]))
    elif len(argv) == 2 and argv[0] == "probe-paths":
        probe_paths(argv[1])
    elif len(argv) == 2 and argv[0] == "compose-healthchecks":
        compose_healthchecks(argv[1])
    elif len(argv) == 2 and argv[0] == "sync":
        sync(argv[1])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
