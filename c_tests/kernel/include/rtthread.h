/*
 * Public API of the host test kernel: the subset of RT-Thread 5.x that the
 * library, the C tests and the samples use, with RT-Thread's prototypes.
 */
#ifndef RT_THREAD_H__
#define RT_THREAD_H__

#include <rtconfig.h>
#include <rtdef.h>
#include <rtservice.h>
#ifdef RT_USING_FINSH
#include <finsh.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* --- objects --- */
struct rt_object_information *
rt_object_get_information(enum rt_object_class_type type);
void rt_object_attach_sethook(void (*hook)(struct rt_object *object));
int rt_object_get_length(enum rt_object_class_type type);
int rt_object_get_pointers(enum rt_object_class_type type, rt_object_t *pointers, int maxlen);

void rt_object_init(struct rt_object         *object,
                    enum rt_object_class_type type,
                    const char               *name);
void rt_object_detach(rt_object_t object);
rt_object_t rt_object_allocate(enum rt_object_class_type type, const char *name);
void rt_object_delete(rt_object_t object);
rt_bool_t rt_object_is_systemobject(rt_object_t object);
rt_uint8_t rt_object_get_type(rt_object_t object);
rt_err_t rt_object_for_each(rt_uint8_t type, rt_object_iter_t iter, void *data);
rt_object_t rt_object_find(const char *name, rt_uint8_t type);
rt_err_t rt_object_get_name(rt_object_t object, char *name, rt_uint8_t name_size);

/* --- clock and timers --- */
rt_tick_t rt_tick_get(void);
rt_tick_t rt_tick_get_delta(rt_tick_t base);
rt_tick_t rt_tick_from_millisecond(rt_int32_t ms);
rt_tick_t rt_tick_get_millisecond(void);

void rt_timer_init(rt_timer_t  timer,
                   const char *name,
                   void (*timeout)(void *parameter),
                   void       *parameter,
                   rt_tick_t   time,
                   rt_uint8_t  flag);
rt_err_t rt_timer_detach(rt_timer_t timer);
rt_timer_t rt_timer_create(const char *name,
                           void (*timeout)(void *parameter),
                           void       *parameter,
                           rt_tick_t   time,
                           rt_uint8_t  flag);
rt_err_t rt_timer_delete(rt_timer_t timer);
rt_err_t rt_timer_start(rt_timer_t timer);
rt_err_t rt_timer_stop(rt_timer_t timer);
rt_err_t rt_timer_control(rt_timer_t timer, int cmd, void *arg);
rt_tick_t rt_timer_next_timeout_tick(void);

/* --- threads --- */
rt_err_t rt_thread_init(struct rt_thread *thread,
                        const char       *name,
                        void (*entry)(void *parameter),
                        void             *parameter,
                        void             *stack_start,
                        rt_uint32_t       stack_size,
                        rt_uint8_t        priority,
                        rt_uint32_t       tick);
rt_err_t rt_thread_detach(rt_thread_t thread);
rt_thread_t rt_thread_create(const char *name,
                             void (*entry)(void *parameter),
                             void       *parameter,
                             rt_uint32_t stack_size,
                             rt_uint8_t  priority,
                             rt_uint32_t tick);
rt_err_t rt_thread_delete(rt_thread_t thread);
rt_err_t rt_thread_close(rt_thread_t thread);
rt_thread_t rt_thread_self(void);
rt_thread_t rt_thread_find(char *name);
rt_err_t rt_thread_startup(rt_thread_t thread);
rt_err_t rt_thread_yield(void);
rt_err_t rt_thread_delay(rt_tick_t tick);
rt_err_t rt_thread_mdelay(rt_int32_t ms);
rt_err_t rt_thread_control(rt_thread_t thread, int cmd, void *arg);
rt_err_t rt_thread_suspend(rt_thread_t thread);
rt_err_t rt_thread_suspend_with_flag(rt_thread_t thread, int suspend_flag);
rt_err_t rt_thread_resume(rt_thread_t thread);

/* --- scheduler --- */
void rt_schedule(void);
rt_base_t rt_enter_critical(void);
void rt_exit_critical(void);
void rt_exit_critical_safe(rt_base_t critical_level);
rt_uint16_t rt_critical_level(void);

/* --- memory pool (implemented by the library under test) --- */
#ifdef RT_USING_MEMPOOL
rt_err_t rt_mp_init(struct rt_mempool *mp,
                    const char        *name,
                    void              *start,
                    rt_size_t          size,
                    rt_size_t          block_size);
rt_err_t rt_mp_detach(struct rt_mempool *mp);
rt_mp_t rt_mp_create(const char *name,
                     rt_size_t   block_count,
                     rt_size_t   block_size);
rt_err_t rt_mp_delete(rt_mp_t mp);
void *rt_mp_alloc(rt_mp_t mp, rt_int32_t time);
void rt_mp_free(void *block);
void rt_mp_alloc_sethook(void (*hook)(struct rt_mempool *mp, void *block));
void rt_mp_free_sethook(void (*hook)(struct rt_mempool *mp, void *block));
#endif

/* --- heap --- */
void *rt_malloc(rt_size_t size);
void rt_free(void *ptr);
void *rt_realloc(void *ptr, rt_size_t newsize);
void *rt_calloc(rt_size_t count, rt_size_t size);
void *rt_malloc_align(rt_size_t size, rt_size_t align);
void rt_free_align(void *ptr);

