/*
 * components.mempool.detach: rt_mp_detach and rt_mp_delete with waiters.
 *
 * Every thread waiting on the pool (forever or timed, of higher or lower
 * priority) returns RT_NULL with its thread error TC_RETIRED_ERROR (RT_ERROR on
 * RT-Thread 5.1+, -RT_ERROR on 4.1/5.0), as that release
 * sets it, without waiting for its timeout; the pool is then gone from the
 * object system. The same for a created pool deleted with waiters. A pool
 * without waiters detaches with blocks still allocated, and its region can
 * serve a new pool.
 */
#include <rtthread.h>
#include "utest.h"
#include "tc_mempool_common.h"

#define DT_BS 32
#define DT_N  3

TC_BUFFER(dt_buf, TC_POOL_BYTES(4, DT_BS));
static struct rt_mempool dt_mp;
static int dt_live;
static rt_mp_t dt_dyn;
static struct tc_waiter dt_w[DT_N];
static const char *const dt_names[DT_N] = {"tmd0", "tmd1", "tmd2"};

static void dt_reset(void)
{
    int i;

    tc_mp_drop(&dt_mp, &dt_live);
    if (dt_dyn != RT_NULL)
        rt_mp_delete(dt_dyn);
    dt_dyn = RT_NULL;
    for (i = 0; i < DT_N; i++)
        tc_waiter_reap(&dt_w[i]);
}

/* Start DT_N waiters on mp: forever, forever, timed 1000 ticks. */
static int dt_start_waiters(rt_mp_t mp, rt_uint8_t prio)
{
    static const rt_int32_t waits[DT_N] = {RT_WAITING_FOREVER, RT_WAITING_FOREVER, 1000};
    int i;

    for (i = 0; i < DT_N; i++)
    {
        if (tc_waiter_start(&dt_w[i], dt_names[i], mp, waits[i], prio, RT_NULL) != RT_EOK)
            return 0;
        if (!tc_wait_flag(&dt_w[i].state, 1, TC_WAIT_TICKS))
            return 0;
        rt_thread_delay(1);
    }
    return tc_waiters(mp) == DT_N;
}

static void dt_check_waiters_failed(void)
{
    int i;

    for (i = 0; i < DT_N; i++)
    {
        uassert_true(tc_waiter_join(&dt_w[i]));
        uassert_int_equal(dt_w[i].state, 2);
        uassert_null(dt_w[i].block);
        uassert_int_equal(dt_w[i].err, TC_RETIRED_ERROR);
        /* woken by the detach, not by a timeout */
        uassert_value_less(dt_w[i].t_end - dt_w[i].t_begin, 500);
    }
}

static void dt_detach_with_waiters(rt_uint8_t prio)
{
    void *b;

    dt_reset();
    TC_REQUIRE(rt_mp_init(&dt_mp, "tmdt", tc_aligned(dt_buf.b), TC_POOL_BYTES(1, DT_BS), DT_BS) == RT_EOK);
    dt_live = 1;
    b = rt_mp_alloc(&dt_mp, 0);
    TC_REQUIRE(b != RT_NULL);
    TC_REQUIRE(dt_start_waiters(&dt_mp, prio));

    uassert_int_equal(rt_mp_detach(&dt_mp), RT_EOK);
    dt_live = 0;
    /* as in RT-Thread, the woken waiters run at the next scheduling point, not inside
     * rt_mp_detach, whatever their priority (on 5.2 single core that point comes inside it,
     * for higher-priority waiters: see TC_UNLOCK_RESCHEDULES) */
    uassert_int_equal(dt_w[0].state, (TC_UNLOCK_RESCHEDULES && prio == TC_PRIO_HIGHER) ? 2 : 1);
    dt_check_waiters_failed();

    uassert_null(rt_object_find("tmdt", RT_Object_Class_MemPool));
    uassert_int_equal(tc_object_list_count(&dt_mp, RT_NULL), 0);
}

static void test_detach_wakes_higher_waiters(void)
{
    dt_detach_with_waiters(TC_PRIO_HIGHER);
}

static void test_detach_wakes_lower_waiters(void)
{
    dt_detach_with_waiters(TC_PRIO_LOWER);
}

