"""RT-Thread's qemu-vexpress-a9 BSP (Cortex-A9, ARMv7-A), the bed's default board."""
import os

from boards import arm_none_eabi, qemu_common


def qemu(img, cpus):
    return ['qemu-system-arm', '-M', 'vexpress-a9', '-smp', 'cpus=%d' % cpus,
            '-kernel', os.path.join(img, 'rtthread.bin'),
            '-drive', 'if=sd,format=raw,file=' + os.path.join(img, 'sd.bin')] + qemu_common()


BOARD = {
    'name': 'qemu-vexpress-a9',
    'qemu': qemu,
    'prompt': 'msh />',
    **arm_none_eabi(),
    'rust_target': 'armv7a-none-eabi',
    'word_bits': 32,
    # a single-core image parks the second CPU; the BSP has always been booted with two
    'cpus': 2,
    'smp': True,
    # the board the issue names for RT-Thread's own Rust component beside the package
    'rust_peer': True,
    'edits': [],
    'why': 'Cortex-A9, the BSP unchanged',
    # `make bench BSP=qemu-vexpress-a9` (scripts/qemu_bench.py, bench/mp_bench.c)
    'bench': {
        # the guest-side time source mp_bench reads: PMCCNTR where it counts, else the A9
        # MPCore global timer (QEMU's cortex-a9 has no PMU), 10 ns of virtual clock per tick
        'counter': 'a9-global-timer',
        # one guest instruction = 1 ns of virtual clock: counts are instructions
        'icount': 'shift=0',
        'cpus': 1,
        # the BSP's release build (kernel and C at -Os instead of its default -O0)
        # the kernel's optimization in the BSP's default (debug) and release builds
        'kernel_opt': ('O0', 'Os'),
        'release': ('rtconfig.py', r"^BUILD\s*=\s*'debug'", "BUILD       = 'release'"),
        # the C the BSP compiles: A32 (-march=armv7-a, no -mthumb), as the library's target
        'isa': 'A32',
    },
}
