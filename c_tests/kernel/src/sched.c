/*
 * Threads, scheduler, tick and timers of the host test kernel.
 *
 * One simulated CPU: every thread is a ucontext with its own stack, and a
 * scheduler context (the caller of host_sched_run) picks the next thread.
 * When nothing is ready the scheduler plays the idle thread: it advances the
 * tick by one and fires the expired timers, as the tick interrupt would.
 *
 * Threads that block, yield or wake each other switch only inside kernel
 * calls, so such a run is fully deterministic. A thread that keeps the CPU
 * (it spins) gets a tick interrupt once threads have run HOST_SPIN_GRACE_MS
 * without any of them blocking, and then one per millisecond it runs
 * (SIGVTALRM from a CLOCK_MONOTONIC timer; ticks that come while the process
 * does not run collapse into one): each advances the tick, fires timers and
 * counts down the running thread's time slice, and at slice end an
 * equal-priority ready thread takes over, as on RT-Thread. The tick
 * interrupt is only taken where a real one could be — interrupts enabled,
 * outside kernel code — and never inside libc: the kernel is compiled with
 * -finstrument-functions, whose entry and exit hooks count the running
 * thread's depth in kernel code, and the interrupted program counter must
 * lie in the program's own text. A tick that arrives elsewhere is taken when
 * the thread leaves the kernel (or enables interrupts from outside it).
 */
#define _GNU_SOURCE
#include <rthw.h>
#include <rtthread.h>
#include <link.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>
#include "host_internal.h"

/* Thread stacks are host stacks: libc, printf and the library need room. */
#define HOST_STACK_MIN (64 * 1024)

/*
 * AddressSanitizer must be told about every switch between the ucontext
 * stacks (fibers), or it takes the new stack for an overflow of the old one
 * and reports false positives. start: we leave the running stack for the
 * one at [bottom, bottom + size) (saving the old stack's fake frames, or
 * dropping them when the old stack is never resumed: NULL); finish: we run
 * on the new stack (and learn which one we came from).
 */
#if defined(__SANITIZE_ADDRESS__)
#define HOST_FIBERS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HOST_FIBERS 1
#endif
#endif

#ifdef HOST_FIBERS
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom, size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old,
                                     size_t *size_old);
#define FIBER_START(save, bottom, size) __sanitizer_start_switch_fiber((save), (bottom), (size))
#define FIBER_FINISH(save, bottom_old, size_old) \
    __sanitizer_finish_switch_fiber((save), (bottom_old), (size_old))
#else
#define FIBER_START(save, bottom, size) ((void)0)
#define FIBER_FINISH(save, bottom_old, size_old) ((void)0)
#endif

#ifdef HOST_FIBERS
void __lsan_ignore_object(const void *p);
#define LSAN_IGNORE(p) do { if ((p) != RT_NULL) __lsan_ignore_object(p); } while (0)
#else
#define LSAN_IGNORE(p) ((void)0)
#endif

struct host_thread
{
    ucontext_t          uc;
    char               *stack;
    size_t              stack_size;
    rt_base_t           irq_level;   /* interrupt mask depth while switched out */
    int                 kdepth;      /* depth in kernel code while switched out */
    void               *fake_stack;  /* AddressSanitizer's, while switched out */
    struct host_thread *next_dead;
};

#ifdef HOST_FIBERS
/* The scheduler's own stack (the caller's), learnt when a thread first runs. */
static const void *sched_stack;
static size_t sched_stack_size;
static void *sched_fake_stack;
#endif

/* Stacks of ended threads, freed between test cases: a test may leave
 * objects registered that live on a stack (see host_sched_reset). */
static struct host_thread *graveyard;

static rt_list_t ready_table[RT_THREAD_PRIORITY_MAX];
static rt_list_t timer_list = RT_LIST_OBJECT_INIT(timer_list);
static struct rt_thread *current;
static ucontext_t sched_uc;
static volatile rt_tick_t tick;
static rt_base_t critical_nest;
static int switch_pending;
static rt_uint8_t irq_nest;
static rt_base_t irq_level;

static int timers_pending(void);
static void take_tick(void);

/* Milliseconds threads may run without any of them blocking (or the CPU
 * idling) before tick interrupts start to come while they run, so that
 * threads which block now and then see only the simulated tick of the idle
 * loop, and run deterministically. */
#define HOST_SPIN_GRACE_MS 100

/* Depth of the running thread in kernel code (entry/exit hooks), interrupt
 * state seen by the signal handlers, and the run's deadline. */
static volatile int kdepth;
static volatile int in_tick;
static volatile int tick_pending;
static volatile int spin_ms;
static int run_active;
static rt_tick_t run_stop_tick;
static volatile int run_abort;
static uintptr_t text_lo, text_hi;

#define ABORT_DEADLINE 1
#define ABORT_WALL_CLOCK 2

/* ------------------------------------------------------------------ */
/* kernel depth: -finstrument-functions hooks                          */

HOST_NO_INSTRUMENT void __cyg_profile_func_enter(void *fn, void *site);
HOST_NO_INSTRUMENT void __cyg_profile_func_exit(void *fn, void *site);

HOST_NO_INSTRUMENT void __cyg_profile_func_enter(void *fn, void *site)
{
    (void)fn;
    (void)site;
    kdepth++;
}

/* Leaving the kernel is where a tick interrupt that came in kernel code (or
 * while interrupts were masked) is taken. */
HOST_NO_INSTRUMENT void __cyg_profile_func_exit(void *fn, void *site)
{
    (void)fn;
    (void)site;
    if (--kdepth == 0 && tick_pending && current != RT_NULL && irq_level == 0 &&
        irq_nest == 0 && !in_tick)
    {
        tick_pending = 0;
        take_tick();
    }
}

/* Kernel code that calls back into test code (a thread's entry, a test
 * case, a soft timer's callback) runs it at depth 0: preemptible. */
HOST_NO_INSTRUMENT int host_user_call_begin(void)
{
    int saved = kdepth;

    kdepth = 0;
    return saved;
}

HOST_NO_INSTRUMENT void host_user_call_end(int saved)
{
    kdepth = saved;
}

#define STAT(t) ((t)->stat & RT_THREAD_STAT_MASK)
#define IS_SUSPENDED(t) (((t)->stat & RT_THREAD_SUSPEND_MASK) != 0)

/* ------------------------------------------------------------------ */
/* interrupts and scheduler lock                                       */

