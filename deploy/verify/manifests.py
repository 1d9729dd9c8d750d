#!/usr/bin/env python3
"""Cross-checks of the deployment files that no linter makes (used by verify.sh).

  manifests.py check REPO         ConfigMap == models/*/config.json; every model config mounted; selectors, HPA targets,
                                  ports and the queue-depth metric agree; compose bind mounts exist; every grace period
                                  covers preStop + ShutdownDelaySeconds + DrainTimeoutSeconds + 5
  manifests.py k8s-json REPO      every Kubernetes object under deploy/k8s as a JSON array (for k8s-schema.mjs)
  manifests.py probe-paths REPO   the HTTP paths that probes and health checks call, one a line
  manifests.py compose-healthchecks REPO   our compose services' CMD-SHELL health checks: NAME<TAB>COMMAND
  manifests.py sync REPO          rewrite the ConfigMap data and the Deployments' config mounts from models/*/config.json
                                  (run it after adding a model or changing a config)
"""
import glob
import json
import os
import re
import sys

import yaml

METRIC = "inference_pending_requests"

# The service's defaults (src/InferenceService/Hosting/ModelRepositoryOptions.cs) and the margin its host adds after
# the drain (ModelLoaderService.ShutdownMargin); Kubernetes' default grace period.
SHUTDOWN_DEFAULTS = {"ModelRepository__ShutdownDelaySeconds": 0.0, "ModelRepository__DrainTimeoutSeconds": 30.0}
SHUTDOWN_MARGIN = 5
DEFAULT_GRACE = 30


