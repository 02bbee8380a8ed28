/*
 * qapi/vfio-uapi.h - the VFIO device migration uAPI (protocol v2) values.
 *
 * The states, the migration flags, the data-session structures and the
 * feature numbers of Linux's include/uapi/linux/vfio.h, as of Linux 6.2
 * (the first kernel with PRE_COPY).  <linux/vfio.h> provides them where
 * it has them; this header adds what older headers lack (Debian 12's
 * linux-libc-dev 6.1 has no PRE_COPY, PRE_COPY_P2P, VFIO_MIGRATION_PRE_COPY,
 * struct vfio_precopy_info, VFIO_MIG_GET_PRECOPY_INFO nor
 * VFIO_DEVICE_FEATURE_MIG_DATA_SIZE), with the same names and values.
 *
 * VFIO_REF_* is this project's own copy of every number the uAPI fixes;
 * compile-time checks below prove that <linux/vfio.h> (or the definitions
 * carried here) agree with it, whichever kernel headers are installed.
 *
 *   state                          value   needs flags
 *   VFIO_DEVICE_STATE_ERROR          0     (entered only by a failure)
 *   VFIO_DEVICE_STATE_STOP           1     STOP_COPY
 *   VFIO_DEVICE_STATE_RUNNING        2     STOP_COPY
 *   VFIO_DEVICE_STATE_STOP_COPY      3     STOP_COPY
 *   VFIO_DEVICE_STATE_RESUMING       4     STOP_COPY
 *   VFIO_DEVICE_STATE_RUNNING_P2P    5     STOP_COPY | P2P
 *   VFIO_DEVICE_STATE_PRE_COPY       6     STOP_COPY | PRE_COPY
 *   VFIO_DEVICE_STATE_PRE_COPY_P2P   7     STOP_COPY | P2P | PRE_COPY
 *
 *   VFIO_MIGRATION_STOP_COPY  1 << 0
 *   VFIO_MIGRATION_P2P        1 << 1
 *   VFIO_MIGRATION_PRE_COPY   1 << 2
 *
 * The uAPI defines four flag combinations: STOP_COPY, STOP_COPY | P2P,
 * STOP_COPY | PRE_COPY and STOP_COPY | P2P | PRE_COPY.
 *
 * NULL or malformed arguments: an error, never a crash (qapi/error.h,
 * "Arguments").
 */
#ifndef QAPI_VFIO_UAPI_H
#define QAPI_VFIO_UAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/ioctl.h>
#include <linux/types.h>
#include <linux/vfio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The uAPI's numbers, independently of any installed header. */
#define VFIO_REF_STATE_ERROR 0
#define VFIO_REF_STATE_STOP 1
#define VFIO_REF_STATE_RUNNING 2
#define VFIO_REF_STATE_STOP_COPY 3
#define VFIO_REF_STATE_RESUMING 4
#define VFIO_REF_STATE_RUNNING_P2P 5
#define VFIO_REF_STATE_PRE_COPY 6
#define VFIO_REF_STATE_PRE_COPY_P2P 7
#define VFIO_REF_NUM_STATES 8

#define VFIO_REF_MIGRATION_STOP_COPY (1u << 0)
#define VFIO_REF_MIGRATION_P2P (1u << 1)
#define VFIO_REF_MIGRATION_PRE_COPY (1u << 2)
/* Every flag the uAPI defines. */
#define VFIO_REF_MIGRATION_ALL                                                 \
    (VFIO_REF_MIGRATION_STOP_COPY | VFIO_REF_MIGRATION_P2P |                   \
     VFIO_REF_MIGRATION_PRE_COPY)

#define VFIO_REF_FEATURE_MIGRATION 1
#define VFIO_REF_FEATURE_MIG_DEVICE_STATE 2
#define VFIO_REF_FEATURE_MIG_DATA_SIZE 9

/*
 * What Linux < 6.2 headers lack.  VFIO_MIGRATION_PRE_COPY, the two
 * PRE_COPY states, struct vfio_precopy_info and VFIO_MIG_GET_PRECOPY_INFO
 * arrived together (Linux commit "vfio: Extend the device migration
 * protocol with PRE_COPY"), so one test covers them.  The states are
 * enumerators in newer headers and macros here: both are integer
 * constant expressions of the same value.
 */
