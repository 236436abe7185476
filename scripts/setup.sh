#!/usr/bin/env bash
# Installs what `make test` / `make demo` need and is missing, saying what it does.
# Usage: scripts/setup.sh [host|qemu]   (qemu adds what the RT-Thread test bed needs)
set -euo pipefail
want=${1:-host}

# The 32-bit host bed needs the i386 C library and 32-bit libgcc; not gcc-multilib, which only
# adds the /usr/include/asm symlink (.cargo/config.toml searches those headers itself) and
# conflicts with Debian's cross compilers such as gcc-aarch64-linux-gnu.
gcc_major=$(gcc -dumpversion 2>/dev/null | cut -d. -f1)
debs=(libclang-dev libc6-dev-i386 "lib32gcc-${gcc_major:-12}-dev" gcc-arm-none-eabi libnewlib-arm-none-eabi)
if [ "$want" = qemu ]; then
    debs+=(qemu-system-arm scons python3)
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
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

targets=(i686-unknown-linux-gnu armv7a-none-eabi thumbv7m-none-eabi)
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
