#!/usr/bin/env bash
# Cross-builds the release staticlib for a bare-metal target (against the host kernel's
# headers unless RTT_MEMPOOL_CFLAGS points at a BSP) and checks what it exports and
# references: only the documented C API, no panic path, no formatting code. Prints its size.
# Usage: scripts/firmware_check.sh [target]   (default armv7a-none-eabi, the Cortex-A9 BSP's)
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-armv7a-none-eabi}
# Only the staticlib crate type, so that LTO merges core into one object as in the firmware.
cargo rustc -p rtt-mempool --lib --release --target "$target" --crate-type staticlib --quiet
lib="target/$target/release/librtt_mempool.a"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && arm-none-eabi-ar x "$OLDPWD/$lib")
# The library's own objects: the Rust code unit(s) and the C glue.
objects=$(ls "$work"/rtt_mempool-*.o "$work"/*glue.o)

allowed='^(__fsym_mp_check|rt_mp_init|rt_mp_detach|rt_mp_create|rt_mp_delete|rt_mp_alloc|rt_mp_free|rt_mp_alloc_sethook|rt_mp_free_sethook|rtt_mempool_check|mp_check|rtt_mempool_(list_init|alloc_hook|free_hook|suspend_on|resume_first|rt_[a-z_]+))$'
# readelf, not nm: binutils' nm tries an LTO plugin on Rust objects and gives up.
symbols() { arm-none-eabi-readelf -sW $objects | awk '$5 == "GLOBAL" || $5 == "WEAK"'; }
exported=$(symbols | awk '$7 != "UND" {print $8}' | sort -u)
unexpected=$(grep -Ev "$allowed" <<<"$exported" || true)
undefined=$(symbols | awk '$7 == "UND" {print $8}' | sort -u)
local_panics=$(arm-none-eabi-readelf -sW $objects | awk '{print $8}' | grep -Ei 'panic|fmt' || true)
forbidden=$( (grep -Ei 'panic|fmt|unwrap|expect_failed|slice_index|bounds' <<<"$undefined"; echo "$local_panics") | sed '/^$/d' || true)

echo "symbols: exported: $(tr '\n' ' ' <<<"$exported")"
echo "symbols: needs from the kernel and libgcc: $(tr '\n' ' ' <<<"$undefined")"
status=0
if [ -n "$unexpected" ]; then
    echo "symbols: UNEXPECTED exports: $unexpected"; status=1
fi
if [ -n "$forbidden" ]; then
    echo "symbols: PANIC OR FORMATTING CODE referenced: $forbidden"; status=1
fi
text=$(arm-none-eabi-size -A $objects | awk '$1 ~ /^\.(text|rodata)/ {s += $2} END {print s}')
echo "size: $lib: .text+.rodata of the library's objects = $text bytes ($target, opt-level=s, LTO)"
# The same without mp_check (Kconfig RTT_MEMPOOL_OMIT_MP_CHECK), reported separately.
RTT_HOST_OMIT_MP_CHECK=1 cargo rustc -p rtt-mempool --lib --release --target "$target" \
    --crate-type staticlib --quiet --target-dir target/omit-mp-check
bare="$work/bare"
mkdir -p "$bare"
(cd "$bare" && arm-none-eabi-ar x "$OLDPWD/target/omit-mp-check/$target/release/librtt_mempool.a")
bare_text=$(arm-none-eabi-size -A "$bare"/rtt_mempool-*.o "$bare"/*glue.o | awk '$1 ~ /^\.(text|rodata)/ {s += $2} END {print s}')
echo "size: without mp_check (RTT_MEMPOOL_OMIT_MP_CHECK): $bare_text bytes ($target)"
exit $status
