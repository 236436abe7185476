/*
 * components.mempool.misuse_free: rt_mp_free refuses what no pool handed out.
 *
 * (rtt-mempool only: the kernel's C mempool corrupts its free list or writes
 * through a garbage pool pointer.) A block freed twice, a pointer into the
 * middle of a block (even when the word before it holds the pool's address),
 * a misaligned pointer, a pointer to a local variable or a static buffer
 * whose header word is 0, a readable non-pool address or the address of a
 * live pool, and a block of a detached pool: each leaves every pool as it
 * was (free count, header words, pool struct) and sets errno -RT_EINVAL; the
 * pool then still hands out every block exactly once. rt_mp_free(RT_NULL)
 * changes nothing.
 */
#include <rtthread.h>
#include "utest.h"
#include "tc_mempool_common.h"

#ifdef RTT_MEMPOOL_HARDENED

#define MF_BS  32
#define MF_MAX 32

TC_BUFFER(mf_buf, TC_POOL_BYTES(16, MF_BS));
TC_BUFFER(mf_buf2, TC_POOL_BYTES(4, MF_BS));
static struct rt_mempool mf_mp;
static struct rt_mempool mf_mp2;
static int mf_live;
static int mf_live2;
static rt_size_t mf_n;

/* a fake block: a header word followed by data, pointer aligned */
static struct
{
    void *hdr;
    union { rt_uint8_t b[64]; void *p; } data; /* no padding after hdr */
} mf_fake;

/* readable memory that is no pool */
static union { rt_uint8_t b[sizeof(struct rt_mempool) + 64]; void *p; double d; } mf_not_a_pool;

static void mf_reset(void)
{
    tc_mp_drop(&mf_mp, &mf_live);
    tc_mp_drop(&mf_mp2, &mf_live2);
}

static int mf_setup(void)
{
    mf_reset();
    if (rt_mp_init(&mf_mp, "tmmf", tc_aligned(mf_buf.b), TC_POOL_BYTES(16, MF_BS), MF_BS) != RT_EOK)
        return 0;
    mf_live = 1;
    mf_n = mf_mp.block_total_count;
    return mf_n == 16;
}

/*
 * Free `bad`, which the pool must refuse: errno -RT_EINVAL, the pool struct
 * and every header word of the region unchanged.
 */
static void mf_refused(void *bad)
{
    struct rt_mempool before;
    void *headers[16];
    rt_size_t k;
    int same = 1;
    rt_err_t err;
    rt_uint8_t *start = (rt_uint8_t *)tc_aligned(mf_buf.b);

    rt_memcpy(&before, &mf_mp, sizeof(before));
    for (k = 0; k < 16; k++)
        headers[k] = *(void **)(start + k * TC_SLOT(MF_BS));

    rt_set_errno(RT_EOK);
    rt_mp_free(bad);
    err = rt_get_errno();

    uassert_int_equal(err, -RT_EINVAL);
    uassert_int_equal(mf_mp.block_free_count, before.block_free_count);
    uassert_true(tc_mp_same(&before, &mf_mp));
    for (k = 0; k < 16; k++)
        if (headers[k] != *(void **)(start + k * TC_SLOT(MF_BS)))
            same = 0;
    uassert_true(same);
}

/* Allocate everything left: each block once, each at a slot, then empty. */
static int mf_drain_is_sound(rt_size_t already_out)
{
    rt_uint8_t seen[16];
    rt_size_t k, left = mf_n - already_out;
    int ok = 1;

    rt_memset(seen, 0, sizeof(seen));
    if (mf_mp.block_free_count != left)
        return 0;
    for (k = 0; k < left; k++)
    {
        void *b = rt_mp_alloc(&mf_mp, 0);
        rt_size_t slot;

        if (!tc_block_on_slot(&mf_mp, b))
            return 0;
        slot = ((rt_uint8_t *)b - (rt_uint8_t *)mf_mp.start_address) / TC_SLOT(MF_BS);
        if (seen[slot])
            ok = 0;
        seen[slot] = 1;
    }
    if (rt_mp_alloc(&mf_mp, 0) != RT_NULL || mf_mp.block_free_count != 0)
        ok = 0;
    return ok;
}

