/*
 * components.mempool.differential: random operation sequences run against this library and
 * against the kernel's own src/mempool.c side by side, every result compared.
 *
 * Host kernel only, and only when the host suite is built with RTT_ROOT pointing at an
 * RT-Thread 5.1+ tree: c_tests/build.rs then compiles that tree's src/mempool.c against the
 * host kernel with its exports renamed kmp_* (RTT_HOST_KERNEL_MEMPOOL). Both pools get
 * regions of the same layout; a step is one of init (various sizes), detach, create, delete,
 * alloc without waiting, free of a random held block, and a blocking round (waiters of
 * different priorities, timed and untimed, then frees and a detach). After every step the
 * results are compared: NULL or not, the block's offset in its region, errno, and the
 * struct's counters and free-list head (as an offset). Only correct use is generated: the
 * kernel's C version corrupts memory on misuse.
 */
#include <rtthread.h>
#include "utest.h"
#include "tc_mempool_common.h"

#if defined(RTT_HOST_KERNEL) && defined(RTT_HOST_KERNEL_MEMPOOL)

rt_err_t kmp_init(struct rt_mempool *mp, const char *name, void *start, rt_size_t size, rt_size_t block_size);
rt_err_t kmp_detach(struct rt_mempool *mp);
rt_mp_t kmp_create(const char *name, rt_size_t block_count, rt_size_t block_size);
rt_err_t kmp_delete(rt_mp_t mp);
void *kmp_alloc(rt_mp_t mp, rt_int32_t time);
void kmp_free(void *block);

#define DF_MAX_BLOCKS 64
#define DF_REGION     2048
#define DF_STEPS      400
#define DF_RUNS       40

/* One side of the comparison: a pool of this library (0) or of the kernel (1). */
struct df_side
{
    struct rt_mempool pool;
    rt_mp_t mp;             /* &pool, a created pool, or RT_NULL */
    rt_uint8_t *start;      /* the region the offsets are measured from */
    void *held[DF_MAX_BLOCKS];
    int nheld;
};

TC_BUFFER(df_buf0, DF_REGION);
TC_BUFFER(df_buf1, DF_REGION);
static struct df_side df[2];
static rt_uint32_t df_rng;
static int df_mismatches;
static int df_counts[4];  /* allocs, frees, waiter rounds, inits + creates compared */

static rt_uint32_t df_next(void)
{
    df_rng = df_rng * 1664525u + 1013904223u;
    return df_rng >> 8;
}

static long df_offset(const struct df_side *s, const void *p)
{
    return p == RT_NULL ? -1 : (long)((const rt_uint8_t *)p - s->start);
}

/* Compares what both sides returned and hold; counts and reports the first mismatches. */
static void df_expect(int same, const char *what, long a, long b)
{
    if (!same)
    {
        if (df_mismatches < 8)
            rt_kprintf("differential: %s differs: library %ld, kernel %ld\n", what, a, b);
        df_mismatches++;
    }
}

static void df_compare_state(void)
{
    struct rt_mempool *a = df[0].mp, *b = df[1].mp;

    df_expect((a == RT_NULL) == (b == RT_NULL), "pool", a != RT_NULL, b != RT_NULL);
    if (a == RT_NULL || b == RT_NULL)
        return;
    df_expect(a->block_total_count == b->block_total_count, "total",
              (long)a->block_total_count, (long)b->block_total_count);
    df_expect(a->block_free_count == b->block_free_count, "free",
              (long)a->block_free_count, (long)b->block_free_count);
    df_expect(a->block_size == b->block_size, "block size", (long)a->block_size, (long)b->block_size);
    df_expect(a->size == b->size, "size", (long)a->size, (long)b->size);
    df_expect(df_offset(&df[0], a->block_list) == df_offset(&df[1], b->block_list), "block_list",
              df_offset(&df[0], a->block_list), df_offset(&df[1], b->block_list));
    df_expect(df[0].nheld == df[1].nheld, "held", df[0].nheld, df[1].nheld);
}

static void df_drop(int i)
{
    if (df[i].mp == &df[i].pool)
        (i ? kmp_detach : rt_mp_detach)(df[i].mp);
    else if (df[i].mp != RT_NULL)
        (i ? kmp_delete : rt_mp_delete)(df[i].mp);
    df[i].mp = RT_NULL;
    df[i].nheld = 0;
}

