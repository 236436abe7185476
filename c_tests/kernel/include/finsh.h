/* msh command export: a table of commands in the "FSymTab" section. */
#ifndef FINSH_H__
#define FINSH_H__

#include <rtdef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef long (*syscall_func)(void);

struct finsh_syscall
{
    const char  *name;
    const char  *desc;
    syscall_func func;
};

/* The function may be int f(void) or int f(int argc, char **argv). The
 * explicit alignment keeps the section a plain array (see utest.h). */
#define MSH_FUNCTION_EXPORT_CMD(name, cmd, desc, opt)                          \
    rt_used const struct finsh_syscall __fsym_##cmd rt_section("FSymTab")     \
    rt_align(sizeof(void *)) =                                                \
    {                                                                         \
        #cmd,                                                                 \
        #desc,                                                                \
        (syscall_func)(void (*)(void))&name                                   \
    }

#define _MSH_CMD2(a0, a1)          MSH_FUNCTION_EXPORT_CMD(a0, a0, a1, 0)
#define _MSH_CMD2_OPT(a0, a1, a2)  MSH_FUNCTION_EXPORT_CMD(a0, a0, a1, a2)
#define _MSH_ALIAS3(a0, a1, a2)         MSH_FUNCTION_EXPORT_CMD(a0, a1, a2, 0)
#define _MSH_ALIAS3_OPT(a0, a1, a2, a3) MSH_FUNCTION_EXPORT_CMD(a0, a1, a2, a3)
#define __MSH_GET_MACRO(_1, _2, _3, _FUN, ...)            _FUN
#define __MSH_GET_EXPORT_MACRO(_1, _2, _3, _4, _FUN, ...) _FUN

/* MSH_CMD_EXPORT(command, desc) or MSH_CMD_EXPORT(command, desc, opt) */
#define MSH_CMD_EXPORT(...) \
    __MSH_GET_MACRO(__VA_ARGS__, _MSH_CMD2_OPT, _MSH_CMD2)(__VA_ARGS__)
/* MSH_CMD_EXPORT_ALIAS(command, alias, desc[, opt]) */
#define MSH_CMD_EXPORT_ALIAS(...) \
    __MSH_GET_EXPORT_MACRO(__VA_ARGS__, _MSH_ALIAS3_OPT, _MSH_ALIAS3)(__VA_ARGS__)

#define FINSH_FUNCTION_EXPORT(name, desc)
#define FINSH_FUNCTION_EXPORT_ALIAS(name, alias, desc)

/* Splits cmd (length bytes) into arguments and runs the matching command;
 * returns its result, or -RT_ERROR when there is no such command. */
int msh_exec(char *cmd, rt_size_t length);

#ifdef __cplusplus
}
#endif

#endif
