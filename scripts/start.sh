#!/usr/bin/env bash
# Starts the Autonomous portal for development: the frontend on http://localhost:3000 and the
# backend on http://localhost:7007, signed in as a guest. Needs only a Node (>= 20) with npm on
# PATH: scripts/env.sh brings the repo's own Node 24 and Yarn 4 into .tools/.
#
# The backend keeps its data in SQLite files in .data/sqlite (git-ignored), so releases and
# databases survive a restart. Delete that folder to start from the sample catalog again.
# Without arguments it layers app-config.sandbox.yaml on app-config.yaml; arguments replace that and
# go to `yarn start`, e.g. `./scripts/start.sh --config ../../app-config.yaml --config ../../app-config.local.yaml`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/env.sh
source scripts/env.sh

# Installs exactly what yarn.lock records, with the checksums it records: a start never pulls
# a newer release of anything. After changing a package.json, run `yarn install` yourself and
# commit the lockfile it writes; until then this stops with "The lockfile would have been modified".
yarn install --immutable

mkdir -p .data/sqlite

# The upstream sandbox: a labelled test double of Jenkins, Harbor, Argo CD, Vault, Kubernetes,
# Prometheus and Loki, so the portal runs end to end on one machine (app-config.sandbox.yaml).
# It starts with the sample catalog's jobs and applications (seeds/examples.json) and notifies
# the backend when a build or sync finishes, with the token app-config.sandbox.yaml accepts.
echo "autonomous: starting the upstream SANDBOX (test double) on http://localhost:7200; log in .data/sandbox.log" >&2
SANDBOX_SEED="$ROOT/packages/sandbox/seeds/examples.json" \
  SANDBOX_REAL_DATABASES="${SANDBOX_REAL_DATABASES:-postgresql,mysql,redis}" \
  SANDBOX_NOTIFY_JENKINS_URL=http://localhost:7007/api/autonomous/notifications/jenkins \
  SANDBOX_NOTIFY_ARGOCD_URL=http://localhost:7007/api/autonomous/notifications/argocd \
  SANDBOX_NOTIFY_TOKEN=sandbox-notifications \
  yarn workspace @autonomous-dev/sandbox start >.data/sandbox.log 2>&1 &
sandbox_pid=$!
trap 'kill "$sandbox_pid" 2>/dev/null || true' EXIT

echo "autonomous: starting the portal on http://localhost:3000 (backend http://localhost:7007); Ctrl-C stops it" >&2
# Config paths are relative to packages/app and packages/backend.
if [ "$#" -eq 0 ]; then
  set -- --config ../../app-config.yaml --config ../../app-config.sandbox.yaml
fi
yarn start "$@"
