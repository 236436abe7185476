/* Heap, small libc, console and assertions of the host kernel. */
#include <rthw.h>
#include <rtthread.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "host_kernel.h"
#include "host_internal.h"

/* ------------------------------------------------------------------ */
/* heap on libc, with fault injection                                  */

static int fail_after = -1;
static long live_blocks;

void host_heap_fail_after(int n)
{
    fail_after = n;
}

long host_heap_live_blocks(void)
{
    return live_blocks;
}

/* Whether the next allocation may succeed. */
static int heap_grant(void)
{
    if (fail_after < 0)
        return 1;
    if (fail_after == 0)
        return 0;
    fail_after--;
    return 1;
}

/*
 * What RT-Thread 5.3's heap lock does to the caller. rt_malloc, rt_realloc and
 * rt_free (not rt_free(RT_NULL), which returns first) lock the heap; in the
 * configuration the suite runs under on the real kernel (qemu-vexpress-a9:
 * RT_USING_MUTEX, the small-memory heap, no RT_USING_HEAP_ISR) that lock is a
 * mutex taken from thread context only, and taking it first checks that the
 * scheduler is available (RT_DEBUGING_CONTEXT: it asserts with the scheduler
 * locked or in an interrupt) and then resets the thread's error to RT_EOK.
 * So after any of these calls from a thread, rt_get_errno() is RT_EOK,
 * whatever the allocation's outcome. Outside threads nothing happens.
 */
static void heap_lock(void)
{
    rt_thread_t self = rt_thread_self();

    if (self == RT_NULL)
        return;
    RT_DEBUG_SCHEDULER_AVAILABLE(RT_TRUE);
    self->error = RT_EOK;
}

/* Freed memory is overwritten first, so that a use after free (of a deleted
 * pool, say) reads HOST_HEAP_POISON bytes instead of the old contents even
 * without AddressSanitizer. */
static void poison_and_free(void *ptr)
{
    memset(ptr, HOST_HEAP_POISON, malloc_usable_size(ptr));
    free(ptr);
}

void *rt_malloc(rt_size_t size)
{
    void *p;

    heap_lock();
    if (size == 0 || !heap_grant())
        return RT_NULL;
    p = malloc(size);
    if (p)
        live_blocks++;
    return p;
}

void rt_free(void *ptr)
{
    if (ptr == RT_NULL)
        return;
    heap_lock();
    host_heap_release(ptr);
}

void host_heap_release(void *ptr)
{
    if (ptr == RT_NULL)
        return;
    live_blocks--;
    poison_and_free(ptr);
}

void *rt_realloc(void *ptr, rt_size_t newsize)
{
    size_t old;
    void *p;

    if (ptr == RT_NULL)
        return rt_malloc(newsize);
    if (newsize == 0)
    {
        rt_free(ptr);
        return RT_NULL;
    }
    heap_lock();
    if (!heap_grant())
        return RT_NULL;
    /* always moves, so the old block is poisoned like any freed one */
    p = malloc(newsize);
    if (p == RT_NULL)
        return RT_NULL;
    old = malloc_usable_size(ptr);
    memcpy(p, ptr, old < newsize ? old : newsize);
    poison_and_free(ptr);
    return p;
}

