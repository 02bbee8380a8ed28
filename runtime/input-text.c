/*
 * input-text.c - QapiInput over JSON text: a pull parser.
 *
 * The text is parsed as the walk asks for values, straight from the
 * caller's buffer: nothing is built, keys and strings are decoded into a
 * reusable scratch buffer, integers are read exactly.  The grammar is
 * RFC 8259's, strictly: no comments, no trailing commas, no NaN or
 * Infinity, no leading zeros, no raw control characters in strings, only
 * valid UTF-8, no lone surrogates.  "\u0000" is refused too, since C
 * strings cannot hold it.  Nothing recurses: skipping and building jansson
 * values use explicit stacks, and nesting is limited to
 * QAPI_INPUT_MAX_DEPTH levels.
 *
 * A parse error is fatal: its message, "JSON parse error at byte N: ...",
 * is kept and every later call fails with it.
 */
#include "input-impl.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCRATCH_INLINE 256

typedef struct TextInput {
    QapiInput base;
    const char *text;
    const char *p; /* at the current value while base.pending */
    const char *end;
    const char *num_end; /* end of the integer classified last */
    char *scratch;       /* decoded strings, NUL-terminated */
    size_t scratch_cap;
    char scratch_inline[SCRATCH_INLINE];
} TextInput;

static inline TextInput *text_of(QapiInput *in)
{
    return (TextInput *)in;
}

/* --- lexical helpers ------------------------------------------------------ */

/* Bytes in strings: 0 plain ASCII, 1 '"', 2 '\\', 3 control, 4 non-ASCII. */
/* clang-format off */
static const unsigned char str_class[256] = {
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
};
/* clang-format on */

enum { CL_PLAIN, CL_QUOTE, CL_BACKSLASH, CL_CONTROL, CL_HIGH };

static inline bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static inline const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) {
        p++;
    }
    return p;
}

/* Value of four hex digits at @p, or -1. */
static long hex4(const char *p)
{
    long v = 0;
    int i;

    for (i = 0; i < 4; i++) {
        char c = p[i];

        v <<= 4;
        if (c >= '0' && c <= '9') {
            v |= c - '0';
        } else if (c >= 'a' && c <= 'f') {
            v |= c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            v |= c - 'A' + 10;
        } else {
            return -1;
        }
    }
    return v;
}

/* Length of the valid UTF-8 sequence starting with a byte >= 0x80 at @p,
 * or 0 if it is invalid or cut short by @end. */
static size_t utf8_len(const char *s, const char *e)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t avail = (size_t)(e - s);
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    unsigned c = p[0];

    if (c < 0xC2) {
        return 0; /* continuation byte or overlong lead */
    }
    if (c < 0xE0) {
        return avail >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
    }
    if (c < 0xF0) {
        if (c == 0xE0) {
            lo = 0xA0; /* overlong */
        } else if (c == 0xED) {
            hi = 0x9F; /* surrogates */
        }
        if (avail < 3 || p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80) {
            return 0;
        }
        return 3;
    }
    if (c < 0xF5) {
        if (c == 0xF0) {
            lo = 0x90; /* overlong */
        } else if (c == 0xF4) {
            hi = 0x8F; /* above U+10FFFF */
        }
        if (avail < 4 || p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80 ||
            (p[3] & 0xC0) != 0x80) {
            return 0;
        }
        return 4;
    }
    return 0;
}