rt_base_t rt_hw_interrupt_disable(void)
{
    return irq_level++;
}

void rt_hw_interrupt_enable(rt_base_t level)
{
    irq_level = level;
}

void rt_interrupt_enter(void)
{
    irq_nest++;
}

void rt_interrupt_leave(void)
{
    RT_ASSERT(irq_nest > 0);
    irq_nest--;
    /* A switch requested inside the handler happens on the way out. */
    if (irq_nest == 0 && switch_pending && critical_nest == 0)
        rt_schedule();
}

rt_uint8_t rt_interrupt_get_nest(void)
{
    return irq_nest;
}

rt_base_t rt_enter_critical(void)
{
    return ++critical_nest;
}

void rt_exit_critical(void)
{
    if (--critical_nest <= 0)
    {
        critical_nest = 0;
        if (switch_pending)
            rt_schedule();
    }
}

void rt_exit_critical_safe(rt_base_t critical_level)
{
    if (critical_level != critical_nest)
        rt_kprintf("rt_exit_critical_safe: critical level %d, caller expects %d\n",
                   (int)critical_nest, (int)critical_level);
    rt_exit_critical();
}

rt_uint16_t rt_critical_level(void)
{
    return (rt_uint16_t)critical_nest;
}

void rt_spin_lock_init(struct rt_spinlock *lock)
{
    lock->critical_level = 0;
    lock->lock = 0;
}

void rt_spin_lock(struct rt_spinlock *lock)
{
    rt_enter_critical();
    lock->critical_level = rt_critical_level();
}

void rt_spin_unlock(struct rt_spinlock *lock)
{
    rt_exit_critical_safe((rt_base_t)lock->critical_level);
}

rt_base_t rt_spin_lock_irqsave(struct rt_spinlock *lock)
{
    rt_base_t level = rt_hw_interrupt_disable();

    rt_spin_lock(lock);
    return level;
}

void rt_spin_unlock_irqrestore(struct rt_spinlock *lock, rt_base_t level)
{
    rt_spin_unlock(lock);
    rt_hw_interrupt_enable(level);
}

/* ------------------------------------------------------------------ */
/* ready queues                                                        */

static struct rt_thread *highest_ready(void)
{
    int p;

    for (p = 0; p < RT_THREAD_PRIORITY_MAX; p++)
        if (!rt_list_isempty(&ready_table[p]))
            return RT_THREAD_LIST_NODE_ENTRY(ready_table[p].next);
    return RT_NULL;
}

/* Like RT-Thread 5.x: a thread that used up its turn (yield) queues at the
 * tail, any other thread made ready goes to the head of its priority. */
static void enqueue_ready(struct rt_thread *t)
{
    rt_list_t *head = &ready_table[t->current_priority];

    rt_list_remove(&t->tlist);
    if (t->stat & RT_THREAD_STAT_YIELD)
        rt_list_insert_before(head, &t->tlist);
    else
        rt_list_insert_after(head, &t->tlist);
    t->stat = RT_THREAD_READY;
}

static void make_ready(struct rt_thread *t)
{
    if (t == current)
        t->stat = RT_THREAD_RUNNING | (t->stat & ~RT_THREAD_STAT_MASK);
    else
        enqueue_ready(t);
}

/* RT-Thread 5.3's rt_sched_thread_timer_stop: the thread's timer is stopped
 * if it was started (timer_set), and timer_set is cleared whether or not the
 * stop succeeds. It fails (-RT_ERROR) when the timer already expired and its
 * callback is on its way (host_timer_defer holds it there). */
static rt_err_t stop_thread_timer(struct rt_thread *t)
{
    rt_err_t err = RT_EOK;

    if (t->timer_set)
    {
        err = rt_timer_stop(&t->thread_timer);
        t->timer_set = 0;
    }
    return err;
}

/* RT-Thread 5.3's rt_sched_thread_ready: a suspended thread whose timer can
 * be stopped leaves its suspend list and becomes ready. A thread that is not
 * suspended gives -RT_EINVAL; one whose timeout is already under way gives
 * the failed stop's error and stays where it is (suspended, on its list), for
 * the timeout to resume it. */
static rt_err_t thread_ready(struct rt_thread *t)
{
    rt_err_t err;

    if (!IS_SUSPENDED(t))
        return -RT_EINVAL;
    err = stop_thread_timer(t);
    if (err != RT_EOK)
        return err;
    rt_list_remove(&t->tlist);
    make_ready(t);
    return RT_EOK;
}

/* ------------------------------------------------------------------ */
/* context switching                                                   */

static void switch_to_scheduler(void)
{
    struct rt_thread *self = current;
    struct host_thread *h = self->host;

    switch_pending = 0;
    if (STAT(self) != RT_THREAD_RUNNING && STAT(self) != RT_THREAD_READY)
        spin_ms = 0;   /* it blocks (or ends): nobody is spinning */
    h->irq_level = irq_level;
    h->kdepth = kdepth;
    /* a closed thread's stack is never resumed */
    FIBER_START(STAT(self) == RT_THREAD_CLOSE ? RT_NULL : &h->fake_stack, sched_stack,
                sched_stack_size);
    swapcontext(&h->uc, &sched_uc);
    FIBER_FINISH(h->fake_stack, RT_NULL, RT_NULL);
    irq_level = h->irq_level;
    kdepth = h->kdepth;
}

/* Ends the run for good from the running thread (deadline, wall clock): the
 * thread is never switched back in; host_sched_reset drops it. */
static void abort_run(int reason)
{
    struct host_thread *h = current->host;

    run_abort = reason;
    switch_pending = 0;
    FIBER_START(RT_NULL, sched_stack, sched_stack_size);
    swapcontext(&h->uc, &sched_uc);
    abort();
}

void rt_schedule(void)
{
    struct rt_thread *next;

    if (current == RT_NULL)
        return;   /* scheduler context: it picks the next thread itself */
    if (critical_nest > 0 || irq_nest > 0)
    {
        switch_pending = 1;
        return;
    }
    switch_pending = 0;
    next = highest_ready();
    if (STAT(current) == RT_THREAD_RUNNING)
    {
        if (next == RT_NULL || current->current_priority < next->current_priority)
            return;
        if (current->current_priority == next->current_priority &&
            !(current->stat & RT_THREAD_STAT_YIELD))
            return;
        /* preempted: back into the ready queue (head, or tail after yield) */
        enqueue_ready(current);
    }
    switch_to_scheduler();
}

