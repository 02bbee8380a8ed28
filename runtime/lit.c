/*
 * JSON literals in static data: conversion to jansson values.
 */
#include "qapi/lit.h"

json_t *qapi_lit_to_json(const QapiLit *lit)
{
    json_t *json = NULL;
    const QapiLitPair *pair;
    const QapiLit *elt;

    if (!lit) {
        return NULL;
    }
    switch (lit->type) {
    case QAPI_LIT_NULL:
        return json_null();
    case QAPI_LIT_BOOL:
        return json_boolean(lit->u.b);
    case QAPI_LIT_STR:
        return json_string(lit->u.str); /* NULL for a NULL string */
    case QAPI_LIT_LIST:
        json = lit->u.list ? json_array() : NULL;
        for (elt = lit->u.list; json && elt->type != QAPI_LIT_END; elt++) {
            if (json_array_append_new(json, qapi_lit_to_json(elt)) < 0) {
                json_decref(json);
                json = NULL;
            }
        }
        return json;
    case QAPI_LIT_OBJECT:
        json = lit->u.object ? json_object() : NULL;
        for (pair = lit->u.object; json && pair->key; pair++) {
            if (json_object_set_new(json, pair->key,
                                    qapi_lit_to_json(&pair->value)) < 0) {
                json_decref(json);
                json = NULL;
            }
        }
        return json;
    case QAPI_LIT_END:
        break;
    }
    return NULL;
}
