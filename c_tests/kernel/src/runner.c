/*
 * The host test runner: utest test cases, the msh command table, and the
 * sample check. rtt_host_main is called by the Rust test binary.
 */
#include <rthw.h>
#include <rtthread.h>
#include <utest.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "host_kernel.h"
#include "host_internal.h"

/* The sample's output: captured on RT-Thread 5.3 (4-byte pointers: 48
 * blocks of 80 bytes in its 4096-byte pool), and the same with 8-byte
 * pointers (46 blocks), for 64-bit hosts. */
#ifndef RTT_SAMPLE_EXPECTED
#define RTT_SAMPLE_EXPECTED "c_tests/sample/memp_sample.expected"
#endif
#ifndef RTT_SAMPLE_EXPECTED_LP64
#define RTT_SAMPLE_EXPECTED_LP64 "c_tests/sample/memp_sample.expected.lp64"
#endif
#ifndef RTT_SAMPLE_COMMAND
#define RTT_SAMPLE_COMMAND "mempool_sample"
#endif

/* Simulated time a test case may use when it names no timeout, and the
 * wall-clock time after which a run that still spins is ended (a thread
 * spinning with interrupts masked: otherwise the tick interrupts that come
 * while a thread spins end it at the simulated limit first). The environment
 * variable RTT_HOST_WALL_CLOCK overrides the latter (seconds). */
#define DEFAULT_CASE_SECONDS 10
#define WALL_CLOCK_SECONDS   60
/* Attempts, a second apart, to end a run at a point where the spinning
 * thread can be left (in test code, not in the kernel or libc). */
#define WALL_CLOCK_RETRIES   10

/* Test cases named so run only when a filter selects them: they show that a
 * failing case (a spin, say) fails alone and the runner goes on. */
#define DEMO_PREFIX "host.fails."

/* Bounds the linker gives the two sections. Referencing them is also what
 * keeps the sections (and all they point to) through --gc-sections. */
extern const struct utest_tc_export __start_UtestTcTab[];
extern const struct utest_tc_export __stop_UtestTcTab[];
extern const struct finsh_syscall __start_FSymTab[];
extern const struct finsh_syscall __stop_FSymTab[];

/* An unnamed entry so the section exists in a build without test cases. */
rt_used static const struct utest_tc_export no_case rt_section("UtestTcTab") rt_align(sizeof(void *)) = { 0, 0, 0, 0, 0 };

static struct utest handle;
static int current_failed;
static int case_done;
static rt_thread_t case_thread;
static int case_killed;
static int n_passed, n_failed;
static const char *running_name = "";
static unsigned wall_clock_seconds = WALL_CLOCK_SECONDS;
static volatile int wall_tries;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fflush(stdout);
}

void host_fail_current(void)
{
    current_failed = 1;
    if (rt_thread_self() != RT_NULL && rt_thread_self() == case_thread)
        case_killed = 1;
}

/* ------------------------------------------------------------------ */
/* utest API                                                           */

utest_t utest_handle_get(void)
{
    return &handle;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');

    return s ? s + 1 : path;
}

rt_bool_t utest_assert(int value, const char *file, int line, const char *func, const char *msg)
{
    if (value)
    {
        handle.passed_num++;
        return RT_TRUE;
    }
    handle.failed_num++;
    handle.error = UTEST_FAILED;
    current_failed = 1;
    say("[  ASSERT  ] [ unit     ] at %s:%d, in %s(): %s\n", base_name(file), line, func, msg);
    return RT_FALSE;
}

void utest_assert_string(const char *a, const char *b, rt_bool_t equal,
                         const char *file, int line, const char *func, const char *msg)
{
    int same = a && b && strcmp(a, b) == 0;

    if (a == RT_NULL || b == RT_NULL)
        same = 0;
    if (!utest_assert(equal ? same : (a && b && !same), file, line, func, msg))
        say("[  ASSERT  ] [ unit     ] str-a: (%s); str-b: (%s)\n", a ? a : "(null)", b ? b : "(null)");
}

void utest_assert_buf(const char *a, const char *b, rt_size_t sz, rt_bool_t equal,
                      const char *file, int line, const char *func, const char *msg)
{
    int same = a && b && memcmp(a, b, sz) == 0;

    utest_assert(equal ? same : (a && b && !same), file, line, func, msg);
}

void utest_unit_run(test_unit_func func, const char *unit_func_name)
{
    say("[==========] utest unit name: (%s)\n", unit_func_name);
    handle.error = UTEST_PASSED;
    handle.passed_num = 0;
    handle.failed_num = 0;
    if (func)
    {
        int depth = host_user_call_begin();

        func();
        host_user_call_end(depth);
    }
}

/* ------------------------------------------------------------------ */
/* msh                                                                 */

