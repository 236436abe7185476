/*
 * components.mempool.misuse_init: rt_mp_init refuses bad arguments.
 *
 * (rtt-mempool only: the kernel's C mempool asserts or writes out of bounds.)
 * Each of: NULL pool, NULL name, NULL start, size 0, block_size 0, a region
 * too small for one block, a block size whose alignment overflows, a start
 * not aligned to a pointer, and a second init of a live pool returns
 * -RT_EINVAL, leaves the pool struct byte for byte as it was (the live pool:
 * as tc_mp_same compares it, all but the spinlock on SMP), writes nothing
 * into or around the region and registers no object. A start aligned to a
 * pointer but not to RT_ALIGN_SIZE is accepted with the C formula's block
 * count and blocks inside the region.
 */
#include <rtthread.h>
#include "utest.h"
#include "tc_mempool_common.h"

#ifdef RTT_MEMPOOL_HARDENED

#define MI_GUARD  64
#define MI_SIZE   512
#define MI_FILL   0x5A
#define MI_MPFILL 0xA5

TC_BUFFER(mi_buf, MI_GUARD + MI_SIZE + MI_GUARD);
static struct rt_mempool mi_mp;
static struct rt_mempool mi_ref;
static int mi_live;

static rt_uint8_t *mi_start(void)
{
    return (rt_uint8_t *)tc_aligned(mi_buf.b) + MI_GUARD;
}

static void mi_prepare(void)
{
    tc_mp_drop(&mi_mp, &mi_live);
    rt_memset(mi_buf.b, MI_FILL, sizeof(mi_buf.b));
    rt_memset(&mi_mp, MI_MPFILL, sizeof(mi_mp));
    rt_memset(&mi_ref, MI_MPFILL, sizeof(mi_ref));
}

/* bytes of the buffer outside [from, to) still hold the fill */
static int mi_untouched_outside(const rt_uint8_t *from, const rt_uint8_t *to)
{
    const rt_uint8_t *p;

    for (p = mi_buf.b; p < mi_buf.b + sizeof(mi_buf.b); p++)
    {
        if (p >= from && p < to)
            continue;
        if (*p != MI_FILL)
            return 0;
    }
    return 1;
}

static int mi_buffer_untouched(void)
{
    return mi_untouched_outside(RT_NULL, RT_NULL);
}

static int mi_mp_untouched(void)
{
    return rt_memcmp(&mi_mp, &mi_ref, sizeof(mi_mp)) == 0;
}

/* one refused call: the result, the struct, the memory, the object list */
#define MI_REFUSED(call)                                                       \
    do {                                                                       \
        rt_err_t mi_err_;                                                      \
        mi_prepare();                                                          \
        mi_err_ = (call);                                                      \
        uassert_int_equal(mi_err_, -RT_EINVAL);                                \
        if (mi_err_ == RT_EOK)                                                 \
            mi_live = 1;                                                       \
        uassert_true(mi_mp_untouched());                                       \
        uassert_true(mi_buffer_untouched());                                   \
        uassert_null(rt_object_find("tmmi", RT_Object_Class_MemPool));         \
        tc_mp_drop(&mi_mp, &mi_live);                                          \
    } while (0)

static void test_null_arguments(void)
{
    MI_REFUSED(rt_mp_init(RT_NULL, "tmmi", mi_start(), MI_SIZE, 16));
    MI_REFUSED(rt_mp_init(&mi_mp, RT_NULL, mi_start(), MI_SIZE, 16));
    MI_REFUSED(rt_mp_init(&mi_mp, "tmmi", RT_NULL, MI_SIZE, 16));
}

static void test_zero_sizes(void)
{
    MI_REFUSED(rt_mp_init(&mi_mp, "tmmi", mi_start(), 0, 16));
    MI_REFUSED(rt_mp_init(&mi_mp, "tmmi", mi_start(), MI_SIZE, 0));
    MI_REFUSED(rt_mp_init(&mi_mp, "tmmi", mi_start(), 0, 0));
}

static void test_region_too_small(void)
{
    /* the C version writes a header in front of the region here */
    MI_REFUSED(rt_mp_init(&mi_mp, "tmmi", mi_start(), 8, 80));
    MI_REFUSED(rt_mp_init(&mi_mp, "tmmi", mi_start(), TC_SLOT(80) - 1, 80));
    MI_REFUSED(rt_mp_init(&mi_mp, "tmmi", mi_start(), RT_ALIGN_SIZE - 1, 1));
    MI_REFUSED(rt_mp_init(&mi_mp, "tmmi", mi_start(), MI_SIZE, MI_SIZE));
}

static void test_block_size_overflow(void)
{
    MI_REFUSED(rt_mp_init(&mi_mp, "tmmi", mi_start(), MI_SIZE, (rt_size_t)-1));
    MI_REFUSED(rt_mp_init(&mi_mp, "tmmi", mi_start(), MI_SIZE, (rt_size_t)-1 - RT_ALIGN_SIZE));
    MI_REFUSED(rt_mp_init(&mi_mp, "tmmi", mi_start(), MI_SIZE,
                          (rt_size_t)-1 - sizeof(void *) - RT_ALIGN_SIZE + 2));
}

