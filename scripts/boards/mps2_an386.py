"""ARM MPS2 with the AN386 FPGA image (Cortex-M4 with FPv4-SP FPU), qemu's mps2-an386: the
project's own board port bsp/mps2 built for the hard-float ABI, on RT-Thread's
libcpu/arm/cortex-m4 (which saves a thread's FP registers lazily)."""
from boards import arm_none_eabi, qemu_elf


BOARD = {
    'name': 'mps2-an386',
    'source': 'bsp/mps2',
    # one CPU, no SD card; qemu loads the ELF's segments (code at 0, data at 0x20000000)
    'qemu': qemu_elf('mps2-an386'),
    'prompt': 'msh >',
    **arm_none_eabi(),
    # -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard: the linker refuses to mix float ABIs
    'rust_target': 'thumbv7em-none-eabihf',
    'word_bits': 32,
    'sd_image': False,
    'sample_expected': 'memp_sample.expected',
    'config': [('BSP_MPS2_AN386', '')],
    'why': 'Cortex-M4F (hard float), the project\'s own port bsp/mps2; the bed\'s '
           'bed.fpu case switches threads holding FP registers',
    # `make bench BSP=<name>`: SysTick as the guest-side counter (the port runs it from qemu's
    # 25 MHz processor clock for its tick; under -icount shift=0 one count is 40 instructions);
    # the port's default build is its release build (kernel at -O2), so no third image
    'bench': {'counter': 'systick', 'counter_hz': 25000000, 'icount': 'shift=0', 'cpus': 1,
              'release': None, 'kernel_opt': ('O2', 'O2'), 'isa': 'Thumb-2'},
}
