/* uassert_* macros of RT-Thread's utest. */
#ifndef UTEST_ASSERT_H__
#define UTEST_ASSERT_H__

#include <rtthread.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Records one check; returns value != 0. Used through the macros below. */
rt_bool_t utest_assert(int value, const char *file, int line, const char *func, const char *msg);
void utest_assert_string(const char *a, const char *b, rt_bool_t equal,
                         const char *file, int line, const char *func, const char *msg);
void utest_assert_buf(const char *a, const char *b, rt_size_t sz, rt_bool_t equal,
                      const char *file, int line, const char *func, const char *msg);

#define __utest_assert(value, msg) utest_assert(value, __FILE__, __LINE__, __func__, msg)
#define __uassert_value_op(a, b, op) __utest_assert((a) op (b), "(" #a ") not " #op " (" #b ")")

#define uassert_true(value)     __utest_assert(value, "(" #value ") is false")
#define uassert_false(value)    __utest_assert(!(value), "(" #value ") is true")
#define uassert_null(value)     __utest_assert((const char *)(value) == RT_NULL, "(" #value ") is not null")
#define uassert_not_null(value) __utest_assert((const char *)(value) != RT_NULL, "(" #value ") is null")

#define uassert_in_range(value, min, max)                                        \
    do {                                                                         \
        double _v = (value), _lo = (min), _hi = (max);                           \
        __utest_assert(_v >= _lo && _v <= _hi, "(" #value ") not in range(" #min "," #max ")"); \
    } while (0)

#define uassert_not_in_range(value, min, max)                                    \
    do {                                                                         \
        double _v = (value), _lo = (min), _hi = (max);                           \
        __utest_assert(_v < _lo || _v > _hi, "(" #value ") in range(" #min "," #max ")"); \
    } while (0)

#define uassert_float_equal(a, b)                                                \
    do {                                                                         \
        double _fa = (a), _fb = (b);                                             \
        uassert_in_range(_fa, _fb - 0.0001, _fb + 0.0001);                       \
    } while (0)

#define uassert_float_not_equal(a, b)                                            \
    do {                                                                         \
        double _fa = (a), _fb = (b);                                             \
        uassert_not_in_range(_fa, _fb - 0.0001, _fb + 0.0001);                   \
    } while (0)

#define uassert_int_equal(a, b)           __uassert_value_op(a, b, ==)
#define uassert_int_not_equal(a, b)       __uassert_value_op(a, b, !=)
#define uassert_value_less(a, b)          __uassert_value_op(a, b, <)
#define uassert_value_less_equal(a, b)    __uassert_value_op(a, b, <=)
#define uassert_value_greater(a, b)       __uassert_value_op(a, b, >)
#define uassert_value_greater_equal(a, b) __uassert_value_op(a, b, >=)

#define uassert_ptr_equal(a, b) \
    __utest_assert((const void *)(a) == (const void *)(b), "(" #a ") not equal to (" #b ")")
#define uassert_ptr_not_equal(a, b) \
    __utest_assert((const void *)(a) != (const void *)(b), "(" #a ") equal to (" #b ")")

#define uassert_str_equal(a, b) \
    utest_assert_string((const char *)(a), (const char *)(b), RT_TRUE, __FILE__, __LINE__, __func__, "string not equal")
#define uassert_str_not_equal(a, b) \
    utest_assert_string((const char *)(a), (const char *)(b), RT_FALSE, __FILE__, __LINE__, __func__, "string equal")
#define uassert_buf_equal(a, b, sz) \
    utest_assert_buf((const char *)(a), (const char *)(b), (sz), RT_TRUE, __FILE__, __LINE__, __func__, "buf not equal")
#define uassert_buf_not_equal(a, b, sz) \
    utest_assert_buf((const char *)(a), (const char *)(b), (sz), RT_FALSE, __FILE__, __LINE__, __func__, "buf equal")

#ifdef __cplusplus
}
#endif

#endif
