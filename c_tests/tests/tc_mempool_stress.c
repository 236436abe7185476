/*
 * components.mempool.stress: many threads on one small pool, on SMP from every CPU at once
 * (one worker bound to each CPU, the others to none: when none was bound, all of them stayed
 * on CPU 0 in about one run in three on qemu-vexpress-a9), with waits of every kind, frees
 * from a timer, and the pool detached and set up again while threads wait on it. Every
 * block is accounted for: none is held by two at once (a flag per block, taken with an
 * atomic exchange, and a signature written into the block and checked before it is freed),
 * none is lost (at the end every block is back and the counts agree), and every waiter
 * returns. On SMP every CPU must have run a worker (an image booted with fewer CPUs than it
 * is built for would otherwise pass without contention). Prints the throughput, so that the
 * same case run against the kernel's own C mempool (`--kernel-mempool`) gives the figure to
 * compare with.
 *
 * The detach/re-init cycle is done with every block given back first (threads park), since
 * the kernel's C version cannot take back a block of a pool detached meanwhile, nor use a
 * detached one; then the test thread takes every block, every thread waits on the empty
 * pool, and the detach wakes them all with the retired error.
 */
#include <rtthread.h>
#include <rthw.h>
#include "utest.h"
#include "tc_mempool_common.h"

#define ST_BS       32
#define ST_BLOCKS   6
#define ST_WORKERS  4
#define ST_CYCLES   4
/* ticks per cycle: about a fifth of a second whatever the tick rate */
#define ST_CYCLE_TICKS ((RT_TICK_PER_SECOND / 5) > 10 ? (RT_TICK_PER_SECOND / 5) : 10)

TC_BUFFER(st_buf, TC_POOL_BYTES(ST_BLOCKS, ST_BS));
static struct rt_mempool st_mp;
static volatile int st_live;
static volatile int st_pause;     /* 1: give every block back and park */
static volatile int st_stop;
static volatile int st_parked;
static volatile int st_done;
static volatile int st_wait_round;  /* bumped: every parked thread waits once on the pool */
/* word-sized: RV64 (GCC 12) has no inline byte-sized atomic exchange, only libatomic's */
static rt_uint32_t st_held[ST_BLOCKS];
static volatile int st_errors;
static volatile rt_uint32_t st_allocs, st_frees, st_timeouts, st_retired, st_timer_frees;
static struct rt_timer st_timer;
#if defined(RT_USING_SMP) && !defined(RTT_HOST_KERNEL)
static rt_uint32_t st_cpus;   /* bit n: CPU n ran a worker */
/* the CPUs a worker is bound to */
#define ST_CPU_MASK ((1u << (RT_CPUS_NR < ST_WORKERS ? RT_CPUS_NR : ST_WORKERS)) - 1u)
#endif
static void *volatile st_timer_block;

static int st_index(void *b)
{
    rt_ubase_t off = (rt_ubase_t)b - (rt_ubase_t)tc_aligned(st_buf.b) - sizeof(void *);

    if (off % TC_SLOT(ST_BS) != 0 || off / TC_SLOT(ST_BS) >= ST_BLOCKS)
        return -1;
    return (int)(off / TC_SLOT(ST_BS));
}

/* Takes the block's flag: it must not be held by anyone else. */
static void st_take(void *b, rt_uint32_t sig)
{
    int i = st_index(b);

    if (i < 0 || __atomic_exchange_n(&st_held[i], 1, __ATOMIC_ACQ_REL) != 0)
    {
        __atomic_add_fetch(&st_errors, 1, __ATOMIC_RELAXED);
        return;
    }
    *(volatile rt_uint32_t *)b = sig;
    __atomic_add_fetch(&st_allocs, 1, __ATOMIC_RELAXED);
}

static void st_give(void *b, rt_uint32_t sig)
{
    int i = st_index(b);

    if (i < 0 || *(volatile rt_uint32_t *)b != sig
        || __atomic_exchange_n(&st_held[i], 0, __ATOMIC_ACQ_REL) != 1)
        __atomic_add_fetch(&st_errors, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&st_frees, 1, __ATOMIC_RELAXED);
    rt_mp_free(b);
}

/* A timer that takes a block without waiting and frees it on its next expiry. */
static void st_timer_fn(void *arg)
{
    void *b = st_timer_block;

    (void)arg;
    if (b != RT_NULL)
    {
        st_timer_block = RT_NULL;
        st_give(b, 0x7117u);
        __atomic_add_fetch(&st_timer_frees, 1, __ATOMIC_RELAXED);
    }
    else if (!st_pause)
    {
        b = rt_mp_alloc(&st_mp, 0);
        if (b != RT_NULL)
        {
            st_take(b, 0x7117u);
            st_timer_block = b;
        }
    }
}

