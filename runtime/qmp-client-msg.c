/*
 * What the QMP server sends, read strictly (qapi/qmp-client.h): the
 * greeting, replies, events.
 *
 * Each message is walked twice: once to classify it (event, reply and
 * its id, greeting), once to decode the part that matters, so that
 * errors carry the member path from the message's root ("return.name",
 * "data.reason").  The envelope is checked as strictly as the data:
 * members QMP does not define are errors.
 */
#include <stdlib.h>
#include <string.h>

#include "qmp-client-impl.h"

/* --- strict reading of the protocol's own objects ----------------------- */

typedef bool MemberReader(QapiInput *in, size_t i, void *opaque,
                          QapiError **errp);

/* The object at the input's current value, with exactly the members
 * @names, each read by @fn. */
static bool read_members(QapiInput *in, const char *const *names, size_t n,
                         MemberReader *fn, void *opaque, QapiError **errp)
{
    bool seen[4] = {false};
    const char *key;
    size_t i;
    int r;

    if (!qapi_input_start_object(in, errp)) {
        return false;
    }
    while ((r = qapi_input_next_member(in, &key, errp)) > 0) {
        for (i = 0; i < n && strcmp(key, names[i]); i++) {
        }
        if (i == n) {
            qapi_input_error_unexpected(in, errp);
            return false;
        }
        if (seen[i]) {
            qapi_input_error_duplicate(in, errp);
            return false;
        }
        seen[i] = true;
        if (!fn(in, i, opaque, errp)) {
            return false;
        }
    }
    if (r < 0) {
        return false;
    }
    for (i = 0; i < n; i++) {
        if (!seen[i]) {
            qapi_input_error_missing(in, names[i], errp);
            return false;
        }
    }
    qapi_input_end_object(in);
    return true;
}

static bool read_int_member(QapiInput *in, size_t i, void *opaque,
                            QapiError **errp)
{
    int64_t *values = opaque;

    return qapi_input_int(in, INT64_MIN, INT64_MAX, "int", &values[i], errp);
}

static bool read_timestamp(QapiInput *in, QmpEventTime *ts, QapiError **errp)
{
    static const char *const names[] = {"seconds", "microseconds"};
    int64_t v[2];

    if (!read_members(in, names, 2, read_int_member, v, errp)) {
        return false;
    }
    ts->seconds = v[0];
    ts->microseconds = v[1];
    return true;
}

static bool read_version(QapiInput *in, size_t i, void *opaque,
                         QapiError **errp)
{
    static const char *const names[] = {"major", "minor", "micro"};
    QmpClient *c = opaque;

    if (i == 0) {
        return read_members(in, names, 3, read_int_member, c->version, errp);
    }
    return qapi_input_str(in, &c->package, errp);
}

static bool read_caps(QapiInput *in, QmpClient *c, QapiError **errp)
{
    int r;

    if (!qapi_input_start_array(in, errp)) {
        return false;
    }
    while ((r = qapi_input_next_element(in, errp)) > 0) {
        char **caps = realloc(c->caps, (c->n_caps + 1) * sizeof(*caps));

        if (!caps) {
            qapi_error_setg(errp, "Out of memory");
            return false;
        }
        c->caps = caps;
        if (!qapi_input_str(in, &caps[c->n_caps], errp)) {
            return false;
        }
        c->n_caps++;
    }
    qapi_input_end_array(in);
    return r == 0;
}

static bool read_qmp(QapiInput *in, size_t i, void *opaque, QapiError **errp)
{
    static const char *const names[] = {"qemu", "package"};

    if (i == 0) {
        return read_members(in, names, 2, read_version, opaque, errp);
    }
    return read_caps(in, opaque, errp);
}

static bool read_greeting(QapiInput *in, size_t i, void *opaque,
                          QapiError **errp)
{
    static const char *const names[] = {"version", "capabilities"};

    (void)i;
    return read_members(in, names, 2, read_qmp, opaque, errp);
}

