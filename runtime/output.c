/*
 * output.c - QapiOutput: the public calls, and the text writer.
 *
 * The text writer appends compact JSON ({"a":1,"b":[true,null]}) to one
 * growing buffer.  A single flag does the comma bookkeeping: it is set by
 * every complete value and cleared by an opening bracket and by a member
 * name, so a comma goes before a value or name exactly when a sibling
 * precedes it.  Strings are escaped per RFC 8259 (quote, backslash and
 * control characters; other bytes pass through), integers are converted by
 * hand, doubles in the shortest form that reads back exactly.
 *
 * Out of memory: the output is marked failed, later calls do nothing and
 * finish returns NULL.  Calls on the jansson builder go to output-json.c.
 */
#include "output-impl.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INITIAL_CAP 256

/* --- numbers -------------------------------------------------------------- */

static const char digit_pairs[201] = "00010203040506070809"
                                     "10111213141516171819"
                                     "20212223242526272829"
                                     "30313233343536373839"
                                     "40414243444546474849"
                                     "50515253545556575859"
                                     "60616263646566676869"
                                     "70717273747576777879"
                                     "80818283848586878889"
                                     "90919293949596979899";

static inline size_t uint_digits(uint64_t v)
{
    size_t n = 1;

    for (;;) {
        if (v < 10) {
            return n;
        }
        if (v < 100) {
            return n + 1;
        }
        if (v < 1000) {
            return n + 2;
        }
        if (v < 10000) {
            return n + 3;
        }
        v /= 10000;
        n += 4;
    }
}

size_t qapi_format_uint(uint64_t v, char *buf)
{
    size_t len = uint_digits(v);
    char *p = buf + len;

    while (v >= 100) {
        unsigned i = (unsigned)(v % 100) * 2;

        v /= 100;
        *--p = digit_pairs[i + 1];
        *--p = digit_pairs[i];
    }
    if (v >= 10) {
        unsigned i = (unsigned)v * 2;

        *--p = digit_pairs[i + 1];
        *--p = digit_pairs[i];
    } else {
        *--p = (char)('0' + v);
    }
    return len;
}

