#!/usr/bin/env bash
# `make test`: everything that can run on this machine, then one summary line
# `N passed, N failed` (every Rust test, every C test case, the sample, and each check below).
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
failures=()
log_dir=target/test-logs
mkdir -p "$log_dir"

# Adds the counts of a cargo test log ("test result: ok. N passed; M failed") and of our own
# runners ("N passed, N failed") to the totals.
count_log() {
    local log=$1 p f
    while read -r p f; do
        passed=$((passed + p)); failed=$((failed + f))
    done < <(sed -nE 's/^test result: [a-zA-Z]+\. ([0-9]+) passed; ([0-9]+) failed.*/\1 \2/p; s/^([0-9]+) passed, ([0-9]+) failed.*/\1 \2/p' "$log")
}

# Runs one stage; a stage that fails without reporting a failed test counts as one failure.
stage() {
    local name=$1; shift
    local log="$log_dir/$name.log"
    echo "== $name: $*"
    local before=$failed
    if "$@" >"$log" 2>&1; then
        count_log "$log"
        [ "$failed" -eq "$before" ] || failures+=("$name")
    else
        count_log "$log"
        if [ "$failed" -eq "$before" ]; then failed=$((failed + 1)); fi
        failures+=("$name")
        tail -n 40 "$log"
    fi
    grep -E '^(bench|size|SKIPPED|symbols|differential|rust-peer):|^stress\[' "$log" || true
}

# A check that is one test: passes when the command succeeds.
check() {
    local name=$1; shift
    local log="$log_dir/$name.log"
    echo "== $name: $*"
    if "$@" >"$log" 2>&1; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1)); failures+=("$name"); tail -n 40 "$log"
    fi
    grep -E '^(size|symbols|SKIPPED):' "$log" || true
}

scripts/setup.sh host

check fmt cargo fmt --all -- --check
check clippy-host cargo clippy --workspace --target i686-unknown-linux-gnu --all-targets -- -D warnings
check clippy-firmware cargo clippy -p rtt-mempool --release --target armv7a-none-eabi -- -D warnings
# The qemu bed's second Rust staticlib (bsp/bed/rust_peer, its own workspace): same rules.
check fmt-rust-peer cargo fmt --manifest-path bsp/bed/rust_peer/Cargo.toml -- --check
check clippy-rust-peer env CARGO_TARGET_DIR=target/rust-peer cargo clippy --release --locked \
    --target armv7a-none-eabi --manifest-path bsp/bed/rust_peer/Cargo.toml -- -D warnings
# The API docs build without warnings (every export also carries a C example: see versions).
check doc env RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p rtt-mempool --target i686-unknown-linux-gnu
# Cargo.toml, package.json and CHANGELOG.md agree on the version; package.json and Kconfig fit
# RT-Thread's package index and "RT-Thread online packages" menu (kconfiglib).
check versions python3 scripts/check_package.py
# scripts/rust_target.py's RISC-V mapping: -march / -mabi to the Rust target, or a clear error.
stage rust-target python3 scripts/check_rust_target.py
# The Rust unit and property tests, the C suite on the host kernel and memp_sample (32-bit).
stage host-32bit cargo test --target i686-unknown-linux-gnu
# A test case that spins fails alone (time slice ticks, wall-clock limit) and the runner goes on.
check host-runner scripts/check_host_runner.sh
# The pool logic's tests on 64-bit too.
stage unit-64bit cargo test -p rtt-mempool --lib
# The C suite and memp_sample on a 64-bit host kernel (8-byte pointers, long rt_base_t).
stage host-64bit cargo test -p rtt-mempool-host-tests --target x86_64-unknown-linux-gnu
# The same suite under AddressSanitizer (Rust and C; nightly, else SKIPPED) and under
# UndefinedBehaviorSanitizer (C), on x86_64, each in its own target directory.
stage host-asan scripts/sanitize.sh asan
stage host-ubsan scripts/sanitize.sh ubsan
# The C suite again with other RT_ALIGN_SIZE values (only the library and the suite are
# rebuilt for each: the build scripts watch RTT_HOST_ALIGN_SIZE).
for align in 4 16; do
    stage "host-align-$align" env RTT_HOST_ALIGN_SIZE=$align \
        cargo test -p rtt-mempool-host-tests --target i686-unknown-linux-gnu
