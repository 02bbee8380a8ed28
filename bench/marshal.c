/*
 * bench/marshal - VirtioStatus (bundled schema, with its vhost-dev
 * member) to and from JSON text, on one core:
 *
 *   qapi_VirtioStatus_to_string()      against the equivalent hand-written
 *                                      jansson code: build the json_t
 *                                      member by member, json_dumps()
 *                                      compact; target: at least 2x
 *   qapi_VirtioStatus_from_string()    against json_loads() and
 *                                      hand-written extraction into the
 *                                      same C struct (type checks, no
 *                                      unknown-member checks); target:
 *                                      no slower (1x)
 *
 * The values stay below INT64_MAX so that jansson can hold them.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bench.h"
#include "qapi-json.h"

static VirtioStatus *sample(void)
{
    VirtioStatus *s = calloc(1, sizeof(*s));
    VhostStatus *v = calloc(1, sizeof(*v));

    if (!s || !v) {
        exit(1);
    }
    s->name = strdup("virtio-net");
    s->device_id = 1;
    s->vhost_started = true;
    s->device_endian = strdup("little");
    s->guest_features = 5111807907u;
    s->host_features = 6337593319u;
    s->backend_features = 0;
    s->num_vqs = 3;
    s->status = 15;
    s->isr = 1;
    s->queue_sel = 2;
    s->vm_running = true;
    s->use_started = true;
    s->started = true;
    s->disable_legacy_check = false;
    s->bus_name = strdup("virtio-bus");
    s->use_guest_notifier_mask = true;
    v->n_mem_sections = 4;
    v->n_tmp_sections = 4;
    v->nvqs = 2;
    v->vq_index = 0;
    v->features = 5100273664u;
    v->acked_features = 5111807907u;
    v->backend_features = 6337593319u;
    v->protocol_features = 0;
    v->max_queues = 1;
    v->backend_cap = 2;
    v->log_enabled = false;
    v->log_size = 0;
    s->vhost_dev = v;
    return s;
}

static VirtioStatus *the_status;
static char *the_text;
static size_t out_bytes;

/* --- to JSON text --------------------------------------------------------- */

static void run_to_string(void *opaque, long n)
{
    long i;

    (void)opaque;
    for (i = 0; i < n; i++) {
        char *text = qapi_VirtioStatus_to_string(the_status);

        out_bytes += strlen(text);
        free(text);
    }
}

static json_t *vhost_to_json(const VhostStatus *v)
{
    json_t *o = json_object();

    json_object_set_new(o, "n-mem-sections", json_integer(v->n_mem_sections));
    json_object_set_new(o, "n-tmp-sections", json_integer(v->n_tmp_sections));
    json_object_set_new(o, "nvqs", json_integer(v->nvqs));
    json_object_set_new(o, "vq-index", json_integer(v->vq_index));
    json_object_set_new(o, "features", json_integer((json_int_t)v->features));
    json_object_set_new(o, "acked-features",
                        json_integer((json_int_t)v->acked_features));
    json_object_set_new(o, "backend-features",
                        json_integer((json_int_t)v->backend_features));
    json_object_set_new(o, "protocol-features",
                        json_integer((json_int_t)v->protocol_features));
    json_object_set_new(o, "max-queues",
                        json_integer((json_int_t)v->max_queues));
    json_object_set_new(o, "backend-cap",
                        json_integer((json_int_t)v->backend_cap));
    json_object_set_new(o, "log-enabled", json_boolean(v->log_enabled));
    json_object_set_new(o, "log-size", json_integer((json_int_t)v->log_size));
    return o;
}

