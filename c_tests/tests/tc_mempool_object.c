/*
 * components.mempool.object: pools in RT-Thread's object system.
 *
 * Static and created pools are registered in the MemPool class: found by
 * rt_object_find under their names, present exactly once in the class's
 * object list (what "list mempool" walks), with the right class, name and
 * system-object flag; detached or deleted pools leave the list and cannot be
 * found; a same-named object of another class is not mistaken for a pool.
 */
#include <rtthread.h>
#include "utest.h"
#include "tc_mempool_common.h"

TC_BUFFER(ob_buf1, 512);
TC_BUFFER(ob_buf2, 512);
static struct rt_mempool ob_mp1;
static struct rt_mempool ob_mp2;
static int ob_live1;
static int ob_live2;
static rt_mp_t ob_dyn;
#ifdef RT_USING_SEMAPHORE
static struct rt_semaphore ob_sem;
static int ob_sem_live;
#endif

static void ob_reset(void)
{
    tc_mp_drop(&ob_mp1, &ob_live1);
    tc_mp_drop(&ob_mp2, &ob_live2);
    if (ob_dyn != RT_NULL)
        rt_mp_delete(ob_dyn);
    ob_dyn = RT_NULL;
#ifdef RT_USING_SEMAPHORE
    if (ob_sem_live)
        rt_sem_detach(&ob_sem);
    ob_sem_live = 0;
#endif
}

static void test_information(void)
{
    struct rt_object_information *info = rt_object_get_information(RT_Object_Class_MemPool);

    TC_REQUIRE(info != RT_NULL);
    uassert_int_equal(info->type, RT_Object_Class_MemPool);
}

static void test_find_and_list(void)
{
    int before = 0, during = 0, after = 0;
    struct rt_mempool *found;

    ob_reset();
    tc_object_list_count(RT_NULL, &before);

    TC_REQUIRE(rt_mp_init(&ob_mp1, "tmob1", tc_aligned(ob_buf1.b), 512, 16) == RT_EOK);
    ob_live1 = 1;
    TC_REQUIRE(rt_mp_init(&ob_mp2, "tmob2", tc_aligned(ob_buf2.b), 512, 64) == RT_EOK);
    ob_live2 = 1;
    ob_dyn = rt_mp_create("tmob3", 4, 32);
    TC_REQUIRE(ob_dyn != RT_NULL);

    uassert_true(tc_found("tmob1", &ob_mp1));
    uassert_true(tc_found("tmob2", &ob_mp2));
    uassert_true(tc_found("tmob3", ob_dyn));
    uassert_int_equal(tc_object_list_count(&ob_mp1, &during), 1);
    uassert_int_equal(tc_object_list_count(&ob_mp2, RT_NULL), 1);
    uassert_int_equal(tc_object_list_count(ob_dyn, RT_NULL), 1);
    uassert_int_equal(during, before + 3);

    uassert_int_equal(rt_object_get_type(&ob_mp1.parent), RT_Object_Class_MemPool);
    uassert_int_equal(rt_object_get_type(&ob_dyn->parent), RT_Object_Class_MemPool);
    uassert_true(rt_object_is_systemobject(&ob_mp2.parent));
    uassert_false(rt_object_is_systemobject(&ob_dyn->parent));
    uassert_int_equal(rt_strcmp(ob_mp2.parent.name, "tmob2"), 0);
    uassert_int_equal(rt_strcmp(ob_dyn->parent.name, "tmob3"), 0);

    /* the object found is the pool, with its data */
    found = (struct rt_mempool *)rt_object_find("tmob2", RT_Object_Class_MemPool);
    TC_REQUIRE(found != RT_NULL);
    uassert_int_equal(found->block_total_count, tc_expected_count(512, 64));

    uassert_int_equal(rt_mp_detach(&ob_mp1), RT_EOK);
    ob_live1 = 0;
    uassert_null(rt_object_find("tmob1", RT_Object_Class_MemPool));
    uassert_int_equal(tc_object_list_count(&ob_mp1, RT_NULL), 0);
    uassert_true(tc_found("tmob2", &ob_mp2));
    uassert_true(tc_found("tmob3", ob_dyn));

    uassert_int_equal(rt_mp_delete(ob_dyn), RT_EOK);
    ob_dyn = RT_NULL;
    uassert_null(rt_object_find("tmob3", RT_Object_Class_MemPool));

    uassert_int_equal(rt_mp_detach(&ob_mp2), RT_EOK);
    ob_live2 = 0;
    uassert_null(rt_object_find("tmob2", RT_Object_Class_MemPool));
    uassert_int_equal(tc_object_list_count(&ob_mp2, &after), 0);
    uassert_int_equal(after, before);
}

#ifdef RT_USING_SEMAPHORE
static void test_other_class_not_found(void)
{
    ob_reset();
    TC_REQUIRE(rt_sem_init(&ob_sem, "tmobs", 0, RT_IPC_FLAG_FIFO) == RT_EOK);
    ob_sem_live = 1;
    uassert_null(rt_object_find("tmobs", RT_Object_Class_MemPool));
    uassert_int_equal(tc_object_list_count(&ob_sem, RT_NULL), 0);

    /* a pool of the same name is found as a pool, the semaphore as one */
    TC_REQUIRE(rt_mp_init(&ob_mp1, "tmobs", tc_aligned(ob_buf1.b), 512, 16) == RT_EOK);
    ob_live1 = 1;
    uassert_true(tc_found("tmobs", &ob_mp1));
    uassert_ptr_equal(rt_object_find("tmobs", RT_Object_Class_Semaphore), &ob_sem);

    ob_reset();
}
#endif

static rt_err_t utest_tc_init(void)
{
    ob_live1 = 0;
    ob_live2 = 0;
    ob_dyn = RT_NULL;
#ifdef RT_USING_SEMAPHORE
    ob_sem_live = 0;
#endif
    return tc_pin_self();
}

static rt_err_t utest_tc_cleanup(void)
{
    ob_reset();
    return tc_unpin_self();
}

static void testcase(void)
{
    TC_UNIT_RUN(test_information);
    TC_UNIT_RUN(test_find_and_list);
#ifdef RT_USING_SEMAPHORE
    TC_UNIT_RUN(test_other_class_not_found);
#endif
    TC_UNITS_DONE();
}
UTEST_TC_EXPORT(testcase, "components.mempool.object", utest_tc_init, utest_tc_cleanup, TC_TIMEOUT);
