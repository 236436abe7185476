/*
 * components.mempool.exhaust: exhaustion, no-wait failure and refill.
 *
 * block_free_count follows every alloc and free; once the pool is empty a
 * no-wait rt_mp_alloc returns RT_NULL with errno -RT_ETIMEOUT and changes
 * nothing; one free makes exactly one block available again; many full
 * drain/refill cycles in different free orders keep the pool whole;
 * rt_mp_free(RT_NULL) does nothing; a one-block pool works.
 */
#include <rtthread.h>
#include "utest.h"
#include "tc_mempool_common.h"

#define EX_SIZE   2048
#define EX_BS     40
#define EX_MAX    128

TC_BUFFER(ex_buf, EX_SIZE);
static struct rt_mempool ex_mp;
static int ex_live;
static void *ex_blocks[EX_MAX];

static void test_exhaust_and_errno(void)
{
    void *start = tc_aligned(ex_buf.b);
    rt_size_t n = tc_expected_count(EX_SIZE, EX_BS);
    rt_size_t k;
    int counts_ok = 1;
    void *again;

    tc_mp_drop(&ex_mp, &ex_live);
    TC_REQUIRE(n >= 4 && n <= EX_MAX);
    TC_REQUIRE(rt_mp_init(&ex_mp, "tmex", start, EX_SIZE, EX_BS) == RT_EOK);
    ex_live = 1;

    for (k = 0; k < n; k++)
    {
        ex_blocks[k] = rt_mp_alloc(&ex_mp, 0);
        TC_REQUIRE(ex_blocks[k] != RT_NULL);
        if (ex_mp.block_free_count != n - k - 1 || ex_mp.block_total_count != n)
            counts_ok = 0;
    }
    uassert_true(counts_ok);

    rt_set_errno(RT_EOK);
    uassert_null(rt_mp_alloc(&ex_mp, 0));
    uassert_int_equal(rt_get_errno(), -RT_ETIMEOUT);
    uassert_int_equal(ex_mp.block_free_count, 0);
    uassert_int_equal(tc_waiters(&ex_mp), 0);

    rt_set_errno(RT_EOK);
    uassert_null(rt_mp_alloc(&ex_mp, 0));
    uassert_int_equal(rt_get_errno(), -RT_ETIMEOUT);

    /* one free, one block */
    rt_mp_free(ex_blocks[3]);
    uassert_int_equal(ex_mp.block_free_count, 1);
    again = rt_mp_alloc(&ex_mp, 0);
    uassert_ptr_equal(again, ex_blocks[3]);
    uassert_int_equal(ex_mp.block_free_count, 0);
    rt_set_errno(RT_EOK);
    uassert_null(rt_mp_alloc(&ex_mp, 0));
    uassert_int_equal(rt_get_errno(), -RT_ETIMEOUT);

    counts_ok = 1;
    for (k = 0; k < n; k++)
    {
        rt_mp_free(ex_blocks[k]);
        if (ex_mp.block_free_count != k + 1)
            counts_ok = 0;
    }
    uassert_true(counts_ok);
    uassert_int_equal(ex_mp.block_total_count, n);

    uassert_int_equal(rt_mp_detach(&ex_mp), RT_EOK);
    ex_live = 0;
}

/* Slot index of a block, or -1 when it is not a block of the pool. */
static int ex_slot(void *b)
{
    if (!tc_block_on_slot(&ex_mp, b))
        return -1;
    return (int)(((rt_uint8_t *)b - (rt_uint8_t *)ex_mp.start_address - sizeof(rt_uint8_t *))
                 / TC_SLOT(EX_BS));
}

