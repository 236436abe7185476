/*
 * components.mempool.misuse_context: a wait where waiting is impossible.
 *
 * (rtt-mempool only: the kernel's C mempool asserts or suspends a thread it
 * cannot switch away from.) rt_mp_alloc with a positive wait or
 * RT_WAITING_FOREVER on an empty pool, from interrupt context or with the
 * scheduler locked, returns RT_NULL at once with errno -RT_EINVAL and
 * suspends nothing; the pool is unchanged and serves the next free as usual.
 */
#include <rtthread.h>
#include <rthw.h>
#include "utest.h"
#include "tc_mempool_common.h"

#ifdef RTT_MEMPOOL_HARDENED

#define MX_BS 16
#define MX_N  2

TC_BUFFER(mx_buf, TC_POOL_BYTES(MX_N, MX_BS));
static struct rt_mempool mx_mp;
static int mx_live;
static void *mx_b[MX_N];

static int mx_setup(void)
{
    int i;

    tc_mp_drop(&mx_mp, &mx_live);
    if (rt_mp_init(&mx_mp, "tmmx", tc_aligned(mx_buf.b), TC_POOL_BYTES(MX_N, MX_BS), MX_BS) != RT_EOK)
        return 0;
    mx_live = 1;
    for (i = 0; i < MX_N; i++)
    {
        mx_b[i] = rt_mp_alloc(&mx_mp, 0);
        if (mx_b[i] == RT_NULL)
            return 0;
    }
    return mx_mp.block_free_count == 0;
}

/* after the refusals: nobody waits, and the pool works */
static void mx_pool_still_works(void)
{
    uassert_int_equal(tc_waiters(&mx_mp), 0);
    uassert_int_equal(mx_mp.block_free_count, 0);
    rt_mp_free(mx_b[1]);
    uassert_int_equal(mx_mp.block_free_count, 1);
    uassert_ptr_equal(rt_mp_alloc(&mx_mp, 5), mx_b[1]);
    rt_mp_free(mx_b[0]);
    rt_mp_free(mx_b[1]);
    uassert_int_equal(mx_mp.block_free_count, MX_N);
    uassert_int_equal(rt_mp_detach(&mx_mp), RT_EOK);
    mx_live = 0;
}

/* an rt_mp_alloc in interrupt context (tc_in_isr) and what it saw */
struct mx_isr_alloc
{
    rt_int32_t wait;
    rt_tick_t t0, t1;
    void *p;
    rt_err_t err;
    int waiters;
};

static void mx_alloc_in_isr(void *arg)
{
    struct mx_isr_alloc *a = (struct mx_isr_alloc *)arg;

    a->t0 = rt_tick_get();
    rt_set_errno(RT_EOK);
    a->p = rt_mp_alloc(&mx_mp, a->wait);
    a->err = rt_get_errno(); /* the interrupt-context errno */
    a->waiters = tc_waiters(&mx_mp);
    a->t1 = rt_tick_get();
}

static void test_wait_in_isr(void)
{
    static const rt_int32_t waits[] = {1, 5, RT_WAITING_FOREVER};
    rt_size_t i;

    TC_REQUIRE(mx_setup());

    for (i = 0; i < sizeof(waits) / sizeof(waits[0]); i++)
    {
        struct mx_isr_alloc a = {0};

        a.wait = waits[i];
        a.p = &a;   /* not RT_NULL: the body must set it */
        TC_REQUIRE(tc_in_isr(mx_alloc_in_isr, &a));

        uassert_null(a.p);
        uassert_int_equal(a.err, -RT_EINVAL);
        uassert_int_equal(a.waiters, 0);
        uassert_int_equal(a.t1 - a.t0, 0);
    }

    mx_pool_still_works();
}

static void test_wait_with_scheduler_locked(void)
{
    static const rt_int32_t waits[] = {1, 5, RT_WAITING_FOREVER};
    rt_size_t i;

    TC_REQUIRE(mx_setup());

    for (i = 0; i < sizeof(waits) / sizeof(waits[0]); i++)
    {
        rt_tick_t t0, t1;
        void *p;
        rt_err_t err;
        int waiters;

        rt_enter_critical();
        t0 = rt_tick_get();
        rt_set_errno(RT_EOK);
        p = rt_mp_alloc(&mx_mp, waits[i]);
        err = rt_get_errno();
        waiters = tc_waiters(&mx_mp);
        t1 = rt_tick_get();
        rt_exit_critical();

        uassert_null(p);
        uassert_int_equal(err, -RT_EINVAL);
        uassert_int_equal(waiters, 0);
        /* a tick interrupt may still come in, but no wait */
        uassert_value_less_equal(t1 - t0, 1);
    }

    mx_pool_still_works();
}

/* With blocks free, a timed alloc needs no wait and succeeds in both contexts. */
static void test_no_wait_needed(void)
{
    struct mx_isr_alloc a = {0};
    void *p, *q;

    TC_REQUIRE(mx_setup());
    rt_mp_free(mx_b[0]);
    rt_mp_free(mx_b[1]);

    rt_enter_critical();
    p = rt_mp_alloc(&mx_mp, 5);
    rt_exit_critical();

    a.wait = RT_WAITING_FOREVER;
    TC_REQUIRE(tc_in_isr(mx_alloc_in_isr, &a));
    q = a.p;

    uassert_ptr_equal(p, mx_b[1]);
    uassert_ptr_equal(q, mx_b[0]);
    uassert_int_equal(mx_mp.block_free_count, 0);
    mx_pool_still_works();
}

static rt_err_t utest_tc_init(void)
{
    mx_live = 0;
    return tc_pin_self();
}

static rt_err_t utest_tc_cleanup(void)
{
    tc_mp_drop(&mx_mp, &mx_live);
    return tc_unpin_self();
}

static void testcase(void)
{
    TC_UNIT_RUN(test_wait_in_isr);
    TC_UNIT_RUN(test_wait_with_scheduler_locked);
    TC_UNIT_RUN(test_no_wait_needed);
    TC_UNITS_DONE();
}
UTEST_TC_EXPORT(testcase, "components.mempool.misuse_context", utest_tc_init, utest_tc_cleanup, TC_TIMEOUT);

#endif /* RTT_MEMPOOL_HARDENED */
