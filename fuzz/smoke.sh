#!/usr/bin/env bash
# Smoke-runs every cargo-fuzz target for a short while; exits non-zero on a crash.
#
#   fuzz/smoke.sh                         # 20 s per target
#   FUZZ_SMOKE_SECONDS=240 FUZZ_SMOKE_RUNS=10000000 FUZZ_TARGETS="twec_xmlout" fuzz/smoke.sh
#   (knobs: FUZZ_SMOKE_SECONDS per target, FUZZ_SMOKE_RUNS, FUZZ_TARGETS, FUZZ_SANITIZER)
#
# Needs the nightly toolchain and cargo-fuzz (installed with `cargo install cargo-fuzz --locked`
# when missing). Without them it says so and exits 0: the stable replay of the committed seeds
# and crashes (core/tests/fuzz_regressions.rs) still runs in `cargo test`.
# Each target starts from fuzz/corpus-seeds/<target>/ (committed, read only) and grows its
# scratch corpus in fuzz/corpus/<target>/ (git-ignored). Crashes land in fuzz/artifacts/<target>/.
set -u
cd "$(dirname "$0")"

SECS="${FUZZ_SMOKE_SECONDS:-20}"
RUNS="${FUZZ_SMOKE_RUNS:--1}"
# azpay-core forbids unsafe code, so AddressSanitizer adds little but slowness; set
# FUZZ_SANITIZER=address to use it anyway.
SANITIZER="${FUZZ_SANITIZER:-none}"

if ! command -v rustup >/dev/null 2>&1 || ! rustup toolchain list | grep -q '^nightly'; then
    echo "fuzz smoke: no nightly toolchain; skipped"
    exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz smoke: installing cargo-fuzz"
    if ! cargo install cargo-fuzz --locked; then
        echo "fuzz smoke: cargo-fuzz could not be installed; skipped"
        exit 0
    fi
fi

if ! cargo +nightly fuzz build -O -s "$SANITIZER"; then
    echo "fuzz smoke: the targets do not build" >&2
    exit 1
fi

targets="${FUZZ_TARGETS:-$(cargo +nightly fuzz list)}"
failed=""
for t in $targets; do
    mkdir -p "corpus/$t"
    seeds=()
    [ -d "corpus-seeds/$t" ] && seeds=("corpus-seeds/$t")
    echo "fuzz smoke: $t for ${SECS}s"
    if ! cargo +nightly fuzz run -O -s "$SANITIZER" "$t" "corpus/$t" "${seeds[@]}" -- \
        -max_total_time="$SECS" -runs="$RUNS" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1; then
        echo "fuzz smoke: $t FAILED (see fuzz/artifacts/$t/)" >&2
        failed="$failed $t"
    fi
done

if [ -n "$failed" ]; then
    echo "fuzz smoke: crashes in:$failed" >&2
    exit 1
fi
echo "fuzz smoke: all targets ran clean"
