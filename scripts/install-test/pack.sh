#!/usr/bin/env bash
# Builds and packs every package of the suite the way `npm publish` would see it:
# `yarn pack` runs the packages' prepack (backstage-cli package prepack: entry points and
# publishConfig to dist/, config.d.ts compiled to config.schema.json) and rewrites
# `workspace:^` ranges to real versions. Usage: pack.sh OUT_DIR
set -euo pipefail
OUT="${1:?usage: pack.sh OUT_DIR}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mkdir -p "$OUT"
cd "$ROOT"

# What a portal installs: the frontend and backend plugins and, transitively, every suite package
# they depend on (the common library, the node library); and the `autonomous` CLI, which CI
# pipelines run with npx.
mapfile -t PACKAGES < <(node -e '
  const fs = require("fs");
  const byName = new Map();
  const dirs = [...fs.readdirSync("plugins").map(d => `plugins/${d}`), "packages/cli"];
  for (const dir of dirs) {
    const file = `${dir}/package.json`;
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
    byName.set(pkg.name, { pkg, dir });
  }
  const todo = [
    "@autonomous-dev/backstage-plugin-autonomous",
    "@autonomous-dev/backstage-plugin-autonomous-backend",
    "@autonomous-dev/cli",
  ];
  const seen = new Set();
  while (todo.length) {
    const name = todo.shift();
    if (seen.has(name)) continue;
    seen.add(name);
    const { pkg, dir } = byName.get(name);
    console.log(`${name} ${dir}`);
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }))
      if (byName.has(dep)) todo.push(dep);
  }')

# Type declarations in dist/ come from the root's dist-types/.
echo "install-test: yarn tsc (declarations for dist/)"
yarn tsc >/dev/null

for line in "${PACKAGES[@]}"; do
  name="${line%% *}"
  dir="${line#* }"
  short="${name#@autonomous-dev/}"
  echo "install-test: build and pack $name"
  if ! yarn workspace "$name" build >"$OUT/$short.build.log" 2>&1 ||
    ! yarn workspace "$name" pack --out "$OUT/$short.tgz" >"$OUT/$short.pack.log" 2>&1; then
    echo "install-test: could not build or pack $name; see below" >&2
    tail -n 30 "$OUT/$short.build.log" "$OUT/$short.pack.log" 2>/dev/null >&2
    exit 1
  fi
  # What a consumer would download: no workspace ranges, no src/ entry points, not private; a
  # command's bin is in the tarball and the command needs nothing installed beside it.
  tar -xzOf "$OUT/$short.tgz" package/package.json | node -e '
    const pkg = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const files = process.argv[1].split("\n");
    const problems = [];
    const text = JSON.stringify(pkg);
    if (text.includes("workspace:")) problems.push("a workspace: range is left");
    if (pkg.private) problems.push("it is private");
    if (pkg.bin) {
      for (const bin of Object.values(pkg.bin))
        if (!files.includes(`package/${bin}`)) problems.push(`its bin ${bin} is not in the tarball`);
      if (Object.keys(pkg.dependencies ?? {}).length)
        problems.push("a command with dependencies: npx would resolve them from the registry that day");
    } else {
      for (const key of ["main", "types"])
        if (!String(pkg[key] ?? "").startsWith("dist/") && !String(pkg[key] ?? "").startsWith("./dist/"))
          problems.push(`${key} is ${pkg[key]}, not in dist/`);
    }
    if (problems.length) {
      console.error(`install-test: ${pkg.name}: ${problems.join("; ")}`);
      process.exit(1);
    }' "$(tar -tzf "$OUT/$short.tgz")"
done
ls -la "$OUT"/*.tgz
