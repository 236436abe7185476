/*
 * rtt-mempool side-by-side benchmark (msh command `mp_bench`).
 *
 * One image holds this library's rt_mp_* and the kernel's own src/mempool.c compiled three
 * more times with its functions renamed (ref_o0_rt_mp_*, ref_o2_rt_mp_*, ref_os_rt_mp_*; see
 * bench/SConscript). Every implementation runs the same code below through a table of
 * function pointers, so the call overhead is the same for all.
 *
 * Time: the counter the board's bench entry names (see "time source" below): on
 * Cortex-A9 the cycle counter when it counts, else the A9 global timer; on Cortex-M SysTick.
 * Under qemu's `-icount shift=0` QEMU advances its virtual clock by 1 ns per guest
 * instruction, so one "cycle" is one executed instruction, whatever the host does.
 *
 * Output, one line per measurement (parsed by scripts/qemu_bench.py):
 *   mpbench: clock source=a9-global-timer pmcr=0x41093001 resolution=10 ...
 *   mpbench: impl=rust fig=alloc_free n=10000 total=123456 loop=30000
 *   mpbench: impl=rust fig=handoff n=200 min=.. median=.. max=..
 *   mpbench: impl=rust fig=init_64k n=8 min=.. max=..     (init_<KiB>k: the big pool's size)
 *   mpbench: impl=rust fig=detach_64k n=8 min=.. max=..
 *   mpbench: impl=rust fig=init_small n=8 blocks=8 min=.. max=..
 *   mpbench: done
 */
#include <rtthread.h>
#include <rthw.h>
#include <stdlib.h>

#define PAIR_ITERATIONS    10000
#define HANDOFF_ITERATIONS 200
#define INIT_ROUNDS        8
#define BIG_POOL_BLOCK     16

/*
 * The pool rt_mp_init/rt_mp_detach are timed on: 64 KiB, or the board's bench entry's
 * big_pool_bytes (bench/SConscript passes it as MP_BENCH_BIG_POOL_BYTES) where the RAM
 * cannot hold 64 KiB beside the kernel (lm3s8962: 64 KB in all). Its figures carry the size
 * in KiB (init_64k, init_16k, ...), so it must be a multiple of 1 KiB.
 */
#ifdef MP_BENCH_BIG_POOL_BYTES
#define BIG_POOL_BYTES     (MP_BENCH_BIG_POOL_BYTES)
#else
#define BIG_POOL_BYTES     (64 * 1024)
#endif
#if BIG_POOL_BYTES % 1024 != 0 || BIG_POOL_BYTES <= 0
#error "MP_BENCH_BIG_POOL_BYTES: a positive multiple of 1024 (the figures name it in KiB)"
#endif
#define BIG_POOL_KIB       ((unsigned long)(BIG_POOL_BYTES / 1024))

typedef rt_err_t (*mp_init_fn)(struct rt_mempool *, const char *, void *, rt_size_t, rt_size_t);
typedef rt_err_t (*mp_detach_fn)(struct rt_mempool *);
typedef void *(*mp_alloc_fn)(rt_mp_t, rt_int32_t);
typedef void (*mp_free_fn)(void *);

struct mp_impl
{
    const char *name;
    mp_init_fn init;
    mp_detach_fn detach;
    mp_alloc_fn alloc;
    mp_free_fn free;
};

/* The kernel's mempool.c, renamed at compile time by bench/SConscript. */
#define REF_DECLARE(p)                                                                      \
    rt_err_t p##_rt_mp_init(struct rt_mempool *, const char *, void *, rt_size_t, rt_size_t); \
    rt_err_t p##_rt_mp_detach(struct rt_mempool *);                                         \
    void *p##_rt_mp_alloc(rt_mp_t, rt_int32_t);                                             \
    void p##_rt_mp_free(void *);
#define REF_IMPL(p, label) { label, p##_rt_mp_init, p##_rt_mp_detach, p##_rt_mp_alloc, p##_rt_mp_free }

REF_DECLARE(ref_o0)
REF_DECLARE(ref_o2)
REF_DECLARE(ref_os)

