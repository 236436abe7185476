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
