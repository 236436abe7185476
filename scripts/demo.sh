#!/usr/bin/env bash
# `make demo`: builds the library and runs memp_sample the way a user does (its msh command).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${RTT_ROOT:-}" ]; then
    scripts/setup.sh qemu
    echo "demo: RTT_ROOT=$RTT_ROOT: running memp_sample on RT-Thread under qemu-vexpress-a9"
    exec python3 scripts/qemu_test.py --demo
fi
scripts/setup.sh host
echo "demo: RTT_ROOT is not set: running memp_sample on the host test kernel"
echo "      (set RTT_ROOT to an RT-Thread 5.3 tree to run it on the real kernel under qemu)"
cargo run -q -p rtt-mempool-host-tests --target i686-unknown-linux-gnu -- memp_sample
