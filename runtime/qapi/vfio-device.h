/*
 * qapi/vfio-device.h - a reference migration-capable VFIO device.
 *
 * A software device that behaves as the VFIO migration uAPI v2 says a
 * kernel driver must (include/uapi/linux/vfio.h), for testing migration
 * flows and event consumers without hardware:
 *
 *   - an id, a QOM path, migration flags (one of the four combinations
 *     the uAPI defines) and an internal state of any size, which changes
 *     while the device runs (vfio_ref_device_run());
 *   - the uAPI operations: GET of the migration flags, GET and SET of the
 *     migration state, MIG_DATA_SIZE, device reset, and the same through
 *     one VFIO_DEVICE_FEATURE-style entry point;
 *   - SET walks a combination transition arc by arc
 *     (vfio_ref_mig_get_next_state()), and returns a real file descriptor
 *     (a pipe) when the last arc opens a data session: the read end for
 *     the saving group, the write end for RESUMING;
 *   - on that fd the device streams its state (PRE_COPY: the initial
 *     image, then what the device dirtied; STOP_COPY: the rest, then end
 *     of file), or accepts a stream in any segmentation (RESUMING),
 *     served by a device thread, as a kernel driver serves its fd;
 *   - the stream is versioned and checksummed; leaving RESUMING checks
 *     it, and a bad stream fails the SET with an errno and leaves the
 *     device in ERROR;
 *   - faults can be injected: a chosen arc fails, the next saved stream
 *     is corrupted, truncated, of a wrong version or over-long.
 *
 * The data fds are ordinary pipes: read(2), write(2), poll(2), splice(2)
 * work on them, and they can be passed to another process.  Two things a
 * kernel fd does cannot be done by a pipe, so they go through the
 * vfio_ref_data_*() calls below, which are read(2) / ioctl(2) with the
 * uAPI's extra semantics: read() failing with ENOMSG at the temporary end
 * of a PRE_COPY stream (plain read(2) blocks there instead, or fails with
 * EAGAIN on a non-blocking fd) and the VFIO_MIG_GET_PRECOPY_INFO ioctl.
 *
 * Writing to a RESUMING fd after the session ended (or reading from a
 * saving fd the device has closed) behaves as with any pipe: EPIPE, and
 * SIGPIPE unless the process ignores it; vfio_ref_data_write() and
 * vfio_ref_data_splice() never raise SIGPIPE.
 *
 * Errors are negative errno values (0 on success) unless noted; a NULL
 * device or result pointer, an unknown state, arc or fault kind is
 * -EINVAL (-1 with errno EINVAL for the data fd functions), the
 * accessors of a NULL device return NULL or 0 (qapi/error.h,
 * "Arguments", states the rule for all of libqapi).  Every
 * function is thread-safe; a SET, a reset and vfio_ref_device_free() must
 * not race with each other on one device (they are serialized, but the
 * device must outlive the calls).
 */
#ifndef QAPI_VFIO_DEVICE_H
#define QAPI_VFIO_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "qapi/vfio-fsm.h"
#include "qapi/vfio-uapi.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct VfioRefDevice VfioRefDevice;

typedef struct VfioRefDeviceConfig {
    const char *id;       /* the device id, e.g. "gpu0" (required) */
    const char *qom_path; /* NULL: "/machine/peripheral/ID" */
    uint32_t flags;       /* VFIO_MIGRATION_*: one of the four combos */
    uint64_t state_size;  /* bytes of internal state (may be 0) */
    uint64_t seed;        /* initial contents and workload randomness */
    uint32_t record_size; /* stream record payload; 0: 256 KiB */
} VfioRefDeviceConfig;

/*
 * Create a device in RUNNING, its state filled from @cfg->seed.
 * Returns 0 and stores it in *@devp, or -EINVAL (bad configuration),
 * -ENOMEM.
 */
int vfio_ref_device_new(const VfioRefDeviceConfig *cfg, VfioRefDevice **devp);
/* Tear down any session (its fd sees end of file) and free; NULL is fine. */
void vfio_ref_device_free(VfioRefDevice *dev);

const char *vfio_ref_device_id(const VfioRefDevice *dev);
const char *vfio_ref_device_qom_path(const VfioRefDevice *dev);
uint64_t vfio_ref_device_state_size(const VfioRefDevice *dev);
uint32_t vfio_ref_device_flags(const VfioRefDevice *dev);

