/*
 * MPS2 port (AN385 Cortex-M3 / AN386 Cortex-M4F): the hardware this port uses, as ARM's
 * application notes AN385/AN386 document it and qemu's mps2 machines model it.
 */
#ifndef MPS2_BOARD_H__
#define MPS2_BOARD_H__

#include <rtthread.h>

/* SYSCLK: the CPU, SysTick (processor clock) and the APB peripherals all run at 25 MHz */
#define MPS2_SYSCLK_HZ          25000000UL

/* System control space (ARMv7-M architecture reference manual) */
#define MPS2_REG(addr)          (*(volatile rt_uint32_t *)(addr))
#define SYST_CSR                MPS2_REG(0xE000E010UL)  /* SysTick control and status */
#define SYST_RVR                MPS2_REG(0xE000E014UL)  /* SysTick reload value */
#define SYST_CVR                MPS2_REG(0xE000E018UL)  /* SysTick current value */
#define SYST_CSR_ENABLE         (1UL << 0)
#define SYST_CSR_TICKINT        (1UL << 1)
#define SYST_CSR_CLKSOURCE      (1UL << 2)              /* 1: the processor clock */
#define NVIC_ISER(n)            MPS2_REG(0xE000E100UL + 4 * (n))   /* set-enable */
#define NVIC_ICPR(n)            MPS2_REG(0xE000E280UL + 4 * (n))   /* clear-pending */
#define NVIC_IPR_BYTE(irq)      (*(volatile rt_uint8_t *)(0xE000E400UL + (irq)))

/* External interrupts of the FPGA image (AN385 table "Interrupt map"; 32 lines) */
#define MPS2_IRQ_COUNT          32
#define MPS2_IRQ_UART0_RX       0
#define MPS2_IRQ_UART0_TX       1

/* The console: CMSDK APB UART0 */
#define MPS2_UART0_BASE         0x40004000UL

/* Heap and main stack, from link.lds */
extern char __mps2_heap_start[];
extern char __mps2_heap_end[];
extern char __mps2_stack_top[];

void mps2_uart_early_init(void);
void mps2_uart_putc(char c);
int mps2_uart_register(void);

#endif /* MPS2_BOARD_H__ */