static void test_delete_wakes_waiters(void)
{
    void *b;
    rt_mp_t mp;

    dt_reset();
    dt_dyn = rt_mp_create("tmdd", 1, DT_BS);
    TC_REQUIRE(dt_dyn != RT_NULL);
    mp = dt_dyn;
    b = rt_mp_alloc(mp, 0);
    TC_REQUIRE(b != RT_NULL);
    TC_REQUIRE(dt_start_waiters(mp, TC_PRIO_HIGHER));

    uassert_int_equal(rt_mp_delete(mp), RT_EOK);
    dt_dyn = RT_NULL;
    dt_check_waiters_failed();
    uassert_null(rt_object_find("tmdd", RT_Object_Class_MemPool));
}

static void test_detach_without_waiters(void)
{
    void *start = tc_aligned(dt_buf.b);
    void *b;

    dt_reset();
    TC_REQUIRE(rt_mp_init(&dt_mp, "tmdq", start, TC_POOL_BYTES(4, DT_BS), DT_BS) == RT_EOK);
    dt_live = 1;
    uassert_int_equal(tc_object_list_count(&dt_mp, RT_NULL), 1);
    b = rt_mp_alloc(&dt_mp, 0);
    uassert_not_null(b);
    uassert_not_null(rt_mp_alloc(&dt_mp, 0));

    uassert_int_equal(rt_mp_detach(&dt_mp), RT_EOK);
    dt_live = 0;
    uassert_null(rt_object_find("tmdq", RT_Object_Class_MemPool));
    uassert_int_equal(tc_object_list_count(&dt_mp, RT_NULL), 0);

    /* the region serves a new pool, from its first block again */
    TC_REQUIRE(rt_mp_init(&dt_mp, "tmdq", start, TC_POOL_BYTES(4, DT_BS), DT_BS) == RT_EOK);
    dt_live = 1;
    uassert_int_equal(dt_mp.block_free_count, 4);
    uassert_ptr_equal(rt_mp_alloc(&dt_mp, 0), tc_block_addr(start, DT_BS, 0));
    uassert_true(tc_found("tmdq", &dt_mp));
    uassert_int_equal(rt_mp_detach(&dt_mp), RT_EOK);
    dt_live = 0;
}

#ifdef RTT_MEMPOOL_HARDENED
/*
 * A waiter woken by a free whose pool is detached before the waiter runs returns
 * RT_NULL with thread error RT_ERROR, as if the detach had woken it (RT-Thread's C
 * pool would hand it a block of the detached pool).
 */
static void test_woken_then_detached(void)
{
    void *b;

    dt_reset();
    TC_REQUIRE(rt_mp_init(&dt_mp, "tmdw", tc_aligned(dt_buf.b), TC_POOL_BYTES(1, DT_BS), DT_BS) == RT_EOK);
    dt_live = 1;
    b = rt_mp_alloc(&dt_mp, 0);
    TC_REQUIRE(b != RT_NULL);
    TC_REQUIRE(tc_waiter_start(&dt_w[0], dt_names[0], &dt_mp, RT_WAITING_FOREVER, TC_PRIO_LOWER, RT_NULL) == RT_EOK);
    TC_REQUIRE(tc_wait_flag(&dt_w[0].state, 1, TC_WAIT_TICKS));
    rt_thread_delay(1);
    TC_REQUIRE(tc_waiters(&dt_mp) == 1);

    rt_mp_free(b);              /* wakes the lower-priority waiter; it does not run yet */
    uassert_int_equal(dt_w[0].state, 1);
    uassert_int_equal(rt_mp_detach(&dt_mp), RT_EOK);
    dt_live = 0;
    uassert_true(tc_waiter_join(&dt_w[0]));
    uassert_null(dt_w[0].block);
    uassert_int_equal(dt_w[0].err, TC_RETIRED_ERROR);
}
#endif

static rt_err_t utest_tc_init(void)
{
    int i;

    dt_live = 0;
    dt_dyn = RT_NULL;
    for (i = 0; i < DT_N; i++)
        dt_w[i].tid = RT_NULL;
    return tc_pin_self();
}

static rt_err_t utest_tc_cleanup(void)
{
    dt_reset();
    return tc_unpin_self();
}

static void testcase(void)
{
    TC_UNIT_RUN(test_detach_wakes_higher_waiters);
    TC_UNIT_RUN(test_detach_wakes_lower_waiters);
    TC_UNIT_RUN(test_delete_wakes_waiters);
    TC_UNIT_RUN(test_detach_without_waiters);
#ifdef RTT_MEMPOOL_HARDENED
    TC_UNIT_RUN(test_woken_then_detached);
#endif
    TC_UNITS_DONE();
}
UTEST_TC_EXPORT(testcase, "components.mempool.detach", utest_tc_init, utest_tc_cleanup, TC_TIMEOUT);
