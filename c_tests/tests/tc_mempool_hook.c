/*
 * components.mempool.hook: rt_mp_alloc_sethook / rt_mp_free_sethook.
 *
 * The alloc hook is called once per successful allocation and the free hook
 * once per free, each with the pool and the user pointer of the block; a
 * failed no-wait alloc and rt_mp_free(RT_NULL) call no hook; a blocked waiter
 * served by a free produces one free and one alloc call; hooks set back to
 * RT_NULL are no longer called.
 */
#include <rtthread.h>
#include "utest.h"
#include "tc_mempool_common.h"

#if defined(RT_USING_HOOK) && defined(RT_HOOK_USING_FUNC_PTR)

#define HK_BS  20
#define HK_N   4
#define HK_LOG 16

TC_BUFFER(hk_buf, TC_POOL_BYTES(HK_N, HK_BS));
static struct rt_mempool hk_mp;
static int hk_live;
static rt_mp_t hk_dyn;
static struct tc_waiter hk_w;

struct hk_call
{
    struct rt_mempool *mp;
    void *block;
};
static struct hk_call hk_alloc_log[HK_LOG];
static struct hk_call hk_free_log[HK_LOG];
static volatile int hk_alloc_n;
static volatile int hk_free_n;

static void hk_alloc_hook(struct rt_mempool *mp, void *block)
{
    if (hk_alloc_n < HK_LOG)
    {
        hk_alloc_log[hk_alloc_n].mp = mp;
        hk_alloc_log[hk_alloc_n].block = block;
    }
    hk_alloc_n++;
}

static void hk_free_hook(struct rt_mempool *mp, void *block)
{
    if (hk_free_n < HK_LOG)
    {
        hk_free_log[hk_free_n].mp = mp;
        hk_free_log[hk_free_n].block = block;
    }
    hk_free_n++;
}

static void hk_reset(void)
{
    rt_mp_alloc_sethook(RT_NULL);
    rt_mp_free_sethook(RT_NULL);
    tc_mp_drop(&hk_mp, &hk_live);
    if (hk_dyn != RT_NULL)
        rt_mp_delete(hk_dyn);
    hk_dyn = RT_NULL;
    tc_waiter_reap(&hk_w);
    hk_alloc_n = 0;
    hk_free_n = 0;
}

static int hk_setup(void)
{
    hk_reset();
    if (rt_mp_init(&hk_mp, "tmhook", tc_aligned(hk_buf.b), TC_POOL_BYTES(HK_N, HK_BS), HK_BS) != RT_EOK)
        return 0;
    hk_live = 1;
    rt_mp_alloc_sethook(hk_alloc_hook);
    rt_mp_free_sethook(hk_free_hook);
    return 1;
}

static void test_hooks_called_once_per_call(void)
{
    void *b[HK_N];
    int i;

    TC_REQUIRE(hk_setup());
    TC_REQUIRE(hk_mp.block_total_count == HK_N);

    for (i = 0; i < HK_N; i++)
    {
        b[i] = rt_mp_alloc(&hk_mp, 0);
        TC_REQUIRE(b[i] != RT_NULL);
        uassert_int_equal(hk_alloc_n, i + 1);
        uassert_ptr_equal(hk_alloc_log[i].mp, &hk_mp);
        uassert_ptr_equal(hk_alloc_log[i].block, b[i]);
    }
    uassert_int_equal(hk_free_n, 0);

    /* a failed alloc is no allocation */
    uassert_null(rt_mp_alloc(&hk_mp, 0));
    uassert_int_equal(hk_alloc_n, HK_N);

    for (i = 0; i < HK_N; i++)
    {
        rt_mp_free(b[HK_N - 1 - i]);
        uassert_int_equal(hk_free_n, i + 1);
        uassert_ptr_equal(hk_free_log[i].mp, &hk_mp);
        uassert_ptr_equal(hk_free_log[i].block, b[HK_N - 1 - i]);
    }
    uassert_int_equal(hk_alloc_n, HK_N);

    rt_mp_free(RT_NULL);
    uassert_int_equal(hk_free_n, HK_N);

    /* removed hooks are not called */
    rt_mp_alloc_sethook(RT_NULL);
    rt_mp_free_sethook(RT_NULL);
    b[0] = rt_mp_alloc(&hk_mp, 0);
    uassert_not_null(b[0]);
    rt_mp_free(b[0]);
    uassert_int_equal(hk_alloc_n, HK_N);
    uassert_int_equal(hk_free_n, HK_N);
    uassert_int_equal(hk_mp.block_free_count, HK_N);

    hk_reset();
}

