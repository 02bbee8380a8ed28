/* util.c - small helpers for generated code: see qapi/util.h. */
#include "qapi/util.h"

#include <stdlib.h>
#include <string.h>

/* The one value of type 'null'.  Only its address matters. */
struct QapiNull {
    char unused;
};

static QapiNull null_value;

QapiNull *qapi_null(void)
{
    return &null_value;
}

char *qapi_strdup(const char *s)
{
    size_t len;
    char *copy;

    if (!s) {
        return NULL;
    }
    len = strlen(s) + 1;
    copy = malloc(len);
    if (copy) {
        memcpy(copy, s, len);
    }
    return copy;
}

int qapi_strcmp0(const char *a, const char *b)
{
    if (!a || !b) {
        return !a ? (b ? -1 : 0) : 1;
    }
    return strcmp(a, b);
}

/*
 * jansson's json_equal() compares objects member by member whatever their
 * order, arrays element by element; an integer never equals a real.  It
 * returns 0 for NULL arguments, so NULL is handled here.
 */
bool qapi_json_equal(const json_t *a, const json_t *b)
{
    if (!a || !b) {
        return a == b;
    }
    return json_equal(a, b) != 0;
}
