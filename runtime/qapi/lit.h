/*
 * qapi/lit.h - JSON literals in static data.
 *
 * Generated introspection describes the schema as a tree of QapiLit in
 * read-only static storage, so that each piece can carry its own #if
 * condition.  qapi_lit_to_json() turns such a tree into jansson values.
 *
 * NULL or malformed arguments: an error, never a crash (qapi/error.h,
 * "Arguments").
 */
#ifndef QAPI_LIT_H
#define QAPI_LIT_H

#include <stdbool.h>

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum QapiLitType {
    QAPI_LIT_END, /* terminates lists and objects */
    QAPI_LIT_NULL,
    QAPI_LIT_BOOL,
    QAPI_LIT_STR,
    QAPI_LIT_LIST,
    QAPI_LIT_OBJECT,
} QapiLitType;

typedef struct QapiLitPair QapiLitPair;

typedef struct QapiLit {
    QapiLitType type;
    union {
        bool b;
        const char *str;
        const struct QapiLit *list; /* ends with a QAPI_LIT_END */
        const QapiLitPair *object;  /* ends with a NULL key */
    } u;
} QapiLit;

struct QapiLitPair {
    const char *key;
    QapiLit value;
};

#define QAPI_LIT_BOOL(v)                                                       \
    {                                                                          \
        .type = QAPI_LIT_BOOL, .u.b = (v)                                      \
    }
#define QAPI_LIT_STR(s)                                                        \
    {                                                                          \
        .type = QAPI_LIT_STR, .u.str = (s)                                     \
    }
#define QAPI_LIT_LIST(l)                                                       \
    {                                                                          \
        .type = QAPI_LIT_LIST, .u.list = (l)                                   \
    }
#define QAPI_LIT_OBJECT(o)                                                     \
    {                                                                          \
        .type = QAPI_LIT_OBJECT, .u.object = (o)                               \
    }

/* The literal as a new jansson value; NULL if memory runs out. */
json_t *qapi_lit_to_json(const QapiLit *lit);

#ifdef __cplusplus
}
#endif

#endif /* QAPI_LIT_H */
