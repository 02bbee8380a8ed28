/*
 * qapi/vfio-qapi-events.h - VFIO migration events through the generated
 * QAPI emitters.
 *
 * vfio_qapi_event_emit() is a VfioMigEventFn (qapi/vfio-migration.h)
 * that maps the uAPI state to QapiVfioMigrationState and calls the
 * generated qapi_event_send_vfio_migration_prepare() or
 * qapi_event_send_vfio_migration(), which build the event and hand it to
 * the sinks of <qapi/event.h>.
 *
 * It is not in libqapi-vfio: the generated code belongs to the program's
 * schema (any schema that includes vfio.json).  Compile
 * runtime/vfio/qapi-events.c into the program, next to its generated
 * code, with that code's directory on the include path (it includes
 * "qapi-events-vfio.h").
 *
 *   VfioMigDevice *m = vfio_mig_device_new(dev, vfio_qapi_event_emit, NULL);
 *
 * NULL or malformed arguments: an error, never a crash (qapi/error.h,
 * "Arguments").
 */
#ifndef QAPI_VFIO_QAPI_EVENTS_H
#define QAPI_VFIO_QAPI_EVENTS_H

#include "qapi/vfio-migration.h"

#ifdef __cplusplus
extern "C" {
#endif

void vfio_qapi_event_emit(void *opaque, VfioMigEventKind kind,
                          const char *device_id, const char *qom_path,
                          uint32_t state);

#ifdef __cplusplus
}
#endif

#endif /* QAPI_VFIO_QAPI_EVENTS_H */
