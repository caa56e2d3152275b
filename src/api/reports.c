/* reports.c (api) - the fee report a finance officer exports: JSON, CSV (UTF-8 with a BOM so
 * that Excel opens Chinese correctly) and XLSX (libxlsxwriter), per period and payer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "api/download.h"
#include "api/handlers.h"
#include "auth/scope.h"
#include "domain/period.h"
#include "store/reports.h"
#include "util/log.h"
#include "util/sbuf.h"

static const char *payer_label(const char *payer, int en)
{
    static const char *const NAMES[][3] = {
        {"resident", "居民个人", "Resident"},
        {"insurance", "医保基金", "Medical insurance"},
        {"city", "市级财政", "City finance"},
        {"district", "区级财政", "District finance"},
        {"county", "县级财政", "County finance"},
        {"public_funds", "公共卫生经费", "Public health funds"},
    };
    for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++)
        if (!strcmp(NAMES[i][0], payer)) return NAMES[i][en ? 2 : 1];
    return payer;
}

#define FIXED_COLUMNS 9
static const char *const HEADERS[2][FIXED_COLUMNS] = {
    {"合同编号", "起始日期", "状态", "签约渠道", "乡镇", "团队", "签约医生", "服务包",
     "签约费(元)"},
    {"Contract", "Start date", "Status", "Channel", "Township", "Team", "Doctor", "Packages",
     "Fee (yuan)"}};
static const char *const ROW_KEYS[FIXED_COLUMNS - 1] = {
    "start_date", "status", "channel", "township", "team", "doctor", "packages", NULL};

static void csv_money(struct sbuf *b, int64_t fen)
{
    sbuf_printf(b, "%lld.%02lld", (long long)(fen / 100), (long long)(fen % 100));
}

static int reply_csv(struct request *r, json_t *report, const char *filename)
{
    struct sbuf b;
    sbuf_init(&b);
    sbuf_puts(&b, "\xEF\xBB\xBF");
    json_t *payers = json_object_get(report, "payers"), *row, *payer;
    size_t i, k;
    for (int c = 0; c < FIXED_COLUMNS; c++) {
        if (c) sbuf_puts(&b, ",");
        api_csv_field(&b, HEADERS[r->lang_en][c]);
    }
    json_array_foreach(payers, k, payer) {
        sbuf_puts(&b, ",");
        api_csv_field(&b, payer_label(json_string_value(payer), r->lang_en));
    }
    sbuf_puts(&b, "\r\n");
    json_array_foreach(json_object_get(report, "rows"), i, row) {
        sbuf_printf(&b, "%lld", (long long)json_integer_value(json_object_get(row, "contract_id")));
        for (int c = 0; ROW_KEYS[c]; c++) {
            sbuf_puts(&b, ",");
            api_csv_field(&b, json_string_value(json_object_get(row, ROW_KEYS[c])));
        }
        sbuf_puts(&b, ",");
        csv_money(&b, json_integer_value(json_object_get(row, "fee_fen")));
        json_array_foreach(payers, k, payer) {
            sbuf_puts(&b, ",");
            csv_money(&b, json_integer_value(json_object_get(json_object_get(row, "shares"),
                                                             json_string_value(payer))));
        }
        sbuf_puts(&b, "\r\n");
    }
    api_csv_field(&b, r->lang_en ? "Total" : "合计");
    for (int c = 1; c < FIXED_COLUMNS - 1; c++)
        sbuf_puts(&b, ",");
    sbuf_puts(&b, ",");
    csv_money(&b, json_integer_value(json_object_get(report, "fee_fen")));
    json_array_foreach(payers, k, payer) {
        sbuf_puts(&b, ",");
        csv_money(&b, json_integer_value(json_object_get(json_object_get(report, "totals"),
                                                         json_string_value(payer))));
    }
    sbuf_puts(&b, "\r\n");
    if (sbuf_failed(&b)) {
        sbuf_free(&b);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    api_reply_attachment(r, "text/csv; charset=utf-8", filename, "csv", b.data, b.len);
    sbuf_free(&b);
    return 0;
}

/* libxlsxwriter 1.1.4 writes only to a file: a private temporary one, read back and removed. */
static int reply_xlsx(struct request *r, json_t *report, const char *filename)
{
    char path[] = "/tmp/jiayi-report-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return reply_problem(r, 500, "internal_error", NULL);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws =
        wb ? workbook_add_worksheet(wb, r->lang_en ? "Contracts" : "签约明细") : NULL;
    lxw_worksheet *sum =
        wb ? workbook_add_worksheet(wb, r->lang_en ? "By payer" : "分担汇总") : NULL;
    if (!ws || !sum) {
        if (wb) workbook_close(wb);
        unlink(path);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *money = workbook_add_format(wb);
    format_set_num_format(money, "#,##0.00");
    json_t *payers = json_object_get(report, "payers"), *row, *payer;
    size_t i, k;
    for (int c = 0; c < FIXED_COLUMNS; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, HEADERS[r->lang_en][c], bold);
    json_array_foreach(payers, k, payer)
        worksheet_write_string(ws, 0, (lxw_col_t)(FIXED_COLUMNS + k),
                               payer_label(json_string_value(payer), r->lang_en), bold);
    lxw_row_t line = 1;
    json_array_foreach(json_object_get(report, "rows"), i, row) {
        worksheet_write_number(
            ws, line, 0, (double)json_integer_value(json_object_get(row, "contract_id")), NULL);
        for (int c = 0; ROW_KEYS[c]; c++) {
            const char *v = json_string_value(json_object_get(row, ROW_KEYS[c]));
            worksheet_write_string(ws, line, (lxw_col_t)(c + 1), v ? v : "", NULL);
        }
        worksheet_write_number(ws, line, FIXED_COLUMNS - 1,
                               (double)json_integer_value(json_object_get(row, "fee_fen")) / 100.0,
                               money);
        json_array_foreach(payers, k, payer)
            worksheet_write_number(ws, line, (lxw_col_t)(FIXED_COLUMNS + k),
                                   (double)json_integer_value(json_object_get(
                                       json_object_get(row, "shares"), json_string_value(payer))) /
                                       100.0,
                                   money);
        line++;
    }
    worksheet_write_string(ws, line, 0, r->lang_en ? "Total" : "合计", bold);
    worksheet_write_number(ws, line, FIXED_COLUMNS - 1,
                           (double)json_integer_value(json_object_get(report, "fee_fen")) / 100.0,
                           money);
    worksheet_set_column(ws, 4, 7, 22, NULL);
    worksheet_write_string(sum, 0, 0, r->lang_en ? "Payer" : "付费方", bold);
    worksheet_write_string(sum, 0, 1, r->lang_en ? "Amount (yuan)" : "金额(元)", bold);
    json_array_foreach(payers, k, payer) {
        worksheet_write_string(sum, (lxw_row_t)(k + 1), 0,
                               payer_label(json_string_value(payer), r->lang_en), NULL);
        worksheet_write_number(sum, (lxw_row_t)(k + 1), 1,
                               (double)json_integer_value(json_object_get(
                                   json_object_get(report, "totals"), json_string_value(payer))) /
                                   100.0,
                               money);
    }
    worksheet_set_column(sum, 0, 1, 20, NULL);
    return api_reply_workbook(r, wb, path, filename);
}

int handle_fee_report(struct request *r)
{
    const char *period_text = request_query(r, "period"), *region = request_query(r, "region");
    const char *format = request_query(r, "format");
    struct period period;
    if (!period_text) return reply_problem(r, 422, "missing_field", "period");
    if (period_parse(period_text, &period) < 0)
        return reply_problem(r, 422, "invalid_field", "period");
    if (format && strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "xlsx"))
        return reply_problem(r, 422, "invalid_field", "format");
    if (region && scope_require_region(r, region, "region") < 0) return -1;
    char first[11], last[11], filename[48];
    date_format(period.first, first);
    date_format(period.last, last);
    json_t *report = store_fee_report(r->db, r->user.user_id, region, first, last);
    if (!report) return reply_problem(r, 500, "internal_error", NULL);
    snprintf(filename, sizeof filename, "fees-%s%s%.14s", period.label, region ? "-" : "",
             region ? region : "");
    int rc;
    if (format && !strcmp(format, "csv"))
        rc = reply_csv(r, report, filename);
    else if (format && !strcmp(format, "xlsx"))
        rc = reply_xlsx(r, report, filename);
    else {
        json_object_set_new(report, "period", json_string(period.label));
        json_object_set_new(report, "from", json_string(first));
        json_object_set_new(report, "to", json_string(last));
        return reply_json(r, 200, report);
    }
    json_decref(report);
    return rc;
}
