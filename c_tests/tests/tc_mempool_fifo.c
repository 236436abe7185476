/*
 * components.mempool.fifo: waiters are served in the order of the release's
 * suspend list, never by priority.
 *
 * Three waiters of different priorities block on an empty pool in a known
 * order that is not their priority order; each free wakes exactly one and it
 * gets the freed block. The same with waiters of equal priority and with
 * waiters of lower priority than the freeing thread.
 *
 * Which one a free wakes depends on the release (TC_WAKE_FIFO, from the
 * version macros in tc_mempool_common.h): RT-Thread 5.1 and later queue a
 * waiter at the tail of the pool's suspend list (rt_thread_suspend_to_list with
 * RT_IPC_FLAG_FIFO), so the one that started waiting first is served first;
 * 4.1 and 5.0 insert it right after the list head (rt_list_insert_after) and
 * rt_mp_free resumes the head entry, so the one that started waiting last is
 * served first (LIFO). The library follows the release it is built against.
 */
#include <rtthread.h>
#include "utest.h"
#include "tc_mempool_common.h"

#define FIFO_BS 24
#define FIFO_N  3

TC_BUFFER(fifo_buf, TC_POOL_BYTES(FIFO_N, FIFO_BS));
static struct rt_mempool fifo_mp;
static int fifo_live;
static struct tc_waiter fifo_w[FIFO_N];
static void *fifo_b[FIFO_N];
static volatile int fifo_seq;
static const char *const fifo_names[FIFO_N] = {"tmf0", "tmf1", "tmf2"};

/* The waiter (by start order) that the (i+1)-th free wakes. */
static int fifo_woken(int i)
{
    return TC_WAKE_FIFO ? i : FIFO_N - 1 - i;
}

/* Has waiter j returned once i+1 blocks were freed? */
static int fifo_served(int j, int i)
{
    return TC_WAKE_FIFO ? j <= i : j >= FIFO_N - 1 - i;
}

static void fifo_reset(void)
{
    int i;

    tc_mp_drop(&fifo_mp, &fifo_live);
    for (i = 0; i < FIFO_N; i++)
        tc_waiter_reap(&fifo_w[i]);
}

/* a pool of FIFO_N blocks, all taken */
static int fifo_setup(void)
{
    int i;

    fifo_reset();
    fifo_seq = 0;
    if (rt_mp_init(&fifo_mp, "tmfifo", tc_aligned(fifo_buf.b), TC_POOL_BYTES(FIFO_N, FIFO_BS), FIFO_BS) != RT_EOK)
        return 0;
    fifo_live = 1;
    for (i = 0; i < FIFO_N; i++)
    {
        fifo_b[i] = rt_mp_alloc(&fifo_mp, 0);
        if (fifo_b[i] == RT_NULL)
            return 0;
    }
    return fifo_mp.block_free_count == 0;
}

static void fifo_teardown(void)
{
    int i;

    for (i = 0; i < FIFO_N; i++)
        rt_mp_free(fifo_b[i]);
    uassert_int_equal(fifo_mp.block_free_count, FIFO_N);
    uassert_int_equal(rt_mp_detach(&fifo_mp), RT_EOK);
    fifo_live = 0;
}

/*
 * Waiters of higher priority than the test thread: each runs at once when
 * started and blocks. Start order 0, 1, 2 with priorities ranking 2, 0, 1
 * (0 the most urgent); frees must serve 0, 1, 2 (FIFO) or 2, 1, 0 (LIFO).
 */
