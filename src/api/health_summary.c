/* health_summary.c - GET /api/v1/residents/{id}/health-summary: a person's own health
 * record in plain words (档案开放), for the resident portal. What is due next and by when;
 * the latest blood pressure and fasting glucose with a verdict; the measurements behind the
 * trend chart; the programmes they are in; recent follow-ups with their result as a
 * sentence; exam results with the abnormal ones named; a child's or a pregnancy's checks
 * with the next one; and who their family doctor is.
 *
 * Every sentence comes from health_words.c in the request's language, so the table is the
 * whole of what a resident is told. What a staff screen shows as a code never passes
 * through: not the population class, poverty or family type, not the engine's
 * classification and action, not a task's status, not staff ids, staff notes or ID numbers.
 * The route's action is ACT_RECORD_READ, so a resident reads this only for a record opened
 * to them (auth/scope.c); staff may read it to see what the resident sees. */
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "api/health_words.h"
#include "api/protocols.h"
#include "auth/scope.h"
#include "domain/chronic.h"
#include "domain/screening.h"
#include "domain/task_status.h"
#include "store/followups.h"
#include "store/measurements.h"
#include "store/population.h"
#include "store/records.h"
#include "store/residents.h"
#include "store/work.h"
#include "util/sbuf.h"

#define SUMMARY_FOLLOWUPS 10
#define SUMMARY_EXAMS 5
#define SUMMARY_TREND_MONTHS 24 /* as the staff page's trend card (web/js/views/trends.js) */
#define SUMMARY_MEASUREMENTS 500

/* What every part of the summary needs. */
struct summary {
    int en;
    struct date today;
    int age;
    const json_t *record; /* store_resident_get's */
    struct protocol_config config;
};

/* The words of `key` (else of `fallback`) as a JSON string, NULL when neither exists. */
static json_t *words(const struct summary *s, const char *key, const char *fallback)
{
    return health_words_json(s->en, key, fallback, NULL);
}

/* The text of the key "<prefix>.<code>" into key (64 bytes), for the lookups above. */
static const char *key_of(char key[64], const char *prefix, const char *code)
{
    snprintf(key, 64, "%s.%s", prefix, code ? code : "");
    return key;
}

static int in_programme(const struct summary *s, const char *program)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(s->record, "programs"), i, p) {
        if (json_is_string(p) && !strcmp(json_string_value(p), program)) return 1;
    }
    return 0;
}

static int has_string(const json_t *list, const char *value)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        if (json_is_string(v) && !strcmp(json_string_value(v), value)) return 1;
    }
    return 0;
}

/* The programmes the person is in, by their plain names, with the day each began. */
static json_t *programmes_json(const struct summary *s)
{
    json_t *list = json_array();
    size_t i;
    json_t *e;
    char key[64];
    json_array_foreach(json_object_get(s->record, "enrolments"), i, e) {
        const char *program = json_string_value(json_object_get(e, "program"));
        json_array_append_new(
            list, json_pack("{s:o?, s:O}", "name",
                            words(s, key_of(key, "programme", program), "programme.other"), "since",
                            json_object_get(e, "start_date")));
    }
    return list;
}

/* The open tasks as what is due and by when: "下次高血压随访：2027-01-10 前". A task past its
 * date (overdue, or missed in the work list's terms) is simply late: contact the doctor. */