static const struct mp_impl impls[] = {
    { "rust", rt_mp_init, rt_mp_detach, rt_mp_alloc, rt_mp_free },
    REF_IMPL(ref_o0, "c-O0"),
    REF_IMPL(ref_o2, "c-O2"),
    REF_IMPL(ref_os, "c-Os"),
};

/* ---- time source ---------------------------------------------------------------------- */

/*
 * The board's entry (scripts/boards/, its `bench` dict) names the counter; bench/SConscript
 * passes it as MP_BENCH_COUNTER_SYSTICK (and MP_BENCH_COUNTER_HZ), else the Cortex-A9 one.
 * Whatever the counter, the values are turned into instructions: under qemu's
 * `-icount shift=0` one guest instruction takes 1 ns of virtual clock, so a counter of
 * F Hz advances once per 1e9 / F instructions (time_scale), deterministically.
 */
#ifdef MP_BENCH_COUNTER_SYSTICK
/*
 * Cortex-M SysTick (ARMv7-M: SYST_CSR 0xE000E010, SYST_RVR +4, SYST_CVR +8), 24 bits,
 * counting down at the core clock (CLKSOURCE = 1). The kernel usually runs its tick on it:
 * then it is read as it is (period RVR + 1), otherwise it is started free-running. A down
 * counter that wraps every period: elapsed() is correct for spans shorter than one period,
 * which is why the loops below are timed in chunks.
 */
#ifndef MP_BENCH_COUNTER_HZ
#error "MP_BENCH_COUNTER_HZ: the SysTick clock in Hz (the board's bench dict, counter_hz)"
#endif
#define SYST_CSR (*(volatile rt_uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile rt_uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile rt_uint32_t *)0xE000E018u)
#define COUNTER_NAME "systick"

static rt_uint32_t time_scale = 1000000000u / (MP_BENCH_COUNTER_HZ);
static rt_uint32_t systick_period = 1u << 24;

static inline rt_uint32_t ccnt(void)
{
    return SYST_CVR;
}

/* t1 - t0 in instructions */
static inline rt_uint32_t elapsed(rt_uint32_t t0, rt_uint32_t t1)
{
    rt_uint32_t d = t0 >= t1 ? t0 - t1 : t0 + systick_period - t1;
    return d * time_scale;
}

static void choose_time_source(rt_uint32_t *info)
{
    if (!(SYST_CSR & 1u))
    {
        SYST_RVR = 0x00ffffffu;
        SYST_CVR = 0;
        SYST_CSR = 4u | 1u; /* core clock, enabled, no interrupt */
    }
    systick_period = (SYST_RVR & 0x00ffffffu) + 1u;
    *info = SYST_CSR;
}
#elif defined(MP_BENCH_COUNTER_ARM_GENERIC_TIMER)
/*
 * AArch64: the generic timer's virtual count CNTVCT_EL0, 64 bits, at CNTFRQ_EL0 (qemu's virt
 * machine: 62.5 MHz of its virtual clock, so under -icount shift=0 one count = 16
 * instructions). It never wraps in a run; the low 32 bits are enough for a chunk.
 */
#define COUNTER_NAME "arm-generic-timer"
static rt_uint32_t time_scale = 1;

static inline rt_uint32_t ccnt(void)
{
    unsigned long v;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) : : "memory");
    return (rt_uint32_t)v;
}

static void choose_time_source(rt_uint32_t *info)
{
    unsigned long f;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
    time_scale = f ? (rt_uint32_t)(1000000000ul / f) : 1u;
    *info = (rt_uint32_t)f;
}
#elif defined(MP_BENCH_COUNTER_RISCV_TIME)
/*
 * RISC-V: the `time` CSR (rdtime; the ACLINT mtime that OpenSBI lets supervisor mode read),
 * 64 bits, at the platform's timebase (MP_BENCH_COUNTER_HZ: qemu's virt machine 10 MHz of its
 * virtual clock, so under -icount shift=0 one count = 100 instructions).
 */
