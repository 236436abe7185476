/* Interrupt masking of the simulated CPU. */
#ifndef RT_HW_H__
#define RT_HW_H__

#include <rtthread.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Nestable: returns the previous level, which enable restores. */
rt_base_t rt_hw_interrupt_disable(void);
void rt_hw_interrupt_enable(rt_base_t level);

#define rt_hw_local_irq_disable rt_hw_interrupt_disable
#define rt_hw_local_irq_enable  rt_hw_interrupt_enable

#ifdef __cplusplus
}
#endif

#endif
