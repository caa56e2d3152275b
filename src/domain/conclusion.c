/* conclusion.c - see conclusion.h. Works on UTF-8 bytes: a multi-byte separator is matched
 * whole at a lead byte, and a term (valid UTF-8) can only match at a character boundary. */
#include "domain/conclusion.h"

#include <string.h>

/* The built-in lists. Generic words ("异常", "正常", "abnormal", "normal") sit beside the
 * specific ones: the specific ones document what a site usually sees, the generic ones
 * catch the rest, and a longer normal term explains a generic abnormal one inside it
 * ("未见明显异常", "no abnormality"). */
/* clang-format off */
const char *const CONCLUSION_ECG_NORMAL[] = {
    "窦性心律", "正常心电图", "心电图正常", "大致正常", "正常范围", "正常",
    "未见异常", "未见明显异常", "无异常", "无明显异常",
    "窦性心律不齐", /* sinus arrhythmia: a benign variant; remove it to have it reviewed */
    "电轴不偏", "电轴正常",
    "sinus rhythm", "sinus arrhythmia", "normal ECG", "normal", "within normal limits",
    "no abnormal",
    NULL};

const char *const CONCLUSION_ECG_ABNORMAL[] = {
    "异常", "不正常",
    /* ST segment and T wave */
    "ST-T改变", "ST段改变", "ST段压低", "ST段抬高", "ST段下移", "T波改变", "T波倒置", "T波低平",
    /* beats and rhythm */
    "早搏", "房早", "室早", "期前收缩", "逸搏", "房颤", "心房颤动", "房扑", "心房扑动",
    "心动过速", "心动过缓", "心律不齐", "心律不整", "起搏心律",
    /* conduction */
    "传导阻滞", "房室阻滞", "束支阻滞", "分支阻滞", "窦房阻滞", "预激", "QT延长", "QT间期延长",
    /* chambers, axis, voltage, ischaemia */
    "左室高电压", "左心室高电压", "左室肥厚", "左心室肥厚", "右室肥厚", "右心室肥厚",
    "心房肥大", "心房扩大", "电轴左偏", "电轴右偏", "电轴偏移", "低电压", "异常Q波",
    "病理性Q波", "心肌缺血", "心肌梗死",
    /* English */
    "abnormal", "not normal", "ST-T change", "ST depression", "ST elevation",
    "T wave inversion", "T wave change", "premature", "extrasystole", "atrial fibrillation",
    "atrial flutter", "tachycardia", "bradycardia", "arrhythmia", "block", "pre-excitation",
    "WPW", "QT prolongation", "prolonged QT", "ventricular hypertrophy", "LVH", "high voltage",
    "axis deviation", "low voltage", "Q wave", "ischemia", "ischaemia", "infarction",
    NULL};

const char *const CONCLUSION_ULTRASOUND_NORMAL[] = {
    "肝胆胰脾未见异常", "肝胆胰脾未见明显异常", "未见异常", "未见明显异常", "无异常",
    "无明显异常", "未发现异常", "大致正常", "正常",
    "未见占位", "未见明显占位", "未见结石", "未见明显结石",
    "normal", "no abnormal", "unremarkable",
    NULL};

const char *const CONCLUSION_ULTRASOUND_ABNORMAL[] = {
    "异常", "不正常",
    "脂肪肝", "脂肪浸润", "肝硬化", "肝囊肿", "肾囊肿", "囊肿", "血管瘤",
    "胆囊结石", "胆结石", "肾结石", "结石", "胆囊息肉", "息肉", "胆囊炎",
    "甲状腺结节", "结节", "占位", "增大", "肿大", "脾大", "增生", "积水", "积液",
    "abnormal", "not normal", "fatty liver", "cirrhosis", "cyst", "hemangioma", "gallstone",
    "calculus", "stone", "polyp", "nodule", "mass", "enlarged", "hydronephrosis", "effusion",
    NULL};
/* clang-format on */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A printable ASCII character other than space: English words sit between these. */
static int is_ascii_word(char c)
{
    return c > ' ' && (unsigned char)c < 0x7F;
}

static int starts(const char *p, const char *bytes)
{
    return strncmp(p, bytes, strlen(bytes)) == 0;
}