typedef struct ErrorBody {
    char *cls;
    char *desc;
} ErrorBody;

static bool read_error_member(QapiInput *in, size_t i, void *opaque,
                              QapiError **errp)
{
    ErrorBody *e = opaque;

    return qapi_input_str(in, i == 0 ? &e->cls : &e->desc, errp);
}

/* --- messages ----------------------------------------------------------- */

/* What the first walk over a message finds. */
typedef struct Scan {
    char *event;
    QmpEventTime ts;
    bool has_ts, has_data, has_return, has_error, has_greeting;
    bool has_id, id_is_int;
    int64_t id;
} Scan;

static bool scan_message(QapiInput *in, Scan *s, QapiError **errp)
{
    const char *key;
    int r;

    if (!qapi_input_start_object(in, errp)) {
        return false;
    }
    while ((r = qapi_input_next_member(in, &key, errp)) > 0) {
        bool ok = true;

        /* (The streamer has refused duplicate keys.) */
        if (!strcmp(key, "event")) {
            ok = qapi_input_str(in, &s->event, errp);
        } else if (!strcmp(key, "timestamp")) {
            ok = read_timestamp(in, &s->ts, errp);
            s->has_ts = true;
        } else if (!strcmp(key, "id")) {
            s->id_is_int =
                qapi_input_peek(in) == QAPI_JSON_NUMBER &&
                qapi_input_int(in, INT64_MIN, INT64_MAX, "int", &s->id, NULL);
            s->has_id = true;
        } else if (!strcmp(key, "data")) {
            s->has_data = true;
        } else if (!strcmp(key, "return")) {
            s->has_return = true;
        } else if (!strcmp(key, "error")) {
            s->has_error = true;
        } else if (!strcmp(key, "QMP")) {
            s->has_greeting = true;
        } else {
            qapi_input_error_unexpected(in, errp);
            return false;
        }
        if (!ok) {
            return false;
        }
    }
    if (r < 0) {
        return false;
    }
    qapi_input_end_object(in);
    return qapi_input_finish(in, errp);
}

QapiInput *qmp_client_input_at(const char *text, size_t len, const char *member,
                               QapiError **errp)
{
    QapiInput *in = qapi_input_new_text(text, len);
    const char *key;
    int r;

    if (!in) {
        qapi_error_setg(errp, "Out of memory");
        return NULL;
    }
    if (qapi_input_start_object(in, errp)) {
        while ((r = qapi_input_next_member(in, &key, errp)) > 0) {
            if (!strcmp(key, member)) {
                return in;
            }
        }
        if (r == 0) {
            qapi_input_error_missing(in, member, errp);
        }
    }
    qapi_input_free(in);
    return NULL;
}

static QmpClientEvent *event_new(const Scan *s, const char *text, size_t len)
{
    QmpClientEvent *ev = calloc(1, sizeof(*ev));

    if (!ev) {
        return NULL;
    }
    ev->name = strdup(s->event);
    ev->json = malloc(len + 1);
    if (!ev->name || !ev->json) {
        qmp_client_event_free(ev);
        return NULL;
    }
    memcpy(ev->json, text, len);
    ev->json[len] = '\0';
    ev->len = len;
    ev->timestamp = s->ts;
    return ev;
}

void qmp_client_event_free(QmpClientEvent *ev)
{
    if (ev) {
        free(ev->name);
        free(ev->json);
        free(ev);
    }
}

static void enqueue(QmpClient *c, QmpClientEvent *ev)
{
    QueuedEvent *q = malloc(sizeof(*q));

    if (!q) {
        qmp_client_event_free(ev);
        c->dropped++;
        return;
    }
    if (c->n_queued >= c->max_queue) {
        QueuedEvent *old = c->head;

        c->head = old->next;
        if (!c->head) {
            c->tail = NULL;
        }
        qmp_client_event_free(old->ev);
        free(old);
        c->n_queued--;
        c->dropped++;
    }
    q->next = NULL;
    q->ev = ev;
    if (c->tail) {
        c->tail->next = q;
    } else {
        c->head = q;
    }
    c->tail = q;
    c->n_queued++;
}

