/*
 * components.mempool.block: blocking rt_mp_alloc woken by rt_mp_free.
 *
 * A higher-priority thread waiting forever on an empty pool is woken by
 * rt_mp_free and runs before rt_mp_free returns (preemption), with exactly the
 * freed block; a lower-priority waiter is made ready but does not preempt, and
 * still gets the freed block; a timed waiter served before its timeout returns
 * the block at the time of the free.
 */
#include <rtthread.h>
#include "utest.h"
#include "tc_mempool_common.h"

#define BLK_BS 48

TC_BUFFER(blk_buf, TC_POOL_BYTES(4, BLK_BS));
static struct rt_mempool blk_mp;
static int blk_live;
static struct tc_waiter blk_w;

/* A two-block pool with both blocks taken. */
static int blk_setup(void **b0, void **b1)
{
    void *start = tc_aligned(blk_buf.b);

    tc_mp_drop(&blk_mp, &blk_live);
    tc_waiter_reap(&blk_w);
    if (rt_mp_init(&blk_mp, "tmblk", start, TC_POOL_BYTES(2, BLK_BS), BLK_BS) != RT_EOK)
        return 0;
    blk_live = 1;
    *b0 = rt_mp_alloc(&blk_mp, 0);
    *b1 = rt_mp_alloc(&blk_mp, 0);
    return *b0 != RT_NULL && *b1 != RT_NULL && blk_mp.block_free_count == 0;
}

static void test_higher_waiter_preempts_free(void)
{
    void *b0 = RT_NULL, *b1 = RT_NULL;
    int state_after_free;
    void *got_after_free;

    TC_REQUIRE(blk_setup(&b0, &b1));

    TC_REQUIRE(tc_waiter_start(&blk_w, "tmwh", &blk_mp, RT_WAITING_FOREVER,
                               TC_PRIO_HIGHER, RT_NULL) == RT_EOK);
    /* the waiter ran at once (higher priority) and is now blocked */
    uassert_int_equal(blk_w.state, 1);
    uassert_int_equal(tc_waiters(&blk_mp), 1);
    uassert_int_equal(blk_mp.block_free_count, 0);

    rt_mp_free(b1);
    state_after_free = blk_w.state;
    got_after_free = blk_w.block;

    uassert_int_equal(state_after_free, 2);
    uassert_ptr_equal(got_after_free, b1);
    uassert_int_equal(tc_waiters(&blk_mp), 0);
    uassert_int_equal(blk_mp.block_free_count, 0);

    TC_REQUIRE(tc_waiter_join(&blk_w));
    rt_mp_free(b1);
    rt_mp_free(b0);
    uassert_int_equal(blk_mp.block_free_count, 2);
    uassert_int_equal(rt_mp_detach(&blk_mp), RT_EOK);
    blk_live = 0;
}

static void test_lower_waiter_does_not_preempt(void)
{
    void *b0 = RT_NULL, *b1 = RT_NULL;

    TC_REQUIRE(blk_setup(&b0, &b1));

    TC_REQUIRE(tc_waiter_start(&blk_w, "tmwl", &blk_mp, RT_WAITING_FOREVER,
                               TC_PRIO_LOWER, RT_NULL) == RT_EOK);
    /* lower priority: it has not run yet */
    uassert_int_equal(blk_w.state, 0);
    /* let it run until it blocks */
    rt_thread_delay(2);
    uassert_int_equal(blk_w.state, 1);
    uassert_int_equal(tc_waiters(&blk_mp), 1);

    rt_mp_free(b0);
    /* woken, but the test thread keeps the CPU */
    uassert_int_equal(blk_w.state, 1);
    uassert_int_equal(tc_waiters(&blk_mp), 0);

    TC_REQUIRE(tc_waiter_join(&blk_w));
    uassert_ptr_equal(blk_w.block, b0);
    uassert_int_equal(blk_mp.block_free_count, 0);

    rt_mp_free(b0);
    rt_mp_free(b1);
    uassert_int_equal(blk_mp.block_free_count, 2);
    uassert_int_equal(rt_mp_detach(&blk_mp), RT_EOK);
    blk_live = 0;
}

