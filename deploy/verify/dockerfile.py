#!/usr/bin/env python3
"""Runs a Dockerfile's build without a Docker engine, as far as that can be done faithfully (used by verify.sh).

  dockerfile.py check  DOCKERFILE                      structure: stages, default target, cpu/cuda tails identical
                                                       (but for the ONNX Runtime flavour each copies: publish-cpu|gpu)
  dockerfile.py pins   DOCKERFILE SDK RUNTIME          SDK_TAG is the SDK version (global.json's), ASPNET_TAG the
                                                       runtime that SDK ships
  dockerfile.py build  DOCKERFILE CONTEXT ROOT STAGE   emulates STAGE's WORKDIR/COPY/RUN under ROOT/STAGE, with the
                                                       build context filtered by CONTEXT/.dockerignore
  dockerfile.py image  DOCKERFILE ROOT TARGET          assembles TARGET's files (COPY --from=...) under ROOT/TARGET and
                                                       prints its WORKDIR, ENV, USER, HEALTHCHECK and ENTRYPOINT/CMD
                                                       as shell assignments for eval

An absolute path inside a stage maps to ROOT/<stage>/<path>; RUN commands get the same mapping for paths outside the
system folders. RUN in a runtime stage (apt-get) is reported and skipped: the base image is not available here.
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

SYSTEM_TOPS = {"bin", "boot", "dev", "etc", "lib", "lib64", "opt", "proc", "root", "run", "sbin", "sys", "tmp", "usr",
               "var", "home", "mnt", "media", "srv"}


def fail(message):
    print(f"dockerfile.py: {message}", file=sys.stderr)
    sys.exit(1)


def logical_lines(text):
    """Instructions with continuations joined and comments dropped, as the Dockerfile parser sees them."""
    lines, buf = [], ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if stripped.startswith("#") or (not stripped and not buf):
            continue
        if stripped.endswith("\\"):
            buf += stripped[:-1].rstrip() + " "
            continue
        buf += stripped
        if buf.strip():
            lines.append(buf.strip())
        buf = ""
    if buf.strip():
        lines.append(buf.strip())
    return lines


def parse(path):
    """Global ARG defaults and the stages: [{name, base, instructions: [(KEYWORD, args)]}]."""
    with open(path, encoding="utf-8") as f:
        lines = logical_lines(f.read())
    global_args, stages = {}, []
    for line in lines:
        keyword, _, args = line.partition(" ")
        keyword, args = keyword.upper(), args.strip()
        if keyword == "FROM":
            match = re.fullmatch(r"(\S+)(?:\s+AS\s+(\S+))?", args, re.IGNORECASE)
            if not match:
                fail(f"cannot parse FROM {args}")
            stages.append({"name": match.group(2) or str(len(stages)), "base": match.group(1), "instructions": []})
        elif not stages:
            if keyword != "ARG":
                fail(f"{keyword} before the first FROM")
            name, _, default = args.partition("=")
            global_args[name] = default
        else:
            stages[-1]["instructions"].append((keyword, args))
    return global_args, stages


def stage_named(stages, name):
    for stage in stages:
        if stage["name"] == name:
            return stage
    fail(f"no stage named {name} (stages: {', '.join(s['name'] for s in stages)})")


def tail_from_workdir(stage):
    instructions = stage["instructions"]
    for i, (keyword, _) in enumerate(instructions):
        if keyword == "WORKDIR":
            return instructions[i:]
    fail(f"stage {stage['name']} has no WORKDIR")


def check(dockerfile):
    _, stages = parse(dockerfile)
    names = [s["name"] for s in stages]
    for required in ("build", "cuda", "cpu"):
        stage_named(stages, required)
    if names[-1] != "cpu":
        fail(f"the last stage (the default target) is {names[-1]}, expected cpu")
    cpu, cuda = tail_from_workdir(stage_named(stages, "cpu")), tail_from_workdir(stage_named(stages, "cuda"))
    for stage, tail, flavour in (("cpu", cpu, "cpu"), ("cuda", cuda, "gpu")):
        if not any(k == "COPY" and f"/app/publish-{flavour}/" in a for k, a in tail):
            fail(f"the {stage} stage does not copy the {flavour} publish output (/app/publish-{flavour}/)")
    cpu = [(k, a.replace("/app/publish-cpu/", "/app/publish-<flavour>/")) for k, a in cpu]
    cuda = [(k, a.replace("/app/publish-gpu/", "/app/publish-<flavour>/")) for k, a in cuda]
    if cpu != cuda:
        diff = [f"  cpu:  {a}\n  cuda: {b}" for a, b in zip(cpu, cuda) if a != b] or ["  (different lengths)"]
        fail("the cpu and cuda stages differ from WORKDIR on:\n" + "\n".join(diff))
    print(f"stages: {', '.join(names)}; default target cpu; cpu and cuda identical from WORKDIR on "
          f"({len(cpu)} instructions)")


# ---- .dockerignore (moby/patternmatcher semantics: last match wins, a pattern also matches a file's parents) ----

def pattern_regex(pattern):
    out, i = "^", 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*":
            if pattern.startswith("**", i):
                i += 2
                if i < len(pattern) and pattern[i] == "/":
                    out += "(.*/)?"
                    i += 1
                else:
                    out += ".*"
                continue
            out += "[^/]*"
        elif c == "?":
            out += "[^/]"
        elif c == "[":
            end = pattern.index("]", i)
            out += pattern[i:end + 1]
            i = end
        elif c == "\\" and i + 1 < len(pattern):
            i += 1
            out += re.escape(pattern[i])
        else:
            out += re.escape(c)
        i += 1
    return re.compile(out + "$")


def read_dockerignore(context):
    rules = []
    path = os.path.join(context, ".dockerignore")
    if not os.path.exists(path):
        return rules
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            pattern = os.path.normpath(line.lstrip("!").strip().lstrip("/"))
            rules.append((negate, pattern_regex(pattern)))
    return rules


def context_files(context):
    """Relative paths of the files the Docker client would send."""
    rules = read_dockerignore(context)

    def excluded(rel):
        parts = rel.split("/")
        candidates = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
        result = False
        for negate, regex in rules:
            if any(regex.match(c) for c in candidates):
                result = not negate
        return result

    files = []
    for folder, dirs, names in os.walk(context):
        rel_folder = os.path.relpath(folder, context)
        dirs[:] = sorted(d for d in dirs if not (rel_folder == "." and d == ".git"))
        for name in sorted(names):
            rel = os.path.normpath(os.path.join(rel_folder, name)).replace(os.sep, "/")
            if not excluded(rel):
                files.append(rel)
    return files


# ---- emulation ----

def map_path(root, path):
    return os.path.normpath(os.path.join(root, path.lstrip("/")))


def map_command(root, command):
    """Absolute paths outside the system folders move under root."""
    def replace(match):
        path = match.group(2)
        top = path.lstrip("/").split("/", 1)[0]
        keep = path.startswith("//") or not top or top in SYSTEM_TOPS
        return match.group(1) + (path if keep else map_path(root, path))
    return re.sub(r"(^|[\s=:\"'])(/[^\s\"';&|()]*)", replace, command)


def copy_file(src, dest, link):
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    if os.path.lexists(dest):
        os.remove(dest)
    if link:
        try:
            os.link(src, dest)
            return
        except OSError:
            pass
    shutil.copy2(src, dest)


def copy_into(sources, dest, workdir, stage_root, lookup, link):
    """COPY semantics: a directory's contents go into dest; a file goes to dest (or into it when dest ends in /)."""
    dest_abs = dest if dest.startswith("/") else os.path.join(workdir, dest)
    into_dir = dest.endswith("/") or dest in (".", "./") or len(sources) > 1
    copied = 0
    for source in sources:
        entries = lookup(source)
        if not entries:
            fail(f"COPY {source}: nothing to copy (missing, or excluded by .dockerignore)")
        for rel_in_source, absolute in entries:
            if rel_in_source is None:
                target = os.path.join(dest_abs, os.path.basename(source)) if into_dir else dest_abs
            else:
                target = os.path.join(dest_abs, rel_in_source)
            copy_file(absolute, map_path(stage_root, target), link)
            copied += 1
    return copied