static void bury_host(struct rt_thread *t)
{
    struct host_thread *h = t->host;

    if (h)
    {
        h->next_dead = graveyard;
        graveyard = h;
        t->host = RT_NULL;
    }
}

/* Releases a closed thread that is not running (its stack is not in use).
 * RT-Thread frees a deleted thread's memory later, in its idle thread, so the
 * heap is given back without touching the caller's errno or checking its
 * context. */
static void reap(struct rt_thread *t)
{
    bury_host(t);
    if (t->cleanup)
        t->cleanup(t);
    if (rt_object_get_type(&t->thread_timer.parent) == RT_Object_Class_Timer)
        rt_timer_detach(&t->thread_timer);
    if (rt_object_is_systemobject(&t->parent))
        rt_object_detach(&t->parent);
    else
    {
        host_heap_release(t->stack_addr);
        host_object_delete_quietly(&t->parent);
    }
}

static void close_thread(struct rt_thread *t)
{
    rt_list_remove(&t->tlist);
    stop_thread_timer(t);
    t->stat = RT_THREAD_CLOSE;
}

/* The running thread ends (entry returned, deleted itself, or failed an
 * assertion): never returns. */
void host_thread_exit_current(void)
{
    struct rt_thread *self = current;

    close_thread(self);
    critical_nest = 0;   /* a lock held by a dying thread would stall everyone */
    irq_nest = 0;
    switch_to_scheduler();
    abort();   /* a closed thread is never switched back in */
}

/* Not instrumented: the thread's entry runs outside kernel code (depth 0). */
HOST_NO_INSTRUMENT static void thread_trampoline(unsigned int lo, unsigned int hi)
{
    struct rt_thread *t = (struct rt_thread *)(uintptr_t)(((uint64_t)hi << 32) | lo);

    FIBER_FINISH(RT_NULL, &sched_stack, &sched_stack_size);
    irq_level = 0;
    kdepth = 0;
    ((void (*)(void *))t->entry)(t->parameter);
    kdepth = 1;
    host_thread_exit_current();
}

/* The thread's timer expired. As in RT-Thread 5.3, the thread must still be
 * suspended (it asserts otherwise: resuming a thread and stopping its timer
 * are one step), and timer_set stays set until the thread's next suspend. */
static void thread_timeout(void *parameter)
{
    struct rt_thread *t = parameter;

    RT_ASSERT(IS_SUSPENDED(t));
    if (!IS_SUSPENDED(t))
        return;   /* with an assert hook that returns */
    t->error = -RT_ETIMEOUT;
    rt_list_remove(&t->tlist);   /* off the suspend list it waited on */
    make_ready(t);
    rt_schedule();
}

/* Has the tick reached the run's stop tick (or, after host_tick_set, passed it)? */
static int deadline_reached(void)
{
    return (rt_tick_t)(run_stop_tick - tick) - 1 >= RT_TICK_MAX / 2;
}

int host_sched_run(rt_tick_t stop_tick)
{
    int depth = kdepth;

    run_stop_tick = stop_tick;
    run_active = 1;
    spin_ms = 0;
    for (;;)
    {
        struct rt_thread *next = highest_ready();
        struct host_thread *h;

        if (next == RT_NULL)
        {
            spin_ms = 0;
            if (!timers_pending())
            {
                run_active = 0;
                return 0;
            }
            if (deadline_reached())
            {
                run_active = 0;
                return 1;
            }
            tick++;
            host_timer_check();
            continue;
        }
        rt_list_remove(&next->tlist);
        next->stat = RT_THREAD_RUNNING;
        h = next->host;
        current = next;
        FIBER_START(&sched_fake_stack, h->stack, h->stack_size);
        swapcontext(&sched_uc, &h->uc);
        FIBER_FINISH(sched_fake_stack, RT_NULL, RT_NULL);
        next = current;
        current = RT_NULL;
        kdepth = depth;
        if (run_abort)
        {
            int r = run_abort == ABORT_DEADLINE ? 1 : 2;

            run_abort = 0;
            run_active = 0;
            tick_pending = 0;
            return r;
        }
        if (STAT(next) == RT_THREAD_CLOSE)
            reap(next);
    }
}

/* ------------------------------------------------------------------ */
/* the tick interrupt of running threads                               */

/* One tick interrupt's work, in interrupt context: the tick, the running
 * thread's time slice (at its end the thread yields, as RT-Thread's
 * rt_sched_tick_increase does), the timers. A switch it asks for happens on
 * the way out of the interrupt. */
static void tick_isr_body(void)
{
    tick++;
    if (current != RT_NULL && STAT(current) == RT_THREAD_RUNNING)
    {
        if (current->remaining_tick > 1)
            current->remaining_tick--;
        else
        {
            current->remaining_tick = current->init_tick;
            current->stat |= RT_THREAD_STAT_YIELD;
            rt_schedule();   /* in interrupt context: only marks the switch */
        }
    }
    host_timer_check();
}

/* A tick interrupt taken by the running thread at a point where a real one
 * could come: interrupts enabled, outside kernel code. */
static void take_tick(void)
{
    in_tick = 1;
    irq_nest++;
    tick_isr_body();
    irq_nest--;
    in_tick = 0;
    if (run_active && deadline_reached())
        abort_run(ABORT_DEADLINE);
    if (switch_pending && critical_nest == 0)
        rt_schedule();
}

/* Is the interrupted instruction in the program's own text (not in libc,
 * the dynamic loader or the vDSO, which must not be preempted)? */
HOST_NO_INSTRUMENT static int pc_in_program(void *ucontext)
{
    ucontext_t *uc = ucontext;
    uintptr_t pc;

#if defined(__x86_64__)
    pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__i386__)
    pc = (uintptr_t)uc->uc_mcontext.gregs[REG_EIP];
#elif defined(__aarch64__)
    pc = (uintptr_t)uc->uc_mcontext.pc;
#else
    (void)uc;
    return 0;   /* unknown host: never preempted, the wall clock still ends a spin */
#endif
    return pc >= text_lo && pc < text_hi;
}

/* Safe point for the running thread to be interrupted or abandoned. */
HOST_NO_INSTRUMENT static int in_test_code(void *ucontext)
{
    return current != RT_NULL && kdepth == 0 && !in_tick && pc_in_program(ucontext);
}

