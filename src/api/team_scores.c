/* team_scores.c (api) - family-doctor team appraisal and income distribution (PROTOCOLS.md
 * §10): the versioned weights and shares, per-team scores from the indicator counters
 * ("t:<id>"), standardised workload and signing income split to the fen, as JSON, CSV or
 * XLSX; and the care cascade's overdue patients ordered by risk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "api/api.h"
#include "api/download.h"
#include "api/handlers.h"
#include "api/indicators.h"
#include "domain/assessment.h"
#include "domain/team_score.h"
#include "store/assessments.h"
#include "store/team_scores.h"
#include "util/log.h"
#include "util/sbuf.h"

#define MAX_TEAMS 1000

static json_t *weights_json(const struct team_score_config *c, int en)
{
    json_t *weights = json_object(), *items = json_array();
    for (int k = 0; k < KPI_COUNT; k++) {
        if (!c->weights[k]) continue;
        json_object_set_new(weights, KPI_INFO[k].code, json_integer(c->weights[k]));
        json_array_append_new(items, json_pack("{s:s, s:s, s:i}", "code", KPI_INFO[k].code, "name",
                                               en ? KPI_INFO[k].name_en : KPI_INFO[k].name_zh,
                                               "weight", c->weights[k]));
    }
    return json_pack("{s:o, s:o, s:i, s:i, s:i}", "weights", weights, "indicators", items,
                     "institution_share", c->institution_share, "team_share",
                     100 - c->institution_share, "bonus_share", c->bonus_share);
}

static json_t *settings_json(struct request *r, struct team_score_config *c)
{
    int version;
    char changed_at[21];
    if (store_team_score_config(r->db, c, &version, changed_at) < 0) return NULL;
    json_t *o = weights_json(c, r->lang_en);
    json_object_set_new(o, "version", json_integer(version));
    json_object_set_new(o, "changed_at", changed_at[0] ? json_string(changed_at) : json_null());
    return o;
}

int handle_team_score_settings_get(struct request *r)
{
    struct team_score_config c;
    json_t *o = settings_json(r, &c);
    return o ? reply_json(r, 200, o) : reply_problem(r, 500, "internal_error", NULL);
}

/* PUT {"weights": {code: points}, "institution_share": %, "bonus_share": %}: weights given
 * replace the whole set (codes left out weigh 0); anything left out keeps its value. */
int handle_team_score_settings_put(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    int rc = -1;
    struct team_score_config before, after;
    int version;
    char changed_at[21], field[64];
    if (store_team_score_config(r->db, &before, &version, changed_at) < 0) {
        return reply_problem(r, 500, "internal_error", NULL);
    }
    after = before;
    json_t *weights = json_object_get(body, "weights"), *v;
    if (weights) {
        const char *code;
        if (!json_is_object(weights) || !json_object_size(weights)) {
            return reply_problem(r, 422, "invalid_field", "weights");
        }
        memset(after.weights, 0, sizeof after.weights);
        json_object_foreach(weights, code, v) {
            int k = kpi_code_index(code);
            snprintf(field, sizeof field, "weights.%s", code);
            if (k < 0 || !json_is_integer(v) || json_integer_value(v) < 0 ||
                json_integer_value(v) > 100) {
                return reply_problem(r, 422, "invalid_field", k < 0 ? "weights" : field);
            }
            after.weights[k] = (int)json_integer_value(v);
        }
    }
    static const char *const SHARES[] = {"institution_share", "bonus_share"};
    int *slots[] = {&after.institution_share, &after.bonus_share};
    for (int i = 0; i < 2; i++) {
        v = json_object_get(body, SHARES[i]);
        if (!v) continue;
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100) {
            return reply_problem(r, 422, "invalid_field", SHARES[i]);
        }
        *slots[i] = (int)json_integer_value(v);
    }
    struct jy_error err;
    if (team_score_validate(&after, &err) < 0) {
        return reply_error(r, &err);
    }
    if (api_begin(r) < 0) return rc;
    int revision = store_team_score_config_save(r->db, &before, &after, r->user.user_id);
    if (revision < 0) {
        api_fail_internal(r, "team score settings");
        return rc;
    }
    if (api_audit(r, "update", "team_score_settings", revision, 0) < 0) return rc;
    if (api_commit(r) < 0) return rc;
    rc = handle_team_score_settings_get(r);
    return rc;
}

