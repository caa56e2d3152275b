/* Unit tests: an exam centre's file checked whole before any row is handed out
 * (api/exam_file.c, issue 13) - malformed CSV and fields that are not text refused with
 * their row and column, the header's faults first, UTF-8 told from GB18030 without
 * re-reading a damaged UTF-8 file as other characters, and strict UTF-8 (util/utf8.c). */
#include "test.h"

#include <stdio.h>
#include <string.h>

#include "api/exam_file.h"
#include "util/utf8.h"

#define ID1 "511524195003043017"
#define ID2 "511524196007083037"

struct seen {
    int rows, rejected;
    char ecg[EXAM_CONCLUSION_MAX + 1];
};

static int take(void *ctx, const struct exam_row *row)
{
    struct seen *s = ctx;
    s->rows++;
    strcpy(s->ecg, row->ecg);
    return 0;
}

static void refuse(void *ctx, int row, const char *field, const char *code)
{
    (void)row, (void)field, (void)code;
    ((struct seen *)ctx)->rejected++;
}

/* Opens `len` bytes and expects a refusal: code, row, column, field ("" for none). */
static void refused(const char *data, size_t len, const char *code, int row, int column,
                    const char *field)
{
    struct jy_error err;
    struct exam_file *f = exam_file_open(data, len, &err);
    if (f) {
        exam_file_close(f);
        fail_msg("accepted, expected %s at %d:%d", code, row, column);
    }
    assert_int_equal(err.status, 422);
    assert_string_equal(err.code, code);
    assert_int_equal(err.row, row);
    assert_int_equal(err.column, column);
    assert_string_equal(err.field, field);
}

/* Opens and reads a good file: the rows handed to the sink. */
static struct seen read_all(const char *data, size_t len)
{
    struct jy_error err;
    struct exam_file *f = exam_file_open(data, len, &err);
    if (!f) fail_msg("refused: %s at %d:%d (%s)", err.code, err.row, err.column, err.detail);
    struct seen s = {0};
    struct exam_file_sink sink = {take, refuse, &s};
    long rows = exam_file_read(f, D("2026-06-01"), &sink, &err);
    assert_int_equal(rows, exam_file_rows(f));
    exam_file_close(f);
    return s;
}

#define TEXT(s) s, sizeof s - 1

static void a_broken_quote_anywhere_refuses_the_file_at_its_row_and_column(void **state)
{
    (void)state;
    refused(TEXT("id_number,exam_date,sbp,dbp,ecg\n" ID1 ",2026-01-02,120,80,ok\n" ID2
                 ",2026-01-02,120,80,\"unclosed\n" ID1 ",2026-01-03,120,80,ok\n"),
            "invalid_csv", 3, 5, "ecg");
    refused(TEXT("id_number,exam_date,sbp,dbp,ecg\n" ID1 ",2026-01-02,120,80,ok\n" ID2
                 ",2026-01-02,12\"0,80,ok\n"),
            "invalid_csv", 3, 3, "sbp");
    refused(TEXT("id_number,exam_date,sbp\n" ID1 ",2026-01-02,\"120\"x\n"), "invalid_csv", 2, 3,
            "sbp");
    /* An unknown column is named by its position only. */
    refused(TEXT("id_number,exam_date,sbp,dbp,note\n" ID1 ",2026-01-02,120,80,a\"b\n"),
            "invalid_csv", 2, 5, "");
    /* A quoted field may hold commas, quotes and line breaks: that is CSV, not a fault. */
    struct seen s = read_all(
        TEXT("id_number,exam_date,ecg\n" ID1 ",2026-01-02,\"窦性心律, \"\"ST\"\"\n改变\"\n"));
    assert_int_equal(s.rows, 1);
    assert_string_equal(s.ecg, "窦性心律, \"ST\"\n改变");
}

static void the_header_is_judged_before_the_rows(void **state)
{
    (void)state;
    /* No id_number column: named, whatever is wrong further down. */
    refused(TEXT("name,exam_date\nx,\"2026-01-02\n"), "missing_field", 0, 0, "id_number");
    refused(TEXT("id_number,sbp\n" ID1 ",\xFF\n"), "missing_field", 0, 0, "exam_date");
    /* A header that is itself broken is named at row 1. */
    refused(TEXT("id_number,exam\xC0\xAF_date\n" ID1 ",2026-01-02\n"), "invalid_encoding", 1, 2,
            "");
    refused(TEXT("id_number,\"exam_date\n"), "invalid_csv", 1, 2, "");
    refused("", 0, "empty_file", 0, 0, "");
}

