/*
 * fuzz/fuzz-input.c - libFuzzer target: libqapi's JSON input
 * (qapi/input.h) on arbitrary text, read directly, without generated
 * code.
 *
 * The input is JSON text, walked several ways (WALK_* below: every value
 * read by its type, or first as a type it is not; members skipped, left
 * unread or read ahead with qapi_input_find_string(); objects left early;
 * subtrees read as 'any'), from the text itself and from what jansson
 * parses of it.  Properties checked besides the sanitizers':
 *
 *   - every failing call sets an error with a message, no successful one;
 *   - the text read whole as 'any' equals jansson's parse of it when both
 *     accept it, and is written by the text output (qapi/output.h) into
 *     text that reads back equal.
 */
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "qapi/input.h"
#include "qapi/output.h"
#include "qapi/util.h"

enum {
    WALK_WRONG_TYPE = 1u << 0, /* read scalars as another type first */
    WALK_SKIP_SOME = 1u << 1,  /* skip every other member / element */
    WALK_LEAVE_SOME = 1u << 2, /* leave every third one unread */
    WALK_FIND = 1u << 3,       /* find_string() before the members */
    WALK_END_EARLY = 1u << 4,  /* leave containers after two members */
    WALK_ANY_DEEP = 1u << 5,   /* read containers below the root as any */
    WALK__ALL = (1u << 6) - 1,
};

/* What a call returned: an error exactly when it failed. */
static void check_result(bool ok, QapiError *err, const char *what)
{
    if (ok) {
        FUZZ_CHECK(err == NULL, "%s succeeded but set '%s'", what,
                   qapi_error_get_pretty(err));
        return;
    }
    FUZZ_CHECK(err != NULL, "%s failed without an error", what);
    FUZZ_CHECK(qapi_error_get_pretty(err) && qapi_error_get_pretty(err)[0],
               "%s failed with an empty message", what);
    qapi_error_free(err);
}

static const char *const colors[] = {"red", "green", "blue"};
static const QapiEnumLookup color_lookup = {colors, 3};

static void walk(QapiInput *in, unsigned how, int depth);

static void walk_scalar(QapiInput *in, QapiJsonType type, unsigned how)
{
    QapiError *err = NULL;
    int64_t i;
    uint64_t u;
    double d;
    bool b, ok;
    char *s = NULL;
    int e;

    if (how & WALK_WRONG_TYPE) {
        /* A read that fails on the type leaves the value unread. */
        if (type == QAPI_JSON_BOOLEAN || type == QAPI_JSON_NULL) {
            ok = qapi_input_str(in, &s, &err);
            check_result(ok, err, "str");
            FUZZ_CHECK(!ok, "str read a boolean or null");
        } else {
            ok = qapi_input_bool(in, &b, &err);
            check_result(ok, err, "bool");
            FUZZ_CHECK(!ok, "bool read a number or string");
        }
        err = NULL;
    }
    switch (type) {
    case QAPI_JSON_NUMBER:
        if (how & WALK_WRONG_TYPE) {
            ok = qapi_input_int(in, -128, 127, "int8", &i, &err);
            check_result(ok, err, "int(int8)");
            err = NULL;
            if (ok) {
                FUZZ_CHECK(i >= -128 && i <= 127, "int8 read %lld",
                           (long long)i);
                return;
            }
        }
        ok = qapi_input_int(in, INT64_MIN, INT64_MAX, "int64", &i, &err);
        check_result(ok, err, "int");
        if (ok) {
            return;
        }
        err = NULL;
        ok = qapi_input_uint(in, UINT64_MAX, "uint64", &u, &err);
        check_result(ok, err, "uint");
        if (ok) {
            return;
        }
        err = NULL;
        ok = qapi_input_number(in, &d, &err);
        check_result(ok, err, "number");
        break;
    case QAPI_JSON_STRING:
        if (how & WALK_WRONG_TYPE) {
            /* jansson input: a uint64 above INT64_MAX comes as digits. */
            ok = qapi_input_uint(in, UINT64_MAX, "uint64", &u, &err);
            check_result(ok, err, "uint(string)");
            if (ok) {
                FUZZ_CHECK(u > (uint64_t)INT64_MAX,
                           "uint read a string as %llu", (unsigned long long)u);
                return;
            }
            err = NULL;
        }
        if (how & WALK_SKIP_SOME) {
            ok = qapi_input_enum(in, &color_lookup, &e, &err);
            check_result(ok, err, "enum");
            if (ok) {
                FUZZ_CHECK(e >= 0 && e < 3, "enum read %d", e);
                return;
            }
            err = NULL;
        }
        ok = qapi_input_str(in, &s, &err);
        check_result(ok, err, "str");
        FUZZ_CHECK(!ok || s, "str succeeded without a string");
        free(s);
        break;
    case QAPI_JSON_BOOLEAN:
        ok = qapi_input_bool(in, &b, &err);
        check_result(ok, err, "bool");
        break;
    case QAPI_JSON_NULL:
        ok = qapi_input_null(in, &err);
        check_result(ok, err, "null");
        break;
    default:
        ok = qapi_input_skip(in, &err);
        check_result(ok, err, "skip");
        break;
    }
}