static void test_double_free(void)
{
    void *a, *b;

    TC_REQUIRE(mf_setup());
    a = rt_mp_alloc(&mf_mp, 0);
    b = rt_mp_alloc(&mf_mp, 0);
    TC_REQUIRE(a != RT_NULL && b != RT_NULL);
    rt_mp_free(a);
    uassert_int_equal(mf_mp.block_free_count, mf_n - 1);

    mf_refused(a);
    mf_refused(a);
    /* still one block out (b), every other block exactly once */
    uassert_true(mf_drain_is_sound(1));
    mf_reset();
}

/* Free every block, then all of them again. */
static void test_double_free_of_all(void)
{
    void *blocks[16];
    rt_size_t k;

    TC_REQUIRE(mf_setup());
    for (k = 0; k < mf_n; k++)
        blocks[k] = rt_mp_alloc(&mf_mp, 0);
    for (k = 0; k < mf_n; k++)
        rt_mp_free(blocks[k]);
    for (k = 0; k < mf_n; k++)
        mf_refused(blocks[k]);
    uassert_int_equal(mf_mp.block_free_count, mf_n);
    uassert_true(mf_drain_is_sound(0));
    mf_reset();
}

static void test_pointer_into_block(void)
{
    rt_uint8_t *first, *b;

    TC_REQUIRE(mf_setup());
    /* b is the pool's second block, so that every pointer freed below has a readable word in
     * front of it inside the pool's region (rt_mp_free reads that word): b's own header
     * follows the last data word of the first block, not memory in front of the region. */
    first = (rt_uint8_t *)rt_mp_alloc(&mf_mp, 0);
    b = (rt_uint8_t *)rt_mp_alloc(&mf_mp, 0);
    TC_REQUIRE(first != RT_NULL && b != RT_NULL);
    TC_REQUIRE(b == first + TC_SLOT(MF_BS));

    /* the word in front of b + 8 is user data: make it look like a header */
    *(void **)b = &mf_mp;
    mf_refused(b + sizeof(void *));
    *(void **)(b + 8) = &mf_mp;
    mf_refused(b + 8 + sizeof(void *));
    mf_refused(b + 1);
    mf_refused(b + MF_BS - 1);
    /* the header itself is no block either, even when the word in front of it (the first
     * block's last data word) holds the pool's address */
    *(void **)(b - 2 * sizeof(void *)) = &mf_mp;
    mf_refused(b - sizeof(void *));

    /* both blocks are still out and can be freed normally */
    uassert_int_equal(mf_mp.block_free_count, mf_n - 2);
    rt_mp_free(b);
    rt_mp_free(first);
    uassert_int_equal(mf_mp.block_free_count, mf_n);
    uassert_true(mf_drain_is_sound(0));
    mf_reset();
}

static void test_pointer_no_pool_handed_out(void)
{
    struct
    {
        void *hdr;
        union { rt_uint8_t b[16]; void *p; } data;
    } local;

    TC_REQUIRE(mf_setup());
    uassert_not_null(rt_mp_alloc(&mf_mp, 0));

    /* static buffer, header 0 */
    mf_fake.hdr = RT_NULL;
    mf_refused(mf_fake.data.b);
    /* static buffer, header pointing at readable memory that is no pool */
    rt_memset(&mf_not_a_pool, 0, sizeof(mf_not_a_pool));
    mf_fake.hdr = &mf_not_a_pool;
    mf_refused(mf_fake.data.b);
    rt_memset(&mf_not_a_pool, 0xA5, sizeof(mf_not_a_pool));
    mf_refused(mf_fake.data.b);
    /* static buffer, header claiming the live pool: not inside its region */
    mf_fake.hdr = &mf_mp;
    mf_refused(mf_fake.data.b);

    /* local variable, same three headers */
    local.hdr = RT_NULL;
    mf_refused(local.data.b);
    local.hdr = &mf_not_a_pool;
    mf_refused(local.data.b);
    local.hdr = &mf_mp;
    mf_refused(local.data.b);

    uassert_true(mf_drain_is_sound(1));
    mf_reset();
}

