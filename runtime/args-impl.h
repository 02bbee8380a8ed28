/*
 * Argument checks of libqapi's public functions (the rule is stated in
 * qapi/error.h, "Arguments"): a NULL or malformed argument is reported
 * the way the function reports its other errors, never a crash.
 * Internal, not installed.
 */
#ifndef QAPI_ARGS_IMPL_H
#define QAPI_ARGS_IMPL_H

#include <errno.h>

#include "qapi/error.h"

/* Unless @ok: set "FUNCTION: @what" on @errp and return @ret. */
#define QAPI_ARG_CHECK(ok, errp, what, ret)                                    \
    do {                                                                       \
        if (!(ok)) {                                                           \
            qapi_error_setg((errp), "%s: %s", __func__, (what));               \
            return ret;                                                        \
        }                                                                      \
    } while (0)

/* Unless @ok: errno EINVAL, return @ret. */
#define QAPI_ARG_ERRNO(ok, ret)                                                \
    do {                                                                       \
        if (!(ok)) {                                                           \
            errno = EINVAL;                                                    \
            return ret;                                                        \
        }                                                                      \
    } while (0)

#endif /* QAPI_ARGS_IMPL_H */
