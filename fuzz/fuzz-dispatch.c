/*
 * fuzz/fuzz-dispatch.c - libFuzzer target: libqapi's QMP dispatcher
 * (qmp_dispatch() and qmp_dispatch_json()) with the marshallers generated
 * for tests/dispatch-schema.json (-p test-), on arbitrary requests.
 *
 * Input: one byte of QMP_DISPATCH_* flags (its low five bits), then the
 * request text.  Properties checked besides the sanitizers':
 *
 *   - qmp_dispatch() returns 1 with a response or 0 without one (never -1:
 *     memory does not run out here), and qmp_dispatch_json() agrees on
 *     whether there is one (where no key is duplicated);
 *   - a response is one line of JSON, an object with either "return" or
 *     "error" ({"class": string, "desc": string}), and "id" at most;
 *   - qmp_is_oob() does not crash.
 */
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "qapi/dispatch.h"
#include "test-qapi-commands.h"
#include "test-qapi-introspect.h"
#include "test-qapi-json.h"

/* --- the handlers: as tests/check-dispatch.c's, without state ----------- */

void qmp_ping(QapiError **errp)
{
    (void)errp;
}

ShapeInfo *qmp_add_shape(Shape *shape, bool has_scale, int8_t scale,
                         const char *note, bool has_q_default, bool q_default,
                         QapiError **errp)
{
    ShapeInfo *info;
    PointList *p;

    (void)has_scale;
    (void)note;
    (void)has_q_default;
    (void)q_default;
    if (scale < 0) {
        qapi_error_setg(errp, "negative scale %d", scale);
        return NULL;
    }
    info = calloc(1, sizeof(*info));
    info->name = strdup(shape->name);
    for (p = shape->points; p; p = p->next) {
        info->npoints++;
    }
    info->has_total = shape->has_big;
    info->total = shape->big;
    return info;
}

static ShapeInfo *shape_info(const char *name, int64_t npoints)
{
    ShapeInfo *info = calloc(1, sizeof(*info));

    info->name = strdup(name);
    info->npoints = npoints;
    return info;
}

ShapeInfoList *qmp_list_shapes(QapiError **errp)
{
    ShapeInfoList *a = calloc(1, sizeof(*a));
    ShapeInfoList *b = calloc(1, sizeof(*b));

    (void)errp;
    a->value = shape_info("square", 4);
    a->next = b;
    b->value = shape_info("triangle", 3);
    return a;
}

char *qmp_echo_str(const char *text, QapiError **errp)
{
    if (!strcmp(text, "fail")) {
        qapi_error_setg(errp, "echo failed");
        /* A value returned with an error must be freed all the same. */
        return strdup("leaked unless freed");
    }
    return strdup(text);
}

uint64_t qmp_add_u64(uint64_t a, uint64_t b, QapiError **errp)
{
    (void)errp;
    return a + b;
}

json_t *qmp_echo_any(json_t *value, QapiError **errp)
{
    (void)errp;
    return json_incref(value);
}

Color qmp_get_color(Color c, QapiError **errp)
{
    (void)errp;
    return (Color)((c + 1) % COLOR__MAX);
}

Point *qmp_mirror_point(int64_t x, int64_t y, const char *label,
                        QapiError **errp)
{
    Point *p = calloc(1, sizeof(*p));

    (void)errp;
    /* Unsigned: -INT64_MIN would overflow. */
    p->x = (int64_t)(0 - (uint64_t)x);
    p->y = (int64_t)(0 - (uint64_t)y);
    p->label = label ? strdup(label) : NULL;
    return p;
}

void qmp_do_action(Action *arg, QapiError **errp)
{
    Action *copy = qapi_clone_Action(arg);

    FUZZ_CHECK(qapi_equal_Action(arg, copy), "do-action: clone differs");
    qapi_free_Action(copy);
    if (arg->has_verbose && arg->verbose) {
        qapi_error_setg(errp, "verbose action");
    }
}

void qmp_fail(const char *q_class, const char *desc, QapiError **errp)
{
    int i;

    for (i = 0; i < QAPI_ERR_CLASS__MAX; i++) {
        if (!strcmp(q_class, qapi_error_class_name((QapiErrClass)i))) {
            qapi_error_set(errp, (QapiErrClass)i, "%s", desc);
            return;
        }
    }
    qapi_error_setg(errp, "no class %s", q_class);
}

