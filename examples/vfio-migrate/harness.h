/*
 * harness.h - the devices vfio-migrate drives: a source and a destination
 * reference device, each with its VMM-side handle reporting events
 * through the generated QAPI emitters.  Shared by the command line
 * (vfio-migrate.c) and the QMP commands of schema/harness.json (qmp.c).
 */
#ifndef VFIO_HARNESS_H
#define VFIO_HARNESS_H

#include <stdint.h>

#include "qapi/vfio-migration.h"

enum { VFIO_HARNESS_SRC, VFIO_HARNESS_DST, VFIO_HARNESS_NDEV };

typedef struct VfioHarnessConfig {
    uint64_t state_size;
    uint32_t flags;
    uint64_t seed;
    const char *src_id; /* NULL: "vfio-src0" */
    const char *dst_id; /* NULL: "vfio-dst0" */
} VfioHarnessConfig;

typedef struct VfioHarness {
    VfioRefDevice *dev[VFIO_HARNESS_NDEV];
    VfioMigDevice *mig[VFIO_HARNESS_NDEV];
    VfioMigOptions opts;
} VfioHarness;

/* Create both devices (different contents) and their handles: 0 or
 * -errno. */
int vfio_harness_init(VfioHarness *h, const VfioHarnessConfig *cfg);
void vfio_harness_destroy(VfioHarness *h);

/* The index of the device called @id, or -1. */
int vfio_harness_find(const VfioHarness *h, const char *id);

/* Migrate device @from to device @to with h->opts. */
int vfio_harness_migrate(VfioHarness *h, int from, int to, VfioMigStats *st);

#endif /* VFIO_HARNESS_H */
