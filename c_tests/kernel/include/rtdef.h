/*
 * Types, constants and kernel structures of the host test kernel.
 *
 * Names, values and the layout of every structure the library sees
 * (rt_object, rt_list_node, rt_spinlock, rt_mempool, rt_object_information)
 * follow RT-Thread 5.x for a single-CPU build with RT_USING_DEBUG, on 32-bit
 * (i686) and 64-bit (x86-64) hosts alike, so code compiled against these
 * headers is ABI-compatible with the real kernel of the same word size.
 * rt_thread and rt_timer have host layouts: only the members named here are
 * part of the contract.
 */
#ifndef RT_DEF_H__
#define RT_DEF_H__

#include <rtconfig.h>
#include <stddef.h>
#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

/* --- basic types (RT-Thread's own, without libc types): on a 64-bit CPU
 * (ARCH_CPU_64BIT, which RT-Thread defines for x86-64) the 64-bit types are
 * long, and rt_base_t / rt_ubase_t, and so rt_size_t and rt_err_t, are
 * 64-bit longs; on a 32-bit CPU they are 32-bit ints --- */
#if (defined(__x86_64__) || defined(__LP64__)) && !defined(ARCH_CPU_64BIT)
#define ARCH_CPU_64BIT
#endif

typedef int                 rt_bool_t;
typedef signed char         rt_int8_t;
typedef signed short        rt_int16_t;
typedef signed int          rt_int32_t;
typedef unsigned char       rt_uint8_t;
typedef unsigned short      rt_uint16_t;
typedef unsigned int        rt_uint32_t;
#ifdef ARCH_CPU_64BIT
typedef signed long         rt_int64_t;
typedef unsigned long       rt_uint64_t;
typedef rt_int64_t          rt_base_t;
typedef rt_uint64_t         rt_ubase_t;
#else
typedef signed long long    rt_int64_t;
typedef unsigned long long  rt_uint64_t;
typedef rt_int32_t          rt_base_t;
typedef rt_uint32_t         rt_ubase_t;
#endif

typedef rt_ubase_t          rt_size_t;
typedef rt_base_t           rt_ssize_t;
typedef rt_base_t           rt_intptr_t;
typedef rt_ubase_t          rt_uintptr_t;
typedef rt_base_t           rt_err_t;
typedef rt_uint32_t         rt_tick_t;
typedef rt_base_t           rt_flag_t;
typedef rt_ubase_t          rt_dev_t;
typedef rt_base_t           rt_off_t;
typedef rt_base_t           rt_atomic_t;

#define RT_TRUE   1
#define RT_FALSE  0
#define RT_NULL   0

#define RT_UINT8_MAX   0xFFu
#define RT_UINT16_MAX  0xFFFFu
#define RT_UINT32_MAX  0xFFFFFFFFu
#define RT_TICK_MAX    RT_UINT32_MAX

/* --- compiler helpers --- */
#define rt_section(x)     __attribute__((section(x)))
#define rt_used           __attribute__((used))
#define rt_align(n)       __attribute__((aligned(n)))
#define rt_weak           __attribute__((weak))
#define rt_noreturn       __attribute__((noreturn))
#define rt_inline         static __inline
#define rt_always_inline  rt_inline
#define RT_UNUSED(x)      ((void)(x))

#define RT_ALIGN(size, align)       (((size) + (align) - 1) & ~((align) - 1))
#define RT_ALIGN_DOWN(size, align)  ((size) & ~((align) - 1))
#define RT_ARRAY_SIZE(arr)          (sizeof(arr) / sizeof((arr)[0]))

/* --- error codes (values of RT-Thread built without libc errno) --- */
#define RT_EOK           0
#define RT_ERROR         1
#define RT_ETIMEOUT      2
#define RT_EFULL         3
#define RT_EEMPTY        4
#define RT_ENOMEM        5
#define RT_ENOSYS        6
#define RT_EBUSY         7
#define RT_EIO           8
#define RT_EINTR         9
#define RT_EINVAL        10
#define RT_ENOENT        11
#define RT_ENOSPC        12
#define RT_EPERM         13
#define RT_ETRAP         14
#define RT_EFAULT        15
#define RT_ENOBUFS       16
#define RT_ESCHEDISR     17
#define RT_ESCHEDLOCKED  18

#define RT_WAITING_FOREVER  -1
#define RT_WAITING_NO       0

