/* direct_sql.h - SQL shared by the indicators counted from their own rows (direct.c for one
 * scope, direct_all.c for every broad scope at once). Private to kpi/. */
#ifndef JIAYI_KPI_DIRECT_SQL_H
#define JIAYI_KPI_DIRECT_SQL_H

/* Each indicator's rows: FROM ... (the joins) and WHERE ... (the period, ?1 to ?2), which
 * direct.c ends with its one scope's condition and direct_all.c with nothing. */

/* Up-referrals seen in [?1, ?2] (not cancelled) and the days from request to seen. */
#define SEEN_DAYS "CAST(julianday(f.seen_on) - julianday(f.referred_on) AS INTEGER)"
#define SEEN_REFERRALS_FROM                                                                        \
    " FROM referrals f JOIN residents p ON p.id = f.resident_id AND p.county_code = f.county_code"
#define SEEN_REFERRALS_WHERE                                                                       \
    " WHERE f.direction = 'up' AND f.seen_on >= ?1 AND f.seen_on <= ?2 AND f.status <> 'cancelled'"

/* Long prescriptions issued in [?1, ?2], not cancelled. */
#define LONG_PRESCRIPTIONS_FROM                                                                    \
    " FROM prescriptions x JOIN residents p ON p.id = x.resident_id AND p.county_code = x.county_code"
#define LONG_PRESCRIPTIONS_WHERE                                                                   \
    " WHERE x.kind = 'long' AND x.prescribed_on >= ?1 AND x.prescribed_on <= ?2 AND x.status <> 'cancelled'"

/* Places of slots released to family doctors whose family window opened in [?1, ?2]. */
#define RELEASED_SLOTS_FROM " FROM slots s JOIN institutions i ON i.id = s.institution_id"
#define RELEASED_SLOTS_WHERE                                                                       \
    " WHERE s.released_to = 'family_doctors' AND s.family_from >= ?1 AND s.family_from <= ?2"

/* Wake Forest trust responses answered in [?1, ?2] and the team (t) they rate. */
#define TRUST_RESPONSES_FROM                                                                       \
    " FROM survey_responses s"                                                                     \
    " JOIN questionnaires q ON q.id = s.questionnaire_id AND q.code = 'wake_forest_trust_10'"      \
    " JOIN residents p ON p.id = s.resident_id AND p.county_code = s.county_code"                  \
    " LEFT JOIN teams t ON t.id = s.team_id AND t.county_code = s.county_code"
#define TRUST_RESPONSES_WHERE " WHERE s.answered_on >= ?1 AND s.answered_on <= ?2"

/* Tasks first reminded in [?1, ?2] (their first_reminded_on, migration 052) and whether
 * they were done within 14 days of a day. */
#define FIRST_REMINDERS_FROM                                                                       \
    " FROM tasks k JOIN residents p ON p.id = k.resident_id AND p.county_code = k.county_code"
#define FIRST_REMINDERS_WHERE " WHERE k.first_reminded_on >= ?1 AND k.first_reminded_on <= ?2"
#define DONE_WITHIN(since) "k.status = 'done' AND date(k.closed_at) <= date(" since ", '+14 days')"

#endif
