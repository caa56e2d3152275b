/* showcase.c (demo) - see showcase.h. */
#include "demo/showcase.h"

#include <stdio.h>

#include "store/population.h"
#include "store/residents.h"
#include "store/work.h"

/* One first discovery, confirmed `confirmed_ago` days before today, its task due 7 days after. */
static int discovery(struct db *db, struct date today, const struct demo_showcase_team *team,
                     int64_t resident, const char *reason, const char *note, int confirmed_ago)
{
    char raised[24], due[11];
    struct date found = date_add_days(today, -confirmed_ago - 2);
    date_format(found, raised);
    snprintf(raised + 10, sizeof raised - 10, "T02:30:00Z");
    date_format(date_add_days(today, 7 - confirmed_ago), due);
    int64_t flag = store_flag_insert(db, resident, reason, note, 0, team->village_staff, raised);
    if (flag < 0 || store_flag_decide(db, flag, "confirmed", 0, "团队已确认，纳入工作清单") != 1) return -1;
    struct task_input t = {resident, team->team_id, team->gp_staff, flag, "first_discovery", NULL, due,
                           NULL, note, team->county};
    if (store_task_insert(db, &t) < 0) return -1;
    return store_recompute_household(db, store_resident_household(db, resident), resident, today);
}

int demo_showcase_work(struct db *db, struct date today, const struct demo_showcase_team *team,
                       const int64_t *residents, int count)
{
    if (count < 1) return 0;
    if (discovery(db, today, team, residents[0], "suspected_hypertension",
                  "入户时测血压 152/96 mmHg，未确诊", 3) < 0 ||
        discovery(db, today, team, residents[1 % count], "elderly_living_alone",
                  "独居老人，子女在外务工", 20) < 0 ||
        discovery(db, today, team, residents[2 % count], "fall_risk", "近期跌倒一次，行走不稳", 110) < 0)
        return -1;
    return 0;
}
