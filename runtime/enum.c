/* enum.c - string tables of generated enums: see qapi/enum.h. */
#include "qapi/enum.h"

#include <string.h>

const char *qapi_enum_lookup(const QapiEnumLookup *lookup, int val)
{
    if (!lookup || !lookup->array || val < 0 || val >= lookup->size) {
        return NULL;
    }
    return lookup->array[val];
}

int qapi_enum_parse(const QapiEnumLookup *lookup, const char *name, int def,
                    QapiError **errp)
{
    int i;

    if (!name) {
        return def;
    }
    for (i = 0; lookup && lookup->array && i < lookup->size; i++) {
        if (lookup->array[i] && !strcmp(lookup->array[i], name)) {
            return i;
        }
    }
    qapi_error_setg(errp, "Invalid parameter '%s'", name);
    return def;
}
