/*
 * components.mempool.retire: what happens around a pool's birth and death, where the kernel's
 * C mempool has windows this library closes (the README's misuse table says which build
 * refuses what).
 *
 * - A thread woken by a free and not yet run when its created pool is deleted returns RT_NULL
 *   with the retired error, without reading the freed object (AddressSanitizer in
 *   `make test` and the host heap's poison would show such a read). Likewise for a static
 *   pool detached and its struct overwritten.
 * - A pool is registered only once it is set up: the kernel's attach hook, called as the
 *   object is registered, already sees the new pool's fields (not a previous pool's), and a
 *   created pool is refused until it is complete.
 * - rt_mp_init refuses a region that contains its own struct.
 * - Detach and delete of a copy of a pool object are refused (RT-Thread would unlink the
 *   original); with the paranoid checks also every other call through a copy.
 * - After detach and init again on the same memory, a block of the old pool is refused and
 *   the new pool hands out each block once, in order.
 * - Garbage in the struct's stored fields is refused with -RT_ERROR.
 */
#include <rtthread.h>
#include "utest.h"
#include "tc_mempool_common.h"

/* This library's behaviour only: the kernel's C mempool has each of these windows. */
#ifdef RTT_MEMPOOL_HARDENED

#define RT_BS 32

TC_BUFFER(rt_buf, TC_POOL_BYTES(4, RT_BS));
TC_BUFFER(rt_buf2, TC_POOL_BYTES(4, RT_BS));
static struct rt_mempool rt_mp;
static int rt_live;
static rt_mp_t rt_dyn;
static struct tc_waiter rt_w;

static void re_reset(void)
{
    tc_mp_drop(&rt_mp, &rt_live);
    if (rt_dyn != RT_NULL)
        rt_mp_delete(rt_dyn);
    rt_dyn = RT_NULL;
    tc_waiter_reap(&rt_w);
}

/* Starts one lower-priority waiter on mp, which must be empty. */
static int re_start_waiter(rt_mp_t mp)
{
    if (tc_waiter_start(&rt_w, "tmrw", mp, RT_WAITING_FOREVER, TC_PRIO_LOWER, RT_NULL) != RT_EOK)
        return 0;
    if (!tc_wait_flag(&rt_w.state, 1, TC_WAIT_TICKS))
        return 0;
    rt_thread_delay(1);
    return tc_waiters(mp) == 1;
}

static void test_woken_then_deleted(void)
{
    void *b;

    re_reset();
    rt_dyn = rt_mp_create("tmrd", 1, RT_BS);
    TC_REQUIRE(rt_dyn != RT_NULL);
    b = rt_mp_alloc(rt_dyn, 0);
    TC_REQUIRE(b != RT_NULL);
    TC_REQUIRE(re_start_waiter(rt_dyn));

    rt_mp_free(b);              /* wakes the lower-priority waiter; it does not run yet */
    uassert_int_equal(rt_w.state, 1);
    uassert_int_equal(rt_mp_delete(rt_dyn), RT_EOK);
    rt_dyn = RT_NULL;
    /* now it runs, with its pool's object freed */
    uassert_true(tc_waiter_join(&rt_w));
    uassert_null(rt_w.block);
    uassert_int_equal(rt_w.err, TC_RETIRED_ERROR);
}

