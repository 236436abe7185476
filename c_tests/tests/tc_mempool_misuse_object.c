/*
 * components.mempool.misuse_object: calls on something that is not a live
 * pool, and detach/delete of the wrong kind of pool.
 *
 * (rtt-mempool only: the kernel's C mempool asserts or uses the memory.)
 * On RT_NULL, a detached pool, a semaphore passed as a pool, a zeroed struct
 * and a struct full of garbage: rt_mp_alloc returns RT_NULL with errno
 * -RT_EINVAL at once (also with a wait), rt_mp_detach and rt_mp_delete return
 * -RT_EINVAL, and the memory is left as it was (the semaphore still works).
 * rt_mp_detach of a created pool and rt_mp_delete of a static one return
 * -RT_EINVAL and the pool keeps working and stays registered.
 */
#include <rtthread.h>
#include "utest.h"
#include "tc_mempool_common.h"

#ifdef RTT_MEMPOOL_HARDENED

#define MO_BS 16

TC_BUFFER(mo_buf, TC_POOL_BYTES(8, MO_BS));
static struct rt_mempool mo_mp;
static int mo_live;
static rt_mp_t mo_dyn;
static struct rt_mempool mo_fake;
/* a semaphore in memory large enough to be read as a pool */
static union
{
    struct rt_semaphore sem;
    struct rt_mempool mp;
} mo_sem;
static int mo_sem_live;

static void mo_reset(void)
{
    tc_mp_drop(&mo_mp, &mo_live);
    if (mo_dyn != RT_NULL)
        rt_mp_delete(mo_dyn);
    mo_dyn = RT_NULL;
    if (mo_sem_live)
        rt_sem_detach(&mo_sem.sem);
    mo_sem_live = 0;
}

/* All calls on `mp` are refused and its memory stays as it was. */
static void mo_all_refused(struct rt_mempool *mp)
{
    struct rt_mempool before;
    rt_tick_t t0;
    void *p;
    rt_err_t err;

    if (mp != RT_NULL)
        rt_memcpy(&before, mp, sizeof(before));

    rt_set_errno(RT_EOK);
    p = rt_mp_alloc(mp, 0);
    err = rt_get_errno();
    uassert_null(p);
    uassert_int_equal(err, -RT_EINVAL);

    t0 = rt_tick_get();
    rt_set_errno(RT_EOK);
    p = rt_mp_alloc(mp, 10);
    err = rt_get_errno();
    uassert_null(p);
    uassert_int_equal(err, -RT_EINVAL);
    uassert_value_less_equal(rt_tick_get() - t0, 1);

    rt_set_errno(RT_EOK);
    p = rt_mp_alloc(mp, RT_WAITING_FOREVER);
    err = rt_get_errno();
    uassert_null(p);
    uassert_int_equal(err, -RT_EINVAL);

    uassert_int_equal(rt_mp_detach(mp), -RT_EINVAL);
    uassert_int_equal(rt_mp_delete(mp), -RT_EINVAL);

    if (mp != RT_NULL)
        uassert_int_equal(rt_memcmp(&before, mp, sizeof(before)), 0);
}

static void test_null_pool(void)
{
    mo_all_refused(RT_NULL);
}

static void test_detached_pool(void)
{
    void *b;

    mo_reset();
    TC_REQUIRE(rt_mp_init(&mo_mp, "tmmo", tc_aligned(mo_buf.b), TC_POOL_BYTES(8, MO_BS), MO_BS) == RT_EOK);
    mo_live = 1;
    b = rt_mp_alloc(&mo_mp, 0);
    TC_REQUIRE(b != RT_NULL);
    uassert_int_equal(rt_mp_detach(&mo_mp), RT_EOK);
    mo_live = 0;

    mo_all_refused(&mo_mp);
    uassert_null(rt_object_find("tmmo", RT_Object_Class_MemPool));
}