#ifndef MP_BENCH_COUNTER_HZ
#error "MP_BENCH_COUNTER_HZ: the timebase in Hz (the board's bench dict, counter_hz)"
#endif
#define COUNTER_NAME "riscv-time"
static rt_uint32_t time_scale = 1000000000u / (MP_BENCH_COUNTER_HZ);

static inline rt_uint32_t ccnt(void)
{
    unsigned long v;
    __asm__ volatile("rdtime %0" : "=r"(v) : : "memory");
    return (rt_uint32_t)v;
}

static void choose_time_source(rt_uint32_t *info)
{
    *info = (rt_uint32_t)(MP_BENCH_COUNTER_HZ);
}
#else
/*
 * Cortex-A9, chosen at run time:
 *  - the cycle counter PMCCNTR (CP15 c9, c13, 0) when it counts. QEMU 7.2's cortex-a9 model
 *    has the PMCR/PMCNTENSET registers but no PMU (ARM_FEATURE_PMU is not set for it), so
 *    there PMCCNTR stays 0 whatever is enabled;
 *  - otherwise the Cortex-A9 MPCore global timer (PERIPHBASE + 0x200, PERIPHBASE from CBAR),
 *    prescaler 0. QEMU clocks it at one tick per 10 ns of its virtual clock; under
 *    -icount shift=0 one guest instruction takes 1 ns, so ticks x 10 = instructions, the
 *    same unit as PMCCNTR at QEMU's nominal 1 GHz, with a resolution of 10.
 */
#define GT_COUNTER_LO 0x200
#define GT_CONTROL    0x208

static volatile rt_uint32_t *gt_base;
static int use_global_timer;
static rt_uint32_t time_scale = 1;
#define COUNTER_NAME (use_global_timer ? "a9-global-timer" : "pmccntr")

static inline rt_uint32_t ccnt(void)
{
    rt_uint32_t v;
    if (use_global_timer)
        return gt_base[GT_COUNTER_LO / 4];
    __asm__ volatile("mrc p15, 0, %0, c9, c13, 0" : "=r"(v) : : "memory");
    return v;
}

static rt_uint32_t pmu_enable(void)
{
    rt_uint32_t pmcr;
    __asm__ volatile("mrc p15, 0, %0, c9, c12, 0" : "=r"(pmcr));
    /* PMCR: E (bit 0) enables the counters, C (bit 2) resets the cycle counter, D (bit 3)
     * cleared: count every cycle, not every 64th. */
    pmcr = (pmcr | 1u | 4u) & ~8u;
    __asm__ volatile("mcr p15, 0, %0, c9, c12, 0" : : "r"(pmcr));
    /* PMCNTENSET bit 31: the cycle counter. */
    __asm__ volatile("mcr p15, 0, %0, c9, c12, 1" : : "r"(1u << 31));
    __asm__ volatile("isb" : : : "memory");
    __asm__ volatile("mrc p15, 0, %0, c9, c12, 0" : "=r"(pmcr));
    return pmcr;
}

static void global_timer_enable(void)
{
    rt_uint32_t cbar;
    __asm__ volatile("mrc p15, 4, %0, c15, c0, 0" : "=r"(cbar));
    gt_base = (volatile rt_uint32_t *)(cbar & 0xffffe000u);
    /* timer enable, prescaler 0; comparator and its interrupt stay off */
    gt_base[GT_CONTROL / 4] = (gt_base[GT_CONTROL / 4] & ~0xff0eu) | 1u;
}

/* Picks the time source: PMCCNTR, or the global timer when PMCCNTR does not count. */
static void choose_time_source(rt_uint32_t *pmcr)
{
    *pmcr = pmu_enable();
    use_global_timer = 0;
    rt_uint32_t a = ccnt();
    for (volatile int i = 0; i < 100; i++)
        ;
    rt_uint32_t b = ccnt();
    if (a == b)
    {
        global_timer_enable();
        use_global_timer = 1;
        time_scale = 10;
    }
}
#endif

#ifndef MP_BENCH_COUNTER_SYSTICK
/* t1 - t0 in instructions, for the counters that count up (all but SysTick), wrapping
 * modulo 2^32 */
