#!/usr/bin/env bash
# The host runner survives failing test cases: the host.fails.* cases (run only when a filter
# selects them) spin forever — plainly, with interrupts masked, with the scheduler locked — and
# each must fail alone (at its simulated time limit, or at the wall-clock limit, here 3 s),
# with the case after them passing and the summary line `1 passed, 3 failed`.
# Usage: scripts/check_host_runner.sh [rust-target]   (default i686-unknown-linux-gnu)
set -uo pipefail
cd "$(dirname "$0")/.."
target=${1:-i686-unknown-linux-gnu}
out=$(RTT_HOST_WALL_CLOCK=3 cargo test -q -p rtt-mempool-host-tests --target "$target" -- host.fails 2>&1)
rc=$?
echo "$out"
ok=1
expect() {
    if grep -qF -- "$1" <<<"$out"; then
        echo "check_host_runner: ok: $1"
    else
        echo "check_host_runner: MISSING: $1"; ok=0
    fi
}
expect "host.fails.spin_forever did not finish within 1 s (1000 ticks)"
expect "host.fails.spin_irq_masked still running after 3 s of wall-clock time"
expect "host.fails.spin_locked did not finish within 1 s (1000 ticks)"
expect "[  PASSED  ] [ result   ] testcase (host.fails.zz_runs_after)"
expect "1 passed, 3 failed"
[ "$rc" -ne 0 ] || { echo "check_host_runner: the runner exited 0 despite failed cases"; ok=0; }
[ "$ok" -eq 1 ]
