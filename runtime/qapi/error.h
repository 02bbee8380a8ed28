/*
 * qapi/error.h - error reporting for libqapi and generated code.
 *
 * Modelled on QEMU's Error API.  A function that can fail takes a last
 * argument "QapiError **errp":
 *
 *   - errp may be NULL: the caller does not care, the error is dropped.
 *   - On failure the callee stores a new error in *errp.  If *errp is already
 *     set, the first error is kept and the new one is dropped (QEMU would
 *     abort here; libqapi never aborts).
 *   - The caller owns the error stored in *errp and must release it with
 *     qapi_error_free() (or hand it on with qapi_error_propagate()).
 *   - Strings returned by the getters are borrowed: valid until the error is
 *     freed.
 *
 * Out of memory: if an error object cannot be allocated, *errp is set to a
 * static, shared "out of memory" error instead (class GenericError).  It is
 * safe to free, copy and propagate like any other error.
 */
#ifndef QAPI_ERROR_H
#define QAPI_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define QAPI_PRINTF(fmt, first) __attribute__((format(printf, fmt, first)))
#else
#define QAPI_PRINTF(fmt, first)
#endif

/*
 * Error classes of the QMP protocol (wire names as in QEMU).  The C names
 * differ from QEMU's QapiErrorClass on purpose: a schema may define that
 * enum itself (QEMU's error.json does), and both must compile together.
 */
typedef enum QapiErrClass {
    QAPI_ERR_CLASS_GENERIC_ERROR,
    QAPI_ERR_CLASS_COMMAND_NOT_FOUND,
    QAPI_ERR_CLASS_DEVICE_NOT_ACTIVE,
    QAPI_ERR_CLASS_DEVICE_NOT_FOUND,
    QAPI_ERR_CLASS_KVM_MISSING_CAP,
    QAPI_ERR_CLASS__MAX
} QapiErrClass;

typedef struct QapiError QapiError;

/* Wire name of @cls ("GenericError", ...), or NULL if @cls is out of range. */
const char *qapi_error_class_name(QapiErrClass cls);

/* Set a GenericError with a printf-formatted message. */
void qapi_error_setg(QapiError **errp, const char *fmt, ...) QAPI_PRINTF(2, 3);

/* Set an error of class @cls with a printf-formatted message. */
void qapi_error_set(QapiError **errp, QapiErrClass cls, const char *fmt, ...)
    QAPI_PRINTF(3, 4);

/*
 * Move @local_err (may be NULL) into *dst_errp.  Ownership of @local_err
 * always passes: it is freed if dst_errp is NULL or *dst_errp already holds
 * an error.
 */
void qapi_error_propagate(QapiError **dst_errp, QapiError *local_err);

/*
 * Prefix the message of *errp with a printf-formatted string.  No-op if errp
 * or *errp is NULL; the message is left unchanged if memory runs out (and
 * for the static out-of-memory error).
 */
void qapi_error_prepend(QapiError **errp, const char *fmt, ...)
    QAPI_PRINTF(2, 3);

/* Human-readable message (borrowed). */
const char *qapi_error_get_pretty(const QapiError *err);

QapiErrClass qapi_error_get_class(const QapiError *err);

/* Free @err; NULL is allowed. */
void qapi_error_free(QapiError *err);

/* New error equal to @err (the caller owns it), or NULL if @err is NULL. */
QapiError *qapi_error_copy(const QapiError *err);

#ifdef __cplusplus
}
#endif

#endif /* QAPI_ERROR_H */
