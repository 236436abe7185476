/*
 * components.mempool.mp_check: the msh command `mp_check [name]`.
 *
 * (rtt-mempool only.) mp_check returns 0 for consistent pools (fresh,
 * partly used, after frees, exhausted, with waiters, one by name or all) and
 * non-zero for an unknown name and for a pool whose free list is corrupted:
 * a link pointing outside the pool, a link off a slot boundary, a raw pointer
 * to memory outside the pool, a cycle (a freed block linking to itself), or
 * block_free_count disagreeing with the list. It returns (bounded time) on
 * the cycle, and 0 again once the corruption is undone. On the host kernel
 * the printed line names the pool and says CORRUPTED only when it is.
 */
#include <rtthread.h>
#include "utest.h"
#include "tc_mempool_common.h"
#ifdef RTT_HOST_KERNEL
#include "host_kernel.h"
#endif

#if defined(RTT_MEMPOOL_HARDENED) && defined(RT_USING_FINSH) && !defined(RTT_MEMPOOL_OMIT_MP_CHECK)

int mp_check(int argc, char **argv);

#define MC_BS 40
#define MC_N  8

TC_BUFFER(mck_buf, TC_POOL_BYTES(MC_N, MC_BS));
TC_BUFFER(mck_buf2, TC_POOL_BYTES(MC_N, MC_BS));
static struct rt_mempool mck_mp;
static struct rt_mempool mck_mp2;
static int mck_live;
static int mck_live2;
static void *mck_b[MC_N];
static struct tc_waiter mck_w;
static void *mck_outside[4];

static int mck_run(const char *name)
{
    char cmd[] = "mp_check";
    char arg[RT_NAME_MAX + 1];
    char *argv[3];

    argv[0] = cmd;
    argv[1] = RT_NULL;
    argv[2] = RT_NULL;
    if (name == RT_NULL)
        return mp_check(1, argv);
    rt_strncpy(arg, name, sizeof(arg) - 1);
    arg[sizeof(arg) - 1] = '\0';
    argv[1] = arg;
    return mp_check(2, argv);
}

#ifdef RTT_HOST_KERNEL
/* Run mp_check on name and capture what it prints. */
static int mck_run_captured(const char *name, char **out)
{
    int ret;

    host_capture_begin();
    ret = mck_run(name);
    host_capture_end(out);
    return ret;
}

static int mck_contains(const char *text, const char *word)
{
    rt_size_t n = rt_strlen(word);

    for (; text != RT_NULL && *text; text++)
        if (rt_strncmp(text, word, n) == 0)
            return 1;
    return 0;
}
#endif

static void mck_reset(void)
{
    tc_mp_drop(&mck_mp, &mck_live);
    tc_mp_drop(&mck_mp2, &mck_live2);
    tc_waiter_reap(&mck_w);
}

static int mck_setup(void)
{
    mck_reset();
    if (rt_mp_init(&mck_mp, "tmchk", tc_aligned(mck_buf.b), TC_POOL_BYTES(MC_N, MC_BS), MC_BS) != RT_EOK)
        return 0;
    mck_live = 1;
    if (rt_mp_init(&mck_mp2, "tmchk2", tc_aligned(mck_buf2.b), TC_POOL_BYTES(MC_N, MC_BS), MC_BS) != RT_EOK)
        return 0;
    mck_live2 = 1;
    return mck_mp.block_total_count == MC_N;
}

static void **mck_header(void *block)
{
    return (void **)((rt_uint8_t *)block - sizeof(void *));
}

static void test_consistent_pools(void)
{
    int i;

    TC_REQUIRE(mck_setup());
    uassert_int_equal(mck_run("tmchk"), 0);
    uassert_int_equal(mck_run(RT_NULL), 0);

    for (i = 0; i < 3; i++)
        mck_b[i] = rt_mp_alloc(&mck_mp, 0);
    uassert_int_equal(mck_run("tmchk"), 0);
    rt_mp_free(mck_b[1]);
    uassert_int_equal(mck_run("tmchk"), 0);
    for (i = 3; i < MC_N; i++)
        mck_b[i] = rt_mp_alloc(&mck_mp, 0);
    mck_b[1] = rt_mp_alloc(&mck_mp, 0);
    uassert_int_equal(mck_mp.block_free_count, 0);
    uassert_int_equal(mck_run("tmchk"), 0);

    /* with a waiter */
    TC_REQUIRE(tc_waiter_start(&mck_w, "tmchw", &mck_mp, RT_WAITING_FOREVER, TC_PRIO_HIGHER, RT_NULL) == RT_EOK);
    uassert_int_equal(mck_w.state, 1);
    uassert_int_equal(mck_run("tmchk"), 0);
    uassert_int_equal(mck_run(RT_NULL), 0);
    rt_mp_free(mck_b[4]);
    TC_REQUIRE(tc_waiter_join(&mck_w));

    for (i = 0; i < MC_N; i++)
        rt_mp_free(mck_b[i]);
    uassert_int_equal(mck_mp.block_free_count, MC_N);
    uassert_int_equal(mck_run("tmchk"), 0);
    uassert_int_equal(mck_run(RT_NULL), 0);
    mck_reset();
}

static void test_unknown_name(void)
{
    mck_reset();
    uassert_int_not_equal(mck_run("tmnone"), 0);
}

/*
 * Frees blocks 2 then 5: the list is 5 -> 2 -> ... . Returns the header
 * word of block 5, which links to block 2 in whatever encoding the pool uses.
 */
static void *mck_two_freed(void)
{
    int i;

    for (i = 0; i < MC_N; i++)
        mck_b[i] = rt_mp_alloc(&mck_mp, 0);
    rt_mp_free(mck_b[2]);
    rt_mp_free(mck_b[5]);
    return *mck_header(mck_b[5]);
}

