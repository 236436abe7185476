#!/usr/bin/env bash
# Runs the pool logic's tests under Miri when a nightly toolchain with Miri is available
# (installing the component if nightly is there), bounded in time. Prints SKIPPED otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
if ! rustup toolchain list | grep -q '^nightly'; then
    echo "SKIPPED: Miri (no nightly toolchain; install it with 'rustup toolchain install nightly --component miri')"
    exit 0
fi
if ! cargo +nightly miri --version >/dev/null 2>&1; then
    echo "setup: adding the miri component to nightly"
    timeout 300 rustup component add miri --toolchain nightly >/dev/null 2>&1 || {
        echo "SKIPPED: Miri (the component could not be installed)"; exit 0; }
fi
timeout 600 cargo +nightly miri setup >/dev/null 2>&1 || { echo "SKIPPED: Miri (miri setup failed)"; exit 0; }
# Only the pool logic: the C API needs a kernel, which Miri cannot run.
MIRIFLAGS="-Zmiri-strict-provenance" timeout 900 cargo +nightly miri test -p rtt-mempool --lib pool::
