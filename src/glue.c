/*
 * C glue: what the Rust library cannot call directly because the user's kernel offers it
 * only as a macro or a static inline function, and the msh command `mp_check`.
 *
 * build.rs decides what is compiled here from bindgen's view of the same headers:
 * - RTT_WRAP_<function>: the headers declare no such function (a macro or a static inline
 *   in this release and configuration), so the library calls this wrapper instead;
 * - RTT_SUSP_LIST: the scheduler has the suspend-list API (rt_thread_suspend_to_list, ...);
 *   without it, waiters are queued as that kernel's own C mempool queues them;
 * - RTT_PLAIN_ATOMIC_VIEW: bindgen read the headers with rt_atomic_t as a plain integer
 *   (see below).
 * Everything else the library calls directly through bindgen's declarations.
 */
#include <rtthread.h>
#include <rthw.h>

#if defined(RTT_PLAIN_ATOMIC_VIEW) && defined(RT_USING_STDC_ATOMIC)
/*
 * RTT_PLAIN_ATOMIC_VIEW: build.rs read these headers without RT_USING_STDC_ATOMIC (clang
 * cannot compile their inline atomics), so the bindings lay out every rt_atomic_t as the
 * plain integer. The BSP's compiler, on the real configuration, confirms that the layouts
 * are the same.
 */
_Static_assert(sizeof(rt_atomic_t) == sizeof(rt_base_t) &&
               _Alignof(rt_atomic_t) == _Alignof(rt_base_t),
               "rtt-mempool: rt_atomic_t is not laid out as rt_base_t");
#endif

#ifdef RTT_WRAP_RT_HW_INTERRUPT_DISABLE
rt_base_t rtt_mempool_rt_hw_interrupt_disable(void)
{
    return rt_hw_interrupt_disable();
}
#endif

#ifdef RTT_WRAP_RT_HW_INTERRUPT_ENABLE
void rtt_mempool_rt_hw_interrupt_enable(rt_base_t level)
{
    rt_hw_interrupt_enable(level);
}
#endif

#if defined(RTT_WRAP_RT_STRNCMP) && !defined(RTT_MEMPOOL_OMIT_MP_CHECK)
/* mp_check's name compare, where rt_strncmp is a macro (RT_KSERVICE_USING_STDLIB on 4.1) */
int rtt_mempool_rt_strncmp(const char *cs, const char *ct, rt_size_t count)
{
    return rt_strncmp(cs, ct, count);
}
#endif

#if defined(RTT_POOL_SPINLOCK) || defined(RTT_REGISTRY_SPINLOCK)
#ifdef RTT_WRAP_RT_SPIN_LOCK_INIT
void rtt_mempool_rt_spin_lock_init(struct rt_spinlock *lock)
{
    rt_spin_lock_init(lock);
}
#endif

#ifdef RTT_WRAP_RT_SPIN_LOCK_IRQSAVE
rt_base_t rtt_mempool_rt_spin_lock_irqsave(struct rt_spinlock *lock)
{
    return rt_spin_lock_irqsave(lock);
}
#endif

#ifdef RTT_WRAP_RT_SPIN_UNLOCK_IRQRESTORE
void rtt_mempool_rt_spin_unlock_irqrestore(struct rt_spinlock *lock, rt_base_t level)
{
    rt_spin_unlock_irqrestore(lock, level);
}
#endif
#endif /* RTT_POOL_SPINLOCK || RTT_REGISTRY_SPINLOCK */

#ifndef RTT_SUSP_LIST
/*
 * Kernels without the suspend-list API (RT-Thread 4.1, 5.0) leave the queueing to each IPC
 * object: the waiter is suspended and its `tlist` node put at the head of the object's list,
 * and a wake-up resumes the thread at the head (so the most recent waiter first), with the
 * thread error set first. rt_thread_resume takes the thread off the list and stops its timer.
 * Called with the pool lock held (interrupts masked), as the kernel requires.
 */
rt_err_t rtt_mempool_suspend_on(rt_thread_t thread, rt_list_t *list)
{
    rt_err_t error = rt_thread_suspend(thread);

    if (error == RT_EOK)
        rt_list_insert_after(list, &thread->tlist);
    return error;
}

