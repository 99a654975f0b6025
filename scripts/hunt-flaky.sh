#!/usr/bin/env bash
# Hunt flaky tests: run the whole suite N times in a random order (pytest-randomly), every
# other run with both CPUs kept busy, and print one line per run with its seed. A failure is
# replayed with: .venv/bin/pytest -p randomly --randomly-seed=SEED
#   scripts/hunt-flaky.sh [RUNS] [extra pytest args…]
# Uses its own database and Redis db (HUNT_DATABASE_URL, HUNT_REDIS_URL) so it can run beside
# `make test`. `make test` itself keeps a fixed order: the gate must not depend on luck.
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
shift || true
database=${HUNT_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/flowbuilder_hunt}
redis=${HUNT_REDIS_URL:-redis://127.0.0.1:6379/10}
mkdir -p test-artifacts/hunt
failed=0
for i in $(seq 1 "$runs"); do
  seed=$((RANDOM * 32768 + RANDOM))
  busy=$((i % 2 == 0))
  hogs=()
  if [ "$busy" = 1 ]; then
    for _ in $(seq "$(nproc)"); do (while :; do :; done) & hogs+=($!); done
  fi
  log=test-artifacts/hunt/run-$seed.log
  start=$SECONDS
  DATABASE_URL=$database REDIS_URL=$redis .venv/bin/pytest -p randomly --randomly-seed="$seed" -q "$@" >"$log" 2>&1
  rc=$?
  [ ${#hogs[@]} -gt 0 ] && kill "${hogs[@]}" 2>/dev/null
  [ $rc -ne 0 ] && failed=$((failed + 1))
  echo "run $i/$runs seed=$seed cpu_busy=$busy exit=$rc $((SECONDS - start))s: $(tail -1 "$log")"
done
echo "$failed of $runs runs failed; logs in test-artifacts/hunt/"
[ $failed -eq 0 ]