/* ---- scores ---- */

static double yuan(json_t *o, const char *key)
{
    return (double)json_integer_value(json_object_get(o, key)) / 100.0;
}

static const char *const HEADERS[2][9] = {
    {"排名", "团队", "机构", "得分", "标化工作量", "签约收入(元)", "机构分成(元)", "团队分成(元)",
     "绩效奖金(元)"},
    {"Rank", "Team", "Institution", "Score", "Workload", "Signing income (yuan)",
     "Institution (yuan)", "Team (yuan)", "Bonus (yuan)"}};
static const char *const MONEY_KEYS[4] = {"income_fen", "institution_fen", "team_fen", "bonus_fen"};

/* A CSV field after the first of a line. */
static void csv_text(struct sbuf *b, const char *s)
{
    sbuf_puts(b, ",");
    api_csv_field(b, s);
}

static int scores_csv(struct request *r, json_t *report, const char *filename)
{
    struct sbuf b;
    sbuf_init(&b);
    sbuf_puts(&b, "\xEF\xBB\xBF");
    api_csv_field(&b, HEADERS[r->lang_en][0]);
    for (int c = 1; c < 9; c++)
        csv_text(&b, HEADERS[r->lang_en][c]);
    json_t *indicators = json_object_get(json_object_get(report, "settings"), "indicators"), *ind,
           *team;
    size_t i, k;
    json_array_foreach(indicators, k, ind)
        csv_text(&b, json_string_value(json_object_get(ind, "name")));
    sbuf_puts(&b, "\r\n");
    json_array_foreach(json_object_get(report, "items"), i, team) {
        sbuf_printf(&b, "%lld", (long long)json_integer_value(json_object_get(team, "rank")));
        csv_text(&b, json_string_value(json_object_get(team, "team")));
        csv_text(&b, json_string_value(json_object_get(team, "institution")));
        sbuf_printf(&b, ",%.2f,%.2f", json_number_value(json_object_get(team, "score")),
                    json_number_value(json_object_get(team, "workload")));
        for (int m = 0; m < 4; m++)
            sbuf_printf(&b, ",%.2f", yuan(team, MONEY_KEYS[m]));
        json_array_foreach(json_object_get(team, "indicators"), k, ind) {
            json_t *value = json_object_get(ind, "value");
            if (json_is_number(value))
                sbuf_printf(&b, ",%.4f", json_number_value(value));
            else
                sbuf_puts(&b, ",");
        }
        sbuf_puts(&b, "\r\n");
    }
    int rc = sbuf_failed(&b) ? reply_problem(r, 500, "internal_error", NULL)
                             : api_reply_attachment(r, "text/csv; charset=utf-8", filename, "csv",
                                                    b.data, b.len);
    sbuf_free(&b);
    return rc;
}