/* UTF-8 encoding of code point @cp (valid, not a surrogate) into @out. */
static size_t utf8_put(unsigned long cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* --- errors --------------------------------------------------------------- */

static void parse_error(TextInput *t, const char *at, QapiError **errp,
                        const char *what)
{
    qapi_input_fatal(&t->base, errp, "JSON parse error at byte %zu: %s",
                     (size_t)(at - t->text), what);
}

/* Parse error for the unexpected byte at @at (or the end of the text). */
static void syntax_error(TextInput *t, const char *at, QapiError **errp,
                         const char *expected)
{
    unsigned char c;
    size_t off = (size_t)(at - t->text);

    if (at >= t->end) {
        qapi_input_fatal(&t->base, errp,
                         "JSON parse error at byte %zu: unexpected end of "
                         "input, expected %s",
                         off, expected);
        return;
    }
    c = (unsigned char)*at;
    if (c > 0x20 && c < 0x7F) {
        qapi_input_fatal(&t->base, errp,
                         "JSON parse error at byte %zu: unexpected '%c', "
                         "expected %s",
                         off, c, expected);
    } else {
        qapi_input_fatal(&t->base, errp,
                         "JSON parse error at byte %zu: unexpected byte "
                         "0x%02x, expected %s",
                         off, c, expected);
    }
}

static void depth_error(TextInput *t, const char *at, QapiError **errp)
{
    qapi_input_fatal(&t->base, errp,
                     "JSON parse error at byte %zu: nesting deeper than %d "
                     "levels",
                     (size_t)(at - t->text), QAPI_INPUT_MAX_DEPTH);
}

/* --- scratch buffer ------------------------------------------------------- */

static bool scratch_reserve(TextInput *t, size_t need, QapiError **errp)
{
    size_t cap = t->scratch_cap;
    char *buf;

    if (need <= cap) {
        return true;
    }
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    if (t->scratch == t->scratch_inline) {
        buf = malloc(cap);
    } else {
        buf = realloc(t->scratch, cap);
    }
    if (!buf) {
        qapi_input_fatal(&t->base, errp, "out of memory");
        return false;
    }
    if (t->scratch == t->scratch_inline) {
        memcpy(buf, t->scratch, t->scratch_cap);
    }
    t->scratch = buf;
    t->scratch_cap = cap;
    return true;
}

/* --- strings -------------------------------------------------------------- */

/*
 * Scan the string whose opening quote is at @p.  If @decode, decode it
 * into t->scratch (NUL-terminated) and set *len.  *escaped tells whether it
 * contains escapes.  Returns the position after the closing quote, or
 * NULL with a parse error set.
 */
static const char *scan_string(TextInput *t, const char *p, bool decode,
                               size_t *len, bool *escaped, QapiError **errp)
{
    const char *end = t->end;
    const char *s = ++p;
    size_t out;

    /* Fast path: plain ASCII up to the closing quote. */
    while (p < end && str_class[(unsigned char)*p] == CL_PLAIN) {
        p++;
    }
    if (p < end && *p == '"') {
        if (decode) {
            out = (size_t)(p - s);
            if (!scratch_reserve(t, out + 1, errp)) {
                return NULL;
            }
            memcpy(t->scratch, s, out);
            t->scratch[out] = '\0';
            *len = out;
        }
        *escaped = false;
        return p + 1;
    }

    *escaped = false;
    out = (size_t)(p - s);
    if (decode) {
        /* Room for the plain prefix plus the longest single step. */
        if (!scratch_reserve(t, out + 16, errp)) {
            return NULL;
        }
        memcpy(t->scratch, s, out);
    }
    for (;;) {
        const char *q;
        size_t n;
        char buf[4];
        const char *src;

        if (p >= end) {
            parse_error(t, p, errp, "unterminated string");
            return NULL;
        }
        switch (str_class[(unsigned char)*p]) {
        case CL_PLAIN:
            q = p + 1;
            while (q < end && str_class[(unsigned char)*q] == CL_PLAIN) {
                q++;
            }
            src = p;
            n = (size_t)(q - p);
            p = q;
            break;
        case CL_QUOTE:
            if (decode) {
                t->scratch[out] = '\0';
                *len = out;
            }
            return p + 1;
        case CL_BACKSLASH:
            *escaped = true;
            if (end - p < 2) {
                parse_error(t, p, errp, "unterminated string");
                return NULL;
            }
            src = buf;
            n = 1;
            switch (p[1]) {
            case '"':
            case '\\':
            case '/':
                buf[0] = p[1];
                break;
            case 'b':
                buf[0] = '\b';
                break;
            case 'f':
                buf[0] = '\f';
                break;
            case 'n':
                buf[0] = '\n';
                break;
            case 'r':
                buf[0] = '\r';
                break;
            case 't':
                buf[0] = '\t';
                break;
            case 'u': {
                long cp = end - p >= 6 ? hex4(p + 2) : -1;

                if (cp < 0) {
                    parse_error(t, p, errp, "invalid \\u escape");
                    return NULL;
                }
                if (cp == 0) {
                    parse_error(t, p, errp,
                                "\\u0000 is not supported in strings");
                    return NULL;
                }
                if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    parse_error(t, p, errp, "lone low surrogate");
                    return NULL;
                }
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    long lo = -1;

                    if (end - p >= 12 && p[6] == '\\' && p[7] == 'u') {
                        lo = hex4(p + 8);
                    }
                    if (lo < 0xDC00 || lo > 0xDFFF) {
                        parse_error(t, p, errp, "lone high surrogate");
                        return NULL;
                    }
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p += 6;
                }
                n = utf8_put((unsigned long)cp, buf);
                p += 4; /* plus the 2 below */
                break;
            }
            default:
                parse_error(t, p, errp, "invalid escape");
                return NULL;
            }
            p += 2;
            break;
        case CL_CONTROL:
            parse_error(t, p, errp, "control character in string");
            return NULL;
        default: /* CL_HIGH */
            n = utf8_len(p, end);
            if (!n) {
                parse_error(t, p, errp, "invalid UTF-8");
                return NULL;
            }
            src = p;
            p += n;
            break;
        }
        if (decode) {
            if (!scratch_reserve(t, out + n + 16, errp)) {
                return NULL;
            }
            memcpy(t->scratch + out, src, n);
        }
        out += n;
    }
}

