/*
 * MPS2 port: board initialisation (RT-Thread calls rt_hw_board_init from rtthread_startup,
 * with interrupts disabled) and the system tick.
 */
#include <rthw.h>
#include <rtthread.h>

#include "board.h"

/* SysTick: RT_TICK_PER_SECOND interrupts a second from the 25 MHz processor clock. Its
 * priority (the lowest, as PendSV's) is set by libcpu's rt_hw_context_switch_to. */
void SysTick_Handler(void)
{
    rt_interrupt_enter();
    rt_tick_increase();
    rt_interrupt_leave();
}

static void mps2_systick_init(void)
{
    SYST_CSR = 0;
    SYST_RVR = MPS2_SYSCLK_HZ / RT_TICK_PER_SECOND - 1;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE;
}

void rt_hw_board_init(void)
{
    /* polled output first, so that anything printed from here on reaches the console */
    mps2_uart_early_init();
    mps2_systick_init();

#ifdef RT_USING_HEAP
    /* everything between .bss and the main stack (about 4 MB of SSRAM2/3) */
    rt_system_heap_init(__mps2_heap_start, __mps2_heap_end);
#endif

    mps2_uart_register();
#ifdef RT_USING_CONSOLE
    rt_console_set_device(RT_CONSOLE_DEVICE_NAME);
#endif

#ifdef RT_USING_COMPONENTS_INIT
    rt_components_board_init();
#endif
}