static void test_timed_waiter_served_in_time(void)
{
    void *b0 = RT_NULL, *b1 = RT_NULL;
    rt_tick_t elapsed;

    TC_REQUIRE(blk_setup(&b0, &b1));

    TC_REQUIRE(tc_waiter_start(&blk_w, "tmwt", &blk_mp, 50, TC_PRIO_HIGHER, RT_NULL) == RT_EOK);
    uassert_int_equal(blk_w.state, 1);

    rt_thread_delay(3);
    uassert_int_equal(blk_w.state, 1);
    rt_mp_free(b0);
    uassert_int_equal(blk_w.state, 2);
    uassert_ptr_equal(blk_w.block, b0);
    elapsed = blk_w.t_end - blk_w.t_begin;
    uassert_in_range(elapsed, 3, 4);

    TC_REQUIRE(tc_waiter_join(&blk_w));
    /* the waiter's timer must not fire into the pool later on */
    rt_thread_delay(60);
    uassert_int_equal(tc_waiters(&blk_mp), 0);
    uassert_int_equal(blk_mp.block_free_count, 0);

    rt_mp_free(b0);
    rt_mp_free(b1);
    uassert_int_equal(blk_mp.block_free_count, 2);
    uassert_int_equal(rt_mp_detach(&blk_mp), RT_EOK);
    blk_live = 0;
}

/* A waiter woken by a free made by another (lower-priority) thread. */
static void *volatile blk_to_free;
static volatile int blk_freer_done;

static void blk_freer_entry(void *arg)
{
    (void)arg;
    rt_mp_free(blk_to_free);
    blk_freer_done = 1;
}

static void test_free_from_another_thread(void)
{
    void *b0 = RT_NULL, *b1 = RT_NULL;
    rt_thread_t freer;

    TC_REQUIRE(blk_setup(&b0, &b1));

    TC_REQUIRE(tc_waiter_start(&blk_w, "tmwf", &blk_mp, RT_WAITING_FOREVER,
                               TC_PRIO_HIGHER, RT_NULL) == RT_EOK);
    uassert_int_equal(blk_w.state, 1);

    blk_to_free = b1;
    blk_freer_done = 0;
    freer = tc_thread_create("tmfr", blk_freer_entry, RT_NULL, TC_PRIO_LOWER);
    TC_REQUIRE(freer != RT_NULL);
    rt_thread_startup(freer);
    uassert_true(tc_wait_flag(&blk_freer_done, 1, TC_WAIT_TICKS));
    rt_thread_delay(1);

    TC_REQUIRE(tc_waiter_join(&blk_w));
    uassert_ptr_equal(blk_w.block, b1);

    rt_mp_free(b0);
    rt_mp_free(b1);
    uassert_int_equal(blk_mp.block_free_count, 2);
    uassert_int_equal(rt_mp_detach(&blk_mp), RT_EOK);
    blk_live = 0;
}

static rt_err_t utest_tc_init(void)
{
    blk_live = 0;
    blk_w.tid = RT_NULL;
    return tc_pin_self();
}

static rt_err_t utest_tc_cleanup(void)
{
    tc_mp_drop(&blk_mp, &blk_live);
    tc_waiter_reap(&blk_w);
    return tc_unpin_self();
}

static void testcase(void)
{
    TC_UNIT_RUN(test_higher_waiter_preempts_free);
    TC_UNIT_RUN(test_lower_waiter_does_not_preempt);
    TC_UNIT_RUN(test_timed_waiter_served_in_time);
    TC_UNIT_RUN(test_free_from_another_thread);
    TC_UNITS_DONE();
}
UTEST_TC_EXPORT(testcase, "components.mempool.block", utest_tc_init, utest_tc_cleanup, TC_TIMEOUT);
