// Offline checks of deploy/docker/Dockerfile and the root .dockerignore
// (there is no Docker engine on the build machines): stage layout, non-root
// user, exec-form entrypoints, Debian package names (apt-cache), COPY sources
// that exist in git and survive .dockerignore, and, once the servers are
// built, that every shared library they load comes from a runtime package.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { repoRoot } from "./render.mjs";

const SERVERS = { parse: "gongkai-parse-server", validate: "gongkai-validate-server",
  aggregate: "gongkai-aggregate-server" };

function run(cmd, args, opts = {}) {
  const out = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 << 20, ...opts });
  return out.error ? { status: -1, stdout: "", stderr: String(out.error) } : out;
}

// [{instruction, args, flags}] grouped into stages [{from, name, body}].
function parseDockerfile(text) {
  const lines = text.replace(/\\\n/g, " ").split("\n")
    .map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  const globalArgs = {};
  const stages = [];
  for (const line of lines) {
    const [, instr, rest] = /^(\S+)\s*(.*)$/.exec(line);
    const upper = instr.toUpperCase();
    const flags = {};
    let body = rest;
    while (/^--[a-z-]+=\S+\s/.test(body)) {
      const [, k, v, after] = /^--([a-z-]+)=(\S+)\s+(.*)$/.exec(body);
      flags[k] = v;
      body = after;
    }
    if (upper === "FROM") {
      const [image, as, name] = body.split(/\s+/);
      const resolved = image.replace(/\$\{(\w+)\}/g, (m, v) => globalArgs[v] ?? m);
      stages.push({ from: resolved, name: as?.toUpperCase() === "AS" ? name : undefined, body: [] });
    } else if (stages.length === 0) {
      assert.equal(upper, "ARG", `only ARG may precede FROM, got ${upper}`);
      const [k, v] = body.split("=");
      globalArgs[k] = v;
    } else {
      stages.at(-1).body.push({ instruction: upper, args: body, flags });
    }
  }
  return stages;
}

// The words of `apt-get install` in a RUN line (package names only).
function aptPackages(stage) {
  const pkgs = [];
  for (const i of stage.body.filter((x) => x.instruction === "RUN")) {
    for (const cmd of i.args.split("&&")) {
      const m = /apt-get install\s+(.*)$/.exec(cmd.trim());
      if (m) pkgs.push(...m[1].split(/\s+/).filter((w) => w && !w.startsWith("-")));
    }
  }
  return pkgs;
}

// Instructions of `stage` and the stages it derives from, base first.
function chain(stages, stage) {
  const parent = stages.find((s) => s.name === stage.from);
  return parent ? [...chain(stages, parent), ...stage.body] : stage.body;
}

