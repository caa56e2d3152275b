/* protocols.h (api) - reading a protocol evaluation from a request body and writing the
 * engine's answer, shared by the dry run (POST /protocols/{program}/evaluate) and the
 * follow-up record (POST /followups), which fills from the resident's history what the
 * dry run takes from the caller. */
#ifndef JIAYI_API_PROTOCOLS_H
#define JIAYI_API_PROTOCOLS_H

#include <jansson.h>
#include <stdint.h>

#include "domain/chronic.h"
#include "domain/elderly.h"
#include "domain/schedule.h"
#include "util/error.h"

/* A person clinical work is recorded for, and whose team the next task goes to. */
struct subject {
    json_t *resident; /* store_resident_brief (owned) */
    struct date birth;
    char region[16], county[7];
    int64_t team_id, doctor_id; /* the contracted doctor's, else the team of the grid cell */
};
struct request;
/* The child's immunisation schedule as of `today` (api/immunisation.c): 0, or -1. */
int api_immunisation_schedule(struct request *r, int64_t id, const json_t *record,
                              struct date today, json_t **out);
/* The resident's record and where their work goes, whatever their status. Replies 404. */
int api_subject_read_or_reply(struct request *r, int64_t id, struct subject *s);
/* api_subject_read for a new record: the resident must be alive (422 otherwise). */
int api_subject_load_or_reply(struct request *r, int64_t id, struct subject *s);
struct db;
/* The COPD visit due on `due` for the subject's team (api/copd.c): 0, or -1. */
int api_copd_task(struct db *db, const struct subject *s, int64_t resident, const char *due,
                  const char *note);

#define PROTOCOL_MAX_VISITS 64
#define PROTOCOL_MAX_FACTORS 32

enum protocol_program {
    PROGRAM_HYPERTENSION,
    PROGRAM_DIABETES,
    PROGRAM_SMD,
    PROGRAM_ELDERLY,
    PROGRAM_CHILD,
    PROGRAM_MATERNAL
};

struct protocol_input {
    enum protocol_program program;
    struct chronic_visit chronic;
    struct elderly_assessment elderly;
    struct date birth, as_of, lmp, delivery, discharge;
    int has_birth, has_as_of, has_lmp, has_delivery, has_discharge;
    struct date visits[PROTOCOL_MAX_VISITS];
    int visit_count;
    enum risk_color factors[PROTOCOL_MAX_FACTORS];
    int factor_count;
    int has_assessment; /* maternal: risk_factors given (an empty list is an assessment too) */
};

/* The program for a name, or -1. */
int protocol_program_parse(const char *name);
const char *protocol_program_name(enum protocol_program p);
/* Reads the fields of `program` from body. `recorded` is 1 for a follow-up record: then the
 * facts the server knows (age, birth date, as_of) are not asked for here. */
int protocol_read(json_t *body, enum protocol_program program, int recorded,
                  struct protocol_input *in, struct jy_error *err);

struct protocol_answer {
    json_t *json;     /* the evaluation as API.md shapes it (owned) */
    int uncontrolled; /* counts toward "in a row" */
    int emergency;
    const char *classification, *action; /* static, or NULL */
    int has_next_due;
    struct date next_due; /* the next task's due date */
    int has_following;
    struct date following;            /* the schedule point after it (the task's next_due) */
    enum chronic_class chronic_class; /* hypertension, diabetes, SMD */
    enum chronic_action chronic_action;
    enum risk_color risk; /* maternal: the highest colour, and purple */
    int purple;
};

struct followup_input;
/* The measures of a chronic visit into the follow-up row that records it (sbp, dbp, heart
 * rate, danger level, glucose, temperature), as POST /followups and a follow-ups file store
 * them. */
void protocol_visit_measures(const struct chronic_visit *v, struct followup_input *f);

/* Runs the engine on `in`; fills out (caller decrefs out->json). */
void protocol_evaluate(const struct protocol_input *in, const struct protocol_config *c,
                       struct protocol_answer *out);

struct request;
/* The child's or the latest pregnancy's schedule as of `today`, from what the record holds
 * (the birth date, or the pregnancy's LMP, delivery and discharge; the visits recorded): the
 * engine's answer with program, as_of and those dates, and for a pregnancy the risk colours
 * of its latest assessment, since the factors are assessed at visits and an orange, red or
 * purple result stands until the next one. `record` is store_resident_get's. Returns 0 and
 * *out (caller decrefs), or -1 with err: 404 no pregnancy registered, 422 not eligible, 500.
 * Shared by GET /residents/{id}/schedule/{program} and the health summary. */
int api_resident_schedule(struct request *r, int64_t id, enum protocol_program program,
                          const json_t *record, struct date today, json_t **out,
                          struct jy_error *err);

#endif