HOST_NO_INSTRUMENT static void on_vtalrm(int sig, siginfo_t *info, void *ucontext)
{
    (void)sig;
    (void)info;
    if (current == RT_NULL || !run_active)
        return;
    if (spin_ms <= HOST_SPIN_GRACE_MS)
    {
        spin_ms++;
        return;
    }
    tick_pending = 1;
    if (irq_level == 0 && irq_nest == 0 && in_test_code(ucontext))
    {
        tick_pending = 0;
        take_tick();
    }
}

/* Not instrumented: its own entry would count as kernel code. */
HOST_NO_INSTRUMENT int host_sched_abandon(void *ucontext)
{
    if (!run_active || !in_test_code(ucontext))
        return 0;
    abort_run(ABORT_WALL_CLOCK);
    return 1;
}

/* The executable segments of the program itself (the first object). */
static int find_text(struct dl_phdr_info *info, size_t size, void *data)
{
    int i;

    (void)size;
    (void)data;
    for (i = 0; i < info->dlpi_phnum; i++)
    {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X))
        {
            uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;

            if (text_hi == 0 || lo < text_lo)
                text_lo = lo;
            if (hi > text_hi)
                text_hi = hi;
        }
    }
    return 1;   /* only the first object: the program */
}

/* The tick source: a CLOCK_MONOTONIC timer (high resolution, unlike the
 * CPU-time clocks, which the OS only checks at its own tick) that raises
 * SIGVTALRM every RT-Thread tick; signals that come while the process is not
 * running collapse into one. */
static timer_t tick_timer;
static int tick_timer_made;

void host_sched_start(void)
{
    struct sigaction sa;
    struct sigevent ev;
    struct itimerspec it;

    dl_iterate_phdr(find_text, RT_NULL);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_vtalrm;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGVTALRM, &sa, RT_NULL);
    memset(&ev, 0, sizeof(ev));
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGVTALRM;
    if (timer_create(CLOCK_MONOTONIC, &ev, &tick_timer) != 0)
        return;   /* no preemption: the wall-clock limit still ends a spin */
    tick_timer_made = 1;
    memset(&it, 0, sizeof(it));
    it.it_interval.tv_nsec = 1000000000L / RT_TICK_PER_SECOND;
    it.it_value = it.it_interval;
    timer_settime(tick_timer, 0, &it, RT_NULL);
}

void host_sched_stop(void)
{
    if (tick_timer_made)
        timer_delete(tick_timer);
    tick_timer_made = 0;
    signal(SIGVTALRM, SIG_IGN);
}

/* ------------------------------------------------------------------ */
/* threads                                                             */

static rt_err_t thread_setup(struct rt_thread *t, const char *name,
                             void (*entry)(void *), void *parameter,
                             rt_uint32_t stack_size, rt_uint8_t priority,
                             rt_uint32_t slice)
{
    struct host_thread *h;
    size_t sz = stack_size > HOST_STACK_MIN ? stack_size : HOST_STACK_MIN;
    uintptr_t p = (uintptr_t)t;

    RT_ASSERT(priority < RT_THREAD_PRIORITY_MAX);
    h = calloc(1, sizeof(*h));
    if (h)
        h->stack = malloc(sz);
    if (h == RT_NULL || h->stack == RT_NULL)
    {
        free(h);
        return -RT_ENOMEM;
    }
    h->stack_size = sz;
    getcontext(&h->uc);
    h->uc.uc_stack.ss_sp = h->stack;
    h->uc.uc_stack.ss_size = sz;
    h->uc.uc_link = RT_NULL;
    makecontext(&h->uc, (void (*)(void))thread_trampoline, 2,
                (unsigned int)(p & 0xffffffffu), (unsigned int)((uint64_t)p >> 32));

    t->host = h;
    t->entry = (void *)entry;
    t->parameter = parameter;
    t->stack_size = stack_size;
    t->sp = h->stack;
    t->error = RT_EOK;
    rt_list_init(&t->tlist);
    t->stat = RT_THREAD_INIT;
    t->current_priority = t->init_priority = priority;
    t->timer_set = 0;
    t->init_tick = t->remaining_tick = slice;
    t->cleanup = RT_NULL;
    t->user_data = 0;
    rt_timer_init(&t->thread_timer, name, thread_timeout, t, 0,
                  RT_TIMER_FLAG_ONE_SHOT | RT_TIMER_FLAG_THREAD_TIMER);
    return RT_EOK;
}

rt_err_t rt_thread_init(struct rt_thread *thread, const char *name,
                        void (*entry)(void *parameter), void *parameter,
                        void *stack_start, rt_uint32_t stack_size,
                        rt_uint8_t priority, rt_uint32_t tick)
{
    rt_err_t err;

    RT_ASSERT(thread != RT_NULL);
    RT_ASSERT(stack_start != RT_NULL);
    rt_object_init(&thread->parent, RT_Object_Class_Thread, name);
    thread->stack_addr = stack_start;
    err = thread_setup(thread, name, entry, parameter, stack_size, priority, tick);
    if (err != RT_EOK)
        rt_object_detach(&thread->parent);
    return err;
}

rt_thread_t rt_thread_create(const char *name, void (*entry)(void *parameter),
                             void *parameter, rt_uint32_t stack_size,
                             rt_uint8_t priority, rt_uint32_t tick)
{
    struct rt_thread *t;

    t = (struct rt_thread *)rt_object_allocate(RT_Object_Class_Thread, name);
    if (t == RT_NULL)
        return RT_NULL;
    /* Same heap traffic as the real kernel (object, then stack), so heap
     * fault injection hits the same calls; the host runs on its own stack. */
    t->stack_addr = rt_malloc(stack_size);
    if (t->stack_addr == RT_NULL ||
        thread_setup(t, name, entry, parameter, stack_size, priority, tick) != RT_EOK)
    {
        rt_free(t->stack_addr);
        rt_object_delete(&t->parent);
        return RT_NULL;
    }
    return t;
}

static rt_err_t thread_remove(rt_thread_t thread)
{
    RT_ASSERT(thread != RT_NULL);
    RT_ASSERT(rt_object_get_type(&thread->parent) == RT_Object_Class_Thread);
    if (STAT(thread) == RT_THREAD_CLOSE)
        return RT_EOK;
    if (thread == current)
        host_thread_exit_current();
    close_thread(thread);
    reap(thread);
    return RT_EOK;
}

rt_err_t rt_thread_detach(rt_thread_t thread)
{
    RT_ASSERT(rt_object_is_systemobject(&thread->parent));
    return thread_remove(thread);
}

