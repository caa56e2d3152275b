/* roles.c - the role policy table. A route's action that has no row here denies every
 * role, and tests/unit/test_scope.c fails for any route whose action is not covered. */
#include "domain/roles.h"

#include <string.h>

static const char *const ROLE_NAMES[ROLE_COUNT] = {"none",
                                                   "system_admin",
                                                   "health_commission",
                                                   "center_admin",
                                                   "team_lead",
                                                   "doctor",
                                                   "nurse",
                                                   "public_health_doctor",
                                                   "village_doctor",
                                                   "assistant",
                                                   "resident",
                                                   "hospital_office",
                                                   "specialist"};

static const char *const ACTION_NAMES[ACT_COUNT] = {"public",
                                                    "logged_in",
                                                    "region.read",
                                                    "institution.read",
                                                    "team.read",
                                                    "resident.read",
                                                    "resident.write",
                                                    "clinical.write",
                                                    "record.write",
                                                    "census.read",
                                                    "census.write",
                                                    "flag.create",
                                                    "flag.read",
                                                    "flag.decide",
                                                    "worklist.read",
                                                    "audit.read",
                                                    "team.write",
                                                    "package.read",
                                                    "package.write",
                                                    "contract.read",
                                                    "contract.write",
                                                    "service.write",
                                                    "report.read",
                                                    "protocol.evaluate",
                                                    "protocol.configure",
                                                    "followup.write",
                                                    "followup.read",
                                                    "exam.import",
                                                    "device.manage",
                                                    "group.read",
                                                    "group.members_read",
                                                    "group.write",
                                                    "indicator.read",
                                                    "indicator.patients",
                                                    "score.read",
                                                    "score.configure",
                                                    "encounter.write",
                                                    "satisfaction.write",
                                                    "record.read",
                                                    "indicator.configure",
                                                    "task.call",
                                                    "slot.read",
                                                    "booking.write",
                                                    "slot.manage",
                                                    "referral.read",
                                                    "referral.write",
                                                    "drug.read",
                                                    "drug.write",
                                                    "prescription.read",
                                                    "prescription.write",
                                                    "dispense",
                                                    "points.redeem",
                                                    "points.configure",
                                                    "points.catalogue_write",
                                                    "visit.request",
                                                    "visit.manage",
                                                    "outbox.read",
                                                    "content.write",
                                                    "content.read",
                                                    "resident.self",
                                                    "consultation.read",
                                                    "consultation.write",
                                                    "allocation.write",
                                                    "assessment.write",
                                                    "metrics.read",
                                                    "evaluation.run"};