/* --- suspend lists (building block of IPC) --- */
#define RT_THREAD_RESUME_RES_THR_ERR (-1)
void rt_susp_list_print(rt_list_t *list);
struct rt_thread *rt_susp_list_dequeue(rt_list_t *susp_list, rt_err_t thread_error);
rt_err_t rt_susp_list_resume_all(rt_list_t *susp_list, rt_err_t thread_error);
rt_err_t rt_susp_list_resume_all_irq(rt_list_t *susp_list,
                                     rt_err_t thread_error,
                                     struct rt_spinlock *lock);
rt_err_t rt_thread_suspend_to_list(rt_thread_t thread, rt_list_t *susp_list, int ipc_flags, int suspend_flag);
rt_err_t rt_susp_list_enqueue(rt_list_t *susp_list, rt_thread_t thread, int ipc_flags);

/* --- semaphores --- */
rt_err_t rt_sem_init(rt_sem_t    sem,
                     const char *name,
                     rt_uint32_t value,
                     rt_uint8_t  flag);
rt_err_t rt_sem_detach(rt_sem_t sem);
rt_sem_t rt_sem_create(const char *name, rt_uint32_t value, rt_uint8_t flag);
rt_err_t rt_sem_delete(rt_sem_t sem);
rt_err_t rt_sem_take(rt_sem_t sem, rt_int32_t timeout);
rt_err_t rt_sem_trytake(rt_sem_t sem);
rt_err_t rt_sem_release(rt_sem_t sem);

/* --- spinlocks (single CPU: interrupts off plus scheduler lock) --- */
void rt_spin_lock_init(struct rt_spinlock *lock);
void rt_spin_lock(struct rt_spinlock *lock);
void rt_spin_unlock(struct rt_spinlock *lock);
rt_base_t rt_spin_lock_irqsave(struct rt_spinlock *lock);
void rt_spin_unlock_irqrestore(struct rt_spinlock *lock, rt_base_t level);

/* --- interrupts --- */
void rt_interrupt_enter(void);
void rt_interrupt_leave(void);
rt_uint8_t rt_interrupt_get_nest(void);
#define rt_cpu_get_id() (0)

/* --- errno --- */
rt_err_t rt_get_errno(void);
void rt_set_errno(rt_err_t no);
int *_rt_errno(void);

/* --- console and small libc --- */
int rt_kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rt_kputs(const char *str);
#define rt_console_output_set_enabled(enabled) ((void)0)
#define rt_console_output_get_enabled()        (RT_TRUE)

void *rt_memset(void *s, int c, size_t n);
void *rt_memcpy(void *dest, const void *src, size_t n);
void *rt_memmove(void *dest, const void *src, size_t n);
int rt_memcmp(const void *cs, const void *ct, size_t count);
char *rt_strncpy(char *dest, const char *src, size_t n);
char *rt_strcpy(char *dest, const char *src);
int rt_strcmp(const char *cs, const char *ct);
int rt_strncmp(const char *cs, const char *ct, size_t count);
size_t rt_strlen(const char *src);
size_t rt_strnlen(const char *s, size_t maxlen);
char *rt_strdup(const char *s);
char *rt_strstr(const char *str1, const char *str2);
int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
int rt_snprintf(char *buf, size_t size, const char *format, ...) __attribute__((format(printf, 3, 4)));
int rt_sprintf(char *buf, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* --- assertions and context checks --- */
extern void (*rt_assert_hook)(const char *ex, const char *func, rt_size_t line);
void rt_assert_set_hook(void (*hook)(const char *ex, const char *func, rt_size_t line));
void rt_assert_handler(const char *ex, const char *func, rt_size_t line);

#define RT_ASSERT(EX)                                       \
    if (!(EX))                                              \
    {                                                       \
        rt_assert_handler(#EX, __FUNCTION__, __LINE__);     \
    }

#define RT_DEBUG_NOT_IN_INTERRUPT                                               \
    do {                                                                        \
        if (rt_interrupt_get_nest() != 0)                                       \
        {                                                                       \
            rt_kprintf("Function[%s] shall not be used in ISR\n", __FUNCTION__); \
            RT_ASSERT(0)                                                        \
        }                                                                       \
    } while (0)

#define RT_DEBUG_IN_THREAD_CONTEXT                                              \
    do {                                                                        \
        if (rt_thread_self() == RT_NULL)                                        \
        {                                                                       \
            rt_kprintf("Function[%s] shall not be used before scheduler start\n", \
                       __FUNCTION__);                                           \
            RT_ASSERT(0)                                                        \
        }                                                                       \
        RT_DEBUG_NOT_IN_INTERRUPT;                                              \
    } while (0)

#define RT_DEBUG_SCHEDULER_AVAILABLE(need_check)                                \
    do {                                                                        \
        if (need_check)                                                         \
        {                                                                       \
            if (rt_critical_level() != 0)                                       \
            {                                                                   \
                rt_kprintf("Function[%s]: scheduler is not available\n",        \
                           __FUNCTION__);                                       \
                RT_ASSERT(0)                                                    \
            }                                                                   \
            RT_DEBUG_IN_THREAD_CONTEXT;                                         \
        }                                                                       \
    } while (0)

rt_inline rt_bool_t rt_in_thread_context(void)
{
    return rt_thread_self() != RT_NULL && rt_interrupt_get_nest() == 0;
}

rt_inline rt_bool_t rt_scheduler_is_available(void)
{
    return rt_critical_level() == 0 && rt_in_thread_context();
}

#ifdef __cplusplus
}
#endif

#endif
