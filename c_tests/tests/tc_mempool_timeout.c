/*
 * components.mempool.timeout: timed rt_mp_alloc on an empty pool.
 *
 * rt_mp_alloc(mp, t) returns RT_NULL with errno -RT_ETIMEOUT after t ticks
 * (t or t + 1 measured with rt_tick_get), in the test thread and in waiter
 * threads; the timed-out thread leaves the pool's wait list; a later free
 * makes the block available instead of going to the gone waiter; several
 * timed waiters expire by their own timeouts; a forever waiter queued behind
 * a timed-out one is served by the next free.
 */
#include <rtthread.h>
#include "utest.h"
#include "tc_mempool_common.h"

#define TMO_BS 32
/*
 * The waiters' timeouts: 200 ms, longer than qemu on a loaded host may stall the test thread
 * between starting a waiter and counting it on the pool (with 4 ticks, 40 ms on
 * qemu-vexpress-a9, the short waiter was seen gone already on an SMP run with the machine's
 * load at 14); the long one stays under tc_waiter_join's bound of one second.
 */
#define TMO_SHORT ((rt_int32_t)(RT_TICK_PER_SECOND / 5 > 4 ? RT_TICK_PER_SECOND / 5 : 4))
#define TMO_LONG  (3 * TMO_SHORT)

TC_BUFFER(tmo_buf, TC_POOL_BYTES(2, TMO_BS));
static struct rt_mempool tmo_mp;
static int tmo_live;
static struct tc_waiter tmo_w[2];
static void *tmo_b0;
static void *tmo_b1;

static void tmo_reset(void)
{
    tc_mp_drop(&tmo_mp, &tmo_live);
    tc_waiter_reap(&tmo_w[0]);
    tc_waiter_reap(&tmo_w[1]);
}

/* a two-block pool, both blocks taken */
static int tmo_setup(void)
{
    tmo_reset();
    if (rt_mp_init(&tmo_mp, "tmtmo", tc_aligned(tmo_buf.b), TC_POOL_BYTES(2, TMO_BS), TMO_BS) != RT_EOK)
        return 0;
    tmo_live = 1;
    tmo_b0 = rt_mp_alloc(&tmo_mp, 0);
    tmo_b1 = rt_mp_alloc(&tmo_mp, 0);
    return tmo_b0 != RT_NULL && tmo_b1 != RT_NULL && tmo_mp.block_free_count == 0;
}

static void tmo_teardown(void)
{
    rt_mp_free(tmo_b0);
    rt_mp_free(tmo_b1);
    uassert_int_equal(tmo_mp.block_free_count, 2);
    uassert_int_equal(rt_mp_detach(&tmo_mp), RT_EOK);
    tmo_live = 0;
}

static void test_timeout_in_test_thread(void)
{
    static const rt_int32_t waits[] = {1, 5, 10};
    rt_size_t i;

    TC_REQUIRE(tmo_setup());

    for (i = 0; i < sizeof(waits) / sizeof(waits[0]); i++)
    {
        rt_tick_t t0, elapsed;
        void *p;
        rt_err_t err;

        rt_thread_delay(1); /* start right after a tick */
        t0 = rt_tick_get();
        rt_set_errno(RT_EOK);
        p = rt_mp_alloc(&tmo_mp, waits[i]);
        err = rt_get_errno();
        elapsed = rt_tick_get() - t0;

        uassert_null(p);
        uassert_int_equal(err, -RT_ETIMEOUT);
        uassert_in_range(elapsed, waits[i], waits[i] + 1);
        uassert_int_equal(tc_waiters(&tmo_mp), 0);
        uassert_int_equal(tmo_mp.block_free_count, 0);
    }

    tmo_teardown();
}

static void test_pool_usable_after_timeout(void)
{
    void *p;

    TC_REQUIRE(tmo_setup());

    uassert_null(rt_mp_alloc(&tmo_mp, 3));
    rt_mp_free(tmo_b1);
    uassert_int_equal(tmo_mp.block_free_count, 1);
    p = rt_mp_alloc(&tmo_mp, 0);
    uassert_ptr_equal(p, tmo_b1);
    uassert_int_equal(tmo_mp.block_free_count, 0);

    /* a timed alloc on a pool with a free block returns at once */
    rt_mp_free(tmo_b1);
    p = rt_mp_alloc(&tmo_mp, 5);
    uassert_ptr_equal(p, tmo_b1);

    tmo_teardown();
}