void *rt_calloc(rt_size_t count, rt_size_t size)
{
    void *p;

    if (size != 0 && count > (rt_size_t)-1 / size)
        return RT_NULL;
    p = rt_malloc(count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *rt_malloc_align(rt_size_t size, rt_size_t align)
{
    void *p;

    heap_lock();   /* RT-Thread's rt_malloc_align allocates with rt_malloc */
    if (size == 0 || !heap_grant())
        return RT_NULL;
    if (align < sizeof(void *))
        align = sizeof(void *);
    if (posix_memalign(&p, align, size) != 0)
        return RT_NULL;
    live_blocks++;
    return p;
}

void rt_free_align(void *ptr)
{
    rt_free(ptr);
}

/* ------------------------------------------------------------------ */
/* small libc                                                          */

void *rt_memset(void *s, int c, size_t n) { return memset(s, c, n); }
void *rt_memcpy(void *d, const void *s, size_t n) { return memcpy(d, s, n); }
void *rt_memmove(void *d, const void *s, size_t n) { return memmove(d, s, n); }
int rt_memcmp(const void *a, const void *b, size_t n) { return memcmp(a, b, n); }
char *rt_strncpy(char *d, const char *s, size_t n) { return strncpy(d, s, n); }
char *rt_strcpy(char *d, const char *s) { return strcpy(d, s); }
int rt_strcmp(const char *a, const char *b) { return strcmp(a, b); }
int rt_strncmp(const char *a, const char *b, size_t n) { return strncmp(a, b, n); }
size_t rt_strlen(const char *s) { return strlen(s); }
size_t rt_strnlen(const char *s, size_t n) { return strnlen(s, n); }
char *rt_strstr(const char *a, const char *b) { return strstr(a, b); }

char *rt_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = rt_malloc(n);

    if (p)
        memcpy(p, s, n);
    return p;
}

int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
    return vsnprintf(buf, size, fmt, args);
}

int rt_snprintf(char *buf, size_t size, const char *format, ...)
{
    va_list ap;
    int n;

    va_start(ap, format);
    n = vsnprintf(buf, size, format, ap);
    va_end(ap);
    return n;
}

int rt_sprintf(char *buf, const char *format, ...)
{
    va_list ap;
    int n;

    va_start(ap, format);
    n = vsprintf(buf, format, ap);
    va_end(ap);
    return n;
}

/* ------------------------------------------------------------------ */
/* console with capture                                                */

static char *cap_buf;
static size_t cap_len, cap_size;
static int capturing;

void host_capture_begin(void)
{
    cap_len = 0;
    capturing = 1;
}

void host_capture_end(char **out)
{
    capturing = 0;
    if (out)
    {
        *out = rt_malloc(cap_len + 1);
        if (*out)
        {
            if (cap_len)
                memcpy(*out, cap_buf, cap_len);
            (*out)[cap_len] = '\0';
        }
    }
    cap_len = 0;
}

static void console_write(const char *s, size_t n)
{
    fwrite(s, 1, n, stdout);
    fflush(stdout);
    if (!capturing)
        return;
    if (cap_len + n + 1 > cap_size)
    {
        size_t want = (cap_len + n + 1) * 2;
        char *p = realloc(cap_buf, want);

        if (p == NULL)
            return;
        cap_buf = p;
        cap_size = want;
    }
    memcpy(cap_buf + cap_len, s, n);
    cap_len += n;
}

int rt_kprintf(const char *fmt, ...)
{
    char small[256], *buf = small;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return n;
    if ((size_t)n >= sizeof(small))
    {
        buf = malloc((size_t)n + 1);
        if (buf == NULL)
            return -1;
        va_start(ap, fmt);
        vsnprintf(buf, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    console_write(buf, (size_t)n);
    if (buf != small)
        free(buf);
    return n;
}

void rt_kputs(const char *str)
{
    console_write(str, strlen(str));
}

/* ------------------------------------------------------------------ */
/* assertions                                                          */

void (*rt_assert_hook)(const char *ex, const char *func, rt_size_t line);
static int assert_count;

void rt_assert_set_hook(void (*hook)(const char *ex, const char *func, rt_size_t line))
{
    rt_assert_hook = hook;
}

int host_assert_count(void)
{
    return assert_count;
}

/* With a hook installed the hook decides, as on RT-Thread. Otherwise the
 * kernel would stop here; the host fails the running test and ends the
 * thread that asserted, so the rest of the suite still runs. */
void rt_assert_handler(const char *ex, const char *func, rt_size_t line)
{
    assert_count++;
    if (rt_assert_hook)
    {
        rt_assert_hook(ex, func, line);
        return;
    }
    rt_kprintf("(%s) assertion failed at function:%s, line number:%d \n", ex, func, (int)line);
    host_fail_current();
    if (rt_thread_self() != RT_NULL)
    {
        rt_kprintf("[host] thread %.*s ended by the failed assertion\n",
                   RT_NAME_MAX, rt_thread_self()->parent.name);
        host_thread_exit_current();
    }
}
