/* Interfaces between the parts of the host kernel (not for tests). */
#ifndef HOST_INTERNAL_H__
#define HOST_INTERNAL_H__

#include <rtthread.h>

/* Functions the -finstrument-functions hooks must not see. */
#define HOST_NO_INSTRUMENT __attribute__((no_instrument_function))

/* sched.c */
/* Runs threads until none is ready and no timer is pending (0), the tick
 * reaches stop_tick (1), or host_sched_abandon ends the run (2). */
int host_sched_run(rt_tick_t stop_tick);
/* Installs the tick interrupt of running threads (SIGVTALRM); stop removes it. */
void host_sched_start(void);
void host_sched_stop(void);
/* From a signal handler: ends the current run, leaving the running thread
 * where it is, when it is in test code (not in the kernel or libc); returns
 * 0 (and does nothing) otherwise. */
int host_sched_abandon(void *ucontext) HOST_NO_INSTRUMENT;
/* Test code called from kernel code runs as outside the kernel. */
int host_user_call_begin(void) HOST_NO_INSTRUMENT;
void host_user_call_end(int saved) HOST_NO_INSTRUMENT;
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