static void test_drain_refill_cycles(void)
{
    void *start = tc_aligned(ex_buf.b);
    rt_size_t n = tc_expected_count(EX_SIZE, EX_BS);
    rt_size_t k;
    int cycle;
    int ok = 1;
    rt_uint8_t seen[EX_MAX];

    tc_mp_drop(&ex_mp, &ex_live);
    TC_REQUIRE(n >= 4 && n <= EX_MAX);
    TC_REQUIRE(rt_mp_init(&ex_mp, "tmcyc", start, EX_SIZE, EX_BS) == RT_EOK);
    ex_live = 1;

    for (cycle = 0; cycle < 50 && ok; cycle++)
    {
        rt_memset(seen, 0, sizeof(seen));
        for (k = 0; k < n; k++)
        {
            int s;

            ex_blocks[k] = rt_mp_alloc(&ex_mp, 0);
            s = ex_slot(ex_blocks[k]);
            if (s < 0 || seen[s])
            {
                ok = 0;
                break;
            }
            seen[s] = 1;
            tc_fill(ex_blocks[k], EX_BS, (rt_size_t)cycle);
        }
        if (!ok)
            break;
        if (rt_mp_alloc(&ex_mp, 0) != RT_NULL || ex_mp.block_free_count != 0)
            ok = 0;
        for (k = 0; k < n; k++)
            if (!tc_check(ex_blocks[k], EX_BS, (rt_size_t)cycle))
                ok = 0;

        /* free in a different order each cycle: forward, backward, strided */
        switch (cycle % 3)
        {
        case 0:
            for (k = 0; k < n; k++)
                rt_mp_free(ex_blocks[k]);
            break;
        case 1:
            for (k = n; k > 0; k--)
                rt_mp_free(ex_blocks[k - 1]);
            break;
        default:
            for (k = 0; k < n; k += 2)
                rt_mp_free(ex_blocks[k]);
            for (k = 1; k < n; k += 2)
                rt_mp_free(ex_blocks[k]);
            break;
        }
        if (ex_mp.block_free_count != n)
            ok = 0;
    }
    uassert_true(ok);
    uassert_int_equal(cycle, 50);

    uassert_int_equal(rt_mp_detach(&ex_mp), RT_EOK);
    ex_live = 0;
}

static void test_free_null_is_noop(void)
{
    void *start = tc_aligned(ex_buf.b);
    rt_size_t n = tc_expected_count(EX_SIZE, EX_BS);
    void *a, *b;

    tc_mp_drop(&ex_mp, &ex_live);
    TC_REQUIRE(rt_mp_init(&ex_mp, "tmnull", start, EX_SIZE, EX_BS) == RT_EOK);
    ex_live = 1;

    a = rt_mp_alloc(&ex_mp, 0);
    uassert_ptr_equal(a, tc_block_addr(start, EX_BS, 0));
    rt_mp_free(RT_NULL);
    uassert_int_equal(ex_mp.block_free_count, n - 1);
    b = rt_mp_alloc(&ex_mp, 0);
    uassert_ptr_equal(b, tc_block_addr(start, EX_BS, 1));
    rt_mp_free(b);
    rt_mp_free(a);
    uassert_int_equal(ex_mp.block_free_count, n);

    uassert_int_equal(rt_mp_detach(&ex_mp), RT_EOK);
    ex_live = 0;
}

static void test_single_block_pool(void)
{
    void *start = tc_aligned(ex_buf.b);
    rt_size_t size = TC_POOL_BYTES(1, EX_BS);
    void *a, *b;

    tc_mp_drop(&ex_mp, &ex_live);
    TC_REQUIRE(rt_mp_init(&ex_mp, "tmone", start, size, EX_BS) == RT_EOK);
    ex_live = 1;
    uassert_int_equal(ex_mp.block_total_count, 1);
    uassert_int_equal(ex_mp.block_free_count, 1);

    a = rt_mp_alloc(&ex_mp, 0);
    uassert_ptr_equal(a, tc_block_addr(start, EX_BS, 0));
    rt_set_errno(RT_EOK);
    uassert_null(rt_mp_alloc(&ex_mp, 0));
    uassert_int_equal(rt_get_errno(), -RT_ETIMEOUT);
    rt_mp_free(a);
    b = rt_mp_alloc(&ex_mp, 0);
    uassert_ptr_equal(b, a);
    rt_mp_free(b);
    uassert_int_equal(ex_mp.block_free_count, 1);

    uassert_int_equal(rt_mp_detach(&ex_mp), RT_EOK);
    ex_live = 0;
}

static rt_err_t utest_tc_init(void)
{
    ex_live = 0;
    return tc_pin_self();
}

static rt_err_t utest_tc_cleanup(void)
{
    tc_mp_drop(&ex_mp, &ex_live);
    return tc_unpin_self();
}

static void testcase(void)
{
    TC_UNIT_RUN(test_exhaust_and_errno);
    TC_UNIT_RUN(test_drain_refill_cycles);
    TC_UNIT_RUN(test_free_null_is_noop);
    TC_UNIT_RUN(test_single_block_pool);
    TC_UNITS_DONE();
}
UTEST_TC_EXPORT(testcase, "components.mempool.exhaust", utest_tc_init, utest_tc_cleanup, TC_TIMEOUT);
