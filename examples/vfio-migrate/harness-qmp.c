/*
 * The QMP commands of schema/harness.json (see harness-qmp.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness-qmp.h"
#include "qapi-commands.h"
#include "qapi/enum.h"

static VfioHarness *bound;

void vfio_harness_qmp_bind(VfioHarness *h)
{
    bound = h;
}

/* The device called @id, or -1 with DeviceNotFound. */
static int find(const char *id, QapiError **errp)
{
    int i = bound ? vfio_harness_find(bound, id) : -1;

    if (i < 0) {
        qapi_error_set(errp, QAPI_ERR_CLASS_DEVICE_NOT_FOUND,
                       "Device '%s' not found", id);
    }
    return i;
}

static uint32_t to_uapi(QapiVfioMigrationState s)
{
    int st = vfio_ref_state_parse(QapiVfioMigrationState_str(s));

    return st < 0 ? VFIO_DEVICE_STATE_ERROR : (uint32_t)st;
}

static VfioHarnessDevice *describe(int i)
{
    VfioRefDevice *dev = bound->dev[i];
    VfioMigDevice *mig = bound->mig[i];
    VfioHarnessDevice *d = calloc(1, sizeof(*d));
    VfioHarnessFlagList **tail;
    uint32_t state = VFIO_DEVICE_STATE_ERROR;
    uint32_t flags = vfio_ref_device_flags(dev);
    const char *qapi_name;

    if (!d) {
        return NULL;
    }
    d->id = strdup(vfio_ref_device_id(dev));
    d->qom_path = strdup(vfio_ref_device_qom_path(dev));
    d->state_size = vfio_ref_device_state_size(dev);
    d->events = vfio_mig_device_events(mig);
    vfio_ref_device_get_state(dev, &state);
    qapi_name = vfio_ref_state_qapi_name(state);
    d->error = state == VFIO_DEVICE_STATE_ERROR;
    if (qapi_name) {
        d->has_state = true;
        d->state = (QapiVfioMigrationState)qapi_enum_parse(
            &QapiVfioMigrationState_lookup, qapi_name, 0, NULL);
    }
    tail = &d->flags;
    for (int f = 0; f < VFIO_HARNESS_FLAG__MAX; f++) {
        if (flags & (1u << f)) {
            VfioHarnessFlagList *e = calloc(1, sizeof(*e));

            if (!e) {
                break;
            }
            e->value = (VfioHarnessFlag)f;
            *tail = e;
            tail = &e->next;
        }
    }
    if (!d->id || !d->qom_path) {
        qapi_free_VfioHarnessDevice(d);
        return NULL;
    }
    return d;
}

VfioHarnessDeviceList *qmp_query_vfio_harness_devices(QapiError **errp)
{
    VfioHarnessDeviceList *head = NULL, **tail = &head;

    for (int i = 0; bound && i < VFIO_HARNESS_NDEV; i++) {
        VfioHarnessDeviceList *e = calloc(1, sizeof(*e));

        if (!e || !(e->value = describe(i))) {
            free(e);
            qapi_free_VfioHarnessDeviceList(head);
            qapi_error_setg(errp, "Out of memory");
            return NULL;
        }
        *tail = e;
        tail = &e->next;
    }
    return head;
}

void qmp_vfio_harness_set_state(const char *id, QapiVfioMigrationState state,
                                bool has_recover,
                                QapiVfioMigrationState recover,
                                QapiError **errp)
{
    int i = find(id, errp);
    int r;

    if (i < 0) {
        return;
    }
    r = vfio_mig_set_state(bound->mig[i], to_uapi(state),
                           has_recover ? to_uapi(recover)
                                       : VFIO_DEVICE_STATE_ERROR);
    if (r < 0) {
        qapi_error_setg(errp, "Device '%s' could not go to %s: %s", id,
                        QapiVfioMigrationState_str(state), strerror(-r));
    }
}

void qmp_vfio_harness_reset(const char *id, QapiError **errp)
{
    int i = find(id, errp);

    if (i >= 0) {
        vfio_mig_reset(bound->mig[i]);
    }
}

void qmp_vfio_harness_set_events(const char *id, bool enable, QapiError **errp)
{
    int i = find(id, errp);

    if (i >= 0) {
        vfio_mig_device_set_events(bound->mig[i], enable);
    }
}

VfioHarnessMigration *
qmp_vfio_harness_migrate(const char *source, const char *destination,
                         bool has_dirty_rate, uint64_t dirty_rate,
                         bool has_max_rounds, uint32_t max_rounds,
                         QapiError **errp)
{
    int from = source ? find(source, errp) : VFIO_HARNESS_SRC;
    int to = from < 0      ? -1
             : destination ? find(destination, errp)
                           : VFIO_HARNESS_DST;
    VfioMigOptions saved;
    VfioHarnessMigration *out;
    VfioMigStats st;

    if (from < 0 || to < 0) {
        return NULL;
    }
    if (from == to) {
        qapi_error_setg(errp, "Cannot migrate device '%s' to itself",
                        vfio_ref_device_id(bound->dev[from]));
        return NULL;
    }
    saved = bound->opts;
    if (has_dirty_rate) {
        bound->opts.dirty_per_round = dirty_rate;
    }
    if (has_max_rounds) {
        bound->opts.max_rounds = max_rounds;
    }
    vfio_harness_migrate(bound, from, to, &st);
    bound->opts = saved;
    out = calloc(1, sizeof(*out));
    if (!out) {
        qapi_error_setg(errp, "Out of memory");
        return NULL;
    }
    out->verified = st.verified;
    out->bytes = st.bytes;
    out->bytes_precopy = st.bytes_precopy;
    out->bytes_stopcopy = st.bytes_stopcopy;
    out->rounds = st.rounds;
    out->seconds = st.seconds;
    out->downtime_seconds = st.downtime_seconds;
    if (!st.verified) {
        out->error =
            strdup(st.error ? strerror(st.error) : "the states differ");
        out->failed_step = strdup(st.failed_step);
    }
    return out;
}
