/*
 * memp_sample_64.c: RT-Thread's memp_sample.c, unchanged, with 4096-byte thread stacks instead
 * of its 512, for the bed's 64-bit boards only (scripts/qemu_test.py picks it by the board's
 * word size). On RV64 and AArch64 a thread's saved context alone (the integer and FPU
 * registers the port stacks on a switch or trap) fills most of 512 bytes, so the unchanged
 * sample overflows its stacks there even with the kernel's own C mempool. 2048 is not enough
 * on AArch64 SMP either: an interrupt saves its 800-byte frame on the running thread's stack,
 * handles the interrupt there and may switch threads from it (a 640-byte frame more), so a
 * tick landing while thread1 was in rt_kprintf overflowed 2048 bytes in one run of three
 * (qemu-virt64-aarch64 --smp, RT-Thread 5.3, the BSP's -O0). The stack size changes nothing
 * in the output.
 *
 * The sample is included, not copied: only the stack size its two rt_thread_create calls
 * pass is scaled (a function-like macro may name itself; the preprocessor does not expand it
 * again). The expected output is captured from the kernel's own C mempool on each 64-bit
 * board (qemu_test.py --bsp <board> --kernel-mempool) and committed as
 * memp_sample.<board>.expected.
 */
#include <rtthread.h>

#define rt_thread_create(name, entry, parameter, stack_size, priority, tick) \
    rt_thread_create(name, entry, parameter, (stack_size) * 8, priority, tick)

#include "memp_sample.c"