/* --- the uAPI operations ------------------------------------------------- */

/* VFIO_DEVICE_FEATURE_MIGRATION, GET: the supported flags. */
int vfio_ref_device_get_migration_flags(VfioRefDevice *dev, uint64_t *flags);

/* VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, GET. */
int vfio_ref_device_get_state(VfioRefDevice *dev, uint32_t *state);

/*
 * VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, SET: move to @new_state, arc by
 * arc.  On success *@data_fd (if not NULL) is the fd of the data session
 * the last arc opened, or -1; the caller owns and closes it.  (With
 * @data_fd NULL such an fd is closed at once.)  On failure *@data_fd is
 * -1 and the device is in the state before the failed arc (possibly an
 * interior state of the path) or in ERROR:
 *   -EINVAL   @new_state out of range, ERROR, unsupported, or no path
 *             (STOP_COPY -> PRE_COPY*, anything from ERROR)
 *   -errno    an injected arc fault; or leaving RESUMING with a bad
 *             stream (EINVAL, EPROTO, EBADMSG, ENODATA, EMSGSIZE: see
 *             runtime/vfio/stream.h), the device then in ERROR;
 *             or EMFILE, ENOMEM, EAGAIN opening a session.
 * Setting the current state succeeds and changes nothing.
 */
int vfio_ref_device_set_state(VfioRefDevice *dev, uint32_t new_state,
                              int *data_fd);

/*
 * VFIO_DEVICE_FEATURE_MIG_DATA_SIZE, GET: an estimate of the bytes the
 * device would still produce in STOP_COPY (the whole image outside a
 * saving session).
 */
int vfio_ref_device_get_data_size(VfioRefDevice *dev,
                                  uint64_t *stop_copy_length);

/*
 * VFIO_DEVICE_RESET: end any session (a saving fd sees end of file after
 * what it holds, writes to a resuming fd fail) and return to RUNNING,
 * from any state, ERROR included.  The internal state is kept.
 */
int vfio_ref_device_reset(VfioRefDevice *dev);

/*
 * The VFIO_DEVICE_FEATURE ioctl: @feature->argsz, ->flags (the feature
 * index and VFIO_DEVICE_FEATURE_GET/_SET/_PROBE) and ->data as for the
 * kernel, for VFIO_DEVICE_FEATURE_MIGRATION, _MIG_DEVICE_STATE and
 * _MIG_DATA_SIZE; any other feature gives -ENOTTY.  Returns 0 or -errno
 * as the ioctl would (after filling ->data where the kernel does).
 */
int vfio_ref_device_feature(VfioRefDevice *dev,
                            struct vfio_device_feature *feature);

/* --- the data fd ------------------------------------------------------------
 */

/*
 * read(2) on a data fd, with the uAPI's semantics: -1 with errno ENOMSG
 * when a PRE_COPY session has nothing more to give for now (initial_bytes
 * and dirty_bytes both 0); in STOP_COPY, 0 at the end of the stream.
 * Blocks like read(2) while the device prepares more (unless the fd was
 * made non-blocking).  On an fd that is not a live data fd: plain read(2).
 */
ssize_t vfio_ref_data_read(int fd, void *buf, size_t count);

/* write(2) on a RESUMING fd, any segmentation; never raises SIGPIPE. */
ssize_t vfio_ref_data_write(int fd, const void *buf, size_t count);

/*
 * Move up to @count bytes from data fd @fd_in to @fd_out without copying
 * them (splice(2); both must be pipes, e.g. a saving fd and a RESUMING
 * fd), with vfio_ref_data_read()'s ENOMSG and end-of-file semantics.
 * Never raises SIGPIPE.  Returns the bytes moved, 0 at end of file, or
 * -1 with errno.
 */
ssize_t vfio_ref_data_splice(int fd_in, int fd_out, size_t count);

/*
 * ioctl(fd, VFIO_MIG_GET_PRECOPY_INFO, info): 0, or -1 with errno EINVAL
 * when the device is not in PRE_COPY or PRE_COPY_P2P (or @info->argsz is
 * too small), ENOTTY when @fd is not a live saving fd.
 */
int vfio_ref_data_precopy_info(int fd, struct vfio_precopy_info *info);

