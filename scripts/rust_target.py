"""The one place that maps an RT-Thread BSP's configuration to a Rust target.

Used by the package's SConscript (and usable from other scripts):

    import rust_target
    triple = rust_target.rust_target(rtconfig)             # automatic
    triple = rust_target.rust_target(rtconfig, 'thumbv7em-none-eabihf')  # override

`rtconfig` is the BSP's rtconfig.py module (ARCH, CPU, CFLAGS / DEVICE). The
override is the Kconfig option RTT_MEMPOOL_RUST_TARGET (empty = automatic).
Run as a script for a quick look:  python3 scripts/rust_target.py ARCH CPU [CFLAGS]
"""

import re

# (ARCH, CPU) -> (soft-float target, hard-float target or None)
_ARM = {
    'cortex-m0':     ('thumbv6m-none-eabi', None),
    'cortex-m0plus': ('thumbv6m-none-eabi', None),
    'cortex-m0+':    ('thumbv6m-none-eabi', None),
    'cortex-m1':     ('thumbv6m-none-eabi', None),
    'cortex-m3':     ('thumbv7m-none-eabi', None),
    'cortex-m4':     ('thumbv7em-none-eabi', 'thumbv7em-none-eabihf'),
    'cortex-m7':     ('thumbv7em-none-eabi', 'thumbv7em-none-eabihf'),
    'cortex-m23':    ('thumbv8m.base-none-eabi', None),
    'cortex-m33':    ('thumbv8m.main-none-eabi', 'thumbv8m.main-none-eabihf'),
    'cortex-m35p':   ('thumbv8m.main-none-eabi', 'thumbv8m.main-none-eabihf'),
    'cortex-m55':    ('thumbv8m.main-none-eabi', 'thumbv8m.main-none-eabihf'),
    'cortex-m85':    ('thumbv8m.main-none-eabi', 'thumbv8m.main-none-eabihf'),
    'cortex-r4':     ('armv7r-none-eabi', 'armv7r-none-eabihf'),
    'cortex-r5':     ('armv7r-none-eabi', 'armv7r-none-eabihf'),
    'cortex-r52':    ('armv8r-none-eabihf', 'armv8r-none-eabihf'),
    'cortex-a':      ('armv7a-none-eabi', 'armv7a-none-eabihf'),
    'cortex-a5':     ('armv7a-none-eabi', 'armv7a-none-eabihf'),
    'cortex-a7':     ('armv7a-none-eabi', 'armv7a-none-eabihf'),
    'cortex-a8':     ('armv7a-none-eabi', 'armv7a-none-eabihf'),
    'cortex-a9':     ('armv7a-none-eabi', 'armv7a-none-eabihf'),
    'arm926':        ('armv5te-none-eabi', None),
    'arm9':          ('armv5te-none-eabi', None),
    'armv6':         ('armv6-none-eabi', 'armv6-none-eabihf'),
}


def _flags(rtconfig):
    return ' '.join(str(getattr(rtconfig, n, '') or '') for n in ('DEVICE', 'CFLAGS'))


def _hard_float(flags):
    m = re.findall(r'-mfloat-abi=(\w+)', flags)
    return bool(m) and m[-1] == 'hard'