rt_err_t rt_thread_delete(rt_thread_t thread)
{
    RT_ASSERT(!rt_object_is_systemobject(&thread->parent));
    return thread_remove(thread);
}

rt_err_t rt_thread_close(rt_thread_t thread)
{
    close_thread(thread);
    return RT_EOK;
}

rt_thread_t rt_thread_self(void)
{
    return current;
}

rt_thread_t rt_thread_find(char *name)
{
    return (rt_thread_t)rt_object_find(name, RT_Object_Class_Thread);
}

rt_err_t rt_thread_startup(rt_thread_t thread)
{
    RT_ASSERT(thread != RT_NULL);
    RT_ASSERT(STAT(thread) == RT_THREAD_INIT);
    thread->current_priority = thread->init_priority;
    thread->stat = RT_THREAD_SUSPEND;
    rt_thread_resume(thread);
    return RT_EOK;
}

rt_err_t rt_thread_resume(rt_thread_t thread)
{
    rt_err_t err;

    RT_ASSERT(thread != RT_NULL);
    err = thread_ready(thread);
    if (err == RT_EOK)
        rt_schedule();
    return err;
}

rt_err_t rt_thread_suspend_to_list(rt_thread_t thread, rt_list_t *susp_list,
                                   int ipc_flags, int suspend_flag)
{
    static const rt_uint8_t states[] = {
        RT_THREAD_SUSPEND_INTERRUPTIBLE, RT_THREAD_SUSPEND_KILLABLE,
        RT_THREAD_SUSPEND_UNINTERRUPTIBLE };

    RT_ASSERT(thread != RT_NULL);
    RT_ASSERT(rt_object_get_type(&thread->parent) == RT_Object_Class_Thread);
    RT_ASSERT(suspend_flag >= RT_INTERRUPTIBLE && suspend_flag <= RT_UNINTERRUPTIBLE);
    if (IS_SUSPENDED(thread))
    {
        stop_thread_timer(thread);
        return RT_EOK;
    }
    if (STAT(thread) != RT_THREAD_READY && STAT(thread) != RT_THREAD_RUNNING)
        return -RT_ERROR;
    if (STAT(thread) == RT_THREAD_RUNNING)
        RT_ASSERT(thread == current);
    rt_list_remove(&thread->tlist);
    thread->stat = states[suspend_flag];
    if (susp_list)
        rt_susp_list_enqueue(susp_list, thread, ipc_flags);
    stop_thread_timer(thread);
    return RT_EOK;
}

rt_err_t rt_thread_suspend_with_flag(rt_thread_t thread, int suspend_flag)
{
    return rt_thread_suspend_to_list(thread, RT_NULL, 0, suspend_flag);
}

rt_err_t rt_thread_suspend(rt_thread_t thread)
{
    return rt_thread_suspend_with_flag(thread, RT_UNINTERRUPTIBLE);
}

rt_err_t rt_thread_yield(void)
{
    if (current == RT_NULL)
        return RT_EOK;
    current->remaining_tick = current->init_tick;   /* a new slice, as RT-Thread's */
    current->stat |= RT_THREAD_STAT_YIELD;
    rt_schedule();
    current->stat &= ~RT_THREAD_STAT_YIELD;
    return RT_EOK;
}

rt_err_t rt_thread_delay(rt_tick_t ticks)
{
    struct rt_thread *t = current;

    if (ticks == 0)
        return -RT_EINVAL;
    RT_DEBUG_SCHEDULER_AVAILABLE(RT_TRUE);
    t->error = RT_EOK;
    rt_enter_critical();
    rt_thread_suspend_with_flag(t, RT_INTERRUPTIBLE);
    rt_timer_control(&t->thread_timer, RT_TIMER_CTRL_SET_TIME, &ticks);
    rt_timer_start(&t->thread_timer);
    t->error = -RT_EINTR;
    rt_schedule();
    rt_exit_critical();
    if (t->error == -RT_ETIMEOUT)
        t->error = RT_EOK;
    return t->error;
}

rt_err_t rt_thread_mdelay(rt_int32_t ms)
{
    return rt_thread_delay(rt_tick_from_millisecond(ms));
}

rt_err_t rt_thread_control(rt_thread_t thread, int cmd, void *arg)
{
    RT_ASSERT(thread != RT_NULL);
    switch (cmd)
    {
    case RT_THREAD_CTRL_CHANGE_PRIORITY:
    {
        rt_uint8_t prio = *(rt_uint8_t *)arg;

        RT_ASSERT(prio < RT_THREAD_PRIORITY_MAX);
        if (STAT(thread) == RT_THREAD_READY)
        {
            rt_list_remove(&thread->tlist);
            thread->current_priority = prio;
            make_ready(thread);
        }
        else
            thread->current_priority = prio;
        thread->init_priority = prio;
        rt_schedule();
        return RT_EOK;
    }
    case RT_THREAD_CTRL_STARTUP:
        return rt_thread_startup(thread);
    case RT_THREAD_CTRL_CLOSE:
        return rt_object_is_systemobject(&thread->parent) ? rt_thread_detach(thread)
                                                          : rt_thread_delete(thread);
    case RT_THREAD_CTRL_BIND_CPU:
        return RT_EOK;   /* one CPU */
    default:
        return -RT_EINVAL;
    }
}

/* ------------------------------------------------------------------ */
/* suspend lists                                                       */

rt_err_t rt_susp_list_enqueue(rt_list_t *susp_list, rt_thread_t thread, int ipc_flags)
{
    rt_list_t *n;

    if (ipc_flags == RT_IPC_FLAG_PRIO)
    {
        /* before the first waiter of lower priority: FIFO among equals */
        for (n = susp_list->next; n != susp_list; n = n->next)
            if (thread->current_priority < RT_THREAD_LIST_NODE_ENTRY(n)->current_priority)
                break;
        rt_list_insert_before(n, &thread->tlist);
    }
    else
    {
        RT_ASSERT(ipc_flags == RT_IPC_FLAG_FIFO);
        rt_list_insert_before(susp_list, &thread->tlist);
    }
    return RT_EOK;
}

struct rt_thread *rt_susp_list_dequeue(rt_list_t *susp_list, rt_err_t thread_error)
{
    struct rt_thread *t;

