// Validates every object each overlay renders (and the base) against the
// Kubernetes OpenAPI schema, using the validators of the npm package
// kubernetes-models. An object of a kind the package does not know fails.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { k8sDir, overlays, render } from "./render.mjs";

// "apps/v1" + "Deployment" -> the model class, or undefined.
async function modelFor(apiVersion, kind) {
  try {
    const mod = await import(`kubernetes-models/${apiVersion}/${kind}`);
    return mod[kind];
  } catch (e) {
    if (e.code === "ERR_MODULE_NOT_FOUND" || e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED") return undefined;
    throw e;
  }
}

const dirs = [["base", join(k8sDir, "base")],
  ...overlays().map((o) => [`overlay ${o}`, join(k8sDir, "overlays", o)])];

for (const [label, dir] of dirs) {
  describe(`schema: ${label}`, () => {
    const objects = render(dir);
    test("renders objects", () => assert.ok(objects.length > 0));
    for (const obj of objects) {
      test(`${obj.kind}/${obj.metadata?.name}`, async () => {
        const Model = await modelFor(obj.apiVersion, obj.kind);
        assert.ok(Model, `no schema for ${obj.apiVersion} ${obj.kind}`);
        // validate() throws with the JSON path of the first violation.
        new Model(obj).validate();
      });
    }
  });
}