def build(dockerfile, context, root, stage_name):
    _, stages = parse(dockerfile)
    stage = stage_named(stages, stage_name)
    stage_root = os.path.join(root, stage_name)
    files = context_files(context)
    print(f"build context: {len(files)} files after .dockerignore")

    def lookup(source):
        source = os.path.normpath(source).replace(os.sep, "/")
        if source in files:
            return [(None, os.path.join(context, source))]
        prefix = "" if source == "." else source + "/"
        return [(f[len(prefix):], os.path.join(context, f)) for f in files if f.startswith(prefix)]

    workdir = "/"
    for keyword, args in stage["instructions"]:
        if keyword == "WORKDIR":
            workdir = os.path.join(workdir, args)
            os.makedirs(map_path(stage_root, workdir), exist_ok=True)
        elif keyword == "COPY":
            words = shlex.split(args)
            if any(w.startswith("--from") for w in words):
                fail(f"COPY --from in stage {stage_name} is not emulated")
            words = [w for w in words if not w.startswith("--")]
            count = copy_into(words[:-1], words[-1], workdir, stage_root, lookup, link=False)
            print(f"COPY {' '.join(words)}  ({count} files)")
        elif keyword == "RUN":
            command = map_command(stage_root, args)
            print(f"RUN {args}\n  as: {command}", flush=True)
            result = subprocess.run(["bash", "-c", "set -e; " + command], cwd=map_path(stage_root, workdir), check=False)
            if result.returncode != 0:
                fail(f"RUN failed with exit code {result.returncode}: {args}")
        elif keyword in ("ARG", "ENV", "LABEL"):
            if keyword == "ENV":
                fail("ENV in a build stage is not emulated")
        else:
            fail(f"{keyword} in stage {stage_name} is not emulated")