    RT_ASSERT(susp_list != RT_NULL);
    if (rt_list_isempty(susp_list))
        return RT_NULL;
    t = RT_THREAD_LIST_NODE_ENTRY(susp_list->next);
    /* fails, leaving the thread on the list, when its timeout is under way */
    if (thread_ready(t) != RT_EOK)
        return RT_NULL;
    if (thread_error >= 0)
        t->error = thread_error;   /* negative values keep the thread's own error */
    return t;
}

void rt_susp_list_print(rt_list_t *list)
{
    rt_list_t *n;

    for (n = list->next; n != list; n = n->next)
        rt_kprintf("%.*s%s", RT_NAME_MAX, RT_THREAD_LIST_NODE_ENTRY(n)->parent.name,
                   n->next != list ? "/" : "");
}

rt_err_t rt_susp_list_resume_all(rt_list_t *susp_list, rt_err_t thread_error)
{
    while (rt_susp_list_dequeue(susp_list, thread_error) != RT_NULL)
        ;
    return RT_EOK;
}

rt_err_t rt_susp_list_resume_all_irq(rt_list_t *susp_list, rt_err_t thread_error,
                                     struct rt_spinlock *lock)
{
    rt_base_t level = rt_spin_lock_irqsave(lock);

    rt_susp_list_resume_all(susp_list, thread_error);
    rt_spin_unlock_irqrestore(lock, level);
    return RT_EOK;
}

/* ------------------------------------------------------------------ */
/* tick and timers                                                     */

rt_tick_t rt_tick_get(void)
{
    return tick;
}

void host_tick_set(rt_tick_t t)
{
    tick = t;
}

rt_tick_t rt_tick_get_delta(rt_tick_t base)
{
    return tick - base;
}

rt_tick_t rt_tick_from_millisecond(rt_int32_t ms)
{
    if (ms < 0)
        return (rt_tick_t)RT_WAITING_FOREVER;
    return (rt_tick_t)(((rt_uint64_t)ms * RT_TICK_PER_SECOND + 999) / 1000);
}

rt_tick_t rt_tick_get_millisecond(void)
{
    return (rt_tick_t)((rt_uint64_t)tick * 1000 / RT_TICK_PER_SECOND);
}

/* Ticks until a timer fires, wrap-around safe. */
static rt_tick_t due_in(const struct rt_timer *t)
{
    return t->timeout_tick - tick;
}

/* Has the timer's tick come (now or, after host_tick_set, passed)? */
static int is_due(const struct rt_timer *t)
{
    return due_in(t) == 0 || due_in(t) >= RT_TICK_MAX / 2;
}

/*
 * Hard timers (the default) fire in the tick interrupt, soft timers
 * (RT_TIMER_FLAG_SOFT_TIMER) in the timer thread, as on RT-Thread with
 * RT_USING_TIMER_SOFT: the tick interrupt only wakes that thread (priority
 * RT_TIMER_THREAD_PRIO) when the first soft timer is due.
 */
static rt_list_t soft_timer_list = RT_LIST_OBJECT_INIT(soft_timer_list);
static struct rt_thread timer_thread;
static rt_uint8_t timer_thread_stack[RT_TIMER_THREAD_STACK_SIZE];
static struct rt_semaphore soft_timer_sem;

/*
 * Held expiries (host_timer_defer): while deferral is on, a timer that
 * expires leaves its active list exactly as when it fires, but its callback
 * waits in held[] until host_timer_run_deferred. The timer's node sits on the
 * entry's own list meanwhile, as on the list of a running callback, so
 * stopping, restarting or deleting the timer takes it off there.
 */
#define HELD_MAX 64

struct held_expiry
{
    struct rt_timer *timer;
    rt_timer_func_t  func;
    void            *parameter;
    int              soft;
    int              cancelled;   /* the timer was detached or deleted */
    rt_list_t        running;
};

static struct held_expiry held[HELD_MAX];
static int held_count;
static int deferring;

/* Periodic restart after a callback, unless the timer left `running`. */
static void timer_after_callback(struct rt_timer *t, rt_list_t *running)
{
    if (rt_list_isempty(running))
        return;
    rt_list_remove(&t->row[0]);
    if ((t->parent.flag & RT_TIMER_FLAG_PERIODIC) && (t->parent.flag & RT_TIMER_FLAG_ACTIVATED))
    {
        t->parent.flag &= ~RT_TIMER_FLAG_ACTIVATED;
        rt_timer_start(t);
    }
}

/* A detached or deleted timer's held callback never runs: its timer (or the
 * thread it belongs to) may be freed memory by then. */
static void held_forget(struct rt_timer *t)
{
    int i;

    for (i = 0; i < held_count; i++)
        if (held[i].timer == t)
            held[i].cancelled = 1;
}

static rt_list_t *list_of(const struct rt_timer *t)
{
    return (t->parent.flag & RT_TIMER_FLAG_SOFT_TIMER) ? &soft_timer_list : &timer_list;
}

void rt_timer_init(rt_timer_t timer, const char *name, void (*timeout)(void *parameter),
                   void *parameter, rt_tick_t time, rt_uint8_t flag)
{
    RT_ASSERT(timer != RT_NULL);
    RT_ASSERT(timeout != RT_NULL);
    RT_ASSERT(time < RT_TICK_MAX / 2);
    rt_object_init(&timer->parent, RT_Object_Class_Timer, name);
    timer->parent.flag = flag & ~RT_TIMER_FLAG_ACTIVATED;
    rt_list_init(&timer->row[0]);
    timer->timeout_func = timeout;
    timer->parameter = parameter;
    timer->init_tick = time;
    timer->timeout_tick = 0;
}

rt_timer_t rt_timer_create(const char *name, void (*timeout)(void *parameter),
                           void *parameter, rt_tick_t time, rt_uint8_t flag)
{
    struct rt_timer *t = (struct rt_timer *)rt_object_allocate(RT_Object_Class_Timer, name);

    if (t == RT_NULL)
        return RT_NULL;
    RT_ASSERT(timeout != RT_NULL);
    t->parent.flag = flag & ~RT_TIMER_FLAG_ACTIVATED;
    rt_list_init(&t->row[0]);
    t->timeout_func = timeout;
    t->parameter = parameter;
    t->init_tick = time;
    return t;
}

/* Off whatever list holds the timer (active, or the one its running
 * callback is on) and no longer activated. */
static void timer_remove(rt_timer_t timer)
{
    rt_list_remove(&timer->row[0]);
    timer->parent.flag &= ~RT_TIMER_FLAG_ACTIVATED;
}