static void test_woken_then_detached_and_overwritten(void)
{
    static rt_uint8_t copy[sizeof(struct rt_mempool)];
    void *b;

    re_reset();
    TC_REQUIRE(rt_mp_init(&rt_mp, "tmro", tc_aligned(rt_buf.b), TC_POOL_BYTES(1, RT_BS), RT_BS) == RT_EOK);
    rt_live = 1;
    b = rt_mp_alloc(&rt_mp, 0);
    TC_REQUIRE(b != RT_NULL);
    TC_REQUIRE(re_start_waiter(&rt_mp));

    rt_mp_free(b);
    uassert_int_equal(rt_mp_detach(&rt_mp), RT_EOK);
    rt_live = 0;
    /* the struct's memory is reused for something else before the waiter runs */
    rt_memset(&rt_mp, 0x5a, sizeof(rt_mp));
    rt_memcpy(copy, &rt_mp, sizeof(copy));
    uassert_true(tc_waiter_join(&rt_w));
    uassert_null(rt_w.block);
    uassert_int_equal(rt_w.err, TC_RETIRED_ERROR);
    /* and was not written to by the waiter */
    uassert_int_equal(rt_memcmp(copy, &rt_mp, sizeof(copy)), 0);
    rt_memset(&rt_mp, 0, sizeof(rt_mp));
}

#ifdef RT_USING_HOOK
/* What the attach hook saw of a pool object as the kernel registered it. */
static struct
{
    struct rt_mempool *mp;
    rt_size_t total, free;
    void *start;
    int alloc_refused;
} re_seen;

static void re_attach_hook(struct rt_object *object)
{
    void *b;

    if ((object->type & ~RT_Object_Class_Static) != RT_Object_Class_MemPool)
        return;
    re_seen.mp = (struct rt_mempool *)object;
    re_seen.total = re_seen.mp->block_total_count;
    re_seen.free = re_seen.mp->block_free_count;
    re_seen.start = re_seen.mp->start_address;
    /* a thread that finds the pool now may use it only if it is complete */
    b = rt_mp_alloc(re_seen.mp, 0);
    re_seen.alloc_refused = (b == RT_NULL);
    if (b != RT_NULL)
        rt_mp_free(b);
}

static void test_registered_only_when_set_up(void)
{
    void *start2 = tc_aligned(rt_buf2.b);

    re_reset();
    /* a first pool on the struct, then detached: its fields stay behind */
    TC_REQUIRE(rt_mp_init(&rt_mp, "tmrh", tc_aligned(rt_buf.b), TC_POOL_BYTES(4, RT_BS), RT_BS) == RT_EOK);
    rt_live = 1;
    uassert_not_null(rt_mp_alloc(&rt_mp, 0));
    uassert_int_equal(rt_mp_detach(&rt_mp), RT_EOK);
    rt_live = 0;

    rt_memset(&re_seen, 0, sizeof(re_seen));
    rt_object_attach_sethook(re_attach_hook);
    TC_REQUIRE(rt_mp_init(&rt_mp, "tmrh", start2, TC_POOL_BYTES(2, RT_BS), RT_BS) == RT_EOK);
    rt_object_attach_sethook(RT_NULL);
    rt_live = 1;
    /* at registration the hook saw the new pool, complete, not the old one's fields */
    uassert_ptr_equal(re_seen.mp, &rt_mp);
    uassert_ptr_equal(re_seen.start, start2);
    uassert_int_equal(re_seen.total, 2);
    uassert_int_equal(re_seen.free, 2);
    uassert_int_equal(rt_mp.block_free_count, 2);
    uassert_ptr_equal(rt_mp_alloc(&rt_mp, 0), tc_block_addr(start2, RT_BS, 0));

#ifdef RT_USING_HEAP
    /* a created pool is registered by rt_object_allocate before it can be set up: until it
     * is, every call refuses it */
    rt_memset(&re_seen, 0, sizeof(re_seen));
    rt_object_attach_sethook(re_attach_hook);
    rt_dyn = rt_mp_create("tmrc", 2, RT_BS);
    rt_object_attach_sethook(RT_NULL);
    TC_REQUIRE(rt_dyn != RT_NULL);
    uassert_ptr_equal(re_seen.mp, rt_dyn);
    uassert_int_equal(re_seen.total, 0);
    uassert_true(re_seen.alloc_refused);
    uassert_int_equal(rt_dyn->block_free_count, 2);
#endif
}
#endif /* RT_USING_HOOK */

