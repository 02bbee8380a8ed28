/*
 * check-dispatch.c - the generated command marshallers (for
 * tests/dispatch-schema.json, generated with -p test-) and the QMP
 * dispatcher of qapi/dispatch.h: every response shape and error path.
 *
 * Responses are compared as text: the dispatcher writes compact JSON with
 * members in a fixed order, so the exact string is the specification.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qapi/dispatch.h"
#include "test-qapi-commands.h"
#include "test-qapi-introspect.h"
#include "test-qapi-json.h"

/* --- the handlers -----------------------------------------------------------
 */

static int pings;
static int oob_pings;
static QMPCapabilityList *caps_enabled;
static bool caps_called;

/* What add-shape received. */
static struct {
    bool has_scale;
    int8_t scale;
    char *note;
    bool has_default;
    bool q_default;
} got;

/* What do-action received. */
static Action *last_action;

void qmp_ping(QapiError **errp)
{
    (void)errp;
    pings++;
}

ShapeInfo *qmp_add_shape(Shape *shape, bool has_scale, int8_t scale,
                         const char *note, bool has_q_default, bool q_default,
                         QapiError **errp)
{
    ShapeInfo *info = calloc(1, sizeof(*info));
    PointList *p;

    (void)errp;
    got.has_scale = has_scale;
    got.scale = scale;
    free(got.note);
    got.note = note ? strdup(note) : NULL;
    got.has_default = has_q_default;
    got.q_default = q_default;
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
    p->x = -x;
    p->y = -y;
    p->label = label ? strdup(label) : NULL;
    return p;
}

void qmp_do_action(Action *arg, QapiError **errp)
{
    (void)errp;
    qapi_free_Action(last_action);
    last_action = qapi_clone_Action(arg);
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
    oob_pings++;
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
    (void)errp;
    (void)has_enable;
    caps_called = true;
    qapi_free_QMPCapabilityList(caps_enabled);
    caps_enabled = qapi_clone_QMPCapabilityList(enable);
}

void qmp_cond_yes(QapiError **errp)
{
    (void)errp;
}

void qmp_cond_all(QapiError **errp)
{
    (void)errp;
}

/* raw-cmd is 'gen': false: the marshaller is ours.  It returns
 * {"args": ARGUMENTS, "ctx": CTX, "opaque": OPAQUE}. */
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

/* Writes nothing: the dispatcher supplies {}. */
static void marshal_silent(QapiInput *args, QapiOutput *out, QapiError **errp)
{
    (void)out;
    qmp_marshal_no_args(args, errp);
}

/* --- fixture and helpers
 * ------------------------------------------------------ */

static QmpCommandList *cmds;

static void setup(void)
{
    pings = 0;
    oob_pings = 0;
    caps_called = false;
    cmds = qmp_command_list_new();
    ck_assert_ptr_nonnull(cmds);
    test_qmp_init_marshal(cmds);
    ck_assert(!qmp_command_list_failed(cmds));
}

static void teardown(void)
{
    qmp_command_list_free(cmds);
    cmds = NULL;
    free(got.note);
    got.note = NULL;
    qapi_free_Action(last_action);
    last_action = NULL;
    qapi_free_QMPCapabilityList(caps_enabled);
    caps_enabled = NULL;
}

/* Dispatch @req with @flags; the response (NULL: none), to be freed. */
static char *dispatch_ctx(const char *req, unsigned flags, void *ctx)
{
    char *rsp = (char *)"unset";
    size_t len = 12345;
    int r = qmp_dispatch(cmds, req, strlen(req), flags, ctx, &rsp, &len);

    ck_assert_int_ge(r, 0);
    if (r == 0) {
        ck_assert_ptr_null(rsp);
        return NULL;
    }
    ck_assert_ptr_nonnull(rsp);
    ck_assert_uint_eq(len, strlen(rsp));
    return rsp;
}

static char *dispatch(const char *req, unsigned flags)
{
    return dispatch_ctx(req, flags, NULL);
}

/* Dispatch @req (with @flags) and check the response is exactly @expect
 * (NULL: no response). */
#define ck_dispatch(req, flags, expect)                                        \
    do {                                                                       \
        char *rsp_ = dispatch((req), (flags));                                 \
        const char *exp_ = (expect);                                           \
        if (exp_) {                                                            \
            ck_assert_msg(rsp_ != NULL, "%s: no response", (req));             \
            ck_assert_msg(!strcmp(rsp_, exp_), "%s:\n  got  %s\n  want %s",    \
                          (req), rsp_, exp_);                                  \
        } else {                                                               \
            ck_assert_msg(rsp_ == NULL, "%s: unexpected response %s", (req),   \
                          rsp_);                                               \
        }                                                                      \
        free(rsp_);                                                            \
    } while (0)

#define GENERIC(desc)                                                          \
    "{\"error\":{\"class\":\"GenericError\",\"desc\":\"" desc "\"}"
#define NOT_FOUND(desc)                                                        \
    "{\"error\":{\"class\":\"CommandNotFound\",\"desc\":\"" desc "\"}"

/* --- response shapes
 * ---------------------------------------------------------- */

START_TEST(test_return_empty)
{
    ck_dispatch("{\"execute\":\"ping\"}", 0, "{\"return\":{}}");
    ck_dispatch("{ \"execute\" : \"ping\" , \"arguments\" : { } }\n", 0,
                "{\"return\":{}}");
    ck_assert_int_eq(pings, 2);
}
END_TEST

