/*
 * components.mempool.init: rt_mp_init/rt_mp_detach on static regions.
 *
 * Block counts, aligned block size, aligned-down region size and start address
 * for many block and region sizes; the pool is a static kernel object of class
 * MemPool; every counted block can really be allocated; pools side by side do
 * not disturb each other; a region can be reused after detach.
 */
#include <rtthread.h>
#include "utest.h"
#include "tc_mempool_common.h"

#define INIT_BUF_SIZE 4200

TC_BUFFER(init_buf, INIT_BUF_SIZE);
static struct rt_mempool init_mp;
static struct rt_mempool init_mp2;
static int init_mp_live;
static int init_mp2_live;

/* a unit that failed half-way may have left a pool registered */
#define INIT_RESET()                                                           \
    do {                                                                       \
        tc_mp_drop(&init_mp, &init_mp_live);                                   \
        tc_mp_drop(&init_mp2, &init_mp2_live);                                 \
    } while (0)

static const rt_size_t init_block_sizes[] = {1, 7, 8, 13, 80, 100, 256};
static const rt_size_t init_region_sizes[] = {64, 100, 333, 1000, 1001, 4096, 4099};

/* Allocate every block of a fresh pool; they must come out in ascending
 * address order, one slot apart, and the next no-wait alloc must fail. */
static int init_drain_and_refill(struct rt_mempool *mp, rt_size_t count)
{
    rt_size_t k;
    int ok = 1;
    void *prev = RT_NULL;
    void *b;
    rt_uint8_t *start = (rt_uint8_t *)mp->start_address;

    for (k = 0; k < count; k++)
    {
        b = rt_mp_alloc(mp, 0);
        if (b != (void *)(start + k * (mp->block_size + sizeof(rt_uint8_t *)) + sizeof(rt_uint8_t *)))
            ok = 0;
        if (b == RT_NULL)
            return 0;
        if (prev != RT_NULL && (rt_uint8_t *)b <= (rt_uint8_t *)prev)
            ok = 0;
        prev = b;
    }
    if (mp->block_free_count != 0)
        ok = 0;
    if (rt_mp_alloc(mp, 0) != RT_NULL)
        ok = 0;
    /* give them all back */
    for (k = 0; k < count; k++)
        rt_mp_free(start + k * (mp->block_size + sizeof(rt_uint8_t *)) + sizeof(rt_uint8_t *));
    if (mp->block_free_count != count)
        ok = 0;
    return ok;
}

static void test_counts_for_many_sizes(void)
{
    rt_size_t i, j;
    void *start = tc_aligned(init_buf.b);

    INIT_RESET();

    for (i = 0; i < sizeof(init_region_sizes) / sizeof(init_region_sizes[0]); i++)
    {
        for (j = 0; j < sizeof(init_block_sizes) / sizeof(init_block_sizes[0]); j++)
        {
            rt_size_t size = init_region_sizes[i];
            rt_size_t bs = init_block_sizes[j];
            rt_size_t expect = tc_expected_count(size, bs);
            rt_err_t err;

            if (expect == 0)
                continue; /* a region too small for one block is misuse */

            err = rt_mp_init(&init_mp, "tminit", start, size, bs);
            TC_REQUIRE(err == RT_EOK);
            init_mp_live = 1;

            uassert_int_equal(init_mp.block_total_count, expect);
            uassert_int_equal(init_mp.block_free_count, expect);
            uassert_int_equal(init_mp.block_size, RT_ALIGN(bs, RT_ALIGN_SIZE));
            uassert_int_equal(init_mp.size, RT_ALIGN_DOWN(size, RT_ALIGN_SIZE));
            uassert_ptr_equal(init_mp.start_address, start);
            uassert_int_equal(tc_waiters(&init_mp), 0);
            uassert_true(init_drain_and_refill(&init_mp, expect));

            err = rt_mp_detach(&init_mp);
            init_mp_live = 0;
            uassert_int_equal(err, RT_EOK);
        }
    }
}

/* Counts computed by hand, so that a formula shared by test and library
 * cannot hide an error. */
static void test_counts_known_values(void)
{
    struct { rt_size_t size, bs, count; } cases[] = {
#if RT_ALIGN_SIZE == 4
        {4096, 80, 4096 / (80 + sizeof(void *))},
        {100, 7, 100 / (8 + sizeof(void *))},
        {1001, 13, 1000 / (16 + sizeof(void *))},
        {64, 1, 64 / (4 + sizeof(void *))},
        {333, 256, 332 / (256 + sizeof(void *))},
#elif RT_ALIGN_SIZE == 8
        {4096, 80, 4096 / (80 + sizeof(void *))},
        {100, 7, 96 / (8 + sizeof(void *))},
        {1001, 13, 1000 / (16 + sizeof(void *))},
        {64, 1, 64 / (8 + sizeof(void *))},
        {333, 256, 328 / (256 + sizeof(void *))},
#else
        {4096, 80, 4096 / (RT_ALIGN(80, RT_ALIGN_SIZE) + sizeof(void *))},
#endif
    };
    rt_size_t i;
    void *start = tc_aligned(init_buf.b);

    INIT_RESET();

    if (sizeof(void *) == 4)
    {
        /* the figure of RT-Thread's memp_sample on a 32-bit target */
        uassert_int_equal(tc_expected_count(4096, 80), 48);
    }

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    {
        TC_REQUIRE(rt_mp_init(&init_mp, "tmknown", start, cases[i].size, cases[i].bs) == RT_EOK);
        init_mp_live = 1;
        uassert_int_equal(init_mp.block_total_count, cases[i].count);
        uassert_int_equal(init_mp.block_free_count, cases[i].count);
        uassert_int_equal(rt_mp_detach(&init_mp), RT_EOK);
        init_mp_live = 0;
    }
}

