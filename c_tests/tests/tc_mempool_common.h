/*
 * Shared helpers of the rtt-mempool C test suite.
 *
 * The test files use only RT-Thread's public API and utest, so that they build
 * both against the project's host test kernel and inside a real RT-Thread 5.3
 * image. Everything here is static (one test case per translation unit).
 */
#ifndef TC_MEMPOOL_COMMON_H__
#define TC_MEMPOOL_COMMON_H__

#include <rtthread.h>
#include <rthw.h>
#include "utest.h"

/* The library's header defines RTT_MEMPOOL_HARDENED when the package does not
 * pass it on the command line; the kernel's C mempool ships no such header. */
#if !defined(RTT_MEMPOOL_HARDENED) && defined(__has_include)
#if __has_include("rtt_mempool.h")
#include "rtt_mempool.h"
#endif
#endif

/*
 * utest assertions that RT-Thread added in 5.2 (utest_assert.h); 4.1, 5.0 and 5.1 lack them.
 * Same checks and messages as 5.2's.
 */
#ifndef uassert_ptr_equal
#define uassert_ptr_equal(a, b)                                                \
    __utest_assert((const void *)(a) == (const void *)(b), "(" #a ") not equal to (" #b ")")
#endif
#ifndef uassert_ptr_not_equal
#define uassert_ptr_not_equal(a, b)                                            \
    __utest_assert((const void *)(a) != (const void *)(b), "(" #a ") equal to (" #b ")")
#endif
#ifndef uassert_value_less
#define uassert_value_less(a, b)                                               \
    __utest_assert((a) < (b), "(" #a ") not less than (" #b ")")
#endif
#ifndef uassert_value_less_equal
#define uassert_value_less_equal(a, b)                                         \
    __utest_assert((a) <= (b), "(" #a ") not less than or equal to (" #b ")")
#endif

#ifndef UTEST_THR_PRIORITY
#ifdef FINSH_THREAD_PRIORITY
#define UTEST_THR_PRIORITY FINSH_THREAD_PRIORITY
#else
#define UTEST_THR_PRIORITY 20
#endif
#endif

/* Priorities relative to the thread that runs the test case (0 is highest). */
#define TC_PRIO_HIGHER      (UTEST_THR_PRIORITY - 2)
#define TC_PRIO_LOWER       (UTEST_THR_PRIORITY + 2)
#define TC_PRIO_ABOVE(n)    (UTEST_THR_PRIORITY - (n))

#if defined(ARCH_CPU_64BIT) && !defined(RTT_HOST_KERNEL)
/* 64-bit ports save more on an interrupt, on the running thread's stack: on AArch64 an
 * 800-byte frame, then the handler's frames and, when it switches threads, a 640-byte one.
 * Interrupts landing on a stress worker overflowed its 2048 bytes on qemu-virt64-aarch64
 * SMP (RT-Thread 5.3, the BSP's -O0) in one run of four. */
#define TC_STACK_SIZE       4096
#else
#define TC_STACK_SIZE       2048
#endif
#define TC_TIMESLICE        5
#define TC_TIMEOUT          10

/*
 * SMP: the suite checks single-CPU scheduling properties (a woken thread of
 * higher priority runs before the waking call returns; a ready thread of lower
 * priority does not run while the test thread runs). With RT_USING_SMP they
 * hold per CPU, so, as RT-Thread's own utests do (src/utest/messagequeue_tc.c),
 * every test case's init binds the test thread to TC_CPU (tc_pin_self), every
 * thread a test creates is bound to it before it starts (tc_thread_create), and
 * every cleanup unbinds the test thread again (tc_unpin_self; RT_CPUS_NR as the
 * cpu means "no binding", the state utest creates its thread in). Without SMP
 * these do nothing. CPU 0 in particular: on SMP rt_tick_get() is CPU 0's tick,
 * so only there does "interrupts off, no tick passes" hold (misuse_context).
 */
#define TC_CPU 0

/* Bind thread t (not yet started, or the caller itself) to TC_CPU. */
static inline rt_err_t tc_bind(rt_thread_t t)
{
#ifdef RT_USING_SMP
    return rt_thread_control(t, RT_THREAD_CTRL_BIND_CPU, (void *)(rt_ubase_t)TC_CPU);
#else
    (void)t;
    return RT_EOK;
#endif
}

/* Bind the test thread to TC_CPU and make sure it runs there; for init. */
static inline rt_err_t tc_pin_self(void)
{
#ifdef RT_USING_SMP
    int i;
    rt_err_t err;

#ifndef RT_VERSION_MAJOR
    /* 4.1 binds a thread only before it starts (RT_THREAD_CTRL_BIND_CPU on a running one
     * fails): there the test bed runs utest in a thread bound to TC_CPU before its start
     * (bed_utest_pinned, bsp/qemu-vexpress-a9/bed_pinned.c). */
    if (rt_thread_self()->bind_cpu == TC_CPU && rt_hw_cpu_id() == TC_CPU)
        return RT_EOK;
#endif
    err = tc_bind(rt_thread_self());
    if (err != RT_EOK)
        return err;
    /* a running thread bound to another CPU moves at its next reschedule */
    for (i = 0; i < 10 && rt_hw_cpu_id() != TC_CPU; i++)
        rt_thread_delay(1);
    return rt_hw_cpu_id() == TC_CPU ? RT_EOK : -RT_ERROR;
#else
    return RT_EOK;
#endif
}

/* Undo tc_pin_self; for cleanup, after the test case's threads are gone. */
static inline rt_err_t tc_unpin_self(void)
{
#if defined(RT_USING_SMP) && !defined(RT_VERSION_MAJOR)
    return RT_EOK; /* 4.1: the bed's utest thread stays bound (see tc_pin_self) */
#elif defined(RT_USING_SMP)
    return rt_thread_control(rt_thread_self(), RT_THREAD_CTRL_BIND_CPU,
                             (void *)(rt_ubase_t)RT_CPUS_NR);
#else
    return RT_EOK;
#endif
}

/* rt_thread_create with the suite's stack and time slice, bound to TC_CPU. */
static inline rt_thread_t tc_thread_create(const char *name, void (*entry)(void *),
                                           void *arg, rt_uint8_t prio)
{
    rt_thread_t t = rt_thread_create(name, entry, arg, TC_STACK_SIZE, prio, TC_TIMESLICE);

    if (t != RT_NULL && tc_bind(t) != RT_EOK)
    {
        rt_thread_delete(t);
        t = RT_NULL;
    }
    return t;
}

/*
 * Expectations that differ between RT-Thread releases, chosen from the kernel's version
 * macros (4.1 has RT_VERSION/RT_SUBVERSION, 5.x RT_VERSION_MAJOR/MINOR): RT-Thread 5.1
 * moved IPC waiters to the scheduler's suspend-list API, which queues them first come, first
 * served and ignores negative errors, so detach/delete wake them with RT_ERROR; 4.1 and 5.0
 * push a waiter at the head of the list (a free wakes the most recent one) and set
 * -RT_ERROR themselves. This library follows the release it is built against.
 */
#if defined(RT_VERSION_MAJOR) && (RT_VERSION_MAJOR > 5 || (RT_VERSION_MAJOR == 5 && RT_VERSION_MINOR >= 1))
#define TC_RETIRED_ERROR RT_ERROR
#define TC_WAKE_FIFO 1
#else
#define TC_RETIRED_ERROR (-RT_ERROR)
#define TC_WAKE_FIFO 0
#endif

/*
 * RT-Thread 5.2's single-core rt_spin_unlock_irqrestore ends with rt_exit_critical_safe,
 * which reschedules: a higher-priority thread made ready inside a call that takes and
 * releases a spinlock (rt_mp_detach: the kernel's rt_object_detach) runs before that call
 * returns. The kernel's own C mempool does the same there; other releases do not.
 */
#if defined(RT_VERSION_MAJOR) && RT_VERSION_MAJOR == 5 && RT_VERSION_MINOR == 2 && !defined(RT_USING_SMP)
#define TC_UNLOCK_RESCHEDULES 1
#else
#define TC_UNLOCK_RESCHEDULES 0
#endif

/* Bound for every wait on another thread: one second worth of ticks. */
#define TC_WAIT_TICKS       ((rt_tick_t)RT_TICK_PER_SECOND)

/* One block's slot in a pool: the aligned block plus its pointer header. */
#define TC_SLOT(block_size) (RT_ALIGN((rt_size_t)(block_size), RT_ALIGN_SIZE) + sizeof(rt_uint8_t *))

/*
 * A static buffer with RT_ALIGN_SIZE bytes of slack: tc_aligned() gives its
 * first RT_ALIGN_SIZE-aligned byte (a union alone does not guarantee 8-byte
 * alignment on i386, where doubles are 4-byte aligned inside aggregates).
 */
#define TC_BUFFER(name, n)                                                     \
    static union                                                               \
    {                                                                          \
        rt_uint8_t b[(n) + RT_ALIGN_SIZE];                                     \
        void *p;                                                               \
        double d;                                                              \
    } name

static inline void *tc_aligned(void *p)
{
    return (void *)RT_ALIGN((rt_ubase_t)p, (rt_ubase_t)RT_ALIGN_SIZE);
}

/* Region bytes for exactly n blocks: rt_mp_init aligns the size down to
 * RT_ALIGN_SIZE, so n slots are rounded up to it. */
#define TC_POOL_BYTES(n, block_size) RT_ALIGN((rt_size_t)(n) * TC_SLOT(block_size), RT_ALIGN_SIZE)

/* The number of blocks RT-Thread's rt_mp_init makes from a region. */
static inline rt_size_t tc_expected_count(rt_size_t size, rt_size_t block_size)
{
    return RT_ALIGN_DOWN(size, RT_ALIGN_SIZE) / TC_SLOT(block_size);
}

/* Address of block k of a pool whose region starts at start. */
static inline void *tc_block_addr(void *start, rt_size_t block_size, rt_size_t k)
{
    return (rt_uint8_t *)start + k * TC_SLOT(block_size) + sizeof(rt_uint8_t *);
}

/* Does the pool hand out [block, block + block_size) inside its region? */
static inline int tc_block_in_pool(const struct rt_mempool *mp, const void *block)
{
    const rt_uint8_t *b = (const rt_uint8_t *)block;
    const rt_uint8_t *s = (const rt_uint8_t *)mp->start_address;

    if (b == RT_NULL || b < s + sizeof(rt_uint8_t *))
        return 0;
    if ((rt_size_t)(b - s) + mp->block_size > mp->size)
        return 0;
    return 1;
}

/* Is block a slot boundary of the pool (block k's user pointer for some k)? */
static inline int tc_block_on_slot(const struct rt_mempool *mp, const void *block)
{
    rt_size_t off;

    if (!tc_block_in_pool(mp, block))
        return 0;
    off = (rt_size_t)((const rt_uint8_t *)block - (const rt_uint8_t *)mp->start_address)
          - sizeof(rt_uint8_t *);
    return (off % (mp->block_size + sizeof(rt_uint8_t *))) == 0;
}

/* Detach a static pool left live by a failed unit (flag tells whether it is). */
static inline void tc_mp_drop(struct rt_mempool *mp, int *live)
{
    if (*live)
        rt_mp_detach(mp);
    *live = 0;
}

/*
 * Is the live pool struct *a the same as *b (a copy taken before a call that
 * must leave the pool as it was)? On a single CPU: byte for byte. On SMP:
 * every field but the spinlock, since a ticket lock's counters move each time
 * the lock is taken and released, also by a call that changes nothing. (A
 * struct that is not a live pool, such as a detached one, is compared byte for
 * byte everywhere: nothing may take its lock.)
 */
static inline int tc_mp_same(const struct rt_mempool *a, const struct rt_mempool *b)
{
#ifdef RT_USING_SMP
    return rt_memcmp(&a->parent, &b->parent, sizeof(a->parent)) == 0
           && a->start_address == b->start_address
           && a->size == b->size
           && a->block_size == b->block_size
           && a->block_list == b->block_list
           && a->block_total_count == b->block_total_count
           && a->block_free_count == b->block_free_count
           && a->suspend_thread.next == b->suspend_thread.next
           && a->suspend_thread.prev == b->suspend_thread.prev;
#else
    return rt_memcmp(a, b, sizeof(*a)) == 0;
#endif
}

/* Number of threads suspended on a pool. */
static inline int tc_waiters(struct rt_mempool *mp)
{
    int n = 0;
    rt_list_t *node;

    rt_enter_critical();
    for (node = mp->suspend_thread.next; node != &mp->suspend_thread && n < 1000; node = node->next)
        n++;
    rt_exit_critical();
    return n;
}

/* An assertion that also ends the current unit when it fails, for checks whose
 * failure would make the following code crash or hang. */
#define TC_REQUIRE(cond)                                                       \
    do {                                                                       \
        int tc_ok_ = (cond) ? 1 : 0;                                           \
        utest_assert(tc_ok_, __FILE__, __LINE__, __func__,                     \
                     "(" #cond ") is false");                                  \
        if (!tc_ok_)                                                           \
            return;                                                            \
    } while (0)

/*
 * RT-Thread 5.3's utest resets the failure count at the start of every unit
 * and judges the test case only by the last one. TC_UNIT_RUN runs a unit with
 * UTEST_UNIT_RUN and remembers whether it failed; TC_UNITS_DONE runs a final
 * unit that fails when any earlier one did, so the test case is reported as
 * FAILED whichever unit failed.
 */
static rt_uint32_t tc_failed_units;

static inline void tc_all_units_passed(void)
{
    uassert_int_equal(tc_failed_units, 0);
    tc_failed_units = 0;
}

#define TC_UNIT_RUN(fn)                                                        \
    do {                                                                       \
        UTEST_UNIT_RUN(fn);                                                    \
        if (utest_handle_get()->failed_num != 0)                               \
            tc_failed_units++;                                                 \
    } while (0)

#define TC_UNITS_DONE() UTEST_UNIT_RUN(tc_all_units_passed)

/* Sleep a tick at a time until *flag == value or max_ticks have passed. */
static inline int tc_wait_flag(volatile int *flag, int value, rt_tick_t max_ticks)
{
    rt_tick_t waited = 0;

    while (*flag != value && waited < max_ticks)
    {
        rt_thread_delay(1);
        waited++;
    }
    return *flag == value;
}

/*
 * A thread that calls rt_mp_alloc(mp, wait) once and records the result.
 * state: 0 created, 1 inside rt_mp_alloc, 2 returned.
 */
struct tc_waiter
{
    rt_mp_t          mp;
    rt_int32_t       wait;
    volatile int     state;
    void *volatile   block;
    volatile rt_err_t err;
    volatile rt_tick_t t_begin;
    volatile rt_tick_t t_end;
    volatile int    *seq;       /* shared return counter, or RT_NULL */
    volatile int     order;     /* value of *seq when this waiter returned */
    rt_thread_t      tid;
};

static inline void tc_waiter_entry(void *arg)
{
    struct tc_waiter *w = (struct tc_waiter *)arg;
    void *block;

    w->t_begin = rt_tick_get();
    w->state = 1;
    block = rt_mp_alloc(w->mp, w->wait);
    w->err = rt_get_errno();
    w->t_end = rt_tick_get();
    w->block = block;
    if (w->seq != RT_NULL)
    {
        w->order = *w->seq;
        *w->seq = *w->seq + 1;
    }
    w->state = 2;
}

/* Create and start a waiter; returns RT_EOK when the thread was started. */
static inline rt_err_t tc_waiter_start(struct tc_waiter *w, const char *name, rt_mp_t mp,
                                       rt_int32_t wait, rt_uint8_t prio, volatile int *seq)
{
    w->mp = mp;
    w->wait = wait;
    w->state = 0;
    w->block = RT_NULL;
    w->err = RT_EOK;
    w->t_begin = 0;
    w->t_end = 0;
    w->seq = seq;
    w->order = -1;
    w->tid = tc_thread_create(name, tc_waiter_entry, w, prio);
    if (w->tid == RT_NULL)
        return -RT_ENOMEM;
    return rt_thread_startup(w->tid);
}

/* Wait (bounded) for a waiter to return from rt_mp_alloc. */
static inline int tc_waiter_join(struct tc_waiter *w)
{
    if (w->tid == RT_NULL)
        return 1;
    if (tc_wait_flag(&w->state, 2, TC_WAIT_TICKS))
    {
        /* give the thread the chance to finish its exit path */
        rt_thread_delay(1);
        w->tid = RT_NULL;
        return 1;
    }
    return 0;
}

/*
 * Cleanup for a waiter of a failing test: wait a little for it to return (the
 * caller detaches or deletes its pool first, which wakes it), then delete it
 * if it never did.
 */
static inline void tc_waiter_reap(struct tc_waiter *w)
{
    if (w->tid != RT_NULL && !tc_wait_flag(&w->state, 2, 10))
        rt_thread_delete(w->tid);
    else if (w->tid != RT_NULL)
        rt_thread_delay(1);
    w->tid = RT_NULL;
}

/*
 * The lock the kernel takes around its object lists: the container's spinlock from 5.1
 * (struct rt_object_information has one); 4.1 and 5.0 have none and mask interrupts
 * (rt_hw_interrupt_disable, which is the global rt_cpus_lock on their SMP builds).
 */
#if defined(RT_VERSION_MAJOR) && (RT_VERSION_MAJOR > 5 || (RT_VERSION_MAJOR == 5 && RT_VERSION_MINOR >= 1))
#define TC_OBJECT_LIST_LOCK(info, level) ((level) = rt_spin_lock_irqsave(&(info)->spinlock))
#define TC_OBJECT_LIST_UNLOCK(info, level) rt_spin_unlock_irqrestore(&(info)->spinlock, (level))
#else
#define TC_OBJECT_LIST_LOCK(info, level) ((void)(info), (level) = rt_hw_interrupt_disable())
#define TC_OBJECT_LIST_UNLOCK(info, level) rt_hw_interrupt_enable(level)
#endif

/*
 * How many times obj is in the kernel's MemPool object list (the list that
 * `list mempool` and rt_object_find walk); with total != RT_NULL also the
 * length of the list. Walked under the container's spinlock, as the kernel
 * links and unlinks objects under it.
 */
static inline int tc_object_list_count(void *obj, int *total)
{
    struct rt_object_information *info = rt_object_get_information(RT_Object_Class_MemPool);
    rt_list_t *node;
    rt_base_t level;
    int found = 0, n = 0;

    if (info == RT_NULL)
        return -1;
    TC_OBJECT_LIST_LOCK(info, level);
    for (node = info->object_list.next; node != &info->object_list && n < 10000; node = node->next, n++)
    {
        if (rt_list_entry(node, struct rt_object, list) == (struct rt_object *)obj)
            found++;
    }
    TC_OBJECT_LIST_UNLOCK(info, level);
    if (total != RT_NULL)
        *total = n;
    return found;
}

/* Fill byte i of block k with a pattern that differs between blocks. */
static inline rt_uint8_t tc_pattern(rt_size_t k, rt_size_t i)
{
    return (rt_uint8_t)(k * 31u + i * 7u + 1u);
}

static inline void tc_fill(void *block, rt_size_t len, rt_size_t k)
{
    rt_size_t i;
    rt_uint8_t *p = (rt_uint8_t *)block;

    for (i = 0; i < len; i++)
        p[i] = tc_pattern(k, i);
}

static inline int tc_check(const void *block, rt_size_t len, rt_size_t k)
{
    rt_size_t i;
    const rt_uint8_t *p = (const rt_uint8_t *)block;

    for (i = 0; i < len; i++)
        if (p[i] != tc_pattern(k, i))
            return 0;
    return 1;
}

/* Is the object registered under name the given object? */
static inline int tc_found(const char *name, void *obj)
{
    return rt_object_find(name, RT_Object_Class_MemPool) == (rt_object_t)obj;
}

/*
 * Interrupt context for a test body: fn(arg) runs, with interrupts disabled, where the kernel
 * counts the caller as inside an interrupt handler (rt_interrupt_get_nest() >= 1).
 *
 * Most ports count rt_interrupt_enter() calls, and a thread stands for a handler between
 * rt_interrupt_enter() and rt_interrupt_leave() (as the host kernel, and RT-Thread's own
 * utests, do). Some take it from the CPU instead: RT-Thread 5.3's libcpu/arm/cortex-m4
 * answers IPSR != 0, so no thread is ever in interrupt context there. Which of the two holds
 * is seen at run time (the nest right after rt_interrupt_enter()); on the second kind fn runs
 * in a real handler, the system tick's: a one-shot hard timer of one tick, which RT-Thread
 * calls from rt_tick_increase inside the BSP's tick interrupt. Returns 1 once fn has run
 * (0: the tick never came within a second).
 */
typedef void (*tc_isr_body_t)(void *arg);

#ifndef RTT_HOST_KERNEL
struct tc_isr_call
{
    tc_isr_body_t fn;
    void *arg;
    volatile int done;
};

static inline void tc_isr_timeout(void *parameter)
{
    struct tc_isr_call *call = (struct tc_isr_call *)parameter;
    rt_base_t level = rt_hw_interrupt_disable();

    call->fn(call->arg);
    rt_hw_interrupt_enable(level);
    call->done = 1;
}
#endif

static inline int tc_in_isr(tc_isr_body_t fn, void *arg)
{
    rt_base_t level;
    rt_uint8_t counted;

    level = rt_hw_interrupt_disable();
    rt_interrupt_enter();
    counted = rt_interrupt_get_nest();
    if (counted)
        fn(arg);
    rt_interrupt_leave();
    rt_hw_interrupt_enable(level);
    if (counted)
        return 1;
#ifndef RTT_HOST_KERNEL
    {
        struct rt_timer timer;
        struct tc_isr_call call;
        rt_tick_t t0;

        call.fn = fn;
        call.arg = arg;
        call.done = 0;
        rt_timer_init(&timer, "tcisr", tc_isr_timeout, &call, 1,
                      RT_TIMER_FLAG_ONE_SHOT | RT_TIMER_FLAG_HARD_TIMER);
        rt_timer_start(&timer);
        for (t0 = rt_tick_get(); !call.done && rt_tick_get() - t0 < RT_TICK_PER_SECOND;)
            rt_thread_delay(1);
        rt_timer_stop(&timer);
        rt_timer_detach(&timer);
        return call.done;
    }
#else
    return 0;
#endif
}

#endif /* TC_MEMPOOL_COMMON_H__ */
