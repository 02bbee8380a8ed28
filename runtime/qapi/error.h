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
 *
 * Arguments (every public function of libqapi): a NULL or
 * malformed argument (a NULL object or result pointer, an enum lookup
 * table without names, a range with min > max, an invalid port or file
 * descriptor) is reported the way the function reports its other
 * failures, never by a crash:
 *
 *   - with errp: the error "FUNCTION: argument 'NAME' is NULL" (or what is
 *     wrong) and the failure value (false, -1, NULL, the default);
 *   - without errp: NULL, -1 or false, with errno EINVAL where the
 *     function documents errno; accessors of a NULL object return NULL,
 *     0 or false;
 *   - functions that return nothing do nothing (a writer of
 *     qapi/output.h given a NULL key marks its output failed); free
 *     functions accept NULL.
 *
 * Where a function documents NULL as meaning something (qapi_enum_parse()'s
 * name, qapi_input_new_text()'s text, qapi_output_str()'s value), that
 * meaning holds.  Format strings must not be NULL, as for printf().
 * libqapi-vfio follows the same rule with its own error values
 * (qapi/vfio-device.h).
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

/* Set an error of class @cls (an unknown class: GenericError) with a
 * printf-formatted message. */
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

/* Human-readable message (borrowed); NULL for a NULL error. */
const char *qapi_error_get_pretty(const QapiError *err);

/* GenericError for a NULL error. */
QapiErrClass qapi_error_get_class(const QapiError *err);

/* Free @err; NULL is allowed. */
void qapi_error_free(QapiError *err);

/* New error equal to @err (the caller owns it), or NULL if @err is NULL. */
QapiError *qapi_error_copy(const QapiError *err);

#ifdef __cplusplus
}
#endif

#endif /* QAPI_ERROR_H */