START_TEST(test_id_echo)
{
    ck_dispatch("{\"execute\":\"ping\",\"id\":1}", 0,
                "{\"return\":{},\"id\":1}");
    ck_dispatch("{\"id\":\"libvirt-42\",\"execute\":\"ping\"}", 0,
                "{\"return\":{},\"id\":\"libvirt-42\"}");
    /* Objects and arrays lose white space outside strings only. */
    ck_dispatch("{\"execute\":\"ping\",\"id\":{ \"a\" : [ 1 , 2 ],\n"
                "\"b c\" : \"x  y\" }}",
                0, "{\"return\":{},\"id\":{\"a\":[1,2],\"b c\":\"x  y\"}}");
    ck_dispatch("{\"execute\":\"ping\",\"id\":null}", 0,
                "{\"return\":{},\"id\":null}");
    ck_dispatch("{\"execute\":\"ping\",\"id\":false}", 0,
                "{\"return\":{},\"id\":false}");
    /* Verbatim: numbers beyond any C type, escapes, exponents. */
    ck_dispatch("{\"execute\":\"ping\",\"id\":123456789012345678901234567890}",
                0, "{\"return\":{},\"id\":123456789012345678901234567890}");
    ck_dispatch("{\"execute\":\"ping\",\"id\":-1.50e+3}", 0,
                "{\"return\":{},\"id\":-1.50e+3}");
    ck_dispatch("{\"execute\":\"ping\",\"id\":\"\\u00e9\\\"\\\\\"}", 0,
                "{\"return\":{},\"id\":\"\\u00e9\\\"\\\\\"}");
    ck_dispatch("{\"execute\":\"ping\",\"id\":[]}", 0,
                "{\"return\":{},\"id\":[]}");
    /* The last of duplicate ids counts. */
    ck_dispatch("{\"id\":1,\"execute\":\"ping\",\"id\":2}", 0,
                "{\"return\":{},\"id\":2}");
}
END_TEST

START_TEST(test_id_in_errors)
{
    ck_dispatch(
        "{\"execute\":\"nope\",\"id\":{\"n\":1}}", 0,
        NOT_FOUND("The command nope has not been found") ",\"id\":{\"n\":1}}");
    ck_dispatch("{\"execute\":\"fail\",\"arguments\":{\"class\":"
                "\"DeviceNotFound\",\"desc\":\"no such device\"},\"id\":\"x\"}",
                0,
                "{\"error\":{\"class\":\"DeviceNotFound\",\"desc\":"
                "\"no such device\"},\"id\":\"x\"}");
    /* Errors of the request object still echo the id, as in QEMU ... */
    ck_dispatch("{\"id\":7,\"bogus\":1}", 0,
                GENERIC("QMP input member 'bogus' is unexpected") ",\"id\":7}");
    ck_dispatch("{\"id\":7}", 0,
                GENERIC("QMP input lacks member 'execute'") ",\"id\":7}");
    /* ... but a parse error comes before any id is known. */
    {
        char *rsp = dispatch("{\"id\":7,\"execute\":}", 0);

        ck_assert_msg(
            !strncmp(rsp,
                     "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                     "\"JSON parse error",
                     strlen("{\"error\":{\"class\":\"GenericError\","
                            "\"desc\":\"JSON parse error")),
            "%s", rsp);
        ck_assert_ptr_null(strstr(rsp, "\"id\""));
        free(rsp);
    }
}
END_TEST

START_TEST(test_handler_errors)
{
    static const char *const classes[] = {"GenericError", "CommandNotFound",
                                          "DeviceNotActive", "DeviceNotFound",
                                          "KVMMissingCap"};
    char req[256];
    char want[256];
    size_t i;

    for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
        snprintf(req, sizeof(req),
                 "{\"execute\":\"fail\",\"arguments\":{\"class\":\"%s\","
                 "\"desc\":\"d\"}}",
                 classes[i]);
        snprintf(want, sizeof(want),
                 "{\"error\":{\"class\":\"%s\",\"desc\":\"d\"}}", classes[i]);
        ck_dispatch(req, 0, want);
    }
    /* The description is escaped. */
    ck_dispatch(
        "{\"execute\":\"fail\",\"arguments\":{\"class\":\"GenericError\","
        "\"desc\":\"a \\\"b\\\"\\n\\u0001\"}}",
        0, GENERIC("a \\\"b\\\"\\n\\u0001") "}");
    /* A return value that comes with an error is freed (valgrind). */
    ck_dispatch("{\"execute\":\"echo-str\",\"arguments\":{\"text\":\"fail\"}}",
                0, GENERIC("echo failed") "}");
}
END_TEST

/* --- generated marshallers: arguments and return values
 * --------------------------- */

START_TEST(test_args_one_by_one)
{
    ck_dispatch(
        "{\"execute\":\"add-shape\",\"arguments\":{\"shape\":{"
        "\"name\":\"sq\",\"color\":\"red\",\"points\":[{\"x\":0,\"y\":0},"
        "{\"x\":1,\"y\":0,\"label\":\"b\"}],\"big\":18446744073709551615},"
        "\"scale\":-128,\"note\":\"n\",\"default\":true}}",
        0,
        "{\"return\":{\"name\":\"sq\",\"npoints\":2,"
        "\"total\":18446744073709551615}}");
    ck_assert(got.has_scale);
    ck_assert_int_eq(got.scale, -128);
    ck_assert_str_eq(got.note, "n");
    ck_assert(got.has_default && got.q_default);

    /* Optional arguments absent. */
    ck_dispatch("{\"execute\":\"add-shape\",\"arguments\":{\"shape\":{"
                "\"name\":\"e\",\"color\":\"blue\",\"points\":[]}}}",
                0, "{\"return\":{\"name\":\"e\",\"npoints\":0}}");
    ck_assert(!got.has_scale);
    ck_assert_ptr_null(got.note);
    ck_assert(!got.has_default);
}
END_TEST