int msh_exec(char *cmd, rt_size_t length)
{
    char line[256], *argv[16];
    const struct finsh_syscall *s;
    int argc = 0;
    char *p;

    if (length >= sizeof(line))
        length = sizeof(line) - 1;
    memcpy(line, cmd, length);
    line[length] = '\0';
    for (p = line; *p && argc < (int)RT_ARRAY_SIZE(argv) - 1;)
    {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            *p++ = '\0';
        if (*p == '\0')
            break;
        if (*p == '"')
        {
            argv[argc++] = ++p;
            while (*p && *p != '"')
                p++;
            if (*p)
                *p++ = '\0';
            continue;
        }
        argv[argc++] = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            p++;
    }
    argv[argc] = RT_NULL;
    if (argc == 0)
        return 0;
    for (s = __start_FSymTab; s < __stop_FSymTab; s++)
        if (strcmp(s->name, argv[0]) == 0)
        {
            int depth = host_user_call_begin(), r;

            r = ((int (*)(int, char **))(void (*)(void))s->func)(argc, argv);
            host_user_call_end(depth);
            return r;
        }
    rt_kprintf("%s: command not found.\n", argv[0]);
    return -RT_ERROR;
}

static int cmd_help(void)
{
    const struct finsh_syscall *s;

    rt_kprintf("RT-Thread shell commands:\n");
    for (s = __start_FSymTab; s < __stop_FSymTab; s++)
        rt_kprintf("%-16s - %s\n", s->name, s->desc);
    return 0;
}
MSH_CMD_EXPORT_ALIAS(cmd_help, help, list the commands);

/* Same columns as RT-Thread's "list mempool", waiters named after a colon. */
static void list_mempools(void)
{
    struct rt_object_information *info = rt_object_get_information(RT_Object_Class_MemPool);
    rt_list_t *n;

    rt_kprintf("%-*.*s block total free suspend thread\n", RT_NAME_MAX, RT_NAME_MAX, "mempool");
    rt_kprintf("%.*s  ----  ----  ---- --------------\n", RT_NAME_MAX,
               "----------------------------------------------------------------");
    rt_list_for_each(n, &info->object_list)
    {
        struct rt_mempool *mp = (struct rt_mempool *)rt_list_entry(n, struct rt_object, list);
        unsigned waiting = rt_list_len(&mp->suspend_thread);

        rt_kprintf("%-*.*s %04d  %04d  %04d %d", RT_NAME_MAX, RT_NAME_MAX, mp->parent.name,
                   (int)mp->block_size, (int)mp->block_total_count,
                   (int)mp->block_free_count, (int)waiting);
        if (waiting)
        {
            rt_kprintf(":");
            rt_susp_list_print(&mp->suspend_thread);
        }
        rt_kprintf("\n");
    }
}

static void list_threads(void)
{
    static const char *const stat_names[] = { "init", "close", "ready", "running" };
    struct rt_object_information *info = rt_object_get_information(RT_Object_Class_Thread);
    rt_list_t *n;

    rt_kprintf("%-*.*s pri  status\n", RT_NAME_MAX, RT_NAME_MAX, "thread");
    rt_list_for_each(n, &info->object_list)
    {
        struct rt_thread *t = (struct rt_thread *)rt_list_entry(n, struct rt_object, list);
        int st = t->stat & RT_THREAD_STAT_MASK;

        rt_kprintf("%-*.*s %3d  %s\n", RT_NAME_MAX, RT_NAME_MAX, t->parent.name,
                   t->current_priority, (st & RT_THREAD_SUSPEND_MASK) ? "suspend" : stat_names[st]);
    }
}

/* list mempool | list thread: the msh views the tests look at. */
static int cmd_list(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "mempool") == 0)
        list_mempools();
    else if (argc > 1 && strcmp(argv[1], "thread") == 0)
        list_threads();
    else
    {
        rt_kprintf("Usage: list mempool|thread\n");
        return -1;
    }
    return 0;
}
MSH_CMD_EXPORT_ALIAS(cmd_list, list, list kernel objects);

/* ------------------------------------------------------------------ */
/* runner                                                              */

/* The wall-clock limit: ends the run, leaving the spinning thread, so that
 * only this test case fails; if the thread cannot be left (it spins inside
 * the kernel or libc) after WALL_CLOCK_RETRIES more seconds, the process
 * ends with the summary line. */
HOST_NO_INSTRUMENT static void on_alarm(int sig, siginfo_t *info, void *ucontext)
{
    char msg[256];
    int n;

    (void)sig;
    (void)info;
    if (host_sched_abandon(ucontext))
        return;   /* not reached: the run is over */
    if (++wall_tries <= WALL_CLOCK_RETRIES)
    {
        alarm(1);
        return;
    }
    n = snprintf(msg, sizeof(msg),
                 "\n[  FAILED  ] [ result   ] %s: still running after %u s of wall-clock time "
                 "(a thread spins inside the kernel)\n%d passed, %d failed\n",
                 running_name, wall_clock_seconds + WALL_CLOCK_RETRIES, n_passed, n_failed + 1);
    if (n > 0)
        (void)!write(1, msg, (size_t)n);
    _exit(1);
}