static inline rt_uint32_t elapsed(rt_uint32_t t0, rt_uint32_t t1)
{
    return (t1 - t0) * time_scale;
}
#endif

/* Loops are timed in chunks of this many iterations, each well below one period of a
 * wrapping counter (SysTick at a 1 kHz tick wraps every 1e6 instructions). */
#define CHUNK 100

/* The cost of the bare benchmark loop, subtracted from the alloc+free loop. */
static rt_uint32_t __attribute__((noipa)) empty_loop(int n)
{
    rt_uint32_t sum = 0;
    for (int done = 0; done < n; done += CHUNK)
    {
        int m = n - done < CHUNK ? n - done : CHUNK;
        rt_uint32_t t0 = ccnt();
        for (int i = 0; i < m; i++)
            __asm__ volatile("" : : : "memory");
        sum += elapsed(t0, ccnt());
    }
    return sum;
}

/* ---- alloc+free pair on the fast path -------------------------------------------------- */

static rt_uint8_t small_pool_mem[8 * (BIG_POOL_BLOCK + sizeof(void *))] __attribute__((aligned(RT_ALIGN_SIZE)));

static rt_uint32_t __attribute__((noipa)) pair_loop(const struct mp_impl *impl, rt_mp_t mp, int n)
{
    mp_alloc_fn alloc = impl->alloc;
    mp_free_fn release = impl->free;
    rt_uint32_t sum = 0;
    for (int done = 0; done < n; done += CHUNK)
    {
        int m = n - done < CHUNK ? n - done : CHUNK;
        rt_uint32_t t0 = ccnt();
        for (int i = 0; i < m; i++)
        {
            void *block = alloc(mp, 0);
            release(block);
        }
        sum += elapsed(t0, ccnt());
    }
    return sum;
}

static void bench_pair(const struct mp_impl *impl, int iterations, rt_uint32_t loop)
{
    static struct rt_mempool mp;
    if (impl->init(&mp, "mpb_pair", small_pool_mem, sizeof(small_pool_mem), BIG_POOL_BLOCK) != RT_EOK)
    {
        rt_kprintf("mpbench: error impl=%s init failed\n", impl->name);
        return;
    }
    void *probe = impl->alloc(&mp, 0);
    if (probe == RT_NULL)
    {
        rt_kprintf("mpbench: error impl=%s alloc failed\n", impl->name);
        impl->detach(&mp);
        return;
    }
    impl->free(probe);
    pair_loop(impl, &mp, 100); /* warm-up: first use of each block */
    /* Interrupts masked around the loop (the pool's own lock nests inside it), so no tick
     * interrupt lands in the measurement. */
    rt_base_t level = rt_hw_interrupt_disable();
    rt_uint32_t total = pair_loop(impl, &mp, iterations);
    rt_hw_interrupt_enable(level);
    impl->detach(&mp);
    rt_kprintf("mpbench: impl=%s fig=alloc_free n=%d total=%lu loop=%lu\n", impl->name,
               iterations, (unsigned long)total, (unsigned long)loop);
}

/* ---- free handing the block to a blocked higher-priority waiter ----------------------- */

struct handoff
{
    const struct mp_impl *impl;
    struct rt_mempool mp;
    struct rt_semaphore go;
    struct rt_semaphore done;
    volatile rt_uint32_t t0;
    rt_uint32_t delta[HANDOFF_ITERATIONS];
    int failures;
};

static struct handoff handoff;
static rt_uint8_t one_block_mem[32] __attribute__((aligned(RT_ALIGN_SIZE))); /* 32 / (16 + 4): one block */

static void waiter_entry(void *arg)
{
    struct handoff *h = arg;
    for (int i = 0; i < HANDOFF_ITERATIONS; i++)
    {
        void *block = h->impl->alloc(&h->mp, RT_WAITING_FOREVER);
        rt_uint32_t t1 = ccnt();
        h->delta[i] = elapsed(h->t0, t1);
        if (block == RT_NULL)
            h->failures++;
        else
            h->impl->free(block);
        rt_sem_take(&h->go, RT_WAITING_FOREVER);
    }
    rt_sem_release(&h->done);
}

