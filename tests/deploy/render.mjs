// Renders the kustomize overlays under deploy/k8s/overlays with
// `kubectl kustomize` and parses the output, for the schema and policy tests.
// Also small lookups over the rendered objects that both tests use.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const k8sDir = join(repoRoot, "deploy/k8s");

// Names of the overlays (deploy/k8s/overlays/<name>).
export function overlays() {
  return readdirSync(join(k8sDir, "overlays"), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

// The objects `kubectl kustomize <dir>` renders. Throws with kubectl's
// stderr when the build fails.
export function render(dir) {
  const out = spawnSync("kubectl", ["kustomize", dir], { encoding: "utf8" });
  if (out.error) throw out.error;
  if (out.status !== 0) {
    throw new Error(`kubectl kustomize ${dir} failed: ${out.stderr}`);
  }
  const objects = [];
  for (const doc of parseAllDocuments(out.stdout)) {
    if (doc.errors.length > 0) throw new Error(doc.errors.join("; "));
    const obj = doc.toJS();
    if (obj) objects.push(obj);
  }
  return objects;
}

export function renderOverlay(name) {
  return render(join(k8sDir, "overlays", name));
}

export function byKind(objects, kind) {
  return objects.filter((o) => o.kind === kind);
}

export function find(objects, kind, name) {
  return objects.find((o) => o.kind === kind && o.metadata.name === name);
}

// True when every key/value of `selector` ({matchLabels, matchExpressions}
// or a plain label map, as a Service uses) holds for `labels`.
export function selects(selector, labels) {
  if (!selector) return false;
  const plain = !selector.matchLabels && !selector.matchExpressions;
  const matchLabels = plain ? selector : selector.matchLabels || {};
  for (const [k, v] of Object.entries(matchLabels)) {
    if (labels[k] !== v) return false;
  }
  for (const e of (plain ? [] : selector.matchExpressions || [])) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case "In": if (!has || !e.values.includes(labels[e.key])) return false; break;
      case "NotIn": if (has && e.values.includes(labels[e.key])) return false; break;
      case "Exists": if (!has) return false; break;
      case "DoesNotExist": if (has) return false; break;
      default: throw new Error(`unknown selector operator ${e.operator}`);
    }
  }
  return true;
}

// The workloads' pod templates: [{deployment, labels, spec}].
export function podTemplates(objects) {
  return byKind(objects, "Deployment").map((d) => ({
    deployment: d,
    labels: d.spec.template.metadata.labels || {},
    spec: d.spec.template.spec,
  }));
}

// A container's environment as rendered by the kubelet: literal env values
// and every key of the ConfigMaps in envFrom (Secret refs map to null: the
// variable is defined but its value is not in the manifests).
export function containerEnv(objects, container) {
  const env = {};
  for (const src of container.envFrom || []) {
    if (src.configMapRef) {
      const cm = find(objects, "ConfigMap", src.configMapRef.name);
      if (!cm) throw new Error(`ConfigMap ${src.configMapRef.name} is not rendered`);
      Object.assign(env, cm.data || {});
    }
    if (src.secretRef) {
      const secret = find(objects, "Secret", src.secretRef.name);
      if (!secret) throw new Error(`Secret ${src.secretRef.name} is not rendered`);
      for (const k of Object.keys({ ...secret.data, ...secret.stringData })) env[k] = null;
    }
  }
  for (const e of container.env || []) env[e.name] = e.value !== undefined ? e.value : null;
  return env;
}

// The container's args with $(VAR) replaced from `env`; a reference to an
// undefined variable is left as is (the kubelet does the same).
export function expandArgs(args, env) {
  return (args || []).map((a) =>
    a.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, v) =>
      env[v] === undefined ? m : env[v] === null ? `<secret:${v}>` : env[v]));
}

// The value of --name=value (or "--name value") in args, or undefined.
export function flagValue(args, name) {
  for (let i = 0; i < args.length; ++i) {
    if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
    if (args[i] === `--${name}` && i + 1 < args.length) return args[i + 1];
  }
  return undefined;
}

export function kubectlAvailable() {
  return !spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" }).error;
}