/* Length of the whitespace character at p (space, tab, no-break space U+00A0, ideographic
 * space U+3000), or 0. */
static size_t space_at(const char *p)
{
    if (*p == ' ' || *p == '\t' || *p == '\v' || *p == '\f') return 1;
    if (starts(p, "\xC2\xA0")) return 2;
    if (starts(p, "\xE3\x80\x80")) return 3;
    return 0;
}

/* Length of the whitespace character ending at end (after begin), or 0. */
static size_t space_before(const char *begin, const char *end)
{
    if (end - begin >= 1 && space_at(end - 1) == 1) return 1;
    if (end - begin >= 2 && starts(end - 2, "\xC2\xA0")) return 2;
    if (end - begin >= 3 && starts(end - 3, "\xE3\x80\x80")) return 3;
    return 0;
}

/* Length of the separator at p, or 0: ，,；;。、 line breaks, and a '.' ending a sentence
 * (followed by a space, a line break or the end; "0.12" and "1.窦性心律" are not). */
static size_t separator_at(const char *p)
{
    if (*p == ',' || *p == ';' || *p == '\n' || *p == '\r') return 1;
    if (*p == '.' && (!p[1] || p[1] == '\n' || p[1] == '\r' || space_at(p + 1))) return 1;
    static const char *const WIDE[] = {"，", "；", "。", "、"};
    for (size_t i = 0; i < sizeof WIDE / sizeof WIDE[0]; i++)
        if (starts(p, WIDE[i])) return strlen(WIDE[i]);
    return 0;
}

/* Length of the number that opens a finding, or 0: "1." "1．" "1)" "1）" "(1)" "（1）"
 * "①".."⑳", or a bare number of one or two digits (what "1、" leaves once 、 has split).
 * "1度房室传导阻滞" and "0.1mV" keep their digits. */
static size_t numbering_at(const char *s, size_t n)
{
    if (n >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x91 &&
        (unsigned char)s[2] >= 0xA0 && (unsigned char)s[2] <= 0xB3)
        return 3;
    size_t i = 0;
    int paren = 0;
    if (n >= 1 && s[0] == '(')
        i = 1, paren = 1;
    else if (n >= 3 && starts(s, "（"))
        i = 3, paren = 1;
    size_t digits = 0;
    while (i < n && is_digit(s[i]) && digits < 3)
        i++, digits++;
    if (digits == 0 || digits > 2) return 0;
    if (i < n && s[i] == ')') return i + 1;
    if (i + 3 <= n && starts(s + i, "）")) return i + 3;
    if (paren) return 0;
    if (i == n) return n;
    if (s[i] == '.' && (i + 1 == n || !is_digit(s[i + 1]))) return i + 1;
    if (i + 3 <= n && starts(s + i, "．")) return i + 3;
    return 0;
}

/* Trims whitespace off both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
    size_t k;
    while (*n && (k = space_at(*s)) && k <= *n)
        *s += k, *n -= k;
    while (*n && (k = space_before(*s, *s + *n)))
        *n -= k;
}

/* The next finding at or after *cursor into *start and *len, moving *cursor past it;
 * 0 when there is none left. */
static int next_finding(const char **cursor, const char **start, size_t *len)
{
    const char *p = *cursor;
    while (*p) {
        const char *begin = p, *end = NULL;
        while (!end) {
            size_t k;
            if (!*p) {
                end = p;
            } else if ((k = separator_at(p))) {
                end = p, p += k;
            } else if ((k = space_at(p))) {
                const char *after = p + k;
                while ((k = space_at(after)))
                    after += k;
                /* Between two English words the space is part of the finding. */
                if (p > begin && is_ascii_word(p[-1]) && is_ascii_word(*after))
                    p = after;
                else
                    end = p, p = after;
            } else {
                p++;
            }
        }
        const char *s = begin;
        size_t n = (size_t)(end - begin);
        trim(&s, &n);
        size_t number = numbering_at(s, n);
        s += number, n -= number;
        trim(&s, &n);
        if (n) {
            *cursor = p, *start = s, *len = n;
            return 1;
        }
    }
    *cursor = p;
    return 0;
}