static void test_waiter_thread_times_out(void)
{
    rt_tick_t elapsed;

    TC_REQUIRE(tmo_setup());

    TC_REQUIRE(tc_waiter_start(&tmo_w[0], "tmtw", &tmo_mp, TMO_SHORT, TC_PRIO_HIGHER, RT_NULL) == RT_EOK);
    uassert_int_equal(tmo_w[0].state, 1);
    uassert_int_equal(tc_waiters(&tmo_mp), 1);

    TC_REQUIRE(tc_waiter_join(&tmo_w[0]));
    uassert_null(tmo_w[0].block);
    uassert_int_equal(tmo_w[0].err, -RT_ETIMEOUT);
    elapsed = tmo_w[0].t_end - tmo_w[0].t_begin;
    uassert_in_range(elapsed, TMO_SHORT, TMO_SHORT + 1);
    uassert_int_equal(tc_waiters(&tmo_mp), 0);

    /* the free after the timeout keeps the block in the pool */
    rt_mp_free(tmo_b0);
    uassert_int_equal(tmo_mp.block_free_count, 1);
    uassert_ptr_equal(rt_mp_alloc(&tmo_mp, 0), tmo_b0);

    tmo_teardown();
}

/* The one started first waits longer: the other expires first. */
static void test_two_timeouts_expire_independently(void)
{
    static volatile int seq;
    rt_tick_t e0, e1;

    seq = 0;
    TC_REQUIRE(tmo_setup());

    TC_REQUIRE(tc_waiter_start(&tmo_w[0], "tmtl", &tmo_mp, TMO_LONG, TC_PRIO_HIGHER, &seq) == RT_EOK);
    TC_REQUIRE(tc_waiter_start(&tmo_w[1], "tmts", &tmo_mp, TMO_SHORT, TC_PRIO_HIGHER, &seq) == RT_EOK);
    uassert_int_equal(tc_waiters(&tmo_mp), 2);

    TC_REQUIRE(tc_waiter_join(&tmo_w[1]));
    TC_REQUIRE(tc_waiter_join(&tmo_w[0]));
    uassert_int_equal(tmo_w[1].order, 0);
    uassert_int_equal(tmo_w[0].order, 1);
    uassert_null(tmo_w[0].block);
    uassert_null(tmo_w[1].block);
    uassert_int_equal(tmo_w[0].err, -RT_ETIMEOUT);
    uassert_int_equal(tmo_w[1].err, -RT_ETIMEOUT);
    e0 = tmo_w[0].t_end - tmo_w[0].t_begin;
    e1 = tmo_w[1].t_end - tmo_w[1].t_begin;
    uassert_in_range(e0, TMO_LONG, TMO_LONG + 1);
    uassert_in_range(e1, TMO_SHORT, TMO_SHORT + 1);
    uassert_int_equal(tc_waiters(&tmo_mp), 0);

    tmo_teardown();
}

/* A forever waiter queued behind a timed-out one gets the next free. */
static void test_forever_waiter_behind_timed_out_one(void)
{
    TC_REQUIRE(tmo_setup());

    TC_REQUIRE(tc_waiter_start(&tmo_w[0], "tmtt", &tmo_mp, TMO_SHORT, TC_PRIO_HIGHER, RT_NULL) == RT_EOK);
    TC_REQUIRE(tc_waiter_start(&tmo_w[1], "tmtf", &tmo_mp, RT_WAITING_FOREVER, TC_PRIO_HIGHER, RT_NULL) == RT_EOK);
    uassert_int_equal(tc_waiters(&tmo_mp), 2);

    TC_REQUIRE(tc_waiter_join(&tmo_w[0]));
    uassert_null(tmo_w[0].block);
    uassert_int_equal(tmo_w[0].err, -RT_ETIMEOUT);
    uassert_int_equal(tmo_w[1].state, 1);
    uassert_int_equal(tc_waiters(&tmo_mp), 1);

    rt_mp_free(tmo_b1);
    uassert_int_equal(tmo_w[1].state, 2);
    uassert_ptr_equal(tmo_w[1].block, tmo_b1);
    TC_REQUIRE(tc_waiter_join(&tmo_w[1]));

    tmo_teardown();
}

static rt_err_t utest_tc_init(void)
{
    tmo_live = 0;
    tmo_w[0].tid = RT_NULL;
    tmo_w[1].tid = RT_NULL;
    return tc_pin_self();
}

static rt_err_t utest_tc_cleanup(void)
{
    tmo_reset();
    return tc_unpin_self();
}

static void testcase(void)
{
    TC_UNIT_RUN(test_timeout_in_test_thread);
    TC_UNIT_RUN(test_pool_usable_after_timeout);
    TC_UNIT_RUN(test_waiter_thread_times_out);
    TC_UNIT_RUN(test_two_timeouts_expire_independently);
    TC_UNIT_RUN(test_forever_waiter_behind_timed_out_one);
    TC_UNITS_DONE();
}
UTEST_TC_EXPORT(testcase, "components.mempool.timeout", utest_tc_init, utest_tc_cleanup, TC_TIMEOUT);
