#!/usr/bin/env bash
# Installs the suite into brand-new portals the way a platform team would, and checks that it
# works there: packs the packages with `yarn pack`, generates a portal with
# @backstage/create-app outside the repository, follows the README's "Install into your portal"
# by script, starts the portal and looks at the sample project's Releases tab in Chromium.
#
#   ./scripts/install-test/run.sh [--new|--legacy|--both] [--keep]
#
# --new / --legacy pick the frontend system of the generated app (default: both, one after the
# other). --keep leaves the temporary folder (portals, tarballs) in place for a look.
# Logs and screenshots land in .test-results/install-test/. Ports: 7300 (backend) and 3300
# (frontend), or INSTALL_TEST_BACKEND_PORT / INSTALL_TEST_APP_PORT.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CREATE_APP_VERSION=0.9.2
BACKEND_PORT="${INSTALL_TEST_BACKEND_PORT:-7300}"
APP_PORT="${INSTALL_TEST_APP_PORT:-3300}"
ENTITY_PATH=/catalog/default/component/install-test-shop

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
removals=()

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

for port in "$BACKEND_PORT" "$APP_PORT"; do
  if port_busy "$port"; then
    echo "install-test: port $port is in use; stop what runs there or set INSTALL_TEST_BACKEND_PORT / INSTALL_TEST_APP_PORT" >&2
    exit 1
  fi
done

step "packing the suite into $WORK/packs"
if ! logged "$RESULTS/pack.log" 900 "$HERE/pack.sh" "$WORK/packs"; then
  for system in "${systems[@]}"; do echo "install-test: $system frontend system: FAIL (packing)"; done
  exit 1
fi
cp "$WORK"/packs/*.log "$RESULTS/" 2>/dev/null

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
    'echo portal | npx -y "@backstage/create-app@$0" --path "$1" --skip-install "${@:2}"' \
    "$CREATE_APP_VERSION" "$portal" "${flags[@]}" || return 1

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

  step "$system: following the README's code changes"
  logged "$logs/follow-readme.log" 60 \
    node "$HERE/follow-readme.js" "$portal" "$system" "$BACKEND_PORT" "$APP_PORT" || return 1
  (cd "$portal" && git diff --no-color -- packages >"$logs/changes.diff" 2>/dev/null)

  # The packed type declarations must type-check in a consumer, the way the app imports them.
  step "$system: yarn tsc in the portal"
  (cd "$portal" && logged "$logs/tsc.log" 300 yarn tsc) || return 1

  start_and_check "$system" "$portal" "$logs" || return 1

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
  local system="$1" portal="$2" logs="$3"
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
  # Still answering after the page's calls.
  wait_for_200 "http://localhost:$BACKEND_PORT/api/autonomous/health" 10 || return 1
  stop_portal
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
