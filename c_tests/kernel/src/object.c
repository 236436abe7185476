/* Kernel object containers, one per class the host kernel provides. */
#include <rthw.h>
#include <rtthread.h>
#include <stddef.h>
#include <stdio.h>
#include "host_internal.h"

/*
 * The layout RT-Thread 5.3's headers give the structures the library reads
 * (single CPU, RT_USING_DEBUG), on 32- and 64-bit hosts alike: P is the
 * pointer size, rt_base_t / rt_ubase_t / rt_size_t are P bytes (long).
 */
#define P sizeof(void *)
_Static_assert(sizeof(rt_base_t) == P && sizeof(rt_ubase_t) == P && sizeof(rt_size_t) == P,
               "rt_base_t, rt_ubase_t and rt_size_t are pointer-sized");
_Static_assert(sizeof(rt_base_t) == sizeof(long), "rt_base_t is long-sized");
_Static_assert(sizeof(rt_err_t) == P && sizeof(rt_tick_t) == 4, "rt_err_t and rt_tick_t");
_Static_assert(offsetof(struct rt_object, list) == RT_ALIGN(RT_NAME_MAX + 2, P),
               "struct rt_object: name, type, flag, then the list node");
_Static_assert(sizeof(struct rt_object) == RT_ALIGN(RT_NAME_MAX + 2, P) + 2 * P,
               "struct rt_object size");
_Static_assert(sizeof(struct rt_spinlock) == 2 * P, "struct rt_spinlock: critical_level, lock");
_Static_assert(offsetof(struct rt_mempool, start_address) == sizeof(struct rt_object) &&
               offsetof(struct rt_mempool, block_list) == sizeof(struct rt_object) + 3 * P &&
               offsetof(struct rt_mempool, suspend_thread) == sizeof(struct rt_object) + 6 * P &&
               offsetof(struct rt_mempool, spinlock) == sizeof(struct rt_object) + 8 * P &&
               sizeof(struct rt_mempool) == sizeof(struct rt_object) + 10 * P,
               "struct rt_mempool layout");
_Static_assert(offsetof(struct rt_object_information, object_list) == P &&
               offsetof(struct rt_object_information, object_size) == 3 * P &&
               offsetof(struct rt_object_information, spinlock) == 4 * P &&
               sizeof(struct rt_object_information) == 6 * P,
               "struct rt_object_information layout");
#undef P

#define CLASS(i, t, sz) { t, RT_LIST_OBJECT_INIT(containers[i].object_list), sz, RT_SPINLOCK_INIT }

static struct rt_object_information containers[] =
{
    CLASS(0, RT_Object_Class_Thread, sizeof(struct rt_thread)),
    CLASS(1, RT_Object_Class_Semaphore, sizeof(struct rt_semaphore)),
    CLASS(2, RT_Object_Class_MemPool, sizeof(struct rt_mempool)),
    CLASS(3, RT_Object_Class_Timer, sizeof(struct rt_timer)),
};

struct rt_object_information *rt_object_get_information(enum rt_object_class_type type)
{
    unsigned i;

    type = (enum rt_object_class_type)(type & ~RT_Object_Class_Static);
    for (i = 0; i < RT_ARRAY_SIZE(containers); i++)
        if (containers[i].type == type)
            return &containers[i];
    return RT_NULL;
}

int rt_object_get_length(enum rt_object_class_type type)
{
    struct rt_object_information *info = rt_object_get_information(type);

    return info ? (int)rt_list_len(&info->object_list) : 0;
}

int rt_object_get_pointers(enum rt_object_class_type type, rt_object_t *pointers, int maxlen)
{
    struct rt_object_information *info = rt_object_get_information(type);
    rt_list_t *n;
    int count = 0;

    if (info == RT_NULL || maxlen <= 0)
        return 0;
    rt_list_for_each(n, &info->object_list)
    {
        pointers[count++] = rt_list_entry(n, struct rt_object, list);
        if (count >= maxlen)
            break;
    }
    return count;
}

/* Called with every object about to be registered (rt_object_init, rt_object_allocate),
 * before it is linked into its class list, as RT-Thread's attach hook. */
static void (*object_attach_hook)(struct rt_object *object);

void rt_object_attach_sethook(void (*hook)(struct rt_object *object))
{
    object_attach_hook = hook;
}

static void set_name(struct rt_object *object, const char *name)
{
    if (name)
    {
        rt_strncpy(object->name, name, RT_NAME_MAX - 1);
        object->name[RT_NAME_MAX - 1] = '\0';
    }
    else
        object->name[0] = '\0';
}

void rt_object_init(struct rt_object *object, enum rt_object_class_type type, const char *name)
{
    struct rt_object_information *info = rt_object_get_information(type);
    rt_list_t *n;
    rt_base_t level;

    RT_ASSERT(info != RT_NULL);
    /* initialising a live object twice would corrupt the container */
    level = rt_spin_lock_irqsave(&info->spinlock);
    rt_list_for_each(n, &info->object_list)
        RT_ASSERT(rt_list_entry(n, struct rt_object, list) != object);
    rt_spin_unlock_irqrestore(&info->spinlock, level);

    object->type = (rt_uint8_t)(type | RT_Object_Class_Static);
    set_name(object, name);
    RT_OBJECT_HOOK_CALL(object_attach_hook, (object));
    level = rt_spin_lock_irqsave(&info->spinlock);
    rt_list_insert_after(&info->object_list, &object->list);
    rt_spin_unlock_irqrestore(&info->spinlock, level);
}