// .dockerignore patterns as regexes over context-relative paths; a path is
// excluded when it or one of its parent folders matches.
function dockerignore() {
  return readFileSync(join(repoRoot, ".dockerignore"), "utf8").split("\n")
    .map((l) => l.trim()).filter((l) => l && !l.startsWith("#"))
    .map((p) => {
      assert.ok(!p.startsWith("!"), "negated .dockerignore patterns are not used");
      const re = p.replace(/^\/+|\/+$/g, "").split("/").map((seg) => (seg === "**" ? "(?:.*/)?"
        : seg.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]") + "/"))
        .join("");
      return { pattern: p, re: new RegExp(`^${re.replace(/\/$/, "")}$`) };
    });
}
function ignored(patterns, path) {
  const parts = path.split("/");
  for (let i = 1; i <= parts.length; ++i) {
    const prefix = parts.slice(0, i).join("/");
    const hit = patterns.find((p) => p.re.test(prefix));
    if (hit) return hit.pattern;
  }
  return undefined;
}

const dockerfile = readFileSync(join(repoRoot, "deploy/docker/Dockerfile"), "utf8");
const stages = parseDockerfile(dockerfile);
const stage = (name) => stages.find((s) => s.name === name);
const aptAvailable = run("apt-cache", ["show", "--no-all-versions", "libc6"]).status === 0;
const noApt = aptAvailable ? false : "apt-cache is absent or has no package lists (run apt-get update)";

describe("Dockerfile", () => {
  test("build stage on debian:bookworm, runtime on bookworm-slim", () => {
    assert.equal(stage("build")?.from, "debian:bookworm");
    assert.equal(stage("runtime")?.from, "debian:bookworm-slim");
  });

  for (const [target, binary] of Object.entries(SERVERS)) {
    test(`target ${target}: non-root, exec-form entrypoint running ${binary}`, () => {
      const s = stage(target);
      assert.ok(s, `stage ${target}`);
      assert.equal(s.from, "runtime");
      const body = chain(stages, s);
      const users = body.filter((i) => i.instruction === "USER");
      assert.ok(users.length > 0, "a USER is set");
      const user = users.at(-1).args.split(":")[0];
      assert.ok(user !== "root" && user !== "0", `USER ${user} is not root`);
      const entry = body.filter((i) => i.instruction === "ENTRYPOINT").at(-1);
      assert.ok(entry, "an ENTRYPOINT");
      const argv = JSON.parse(entry.args);  // exec form is a JSON array
      assert.ok(Array.isArray(argv) && argv.every((a) => typeof a === "string"));
      assert.equal(argv.at(-1), `/usr/local/bin/${binary}`);
      if (argv.length > 1) assert.deepEqual(argv.slice(0, -1), ["/usr/bin/tini", "--"]);
      const copy = s.body.find((i) => i.instruction === "COPY" && i.flags.from === "build");
      assert.deepEqual(copy.args.split(/\s+/), [`/build/bin/${binary}`, `/usr/local/bin/${binary}`]);
      const cmd = body.filter((i) => i.instruction === "CMD").at(-1);
      assert.ok(!cmd || Array.isArray(JSON.parse(cmd.args)), "CMD is exec form too");
    });
  }

  test("the build stage builds exactly the three servers", () => {
    const build = stage("build").body.filter((i) => i.instruction === "RUN").map((i) => i.args).join(" ");
    const m = /--target\s+((?:[\w-]+\s*)+)/.exec(build);
    assert.ok(m, "cmake --build --target ...");
    assert.deepEqual(m[1].trim().split(/\s+/).sort(), Object.values(SERVERS).sort());
  });

  test("the runtime has no build tools", () => {
    for (const p of aptPackages(stage("runtime"))) {
      assert.ok(!/-dev$/.test(p) && !["build-essential", "cmake", "gcc", "g++"].includes(p), p);
    }
  });

  test("build packages are the ones scripts/install-deps.sh installs", () => {
    const deps = readFileSync(join(repoRoot, "scripts/install-deps.sh"), "utf8");
    const listed = /packages=\(([^)]*)\)/.exec(deps)[1].split(/\s+/).filter(Boolean);
    for (const p of aptPackages(stage("build"))) assert.ok(listed.includes(p), `${p} is in install-deps.sh`);
  });

  test("every apt package exists in Debian", { skip: noApt }, () => {
    const wanted = [...aptPackages(stage("build")), ...aptPackages(stage("runtime"))];
    const out = run("apt-cache", ["show", "--no-all-versions", ...wanted]);
    const found = new Set([...out.stdout.matchAll(/^Package: (\S+)$/gm)].map((m) => m[1]));
    assert.deepEqual(wanted.filter((p) => !found.has(p)), [], `apt-cache show: ${out.stderr}`);
  });

  test("COPY sources are tracked by git and not in .dockerignore", () => {
    const patterns = dockerignore();
    const tracked = run("git", ["ls-files"], { cwd: repoRoot });
    assert.equal(tracked.status, 0, tracked.stderr);
    const files = tracked.stdout.split("\n");
    let copies = 0;
    for (const s of stages) {
      for (const i of s.body.filter((x) => x.instruction === "COPY" && !x.flags.from)) {
        const srcs = i.args.split(/\s+/).slice(0, -1);
        for (const src of srcs) {
          ++copies;
          const path = src.replace(/^\.\//, "").replace(/\/$/, "");
          assert.ok(files.some((f) => f === path || f.startsWith(`${path}/`)), `${src} is tracked by git`);
          assert.equal(ignored(patterns, path), undefined, `${src} is excluded by .dockerignore`);
          if (files.includes(path)) continue;
          // Inside a copied folder, the tracked files stay in the context.
          const lost = files.filter((f) => f.startsWith(`${path}/`) && ignored(patterns, f));
          assert.deepEqual(lost, [], `files of ${src} excluded by .dockerignore`);
        }
      }
    }
    assert.ok(copies > 0);
  });

  test("every folder the root CMakeLists.txt adds is copied", () => {
    const root = readFileSync(join(repoRoot, "CMakeLists.txt"), "utf8");
    const copied = stage("build").body.filter((i) => i.instruction === "COPY" && !i.flags.from)
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1)).map((s) => s.replace(/^\.\//, "").replace(/\/$/, ""));
    for (const [, dir] of root.matchAll(/^\s*add_subdirectory\((\w+)\)/gm)) {
      assert.ok(copied.includes(dir), `COPY ${dir}`);
    }
    for (const [, inc] of root.matchAll(/^\s*include\(([\w/.-]+\.cmake)\)/gm)) {
      assert.ok(copied.some((c) => inc === c || inc.startsWith(`${c}/`)), `COPY ${inc}`);
    }
  });

  // The build stage's `cmake -S /src` on exactly what its COPY lines put
  // there from a clean clone (the files of git HEAD that survive
  // .dockerignore): configure must succeed and define the three server
  // targets. (Compiling is left to the real image build; it would take
  // minutes here.)
  const noCmake = run("cmake", ["--version"]).status === 0 ? false : "cmake is absent";
  test("the build stage's sources configure and define the server targets", { skip: noCmake }, () => {
    const patterns = dockerignore();
    const tmp = mkdtempSync(join(tmpdir(), "gongkai-docker-context-"));
    try {
      const clone = join(tmp, "clone");
      mkdirSync(clone);
      const archive = run("bash", ["-c", 'git -C "$1" archive --format=tar HEAD | tar -x -C "$2"', "_", repoRoot, clone]);
      assert.equal(archive.status, 0, archive.stderr);
      const files = run("git", ["ls-tree", "-r", "--name-only", "HEAD"], { cwd: repoRoot }).stdout
        .split("\n").filter(Boolean);
      const src = join(tmp, "src");
      for (const i of stage("build").body.filter((x) => x.instruction === "COPY" && !x.flags.from)) {
        const words = i.args.split(/\s+/);
        const dest = words.at(-1);
        for (const from of words.slice(0, -1)) {
          const path = from.replace(/^\.\//, "").replace(/\/$/, "");
          for (const f of files.filter((f) => (f === path || f.startsWith(`${path}/`)) && !ignored(patterns, f))) {
            // COPY dir ./dir and COPY file ./ (WORKDIR /src) both keep the
            // path relative to the context.
            assert.ok(dest === "./" || dest.replace(/^\.\//, "").replace(/\/$/, "") === path, `COPY ${from} ${dest}`);
            const to = join(src, f);
            mkdirSync(dirname(to), { recursive: true });
            if (existsSync(join(clone, f))) copyFileSync(join(clone, f), to);
          }
        }
      }
      const configure = run("cmake", ["-S", src, "-B", join(tmp, "build"), "-DCMAKE_BUILD_TYPE=Release"]);
      assert.equal(configure.status, 0, configure.stdout.slice(-2000) + configure.stderr.slice(-2000));
      const targets = run("cmake", ["--build", join(tmp, "build"), "--target", "help"]).stdout;
      for (const b of Object.values(SERVERS)) assert.match(targets, new RegExp(`\\.\\.\\. ${b}$`, "m"), b);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test(".dockerignore keeps git metadata, build trees and node_modules out", () => {
    const patterns = dockerignore();
    for (const p of [".git", "build", "build-deploy", "tests/deploy/node_modules", "common/build"]) {
      assert.ok(ignored(patterns, p), `${p} is excluded`);
    }
  });

  // Where the servers are built (CTest passes GONGKAI_BUILD_DIR).
  const bin = join(process.env.GONGKAI_BUILD_DIR || join(repoRoot, "build"), "bin");
  const built = Object.values(SERVERS).every((b) => existsSync(join(bin, b)));
  const skipLibs = noApt || (!built && `the servers are not built in ${bin}`)
    || (run("dpkg", ["--version"]).status !== 0 && "dpkg is absent");
  test("every shared library the servers load is installed in the runtime image", { skip: skipLibs }, () => {
    const runtime = aptPackages(stage("runtime"));
    const deps = run("apt-cache", ["depends", "--recurse", "--no-recommends", "--no-suggests", "--no-conflicts",
      "--no-breaks", "--no-replaces", "--no-enhances", ...runtime]);
    assert.equal(deps.status, 0, deps.stderr);
    const closure = new Set(deps.stdout.split("\n").filter((l) => l && !l.startsWith(" ")).map((l) => l.trim()));
    // Every library any server loads, by path -> the servers loading it.
    const users = new Map();
    for (const binary of Object.values(SERVERS)) {
      const ldd = run("ldd", [join(bin, binary)]);
      assert.equal(ldd.status, 0, ldd.stderr);
      assert.ok(!/not found/.test(ldd.stdout), ldd.stdout);
      for (const [, path] of ldd.stdout.matchAll(/=>\s+(\/\S+)/g)) {
        users.set(path, [...(users.get(path) || []), binary]);
      }
    }
    // One dpkg -S for all of them; usrmerge: a library may be registered
    // under /lib or /usr/lib.
    const variants = (path) => [path, path.replace(/^\/usr\//, "/"), path.replace(/^\/(lib|lib64)\//, "/usr/$1/")];
    const owners = new Map();
    const dpkg = run("dpkg", ["-S", ...new Set([...users.keys()].flatMap(variants))]);
    for (const line of dpkg.stdout.split("\n")) {
      const m = /^([^:]+)(?::[^:]+)?: (\/\S+)$/.exec(line);
      if (m) owners.set(m[2], m[1]);
    }
    const pkgOf = new Map([...users.keys()].map((path) => [path, variants(path).map((v) => owners.get(v)).find(Boolean)]));
    for (const [path, pkg] of pkgOf) assert.ok(pkg, `${users.get(path)}: no Debian package owns ${path}`);
    // Packages outside the closure must be Priority: required (in every
    // Debian image, slim included).
    const outside = [...new Set(pkgOf.values())].filter((p) => !closure.has(p));
    const shown = outside.length ? run("apt-cache", ["show", "--no-all-versions", ...outside]).stdout : "";
    const required = new Set(shown.split("\n\n").filter((b) => /^Priority: required$/m.test(b))
      .map((b) => /^Package: (\S+)$/m.exec(b)?.[1]));
    for (const [path, pkg] of pkgOf) {
      assert.ok(closure.has(pkg) || required.has(pkg), `${users.get(path)} loads ${path} from ${pkg}, which the runtime lacks`);
    }
  });
});
