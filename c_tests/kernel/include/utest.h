/* utest: RT-Thread's unit test framework API, implemented by the host runner. */
#ifndef UTEST_H__
#define UTEST_H__

#include <rtthread.h>
#include <stdint.h>
#include "utest_assert.h"

#ifdef __cplusplus
extern "C" {
#endif

enum utest_error
{
    UTEST_PASSED  = 0,
    UTEST_FAILED  = 1,
    UTEST_SKIPPED = 2
};
typedef enum utest_error utest_err_e;

struct utest
{
    utest_err_e error;
    uint32_t    passed_num;
    uint32_t    failed_num;
};
typedef struct utest *utest_t;

struct utest_tc_export
{
    const char *name;
    uint32_t    run_timeout;
    rt_err_t  (*init)(void);
    void      (*tc)(void);
    rt_err_t  (*cleanup)(void);
};
typedef struct utest_tc_export *utest_tc_export_t;

typedef void (*test_unit_func)(void);

void utest_unit_run(test_unit_func func, const char *unit_func_name);
utest_t utest_handle_get(void);

#define UTEST_NAME_MAX_LEN (128u)

/* One test case per file; the runner walks the "UtestTcTab" section as an
 * array. The explicit alignment stops the compiler from padding larger
 * objects (as x86-64 does), which would break the array stride. */
#define UTEST_TC_EXPORT(testcase, name, init, cleanup, timeout)               \
    rt_used static const struct utest_tc_export _utest_testcase              \
    rt_section("UtestTcTab") rt_align(sizeof(void *)) =                       \
    {                                                                         \
        name,                                                                 \
        timeout,                                                              \
        init,                                                                 \
        testcase,                                                             \
        cleanup                                                               \
    }

#define UTEST_UNIT_RUN(test_unit_func)                       \
    do {                                                     \
        utest_unit_run(test_unit_func, #test_unit_func);     \
    } while (0)

#ifdef __cplusplus
}
#endif

#endif
