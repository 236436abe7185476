/*
 * components.mempool.isr: the pool used from interrupt context.
 *
 * In interrupt context (tc_in_isr: between rt_interrupt_enter() and
 * rt_interrupt_leave() with interrupts disabled, or in the tick interrupt on a
 * port that takes it from the CPU), a no-wait rt_mp_alloc on a pool with free
 * blocks returns the next block, a no-wait alloc on an empty pool returns
 * RT_NULL with errno -RT_ETIMEOUT (the interrupt-context errno), and
 * rt_mp_free of a block without waiters returns it to the pool.
 */
#include <rtthread.h>
#include <rthw.h>
#include "utest.h"
#include "tc_mempool_common.h"

#define ISR_BS 16
#define ISR_N  4

TC_BUFFER(isr_buf, TC_POOL_BYTES(ISR_N, ISR_BS));
static struct rt_mempool isr_mp;
static int isr_live;

static int isr_setup(void)
{
    tc_mp_drop(&isr_mp, &isr_live);
    if (rt_mp_init(&isr_mp, "tmisr", tc_aligned(isr_buf.b), TC_POOL_BYTES(ISR_N, ISR_BS), ISR_BS) != RT_EOK)
        return 0;
    isr_live = 1;
    return isr_mp.block_total_count == ISR_N;
}

/* what a body run in interrupt context saw */
struct isr_seen
{
    rt_uint8_t nest;
    void *b0, *b1, *p;
    rt_err_t err;
};

static void isr_alloc_two(void *arg)
{
    struct isr_seen *s = (struct isr_seen *)arg;

    s->nest = rt_interrupt_get_nest();
    s->b0 = rt_mp_alloc(&isr_mp, 0);
    s->b1 = rt_mp_alloc(&isr_mp, 0);
}

static void test_alloc_in_isr(void)
{
    struct isr_seen s = {0};
    void *b0, *b1;
    void *start = tc_aligned(isr_buf.b);

    TC_REQUIRE(isr_setup());

    TC_REQUIRE(tc_in_isr(isr_alloc_two, &s));
    b0 = s.b0;
    b1 = s.b1;

    uassert_true(s.nest >= 1);
    uassert_ptr_equal(b0, tc_block_addr(start, ISR_BS, 0));
    uassert_ptr_equal(b1, tc_block_addr(start, ISR_BS, 1));
    uassert_int_equal(isr_mp.block_free_count, ISR_N - 2);
    uassert_int_equal(rt_interrupt_get_nest(), 0);

    rt_mp_free(b1);
    rt_mp_free(b0);
    uassert_int_equal(isr_mp.block_free_count, ISR_N);
    uassert_int_equal(rt_mp_detach(&isr_mp), RT_EOK);
    isr_live = 0;
}

static void isr_alloc_empty(void *arg)
{
    struct isr_seen *s = (struct isr_seen *)arg;

    rt_set_errno(RT_EOK);
    s->p = rt_mp_alloc(&isr_mp, 0);
    s->err = rt_get_errno(); /* the interrupt-context errno */
}

static void test_alloc_empty_in_isr(void)
{
    struct isr_seen s = {0};
    void *b[ISR_N];
    void *p;
    rt_err_t err;
    int i;

    TC_REQUIRE(isr_setup());
    for (i = 0; i < ISR_N; i++)
    {
        b[i] = rt_mp_alloc(&isr_mp, 0);
        TC_REQUIRE(b[i] != RT_NULL);
    }

    s.p = &s;   /* not RT_NULL: the body must set it */
    TC_REQUIRE(tc_in_isr(isr_alloc_empty, &s));
    p = s.p;
    err = s.err;

    uassert_null(p);
    uassert_int_equal(err, -RT_ETIMEOUT);
    uassert_int_equal(isr_mp.block_free_count, 0);
    uassert_int_equal(tc_waiters(&isr_mp), 0);

    for (i = 0; i < ISR_N; i++)
        rt_mp_free(b[i]);
    uassert_int_equal(rt_mp_detach(&isr_mp), RT_EOK);
    isr_live = 0;
}

static void isr_free_one(void *arg)
{
    rt_mp_free(arg);
}

static void test_free_in_isr(void)
{
    void *b0, *b1;

    TC_REQUIRE(isr_setup());
    b0 = rt_mp_alloc(&isr_mp, 0);
    b1 = rt_mp_alloc(&isr_mp, 0);
    TC_REQUIRE(b0 != RT_NULL && b1 != RT_NULL);

    TC_REQUIRE(tc_in_isr(isr_free_one, b0));

    uassert_int_equal(isr_mp.block_free_count, ISR_N - 1);
    /* last freed, first handed out */
    uassert_ptr_equal(rt_mp_alloc(&isr_mp, 0), b0);
    rt_mp_free(b0);
    rt_mp_free(b1);
    uassert_int_equal(isr_mp.block_free_count, ISR_N);
    uassert_int_equal(rt_mp_detach(&isr_mp), RT_EOK);
    isr_live = 0;
}

static rt_err_t utest_tc_init(void)
{
    isr_live = 0;
    return tc_pin_self();
}

static rt_err_t utest_tc_cleanup(void)
{
    tc_mp_drop(&isr_mp, &isr_live);
    return tc_unpin_self();
}

static void testcase(void)
{
    TC_UNIT_RUN(test_alloc_in_isr);
    TC_UNIT_RUN(test_alloc_empty_in_isr);
    TC_UNIT_RUN(test_free_in_isr);
    TC_UNITS_DONE();
}
UTEST_TC_EXPORT(testcase, "components.mempool.isr", utest_tc_init, utest_tc_cleanup, TC_TIMEOUT);
