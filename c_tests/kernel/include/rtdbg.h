/* Minimal LOG_x macros: prints "[tag] message" through rt_kprintf. */
#ifndef RT_DBG_H__
#define RT_DBG_H__

#include <rtthread.h>

#define DBG_ERROR   0
#define DBG_WARNING 1
#define DBG_INFO    2
#define DBG_LOG     3

#ifndef DBG_TAG
#define DBG_TAG "dbg"
#endif
#ifndef DBG_LVL
#define DBG_LVL DBG_WARNING
#endif

#define dbg_log_line(lvl, tag, ...) \
    do { rt_kprintf("[" lvl "/%s] ", tag); rt_kprintf(__VA_ARGS__); rt_kprintf("\n"); } while (0)

#define LOG_E(...) do { if (DBG_LVL >= DBG_ERROR)   dbg_log_line("E", DBG_TAG, __VA_ARGS__); } while (0)
#define LOG_W(...) do { if (DBG_LVL >= DBG_WARNING) dbg_log_line("W", DBG_TAG, __VA_ARGS__); } while (0)
#define LOG_I(...) do { if (DBG_LVL >= DBG_INFO)    dbg_log_line("I", DBG_TAG, __VA_ARGS__); } while (0)
#define LOG_D(...) do { if (DBG_LVL >= DBG_LOG)     dbg_log_line("D", DBG_TAG, __VA_ARGS__); } while (0)
#define LOG_RAW(...) rt_kprintf(__VA_ARGS__)
#define dbg_log(level, ...) do { if (DBG_LVL >= (level)) rt_kprintf(__VA_ARGS__); } while (0)

#endif