/* Corrupt one header word, check, undo, check again. */
static void mck_corrupt_and_check(void **where, void *value)
{
    void *saved = *where;
    int ret;

    *where = value;
    ret = mck_run("tmchk");
    uassert_int_not_equal(ret, 0);
    /* all pools: non-zero too; the other pool alone is fine */
    uassert_int_not_equal(mck_run(RT_NULL), 0);
    uassert_int_equal(mck_run("tmchk2"), 0);
#ifdef RTT_HOST_KERNEL
    {
        char *out = RT_NULL;

        uassert_int_not_equal(mck_run_captured("tmchk", &out), 0);
        uassert_true(mck_contains(out, "tmchk"));
        uassert_true(mck_contains(out, "CORRUPTED"));
        if (out != RT_NULL)
            rt_free(out);
    }
#endif
    *where = saved;
    uassert_int_equal(mck_run("tmchk"), 0);
}

static void test_link_outside_pool(void)
{
    rt_ubase_t link;

    TC_REQUIRE(mck_setup());
    link = (rt_ubase_t)mck_two_freed();
    /* same encoding, one whole region further: outside the pool */
    mck_corrupt_and_check(mck_header(mck_b[5]), (void *)(link + mck_mp.size));
    /* same encoding, one pointer further: inside, but off a slot boundary */
    mck_corrupt_and_check(mck_header(mck_b[5]), (void *)(link + sizeof(void *)));
    /* a raw pointer to memory outside the pool */
    mck_corrupt_and_check(mck_header(mck_b[5]), (void *)&mck_outside[1]);
    mck_corrupt_and_check(mck_header(mck_b[2]), (void *)&mck_outside[1]);
    mck_reset();
}

static void test_cycle(void)
{
    void *link_to_2;

    TC_REQUIRE(mck_setup());
    link_to_2 = mck_two_freed();
    /* block 2 links to itself: 5 -> 2 -> 2 -> ... */
    mck_corrupt_and_check(mck_header(mck_b[2]), link_to_2);
    mck_reset();
}

static void test_count_disagrees(void)
{
    rt_size_t saved;
    int ret;

    TC_REQUIRE(mck_setup());
    mck_two_freed();
    saved = mck_mp.block_free_count;
    TC_REQUIRE(saved == 2);

    mck_mp.block_free_count = saved + 1;
    ret = mck_run("tmchk");
    mck_mp.block_free_count = saved - 1;
    uassert_int_not_equal(ret, 0);
    uassert_int_not_equal(mck_run("tmchk"), 0);
    mck_mp.block_free_count = saved;
    uassert_int_equal(mck_run("tmchk"), 0);
#ifdef RTT_HOST_KERNEL
    {
        char *out = RT_NULL;

        uassert_int_equal(mck_run_captured("tmchk", &out), 0);
        uassert_true(mck_contains(out, "tmchk"));
        uassert_false(mck_contains(out, "CORRUPTED"));
        if (out != RT_NULL)
            rt_free(out);
    }
#endif
    mck_reset();
}

static rt_err_t utest_tc_init(void)
{
    mck_live = 0;
    mck_live2 = 0;
    mck_w.tid = RT_NULL;
    return tc_pin_self();
}

static rt_err_t utest_tc_cleanup(void)
{
    mck_reset();
    return tc_unpin_self();
}

/*
 * A long free list is walked a bounded number of links per lock hold (interrupts off for a
 * bounded time, whatever the pool's size): the verdict must be the same as in one go, and a
 * fault far down the list, past the first steps, is still found.
 */
#define MC_LONG 300
TC_BUFFER(mck_long_buf, TC_POOL_BYTES(MC_LONG, 8));
static void *mck_long[MC_LONG];

static void test_long_list_in_bounded_steps(void)
{
    static struct rt_mempool mp;
    void **deep;
    void *saved;
    int i;

    TC_REQUIRE(rt_mp_init(&mp, "tmclong", tc_aligned(mck_long_buf.b), TC_POOL_BYTES(MC_LONG, 8), 8) == RT_EOK);
    for (i = 0; i < MC_LONG; i++)
        mck_long[i] = rt_mp_alloc(&mp, 0);
    uassert_not_null(mck_long[MC_LONG - 1]);
    for (i = 0; i < MC_LONG; i++)
        rt_mp_free(mck_long[i]);
    uassert_int_equal(mck_run("tmclong"), 0);
    /* the list runs from the last freed block down to the first: break the link of the
     * 250th block on it */
    deep = (void **)((rt_uint8_t *)mck_long[MC_LONG - 250] - sizeof(void *));
    saved = *deep;
    *deep = (void *)((rt_ubase_t)&mck_outside[1] | 1);
    uassert_int_not_equal(mck_run("tmclong"), 0);
    *deep = saved;
    uassert_int_equal(mck_run("tmclong"), 0);
    uassert_int_equal(rt_mp_detach(&mp), RT_EOK);
}

static void testcase(void)
{
    TC_UNIT_RUN(test_consistent_pools);
    TC_UNIT_RUN(test_unknown_name);
    TC_UNIT_RUN(test_link_outside_pool);
    TC_UNIT_RUN(test_cycle);
    TC_UNIT_RUN(test_count_disagrees);
    TC_UNIT_RUN(test_long_list_in_bounded_steps);
    TC_UNITS_DONE();
}
UTEST_TC_EXPORT(testcase, "components.mempool.mp_check", utest_tc_init, utest_tc_cleanup, TC_TIMEOUT);

#endif /* RTT_MEMPOOL_HARDENED && RT_USING_FINSH && !RTT_MEMPOOL_OMIT_MP_CHECK */
