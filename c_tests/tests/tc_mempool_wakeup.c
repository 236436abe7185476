/*
 * components.mempool.wakeup: a wake-up is never lost to a waiter that is timing out at the
 * moment of a free (host kernel only: it reproduces the SMP race deterministically).
 *
 * On RT-Thread SMP a waiter's timeout can be in flight on another CPU (its timer already off
 * the timer list, the callback about to run) while this CPU frees a block: the kernel's
 * rt_susp_list_dequeue then cannot wake that waiter and returns RT_NULL, and the kernel's C
 * mempool drops the wake-up: the waiter times out and the others sleep while a block is
 * free. The host kernel's host_timer_defer makes exactly that state. This library owes the
 * wake-up and the timing-out waiter passes it on.
 */
#include <rtthread.h>
#include "utest.h"
#include "tc_mempool_common.h"

#if defined(RTT_HOST_KERNEL) && defined(RTT_MEMPOOL_HARDENED)
#include "host_kernel.h"

#define WK_BS 32
#define WK_N  4

TC_BUFFER(wk_buf, TC_POOL_BYTES(WK_N, WK_BS));
static struct rt_mempool wk_mp;
static int wk_live;
static struct tc_waiter wk_w[WK_N];
static const char *const wk_names[WK_N] = {"tmk0", "tmk1", "tmk2", "tmk3"};

static void wk_reset(void)
{
    int i;

    host_timer_defer(0);
    host_timer_run_deferred();
    tc_mp_drop(&wk_mp, &wk_live);
    for (i = 0; i < WK_N; i++)
        tc_waiter_reap(&wk_w[i]);
}

/*
 * `blocks` blocks, all taken; waiter 0 waits 50 ticks, the others `forever` waiters wait
 * forever, queued in that order behind it. Then waiter 0's timeout is made to be in flight
 * and `blocks` frees happen in that window.
 */
static void wk_race(int blocks, int forever)
{
    void *b[WK_N];
    int i;

    wk_reset();
    TC_REQUIRE(rt_mp_init(&wk_mp, "tmwk", tc_aligned(wk_buf.b), TC_POOL_BYTES(blocks, WK_BS), WK_BS) == RT_EOK);
    wk_live = 1;
    for (i = 0; i < blocks; i++)
        TC_REQUIRE((b[i] = rt_mp_alloc(&wk_mp, 0)) != RT_NULL);
    for (i = 0; i <= forever; i++)
    {
        TC_REQUIRE(tc_waiter_start(&wk_w[i], wk_names[i], &wk_mp, i == 0 ? 50 : RT_WAITING_FOREVER,
                                   TC_PRIO_LOWER, RT_NULL) == RT_EOK);
        TC_REQUIRE(tc_wait_flag(&wk_w[i].state, 1, TC_WAIT_TICKS));
        rt_thread_delay(1);
    }
    TC_REQUIRE(tc_waiters(&wk_mp) == forever + 1);

    host_timer_defer(1);
    host_tick_advance(60);              /* waiter 0's timeout fires and is held */
    TC_REQUIRE(host_timer_deferred_count() >= 1);
    for (i = 0; i < blocks; i++)
        rt_mp_free(b[i]);               /* the kernel cannot wake waiter 0 */
    host_timer_defer(0);
    host_timer_run_deferred();          /* now waiter 0 times out */

    uassert_true(tc_waiter_join(&wk_w[0]));
    uassert_null(wk_w[0].block);
    uassert_int_equal(wk_w[0].err, -RT_ETIMEOUT);
    /* and every block still reaches a waiter, first come first served */
    for (i = 1; i <= forever; i++)
    {
        if (i <= blocks)
        {
            uassert_true(tc_waiter_join(&wk_w[i]));
            uassert_not_null(wk_w[i].block);
        }
        else
            uassert_int_equal(wk_w[i].state, 1);    /* no block for it: still waiting */
    }
    uassert_int_equal(wk_mp.block_free_count, (rt_size_t)(blocks > forever ? blocks - forever : 0));
    /* the blocks go back, which serves the waiters left */
    for (i = 1; i <= forever && i <= blocks; i++)
        rt_mp_free(wk_w[i].block);
    for (i = blocks + 1; i <= forever; i++)
    {
        uassert_true(tc_waiter_join(&wk_w[i]));
        uassert_not_null(wk_w[i].block);
        rt_mp_free(wk_w[i].block);
    }
    uassert_int_equal(wk_mp.block_free_count, (rt_size_t)blocks);
}

static void test_one_free_while_the_first_times_out(void)
{
    wk_race(1, 1);
}

static void test_two_frees_while_the_first_times_out(void)
{
    wk_race(2, 2);
}

static void test_more_waiters_than_frees(void)
{
    /* one free, two waiters behind the timing-out one: the first gets the block, the other
     * keeps waiting until it is freed */
    wk_race(1, 2);
}

static rt_err_t utest_tc_init(void)
{
    int i;

    wk_live = 0;
    for (i = 0; i < WK_N; i++)
        wk_w[i].tid = RT_NULL;
    return tc_pin_self();
}

static rt_err_t utest_tc_cleanup(void)
{
    wk_reset();
    return tc_unpin_self();
}

static void testcase(void)
{
    TC_UNIT_RUN(test_one_free_while_the_first_times_out);
    TC_UNIT_RUN(test_two_frees_while_the_first_times_out);
    TC_UNIT_RUN(test_more_waiters_than_frees);
    TC_UNITS_DONE();
}
UTEST_TC_EXPORT(testcase, "components.mempool.wakeup", utest_tc_init, utest_tc_cleanup, TC_TIMEOUT);

#endif /* RTT_HOST_KERNEL && RTT_MEMPOOL_HARDENED */
