/*
 * check-gen-helpers.h - Check helpers for testing generated code.
 *
 * DEFINE_GEN_HELPERS(T) defines, for a type T with the public JSON API
 * (qapi_T_to_string() ... qapi_T_from_json(), see docs/generated-api.md):
 *
 *   rt_T(obj, expect)   round-trips obj: to_string -> from_string, and
 *                       to_json -> from_json, clone, each compared with
 *                       qapi_equal_T() and by text; the text must equal
 *                       expect unless that is NULL.  The text must also
 *                       mean the same as the jansson value (where jansson
 *                       can read it).  Everything is freed.
 *   parse_T(json)       from_string that must succeed.
 *   bad_T(json, msg, f) from_string must fail with exactly msg (a prefix
 *                       of the message with BAD_PREFIX) and store nothing;
 *                       unless BAD_TEXT_ONLY, the same through jansson
 *                       (json_loads + from_json) where jansson reads the
 *                       text at all.
 */
#ifndef CHECK_GEN_HELPERS_H
#define CHECK_GEN_HELPERS_H

#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "qapi/error.h"

/* Not every test uses every helper (clang warns even for static inline). */
#if defined(__GNUC__) || defined(__clang__)
#define GEN_HELPER static inline __attribute__((unused))
#else
#define GEN_HELPER static inline
#endif

#define BAD_TEXT_ONLY 1 /* not through jansson (e.g. duplicate keys) */
#define BAD_PREFIX 2    /* msg is a prefix of the message */

static inline const char *errmsg(const QapiError *err)
{
    return err ? qapi_error_get_pretty(err) : "(no error)";
}

static inline void check_message(const QapiError *err, const char *msg,
                                 int flags, const char *input)
{
    const char *got;

    ck_assert_msg(err != NULL, "no error set for %s", input);
    got = qapi_error_get_pretty(err);
    ck_assert_ptr_nonnull(got);
    if (flags & BAD_PREFIX) {
        ck_assert_msg(!strncmp(got, msg, strlen(msg)),
                      "input %s: message '%s' does not start with '%s'", input,
                      got, msg);
    } else {
        ck_assert_msg(!strcmp(got, msg),
                      "input %s: message '%s', expected '%s'", input, got, msg);
    }
}