def load_all(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def k8s_objects(repo):
    objects = []
    for path in sorted(glob.glob(os.path.join(repo, "deploy", "k8s", "**", "*.yaml"), recursive=True)):
        for doc in load_all(path):
            if isinstance(doc, dict) and "kind" in doc and "apiVersion" in doc:
                objects.append((os.path.relpath(path, repo), doc))
    return objects


def kserve_objects(repo):
    return [(os.path.relpath(p, repo), d) for p in sorted(glob.glob(os.path.join(repo, "deploy", "kserve", "*.yaml")))
            for d in load_all(p)]


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


def check(repo):
    errors = []
    objects = k8s_objects(repo)
    by_kind = {}
    for path, doc in objects:
        by_kind.setdefault(doc["kind"], []).append((path, doc))

    # The ConfigMap ships the repository's configs verbatim, one key per model, and every Deployment mounts each.
    models = sorted(os.path.basename(os.path.dirname(p)) for p in glob.glob(os.path.join(repo, "models", "*", "config.json")))
    configmaps = [d for _, d in by_kind.get("ConfigMap", []) if d["metadata"]["name"] == "inference-service-models"]
    if len(configmaps) != 1:
        errors.append("expected one ConfigMap inference-service-models under deploy/k8s")
        data = {}
    else:
        data = configmaps[0].get("data", {})
    expected_keys = {f"{m}.config.json" for m in models}
    if set(data) != expected_keys:
        errors.append(f"ConfigMap keys {sorted(data)} != models with a config.json {sorted(expected_keys)}")
    for model in models:
        with open(os.path.join(repo, "models", model, "config.json"), encoding="utf-8") as f:
            text = f.read()
        shipped = data.get(f"{model}.config.json")
        if shipped is not None and shipped.rstrip("\n") != text.rstrip("\n"):
            errors.append(f"ConfigMap {model}.config.json differs from models/{model}/config.json")

    deployments = by_kind.get("Deployment", [])
    if not deployments:
        errors.append("no Deployment under deploy/k8s")
    for path, doc in deployments:
        name = doc["metadata"]["name"]
        template_labels = doc["spec"]["template"]["metadata"]["labels"]
        if any(template_labels.get(k) != v for k, v in doc["spec"]["selector"]["matchLabels"].items()):
            errors.append(f"{path}: selector does not match the pod template labels")
        container = containers_of(doc)[0]
        ports = {p["name"]: p["containerPort"] for p in container.get("ports", [])}
        env = {e["name"]: e.get("value") for e in container.get("env", [])}
        if ports.get("http") != int(env.get("ASPNETCORE_HTTP_PORTS", "0")):
            errors.append(f"{path}: port http {ports.get('http')} != ASPNETCORE_HTTP_PORTS {env.get('ASPNETCORE_HTTP_PORTS')}")
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            if probe not in container:
                errors.append(f"{path}: {name} has no {probe}")
        mounts = {m["mountPath"]: m for m in container.get("volumeMounts", [])}
        repository = env.get("ModelRepository__Path", "")
        for model in models:
            mount = mounts.get(f"{repository}/{model}/config.json")
            if mount is None or mount.get("subPath") != f"{model}.config.json":
                errors.append(f"{path}: no subPath mount of {model}.config.json at {repository}/{model}/config.json")
        for service_path, service in by_kind.get("Service", []):
            if any(template_labels.get(k) != v for k, v in service["spec"]["selector"].items()):
                errors.append(f"{service_path}: Service selector misses the pods of {name}")
        pod = doc["spec"]["template"]["spec"]
        check_grace(errors, path, pod.get("terminationGracePeriodSeconds", DEFAULT_GRACE), container)
        if not any(all(template_labels.get(k) == v for k, v in pdb["spec"]["selector"]["matchLabels"].items())
                   for _, pdb in by_kind.get("PodDisruptionBudget", [])):
            errors.append(f"{path}: no PodDisruptionBudget selects the pods of {name}")

    deployment_names = {d["metadata"]["name"] for _, d in deployments}
    for path, hpa in by_kind.get("HorizontalPodAutoscaler", []):
        target = hpa["spec"]["scaleTargetRef"]["name"]
        if target not in deployment_names:
            errors.append(f"{path}: scaleTargetRef {target} is not a Deployment under deploy/k8s")
        names = [m.get("pods", {}).get("metric", {}).get("name") for m in hpa["spec"]["metrics"]]
        if "fallback" not in path and METRIC not in names:
            errors.append(f"{path}: does not scale on {METRIC}")
    with open(os.path.join(repo, "deploy", "k8s", "monitoring", "prometheus-adapter-values.yaml"), encoding="utf-8") as f:
        adapter = yaml.safe_load(f)
    if not any(rule.get("name", {}).get("as") == METRIC for rule in adapter["rules"]["custom"]):
        errors.append(f"prometheus-adapter-values.yaml does not expose {METRIC}")

    for path, doc in kserve_objects(repo):
        for container in containers_of(doc):
            env = {e["name"]: e.get("value") for e in container.get("env", [])}
            ports = [p["containerPort"] for p in container.get("ports", [])]
            if ports != [int(env.get("ASPNETCORE_HTTP_PORTS", "0"))]:
                errors.append(f"{path}: containerPort {ports} != ASPNETCORE_HTTP_PORTS {env.get('ASPNETCORE_HTTP_PORTS')}")
            if container.get("name") != "kserve-container":
                errors.append(f"{path}: the predictor container must be named kserve-container")
        if doc["kind"] == "InferenceService":
            predictor = doc["spec"]["predictor"]
            runtime = predictor["model"]["runtime"]
            runtimes = {d["metadata"]["name"]: d for _, d in kserve_objects(repo) if d["kind"] == "ServingRuntime"}
            if runtime not in runtimes:
                errors.append(f"{path}: runtime {runtime} is not defined in deploy/kserve")
            elif "terminationGracePeriodSeconds" in predictor:
                # Without one, Knative's queue-proxy drains the pod before the container gets SIGTERM.
                check_grace(errors, path, predictor["terminationGracePeriodSeconds"],
                            containers_of(runtimes[runtime])[0], predictor["model"].get("env", []))

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
    print(f"{len(objects)} Kubernetes objects, {len(kserve_objects(repo))} KServe objects, {len(models)} model configs: "
          "consistent")


def probe_paths(repo):
    paths = set()
    for _, doc in k8s_objects(repo) + kserve_objects(repo):
        for node in walk(doc):
            if "httpGet" in node and isinstance(node["httpGet"], dict):
                paths.add(node["httpGet"]["path"])
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
    cm_path = os.path.join(repo, "deploy", "k8s", "configmap-models.yaml")
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
    for deployment in glob.glob(os.path.join(repo, "deploy", "k8s", "**", "deployment*.yaml"), recursive=True):
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
        print(json.dumps([{"file": p, "object": d} for p, d in k8s_objects(argv[1])]))
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
