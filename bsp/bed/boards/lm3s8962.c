/*
 * rtt-mempool qemu test bed: the start-up steps RT-Thread's lm3s8962 BSP does not take and
 * the bed needs. scripts/boards/lm3s8962.py copies this file into the bed's copy of the BSP
 * (applications/bed_board_hook.c) and its edits call the two functions from the BSP's own
 * start-up (applications/startup.c, application.c). Written for the bed; no BSP code.
 *
 * The BSP's rtthread_startup() predates RT-Thread's automatic initialisation: it never runs
 * the INIT_*_EXPORT functions (utest's test case table, the shell), sets no console device
 * (rt_kprintf falls back to rt_hw_console_output and the shell has no device to read),
 * starts no timer thread although the configuration has RT_USING_TIMER_SOFT (soft timers
 * would never expire), and initialises neither signals (their siginfo pool) nor the defunct
 * list (rtthread.h's rt_system_signal_init, rt_thread_defunct_init).
 */
#include <rtthread.h>

/* From rtthread_startup(), after the serial device is registered and the scheduler is
 * initialised, before the scheduler starts. */
void bed_board_start(void)
{
#if defined(RT_USING_DEVICE) && defined(RT_USING_CONSOLE)
    /* the console: rt_kprintf, and the shell's device (finsh takes the console's) */
    rt_console_set_device(RT_CONSOLE_DEVICE_NAME);
#endif
#ifdef RT_USING_SIGNALS
    rt_system_signal_init();
#endif
#ifdef RT_USING_TIMER_SOFT
    rt_system_timer_thread_init();
#endif
    rt_thread_defunct_init();
    /* the board level (INIT_BOARD_EXPORT) before the scheduler, as RT-Thread's own
     * start-up does it */
    rt_components_board_init();
}

/* From the BSP's "init" thread: the other levels (INIT_PREV ... INIT_APP_EXPORT), in thread
 * context as RT-Thread's main thread runs them. */
void bed_board_components_init(void)
{
    rt_components_init();
}