static int cmp_u32(const void *a, const void *b)
{
    rt_uint32_t x = *(const rt_uint32_t *)a, y = *(const rt_uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void sort_u32(rt_uint32_t *v, int n)
{
    /* insertion sort: n is small, and no libc qsort is needed */
    for (int i = 1; i < n; i++)
    {
        rt_uint32_t x = v[i];
        int j = i - 1;
        while (j >= 0 && cmp_u32(&v[j], &x) > 0)
        {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

static void bench_handoff(const struct mp_impl *impl)
{
    struct handoff *h = &handoff;
    rt_memset(h, 0, sizeof(*h));
    h->impl = impl;
    if (impl->init(&h->mp, "mpb_hand", one_block_mem, sizeof(one_block_mem), BIG_POOL_BLOCK) != RT_EOK
        || h->mp.block_total_count != 1)
    {
        rt_kprintf("mpbench: error impl=%s handoff pool\n", impl->name);
        return;
    }
    rt_sem_init(&h->go, "mpb_go", 0, RT_IPC_FLAG_FIFO);
    rt_sem_init(&h->done, "mpb_done", 0, RT_IPC_FLAG_FIFO);
    void *block = impl->alloc(&h->mp, 0);
    rt_uint8_t prio = RT_SCHED_PRIV(rt_thread_self()).current_priority;
    rt_thread_t waiter = rt_thread_create("mpb_wait", waiter_entry, h, 2048, prio - 1, 10);
    if (block == RT_NULL || waiter == RT_NULL || prio == 0)
    {
        rt_kprintf("mpbench: error impl=%s handoff setup\n", impl->name);
        return;
    }
    rt_thread_startup(waiter); /* runs at once and blocks in alloc: the pool is empty */
    for (int i = 0; i < HANDOFF_ITERATIONS; i++)
    {
        h->t0 = ccnt();
        impl->free(block); /* the waiter runs before this returns */
        block = impl->alloc(&h->mp, 0); /* the block the waiter gave back */
        if (block == RT_NULL)
        {
            h->failures++;
            break;
        }
        rt_sem_release(&h->go); /* the waiter runs and blocks in alloc again */
    }
    rt_sem_take(&h->done, RT_WAITING_FOREVER);
    impl->free(block);
    impl->detach(&h->mp);
    rt_sem_detach(&h->go);
    rt_sem_detach(&h->done);
    rt_thread_mdelay(2); /* let the idle thread reclaim the waiter */
    if (h->failures)
    {
        rt_kprintf("mpbench: error impl=%s handoff failures=%d\n", impl->name, h->failures);
        return;
    }
    sort_u32(h->delta, HANDOFF_ITERATIONS);
    rt_kprintf("mpbench: impl=%s fig=handoff n=%d min=%lu median=%lu max=%lu\n", impl->name,
               HANDOFF_ITERATIONS, (unsigned long)h->delta[0],
               (unsigned long)h->delta[HANDOFF_ITERATIONS / 2],
               (unsigned long)h->delta[HANDOFF_ITERATIONS - 1]);
}

/* ---- rt_mp_init / rt_mp_detach of a 64 KiB (BIG_POOL_BYTES) pool of 16-byte blocks ---- */

static rt_uint8_t big_pool_mem[BIG_POOL_BYTES] __attribute__((aligned(RT_ALIGN_SIZE)));

static void bench_init(const struct mp_impl *impl)
{
    static struct rt_mempool mp;
    rt_uint32_t init_min = ~0u, init_max = 0, detach_min = ~0u, detach_max = 0;
    rt_size_t total = 0;
    for (int r = 0; r < INIT_ROUNDS; r++)
    {
        rt_base_t level = rt_hw_interrupt_disable();
        rt_uint32_t t0 = ccnt();
        rt_err_t err = impl->init(&mp, "mpb_big", big_pool_mem, sizeof(big_pool_mem), BIG_POOL_BLOCK);
        rt_uint32_t t1 = ccnt();
        rt_hw_interrupt_enable(level);
        if (err != RT_EOK)
        {
            rt_kprintf("mpbench: error impl=%s big init\n", impl->name);
            return;
        }
        total = mp.block_total_count;
        /* touch the pool once, as a user would, outside the measurement */
        void *b = impl->alloc(&mp, 0);
        impl->free(b);
        level = rt_hw_interrupt_disable();
        rt_uint32_t t2 = ccnt();
        impl->detach(&mp);
        rt_uint32_t t3 = ccnt();
        rt_hw_interrupt_enable(level);
        rt_uint32_t di = elapsed(t0, t1), dd = elapsed(t2, t3);
        init_min = di < init_min ? di : init_min;
        init_max = di > init_max ? di : init_max;
        detach_min = dd < detach_min ? dd : detach_min;
        detach_max = dd > detach_max ? dd : detach_max;
    }
    rt_kprintf("mpbench: impl=%s fig=init_%luk n=%d blocks=%lu min=%lu max=%lu\n", impl->name,
               BIG_POOL_KIB, INIT_ROUNDS, (unsigned long)total, (unsigned long)init_min,
               (unsigned long)init_max);
    rt_kprintf("mpbench: impl=%s fig=detach_%luk n=%d blocks=%lu min=%lu max=%lu\n",
               impl->name, BIG_POOL_KIB, INIT_ROUNDS, (unsigned long)total,
               (unsigned long)detach_min, (unsigned long)detach_max);
    /* the same for an 8-block pool: rt_mp_init's cost must not depend on the block count */
    init_min = ~0u, init_max = 0;
    for (int r = 0; r < INIT_ROUNDS; r++)
    {
        rt_base_t level = rt_hw_interrupt_disable();
        rt_uint32_t t0 = ccnt();
        rt_err_t err = impl->init(&mp, "mpb_sml", small_pool_mem, sizeof(small_pool_mem), BIG_POOL_BLOCK);
        rt_uint32_t t1 = ccnt();
        rt_hw_interrupt_enable(level);
        if (err != RT_EOK)
        {
            rt_kprintf("mpbench: error impl=%s small init\n", impl->name);
            return;
        }
        total = mp.block_total_count;
        impl->detach(&mp);
        rt_uint32_t di = elapsed(t0, t1);
        init_min = di < init_min ? di : init_min;
        init_max = di > init_max ? di : init_max;
    }
    rt_kprintf("mpbench: impl=%s fig=init_small n=%d blocks=%lu min=%lu max=%lu\n", impl->name,
               INIT_ROUNDS, (unsigned long)total, (unsigned long)init_min, (unsigned long)init_max);
}

/* ---- what the kernel itself costs (for the analysis in docs/benchmarks.md) ------------ */

static rt_uint32_t __attribute__((noipa)) irq_pair_loop(int n)
{
    rt_uint32_t sum = 0;
    for (int done = 0; done < n; done += CHUNK)
    {
        rt_uint32_t t0 = ccnt();
        for (int i = 0; i < CHUNK && done + i < n; i++)
        {
            rt_base_t level = rt_hw_interrupt_disable();
            rt_hw_interrupt_enable(level);
        }
        sum += elapsed(t0, ccnt());
    }
    return sum;
}

static rt_uint32_t __attribute__((noipa)) spin_pair_loop(struct rt_spinlock *lock, int n)
{
    rt_uint32_t sum = 0;
    for (int done = 0; done < n; done += CHUNK)
    {
        rt_uint32_t t0 = ccnt();
        for (int i = 0; i < CHUNK && done + i < n; i++)
        {
            rt_base_t level = rt_spin_lock_irqsave(lock);
            rt_spin_unlock_irqrestore(lock, level);
        }
        sum += elapsed(t0, ccnt());
    }
    return sum;
}

static void bench_kernel(rt_uint32_t loop)
{
    static struct rt_spinlock lock;
    static struct rt_object object;
    rt_spin_lock_init(&lock);
    rt_base_t level = rt_hw_interrupt_disable();
    rt_uint32_t irq = irq_pair_loop(PAIR_ITERATIONS);
    rt_uint32_t spin = spin_pair_loop(&lock, PAIR_ITERATIONS);
    rt_hw_interrupt_enable(level);
    /* the lock each implementation takes twice per alloc+free pair: masking interrupts
     * (the library on one core) and rt_spin_lock_irqsave (the C version) */
    rt_kprintf("mpbench: impl=kernel fig=irq_pair n=%d total=%lu loop=%lu\n", PAIR_ITERATIONS,
               (unsigned long)irq, (unsigned long)loop);
    rt_kprintf("mpbench: impl=kernel fig=spin_pair n=%d total=%lu loop=%lu\n", PAIR_ITERATIONS,
               (unsigned long)spin, (unsigned long)loop);
    /* rt_object_init / rt_object_detach of a MemPool object: what both rt_mp_init do */
    rt_uint32_t init_min = ~0u, detach_min = ~0u;
    for (int r = 0; r < INIT_ROUNDS; r++)
    {
        level = rt_hw_interrupt_disable();
        rt_uint32_t t0 = ccnt();
        rt_object_init(&object, RT_Object_Class_MemPool, "mpb_big");
        rt_uint32_t t1 = ccnt();
        rt_object_detach(&object);
        rt_uint32_t t2 = ccnt();
        rt_hw_interrupt_enable(level);
        init_min = elapsed(t0, t1) < init_min ? elapsed(t0, t1) : init_min;
        detach_min = elapsed(t1, t2) < detach_min ? elapsed(t1, t2) : detach_min;
    }
    rt_kprintf("mpbench: impl=kernel fig=object_init n=%d min=%lu\n", INIT_ROUNDS,
               (unsigned long)init_min);
    rt_kprintf("mpbench: impl=kernel fig=object_detach n=%d min=%lu\n", INIT_ROUNDS,
               (unsigned long)detach_min);
}

/* `mp_bench`: everything. `mp_bench pair N`: only the alloc+free loops, N pairs each;
 * `mp_bench init`: only rt_mp_init/rt_mp_detach (both for instruction traces with
 * qemu -singlestep -d exec, see docs/benchmarks.md). */
static int mp_bench(int argc, char **argv)
{
    rt_uint32_t pmcr;
    choose_time_source(&pmcr);
    if (argc == 3 && rt_strcmp(argv[1], "pair") == 0)
    {
        int n = atoi(argv[2]);
        for (unsigned i = 0; i < sizeof(impls) / sizeof(impls[0]); i++)
            bench_pair(&impls[i], n > 0 ? n : 1, empty_loop(n > 0 ? n : 1));
        rt_kprintf("mpbench: done\n");
        return 0;
    }
    if (argc == 2 && rt_strcmp(argv[1], "init") == 0)
    {
        for (unsigned i = 0; i < sizeof(impls) / sizeof(impls[0]); i++)
            bench_init(&impls[i]);
        rt_kprintf("mpbench: done\n");
        return 0;
    }
    rt_uint32_t a = ccnt();
    rt_uint32_t b = ccnt();
    rt_uint32_t loop = empty_loop(PAIR_ITERATIONS);
    rt_kprintf("mpbench: clock source=%s info=0x%08lx resolution=%lu back_to_back=%lu "
               "loop_%d=%lu\n", COUNTER_NAME,
               (unsigned long)pmcr, (unsigned long)time_scale, (unsigned long)elapsed(a, b),
               PAIR_ITERATIONS, (unsigned long)loop);
    bench_kernel(loop);
    for (unsigned i = 0; i < sizeof(impls) / sizeof(impls[0]); i++)
    {
        bench_pair(&impls[i], PAIR_ITERATIONS, loop);
        bench_handoff(&impls[i]);
        bench_init(&impls[i]);
    }
    rt_kprintf("mpbench: done\n");
    return 0;
}
MSH_CMD_EXPORT(mp_bench, rtt-mempool vs kernel mempool.c benchmark);
