// Policy tests over the rendered overlays: what deploy/README.md promises
// about the manifests, checked object by object.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import {
  byKind, containerEnv, expandArgs, find, flagValue, overlays, podTemplates,
  renderOverlay, repoRoot, selects,
} from "./render.mjs";

const SERVERS = ["gongkai-parse", "gongkai-validate", "gongkai-aggregate"];
const HEADLESS = ["gongkai-parse", "gongkai-validate"];
const NAME = "app.kubernetes.io/name";

// The pod templates a selector picks.
function selected(objects, selector) {
  return podTemplates(objects).filter((p) => selects(selector, p.labels));
}

// The containerPort a Service/NetworkPolicy port (number or name) means in
// `pod`, or undefined.
function resolvePort(pod, port) {
  for (const c of pod.spec.containers) {
    for (const p of c.ports || []) {
      if (p.containerPort === port || p.name === port) return p.containerPort;
    }
  }
  return undefined;
}

function deployment(objects, name) {
  const d = find(objects, "Deployment", name);
  assert.ok(d, `Deployment ${name} is rendered`);
  return d;
}

function serverArgs(objects, name) {
  const c = deployment(objects, name).spec.template.spec.containers[0];
  return expandArgs(c.args, containerEnv(objects, c));
}

for (const overlay of overlays()) {
  describe(`policy: overlay ${overlay}`, () => {
    const objects = renderOverlay(overlay);
    const namespace = byKind(objects, "Namespace")[0]?.metadata.name;

    test("everything is in the gongkai namespace", () => {
      assert.equal(namespace, "gongkai");
      for (const o of objects) {
        if (o.kind === "Namespace") continue;
        assert.equal(o.metadata.namespace, namespace, `${o.kind}/${o.metadata.name}`);
      }
    });

    test("everything is labelled part-of gongkai", () => {
      for (const o of objects) {
        assert.equal(o.metadata.labels?.["app.kubernetes.io/part-of"], "gongkai", `${o.kind}/${o.metadata.name}`);
      }
    });

    test("the three servers and Redis are deployed", () => {
      for (const n of [...SERVERS, "gongkai-redis"]) deployment(objects, n);
    });

    for (const { deployment: d, labels, spec } of podTemplates(objects)) {
      const name = d.metadata.name;
      describe(`Deployment ${name}`, () => {
        test("selector matches the pod template's labels", () => {
          assert.ok(d.spec.selector.matchLabels, "selector has matchLabels");
          assert.ok(selects(d.spec.selector, labels));
        });

        test("pods run unprivileged", () => {
          assert.equal(spec.automountServiceAccountToken, false);
          assert.equal(spec.securityContext?.seccompProfile?.type, "RuntimeDefault");
          for (const c of spec.containers) {
            const sc = c.securityContext || {};
            assert.equal(sc.runAsNonRoot ?? spec.securityContext?.runAsNonRoot, true, `${c.name} runAsNonRoot`);
            const uid = sc.runAsUser ?? spec.securityContext?.runAsUser;
            assert.ok(uid === undefined || uid > 0, `${c.name} runAsUser ${uid}`);
            assert.equal(sc.readOnlyRootFilesystem, true, `${c.name} readOnlyRootFilesystem`);
            assert.equal(sc.allowPrivilegeEscalation, false, `${c.name} allowPrivilegeEscalation`);
            assert.deepEqual(sc.capabilities?.drop, ["ALL"], `${c.name} drops ALL capabilities`);
            assert.ok(!sc.capabilities?.add?.length, `${c.name} adds no capability`);
            assert.ok(!sc.privileged, `${c.name} is not privileged`);
          }
        });

        test("every container has probes and bounded resources", () => {
          for (const c of spec.containers) {
            assert.ok(c.readinessProbe, `${c.name} readinessProbe`);
            assert.ok(c.livenessProbe, `${c.name} livenessProbe`);
            for (const r of ["cpu", "memory"]) {
              assert.ok(c.resources?.requests?.[r], `${c.name} requests.${r}`);
              assert.ok(c.resources?.limits?.[r], `${c.name} limits.${r}`);
            }
          }
        });

        test("images are pinned (a tag that is not latest)", () => {
          for (const c of spec.containers) {
            const m = /^(.*\/)?[^/:@]+(:([^@]+))?(@sha256:[0-9a-f]{64})?$/.exec(c.image);
            assert.ok(m, `${c.name}: image ${c.image}`);
            assert.ok(m[4] || (m[3] && m[3] !== "latest"), `${c.name}: image ${c.image} is not pinned`);
          }
        });

        test("probes and $(VAR) references resolve", () => {
          for (const c of spec.containers) {
            for (const probe of [c.readinessProbe, c.livenessProbe]) {
              const port = probe.grpc?.port ?? probe.tcpSocket?.port ?? probe.httpGet?.port;
              if (port !== undefined) {
                assert.ok(resolvePort({ spec }, port), `${c.name}: probe port ${port} is a container port`);
              }
            }
            const env = containerEnv(objects, c);
            for (const a of c.args || []) {
              for (const [, v] of a.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
                assert.ok(v in env, `${c.name}: ${a} uses undefined variable ${v}`);
              }
            }
            for (const e of c.env || []) {
              const ref = e.valueFrom?.secretKeyRef || e.valueFrom?.configMapKeyRef;
              if (!ref) continue;
              const kind = e.valueFrom.secretKeyRef ? "Secret" : "ConfigMap";
              const obj = find(objects, kind, ref.name);
              assert.ok(obj, `${c.name}: ${kind} ${ref.name} is rendered`);
              assert.ok(ref.key in { ...obj.data, ...obj.stringData }, `${kind} ${ref.name} has key ${ref.key}`);
            }
          }
          for (const v of spec.volumes || []) {
            if (v.configMap) assert.ok(find(objects, "ConfigMap", v.configMap.name), `ConfigMap ${v.configMap.name}`);
            if (v.secret) assert.ok(find(objects, "Secret", v.secret.secretName), `Secret ${v.secret.secretName}`);
          }
        });

        if (SERVERS.includes(name)) {
          test("gRPC health probes on the grpc port", () => {
            const c = spec.containers[0];
            const grpcPort = c.ports.find((p) => p.name === "grpc")?.containerPort;
            assert.ok(grpcPort, "a port named grpc");
            assert.equal(c.readinessProbe.grpc?.port, grpcPort);
            assert.equal(c.livenessProbe.grpc?.port, grpcPort);
            assert.equal(flagValue(c.args, "port"), String(grpcPort), "--port is the grpc port");
            const metrics = c.ports.find((p) => p.name === "metrics")?.containerPort;
            assert.equal(flagValue(c.args, "metrics_port"), String(metrics), "--metrics_port is the metrics port");
          });

          test("rolling update without unavailability; grace longer than the drain", () => {
            assert.equal(d.spec.strategy?.type, "RollingUpdate");
            assert.equal(d.spec.strategy.rollingUpdate?.maxUnavailable, 0);
            const args = serverArgs(objects, name);
            // The server's drain: NOT_SERVING for drain_seconds, then up to
            // shutdown_grace_seconds for calls in flight (defaults 5 and 10).
            const drain = Number(flagValue(args, "drain_seconds") ?? 5)
              + Number(flagValue(args, "shutdown_grace_seconds") ?? 10);
            assert.ok(spec.terminationGracePeriodSeconds > drain,
              `terminationGracePeriodSeconds ${spec.terminationGracePeriodSeconds} > drain ${drain}`);
          });

          test("/tmp is writable (pdftotext scratch) on a read-only root", () => {
            const mount = spec.containers[0].volumeMounts?.find((m) => m.mountPath === "/tmp");
            assert.ok(mount, "/tmp is mounted");
            assert.ok(spec.volumes.find((v) => v.name === mount.name)?.emptyDir, "/tmp is an emptyDir");
          });
        }
      });
    }

    test("every Service selects pods and its ports are their container ports", () => {
      for (const svc of byKind(objects, "Service")) {
        const pods = selected(objects, svc.spec.selector);
        assert.ok(pods.length > 0, `Service ${svc.metadata.name} selects some pods`);
        for (const p of svc.spec.ports) {
          for (const pod of pods) {
            assert.ok(resolvePort(pod, p.targetPort ?? p.port),
              `Service ${svc.metadata.name} port ${p.name} -> ${p.targetPort} in ${pod.deployment.metadata.name}`);
          }
        }
      }
    });

    test("parse and validate have a ClusterIP and a headless Service", () => {
      for (const n of HEADLESS) {
        const cluster = find(objects, "Service", n);
        const headless = find(objects, "Service", `${n}-headless`);
        assert.ok(cluster && cluster.spec.clusterIP !== "None", `${n} ClusterIP Service`);
        assert.equal(headless?.spec.clusterIP, "None", `${n}-headless is headless`);
        assert.ok(!headless.spec.publishNotReadyAddresses, `${n}-headless lists only ready pods`);
        assert.deepEqual(headless.spec.selector, cluster.spec.selector);
      }
    });

    test("the aggregate's targets are the headless Services' DNS names", () => {
      const args = serverArgs(objects, "gongkai-aggregate");
      for (const [flag, svcName] of [["parse_targets", "gongkai-parse-headless"],
        ["validate_targets", "gongkai-validate-headless"]]) {
        const target = flagValue(args, flag);
        const svc = find(objects, "Service", svcName);
        const port = svc.spec.ports.find((p) => p.name === "grpc").port;
        assert.equal(target, `dns:///${svcName}.${svc.metadata.namespace}.svc.cluster.local:${port}`, `--${flag}`);
      }
    });

    test("the servers that use Redis point at its Service with the ACL user", () => {
      const redisSvc = find(objects, "Service", "gongkai-redis");
      const redisPort = redisSvc.spec.ports.find((p) => p.name === "redis").port;
      const secret = find(objects, "Secret", "gongkai-redis-auth");
      const acl = secret.stringData?.["users.acl"]
        ?? Buffer.from(secret.data["users.acl"], "base64").toString();
      let users = 0;
      for (const n of SERVERS) {
        const c = deployment(objects, n).spec.template.spec.containers[0];
        const args = serverArgs(objects, n);
        const redis = flagValue(args, "redis");
        // The server reads $GONGKAI_REDIS_PASSWORD itself: never a flag.
        assert.equal(flagValue(args, "redis_password"), undefined, `${n}: no --redis_password`);
        if (redis === undefined) continue;
        ++users;
        assert.equal(redis, `gongkai-redis.${redisSvc.metadata.namespace}.svc.cluster.local:${redisPort}`, n);
        const user = flagValue(args, "redis_user");
        assert.match(acl, new RegExp(`^user ${user} on `, "m"), `${n}: ACL user ${user} exists`);
        const pw = (c.env || []).find((e) => e.name === "GONGKAI_REDIS_PASSWORD");
        assert.deepEqual(pw?.valueFrom?.secretKeyRef, { name: secret.metadata.name, key: "password" },
          `${n}: password from the Secret`);
      }
      assert.ok(users > 0, "the parse cache uses Redis");
    });

    test("server flags exist and every flag ConfigMap key is used", () => {
      const src = join(repoRoot, "common/server/server_options.cc");
      const known = existsSync(src)
        ? new Set([...readFileSync(src, "utf8").matchAll(/ABSL_FLAG\(\s*[\w:]+\s*,\s*(\w+)/g)].map((m) => m[1]))
        : undefined;
      for (const n of SERVERS) {
        const c = deployment(objects, n).spec.template.spec.containers[0];
        for (const a of c.args) {
          const m = /^--(\w+)=/.exec(a);
          assert.ok(m, `${n}: ${a} is --flag=value`);
          if (known) assert.ok(known.has(m[1]), `${n}: --${m[1]} is a flag in server_options.cc`);
        }
        const used = c.args.join(" ");
        for (const src of c.envFrom || []) {
          const cm = find(objects, "ConfigMap", src.configMapRef.name);
          for (const k of Object.keys(cm.data || {})) assert.ok(used.includes(`$(${k})`), `${n}: ${k} is used`);
        }
      }
    });

    test("Redis is a cache: bounded, LRU, no persistence", () => {
      const d = deployment(objects, "gongkai-redis");
      const vol = d.spec.template.spec.volumes.find((v) => v.configMap);
      const conf = find(objects, "ConfigMap", vol.configMap.name).data["redis.conf"];
      const directive = (k) => conf.split("\n").filter((l) => l.startsWith(`${k} `)).map((l) => l.slice(k.length + 1).trim());
      assert.deepEqual(directive("maxmemory-policy"), ["allkeys-lru"]);
      assert.match(directive("maxmemory")[0] ?? "", /^[1-9][0-9]*(mb|gb)$/);
      assert.deepEqual(directive("save"), ['""']);
      assert.deepEqual(directive("appendonly"), ["no"]);
      assert.deepEqual(directive("aclfile"), ["/etc/redis/acl/users.acl"]);
      const acl = d.spec.template.spec.containers[0].volumeMounts.find((m) => m.mountPath === "/etc/redis/acl");
      const aclVol = d.spec.template.spec.volumes.find((v) => v.name === acl.name);
      assert.equal(aclVol.secret.secretName, find(objects, "Secret", "gongkai-redis-auth").metadata.name);
    });

    test("the Redis ACL confines the gongkai user to gongkai:* keys", () => {
      const secret = find(objects, "Secret", "gongkai-redis-auth");
      const data = { ...secret.stringData };
      for (const [k, v] of Object.entries(secret.data || {})) data[k] = Buffer.from(v, "base64").toString();
      const users = Object.fromEntries(data["users.acl"].trim().split("\n")
        .map((l) => l.trim().split(/\s+/)).map((w) => [w[1], w.slice(2)]));
      assert.ok(users.default.includes("off"), "the default user is off");
      assert.ok(!users.default.includes("on"));
      const rules = users.gongkai;
      assert.ok(rules.includes("on"));
      const keys = rules.filter((r) => r.startsWith("~") || r.startsWith("%") || r === "allkeys");
      assert.deepEqual(keys, ["~gongkai:*"], "only the gongkai: key prefix");
      assert.ok(rules.indexOf("resetkeys") >= 0 && rules.indexOf("resetkeys") < rules.indexOf("~gongkai:*"));
      assert.ok(rules.includes("resetchannels") && !rules.some((r) => r.startsWith("&") || r === "allchannels"));
      assert.ok(rules.includes("-@all") && rules.includes("-@dangerous"));
      assert.ok(!rules.includes("+@all") && !rules.includes("allcommands") && !rules.includes("nopass"));
      // The password the services send is the one the ACL accepts.
      const pass = rules.filter((r) => r.startsWith(">") || r.startsWith("#"));
      assert.equal(pass.length, 1, "exactly one password");
      const expected = pass[0].startsWith(">") ? pass[0].slice(1)
        : undefined;
      if (expected !== undefined) {
        assert.equal(data.password, expected);
      } else {
        assert.equal(createHash("sha256").update(data.password).digest("hex"), pass[0].slice(1));
      }
    });

    describe("NetworkPolicies", () => {
      const policies = byKind(objects, "NetworkPolicy");
      // Ingress rules that apply to the pods of Deployment `name` on `port`.
      const rulesFor = (name, port) => {
        const pod = podTemplates(objects).find((p) => p.deployment.metadata.name === name);
        return policies.filter((np) => selects(np.spec.podSelector, pod.labels))
          .flatMap((np) => np.spec.ingress || [])
          .filter((r) => !r.ports || r.ports.some((p) => resolvePort(pod, p.port) === port));
      };
      // The Deployments whose pods a rule's `from` admits (all of them, plus
      // "*" for outside, when `from` is absent).
      const admitted = (rule) => {
        if (!rule.from) return ["*"];
        const names = new Set();
        for (const peer of rule.from) {
          if (peer.ipBlock) names.add("*");
          else if (peer.namespaceSelector && !peer.podSelector) names.add(`namespace:${JSON.stringify(peer.namespaceSelector)}`);
          else {
            assert.ok(!peer.namespaceSelector, "pod peers are in this namespace");
            for (const p of selected(objects, peer.podSelector)) names.add(p.deployment.metadata.name);
          }
        }
        return [...names];
      };

      test("ingress is denied by default", () => {
        assert.ok(policies.some((np) => Object.keys(np.spec.podSelector).length === 0
          && np.spec.policyTypes.includes("Ingress") && !np.spec.ingress));
      });

      test("every policy selects pods and names existing ports", () => {
        for (const np of policies) {
          const pods = selected(objects, np.spec.podSelector);
          assert.ok(pods.length > 0, `${np.metadata.name} selects pods`);
          for (const r of np.spec.ingress || []) {
            for (const p of r.ports || []) {
              assert.ok(pods.every((pod) => resolvePort(pod, p.port)), `${np.metadata.name}: port ${p.port}`);
            }
          }
        }
      });

      test("only the gongkai servers reach Redis", () => {
        const rules = rulesFor("gongkai-redis", 6379);
        assert.ok(rules.length > 0);
        const from = rules.flatMap(admitted).sort();
        assert.deepEqual(from, [...SERVERS].sort());
      });

      test("only the aggregate reaches parse and validate over gRPC", () => {
        for (const n of HEADLESS) {
          const rules = rulesFor(n, 8080);
          assert.ok(rules.length > 0, n);
          assert.deepEqual([...new Set(rules.flatMap(admitted))], ["gongkai-aggregate"], n);
        }
      });

      test("clients reach the aggregate; metrics only from monitoring", () => {
        assert.ok(rulesFor("gongkai-aggregate", 8080).some((r) => admitted(r).includes("*")));
        for (const n of SERVERS) {
          const from = rulesFor(n, 9090).flatMap(admitted);
          assert.ok(from.length > 0 && from.every((f) => f.startsWith("namespace:")), `${n} metrics: ${from}`);
        }
      });
    });

    if (overlay === "dev") {
      test("dev: one replica of everything, no autoscaling", () => {
        for (const d of byKind(objects, "Deployment")) assert.equal(d.spec.replicas, 1, d.metadata.name);
        assert.equal(byKind(objects, "HorizontalPodAutoscaler").length, 0);
      });
    }

    if (overlay === "prod") {
      test("prod: parse >= 3 replicas with a CPU HPA", () => {
        assert.ok(deployment(objects, "gongkai-parse").spec.replicas >= 3);
        const hpa = byKind(objects, "HorizontalPodAutoscaler")
          .find((h) => h.spec.scaleTargetRef.kind === "Deployment" && h.spec.scaleTargetRef.name === "gongkai-parse");
        assert.ok(hpa, "an HPA targets gongkai-parse");
        assert.ok(hpa.spec.minReplicas >= 3 && hpa.spec.maxReplicas > hpa.spec.minReplicas);
        assert.ok(hpa.spec.metrics.some((m) => m.type === "Resource" && m.resource.name === "cpu"));
      });

      test("prod: every server has a PDB it can satisfy and spreads over nodes", () => {
        for (const n of SERVERS) {
          const d = deployment(objects, n);
          assert.ok(d.spec.replicas >= 2, `${n} has >= 2 replicas`);
          const labels = d.spec.template.metadata.labels;
          const pdbs = byKind(objects, "PodDisruptionBudget").filter((p) => selects(p.spec.selector, labels));
          assert.equal(pdbs.length, 1, `${n} has one PDB`);
          assert.ok(pdbs[0].spec.minAvailable < d.spec.replicas, `${n}: PDB leaves room for a disruption`);
          const anti = d.spec.template.spec.affinity?.podAntiAffinity;
          const terms = [...(anti?.preferredDuringSchedulingIgnoredDuringExecution || []).map((t) => t.podAffinityTerm),
            ...(anti?.requiredDuringSchedulingIgnoredDuringExecution || [])];
          assert.ok(terms.some((t) => t.topologyKey === "kubernetes.io/hostname" && selects(t.labelSelector, labels)),
            `${n} anti-affinity on hostname against its own pods`);
        }
      });
    }
  });
}
