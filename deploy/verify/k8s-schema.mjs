// Validates Kubernetes objects against their API schemas, as the API server would on `kubectl apply`:
//  1. types, required fields, enums and formats with the validators of the kubernetes-models npm packages (core
//     Kubernetes; @kubernetes-models/keda and @kubernetes-models/prometheus-operator, generated from the KEDA and
//     Prometheus-operator CRDs);
//  2. unknown fields (which those validators let through, and the API server prunes or, with strict field
//     validation, rejects): every object becomes a typed object literal in a TypeScript file checked by tsc, whose
//     excess-property check names the first unknown field of each object. Types: the same packages' declarations,
//     and deploy/verify/types/kserve.d.ts for KServe (no npm package ships its CRDs).
// An object of a kind with neither is an error. Input on stdin: [{file, object}] from manifests.py k8s-json.
//   node k8s-schema.mjs NODE_MODULES_DIR TYPES_DIR WORK_DIR < objects.json
// WORK_DIR (scratch: the generated TypeScript) must lie beside NODE_MODULES_DIR, where tsc finds the packages.
import { readFileSync, existsSync, mkdirSync, writeFileSync, copyFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { spawnSync } from "node:child_process";

const [modules, typesDir, work] = process.argv.slice(2).map((p) => resolve(p));
const items = JSON.parse(readFileSync(0, "utf8"));
const packages = ["kubernetes-models", "@kubernetes-models/keda", "@kubernetes-models/prometheus-operator"];
const localTypes = { "serving.kserve.io/v1beta1/InferenceService": "kserve", "serving.kserve.io/v1alpha1/ServingRuntime": "kserve" };
let failed = 0;
const typed = [];

for (const [index, { file, object }] of items.entries()) {
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
  const label = `${file}: ${object.kind} ${object.metadata?.name}`;
  const pkg = packages.find((p) => existsSync(join(modules, p, group, version, `${object.kind}.js`)));
  const local = localTypes[`${object.apiVersion}/${object.kind}`];
  if (pkg) {
    const exported = await import(pathToFileURL(join(modules, pkg, group, version, `${object.kind}.js`)).href);
    try {
      new exported[object.kind](object).validate();
    } catch (e) {
      failed++;
      console.error(`INVALID: ${label}\n  ${e.message}`);
      continue;
    }
    typed.push({ index, label, module: `${pkg}/${group ? group + "/" : ""}${version}/${object.kind}`, object });
  } else if (local) {
    typed.push({ index, label, module: `./${local}.js`, object });
  } else {
    failed++;
    console.error(`NO SCHEMA: ${label} (${object.apiVersion} ${object.kind}): add its types before shipping it`);
  }
}

// The unknown-field check: one line per object, so tsc's line numbers name the object.
mkdirSync(work, { recursive: true });
for (const name of readdirSync(typesDir)) copyFileSync(join(typesDir, name), join(work, name));
const header = typed.map((t, i) => `import type { I${t.object.kind} as T${i} } from "${t.module}";`);
const body = typed.map((t, i) => `export const o${i}: T${i} = ${JSON.stringify(t.object)};`);
writeFileSync(join(work, "objects.ts"), [...header, ...body, ""].join("\n"));
const tsc = spawnSync(process.execPath, [join(modules, "typescript", "bin", "tsc"), "--noEmit", "--strict",
  "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--skipLibCheck",
  join(work, "objects.ts")], { cwd: work, encoding: "utf8" });
const bad = new Map();
for (const line of (tsc.stdout + tsc.stderr).split("\n")) {
  const match = /objects\.ts\((\d+),\d+\): error TS\d+: (.*)/.exec(line);
  if (!match) {
    if (line.trim()) console.error(line);
    continue;
  }
  const i = Number(match[1]) - 1 - header.length;
  const label = i >= 0 && i < typed.length ? typed[i].label : `objects.ts line ${match[1]}`;
  bad.set(label, [...(bad.get(label) ?? []), match[2]]);
}
if (tsc.status !== 0 && bad.size === 0) {
  failed++;
  console.error(`tsc failed (exit ${tsc.status}) without naming an object`);
}
for (const t of typed) {
  if (bad.has(t.label)) {
    failed++;
    console.error(`INVALID: ${t.label}\n  ${bad.get(t.label).join("\n  ")}`);
  } else {
    console.log(`valid: ${t.label}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