START_TEST(test_args_errors)
{
    static const struct {
        const char *args;
        const char *desc;
    } cases[] = {
        {"{}", "Parameter 'shape' is missing"},
        {"{\"shape\":{\"name\":\"a\",\"color\":\"red\"}}",
         "Parameter 'shape.points' is missing"},
        {"{\"shape\":{\"name\":\"a\",\"color\":\"red\",\"points\":[{\"x\":1,"
         "\"y\":2},{\"x\":1}]}}",
         "Parameter 'shape.points[1].y' is missing"},
        {"{\"shape\":{\"name\":\"a\",\"color\":\"red\",\"points\":[{\"x\":"
         "\"1\","
         "\"y\":2}]}}",
         "Invalid parameter type for 'shape.points[0].x', expected: integer"},
        {"{\"shape\":{\"name\":\"a\",\"color\":\"pink\",\"points\":[]}}",
         "Parameter 'shape.color' does not accept value 'pink'"},
        {"{\"shape\":{\"name\":\"a\",\"color\":\"red\",\"points\":[],"
         "\"extra\":1}}",
         "Parameter 'shape.extra' is unexpected"},
        {"{\"shape\":{\"name\":\"a\",\"color\":\"red\",\"points\":[]},"
         "\"bogus\":null}",
         "Parameter 'bogus' is unexpected"},
        {"{\"shape\":{\"name\":\"a\",\"color\":\"red\",\"points\":[]},"
         "\"scale\":128}",
         "Parameter 'scale' expects int8"},
        {"{\"shape\":{\"name\":\"a\",\"color\":\"red\",\"points\":[]},"
         "\"note\":1}",
         "Invalid parameter type for 'note', expected: string"},
        {"{\"shape\":{\"name\":\"a\",\"color\":\"red\",\"points\":[]},"
         "\"note\":\"x\",\"note\":\"y\"}",
         "Parameter 'note' is duplicated"},
        {"{\"shape\":[]}",
         "Invalid parameter type for 'shape', expected: object"},
        {"{\"shape\":{\"name\":\"a\",\"color\":\"red\",\"points\":{}}}",
         "Invalid parameter type for 'shape.points', expected: array"},
        {"{\"shape\":{\"name\":\"a\",\"color\":\"red\",\"points\":[],"
         "\"big\":-1}}",
         "Parameter 'shape.big' expects uint64"},
    };
    char req[512];
    char want[512];
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(req, sizeof(req),
                 "{\"execute\":\"add-shape\",\"arguments\":%s,\"id\":%zu}",
                 cases[i].args, i);
        snprintf(want, sizeof(want), GENERIC("%s") ",\"id\":%zu}",
                 cases[i].desc, i);
        ck_dispatch(req, 0, want);
    }
    /* Commands without arguments take none. */
    ck_dispatch("{\"execute\":\"ping\",\"arguments\":{\"x\":1}}", 0,
                GENERIC("Parameter 'x' is unexpected") "}");
    ck_assert_int_eq(pings, 0);
}
END_TEST

START_TEST(test_return_types)
{
    ck_dispatch("{\"execute\":\"list-shapes\"}", 0,
                "{\"return\":[{\"name\":\"square\",\"npoints\":4},"
                "{\"name\":\"triangle\",\"npoints\":3}]}");
    ck_dispatch("{\"execute\":\"echo-str\",\"arguments\":{\"text\":"
                "\"a\\\"\\\\\\n\\u00e9\"}}",
                0, "{\"return\":\"a\\\"\\\\\\n\xc3\xa9\"}");
    ck_dispatch("{\"execute\":\"add-u64\",\"arguments\":{\"a\":"
                "18446744073709551614,\"b\":1}}",
                0, "{\"return\":18446744073709551615}");
    ck_dispatch("{\"execute\":\"add-u64\",\"arguments\":{\"a\":"
                "18446744073709551616,\"b\":1}}",
                0, GENERIC("Parameter 'a' expects uint64") "}");
    ck_dispatch("{\"execute\":\"echo-any\",\"arguments\":{\"value\":"
                "{\"k\":[1,2.5,null,true,\"s\"]}}}",
                0, "{\"return\":{\"k\":[1,2.5,null,true,\"s\"]}}");
    ck_dispatch("{\"execute\":\"echo-any\",\"arguments\":{}}", 0,
                GENERIC("Parameter 'value' is missing") "}");
    ck_dispatch("{\"execute\":\"get-color\",\"arguments\":{\"c\":\"blue\"}}", 0,
                "{\"return\":\"red\"}");
}
END_TEST

START_TEST(test_struct_args)
{
    ck_dispatch("{\"execute\":\"mirror-point\",\"arguments\":{\"x\":3,"
                "\"y\":-4,\"label\":\"p\"}}",
                0, "{\"return\":{\"x\":-3,\"y\":4,\"label\":\"p\"}}");
    ck_dispatch("{\"execute\":\"mirror-point\",\"arguments\":{\"x\":3}}", 0,
                GENERIC("Parameter 'y' is missing") "}");
}
END_TEST

START_TEST(test_boxed_union)
{
    ck_dispatch("{\"execute\":\"do-action\",\"arguments\":{\"dx\":1,"
                "\"kind\":\"move\",\"dy\":2}}",
                0, "{\"return\":{}}");
    ck_assert_int_eq(last_action->kind, ACTION_KIND_MOVE);
    ck_assert(!last_action->has_verbose);
    ck_assert_int_eq(last_action->u.move.dx, 1);
    ck_assert_int_eq(last_action->u.move.dy, 2);
    ck_dispatch("{\"execute\":\"do-action\",\"arguments\":{\"kind\":\"paint\","
                "\"color\":\"green\",\"verbose\":true}}",
                0, "{\"return\":{}}");
    ck_assert_int_eq(last_action->kind, ACTION_KIND_PAINT);
    ck_assert(last_action->has_verbose && last_action->verbose);
    ck_assert_int_eq(last_action->u.paint.color, COLOR_GREEN);

    ck_dispatch("{\"execute\":\"do-action\",\"arguments\":{\"dx\":1}}", 0,
                GENERIC("Parameter 'kind' is missing") "}");
    ck_dispatch("{\"execute\":\"do-action\",\"arguments\":{\"kind\":\"jump\"}}",
                0,
                GENERIC("Parameter 'kind' does not accept value 'jump'") "}");
    ck_dispatch("{\"execute\":\"do-action\",\"arguments\":{\"kind\":\"move\","
                "\"dx\":1}}",
                0, GENERIC("Parameter 'dy' is missing") "}");
    ck_dispatch("{\"execute\":\"do-action\",\"arguments\":{\"kind\":\"move\","
                "\"dx\":1,\"dy\":2,\"color\":\"red\"}}",
                0, GENERIC("Parameter 'color' is unexpected") "}");
}
END_TEST

