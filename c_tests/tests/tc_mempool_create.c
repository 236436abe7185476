/*
 * components.mempool.create: rt_mp_create/rt_mp_delete through the heap.
 *
 * A created pool has exactly the requested block count, the aligned block
 * size, a heap region of count * (aligned size + pointer) bytes; it is a
 * non-system kernel object of class MemPool found by name; all its blocks are
 * usable, at their slots, in ascending order; after rt_mp_delete it is gone.
 * Two created pools use disjoint memory; create/delete can be repeated.
 */
#include <rtthread.h>
#include "utest.h"
#include "tc_mempool_common.h"

#define CR_MAX 128

static rt_mp_t cr_mp;
static rt_mp_t cr_mp2;
static void *cr_blocks[CR_MAX];

static void cr_reset(void)
{
    if (cr_mp != RT_NULL)
        rt_mp_delete(cr_mp);
    if (cr_mp2 != RT_NULL)
        rt_mp_delete(cr_mp2);
    cr_mp = RT_NULL;
    cr_mp2 = RT_NULL;
}

static void test_create_use_delete(void)
{
    static const struct { rt_size_t count, bs; } cases[] = {
        {1, 1}, {10, 13}, {48, 80}, {5, 256}, {100, 7}, {3, 8}, {7, 100},
    };
    rt_size_t i, k;

    cr_reset();
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    {
        rt_size_t count = cases[i].count;
        rt_size_t bs = cases[i].bs;
        rt_uint8_t *start;
        int ok = 1;

        cr_mp = rt_mp_create("tmcr", count, bs);
        TC_REQUIRE(cr_mp != RT_NULL);

        uassert_int_equal(cr_mp->block_total_count, count);
        uassert_int_equal(cr_mp->block_free_count, count);
        uassert_int_equal(cr_mp->block_size, RT_ALIGN(bs, RT_ALIGN_SIZE));
        uassert_int_equal(cr_mp->size, count * TC_SLOT(bs));
        start = (rt_uint8_t *)cr_mp->start_address;
        TC_REQUIRE(start != RT_NULL);
        uassert_int_equal((rt_ubase_t)start % sizeof(void *), 0);
        uassert_int_equal(rt_object_get_type(&cr_mp->parent), RT_Object_Class_MemPool);
        uassert_false(rt_object_is_systemobject(&cr_mp->parent));
        uassert_int_equal(rt_strcmp(cr_mp->parent.name, "tmcr"), 0);
        uassert_true(tc_found("tmcr", cr_mp));
        uassert_int_equal(tc_waiters(cr_mp), 0);

        TC_REQUIRE(count <= CR_MAX);
        for (k = 0; k < count; k++)
        {
            cr_blocks[k] = rt_mp_alloc(cr_mp, 0);
            if (cr_blocks[k] != tc_block_addr(start, bs, k))
                ok = 0;
            TC_REQUIRE(cr_blocks[k] != RT_NULL);
            tc_fill(cr_blocks[k], cr_mp->block_size, k);
        }
        uassert_true(ok);
        rt_set_errno(RT_EOK);
        uassert_null(rt_mp_alloc(cr_mp, 0));
        uassert_int_equal(rt_get_errno(), -RT_ETIMEOUT);
        for (k = 0; k < count; k++)
            if (!tc_check(cr_blocks[k], cr_mp->block_size, k))
                ok = 0;
        uassert_true(ok);
        for (k = 0; k < count; k++)
            rt_mp_free(cr_blocks[k]);
        uassert_int_equal(cr_mp->block_free_count, count);

        uassert_int_equal(rt_mp_delete(cr_mp), RT_EOK);
        cr_mp = RT_NULL;
        uassert_null(rt_object_find("tmcr", RT_Object_Class_MemPool));
    }
}

/* Delete with blocks still allocated is allowed. */
static void test_delete_with_blocks_out(void)
{
    cr_reset();
    cr_mp = rt_mp_create("tmcro", 4, 64);
    TC_REQUIRE(cr_mp != RT_NULL);
    uassert_not_null(rt_mp_alloc(cr_mp, 0));
    uassert_not_null(rt_mp_alloc(cr_mp, 0));
    uassert_int_equal(cr_mp->block_free_count, 2);
    uassert_int_equal(rt_mp_delete(cr_mp), RT_EOK);
    cr_mp = RT_NULL;
    uassert_null(rt_object_find("tmcro", RT_Object_Class_MemPool));
}

