/*
 * check-qmp-client-vfio SOCKET EVENTS TRACE - the typed client of
 * schema/harness.json against vfio-migrate --qmp SOCKET.
 *
 * Connects (waiting up to 10 s for the socket), negotiates, runs
 * query-vfio-harness-devices (which starts the migration), receives the
 * migration's events through the typed handlers until the source
 * stops, checks the devices' states, migrates back with
 * vfio-harness-migrate, and disconnects.  Every event is written to
 * EVENTS as it was decoded, one JSON line
 * {"event": NAME, "data": DATA, "timestamp": {...}}, DATA written back
 * from the decoded C struct; every message to TRACE ("-> "/"<- " lines).
 * Exit status 0, or 1 with the first error on stderr.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "qapi-client.h"
#include "qapi-json.h"

#define TIMEOUT_MS 10000

typedef struct State {
    FILE *events;
    bool src_stopped;
    int n;
} State;

static void write_event(State *st, const char *name,
                        const q_obj_VFIO_MIGRATION_arg *data,
                        const QmpEventTime *ts)
{
    QapiOutput *out = qapi_output_new_text();
    char *text;

    if (!out) {
        exit(1);
    }
    qapi_out_q_obj_VFIO_MIGRATION_arg(out, data);
    text = qapi_output_finish_text(out, NULL);
    if (!text) {
        exit(1);
    }
    fprintf(st->events,
            "{\"event\": \"%s\", \"data\": %s, \"timestamp\": "
            "{\"seconds\": %lld, \"microseconds\": %lld}}\n",
            name, text, (long long)ts->seconds, (long long)ts->microseconds);
    free(text);
    st->n++;
}

static void on_migration(QmpClient *c, const q_obj_VFIO_MIGRATION_arg *data,
                         const QmpEventTime *ts, void *opaque)
{
    State *st = opaque;

    (void)c;
    write_event(st, "VFIO_MIGRATION", data, ts);
    if (!strcmp(data->device_id, "vfio-src0") &&
        data->device_state == QAPI_VFIO_MIGRATION_STATE_STOP) {
        st->src_stopped = true;
    }
}

static void on_prepare(QmpClient *c,
                       const q_obj_VFIO_MIGRATION_PREPARE_arg *data,
                       const QmpEventTime *ts, void *opaque)
{
    /* The two events' data have the same members, hence the same
     * layout; write_event takes either. */
    const q_obj_VFIO_MIGRATION_arg same = {
        .device_id = data->device_id,
        .qom_path = data->qom_path,
        .device_state = data->device_state,
    };

    (void)c;
    write_event(opaque, "VFIO_MIGRATION_PREPARE", &same, ts);
}

static void on_error(QmpClient *c, const QapiError *err, void *opaque)
{
    (void)c;
    (void)opaque;
    fprintf(stderr, "check-qmp-client-vfio: %s\n", qapi_error_get_pretty(err));
    exit(1);
}

static QmpClient *connect_retry(const char *path)
{
    struct timespec pause = {0, 10 * 1000 * 1000};
    QapiError *err = NULL;
    int tries;

    /* vfio-migrate creates the socket file before it listens. */
    for (tries = 0; tries < 1000; tries++) {
        QmpClient *c = qmp_client_connect_unix(path, TIMEOUT_MS, &err);

        if (c) {
            return c;
        }
        qapi_error_free(err);
        err = NULL;
        nanosleep(&pause, NULL);
    }
    fprintf(stderr, "check-qmp-client-vfio: cannot connect to %s\n", path);
    exit(1);
}

static void check(bool ok, QapiError *err, const char *what)
{
    if (!ok) {
        fprintf(stderr, "check-qmp-client-vfio: %s: %s\n", what,
                err ? qapi_error_get_pretty(err) : "failed");
        exit(1);
    }
}

static void check_states(QmpClient *c, const char *src, const char *dst)
{
    QapiError *err = NULL;
    VfioHarnessDeviceList *devs = NULL;
    bool ok;

    check(qmp_client_query_vfio_harness_devices(c, &devs, &err), err,
          "query-vfio-harness-devices");
    ok = devs && devs->next && !devs->next->next &&
         !strcmp(devs->value->id, "vfio-src0") &&
         !strcmp(devs->next->value->id, "vfio-dst0") &&
         devs->value->has_state && devs->next->value->has_state &&
         !strcmp(QapiVfioMigrationState_str(devs->value->state), src) &&
         !strcmp(QapiVfioMigrationState_str(devs->next->value->state), dst);
    qapi_free_VfioHarnessDeviceList(devs);
    check(ok, NULL, "device states");
}

int main(int argc, char **argv)
{
    QapiError *err = NULL;
    VfioHarnessMigration *res = NULL;
    State st = {NULL, false, 0};
    QmpClient *c;
    int trace;

    if (argc != 4) {
        fprintf(stderr, "usage: check-qmp-client-vfio SOCKET EVENTS TRACE\n");
        return 2;
    }
    st.events = fopen(argv[2], "w");
    trace = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (!st.events || trace < 0) {
        perror("check-qmp-client-vfio");
        return 1;
    }
    c = connect_retry(argv[1]);
    qmp_client_set_trace(c, trace);
    qmp_client_set_error_handler(c, on_error, NULL);
    check(qmp_client_on_vfio_migration(c, on_migration, &st) &&
              qmp_client_on_vfio_migration_prepare(c, on_prepare, &st),
          NULL, "handlers");
    check(qmp_client_negotiate(c, NULL, &err), err, "qmp_capabilities");
    check_states(c, "running", "running");
    while (!st.src_stopped) {
        int r = qmp_client_wait_event(c, NULL, -1, NULL, &err);

        check(r > 0, err, r == 0 ? "timed out waiting for events" : "events");
    }
    check_states(c, "stop", "running");
    check(qmp_client_vfio_harness_set_state(c, "vfio-src0",
                                            QAPI_VFIO_MIGRATION_STATE_RUNNING,
                                            false, 0, &err),
          err, "vfio-harness-set-state");
    check(qmp_client_vfio_harness_migrate(c, "vfio-dst0", "vfio-src0", false, 0,
                                          true, 2, &res, &err),
          err, "vfio-harness-migrate");
    check(res->verified, NULL, "migration back verified");
    qapi_free_VfioHarnessMigration(res);
    check(qmp_client_vfio_harness_reset(c, "vfio-dst0", &err), err,
          "vfio-harness-reset");
    check_states(c, "running", "running");
    qmp_client_free(c);
    close(trace);
    fclose(st.events);
    printf("check-qmp-client-vfio: %d events\n", st.n);
    return 0;
}
