/* dialect.c - see dialect.h. A small scanner that knows where SQL text is code and where it
 * is a quoted string, a quoted name or a comment, so that rewriting never touches the
 * latter. */
#include "db/dialect.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/sbuf.h"

/* Length of the quoted string, quoted name or comment starting at s, 0 when s is code. */
static size_t skip_quoted(const char *s)
{
    if (s[0] == '\'' || s[0] == '"') {
        size_t i = 1;
        while (s[i]) {
            if (s[i] == s[0] && s[i + 1] == s[0])
                i += 2; /* '' inside a string */
            else if (s[i] == s[0])
                return i + 1;
            else
                i++;
        }
        return i;
    }
    if (s[0] == '-' && s[1] == '-') {
        size_t i = 2;
        while (s[i] && s[i] != '\n')
            i++;
        return i;
    }
    if (s[0] == '$' && (s[1] == '$' || isalpha((unsigned char)s[1]) || s[1] == '_')) {
        size_t tag = 1; /* a dollar-quoted body: $tag$ ... $tag$ */
        while (isalnum((unsigned char)s[tag]) || s[tag] == '_')
            tag++;
        if (s[tag] != '$') return 0;
        tag++;
        for (const char *end = strstr(s + tag, "$"); end; end = strstr(end + 1, "$"))
            if (strncmp(end, s, tag) == 0) return (size_t)(end - s) + tag;
        return strlen(s);
    }
    if (s[0] == '/' && s[1] == '*') {
        const char *end = strstr(s + 2, "*/");
        return end ? (size_t)(end - s) + 2 : strlen(s);
    }
    return 0;
}

static int word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* Whether the word `w` (case-insensitive) starts at s[i] and stands alone. */
static int word_at(const char *s, size_t i, const char *w)
{
    size_t n = strlen(w);
    return (i == 0 || !word_char(s[i - 1])) && strncasecmp(s + i, w, n) == 0 &&
           !word_char(s[i + n]);
}

/* Whether the words of `phrase` (single spaces) start at s[i], any white space between them;
 * the length matched, or 0. */
static size_t phrase_at(const char *s, size_t i, const char *phrase)
{
    size_t at = i;
    const char *p = phrase;
    while (*p) {
        size_t n = strcspn(p, " ");
        char word[32];
        if (n >= sizeof word) return 0;
        memcpy(word, p, n);
        word[n] = '\0';
        if (!word_at(s, at, word)) return 0;
        at += n;
        p += n;
        if (*p == ' ') {
            p++;
            if (!isspace((unsigned char)s[at])) return 0;
            while (isspace((unsigned char)s[at]))
                at++;
        }
    }
    return at - i;
}

/* ---- @sqlite / @postgresql blocks ---- */

static int marker(const char *line, size_t n, const char *name)
{
    while (n && isspace((unsigned char)*line))
        line++, n--;
    while (n && isspace((unsigned char)line[n - 1]))
        n--;
    size_t m = strlen(name);
    if (n < 3 || strncmp(line, "--", 2) != 0) return 0;
    line += 2, n -= 2;
    while (n && isspace((unsigned char)*line))
        line++, n--;
    return n == m && strncmp(line, name, m) == 0;
}

static int select_blocks(const char *sql, int postgresql, struct sbuf *out)
{
    enum { BOTH, SQLITE, POSTGRESQL } block = BOTH;
    for (const char *line = sql; *line;) {
        size_t n = strcspn(line, "\n");
        size_t next = n + (line[n] == '\n');
        if (marker(line, n, "@sqlite") || marker(line, n, "@postgresql")) {
            if (block != BOTH) return -1;
            block = marker(line, n, "@sqlite") ? SQLITE : POSTGRESQL;
        } else if (marker(line, n, "@end")) {
            if (block == BOTH) return -1;
            block = BOTH;
        } else if (block == BOTH || (block == POSTGRESQL) == (postgresql != 0)) {
            sbuf_append(out, line, next);
        }
        line += next;
    }
    return block == BOTH ? 0 : -1;
}

