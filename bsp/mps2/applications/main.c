/*
 * MPS2 port: the application's main(), run by RT-Thread's main thread once the components
 * are initialised. The shell (msh) runs in its own thread; nothing else to do here.
 */
#include <rtthread.h>

int main(void)
{
    rt_kprintf("mps2: %s, console on CMSDK UART0\n",
#ifdef BSP_MPS2_AN386
               "AN386 (Cortex-M4F)"
#else
               "AN385 (Cortex-M3)"
#endif
               );
    return 0;
}