static void walk_any(QapiInput *in)
{
    QapiError *err = NULL;
    json_t *v = NULL;
    bool ok = qapi_input_any(in, &v, &err);

    check_result(ok, err, "any");
    FUZZ_CHECK(!ok || v, "any succeeded without a value");
    json_decref(v);
}

static void walk_container(QapiInput *in, bool object, unsigned how, int depth)
{
    QapiError *err = NULL;
    const char *key, *value;
    int n = 0, r;
    bool ok;

    ok = object ? qapi_input_start_object(in, &err)
                : qapi_input_start_array(in, &err);
    check_result(ok, err, "start");
    if (!ok) {
        return;
    }
    if (object && (how & WALK_FIND)) {
        err = NULL;
        r = qapi_input_find_string(in, depth & 1 ? "type" : "execute", &value,
                                   &err);
        check_result(r >= 0, err, "find_string");
        FUZZ_CHECK(r != 1 || value, "find_string found no string");
    }
    for (;;) {
        err = NULL;
        key = NULL;
        r = object ? qapi_input_next_member(in, &key, &err)
                   : qapi_input_next_element(in, &err);
        check_result(r >= 0, err, "next");
        if (r <= 0) {
            break;
        }
        FUZZ_CHECK(!object || key, "next_member returned no key");
        n++;
        if ((how & WALK_END_EARLY) && n > 2) {
            break;
        }
        if ((how & WALK_SKIP_SOME) && n % 2 == 0) {
            err = NULL;
            ok = qapi_input_skip(in, &err);
            check_result(ok, err, "skip");
        } else if ((how & WALK_LEAVE_SOME) && n % 3 == 0) {
            continue;
        } else if ((how & WALK_ANY_DEEP) && depth > 0) {
            walk_any(in);
        } else {
            walk(in, how, depth + 1);
        }
    }
    if (object) {
        qapi_input_end_object(in);
    } else {
        qapi_input_end_array(in);
    }
}

static void walk(QapiInput *in, unsigned how, int depth)
{
    QapiJsonType type = qapi_input_peek(in);

    if (type == QAPI_JSON_OBJECT || type == QAPI_JSON_ARRAY) {
        walk_container(in, type == QAPI_JSON_OBJECT, how, depth);
    } else {
        walk_scalar(in, type, how);
    }
}

/* Walk @in (freed) @how, then finish it. */
static void walk_all(QapiInput *in, unsigned how)
{
    QapiError *err = NULL;
    bool ok;

    FUZZ_CHECK(in != NULL, "no input");
    walk(in, how, 0);
    /* Not check_result(qapi_input_finish(in, &err), err, ...): the order
     * in which arguments are evaluated is unspecified. */
    ok = qapi_input_finish(in, &err);
    check_result(ok, err, "finish");
    qapi_input_free(in);
}

/* The text as 'any', or NULL where it is refused. */
static json_t *read_any(const char *text, size_t len)
{
    QapiInput *in = qapi_input_new_text(text, len);
    QapiError *err = NULL;
    json_t *v = NULL;
    bool ok;

    FUZZ_CHECK(in != NULL, "no input");
    ok = qapi_input_any(in, &v, &err) && qapi_input_finish(in, &err);
    check_result(ok, err, "any+finish");
    qapi_input_free(in);
    if (!ok) {
        json_decref(v);
        return NULL;
    }
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    json_t *json, *v, *v2;
    json_error_t jerr;
    QapiOutput *out;
    char *s;
    size_t len;
    unsigned how;

    /*
     * 8 walks of the text, 4 of jansson's value: between them, every WALK_
     * flag alone and with every other.  The text is not NUL-terminated:
     * ASan sees any read past its end.
     */
    for (how = 0; how <= WALK__ALL; how += 9) {
        walk_all(qapi_input_new_text(text, size), how);
    }

    json = json_loadb(text, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (json) {
        for (how = 0; how <= WALK__ALL; how += 21) {
            walk_all(qapi_input_new_json(json), how);
        }
    }

    v = read_any(text, size);
    if (v) {
        if (json) {
            FUZZ_CHECK(qapi_json_equal(v, json),
                       "the text read as any differs from jansson's parse");
        }
        out = qapi_output_new_text();
        FUZZ_CHECK(out != NULL, "no output");
        qapi_output_any(out, v);
        s = qapi_output_finish_text(out, &len);
        FUZZ_CHECK(s != NULL, "no output text");
        FUZZ_CHECK(strlen(s) == len, "output length %zu, not %zu", len,
                   strlen(s));
        v2 = read_any(s, len);
        FUZZ_CHECK(v2 != NULL, "output '%s' does not read back", s);
        FUZZ_CHECK(qapi_json_equal(v, v2), "output '%s' reads back different",
                   s);
        json_decref(v2);
        free(s);
        json_decref(v);
    }
    json_decref(json);
    return 0;
}