static json_t *next_steps_json(const struct summary *s, const json_t *tasks)
{
    json_t *list = json_array();
    size_t i;
    json_t *t;
    char key[64];
    json_array_foreach(tasks, i, t) {
        const char *kind = json_string_value(json_object_get(t, "kind"));
        const char *program = json_string_value(json_object_get(t, "program"));
        const char *due_text = json_string_value(json_object_get(t, "due_date"));
        const char *next_text = json_string_value(json_object_get(t, "next_due"));
        struct date due, next;
        if (!kind || !due_text || date_parse(due_text, &due) < 0) continue;
        int has_next = next_text && date_parse(next_text, &next) == 0;
        const char *title = strcmp(kind, "followup") == 0 && program
                                ? health_word(key_of(key, "visit", program), s->en)
                                : health_word(key_of(key, "task", kind), s->en);
        if (!title) title = health_word("task.other", s->en);
        enum task_status status = task_status_on(due, has_next ? &next : NULL, s->today);
        const char *when = status == TASK_UPCOMING ? "due.upcoming"
                           : status == TASK_DUE    ? "due.due"
                                                   : "due.late";
        const char *tone = status == TASK_UPCOMING ? "normal"
                           : status == TASK_DUE    ? "attention"
                                                   : "urgent";
        json_array_append_new(
            list,
            json_pack("{s:s, s:s, s:o?, s:s}", "title", title, "due_date", due_text, "text",
                      health_words_json(s->en, when, NULL, "what", title, "date", due_text, NULL),
                      "tone", tone));
    }
    return list;
}

static const char *verdict_tone(enum reading_verdict v)
{
    return v == VERDICT_NORMAL                     ? "good"
           : v == VERDICT_HIGH || v == VERDICT_LOW ? "attention"
                                                   : "urgent";
}

/* The latest blood pressure and fasting glucose among the measurements (oldest first), each
 * with its verdict in words; "well controlled" for someone in that programme. */
static json_t *latest_json(const struct summary *s, const json_t *measurements)
{
    const json_t *bp = NULL, *fbg = NULL;
    size_t i;
    json_t *m;
    char key[64];
    json_array_foreach(measurements, i, m) {
        if (json_object_get(m, "sbp") && json_object_get(m, "dbp")) bp = m;
        if (json_object_get(m, "fbg")) fbg = m;
    }
    json_t *out = json_object();
    if (bp) {
        int sbp = (int)json_integer_value(json_object_get(bp, "sbp"));
        int dbp = (int)json_integer_value(json_object_get(bp, "dbp"));
        enum reading_verdict v = bp_verdict(sbp, dbp, s->age, &s->config);
        const char *name = v == VERDICT_NORMAL && in_programme(s, "hypertension")
                               ? "controlled"
                               : reading_verdict_name(v);
        json_object_set_new(out, "blood_pressure",
                            json_pack("{s:O, s:i, s:i, s:o?, s:s}", "date",
                                      json_object_get(bp, "date"), "sbp", sbp, "dbp", dbp, "text",
                                      words(s, key_of(key, "bp", name), NULL), "tone",
                                      verdict_tone(v)));
    } else {
        json_object_set_new(out, "blood_pressure", json_null());
    }
    if (fbg) {
        double value = json_number_value(json_object_get(fbg, "fbg"));
        enum reading_verdict v = glucose_verdict(chronic_tenths(value));
        const char *name = v == VERDICT_NORMAL && in_programme(s, "diabetes")
                               ? "controlled"
                               : reading_verdict_name(v);
        json_object_set_new(out, "glucose",
                            json_pack("{s:O, s:f, s:o?, s:s}", "date", json_object_get(fbg, "date"),
                                      "fbg", value, "text",
                                      words(s, key_of(key, "glucose", name), NULL), "tone",
                                      verdict_tone(v)));
    } else {
        json_object_set_new(out, "glucose", json_null());
    }
    return out;
}

/* The maternal colour that says most: red, orange, purple, yellow, then green. */
static const char *maternal_color(const json_t *colors)
{
    static const char *const ORDER[] = {"red", "orange", "purple", "yellow", "green"};
    for (size_t i = 0; i < sizeof ORDER / sizeof ORDER[0]; i++)
        if (has_string(colors, ORDER[i])) return ORDER[i];
    return "done";
}

/* A follow-up's result as a sentence (its key into key) and a tone, from the engine's
 * stored answer: for the chronic programmes what the doctor decided, said as "high" only
 * when the reading itself was off target and was measured. */