size_t qapi_json_unescape(const char *raw, size_t len, char *out)
{
    const char *p = raw;
    const char *end = raw + len;
    size_t n = 0;

    while (p < end) {
        long cp;

        if (*p != '\\') {
            out[n++] = *p++;
            continue;
        }
        switch (p[1]) {
        case 'b':
            out[n++] = '\b';
            break;
        case 'f':
            out[n++] = '\f';
            break;
        case 'n':
            out[n++] = '\n';
            break;
        case 'r':
            out[n++] = '\r';
            break;
        case 't':
            out[n++] = '\t';
            break;
        case 'u':
            cp = hex4(p + 2);
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4(p + 8) - 0xDC00);
                p += 6;
            }
            n += utf8_put((unsigned long)cp, out + n);
            p += 4;
            break;
        default: /* '"', '\\', '/' */
            out[n++] = p[1];
            break;
        }
        p += 2;
    }
    return n;
}

/* --- numbers and literals ------------------------------------------------- */

typedef struct NumTok {
    const char *start;
    const char *end;
    bool neg;
    bool is_int;   /* no fraction, no exponent */
    bool overflow; /* integer magnitude above UINT64_MAX */
    uint64_t mag;  /* integer magnitude */
} NumTok;

/* Scan the number at @p (which starts with '-' or a digit). */
static bool scan_number(TextInput *t, const char *p, NumTok *tok,
                        QapiError **errp)
{
    const char *end = t->end;
    uint64_t mag = 0;

    tok->start = p;
    tok->neg = false;
    tok->is_int = true;
    tok->overflow = false;
    if (*p == '-') {
        tok->neg = true;
        p++;
    }
    if (p >= end || !is_digit(*p)) {
        syntax_error(t, p, errp, "a digit");
        return false;
    }
    if (*p == '0') {
        p++;
        if (p < end && is_digit(*p)) {
            parse_error(t, p - 1, errp, "leading zeros are not allowed");
            return false;
        }
    } else {
        do {
            unsigned d = (unsigned)(*p - '0');

            if (mag > (UINT64_MAX - d) / 10) {
                tok->overflow = true;
            }
            mag = mag * 10 + d;
            p++;
        } while (p < end && is_digit(*p));
    }
    tok->mag = mag;
    if (p < end && *p == '.') {
        tok->is_int = false;
        p++;
        if (p >= end || !is_digit(*p)) {
            syntax_error(t, p, errp, "a digit after '.'");
            return false;
        }
        while (p < end && is_digit(*p)) {
            p++;
        }
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        tok->is_int = false;
        p++;
        if (p < end && (*p == '+' || *p == '-')) {
            p++;
        }
        if (p >= end || !is_digit(*p)) {
            syntax_error(t, p, errp, "a digit in the exponent");
            return false;
        }
        while (p < end && is_digit(*p)) {
            p++;
        }
    }
    tok->end = p;
    return true;
}

