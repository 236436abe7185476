/*
 * components.mempool.order: which block rt_mp_alloc hands out, and where.
 *
 * A fresh pool hands out its blocks in ascending address order, block k at
 * start + k * (aligned block size + pointer) + pointer, each with the owning
 * pool in the pointer-sized header in front of it; freed blocks come back last
 * freed first, then the never-used blocks follow in ascending order; writing
 * every byte of every block corrupts no other block, no header, nothing around
 * the region and not the pool's own fields.
 */
#include <rtthread.h>
#include "utest.h"
#include "tc_mempool_common.h"

#define ORDER_GUARD     64
#define ORDER_SIZE      1001
#define ORDER_MAX       128
#define ORDER_GUARD_VAL 0xEE

TC_BUFFER(order_buf, ORDER_GUARD + ORDER_SIZE + ORDER_GUARD);
static struct rt_mempool order_mp;
static int order_live;
static void *order_blocks[ORDER_MAX];

static const rt_size_t order_block_sizes[] = {1, 7, 8, 13, 80, 100, 256};

static rt_uint8_t *order_start(void)
{
    return (rt_uint8_t *)tc_aligned(order_buf.b) + ORDER_GUARD;
}

static void *order_header(void *block)
{
    return *(void **)((rt_uint8_t *)block - sizeof(rt_uint8_t *));
}

static void test_ascending_from_fresh_pool(void)
{
    rt_uint8_t *start = order_start();
    rt_size_t n = tc_expected_count(ORDER_SIZE, 13);
    rt_size_t k;
    int at_slot = 1, header_is_pool = 1;

    tc_mp_drop(&order_mp, &order_live);
    TC_REQUIRE(n >= 8 && n <= ORDER_MAX);
    TC_REQUIRE(rt_mp_init(&order_mp, "tmord", start, ORDER_SIZE, 13) == RT_EOK);
    order_live = 1;

    for (k = 0; k < n; k++)
    {
        order_blocks[k] = rt_mp_alloc(&order_mp, 0);
        TC_REQUIRE(order_blocks[k] != RT_NULL);
        if (order_blocks[k] != tc_block_addr(start, 13, k))
            at_slot = 0;
        if (order_header(order_blocks[k]) != (void *)&order_mp)
            header_is_pool = 0;
    }
    uassert_true(at_slot);
    uassert_true(header_is_pool);
    uassert_ptr_equal(order_blocks[0], start + sizeof(rt_uint8_t *));
    uassert_null(rt_mp_alloc(&order_mp, 0));

    for (k = 0; k < n; k++)
        rt_mp_free(order_blocks[k]);
    uassert_int_equal(order_mp.block_free_count, n);
    uassert_int_equal(rt_mp_detach(&order_mp), RT_EOK);
    order_live = 0;
}

/* Free b1 then b3 after five allocs: b3, b1 come back, then b5, b6. */
static void test_lifo_then_unused(void)
{
    rt_uint8_t *start = order_start();
    rt_size_t n = tc_expected_count(ORDER_SIZE, 80);
    rt_size_t k;
    void *b;

    tc_mp_drop(&order_mp, &order_live);
    TC_REQUIRE(n >= 8);
    TC_REQUIRE(rt_mp_init(&order_mp, "tmlifo", start, ORDER_SIZE, 80) == RT_EOK);
    order_live = 1;

    for (k = 0; k < 5; k++)
    {
        order_blocks[k] = rt_mp_alloc(&order_mp, 0);
        TC_REQUIRE(order_blocks[k] == tc_block_addr(start, 80, k));
    }
    rt_mp_free(order_blocks[1]);
    rt_mp_free(order_blocks[3]);
    uassert_int_equal(order_mp.block_free_count, n - 3);

    b = rt_mp_alloc(&order_mp, 0);
    uassert_ptr_equal(b, tc_block_addr(start, 80, 3));
    b = rt_mp_alloc(&order_mp, 0);
    uassert_ptr_equal(b, tc_block_addr(start, 80, 1));
    b = rt_mp_alloc(&order_mp, 0);
    uassert_ptr_equal(b, tc_block_addr(start, 80, 5));
    b = rt_mp_alloc(&order_mp, 0);
    uassert_ptr_equal(b, tc_block_addr(start, 80, 6));
    uassert_int_equal(order_mp.block_free_count, n - 7);

    uassert_int_equal(rt_mp_detach(&order_mp), RT_EOK);
    order_live = 0;
}

/* Exhaust, free three in a scrambled order, get them back reversed, then
 * the pool is empty again. */