/* Resumes the thread at the head of `list` with `error`; RT_NULL if none or it refused. */
rt_thread_t rtt_mempool_resume_first(rt_list_t *list, rt_err_t error)
{
    rt_thread_t thread;

    if (rt_list_isempty(list))
        return RT_NULL;
    thread = rt_list_entry(list->next, struct rt_thread, tlist);
    thread->error = error;
    if (rt_thread_resume(thread) != RT_EOK)
        return RT_NULL;
    return thread;
}
#endif /* RTT_SUSP_LIST */

#ifdef RT_USING_HOOK
/*
 * The hooks are called through the kernel's own RT_OBJECT_HOOK_CALL, so they behave as that
 * release's C mempool: on 4.1/5.0 a user may override __on_rt_mp_alloc_hook and
 * __on_rt_mp_free_hook (e.g. in rtconfig.h); from 5.1 on the hook pointers are called
 * directly. Without RT_HOOK_USING_FUNC_PTR the macros expand to nothing.
 */
#ifdef RT_HOOK_USING_FUNC_PTR
static void (*rt_mp_alloc_hook)(struct rt_mempool *mp, void *block);
static void (*rt_mp_free_hook)(struct rt_mempool *mp, void *block);

/*
 * Sets the function called after every successful allocation, with the pool and the block;
 * RT_NULL removes it.
 *
 * Example:
 *     static void on_alloc(struct rt_mempool *mp, void *block) { allocs++; }
 *     rt_mp_alloc_sethook(on_alloc);
 *
 * Safety: `hook` must be safe to call from every context rt_mp_alloc is called from.
 * Compatibility: as RT-Thread 4.1 to 5.3 with RT_USING_HOOK and RT_HOOK_USING_FUNC_PTR.
 */
void rt_mp_alloc_sethook(void (*hook)(struct rt_mempool *mp, void *block))
{
    rt_mp_alloc_hook = hook;
}

/*
 * Sets the function called for every block given back, with the pool and the block, before
 * the block is back in the pool; RT_NULL removes it.
 *
 * Example:
 *     static void on_free(struct rt_mempool *mp, void *block) { frees++; }
 *     rt_mp_free_sethook(on_free);
 *
 * Safety: `hook` must be safe to call from every context rt_mp_free is called from.
 * Compatibility: as RT-Thread 4.1 to 5.3; a free refused because the block's header names no
 * live pool calls no hook (RT-Thread would call it with that garbage pointer).
 */
void rt_mp_free_sethook(void (*hook)(struct rt_mempool *mp, void *block))
{
    rt_mp_free_hook = hook;
}
#endif /* RT_HOOK_USING_FUNC_PTR */

#ifndef __on_rt_mp_alloc_hook
#define __on_rt_mp_alloc_hook(mp, block) __ON_HOOK_ARGS(rt_mp_alloc_hook, (mp, block))
#endif
#ifndef __on_rt_mp_free_hook
#define __on_rt_mp_free_hook(mp, block) __ON_HOOK_ARGS(rt_mp_free_hook, (mp, block))
#endif

void rtt_mempool_alloc_hook(struct rt_mempool *mp, void *block)
{
    (void)mp;
    (void)block;
    RT_OBJECT_HOOK_CALL(rt_mp_alloc_hook, (mp, block));
}

void rtt_mempool_free_hook(struct rt_mempool *mp, void *block)
{
    (void)mp;
    (void)block;
    RT_OBJECT_HOOK_CALL(rt_mp_free_hook, (mp, block));
}
#endif /* RT_USING_HOOK */

#if defined(RT_USING_FINSH) && !defined(RTT_MEMPOOL_OMIT_MP_CHECK)
#include <finsh.h>

int rtt_mempool_check(const char *name);

/* mp_check [name]: checks one pool, or every pool, and returns non-zero on any inconsistency. */
int mp_check(int argc, char **argv)
{
    return rtt_mempool_check(argc > 1 ? argv[1] : RT_NULL);
}
MSH_CMD_EXPORT(mp_check, check memory pools: mp_check [name]);
#endif /* RT_USING_FINSH && !RTT_MEMPOOL_OMIT_MP_CHECK */