/* JSON text -> jansson, strictly; NULL if jansson does not take it. */
static inline json_t *jansson_parse(const char *text)
{
    return json_loads(text, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
}

#define DEFINE_GEN_HELPERS(T)                                                  \
    GEN_HELPER void rt_##T(const T *obj, const char *expect)                   \
    {                                                                          \
        QapiError *err = NULL;                                                 \
        T *back = NULL, *back_dom = NULL, *back_jansson = NULL, *copy;         \
        char *text, *text2;                                                    \
        json_t *dom, *parsed;                                                  \
                                                                               \
        text = qapi_##T##_to_string(obj);                                      \
        ck_assert_ptr_nonnull(text);                                           \
        if (expect) {                                                          \
            ck_assert_str_eq(text, expect);                                    \
        }                                                                      \
        /* text */                                                             \
        ck_assert_msg(qapi_##T##_from_string(text, &back, &err),               \
                      #T " from_string(%s): %s", text, errmsg(err));           \
        ck_assert_ptr_null(err);                                               \
        ck_assert_msg(qapi_equal_##T(obj, back), #T " differs via text %s",    \
                      text);                                                   \
        text2 = qapi_##T##_to_string(back);                                    \
        ck_assert_str_eq(text2, text);                                         \
        free(text2);                                                           \
        /* DOM */                                                              \
        dom = qapi_##T##_to_json(obj);                                         \
        ck_assert_ptr_nonnull(dom);                                            \
        ck_assert_msg(qapi_##T##_from_json(dom, &back_dom, &err),              \
                      #T " from_json(%s): %s", text, errmsg(err));             \
        ck_assert_ptr_null(err);                                               \
        ck_assert_msg(qapi_equal_##T(obj, back_dom), #T " differs via DOM %s", \
                      text);                                                   \
        text2 = qapi_##T##_to_string(back_dom);                                \
        ck_assert_str_eq(text2, text);                                         \
        free(text2);                                                           \
        /* The text and the DOM say the same (where jansson reads it). */      \
        parsed = jansson_parse(text);                                          \
        if (parsed) {                                                          \
            ck_assert_msg(json_equal(parsed, dom),                             \
                          #T " text %s and DOM disagree", text);               \
            ck_assert(qapi_##T##_from_json(parsed, &back_jansson, &err));      \
            ck_assert(qapi_equal_##T(obj, back_jansson));                      \
            json_decref(parsed);                                               \
        }                                                                      \
        /* clone */                                                            \
        copy = qapi_clone_##T(obj);                                            \
        if (obj) {                                                             \
            ck_assert_ptr_nonnull(copy);                                       \
            ck_assert_ptr_ne(copy, obj);                                       \
        }                                                                      \
        ck_assert(qapi_equal_##T(obj, copy));                                  \
        ck_assert(qapi_equal_##T(copy, obj));                                  \
        text2 = qapi_##T##_to_string(copy);                                    \
        ck_assert_str_eq(text2, text);                                         \
        free(text2);                                                           \
                                                                               \
        qapi_free_##T(back);                                                   \
        qapi_free_##T(back_dom);                                               \
        qapi_free_##T(back_jansson);                                           \
        qapi_free_##T(copy);                                                   \
        json_decref(dom);                                                      \
        free(text);                                                            \
    }                                                                          \
                                                                               \
    GEN_HELPER T *parse_##T(const char *json)                                  \
    {                                                                          \
        QapiError *err = NULL;                                                 \
        T *obj = NULL;                                                         \
                                                                               \
        ck_assert_msg(qapi_##T##_from_string(json, &obj, &err),                \
                      #T " from_string(%s): %s", json, errmsg(err));           \
        ck_assert_ptr_null(err);                                               \
        return obj;                                                            \
    }                                                                          \
                                                                               \
    GEN_HELPER void bad_##T(const char *json, const char *msg, int flags)      \
    {                                                                          \
        T *sentinel = calloc(1, sizeof(T));                                    \
        T *obj = sentinel;                                                     \
        QapiError *err = NULL;                                                 \
        json_t *dom;                                                           \
                                                                               \
        ck_assert_ptr_nonnull(sentinel);                                       \
        ck_assert_msg(!qapi_##T##_from_string(json, &obj, &err),               \
                      #T " accepted %s", json);                                \
        ck_assert_msg(obj == sentinel, #T " stored a value for %s", json);     \
        check_message(err, msg, flags, json);                                  \
        qapi_error_free(err);                                                  \
        err = NULL;                                                            \
        dom = (flags & BAD_TEXT_ONLY) ? NULL : jansson_parse(json);            \
        if (dom) {                                                             \
            ck_assert_msg(!qapi_##T##_from_json(dom, &obj, &err),              \
                          #T " accepted %s through jansson", json);            \
            ck_assert_msg(obj == sentinel,                                     \
                          #T " stored a value for %s through jansson", json);  \
            check_message(err, msg, flags, json);                              \
            qapi_error_free(err);                                              \
            json_decref(dom);                                                  \
        }                                                                      \
        free(sentinel);                                                        \
    }

/* Allocation that fails the test instead of returning NULL. */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline char *xstrdup(const char *s)
{
    char *p = strdup(s);

    ck_assert_ptr_nonnull(p);
    return p;
}

static inline void *xcalloc(size_t size)
{
    void *p = calloc(1, size);

    ck_assert_ptr_nonnull(p);
    return p;
}

#define NEW(T) ((T *)xcalloc(sizeof(T)))

/* The entry called @name of a query-qmp-schema array (borrowed), or NULL. */
GEN_HELPER json_t *find_entry(json_t *schema, const char *name)
{
    size_t i;
    json_t *e;

    json_array_foreach(schema, i, e)
    {
        if (!strcmp(json_string_value(json_object_get(e, "name")), name)) {
            return e;
        }
    }
    return NULL;
}

#endif /* CHECK_GEN_HELPERS_H */