def parse_env(args):
    words = shlex.split(args)
    if words and "=" not in words[0]:
        return {words[0]: " ".join(words[1:])}
    return dict(w.split("=", 1) for w in words)


def image(dockerfile, root, target):
    _, stages = parse(dockerfile)
    stage = stage_named(stages, target)
    target_root = os.path.join(root, target)
    workdir, env, user, healthcheck, entrypoint, cmd, expose, dests = "/", {}, "", "", [], [], [], set()
    for keyword, args in stage["instructions"]:
        if keyword == "WORKDIR":
            workdir = os.path.join(workdir, args)
            os.makedirs(map_path(target_root, workdir), exist_ok=True)
        elif keyword == "COPY":
            words = shlex.split(args)
            source_stage = next((w.split("=", 1)[1] for w in words if w.startswith("--from=")), None)
            if source_stage is None:
                fail(f"COPY without --from in stage {target} is not emulated")
            words = [w for w in words if not w.startswith("--")]
            source_root = os.path.join(root, source_stage)

            def lookup(source, source_root=source_root):
                absolute = map_path(source_root, source)
                if os.path.isfile(absolute):
                    return [(None, absolute)]
                return [(os.path.relpath(os.path.join(folder, name), absolute), os.path.join(folder, name))
                        for folder, _, names in os.walk(absolute) for name in names]

            count = copy_into(words[:-1], words[-1], workdir, target_root, lookup, link=True)
            dests.add(os.path.join(workdir, words[-1]).rstrip("/") or "/")
            print(f"# COPY {args}  ({count} files)", file=sys.stderr)
        elif keyword == "ENV":
            env.update(parse_env(args))
        elif keyword == "USER":
            user = args
        elif keyword == "HEALTHCHECK":
            match = re.search(r"\bCMD\s+(.*)$", args)
            healthcheck = match.group(1) if match else ""
        elif keyword == "ENTRYPOINT":
            entrypoint = json.loads(args)
        elif keyword == "CMD":
            cmd = json.loads(args)
        elif keyword == "EXPOSE":
            expose += args.split()
        elif keyword == "RUN":
            print(f"# skipped (base image layer): RUN {args}", file=sys.stderr)

    def map_value(value):
        if value.startswith("/") and any(value == d or value.startswith(d + "/") for d in dests):
            return map_path(target_root, value)
        return value

    mapped_env = {k: map_value(v) for k, v in env.items()}
    print(f"IMAGE_WORKDIR={shlex.quote(map_path(target_root, workdir))}")
    print("IMAGE_ENV=(" + " ".join(shlex.quote(f"{k}={v}") for k, v in mapped_env.items()) + ")")
    print("IMAGE_ENV_DECLARED=(" + " ".join(shlex.quote(f"{k}={v}") for k, v in env.items()) + ")")
    print(f"IMAGE_USER={shlex.quote(user)}")
    print(f"IMAGE_HEALTHCHECK={shlex.quote(healthcheck)}")
    print("IMAGE_COMMAND=(" + " ".join(shlex.quote(w) for w in entrypoint + cmd) + ")")
    print("IMAGE_EXPOSE=(" + " ".join(shlex.quote(p) for p in expose) + ")")


def pins(dockerfile, sdk, runtime):
    """The base image tags are exact versions: the SDK global.json pins and the runtime that SDK ships."""
    global_args, _ = parse(dockerfile)
    expected = {"SDK_TAG": sdk, "ASPNET_TAG": runtime}
    wrong = [f"{name}={global_args.get(name)!r}, expected {value!r}" for name, value in expected.items()
             if global_args.get(name) != value]
    if wrong:
        fail("base image pins do not match global.json: " + "; ".join(wrong))
    print(f"SDK_TAG={sdk} (global.json), ASPNET_TAG={runtime} (the runtime SDK {sdk} ships)")


def main(argv):
    if len(argv) >= 2 and argv[0] == "check":
        check(argv[1])
    elif len(argv) == 4 and argv[0] == "pins":
        pins(*argv[1:])
    elif len(argv) == 5 and argv[0] == "build":
        build(*argv[1:])
    elif len(argv) == 4 and argv[0] == "image":
        image(*argv[1:])
    else:
        fail(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