static const QmpClientHandler *find_handler(const QmpClient *c,
                                            const char *name)
{
    size_t i;

    for (i = 0; i < c->n_handlers; i++) {
        if (!strcmp(c->handlers[i].name, name)) {
            return c->handlers[i].h;
        }
    }
    return NULL;
}

static void deliver(QmpClient *c, const QmpClientHandler *h, const Scan *s,
                    const char *text, size_t len)
{
    QapiError *err = NULL;
    QapiInput *in = NULL;
    bool was_busy = c->busy;

    if (h->has_data && !s->has_data) {
        qapi_error_setg(&err, "Parameter 'data' is missing");
    } else if (!h->has_data && s->has_data) {
        qapi_error_setg(&err, "Parameter 'data' is unexpected");
    } else if (s->has_data) {
        in = qmp_client_input_at(text, len, "data", &err);
    }
    if (!err) {
        c->busy = true;
        h->deliver(c, h, in, &s->ts, &err);
        c->busy = was_busy;
    }
    qapi_input_free(in);
    if (err) {
        qapi_error_prepend(&err,
                           "Event '%s' does not fit the schema: ", s->event);
        qmp_client_async_error(c, err);
    }
}

static void handle_event(QmpClient *c, const Scan *s, const char *text,
                         size_t len)
{
    const QmpClientHandler *h = find_handler(c, s->event);
    bool wanted = c->waiting && !c->waited &&
                  (!c->wait_name || !strcmp(c->wait_name, s->event));
    QmpClientEvent *ev = NULL;

    if (h) {
        deliver(c, h, s, text, len);
    }
    if (!h || wanted) {
        ev = event_new(s, text, len);
        if (!ev) {
            QapiError *err = NULL;

            qapi_error_setg(&err, "Out of memory");
            qmp_client_async_error(c, err);
            return;
        }
    }
    if (wanted) {
        c->waited = ev;
    } else if (ev) {
        enqueue(c, ev);
    }
}

static QapiErrClass error_class(const char *name)
{
    int i;

    for (i = 0; i < QAPI_ERR_CLASS__MAX; i++) {
        if (!strcmp(qapi_error_class_name((QapiErrClass)i), name)) {
            return (QapiErrClass)i;
        }
    }
    return QAPI_ERR_CLASS_GENERIC_ERROR;
}

static void handle_reply(QmpClient *c, const Scan *s, const char *text,
                         size_t len)
{
    static const char *const names[] = {"class", "desc"};
    QapiError *err = NULL;
    ErrorBody body = {NULL, NULL};
    QapiInput *in;

    if (s->has_id && (!s->id_is_int || s->id <= 0 || s->id >= c->next_id)) {
        qapi_error_setg(&err, "Dropped a reply with an id this client "
                              "never sent");
        qmp_client_async_error(c, err);
        return;
    }
    if (!s->has_id && !(s->has_error && c->pending_id)) {
        /* Only an error about a request the server could not parse
         * comes without the id: that is the waiting call's. */
        qapi_error_setg(&err, "Dropped a reply without an id");
        qmp_client_async_error(c, err);
        return;
    }
    if (s->has_id && s->id != c->pending_id) {
        return; /* the reply to a call that gave up: drop it */
    }
    if (s->has_return) {
        c->reply = malloc(len + 1);
        if (!c->reply) {
            qapi_error_setg(&err, "Out of memory");
            qmp_client_call_error(c, err);
            return;
        }
        memcpy(c->reply, text, len);
        c->reply[len] = '\0';
        c->reply_len = len;
        c->reply_state = REPLY_RETURN;
        c->pending_id = 0;
        return;
    }
    in = qmp_client_input_at(text, len, "error", &err);
    if (in && read_members(in, names, 2, read_error_member, &body, &err)) {
        qapi_error_set(&err, error_class(body.cls), "%s", body.desc);
    } else {
        qapi_error_prepend(&err, "Invalid QMP error reply: ");
    }
    qapi_input_free(in);
    free(body.cls);
    free(body.desc);
    qmp_client_call_error(c, err);
}

