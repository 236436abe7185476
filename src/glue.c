/*
 * C glue: the kernel services RT-Thread offers only as static inline functions or macros,
 * wrapped as functions the Rust library can call, and the msh command `mp_check`.
 * Everything else the library calls directly through bindgen's declarations.
 */
#include <rtthread.h>

void rtt_mempool_list_init(rt_list_t *list)
{
    rt_list_init(list);
}

unsigned int rtt_mempool_list_len(const rt_list_t *list)
{
    return rt_list_len(list);
}

#ifdef RT_USING_FINSH
#include <finsh.h>

int rtt_mempool_check(const char *name);

/* mp_check [name]: checks one pool, or every pool, and returns non-zero on any inconsistency. */
int mp_check(int argc, char **argv)
{
    return rtt_mempool_check(argc > 1 ? argv[1] : RT_NULL);
}
MSH_CMD_EXPORT(mp_check, check memory pools: mp_check [name]);
#endif /* RT_USING_FINSH */