#ifndef VFIO_MIGRATION_PRE_COPY
#define VFIO_MIGRATION_PRE_COPY (1 << 2)
#define VFIO_DEVICE_STATE_PRE_COPY 6
#define VFIO_DEVICE_STATE_PRE_COPY_P2P 7
#define VFIO_REF_UAPI_COMPAT_PRE_COPY 1
#endif

#ifndef VFIO_MIG_GET_PRECOPY_INFO
/*
 * On the data fd of a PRE_COPY session: how much is left to read.
 * initial_bytes starts non-zero and falls as the initial image is read;
 * dirty_bytes grows as the running device changes its state and falls as
 * those changes are read.  argsz in, the rest out.
 */
struct vfio_precopy_info {
    __u32 argsz;
    __u32 flags;
    __aligned_u64 initial_bytes;
    __aligned_u64 dirty_bytes;
};
#define VFIO_MIG_GET_PRECOPY_INFO _IO(VFIO_TYPE, VFIO_BASE + 21)
#define VFIO_REF_UAPI_COMPAT_PRECOPY_INFO 1
#endif

#ifndef VFIO_DEVICE_FEATURE_MIG_DATA_SIZE
/* GET: an estimate of the bytes the device will produce in STOP_COPY. */
struct vfio_device_feature_mig_data_size {
    __aligned_u64 stop_copy_length;
};
#define VFIO_DEVICE_FEATURE_MIG_DATA_SIZE 9
#define VFIO_REF_UAPI_COMPAT_MIG_DATA_SIZE 1
#endif

/* Compile-time proof that the installed (or carried) names agree. */
#ifdef __cplusplus
#define VFIO_REF_STATIC_ASSERT(expr, msg) static_assert(expr, msg)
#else
#define VFIO_REF_STATIC_ASSERT(expr, msg) _Static_assert(expr, msg)
#endif
VFIO_REF_STATIC_ASSERT(VFIO_DEVICE_STATE_ERROR == VFIO_REF_STATE_ERROR,
                       "VFIO_DEVICE_STATE_ERROR");
VFIO_REF_STATIC_ASSERT(VFIO_DEVICE_STATE_STOP == VFIO_REF_STATE_STOP,
                       "VFIO_DEVICE_STATE_STOP");
VFIO_REF_STATIC_ASSERT(VFIO_DEVICE_STATE_RUNNING == VFIO_REF_STATE_RUNNING,
                       "VFIO_DEVICE_STATE_RUNNING");
VFIO_REF_STATIC_ASSERT(VFIO_DEVICE_STATE_STOP_COPY == VFIO_REF_STATE_STOP_COPY,
                       "VFIO_DEVICE_STATE_STOP_COPY");
VFIO_REF_STATIC_ASSERT(VFIO_DEVICE_STATE_RESUMING == VFIO_REF_STATE_RESUMING,
                       "VFIO_DEVICE_STATE_RESUMING");
VFIO_REF_STATIC_ASSERT(VFIO_DEVICE_STATE_RUNNING_P2P ==
                           VFIO_REF_STATE_RUNNING_P2P,
                       "VFIO_DEVICE_STATE_RUNNING_P2P");
VFIO_REF_STATIC_ASSERT(VFIO_DEVICE_STATE_PRE_COPY == VFIO_REF_STATE_PRE_COPY,
                       "VFIO_DEVICE_STATE_PRE_COPY");
VFIO_REF_STATIC_ASSERT(VFIO_DEVICE_STATE_PRE_COPY_P2P ==
                           VFIO_REF_STATE_PRE_COPY_P2P,
                       "VFIO_DEVICE_STATE_PRE_COPY_P2P");
VFIO_REF_STATIC_ASSERT(VFIO_MIGRATION_STOP_COPY == VFIO_REF_MIGRATION_STOP_COPY,
                       "VFIO_MIGRATION_STOP_COPY");
