/* roles.h - the roles of DESIGN.md, the actions routes are classified by, and the
 * role policy: which role may attempt which action. Data scope (which people and
 * regions) is decided by auth/scope.c; this table is only "may this role ever". Pure. */
#ifndef JIAYI_DOMAIN_ROLES_H
#define JIAYI_DOMAIN_ROLES_H

#include <stdint.h>

enum role {
    ROLE_NONE = 0, /* not logged in */
    ROLE_SYSTEM_ADMIN,
    ROLE_HEALTH_COMMISSION,
    ROLE_CENTER_ADMIN,
    ROLE_TEAM_LEAD,
    ROLE_DOCTOR,
    ROLE_NURSE,
    ROLE_PUBLIC_HEALTH_DOCTOR,
    ROLE_VILLAGE_DOCTOR,
    ROLE_ASSISTANT,
    ROLE_RESIDENT,
    ROLE_HOSPITAL_OFFICE, /* a hospital's referral office (双向转诊办): its slots, referrals */
    ROLE_SPECIALIST,      /* a hospital specialist: the referrals sent to their hospital */
    ROLE_COUNT
};

enum action {
    ACT_PUBLIC,              /* no login: health, login */
    ACT_LOGGED_IN,           /* any logged-in user: own session */
    ACT_REGION_READ,         /* the grid tree */
    ACT_INSTITUTION_READ,    /* institutions and staff lists */
    ACT_TEAM_READ,           /* teams, members, grid cells */
    ACT_RESIDENT_READ,       /* a person's record (scope-filtered) */
    ACT_RESIDENT_WRITE,      /* register and edit residents and households */
    ACT_CLINICAL_WRITE,      /* diagnoses */
    ACT_RECORD_WRITE,        /* open a health record to the resident */
    ACT_CENSUS_READ,         /* door-knocking visits and census rates */
    ACT_CENSUS_WRITE,        /* record a door-knocking visit */
    ACT_FLAG_CREATE,         /* first discovery: flag a person */
    ACT_FLAG_READ,           /* see flags */
    ACT_FLAG_DECIDE,         /* confirm or dismiss a flag */
    ACT_WORKLIST_READ,       /* tasks */
    ACT_AUDIT_READ,          /* who read or changed a person's data */
    ACT_TEAM_WRITE,          /* staff, teams, members and grid cells */
    ACT_PACKAGE_READ,        /* the service package catalogue */
    ACT_PACKAGE_WRITE,       /* publish packages and new versions */
    ACT_CONTRACT_READ,       /* a person's contract (scope-filtered) */
    ACT_CONTRACT_WRITE,      /* sign, renew, transfer, terminate (a resident: their own) */
    ACT_SERVICE_WRITE,       /* record a service delivered against a contract */
    ACT_REPORT_READ,         /* finance reports: amounts per contract and payer, no names */
    ACT_PROTOCOL_EVALUATE,   /* dry-run the protocol engine; read its settings */
    ACT_PROTOCOL_CONFIGURE,  /* change the [jiayi] protocol settings */
    ACT_FOLLOWUP_WRITE,      /* record a program follow-up */
    ACT_FOLLOWUP_READ,       /* a person's follow-ups (scope-filtered) */
    ACT_EXAM_IMPORT,         /* load an exam centre's results file into the records in scope */
    ACT_DEVICE_MANAGE,       /* bind a home device to a resident, revoke it */
    ACT_GROUP_READ,          /* self-management groups with their counts, no names */
    ACT_GROUP_MEMBERS_READ,  /* a group's members by name, activities and attendance */
    ACT_GROUP_WRITE,         /* create groups, add and end members, record activities */
    ACT_INDICATOR_READ,      /* indicator values (counts only) for a scope in the user's scope */
    ACT_INDICATOR_PATIENTS,  /* the named residents behind an indicator's numbers */
    ACT_SCORE_READ,          /* team appraisal scores and income distribution (managers) */
    ACT_SCORE_CONFIGURE,     /* the team-score weights and income shares */
    ACT_ENCOUNTER_WRITE,     /* record a visit (encounter) or a referral up or down */
    ACT_SATISFACTION_WRITE,  /* record a satisfaction answer (a resident: their own) */
    ACT_RECORD_READ,         /* a person's follow-ups, exams, measurements and schedules (scope-
                              * filtered; a resident: once the record is opened, 档案开放) */
    ACT_INDICATOR_CONFIGURE, /* the targets the dashboard judges indicators against */
    ACT_TASK_CALL,           /* record an outreach call on a work-list task (issue 14) */
    /* The hospital in the loop (issue 15). */
    ACT_SLOT_READ,          /* search specialist slots (a family doctor: those released to them) */
    ACT_BOOKING_WRITE,      /* book, cancel, reschedule a slot for a signed resident */
    ACT_SLOT_MANAGE,        /* a hospital's departments, schedules, release rules, attendance */
    ACT_REFERRAL_READ,      /* referral lists and a referral with its summary (scope: either end) */
    ACT_REFERRAL_WRITE,     /* send a referral, move it along its states (the receiving end) */
    ACT_DRUG_READ,          /* the county drug catalogue */
    ACT_DRUG_WRITE,         /* publish a new version of the catalogue */
    ACT_PRESCRIPTION_READ,  /* a person's prescriptions (scope-filtered) */
    ACT_PRESCRIPTION_WRITE, /* prescribe: ordinary, long, extended */
    ACT_DISPENSE,           /* record the pick-up or delivery of a prescription */
    /* The resident in the loop (issue 16). */
    ACT_POINTS_REDEEM,    /* redeem health points (a resident: their own; staff: their team's) */
    ACT_POINTS_CONFIGURE, /* the county's points rules */
    ACT_POINTS_CATALOGUE_WRITE, /* add or restock an item points buy (a centre admin: its own) */
    ACT_VISIT_REQUEST,          /* ask the team for a visit, read and cancel one's requests */
    ACT_VISIT_MANAGE,           /* the team's list of visit requests; confirm, mark done */
    ACT_OUTBOX_READ,            /* the messages to people and their delivery (issue 16) */
    ACT_CONTENT_WRITE,          /* publish content to the team's service group */
    ACT_CONTENT_READ,           /* a team's items with their read rates; a resident's own items */
    ACT_RESIDENT_SELF,          /* the resident's own acts: acknowledge an item, ask the team */
    ACT_CONSULTATION_READ,      /* consultations: a team's list, a resident's, a thread */
    ACT_CONSULTATION_WRITE,     /* ask (a resident), answer (the team), close */
    ACT_ALLOCATION_WRITE,       /* share the team's income among its members (issue 19) */
    ACT_ASSESSMENT_WRITE,       /* assessment rounds: sample, check by phone, sign off (issue 19) */
    ACT_METRICS_READ, /* the server's operating figures (GET /metrics; no personal data) */
    ACT_EVALUATION,   /* cohort studies and QCA (issue 22): aggregate statistics */
    ACT_COUNT
};

const char *role_name(enum role r);
/* ROLE_NONE when unknown. */
enum role role_parse(const char *name);
const char *action_name(enum action a);
/* 1 when the role may attempt the action at all. */
int role_allows(enum role r, enum action a);
/* 1 for roles that see full ID numbers (clinical care and the person themself). */
int role_sees_id_number(enum role r);
/* 1 for staff roles that belong to a family-doctor team. */
int role_is_team_member(enum role r);
/* 1 for the roles of a hospital desk: their scope is their hospital (auth/scope.c). */
int role_is_hospital(enum role r);

/* A logged-in user as the request sees it. */
struct principal {
    int64_t user_id;
    enum role role;
    char username[64];
    char display_name[128];
    int64_t staff_id;    /* 0 when not staff */
    int64_t resident_id; /* resident role: who they are */
    char scope_region[16];
    char csrf_token[48];
    int via_cookie; /* cookie clients must send X-CSRF-Token on writes */
};

#endif
