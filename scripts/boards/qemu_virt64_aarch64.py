"""RT-Thread's qemu-virt64-aarch64 BSP (Cortex-A53, ARMv8-A AArch64, qemu's virt machine)."""
import os
import subprocess

from boards import qemu_common

PREFIX = 'aarch64-linux-gnu-'


def qemu(img, cpus):
    # the BSP's qemu.sh, without its network and virtio-serial console: GIC v2, a Cortex-A53,
    # 128 MB, the SD image on the first virtio-mmio slot; the console (uart0) on stdio
    return ['qemu-system-aarch64', '-M', 'virt,gic-version=2', '-cpu', 'cortex-a53',
            '-m', '128M', '-smp', str(cpus),
            '-kernel', os.path.join(img, 'rtthread.bin'),
            '-drive', 'if=none,format=raw,id=blk0,file=' + os.path.join(img, 'sd.bin'),
            '-device', 'virtio-blk-device,drive=blk0,bus=virtio-mmio-bus.0'] + qemu_common()


def prepare(bsp, rtt_root, log):
    """The link script. libcpu/aarch64/SConscript preprocesses its link.lds.S into libcpu's own
    folder (inside RTT_ROOT) unless the BSP folder has a link.lds: the bed makes that one in
    its copy, with the same preprocessor flags, from the copy's rtconfig.h (the script places
    the image at ARCH_RAM_OFFSET + ARCH_TEXT_OFFSET). Written only when it changes."""
    src = os.path.join(rtt_root, 'libcpu', 'aarch64', 'link.lds.S')
    out = os.path.join(bsp, 'link.lds')
    cmd = [PREFIX + 'cpp', '-E', '-P', '-x', 'assembler-with-cpp', '-I' + bsp, src]
    try:
        text = subprocess.check_output(cmd, universal_newlines=True)
    except (OSError, subprocess.CalledProcessError) as e:
        raise SystemExit('[qemu-test] ERROR: %s: %s' % (' '.join(cmd), e))
    old = None
    if os.path.isfile(out):
        with open(out, 'r', encoding='utf-8') as f:
            old = f.read()
    if old != text:
        with open(out, 'w', encoding='utf-8') as f:
            f.write(text)
    log('link.lds of the copy preprocessed from %s with its rtconfig.h (libcpu would write it '
        'into RTT_ROOT)' % os.path.relpath(src, rtt_root))


BOARD = {
    'name': 'qemu-virt64-aarch64',
    'qemu': qemu,
    'prompt': 'msh />',
    'debs': ['gcc-aarch64-linux-gnu', 'binutils-aarch64-linux-gnu', 'picolibc-aarch64-linux-gnu',
             'qemu-system-arm'],
    'tools': [(PREFIX + 'gcc', 'gcc-aarch64-linux-gnu'),
              (PREFIX + 'nm', 'binutils-aarch64-linux-gnu'),
              ('qemu-system-aarch64', 'qemu-system-arm')],
    'prefix': PREFIX,
    'rust_target': 'aarch64-unknown-none',
    'word_bits': 64,
    'smp': True,
    'edits': [
        ('rtconfig.py', r"'aarch64-none-elf-'", repr(PREFIX),
         "Debian packages no aarch64-none-elf toolchain: its aarch64-linux-gnu-gcc builds the "
         "bare-metal image (the BSP's start-up, -nostartfiles, -static)"),
        ('rtconfig.py', r"(DEVICE\s*=\s*' -march=armv8-a)", r"\1 --specs=picolibc.specs",
         "the C library is Debian's picolibc for aarch64-linux-gnu (glibc is for Linux)"),
        ('rtconfig.py', r" -lsupc\+\+", "",
         "picolibc has no libsupc++ (the image has no C++)"),
    ],
    'prepare': prepare,
    'why': 'Cortex-A53 (GIC v2), aarch64-linux-gnu-gcc with picolibc, link script made in the '
           'copy, rtconfig.h regenerated from the Kconfig',
    # `make bench BSP=qemu-virt64-aarch64`: the generic timer's CNTVCT_EL0 at CNTFRQ_EL0 (qemu
    # virt: 62.5 MHz of virtual clock, one count = 16 instructions under -icount shift=0); the
    # BSP's release build is its rtconfig.py's BUILD = 'release' (kernel at -Os)
    'bench': {'counter': 'arm-generic-timer', 'icount': 'shift=0', 'cpus': 1,
              'release': ('rtconfig.py', r"^BUILD(\s*)=(\s*)'debug'", r"BUILD\1=\2'release'"),
              'kernel_opt': ('O0', 'Os'), 'isa': 'A64'},
}