static const char *result_of(const json_t *f, char key[64])
{
    const char *program = json_string_value(json_object_get(f, "program"));
    const json_t *e = json_object_get(f, "evaluation");
    const char *action = json_string_value(json_object_get(e, "action"));
    const json_t *reasons = json_object_get(e, "reasons");
    if (!program) program = "";
    if ((!strcmp(program, "hypertension") || !strcmp(program, "diabetes") ||
         !strcmp(program, "smd")) &&
        action) {
        int off =
            !strcmp(program, "hypertension")
                ? (json_object_get(f, "sbp") && !json_is_null(json_object_get(f, "sbp")) &&
                   has_string(reasons, "sbp_above_target")) ||
                      (json_object_get(f, "dbp") && !json_is_null(json_object_get(f, "dbp")) &&
                       has_string(reasons, "dbp_above_target"))
                : !strcmp(program, "diabetes") && json_is_number(json_object_get(f, "fbg")) &&
                      has_string(reasons, "fbg_ge_7");
        const char *said = !strcmp(action, "continue")            ? "continue"
                           : !strcmp(action, "adjust_medication") ? (off ? "adjust_high" : "adjust")
                           : !strcmp(action, "refer")             ? (off ? "refer_high" : "refer")
                                                                  : "urgent_refer";
        if (!strcmp(program, "smd") && !strcmp(said, "adjust_high")) said = "adjust";
        snprintf(key, 64, "result.%s.%s", program, said);
        return !strcmp(said, "continue")       ? "good"
               : !strcmp(said, "urgent_refer") ? "urgent"
                                               : "attention";
    }
    if (!strcmp(program, "elderly")) {
        const char *color = json_string_value(json_object_get(e, "color"));
        snprintf(key, 64, "result.elderly.%s", color ? color : "done");
        return color && strcmp(color, "green") ? "attention" : "good";
    }
    if (!strcmp(program, "maternal")) {
        const char *color = maternal_color(json_object_get(e, "colors"));
        snprintf(key, 64, "result.maternal.%s", color);
        return !strcmp(color, "red")                               ? "urgent"
               : !strcmp(color, "green") || !strcmp(color, "done") ? "good"
                                                                   : "attention";
    }
    snprintf(key, 64, "result.%s.done", program);
    return "good";
}

/* The medicines of a follow-up as lines ("氨氯地平 5mg 每日一次"). */
static json_t *medicines_json(const json_t *medications)
{
    json_t *list = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(medications, i, m) {
        /* Grown as needed: a fixed buffer could cut a character in half and lose the line. */
        struct sbuf line;
        sbuf_init(&line);
        static const char *const PARTS[] = {"name", "dose", "frequency"};
        for (size_t k = 0; k < 3; k++) {
            const char *part = json_string_value(json_object_get(m, PARTS[k]));
            if (part && *part) sbuf_printf(&line, "%s%s", line.len ? " " : "", part);
        }
        if (!sbuf_failed(&line) && line.len)
            json_array_append_new(list, json_string(sbuf_cstr(&line)));
        sbuf_free(&line);
    }
    return list;
}

/* Copies key from one object to another when present and not null. */
static void copy_value(json_t *to, const json_t *from, const char *key)
{
    json_t *v = json_object_get(from, key);
    if (v && !json_is_null(v)) json_object_set(to, key, v);
}

static json_t *followups_json(const struct summary *s, const json_t *followups)
{
    json_t *list = json_array();
    size_t i;
    json_t *f;
    char key[64], result_key[64];
    json_array_foreach(followups, i, f) {
        const char *program = json_string_value(json_object_get(f, "program"));
        const char *tone = result_of(f, result_key);
        json_t *o =
            json_pack("{s:O, s:o?, s:o?, s:s, s:o}", "date", json_object_get(f, "visit_date"),
                      "title", words(s, key_of(key, "visit", program), "visit.other"), "result",
                      words(s, result_key, "result.other"), "tone", tone, "medicines",
                      medicines_json(json_object_get(f, "medications")));
        if (!o) continue;
        copy_value(o, f, "sbp");
        copy_value(o, f, "dbp");
        copy_value(o, f, "fbg");
        copy_value(o, f, "weight_kg");
        const char *doctor = json_string_value(json_object_get(f, "staff_name"));
        if (doctor) json_object_set_new(o, "doctor", json_string(doctor));
        json_array_append_new(list, o);
    }
    return list;
}

