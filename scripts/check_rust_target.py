#!/usr/bin/env python3
"""Unit tests of scripts/rust_target.py's RISC-V and AArch64 mappings (run by `make test` as
the `rust-target` stage; python3 standard library only).

Each case gives a BSP's ARCH and C flags (as its rtconfig.py has them in DEVICE / CFLAGS) and
the one answer rust_target() must give: a Rust target triple, or a ValueError whose message
names the ISA and ABI it has no target for. The float ABI decides (the linker refuses to mix
soft-float, single-float and double-float objects, so lp64 and lp64d need different targets),
then the ISA the target needs must be in -march. Prints one line per case, then
`N passed, N failed`; exits non-zero when any case fails.

Usage: python3 scripts/check_rust_target.py
"""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rust_target  # noqa: E402


class Cfg:
    """The attributes of a BSP's rtconfig.py that rust_target() reads."""

    def __init__(self, arch, device='', cflags=None, cpu=''):
        self.ARCH = arch
        self.CPU = cpu
        self.DEVICE = device
        # rtconfig.py files build CFLAGS from DEVICE plus their own options
        self.CFLAGS = (device + ' -ffunction-sections -O2') if cflags is None else cflags


def err(*fragments):
    """Expect a ValueError whose message contains every fragment."""
    return ('error', fragments)


