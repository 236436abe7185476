/*
 * MPS2 port: the vector table (ARMv7-M: initial main stack pointer, then the exception
 * handlers, then the FPGA image's 32 external interrupts), linked at address 0 where the
 * core reads it at reset.
 *
 * HardFault_Handler and PendSV_Handler are RT-Thread's (libcpu/arm/cortex-m3 or cortex-m4,
 * context_gcc.S); SysTick_Handler and UART0RX_Handler are this port's. Every other
 * exception is unexpected here: it is reported on the console and the core stops.
 */
#include <rtthread.h>

#include "board.h"

typedef void (*mps2_vector_t)(void);

void Reset_Handler(void);
void HardFault_Handler(void);
void PendSV_Handler(void);
void SysTick_Handler(void);
void UART0RX_Handler(void);

static void mps2_put_dec(unsigned n)
{
    char d[10];
    int i = 0;

    do
    {
        d[i++] = (char)('0' + n % 10);
        n /= 10;
    } while (n && i < (int)sizeof(d));
    while (i)
        mps2_uart_putc(d[--i]);
}

static void mps2_unexpected(void)
{
    unsigned ipsr;
    const char *msg = "\nmps2 Exception: unexpected exception ";

    __asm__ volatile("cpsid i\n mrs %0, ipsr" : "=r"(ipsr));
    while (*msg)
        mps2_uart_putc(*msg++);
    mps2_put_dec(ipsr & 0x1ff);
    mps2_uart_putc('\r');
    mps2_uart_putc('\n');
    for (;;)
        ;
}

#define UNEXPECTED mps2_unexpected

__attribute__((section(".isr_vector"), used))
const mps2_vector_t mps2_vectors[16 + MPS2_IRQ_COUNT] = {
    [0 ... 16 + MPS2_IRQ_COUNT - 1] = UNEXPECTED,
    [0] = (mps2_vector_t)__mps2_stack_top,   /* initial MSP */
    [1] = Reset_Handler,
    [3] = HardFault_Handler,      /* MemManage, BusFault, UsageFault stay disabled and */
    [14] = PendSV_Handler,        /* escalate to HardFault */
    [15] = SysTick_Handler,
    [16 + MPS2_IRQ_UART0_RX] = UART0RX_Handler,
};