/* One line of an exam's results: {name, value, unit?}; nothing when the value is absent. */
static void exam_item(const struct summary *s, json_t *list, const char *item, const char *value,
                      const char *unit)
{
    char key[64];
    if (!value) return;
    json_t *o = json_pack("{s:o?, s:s}", "name", words(s, key_of(key, "exam.item", item), NULL),
                          "value", value);
    if (o && unit) json_object_set_new(o, "unit", json_string(unit));
    if (o) json_array_append_new(list, o);
}

/* A measured number as text with `decimals` places, into buf; NULL when not measured. */
static const char *number_text(const json_t *e, const char *field, int decimals, char buf[32])
{
    const json_t *v = json_object_get(e, field);
    if (!json_is_number(v)) return NULL;
    snprintf(buf, 32, "%.*f", decimals, json_number_value(v));
    return buf;
}

static json_t *exams_json(const struct summary *s, const json_t *exams)
{
    json_t *list = json_array();
    size_t i, k;
    json_t *e, *code;
    char key[64], bp[32], b1[32], b2[32], b3[32], b4[32], b5[32], b6[32], b7[32], b8[32];
    json_array_foreach(exams, i, e) {
        json_t *results = json_array(), *findings = json_array();
        const char *tone = "good";
        if (json_is_integer(json_object_get(e, "sbp")) &&
            json_is_integer(json_object_get(e, "dbp")))
            snprintf(bp, sizeof bp, "%lld/%lld",
                     (long long)json_integer_value(json_object_get(e, "sbp")),
                     (long long)json_integer_value(json_object_get(e, "dbp")));
        else
            bp[0] = '\0';
        exam_item(s, results, "bp", bp[0] ? bp : NULL, "mmHg");
        exam_item(s, results, "fbg", number_text(e, "fbg", 1, b1), "mmol/L");
        exam_item(s, results, "tc", number_text(e, "tc", 2, b2), "mmol/L");
        exam_item(s, results, "tg", number_text(e, "tg", 2, b3), "mmol/L");
        exam_item(s, results, "ldl", number_text(e, "ldl", 2, b4), "mmol/L");
        exam_item(s, results, "hdl", number_text(e, "hdl", 2, b5), "mmol/L");
        exam_item(s, results, "height", number_text(e, "height_cm", 1, b6), "cm");
        exam_item(s, results, "weight", number_text(e, "weight_kg", 1, b7), "kg");
        exam_item(s, results, "bmi", number_text(e, "bmi", 1, b8), NULL);
        exam_item(s, results, "ecg", json_string_value(json_object_get(e, "ecg")), NULL);
        exam_item(s, results, "ultrasound", json_string_value(json_object_get(e, "ultrasound")),
                  NULL);
        json_array_foreach(json_object_get(e, "abnormal"), k, code) {
            const char *c = json_string_value(code);
            json_t *w = words(s, key_of(key, "exam", c), "exam.other");
            if (w) json_array_append_new(findings, w);
            int urgent = c && (!strcmp(c, "bp_very_high") || !strcmp(c, "fbg_very_high") ||
                               !strcmp(c, "fbg_low"));
            if (urgent)
                tone = "urgent";
            else if (strcmp(tone, "urgent") != 0)
                tone = "attention";
        }
        size_t n = json_array_size(findings);
        char count[24];
        snprintf(count, sizeof count, "%zu", n);
        json_t *summary = n == 0   ? words(s, "exam.none", NULL)
                          : n == 1 ? words(s, "exam.one", NULL)
                                   : health_words_json(s->en, "exam.some", NULL, "n", count, NULL);
        json_array_append_new(list,
                              json_pack("{s:O, s:o?, s:s, s:o, s:o}", "date",
                                        json_object_get(e, "exam_date"), "summary", summary, "tone",
                                        tone, "findings", findings, "results", results));
    }
    return list;
}

