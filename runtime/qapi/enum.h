/*
 * qapi/enum.h - string tables of generated enum types.
 *
 * Every generated enum T has a table T_lookup mapping each value to its
 * wire name.  Values whose 'if' condition is false in this build have a
 * NULL name: they can be neither parsed nor printed.
 *
 * NULL or malformed arguments: an error, never a crash (qapi/error.h,
 * "Arguments").
 */
#ifndef QAPI_ENUM_H
#define QAPI_ENUM_H

#include <stdbool.h>

#include "qapi/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct QapiEnumLookup {
    const char *const *array; /* wire names, indexed by value */
    int size;                 /* number of values (T__MAX) */
} QapiEnumLookup;

/* Wire name of @val, or NULL if @val is out of range or compiled out. */
const char *qapi_enum_lookup(const QapiEnumLookup *lookup, int val);

/*
 * Value whose wire name is @name.  Returns @def if @name is NULL; sets an
 * error and returns @def if @name is not a value of the enum.
 */
int qapi_enum_parse(const QapiEnumLookup *lookup, const char *name, int def,
                    QapiError **errp);

#ifdef __cplusplus
}
#endif

#endif /* QAPI_ENUM_H */
