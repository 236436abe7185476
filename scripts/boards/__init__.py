"""The boards the qemu bed (scripts/qemu_test.py) knows, one module per board.

Each module defines BOARD, a dict:

  name         the BSP's folder name (`make qemu-test BSP=<name>`)
  source       where the BSP comes from: 'rtt' ($RTT_ROOT/bsp/<name>, RT-Thread's own BSP) or
               a folder of this repository (a board port of the project's own, built on
               RT-Thread's libcpu from $RTT_ROOT)
  qemu         function (image folder, CPUs) -> the qemu command line
  prompt       the msh prompt (`msh />` with DFS, `msh >` without)
  sd_image     whether qemu gets the bed's blank 64 MB SD card image, sd.bin (default True)
  debs         the Debian packages of its toolchain and emulator (scripts/setup.sh installs them)
  tools        [(program, Debian package)] the bed looks for before it starts
  prefix       the toolchain's prefix (nm, objcopy)
  rust_target  the Rust target scripts/rust_target.py must derive from the BSP's own flags
               (the bed checks that it did: the table is the expectation, not the source)
  word_bits    32 or 64: which sample (memp_sample.c, or memp_sample_64.c with larger stacks)
  sample_expected  the sample's expected output in c_tests/sample/ when it is another board's
               file (e.g. 'memp_sample.expected', the default board's, for a 32-bit board that
               prints the same); default: memp_sample.<board>.expected
  cpus         qemu's CPU count for a single-core image (default 1; vexpress boots 2 always)
  smp          whether the board is run in SMP too (`make qemu-matrix` adds the row)
  rust_peer    whether `make qemu-matrix` also runs it with a second Rust staticlib in the
               image (qemu_test.py --rust-peer: bsp/bed/rust_peer, as RT-Thread's own Rust
               component would sit beside the package; default False)
  edits        [(file in the BSP, regular expression, replacement, why)] applied to the bed's
               *copy* of the BSP (RTT_ROOT is never written); the bed stops when an expression
               no longer matches, so a change of the tree is noticed, not silently skipped
  config       extra rtconfig items the board needs in the bed, [(NAME, value or '' or None)],
               evaluated with the tree's Kconfig like EXTRA_CONFIG
  prepare      optional function (bsp copy folder, rtt_root, log) for what an edit cannot say
               (e.g. generating a link script from libcpu's template); called once the copy
               has its final rtconfig.h
  why          one line for the README's BSP table: what the board is and what the bed changes
  bench        optional: the board can run `make bench BSP=<name>` (scripts/qemu_bench.py);
               a dict of
                 counter   the guest-side time source bench/mp_bench.c reads:
                           'a9-global-timer' (PMCCNTR where it counts, else the Cortex-A9
                           MPCore global timer) or 'systick' (the Cortex-M SysTick counter,
                           24-bit, counting down at the core clock)
                 counter_hz  for 'systick': the counter's clock in Hz as qemu models it (with
                           -icount shift=0 one instruction is 1 ns, so one tick is
                           1e9 / counter_hz instructions)
                 icount    qemu's -icount argument (e.g. 'shift=0': counts are instructions)
                 cpus      qemu's CPU count for the bench image (default 1)
                 release   (file, regular expression, replacement) that switches the copy to
                           the BSP's release build, or None if it has none
                 kernel_opt  (default build, release build) optimization of the kernel, for
                           the figure names (e.g. ('O0', 'Os'))
                 isa       the instruction set the BSP's C is compiled to ('A32', 'Thumb-2',
                           ...), for the size comparison's label
                 big_pool_bytes  the size of the pool the rt_mp_init/rt_mp_detach figures
                           time, a multiple of 1024 (default 64 KiB; a board whose RAM cannot
                           hold it gives a smaller one, and its figures say so in their names:
                           mp_init_16k_16B instead of mp_init_64k_16B)
"""
import importlib
import os

_HERE = os.path.dirname(os.path.abspath(__file__))


def load():
    """{name: BOARD} of every board module in this folder."""
    boards = {}
    for f in sorted(os.listdir(_HERE)):
        if f.endswith('.py') and not f.startswith('_'):
            mod = importlib.import_module('boards.' + f[:-3])
            b = dict(mod.BOARD)
            b.setdefault('source', 'rtt')
            b.setdefault('cpus', 1)
            b.setdefault('sd_image', True)
            b.setdefault('smp', False)
            b.setdefault('rust_peer', False)
            b.setdefault('edits', [])
            b.setdefault('config', [])
            b.setdefault('prepare', None)
            b.setdefault('sample_expected', None)
            b.setdefault('bench', None)
            boards[b['name']] = b
    return boards


def arm_none_eabi():
    """The entries of a board built with Debian's bare-metal Arm toolchain (Cortex-A and
    Cortex-M alike) and booted with qemu-system-arm: packages, the tools the bed looks for,
    the prefix."""
    return {
        'debs': ['gcc-arm-none-eabi', 'libnewlib-arm-none-eabi', 'binutils-arm-none-eabi',
                 'qemu-system-arm'],
        'tools': [('arm-none-eabi-gcc', 'gcc-arm-none-eabi'),
                  ('arm-none-eabi-nm', 'binutils-arm-none-eabi'),
                  ('qemu-system-arm', 'qemu-system-arm')],
        'prefix': 'arm-none-eabi-',
    }


def qemu_elf(machine):
    """qemu command of a one-CPU board that boots the ELF itself (qemu loads its segments)."""
    def qemu(img, cpus):
        return ['qemu-system-arm', '-M', machine,
                '-kernel', os.path.join(img, 'rtthread.elf')] + qemu_common()
    return qemu


def qemu_common():
    """qemu options every board shares: no display, no monitor, the console on stdio."""
    return ['-nographic', '-monitor', 'none', '-serial', 'stdio']
