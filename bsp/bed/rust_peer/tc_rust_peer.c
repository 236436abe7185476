/*
 * components.mempool.rust_peer: a second Rust staticlib (bsp/bed/rust_peer, its own
 * #[panic_handler], core and compiler_builtins) linked into the same image as rtt-mempool,
 * as RT-Thread's own Rust component (RT_USING_RUST) would be. Built only with
 * scripts/qemu_test.py --rust-peer.
 *
 * The peer's 64-bit division (compiler_builtins' __aeabi_uldivmod on 32-bit Arm, or libgcc's,
 * whichever the link resolved) must give what C's division gives; the blocks it takes from an
 * rtt-mempool pool through rt_mp_alloc must be distinct blocks of that pool, filled with the
 * pattern it copies into them (memcpy), counted by the pool; when it is empty the peer gets
 * RT_NULL; the blocks it gives back with rt_mp_free are the pool's again.
 */
#include <rtthread.h>
#include "utest.h"

#define RP_BS      40
#define RP_COPY    24
#define RP_SIZE    512
#define RP_MAX     16

rt_uint64_t rust_peer_udivmod(rt_uint64_t a, rt_uint64_t b, rt_uint64_t *rem);
rt_uint32_t rust_peer_take(void *mp, void **blocks, rt_uint32_t n, rt_uint32_t len,
                           rt_uint64_t seed, rt_uint64_t divisor);
void rust_peer_give(void **blocks, rt_uint32_t n);
rt_uint64_t rust_peer_nth(const rt_uint64_t *values, rt_uint32_t len, rt_uint32_t i);

static rt_uint64_t rp_store[RP_SIZE / 8];
#define rp_buf ((rt_uint8_t *)rp_store)
static struct rt_mempool rp_mp;
static void *rp_blocks[RP_MAX + 1];

/* volatile: the operands reach both divisions only at run time */
static volatile rt_uint64_t rp_num[] = {
    0, 1, 7, 0xffffffffULL, 0x100000000ULL, 0x123456789abcdef0ULL, 0xffffffffffffffffULL,
    0x8000000000000001ULL,
};
static volatile rt_uint64_t rp_den[] = {
    1, 3, 10, 0xffffffffULL, 0x100000001ULL, 0xfedcba9876ULL, 0xffffffffffffffffULL,
};

static void test_udivmod(void)
{
    rt_size_t i, j;
    int all = 1;

    for (i = 0; i < sizeof(rp_num) / sizeof(rp_num[0]); i++)
    {
        for (j = 0; j < sizeof(rp_den) / sizeof(rp_den[0]); j++)
        {
            rt_uint64_t a = rp_num[i], b = rp_den[j], r = ~(rt_uint64_t)0;
            rt_uint64_t q = rust_peer_udivmod(a, b, &r);
            if (q != a / b || r != a % b)
            {
                all = 0;
                rt_kprintf("rust_peer: %u/%u wrong\n", (unsigned)i, (unsigned)j);
            }
        }
    }
    uassert_true(all);
    /* indexing in range (out of range would reach the peer's panic handler) */
    all = 1;
    for (i = 0; i < sizeof(rp_num) / sizeof(rp_num[0]); i++)
    {
        if (rust_peer_nth((const rt_uint64_t *)rp_num, sizeof(rp_num) / sizeof(rp_num[0]),
                          (rt_uint32_t)i) != rp_num[i])
            all = 0;
    }
    uassert_true(all);
    /* division by zero is the peer's own rule, not a trap */
    {
        rt_uint64_t r = 0;
        uassert_true(rust_peer_udivmod(5, 0, &r) == ~(rt_uint64_t)0 && r == 5);
    }
}

/* the pattern rust_peer_take writes into block `index`, computed in C */
static rt_uint64_t rp_pattern(rt_uint64_t seed, rt_uint64_t index, rt_uint64_t divisor)
{
    rt_uint64_t x = seed + index;
    return ((x / divisor) & 0x00ffffffffffffffULL) | ((x % divisor) << 56);
}

static int rp_block_holds(const rt_uint8_t *b, rt_uint64_t word)
{
    rt_size_t i;
    for (i = 0; i < RP_COPY; i++)
    {
        if (b[i] != (rt_uint8_t)(word >> (8 * (i % 8))))
            return 0;
    }
    return 1;
}

static void test_take_and_give(void)
{
    const rt_uint64_t seed = 0x0123456789abcdefULL, divisor = 0x3b9aca07ULL;
    rt_size_t total;
    rt_uint32_t got, i, j;
    int inside = 1, distinct = 1, filled = 1;

    uassert_int_equal(rt_mp_init(&rp_mp, "rpeer", rp_buf, RP_SIZE, RP_BS), RT_EOK);
    total = rp_mp.block_total_count;
    uassert_true(total >= 4 && total <= RP_MAX);

    /* one more than the pool has: the last no-wait rt_mp_alloc gets RT_NULL */
    got = rust_peer_take(&rp_mp, rp_blocks, (rt_uint32_t)total + 1, RP_COPY, seed, divisor);
    uassert_int_equal(got, total);
    uassert_int_equal(rp_mp.block_free_count, 0);
    for (i = 0; i < got; i++)
    {
        rt_uint8_t *b = rp_blocks[i];
        if (b < rp_buf || b + RP_BS > rp_buf + RP_SIZE)
            inside = 0;
        for (j = 0; j < i; j++)
            if (rp_blocks[j] == rp_blocks[i])
                distinct = 0;
        if (!rp_block_holds(b, rp_pattern(seed, i, divisor)))
            filled = 0;
    }
    uassert_true(inside);
    uassert_true(distinct);
    uassert_true(filled);
    uassert_null(rt_mp_alloc(&rp_mp, 0));

    rust_peer_give(rp_blocks, got);
    uassert_int_equal(rp_mp.block_free_count, total);
    uassert_null(rp_blocks[0]);

    /* the pool is whole: C takes every block again */
    for (i = 0; i < total; i++)
    {
        rp_blocks[i] = rt_mp_alloc(&rp_mp, 0);
        uassert_not_null(rp_blocks[i]);
    }
    uassert_int_equal(rp_mp.block_free_count, 0);
    for (i = 0; i < total; i++)
        rt_mp_free(rp_blocks[i]);
    uassert_int_equal(rp_mp.block_free_count, total);
    uassert_int_equal(rt_mp_detach(&rp_mp), RT_EOK);
}

static rt_err_t utest_tc_init(void)
{
    return RT_EOK;
}

static rt_err_t utest_tc_cleanup(void)
{
    return RT_EOK;
}

static void testcase(void)
{
    UTEST_UNIT_RUN(test_udivmod);
    UTEST_UNIT_RUN(test_take_and_give);
}
UTEST_TC_EXPORT(testcase, "components.mempool.rust_peer", utest_tc_init, utest_tc_cleanup, 10);