rt_err_t rt_timer_detach(rt_timer_t timer)
{
    RT_ASSERT(rt_object_get_type(&timer->parent) == RT_Object_Class_Timer);
    RT_ASSERT(rt_object_is_systemobject(&timer->parent));
    timer_remove(timer);
    held_forget(timer);
    rt_object_detach(&timer->parent);
    return RT_EOK;
}

rt_err_t rt_timer_delete(rt_timer_t timer)
{
    RT_ASSERT(rt_object_get_type(&timer->parent) == RT_Object_Class_Timer);
    RT_ASSERT(!rt_object_is_systemobject(&timer->parent));
    timer_remove(timer);
    held_forget(timer);
    rt_object_delete(&timer->parent);
    return RT_EOK;
}

rt_err_t rt_timer_start(rt_timer_t timer)
{
    rt_list_t *list, *n;
    rt_base_t level;

    RT_ASSERT(timer != RT_NULL);
    RT_ASSERT(rt_object_get_type(&timer->parent) == RT_Object_Class_Timer);
    level = rt_hw_interrupt_disable();
    list = list_of(timer);
    rt_list_remove(&timer->row[0]);
    timer->timeout_tick = tick + timer->init_tick;
    /* sorted by due time; equal due times fire in start order */
    for (n = list->next; n != list; n = n->next)
        if (due_in(rt_list_entry(n, struct rt_timer, row[0])) > timer->init_tick)
            break;
    rt_list_insert_before(n, &timer->row[0]);
    timer->parent.flag |= RT_TIMER_FLAG_ACTIVATED;
    if (timer->parent.flag & RT_TIMER_FLAG_THREAD_TIMER)
        rt_container_of(timer, struct rt_thread, thread_timer)->timer_set = 1;
    rt_hw_interrupt_enable(level);
    return RT_EOK;
}

rt_err_t rt_timer_stop(rt_timer_t timer)
{
    rt_base_t level;

    RT_ASSERT(timer != RT_NULL);
    RT_ASSERT(rt_object_get_type(&timer->parent) == RT_Object_Class_Timer);
    level = rt_hw_interrupt_disable();
    if (!(timer->parent.flag & RT_TIMER_FLAG_ACTIVATED))
    {
        rt_hw_interrupt_enable(level);
        return -RT_ERROR;
    }
    timer_remove(timer);
    rt_hw_interrupt_enable(level);
    return RT_EOK;
}

rt_err_t rt_timer_control(rt_timer_t timer, int cmd, void *arg)
{
    RT_ASSERT(timer != RT_NULL);
    switch (cmd)
    {
    case RT_TIMER_CTRL_SET_TIME:
        RT_ASSERT(*(rt_tick_t *)arg < RT_TICK_MAX / 2);
        /* as on RT-Thread, a new time stops an active timer */
        if (timer->parent.flag & RT_TIMER_FLAG_ACTIVATED)
            timer_remove(timer);
        timer->init_tick = *(rt_tick_t *)arg;
        break;
    case RT_TIMER_CTRL_GET_TIME:
        *(rt_tick_t *)arg = timer->init_tick;
        break;
    case RT_TIMER_CTRL_SET_ONESHOT:
        timer->parent.flag &= ~RT_TIMER_FLAG_PERIODIC;
        break;
    case RT_TIMER_CTRL_SET_PERIODIC:
        timer->parent.flag |= RT_TIMER_FLAG_PERIODIC;
        break;
    case RT_TIMER_CTRL_GET_STATE:
        *(rt_uint32_t *)arg = (timer->parent.flag & RT_TIMER_FLAG_ACTIVATED)
                                  ? RT_TIMER_FLAG_ACTIVATED : RT_TIMER_FLAG_DEACTIVATED;
        break;
    case RT_TIMER_CTRL_GET_REMAIN_TIME:
        *(rt_tick_t *)arg = timer->timeout_tick;
        break;
    case RT_TIMER_CTRL_GET_FUNC:
        *(rt_timer_func_t *)arg = timer->timeout_func;
        break;
    case RT_TIMER_CTRL_SET_FUNC:
        timer->timeout_func = (rt_timer_func_t)arg;
        break;
    case RT_TIMER_CTRL_GET_PARM:
        *(void **)arg = timer->parameter;
        break;
    case RT_TIMER_CTRL_SET_PARM:
        timer->parameter = arg;
        break;
    default:
        break;
    }
    return RT_EOK;
}

rt_tick_t rt_timer_next_timeout_tick(void)
{
    rt_tick_t hard = RT_TICK_MAX, soft = RT_TICK_MAX;

    if (!rt_list_isempty(&timer_list))
        hard = rt_list_entry(timer_list.next, struct rt_timer, row[0])->timeout_tick;
    if (!rt_list_isempty(&soft_timer_list))
        soft = rt_list_entry(soft_timer_list.next, struct rt_timer, row[0])->timeout_tick;
    return hard < soft ? hard : soft;
}

static int timers_pending(void)
{
    return !rt_list_isempty(&timer_list) || !rt_list_isempty(&soft_timer_list);
}

/*
 * Fires the due timers of one list, with RT-Thread's rules: a fired timer
 * leaves the list; a one-shot one is no longer activated (rt_timer_stop on it
 * fails), a periodic one stays activated while its callback runs and is
 * started again afterwards unless the callback stopped, restarted, detached
 * or deleted it (which takes it off the callback's own list).
 */
static void timer_list_check(rt_list_t *list)
{
    rt_base_t level = rt_hw_interrupt_disable();
    int soft = list == &soft_timer_list;

    while (!rt_list_isempty(list))
    {
        struct rt_timer *t = rt_list_entry(list->next, struct rt_timer, row[0]);
        rt_list_t running;

        if (!is_due(t))
            break;
        rt_list_remove(&t->row[0]);
        if (!(t->parent.flag & RT_TIMER_FLAG_PERIODIC))
            t->parent.flag &= ~RT_TIMER_FLAG_ACTIVATED;
        if (deferring)
        {
            struct held_expiry *e;

            RT_ASSERT(held_count < HELD_MAX);
            if (held_count >= HELD_MAX)
                break;
            e = &held[held_count++];
            e->timer = t;
            e->func = t->timeout_func;
            e->parameter = t->parameter;
            e->soft = soft;
            e->cancelled = 0;
            rt_list_init(&e->running);
            rt_list_insert_after(&e->running, &t->row[0]);
            continue;
        }
        rt_list_init(&running);
        rt_list_insert_after(&running, &t->row[0]);
        rt_hw_interrupt_enable(level);
        {
            int depth = host_user_call_begin();

            t->timeout_func(t->parameter);
            host_user_call_end(depth);
        }
        level = rt_hw_interrupt_disable();
        timer_after_callback(t, &running);
    }
    rt_hw_interrupt_enable(level);
}

