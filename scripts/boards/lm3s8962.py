"""RT-Thread's lm3s8962 BSP (TI Stellaris LM3S8962, Cortex-M3, 256 KB flash, 64 KB RAM), on
qemu's lm3s6965evb (the same family: the same UART, SysTick and memory sizes)."""
import os
import shutil

from boards import arm_none_eabi, qemu_elf

_HOOK = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                     'bsp', 'bed', 'boards', 'lm3s8962.c')


def prepare(bsp, rtt_root, log):
    """The bed's own start-up hook (bsp/bed/boards/lm3s8962.c) into the copy's applications/
    folder, whose SConscript builds every *.c there; the edits below call it."""
    dst = os.path.join(bsp, 'applications', 'bed_board_hook.c')
    with open(_HOOK, 'rb') as f:
        text = f.read()
    try:
        with open(dst, 'rb') as f:
            same = f.read() == text
    except OSError:
        same = False
    if not same:
        shutil.copyfile(_HOOK, dst)
    log("the copy's applications/bed_board_hook.c: console, timer thread and automatic "
        "initialisation for the BSP's start-up (bsp/bed/boards/lm3s8962.c)")


_UTEST_TABLE = r'''\1

        /* section information for utest (added by the rtt-mempool bed) */
        . = ALIGN(4);
        __rt_utest_tc_tab_start = .;
        KEEP(*(UtestTcTab))
        __rt_utest_tc_tab_end = .;'''

