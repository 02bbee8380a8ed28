/*
 * bench/events - emitting VFIO_MIGRATION events into an in-memory sink,
 * on one core:
 *
 *   ours      the generated qapi_event_send_vfio_migration() (bundled
 *             schema), through libqapi's emitter (text output, lock,
 *             timestamp) to a sink that copies each event into a buffer
 *   baseline  the same event built by hand with jansson (json_pack with
 *             the same members and timestamp, json_dumps compact), handed
 *             to the same sink
 *
 * Target: at least 1,000,000 events/s.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bench.h"
#include "qapi-events.h"

static char sink_buf[4096];
static size_t sink_bytes;
static long sink_events;

static void memory_sink(void *opaque, const char *name, const char *json,
                        size_t len)
{
    (void)opaque;
    (void)name;
    if (len < sizeof(sink_buf)) {
        memcpy(sink_buf, json, len);
    }
    sink_bytes += len;
    sink_events++;
}

static void run_ours(void *opaque, long n)
{
    long i;

    (void)opaque;
    for (i = 0; i < n; i++) {
        qapi_event_send_vfio_migration("gpu0", "/machine/peripheral/gpu0",
                                       QAPI_VFIO_MIGRATION_STATE_STOP_COPY);
    }
}

static void run_jansson(void *opaque, long n)
{
    long i;

    (void)opaque;
    for (i = 0; i < n; i++) {
        struct timespec now;
        json_t *ev;
        char *text;

        clock_gettime(CLOCK_REALTIME, &now);
        ev =
            json_pack("{s:s, s:{s:s, s:s, s:s}, s:{s:I, s:I}}", "event",
                      "VFIO_MIGRATION", "data", "device-id", "gpu0", "qom-path",
                      "/machine/peripheral/gpu0", "device-state", "stop-copy",
                      "timestamp", "seconds", (json_int_t)now.tv_sec,
                      "microseconds", (json_int_t)(now.tv_nsec / 1000));
        text = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
        memory_sink(NULL, "VFIO_MIGRATION", text, strlen(text));
        free(text);
        json_decref(ev);
    }
}

int main(void)
{
    double ours;
    double theirs;

    if (qapi_event_set_emitter(memory_sink, NULL) < 0) {
        return 1;
    }
    bench_header("Event benchmark: VFIO_MIGRATION into an in-memory sink, "
                 "one core");
    run_ours(NULL, 1);
    printf("  event: %.*s\n", (int)strcspn(sink_buf, "\n"), sink_buf);
    ours = bench_rate(run_ours, NULL, 1.0);
    theirs = bench_rate(run_jansson, NULL, 1.0);
    bench_target("qapi_event_send_vfio_migration", ours, 1e6);
    bench_vs("jansson json_pack + json_dumps", theirs, ours);
    bench_result("events", "VFIO_MIGRATION events into a memory sink", ours,
                 "/s", "jansson json_pack + json_dumps", theirs, ">=1e6");
    qapi_event_set_emitter(NULL, NULL);
    return sink_events > 0 ? 0 : 1;
}