/* One schedule (the engine's answer, api_resident_schedule) in words: each point with its
 * window, what to do about it, and the next one to go to. */
static json_t *schedule_words(const struct summary *s, const char *program, const json_t *schedule)
{
    char key[64], count[16];
    json_t *points = json_array(), *next = json_null();
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(schedule, "schedule"), i, p) {
        const char *status = json_string_value(json_object_get(p, "status"));
        const char *from = json_string_value(json_object_get(p, "window_start"));
        const char *to = json_string_value(json_object_get(p, "window_end"));
        const char *visit = json_string_value(json_object_get(p, "visit_date"));
        const char *name = health_word(
            key_of(key, "point", json_string_value(json_object_get(p, "point"))), s->en);
        if (!status || !from || !to) continue;
        if (!name) name = health_word("point.other", s->en);
        /* A point whose time has passed is only noted: nothing can be done about it now. */
        const char *tone = !strcmp(status, "done")  ? "good"
                           : !strcmp(status, "due") ? "attention"
                                                    : "normal";
        json_t *text = health_words_json(s->en, key_of(key, "point", status), NULL, "date",
                                         visit ? visit : "", "from", from, "to", to, NULL);
        json_array_append_new(points, json_pack("{s:s, s:s, s:s, s:o?, s:s, s:b}", "name", name,
                                                "from", from, "to", to, "text", text, "tone", tone,
                                                "done", !strcmp(status, "done")));
        int due = !strcmp(status, "due");
        if (json_is_null(next) && (due || !strcmp(status, "upcoming"))) {
            json_decref(next);
            next = json_pack("{s:s, s:s, s:s, s:o?, s:b}", "name", name, "from", from, "to", to,
                             "text",
                             health_words_json(s->en, due ? "schedule.next_due" : "schedule.next",
                                               NULL, "what", name, "from", from, "to", to, NULL),
                             "due_now", due);
            if (!next) next = json_null();
        }
    }
    json_t *out =
        json_pack("{s:o?, s:o, s:o}", "title", words(s, key_of(key, "schedule", program), NULL),
                  "next", next, "points", points);
    if (!out) return NULL;
    if (json_is_null(next))
        json_object_set_new(out, "all_done_text", words(s, "schedule.all_done", NULL));
    const json_t *weeks = json_object_get(schedule, "gestational_weeks");
    if (json_is_integer(weeks) && json_is_null(json_object_get(schedule, "delivery_date"))) {
        snprintf(count, sizeof count, "%lld", (long long)json_integer_value(weeks));
        json_object_set_new(out, "weeks_text",
                            health_words_json(s->en, "schedule.weeks", NULL, "n", count, NULL));
    }
    return out;
}

/* A child's checks (under the child age) and a pregnancy's (enrolled in maternal care). A
 * schedule the record cannot give (no pregnancy registered) is left out; -1 on an error
 * (500 replied). */
static int schedules_add_or_reply(struct request *r, const struct summary *s, int64_t id,
                                  json_t *list)
{
    static const struct {
        enum protocol_program program;
        const char *name;
    } KINDS[] = {{PROGRAM_CHILD, "child"}, {PROGRAM_MATERNAL, "maternal"}};
    struct population_config pc = store_population_config(r->db);
    const char *sex = json_string_value(json_object_get(s->record, "sex"));
    for (size_t k = 0; k < sizeof KINDS / sizeof KINDS[0]; k++) {
        int wanted = KINDS[k].program == PROGRAM_CHILD
                         ? s->age < pc.child_age_below
                         : sex && sex[0] == 'F' && in_programme(s, "maternal");
        if (!wanted) continue;
        json_t *schedule = NULL;
        struct jy_error err;
        if (api_resident_schedule(r, id, KINDS[k].program, s->record, s->today, &schedule, &err) <
            0) {
            if (err.status >= 500) return reply_problem(r, 500, "internal_error", NULL);
            continue;
        }
        json_t *w = schedule_words(s, KINDS[k].name, schedule);
        json_decref(schedule);
        if (!w) return reply_problem(r, 500, "internal_error", NULL);
        json_array_append_new(list, w);
    }
    return 0;
}

