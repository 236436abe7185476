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
    'edits': [
        ('rtconfig.py', r"-mabi=lp64 '", "-mabi=lp64d --specs=picolibc.specs '",
         "Debian's riscv64-unknown-elf-gcc has no rv64imafdc/lp64 multilib (its default, "
         "rv64imafdc/lp64d, is used) and no newlib: its C library is picolibc"),
        ('rtconfig.py', r" -lsupc\+\+", "",
         "Debian's riscv64-unknown-elf toolchain has no libsupc++ (the image has no C++)"),
    ],
    'why': 'RV64GC (lp64d), rtconfig.h regenerated from the Kconfig, picolibc',
}
