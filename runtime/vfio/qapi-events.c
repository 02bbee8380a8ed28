/*
 * VFIO migration events through the generated QAPI emitters (see
 * qapi/vfio-qapi-events.h).  Compiled into each program with the program's
 * own generated code, not into libqapi-vfio.
 */
#include <stdbool.h>

#include "qapi-events-vfio.h"
#include "qapi/vfio-qapi-events.h"

/* As QEMU's mig_state_to_qapi_state(); false for ERROR. */
static bool to_qapi(uint32_t state, QapiVfioMigrationState *out)
{
    switch (state) {
    case VFIO_DEVICE_STATE_STOP:
        *out = QAPI_VFIO_MIGRATION_STATE_STOP;
        return true;
    case VFIO_DEVICE_STATE_RUNNING:
        *out = QAPI_VFIO_MIGRATION_STATE_RUNNING;
        return true;
    case VFIO_DEVICE_STATE_STOP_COPY:
        *out = QAPI_VFIO_MIGRATION_STATE_STOP_COPY;
        return true;
    case VFIO_DEVICE_STATE_RESUMING:
        *out = QAPI_VFIO_MIGRATION_STATE_RESUMING;
        return true;
    case VFIO_DEVICE_STATE_RUNNING_P2P:
        *out = QAPI_VFIO_MIGRATION_STATE_RUNNING_P2P;
        return true;
    case VFIO_DEVICE_STATE_PRE_COPY:
        *out = QAPI_VFIO_MIGRATION_STATE_PRE_COPY;
        return true;
    case VFIO_DEVICE_STATE_PRE_COPY_P2P:
        *out = QAPI_VFIO_MIGRATION_STATE_PRE_COPY_P2P;
        return true;
    default:
        return false;
    }
}

void vfio_qapi_event_emit(void *opaque, VfioMigEventKind kind,
                          const char *device_id, const char *qom_path,
                          uint32_t state)
{
    QapiVfioMigrationState qs;

    (void)opaque;
    if (!to_qapi(state, &qs)) {
        return;
    }
    if (kind == VFIO_MIG_EVENT_PREPARE) {
        qapi_event_send_vfio_migration_prepare(device_id, qom_path, qs);
    } else {
        qapi_event_send_vfio_migration(device_id, qom_path, qs);
    }
}