/* ---- triggers ---- */

/* The offset of the first code occurrence of `w` in s[from, to), or `to`. */
static size_t find_word(const char *s, size_t from, size_t to, const char *w)
{
    for (size_t i = from; i < to;) {
        size_t q = skip_quoted(s + i);
        if (q) {
            i += q;
            continue;
        }
        if (word_at(s, i, w)) return i;
        i++;
    }
    return to;
}

/* The offset of the END closing a trigger body that starts at `from` (CASE ... END inside
 * the body nest), or 0 when there is none. */
static size_t body_end(const char *s, size_t from)
{
    int cases = 0;
    for (size_t i = from; s[i];) {
        size_t q = skip_quoted(s + i);
        if (q) {
            i += q;
            continue;
        }
        if (word_at(s, i, "CASE"))
            cases++;
        else if (word_at(s, i, "END") && cases-- == 0)
            return i;
        i++;
    }
    return 0;
}

static void append_trimmed(struct sbuf *out, const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    sbuf_append(out, s, n);
}

/* One statement of a trigger body as PL/pgSQL: SELECT RAISE(ABORT, 'm') raises, any other
 * SELECT is performed for its effects. */
static void body_statement(struct sbuf *out, const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    if (!n) return;
    size_t select = phrase_at(s, 0, "SELECT");
    if (select && n > select) {
        const char *rest = s + select;
        while (isspace((unsigned char)*rest))
            rest++;
        if (strncasecmp(rest, "RAISE", 5) == 0) {
            const char *quote = memchr(rest, '\'', n - (size_t)(rest - s));
            size_t q = quote ? skip_quoted(quote) : 0;
            sbuf_puts(out, "    RAISE EXCEPTION ");
            sbuf_append(out, quote ? quote : "'error'", quote ? q : 7);
            sbuf_puts(out, ";\n");
            return;
        }
        sbuf_puts(out, "    PERFORM ");
        append_trimmed(out, s + select, n - select);
        sbuf_puts(out, ";\n");
        return;
    }
    sbuf_puts(out, "    ");
    append_trimmed(out, s, n);
    sbuf_puts(out, ";\n");
}

/* Translates the CREATE TRIGGER statement at s[0] into a function and its trigger; returns
 * the length consumed (through the final ';'), 0 when it does not parse. */
static size_t translate_trigger(const char *s, struct sbuf *out)
{
    size_t at = phrase_at(s, 0, "CREATE TRIGGER");
    size_t ine = phrase_at(s, at + strspn(s + at, " \t\r\n"), "IF NOT EXISTS");
    at += strspn(s + at, " \t\r\n");
    if (ine) at += ine + strspn(s + at + ine, " \t\r\n");
    size_t name_len = 0;
    while (word_char(s[at + name_len]))
        name_len++;
    if (!name_len || name_len > 50) return 0;
    char name[64];
    memcpy(name, s + at, name_len);
    name[name_len] = '\0';
    size_t header = at + name_len, end_of_all = strlen(s);
    size_t begin = find_word(s, header, end_of_all, "BEGIN");
    if (begin == end_of_all) return 0;
    size_t end = body_end(s, begin + 5);
    if (!end) return 0;
    size_t after = end + 3;
    while (isspace((unsigned char)s[after]))
        after++;
    if (s[after] == ';') after++;

    size_t when = find_word(s, header, begin, "WHEN");
    size_t event_end = find_word(s, header, when, "FOR");
    int before = find_word(s, header, event_end, "BEFORE") < event_end;
    int on_delete = find_word(s, header, event_end, "DELETE") < event_end;

    sbuf_printf(
        out,
        "CREATE OR REPLACE FUNCTION %s_fn() RETURNS trigger LANGUAGE plpgsql AS $jiayi$\nBEGIN\n",
        name);
    for (size_t i = begin + 5, start = i; i <= end;) {
        size_t q = i < end ? skip_quoted(s + i) : 0;
        if (q) {
            i += q;
            continue;
        }
        if (i == end || s[i] == ';') {
            body_statement(out, s + start, i - start);
            start = i + 1;
        }
        i++;
    }
    sbuf_printf(out, "    RETURN %s;\nEND $jiayi$;\nCREATE TRIGGER %s ",
                before ? (on_delete ? "OLD" : "NEW") : "NULL", name);
    append_trimmed(out, s + header, event_end - header);
    sbuf_puts(out, " FOR EACH ROW");
    if (when < begin) {
        sbuf_puts(out, " WHEN (");
        append_trimmed(out, s + when + 4, begin - when - 4);
        sbuf_puts(out, ")");
    }
    sbuf_printf(out, " EXECUTE FUNCTION %s_fn();", name);
    return after;
}