/* Columns: none SA HC CA TL DR NU PH VD AS RE HO SP */
static const unsigned char POLICY[ACT_COUNT][ROLE_COUNT] = {
    [ACT_PUBLIC] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
    [ACT_LOGGED_IN] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
    [ACT_REGION_READ] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0},
    [ACT_INSTITUTION_READ] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0},
    [ACT_TEAM_READ] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0},
    /* The health commission steers by counts, not names (DESIGN.md). */
    [ACT_RESIDENT_READ] = {0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0},
    [ACT_RESIDENT_WRITE] = {0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0},
    [ACT_CLINICAL_WRITE] = {0, 0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0},
    [ACT_RECORD_WRITE] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0},
    [ACT_CENSUS_READ] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0},
    [ACT_CENSUS_WRITE] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0},
    [ACT_FLAG_CREATE] = {0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0},
    [ACT_FLAG_READ] = {0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0},
    [ACT_FLAG_DECIDE] = {0, 0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0},
    [ACT_WORKLIST_READ] = {0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0},
    [ACT_AUDIT_READ] = {0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    [ACT_TEAM_WRITE] = {0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    [ACT_PACKAGE_READ] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0},
    /* center admins: their own institutions' packages only (api/packages.c) */
    [ACT_PACKAGE_WRITE] = {0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    [ACT_CONTRACT_READ] = {0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0},
    [ACT_CONTRACT_WRITE] = {0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0},
    [ACT_SERVICE_WRITE] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0},
    [ACT_REPORT_READ] = {0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0},
    /* Columns: none SA HC CA TL DR NU PH VD AS RE HO SP */
    [ACT_PROTOCOL_EVALUATE] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0},
    [ACT_PROTOCOL_CONFIGURE] = {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    [ACT_FOLLOWUP_WRITE] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0},
    [ACT_FOLLOWUP_READ] = {0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0},
    [ACT_EXAM_IMPORT] = {0, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0},
    [ACT_DEVICE_MANAGE] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0},
    /* Self-management groups: the commission steers by counts; clinical staff run them. */
    [ACT_GROUP_READ] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0},
    [ACT_GROUP_MEMBERS_READ] = {0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0},
    [ACT_GROUP_WRITE] = {0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0},
    [ACT_INDICATOR_READ] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0},
    /* A health commission steers by counts; names stay with the people who care for them. */
    [ACT_INDICATOR_PATIENTS] = {0, 1, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0},
    /* Team appraisal and money: the managers who decide distribution (PROTOCOLS.md §10). */
    [ACT_SCORE_READ] = {0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0},
    [ACT_SCORE_CONFIGURE] = {0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    [ACT_ENCOUNTER_WRITE] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0},
    [ACT_SATISFACTION_WRITE] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0},
    /* The record itself: staff as for follow-ups; the resident too, but scope.c admits them
     * only to a record opened to them (档案开放). */
    [ACT_RECORD_READ] = {0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0},
    /* Indicator targets: the county sets what its dashboard measures against. */
    [ACT_INDICATOR_CONFIGURE] = {0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    /* Outreach calls (Simple's overdue list): the team's staff who phone their patients; a
     * death or a move heard on the call closes the record, as resident.write may. */
    [ACT_TASK_CALL] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0},
    /* The hospital in the loop (issue 15). Family-doctor teams search and book the slots
     * released to them; a hospital's referral office keeps its schedules and release rules;
     * both ends of a referral read it, the receiving end moves it along (auth/scope.c says
     * which end a user is); the county keeps one drug catalogue. */
    [ACT_SLOT_READ] = {0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1},
    [ACT_BOOKING_WRITE] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0},
    [ACT_SLOT_MANAGE] = {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0},
    [ACT_REFERRAL_READ] = {0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1},
    [ACT_REFERRAL_WRITE] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1},
    [ACT_DRUG_READ] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1},
    [ACT_DRUG_WRITE] = {0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    [ACT_PRESCRIPTION_READ] = {0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0},
    [ACT_PRESCRIPTION_WRITE] = {0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0},
    [ACT_DISPENSE] = {0, 0, 0, 0, 1, 1, 1, 0, 1, 1, 0, 0, 0},
    /* Health points (issue 16): the resident (or a proxy) and their contracted team redeem
     * (auth/scope.c says whose); the county sets the rules; a centre keeps its items. */
    [ACT_POINTS_REDEEM] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0},
    [ACT_POINTS_CONFIGURE] = {0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    [ACT_POINTS_CATALOGUE_WRITE] = {0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    /* Visit requests (issue 16): a resident asks for themself or a proxy-consenting member, the
     * team's staff for the people signed with the team (auth/scope.c: on the team, not only
     * seeing it); confirming and closing are the team's. */
    [ACT_VISIT_REQUEST] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0},
    [ACT_VISIT_MANAGE] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0},
    /* The outbox (issue 16): the system admin and a centre's admin, for their area. */
    [ACT_OUTBOX_READ] = {0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    /* The resident in the loop (issue 16): a team's staff publish to their service group and
     * answer consultations; the centre reads how its teams do; a resident reads their own
     * (and a proxy-consenting household member's), acknowledges and asks. */
    [ACT_CONTENT_WRITE] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0},
    [ACT_CONTENT_READ] = {0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0},
    [ACT_RESIDENT_SELF] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0},
    [ACT_CONSULTATION_READ] = {0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0},
    [ACT_CONSULTATION_WRITE] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0},
    /* the team lead, or the centre's administrator (seed 004: the lead shares after the
     * assessment) */
    [ACT_ALLOCATION_WRITE] = {0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0},
    /* Assessment rounds and their spot checks (issue 19): the centre assesses its teams, the
     * county commission its centres' teams; neither is a team whose records are checked. */
    [ACT_ASSESSMENT_WRITE] = {0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    /* Operations (issue 21): the system administrator, or a scraper with the metrics token
     * (auth/scope.c). */
    [ACT_METRICS_READ] = {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    /* Evaluation (issue 22): the managers who steer, as for team appraisal - the commission,
     * a centre, a team's lead; the answers are statistics, never names. */
    [ACT_EVALUATION] = {0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0},
};

const char *role_name(enum role r)
{
    return r >= 0 && r < ROLE_COUNT ? ROLE_NAMES[r] : "none";
}

enum role role_parse(const char *name)
{
    for (int i = 1; name && i < ROLE_COUNT; i++)
        if (strcmp(ROLE_NAMES[i], name) == 0) return (enum role)i;
    return ROLE_NONE;
}

const char *action_name(enum action a)
{
    return a >= 0 && a < ACT_COUNT ? ACTION_NAMES[a] : "?";
}

int role_allows(enum role r, enum action a)
{
    if (r < 0 || r >= ROLE_COUNT || a < 0 || a >= ACT_COUNT) return 0;
    return POLICY[a][r];
}

int role_sees_id_number(enum role r)
{
    return r == ROLE_TEAM_LEAD || r == ROLE_DOCTOR || r == ROLE_NURSE ||
           r == ROLE_PUBLIC_HEALTH_DOCTOR || r == ROLE_VILLAGE_DOCTOR || r == ROLE_RESIDENT;
}

int role_is_hospital(enum role r)
{
    return r == ROLE_HOSPITAL_OFFICE || r == ROLE_SPECIALIST;
}

int role_is_team_member(enum role r)
{
    return r == ROLE_TEAM_LEAD || r == ROLE_DOCTOR || r == ROLE_NURSE ||
           r == ROLE_PUBLIC_HEALTH_DOCTOR || r == ROLE_VILLAGE_DOCTOR || r == ROLE_ASSISTANT;
}