BOARD = {
    'name': 'lm3s8962',
    # one CPU always; qemu loads the ELF's flash and RAM images itself; UART0 on stdio
    'qemu': qemu_elf('lm3s6965evb'),
    'prompt': 'msh >',
    'sd_image': False,
    **arm_none_eabi(),
    'rust_target': 'thumbv7m-none-eabi',
    'word_bits': 32,
    # the kernel's own C mempool prints exactly the default board's lines here
    # (--kernel-mempool); the sample is the unchanged memp_sample.c
    'sample_expected': 'memp_sample.expected',
    'edits': [
        ('rtconfig.py', r"^CROSS_TOOL(\s*)=(\s*)'keil'", r"CROSS_TOOL\1=\2'gcc'",
         "the BSP defaults to Keil's armcc; the bed builds with arm-none-eabi-gcc (RTT_CC "
         "still overrides it)"),
        ('rtconfig.py', r"^(\s*EXEC_PATH\s*=\s*)'E:/Program Files/CodeSourcery/[^']*'",
         r"\1'/usr/bin'",
         "its GCC path is a Windows folder (RT-Thread's building.py stops when the compiler "
         "is not there): /usr/bin, as qemu-vexpress-a9's; RTT_EXEC_PATH still overrides it"),
        ('rtconfig.py', r"-Map=rtthread-lm3s\.map", "-Map=rtthread.map",
         'the map file under the name the bed reads (rtthread.map)'),
        ('SConstruct', r"^TARGET = 'rtthread-lm3s\.'", "TARGET = 'rtthread.'",
         'the image under the name the bed boots and checks (rtthread.elf)'),
        ('Libraries/startup/gcc/start_gcc.S', r"^(\s*\.word\s+)luminaryif_isr\b",
         r"\1rt_hw_eth_handler",
         "the Ethernet vector names lwIP's luminaryif_isr, which exists only with lwIP: "
         "board.c's rt_hw_eth_handler (empty without lwIP) instead"),
        ('lm3s_rom.ld', r"^(\s*)\*\(\.bss\)$", r"\1*(.bss)\n\1*(.bss.*)",
         "the link script collects only *(.bss): with -fdata-sections every .bss.* input "
         "section would land after __bss_end, inside the heap, and never be zeroed"),
        ('lm3s_rom.ld', r"^(\s*__rt_init_end = \.;)", _UTEST_TABLE,
         "the link script has no utest table: UtestTcTab between __rt_utest_tc_tab_start "
         "and _end in flash, after the FSymTab/VSymTab/.rti_fn tables, as RT-Thread's GCC "
         "link scripts place it"),
        ('applications/startup.c',
         r"^#ifdef RT_USING_FINSH\n[^\n]*/\* init finsh \*/\n\s*finsh_system_init\(\);\n"
         r"#if [^\n]*\n\s*finsh_set_device\(\"uart1\"\);\n#endif\n#endif",
         "    /* rtt-mempool bed: console, signals, timer thread, defunct list, board-level "
         "automatic\n     * initialisation; the shell is started by rt_components_init "
         "(INIT_APP_EXPORT) */\n"
         "    extern void bed_board_start(void);\n    bed_board_start();",
         "the start-up starts the shell itself (rt_components_init now does) and gives it "
         "uart1 before the shell exists; instead it sets uart1 as console, initialises signals "
         "(their siginfo pool), starts the soft-timer thread, inits the defunct list and runs "
         "the board-level initialisation (the bed's hook, bsp/bed/boards/lm3s8962.c)"),
        ('applications/application.c',
         r"^(void rt_init_thread_entry\(void \*parameter\)\n\{)",
         r"\1\n    extern void bed_board_components_init(void);\n"
         r"    bed_board_components_init(); /* rtt-mempool bed: rt_components_init */",
         "the start-up never runs rt_components_init (utest's test case table, the shell): "
         "the BSP's init thread runs it first (the bed's hook)"),
    ],
    'config': [
        # the SD card driver spins forever under qemu (no card behind its SSI), and lwIP
        # takes most of the 64 KB of RAM; the bed needs neither
        ('RT_USING_DFS', None),
        ('RT_USING_LWIP', None),
        # INIT_*_EXPORT registers nothing without it (utest's table, the shell): the hook
        # runs rt_components_init; a promptless Kconfig symbol, so defined as given
        ('RT_USING_COMPONENTS_INIT', ''),
        # utest prints through rt_kprintf and refuses to build with a smaller buffer
        ('RT_CONSOLEBUF_SIZE', '256'),
        # the console device the hook sets: the BSP's serial driver registers UART0 as uart1
        ('RT_CONSOLE_DEVICE_NAME', '"uart1"'),
        # the idle thread frees exited threads (rt_free, the heap's hooks): 256 bytes overflow
        ('IDLE_THREAD_STACK_SIZE', '1024'),
    ],
    'prepare': prepare,
    'why': 'Cortex-M3, 64 KB RAM on qemu lm3s6965evb; GCC, no DFS/lwIP, link script gains '
           '.bss.* and the utest table, start-up gains console, signals, timer thread and '
           'rt_components_init',
    # `make bench BSP=lm3s8962`: SysTick as the guest-side counter, which board.c runs for the
    # tick from the core clock (CLKSOURCE = 1). qemu's lm3s6965evb clocks SysTick from its
    # system clock only (hw/arm/stellaris.c: "cpuclk" is the ssys SYSCLK, no reference clock),
    # a period of 5 ns x (RCC.SYSDIV + 1); board.c's SysCtlClockSet(SYSCTL_SYSDIV_4 | ...)
    # gives 20 ns, 50 MHz, so under -icount shift=0 one count is 20 instructions
    'bench': {'counter': 'systick', 'counter_hz': 50000000, 'icount': 'shift=0', 'cpus': 1,
              # rtconfig.py: BUILD = 'debug' builds the BSP at -O0, anything else at -O2
              'release': ('rtconfig.py', r"^BUILD\s*=\s*'debug'", "BUILD = 'release'"),
              'kernel_opt': ('O0', 'O2'), 'isa': 'Thumb-2',
              # a 64 KiB pool cannot fit in 64 KB of RAM: the kernel's and the bench's other
              # statics take 6.5 KB, and the heap behind them (the shell's 4 KB stack, the
              # bench's waiter) peaked at 7.1 KB in a run of mp_bench (msh `free`); 32 KiB
              # leaves it 26 KB
              'big_pool_bytes': 32 * 1024},
}
