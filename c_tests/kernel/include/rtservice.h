/* Intrusive doubly linked lists (circular, with a sentinel head). */
#ifndef RT_SERVICE_H__
#define RT_SERVICE_H__

#include <rtdef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define rt_container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - (unsigned long)(&((type *)0)->member)))

#define RT_LIST_OBJECT_INIT(object) { &(object), &(object) }

rt_inline void rt_list_init(rt_list_t *l)
{
    l->next = l;
    l->prev = l;
}

/* n goes right after l */
rt_inline void rt_list_insert_after(rt_list_t *l, rt_list_t *n)
{
    n->next = l->next;
    n->prev = l;
    l->next->prev = n;
    l->next = n;
}

/* n goes right before l (at the tail when l is the head) */
rt_inline void rt_list_insert_before(rt_list_t *l, rt_list_t *n)
{
    n->prev = l->prev;
    n->next = l;
    l->prev->next = n;
    l->prev = n;
}

/* Leaves n linked to itself so a second remove is harmless. */
rt_inline void rt_list_remove(rt_list_t *n)
{
    n->next->prev = n->prev;
    n->prev->next = n->next;
    n->next = n;
    n->prev = n;
}

rt_inline int rt_list_isempty(const rt_list_t *l)
{
    return l->next == l;
}

rt_inline unsigned int rt_list_len(const rt_list_t *l)
{
    unsigned int n = 0;
    const rt_list_t *p;

    for (p = l->next; p != l; p = p->next)
        n++;
    return n;
}

#define rt_list_entry(node, type, member) rt_container_of(node, type, member)

#define rt_list_first_entry(ptr, type, member) rt_list_entry((ptr)->next, type, member)

#define rt_list_for_each(pos, head) \
    for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

#define rt_list_for_each_safe(pos, n, head) \
    for ((pos) = (head)->next, (n) = (pos)->next; (pos) != (head); (pos) = (n), (n) = (pos)->next)

#define rt_list_for_each_entry(pos, head, member) \
    for ((pos) = rt_list_entry((head)->next, __typeof__(*(pos)), member); \
         &(pos)->member != (head); \
         (pos) = rt_list_entry((pos)->member.next, __typeof__(*(pos)), member))

#define rt_list_for_each_entry_safe(pos, n, head, member) \
    for ((pos) = rt_list_entry((head)->next, __typeof__(*(pos)), member), \
         (n) = rt_list_entry((pos)->member.next, __typeof__(*(pos)), member); \
         &(pos)->member != (head); \
         (pos) = (n), (n) = rt_list_entry((n)->member.next, __typeof__(*(n)), member))

/* Singly linked list with a head node; the last node points to RT_NULL. */
rt_inline void rt_slist_init(rt_slist_t *l)
{
    l->next = RT_NULL;
}

rt_inline void rt_slist_append(rt_slist_t *l, rt_slist_t *n)
{
    while (l->next)
        l = l->next;
    l->next = n;
    n->next = RT_NULL;
}

rt_inline void rt_slist_insert(rt_slist_t *l, rt_slist_t *n)
{
    n->next = l->next;
    l->next = n;
}

rt_inline unsigned int rt_slist_len(const rt_slist_t *l)
{
    unsigned int n = 0;

    for (l = l->next; l; l = l->next)
        n++;
    return n;
}

rt_inline rt_slist_t *rt_slist_remove(rt_slist_t *l, rt_slist_t *n)
{
    while (l->next && l->next != n)
        l = l->next;
    if (l->next)
        l->next = n->next;
    return l;
}

rt_inline rt_slist_t *rt_slist_first(rt_slist_t *l)
{
    return l->next;
}

rt_inline rt_slist_t *rt_slist_next(rt_slist_t *n)
{
    return n->next;
}

rt_inline int rt_slist_isempty(rt_slist_t *l)
{
    return l->next == RT_NULL;
}

#define rt_slist_entry(node, type, member) rt_container_of(node, type, member)

#define rt_slist_for_each(pos, head) \
    for ((pos) = (head)->next; (pos) != RT_NULL; (pos) = (pos)->next)

#ifdef __cplusplus
}
#endif

#endif