static void test_object_identity(void)
{
    void *start = tc_aligned(init_buf.b);

    INIT_RESET();

    TC_REQUIRE(rt_mp_init(&init_mp, "tmobj", start, 512, 32) == RT_EOK);
    init_mp_live = 1;

    uassert_int_equal(rt_object_get_type(&init_mp.parent), RT_Object_Class_MemPool);
    uassert_true(rt_object_is_systemobject(&init_mp.parent));
    uassert_int_equal(rt_strcmp(init_mp.parent.name, "tmobj"), 0);
    uassert_true(tc_found("tmobj", &init_mp));

    uassert_int_equal(rt_mp_detach(&init_mp), RT_EOK);
    init_mp_live = 0;
    uassert_null(rt_object_find("tmobj", RT_Object_Class_MemPool));
}

/* The same region serves a new pool with another block size after detach. */
static void test_reinit_after_detach(void)
{
    void *start = tc_aligned(init_buf.b);
    void *b;

    INIT_RESET();

    TC_REQUIRE(rt_mp_init(&init_mp, "tmre", start, 1000, 100) == RT_EOK);
    init_mp_live = 1;
    b = rt_mp_alloc(&init_mp, 0);
    uassert_ptr_equal(b, tc_block_addr(start, 100, 0));
    rt_mp_free(b);
    uassert_int_equal(rt_mp_detach(&init_mp), RT_EOK);
    init_mp_live = 0;

    TC_REQUIRE(rt_mp_init(&init_mp, "tmre", start, 1000, 8) == RT_EOK);
    init_mp_live = 1;
    uassert_int_equal(init_mp.block_total_count, tc_expected_count(1000, 8));
    uassert_int_equal(init_mp.block_free_count, tc_expected_count(1000, 8));
    uassert_true(init_drain_and_refill(&init_mp, tc_expected_count(1000, 8)));
    uassert_true(tc_found("tmre", &init_mp));
    uassert_int_equal(rt_mp_detach(&init_mp), RT_EOK);
    init_mp_live = 0;
}

/* Two pools on the two halves of one buffer: each hands out only its own
 * blocks and filling every block of both corrupts neither. */
static void test_adjacent_pools(void)
{
    rt_uint8_t *start = (rt_uint8_t *)tc_aligned(init_buf.b);
    rt_uint8_t *start2 = start + 2048;
    void *blocks1[128];
    void *blocks2[128];
    rt_size_t n1 = tc_expected_count(2048, 60);
    rt_size_t n2 = tc_expected_count(2048, 24);
    rt_size_t k;
    int ok = 1;

    INIT_RESET();

    TC_REQUIRE(n1 <= 128 && n2 <= 128);
    TC_REQUIRE(rt_mp_init(&init_mp, "tmadj1", start, 2048, 60) == RT_EOK);
    init_mp_live = 1;
    TC_REQUIRE(rt_mp_init(&init_mp2, "tmadj2", start2, 2048, 24) == RT_EOK);
    init_mp2_live = 1;

    for (k = 0; k < n1; k++)
    {
        blocks1[k] = rt_mp_alloc(&init_mp, 0);
        TC_REQUIRE(blocks1[k] != RT_NULL);
        tc_fill(blocks1[k], init_mp.block_size, k);
    }
    for (k = 0; k < n2; k++)
    {
        blocks2[k] = rt_mp_alloc(&init_mp2, 0);
        TC_REQUIRE(blocks2[k] != RT_NULL);
        tc_fill(blocks2[k], init_mp2.block_size, 100 + k);
    }
    uassert_null(rt_mp_alloc(&init_mp, 0));
    uassert_null(rt_mp_alloc(&init_mp2, 0));

    for (k = 0; k < n1; k++)
    {
        if (!tc_check(blocks1[k], init_mp.block_size, k) || !tc_block_on_slot(&init_mp, blocks1[k]))
            ok = 0;
    }
    for (k = 0; k < n2; k++)
    {
        if (!tc_check(blocks2[k], init_mp2.block_size, 100 + k) || !tc_block_on_slot(&init_mp2, blocks2[k]))
            ok = 0;
    }
    uassert_true(ok);

    /* freeing into one pool leaves the other untouched */
    for (k = 0; k < n1; k++)
        rt_mp_free(blocks1[k]);
    uassert_int_equal(init_mp.block_free_count, n1);
    uassert_int_equal(init_mp2.block_free_count, 0);
    for (k = 0; k < n2; k++)
        rt_mp_free(blocks2[k]);
    uassert_int_equal(init_mp2.block_free_count, n2);

    uassert_int_equal(rt_mp_detach(&init_mp2), RT_EOK);
    init_mp2_live = 0;
    uassert_int_equal(rt_mp_detach(&init_mp), RT_EOK);
    init_mp_live = 0;
}

static rt_err_t utest_tc_init(void)
{
    init_mp_live = 0;
    init_mp2_live = 0;
    return tc_pin_self();
}

static rt_err_t utest_tc_cleanup(void)
{
    if (init_mp_live)
        rt_mp_detach(&init_mp);
    if (init_mp2_live)
        rt_mp_detach(&init_mp2);
    init_mp_live = 0;
    init_mp2_live = 0;
    return tc_unpin_self();
}

static void testcase(void)
{
    TC_UNIT_RUN(test_counts_for_many_sizes);
    TC_UNIT_RUN(test_counts_known_values);
    TC_UNIT_RUN(test_object_identity);
    TC_UNIT_RUN(test_reinit_after_detach);
    TC_UNIT_RUN(test_adjacent_pools);
    TC_UNITS_DONE();
}
UTEST_TC_EXPORT(testcase, "components.mempool.init", utest_tc_init, utest_tc_cleanup, TC_TIMEOUT);