static void st_worker(void *arg)
{
    rt_uint32_t id = (rt_uint32_t)(rt_ubase_t)arg;
    rt_uint32_t rng = 0x1234567u * (id + 1);
    void *held[2] = {RT_NULL, RT_NULL};
    rt_uint32_t seq = 0;
    int round = 0;
    int k;

    while (!st_stop)
    {
        if (st_pause)
        {
            for (k = 0; k < 2; k++)
                if (held[k] != RT_NULL)
                {
                    st_give(held[k], (id << 24) | (rt_uint32_t)k);
                    held[k] = RT_NULL;
                }
            __atomic_add_fetch(&st_parked, 1, __ATOMIC_ACQ_REL);
            while (st_pause && !st_stop)
            {
                if (st_wait_round != round)
                {
                    /* the test thread has taken every block: wait on the empty pool until
                     * the detach wakes us */
                    round = st_wait_round;
                    __atomic_sub_fetch(&st_parked, 1, __ATOMIC_ACQ_REL);
                    if (rt_mp_alloc(&st_mp, RT_WAITING_FOREVER) != RT_NULL || rt_get_errno() != TC_RETIRED_ERROR)
                        __atomic_add_fetch(&st_errors, 1, __ATOMIC_RELAXED);
                    else
                        __atomic_add_fetch(&st_retired, 1, __ATOMIC_RELAXED);
                    __atomic_add_fetch(&st_parked, 1, __ATOMIC_ACQ_REL);
                }
                rt_thread_delay(1);
            }
            __atomic_sub_fetch(&st_parked, 1, __ATOMIC_ACQ_REL);
            continue;
        }
#if defined(RT_USING_SMP) && !defined(RTT_HOST_KERNEL)
        __atomic_or_fetch(&st_cpus, 1u << (rt_hw_cpu_id() & 31), __ATOMIC_RELAXED);
#endif
        rng = rng * 1103515245u + 12345u;
        k = (int)((rng >> 16) & 1);
        if (held[k] != RT_NULL)
        {
            st_give(held[k], (id << 24) | (rt_uint32_t)k);
            held[k] = RT_NULL;
        }
        else
        {
            /* no wait, a short timed wait, or forever (a detach or a free ends it) */
            rt_int32_t wait = ((rng >> 20) % 3 == 0) ? 0 : ((rng >> 20) % 3 == 1) ? 1 + (rt_int32_t)((rng >> 24) % 3) : RT_WAITING_FOREVER;
            void *b = rt_mp_alloc(&st_mp, wait);

            if (b != RT_NULL)
            {
                st_take(b, (id << 24) | (rt_uint32_t)k);
                held[k] = b;
            }
            else if (rt_get_errno() == -RT_ETIMEOUT)
                __atomic_add_fetch(&st_timeouts, 1, __ATOMIC_RELAXED);
            else
                __atomic_add_fetch(&st_errors, 1, __ATOMIC_RELAXED);
        }
        if (((rng >> 12) & 3) == 0)
            rt_thread_delay(1);
        seq++;
    }
    for (k = 0; k < 2; k++)
        if (held[k] != RT_NULL)
            st_give(held[k], (id << 24) | (rt_uint32_t)k);
    __atomic_add_fetch(&st_done, 1, __ATOMIC_ACQ_REL);
}

static int st_wait_until(volatile int *v, int value, rt_tick_t ticks)
{
    while (*v != value && ticks-- > 0)
        rt_thread_delay(1);
    return *v == value;
}

