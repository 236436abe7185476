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

#ifdef __cplusplus
}
#endif

#endif