static void wall_clock_arm(void)
{
    wall_tries = 0;
    alarm(wall_clock_seconds);
}

static void case_entry(void *parameter)
{
    const struct utest_tc_export *tc = parameter;

    int depth = host_user_call_begin();
    rt_err_t init_err = tc->init ? tc->init() : RT_EOK, cleanup_err = RT_EOK;

    if (init_err == RT_EOK)
    {
        if (tc->tc)
            tc->tc();
        if (tc->cleanup)
            cleanup_err = tc->cleanup();
    }
    host_user_call_end(depth);
    if (init_err != RT_EOK)
    {
        say("[  FAILED  ] [ result   ] testcase init (%s)\n", tc->name);
        current_failed = 1;
    }
    else if (cleanup_err != RT_EOK)
    {
        say("[  FAILED  ] [ result   ] testcase cleanup (%s)\n", tc->name);
        current_failed = 1;
    }
    case_done = 1;
}

static void print_stuck_threads(void)
{
    struct rt_object_information *info = rt_object_get_information(RT_Object_Class_Thread);
    rt_list_t *n;

    rt_list_for_each(n, &info->object_list)
    {
        struct rt_thread *t = (struct rt_thread *)rt_list_entry(n, struct rt_object, list);

        if ((t->stat & RT_THREAD_SUSPEND_MASK) && t != host_timer_thread())
            say("           still suspended: thread %.*s (priority %d)\n",
                RT_NAME_MAX, t->parent.name, t->current_priority);
    }
}

static void run_case(const struct utest_tc_export *tc)
{
    rt_thread_t t;
    rt_uint32_t seconds = tc->run_timeout ? tc->run_timeout : DEFAULT_CASE_SECONDS;
    int r;

    say("[ RUN      ] [ testcase ] (%s) started\n", tc->name);
    running_name = tc->name;
    current_failed = 0;
    case_done = 0;
    case_killed = 0;
    handle.error = UTEST_PASSED;
    handle.passed_num = handle.failed_num = 0;

    t = rt_thread_create("utest", case_entry, (void *)tc, UTEST_THR_STACK_SIZE, UTEST_THR_PRIORITY, 10);
    if (t == RT_NULL)
    {
        say("[  FAILED  ] [ result   ] no memory for the utest thread\n");
        n_failed++;
        return;
    }
    case_thread = t;
    rt_thread_startup(t);
    wall_clock_arm();
    r = host_sched_run(rt_tick_get() + seconds * RT_TICK_PER_SECOND);
    alarm(0);
    if (!case_done)
    {
        current_failed = 1;
        if (case_killed)
            say("[  FAILED  ] [ result   ] %s ended by a failed RT_ASSERT\n", tc->name);
        else if (r == 2)
            say("[  FAILED  ] [ result   ] %s still running after %u s of wall-clock time "
                "(a thread spins with interrupts masked or in an interrupt: no tick ends it)\n",
                tc->name, wall_clock_seconds);
        else if (r == 1)
            say("[  FAILED  ] [ result   ] %s did not finish within %u s (%u ticks)\n",
                tc->name, (unsigned)seconds, (unsigned)(seconds * RT_TICK_PER_SECOND));
        else if (host_timer_deferred_count() > 0)
            say("[  FAILED  ] [ result   ] %s deadlocked: no thread is ready and no timer is pending; "
                "%d timer expiries are held (host_timer_defer)\n",
                tc->name, host_timer_deferred_count());
        else
            say("[  FAILED  ] [ result   ] %s deadlocked: no thread is ready and no timer is pending\n",
                tc->name);
    }
    if (!case_done && !case_killed)
        print_stuck_threads();
    case_thread = RT_NULL;
    host_sched_reset();
    host_capture_end(RT_NULL);
    host_heap_fail_after(-1);
    rt_assert_set_hook(RT_NULL);
    if (current_failed)
    {
        say("[  FAILED  ] [ result   ] testcase (%s)\n", tc->name);
        n_failed++;
    }
    else
    {
        say("[  PASSED  ] [ result   ] testcase (%s)\n", tc->name);
        n_passed++;
    }
}