void qmp_fire_and_forget(bool has_fail, bool fail, QapiError **errp)
{
    if (has_fail && fail) {
        qapi_error_setg(errp, "fire-and-forget failed");
    }
}

void qmp_oob_ping(QapiError **errp)
{
    (void)errp;
}

void qmp_early(QapiError **errp)
{
    (void)errp;
}

void qmp_slow(QapiError **errp)
{
    (void)errp;
}

void qmp_old_cmd(QapiError **errp)
{
    (void)errp;
}

void qmp_x_new_cmd(QapiError **errp)
{
    (void)errp;
}

void qmp_qmp_capabilities(bool has_enable, QMPCapabilityList *enable,
                          QapiError **errp)
{
    QMPCapabilityList *copy = qapi_clone_QMPCapabilityList(enable);

    (void)has_enable;
    (void)errp;
    FUZZ_CHECK(qapi_equal_QMPCapabilityList(enable, copy),
               "qmp_capabilities: clone differs");
    qapi_free_QMPCapabilityList(copy);
}

void qmp_cond_yes(QapiError **errp)
{
    (void)errp;
}

void qmp_cond_all(QapiError **errp)
{
    (void)errp;
}

/* raw-cmd is 'gen': false: echoes its arguments and the context. */
static void marshal_raw_cmd(QapiInput *args, QapiOutput *out, void *opaque,
                            QapiError **errp)
{
    json_t *value = NULL;

    if (!qapi_input_any(args, &value, errp)) {
        return;
    }
    qapi_output_start_object(out);
    qapi_output_member(out, "args");
    qapi_output_any(out, value);
    qapi_output_member(out, "ctx");
    qapi_output_str(out, qmp_dispatch_context() ? qmp_dispatch_context()
                                                : "(none)");
    qapi_output_member(out, "opaque");
    qapi_output_str(out, opaque);
    qapi_output_end_object(out);
    json_decref(value);
}

/* --- the target ------------------------------------------------------------ */

static QmpCommandList *cmds;

static void setup(void)
{
    cmds = qmp_command_list_new();
    FUZZ_CHECK(cmds != NULL, "no command list");
    test_qmp_init_marshal(cmds);
    qmp_register_command_data(cmds, "raw-cmd", marshal_raw_cmd,
                              (void *)"opaque", QMP_CMD_ALLOW_OOB);
    qmp_register_query_commands(cmds, QMP_CMD_ALLOW_PRECONFIG);
    qmp_register_query_qmp_schema(cmds, &test_qmp_schema_qlit,
                                  QMP_CMD_ALLOW_PRECONFIG);
    qmp_disable_command(cmds, "slow", "too slow");
    FUZZ_CHECK(!qmp_command_list_failed(cmds), "registration failed");
}

/* The error member of a response: {"class": string, "desc": string}. */
static void check_error_text(QapiInput *in, const char *rsp)
{
    QapiError *err = NULL;
    const char *key;
    char *value;
    int r, n = 0;

    FUZZ_CHECK(qapi_input_start_object(in, &err),
               "error of '%s' is not an object", rsp);
    while ((r = qapi_input_next_member(in, &key, &err)) == 1) {
        FUZZ_CHECK(!strcmp(key, "class") || !strcmp(key, "desc"),
                   "error of '%s' has member '%s'", rsp, key);
        FUZZ_CHECK(qapi_input_str(in, &value, &err),
                   "error of '%s': '%s' is not a string", rsp, key);
        free(value);
        n++;
    }
    FUZZ_CHECK(r == 0 && n == 2, "bad error in '%s'", rsp);
    qapi_input_end_object(in);
}

/*
 * @rsp, @len bytes of JSON text, is a response: an object with return or
 * error, and id at most.  Read with libqapi's input, not jansson: a
 * uint64 return value can be out of jansson's range.
 */
