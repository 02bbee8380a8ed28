/*
 * qapi/util.h - small pieces generated code relies on.
 *
 * NULL or malformed arguments: an error, never a crash (qapi/error.h,
 * "Arguments").
 */
#ifndef QAPI_UTIL_H
#define QAPI_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The value of the built-in type 'null'.  There is one, shared and never
 * freed: qapi_null() returns it, freeing it is a no-op.
 */
typedef struct QapiNull QapiNull;
QapiNull *qapi_null(void);

/* strdup() that returns NULL for NULL. */
char *qapi_strdup(const char *s);

/* strcmp() where NULL equals only NULL and sorts first. */
int qapi_strcmp0(const char *a, const char *b);

/* Deep equality of jansson values; NULL equals only NULL. */
bool qapi_json_equal(const json_t *a, const json_t *b);

#ifdef __cplusplus
}
#endif

#endif /* QAPI_UTIL_H */