/* ---- types and defaults ---- */

struct rewrite {
    const char *from, *to;
};

static const struct rewrite SCHEMA_WORDS[] = {
    {"INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
    {"INTEGER", "BIGINT"},
    {"REAL", "DOUBLE PRECISION"},
    {"WITHOUT ROWID", ""},
    {"DEFAULT CURRENT_TIMESTAMP", "DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))"},
};

static void translate_schema(const char *s, struct sbuf *out)
{
    for (size_t i = 0; s[i];) {
        size_t q = skip_quoted(s + i);
        if (q) {
            sbuf_append(out, s + i, q);
            i += q;
            continue;
        }
        if (phrase_at(s, i, "CREATE TRIGGER")) {
            size_t used = translate_trigger(s + i, out);
            if (used) {
                i += used;
                continue;
            }
        }
        size_t matched = 0;
        for (size_t k = 0; k < sizeof SCHEMA_WORDS / sizeof SCHEMA_WORDS[0] && !matched; k++) {
            matched = phrase_at(s, i, SCHEMA_WORDS[k].from);
            if (matched) sbuf_puts(out, SCHEMA_WORDS[k].to);
        }
        if (matched) {
            i += matched;
            continue;
        }
        size_t n = 1;
        if (word_char(s[i])) /* a whole word at once: never match inside one */
            while (word_char(s[i + n]))
                n++;
        sbuf_append(out, s + i, n);
        i += n;
    }
}

static char *finish(struct sbuf *b)
{
    const char *text = sbuf_cstr(b);
    char *copy = sbuf_failed(b) ? NULL : strdup(text);
    sbuf_free(b);
    return copy;
}

char *dialect_migration(const char *sql, int postgresql)
{
    struct sbuf selected;
    sbuf_init(&selected);
    if (select_blocks(sql, postgresql, &selected) < 0) {
        sbuf_free(&selected);
        return NULL;
    }
    if (!postgresql) return finish(&selected);
    struct sbuf out;
    sbuf_init(&out);
    translate_schema(sbuf_cstr(&selected), &out);
    sbuf_free(&selected);
    return finish(&out);
}

/* The offset of the ')' closing the '(' at s[open], or 0. */
static size_t closing_paren(const char *s, size_t open, size_t n)
{
    int depth = 0;
    for (size_t i = open; i < n;) {
        size_t q = skip_quoted(s + i);
        if (q) {
            i += q;
            continue;
        }
        if (s[i] == '(')
            depth++;
        else if (s[i] == ')' && --depth == 0)
            return i;
        i++;
    }
    return 0;
}

/* If s[i] starts CAST(expr AS INTEGER) or CAST(expr AS REAL): the length of expr (from
 * s[i + 5]) and of the whole, else 0. */
static size_t numeric_cast(const char *s, size_t i, size_t n, size_t *expr, int *integer)
{
    if (!word_at(s, i, "CAST") || s[i + 4] != '(') return 0;
    size_t close = closing_paren(s, i + 4, n);
    if (!close) return 0;
    size_t end = close;
    while (end > i && isspace((unsigned char)s[end - 1]))
        end--;
    size_t word = end;
    while (word > i && word_char(s[word - 1]))
        word--;
    *integer = end - word == 7 && strncasecmp(s + word, "INTEGER", 7) == 0;
    if (!*integer && !(end - word == 4 && strncasecmp(s + word, "REAL", 4) == 0)) return 0;
    size_t as = word;
    while (as > i && isspace((unsigned char)s[as - 1]))
        as--;
    if (as < i + 7 || !word_at(s, as - 2, "AS")) return 0;
    size_t e = as - 2;
    while (e > i + 5 && isspace((unsigned char)s[e - 1]))
        e--;
    *expr = e - (i + 5);
    return close + 1 - i;
}

/* Runtime SQL for PostgreSQL: ?N to $N, CAST(x AS INTEGER) truncating as SQLite does
 * (PostgreSQL rounds; jiayi_int of migration 000), CAST(x AS REAL) in double precision,
 * CURRENT_TIMESTAMP as SQLite's text, CROSS JOIN ... ON as JOIN, and temp.t as jiayi_t(): the
 * data scope's temporary tables are session settings read by functions there (migration 032). */
static void translate_statement(const char *s, size_t n, struct sbuf *out, int *params)
{
    for (size_t i = 0; i < n;) {
        size_t q = skip_quoted(s + i);
        if (q) {
            if (q > n - i) q = n - i;
            sbuf_append(out, s + i, q);
            i += q;
            continue;
        }
        size_t expr;
        int integer;
        size_t whole = numeric_cast(s, i, n, &expr, &integer);
        if (whole) {
            sbuf_puts(out, integer ? "jiayi_int(" : "CAST(");
            translate_statement(s + i + 5, expr, out, params);
            sbuf_puts(out, integer ? ")" : " AS DOUBLE PRECISION)");
            i += whole;
            continue;
        }
        size_t cross = phrase_at(s, i, "CROSS JOIN");
        if (cross) { /* SQLite's way to fix the join order; PostgreSQL's planner chooses */
            sbuf_puts(out, "JOIN");
            i += cross;
            continue;
        }
        if (word_at(s, i, "temp") && s[i + 4] == '.') { /* a temporary table: its function (032) */
            size_t name = i + 5, end = name;
            while (end < n && word_char(s[end]))
                end++;
            sbuf_puts(out, "jiayi_");
            sbuf_append(out, s + name, end - name);
            sbuf_puts(out, "()");
            i = end;
            continue;
        }
        if (word_at(s, i, "CURRENT_TIMESTAMP")) { /* text, in SQLite's form */
            sbuf_puts(out, "strftime('%Y-%m-%d %H:%M:%S', 'now')");
            i += 17;
            continue;
        }
        if (s[i] == '?' && i + 1 < n && isdigit((unsigned char)s[i + 1])) {
            int k = 0;
            i++;
            while (i < n && isdigit((unsigned char)s[i]))
                k = k * 10 + (s[i++] - '0');
            if (k > *params) *params = k;
            sbuf_printf(out, "$%d", k);
            continue;
        }
        size_t len = 1;
        if (word_char(s[i]))
            while (i + len < n && word_char(s[i + len]))
                len++;
        sbuf_append(out, s + i, len);
        i += len;
    }
}

char *dialect_pg_statement(const char *sql, int *params)
{
    struct sbuf out;
    sbuf_init(&out);
    *params = 0;
    size_t lead = strspn(sql, " \t\r\n");
    size_t immediate = phrase_at(sql, lead, "BEGIN IMMEDIATE");
    if (immediate) {
        sbuf_puts(&out, "BEGIN; SELECT " DIALECT_WRITE_LOCK);
        sql += lead + immediate;
    }
    translate_statement(sql, strlen(sql), &out, params);
    return finish(&out);
}