done
# And with the optional paranoid checks (Kconfig RTT_MEMPOOL_PARANOID_CHECKS).
stage host-paranoid env RTT_HOST_PARANOID=1 \
    cargo test -p rtt-mempool-host-tests --target i686-unknown-linux-gnu
# And without mp_check (Kconfig RTT_MEMPOOL_OMIT_MP_CHECK).
stage host-omit-mp-check env RTT_HOST_OMIT_MP_CHECK=1 \
    cargo test -p rtt-mempool-host-tests --target i686-unknown-linux-gnu
stage miri scripts/miri.sh
check firmware scripts/firmware_check.sh
# The same library for a Cortex-M3 (Thumb-2) target, as a Cortex-M BSP would build it.
check firmware-cortex-m scripts/firmware_check.sh thumbv7m-none-eabi
if [ -n "${EXTRA_TESTS:-}" ]; then
    echo "   (EXTRA_TESTS=$EXTRA_TESTS compiled into the host suite)"
fi
if [ -n "${RTT_ROOT:-}" ]; then
    # scripts/rust_target.py against RT-Thread's own mapping (5.3+: components/rust/tools/
    # build_support.py), for every BSP of the tree and every CPU of its libcpu Kconfig.
    stage rust-target-rtt python3 scripts/check_rust_target_rtt.py
    stage qemu python3 scripts/qemu_test.py
    # The same bed on an SMP build (two CPUs): the pool then takes its spinlock.
    stage qemu-smp env QEMU_TEST_OUT=target/qemu-vexpress-a9-smp \
        EXTRA_CONFIG="RT_USING_SMP RT_CPUS_NR=2 ${EXTRA_CONFIG:-}" python3 scripts/qemu_test.py
    # The behaviour test cases against the kernel's own C mempool: the expectations are
    # RT-Thread's, not this library's.
    stage qemu-kernel-mempool env QEMU_TEST_OUT=target/qemu-vexpress-a9-kernel-mempool \
        python3 scripts/qemu_test.py --kernel-mempool
    # ...also on SMP, where the stress case contends from both CPUs with either pool.
    stage qemu-kernel-mempool-smp env QEMU_TEST_OUT=target/qemu-vexpress-a9-kernel-mempool-smp \
        python3 scripts/qemu_test.py --kernel-mempool --smp
    # RT-Thread's own Rust component's place taken by a second Rust staticlib of the bed
    # (bsp/bed/rust_peer): both in one image, nothing defined twice, its test case passes.
    stage qemu-rust-peer env QEMU_TEST_OUT=target/qemu-vexpress-a9-rust-peer \
        python3 scripts/qemu_test.py --rust-peer
    # And with the optional paranoid checks.
    stage qemu-paranoid env QEMU_TEST_OUT=target/qemu-vexpress-a9-paranoid \
        EXTRA_CONFIG="RTT_MEMPOOL_PARANOID_CHECKS ${EXTRA_CONFIG:-}" python3 scripts/qemu_test.py
    # The stress case's throughput, this library's and the kernel's C pool's, side by side.
    grep -hE '^stress\[' target/qemu-vexpress-a9*/console.log 2>/dev/null | tr -d '\r' || true
else
    echo "SKIPPED: differential test against the kernel's own src/mempool.c (needs RTT_ROOT: the host suite then compiles it with renamed symbols and compares every result)"
    echo "SKIPPED: qemu-vexpress-a9 test bed (RT-Thread not present: set RTT_ROOT to an RT-Thread 5.3 tree to run the C suite and memp_sample on the real kernel)"
fi

if [ ${#failures[@]} -gt 0 ]; then
    echo "failed stages: ${failures[*]} (logs in $log_dir)"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
