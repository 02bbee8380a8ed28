/*
 * harness-qmp.h - the QMP commands of schema/harness.json on a harness.
 *
 * The handlers (qmp_query_vfio_harness_devices() and the other four) act
 * on the harness bound here; qmp_init_marshal(), generated from
 * schema/harness.json, registers their marshallers in a QmpCommandList
 * that a QMP server (or qmp_dispatch()) then serves.
 */
#ifndef VFIO_HARNESS_QMP_H
#define VFIO_HARNESS_QMP_H

#include "harness.h"

/* Bind the handlers to @h (NULL: unbind; commands then fail). */
void vfio_harness_qmp_bind(VfioHarness *h);

#endif /* VFIO_HARNESS_QMP_H */