static void a_field_that_is_not_text_is_named(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
    } BAD[] = {{"\xE7\xAA"}, {"\xC0\xAF"},         {"\xED\xA0\x80"}, {"\x80"},
               {"\xFF"},     {"\xF4\x90\x80\x80"}, {"caf\xE9"}};
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        char file[512];
        int n = snprintf(file, sizeof file,
                         "id_number,exam_date,sbp,dbp,ecg\n" ID1 ",2026-01-02,120,80,窦性心律\n" ID2
                         ",2026-01-02,120,80,窦性心律%s\n",
                         BAD[i].bytes);
        refused(file, (size_t)n, "invalid_encoding", 3, 5, "ecg");
    }
    /* A NUL would cut the text short: refused too. */
    static const char nul[] = "id_number,exam_date,ecg\n" ID1 ",2026-01-02,a\0b\n";
    refused(nul, sizeof nul - 1, "invalid_encoding", 2, 3, "ecg");
}

static void gb18030_is_read_as_such_and_its_unreadable_bytes_named(void **state)
{
    (void)state;
    /* 身份证号,体检日期,心电图 / 窦性心律 in GB18030 */
#define GB_HEADER                                                                                  \
    "\xC9\xED\xB7\xDD\xD6\xA4\xBA\xC5,\xCC\xE5\xBC\xEC\xC8\xD5\xC6\xDA,"                           \
    "\xD0\xC4\xB5\xE7\xCD\xBC\r\n"
#define GB_SINUS "\xF1\xBC\xD0\xD4\xD0\xC4\xC2\xC9"
    struct seen s = read_all(TEXT(GB_HEADER ID1 ",2026-01-02," GB_SINUS "\r\n"));
    assert_int_equal(s.rows, 1);
    assert_string_equal(s.ecg, "窦性心律");
    refused(
        TEXT(GB_HEADER ID1 ",2026-01-02," GB_SINUS "\r\n" ID2 ",2026-01-02,\x81 " GB_SINUS "\r\n"),
        "invalid_encoding", 3, 3, "ecg");
    /* A UTF-8 file with a UTF-8 BOM is UTF-8, however damaged. */
    refused(TEXT("\xEF\xBB\xBFid_number,exam_date,ecg\n" ID1 ",2026-01-02,\xC9\xED\xB7\xDD\xD6\xA4"
                 "\xBA\xC5\xCC\xE5\xBC\xEC\n"),
            "invalid_encoding", 2, 3, "ecg");
}

static void blank_lines_are_not_rows(void **state)
{
    (void)state;
    struct seen s = read_all(TEXT("id_number,exam_date,sbp,dbp\n\n" ID1
                                  ",2026-01-02,120,80\n  \n" ID2 ",2026-01-02,abc,80\n\n"));
    assert_int_equal(s.rows, 1);
    assert_int_equal(s.rejected, 1);
}

static void utf8_is_checked_strictly(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        size_t length; /* of the first sequence; 0: none */
    } CASES[] = {
        {"A", 1},
        {"\xC2\x80", 2},
        {"\xDF\xBF", 2},
        {"\xC1\xBF", 0},
        {"\xE0\xA0\x80", 3},
        {"\xE0\x9F\xBF", 0},
        {"\xED\x9F\xBF", 3},
        {"\xED\xA0\x80", 0},
        {"\xEF\xBF\xBF", 3},
        {"\xF0\x90\x80\x80", 4},
        {"\xF0\x8F\xBF\xBF", 0},
        {"\xF4\x8F\xBF\xBF", 4},
        {"\xF4\x90\x80\x80", 0},
        {"\xF5\x80\x80\x80", 0},
        {"\x80", 0},
        {"\xE7\xAA", 0},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        size_t n = strlen(CASES[i].bytes);
        size_t got = utf8_sequence((const unsigned char *)CASES[i].bytes, n);
        if (got != CASES[i].length)
            fail_msg("case %zu: %zu, expected %zu", i, got, CASES[i].length);
        assert_int_equal(utf8_valid(CASES[i].bytes, n), CASES[i].length == n);
    }
    assert_true(utf8_valid("", 0));
    assert_int_equal(utf8_sequence((const unsigned char *)"\xE7\xAA\xA6", 2), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_broken_quote_anywhere_refuses_the_file_at_its_row_and_column),
        cmocka_unit_test(the_header_is_judged_before_the_rows),
        cmocka_unit_test(a_field_that_is_not_text_is_named),
        cmocka_unit_test(gb18030_is_read_as_such_and_its_unreadable_bytes_named),
        cmocka_unit_test(blank_lines_are_not_rows),
        cmocka_unit_test(utf8_is_checked_strictly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
