// Validates Kubernetes objects against the API schemas shipped by the kubernetes-models npm package (types,
// required fields, enums; it does not reject unknown fields). Input on stdin: [{file, object}] from manifests.py.
// Custom resources (ServiceMonitor) have no schema there and are listed as skipped. Used by verify.sh.
//   node k8s-schema.mjs NODE_MODULES_DIR < objects.json
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const modules = process.argv[2];
const items = JSON.parse(readFileSync(0, "utf8"));
let failed = 0;
for (const { file, object } of items) {
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
  const model = join(modules, "kubernetes-models", group, version, `${object.kind}.js`);
  const label = `${file}: ${object.kind} ${object.metadata?.name}`;
  if (!existsSync(model)) {
    console.log(`skipped (no schema for ${object.apiVersion} ${object.kind}): ${label}`);
    continue;
  }
  const exported = await import(pathToFileURL(model).href);
  try {
    new exported[object.kind](object).validate();
    console.log(`valid: ${label}`);
  } catch (e) {
    failed++;
    console.error(`INVALID: ${label}\n  ${e.message}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