static void check_response_text(const char *rsp, size_t len)
{
    QapiInput *in = qapi_input_new_text(rsp, len);
    QapiError *err = NULL;
    const char *key;
    int r, results = 0, ids = 0;

    FUZZ_CHECK(in != NULL, "no input");
    FUZZ_CHECK(qapi_input_start_object(in, &err),
               "response '%s' is not an object: %s", rsp,
               qapi_error_get_pretty(err));
    while ((r = qapi_input_next_member(in, &key, &err)) == 1) {
        if (!strcmp(key, "error")) {
            check_error_text(in, rsp);
            results++;
        } else {
            FUZZ_CHECK(!strcmp(key, "return") || !strcmp(key, "id"),
                       "response '%s' has member '%s'", rsp, key);
            if (!strcmp(key, "id")) {
                ids++;
            } else {
                results++;
            }
            FUZZ_CHECK(qapi_input_skip(in, &err), "response '%s': %s", rsp,
                       qapi_error_get_pretty(err));
        }
    }
    FUZZ_CHECK(r == 0, "response '%s': %s", rsp, qapi_error_get_pretty(err));
    qapi_input_end_object(in);
    FUZZ_CHECK(qapi_input_finish(in, &err), "response '%s': %s", rsp,
               qapi_error_get_pretty(err));
    FUZZ_CHECK(results == 1 && ids <= 1,
               "response '%s' needs one of return and error", rsp);
    qapi_input_free(in);
}

/* The same for qmp_dispatch_json()'s response. */
static void check_response_json(json_t *rsp)
{
    json_t *error = json_object_get(rsp, "error");
    size_t n = 2;

    FUZZ_CHECK(json_is_object(rsp), "response is not an object");
    FUZZ_CHECK(!json_object_get(rsp, "return") != !error,
               "response needs one of return and error");
    if (error) {
        FUZZ_CHECK(json_is_object(error) && json_object_size(error) == 2 &&
                       json_is_string(json_object_get(error, "class")) &&
                       json_is_string(json_object_get(error, "desc")),
                   "bad error in response");
    }
    if (!json_object_get(rsp, "id")) {
        n--;
    }
    FUZZ_CHECK(json_object_size(rsp) == n, "extra members in response");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *request;
    size_t len, rsp_len = 0;
    unsigned flags;
    char *rsp = (char *)"unset";
    json_t *req, *jrsp = NULL;
    json_error_t jerr;
    int r, rj;

    if (size < 1) {
        return 0;
    }
    request = (const char *)data + 1;
    len = size - 1;
    if (!cmds) {
        setup();
    }
    flags = data[0] & 0x1f;

    (void)qmp_is_oob(request, len);
    /* The request is not NUL-terminated: ASan sees reads past its end. */
    r = qmp_dispatch(cmds, request, len, flags, (void *)"ctx", &rsp,
                     &rsp_len);
    FUZZ_CHECK(r == 0 || r == 1, "qmp_dispatch returned %d", r);
    if (r == 0) {
        FUZZ_CHECK(rsp == NULL, "no response, but one stored");
    } else {
        FUZZ_CHECK(rsp != NULL && strlen(rsp) == rsp_len,
                   "bad response length");
        FUZZ_CHECK(!strchr(rsp, '\n'), "response '%s' has a newline", rsp);
        check_response_text(rsp, rsp_len);
        free(rsp);
    }

    /*
     * The same request as a jansson value, where jansson parses it.  The
     * two agree on whether there is a response, unless keys are
     * duplicated: jansson keeps the last silently where the text input
     * reports the duplicate (fire-and-forget then fails only from text).
     */
    req = json_loadb(request, len, JSON_DECODE_ANY, &jerr);
    if (req) {
        json_t *strict = json_loadb(request, len,
                                    JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
                                    &jerr);

        rj = qmp_dispatch_json(cmds, req, flags, (void *)"ctx", &jrsp);
        FUZZ_CHECK(rj == 0 || rj == 1, "qmp_dispatch_json returned %d", rj);
        FUZZ_CHECK(!strict || rj == r, "qmp_dispatch returned %d, _json %d",
                   r, rj);
        json_decref(strict);
        FUZZ_CHECK((rj == 1) == (jrsp != NULL),
                   "qmp_dispatch_json: result %d, response %p", rj,
                   (void *)jrsp);
        if (jrsp) {
            check_response_json(jrsp);
        }
        json_decref(jrsp);
        json_decref(req);
    }
    return 0;
}
