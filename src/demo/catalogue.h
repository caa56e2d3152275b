/* catalogue.h - the demo county's service packages (家庭医生签约服务包). */
#ifndef JIAYI_DEMO_CATALOGUE_H
#define JIAYI_DEMO_CATALOGUE_H

#include "db/db.h"

/* Inserts the catalogue. Returns 0 or -1. */
int catalogue_build(struct db *db);

#endif
