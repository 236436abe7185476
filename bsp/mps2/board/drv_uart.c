/*
 * MPS2 port: the console on CMSDK APB UART0 (ARM DDI0479, Cortex-M System Design Kit TRM),
 * as an RT-Thread character device "uart0".
 *
 * Transmit polls the TX-full flag (STATE bit 0); receive is interrupt driven: the UART
 * holds one character (STATE bit 1, RX full), its RX interrupt (external IRQ 0) moves it
 * into a ring buffer here and tells the reader (the shell's rx_indicate).
 * qemu's model transmits at once and refuses to run the UART with a baud divider below 16.
 */
#include <rthw.h>
#include <rtthread.h>

#include "board.h"

struct cmsdk_uart
{
    volatile rt_uint32_t data;      /* 0x00: RX (read), TX (write) */
    volatile rt_uint32_t state;     /* 0x04: bit 0 TX full, bit 1 RX full, 2/3 overruns */
    volatile rt_uint32_t ctrl;      /* 0x08: TX/RX enable, TX/RX interrupt enable */
    volatile rt_uint32_t intstatus; /* 0x0c: interrupt status, write 1 to clear */
    volatile rt_uint32_t bauddiv;   /* 0x10: PCLK / baud rate, at least 16 */
};

#define UART_STATE_TX_FULL      (1UL << 0)
#define UART_STATE_RX_FULL      (1UL << 1)
#define UART_CTRL_TX_EN         (1UL << 0)
#define UART_CTRL_RX_EN         (1UL << 1)
#define UART_CTRL_RX_INTEN      (1UL << 3)
#define UART_INT_RX             (1UL << 1)

#define UART0 ((struct cmsdk_uart *)MPS2_UART0_BASE)

#ifndef BSP_MPS2_UART0_BAUD
#define BSP_MPS2_UART0_BAUD 115200
#endif

/* received characters not yet read: one slot stays free to tell full from empty */
#define RX_RING 256
static rt_uint8_t rx_ring[RX_RING];
static volatile rt_uint32_t rx_in, rx_out;

static struct rt_device uart0_device;

void mps2_uart_early_init(void)
{
    UART0->ctrl = 0;
    UART0->bauddiv = MPS2_SYSCLK_HZ / BSP_MPS2_UART0_BAUD;
    UART0->intstatus = 0xf;
    UART0->ctrl = UART_CTRL_TX_EN | UART_CTRL_RX_EN;
}

void mps2_uart_putc(char c)
{
    while (UART0->state & UART_STATE_TX_FULL)
        ;
    UART0->data = (rt_uint8_t)c;
}

/* rt_kprintf's output before the console device is set (and the kernel's fallback) */
void rt_hw_console_output(const char *str)
{
    for (; *str; str++)
    {
        if (*str == '\n')
            mps2_uart_putc('\r');
        mps2_uart_putc(*str);
    }
}

/* UART0 RX interrupt (vector 16 + MPS2_IRQ_UART0_RX) */
void UART0RX_Handler(void)
{
    rt_uint32_t got = 0, next, queued;

    rt_interrupt_enter();
    UART0->intstatus = UART_INT_RX;
    while (UART0->state & UART_STATE_RX_FULL)
    {
        rt_uint8_t ch = (rt_uint8_t)UART0->data;

        next = (rx_in + 1) % RX_RING;
        if (next != rx_out)   /* a full ring drops the character */
        {
            rx_ring[rx_in] = ch;
            rx_in = next;
            got++;
        }
    }
    queued = (rx_in + RX_RING - rx_out) % RX_RING;
    if (got && uart0_device.rx_indicate != RT_NULL)
        uart0_device.rx_indicate(&uart0_device, queued);
    rt_interrupt_leave();
}

static rt_err_t uart0_open(rt_device_t dev, rt_uint16_t oflag)
{
    /* rt_device_open leaves open_flag to a driver that has an open function */
    dev->open_flag |= oflag & RT_DEVICE_OFLAG_MASK;
    if (oflag & RT_DEVICE_FLAG_INT_RX)
    {
        dev->open_flag |= RT_DEVICE_FLAG_INT_RX;
        UART0->intstatus = UART_INT_RX;
        NVIC_ICPR(0) = 1UL << MPS2_IRQ_UART0_RX;
        UART0->ctrl |= UART_CTRL_RX_INTEN;
        NVIC_ISER(0) = 1UL << MPS2_IRQ_UART0_RX;
    }
    return RT_EOK;
}

static rt_err_t uart0_close(rt_device_t dev)
{
    UART0->ctrl &= ~UART_CTRL_RX_INTEN;
    dev->open_flag &= ~RT_DEVICE_FLAG_INT_RX;
    return RT_EOK;
}

/* what a device's read and write return: rt_ssize_t from RT-Thread 5.0, rt_size_t before */
#if RTTHREAD_VERSION >= RT_VERSION_CHECK(5, 0, 0)
typedef rt_ssize_t uart0_io_result_t;
#else
typedef rt_size_t uart0_io_result_t;
#endif

static uart0_io_result_t uart0_read(rt_device_t dev, rt_off_t pos, void *buffer, rt_size_t size)
{
    rt_uint8_t *out = buffer;
    rt_size_t n = 0;
    rt_base_t level;

    (void)dev;
    (void)pos;
    level = rt_hw_interrupt_disable();
    while (n < size && rx_out != rx_in)
    {
        out[n++] = rx_ring[rx_out];
        rx_out = (rx_out + 1) % RX_RING;
    }
    rt_hw_interrupt_enable(level);
    return (uart0_io_result_t)n;
}

static uart0_io_result_t uart0_write(rt_device_t dev, rt_off_t pos, const void *buffer, rt_size_t size)
{
    const char *in = buffer;
    rt_size_t i;

    (void)pos;
    for (i = 0; i < size; i++)
    {
        if (in[i] == '\n' && (dev->open_flag & RT_DEVICE_FLAG_STREAM))
            mps2_uart_putc('\r');
        mps2_uart_putc(in[i]);
    }
    return (uart0_io_result_t)size;
}

static rt_err_t uart0_control(rt_device_t dev, int cmd, void *args)
{
    (void)dev;
    (void)cmd;
    (void)args;
    return -RT_ENOSYS;
}

#ifdef RT_USING_DEVICE_OPS
static const struct rt_device_ops uart0_ops = {
    RT_NULL, uart0_open, uart0_close, uart0_read, uart0_write, uart0_control,
};
#endif

int mps2_uart_register(void)
{
    rt_device_t dev = &uart0_device;

    dev->type = RT_Device_Class_Char;
    dev->rx_indicate = RT_NULL;
    dev->tx_complete = RT_NULL;
#ifdef RT_USING_DEVICE_OPS
    dev->ops = &uart0_ops;
#else
    dev->init = RT_NULL;
    dev->open = uart0_open;
    dev->close = uart0_close;
    dev->read = uart0_read;
    dev->write = uart0_write;
    dev->control = uart0_control;
#endif
    dev->user_data = RT_NULL;
    return rt_device_register(dev, "uart0",
                              RT_DEVICE_FLAG_RDWR | RT_DEVICE_FLAG_STREAM | RT_DEVICE_FLAG_INT_RX);
}