static json_t *status_to_json(const VirtioStatus *s)
{
    json_t *o = json_object();

    json_object_set_new(o, "name", json_string(s->name));
    json_object_set_new(o, "device-id", json_integer(s->device_id));
    json_object_set_new(o, "vhost-started", json_boolean(s->vhost_started));
    json_object_set_new(o, "device-endian", json_string(s->device_endian));
    json_object_set_new(o, "guest-features",
                        json_integer((json_int_t)s->guest_features));
    json_object_set_new(o, "host-features",
                        json_integer((json_int_t)s->host_features));
    json_object_set_new(o, "backend-features",
                        json_integer((json_int_t)s->backend_features));
    json_object_set_new(o, "num-vqs", json_integer(s->num_vqs));
    json_object_set_new(o, "status", json_integer(s->status));
    json_object_set_new(o, "isr", json_integer(s->isr));
    json_object_set_new(o, "queue-sel", json_integer(s->queue_sel));
    json_object_set_new(o, "vm-running", json_boolean(s->vm_running));
    json_object_set_new(o, "broken", json_boolean(s->broken));
    json_object_set_new(o, "disabled", json_boolean(s->disabled));
    json_object_set_new(o, "use-started", json_boolean(s->use_started));
    json_object_set_new(o, "started", json_boolean(s->started));
    json_object_set_new(o, "start-on-kick", json_boolean(s->start_on_kick));
    json_object_set_new(o, "disable-legacy-check",
                        json_boolean(s->disable_legacy_check));
    json_object_set_new(o, "bus-name", json_string(s->bus_name));
    json_object_set_new(o, "use-guest-notifier-mask",
                        json_boolean(s->use_guest_notifier_mask));
    if (s->vhost_dev) {
        json_object_set_new(o, "vhost-dev", vhost_to_json(s->vhost_dev));
    }
    return o;
}

static void run_jansson_dump(void *opaque, long n)
{
    long i;

    (void)opaque;
    for (i = 0; i < n; i++) {
        json_t *o = status_to_json(the_status);
        char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

        out_bytes += strlen(text);
        free(text);
        json_decref(o);
    }
}

/* --- from JSON text ------------------------------------------------------- */

static void run_from_string(void *opaque, long n)
{
    long i;

    (void)opaque;
    for (i = 0; i < n; i++) {
        VirtioStatus *s = NULL;

        if (!qapi_VirtioStatus_from_string(the_text, &s, NULL)) {
            exit(1);
        }
        qapi_free_VirtioStatus(s);
    }
}

/* Hand-written extraction: members by name, type-checked. */
static bool get_int(json_t *o, const char *key, json_int_t *v)
{
    json_t *m = json_object_get(o, key);

    if (!json_is_integer(m)) {
        return false;
    }
    *v = json_integer_value(m);
    return true;
}

static bool get_bool(json_t *o, const char *key, bool *v)
{
    json_t *m = json_object_get(o, key);

    if (!json_is_boolean(m)) {
        return false;
    }
    *v = json_is_true(m);
    return true;
}

static bool get_str(json_t *o, const char *key, char **v)
{
    json_t *m = json_object_get(o, key);

    if (!json_is_string(m)) {
        return false;
    }
    *v = strdup(json_string_value(m));
    return *v != NULL;
}

static bool vhost_from_json(json_t *o, VhostStatus *v)
{
    json_int_t i[10];

    if (!json_is_object(o) || !get_int(o, "n-mem-sections", &i[0]) ||
        !get_int(o, "n-tmp-sections", &i[1]) || !get_int(o, "nvqs", &i[2]) ||
        !get_int(o, "vq-index", &i[3]) || !get_int(o, "features", &i[4]) ||
        !get_int(o, "acked-features", &i[5]) ||
        !get_int(o, "backend-features", &i[6]) ||
        !get_int(o, "protocol-features", &i[7]) ||
        !get_int(o, "max-queues", &i[8]) || !get_int(o, "backend-cap", &i[9]) ||
        !get_bool(o, "log-enabled", &v->log_enabled)) {
        return false;
    }
    v->n_mem_sections = i[0];
    v->n_tmp_sections = i[1];
    v->nvqs = (uint32_t)i[2];
    v->vq_index = i[3];
    v->features = (uint64_t)i[4];
    v->acked_features = (uint64_t)i[5];
    v->backend_features = (uint64_t)i[6];
    v->protocol_features = (uint64_t)i[7];
    v->max_queues = (uint64_t)i[8];
    v->backend_cap = (uint64_t)i[9];
    if (!get_int(o, "log-size", &i[0])) {
        return false;
    }
    v->log_size = (uint64_t)i[0];
    return true;
}