/* A marshaller called directly, on an input of the caller's. */
START_TEST(test_marshal_direct)
{
    static const char good[] = " {\"a\":1,\"b\":2} ";
    static const char trailing[] = "{\"a\":1,\"b\":2} 3";
    QapiError *err = NULL;
    QapiInput *in = qapi_input_new_text(good, strlen(good));
    QapiOutput *out = qapi_output_new_text();
    char *text;

    qmp_marshal_add_u64(in, out, &err);
    ck_assert_ptr_null(err);
    text = qapi_output_finish_text(out, NULL);
    ck_assert_str_eq(text, "3");
    free(text);
    qapi_input_free(in);

    in = qapi_input_new_text(trailing, strlen(trailing));
    out = qapi_output_new_text();
    qmp_marshal_add_u64(in, out, &err);
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(!strncmp(qapi_error_get_pretty(err), "JSON parse error", 16),
                  "%s", qapi_error_get_pretty(err));
    qapi_error_free(err);
    err = NULL;
    qapi_output_free(out);
    qapi_input_free(in);

    /* Commands without 'returns' write {}. */
    in = qapi_input_new_text("{}", 2);
    out = qapi_output_new_text();
    qmp_marshal_ping(in, out, &err);
    ck_assert_ptr_null(err);
    text = qapi_output_finish_text(out, NULL);
    ck_assert_str_eq(text, "{}");
    free(text);
    qapi_input_free(in);
}
END_TEST

/* --- the request object
 * -------------------------------------------------------------- */

START_TEST(test_request_errors)
{
    static const struct {
        unsigned flags;
        const char *req;
        const char *rsp;
    } cases[] = {
        {0, "[]", GENERIC("QMP input must be a JSON object") "}"},
        {0, "\"execute\"", GENERIC("QMP input must be a JSON object") "}"},
        {0, "42", GENERIC("QMP input must be a JSON object") "}"},
        {0, "null", GENERIC("QMP input must be a JSON object") "}"},
        {0, "{}", GENERIC("QMP input lacks member 'execute'") "}"},
        {0, "{\"arguments\":{}}",
         GENERIC("QMP input lacks member 'execute'") "}"},
        {0, "{\"execute\":1}",
         GENERIC("QMP input member 'execute' must be a string") "}"},
        {0, "{\"execute\":null}",
         GENERIC("QMP input member 'execute' must be a string") "}"},
        {0, "{\"execute\":\"ping\",\"arguments\":[]}",
         GENERIC("QMP input member 'arguments' must be an object") "}"},
        {0, "{\"execute\":\"ping\",\"arguments\":null}",
         GENERIC("QMP input member 'arguments' must be an object") "}"},
        {0, "{\"execute\":\"ping\",\"foo\":1}",
         GENERIC("QMP input member 'foo' is unexpected") "}"},
        {0, "{\"execute\":\"ping\",\"control\":{}}",
         GENERIC("QMP input member 'control' is unexpected") "}"},
        /* exec-oob is an unknown key unless OOB is enabled */
        {0, "{\"exec-oob\":\"oob-ping\"}",
         GENERIC("QMP input member 'exec-oob' is unexpected") "}"},
        {QMP_DISPATCH_ALLOW_OOB, "{\"exec-oob\":2}",
         GENERIC("QMP input member 'exec-oob' must be a string") "}"},
        {QMP_DISPATCH_ALLOW_OOB,
         "{\"execute\":\"ping\",\"exec-oob\":\"oob-ping\"}",
         GENERIC("QMP input member 'exec-oob' clashes with 'execute'") "}"},
        {QMP_DISPATCH_ALLOW_OOB,
         "{\"exec-oob\":\"oob-ping\",\"execute\":\"ping\"}",
         GENERIC("QMP input member 'execute' clashes with 'exec-oob'") "}"},
        /* the first problem in member order */
        {0, "{\"foo\":1,\"execute\":2}",
         GENERIC("QMP input member 'foo' is unexpected") "}"},
        {0, "{\"execute\":2,\"foo\":1}",
         GENERIC("QMP input member 'execute' must be a string") "}"},
        {0, "{\"arguments\":1,\"foo\":1}",
         GENERIC("QMP input member 'arguments' must be an object") "}"},
        /* keys are compared decoded */
        {0, "{\"\\u0065xecute\":\"ping\"}", "{\"return\":{}}"},
        {0, "{\"execute\":\"ping\",\"f\\u006fo\":1}",
         GENERIC("QMP input member 'foo' is unexpected") "}"},
        /* duplicate keys: the last one counts, as in QEMU */
        {0, "{\"execute\":1,\"execute\":\"ping\"}", "{\"return\":{}}"},
        {0, "{\"execute\":\"ping\",\"execute\":1}",
         GENERIC("QMP input member 'execute' must be a string") "}"},
        {0, "{\"execute\":\"ping\",\"arguments\":{\"x\":1},\"arguments\":{}}",
         "{\"return\":{}}"},
        /* the command name is decoded */
        {0, "{\"execute\":\"p\\u0069ng\"}", "{\"return\":{}}"},
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ck_dispatch(cases[i].req, cases[i].flags, cases[i].rsp);
    }
}
END_TEST

START_TEST(test_parse_errors)
{
    static const char *const bad[] = {
        "",
        "   ",
        "{",
        "{\"execute\":\"ping\"",
        "{\"execute\":\"ping\"} {}",
        "{'execute':'ping'}",
        "{\"execute\":\"ping\",}",
        "\xff",
    };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *rsp = dispatch(bad[i], 0);
        const char *prefix = "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                             "\"JSON parse error";

        ck_assert_msg(!strncmp(rsp, prefix, strlen(prefix)), "%s -> %s", bad[i],
                      rsp);
        free(rsp);
    }
    ck_assert_int_eq(pings, 0);
}
END_TEST

/* The request need not be NUL-terminated. */
START_TEST(test_length)
{
    static const char req[] = "{\"execute\":\"ping\",\"id\":1}garbage";
    char *rsp;
    size_t len;

    ck_assert_int_eq(
        qmp_dispatch(cmds, req, strlen(req) - 7, 0, NULL, &rsp, &len), 1);
    ck_assert_str_eq(rsp, "{\"return\":{},\"id\":1}");
    free(rsp);
    /* response_len may be NULL */
    ck_assert_int_eq(
        qmp_dispatch(cmds, req, strlen(req) - 7, 0, NULL, &rsp, NULL), 1);
    free(rsp);
}
END_TEST

/* --- the registry and the dispatch flags
 * ---------------------------------------- */