static void test_two_pools_disjoint(void)
{
    rt_uint8_t *s1, *s2;

    cr_reset();
    cr_mp = rt_mp_create("tmc1", 8, 40);
    cr_mp2 = rt_mp_create("tmc2", 8, 40);
    TC_REQUIRE(cr_mp != RT_NULL && cr_mp2 != RT_NULL);
    uassert_ptr_not_equal(cr_mp, cr_mp2);
    s1 = (rt_uint8_t *)cr_mp->start_address;
    s2 = (rt_uint8_t *)cr_mp2->start_address;
    uassert_true(s1 + cr_mp->size <= s2 || s2 + cr_mp2->size <= s1);
    /* the pool objects are not inside the regions either */
    uassert_true((rt_uint8_t *)cr_mp + sizeof(*cr_mp) <= s1 || (rt_uint8_t *)cr_mp >= s1 + cr_mp->size);
    uassert_true(tc_found("tmc1", cr_mp));
    uassert_true(tc_found("tmc2", cr_mp2));

    uassert_int_equal(rt_mp_delete(cr_mp2), RT_EOK);
    cr_mp2 = RT_NULL;
    uassert_null(rt_object_find("tmc2", RT_Object_Class_MemPool));
    uassert_true(tc_found("tmc1", cr_mp));
    uassert_int_equal(rt_mp_delete(cr_mp), RT_EOK);
    cr_mp = RT_NULL;
    uassert_null(rt_object_find("tmc1", RT_Object_Class_MemPool));
}

/*
 * The largest request up to want that rt_malloc grants now (bisection; every piece is freed
 * again at once): the heap's largest free piece, less its header, or want itself.
 */
static rt_size_t cr_largest_piece(rt_size_t want)
{
    rt_size_t lo = 0, hi = want;
    void *p = rt_malloc(want);

    if (p != RT_NULL)
    {
        rt_free(p);
        return want;
    }
    while (hi - lo > 16)
    {
        rt_size_t mid = lo + (hi - lo) / 2;

        p = rt_malloc(mid);
        if (p != RT_NULL)
        {
            rt_free(p);
            lo = mid;
        }
        else
            hi = mid;
    }
    return lo;
}

#define CR_REP_BS     1000
#define CR_REP_BLOCKS 32

/*
 * Repeated create/delete of a large pool: nothing accumulates.
 *
 * The pool is CR_REP_BLOCKS blocks of CR_REP_BS bytes (32 KB in one piece from the heap)
 * where the heap has such a piece. A board with less RAM (lm3s8962: 64 KB in all, less than
 * 32 KB left in one piece beside the shell's, utest's and the test threads' stacks, with
 * either pool) gets as many blocks as its largest free piece holds, less one slot left for
 * the pool object and the heap's headers, and at least 2. The behaviour asserted is the
 * same: every one of the 200 rounds creates the pool with that count, takes a block (one
 * fewer free), gives it back and deletes it, and the heap still has the piece at the end.
 */
static void test_create_delete_repeated(void)
{
    rt_size_t blocks = CR_REP_BLOCKS;
    rt_size_t piece = cr_largest_piece(CR_REP_BLOCKS * TC_SLOT(CR_REP_BS) + TC_SLOT(CR_REP_BS));
    int i;
    int ok = 1;

    cr_reset();
    if (piece / TC_SLOT(CR_REP_BS) < CR_REP_BLOCKS + 1)
    {
        blocks = piece / TC_SLOT(CR_REP_BS) > 1 ? piece / TC_SLOT(CR_REP_BS) - 1 : 0;
        rt_kprintf("[mempool create] the heap's largest free piece is %d bytes: the repeated "
                   "pool has %d blocks of %d bytes, not %d\n",
                   (int)piece, (int)blocks, CR_REP_BS, CR_REP_BLOCKS);
    }
    TC_REQUIRE(blocks >= 2);
    for (i = 0; i < 200 && ok; i++)
    {
        void *b;

        cr_mp = rt_mp_create("tmrep", blocks, CR_REP_BS);
        if (cr_mp == RT_NULL)
        {
            ok = 0;
            break;
        }
        b = rt_mp_alloc(cr_mp, 0);
        if (b == RT_NULL || cr_mp->block_free_count != blocks - 1)
            ok = 0;
        rt_mp_free(b);
        if (rt_mp_delete(cr_mp) != RT_EOK)
            ok = 0;
        cr_mp = RT_NULL;
    }
    uassert_true(ok);
    uassert_int_equal(i, 200);
    /* nothing accumulated: the piece the pools came from is still there */
    uassert_true(cr_largest_piece(piece) == piece);
}

static rt_err_t utest_tc_init(void)
{
    cr_mp = RT_NULL;
    cr_mp2 = RT_NULL;
    return tc_pin_self();
}

static rt_err_t utest_tc_cleanup(void)
{
    cr_reset();
    return tc_unpin_self();
}

static void testcase(void)
{
    TC_UNIT_RUN(test_create_use_delete);
    TC_UNIT_RUN(test_delete_with_blocks_out);
    TC_UNIT_RUN(test_two_pools_disjoint);
    TC_UNIT_RUN(test_create_delete_repeated);
    TC_UNITS_DONE();
}
UTEST_TC_EXPORT(testcase, "components.mempool.create", utest_tc_init, utest_tc_cleanup, TC_TIMEOUT);