static int by_name(const void *a, const void *b)
{
    return strcmp((*(const struct utest_tc_export *const *)a)->name,
                  (*(const struct utest_tc_export *const *)b)->name);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n)
    {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Next line of *p without its end (\n or \r\n); NULL at the end of text. */
static char *next_line(char **p)
{
    char *s = *p, *e;

    if (*s == '\0')
        return NULL;
    e = strchr(s, '\n');
    if (e)
    {
        *p = e + 1;
        if (e > s && e[-1] == '\r')
            e--;
        *e = '\0';
    }
    else
        *p = s + strlen(s);
    return s;
}

static void tshell_entry(void *parameter)
{
    char cmd[] = RTT_SAMPLE_COMMAND;

    (void)parameter;
    msh_exec(cmd, sizeof(cmd) - 1);
}

/* Starts the sample as a user does (its msh command from the shell thread),
 * runs until the system is quiet and compares the console output. */
static void run_sample(void)
{
    const char *expected_path = sizeof(void *) == 8 ? RTT_SAMPLE_EXPECTED_LP64 : RTT_SAMPLE_EXPECTED;
    char *expected, *got = RT_NULL, *pe, *pg, *le, *lg;
    rt_thread_t t;
    int line = 0, ok = 1;

    say("[ RUN      ] [ sample   ] (memp_sample) started\n");
    running_name = "memp_sample";
    current_failed = 0;
    expected = read_file(expected_path);
    if (expected == NULL)
    {
        say("[  FAILED  ] [ result   ] cannot read %s\n", expected_path);
        n_failed++;
        return;
    }
    host_capture_begin();
    t = rt_thread_create("tshell", tshell_entry, RT_NULL, 4096, FINSH_THREAD_PRIORITY, 10);
    rt_thread_startup(t);
    wall_clock_arm();
    if (host_sched_run(rt_tick_get() + 600 * RT_TICK_PER_SECOND) == 2)
        current_failed = 1;
    alarm(0);
    host_capture_end(&got);
    host_sched_reset();

    pe = expected;
    pg = got ? got : (char *)"";
    for (;;)
    {
        le = next_line(&pe);
        lg = next_line(&pg);
        line++;
        if (le == NULL && lg == NULL)
            break;
        if (le == NULL || lg == NULL || strcmp(le, lg) != 0)
        {
            say("[  FAILED  ] [ result   ] memp_sample output differs from %s at line %d\n"
                "           expected: %s\n           got:      %s\n",
                expected_path, line, le ? le : "(end of file)", lg ? lg : "(end of output)");
            ok = 0;
            break;
        }
    }
    if (ok && !current_failed)
    {
        say("[  PASSED  ] [ result   ] sample (memp_sample): %d lines as expected\n", line - 1);
        n_passed++;
    }
    else
    {
        say("[  FAILED  ] [ result   ] sample (memp_sample)\n");
        n_failed++;
    }
    free(expected);
    rt_free(got);
}

int rtt_host_main(int argc, char **argv)
{
    const struct utest_tc_export **cases, *tc;
    const char *filter = RT_NULL;
    size_t count = 0, i, matched = 0;
    int k, sample;

    struct sigaction sa;
    const char *wall = getenv("RTT_HOST_WALL_CLOCK");

    for (k = 1; k < argc; k++)
        if (argv[k][0] != '-')
            filter = argv[k];
    if (wall != RT_NULL && atoi(wall) > 0)
        wall_clock_seconds = (unsigned)atoi(wall);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_alarm;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, RT_NULL);
    host_sched_start();
    host_sched_reset();

    cases = calloc((size_t)(__stop_UtestTcTab - __start_UtestTcTab) + 1, sizeof(*cases));
    for (tc = __start_UtestTcTab; tc < __stop_UtestTcTab; tc++)
        if (tc->name != RT_NULL)
            cases[count++] = tc;
    qsort(cases, count, sizeof(*cases), by_name);

    say("[==========] [ utest    ] %u test cases on the host kernel%s%s\n", (unsigned)count,
        filter ? ", filter: " : "", filter ? filter : "");
    for (i = 0; i < count; i++)
        if (filter == RT_NULL ? strncmp(cases[i]->name, DEMO_PREFIX, strlen(DEMO_PREFIX)) != 0
                              : strstr(cases[i]->name, filter) != RT_NULL)
        {
            run_case(cases[i]);
            matched++;
        }
    free(cases);
    sample = filter == RT_NULL || strstr("memp_sample", filter) != RT_NULL;
    /* A filter that selects nothing is a mistake (a typo, a renamed test
     * case), not a pass. */
    if (!sample && matched == 0)
    {
        say("no test case matches '%s'\n", filter);
        say("%d passed, %d failed\n", n_passed, n_failed + 1);
        return 1;
    }
    if (!sample)
        ;
    else if (sizeof(void *) != 4 && sizeof(void *) != 8)
        say("[ SKIPPED  ] [ sample   ] memp_sample: its expected output is for 4- or 8-byte "
            "pointers\n");
    else
        run_sample();

    host_sched_stop();
    say("%d passed, %d failed\n", n_passed, n_failed);
    return n_failed ? 1 : 0;
}