VFIO_REF_STATIC_ASSERT(VFIO_MIGRATION_P2P == VFIO_REF_MIGRATION_P2P,
                       "VFIO_MIGRATION_P2P");
VFIO_REF_STATIC_ASSERT(VFIO_MIGRATION_PRE_COPY == VFIO_REF_MIGRATION_PRE_COPY,
                       "VFIO_MIGRATION_PRE_COPY");
VFIO_REF_STATIC_ASSERT(VFIO_DEVICE_FEATURE_MIGRATION ==
                           VFIO_REF_FEATURE_MIGRATION,
                       "VFIO_DEVICE_FEATURE_MIGRATION");
VFIO_REF_STATIC_ASSERT(VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE ==
                           VFIO_REF_FEATURE_MIG_DEVICE_STATE,
                       "VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE");
VFIO_REF_STATIC_ASSERT(VFIO_DEVICE_FEATURE_MIG_DATA_SIZE ==
                           VFIO_REF_FEATURE_MIG_DATA_SIZE,
                       "VFIO_DEVICE_FEATURE_MIG_DATA_SIZE");
VFIO_REF_STATIC_ASSERT(sizeof(struct vfio_precopy_info) == 24,
                       "struct vfio_precopy_info");
VFIO_REF_STATIC_ASSERT(sizeof(struct vfio_device_feature_mig_state) == 8,
                       "struct vfio_device_feature_mig_state");
VFIO_REF_STATIC_ASSERT(sizeof(struct vfio_device_feature_migration) == 8,
                       "struct vfio_device_feature_migration");
VFIO_REF_STATIC_ASSERT(sizeof(struct vfio_device_feature_mig_data_size) == 8,
                       "struct vfio_device_feature_mig_data_size");

/*
 * The uAPI name of @state ("STOP_COPY", ...), or NULL when it is not one
 * of the eight states.
 */
const char *vfio_ref_state_name(uint32_t state);

/*
 * The name of the QAPI enum value QapiVfioMigrationState (schema/vfio.json)
 * for @state: "stop", "running", "stop-copy", "resuming", "running-p2p",
 * "pre-copy", "pre-copy-p2p".  NULL for ERROR, which has no QAPI value,
 * and for anything out of range.
 */
const char *vfio_ref_state_qapi_name(uint32_t state);

/*
 * Parse a state name: the uAPI name or the QAPI name, in any case
 * ("STOP_COPY", "stop-copy", "stop_copy"), or a number 0..7.  Returns
 * the state, or -1.
 */
int vfio_ref_state_parse(const char *name);

/* The flags a state needs (the table above); 0 for out-of-range states. */
uint32_t vfio_ref_state_required_flags(uint32_t state);

/*
 * True when @flags is one of the four combinations the uAPI defines.
 * The device model only accepts those.
 */
bool vfio_ref_flags_valid(uint64_t flags);

/*
 * True when @state is one of the states a device with @flags supports
 * (ERROR excluded: it is never a requested state).
 */
bool vfio_ref_state_supported(uint32_t flags, uint32_t state);

/* Saving group: PRE_COPY, PRE_COPY_P2P and STOP_COPY share one session. */
bool vfio_ref_state_is_saving(uint32_t state);

/* States in which the device runs: RUNNING, RUNNING_P2P and PRE_COPY(_P2P). */
bool vfio_ref_state_is_running(uint32_t state);

/*
 * Format @flags as "stop-copy,p2p,pre-copy" (the set flags, in that order,
 * then any unknown bits in hex) into @buf of @size bytes; returns @buf.
 */
char *vfio_ref_flags_format(uint64_t flags, char *buf, size_t size);

/*
 * Parse flags: a comma-separated list of "stop-copy", "p2p", "pre-copy"
 * ("precopy", "stopcopy" and upper case accepted), "all", or a number.
 * "p2p" and "pre-copy" imply "stop-copy".  Returns 0 and stores them, or
 * -1.
 */
int vfio_ref_flags_parse(const char *text, uint32_t *flags);

#ifdef __cplusplus
}
#endif

#endif /* QAPI_VFIO_UAPI_H */