static void test_lifo_on_full_pool(void)
{
    rt_uint8_t *start = order_start();
    rt_size_t n = tc_expected_count(ORDER_SIZE, 100);
    rt_size_t k;

    tc_mp_drop(&order_mp, &order_live);
    TC_REQUIRE(n >= 6 && n <= ORDER_MAX);
    TC_REQUIRE(rt_mp_init(&order_mp, "tmfull", start, ORDER_SIZE, 100) == RT_EOK);
    order_live = 1;

    for (k = 0; k < n; k++)
    {
        order_blocks[k] = rt_mp_alloc(&order_mp, 0);
        TC_REQUIRE(order_blocks[k] != RT_NULL);
    }
    rt_mp_free(order_blocks[2]);
    rt_mp_free(order_blocks[5]);
    rt_mp_free(order_blocks[0]);
    uassert_int_equal(order_mp.block_free_count, 3);

    uassert_ptr_equal(rt_mp_alloc(&order_mp, 0), order_blocks[0]);
    uassert_ptr_equal(rt_mp_alloc(&order_mp, 0), order_blocks[5]);
    uassert_ptr_equal(rt_mp_alloc(&order_mp, 0), order_blocks[2]);
    uassert_null(rt_mp_alloc(&order_mp, 0));
    uassert_int_equal(order_mp.block_free_count, 0);

    /* freeing all in reverse order makes the fresh ascending order again */
    for (k = n; k > 0; k--)
        rt_mp_free(order_blocks[k - 1]);
    for (k = 0; k < n; k++)
    {
        if (rt_mp_alloc(&order_mp, 0) != tc_block_addr(start, 100, k))
            break;
    }
    uassert_int_equal(k, n);

    uassert_int_equal(rt_mp_detach(&order_mp), RT_EOK);
    order_live = 0;
}

static int order_guards_intact(rt_uint8_t *start, rt_size_t used)
{
    rt_uint8_t *p;

    for (p = start - ORDER_GUARD; p < start; p++)
        if (*p != ORDER_GUARD_VAL)
            return 0;
    for (p = start + used; p < start + ORDER_SIZE + ORDER_GUARD; p++)
        if (*p != ORDER_GUARD_VAL)
            return 0;
    return 1;
}

/* Fill every block with its own pattern over the whole block size, for each
 * block size; then every pattern, every header, the bytes around the region
 * and the pool's fields are intact. */
static void test_fill_every_block(void)
{
    rt_uint8_t *start = order_start();
    rt_size_t i, k;

    tc_mp_drop(&order_mp, &order_live);

    for (i = 0; i < sizeof(order_block_sizes) / sizeof(order_block_sizes[0]); i++)
    {
        rt_size_t bs = order_block_sizes[i];
        rt_size_t n = tc_expected_count(ORDER_SIZE, bs);
        rt_size_t used = n * TC_SLOT(bs);
        int inside = 1, patterns = 1, headers = 1;

        TC_REQUIRE(n >= 1 && n <= ORDER_MAX);
        rt_memset(order_buf.b, ORDER_GUARD_VAL, sizeof(order_buf.b));
        TC_REQUIRE(rt_mp_init(&order_mp, "tmfill", start, ORDER_SIZE, bs) == RT_EOK);
        order_live = 1;
        uassert_true(order_guards_intact(start, used));

        for (k = 0; k < n; k++)
        {
            order_blocks[k] = rt_mp_alloc(&order_mp, 0);
            TC_REQUIRE(order_blocks[k] != RT_NULL);
            if (!tc_block_on_slot(&order_mp, order_blocks[k]))
                inside = 0;
            tc_fill(order_blocks[k], order_mp.block_size, k);
        }
        uassert_true(inside);
        for (k = 0; k < n; k++)
        {
            if (!tc_check(order_blocks[k], order_mp.block_size, k))
                patterns = 0;
            if (order_header(order_blocks[k]) != (void *)&order_mp)
                headers = 0;
        }
        uassert_true(patterns);
        uassert_true(headers);
        uassert_true(order_guards_intact(start, used));
        uassert_int_equal(order_mp.block_total_count, n);
        uassert_int_equal(order_mp.block_free_count, 0);
        uassert_int_equal(order_mp.block_size, RT_ALIGN(bs, RT_ALIGN_SIZE));
        uassert_int_equal(order_mp.size, RT_ALIGN_DOWN(ORDER_SIZE, RT_ALIGN_SIZE));
        uassert_ptr_equal(order_mp.start_address, start);

        /* free every other block, the patterns of the rest survive the frees */
        for (k = 0; k < n; k += 2)
            rt_mp_free(order_blocks[k]);
        patterns = 1;
        for (k = 1; k < n; k += 2)
            if (!tc_check(order_blocks[k], order_mp.block_size, k))
                patterns = 0;
        uassert_true(patterns);
        for (k = 1; k < n; k += 2)
            rt_mp_free(order_blocks[k]);
        uassert_int_equal(order_mp.block_free_count, n);

        uassert_int_equal(rt_mp_detach(&order_mp), RT_EOK);
        order_live = 0;
        uassert_true(order_guards_intact(start, used));
    }
}

static rt_err_t utest_tc_init(void)
{
    order_live = 0;
    return tc_pin_self();
}

static rt_err_t utest_tc_cleanup(void)
{
    tc_mp_drop(&order_mp, &order_live);
    return tc_unpin_self();
}

static void testcase(void)
{
    TC_UNIT_RUN(test_ascending_from_fresh_pool);
    TC_UNIT_RUN(test_lifo_then_unused);
    TC_UNIT_RUN(test_lifo_on_full_pool);
    TC_UNIT_RUN(test_fill_every_block);
    TC_UNITS_DONE();
}
UTEST_TC_EXPORT(testcase, "components.mempool.order", utest_tc_init, utest_tc_cleanup, TC_TIMEOUT);