/* libxlsxwriter writes only to a file: a private temporary one, read back and removed. */
static int scores_xlsx(struct request *r, json_t *report, const char *filename)
{
    char path[] = "/tmp/jiayi-scores-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return reply_problem(r, 500, "internal_error", NULL);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws =
        wb ? workbook_add_worksheet(wb, r->lang_en ? "Team scores" : "团队考核") : NULL;
    if (!ws) {
        if (wb) workbook_close(wb);
        unlink(path);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    lxw_format *bold = workbook_add_format(wb), *money = workbook_add_format(wb),
               *pct = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_num_format(money, "#,##0.00");
    format_set_num_format(pct, "0.0%");
    json_t *indicators = json_object_get(json_object_get(report, "settings"), "indicators"), *ind,
           *team;
    size_t i, k;
    for (int c = 0; c < 9; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, HEADERS[r->lang_en][c], bold);
    json_array_foreach(indicators, k, ind)
        worksheet_write_string(ws, 0, (lxw_col_t)(9 + k),
                               json_string_value(json_object_get(ind, "name")), bold);
    json_array_foreach(json_object_get(report, "items"), i, team) {
        lxw_row_t row = (lxw_row_t)(i + 1);
        worksheet_write_number(ws, row, 0,
                               (double)json_integer_value(json_object_get(team, "rank")), NULL);
        worksheet_write_string(ws, row, 1, json_string_value(json_object_get(team, "team")), NULL);
        worksheet_write_string(ws, row, 2, json_string_value(json_object_get(team, "institution")),
                               NULL);
        worksheet_write_number(ws, row, 3, json_number_value(json_object_get(team, "score")), NULL);
        worksheet_write_number(ws, row, 4, json_number_value(json_object_get(team, "workload")),
                               NULL);
        for (int m = 0; m < 4; m++)
            worksheet_write_number(ws, row, (lxw_col_t)(5 + m), yuan(team, MONEY_KEYS[m]), money);
        json_array_foreach(json_object_get(team, "indicators"), k, ind) {
            json_t *value = json_object_get(ind, "value");
            if (json_is_number(value))
                worksheet_write_number(ws, row, (lxw_col_t)(9 + k), json_number_value(value), pct);
        }
    }
    worksheet_set_column(ws, 1, 2, 24, NULL);
    return api_reply_workbook(r, wb, path, filename);
}

struct team_row {
    struct scope_team team;
    struct team_score_line lines[KPI_COUNT];
    int n_lines;
    double workload;
    int64_t units;
    int64_t raw_score;    /* before the spot checks' coefficient */
    int has_verification; /* a signed-off assessment round of the period applies */
    int coefficient;      /* per mille */
    int64_t round_id;
};

static json_t *team_json(const struct team_row *t, const struct team_income *money, int en)
{
    json_t *indicators = json_array(), *flags = json_array();
    for (int l = 0; l < t->n_lines; l++) {
        const struct team_score_line *line = &t->lines[l];
        const struct kpi_info *info = &KPI_INFO[line->code];
        json_array_append_new(
            indicators,
            json_pack("{s:s, s:s, s:i, s:I, s:I, s:o, s:f}", "code", info->code, "name",
                      en ? info->name_en : info->name_zh, "weight", line->weight, "numerator",
                      (json_int_t)line->num, "denominator", (json_int_t)line->den, "value",
                      line->has_value ? json_real((double)line->num / (double)line->den)
                                      : json_null(),
                      "points", (double)line->points / TEAM_SCORE_POINT));
        if (!line->has_value) json_array_append_new(flags, json_string(info->code));
    }
    /* with the spot checks' verdict on the score (docs/assessments.md) */
    return json_pack(
        "{s:I, s:s, s:I, s:s, s:i, s:f, s:o, s:o, s:f, s:I, s:I, s:I, s:I, s:I, s:f, s:o}",
        "team_id", (json_int_t)t->team.id, "team", t->team.name, "institution_id",
        (json_int_t)t->team.institution_id, "institution", t->team.institution, "rank", money->rank,
        "score", (double)money->score / TEAM_SCORE_POINT, "indicators", indicators, "missing",
        flags, "workload", t->workload, "workload_units", (json_int_t)t->units, "income_fen",
        (json_int_t)money->income_fen, "institution_fen", (json_int_t)money->institution_fen,
        "team_fen", (json_int_t)money->team_fen, "bonus_fen", (json_int_t)money->bonus_fen,
        "score_before_verification", (double)t->raw_score / TEAM_SCORE_POINT, "verification",
        t->has_verification ? json_pack("{s:I, s:f}", "round_id", (json_int_t)t->round_id,
                                        "coefficient", (double)t->coefficient / ASSESSMENT_PERMILLE)
                            : json_null());
}

int handle_team_scores(struct request *r)
{
    struct kpi_scope scope;
    struct kpi_frame frame;
    struct period p;
    struct date as_of;
    const char *scope_text = request_query(r, "scope"), *format = request_query(r, "format");
    if (!scope_text) return reply_problem(r, 422, "missing_field", "scope");
    if (format && strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "xlsx"))
        return reply_problem(r, 422, "invalid_field", "format");
    if (api_indicator_scope_or_reply(r, scope_text, &scope) < 0) return -1;
    if (scope.kind != 'r' && scope.kind != 'i')
        return reply_problem(r, 422, "invalid_field", "scope");
    if (api_indicator_period_or_reply(r, request_query(r, "period"), &frame, &p, &as_of) < 0)
        return -1;
    struct team_score_config config;
    json_t *settings = settings_json(r, &config);
    struct team_row *rows = calloc(MAX_TEAMS, sizeof *rows);
    struct scope_team *teams = calloc(MAX_TEAMS, sizeof *teams);
    struct team_income *money = calloc(MAX_TEAMS, sizeof *money);
    int *order = calloc(MAX_TEAMS, sizeof *order);
    int n = settings && rows && teams && money && order
                ? store_scope_teams(r->db, scope.kind, scope.prefix, scope.id, teams, MAX_TEAMS)
                : -1;
    char first[11], last[11], as_of_text[11];
    date_format(p.first, first);
    date_format(p.last, last);
    date_format(as_of, as_of_text);
    /* Every team's indicator parts at once: the direct ones read their rows once, not per team. */
    struct kpi_scope *team_scopes = n > 0 ? calloc((size_t)n, sizeof *team_scopes) : NULL;
    struct kpi_parts *parts = n > 0 ? calloc((size_t)n, sizeof *parts) : NULL;
    if (n > 0 && (!team_scopes || !parts)) n = -1;
    for (int t = 0; t < n; t++) {
        team_scopes[t] = (struct kpi_scope){.kind = 't', .id = teams[t].id};
        snprintf(team_scopes[t].key, sizeof team_scopes[t].key, "t:%lld", (long long)teams[t].id);
    }
    unsigned char weighted[KPI_COUNT]; /* only the indicators the score weighs are read */
    for (int c = 0; c < KPI_COUNT; c++)
        weighted[c] = config.weights[c] > 0;
    if (n > 0 &&
        api_indicator_parts_many(r, &frame, team_scopes, n, &p, as_of, weighted, parts) < 0)
        n = -1;
    /* Workload and income from the per-team counters, the whole scope at once. */
    struct team_totals *totals = n > 0 ? calloc((size_t)n, sizeof *totals) : NULL;
    if (n > 0 && (!totals || store_team_totals(r->db, scope.kind, scope.prefix, scope.id, teams, n,
                                               p.first, as_of, p.last, totals) < 0))
        n = -1;
    for (int t = 0; t < n; t++) {
        rows[t].team = teams[t];
        rows[t].workload = totals[t].workload;
        rows[t].units = totals[t].units;
        money[t].income_fen = totals[t].income_fen;
        rows[t].n_lines = team_score_lines(&config, &parts[t], rows[t].lines, &money[t].score);
        /* A signed-off assessment round of the period scales the score, and so the team's
         * share of the bonus pool, by how much of its records the spot checks confirmed. */
        rows[t].raw_score = money[t].score;
        rows[t].has_verification = store_assessment_coefficient(
            r->db, teams[t].id, first, last, &rows[t].coefficient, &rows[t].round_id);
        if (rows[t].has_verification < 0) {
            n = -1;
            break;
        }
        if (rows[t].has_verification)
            money[t].score = assessment_apply(money[t].score, rows[t].coefficient);
    }
    int rc;
    if (n < 0) {
        log_error("team scores for %s %s failed: %s", scope_text, p.label, db_errmsg(r->db));
        json_decref(settings);
        rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    int64_t pool = team_income_distribute(&config, money, n, order), income = 0;
    json_t *items = json_array();
    for (int k = 0; k < n; k++) {
        json_array_append_new(items, team_json(&rows[order[k]], &money[order[k]], r->lang_en));
        income += money[order[k]].income_fen;
    }
    json_t *report =
        json_pack("{s:s, s:s, s:s, s:o, s:I, s:I, s:o}", "scope", scope_text, "period", p.label,
                  "as_of", as_of_text, "settings", settings, "income_fen", (json_int_t)income,
                  "bonus_pool_fen", (json_int_t)pool, "items", items);
    char filename[64];
    snprintf(filename, sizeof filename, "team-scores-%s-%c%s", p.label, scope.kind,
             scope.kind == 'r' ? scope.code : scope.key + 2);
    if (format && !strcmp(format, "csv"))
        rc = scores_csv(r, report, filename);
    else if (format && !strcmp(format, "xlsx"))
        rc = scores_xlsx(r, report, filename);
    else {
        rc = reply_json(r, 200, report);
        report = NULL;
    }
    json_decref(report);
done:
    free(totals);
    free(team_scopes);
    free(parts);
    free(rows);
    free(teams);
    free(money);
    free(order);
    return rc;
}
