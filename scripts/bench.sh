#!/usr/bin/env bash
# `make bench`: the host benchmark of the pool core (criterion), then, with RTT_ROOT, the
# side-by-side benchmark against the kernel's own src/mempool.c on board $BSP (default
# qemu-vexpress-a9), or with --matrix (`make bench-matrix`) on every board in $BSPS (default:
# every board whose entry in scripts/boards/ has a `bench` dict). scripts/qemu_bench.py
# measures cycles (guest instructions under qemu -icount), init time and code size, one
# `bench: FIGURE[BOARD,CONFIG] c=X rust=Y ratio=Z` line per figure and a table. Results are
# written up in docs/benchmarks.md.
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

if [ "${1:-}" = --matrix ]; then
    # shellcheck disable=SC2207
    boards=(${BSPS:-$(cd scripts && python3 -B -c '
import boards
print(" ".join(sorted(n for n, b in boards.load().items() if b.get("bench"))))')})
    args=(--matrix)
else
    boards=("${BSP:-qemu-vexpress-a9}")
    args=(--bsp "${boards[0]}")
fi
if [ -n "${RTT_ROOT:-}" ]; then
    scripts/setup.sh qemu "${boards[@]}"
    echo "== ${boards[*]}: rtt-mempool vs the kernel's src/mempool.c (one image per build, qemu -icount)"
    BSPS="${boards[*]}" python3 scripts/qemu_bench.py "${args[@]}" || status=1
else
    echo "SKIPPED: side-by-side benchmark against the kernel's C mempool on ${boards[*]}" \
         "(needs RTT_ROOT: set it to an RT-Thread 5.3 tree to compare cycles, init time and code size)"
fi
exit $status
