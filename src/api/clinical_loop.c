/* clinical_loop.c (api) - what a recorded result sets in motion (issue 12), so that "refer"
 * means a referral and a high-risk pregnancy reaches the county: the referral a follow-up's
 * refer or urgent_refer calls for, the referrals and the county report a pregnancy risk
 * assessment calls for (domain/referral.c decides which), each with a task on the team's
 * work list to confirm the patient was seen; POST /referrals/{id}/seen closes that task,
 * and GET /reports/high-risk-pregnancies is the county's list. The creating functions run
 * inside the follow-up's transaction, so a result and what it set in motion commit
 * together or not at all. */
#include "api/clinical_loop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "auth/scope.h"
#include "domain/region_code.h"
#include "json/jsondump.h"
#include "json/jsonx.h"
#include "store/clinical_loop.h"
#include "store/reports.h"
#include "store/residents.h"
#include "store/services.h"

int loop_refer(struct request *r, const struct loop_subject *s, const struct referral_plan *plan,
               const char *reasons, json_t *created)
{
    /* The hospital receives the record as it stands with this result in it. */
    json_t *summary = api_record_summary(r, s->resident_id);
    char *summary_text = summary ? jsonx_dumps(summary) : NULL;
    json_decref(summary);
    if (!summary_text) return -1;
    struct loop_referral in = {s->resident_id, s->team_id,  s->doctor_id,  s->followup_id,
                               s->county,      s->program,  s->visit_date, plan,
                               reasons,        summary_text};
    struct loop_created made;
    int rc = store_loop_refer(r->db, &in, &made);
    free(summary_text);
    if (rc < 0 || api_audit(r, "create", "referral", made.referral_id, s->resident_id) < 0)
        return -1;
    json_t *o =
        json_pack("{s:I, s:s, s:s, s:b, s:s, s:I, s:s}", "id", (json_int_t)made.referral_id,
                  "reason", plan->reason, "target_level", referral_target_name(plan->target),
                  "urgent", plan->urgent, "referred_on", s->visit_date, "task_id",
                  (json_int_t)made.task_id, "confirm_by", made.confirm_by);
    json_object_set_new(o, "to_institution_id",
                        made.to_institution_id ? json_integer(made.to_institution_id)
                                               : json_null());
    json_array_append_new(created, o);
    return 0;
}

int loop_followup_referral(struct request *r, const struct loop_subject *s,
                           enum chronic_action action, enum chronic_class classification,
                           json_t *reasons, const struct protocol_config *c, json_t *created)
{
    struct referral_plan plan;
    if (!referral_for_followup(action, classification, c, &plan)) return 0;
    char *text = jsonx_dumps(reasons);
    int rc = text ? loop_refer(r, s, &plan, text, created) : -1;
    free(text);
    return rc;
}

int loop_pregnancy_assessment(struct request *r, const struct loop_subject *s, int64_t pregnancy,
                              const struct pregnancy_risk *before, enum risk_color now, int purple,
                              json_t *factors, const struct protocol_config *c, json_t *created)
{
    struct referral_plan plans[2];
    enum risk_color was =
        before->assessed ? (enum risk_color)risk_color_parse(before->color) : COLOR_GREEN;
    int n =
        pregnancy_risk_referrals(was, before->assessed && before->purple, now, purple, c, plans);
    /* On the county report from the first assessment that made it reportable; a later one
     * that keeps it reportable keeps the date, a lower one takes it off. */
    const char *reported = NULL;
    if (pregnancy_risk_reportable(now, purple))
        reported = before->reported_on[0] ? before->reported_on : s->today;
    char *text = jsonx_dumps(factors);
    if (!text) return -1;
    int rc = store_pregnancy_risk_set(r->db, pregnancy, risk_color_name(now), purple, text,
                                      s->visit_date, reported);
    free(text);
    if (rc < 0) return -1;
    json_t *codes = json_array();
    size_t i;
    json_t *f;
    json_array_foreach(factors, i, f)
        json_array_append(codes, json_object_get(f, "code"));
    char *reasons = jsonx_dumps(codes);
    json_decref(codes);
    for (int k = 0; rc == 0 && k < n; k++)
        rc = reasons ? loop_refer(r, s, &plans[k], reasons, created) : -1;
    free(reasons);
    return rc;
}

/* POST /referrals/{id}/seen: api/referrals.c (the tracked referral, issue 15). */

/* GET /reports/high-risk-pregnancies?region=CODE: the county's list and counts of orange,
 * red and purple pregnancies still under way (PROTOCOLS.md §7: reported within 3 days of the
 * assessment; `reported_within_days` says how long it took). The region must lie inside the
 * caller's scope, and only the women inside it are listed. Roles that steer by counts (the
 * health commission) get each row without who she is: no name, birth date, resident id,
 * LMP, risk factors or grid cell, only the township and village. */
int handle_high_risk_pregnancies(struct request *r)
{
    static const char *const IDENTIFYING[] = {"name",    "birth_date", "resident_id", "lmp",
                                              "factors", "region",     NULL};
    /* The list is the caller's own pregnancies (filtered by scope in the store), within the
     * region named, else the user's area, else the whole scope (a team's cells). */
    const char *region = request_query(r, "region");
    if (!region || !*region) region = r->user.scope_region;
    if (*region && scope_require_region_granted(r, region, "region") < 0) return -1;
    /* A city's or a province's pregnancies by their places' prefix (511500: 5115). */
    char area[16];
    if (*region && region_area_prefix(region, area, sizeof area) > 0) region = area;
    char over_before[11];
    date_format(date_add_days(date_today(), -42), over_before);
    json_t *items = store_high_risk_pregnancies(r->db, r->user.user_id, region, over_before);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    int names = role_allows(r->user.role, ACT_INDICATOR_PATIENTS);
    json_int_t orange = 0, red = 0, purple = 0, late = 0;
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o) {
        const char *color = json_string_value(json_object_get(o, "color"));
        red += !strcmp(color, "red");
        orange += !strcmp(color, "orange");
        purple += json_is_true(json_object_get(o, "purple"));
        struct date assessed, reported;
        date_parse(json_string_value(json_object_get(o, "assessed_on")), &assessed);
        date_parse(json_string_value(json_object_get(o, "reported_on")), &reported);
        long days = date_diff_days(reported, assessed);
        json_object_set_new(o, "reported_within_days", json_integer(days));
        late += days > 3;
        char id[24];
        snprintf(id, sizeof id, "%lld",
                 (long long)json_integer_value(json_object_get(o, "pregnancy_id")));
        if (!names) {
            for (int k = 0; IDENTIFYING[k]; k++)
                json_object_del(o, IDENTIFYING[k]);
        } else if (api_audit_read(r, "high_risk_pregnancy", id,
                                  json_integer_value(json_object_get(o, "resident_id"))) < 0) {
            json_decref(items);
            return -1;
        }
    }
    json_t *counts =
        json_pack("{s:I, s:I, s:I, s:I, s:I}", "total", (json_int_t)json_array_size(items), "red",
                  red, "orange", orange, "purple", purple, "reported_late", late);
    char today[11];
    date_format(date_today(), today);
    return reply_json(r, 200,
                      json_pack("{s:s, s:s, s:o, s:o}", "region", region, "as_of", today, "counts",
                                counts, "items", items));
}