/* Takes an object off its class list and marks it as no object (detach and delete). */
static void unlink_object(rt_object_t object)
{
    struct rt_object_information *info;
    rt_base_t level;

    info = rt_object_get_information((enum rt_object_class_type)object->type);
    RT_ASSERT(info != RT_NULL);
    level = rt_spin_lock_irqsave(&info->spinlock);
    rt_list_remove(&object->list);
    rt_spin_unlock_irqrestore(&info->spinlock, level);
    object->type = RT_Object_Class_Null;
}

void rt_object_detach(rt_object_t object)
{
    RT_ASSERT(object != RT_NULL);
    unlink_object(object);
}

rt_object_t rt_object_allocate(enum rt_object_class_type type, const char *name)
{
    struct rt_object_information *info = rt_object_get_information(type);
    struct rt_object *object;
    rt_base_t level;

    RT_DEBUG_NOT_IN_INTERRUPT;
    RT_ASSERT(info != RT_NULL);
    object = rt_malloc(info->object_size);
    if (object == RT_NULL)
        return RT_NULL;
    rt_memset(object, 0, info->object_size);
    object->type = (rt_uint8_t)type;
    object->flag = 0;
    set_name(object, name);
    RT_OBJECT_HOOK_CALL(object_attach_hook, (object));
    level = rt_spin_lock_irqsave(&info->spinlock);
    rt_list_insert_after(&info->object_list, &object->list);
    rt_spin_unlock_irqrestore(&info->spinlock, level);
    return object;
}

void rt_object_delete(rt_object_t object)
{
    RT_ASSERT(object != RT_NULL);
    RT_ASSERT(!(object->type & RT_Object_Class_Static));
    unlink_object(object);
    rt_free(object);
}

void host_object_delete_quietly(rt_object_t object)
{
    RT_ASSERT(object != RT_NULL);
    RT_ASSERT(!(object->type & RT_Object_Class_Static));
    unlink_object(object);
    host_heap_release(object);
}

rt_bool_t rt_object_is_systemobject(rt_object_t object)
{
    RT_ASSERT(object != RT_NULL);
    return (object->type & RT_Object_Class_Static) ? RT_TRUE : RT_FALSE;
}

rt_uint8_t rt_object_get_type(rt_object_t object)
{
    RT_ASSERT(object != RT_NULL);
    return object->type & ~RT_Object_Class_Static;
}

rt_err_t rt_object_for_each(rt_uint8_t type, rt_object_iter_t iter, void *data)
{
    struct rt_object_information *info;
    rt_list_t *n;
    rt_base_t level;
    rt_err_t err;

    info = rt_object_get_information((enum rt_object_class_type)type);
    if (info == RT_NULL)
        return -RT_EINVAL;
    level = rt_spin_lock_irqsave(&info->spinlock);
    rt_list_for_each(n, &info->object_list)
    {
        err = iter(rt_list_entry(n, struct rt_object, list), data);
        if (err != RT_EOK)
        {
            rt_spin_unlock_irqrestore(&info->spinlock, level);
            return err >= 0 ? RT_EOK : err;
        }
    }
    rt_spin_unlock_irqrestore(&info->spinlock, level);
    return RT_EOK;
}

rt_object_t rt_object_find(const char *name, rt_uint8_t type)
{
    struct rt_object_information *info;
    rt_list_t *n;

    info = rt_object_get_information((enum rt_object_class_type)type);
    if (name == RT_NULL || info == RT_NULL)
        return RT_NULL;
    RT_DEBUG_NOT_IN_INTERRUPT;
    rt_list_for_each(n, &info->object_list)
    {
        struct rt_object *o = rt_list_entry(n, struct rt_object, list);

        if (rt_strncmp(o->name, name, RT_NAME_MAX) == 0)
            return o;
    }
    return RT_NULL;
}

rt_err_t rt_object_get_name(rt_object_t object, char *name, rt_uint8_t name_size)
{
    if (object == RT_NULL || name == RT_NULL || name_size == 0)
        return -RT_EINVAL;
    rt_strncpy(name, object->name, name_size);
    name[name_size - 1] = '\0';
    return RT_EOK;
}

/* Drops objects that live in memory about to be freed (the stack of an
 * ended thread) so the containers never point into freed memory. */
void host_objects_forget_range(const char *lo, const char *hi)
{
    unsigned i;

    for (i = 0; i < RT_ARRAY_SIZE(containers); i++)
    {
        rt_list_t *n, *next;

        rt_list_for_each_safe(n, next, &containers[i].object_list)
        {
            struct rt_object *o = rt_list_entry(n, struct rt_object, list);

            if ((const char *)o >= lo && (const char *)o < hi)
            {
                printf("[host] %.*s (class %d) was left registered on a thread's stack; dropped\n",
                       RT_NAME_MAX, o->name, o->type & ~RT_Object_Class_Static);
                rt_list_remove(n);
            }
        }
    }
}