START_TEST(test_unknown_command)
{
    ck_dispatch("{\"execute\":\"nope\"}", 0,
                NOT_FOUND("The command nope has not been found") "}");
    /* gen: false: not registered by test_qmp_init_marshal() */
    ck_dispatch("{\"execute\":\"raw-cmd\"}", 0,
                NOT_FOUND("The command raw-cmd has not been found") "}");
    /* not compiled in */
    ck_dispatch("{\"execute\":\"cond-no\"}", 0,
                NOT_FOUND("The command cond-no has not been found") "}");
    ck_dispatch("{\"execute\":\"cond-yes\"}", 0, "{\"return\":{}}");
    ck_dispatch("{\"execute\":\"cond-all\"}", 0, "{\"return\":{}}");
}
END_TEST

START_TEST(test_disabled)
{
    ck_assert_int_eq(qmp_disable_command(cmds, "ping", NULL), 0);
    ck_assert(!qmp_command_is_enabled(qmp_find_command(cmds, "ping")));
    ck_dispatch("{\"execute\":\"ping\",\"id\":3}", 0,
                NOT_FOUND("Command ping has been disabled") ",\"id\":3}");
    ck_assert_int_eq(qmp_disable_command(cmds, "ping", "under maintenance"), 0);
    ck_assert_str_eq(qmp_command_disable_reason(qmp_find_command(cmds, "ping")),
                     "under maintenance");
    ck_dispatch(
        "{\"execute\":\"ping\"}", 0,
        NOT_FOUND("Command ping has been disabled: under maintenance") "}");
    ck_assert_int_eq(pings, 0);
    ck_assert_int_eq(qmp_enable_command(cmds, "ping"), 0);
    ck_assert_ptr_null(
        qmp_command_disable_reason(qmp_find_command(cmds, "ping")));
    ck_dispatch("{\"execute\":\"ping\"}", 0, "{\"return\":{}}");
    ck_assert_int_eq(pings, 1);
    ck_assert_int_eq(qmp_disable_command(cmds, "nope", NULL), -1);
    ck_assert_int_eq(qmp_enable_command(cmds, "nope"), -1);
}
END_TEST

START_TEST(test_success_response_false)
{
    ck_dispatch("{\"execute\":\"fire-and-forget\",\"id\":1}", 0, NULL);
    ck_dispatch("{\"execute\":\"fire-and-forget\",\"arguments\":{\"fail\":"
                "false}}",
                0, NULL);
    /* Errors are still reported. */
    ck_dispatch("{\"execute\":\"fire-and-forget\",\"arguments\":{\"fail\":"
                "true},\"id\":1}",
                0, GENERIC("fire-and-forget failed") ",\"id\":1}");
    ck_dispatch("{\"execute\":\"fire-and-forget\",\"arguments\":{\"x\":1}}", 0,
                GENERIC("Parameter 'x' is unexpected") "}");
}
END_TEST

START_TEST(test_oob)
{
    ck_dispatch("{\"exec-oob\":\"oob-ping\",\"id\":\"o\"}",
                QMP_DISPATCH_ALLOW_OOB, "{\"return\":{},\"id\":\"o\"}");
    ck_dispatch("{\"execute\":\"oob-ping\"}", QMP_DISPATCH_ALLOW_OOB,
                "{\"return\":{}}");
    ck_dispatch("{\"execute\":\"oob-ping\"}", 0, "{\"return\":{}}");
    ck_assert_int_eq(oob_pings, 3);
    ck_dispatch("{\"exec-oob\":\"ping\",\"id\":1}", QMP_DISPATCH_ALLOW_OOB,
                GENERIC("The command ping does not support OOB") ",\"id\":1}");
    ck_dispatch("{\"exec-oob\":\"nope\"}", QMP_DISPATCH_ALLOW_OOB,
                NOT_FOUND("The command nope has not been found") "}");
    ck_assert_int_eq(pings, 0);
}
END_TEST

START_TEST(test_preconfig)
{
    ck_dispatch("{\"execute\":\"ping\"}", QMP_DISPATCH_PRECONFIG,
                GENERIC("The command 'ping' is permitted only after machine "
                        "initialization has completed") "}");
    ck_dispatch("{\"execute\":\"early\"}", QMP_DISPATCH_PRECONFIG,
                "{\"return\":{}}");
    ck_dispatch("{\"execute\":\"nope\"}", QMP_DISPATCH_PRECONFIG,
                NOT_FOUND("The command nope has not been found") "}");
}
END_TEST

START_TEST(test_compat_policy)
{
    ck_dispatch("{\"execute\":\"old-cmd\"}", 0, "{\"return\":{}}");
    ck_dispatch("{\"execute\":\"x-new-cmd\"}", 0, "{\"return\":{}}");
    ck_dispatch("{\"execute\":\"old-cmd\"}", QMP_DISPATCH_REJECT_DEPRECATED,
                NOT_FOUND("Deprecated command old-cmd disabled by policy") "}");
    ck_dispatch("{\"execute\":\"x-new-cmd\"}", QMP_DISPATCH_REJECT_DEPRECATED,
                "{\"return\":{}}");
    ck_dispatch("{\"execute\":\"x-new-cmd\"}", QMP_DISPATCH_REJECT_UNSTABLE,
                NOT_FOUND("Unstable command x-new-cmd disabled by policy") "}");
    ck_dispatch("{\"execute\":\"ping\"}",
                QMP_DISPATCH_REJECT_UNSTABLE | QMP_DISPATCH_REJECT_DEPRECATED,
                "{\"return\":{}}");
}
END_TEST

START_TEST(test_negotiation)
{
    const unsigned neg = QMP_DISPATCH_NEGOTIATION;

    ck_dispatch("{\"execute\":\"ping\",\"id\":1}", neg,
                NOT_FOUND("Expecting capabilities negotiation with "
                          "'qmp_capabilities'") ",\"id\":1}");
    ck_dispatch("{\"execute\":\"nope\"}", neg,
                NOT_FOUND("Expecting capabilities negotiation with "
                          "'qmp_capabilities'") "}");
    /* Errors of other classes are left alone. */
    ck_dispatch("{\"execute\":\"ping\",\"bogus\":1}", neg,
                GENERIC("QMP input member 'bogus' is unexpected") "}");
    ck_dispatch("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":"
                "[\"oob\",\"bogus\"]}}",
                neg,
                GENERIC("Parameter 'enable[1]' does not accept value "
                        "'bogus'") "}");
    ck_assert(!caps_called);
    ck_assert_int_eq(pings, 0);
    ck_dispatch("{\"execute\":\"qmp_capabilities\",\"arguments\":{\"enable\":"
                "[\"oob\"]},\"id\":0}",
                neg, "{\"return\":{},\"id\":0}");
    ck_assert(caps_called);
    ck_assert_ptr_nonnull(caps_enabled);
    ck_assert_int_eq(caps_enabled->value, QMP_CAPABILITY_OOB);
    ck_assert_ptr_null(caps_enabled->next);
    /* Without qmp_capabilities in the list, even it is not found. */
    ck_assert_int_eq(qmp_unregister_command(cmds, "qmp_capabilities"), 0);
    ck_dispatch("{\"execute\":\"qmp_capabilities\"}", neg,
                NOT_FOUND("Expecting capabilities negotiation with "
                          "'qmp_capabilities'") "}");
}
END_TEST

