/*
 * bed.fpu_context: threads switched while their floating-point registers hold live values
 * keep them (the bed's own check of the CPU port, not of the pool).
 *
 * Built only where C code runs with an FPU and a hard-float or softfp ABI (qemu mps2-an386:
 * Cortex-M4F, -mfloat-abi=hard), i.e. where the kernel's context switch must save and
 * restore the FP registers: RT-Thread's libcpu/arm/cortex-m4 does it lazily, for a thread
 * that used the FPU only (its exception frame is then the extended one, EXC_RETURN bit 4
 * clear: the core stacks S0-S15 and FPSCR on first FP use in the handler, PendSV saves
 * S16-S31 with the thread's other registers).
 *
 * Two threads of the same priority, time-sliced, run FP_ROUNDS rounds each. A round fills
 * all 32 single-precision registers with a pattern of its own (computed in C with float
 * arithmetic), then spins, touching no FP register, until the other thread has reached the
 * same round, then stores the 32 registers and compares them with the pattern, bit for bit.
 * A thread that has to spin can only go on after the other thread ran, i.e. after a context
 * switch out of the spin (the SysTick interrupt ends its time slice, PendSV switches) with
 * its pattern live in S0-S31 and the other thread's pattern loaded meanwhile. The test
 * asserts every pattern came back intact and that each thread was switched away while
 * holding FP state in a good share of its rounds; each thread also accumulates a float sum
 * across the rounds and checks it exactly.
 */
#include <rtthread.h>
#include "utest.h"

#if defined(__arm__) && defined(__ARM_FP) && !defined(__SOFTFP__)

#define FP_ROUNDS      40
#define FP_SPIN_LIMIT  0x10000000u     /* about seconds of spinning: the other never ran */
#define FP_SLICE       2               /* ticks */

#ifdef UTEST_THR_PRIORITY
#define FP_PRIO        (UTEST_THR_PRIORITY - 2)
#else
#define FP_PRIO        18
#endif

static volatile rt_uint32_t fp_round[2];
static float fp_pattern[2][32];
static float fp_seen[2][32];
static volatile int fp_bad[2], fp_switched[2], fp_stuck[2], fp_done[2], fp_sum_ok[2];

/* Load the pattern into S0-S31, announce the round, wait for the other thread to reach it,
 * store S0-S31. Returns how often the wait loop ran (0: the other was already there). */
static rt_uint32_t fp_hold(int me, rt_uint32_t round)
{
    rt_uint32_t spins;

    __asm__ volatile(
        "vldmia  %[pat], {s0-s31}\n\t"
        "str     %[r], [%[mine]]\n\t"
        "movs    %[n], #0\n"
        "1:\n\t"
        "ldr     r12, [%[other]]\n\t"
        "cmp     r12, %[r]\n\t"
        "bhs     2f\n\t"
        "adds    %[n], %[n], #1\n\t"
        "cmp     %[n], %[lim]\n\t"
        "blo     1b\n"
        "2:\n\t"
        "vstmia  %[seen], {s0-s31}\n\t"
        : [n] "=&r"(spins)
        : [pat] "r"(fp_pattern[me]), [seen] "r"(fp_seen[me]), [r] "r"(round),
          [mine] "r"(&fp_round[me]), [other] "r"(&fp_round[1 - me]), [lim] "r"(FP_SPIN_LIMIT)
        : "r12", "cc", "memory", "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s12", "s13", "s14", "s15", "s16", "s17", "s18", "s19", "s20", "s21", "s22", "s23", "s24", "s25", "s26", "s27", "s28", "s29", "s30", "s31");
    return spins;
}

static void fp_entry(void *parameter)
{
    int me = (int)(rt_ubase_t)parameter;
    rt_uint32_t r, spins;
    volatile float step = 0.25f;
    float sum = 0.0f;
    int k;

    for (r = 1; r <= FP_ROUNDS; r++)
    {
        for (k = 0; k < 32; k++)
            fp_pattern[me][k] = (float)(me * 4096 + (int)r * 64 + k) * 0.5f + 0.125f;
        spins = fp_hold(me, r);
        if (spins >= FP_SPIN_LIMIT)
            fp_stuck[me]++;
        else if (spins > 0)
            fp_switched[me]++;
        if (rt_memcmp(fp_seen[me], fp_pattern[me], sizeof(fp_seen[me])) != 0)
            fp_bad[me]++;
        sum += step;
    }
    fp_sum_ok[me] = (sum == (float)FP_ROUNDS * 0.25f);
    fp_done[me] = 1;
}

static void test_fp_registers_survive_switches(void)
{
    rt_thread_t t[2];
    rt_tick_t t0;
    int i;

    for (i = 0; i < 2; i++)
    {
        fp_round[i] = 0;
        fp_bad[i] = fp_switched[i] = fp_stuck[i] = fp_done[i] = fp_sum_ok[i] = 0;
    }
    for (i = 0; i < 2; i++)
    {
        t[i] = rt_thread_create(i ? "bedfp1" : "bedfp0", fp_entry, (void *)(rt_ubase_t)i,
                                2048, FP_PRIO, FP_SLICE);
        uassert_true(t[i] != RT_NULL);
        if (t[i] == RT_NULL)
            return;
#ifdef RT_USING_SMP
        rt_thread_control(t[i], RT_THREAD_CTRL_BIND_CPU, (void *)0);
#endif
    }
    /* both ready before either runs (each preempts this thread at once) */
    rt_enter_critical();
    rt_thread_startup(t[0]);
    rt_thread_startup(t[1]);
    rt_exit_critical();
    for (t0 = rt_tick_get(); !(fp_done[0] && fp_done[1])
         && rt_tick_get() - t0 < 20 * RT_TICK_PER_SECOND;)
        rt_thread_mdelay(10);

    rt_kprintf("[bed fpu] %d rounds a thread: switched away with S0-S31 live %d + %d times, "
               "%d + %d patterns changed, %d + %d waits never ended\n", FP_ROUNDS,
               fp_switched[0], fp_switched[1], fp_bad[0], fp_bad[1], fp_stuck[0], fp_stuck[1]);
    uassert_true(fp_done[0] && fp_done[1]);
    for (i = 0; i < 2; i++)
    {
        uassert_int_equal(fp_bad[i], 0);
        uassert_int_equal(fp_stuck[i], 0);
        uassert_true(fp_sum_ok[i]);
        /* about every other round waits for the other thread (see above) */
        uassert_true(fp_switched[i] >= FP_ROUNDS / 4);
    }
}

static void testcase(void)
{
    UTEST_UNIT_RUN(test_fp_registers_survive_switches);
}
UTEST_TC_EXPORT(testcase, "bed.fpu_context", RT_NULL, RT_NULL, 30);

#endif /* an FPU and a float ABI that uses it */