static void fifo_run_higher(const rt_uint8_t prio[FIFO_N])
{
    int i, j;

    TC_REQUIRE(fifo_setup());

    for (i = 0; i < FIFO_N; i++)
    {
        TC_REQUIRE(tc_waiter_start(&fifo_w[i], fifo_names[i], &fifo_mp, RT_WAITING_FOREVER,
                                   prio[i], &fifo_seq) == RT_EOK);
        /* it has blocked before the next one starts */
        uassert_int_equal(fifo_w[i].state, 1);
        uassert_int_equal(tc_waiters(&fifo_mp), i + 1);
    }

    for (i = 0; i < FIFO_N; i++)
    {
        rt_mp_free(fifo_b[i]);
        /* exactly the waiter next in the list has run, at once, with block i */
        for (j = 0; j < FIFO_N; j++)
            uassert_int_equal(fifo_w[j].state, fifo_served(j, i) ? 2 : 1);
        uassert_int_equal(fifo_w[fifo_woken(i)].order, i);
        uassert_ptr_equal(fifo_w[fifo_woken(i)].block, fifo_b[i]);
        uassert_int_equal(tc_waiters(&fifo_mp), FIFO_N - 1 - i);
        uassert_int_equal(fifo_mp.block_free_count, 0);
    }
    for (i = 0; i < FIFO_N; i++)
        TC_REQUIRE(tc_waiter_join(&fifo_w[i]));

    fifo_teardown();
}

static void test_fifo_not_priority_order(void)
{
    const rt_uint8_t prio[FIFO_N] = {TC_PRIO_ABOVE(1), TC_PRIO_ABOVE(3), TC_PRIO_ABOVE(2)};

    fifo_run_higher(prio);
}

static void test_fifo_equal_priority(void)
{
    const rt_uint8_t prio[FIFO_N] = {TC_PRIO_HIGHER, TC_PRIO_HIGHER, TC_PRIO_HIGHER};

    fifo_run_higher(prio);
}

/*
 * Waiters of lower priority than the test thread: each is let run (the test
 * thread sleeps) until it blocks before the next starts. Each free is
 * followed by a sleep so that the woken waiter takes its block.
 */
static void test_fifo_lower_priority_waiters(void)
{
    const rt_uint8_t prio[FIFO_N] = {UTEST_THR_PRIORITY + 1, UTEST_THR_PRIORITY + 3,
                                     UTEST_THR_PRIORITY + 2};
    int i, j;

    TC_REQUIRE(fifo_setup());

    for (i = 0; i < FIFO_N; i++)
    {
        TC_REQUIRE(tc_waiter_start(&fifo_w[i], fifo_names[i], &fifo_mp, RT_WAITING_FOREVER,
                                   prio[i], &fifo_seq) == RT_EOK);
        TC_REQUIRE(tc_wait_flag(&fifo_w[i].state, 1, TC_WAIT_TICKS));
        rt_thread_delay(2);
        uassert_int_equal(fifo_w[i].state, 1);
        uassert_int_equal(tc_waiters(&fifo_mp), i + 1);
    }

    for (i = 0; i < FIFO_N; i++)
    {
        rt_mp_free(fifo_b[i]);
        TC_REQUIRE(tc_wait_flag(&fifo_w[fifo_woken(i)].state, 2, TC_WAIT_TICKS));
        rt_thread_delay(2);
        for (j = 0; j < FIFO_N; j++)
            uassert_int_equal(fifo_w[j].state, fifo_served(j, i) ? 2 : 1);
        uassert_int_equal(fifo_w[fifo_woken(i)].order, i);
        uassert_ptr_equal(fifo_w[fifo_woken(i)].block, fifo_b[i]);
        uassert_int_equal(fifo_mp.block_free_count, 0);
    }
    for (i = 0; i < FIFO_N; i++)
        TC_REQUIRE(tc_waiter_join(&fifo_w[i]));

    fifo_teardown();
}

static rt_err_t utest_tc_init(void)
{
    int i;

    fifo_live = 0;
    for (i = 0; i < FIFO_N; i++)
        fifo_w[i].tid = RT_NULL;
    return tc_pin_self();
}

static rt_err_t utest_tc_cleanup(void)
{
    fifo_reset();
    return tc_unpin_self();
}

static void testcase(void)
{
    TC_UNIT_RUN(test_fifo_not_priority_order);
    TC_UNIT_RUN(test_fifo_equal_priority);
    TC_UNIT_RUN(test_fifo_lower_priority_waiters);
    TC_UNITS_DONE();
}
UTEST_TC_EXPORT(testcase, "components.mempool.fifo", utest_tc_init, utest_tc_cleanup, TC_TIMEOUT);