#define RT_IPC_FLAG_FIFO  0x00
#define RT_IPC_FLAG_PRIO  0x01
#define RT_IPC_CMD_UNKNOWN 0x00
#define RT_IPC_CMD_RESET   0x01
#define RT_IPC_CMD_GET_STATE 0x02
#define RT_SEM_VALUE_MAX  RT_UINT16_MAX

/* --- lists --- */
struct rt_list_node
{
    struct rt_list_node *next;
    struct rt_list_node *prev;
};
typedef struct rt_list_node rt_list_t;

struct rt_slist_node
{
    struct rt_slist_node *next;
};
typedef struct rt_slist_node rt_slist_t;

/* --- spinlock: single-CPU layout with RT_USING_DEBUG --- */
struct rt_spinlock
{
    rt_uint32_t critical_level;
    rt_ubase_t  lock;
};
#define RT_SPINLOCK_INIT {0}
#define RT_DEFINE_SPINLOCK(x) struct rt_spinlock x = RT_SPINLOCK_INIT

/* --- kernel objects --- */
struct rt_object
{
    char        name[RT_NAME_MAX];
    rt_uint8_t  type;
    rt_uint8_t  flag;
    rt_list_t   list;
};
typedef struct rt_object *rt_object_t;

typedef rt_err_t (*rt_object_iter_t)(rt_object_t object, void *data);

enum rt_object_class_type
{
    RT_Object_Class_Null          = 0x00,
    RT_Object_Class_Thread        = 0x01,
    RT_Object_Class_Semaphore     = 0x02,
    RT_Object_Class_Mutex         = 0x03,
    RT_Object_Class_Event         = 0x04,
    RT_Object_Class_MailBox       = 0x05,
    RT_Object_Class_MessageQueue  = 0x06,
    RT_Object_Class_MemHeap       = 0x07,
    RT_Object_Class_MemPool       = 0x08,
    RT_Object_Class_Device        = 0x09,
    RT_Object_Class_Timer         = 0x0a,
    RT_Object_Class_Module        = 0x0b,
    RT_Object_Class_Memory        = 0x0c,
    RT_Object_Class_Channel       = 0x0d,
    RT_Object_Class_ProcessGroup  = 0x0e,
    RT_Object_Class_Session       = 0x0f,
    RT_Object_Class_Custom        = 0x10,
    RT_Object_Class_Unknown       = 0x11,
    RT_Object_Class_Static        = 0x80
};

struct rt_object_information
{
    enum rt_object_class_type type;
    rt_list_t                 object_list;
    rt_size_t                 object_size;
    struct rt_spinlock        spinlock;
};

/* Symbol export for dynamic modules: none on the host. */
#define RTM_EXPORT(symbol)

/* The release this host kernel behaves as (the suspend-list API, FIFO waiters). */
#define RT_VERSION_MAJOR 5
#define RT_VERSION_MINOR 3
#define RT_VERSION_PATCH 0

/* Hook call points, as with RT_HOOK_USING_FUNC_PTR. */
#define __ON_HOOK_ARGS(__hook, argv) do { if ((__hook) != RT_NULL) __hook argv; } while (0)
#define RT_OBJECT_HOOK_CALL(func, argv) __ON_HOOK_ARGS(func, argv)

/* --- timers --- */
#define RT_TIMER_FLAG_DEACTIVATED   0x0
#define RT_TIMER_FLAG_ACTIVATED     0x1
#define RT_TIMER_FLAG_ONE_SHOT      0x0
#define RT_TIMER_FLAG_PERIODIC      0x2
#define RT_TIMER_FLAG_HARD_TIMER    0x0
#define RT_TIMER_FLAG_SOFT_TIMER    0x4
#define RT_TIMER_FLAG_THREAD_TIMER  (0x8 | RT_TIMER_FLAG_HARD_TIMER)

#define RT_TIMER_CTRL_SET_TIME         0x0
#define RT_TIMER_CTRL_GET_TIME         0x1
#define RT_TIMER_CTRL_SET_ONESHOT      0x2
#define RT_TIMER_CTRL_SET_PERIODIC     0x3
#define RT_TIMER_CTRL_GET_STATE        0x4
#define RT_TIMER_CTRL_GET_REMAIN_TIME  0x5
#define RT_TIMER_CTRL_GET_FUNC         0x6
#define RT_TIMER_CTRL_SET_FUNC         0x7
#define RT_TIMER_CTRL_GET_PARM         0x8
#define RT_TIMER_CTRL_SET_PARM         0x9

