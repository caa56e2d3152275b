/* must_use.h - JY_MUST_USE marks a function whose status the caller must look at: the
 * compiler (with -Werror) refuses a call that ignores it. Store, kpi and auth functions that
 * answer a status carry it (issue 20). */
#ifndef JIAYI_UTIL_MUST_USE_H
#define JIAYI_UTIL_MUST_USE_H

#define JY_MUST_USE __attribute__((warn_unused_result))

#endif