def _riscv(flags):
    """RISC-V: the target whose float ABI is the BSP's -mabi (the linker refuses to mix
    soft-float, single-float and double-float objects), and whose ISA the BSP's -march has.
    Without -mabi, GCC's default for that -march (lp64d / ilp32d with D, ilp32f with F only,
    else the soft-float one). Returns None without -march; raises ValueError when no Rust
    target has that ABI."""
    m = re.findall(r'-march=(rv(32|64)[a-z0-9_]*)', flags)
    if not m:
        return None
    march, bits = m[-1]
    ext = march[4:].split('_')[0]
    if 'g' in ext:
        ext = ext.replace('g', 'imafd')
    abis = re.findall(r'-mabi=(\w+)', flags)
    if abis:
        abi = abis[-1]
    elif ext.startswith('e'):
        abi = 'lp64e' if bits == '64' else 'ilp32e'
    elif 'd' in ext:
        abi = ('lp64' if bits == '64' else 'ilp32') + 'd'
    elif 'f' in ext:
        abi = ('lp64' if bits == '64' else 'ilp32') + 'f'
    else:
        abi = 'lp64' if bits == '64' else 'ilp32'

    def none(why):
        raise ValueError(
            'rtt-mempool: no Rust target for -march=%s -mabi=%s (%s); set '
            'RTT_MEMPOOL_RUST_TARGET or build the BSP with a float ABI Rust has' % (march, abi, why))

    if ext.startswith('e'):
        # RV32E/RV64E: 16 integer registers; Rust's riscv32e* targets are tier 3 (no prebuilt
        # core library), and an RV32I target's code would use registers the core lacks
        none('the base ISA is RVE; Rust has no prebuilt target for it')
    if bits == '64':
        if abi == 'lp64d':
            if 'd' not in ext or 'c' not in ext or 'a' not in ext or 'm' not in ext:
                none('riscv64gc-unknown-none-elf, the only lp64d target, needs rv64gc')
            return 'riscv64gc-unknown-none-elf'
        if abi == 'lp64':
            # soft-float ABI: the library uses no floating point, so an F/D core is fine
            if not all(x in ext for x in 'mac'):
                none('riscv64imac-unknown-none-elf, the only lp64 target, needs M, A and C')
            return 'riscv64imac-unknown-none-elf'
        none('Rust has no bare-metal RV64 target with the %s ABI' % abi)
    if abi == 'ilp32f':
        if not all(x in ext for x in 'mafc'):
            none('riscv32imafc-unknown-none-elf, the only ilp32f target, needs rv32imafc')
        return 'riscv32imafc-unknown-none-elf'
    if abi == 'ilp32':
        if 'a' in ext and 'c' in ext and 'm' in ext:
            return 'riscv32imac-unknown-none-elf'
        if 'c' in ext and 'm' in ext:
            return 'riscv32imc-unknown-none-elf'
        if 'm' in ext:
            return 'riscv32im-unknown-none-elf'
        return 'riscv32i-unknown-none-elf'
    none('Rust has no bare-metal RV32 target with the %s ABI' % abi)


def _aarch64(flags):
    """AArch64: aarch64-unknown-none uses the FP/SIMD registers (as GCC does by default, and
    as RT-Thread's libcpu/aarch64 saves them on every switch); a BSP built without them
    (-mgeneral-regs-only, or the last -march/-mcpu with +nofp or +nosimd) gets
    aarch64-unknown-none-softfloat, whose code never touches them."""
    if '-mgeneral-regs-only' in flags.split():
        return 'aarch64-unknown-none-softfloat'
    m = re.findall(r'-m(?:arch|cpu)=(\S+)', flags)
    if m and re.search(r'\+no(?:fp|simd)\b', m[-1]):
        return 'aarch64-unknown-none-softfloat'
    return 'aarch64-unknown-none'


def rust_target(rtconfig, override=''):
    """Rust target triple for the BSP described by `rtconfig`; raises ValueError."""
    override = (override or '').strip().strip('"').strip()
    if override:
        return override
    arch = str(getattr(rtconfig, 'ARCH', '')).lower()
    cpu = str(getattr(rtconfig, 'CPU', '')).lower()
    flags = _flags(rtconfig)
    if arch == 'aarch64' or (arch == 'arm' and cpu in ('cortex-a53', 'cortex-a57', 'cortex-a72', 'armv8')):
        return _aarch64(flags)
    if arch == 'arm':
        key = cpu
        if key not in _ARM:
            m = re.findall(r'-mcpu=([\w+-]+)', flags)
            key = m[-1].lower() if m else key
        if key in _ARM:
            soft, hard = _ARM[key]
            return hard if (hard and _hard_float(flags)) else soft
    if arch in ('risc-v', 'riscv'):
        t = _riscv(flags)
        if t:
            return t
    raise ValueError(
        'rtt-mempool: no Rust target known for ARCH=%r CPU=%r; set RTT_MEMPOOL_RUST_TARGET '
        '(menuconfig: RT-Thread online packages -> rtt-mempool -> Rust target) to a triple '
        'from `rustc --print target-list`' % (arch, cpu))


if __name__ == '__main__':
    import sys

    class _Cfg:
        pass
    c = _Cfg()
    c.ARCH = sys.argv[1] if len(sys.argv) > 1 else 'arm'
    c.CPU = sys.argv[2] if len(sys.argv) > 2 else 'cortex-a'
    c.CFLAGS = sys.argv[3] if len(sys.argv) > 3 else ''
    print(rust_target(c))
