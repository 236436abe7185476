/* Interfaces between the parts of the host kernel (not for tests). */
#ifndef HOST_INTERNAL_H__
#define HOST_INTERNAL_H__

#include <rtthread.h>

/* sched.c */
int host_sched_run(rt_tick_t stop_tick);
void host_timer_check(void);
void host_sched_reset(void);
void host_thread_exit_current(void);
/* The kernel's timer thread (soft timers), recreated by host_sched_reset. */
rt_thread_t host_timer_thread(void);

/* object.c: unregisters every object stored in [lo, hi). */
void host_objects_forget_range(const char *lo, const char *hi);
/* object.c: rt_object_delete without rt_free's effects on the calling thread
 * (for memory RT-Thread frees later, in its idle thread). */
void host_object_delete_quietly(rt_object_t object);

/* kservice.c: gives an rt_malloc'd block back (poisoned) without the heap
 * lock's effects on the calling thread; NULL is ignored. */
void host_heap_release(void *ptr);

/* runner.c: marks the running test case (or the sample) failed. */
void host_fail_current(void);
#endif
