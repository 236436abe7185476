/*
 * rtt-mempool qemu test bed, SMP builds: `bed_utest_pinned [args]` runs `utest_run [args]` in
 * a thread bound to CPU 0 before it starts and waits for it; `bed_sample` (below) runs the
 * sample without the shell's prompt in the middle of its output.
 *
 * For SMP builds of RT-Thread 4.1, whose RT_THREAD_CTRL_BIND_CPU binds a thread only
 * before its start: the suite pins every test case to one CPU (tc_pin_self in
 * c_tests/tests/tc_mempool_common.h), which there needs the thread running utest to be
 * bound already. Same priority as the shell (utest's own thread priority otherwise).
 */
#include <rtthread.h>

#if defined(RT_USING_SMP) && defined(RT_USING_FINSH) && defined(FINSH_USING_MSH)
#include <finsh.h>

int msh_exec(char *cmd, rt_size_t length);

#ifndef FINSH_THREAD_PRIORITY
#define FINSH_THREAD_PRIORITY 20
#endif

static char bed_cmd[128];
static struct rt_semaphore bed_done;

static void bed_entry(void *arg)
{
    (void)arg;
    msh_exec(bed_cmd, rt_strlen(bed_cmd));
    rt_sem_release(&bed_done);
}

static int bed_utest_pinned(int argc, char **argv)
{
    rt_thread_t t;
    rt_size_t n;
    int i;

    rt_strncpy(bed_cmd, "utest_run", sizeof(bed_cmd));
    for (i = 1; i < argc; i++)
    {
        n = rt_strlen(bed_cmd);
        if (n + 1 + rt_strlen(argv[i]) + 1 > sizeof(bed_cmd))
            return -1;
        bed_cmd[n] = ' ';
        rt_strncpy(bed_cmd + n + 1, argv[i], sizeof(bed_cmd) - n - 1);
    }
    rt_sem_init(&bed_done, "bedpin", 0, RT_IPC_FLAG_FIFO);
    t = rt_thread_create("bedutest", bed_entry, RT_NULL, 8192, FINSH_THREAD_PRIORITY, 10);
    if (t == RT_NULL)
    {
        rt_sem_detach(&bed_done);
        return -1;
    }
    rt_thread_control(t, RT_THREAD_CTRL_BIND_CPU, (void *)0);
    rt_thread_startup(t);
    rt_sem_take(&bed_done, RT_WAITING_FOREVER);
    rt_sem_detach(&bed_done);
    return 0;
}
MSH_CMD_EXPORT(bed_utest_pinned, utest_run in a thread bound to CPU 0);

int mempool_sample(void);

/*
 * `bed_sample`: starts the unchanged memp_sample (its `mempool_sample` command) and returns
 * only when its two threads have ended, so that the shell's next prompt is not printed on
 * the other CPU in the middle of the sample's lines (4.1/5.0's rt_kprintf shares one buffer
 * between CPUs).
 */
static int bed_sample(void)
{
    int i;

    mempool_sample();
    for (i = 0; i < 500; i++)
    {
        rt_thread_mdelay(10);
        if (rt_thread_find("thread1") == RT_NULL && rt_thread_find("thread2") == RT_NULL)
            break;
    }
    /* let the exiting threads finish their last line */
    rt_thread_mdelay(50);
    return 0;
}
MSH_CMD_EXPORT(bed_sample, memp_sample that returns when its threads are done);
#endif