static void test_contended_pool(void)
{
    rt_thread_t workers[ST_WORKERS];
    rt_tick_t begin, ticks;
    int i, cycle;

    st_live = st_pause = st_stop = st_parked = st_done = st_wait_round = 0;
    st_errors = 0;
    st_allocs = st_frees = st_timeouts = st_retired = st_timer_frees = 0;
    st_timer_block = RT_NULL;
    rt_memset(st_held, 0, sizeof(st_held));
#if defined(RT_USING_SMP) && !defined(RTT_HOST_KERNEL)
    st_cpus = 0;
#endif
    TC_REQUIRE(rt_mp_init(&st_mp, "tmst", tc_aligned(st_buf.b), TC_POOL_BYTES(ST_BLOCKS, ST_BS), ST_BS) == RT_EOK);
    st_live = 1;
    rt_timer_init(&st_timer, "tmst", st_timer_fn, RT_NULL, 2, RT_TIMER_FLAG_PERIODIC);
    rt_timer_start(&st_timer);

    for (i = 0; i < ST_WORKERS; i++)
    {
        workers[i] = rt_thread_create("tmsw", st_worker, (void *)(rt_ubase_t)i, TC_STACK_SIZE,
                                      (rt_uint8_t)(UTEST_THR_PRIORITY + 1 + (i % 2)), TC_TIMESLICE);
        TC_REQUIRE(workers[i] != RT_NULL);
#if defined(RT_USING_SMP) && !defined(RTT_HOST_KERNEL)
        /* one worker on each CPU, the others wherever the scheduler puts them */
        if (i < RT_CPUS_NR)
            TC_REQUIRE(rt_thread_control(workers[i], RT_THREAD_CTRL_BIND_CPU, (void *)(rt_ubase_t)i) == RT_EOK);
#endif
        rt_thread_startup(workers[i]);
    }
    begin = rt_tick_get();
    for (cycle = 0; cycle < ST_CYCLES; cycle++)
    {
        rt_thread_delay(ST_CYCLE_TICKS);
        /* every block back (threads park), then all taken here and every thread waits on
         * the empty pool; detached with all of them waiting, and set up again */
        st_pause = 1;
        uassert_true(st_wait_until(&st_parked, ST_WORKERS, TC_WAIT_TICKS));
        if (st_timer_block != RT_NULL)
            rt_thread_delay(5);          /* the timer gives its block back */
        for (i = 0; i < ST_BLOCKS + 1 && rt_mp_alloc(&st_mp, 0) != RT_NULL; i++)
            ;
        uassert_int_equal(i, ST_BLOCKS);
        st_wait_round++;
        for (i = 0; i < (int)TC_WAIT_TICKS && tc_waiters(&st_mp) < ST_WORKERS; i++)
            rt_thread_delay(1);
        uassert_int_equal(tc_waiters(&st_mp), ST_WORKERS);
        uassert_int_equal(rt_mp_detach(&st_mp), RT_EOK);
        st_live = 0;
        uassert_true(st_wait_until(&st_parked, ST_WORKERS, TC_WAIT_TICKS));
        uassert_int_equal(rt_mp_init(&st_mp, "tmst", tc_aligned(st_buf.b), TC_POOL_BYTES(ST_BLOCKS, ST_BS), ST_BS), RT_EOK);
        st_live = 1;
        st_pause = 0;
    }
    rt_thread_delay(ST_CYCLE_TICKS);
    rt_timer_stop(&st_timer);
    rt_timer_detach(&st_timer);
    st_stop = 1;
    ticks = rt_tick_get() - begin;
    /* the workers give their blocks back as they leave, which wakes any waiting forever:
     * one still waiting while every block is free would be a lost wake-up */
    uassert_true(st_wait_until(&st_done, ST_WORKERS, TC_WAIT_TICKS));
    if (st_timer_block != RT_NULL)
    {
        st_give(st_timer_block, 0x7117u);
        st_timer_block = RT_NULL;
    }
    uassert_int_equal(st_mp.block_free_count, ST_BLOCKS);
    uassert_int_equal(rt_mp_detach(&st_mp), RT_EOK);
    st_live = 0;
    uassert_true(st_wait_until(&st_done, ST_WORKERS, TC_WAIT_TICKS));
    for (i = 0; i < ST_BLOCKS; i++)
        uassert_int_equal(st_held[i], 0);
    uassert_int_equal(st_errors, 0);
    uassert_int_equal(st_allocs, st_frees);
    uassert_true(st_allocs > 0 && st_timeouts > 0 && st_timer_frees > 0 && st_retired > 0);
#if defined(RT_USING_SMP) && !defined(RTT_HOST_KERNEL)
    if ((st_cpus & ST_CPU_MASK) != ST_CPU_MASK)
        rt_kprintf("stress: workers ran on CPUs 0x%x, not on each of 0x%x\n", (unsigned)st_cpus,
                   (unsigned)ST_CPU_MASK);
    uassert_int_equal(st_cpus & ST_CPU_MASK, ST_CPU_MASK);
#endif
    rt_kprintf("stress[%s,%s]: %u allocs in %u ticks (%u per 1000 ticks), %u timeouts, %u woken by detach, %u timer frees, 0 lost, none held twice\n",
#if defined(RTT_MEMPOOL_HARDENED)
               "rust",
#else
               "c",
#endif
#ifdef RT_USING_SMP
               "smp",
#else
               "up",
#endif
               (unsigned)st_allocs, (unsigned)ticks, (unsigned)(st_allocs * 1000u / (ticks ? ticks : 1)),
               (unsigned)st_timeouts, (unsigned)st_retired, (unsigned)st_timer_frees);
}

static rt_err_t utest_tc_init(void)
{
    return RT_EOK;
}

static rt_err_t utest_tc_cleanup(void)
{
    st_stop = 1;
    if (st_live)
        rt_mp_detach(&st_mp);
    st_live = 0;
    return RT_EOK;
}

static void testcase(void)
{
    TC_UNIT_RUN(test_contended_pool);
    TC_UNITS_DONE();
}
UTEST_TC_EXPORT(testcase, "components.mempool.stress", utest_tc_init, utest_tc_cleanup, 60);