static void df_step_init(void)
{
    rt_size_t block = 1 + df_next() % 120;
    /* at least one block: a smaller region is misuse this library refuses (the kernel's
     * version makes a pool of no blocks) */
    rt_size_t size = TC_POOL_BYTES(1, block) + df_next() % (DF_REGION - TC_POOL_BYTES(1, block));
    rt_err_t r[2];
    int i;

    for (i = 0; i < 2; i++)
    {
        df_drop(i);
        df[i].start = tc_aligned(i ? df_buf1.b : df_buf0.b);
        r[i] = (i ? kmp_init : rt_mp_init)(&df[i].pool, i ? "kmpd" : "tmpd", df[i].start, size, block);
        df[i].mp = r[i] == RT_EOK ? &df[i].pool : RT_NULL;
    }
    df_counts[3]++;
    df_expect(r[0] == r[1], "init", r[0], r[1]);
    if (df[0].mp != RT_NULL && df[0].mp->block_total_count > DF_MAX_BLOCKS)
    {
        df_drop(0);
        df_drop(1);
    }
}

static void df_step_create(void)
{
    rt_size_t count = 1 + df_next() % DF_MAX_BLOCKS;
    rt_size_t block = 1 + df_next() % 120;
    int i;

    for (i = 0; i < 2; i++)
    {
        df_drop(i);
        df[i].mp = (i ? kmp_create : rt_mp_create)(i ? "kmpc" : "tmpc", count, block);
        df[i].start = df[i].mp ? (rt_uint8_t *)df[i].mp->start_address : RT_NULL;
    }
}

static void df_step_alloc(void)
{
    void *b[2];
    rt_err_t e[2];
    int i;

    if (df[0].mp == RT_NULL || df[1].mp == RT_NULL)
        return;
    for (i = 0; i < 2; i++)
    {
        rt_set_errno(RT_EOK);
        b[i] = (i ? kmp_alloc : rt_mp_alloc)(df[i].mp, 0);
        e[i] = rt_get_errno();
        if (b[i] != RT_NULL && df[i].nheld < DF_MAX_BLOCKS)
            df[i].held[df[i].nheld++] = b[i];
    }
    df_counts[0]++;
    df_expect(df_offset(&df[0], b[0]) == df_offset(&df[1], b[1]), "alloc",
              df_offset(&df[0], b[0]), df_offset(&df[1], b[1]));
    if (b[0] == RT_NULL || b[1] == RT_NULL)
        df_expect(e[0] == e[1], "alloc errno", e[0], e[1]);
}

static void df_step_free(void)
{
    int k, i;

    if (df[0].nheld == 0 || df[0].nheld != df[1].nheld)
        return;
    k = (int)(df_next() % (rt_uint32_t)df[0].nheld);
    df_counts[1]++;
    for (i = 0; i < 2; i++)
    {
        (i ? kmp_free : rt_mp_free)(df[i].held[k]);
        df[i].held[k] = df[i].held[--df[i].nheld];
    }
}

/*
 * A blocking round on one side: waiters of random priority and wait on the empty pool,
 * `frees` of the held blocks freed one by one, time for the timed ones to run out, then the
 * pool detached or deleted. Records what each waiter got, in the order they returned.
 */
#define DF_WAITERS 3

struct df_waiter
{
    int side;
    rt_int32_t wait;
    volatile int state;
    long offset;
    rt_err_t err;
    int order;
    rt_thread_t tid;
};

static struct df_waiter df_w[2][DF_WAITERS];
static volatile int df_seq[2];

static void df_waiter_entry(void *arg)
{
    struct df_waiter *w = (struct df_waiter *)arg;
    void *b;

    w->state = 1;
    b = (w->side ? kmp_alloc : rt_mp_alloc)(df[w->side].mp, w->wait);
    w->err = rt_get_errno();
    w->offset = df_offset(&df[w->side], b);
    w->order = df_seq[w->side]++;
    w->state = 2;
}

