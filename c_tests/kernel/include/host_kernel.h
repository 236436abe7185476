/*
 * Helpers that only the host test kernel offers. Test files that use them
 * wrap the use in #ifdef RTT_HOST_KERNEL so they still build on RT-Thread.
 */
#ifndef HOST_KERNEL_H__
#define HOST_KERNEL_H__

#include <rtthread.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Heap fault injection: the next n allocations succeed, every later one
 * fails until called again; n < 0 turns it off. */
void host_heap_fail_after(int n);
/* Number of rt_malloc/rt_calloc/rt_realloc blocks not yet freed. */
long host_heap_live_blocks(void);
/* rt_free overwrites a block with this byte before releasing it. */
#define HOST_HEAP_POISON 0xDD

/* 1 in a build under AddressSanitizer (gcc or clang), else 0. */
#if defined(__SANITIZE_ADDRESS__)
#define HOST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HOST_ASAN 1
#endif
#endif
#ifndef HOST_ASAN
#define HOST_ASAN 0
#endif

/* Console capture: everything rt_kprintf prints from begin until end is
 * also collected; end hands over a NUL-terminated rt_malloc'd copy (free it
 * with rt_free) and stops collecting. */
void host_capture_begin(void);
void host_capture_end(char **out);

/* Assertion count since start, including those a hook swallowed. */
int host_assert_count(void);

/* Sets the tick (for wrap-around tests); timers keep their absolute ticks. */
void host_tick_set(rt_tick_t tick);

/*
 * Timeout races of SMP on the one simulated CPU.
 *
 * On RT-Thread SMP a thread's timeout can be under way on another CPU — its
 * timer already taken off the timer list by that CPU's tick handler, the
 * callback about to run — while this CPU wakes the same thread. There,
 * rt_susp_list_dequeue (rt_sched_thread_ready) tries to stop the thread's
 * timer, the stop fails, and it returns RT_NULL leaving the thread suspended
 * on the list: only the timeout resumes it (rt_susp_list_resume_all stops at
 * such a thread). These hooks make that state on purpose:
 *
 * host_timer_defer(1): from now on a timer that expires is handled as when it
 *   fires — taken off the active timer list; a one-shot timer (every thread's
 *   own timer) is no longer activated, so rt_timer_stop on it returns
 *   -RT_ERROR; a periodic one stays activated — but its callback is held
 *   back. host_timer_defer(0) holds no further expiries; held ones stay held.
 * host_timer_run_deferred(): runs the held callbacks, oldest first: those of
 *   hard timers (thread timeouts included) in one simulated tick interrupt
 *   (a thread they make ready runs when it ends, if it preempts the caller),
 *   then those of soft timers in the caller's context. Returns how many ran.
 *   Callable from a thread or an interrupt; a callback held while it runs
 *   waits for the next call.
 * host_timer_deferred_count(): how many callbacks are held.
 * host_tick_advance(n): n tick interrupts now, while the calling thread runs
 *   (it is interrupted, not suspended): the tick advances by n and expired
 *   timers fire, or are held. Use it instead of sleeping while deferral is
 *   on: the sleeping thread's own timer would be held too.
 *
 * A held expiry of a timer that is detached or deleted (with its thread, for
 * a thread's timer) is dropped. Each test case starts with deferral off and
 * nothing held. If a thread is made ready by another path while its timeout
 * is held (a second rt_susp_list_dequeue succeeds: the failed stop cleared
 * the thread's timer flag, as in RT-Thread 5.3), the held timeout asserts
 * when it runs, as RT-Thread's does.
 */
void host_timer_defer(int on);
int host_timer_run_deferred(void);
int host_timer_deferred_count(void);
void host_tick_advance(rt_tick_t ticks);

#ifdef __cplusplus
}
#endif

#endif