static void test_hooks_with_waiter(void)
{
    void *b[HK_N];
    int i;

    TC_REQUIRE(hk_setup());
    for (i = 0; i < HK_N; i++)
    {
        b[i] = rt_mp_alloc(&hk_mp, 0);
        TC_REQUIRE(b[i] != RT_NULL);
    }
    hk_alloc_n = 0;

    TC_REQUIRE(tc_waiter_start(&hk_w, "tmhw", &hk_mp, RT_WAITING_FOREVER, TC_PRIO_HIGHER, RT_NULL) == RT_EOK);
    uassert_int_equal(hk_w.state, 1);
    uassert_int_equal(hk_alloc_n, 0);

    rt_mp_free(b[2]);
    TC_REQUIRE(tc_waiter_join(&hk_w));
    uassert_ptr_equal(hk_w.block, b[2]);
    uassert_int_equal(hk_free_n, 1);
    uassert_ptr_equal(hk_free_log[0].mp, &hk_mp);
    uassert_ptr_equal(hk_free_log[0].block, b[2]);
    uassert_int_equal(hk_alloc_n, 1);
    uassert_ptr_equal(hk_alloc_log[0].mp, &hk_mp);
    uassert_ptr_equal(hk_alloc_log[0].block, b[2]);

    for (i = 0; i < HK_N; i++)
        rt_mp_free(b[i]);
    uassert_int_equal(hk_free_n, 1 + HK_N);
    hk_reset();
}

static void test_hooks_on_created_pool(void)
{
    void *b;

    hk_reset();
    hk_dyn = rt_mp_create("tmhkd", 2, 64);
    TC_REQUIRE(hk_dyn != RT_NULL);
    rt_mp_alloc_sethook(hk_alloc_hook);
    rt_mp_free_sethook(hk_free_hook);

    b = rt_mp_alloc(hk_dyn, 0);
    TC_REQUIRE(b != RT_NULL);
    rt_mp_free(b);
    uassert_int_equal(hk_alloc_n, 1);
    uassert_int_equal(hk_free_n, 1);
    uassert_ptr_equal(hk_alloc_log[0].mp, hk_dyn);
    uassert_ptr_equal(hk_alloc_log[0].block, b);
    uassert_ptr_equal(hk_free_log[0].mp, hk_dyn);
    uassert_ptr_equal(hk_free_log[0].block, b);

    hk_reset();
}

static rt_err_t utest_tc_init(void)
{
    hk_live = 0;
    hk_dyn = RT_NULL;
    hk_w.tid = RT_NULL;
    return tc_pin_self();
}

static rt_err_t utest_tc_cleanup(void)
{
    hk_reset();
    return tc_unpin_self();
}

static void testcase(void)
{
    TC_UNIT_RUN(test_hooks_called_once_per_call);
    TC_UNIT_RUN(test_hooks_with_waiter);
    TC_UNIT_RUN(test_hooks_on_created_pool);
    TC_UNITS_DONE();
}
UTEST_TC_EXPORT(testcase, "components.mempool.hook", utest_tc_init, utest_tc_cleanup, TC_TIMEOUT);

#endif /* RT_USING_HOOK && RT_HOOK_USING_FUNC_PTR */