static void test_start_not_pointer_aligned(void)
{
    rt_size_t off;

    for (off = 1; off < sizeof(void *); off++)
        MI_REFUSED(rt_mp_init(&mi_mp, "tmmi", mi_start() + off, MI_SIZE - 8, 16));
}

/* A second rt_mp_init of a live pool is refused and the pool keeps working. */
static void test_init_of_live_pool(void)
{
    struct rt_mempool snapshot;
    rt_uint8_t *start = mi_start();
    void *b;

    mi_prepare();
    TC_REQUIRE(rt_mp_init(&mi_mp, "tmmi", start, MI_SIZE, 16) == RT_EOK);
    mi_live = 1;
    b = rt_mp_alloc(&mi_mp, 0);
    TC_REQUIRE(b != RT_NULL);
    rt_memcpy(&snapshot, &mi_mp, sizeof(snapshot));

    uassert_int_equal(rt_mp_init(&mi_mp, "tmmi2", start + MI_SIZE / 2, MI_SIZE / 2, 32), -RT_EINVAL);
    uassert_true(tc_mp_same(&snapshot, &mi_mp));
    uassert_null(rt_object_find("tmmi2", RT_Object_Class_MemPool));
    uassert_true(tc_found("tmmi", &mi_mp));
    uassert_int_equal(mi_mp.block_free_count, tc_expected_count(MI_SIZE, 16) - 1);
    uassert_ptr_equal(rt_mp_alloc(&mi_mp, 0), tc_block_addr(start, 16, 1));

    uassert_int_equal(rt_mp_detach(&mi_mp), RT_EOK);
    mi_live = 0;
}

/* Documented decision: pointer-aligned but not RT_ALIGN_SIZE-aligned start
 * is accepted, with the same block count as the C formula. */
static void test_start_pointer_aligned_only(void)
{
    rt_uint8_t *start;
    rt_size_t size = MI_SIZE - RT_ALIGN_SIZE;
    rt_size_t n, k;
    void *blocks[64];
    int ok = 1;

    if (RT_ALIGN_SIZE <= sizeof(void *))
    {
        uassert_true(1); /* no such address with this configuration */
        return;
    }
    start = mi_start() + sizeof(void *);
    n = tc_expected_count(size, 24);
    TC_REQUIRE(n >= 1 && n <= 64);

    mi_prepare();
    TC_REQUIRE(rt_mp_init(&mi_mp, "tmmi", start, size, 24) == RT_EOK);
    mi_live = 1;
    uassert_int_equal(mi_mp.block_total_count, n);
    uassert_int_equal(mi_mp.block_free_count, n);
    uassert_true(tc_found("tmmi", &mi_mp));

    for (k = 0; k < n; k++)
    {
        blocks[k] = rt_mp_alloc(&mi_mp, 0);
        TC_REQUIRE(blocks[k] != RT_NULL);
        /* inside [start, start + size), pointer aligned, after its header */
        if ((rt_uint8_t *)blocks[k] < start + sizeof(void *) ||
            (rt_uint8_t *)blocks[k] + mi_mp.block_size > start + size ||
            ((rt_ubase_t)blocks[k] % sizeof(void *)) != 0)
            ok = 0;
        tc_fill(blocks[k], mi_mp.block_size, k);
    }
    uassert_true(ok);
    uassert_null(rt_mp_alloc(&mi_mp, 0));
    for (k = 0; k < n; k++)
        if (!tc_check(blocks[k], mi_mp.block_size, k))
            ok = 0;
    uassert_true(ok);
    uassert_true(mi_untouched_outside(start, start + size));

    for (k = 0; k < n; k++)
        rt_mp_free(blocks[k]);
    uassert_int_equal(mi_mp.block_free_count, n);
    uassert_int_equal(rt_mp_detach(&mi_mp), RT_EOK);
    mi_live = 0;
    uassert_true(mi_untouched_outside(start, start + size));
}

static rt_err_t utest_tc_init(void)
{
    mi_live = 0;
    return tc_pin_self();
}

static rt_err_t utest_tc_cleanup(void)
{
    tc_mp_drop(&mi_mp, &mi_live);
    return tc_unpin_self();
}

static void testcase(void)
{
    TC_UNIT_RUN(test_null_arguments);
    TC_UNIT_RUN(test_zero_sizes);
    TC_UNIT_RUN(test_region_too_small);
    TC_UNIT_RUN(test_block_size_overflow);
    TC_UNIT_RUN(test_start_not_pointer_aligned);
    TC_UNIT_RUN(test_init_of_live_pool);
    TC_UNIT_RUN(test_start_pointer_aligned_only);
    TC_UNITS_DONE();
}
UTEST_TC_EXPORT(testcase, "components.mempool.misuse_init", utest_tc_init, utest_tc_cleanup, TC_TIMEOUT);

#endif /* RTT_MEMPOOL_HARDENED */