START_TEST(test_flags_recorded)
{
    static const struct {
        const char *name;
        unsigned options;
    } cases[] = {
        {"ping", 0},
        {"fire-and-forget", QMP_CMD_NO_SUCCESS_RESP},
        {"oob-ping", QMP_CMD_ALLOW_OOB},
        {"early", QMP_CMD_ALLOW_PRECONFIG},
        {"slow", QMP_CMD_COROUTINE},
        {"old-cmd", QMP_CMD_DEPRECATED},
        {"x-new-cmd", QMP_CMD_UNSTABLE},
        {"qmp_capabilities", QMP_CMD_ALLOW_PRECONFIG},
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const QmpCommand *cmd = qmp_find_command(cmds, cases[i].name);

        ck_assert_msg(cmd != NULL, "%s", cases[i].name);
        ck_assert_str_eq(qmp_command_name(cmd), cases[i].name);
        ck_assert_uint_eq(qmp_command_options(cmd), cases[i].options);
        ck_assert(qmp_command_is_enabled(cmd));
        ck_assert(qmp_has_success_response(cmd) ==
                  !(cases[i].options & QMP_CMD_NO_SUCCESS_RESP));
    }
    ck_assert_ptr_null(qmp_find_command(cmds, "raw-cmd"));
    ck_assert_ptr_null(qmp_find_command(cmds, "cond-no"));
    ck_assert_ptr_null(qmp_find_command(cmds, NULL));
}
END_TEST

static void collect(const QmpCommand *cmd, void *opaque)
{
    json_t *names = opaque;

    json_array_append_new(names, json_string(qmp_command_name(cmd)));
}

/* Names of every command registered by test_qmp_init_marshal, in order. */
static const char *const generated[] = {
    "ping",
    "add-shape",
    "list-shapes",
    "echo-str",
    "add-u64",
    "echo-any",
    "get-color",
    "mirror-point",
    "do-action",
    "fail",
    "fire-and-forget",
    "oob-ping",
    "early",
    "slow",
    "old-cmd",
    "x-new-cmd",
    "qmp_capabilities",
    "cond-yes",
    "cond-all",
};
#define N_GENERATED (sizeof(generated) / sizeof(generated[0]))

START_TEST(test_registry)
{
    json_t *names = json_array();
    size_t i;

    qmp_for_each_command(cmds, collect, names);
    ck_assert_uint_eq(json_array_size(names), N_GENERATED);
    for (i = 0; i < N_GENERATED; i++) {
        ck_assert_str_eq(json_string_value(json_array_get(names, i)),
                         generated[i]);
    }
    json_decref(names);

    /* Registering again replaces, in place, and enables. */
    qmp_disable_command(cmds, "ping", "off");
    ck_assert_int_eq(
        qmp_register_command(cmds, "ping", marshal_silent, QMP_CMD_ALLOW_OOB),
        0);
    ck_assert(qmp_command_is_enabled(qmp_find_command(cmds, "ping")));
    ck_assert_uint_eq(qmp_command_options(qmp_find_command(cmds, "ping")),
                      QMP_CMD_ALLOW_OOB);
    ck_dispatch("{\"exec-oob\":\"ping\"}", QMP_DISPATCH_ALLOW_OOB,
                "{\"return\":{}}");
    ck_assert_int_eq(pings, 0);
    names = json_array();
    qmp_for_each_command(cmds, collect, names);
    ck_assert_uint_eq(json_array_size(names), N_GENERATED);
    ck_assert_str_eq(json_string_value(json_array_get(names, 0)), "ping");
    json_decref(names);

    /* Unregistering. */
    ck_assert_int_eq(qmp_unregister_command(cmds, "add-shape"), 0);
    ck_assert_int_eq(qmp_unregister_command(cmds, "add-shape"), -1);
    ck_assert_ptr_null(qmp_find_command(cmds, "add-shape"));
    ck_dispatch("{\"execute\":\"add-shape\"}", 0,
                NOT_FOUND("The command add-shape has not been found") "}");
    names = json_array();
    qmp_for_each_command(cmds, collect, names);
    ck_assert_uint_eq(json_array_size(names), N_GENERATED - 1);
    ck_assert_str_eq(json_string_value(json_array_get(names, 1)),
                     "list-shapes");
    json_decref(names);

    /* Bad arguments. */
    ck_assert_int_eq(qmp_register_command(cmds, NULL, marshal_silent, 0), -1);
    ck_assert_int_eq(qmp_register_command(cmds, "x", NULL, 0), -1);
    ck_assert_int_eq(qmp_register_command(NULL, "x", marshal_silent, 0), -1);
    ck_assert(!qmp_command_list_failed(cmds));

    /* Many commands: the list grows. */
    for (i = 0; i < 300; i++) {
        char name[32];

        snprintf(name, sizeof(name), "cmd-%zu", i);
        ck_assert_int_eq(qmp_register_command(cmds, name, marshal_silent, 0),
                         0);
    }
    ck_dispatch("{\"execute\":\"cmd-299\"}", 0, "{\"return\":{}}");
    ck_dispatch("{\"execute\":\"cmd-0\"}", 0, "{\"return\":{}}");
    ck_dispatch("{\"execute\":\"list-shapes\"}", 0,
                "{\"return\":[{\"name\":\"square\",\"npoints\":4},"
                "{\"name\":\"triangle\",\"npoints\":3}]}");
}
END_TEST