static void handle_greeting(QmpClient *c, const char *text, size_t len)
{
    QapiError *err = NULL;
    QapiInput *in = qmp_client_input_at(text, len, "QMP", &err);

    if (in && read_greeting(in, 0, c, &err)) {
        c->greeted = true;
        /* Kept for a trace started right after the constructor. */
        c->greeting = malloc(len);
        if (c->greeting) {
            memcpy(c->greeting, text, len);
            c->greeting_len = len;
        }
    } else {
        qapi_error_prepend(&err, "Invalid QMP greeting: ");
        qapi_error_propagate(&c->conn_err, err);
    }
    qapi_input_free(in);
}

/* Check the envelope of a message and hand it on.  Errors in what is
 * clearly an event are asynchronous; others fail the waiting call. */
static void classify(QmpClient *c, const Scan *s, const char *text, size_t len)
{
    QapiError *err = NULL;
    int kinds = !!s->event + s->has_return + s->has_error + s->has_greeting;

    if (kinds != 1) {
        qapi_error_setg(&err, "Invalid QMP message from the server: it must "
                              "have exactly one of 'QMP', 'return', "
                              "'error', 'event'");
    } else if (s->has_greeting) {
        qapi_error_setg(&err, "Invalid QMP message from the server: a "
                              "second greeting");
    } else if (s->event) {
        if (s->has_id || !s->has_ts) {
            qapi_error_setg(&err,
                            "Invalid QMP event from the server: "
                            "Parameter '%s' is %s",
                            s->has_id ? "id" : "timestamp",
                            s->has_id ? "unexpected" : "missing");
            qmp_client_async_error(c, err);
            return;
        }
        handle_event(c, s, text, len);
        return;
    } else if (s->has_data || s->has_ts) {
        qapi_error_setg(&err,
                        "Invalid QMP reply from the server: "
                        "Parameter '%s' is unexpected",
                        s->has_data ? "data" : "timestamp");
    } else {
        handle_reply(c, s, text, len);
        return;
    }
    qmp_client_call_error(c, err);
}

void qmp_client_handle_message(QmpClient *c, const char *text, size_t len)
{
    QapiInput *in = qapi_input_new_text(text, len);
    QapiError *err = NULL;
    Scan s;
    bool ok;

    qmp_client_trace(c, "<- ", text, len);
    memset(&s, 0, sizeof(s));
    if (!in) {
        qapi_error_setg(&err, "Out of memory");
        ok = false;
    } else {
        ok = scan_message(in, &s, &err);
        qapi_input_free(in);
        if (!ok) {
            qapi_error_prepend(&err, "Invalid QMP message from the server: ");
        }
    }
    if (!c->greeted) {
        /* Nothing but the greeting may come first. */
        if (ok && s.has_greeting && !s.event && !s.has_return && !s.has_error &&
            !s.has_id && !s.has_data && !s.has_ts) {
            handle_greeting(c, text, len);
        } else {
            if (ok) {
                qapi_error_setg(&err, "Expected the QMP greeting, got "
                                      "another message");
            }
            qapi_error_propagate(&c->conn_err, err);
        }
    } else if (ok) {
        classify(c, &s, text, len);
    } else if (s.event) {
        qmp_client_async_error(c, err); /* an event's: no call waits for it */
    } else {
        qmp_client_call_error(c, err);
    }
    free(s.event);
}