static int df_round(int i, const rt_int32_t *waits, const rt_uint8_t *prios, int frees)
{
    int j;

    df_seq[i] = 0;
    for (j = 0; j < DF_WAITERS; j++)
    {
        struct df_waiter *w = &df_w[i][j];

        w->side = i;
        w->wait = waits[j];
        w->state = 0;
        w->tid = tc_thread_create(i ? "kdw" : "tdw", df_waiter_entry, w, prios[j]);
        if (w->tid == RT_NULL || rt_thread_startup(w->tid) != RT_EOK)
            return 0;
        if (!tc_wait_flag(&w->state, 1, TC_WAIT_TICKS))
            return 0;
        rt_thread_delay(1);
    }
    for (j = 0; j < frees; j++)
    {
        (i ? kmp_free : rt_mp_free)(df[i].held[--df[i].nheld]);
        rt_thread_delay(2);
    }
    rt_thread_delay(100);
    df_drop(i);
    for (j = 0; j < DF_WAITERS; j++)
        if (!tc_wait_flag(&df_w[i][j].state, 2, TC_WAIT_TICKS))
            return 0;
    rt_thread_delay(2);
    return 1;
}

static void df_step_waiters(void)
{
    rt_int32_t waits[DF_WAITERS];
    rt_uint8_t prios[DF_WAITERS];
    int frees = (int)(df_next() % (DF_WAITERS + 1));
    int j, ok;

    if (df[0].mp == RT_NULL || df[1].mp == RT_NULL || df[0].mp->block_free_count != 0
        || df[1].mp->block_free_count != 0 || df[0].nheld < frees || df[1].nheld < frees)
        return;
    for (j = 0; j < DF_WAITERS; j++)
    {
        waits[j] = (df_next() % 2) ? RT_WAITING_FOREVER : (rt_int32_t)(5 + df_next() % 40);
        prios[j] = (rt_uint8_t)((df_next() % 2) ? TC_PRIO_HIGHER : TC_PRIO_LOWER);
    }
    ok = df_round(0, waits, prios, frees) && df_round(1, waits, prios, frees);
    df_counts[2]++;
    df_expect(ok, "waiters returned", ok, 1);
    for (j = 0; ok && j < DF_WAITERS; j++)
    {
        df_expect(df_w[0][j].offset == df_w[1][j].offset, "waiter block", df_w[0][j].offset, df_w[1][j].offset);
        df_expect(df_w[0][j].err == df_w[1][j].err, "waiter errno", df_w[0][j].err, df_w[1][j].err);
        df_expect(df_w[0][j].order == df_w[1][j].order, "waiter order", df_w[0][j].order, df_w[1][j].order);
    }
}

static void test_random_sequences(void)
{
    int run, step;

    df_mismatches = 0;
    for (run = 0; run < DF_RUNS; run++)
    {
        df_rng = 0x9e3779b9u * (rt_uint32_t)(run + 1);
        df_step_init();
        for (step = 0; step < DF_STEPS && df_mismatches == 0; step++)
        {
            rt_uint32_t op = df_next() % 100;

            if (op < 3)
                df_step_init();
            else if (op < 5)
                df_step_create();
            else if (op < 50)
                df_step_alloc();
            else if (op < 95)
                df_step_free();
            else
                df_step_waiters();
            df_compare_state();
        }
        df_drop(0);
        df_drop(1);
    }
    rt_kprintf("differential: %d runs, %d allocs, %d frees, %d blocking rounds, %d pools compared, %d mismatches\n",
               DF_RUNS, df_counts[0], df_counts[1], df_counts[2], df_counts[3], df_mismatches);
    uassert_int_equal(df_mismatches, 0);
    uassert_true(df_counts[2] > 0);
}

static rt_err_t utest_tc_init(void)
{
    return tc_pin_self();
}

static rt_err_t utest_tc_cleanup(void)
{
    df_drop(0);
    df_drop(1);
    return tc_unpin_self();
}

static void testcase(void)
{
    TC_UNIT_RUN(test_random_sequences);
    TC_UNITS_DONE();
}
UTEST_TC_EXPORT(testcase, "components.mempool.differential", utest_tc_init, utest_tc_cleanup, 60);

#endif /* RTT_HOST_KERNEL && RTT_HOST_KERNEL_MEMPOOL */