#define RT_TIMER_SKIP_LIST_LEVEL 1

typedef void (*rt_timer_func_t)(void *parameter);

struct rt_timer
{
    struct rt_object parent;
    rt_list_t        row[RT_TIMER_SKIP_LIST_LEVEL];   /* node in the active list */
    rt_timer_func_t  timeout_func;
    void            *parameter;
    rt_tick_t        init_tick;
    rt_tick_t        timeout_tick;
};
typedef struct rt_timer *rt_timer_t;

/* --- threads --- */
#define RT_THREAD_INIT     0x00
#define RT_THREAD_CLOSE    0x01
#define RT_THREAD_READY    0x02
#define RT_THREAD_RUNNING  0x03

enum
{
    RT_INTERRUPTIBLE = 0,
    RT_KILLABLE,
    RT_UNINTERRUPTIBLE,
};

#define RT_THREAD_SUSPEND_MASK             0x04
#define RT_SIGNAL_COMMON_WAKEUP_MASK       0x02
#define RT_SIGNAL_KILL_WAKEUP_MASK         0x01
#define RT_THREAD_SUSPEND_INTERRUPTIBLE    (RT_THREAD_SUSPEND_MASK)
#define RT_THREAD_SUSPEND                  RT_THREAD_SUSPEND_INTERRUPTIBLE
#define RT_THREAD_SUSPEND_KILLABLE         (RT_THREAD_SUSPEND_MASK | RT_SIGNAL_COMMON_WAKEUP_MASK)
#define RT_THREAD_SUSPEND_UNINTERRUPTIBLE  (RT_THREAD_SUSPEND_MASK | RT_SIGNAL_COMMON_WAKEUP_MASK | RT_SIGNAL_KILL_WAKEUP_MASK)
#define RT_THREAD_STAT_MASK                0x07
#define RT_THREAD_STAT_YIELD               0x08
#define RT_THREAD_STAT_YIELD_MASK          RT_THREAD_STAT_YIELD

#define RT_THREAD_CTRL_STARTUP          0x00
#define RT_THREAD_CTRL_CLOSE            0x01
#define RT_THREAD_CTRL_CHANGE_PRIORITY  0x02
#define RT_THREAD_CTRL_INFO             0x03
#define RT_THREAD_CTRL_BIND_CPU         0x04
#define RT_THREAD_CTRL_RESET_PRIORITY   0x05

struct rt_thread;
typedef void (*rt_thread_cleanup_t)(struct rt_thread *tid);

struct rt_thread
{
    struct rt_object    parent;
    void               *sp;
    void               *entry;
    void               *parameter;
    void               *stack_addr;
    rt_uint32_t         stack_size;
    rt_err_t            error;
    rt_list_t           tlist;            /* ready queue or suspend list node */
    rt_uint8_t          stat;
    rt_uint8_t          current_priority;
    rt_uint8_t          init_priority;
    rt_uint8_t          timer_set;        /* thread_timer is running */
    rt_uint32_t         init_tick;
    rt_uint32_t         remaining_tick;
    struct rt_timer     thread_timer;
    rt_thread_cleanup_t cleanup;
    rt_ubase_t          user_data;
    void               *host;             /* host context, private to the kernel */
};
typedef struct rt_thread *rt_thread_t;

/* Accessors with the names of RT-Thread 5.x's scheduler context macros. */
#define RT_THREAD_LIST_NODE(thread)      ((thread)->tlist)
#define RT_THREAD_LIST_NODE_ENTRY(node)  rt_list_entry((node), struct rt_thread, tlist)

/* --- IPC --- */
struct rt_ipc_object
{
    struct rt_object parent;
    rt_list_t        suspend_thread;
};

struct rt_semaphore
{
    struct rt_ipc_object parent;
    rt_uint16_t          value;
    rt_uint16_t          max_value;
    struct rt_spinlock   spinlock;
};
typedef struct rt_semaphore *rt_sem_t;

/* --- memory pool --- */
struct rt_mempool
{
    struct rt_object    parent;
    void               *start_address;
    rt_size_t           size;
    rt_size_t           block_size;
    rt_uint8_t         *block_list;
    rt_size_t           block_total_count;
    rt_size_t           block_free_count;
    rt_list_t           suspend_thread;
    struct rt_spinlock  spinlock;
};
typedef struct rt_mempool *rt_mp_t;

#ifdef __cplusplus
}
#endif

#endif