static void test_region_over_its_own_struct(void)
{
    /* the struct placed inside the region the pool is given */
    static union
    {
        /* room for the struct inside a 4-block region, and for a 2-block region after it */
        rt_uint8_t b[TC_POOL_BYTES(4, RT_BS) + 2 * sizeof(struct rt_mempool) + 2 * RT_ALIGN_SIZE];
        void *p;
        double d;
    } area;
    rt_uint8_t *start = tc_aligned(area.b);
    struct rt_mempool *inside = (struct rt_mempool *)(start + TC_SLOT(RT_BS));
    rt_uint8_t before[sizeof(struct rt_mempool)];

    re_reset();
    rt_memset(area.b, 0x33, sizeof(area.b));
    rt_memcpy(before, inside, sizeof(before));
    uassert_int_equal(rt_mp_init(inside, "tmrs", start, TC_POOL_BYTES(4, RT_BS), RT_BS), -RT_EINVAL);
    uassert_int_equal(rt_get_errno(), -RT_EINVAL);
    uassert_int_equal(rt_memcmp(before, inside, sizeof(before)), 0);
    uassert_null(rt_object_find("tmrs", RT_Object_Class_MemPool));
    /* the struct just before the region, touching it: accepted */
    inside = (struct rt_mempool *)(start + TC_SLOT(RT_BS));
    uassert_int_equal(rt_mp_init(inside, "tmrs", start + TC_SLOT(RT_BS) + RT_ALIGN(sizeof(struct rt_mempool), RT_ALIGN_SIZE),
                                 TC_POOL_BYTES(2, RT_BS), RT_BS), RT_EOK);
    uassert_int_equal(rt_mp_detach(inside), RT_EOK);
}

static void test_copy_of_a_pool_is_refused(void)
{
    static struct rt_mempool copy;
    void *b;

    re_reset();
    TC_REQUIRE(rt_mp_init(&rt_mp, "tmrk", tc_aligned(rt_buf.b), TC_POOL_BYTES(4, RT_BS), RT_BS) == RT_EOK);
    rt_live = 1;
    b = rt_mp_alloc(&rt_mp, 0);
    TC_REQUIRE(b != RT_NULL);
    rt_memcpy(&copy, &rt_mp, sizeof(copy));

    uassert_int_equal(rt_mp_detach(&copy), -RT_EINVAL);
    /* the original is still registered and works */
    uassert_true(tc_found("tmrk", &rt_mp));
    uassert_int_equal(tc_object_list_count(&rt_mp, RT_NULL), 1);
    rt_mp_free(b);
    uassert_int_equal(rt_mp.block_free_count, 4);
#ifdef RTT_MEMPOOL_PARANOID_CHECKS
    uassert_null(rt_mp_alloc(&copy, 0));
    uassert_int_equal(rt_get_errno(), -RT_EINVAL);
#endif
#ifdef RT_USING_HEAP
    rt_dyn = rt_mp_create("tmrk2", 2, RT_BS);
    TC_REQUIRE(rt_dyn != RT_NULL);
    rt_memcpy(&copy, rt_dyn, sizeof(copy));
    uassert_int_equal(rt_mp_delete(&copy), -RT_EINVAL);
    uassert_true(tc_found("tmrk2", rt_dyn));
#endif
}