/* The family doctor of the current contract, or null. */
static json_t *doctor_json(const struct summary *s)
{
    const json_t *c = json_object_get(s->record, "contract");
    if (!json_is_object(c)) return json_null();
    return json_pack("{s:O?, s:O?, s:O?}", "name", json_object_get(c, "doctor_name"), "team",
                     json_object_get(c, "team_name"), "until", json_object_get(c, "end_date"));
}

/* The measurements for the chart, without where each came from. */
static void strip_sources(json_t *measurements)
{
    size_t i;
    json_t *m;
    json_array_foreach(measurements, i, m)
        json_object_del(m, "source");
}

int handle_resident_health_summary(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    json_t *record = store_resident_get(r->db, id);
    if (!record) return reply_problem(r, 404, "not_found", NULL);
    struct summary s = {r->lang_en, date_today(), 0, record, store_protocol_config(r->db)};
    struct date birth;
    if (date_parse(json_string_value(json_object_get(record, "birth_date")), &birth) == 0)
        s.age = date_age_years(birth, s.today);
    char today[11], from[11], id_text[24];
    date_format(s.today, today);
    date_format(date_add_months(s.today, -SUMMARY_TREND_MONTHS), from);
    json_t *tasks = store_resident_open_tasks(r->db, id);
    json_t *measurements = store_measurements_list(r->db, id, from, NULL, SUMMARY_MEASUREMENTS);
    json_t *followups = store_followups_list(r->db, id, NULL, SUMMARY_FOLLOWUPS);
    json_t *exams = store_exam_results_list(r->db, id, SUMMARY_EXAMS);
    json_t *out = NULL, *schedules = json_array();
    int rc = -1;
    if (!tasks || !measurements || !followups || !exams) {
        rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    if (schedules_add_or_reply(r, &s, id, schedules) < 0) goto done;
    strip_sources(measurements);
    out = json_pack("{s:I, s:O, s:i, s:s, s:s}", "id", (json_int_t)id, "name",
                    json_object_get(record, "name"), "age", s.age, "as_of", today, "language",
                    s.en ? "en" : "zh-CN");
    if (!out) {
        rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    json_object_set_new(out, "programmes", programmes_json(&s));
    json_object_set_new(out, "next_steps", next_steps_json(&s, tasks));
    json_object_set_new(out, "latest", latest_json(&s, measurements));
    json_object_set(out, "measurements", measurements);
    /* The lines the chart draws: the same targets the verdicts and the follow-ups use. */
    json_object_set_new(out, "targets",
                        json_pack("{s:i, s:i, s:f}", "sbp", hypertension_target_sbp(s.age), "dbp",
                                  HTN_TARGET_DBP, "fbg", DM_TARGET_FBG_TENTHS / 10.0));
    json_object_set_new(out, "followups", followups_json(&s, followups));
    json_object_set_new(out, "exams", exams_json(&s, exams));
    json_object_set(out, "schedules", schedules);
    json_object_set_new(out, "doctor", doctor_json(&s));
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    api_audit_read(r, "health_summary", id_text, id);
    rc = reply_json(r, 200, out);
    out = NULL;
done:
    json_decref(out);
    json_decref(schedules);
    json_decref(exams);
    json_decref(followups);
    json_decref(measurements);
    json_decref(tasks);
    json_decref(record);
    return rc;
}