# (what, rtconfig, expected triple or err(...))
CASES = [
    # qemu-virt64-riscv as RT-Thread 5.3 ships it: double-float ISA, soft-float ABI
    ('RV64 stock qemu-virt64-riscv flags (rv64imafdc, lp64): soft-float target',
     Cfg('risc-v', ' -mcmodel=medany -march=rv64imafdc -mabi=lp64 ', cpu='virt64'),
     'riscv64imac-unknown-none-elf'),
    # the bed's copy (Debian's toolchain only has the lp64d multilib)
    ('RV64 bed flags (rv64imafdc, lp64d): hard-float target',
     Cfg('risc-v', ' -mcmodel=medany -march=rv64imafdc -mabi=lp64d --specs=picolibc.specs ',
         cpu='virt64'),
     'riscv64gc-unknown-none-elf'),
    ('RV64 rv64gc, no -mabi: GCC default lp64d',
     Cfg('risc-v', '-march=rv64gc'), 'riscv64gc-unknown-none-elf'),
    ('RV64 rv64imafdc_zicsr_zifencei, no -mabi: extensions after _ ignored, lp64d',
     Cfg('risc-v', '-march=rv64imafdc_zicsr_zifencei'), 'riscv64gc-unknown-none-elf'),
    ('RV64 rv64imac_zicsr_zifencei, no -mabi: the f of zifencei is not F, lp64',
     Cfg('risc-v', '-march=rv64imac_zicsr_zifencei'), 'riscv64imac-unknown-none-elf'),
    ('RV64 rv64gcv, lp64d: vector extension does not matter',
     Cfg('risc-v', '-march=rv64gcv -mabi=lp64d'), 'riscv64gc-unknown-none-elf'),
    ('RV64 rv64imac, lp64', Cfg('risc-v', '-march=rv64imac -mabi=lp64'),
     'riscv64imac-unknown-none-elf'),
    ('RV64 rv64imac, no -mabi: GCC default lp64',
     Cfg('risc-v', '-march=rv64imac'), 'riscv64imac-unknown-none-elf'),
    ('RV64 last -march / -mabi win (CFLAGS repeats DEVICE, then overrides)',
     Cfg('risc-v', '-march=rv64imac -mabi=lp64', cflags='-march=rv64imac -mabi=lp64 '
         '-march=rv64gc -mabi=lp64d'), 'riscv64gc-unknown-none-elf'),
    ('RV64 flags only in CFLAGS (no DEVICE)',
     Cfg('riscv', '', cflags='-march=rv64gc -mabi=lp64d -O2'), 'riscv64gc-unknown-none-elf'),
    ('RV64 lp64f: no Rust target with that ABI',
     Cfg('risc-v', '-march=rv64imafc -mabi=lp64f'), err('-march=rv64imafc', '-mabi=lp64f')),
    ('RV64 rv64imafc, no -mabi: GCC default lp64f, no Rust target',
     Cfg('risc-v', '-march=rv64imafc'), err('-mabi=lp64f')),
    ('RV64 lp64d without D in -march: refused',
     Cfg('risc-v', '-march=rv64imac -mabi=lp64d'), err('-mabi=lp64d', 'rv64gc')),
    ('RV64 lp64 without C: riscv64imac needs it',
     Cfg('risc-v', '-march=rv64ima -mabi=lp64'), err('-march=rv64ima', 'riscv64imac')),
    ('RV32 rv32imac, ilp32', Cfg('risc-v', '-march=rv32imac -mabi=ilp32'),
     'riscv32imac-unknown-none-elf'),
    ('RV32 rv32imc, ilp32', Cfg('risc-v', '-march=rv32imc -mabi=ilp32'),
     'riscv32imc-unknown-none-elf'),
    ('RV32 rv32im, no -mabi', Cfg('risc-v', '-march=rv32im'), 'riscv32im-unknown-none-elf'),
    ('RV32 rv32i, no -mabi', Cfg('risc-v', '-march=rv32i'), 'riscv32i-unknown-none-elf'),
    ('RV32 rv32imafc, ilp32f', Cfg('risc-v', '-march=rv32imafc -mabi=ilp32f'),
     'riscv32imafc-unknown-none-elf'),
    ('RV32 rv32imafc, no -mabi: GCC default ilp32f',
     Cfg('risc-v', '-march=rv32imafc'), 'riscv32imafc-unknown-none-elf'),
    ('RV32 rv32imafc, ilp32: soft-float target with M, A, C',
     Cfg('risc-v', '-march=rv32imafc -mabi=ilp32'), 'riscv32imac-unknown-none-elf'),
    ('RV32 rv32gc, no -mabi: GCC default ilp32d, no Rust target',
     Cfg('risc-v', '-march=rv32gc'), err('-march=rv32gc', '-mabi=ilp32d')),
    ('RV32 ilp32f without F: refused',
     Cfg('risc-v', '-march=rv32imac -mabi=ilp32f'), err('-mabi=ilp32f', 'rv32imafc')),
    ('RV32E base ISA (16 registers), no -mabi: GCC default ilp32e, no prebuilt target',
     Cfg('risc-v', '-march=rv32emc'), err('-march=rv32emc', '-mabi=ilp32e')),
    ('RV32E with -mabi=ilp32e: refused',
     Cfg('risc-v', '-march=rv32ec -mabi=ilp32e'), err('-mabi=ilp32e')),
    ('RV32E with -mabi=ilp32: not mapped to an RV32I target',
     Cfg('risc-v', '-march=rv32e -mabi=ilp32'), err('-march=rv32e')),
    # qemu-virt64-aarch64 as RT-Thread 5.3 ships it (the bed adds --specs=picolibc.specs)
    ('AArch64 stock qemu-virt64-aarch64 flags (armv8-a): FP/SIMD target',
     Cfg('aarch64', ' -march=armv8-a -mtune=cortex-a53 -ftree-vectorize -ffast-math',
         cpu='cortex-a'), 'aarch64-unknown-none'),
    ('AArch64 -march with other extensions (+crc): FP/SIMD target',
     Cfg('aarch64', '-march=armv8-a+crc'), 'aarch64-unknown-none'),
    ('AArch64 -mgeneral-regs-only: soft-float target',
     Cfg('aarch64', '-march=armv8-a -mgeneral-regs-only'), 'aarch64-unknown-none-softfloat'),
    ('AArch64 -march=...+nofp: soft-float target',
     Cfg('aarch64', '-march=armv8-a+nofp'), 'aarch64-unknown-none-softfloat'),
    ('AArch64 -mcpu=...+nosimd: soft-float target',
     Cfg('aarch64', '-mcpu=cortex-a53+nosimd'), 'aarch64-unknown-none-softfloat'),
    ('AArch64 the last -march wins (CFLAGS overrides DEVICE)',
     Cfg('aarch64', '-march=armv8-a+nofp', cflags='-march=armv8-a+nofp -march=armv8-a'),
     'aarch64-unknown-none'),
    ('RISC-V without -march: no target, the override is named',
     Cfg('risc-v', '-mabi=lp64d'), err('RTT_MEMPOOL_RUST_TARGET', "'risc-v'")),
    ('override wins over the flags',
     Cfg('risc-v', '-march=rv32e'), 'riscv64imac-unknown-none-elf'),
]
OVERRIDES = {'override wins over the flags': 'riscv64imac-unknown-none-elf'}


def run_case(what, cfg, expected):
    try:
        got = rust_target.rust_target(cfg, OVERRIDES.get(what, ''))
    except ValueError as e:
        got = ('error', str(e))
    if isinstance(expected, tuple):
        if not isinstance(got, tuple):
            return False, 'expected an error, got %r' % (got,)
        missing = [f for f in expected[1] if f not in got[1]]
        if missing:
            return False, 'the message lacks %r: %s' % (missing, got[1])
        return True, ''
    if got != expected:
        return False, 'expected %s, got %r' % (expected, got)
    return True, ''


def main():
    passed = failed = 0
    for what, cfg, expected in CASES:
        ok, detail = run_case(what, cfg, expected)
        if ok:
            passed += 1
            print('ok:     ' + what)
        else:
            failed += 1
            print('FAILED: %s -- %s' % (what, detail))
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
