/*
 * Test cases that fail on purpose, to show that a failing case fails alone
 * and the runner goes on: a thread that spins forever (ended when the tick
 * interrupts that come while it spins reach the case's simulated limit),
 * one that spins with interrupts masked (no tick comes: ended by the
 * wall-clock limit, RTT_HOST_WALL_CLOCK seconds), one that spins with the
 * scheduler locked, and a case after them that passes.
 *
 * Names starting with host.fails. run only when a filter selects them
 * (scripts/check_host_runner.sh does, in make test).
 */
#include <rthw.h>
#include <rtthread.h>
#include <utest.h>

/* Several test cases in one file: UTEST_TC_EXPORT's entry with its own name. */
#define FAILS_CASE(fn, name, timeout)                                          \
    rt_used static const struct utest_tc_export fn##_tc                       \
    rt_section("UtestTcTab") rt_align(sizeof(void *)) =                       \
    { name, timeout, RT_NULL, fn, RT_NULL }

static volatile unsigned long spins;

static void spin_forever(void)
{
    for (;;)
        spins++;
}
FAILS_CASE(spin_forever, "host.fails.spin_forever", 1);

static void spin_irq_masked(void)
{
    (void)rt_hw_interrupt_disable();
    for (;;)
        spins++;
}
FAILS_CASE(spin_irq_masked, "host.fails.spin_irq_masked", 1);

static void spin_locked(void)
{
    rt_enter_critical();
    for (;;)
        spins++;
}
FAILS_CASE(spin_locked, "host.fails.spin_locked", 1);

/* The kernel is usable again: interrupts, scheduler lock and tick are sane. */
static void runs_after(void)
{
    rt_tick_t t0 = rt_tick_get();

    uassert_int_equal(rt_critical_level(), 0);
    uassert_int_equal(rt_thread_delay(3), RT_EOK);
    uassert_int_equal(rt_tick_get() - t0, 3);
}
FAILS_CASE(runs_after, "host.fails.zz_runs_after", 1);
