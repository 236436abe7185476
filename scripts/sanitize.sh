#!/usr/bin/env bash
# The host suite (every C test case and memp_sample on the host kernel, with the library) under a
# sanitizer, on x86_64, in its own target directory (target/asan, target/ubsan) so that the
# normal builds stay as they are. Any sanitizer report ends the run with a non-zero status (the
# stage fails); so does a leak (LeakSanitizer, part of ASan).
#   asan   AddressSanitizer on the Rust library (nightly: -Zsanitizer=address, std as shipped)
#          and on the C (-fsanitize=address; the host scheduler tells ASan about every switch
#          between thread stacks). Prints SKIPPED when there is no nightly toolchain.
#   ubsan  UndefinedBehaviorSanitizer on the C (-fsanitize=undefined
#          -fno-sanitize-recover=undefined, gcc's libubsan). Rust has no UBSan; its own checks
#          (debug assertions, overflow checks) are on in this debug build. Needs no nightly.
# Usage: scripts/sanitize.sh asan|ubsan [filter]
set -uo pipefail
cd "$(dirname "$0")/.."
kind=${1:?usage: scripts/sanitize.sh asan|ubsan [filter]}
shift
target=x86_64-unknown-linux-gnu
target_var=CFLAGS_${target//-/_}
case "$kind" in
asan)
    if ! rustup toolchain list | grep -q '^nightly'; then
        echo "SKIPPED: AddressSanitizer stage (no nightly Rust toolchain; install it with 'rustup toolchain install nightly')"
        exit 0
    fi
    export RUSTFLAGS="-Zsanitizer=address"
    export "$target_var=-fsanitize=address -fno-omit-frame-pointer"
    export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:exitcode=86:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
    exec cargo +nightly test -p rtt-mempool-host-tests --target "$target" --target-dir target/asan -- "$@"
    ;;
ubsan)
    export RUSTFLAGS="-C link-arg=-lubsan"
    export "$target_var=-fsanitize=undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
    exec cargo test -p rtt-mempool-host-tests --target "$target" --target-dir target/ubsan -- "$@"
    ;;
*)
    echo "usage: scripts/sanitize.sh asan|ubsan [filter]" >&2
    exit 2
    ;;
esac
