/*
 * qapi/vfio-migration.h - the VMM side of VFIO device migration.
 *
 * What QEMU's hw/vfio/migration.c does around the uAPI, on a reference
 * device (qapi/vfio-device.h), reporting every state change as the QAPI
 * events VFIO_MIGRATION_PREPARE and VFIO_MIGRATION (schema/vfio.json):
 *
 *   vfio_mig_set_state(dev, NEW, RECOVER):
 *     NEW is the cached state: nothing (no event).
 *     PREPARE(NEW); SET NEW;
 *       success: VFIO_MIGRATION(NEW)
 *       failure, RECOVER given (not ERROR):
 *           PREPARE(RECOVER); SET RECOVER;
 *             success: VFIO_MIGRATION(RECOVER), return the first error
 *             failure: reset, VFIO_MIGRATION(RUNNING), return the error
 *       failure, no RECOVER: reset, VFIO_MIGRATION(RUNNING)
 *
 * Events carry the device's id and QOM path and the state as a
 * QapiVfioMigrationState; ERROR has no QAPI value and is never sent.
 * Emission can be switched off per device.
 *
 * Why callbacks: this library (libqapi-vfio) holds no generated code, so
 * that a program may compile its own schema (which includes vfio.json,
 * as schema/qapi-schema.json does) without duplicate symbols.  The
 * program passes vfio_qapi_event_emit (qapi/vfio-qapi-events.h), a
 * ten-line adapter compiled with the program's generated code, which
 * calls the generated qapi_event_send_vfio_migration_prepare() and
 * qapi_event_send_vfio_migration(): those build the events and hand them
 * to the sinks of <qapi/event.h>.
 *
 * A VfioMigDevice is used from one thread at a time.
 *
 * NULL or malformed arguments: an error, never a crash (qapi/error.h,
 * "Arguments").
 */
#ifndef QAPI_VFIO_MIGRATION_H
#define QAPI_VFIO_MIGRATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qapi/vfio-device.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum VfioMigEventKind {
    VFIO_MIG_EVENT_PREPARE,   /* VFIO_MIGRATION_PREPARE: about to change */
    VFIO_MIG_EVENT_MIGRATION, /* VFIO_MIGRATION: has changed */
} VfioMigEventKind;

/* Report one event; @state is a uAPI state, never ERROR. */
typedef void VfioMigEventFn(void *opaque, VfioMigEventKind kind,
                            const char *device_id, const char *qom_path,
                            uint32_t state);

typedef struct VfioMigDevice VfioMigDevice;

/*
 * The VMM's handle on @dev (not owned: it must outlive the handle), with
 * its state cached from a GET.  @emit may be NULL (no events).  Returns
 * NULL if out of memory.
 */
VfioMigDevice *vfio_mig_device_new(VfioRefDevice *dev, VfioMigEventFn *emit,
                                   void *opaque);
/* Close the data fd, if any, and free; NULL is fine. */
void vfio_mig_device_free(VfioMigDevice *mdev);

VfioRefDevice *vfio_mig_device_dev(const VfioMigDevice *mdev);
/* The state as the VMM knows it (what the last events said). */
uint32_t vfio_mig_device_state(const VfioMigDevice *mdev);
/* The current data session's fd (owned by the handle), or -1. */
int vfio_mig_device_data_fd(const VfioMigDevice *mdev);
/* Switch event emission for this device on or off (on by default). */
void vfio_mig_device_set_events(VfioMigDevice *mdev, bool enabled);
bool vfio_mig_device_events(const VfioMigDevice *mdev);

/*
 * Set the device to @new_state as described above; @recover_state
 * VFIO_DEVICE_STATE_ERROR means none.  A data fd the SET returns is kept
 * by the handle (vfio_mig_device_data_fd()); it is closed when the state
 * leaves the session's states.  Returns 0 or the SET's -errno.
 */
int vfio_mig_set_state(VfioMigDevice *mdev, uint32_t new_state,
                       uint32_t recover_state);

/*
 * Go to @target one FSM arc at a time (the kernel's path,
 * vfio_ref_mig_get_path()), each arc a vfio_mig_set_state() whose
 * recover state is the state before it: the P2P and intermediate states
 * appear in the events as the kernel's path has them.  Stops at the
 * first failure and returns it.
 */
int vfio_mig_walk(VfioMigDevice *mdev, uint32_t target);

/* Reset the device: VFIO_MIGRATION(RUNNING). */
int vfio_mig_reset(VfioMigDevice *mdev);

typedef enum VfioMigCopyMode {
    VFIO_MIG_COPY_SPLICE, /* splice(2) between the data fds: no copy */
    VFIO_MIG_COPY_RW,     /* read into a buffer, write it out */
} VfioMigCopyMode;

typedef struct VfioMigOptions {
    uint64_t dirty_per_round;     /* bytes the source dirties per pre-copy
                                     round (vfio_ref_device_run()) */
    unsigned max_rounds;          /* pre-copy rounds at most; 0: 8 */
    uint64_t stop_copy_threshold; /* go to STOP_COPY once dirty_bytes is
                                     at most this (initial_bytes 0) */
    VfioMigCopyMode copy_mode;
    size_t chunk; /* bytes per read/splice; 0: 1 MiB */
} VfioMigOptions;

typedef struct VfioMigStats {
    uint64_t bytes_precopy;  /* stream bytes moved in pre-copy */
    uint64_t bytes_stopcopy; /* stream bytes moved in STOP_COPY */
    uint64_t bytes;          /* both */
    uint64_t state_size;
    unsigned rounds;         /* pre-copy rounds */
    double seconds;          /* the whole migration */
    double transfer_seconds; /* from the first to the last data byte */
    double downtime_seconds; /* source stopped until destination runs */
    uint64_t src_hash, dst_hash;
    bool verified;        /* completed and the hashes agree */
    int error;            /* 0, or the errno that ended it */
    char failed_step[64]; /* what failed, "" on success */
} VfioMigStats;

/*
 * Migrate @src to @dst (same state size and flags):
 *   destination: to STOP, then RESUMING (its data fd);
 *   source with PRE_COPY: to PRE_COPY; rounds of moving data until
 *     ENOMSG (or a state's worth plus 1 MiB, for a source that dirties
 *     faster than data moves), the device running dirty_per_round
 *     between rounds, until
 *     PRECOPY_INFO says initial_bytes 0 and dirty_bytes at most the
 *     threshold (or max_rounds); then to STOP_COPY;
 *   source without PRE_COPY: to STOP_COPY;
 *   moving the rest until end of file;
 *   destination: to STOP (the device checks the stream), then RUNNING;
 *   source: to STOP;
 *   the destination's state hash must equal the source's.
 * Every state change goes through vfio_mig_walk(), so events follow the
 * kernel's paths (RUNNING_P2P, PRE_COPY_P2P on P2P devices).
 *
 * On failure the data fds are closed and each device not RUNNING is
 * returned to it with vfio_mig_set_state(RUNNING, no recover state) (so
 * the source runs on, and a device that cannot is reset); the error is
 * returned and described in @stats.
 * Returns 0 when the migration completed and was verified, -errno
 * otherwise (-EIO: completed but the hashes differ).
 */
int vfio_mig_migrate(VfioMigDevice *src, VfioMigDevice *dst,
                     const VfioMigOptions *opts, VfioMigStats *stats);

#ifdef __cplusplus
}
#endif

#endif /* QAPI_VFIO_MIGRATION_H */