static void test_semaphore_as_pool(void)
{
    mo_reset();
    rt_memset(&mo_sem, 0, sizeof(mo_sem));
    TC_REQUIRE(rt_sem_init(&mo_sem.sem, "tmmos", 1, RT_IPC_FLAG_FIFO) == RT_EOK);
    mo_sem_live = 1;

    mo_all_refused(&mo_sem.mp);

    /* still a working semaphore */
    uassert_ptr_equal(rt_object_find("tmmos", RT_Object_Class_Semaphore), &mo_sem.sem);
    uassert_int_equal(rt_sem_take(&mo_sem.sem, 0), RT_EOK);
    uassert_int_equal(rt_sem_take(&mo_sem.sem, 0), -RT_ETIMEOUT);
    uassert_int_equal(rt_sem_release(&mo_sem.sem), RT_EOK);
    uassert_int_equal(rt_sem_take(&mo_sem.sem, 0), RT_EOK);
    mo_reset();
}

static void test_zeroed_and_garbage_struct(void)
{
    mo_reset();
    rt_memset(&mo_fake, 0, sizeof(mo_fake));
    mo_all_refused(&mo_fake);
    rt_memset(&mo_fake, 0xA5, sizeof(mo_fake));
    mo_all_refused(&mo_fake);
}

static void test_detach_of_created_pool(void)
{
    void *b;

    mo_reset();
    mo_dyn = rt_mp_create("tmmoc", 4, MO_BS);
    TC_REQUIRE(mo_dyn != RT_NULL);
    b = rt_mp_alloc(mo_dyn, 0);
    TC_REQUIRE(b != RT_NULL);

    uassert_int_equal(rt_mp_detach(mo_dyn), -RT_EINVAL);

    uassert_true(tc_found("tmmoc", mo_dyn));
    uassert_int_equal(mo_dyn->block_free_count, 3);
    rt_mp_free(b);
    uassert_int_equal(mo_dyn->block_free_count, 4);
    uassert_ptr_equal(rt_mp_alloc(mo_dyn, 0), b);
    rt_mp_free(b);
    uassert_int_equal(rt_mp_delete(mo_dyn), RT_EOK);
    mo_dyn = RT_NULL;
    uassert_null(rt_object_find("tmmoc", RT_Object_Class_MemPool));
}

static void test_delete_of_static_pool(void)
{
    void *start = tc_aligned(mo_buf.b);
    void *b;

    mo_reset();
    TC_REQUIRE(rt_mp_init(&mo_mp, "tmmo", start, TC_POOL_BYTES(8, MO_BS), MO_BS) == RT_EOK);
    mo_live = 1;
    b = rt_mp_alloc(&mo_mp, 0);
    TC_REQUIRE(b != RT_NULL);

    uassert_int_equal(rt_mp_delete(&mo_mp), -RT_EINVAL);

    uassert_true(tc_found("tmmo", &mo_mp));
    uassert_int_equal(mo_mp.block_free_count, 7);
    uassert_ptr_equal(mo_mp.start_address, start);
    rt_mp_free(b);
    uassert_int_equal(mo_mp.block_free_count, 8);
    uassert_ptr_equal(rt_mp_alloc(&mo_mp, 0), b);
    rt_mp_free(b);
    uassert_int_equal(rt_mp_detach(&mo_mp), RT_EOK);
    mo_live = 0;
}

static rt_err_t utest_tc_init(void)
{
    mo_live = 0;
    mo_dyn = RT_NULL;
    mo_sem_live = 0;
    return tc_pin_self();
}

static rt_err_t utest_tc_cleanup(void)
{
    mo_reset();
    return tc_unpin_self();
}

static void testcase(void)
{
    TC_UNIT_RUN(test_null_pool);
    TC_UNIT_RUN(test_detached_pool);
    TC_UNIT_RUN(test_semaphore_as_pool);
    TC_UNIT_RUN(test_zeroed_and_garbage_struct);
    TC_UNIT_RUN(test_detach_of_created_pool);
    TC_UNIT_RUN(test_delete_of_static_pool);
    TC_UNITS_DONE();
}
UTEST_TC_EXPORT(testcase, "components.mempool.misuse_object", utest_tc_init, utest_tc_cleanup, TC_TIMEOUT);

#endif /* RTT_MEMPOOL_HARDENED */
