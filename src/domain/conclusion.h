/* conclusion.h - reading a free-text exam conclusion ("窦性心律 ST-T改变 房性早搏" from an
 * ECG, "脂肪肝（轻度）" from an abdominal ultrasound) against two term lists, one of normal
 * and one of abnormal findings. Issue 12: reading any text that mentioned 窦性心律 as
 * normal hid the ST-T change and the premature beats written after it.
 *
 * The rule, in order:
 * 1. The text is split into findings at ，,；;。、 and line breaks, at a '.' that ends a
 *    sentence, and at whitespace next to a non-ASCII character (Chinese findings are often
 *    separated by spaces only; the spaces between English words are kept). Each finding is
 *    trimmed and loses a leading number ("1." "2、" "(3)" "④"); what is left empty is
 *    dropped.
 * 2. A finding is abnormal when it contains an abnormal term that is not inside a longer
 *    normal term found at the same place: "未见异常" explains the "异常" in it, and
 *    "窦性心律不齐" (sinus arrhythmia, listed as normal by default: a benign variant)
 *    explains the "心律不齐" in it. Otherwise it is normal when it contains a normal term,
 *    and unknown when it contains neither. Terms match as substrings, ignoring ASCII case.
 * 3. The conclusion is abnormal when any finding is; else unknown when any finding is;
 *    else normal. No findings at all (NULL, empty, only numbers) is nothing to judge.
 * So a conclusion is normal only when every finding in it is a known normal finding, and
 * text the lists do not know goes to a doctor instead of being read as normal.
 *
 * One limit follows from substring matching: a finding that holds a normal term and
 * unlisted words with no separator between them ("Sinus rhythm clockwise rotation") reads
 * as normal; Chinese reports put a space or a comma there.
 * Pure: no I/O, no allocation; a reading points into the caller's text. */
#ifndef JIAYI_DOMAIN_CONCLUSION_H
#define JIAYI_DOMAIN_CONCLUSION_H

#include <stddef.h>

#include "domain/protocol_lists.h"

enum conclusion_verdict {
    CONCLUSION_NONE,     /* no conclusion: nothing to judge */
    CONCLUSION_NORMAL,   /* every finding is a known normal one */
    CONCLUSION_ABNORMAL, /* at least one finding is a known abnormal one */
    CONCLUSION_UNKNOWN   /* nothing abnormal, but some finding is in neither list */
};

struct conclusion_terms {
    struct string_list normal, abnormal;
};

#define CONCLUSION_MAX_FINDINGS 16

struct conclusion_finding {
    const char *text; /* into the conclusion read; `len` bytes, not NUL-terminated */
    size_t len;
    enum conclusion_verdict verdict; /* NORMAL, ABNORMAL or UNKNOWN */
};

struct conclusion_reading {
    enum conclusion_verdict verdict;
    size_t count; /* findings in the text; the first CONCLUSION_MAX_FINDINGS are listed */
    struct conclusion_finding findings[CONCLUSION_MAX_FINDINGS];
};

/* The verdict on `text` (NULL or a NUL-terminated UTF-8 string) under `terms`; when `out`
 * is not NULL it receives the findings too, valid as long as `text` is. */
enum conclusion_verdict conclusion_read(const char *text, const struct conclusion_terms *terms,
                                        struct conclusion_reading *out);

/* Writes the listed findings whose verdict is `which`, joined by `sep`, into out (size
 * bytes, NUL-terminated when size > 0; cut short on a character boundary when it does not
 * fit). Returns the length of the whole join, as snprintf does: >= size means it was cut. */
size_t conclusion_join(const struct conclusion_reading *reading, enum conclusion_verdict which,
                       const char *sep, char *out, size_t size);

/* 1 when `term` can match a finding: it is, by itself, exactly one finding (no separator,
 * no leading number, no space next to a Chinese character, not only a number). The item
 * check of the conclusion term lists. */
int conclusion_term_valid(const char *term);

/* The built-in lists (NULL-terminated), the defaults of the keys ecg_normal, ecg_abnormal,
 * ultrasound_normal and ultrasound_abnormal (protocol_lists.c). */
extern const char *const CONCLUSION_ECG_NORMAL[];
extern const char *const CONCLUSION_ECG_ABNORMAL[];
extern const char *const CONCLUSION_ULTRASOUND_NORMAL[];
extern const char *const CONCLUSION_ULTRASOUND_ABNORMAL[];

#endif
