/* Build configuration of the host test kernel (a 32-bit, single-CPU build). */
#ifndef RTCONFIG_H__
#define RTCONFIG_H__

#define RT_NAME_MAX 16
/* The test bed rebuilds with other alignments (-DRT_ALIGN_SIZE=4). */
#ifndef RT_ALIGN_SIZE
#define RT_ALIGN_SIZE 8
#endif
#define RT_THREAD_PRIORITY_MAX 32
#define RT_TICK_PER_SECOND 1000

/* Soft timers run in a timer thread, as with the BSP's defaults. */
#define RT_USING_TIMER_SOFT
#define RT_TIMER_THREAD_PRIO 4
#define RT_TIMER_THREAD_STACK_SIZE 4096

#define RT_USING_HOOK
#define RT_HOOK_USING_FUNC_PTR
#define RT_USING_HEAP
#define RT_USING_MEMPOOL
#define RT_USING_SEMAPHORE
#define RT_USING_CONSOLE
#define RT_USING_DEBUG
#define RT_DEBUGING_ASSERT
#define RT_DEBUGING_CONTEXT

#define RT_USING_FINSH
#define FINSH_USING_MSH
#define FINSH_USING_SYMTAB
#define FINSH_USING_DESCRIPTION
#define FINSH_THREAD_PRIORITY 20

#define RT_USING_UTEST
#define UTEST_THR_STACK_SIZE 4096
#define UTEST_THR_PRIORITY 20

#define RT_MAIN_THREAD_PRIORITY 10

/* Lets shared test files use host-only helpers (host_kernel.h). */
#ifndef RTT_HOST_KERNEL
#define RTT_HOST_KERNEL
#endif

#endif
