#!/usr/bin/env bash
# `make bench`: the host benchmark of the pool core (criterion), then, with RTT_ROOT, the
# side-by-side benchmark against the kernel's own src/mempool.c on qemu-vexpress-a9
# (scripts/qemu_bench.py: cycles, init time and code size, one `bench: NAME c=X rust=Y
# ratio=Z` line per figure and a table). Results are written up in docs/benchmarks.md.
set -uo pipefail
cd "$(dirname "$0")/.."

status=0
scripts/setup.sh host

echo "== host: criterion benchmark of the pool core (cargo bench -p rtt-mempool-bench)"
# bencher format: one line per benchmark; criterion's full report is in target/criterion/
if ! cargo bench -p rtt-mempool-bench --quiet -- --output-format bencher 2>&1 \
        | grep -E '^(test |error|warning: unused)' ; then
    echo "host benchmark FAILED"
    status=1
fi

if [ -n "${RTT_ROOT:-}" ]; then
    scripts/setup.sh qemu
    echo "== qemu-vexpress-a9: rtt-mempool vs the kernel's src/mempool.c (one image, -icount shift=0)"
    python3 scripts/qemu_bench.py || status=1
else
    echo "SKIPPED: side-by-side benchmark against the kernel's C mempool on qemu-vexpress-a9" \
         "(needs RTT_ROOT: set it to an RT-Thread 5.3 tree to compare cycles, init time and code size)"
fi
exit $status