void host_timer_defer(int on)
{
    deferring = on != 0;
}

int host_timer_deferred_count(void)
{
    int i, n = 0;

    for (i = 0; i < held_count; i++)
        n += !held[i].cancelled;
    return n;
}

/* Runs one held callback (and the periodic restart) if it is of the kind. */
static int run_held(struct held_expiry *e)
{
    if (e->cancelled)
        return 0;
    e->cancelled = 1;
    {
        int depth = host_user_call_begin();

        e->func(e->parameter);
        host_user_call_end(depth);
    }
    timer_after_callback(e->timer, &e->running);
    return 1;
}

int host_timer_run_deferred(void)
{
    int i, ran = 0;

    /* hard timers: one tick interrupt, as another CPU's tick handler would
     * run them (a thread they wake runs when it leaves) */
    rt_interrupt_enter();
    for (i = 0; i < held_count; i++)
        if (!held[i].soft)
            ran += run_held(&held[i]);
    rt_interrupt_leave();
    /* soft timers: in the caller's context (thread context, as in the timer
     * thread) */
    for (i = 0; i < held_count; i++)
        if (held[i].soft)
            ran += run_held(&held[i]);
    for (i = 0; i < held_count && held[i].cancelled; i++)
        ;
    if (i == held_count)
        held_count = 0;   /* all done (callbacks may have held new ones) */
    return ran;
}

/* The tick interrupt, ticks times, while the calling thread runs. */
void host_tick_advance(rt_tick_t ticks)
{
    while (ticks-- > 0)
    {
        rt_interrupt_enter();
        tick_isr_body();
        rt_interrupt_leave();
    }
}

/* The tick interrupt's timer work: hard timers fire here, in interrupt
 * context; a due soft timer wakes the timer thread. */
void host_timer_check(void)
{
    irq_nest++;
    if (!rt_list_isempty(&soft_timer_list) &&
        is_due(rt_list_entry(soft_timer_list.next, struct rt_timer, row[0])))
        rt_sem_release(&soft_timer_sem);
    timer_list_check(&timer_list);
    irq_nest--;
}

/* The timer thread: fires the due soft timers in thread context, then
 * sleeps until the tick interrupt finds the next one due. */
static void timer_thread_entry(void *parameter)
{
    (void)parameter;
    for (;;)
    {
        timer_list_check(&soft_timer_list);
        rt_sem_take(&soft_timer_sem, RT_WAITING_FOREVER);
    }
}

rt_thread_t host_timer_thread(void)
{
    return &timer_thread;
}

/* A fresh timer thread for each run (host_sched_reset drops every thread). */
static void timer_thread_start(void)
{
    if (rt_object_get_type(&soft_timer_sem.parent.parent) == RT_Object_Class_Semaphore)
        rt_object_detach(&soft_timer_sem.parent.parent);
    rt_sem_init(&soft_timer_sem, "stimer", 0, RT_IPC_FLAG_PRIO);
    soft_timer_sem.max_value = 1;   /* a binary semaphore, as RT-Thread's */
    rt_thread_init(&timer_thread, "timer", timer_thread_entry, RT_NULL, timer_thread_stack,
                   sizeof(timer_thread_stack), RT_TIMER_THREAD_PRIO, 10);
    rt_thread_startup(&timer_thread);
}

/* ------------------------------------------------------------------ */
/* errno: the running thread's error, or a global outside threads     */

static rt_err_t global_errno;

rt_err_t rt_get_errno(void)
{
    if (current == RT_NULL || irq_nest > 0)
        return global_errno;
    return current->error;
}

void rt_set_errno(rt_err_t no)
{
    if (current == RT_NULL || irq_nest > 0)
        global_errno = no;
    else
        current->error = no;
}

int *_rt_errno(void)
{
    if (current == RT_NULL || irq_nest > 0)
        return (int *)&global_errno;
    return (int *)&current->error;
}

/* ------------------------------------------------------------------ */

/* Clears whatever a test case left behind: threads that will never run
 * again, ready queues, timers, lock levels, and kernel objects registered
 * inside the stacks of ended threads (which are freed now). */
void host_sched_reset(void)
{
    struct rt_object_information *threads = rt_object_get_information(RT_Object_Class_Thread);
    struct rt_object_information *timers = rt_object_get_information(RT_Object_Class_Timer);
    rt_list_t *n;
    int p;

    /* Every timer inactive and on no list (the list of a soft timer whose
     * callback was running lives on the timer thread's stack, freed below). */
    rt_list_for_each(n, &timers->object_list)
    {
        struct rt_timer *t = (struct rt_timer *)rt_list_entry(n, struct rt_object, list);

        rt_list_init(&t->row[0]);
        t->parent.flag &= ~RT_TIMER_FLAG_ACTIVATED;
    }
    rt_list_init(&timer_list);
    rt_list_init(&soft_timer_list);
    held_count = 0;
    deferring = 0;
    while (!rt_list_isempty(&threads->object_list))
    {
        struct rt_thread *t = (struct rt_thread *)rt_list_entry(threads->object_list.next,
                                                                struct rt_object, list);

        rt_list_remove(&t->tlist);
        rt_list_remove(&t->parent.list);
        rt_list_remove(&t->thread_timer.parent.list);
        t->timer_set = 0;
        bury_host(t);
        /* A thread the case left alive (or that was abandoned) is not freed:
         * a test may still hold its pointer. Under LeakSanitizer that memory
         * is known to stay. */
        if (!rt_object_is_systemobject(&t->parent))
        {
            LSAN_IGNORE(t);
            LSAN_IGNORE(t->stack_addr);
        }
    }
    while (graveyard)
    {
        struct host_thread *h = graveyard;

        graveyard = h->next_dead;
        host_objects_forget_range(h->stack, h->stack + h->stack_size);
        free(h->stack);
        free(h);
    }
    for (p = 0; p < RT_THREAD_PRIORITY_MAX; p++)
        rt_list_init(&ready_table[p]);
    critical_nest = 0;
    irq_nest = 0;
    irq_level = 0;
    switch_pending = 0;
    tick_pending = 0;
    spin_ms = 0;
    timer_thread_start();
}