/* --- the device's workload --------------------------------------------------
 */

/*
 * Let the device run: if it is in a running state (RUNNING, RUNNING_P2P,
 * PRE_COPY, PRE_COPY_P2P) it changes @bytes of its state (rounded up to
 * whole pages, at pseudo-random places), which a PRE_COPY session then
 * reports as dirty.  Returns the bytes changed (0 when stopped), or
 * -errno.
 */
int64_t vfio_ref_device_run(VfioRefDevice *dev, uint64_t bytes);

/*
 * A background workload: a device thread calls vfio_ref_device_run() so
 * that, while the device is in a running state, about @bytes_per_second
 * of its state change every second (in steps of a few milliseconds),
 * concurrently with whatever else happens, data sessions included.  0
 * stops it.  Returns 0, or -errno if the thread cannot start.
 */
int vfio_ref_device_set_workload(VfioRefDevice *dev, uint64_t bytes_per_second);

/* Refill the whole state from @seed (not while a session is open:
 * -EBUSY). */
int vfio_ref_device_fill(VfioRefDevice *dev, uint64_t seed);

/*
 * A 64-bit checksum of the whole internal state; two devices whose
 * hashes agree hold the same state.  -EBUSY while RESUMING.
 */
int vfio_ref_device_hash(VfioRefDevice *dev, uint64_t *hash);

/*
 * Copy @len bytes of the state at @offset into @buf (tests); -EINVAL out
 * of range, -EBUSY while RESUMING.
 */
int vfio_ref_device_peek(VfioRefDevice *dev, uint64_t offset, void *buf,
                         size_t len);

/* --- fault injection --------------------------------------------------------
 */

/*
 * Make the arc @from -> @to fail with -@err (a positive errno) the next
 * @count times it is taken (0: every time), the device staying in @from
 * or, with @to_error, going to ERROR (its session torn down).  Several
 * arcs may be armed; arming an arc again replaces its fault.  -EINVAL
 * unless @from -> @to is an arc of this device and @err > 0.
 */
int vfio_ref_device_fail_arc(VfioRefDevice *dev, uint32_t from, uint32_t to,
                             int err, bool to_error, unsigned count);

typedef enum VfioRefStreamFault {
    VFIO_REF_STREAM_OK = 0,
    /* flip every bit of the byte at stream offset @arg */
    VFIO_REF_STREAM_CORRUPT,
    /* end the stream after @arg bytes: pre-copy then has no more data,
     * STOP_COPY reaches end of file there */
    VFIO_REF_STREAM_TRUNCATE,
    /* write a stream header of version VFIO stream version + @arg (@arg
     * 0 counts as 1), with a valid checksum */
    VFIO_REF_STREAM_BAD_VERSION,
    /* append @arg junk bytes (at least 1) after the END record */
    VFIO_REF_STREAM_OVERLONG,
} VfioRefStreamFault;

/* Damage the next saving session's stream (one fault at a time; the
 * session that starts next consumes it).  -EINVAL for an unknown kind. */
int vfio_ref_device_fault_stream(VfioRefDevice *dev, VfioRefStreamFault kind,
                                 uint64_t arg);

/* Disarm every arc and stream fault. */
void vfio_ref_device_clear_faults(VfioRefDevice *dev);

/* Short names: "corrupt", "truncate", "bad-version", "overlong"; parse
 * returns the kind or -1. */
const char *vfio_ref_stream_fault_name(VfioRefStreamFault kind);
int vfio_ref_stream_fault_parse(const char *name);

/* --- statistics
 * --------------------------------------------------------------- */

typedef struct VfioRefDeviceStats {
    uint64_t arcs;          /* FSM arcs taken */
    uint64_t sessions;      /* data sessions opened */
    uint64_t bytes_saved;   /* stream bytes the device produced */
    uint64_t bytes_loaded;  /* stream bytes the device consumed */
    uint64_t pages_dirtied; /* pages the workload changed */
    uint64_t pages_cow;     /* of those, copied because still in a pipe */
    uint64_t resets;
    int last_stream_error; /* errno of the last rejected stream, or 0 */
} VfioRefDeviceStats;

void vfio_ref_device_get_stats(VfioRefDevice *dev, VfioRefDeviceStats *st);

#ifdef __cplusplus
}
#endif

#endif /* QAPI_VFIO_DEVICE_H */
