/* records.h (demo) - a resident's annual physical exam (most people 65 and over, some
 * chronic patients younger) and, for a few hypertension patients, a home monitor with a
 * month of readings; written through the same store and screening rules as an imported
 * file or a device, with a task for a recent abnormal result. */
#ifndef JIAYI_DEMO_RECORDS_H
#define JIAYI_DEMO_RECORDS_H

#include "db/db.h"
#include "demo/followups.h"

int demo_records_for(struct db *db, struct date today, const struct demo_patient *p);

#endif