size_t qapi_format_double(double v, char *buf)
{
    const char *dp;
    size_t dplen;
    size_t len;
    int prec;
    char *p;

    /*
     * Integral values of up to 15 digits are common: write them without
     * printf, exactly as "%.15g" would, plus ".0".
     */
    if (v > -1e15 && v < 1e15 && v == (double)(int64_t)v) {
        len = 0;
        if (signbit(v)) {
            buf[len++] = '-';
        }
        len += qapi_format_uint((uint64_t)fabs(v), buf + len);
        memcpy(buf + len, ".0", 3);
        return len + 2;
    }

    /*
     * Short decimals (0.5, 1.25, 3.14159), also without printf: the
     * decimal m / 10^k, m = round(v * 10^k), is what strtod() reads as v
     * if the division gives v back (m and 10^k are exact, the division
     * rounds correctly).  The smallest such k with m below 10^15 gives
     * what "%.15g" prints: v rounded to 15 digits, plain in this range.
     * Anything needing more digits takes the printf path.
     */
    if (fabs(v) >= 1e-4 && fabs(v) < 1e15) {
        static const double pow10[] = {
            1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        double a = fabs(v);
        int k;

        for (k = 1; k <= 22; k++) {
            double m = floor(a * pow10[k - 1] + 0.5);
            char digits[24];
            uint64_t im;
            size_t n;
            size_t lead;

            if (m >= 1e15) {
                break;
            }
            if (m / pow10[k - 1] != a) {
                continue;
            }
            /* No trailing zeros ("0.5", not "0.50"). */
            for (im = (uint64_t)m; im % 10 == 0; im /= 10) {
                k--;
            }
            n = qapi_format_uint(im, digits);
            len = 0;
            if (signbit(v)) {
                buf[len++] = '-';
            }
            if (n <= (size_t)k) {
                /* 0.000ddd */
                lead = (size_t)k - n;
                buf[len++] = '0';
                buf[len++] = '.';
                memset(buf + len, '0', lead);
                len += lead;
                memcpy(buf + len, digits, n);
                len += n;
            } else {
                memcpy(buf + len, digits, n - (size_t)k);
                len += n - (size_t)k;
                buf[len++] = '.';
                memcpy(buf + len, digits + n - (size_t)k, (size_t)k);
                len += (size_t)k;
            }
            buf[len] = '\0';
            return len;
        }
    }

    for (prec = 15; prec < 17; prec++) {
        snprintf(buf, 32, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) {
            break;
        }
    }
    if (prec == 17) {
        snprintf(buf, 32, "%.17g", v);
    }

    /* Undo the locale's decimal point, if it is not '.'. */
    dp = localeconv()->decimal_point;
    dplen = strlen(dp);
    if (dplen && strcmp(dp, ".") != 0 && (p = strstr(buf, dp)) != NULL) {
        *p = '.';
        memmove(p + 1, p + dplen, strlen(p + dplen) + 1);
    }
    len = strlen(buf);
    if (!strpbrk(buf, ".eE")) {
        memcpy(buf + len, ".0", 3);
        len += 2;
    }
    return len;
}

/* --- buffer --------------------------------------------------------------- */

static bool grow(QapiOutput *out, size_t need)
{
    size_t cap = out->cap ? out->cap : INITIAL_CAP;
    char *buf;

    if (out->failed) {
        return false;
    }
    while (cap - out->len < need) {
        if (cap > SIZE_MAX / 2) {
            out->failed = true;
            return false;
        }
        cap *= 2;
    }
    buf = realloc(out->buf, cap);
    if (!buf) {
        out->failed = true;
        return false;
    }
    out->buf = buf;
    out->cap = cap;
    return true;
}

/* Room for @n more bytes, or NULL (and failed) if memory ran out. */
static inline char *reserve(QapiOutput *out, size_t n)
{
    if (out->cap - out->len < n && !grow(out, n)) {
        return NULL;
    }
    return out->buf + out->len;
}

/*
 * Start writing a value (or member name) of at most @n bytes: returns
 * where, after the comma if one is due, or NULL.
 */
static inline char *begin(QapiOutput *out, size_t n)
{
    char *p = reserve(out, n + 1);

    if (!p) {
        return NULL;
    }
    if (out->need_comma) {
        *p++ = ',';
    }
    return p;
}

static inline void commit(QapiOutput *out, char *p, bool need_comma)
{
    out->len = (size_t)(p - out->buf);
    out->need_comma = need_comma;
}

/* --- strings -------------------------------------------------------------- */

/*
 * Bytes that need escaping: 0 none, else the letter of the short escape,
 * or 'u' for \u00XX.  Control characters are 0x00-0x1F (32 entries).
 */
/* clang-format off */
static const char escape_of[256] = {
    /* 0x00 */ 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
    /* 0x08 */ 'b', 't', 'n', 'u', 'f', 'r', 'u', 'u',
    /* 0x10 */ 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
    /* 0x18 */ 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
    ['"'] = '"',
    ['\\'] = '\\',
    [0x7f] = 'u',
};
/* clang-format on */

/* QEMU's JSON writer escapes DEL too, with upper-case digits. */
static const char hex_digits[] = "0123456789ABCDEF";

/* Write @s (@len bytes) as a JSON string; a member name if @key. */
static void write_string(QapiOutput *out, const char *s, size_t len, bool key)
{
    char *p = begin(out, len + 3);
    size_t i = 0;
    size_t run;

    if (!p) {
        return;
    }
    *p++ = '"';
    for (;;) {
        char esc;

        run = i;
        while (i < len && !escape_of[(unsigned char)s[i]]) {
            i++;
        }
        memcpy(p, s + run, i - run);
        p += i - run;
        if (i == len) {
            break;
        }
        /* Room for this escape, the rest unescaped, quote and colon;
         * every later escape asks again. */
        out->len = (size_t)(p - out->buf);
        p = reserve(out, 6 + (len - i - 1) + 2);
        if (!p) {
            return;
        }
        esc = escape_of[(unsigned char)s[i]];
        *p++ = '\\';
        if (esc == 'u') {
            unsigned char c = (unsigned char)s[i];

            memcpy(p, "u00", 3);
            p[3] = hex_digits[c >> 4];
            p[4] = hex_digits[c & 15];
            p += 5;
        } else {
            *p++ = esc;
        }
        i++;
    }
    *p++ = '"';
    if (key) {
        *p++ = ':';
    }
    commit(out, p, !key);
}

/* --- life cycle ----------------------------------------------------------- */

static QapiOutput *output_new(bool is_json)
{
    QapiOutput *out = calloc(1, sizeof(*out));

    if (out) {
        out->is_json = is_json;
    }
    return out;
}

QapiOutput *qapi_output_new_text(void)
{
    return output_new(false);
}

QapiOutput *qapi_output_new_json(void)
{
    return output_new(true);
}

char *qapi_output_finish_text(QapiOutput *out, size_t *len)
{
    char *buf;

    if (!out) {
        return NULL;
    }
    if (out->is_json || out->failed || !reserve(out, 1)) {
        qapi_output_free(out);
        return NULL;
    }
    buf = out->buf;
    buf[out->len] = '\0';
    if (len) {
        *len = out->len;
    }
    out->buf = NULL;
    free(out);
    return buf;
}

json_t *qapi_output_finish_json(QapiOutput *out)
{
    json_t *root;

    if (!out) {
        return NULL;
    }
    if (!out->is_json || out->failed) {
        qapi_output_free(out);
        return NULL;
    }
    root = out->root;
    out->root = NULL;
    qapi_output_free(out);
    return root;
}

void qapi_output_free(QapiOutput *out)
{
    if (!out) {
        return;
    }
    qapi_output_json_free(out);
    free(out->buf);
    free(out);
}

/* --- structure ------------------------------------------------------------ */

void qapi_output_start_object(QapiOutput *out)
{
    char *p;

    if (!out) {
        return;
    }
    if (out->is_json) {
        qapi_output_json_start(out, true);
        return;
    }
    p = begin(out, 1);
    if (p) {
        *p++ = '{';
        commit(out, p, false);
    }
}

void qapi_output_member(QapiOutput *out, const char *key)
{
    if (!out) {
        return;
    }
    if (!key) {
        out->failed = true; /* reported by qapi_output_finish_*() */
        return;
    }
    if (out->is_json) {
        qapi_output_json_member(out, key);
        return;
    }
    write_string(out, key, strlen(key), true);
}

void qapi_output_end_object(QapiOutput *out)
{
    char *p;

    if (!out) {
        return;
    }
    if (out->is_json) {
        qapi_output_json_end(out);
        return;
    }
    p = reserve(out, 1);
    if (p) {
        *p++ = '}';
        commit(out, p, true);
    }
}

void qapi_output_start_array(QapiOutput *out)
{
    char *p;

    if (!out) {
        return;
    }
    if (out->is_json) {
        qapi_output_json_start(out, false);
        return;
    }
    p = begin(out, 1);
    if (p) {
        *p++ = '[';
        commit(out, p, false);
    }
}

void qapi_output_end_array(QapiOutput *out)
{
    char *p;

    if (!out) {
        return;
    }
    if (out->is_json) {
        qapi_output_json_end(out);
        return;
    }
    p = reserve(out, 1);
    if (p) {
        *p++ = ']';
        commit(out, p, true);
    }
}

/* --- scalars -------------------------------------------------------------- */

void qapi_output_int(QapiOutput *out, int64_t value)
{
    char *p;

    if (!out) {
        return;
    }
    if (out->is_json) {
        qapi_output_json_int(out, value);
        return;
    }
    p = begin(out, 20);
    if (!p) {
        return;
    }
    if (value < 0) {
        *p++ = '-';
        p += qapi_format_uint((uint64_t) - (value + 1) + 1, p);
    } else {
        p += qapi_format_uint((uint64_t)value, p);
    }
    commit(out, p, true);
}

void qapi_output_uint(QapiOutput *out, uint64_t value)
{
    char *p;

    if (!out) {
        return;
    }
    if (out->is_json) {
        qapi_output_json_uint(out, value);
        return;
    }
    p = begin(out, 20);
    if (p) {
        p += qapi_format_uint(value, p);
        commit(out, p, true);
    }
}

void qapi_output_number(QapiOutput *out, double value)
{
    char *p;

    if (!out) {
        return;
    }
    if (out->is_json) {
        qapi_output_json_number(out, value);
        return;
    }
    if (!isfinite(value)) {
        qapi_output_null(out);
        return;
    }
    p = begin(out, 32);
    if (p) {
        p += qapi_format_double(value, p);
        commit(out, p, true);
    }
}

void qapi_output_bool(QapiOutput *out, bool value)
{
    char *p;

    if (!out) {
        return;
    }
    if (out->is_json) {
        qapi_output_json_bool(out, value);
        return;
    }
    p = begin(out, 5);
    if (p) {
        memcpy(p, value ? "true" : "false", 5);
        p += value ? 4 : 5;
        commit(out, p, true);
    }
}

void qapi_output_str(QapiOutput *out, const char *value)
{
    if (!out) {
        return;
    }
    if (out->is_json) {
        qapi_output_json_str(out, value ? value : "");
        return;
    }
    if (!value) {
        value = "";
    }
    write_string(out, value, strlen(value), false);
}

void qapi_output_enum(QapiOutput *out, const QapiEnumLookup *lookup, int value)
{
    const char *name = lookup ? qapi_enum_lookup(lookup, value) : NULL;

    if (!out) {
        return;
    }
    if (!name) {
        out->failed = true; /* reported by qapi_output_finish_*() */
        return;
    }
    qapi_output_str(out, name);
}

void qapi_output_null(QapiOutput *out)
{
    char *p;

    if (!out) {
        return;
    }
    if (out->is_json) {
        qapi_output_json_null(out);
        return;
    }
    p = begin(out, 4);
    if (p) {
        memcpy(p, "null", 4);
        commit(out, p + 4, true);
    }
}

/* --- any ------------------------------------------------------------------ */

typedef struct AnyFrame {
    json_t *c;
    void *iter;   /* objects: the member being written */
    size_t index; /* arrays: the element being written */
} AnyFrame;

/* Write a jansson value, iteratively (values may nest deeply). */
static void write_any(QapiOutput *out, const json_t *value)
{
    AnyFrame inline_frames[16];
    AnyFrame *st = inline_frames;
    size_t n = 0;
    size_t cap = 16;
    /* jansson's iterators take non-const values; nothing is modified. */
    json_t *v = (json_t *)value;

    for (;;) {
        bool opened = false;

        switch (json_typeof(v)) {
        case JSON_OBJECT:
        case JSON_ARRAY:
            if (n == cap) {
                AnyFrame *bigger;

                if (st == inline_frames) {
                    bigger = malloc(2 * cap * sizeof(*st));
                    if (bigger) {
                        memcpy(bigger, st, n * sizeof(*st));
                    }
                } else {
                    bigger = realloc(st, 2 * cap * sizeof(*st));
                }
                if (!bigger) {
                    out->failed = true;
                    goto done;
                }
                st = bigger;
                cap *= 2;
            }
            st[n].c = v;
            st[n].index = 0;
            st[n].iter = NULL;
            if (json_is_object(v)) {
                qapi_output_start_object(out);
                st[n].iter = json_object_iter(v);
                if (st[n].iter) {
                    qapi_output_member(out, json_object_iter_key(st[n].iter));
                    v = json_object_iter_value(st[n].iter);
                    opened = true;
                } else {
                    qapi_output_end_object(out);
                }
            } else {
                qapi_output_start_array(out);
                if (json_array_size(v)) {
                    v = json_array_get(v, 0);
                    opened = true;
                } else {
                    qapi_output_end_array(out);
                }
            }
            if (opened) {
                n++;
                continue;
            }
            break;
        case JSON_STRING:
            write_string(out, json_string_value(v), json_string_length(v),
                         false);
            break;
        case JSON_INTEGER:
            qapi_output_int(out, json_integer_value(v));
            break;
        case JSON_REAL:
            qapi_output_number(out, json_real_value(v));
            break;
        case JSON_TRUE:
            qapi_output_bool(out, true);
            break;
        case JSON_FALSE:
            qapi_output_bool(out, false);
            break;
        case JSON_NULL:
            qapi_output_null(out);
            break;
        }

        /* @v is written: move to its next sibling, closing what ends. */
        for (;;) {
            AnyFrame *f;

            if (!n) {
                goto done;
            }
            f = &st[n - 1];
            if (json_is_object(f->c)) {
                f->iter = json_object_iter_next(f->c, f->iter);
                if (f->iter) {
                    qapi_output_member(out, json_object_iter_key(f->iter));
                    v = json_object_iter_value(f->iter);
                    break;
                }
                qapi_output_end_object(out);
            } else {
                if (++f->index < json_array_size(f->c)) {
                    v = json_array_get(f->c, f->index);
                    break;
                }
                qapi_output_end_array(out);
            }
            n--;
        }
    }

done:
    if (st != inline_frames) {
        free(st);
    }
}

void qapi_output_any(QapiOutput *out, const json_t *value)
{
    if (!out) {
        return;
    }
    if (out->is_json) {
        qapi_output_json_any(out, value);
        return;
    }
    if (!value) {
        qapi_output_null(out);
        return;
    }
    write_any(out, value);
}
