#!/usr/bin/env bash
# Installs what `make test` / `make demo` need and is missing, saying what it does.
# Usage: scripts/setup.sh [host|qemu [BOARD...|all]]   (qemu adds what the RT-Thread test bed
# needs: scons, gdb-multiarch for `make bench-trace`, and each board's toolchain and emulator
# as scripts/boards/ lists them; the default board is qemu-vexpress-a9)
set -euo pipefail
want=${1:-host}
shift || true

# The 32-bit host bed needs the i386 C library and 32-bit libgcc; not gcc-multilib, which only
# adds the /usr/include/asm symlink (.cargo/config.toml searches those headers itself) and
# conflicts with Debian's cross compilers such as gcc-aarch64-linux-gnu.
gcc_major=$(gcc -dumpversion 2>/dev/null | cut -d. -f1)
debs=(libclang-dev libc6-dev-i386 "lib32gcc-${gcc_major:-12}-dev" gcc-arm-none-eabi libnewlib-arm-none-eabi)
if [ "$want" = qemu ]; then
    debs+=(qemu-system-arm scons python3 gdb-multiarch)
    # shellcheck disable=SC2207
    debs+=($(cd "$(dirname "$0")" && python3 -B -c '
import sys, boards
b = boards.load()
names = sys.argv[1:] or ["qemu-vexpress-a9"]
names = sorted(b) if names == ["all"] else names
print(" ".join(sorted({d for n in names if n in b for d in b[n]["debs"]})))' "$@"))
    # rust targets the boards need
    # shellcheck disable=SC2207
    board_targets=($(cd "$(dirname "$0")" && python3 -B -c '
import sys, boards
b = boards.load()
names = sys.argv[1:] or ["qemu-vexpress-a9"]
names = sorted(b) if names == ["all"] else names
print(" ".join(sorted({b[n]["rust_target"] for n in names if n in b})))' "$@"))
fi
missing=()
for p in "${debs[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    # Some machines come with a backported qemu-utils whose qemu-system-* is not in their apt
    # sources; apt then refuses the emulators ("qemu-utils: Breaks: qemu-system-common"). The
    # bed needs only the emulators, so qemu-utils is moved to the version they come with.
    apt_extra=()
    if [[ " ${missing[*]} " == *" qemu-system-"* ]] && dpkg -s qemu-utils >/dev/null 2>&1; then
        have=$(dpkg-query -W -f='${Version}' qemu-utils)
        want=$(apt-cache policy qemu-system-common | awk '/Candidate:/ { print $2 }')
        if [ -n "$want" ] && [ "$have" != "$want" ]; then
            echo "setup: qemu-utils $have does not match the available qemu-system $want; installing qemu-utils $want with it"
            missing+=("qemu-utils=$want")
            apt_extra+=(--allow-downgrades)
        fi
    fi
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq ${apt_extra[@]+"${apt_extra[@]}"} "${missing[@]}" >/dev/null
fi

targets=(i686-unknown-linux-gnu armv7a-none-eabi thumbv7m-none-eabi ${board_targets[@]+"${board_targets[@]}"})
installed=$(rustup target list --installed)
for t in "${targets[@]}"; do
    if ! grep -qx "$t" <<<"$installed"; then
        echo "setup: adding Rust target $t"
        rustup target add "$t" >/dev/null
    fi
done
for c in rustfmt clippy; do
    if ! rustup component list --installed | grep -q "^$c"; then
        echo "setup: adding Rust component $c"
        rustup component add "$c" >/dev/null
    fi
done