static char fold(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

static int match_at(const char *s, const char *term, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (fold(s[i]) != fold(term[i])) return 0;
    return 1;
}

/* Whether a normal term longer than the abnormal match [at, at + len) lies over it. */
static int explained(const char *s, size_t n, size_t at, size_t len,
                     const struct string_list *normal)
{
    for (size_t i = 0; i < normal->count; i++) {
        const char *term = normal->items[i];
        size_t tlen = strlen(term);
        if (tlen <= len || tlen > n) continue;
        size_t from = at + len > tlen ? at + len - tlen : 0, to = at < n - tlen ? at : n - tlen;
        for (size_t p = from; p <= to; p++)
            if (match_at(s + p, term, tlen)) return 1;
    }
    return 0;
}

static int contains(const char *s, size_t n, const char *term, size_t tlen)
{
    for (size_t p = 0; tlen && p + tlen <= n; p++)
        if (match_at(s + p, term, tlen)) return 1;
    return 0;
}

static enum conclusion_verdict finding_verdict(const char *s, size_t n,
                                               const struct conclusion_terms *terms)
{
    for (size_t i = 0; i < terms->abnormal.count; i++) {
        const char *term = terms->abnormal.items[i];
        size_t tlen = strlen(term);
        for (size_t p = 0; tlen && p + tlen <= n; p++)
            if (match_at(s + p, term, tlen) && !explained(s, n, p, tlen, &terms->normal))
                return CONCLUSION_ABNORMAL;
    }
    for (size_t i = 0; i < terms->normal.count; i++)
        if (contains(s, n, terms->normal.items[i], strlen(terms->normal.items[i])))
            return CONCLUSION_NORMAL;
    return CONCLUSION_UNKNOWN;
}

enum conclusion_verdict conclusion_read(const char *text, const struct conclusion_terms *terms,
                                        struct conclusion_reading *out)
{
    struct conclusion_reading local;
    struct conclusion_reading *r = out ? out : &local;
    r->verdict = CONCLUSION_NONE;
    r->count = 0;
    const char *cursor = text ? text : "", *s;
    size_t n;
    int abnormal = 0, unknown = 0;
    while (next_finding(&cursor, &s, &n)) {
        enum conclusion_verdict v = finding_verdict(s, n, terms);
        abnormal |= v == CONCLUSION_ABNORMAL;
        unknown |= v == CONCLUSION_UNKNOWN;
        if (r->count < CONCLUSION_MAX_FINDINGS)
            r->findings[r->count] = (struct conclusion_finding){s, n, v};
        r->count++;
    }
    if (r->count)
        r->verdict = abnormal  ? CONCLUSION_ABNORMAL
                     : unknown ? CONCLUSION_UNKNOWN
                               : CONCLUSION_NORMAL;
    return r->verdict;
}

size_t conclusion_join(const struct conclusion_reading *reading, enum conclusion_verdict which,
                       const char *sep, char *out, size_t size)
{
    size_t need = 0, used = 0,
           listed =
               reading->count < CONCLUSION_MAX_FINDINGS ? reading->count : CONCLUSION_MAX_FINDINGS;
    int cut = size == 0;
    if (size) out[0] = '\0';
    for (size_t i = 0; i < listed; i++) {
        const struct conclusion_finding *f = &reading->findings[i];
        if (f->verdict != which) continue;
        const char *parts[2] = {need ? sep : "", f->text};
        size_t lens[2] = {need ? strlen(sep) : 0, f->len};
        for (int k = 0; k < 2; k++) {
            need += lens[k];
            if (cut) continue;
            size_t take = lens[k] < size - 1 - used ? lens[k] : size - 1 - used;
            /* Never end inside a character: drop the continuation bytes of a cut one. */
            if (take < lens[k]) {
                cut = 1;
                while (take && ((unsigned char)parts[k][take] & 0xC0) == 0x80)
                    take--;
            }
            memcpy(out + used, parts[k], take);
            used += take;
            out[used] = '\0';
        }
    }
    return need;
}

int conclusion_term_valid(const char *term)
{
    const char *cursor = term, *s;
    size_t n;
    return next_finding(&cursor, &s, &n) && s == term && n == strlen(term);
}
