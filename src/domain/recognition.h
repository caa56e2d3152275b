/* recognition.h - results recognised across the county (检查检验结果互认, issue 19; seed
 * 003, Changning: 65 laboratory and 265 imaging items): a result from any institution of the
 * county is valid for its item's window, and a test still valid is not repeated when it is
 * ordered again. Pure. */
#ifndef JIAYI_DOMAIN_RECOGNITION_H
#define JIAYI_DOMAIN_RECOGNITION_H

#include "util/date.h"

/* The last day a result of `taken` stays valid for an item valid `valid_days` days. */
struct date recognition_valid_until(struct date taken, int valid_days);
/* Whether a result taken on `taken` still spares a repeat on `today`: 1 or 0. A result from
 * the future (a wrong date) spares nothing. */
int recognition_still_valid(struct date taken, int valid_days, struct date today);

#endif