#ifdef RTT_MEMPOOL_PARANOID_CHECKS
/* Only with the checks that read no memory a pool does not own. */
static void test_garbage_header(void)
{
    TC_REQUIRE(mf_setup());
    mf_fake.hdr = (void *)(rt_ubase_t)0xDEADBEE0u;
    mf_refused(mf_fake.data.b);
    mf_fake.hdr = (void *)(rt_ubase_t)sizeof(void *);
    mf_refused(mf_fake.data.b);
    uassert_true(mf_drain_is_sound(0));
    mf_reset();
}

/*
 * A block from an earlier life of the same pool on the same memory: its header still
 * holds the pool's address, and it lies on a slot of the new pool, so only the paranoid
 * walk of the free list can tell that the new pool never handed it out.
 */
static void test_stale_block_after_reinit(void)
{
    void *first, *stale;

    TC_REQUIRE(mf_setup());
    first = rt_mp_alloc(&mf_mp, 0);
    (void)rt_mp_alloc(&mf_mp, 0);
    stale = rt_mp_alloc(&mf_mp, 0);
    TC_REQUIRE(first != RT_NULL && stale != RT_NULL);
    mf_reset();
    TC_REQUIRE(mf_setup());
    TC_REQUIRE(rt_mp_alloc(&mf_mp, 0) == first);
    mf_refused(stale);
    uassert_true(mf_drain_is_sound(1));
    mf_reset();
}
#endif

static void test_block_of_detached_pool(void)
{
    struct rt_mempool snapshot;
    void *b, *c;
    void *hdr;

    TC_REQUIRE(mf_setup());
    TC_REQUIRE(rt_mp_init(&mf_mp2, "tmmf2", tc_aligned(mf_buf2.b), TC_POOL_BYTES(4, MF_BS), MF_BS) == RT_EOK);
    mf_live2 = 1;
    b = rt_mp_alloc(&mf_mp2, 0);
    c = rt_mp_alloc(&mf_mp, 0);
    TC_REQUIRE(b != RT_NULL && c != RT_NULL);
    uassert_int_equal(rt_mp_detach(&mf_mp2), RT_EOK);
    mf_live2 = 0;

    rt_memcpy(&snapshot, &mf_mp2, sizeof(snapshot));
    hdr = *(void **)((rt_uint8_t *)b - sizeof(void *));
    mf_refused(b);
    /* nothing written into the dead pool either */
    uassert_int_equal(rt_memcmp(&snapshot, &mf_mp2, sizeof(snapshot)), 0);
    uassert_ptr_equal(*(void **)((rt_uint8_t *)b - sizeof(void *)), hdr);

    uassert_true(mf_drain_is_sound(1));
    mf_reset();
}

static void test_free_null(void)
{
    void *a;

    TC_REQUIRE(mf_setup());
    a = rt_mp_alloc(&mf_mp, 0);
    TC_REQUIRE(a != RT_NULL);
    rt_mp_free(RT_NULL);
    uassert_int_equal(mf_mp.block_free_count, mf_n - 1);
    uassert_true(mf_drain_is_sound(1));
    mf_reset();
}

static rt_err_t utest_tc_init(void)
{
    mf_live = 0;
    mf_live2 = 0;
    return tc_pin_self();
}

static rt_err_t utest_tc_cleanup(void)
{
    mf_reset();
    return tc_unpin_self();
}

static void testcase(void)
{
    TC_UNIT_RUN(test_double_free);
    TC_UNIT_RUN(test_double_free_of_all);
    TC_UNIT_RUN(test_pointer_into_block);
    TC_UNIT_RUN(test_pointer_no_pool_handed_out);
#ifdef RTT_MEMPOOL_PARANOID_CHECKS
    TC_UNIT_RUN(test_garbage_header);
    TC_UNIT_RUN(test_stale_block_after_reinit);
#endif
    TC_UNIT_RUN(test_block_of_detached_pool);
    TC_UNIT_RUN(test_free_null);
    TC_UNITS_DONE();
}
UTEST_TC_EXPORT(testcase, "components.mempool.misuse_free", utest_tc_init, utest_tc_cleanup, TC_TIMEOUT);

#endif /* RTT_MEMPOOL_HARDENED */
