/*
 * components.mempool.misuse_create: rt_mp_create refuses what it cannot do.
 *
 * (rtt-mempool only.) A byte count block_count * (aligned size + pointer)
 * that overflows rt_size_t, a block size whose alignment overflows, a zero
 * count or size and a NULL name give RT_NULL with errno -RT_EINVAL; a heap
 * that cannot serve the region (or the object) gives RT_NULL with errno
 * -RT_ENOMEM. In every case no pool object is left registered and (on the
 * host kernel) no heap block is leaked.
 */
#include <rtthread.h>
#include <rthw.h>
#include "utest.h"
#include "tc_mempool_common.h"
#ifdef RTT_HOST_KERNEL
#include "host_kernel.h"
#endif

#ifdef RTT_MEMPOOL_HARDENED

#define MC_MAX ((rt_size_t)-1)

static rt_mp_t mc_mp;

static int mc_pools(void)
{
    struct rt_object_information *info = rt_object_get_information(RT_Object_Class_MemPool);
    rt_list_t *node;
    int n = 0;

    rt_enter_critical();
    for (node = info->object_list.next; node != &info->object_list && n < 10000; node = node->next)
        n++;
    rt_exit_critical();
    return n;
}

/* one refused create: RT_NULL, the errno, nothing registered, nothing leaked */
static void mc_refused(const char *name, rt_size_t count, rt_size_t bs, rt_err_t expect_errno)
{
    int pools = mc_pools();
    rt_err_t err;
#ifdef RTT_HOST_KERNEL
    long live = host_heap_live_blocks();
#endif

    rt_set_errno(RT_EOK);
    mc_mp = rt_mp_create(name, count, bs);
    err = rt_get_errno();
    uassert_null(mc_mp);
    uassert_int_equal(err, expect_errno);
    uassert_int_equal(mc_pools(), pools);
    if (name != RT_NULL)
        uassert_null(rt_object_find(name, RT_Object_Class_MemPool));
#ifdef RTT_HOST_KERNEL
    uassert_int_equal(host_heap_live_blocks(), live);
#endif
    if (mc_mp != RT_NULL)
    {
        rt_mp_delete(mc_mp);
        mc_mp = RT_NULL;
    }
}

static void test_byte_count_overflow(void)
{
    /* one block more than fits in rt_size_t */
    mc_refused("tmmc", MC_MAX / TC_SLOT(16) + 1, 16, -RT_EINVAL);
    mc_refused("tmmc", MC_MAX / 2, 8, -RT_EINVAL);
    mc_refused("tmmc", MC_MAX, 1, -RT_EINVAL);
    /* wraps to a small number in the C version: 2^32/8 * (4 + 4) on 32-bit */
    mc_refused("tmmc", (MC_MAX / TC_SLOT(4)) + 2, 4, -RT_EINVAL);
}

static void test_block_size_overflow(void)
{
    /* RT_ALIGN(block_size, RT_ALIGN_SIZE) wraps */
    mc_refused("tmmc", 1, MC_MAX, -RT_EINVAL);
    mc_refused("tmmc", 1, MC_MAX - 1, -RT_EINVAL);
    mc_refused("tmmc", 2, MC_MAX - RT_ALIGN_SIZE + 2, -RT_EINVAL);
    /* no wrap in the block size, but in the count times the slot */
    mc_refused("tmmc", 2, MC_MAX / 2, -RT_EINVAL);
}

static void test_zero_and_null(void)
{
    mc_refused("tmmc", 0, 16, -RT_EINVAL);
    mc_refused("tmmc", 4, 0, -RT_EINVAL);
    mc_refused("tmmc", 0, 0, -RT_EINVAL);
    mc_refused(RT_NULL, 4, 16, -RT_EINVAL);
}

static void test_heap_exhausted(void)
{
#ifdef RTT_HOST_KERNEL
    /* the object allocation fails */
    host_heap_fail_after(0);
    mc_refused("tmmc", 4, 16, -RT_ENOMEM);
    host_heap_fail_after(-1);
    /* the object is allocated, the region fails: the object must go again */
    host_heap_fail_after(1);
    mc_refused("tmmc", 4, 16, -RT_ENOMEM);
    host_heap_fail_after(-1);
#else
    /* far more than any heap of a qemu image has, without overflowing */
    mc_refused("tmmc", (MC_MAX / 2) / TC_SLOT(64), 64, -RT_ENOMEM);
#endif
    /* and the heap works again afterwards */
    mc_mp = rt_mp_create("tmmc", 4, 16);
    uassert_not_null(mc_mp);
    if (mc_mp != RT_NULL)
    {
        uassert_not_null(rt_mp_alloc(mc_mp, 0));
        uassert_int_equal(rt_mp_delete(mc_mp), RT_EOK);
        mc_mp = RT_NULL;
    }
}

/* rt_mp_create in interrupt context (tc_in_isr) and what it returned */
struct mc_isr_create
{
    rt_mp_t mp;
    rt_err_t err;
};

static void mc_create_in_isr(void *arg)
{
    struct mc_isr_create *c = (struct mc_isr_create *)arg;

    rt_set_errno(RT_EOK);
    c->mp = rt_mp_create("tmmc", 4, 16);
    c->err = rt_get_errno();
}

static void test_create_in_isr(void)
{
    struct mc_isr_create c = {RT_NULL, RT_EOK};
    rt_mp_t mp;
    rt_err_t err;

    TC_REQUIRE(tc_in_isr(mc_create_in_isr, &c));
    mp = c.mp;
    err = c.err;

    uassert_null(mp);
    uassert_int_equal(err, -RT_EINVAL);
    uassert_null(rt_object_find("tmmc", RT_Object_Class_MemPool));
    if (mp != RT_NULL)
        rt_mp_delete(mp);
}

static rt_err_t utest_tc_init(void)
{
    mc_mp = RT_NULL;
    return tc_pin_self();
}

static rt_err_t utest_tc_cleanup(void)
{
#ifdef RTT_HOST_KERNEL
    host_heap_fail_after(-1);
#endif
    if (mc_mp != RT_NULL)
        rt_mp_delete(mc_mp);
    mc_mp = RT_NULL;
    return tc_unpin_self();
}

static void testcase(void)
{
    TC_UNIT_RUN(test_byte_count_overflow);
    TC_UNIT_RUN(test_block_size_overflow);
    TC_UNIT_RUN(test_zero_and_null);
    TC_UNIT_RUN(test_heap_exhausted);
    TC_UNIT_RUN(test_create_in_isr);
    TC_UNITS_DONE();
}
UTEST_TC_EXPORT(testcase, "components.mempool.misuse_create", utest_tc_init, utest_tc_cleanup, TC_TIMEOUT);

#endif /* RTT_MEMPOOL_HARDENED */
