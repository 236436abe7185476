"""ARM MPS2 with the AN385 FPGA image (Cortex-M3), qemu's mps2-an385: the project's own
board port bsp/mps2 (RT-Thread has no BSP for it), built on RT-Thread's libcpu/arm/cortex-m3."""
from boards import arm_none_eabi, qemu_elf


BOARD = {
    'name': 'mps2-an385',
    'source': 'bsp/mps2',
    # one CPU, no SD card; qemu loads the ELF's segments (code at 0, data at 0x20000000)
    'qemu': qemu_elf('mps2-an385'),
    'prompt': 'msh >',
    **arm_none_eabi(),
    'rust_target': 'thumbv7m-none-eabi',
    'word_bits': 32,
    'sd_image': False,
    # the unchanged 32-bit sample prints what it prints on qemu-vexpress-a9
    'sample_expected': 'memp_sample.expected',
    # the port's FPGA image: a Kconfig choice, from which rtconfig.py takes -mcpu
    'config': [('BSP_MPS2_AN385', '')],
    'why': 'Cortex-M3, the project\'s own port bsp/mps2 (RT-Thread has no BSP for it)',
    # `make bench BSP=<name>`: SysTick as the guest-side counter (the port runs it from qemu's
    # 25 MHz processor clock for its tick; under -icount shift=0 one count is 40 instructions);
    # the port's default build is its release build (kernel at -O2), so no third image
    'bench': {'counter': 'systick', 'counter_hz': 25000000, 'icount': 'shift=0', 'cpus': 1,
              'release': None, 'kernel_opt': ('O2', 'O2'), 'isa': 'Thumb-2'},
}
