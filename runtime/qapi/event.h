/*
 * qapi/event.h - where generated event emitters send events.
 *
 * A generated qapi_event_send_NAME() builds the complete event,
 *
 *   {"event": "NAME", "data": {...},
 *    "timestamp": {"seconds": S, "microseconds": US}}
 *
 * as compact JSON text ("data" left out when the event has none, as QEMU
 * does; the timestamp is wall-clock time) and hands it to every sink.
 * Emission is serialized: sinks are called one event at a time, in the
 * order the events were sent, from the sending thread.  A sink must not
 * send events itself.
 *
 * NULL or malformed arguments: an error, never a crash (qapi/error.h,
 * "Arguments").
 */
#ifndef QAPI_EVENT_H
#define QAPI_EVENT_H

#include <stddef.h>

#include "qapi/output.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A sink: @name is the event name, @json the complete event as JSON text
 * of @len bytes (not newline-terminated), both valid only for the call.
 */
typedef void QapiEventSink(void *opaque, const char *name, const char *json,
                           size_t len);

/*
 * Make @fn the only sink (NULL: drop events), as QEMU's single emitter.
 * Returns 0, or -1 if memory runs out (the sinks are then unchanged).
 */
int qapi_event_set_emitter(QapiEventSink *fn, void *opaque);

/* Add a sink after the existing ones; returns 0, or -1 out of memory. */
int qapi_event_add_sink(QapiEventSink *fn, void *opaque);

/* Remove the sink added with these arguments; returns 0, -1 if absent. */
int qapi_event_remove_sink(QapiEventSink *fn, void *opaque);

/*
 * A ready-made sink writing each event and a newline to a file
 * descriptor (opaque: a pointer to the int fd).  Short writes are
 * retried; errors drop the event.
 */
void qapi_event_fd_sink(void *opaque, const char *name, const char *json,
                        size_t len);

/* For generated code: start an event (NULL if out of memory) ... */
QapiOutput *qapi_event_start(const char *name);
/* ... and, after its optional "data" member, stamp and send it. */
void qapi_event_send(QapiOutput *out, const char *name);

#ifdef __cplusplus
}
#endif

#endif /* QAPI_EVENT_H */
