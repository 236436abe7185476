/*
 * components.mempool.header: the library's C header agrees with the kernel.
 *
 * (rtt-mempool only.) <rtthread.h> and then "rtt_mempool.h" are included in
 * one translation unit, so a prototype in the library's header that differs
 * from the kernel's declaration is a compile error; the exported functions
 * are assigned to pointers of the exact RT-Thread 5.x types, and the unit
 * checks that those pointers are the functions the calls below reach.
 */
#include <rtthread.h>
#include "utest.h"
#if defined(__has_include)
#if __has_include("rtt_mempool.h")
#include "rtt_mempool.h"
#endif
#endif
#include "tc_mempool_common.h"

#ifdef RTT_MEMPOOL_HARDENED
#include "rtt_mempool.h"

/* the RT-Thread 5.x prototypes, spelled out */
static rt_err_t (*const hd_init)(struct rt_mempool *, const char *, void *, rt_size_t, rt_size_t) = rt_mp_init;
static rt_err_t (*const hd_detach)(struct rt_mempool *) = rt_mp_detach;
#ifdef RT_USING_HEAP
static rt_mp_t (*const hd_create)(const char *, rt_size_t, rt_size_t) = rt_mp_create;
static rt_err_t (*const hd_delete)(rt_mp_t) = rt_mp_delete;
#endif
static void *(*const hd_alloc)(rt_mp_t, rt_int32_t) = rt_mp_alloc;
static void (*const hd_free)(void *) = rt_mp_free;
#if defined(RT_USING_HOOK) && defined(RT_HOOK_USING_FUNC_PTR)
static void (*const hd_alloc_sethook)(void (*)(struct rt_mempool *, void *)) = rt_mp_alloc_sethook;
static void (*const hd_free_sethook)(void (*)(struct rt_mempool *, void *)) = rt_mp_free_sethook;
#endif
#ifndef RTT_MEMPOOL_OMIT_MP_CHECK
static int (*const hd_check)(const char *) = rtt_mempool_check;
#endif

TC_BUFFER(hd_buf, 256);
static struct rt_mempool hd_mp;
static int hd_live;

static void test_prototypes_match(void)
{
    uassert_true(hd_init == rt_mp_init);
    uassert_true(hd_detach == rt_mp_detach);
#ifdef RT_USING_HEAP
    uassert_true(hd_create == rt_mp_create);
    uassert_true(hd_delete == rt_mp_delete);
#endif
    uassert_true(hd_alloc == rt_mp_alloc);
    uassert_true(hd_free == rt_mp_free);
#if defined(RT_USING_HOOK) && defined(RT_HOOK_USING_FUNC_PTR)
    uassert_true(hd_alloc_sethook == rt_mp_alloc_sethook);
    uassert_true(hd_free_sethook == rt_mp_free_sethook);
#endif
#ifndef RTT_MEMPOOL_OMIT_MP_CHECK
    uassert_true(hd_check != RT_NULL);
#endif
}

/* calls through the pointers work like direct calls */
static void test_calls_through_pointers(void)
{
    void *b;

    tc_mp_drop(&hd_mp, &hd_live);
    TC_REQUIRE(hd_init(&hd_mp, "tmhdr", tc_aligned(hd_buf.b), 256, 24) == RT_EOK);
    hd_live = 1;
    b = hd_alloc(&hd_mp, 0);
    uassert_ptr_equal(b, tc_block_addr(tc_aligned(hd_buf.b), 24, 0));
    hd_free(b);
    uassert_int_equal(hd_mp.block_free_count, tc_expected_count(256, 24));
    uassert_int_equal(hd_detach(&hd_mp), RT_EOK);
    hd_live = 0;
#ifdef RT_USING_HEAP
    {
        rt_mp_t mp = hd_create("tmhdc", 3, 24);

        TC_REQUIRE(mp != RT_NULL);
        uassert_int_equal(mp->block_total_count, 3);
        uassert_int_equal(hd_delete(mp), RT_EOK);
    }
#endif
}

static rt_err_t utest_tc_init(void)
{
    hd_live = 0;
    return tc_pin_self();
}

static rt_err_t utest_tc_cleanup(void)
{
    tc_mp_drop(&hd_mp, &hd_live);
    return tc_unpin_self();
}

static void testcase(void)
{
    TC_UNIT_RUN(test_prototypes_match);
    TC_UNIT_RUN(test_calls_through_pointers);
    TC_UNITS_DONE();
}
UTEST_TC_EXPORT(testcase, "components.mempool.header", utest_tc_init, utest_tc_cleanup, TC_TIMEOUT);

#endif /* RTT_MEMPOOL_HARDENED */
