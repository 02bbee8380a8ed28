/*
 * Event emission: build the event text, stamp it, hand it to the sinks.
 *
 * One mutex serializes emission, which is what keeps every sink seeing
 * events in the order they were sent, whichever thread sent them.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "qapi/event.h"

typedef struct Sink {
    QapiEventSink *fn;
    void *opaque;
} Sink;

static pthread_mutex_t event_lock = PTHREAD_MUTEX_INITIALIZER;
static Sink *sinks;
static size_t n_sinks;

int qapi_event_set_emitter(QapiEventSink *fn, void *opaque)
{
    Sink *one = NULL;

    if (fn) {
        one = malloc(sizeof(*one));
        if (!one) {
            return -1;
        }
        one->fn = fn;
        one->opaque = opaque;
    }
    pthread_mutex_lock(&event_lock);
    free(sinks);
    sinks = one;
    n_sinks = fn ? 1 : 0;
    pthread_mutex_unlock(&event_lock);
    return 0;
}

int qapi_event_add_sink(QapiEventSink *fn, void *opaque)
{
    Sink *grown;
    int ret = -1;

    if (!fn) {
        return -1;
    }
    pthread_mutex_lock(&event_lock);
    grown = realloc(sinks, (n_sinks + 1) * sizeof(*sinks));
    if (grown) {
        sinks = grown;
        sinks[n_sinks].fn = fn;
        sinks[n_sinks].opaque = opaque;
        n_sinks++;
        ret = 0;
    }
    pthread_mutex_unlock(&event_lock);
    return ret;
}

int qapi_event_remove_sink(QapiEventSink *fn, void *opaque)
{
    size_t i;
    int ret = -1;

    pthread_mutex_lock(&event_lock);
    for (i = 0; i < n_sinks; i++) {
        if (sinks[i].fn == fn && sinks[i].opaque == opaque) {
            memmove(&sinks[i], &sinks[i + 1],
                    (n_sinks - i - 1) * sizeof(*sinks));
            n_sinks--;
            ret = 0;
            break;
        }
    }
    pthread_mutex_unlock(&event_lock);
    return ret;
}

void qapi_event_fd_sink(void *opaque, const char *name, const char *json,
                        size_t len)
{
    int fd;
    size_t done = 0;
    ssize_t n;

    (void)name;
    if (!opaque || !json) {
        return;
    }
    fd = *(const int *)opaque;
    while (done <= len) {
        /* The event, then its newline. */
        const char *p = done < len ? json + done : "\n";
        size_t left = done < len ? len - done : 1;

        n = write(fd, p, left);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        done += (size_t)n;
    }
}

QapiOutput *qapi_event_start(const char *name)
{
    QapiOutput *out = name ? qapi_output_new_text() : NULL;

    if (out) {
        qapi_output_start_object(out);
        qapi_output_member(out, "event");
        qapi_output_str(out, name);
    }
    return out;
}

void qapi_event_send(QapiOutput *out, const char *name)
{
    struct timespec now;
    size_t len, i;
    char *json;

    if (!out || !name) {
        qapi_output_free(out);
        return;
    }
    /* Stamp under the lock, so that timestamps follow delivery order. */
    pthread_mutex_lock(&event_lock);
    clock_gettime(CLOCK_REALTIME, &now);
    qapi_output_member(out, "timestamp");
    qapi_output_start_object(out);
    qapi_output_member(out, "seconds");
    qapi_output_int(out, (int64_t)now.tv_sec);
    qapi_output_member(out, "microseconds");
    qapi_output_int(out, (int64_t)(now.tv_nsec / 1000));
    qapi_output_end_object(out);
    qapi_output_end_object(out);
    json = qapi_output_finish_text(out, &len);
    for (i = 0; json && i < n_sinks; i++) {
        sinks[i].fn(sinks[i].opaque, name, json, len);
    }
    pthread_mutex_unlock(&event_lock);
    free(json);
}
