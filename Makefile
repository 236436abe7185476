# rtt-mempool: the two commands a new user needs are `make demo` and `make test`.
# Both install what is missing (Debian packages, Rust targets) and say so.

.PHONY: all demo test bench bench-matrix bench-trace size fuzz header qemu-test qemu-test-smp qemu-matrix setup fmt clippy clean

all: test

setup:
	@scripts/setup.sh host

# Builds the library and runs RT-Thread's memp_sample: on the real kernel under qemu when
# RTT_ROOT is set, otherwise on the host test kernel.
demo:
	@scripts/demo.sh

# Everything that can run here; the last line is `N passed, N failed`.
# EXTRA_TESTS=dir adds the utest-style C files in dir to the C suite.
test:
	@scripts/test.sh

# The real-kernel test bed alone (needs RTT_ROOT), on board BSP (scripts/boards/; default
# qemu-vexpress-a9). EXTRA_TESTS=dir EXTRA_CONFIG="RT_USING_SIGNALS RT_SIG_INFO_MAX=32" extend
# the image.
BSP ?= qemu-vexpress-a9
qemu-test:
	@scripts/setup.sh qemu $(BSP)
	@python3 scripts/qemu_test.py --bsp $(BSP)

# The same bed on an SMP build of the BSP (RT_USING_SMP, two CPUs).
qemu-test-smp:
	@scripts/setup.sh qemu $(BSP)
	@QEMU_TEST_OUT=target/$(BSP)-smp python3 scripts/qemu_test.py --bsp $(BSP) --smp

# The bed for every board in BSPS (default: every board the bed knows) x every tree in
# RTT_ROOTS="<tree> <tree> ..." (default $RTT_ROOT) x {single core, SMP where the board runs
# it, kernel-mempool}; one table, then `N passed, N failed`.
qemu-matrix:
	@scripts/setup.sh qemu $(or $(BSPS),all)
	@BSPS="$(BSPS)" RTT_ROOTS="$(or $(RTT_ROOTS),$(RTT_ROOT))" python3 scripts/qemu_matrix.py

# Side-by-side benchmarks against the kernel's C mempool on board BSP (default
# qemu-vexpress-a9; the qemu part needs RTT_ROOT): `bench: FIGURE[BOARD,CONFIG] c= rust= ratio=`.
bench:
	@BSP=$(BSP) scripts/bench.sh

# The same on every board in BSPS (default: every board whose entry in scripts/boards/ has a
# `bench` dict).
bench-matrix:
	@BSPS="$(BSPS)" scripts/bench.sh --matrix

# Where the instructions of one measured path go, per function, in an image `make bench` built
# (gdb-multiarch single-stepping qemu): TRACE=pair|handoff|init, IMPL=rust|c-Os|c-O2|c-O0,
# VARIANT=rust-s-release|rust-s|rust-o2 (Arm boards).
TRACE ?= pair
IMPL ?= rust
VARIANT ?= rust-s-release
bench-trace:
	@scripts/setup.sh qemu $(BSP)
	@python3 scripts/trace_path.py --bsp $(BSP) --variant $(VARIANT) --path $(TRACE) --impl $(IMPL)

# Code size against the kernel's mempool.c without a board image (needs RTT_ROOT): Thumb-2
# (thumbv7m, lm3s8962's configuration) and A32 (armv7a, qemu-vexpress-a9's), per function.
size:
	@python3 scripts/size_compare.py --cpu thumbv7m
	@python3 scripts/size_compare.py --cpu armv7a

# The model-based pool test under libFuzzer for FUZZ_SECONDS (default 60); needs nightly.
fuzz:
	@command -v cargo-fuzz >/dev/null || { echo "fuzz: installing cargo-fuzz"; cargo install cargo-fuzz --locked; }
	cd fuzz && cargo +nightly fuzz run pool_ops -- -max_total_time=$${FUZZ_SECONDS:-60}

# Regenerates include/rtt_mempool.h with cbindgen.
header:
	@RTT_MEMPOOL_BLESS=1 cargo build -p rtt-mempool --target i686-unknown-linux-gnu --quiet
	@echo "include/rtt_mempool.h regenerated"

fmt:
	cargo fmt --all
	cargo fmt --manifest-path bsp/bed/rust_peer/Cargo.toml

clippy:
	cargo clippy --workspace --target i686-unknown-linux-gnu --all-targets -- -D warnings
	cargo clippy -p rtt-mempool --release --target armv7a-none-eabi -- -D warnings
	CARGO_TARGET_DIR=target/rust-peer cargo clippy --release --target armv7a-none-eabi \
	    --manifest-path bsp/bed/rust_peer/Cargo.toml -- -D warnings

clean:
	cargo clean
