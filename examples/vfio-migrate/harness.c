/*
 * The devices vfio-migrate drives (see harness.h).
 */
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "qapi/vfio-qapi-events.h"

int vfio_harness_init(VfioHarness *h, const VfioHarnessConfig *cfg)
{
    const char *ids[VFIO_HARNESS_NDEV] = {
        cfg->src_id ? cfg->src_id : "vfio-src0",
        cfg->dst_id ? cfg->dst_id : "vfio-dst0",
    };

    memset(h, 0, sizeof(*h));
    if (!strcmp(ids[0], ids[1])) {
        return -EINVAL;
    }
    for (int i = 0; i < VFIO_HARNESS_NDEV; i++) {
        VfioRefDeviceConfig dc = {
            .id = ids[i],
            .flags = cfg->flags,
            .state_size = cfg->state_size,
            /* The destination starts with other contents, so that only
             * a working migration makes the hashes agree. */
            .seed = cfg->seed + (uint64_t)i * 0x9E3779B97F4A7C15ull,
        };
        int r = vfio_ref_device_new(&dc, &h->dev[i]);

        if (r < 0) {
            vfio_harness_destroy(h);
            return r;
        }
        h->mig[i] = vfio_mig_device_new(h->dev[i], vfio_qapi_event_emit, NULL);
        if (!h->mig[i]) {
            vfio_harness_destroy(h);
            return -ENOMEM;
        }
    }
    return 0;
}

void vfio_harness_destroy(VfioHarness *h)
{
    for (int i = 0; i < VFIO_HARNESS_NDEV; i++) {
        vfio_mig_device_free(h->mig[i]);
        vfio_ref_device_free(h->dev[i]);
        h->mig[i] = NULL;
        h->dev[i] = NULL;
    }
}

int vfio_harness_find(const VfioHarness *h, const char *id)
{
    for (int i = 0; i < VFIO_HARNESS_NDEV; i++) {
        if (h->dev[i] && id && !strcmp(vfio_ref_device_id(h->dev[i]), id)) {
            return i;
        }
    }
    return -1;
}

int vfio_harness_migrate(VfioHarness *h, int from, int to, VfioMigStats *st)
{
    if (from < 0 || from >= VFIO_HARNESS_NDEV || to < 0 ||
        to >= VFIO_HARNESS_NDEV || from == to) {
        memset(st, 0, sizeof(*st));
        st->error = EINVAL;
        return -EINVAL;
    }
    return vfio_mig_migrate(h->mig[from], h->mig[to], &h->opts, st);
}