START_TEST(test_gen_false)
{
    static char opaque[] = "my data";
    static char ctx[] = "session 1";

    ck_assert_int_eq(
        qmp_register_command_data(cmds, "raw-cmd", marshal_raw_cmd, opaque, 0),
        0);
    {
        char *rsp = dispatch_ctx(
            "{\"execute\":\"raw-cmd\",\"arguments\":{\"anything\":[1]},"
            "\"id\":9}",
            0, ctx);

        ck_assert_str_eq(rsp, "{\"return\":{\"args\":{\"anything\":[1]},"
                              "\"ctx\":\"session 1\",\"opaque\":\"my data\"},"
                              "\"id\":9}");
        free(rsp);
    }
    ck_dispatch("{\"execute\":\"raw-cmd\"}", 0,
                "{\"return\":{\"args\":{},\"ctx\":\"(none)\",\"opaque\":"
                "\"my data\"}}");
    ck_assert_ptr_null(qmp_dispatch_context());

    /* A handler that writes nothing gets {}. */
    ck_assert_int_eq(qmp_register_command(cmds, "silent", marshal_silent, 0),
                     0);
    ck_dispatch("{\"execute\":\"silent\",\"id\":1}", 0,
                "{\"return\":{},\"id\":1}");
}
END_TEST

/* --- built-in commands
 * --------------------------------------------------------------- */

START_TEST(test_query_commands)
{
    json_t *rsp_json;
    json_t *ret;
    json_error_t jerr;
    char *rsp;
    size_t i;
    size_t k;

    ck_assert_int_eq(qmp_register_query_commands(cmds, QMP_CMD_ALLOW_PRECONFIG),
                     0);
    ck_assert_uint_eq(
        qmp_command_options(qmp_find_command(cmds, "query-commands")),
        QMP_CMD_ALLOW_PRECONFIG);
    qmp_disable_command(cmds, "slow", NULL);
    rsp = dispatch("{\"execute\":\"query-commands\",\"id\":1}",
                   QMP_DISPATCH_PRECONFIG);
    rsp_json = json_loads(rsp, 0, &jerr);
    ck_assert_msg(rsp_json != NULL, "%s: %s", rsp, jerr.text);
    ck_assert_int_eq(json_integer_value(json_object_get(rsp_json, "id")), 1);
    ret = json_object_get(rsp_json, "return");
    ck_assert(json_is_array(ret));
    /* Newest first, as QEMU; disabled ones left out. */
    ck_assert_uint_eq(json_array_size(ret), N_GENERATED);
    ck_assert_str_eq(
        json_string_value(json_object_get(json_array_get(ret, 0), "name")),
        "query-commands");
    k = 1;
    for (i = N_GENERATED; i-- > 0;) {
        json_t *info;

        if (!strcmp(generated[i], "slow")) {
            continue;
        }
        info = json_array_get(ret, k++);
        ck_assert_uint_eq(json_object_size(info), 1);
        ck_assert_str_eq(json_string_value(json_object_get(info, "name")),
                         generated[i]);
    }
    ck_assert_uint_eq(k, json_array_size(ret));
    json_decref(rsp_json);
    free(rsp);

    ck_dispatch("{\"execute\":\"query-commands\",\"arguments\":{\"a\":1}}", 0,
                GENERIC("Parameter 'a' is unexpected") "}");
}
END_TEST

START_TEST(test_query_qmp_schema)
{
    json_t *want = test_qmp_schema_json();
    json_t *got_json;
    json_error_t jerr;
    char *rsp;

    ck_assert_ptr_nonnull(want);
    ck_assert_int_eq(qmp_register_query_qmp_schema(cmds, NULL, 0), -1);
    ck_assert_int_eq(qmp_register_query_qmp_schema(cmds, &test_qmp_schema_qlit,
                                                   QMP_CMD_ALLOW_PRECONFIG),
                     0);
    rsp = dispatch("{\"execute\":\"query-qmp-schema\"}", 0);
    got_json = json_loads(rsp, 0, &jerr);
    ck_assert_msg(got_json != NULL, "%s", jerr.text);
    ck_assert(json_equal(json_object_get(got_json, "return"), want));
    ck_assert_uint_eq(json_object_size(got_json), 1);
    /* The conditional command compiled out is not in the schema. */
    ck_assert_ptr_null(strstr(rsp, "\"cond-no\""));
    ck_assert_ptr_nonnull(strstr(rsp, "\"cond-yes\""));
    ck_assert_ptr_nonnull(strstr(rsp, "\"allow-oob\":true"));
    json_decref(got_json);
    json_decref(want);
    free(rsp);
}
END_TEST

/* --- jansson requests, helpers
 * ------------------------------------------------------------ */

