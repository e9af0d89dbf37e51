#!/usr/bin/env bash
# The comparison harness: builds azpay (release), installs integrify into a temporary
# virtualenv, runs the criterion benches, the per-operation/allocation counts, the CLI start-up
# and the transport throughput measurements, and writes benches/RESULTS.md.
#
#   benches/compare/run.sh            # the real run (about 5 minutes on 2 cores, after building)
#   QUICK=1 benches/compare/run.sh    # a smoke run of every step (numbers not meaningful)
#   SKIP_CRITERION=1 ...              # skip `cargo bench` (the table's criterion column is n/a)
#
# Needs: cargo, python3 (with venv). PyPI access for integrify; without it the integrify
# columns are skipped and RESULTS.md says why. No test depends on any timing.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
TARGET="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
WORK_DIR="$(mktemp -d /tmp/azpay-compare.XXXXXX)"
trap 'rm -rf "$WORK_DIR"' EXIT

echo "== building (release)" >&2
cargo build --release -q -p azpay-cli -p azpay-benches --bins

if [[ "${SKIP_CRITERION:-0}" != 1 ]]; then
  echo "== criterion (cargo bench -p azpay-benches --bench ops)" >&2
  if [[ "${QUICK:-0}" == 1 ]]; then
    cargo bench -q -p azpay-benches --bench ops -- --warm-up-time 0.2 --measurement-time 0.5 >&2
  else
    cargo bench -q -p azpay-benches --bench ops >&2
  fi
fi

echo "== integrify into a temporary virtualenv" >&2
INTEGRIFY_PYTHON=""
INTEGRIFY_NOTE=""
if python3 -m venv "$WORK_DIR/venv" >&2; then
  if "$WORK_DIR/venv/bin/pip" install -q --disable-pip-version-check \
      integrify-epoint integrify-kapitalbank >&2; then
    INTEGRIFY_PYTHON="$WORK_DIR/venv/bin/python"
    "$INTEGRIFY_PYTHON" -m pip list --disable-pip-version-check 2>/dev/null \
      | grep -i -E '^(integrify|pydantic|httpx)' >&2 || true
  else
    INTEGRIFY_NOTE="pip install integrify-epoint integrify-kapitalbank failed (registry unreachable or packages missing)"
  fi
else
  INTEGRIFY_NOTE="python3 -m venv failed"
fi
[[ -n "$INTEGRIFY_NOTE" ]] && echo "!! $INTEGRIFY_NOTE; integrify columns skipped" >&2

echo "== measuring" >&2
ROOT="$ROOT" TARGET="$TARGET" WORK_DIR="$WORK_DIR" INTEGRIFY_PYTHON="$INTEGRIFY_PYTHON" \
  INTEGRIFY_NOTE="$INTEGRIFY_NOTE" QUICK="${QUICK:-0}" python3 benches/compare/report.py
echo "== done: benches/RESULTS.md" >&2