static void test_stale_block_after_reinit(void)
{
    void *start = tc_aligned(rt_buf.b);
    void *old[3], *fresh[4];
    int i, j;

    re_reset();
    TC_REQUIRE(rt_mp_init(&rt_mp, "tmrr", start, TC_POOL_BYTES(4, RT_BS), RT_BS) == RT_EOK);
    rt_live = 1;
    for (i = 0; i < 3; i++)
        old[i] = rt_mp_alloc(&rt_mp, 0);
    rt_mp_free(old[1]);
    uassert_int_equal(rt_mp_detach(&rt_mp), RT_EOK);
    rt_live = 0;

    TC_REQUIRE(rt_mp_init(&rt_mp, "tmrr", start, TC_POOL_BYTES(4, RT_BS), RT_BS) == RT_EOK);
    rt_live = 1;
    rt_set_errno(RT_EOK);
    rt_mp_free(old[2]);         /* a block of the old pool */
    uassert_int_equal(rt_get_errno(), -RT_EINVAL);
    uassert_int_equal(rt_mp.block_free_count, 4);
    for (i = 0; i < 4; i++)
    {
        fresh[i] = rt_mp_alloc(&rt_mp, 0);
        uassert_ptr_equal(fresh[i], tc_block_addr(start, RT_BS, i));
        for (j = 0; j < i; j++)
            uassert_true(fresh[j] != fresh[i]);
    }
    uassert_null(rt_mp_alloc(&rt_mp, 0));
}

/* Garbage in the struct's stored fields: refused with -RT_ERROR, never a crash or a panic
 * (the geometry is checked on every call; a debug build used to overflow here). */
static void test_garbage_fields_refused(void)
{
    static const rt_size_t totals[] = {(rt_size_t)-1, (rt_size_t)-1 / 2, 3};
    static const rt_size_t sizes[] = {(rt_size_t)-8, 32, (rt_size_t)-1 / 2 + 1};
    struct rt_mempool saved;
    unsigned k;

    re_reset();
    TC_REQUIRE(rt_mp_init(&rt_mp, "tmrg", tc_aligned(rt_buf.b), TC_POOL_BYTES(4, RT_BS), RT_BS) == RT_EOK);
    rt_live = 1;
    saved = rt_mp;
    for (k = 0; k < sizeof(totals) / sizeof(totals[0]); k++)
    {
        rt_mp.block_total_count = totals[k];
        rt_mp.block_size = sizes[k];
        rt_set_errno(RT_EOK);
        uassert_null(rt_mp_alloc(&rt_mp, 0));
        uassert_int_equal(rt_get_errno(), -RT_ERROR);
        rt_mp.block_total_count = saved.block_total_count;
        rt_mp.block_size = saved.block_size;
    }
    /* a start address that is no longer word-aligned */
    rt_mp.start_address = (rt_uint8_t *)saved.start_address + 1;
    uassert_null(rt_mp_alloc(&rt_mp, 0));
    uassert_int_equal(rt_get_errno(), -RT_ERROR);
    rt_mp.start_address = saved.start_address;
    /* and the pool still works once the fields are right again */
    uassert_ptr_equal(rt_mp_alloc(&rt_mp, 0), tc_block_addr(tc_aligned(rt_buf.b), RT_BS, 0));
}

static rt_err_t utest_tc_init(void)
{
    rt_live = 0;
    rt_dyn = RT_NULL;
    rt_w.tid = RT_NULL;
    return tc_pin_self();
}

static rt_err_t utest_tc_cleanup(void)
{
    re_reset();
    return tc_unpin_self();
}

static void testcase(void)
{
#ifdef RT_USING_HEAP
    TC_UNIT_RUN(test_woken_then_deleted);
#endif
    TC_UNIT_RUN(test_woken_then_detached_and_overwritten);
#ifdef RT_USING_HOOK
    TC_UNIT_RUN(test_registered_only_when_set_up);
#endif
    TC_UNIT_RUN(test_region_over_its_own_struct);
    TC_UNIT_RUN(test_copy_of_a_pool_is_refused);
    TC_UNIT_RUN(test_stale_block_after_reinit);
    TC_UNIT_RUN(test_garbage_fields_refused);
    TC_UNITS_DONE();
}
UTEST_TC_EXPORT(testcase, "components.mempool.retire", utest_tc_init, utest_tc_cleanup, TC_TIMEOUT);

#endif /* RTT_MEMPOOL_HARDENED */
