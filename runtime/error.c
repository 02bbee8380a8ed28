/* error.c - QapiError: see qapi/error.h for the rules. */
#include "qapi/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct QapiError {
    QapiErrClass cls;
    char *msg;
};

/* Handed out when an error cannot be allocated; never modified or freed. */
static char nomem_msg[] = "out of memory";
static QapiError nomem_error = {QAPI_ERR_CLASS_GENERIC_ERROR, nomem_msg};

static const char *const class_names[QAPI_ERR_CLASS__MAX] = {
    [QAPI_ERR_CLASS_GENERIC_ERROR] = "GenericError",
    [QAPI_ERR_CLASS_COMMAND_NOT_FOUND] = "CommandNotFound",
    [QAPI_ERR_CLASS_DEVICE_NOT_ACTIVE] = "DeviceNotActive",
    [QAPI_ERR_CLASS_DEVICE_NOT_FOUND] = "DeviceNotFound",
    [QAPI_ERR_CLASS_KVM_MISSING_CAP] = "KVMMissingCap",
};

const char *qapi_error_class_name(QapiErrClass cls)
{
    if ((unsigned)cls >= QAPI_ERR_CLASS__MAX) {
        return NULL;
    }
    return class_names[cls];
}

/* malloc'ed formatted string, or NULL on failure. */
QAPI_PRINTF(1, 0) static char *vformat(const char *fmt, va_list ap)
{
    va_list ap2;
    int len;
    char *buf;

    va_copy(ap2, ap);
    len = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (len < 0) {
        return NULL;
    }
    buf = malloc((size_t)len + 1);
    if (buf) {
        vsnprintf(buf, (size_t)len + 1, fmt, ap);
    }
    return buf;
}

QAPI_PRINTF(3, 0)
static void error_vset(QapiError **errp, QapiErrClass cls, const char *fmt,
                       va_list ap)
{
    QapiError *err;

    if (!errp || *errp) {
        return; /* ignored, or keep the first error */
    }
    err = malloc(sizeof(*err));
    if (err) {
        /* An unknown class would have no name on the wire. */
        err->cls = (unsigned)cls < QAPI_ERR_CLASS__MAX
                       ? cls
                       : QAPI_ERR_CLASS_GENERIC_ERROR;
        err->msg = vformat(fmt, ap);
        if (!err->msg) {
            free(err);
            err = NULL;
        }
    }
    *errp = err ? err : &nomem_error;
}

void qapi_error_setg(QapiError **errp, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_vset(errp, QAPI_ERR_CLASS_GENERIC_ERROR, fmt, ap);
    va_end(ap);
}

void qapi_error_set(QapiError **errp, QapiErrClass cls, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_vset(errp, cls, fmt, ap);
    va_end(ap);
}

void qapi_error_propagate(QapiError **dst_errp, QapiError *local_err)
{
    if (!local_err) {
        return;
    }
    if (dst_errp && !*dst_errp) {
        *dst_errp = local_err;
    } else {
        qapi_error_free(local_err);
    }
}

void qapi_error_prepend(QapiError **errp, const char *fmt, ...)
{
    va_list ap;
    char *prefix;
    char *msg;
    size_t plen;
    size_t mlen;
    QapiError *err;

    if (!errp || !*errp || *errp == &nomem_error) {
        return;
    }
    err = *errp;
    va_start(ap, fmt);
    prefix = vformat(fmt, ap);
    va_end(ap);
    if (!prefix) {
        return;
    }
    plen = strlen(prefix);
    mlen = strlen(err->msg);
    msg = malloc(plen + mlen + 1);
    if (msg) {
        memcpy(msg, prefix, plen);
        memcpy(msg + plen, err->msg, mlen + 1);
        free(err->msg);
        err->msg = msg;
    }
    free(prefix);
}

const char *qapi_error_get_pretty(const QapiError *err)
{
    return err ? err->msg : NULL;
}

QapiErrClass qapi_error_get_class(const QapiError *err)
{
    return err ? err->cls : QAPI_ERR_CLASS_GENERIC_ERROR;
}

void qapi_error_free(QapiError *err)
{
    if (!err || err == &nomem_error) {
        return;
    }
    free(err->msg);
    free(err);
}

QapiError *qapi_error_copy(const QapiError *err)
{
    QapiError *copy = NULL;

    if (!err) {
        return NULL;
    }
    qapi_error_set(&copy, err->cls, "%s", err->msg);
    return copy;
}
