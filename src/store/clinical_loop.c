/* clinical_loop.c (store) - see clinical_loop.h. */
#include "store/clinical_loop.h"

#include <string.h>

#include "store/registry.h"
#include "store/services.h"
#include "store/work.h"
#include "util/date.h"

int store_loop_refer(struct db *db, const struct loop_referral *in, struct loop_created *out)
{
    memset(out, 0, sizeof *out);
    const struct referral_plan *plan = in->plan;
    const char *level = referral_target_name(plan->target);
    int64_t from = in->team_id ? store_team_institution(db, in->team_id) : 0;
    int64_t to = store_referral_destination(db, in->county, level);
    if (from < 0 || to < 0) return -1;
    struct referral_input r = {in->resident_id,
                               in->visit_date,
                               "up",
                               from,
                               to,
                               plan->reason,
                               in->county,
                               in->followup_id,
                               level,
                               plan->urgent,
                               in->reasons,
                               plan->category,
                               referral_department(in->program),
                               in->summary,
                               0};
    int64_t id = store_referral_insert(db, &r);
    if (id < 0) return -1;
    struct date visit;
    if (date_parse(in->visit_date, &visit) != 0) return -1;
    date_format(date_add_days(visit, plan->confirm_days), out->confirm_by);
    struct task_input t = {in->resident_id,
                           in->team_id,
                           in->doctor_id,
                           0,
                           "referral_confirm",
                           in->program,
                           out->confirm_by,
                           NULL,
                           plan->reason,
                           in->county,
                           id};
    int64_t task = store_task_insert(db, &t);
    if (task < 0) return -1;
    out->referral_id = id;
    out->task_id = task;
    out->to_institution_id = to;
    return 0;
}
