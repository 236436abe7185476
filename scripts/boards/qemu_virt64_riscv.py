"""RT-Thread's qemu-virt64-riscv BSP (RV64GC, qemu's virt machine)."""
import os

from boards import qemu_common


def qemu(img, cpus):
    return ['qemu-system-riscv64', '-M', 'virt', '-m', '256M', '-smp', str(cpus),
            '-kernel', os.path.join(img, 'rtthread.bin'),
            '-drive', 'if=none,format=raw,id=blk0,file=' + os.path.join(img, 'sd.bin'),
            '-device', 'virtio-blk-device,drive=blk0,bus=virtio-mmio-bus.0'] + qemu_common()


BOARD = {
    'name': 'qemu-virt64-riscv',
    'qemu': qemu,
    'prompt': 'msh />',
    'debs': ['gcc-riscv64-unknown-elf', 'picolibc-riscv64-unknown-elf', 'qemu-system-misc'],
    'tools': [('riscv64-unknown-elf-gcc', 'gcc-riscv64-unknown-elf'),
              ('riscv64-unknown-elf-nm', 'binutils-riscv64-unknown-elf'),
              ('qemu-system-riscv64', 'qemu-system-misc')],
    'prefix': 'riscv64-unknown-elf-',
    'rust_target': 'riscv64gc-unknown-none-elf',
    'word_bits': 64,
    # Not run in SMP. RT-Thread 5.3 builds and boots this BSP with RT_USING_SMP on two harts
    # (the second is started through SBI HSM and runs its idle thread), but the scheduler's
    # IPI does nothing there: libcpu/risc-v/virt64's rt_hw_ipi_send ORs the vector number
    # itself, not a bit for it, into the hart's pending mask, so RT_SCHEDULE_IPI (0) sets
    # nothing, and no handler is installed for RT_SCHEDULE_IPI anyway. A thread made ready on
    # one hart reaches the other only when that one's running thread gives up its time slice
    # at a tick. Measured with the bed's --smp: unbound threads that block and wake stayed on
    # hart 0 (the stress case's workers, with either pool); a thread bound to hart 1 runs,
    # late (the stress case, one worker bound to each hart, takes 321 ticks instead of 117);
    # and the stack case fails (the waiter uses 560 bytes, with either pool). The bed could
    # only mend the IPI in libcpu, which is RT-Thread's and shared by every BSP, not in the
    # BSP's copy.
    'smp': False,
    'edits': [
        ('rtconfig.py', r"-mabi=lp64 '", "-mabi=lp64d --specs=picolibc.specs '",
         "Debian's riscv64-unknown-elf-gcc has no rv64imafdc/lp64 multilib (its default, "
         "rv64imafdc/lp64d, is used) and no newlib: its C library is picolibc"),
        ('rtconfig.py', r" -lsupc\+\+", "",
         "Debian's riscv64-unknown-elf toolchain has no libsupc++ (the image has no C++)"),
    ],
    'why': 'RV64GC (lp64d), rtconfig.h regenerated from the Kconfig, picolibc',
    # `make bench BSP=qemu-virt64-riscv`: the `time` CSR (qemu virt's 10 MHz timebase of virtual
    # clock, one count = 100 instructions under -icount shift=0); the BSP's release build is its
    # rtconfig.py's BUILD = 'release' (kernel at -O2 -Os, i.e. -Os)
    'bench': {'counter': 'riscv-time', 'counter_hz': 10000000, 'icount': 'shift=0', 'cpus': 1,
              'release': ('rtconfig.py', r"^BUILD(\s*)=(\s*)'debug'", r"BUILD\1=\2'release'"),
              'kernel_opt': ('O0', 'Os'), 'isa': 'RV64GC'},
}
