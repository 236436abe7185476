/* Counting semaphores (enough for tests to synchronise threads). */
#include <rthw.h>
#include <rtthread.h>

static void sem_setup(rt_sem_t sem, rt_uint32_t value, rt_uint8_t flag)
{
    RT_ASSERT(value < 0x10000U);
    rt_list_init(&sem->parent.suspend_thread);
    sem->value = (rt_uint16_t)value;
    sem->max_value = RT_SEM_VALUE_MAX;
    sem->parent.parent.flag = flag;
    rt_spin_lock_init(&sem->spinlock);
}

rt_err_t rt_sem_init(rt_sem_t sem, const char *name, rt_uint32_t value, rt_uint8_t flag)
{
    RT_ASSERT(sem != RT_NULL);
    rt_object_init(&sem->parent.parent, RT_Object_Class_Semaphore, name);
    sem_setup(sem, value, flag);
    return RT_EOK;
}

rt_sem_t rt_sem_create(const char *name, rt_uint32_t value, rt_uint8_t flag)
{
    rt_sem_t sem = (rt_sem_t)rt_object_allocate(RT_Object_Class_Semaphore, name);

    if (sem)
        sem_setup(sem, value, flag);
    return sem;
}

rt_err_t rt_sem_detach(rt_sem_t sem)
{
    RT_ASSERT(sem != RT_NULL);
    RT_ASSERT(rt_object_get_type(&sem->parent.parent) == RT_Object_Class_Semaphore);
    RT_ASSERT(rt_object_is_systemobject(&sem->parent.parent));
    rt_susp_list_resume_all(&sem->parent.suspend_thread, RT_ERROR);
    rt_object_detach(&sem->parent.parent);
    rt_schedule();
    return RT_EOK;
}

rt_err_t rt_sem_delete(rt_sem_t sem)
{
    RT_ASSERT(sem != RT_NULL);
    RT_ASSERT(rt_object_get_type(&sem->parent.parent) == RT_Object_Class_Semaphore);
    RT_ASSERT(!rt_object_is_systemobject(&sem->parent.parent));
    rt_susp_list_resume_all(&sem->parent.suspend_thread, RT_ERROR);
    rt_object_delete(&sem->parent.parent);
    rt_schedule();
    return RT_EOK;
}

rt_err_t rt_sem_take(rt_sem_t sem, rt_int32_t timeout)
{
    struct rt_thread *self;
    rt_base_t level;

    RT_ASSERT(sem != RT_NULL);
    RT_ASSERT(rt_object_get_type(&sem->parent.parent) == RT_Object_Class_Semaphore);
    level = rt_spin_lock_irqsave(&sem->spinlock);
    if (sem->value > 0)
    {
        sem->value--;
        rt_spin_unlock_irqrestore(&sem->spinlock, level);
        return RT_EOK;
    }
    if (timeout == 0)
    {
        rt_spin_unlock_irqrestore(&sem->spinlock, level);
        return -RT_ETIMEOUT;
    }
    RT_DEBUG_IN_THREAD_CONTEXT;
    self = rt_thread_self();
    self->error = -RT_EINTR;
    rt_thread_suspend_to_list(self, &sem->parent.suspend_thread,
                              sem->parent.parent.flag, RT_UNINTERRUPTIBLE);
    if (timeout > 0)
    {
        rt_tick_t t = (rt_tick_t)timeout;

        rt_timer_control(&self->thread_timer, RT_TIMER_CTRL_SET_TIME, &t);
        rt_timer_start(&self->thread_timer);
    }
    rt_spin_unlock_irqrestore(&sem->spinlock, level);
    rt_schedule();
    return self->error;
}

rt_err_t rt_sem_trytake(rt_sem_t sem)
{
    return rt_sem_take(sem, RT_WAITING_NO);
}

rt_err_t rt_sem_release(rt_sem_t sem)
{
    rt_base_t level;
    int wake = 0;

    RT_ASSERT(sem != RT_NULL);
    RT_ASSERT(rt_object_get_type(&sem->parent.parent) == RT_Object_Class_Semaphore);
    level = rt_spin_lock_irqsave(&sem->spinlock);
    if (!rt_list_isempty(&sem->parent.suspend_thread))
    {
        rt_susp_list_dequeue(&sem->parent.suspend_thread, RT_EOK);
        wake = 1;
    }
    else if (sem->value < sem->max_value)
        sem->value++;
    else
    {
        rt_spin_unlock_irqrestore(&sem->spinlock, level);
        return -RT_EFULL;
    }
    rt_spin_unlock_irqrestore(&sem->spinlock, level);
    if (wake)
        rt_schedule();
    return RT_EOK;
}
