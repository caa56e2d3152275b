/* tb.c - see tb.h. */
#include "domain/tb.h"

#include <string.h>

struct date tb_first_visit_due(struct date notified)
{
    return date_add_days(notified, TB_FIRST_VISIT_DAYS);
}

struct date tb_course_end(const struct tb_course *c)
{
    return date_add_months(c->start, c->course_months);
}

enum tb_phase tb_phase_on(const struct tb_course *c, struct date on)
{
    return date_compare(on, date_add_months(c->start, c->intensive_months)) < 0 ? TB_INTENSIVE
                                                                                : TB_CONTINUATION;
}

struct date tb_next_visit(const struct tb_course *c, struct date visit, int *closing)
{
    int every_ten_days = c->supervision != TB_MEDICAL && tb_phase_on(c, visit) == TB_INTENSIVE;
    struct date next =
        every_ten_days ? date_add_days(visit, TB_INTENSIVE_VISIT_DAYS) : date_add_months(visit, 1);
    struct date end = tb_course_end(c);
    *closing = date_compare(next, end) >= 0;
    return *closing ? (date_compare(visit, end) < 0 ? end : visit) : next;
}

static void reason(struct tb_result *out, const char *code)
{
    if (out->n_reasons < TB_MAX_REASONS) out->reasons[out->n_reasons++] = code;
}

void tb_evaluate(const struct tb_course *c, const struct tb_visit *v, struct tb_result *out)
{
    memset(out, 0, sizeof *out);
    out->phase = tb_phase_on(c, v->date);
    out->missed_total = v->missed_before + v->missed_now;
    /* Reported once, when the total first passes a week. */
    out->report_missed =
        v->missed_before <= TB_MISSED_REPORT_DOSES && out->missed_total > TB_MISSED_REPORT_DOSES;
    if (out->report_missed) reason(out, "missed_doses_over_week");
    if (v->adverse_reaction) reason(out, "adverse_reaction");
    if (v->worsening) reason(out, "worsening_symptoms");
    out->refer = v->adverse_reaction || v->worsening;
    out->action = v->closing           ? TB_CLOSE
                  : out->refer         ? TB_URGENT_REFER
                  : out->report_missed ? TB_REPORT_MISSED
                                       : TB_CONTINUE;
    if (v->closing) return;
    out->has_next = 1;
    out->next_due = tb_next_visit(c, v->date, &out->next_is_closing);
}

static const char *const SUPERVISION[TB_SUPERVISION_COUNT] = {"medical", "family", "volunteer",
                                                              "e_pillbox", "self"};

const char *tb_supervision_name(enum tb_supervision s)
{
    return s >= 0 && s < TB_SUPERVISION_COUNT ? SUPERVISION[s] : "?";
}

int tb_supervision_parse(const char *name)
{
    for (int s = 0; name && s < TB_SUPERVISION_COUNT; s++)
        if (!strcmp(SUPERVISION[s], name)) return s;
    return -1;
}

const char *tb_phase_name(enum tb_phase p)
{
    return p == TB_INTENSIVE ? "intensive" : "continuation";
}

const char *tb_action_name(enum tb_action a)
{
    static const char *const NAMES[] = {"continue", "report_missed", "urgent_refer", "close"};
    return a >= TB_CONTINUE && a <= TB_CLOSE ? NAMES[a] : "?";
}