/* Exact powers of ten for the fast path of number_value(). */
static const double pow10_exact[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/*
 * The double nearest to the number @tok.  Small decimals are computed
 * exactly (both operands exact, one correctly rounded operation); the rest
 * goes through strtod(), in the C locale's notation.
 */
static double number_value(TextInput *t, const NumTok *tok, QapiError **errp,
                           bool *ok)
{
    const char *p = tok->start;
    const char *end = tok->end;
    size_t len = (size_t)(end - p);
    char small[64];
    char *buf = small;
    const char *dp;
    size_t dplen;
    size_t i;
    size_t n;
    double v;

    *ok = true;
    if (tok->is_int && !tok->overflow && tok->mag <= (UINT64_C(1) << 53)) {
        v = (double)tok->mag;
        return tok->neg ? -v : v;
    }
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
    {
        const char *q = p + tok->neg;
        uint64_t m = 0;
        int sig = 0;
        long exp10 = 0;
        long e = 0;
        bool frac = false;
        bool fast = true;

        for (; q < end && fast; q++) {
            if (*q == '.') {
                frac = true;
            } else if (!is_digit(*q)) {
                break;
            } else if (sig == 19) {
                fast = false; /* more digits than a uint64 holds */
            } else {
                if (m || *q != '0') {
                    sig++;
                }
                m = m * 10 + (unsigned)(*q - '0');
                exp10 -= frac;
            }
        }
        if (fast && q < end) {
            bool eneg = false;

            q++; /* 'e' or 'E' */
            if (*q == '+' || *q == '-') {
                eneg = *q == '-';
                q++;
            }
            for (; q < end; q++) {
                if (e < 100000) {
                    e = e * 10 + (*q - '0');
                }
            }
            exp10 += eneg ? -e : e;
        }
        if (fast && m <= (UINT64_C(1) << 53) && exp10 >= -22 && exp10 <= 22) {
            v = (double)m;
            v = exp10 < 0 ? v / pow10_exact[-exp10] : v * pow10_exact[exp10];
            return tok->neg ? -v : v;
        }
    }
#endif
    dp = localeconv()->decimal_point;
    dplen = strlen(dp);
    if (!dplen) {
        dp = ".";
        dplen = 1;
    }
    if (len + dplen + 1 > sizeof(small)) {
        if (!scratch_reserve(t, len + dplen + 1, errp)) {
            *ok = false;
            return 0;
        }
        buf = t->scratch;
    }
    for (i = n = 0; i < len; i++) {
        if (p[i] == '.') {
            memcpy(buf + n, dp, dplen);
            n += dplen;
        } else {
            buf[n++] = p[i];
        }
    }
    buf[n] = '\0';
    return strtod(buf, NULL);
}

/* Scan "true", "false" or "null" at @p (which starts with t, f or n). */
static const char *scan_literal(TextInput *t, const char *p, QapiError **errp)
{
    const char *lit = *p == 't' ? "true" : *p == 'f' ? "false" : "null";
    size_t n = strlen(lit);

    if ((size_t)(t->end - p) < n || memcmp(p, lit, n) != 0) {
        parse_error(t, p, errp, "invalid literal");
        return NULL;
    }
    return p + n;
}

/* --- skipping ------------------------------------------------------------- */

/*
 * Skip the value at t->p, checking its syntax.  Iterative: @closers holds
 * the closing byte of each container being skipped.
 */
static bool skip_value(TextInput *t, QapiError **errp)
{
    char closers[QAPI_INPUT_MAX_DEPTH];
    size_t n = 0;
    size_t room = t->base.depth < QAPI_INPUT_MAX_DEPTH
                      ? QAPI_INPUT_MAX_DEPTH - t->base.depth
                      : 0;
    const char *p = t->p;
    const char *end = t->end;
    size_t len;
    bool escaped;
    NumTok tok;

value:
    p = skip_ws(p, end);
    if (p >= end) {
        syntax_error(t, p, errp, "a value");
        return false;
    }
    switch (*p) {
    case '{':
    case '[':
        if (n >= room) {
            depth_error(t, p, errp);
            return false;
        }
        closers[n] = *p == '{' ? '}' : ']';
        p = skip_ws(p + 1, end);
        if (p < end && *p == closers[n]) {
            p++;
            break; /* empty */
        }
        if (closers[n++] == ']') {
            goto value;
        }
        goto key;
    case '"':
        p = scan_string(t, p, false, &len, &escaped, errp);
        if (!p) {
            return false;
        }
        break;
    case 't':
    case 'f':
    case 'n':
        p = scan_literal(t, p, errp);
        if (!p) {
            return false;
        }
        break;
    default:
        if (*p != '-' && !is_digit(*p)) {
            syntax_error(t, p, errp, "a value");
            return false;
        }
        if (!scan_number(t, p, &tok, errp)) {
            return false;
        }
        p = tok.end;
        break;
    }

    /* A value ended: continue or close the containers around it. */
    while (n) {
        p = skip_ws(p, end);
        if (p < end && *p == ',') {
            p = skip_ws(p + 1, end);
            if (closers[n - 1] == ']') {
                goto value;
            }
            goto key;
        }
        if (p >= end || *p != closers[n - 1]) {
            syntax_error(t, p, errp,
                         closers[n - 1] == '}' ? "',' or '}'" : "',' or ']'");
            return false;
        }
        p++;
        n--;
    }
    t->p = p;
    return true;

key:
    if (p >= end || *p != '"') {
        syntax_error(t, p, errp, "a string");
        return false;
    }
    p = scan_string(t, p, false, &len, &escaped, errp);
    if (!p) {
        return false;
    }
    p = skip_ws(p, end);
    if (p >= end || *p != ':') {
        syntax_error(t, p, errp, "':'");
        return false;
    }
    p++;
    goto value;
}

/* Type error for the current value, unless it is malformed: then the parse
 * error is reported instead. */
static void type_error(TextInput *t, const char *expected, QapiError **errp)
{
    const char *save = t->p;

    if (!skip_value(t, errp)) {
        return;
    }
    t->p = save;
    qapi_input_error_type(&t->base, expected, errp);
}

/* --- jansson values ------------------------------------------------------- */

typedef struct AnyLevel {
    json_t *c;    /* the container being filled */
    char *key;    /* objects: name of the member being parsed */
    size_t count; /* members / elements added */
} AnyLevel;

/* "Parameter 'PATH' WHAT" for the value being built at @lv[n - 1]. */
static void any_error(TextInput *t, const AnyLevel *lv, size_t n,
                      const char *what, QapiError **errp)
{
    QapiStrBuf sb = {0};
    size_t i;

    if (!errp || *errp) {
        return;
    }
    qapi_input_path(&t->base, true, &sb);
    for (i = 0; i < n; i++) {
        if (json_is_object(lv[i].c)) {
            qapi_sb_append_key(&sb, lv[i].key, strlen(lv[i].key), false);
        } else {
            qapi_sb_append_index(&sb, lv[i].count);
        }
    }
    qapi_error_setg(errp, "Parameter '%s' %s", qapi_sb_path(&sb), what);
    qapi_sb_free(&sb);
}

/* Build the value at t->p as a jansson value, iteratively. */
static bool build_value(TextInput *t, json_t **result, QapiError **errp)
{
    AnyLevel inline_levels[8];
    AnyLevel *lv = inline_levels;
    size_t n = 0;
    size_t cap = 8;
    size_t room = t->base.depth < QAPI_INPUT_MAX_DEPTH
                      ? QAPI_INPUT_MAX_DEPTH - t->base.depth
                      : 0;
    const char *p = t->p;
    const char *end = t->end;
    const char *q;
    size_t len;
    bool escaped;
    bool ok;
    NumTok tok;
    json_t *v;
    double d;

value:
    p = skip_ws(p, end);
    if (p >= end) {
        syntax_error(t, p, errp, "a value");
        goto fail;
    }
    switch (*p) {
    case '{':
    case '[': {
        char closer = *p == '{' ? '}' : ']';

        if (n >= room) {
            depth_error(t, p, errp);
            goto fail;
        }
        v = closer == '}' ? json_object() : json_array();
        if (!v) {
            goto nomem;
        }
        p = skip_ws(p + 1, end);
        if (p < end && *p == closer) {
            p++;
            goto have_value; /* empty */
        }
        if (n == cap) {
            AnyLevel *bigger;

            if (lv == inline_levels) {
                bigger = malloc(2 * cap * sizeof(*lv));
                if (bigger) {
                    memcpy(bigger, lv, n * sizeof(*lv));
                }
            } else {
                bigger = realloc(lv, 2 * cap * sizeof(*lv));
            }
            if (!bigger) {
                json_decref(v);
                goto nomem;
            }
            lv = bigger;
            cap *= 2;
        }
        lv[n].c = v;
        lv[n].key = NULL;
        lv[n].count = 0;
        n++;
        if (closer == ']') {
            goto value;
        }
        goto key;
    }
    case '"':
        q = scan_string(t, p, true, &len, &escaped, errp);
        if (!q) {
            goto fail;
        }
        v = json_stringn_nocheck(t->scratch, len);
        p = q;
        break;
    case 't':
    case 'f':
    case 'n':
        q = scan_literal(t, p, errp);
        if (!q) {
            goto fail;
        }
        v = *p == 't' ? json_true() : *p == 'f' ? json_false() : json_null();
        p = q;
        break;
    default:
        if (*p != '-' && !is_digit(*p)) {
            syntax_error(t, p, errp, "a value");
            goto fail;
        }
        if (!scan_number(t, p, &tok, errp)) {
            goto fail;
        }
        if (tok.is_int) {
            if (tok.overflow || tok.mag > (uint64_t)INT64_MAX + tok.neg) {
                any_error(t, lv, n, "is out of int64 range", errp);
                goto fail;
            }
            if (!tok.neg) {
                v = json_integer((json_int_t)tok.mag);
            } else if (tok.mag) {
                v = json_integer(-(json_int_t)(tok.mag - 1) - 1);
            } else {
                v = json_integer(0); /* -0 */
            }
        } else {
            d = number_value(t, &tok, errp, &ok);
            if (!ok) {
                goto fail;
            }
            if (isinf(d)) {
                any_error(t, lv, n, "expects number", errp);
                goto fail;
            }
            v = json_real(d);
        }
        p = tok.end;
        break;
    }
    if (!v) {
        goto nomem;
    }

have_value:
    /* @v is complete: add it to the innermost container, close those that
     * end here. */
    for (;;) {
        AnyLevel *l;
        char closer;

        if (!n) {
            *result = v;
            t->p = p;
            if (lv != inline_levels) {
                free(lv);
            }
            return true;
        }
        l = &lv[n - 1];
        if (json_is_object(l->c)) {
            closer = '}';
            if (json_object_set_new_nocheck(l->c, l->key, v) < 0) {
                goto nomem;
            }
            free(l->key);
            l->key = NULL;
        } else {
            closer = ']';
            if (json_array_append_new(l->c, v) < 0) {
                goto nomem;
            }
        }
        l->count++;
        p = skip_ws(p, end);
        if (p < end && *p == ',') {
            p = skip_ws(p + 1, end);
            if (closer == ']') {
                goto value;
            }
            goto key;
        }
        if (p >= end || *p != closer) {
            syntax_error(t, p, errp,
                         closer == '}' ? "',' or '}'" : "',' or ']'");
            goto fail;
        }
        p++;
        v = l->c;
        n--;
    }

key:
    if (p >= end || *p != '"') {
        syntax_error(t, p, errp, "a string");
        goto fail;
    }
    q = scan_string(t, p, true, &len, &escaped, errp);
    if (!q) {
        goto fail;
    }
    lv[n - 1].key = malloc(len + 1);
    if (!lv[n - 1].key) {
        goto nomem;
    }
    memcpy(lv[n - 1].key, t->scratch, len + 1);
    if (json_object_get(lv[n - 1].c, lv[n - 1].key)) {
        any_error(t, lv, n, "is duplicated", errp);
        goto fail;
    }
    p = skip_ws(q, end);
    if (p >= end || *p != ':') {
        syntax_error(t, p, errp, "':'");
        goto fail;
    }
    p++;
    goto value;

nomem:
    qapi_error_setg(errp, "out of memory");
fail:
    while (n) {
        n--;
        json_decref(lv[n].c);
        free(lv[n].key);
    }
    if (lv != inline_levels) {
        free(lv);
    }
    return false;
}

/* --- operations ----------------------------------------------------------- */

static QapiJsonType text_peek(QapiInput *in)
{
    TextInput *t = text_of(in);

    if (t->p >= t->end) {
        return QAPI_JSON_INVALID;
    }
    switch (*t->p) {
    case '{':
        return QAPI_JSON_OBJECT;
    case '[':
        return QAPI_JSON_ARRAY;
    case '"':
        return QAPI_JSON_STRING;
    case 't':
    case 'f':
        return QAPI_JSON_BOOLEAN;
    case 'n':
        return QAPI_JSON_NULL;
    default:
        return *t->p == '-' || is_digit(*t->p) ? QAPI_JSON_NUMBER
                                               : QAPI_JSON_INVALID;
    }
}

static bool text_start(QapiInput *in, QapiJsonType kind, QapiError **errp)
{
    TextInput *t = text_of(in);
    const char *p = t->p;
    QapiInputFrame *f;

    if (p >= t->end || *p != (kind == QAPI_JSON_OBJECT ? '{' : '[')) {
        type_error(t, kind == QAPI_JSON_OBJECT ? "object" : "array", errp);
        return false;
    }
    if (in->depth >= QAPI_INPUT_MAX_DEPTH) {
        depth_error(t, p, errp);
        return false;
    }
    f = qapi_input_push(in, kind, errp);
    if (!f) {
        return false;
    }
    f->start = (size_t)(p + 1 - t->text);
    t->p = p + 1;
    return true;
}

static int text_next_member(QapiInput *in, QapiInputFrame *f, const char **key,
                            QapiError **errp)
{
    TextInput *t = text_of(in);
    const char *end = t->end;
    const char *p = skip_ws(t->p, end);
    const char *q;
    size_t len;
    bool escaped;

    if (p < end && *p == '}') {
        t->p = p + 1;
        return 0;
    }
    if (f->count) {
        if (p >= end || *p != ',') {
            syntax_error(t, p, errp, "',' or '}'");
            return -1;
        }
        p = skip_ws(p + 1, end);
    }
    if (p >= end || *p != '"') {
        syntax_error(t, p, errp, "a string");
        return -1;
    }
    q = scan_string(t, p, true, &len, &escaped, errp);
    if (!q) {
        return -1;
    }
    f->key = p + 1;
    f->key_len = (size_t)(q - 1 - (p + 1));
    f->key_escaped = escaped;
    p = skip_ws(q, end);
    if (p >= end || *p != ':') {
        syntax_error(t, p, errp, "':'");
        return -1;
    }
    t->p = skip_ws(p + 1, end);
    *key = t->scratch;
    return 1;
}

static int text_next_element(QapiInput *in, QapiInputFrame *f, QapiError **errp)
{
    TextInput *t = text_of(in);
    const char *end = t->end;
    const char *p = skip_ws(t->p, end);

    if (p < end && *p == ']') {
        t->p = p + 1;
        return 0;
    }
    if (f->count) {
        if (p >= end || *p != ',') {
            syntax_error(t, p, errp, "',' or ']'");
            return -1;
        }
        p = skip_ws(p + 1, end);
        if (p < end && *p == ']') {
            syntax_error(t, p, errp, "a value");
            return -1;
        }
    }
    t->p = p;
    return 1;
}

static void text_end(QapiInput *in, QapiInputFrame *f)
{
    TextInput *t = text_of(in);
    const char *key;
    int r;

    /* Skip what the walk left unread. */
    while (!f->done) {
        if (f->kind == QAPI_JSON_OBJECT) {
            r = text_next_member(in, f, &key, NULL);
        } else {
            r = text_next_element(in, f, NULL);
        }
        if (r <= 0) {
            f->done = true;
            break;
        }
        f->count++;
        if (!skip_value(t, NULL)) {
            break;
        }
    }
}

static int text_find_string(QapiInput *in, QapiInputFrame *f, const char *name,
                            const char **value, QapiError **errp)
{
    TextInput *t = text_of(in);
    const char *save = t->p;
    const char *end = t->end;
    const char *p = t->text + f->start;
    size_t name_len = strlen(name);
    bool first = true;
    bool escaped;
    bool match;
    size_t len;

    for (;; first = false) {
        p = skip_ws(p, end);
        if (p < end && *p == '}') {
            t->p = save;
            return 0;
        }
        if (!first) {
            if (p >= end || *p != ',') {
                syntax_error(t, p, errp, "',' or '}'");
                return -1;
            }
            p = skip_ws(p + 1, end);
        }
        if (p >= end || *p != '"') {
            syntax_error(t, p, errp, "a string");
            return -1;
        }
        p = scan_string(t, p, true, &len, &escaped, errp);
        if (!p) {
            return -1;
        }
        match = len == name_len && !memcmp(t->scratch, name, len);
        p = skip_ws(p, end);
        if (p >= end || *p != ':') {
            syntax_error(t, p, errp, "':'");
            return -1;
        }
        p = skip_ws(p + 1, end);
        if (match && p < end && *p == '"') {
            p = scan_string(t, p, true, &len, &escaped, errp);
            if (!p) {
                return -1;
            }
            t->p = save;
            *value = qapi_input_keep(in, t->scratch, len);
            if (!*value) {
                qapi_error_setg(errp, "out of memory");
                return -1;
            }
            return 1;
        }
        t->p = p;
        if (!skip_value(t, errp)) {
            return -1;
        }
        if (match) {
            t->p = save;
            qapi_input_member_type_error(in, name, "string", errp);
            return -1;
        }
        p = t->p;
    }
}

static int text_integer(QapiInput *in, bool big_string, bool *neg,
                        uint64_t *mag, QapiError **errp)
{
    TextInput *t = text_of(in);
    const char *p = t->p;
    NumTok tok;

    (void)big_string;
    if (p >= t->end || (*p != '-' && !is_digit(*p))) {
        type_error(t, "integer", errp);
        return -1;
    }
    if (!scan_number(t, p, &tok, errp)) {
        return -1;
    }
    if (!tok.is_int) {
        qapi_input_error_type(in, "integer", errp);
        return -1;
    }
    t->num_end = tok.end;
    *neg = tok.neg;
    *mag = tok.mag;
    return tok.overflow ? 0 : 1;
}

static void text_commit(QapiInput *in)
{
    TextInput *t = text_of(in);

    t->p = t->num_end;
}

static bool text_number(QapiInput *in, double *value, QapiError **errp)
{
    TextInput *t = text_of(in);
    const char *p = t->p;
    NumTok tok;
    bool ok;
    double d;

    if (p >= t->end || (*p != '-' && !is_digit(*p))) {
        type_error(t, "number", errp);
        return false;
    }
    if (!scan_number(t, p, &tok, errp)) {
        return false;
    }
    d = number_value(t, &tok, errp, &ok);
    if (!ok) {
        return false;
    }
    if (isinf(d)) {
        qapi_input_range_error(in, "number", errp);
        return false;
    }
    t->p = tok.end;
    *value = d;
    return true;
}

static bool text_boolean(QapiInput *in, bool *value, QapiError **errp)
{
    TextInput *t = text_of(in);
    const char *p = t->p;
    const char *q;

    if (p >= t->end || (*p != 't' && *p != 'f')) {
        type_error(t, "boolean", errp);
        return false;
    }
    q = scan_literal(t, p, errp);
    if (!q) {
        return false;
    }
    *value = *p == 't';
    t->p = q;
    return true;
}

static bool text_string(QapiInput *in, const char **value, size_t *len,
                        QapiError **errp)
{
    TextInput *t = text_of(in);
    const char *p = t->p;
    bool escaped;

    if (p >= t->end || *p != '"') {
        type_error(t, "string", errp);
        return false;
    }
    p = scan_string(t, p, true, len, &escaped, errp);
    if (!p) {
        return false;
    }
    t->p = p;
    *value = t->scratch;
    return true;
}

static bool text_null(QapiInput *in, QapiError **errp)
{
    TextInput *t = text_of(in);
    const char *p = t->p;
    const char *q;

    if (p >= t->end || *p != 'n') {
        type_error(t, "null", errp);
        return false;
    }
    q = scan_literal(t, p, errp);
    if (!q) {
        return false;
    }
    t->p = q;
    return true;
}

static bool text_any(QapiInput *in, json_t **value, QapiError **errp)
{
    return build_value(text_of(in), value, errp);
}

static bool text_skip(QapiInput *in, QapiError **errp)
{
    return skip_value(text_of(in), errp);
}

static bool text_finish(QapiInput *in, QapiError **errp)
{
    TextInput *t = text_of(in);
    const char *p = skip_ws(t->p, t->end);

    if (p < t->end) {
        syntax_error(t, p, errp, "the end of the input");
        return false;
    }
    t->p = p;
    return true;
}

static void text_free(QapiInput *in)
{
    TextInput *t = text_of(in);

    if (t->scratch != t->scratch_inline) {
        free(t->scratch);
    }
    free(t);
}

static const QapiInputOps text_ops = {
    .peek = text_peek,
    .start = text_start,
    .next_member = text_next_member,
    .next_element = text_next_element,
    .end = text_end,
    .find_string = text_find_string,
    .integer = text_integer,
    .commit = text_commit,
    .number = text_number,
    .boolean = text_boolean,
    .string = text_string,
    .null = text_null,
    .any = text_any,
    .skip = text_skip,
    .finish = text_finish,
    .free = text_free,
};

QapiInput *qapi_input_new_text(const char *text, size_t len)
{
    TextInput *t = malloc(sizeof(*t));

    if (!t) {
        return NULL;
    }
    if (!text) {
        text = "";
        len = 0;
    }
    qapi_input_init(&t->base, &text_ops);
    t->text = text;
    t->end = text + len;
    t->p = skip_ws(text, t->end);
    t->num_end = t->p;
    t->scratch = t->scratch_inline;
    t->scratch_cap = SCRATCH_INLINE;
    t->scratch[0] = '\0';
    return &t->base;
}
