#!/usr/bin/env bash
# The comparison harness: builds azpay (release), installs integrify into a temporary
# virtualenv, builds a hello-world Rust binary as the memory baseline, runs the criterion benches, the per-operation/allocation counts, the CLI start-up
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

echo "== hello-world Rust binary (the RSS baseline), same release profile" >&2
# Generated here so it is built exactly like azpay: the workspace's [profile.release] section is
# copied into its manifest, and it is built by the same cargo in release mode.
HELLO_DIR="$WORK_DIR/hello"
mkdir -p "$HELLO_DIR/src"
{
  printf '[package]\nname = "hello"\nversion = "0.1.0"\nedition = "2021"\n\n[workspace]\n\n'
  awk '/^\[/{on = ($0 == "[profile.release]")} on' Cargo.toml
} > "$HELLO_DIR/Cargo.toml"
printf 'fn main() {\n    println!("Hello, world!");\n}\n' > "$HELLO_DIR/src/main.rs"
HELLO_BIN=""
if cargo build --release -q --manifest-path "$HELLO_DIR/Cargo.toml" \
    --target-dir "$WORK_DIR/hello-target" >&2; then
  HELLO_BIN="$WORK_DIR/hello-target/release/hello"
else
  echo "!! hello-world build failed; its RSS row is skipped" >&2
fi

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
ROOT="$ROOT" TARGET="$TARGET" WORK_DIR="$WORK_DIR" INTEGRIFY_PYTHON="$INTEGRIFY_PYTHON" HELLO_BIN="$HELLO_BIN" \
  INTEGRIFY_NOTE="$INTEGRIFY_NOTE" QUICK="${QUICK:-0}" python3 benches/compare/report.py
echo "== done: benches/RESULTS.md" >&2