static VirtioStatus *status_from_json(json_t *o)
{
    VirtioStatus *s = calloc(1, sizeof(*s));
    json_int_t i[7];
    json_t *vd;

    if (!s || !json_is_object(o) || !get_str(o, "name", &s->name) ||
        !get_int(o, "device-id", &i[0]) ||
        !get_bool(o, "vhost-started", &s->vhost_started) ||
        !get_str(o, "device-endian", &s->device_endian) ||
        !get_int(o, "guest-features", &i[1]) ||
        !get_int(o, "host-features", &i[2]) ||
        !get_int(o, "backend-features", &i[3]) ||
        !get_int(o, "num-vqs", &i[4]) || !get_int(o, "status", &i[5]) ||
        !get_int(o, "isr", &i[6]) ||
        !get_bool(o, "vm-running", &s->vm_running) ||
        !get_bool(o, "broken", &s->broken) ||
        !get_bool(o, "disabled", &s->disabled) ||
        !get_bool(o, "use-started", &s->use_started) ||
        !get_bool(o, "started", &s->started) ||
        !get_bool(o, "start-on-kick", &s->start_on_kick) ||
        !get_bool(o, "disable-legacy-check", &s->disable_legacy_check) ||
        !get_str(o, "bus-name", &s->bus_name) ||
        !get_bool(o, "use-guest-notifier-mask", &s->use_guest_notifier_mask)) {
        qapi_free_VirtioStatus(s);
        return NULL;
    }
    s->device_id = (uint16_t)i[0];
    s->guest_features = (uint64_t)i[1];
    s->host_features = (uint64_t)i[2];
    s->backend_features = (uint64_t)i[3];
    s->num_vqs = i[4];
    s->status = (uint8_t)i[5];
    s->isr = (uint8_t)i[6];
    if (!get_int(o, "queue-sel", &i[0])) {
        qapi_free_VirtioStatus(s);
        return NULL;
    }
    s->queue_sel = (uint16_t)i[0];
    vd = json_object_get(o, "vhost-dev");
    if (vd) {
        s->vhost_dev = calloc(1, sizeof(*s->vhost_dev));
        if (!s->vhost_dev || !vhost_from_json(vd, s->vhost_dev)) {
            qapi_free_VirtioStatus(s);
            return NULL;
        }
    }
    return s;
}

static void run_jansson_load(void *opaque, long n)
{
    long i;

    (void)opaque;
    for (i = 0; i < n; i++) {
        json_t *o = json_loads(the_text, 0, NULL);
        VirtioStatus *s = o ? status_from_json(o) : NULL;

        if (!s) {
            exit(1);
        }
        qapi_free_VirtioStatus(s);
        json_decref(o);
    }
}

int main(void)
{
    double ours;
    double theirs;
    VirtioStatus *check = NULL;
    json_t *o;

    the_status = sample();
    the_text = qapi_VirtioStatus_to_string(the_status);
    if (!the_text) {
        return 1;
    }
    /* Both sides understand the text alike. */
    o = json_loads(the_text, 0, NULL);
    check = o ? status_from_json(o) : NULL;
    if (!check || !qapi_equal_VirtioStatus(check, the_status)) {
        fprintf(stderr, "marshal: the hand-written code disagrees\n");
        return 1;
    }
    qapi_free_VirtioStatus(check);
    json_decref(o);

    bench_header("Marshalling benchmark: VirtioStatus (bundled schema), "
                 "one core");
    printf("  text: %zu bytes\n", strlen(the_text));
    ours = bench_rate(run_to_string, NULL, 1.0);
    theirs = bench_rate(run_jansson_dump, NULL, 1.0);
    bench_ratio("qapi_VirtioStatus_to_string", ours,
                "jansson build + json_dumps", theirs, 2.0);
    bench_result("marshal", "qapi_VirtioStatus_to_string", ours, "/s",
                 "jansson build + json_dumps", theirs, "x>=2");
    ours = bench_rate(run_from_string, NULL, 1.0);
    theirs = bench_rate(run_jansson_load, NULL, 1.0);
    bench_ratio("qapi_VirtioStatus_from_string", ours,
                "json_loads + hand-written extraction", theirs, 1.0);
    bench_result("marshal", "qapi_VirtioStatus_from_string", ours, "/s",
                 "json_loads + hand-written extraction", theirs, "x>=1");
    free(the_text);
    qapi_free_VirtioStatus(the_status);
    return out_bytes ? 0 : 1;
}