/* qmp_dispatch_json() on @req (JSON text), response as compact text. */
static char *dispatch_json(const char *req, unsigned flags)
{
    json_error_t jerr;
    json_t *request = json_loads(req, JSON_DECODE_ANY, &jerr);
    json_t *rsp = json_null(); /* anything but NULL: overwritten */
    char *text;
    int r;

    ck_assert_msg(request != NULL, "%s: %s", req, jerr.text);
    r = qmp_dispatch_json(cmds, request, flags, NULL, &rsp);
    json_decref(request);
    ck_assert_int_ge(r, 0);
    if (r == 0) {
        ck_assert_ptr_null(rsp);
        return NULL;
    }
    text =
        json_dumps(rsp, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    json_decref(rsp);
    return text;
}

#define ck_dispatch_json(req, flags, expect)                                   \
    do {                                                                       \
        char *rsp_ = dispatch_json((req), (flags));                            \
        const char *exp_ = (expect);                                           \
        if (exp_) {                                                            \
            ck_assert_msg(rsp_ != NULL, "%s: no response", (req));             \
            ck_assert_msg(!strcmp(rsp_, exp_), "%s:\n  got  %s\n  want %s",    \
                          (req), rsp_, exp_);                                  \
        } else {                                                               \
            ck_assert_msg(rsp_ == NULL, "%s: unexpected response %s", (req),   \
                          rsp_);                                               \
        }                                                                      \
        free(rsp_);                                                            \
    } while (0)

START_TEST(test_json_requests)
{
    ck_dispatch_json("{\"execute\":\"ping\",\"id\":{\"a\":[1]}}", 0,
                     "{\"return\":{},\"id\":{\"a\":[1]}}");
    ck_dispatch_json("{\"execute\":\"ping\"}", 0, "{\"return\":{}}");
    ck_dispatch_json("{\"execute\":\"mirror-point\",\"arguments\":{\"x\":1,"
                     "\"y\":2},\"id\":\"m\"}",
                     0, "{\"return\":{\"x\":-1,\"y\":-2},\"id\":\"m\"}");
    ck_dispatch_json("[1]", 0, GENERIC("QMP input must be a JSON object") "}");
    ck_dispatch_json("{\"id\":1}", 0,
                     GENERIC("QMP input lacks member 'execute'") ",\"id\":1}");
    ck_dispatch_json("{\"execute\":\"ping\",\"x\":1}", 0,
                     GENERIC("QMP input member 'x' is unexpected") "}");
    ck_dispatch_json("{\"execute\":\"ping\",\"arguments\":1}", 0,
                     GENERIC("QMP input member 'arguments' must be an "
                             "object") "}");
    ck_dispatch_json("{\"exec-oob\":\"oob-ping\",\"id\":2}",
                     QMP_DISPATCH_ALLOW_OOB, "{\"return\":{},\"id\":2}");
    ck_dispatch_json(
        "{\"execute\":\"nope\",\"id\":3}", 0,
        NOT_FOUND("The command nope has not been found") ",\"id\":3}");
    ck_dispatch_json("{\"execute\":\"nope\"}", QMP_DISPATCH_NEGOTIATION,
                     NOT_FOUND("Expecting capabilities negotiation with "
                               "'qmp_capabilities'") "}");
    ck_dispatch_json(
        "{\"execute\":\"add-shape\",\"arguments\":{\"shape\":{"
        "\"name\":\"a\",\"color\":\"red\",\"points\":[{\"x\":1}]}}}",
        0, GENERIC("Parameter 'shape.points[0].y' is missing") "}");
    ck_dispatch_json("{\"execute\":\"fire-and-forget\",\"id\":1}", 0, NULL);
    ck_dispatch_json(
        "{\"execute\":\"fail\",\"arguments\":{\"class\":"
        "\"KVMMissingCap\",\"desc\":\"k\"}}",
        0, "{\"error\":{\"class\":\"KVMMissingCap\",\"desc\":\"k\"}}");
    /* uint64 above INT64_MAX: the jansson output writes a string. */
    ck_dispatch_json("{\"execute\":\"add-u64\",\"arguments\":{\"a\":"
                     "9223372036854775807,\"b\":1}}",
                     0, "{\"return\":\"9223372036854775808\"}");
    ck_dispatch_json("{\"execute\":\"echo-str\",\"arguments\":{\"text\":"
                     "\"fail\"}}",
                     0, GENERIC("echo failed") "}");
}
END_TEST

START_TEST(test_is_oob)
{
    static const struct {
        const char *req;
        bool oob;
    } cases[] = {
        {"{\"exec-oob\":\"x\"}", true},
        {" { \"id\" : 1 , \"exec-oob\" : 2 } ", true},
        {"{\"execute\":\"x\"}", false},
        {"{\"execute\":\"x\",\"exec-oob\":\"x\"}", false},
        {"{\"exec-oob\":\"x\"", false},
        {"[\"exec-oob\"]", false},
        {"", false},
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ck_assert_msg(qmp_is_oob(cases[i].req, strlen(cases[i].req)) ==
                          cases[i].oob,
                      "%s", cases[i].req);
    }
}
END_TEST

START_TEST(test_error_response)
{
    QapiError *err = NULL;
    size_t len;
    char *rsp;

    ck_assert_ptr_null(qmp_error_response(NULL, NULL));
    qapi_error_set(&err, QAPI_ERR_CLASS_DEVICE_NOT_ACTIVE, "x \"%d\"", 1);
    rsp = qmp_error_response(err, &len);
    ck_assert_str_eq(rsp, "{\"error\":{\"class\":\"DeviceNotActive\","
                          "\"desc\":\"x \\\"1\\\"\"}}");
    ck_assert_uint_eq(len, strlen(rsp));
    free(rsp);
    qapi_error_free(err);
}
END_TEST

START_TEST(test_null_list)
{
    char *rsp;

    ck_assert(qmp_command_list_failed(NULL));
    ck_assert_ptr_null(qmp_find_command(NULL, "ping"));
    qmp_for_each_command(NULL, collect, NULL);
    qmp_command_list_free(NULL);
    ck_assert_int_eq(
        qmp_dispatch(NULL, "{\"execute\":\"ping\"}", 18, 0, NULL, &rsp, NULL),
        1);
    ck_assert_str_eq(rsp, NOT_FOUND("The command ping has not been found") "}");
    free(rsp);
}
END_TEST

static Suite *dispatch_suite(void)
{
    Suite *s = suite_create("dispatch");
    TCase *tc = tcase_create("dispatch");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_return_empty);
    tcase_add_test(tc, test_id_echo);
    tcase_add_test(tc, test_id_in_errors);
    tcase_add_test(tc, test_handler_errors);
    tcase_add_test(tc, test_args_one_by_one);
    tcase_add_test(tc, test_args_errors);
    tcase_add_test(tc, test_return_types);
    tcase_add_test(tc, test_struct_args);
    tcase_add_test(tc, test_boxed_union);
    tcase_add_test(tc, test_marshal_direct);
    tcase_add_test(tc, test_request_errors);
    tcase_add_test(tc, test_parse_errors);
    tcase_add_test(tc, test_length);
    tcase_add_test(tc, test_unknown_command);
    tcase_add_test(tc, test_disabled);
    tcase_add_test(tc, test_success_response_false);
    tcase_add_test(tc, test_oob);
    tcase_add_test(tc, test_preconfig);
    tcase_add_test(tc, test_compat_policy);
    tcase_add_test(tc, test_negotiation);
    tcase_add_test(tc, test_flags_recorded);
    tcase_add_test(tc, test_registry);
    tcase_add_test(tc, test_gen_false);
    tcase_add_test(tc, test_query_commands);
    tcase_add_test(tc, test_query_qmp_schema);
    tcase_add_test(tc, test_json_requests);
    tcase_add_test(tc, test_is_oob);
    tcase_add_test(tc, test_error_response);
    tcase_add_test(tc, test_null_list);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(dispatch_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
