/*
 * fuzz/dispatch-handlers.c - the handlers of tests/dispatch-schema.json's
 * commands for the fuzz targets (fuzz-dispatch, fuzz-qmp-server), and
 * the check of a response; see dispatch-handlers.h.
 */
#include <stdbool.h>
#include <string.h>

#include "dispatch-handlers.h"
#include "fuzz.h"
#include "qapi/dispatch.h"
#include "test-qapi-commands.h"
#include "test-qapi-introspect.h"
#include "test-qapi-json.h"

/* --- the handlers: as tests/check-dispatch.c's ---------------------------- */

void (*fuzz_echo_hook)(const char *text);
unsigned long fuzz_silent_calls;

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
    if (fuzz_echo_hook) {
        fuzz_echo_hook(text);
    }
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
    } else {
        fuzz_silent_calls++;
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
    qapi_output_str(out,
                    qmp_dispatch_context() ? qmp_dispatch_context() : "(none)");
    qapi_output_member(out, "opaque");
    qapi_output_str(out, opaque);
    qapi_output_end_object(out);
    json_decref(value);
}

/* --- the command list --------------------------------------------------- */

QmpCommandList *fuzz_dispatch_commands(void)
{
    QmpCommandList *cmds = qmp_command_list_new();

    FUZZ_CHECK(cmds != NULL, "no command list");
    test_qmp_init_marshal(cmds);
    qmp_register_command_data(cmds, "raw-cmd", marshal_raw_cmd,
                              (void *)"opaque", QMP_CMD_ALLOW_OOB);
    qmp_register_query_commands(cmds, QMP_CMD_ALLOW_PRECONFIG);
    qmp_register_query_qmp_schema(cmds, &test_qmp_schema_qlit,
                                  QMP_CMD_ALLOW_PRECONFIG);
    qmp_disable_command(cmds, "slow", "too slow");
    FUZZ_CHECK(!qmp_command_list_failed(cmds), "registration failed");
    return cmds;
}

/* --- checks --------------------------------------------------------------- */

/*
 * The error member of a response: {"class": string, "desc": string}.
 * Returns false if desc holds \u0000, which libqapi's input cannot read
 * (the QMP server, as QEMU, writes the overlong "\xC0\x80" of a parse
 * error's text so: modified UTF-8): the rest is then left unchecked.
 */
static bool check_error_text(QapiInput *in, const char *rsp)
{
    QapiError *err = NULL;
    const char *key;
    char *value;
    int r, n = 0;

    FUZZ_CHECK(qapi_input_start_object(in, &err),
               "error of '%s' is not an object", rsp);
    while ((r = qapi_input_next_member(in, &key, &err)) == 1) {
        if (!strcmp(key, "class")) {
            FUZZ_CHECK(qapi_input_str(in, &value, &err),
                       "error of '%s': class is not a string: %s", rsp,
                       qapi_error_get_pretty(err));
            free(value);
        } else {
            FUZZ_CHECK(!strcmp(key, "desc"), "error of '%s' has member '%s'",
                       rsp, key);
            FUZZ_CHECK(qapi_input_peek(in) == QAPI_JSON_STRING,
                       "error of '%s': desc is not a string", rsp);
            if (!qapi_input_skip(in, &err)) {
                FUZZ_CHECK(strstr(rsp, "\\u0000"), "error of '%s': %s", rsp,
                           qapi_error_get_pretty(err));
                qapi_error_free(err);
                return false;
            }
        }
        n++;
    }
    FUZZ_CHECK(r == 0 && n == 2, "bad error in '%s'", rsp);
    qapi_input_end_object(in);
    return true;
}

void fuzz_check_response_text(const char *rsp, size_t len)
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
            if (!check_error_text(in, rsp)) {
                qapi_input_free(in);
                return;
            }
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
