/*
 * check-args.c - every public entry point of libqapi (the QMP server and
 * client included) and libqapi-vfio given NULL or malformed arguments:
 * the documented error (QapiError, NULL, -1/errno, -EINVAL, false), never
 * a crash.  The conventions are
 * stated in qapi/error.h ("Arguments") and qapi/vfio-device.h.
 *
 * Check forks for every test, so a crash fails only its own test.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "qapi/dispatch.h"
#include "qapi/enum.h"
#include "qapi/error.h"
#include "qapi/event.h"
#include "qapi/input.h"
#include "qapi/lit.h"
#include "qapi/output.h"
#include "qapi/qmp-client.h"
#include "qapi/qmp-server.h"
#include "qapi/util.h"
#include "qapi/vfio-device.h"
#include "qapi/vfio-fsm.h"
#include "qapi/vfio-migration.h"
#include "qapi/vfio-uapi.h"

/* Expect an error whose message starts with @prefix; free it. */
static void expect_error(QapiError **errp, const char *prefix)
{
    ck_assert_ptr_nonnull(*errp);
    ck_assert_msg(
        !strncmp(qapi_error_get_pretty(*errp), prefix, strlen(prefix)),
        "error '%s' does not start with '%s'", qapi_error_get_pretty(*errp),
        prefix);
    qapi_error_free(*errp);
    *errp = NULL;
}

#define EXPECT_ERRNO(expr, ret, e)                                             \
    do {                                                                       \
        errno = 0;                                                             \
        ck_assert_int_eq((expr), (ret));                                       \
        ck_assert_int_eq(errno, (e));                                          \
    } while (0)

/* --- error.h, enum.h, util.h, lit.h --------------------------------------- */

START_TEST(test_error)
{
    QapiError *err = NULL;

    ck_assert_ptr_null(qapi_error_class_name(QAPI_ERR_CLASS__MAX));
    ck_assert_ptr_null(qapi_error_class_name((QapiErrClass)-1));
    ck_assert_ptr_null(qapi_error_get_pretty(NULL));
    ck_assert_int_eq(qapi_error_get_class(NULL), QAPI_ERR_CLASS_GENERIC_ERROR);
    ck_assert_ptr_null(qapi_error_copy(NULL));
    qapi_error_free(NULL);
    qapi_error_propagate(NULL, NULL);
    qapi_error_setg(NULL, "ignored");
    qapi_error_prepend(NULL, "ignored");
    qapi_error_prepend(&err, "nothing to prepend to");
    ck_assert_ptr_null(err);

    /* An unknown class: the error is a GenericError. */
    qapi_error_set(&err, (QapiErrClass)99, "odd class");
    ck_assert_int_eq(qapi_error_get_class(err), QAPI_ERR_CLASS_GENERIC_ERROR);
    ck_assert_str_eq(qapi_error_class_name(qapi_error_get_class(err)),
                     "GenericError");
    qapi_error_free(err);
}
END_TEST

START_TEST(test_enum)
{
    static const char *const names[] = {"a", "b"};
    static const QapiEnumLookup lookup = {names, 2};
    static const QapiEnumLookup no_array = {NULL, 3};
    static const QapiEnumLookup negative = {names, -5};
    QapiError *err = NULL;

    ck_assert_ptr_null(qapi_enum_lookup(NULL, 0));
    ck_assert_ptr_null(qapi_enum_lookup(&lookup, -1));
    ck_assert_ptr_null(qapi_enum_lookup(&lookup, 2));
    ck_assert_ptr_null(qapi_enum_lookup(&no_array, 1));
    ck_assert_ptr_null(qapi_enum_lookup(&negative, 0));
    ck_assert_int_eq(qapi_enum_parse(NULL, "a", -1, &err), -1);
    expect_error(&err, "Invalid parameter 'a'");
    ck_assert_int_eq(qapi_enum_parse(&no_array, "a", 4, &err), 4);
    expect_error(&err, "Invalid parameter 'a'");
    ck_assert_int_eq(qapi_enum_parse(&negative, "a", 4, &err), 4);
    expect_error(&err, "Invalid parameter 'a'");
}
END_TEST

START_TEST(test_util_lit)
{
    static const QapiLit bad_list = {.type = QAPI_LIT_LIST, .u.list = NULL};
    static const QapiLit bad_obj = {.type = QAPI_LIT_OBJECT, .u.object = NULL};
    static const QapiLit bad_type = {.type = (QapiLitType)42};
    static const QapiLit str_null = QAPI_LIT_STR(NULL);
    static const QapiLit inner[] = {
        QAPI_LIT_BOOL(true), {.type = (QapiLitType)42}, {.type = QAPI_LIT_END}};
    static const QapiLit list_of_bad = QAPI_LIT_LIST(inner);

    ck_assert_ptr_null(qapi_strdup(NULL));
    ck_assert_int_eq(qapi_strcmp0(NULL, NULL), 0);
    ck_assert(qapi_json_equal(NULL, NULL));
    ck_assert_ptr_null(qapi_lit_to_json(NULL));
    ck_assert_ptr_null(qapi_lit_to_json(&bad_list));
    ck_assert_ptr_null(qapi_lit_to_json(&bad_obj));
    ck_assert_ptr_null(qapi_lit_to_json(&bad_type));
    ck_assert_ptr_null(qapi_lit_to_json(&str_null));
    ck_assert_ptr_null(qapi_lit_to_json(&list_of_bad));
}
END_TEST

/* --- event.h -------------------------------------------------------------- */

START_TEST(test_event)
{
    QapiOutput *out;

    ck_assert_int_eq(qapi_event_add_sink(NULL, NULL), -1);
    ck_assert_int_eq(qapi_event_remove_sink(NULL, NULL), -1);
    ck_assert_int_eq(qapi_event_remove_sink(qapi_event_fd_sink, NULL), -1);
    /* The fd sink with no fd, or no text: nothing written. */
    qapi_event_fd_sink(NULL, "E", "{}", 2);
    {
        int fds[2];
        char buf[8];

        ck_assert_int_eq(pipe(fds), 0);
        qapi_event_fd_sink(&fds[1], "E", NULL, 5);
        close(fds[1]);
        ck_assert_int_eq(read(fds[0], buf, sizeof(buf)), 0);
        close(fds[0]);
    }
    ck_assert_ptr_null(qapi_event_start(NULL));
    qapi_event_send(NULL, "E");
    out = qapi_event_start("E");
    ck_assert_ptr_nonnull(out);
    qapi_event_send(out, NULL); /* freed, not sent: nameless */
}
END_TEST

/* --- input.h -------------------------------------------------------------- */

START_TEST(test_input_null)
{
    QapiError *err = NULL;
    const char *key = NULL;
    int64_t i64;
    uint64_t u64;
    double d;
    bool b;
    char *s;
    json_t *j;
    int e;
    static const QapiEnumLookup lookup = {NULL, 0};

    /* NULL text or value: an input without a value. */
    {
        QapiInput *in = qapi_input_new_text(NULL, 3);

        ck_assert_ptr_nonnull(in);
        ck_assert(!qapi_input_int(in, 0, 1, "int", &i64, &err));
        ck_assert_ptr_nonnull(err);
        qapi_error_free(err);
        err = NULL;
        qapi_input_free(in);
        in = qapi_input_new_json(NULL);
        ck_assert_ptr_nonnull(in);
        ck_assert_int_eq(qapi_input_peek(in), QAPI_JSON_INVALID);
        ck_assert(!qapi_input_bool(in, &b, &err));
        expect_error(&err, "Parameter");
        qapi_input_free(in);
    }
    qapi_input_free(NULL);
    ck_assert_int_eq(qapi_input_peek(NULL), QAPI_JSON_INVALID);
    qapi_input_end_object(NULL);
    qapi_input_end_array(NULL);

#define NULL_IN(call)                                                          \
    do {                                                                       \
        ck_assert(!(call));                                                    \
        expect_error(&err, "qapi_input_");                                     \
    } while (0)
    NULL_IN(qapi_input_finish(NULL, &err));
    NULL_IN(qapi_input_start_object(NULL, &err));
    NULL_IN(qapi_input_start_array(NULL, &err));
    NULL_IN(qapi_input_int(NULL, 0, 1, "int", &i64, &err));
    NULL_IN(qapi_input_uint(NULL, 1, "uint", &u64, &err));
    NULL_IN(qapi_input_number(NULL, &d, &err));
    NULL_IN(qapi_input_bool(NULL, &b, &err));
    NULL_IN(qapi_input_str(NULL, &s, &err));
    NULL_IN(qapi_input_null(NULL, &err));
    NULL_IN(qapi_input_any(NULL, &j, &err));
    NULL_IN(qapi_input_enum(NULL, &lookup, &e, &err));
    NULL_IN(qapi_input_skip(NULL, &err));
    ck_assert_int_eq(qapi_input_next_member(NULL, &key, &err), -1);
    expect_error(&err, "qapi_input_next_member: ");
    ck_assert_int_eq(qapi_input_next_element(NULL, &err), -1);
    expect_error(&err, "qapi_input_next_element: ");
    ck_assert_int_eq(qapi_input_find_string(NULL, "x", &key, &err), -1);
    expect_error(&err, "qapi_input_find_string: ");

    qapi_input_error_missing(NULL, "m", &err);
    expect_error(&err, "qapi_input_error_missing: ");
    qapi_input_error_unexpected(NULL, &err);
    expect_error(&err, "qapi_input_error_unexpected: ");
    qapi_input_error_duplicate(NULL, &err);
    expect_error(&err, "qapi_input_error_duplicate: ");
    qapi_input_error_type(NULL, "int", &err);
    expect_error(&err, "qapi_input_error_type: ");
    qapi_input_error_value(NULL, "v", &err);
    expect_error(&err, "qapi_input_error_value: ");
    qapi_input_error_member_value(NULL, "m", "v", &err);
    expect_error(&err, "qapi_input_error_member_value: ");
    /* errp NULL is always fine */
    ck_assert(!qapi_input_start_object(NULL, NULL));
#undef NULL_IN
}
END_TEST

/* Each malformed-argument call on a fresh input of @text. */
static QapiInput *text_input(const char *text)
{
    QapiInput *in = qapi_input_new_text(text, strlen(text));

    ck_assert_ptr_nonnull(in);
    return in;
}

START_TEST(test_input_malformed)
{
    QapiError *err = NULL;
    QapiInput *in;
    const char *key = NULL;
    int64_t i64 = 5;
    int e;

    /* NULL result pointers: an error, the value left unread. */
    in = text_input("7");
    ck_assert(!qapi_input_int(in, 0, 10, "int", NULL, &err));
    expect_error(&err, "qapi_input_int: ");
    ck_assert(!qapi_input_uint(in, 10, "uint", NULL, &err));
    expect_error(&err, "qapi_input_uint: ");
    ck_assert(!qapi_input_number(in, NULL, &err));
    expect_error(&err, "qapi_input_number: ");
    /* min > max */
    ck_assert(!qapi_input_int(in, 10, 0, "int", &i64, &err));
    expect_error(&err, "qapi_input_int: ");
    ck_assert_int_eq(i64, 5);
    /* Still there, and type NULL is only a name. */
    ck_assert(qapi_input_int(in, 0, 10, NULL, &i64, &err));
    ck_assert_int_eq(i64, 7);
    ck_assert(qapi_input_finish(in, &err));
    qapi_input_free(in);

    in = text_input("true");
    ck_assert(!qapi_input_bool(in, NULL, &err));
    expect_error(&err, "qapi_input_bool: ");
    qapi_input_free(in);

    in = text_input("\"s\"");
    ck_assert(!qapi_input_str(in, NULL, &err));
    expect_error(&err, "qapi_input_str: ");
    ck_assert(!qapi_input_enum(in, NULL, &e, &err));
    expect_error(&err, "qapi_input_enum: ");
    ck_assert(!qapi_input_enum(in, &(QapiEnumLookup){NULL, 2}, &e, &err));
    expect_error(&err, "qapi_input_enum: ");
    ck_assert(!qapi_input_enum(in, &(QapiEnumLookup){NULL, 0}, NULL, &err));
    expect_error(&err, "qapi_input_enum: ");
    qapi_input_free(in);

    in = text_input("{}");
    ck_assert(!qapi_input_any(in, NULL, &err));
    expect_error(&err, "qapi_input_any: ");
    ck_assert(qapi_input_start_object(in, &err));
    ck_assert_int_eq(qapi_input_next_member(in, NULL, &err), -1);
    expect_error(&err, "qapi_input_next_member: ");
    ck_assert_int_eq(qapi_input_find_string(in, NULL, &key, &err), -1);
    expect_error(&err, "qapi_input_find_string: ");
    ck_assert_int_eq(qapi_input_find_string(in, "k", NULL, &err), -1);
    expect_error(&err, "qapi_input_find_string: ");
    /* A NULL member name in an error about a member. */
    qapi_input_error_missing(in, NULL, &err);
    expect_error(&err, "qapi_input_error_missing: ");
    qapi_input_error_member_value(in, NULL, "v", &err);
    expect_error(&err, "qapi_input_error_member_value: ");
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), 0);
    qapi_input_end_object(in);
    ck_assert(qapi_input_finish(in, &err));
    ck_assert_ptr_null(err);
    qapi_input_free(in);

    /* Unbalanced calls: an error, not a crash. */
    in = text_input("[1]");
    qapi_input_end_object(in); /* no object open: ignored */
    ck_assert_int_eq(qapi_input_next_member(in, &key, &err), -1);
    expect_error(&err, "qapi_input: no object is open");
    ck_assert_int_eq(qapi_input_next_element(in, &err), -1);
    expect_error(&err, "qapi_input: no array is open");
    qapi_input_free(in);

    /* NULL value strings in the error helpers: printed as "(null)" is
     * not allowed, so they are reported instead. */
    in = text_input("1");
    qapi_input_error_type(in, NULL, &err);
    expect_error(&err, "qapi_input_error_type: ");
    qapi_input_error_value(in, NULL, &err);
    expect_error(&err, "qapi_input_error_value: ");
    qapi_input_free(in);
}
END_TEST

/* --- output.h ------------------------------------------------------------- */

START_TEST(test_output)
{
    QapiOutput *out;
    size_t len = 99;

    ck_assert_ptr_null(qapi_output_finish_text(NULL, &len));
    ck_assert_ptr_null(qapi_output_finish_json(NULL));
    qapi_output_free(NULL);
    /* Every writer ignores a NULL output. */
    qapi_output_start_object(NULL);
    qapi_output_member(NULL, "k");
    qapi_output_end_object(NULL);
    qapi_output_start_array(NULL);
    qapi_output_end_array(NULL);
    qapi_output_int(NULL, 1);
    qapi_output_uint(NULL, 1);
    qapi_output_number(NULL, 1.5);
    qapi_output_bool(NULL, true);
    qapi_output_str(NULL, "s");
    qapi_output_null(NULL);
    qapi_output_any(NULL, NULL);

    /* A NULL member name makes the output fail, in both kinds. */
    out = qapi_output_new_text();
    qapi_output_start_object(out);
    qapi_output_member(out, NULL);
    qapi_output_int(out, 1);
    qapi_output_end_object(out);
    ck_assert_ptr_null(qapi_output_finish_text(out, &len));
    out = qapi_output_new_json();
    qapi_output_start_object(out);
    qapi_output_member(out, NULL);
    qapi_output_int(out, 1);
    qapi_output_end_object(out);
    ck_assert_ptr_null(qapi_output_finish_json(out));

    /* Finishing the wrong kind: NULL (and the output is freed). */
    ck_assert_ptr_null(qapi_output_finish_json(qapi_output_new_text()));
    ck_assert_ptr_null(qapi_output_finish_text(qapi_output_new_json(), NULL));
}
END_TEST

START_TEST(test_output_unbalanced)
{
    int kind;

    for (kind = 0; kind < 2; kind++) {
        QapiOutput *out =
            kind ? qapi_output_new_json() : qapi_output_new_text();

        /* Closing what is not open, a member outside an object. */
        qapi_output_end_object(out);
        qapi_output_end_array(out);
        qapi_output_member(out, "k");
        qapi_output_int(out, 1);
        if (kind) {
            json_decref(qapi_output_finish_json(out));
        } else {
            free(qapi_output_finish_text(out, NULL));
        }
    }
}
END_TEST

/* --- dispatch.h ----------------------------------------------------------- */

static void handler(QapiInput *args, QapiOutput *out, QapiError **errp)
{
    (void)args;
    (void)out;
    (void)errp;
}

static void count_cb(const QmpCommand *cmd, void *opaque)
{
    (void)cmd;
    ++*(int *)opaque;
}

START_TEST(test_dispatch)
{
    QmpCommandList *cmds = qmp_command_list_new();
    char *rsp = (char *)"unchanged";
    size_t rsp_len = 0;
    json_t *jrsp = NULL;
    json_t *req;
    int n = 0;

    ck_assert_ptr_nonnull(cmds);
    qmp_command_list_free(NULL);
    ck_assert(qmp_command_list_failed(NULL));
    EXPECT_ERRNO(qmp_register_command(NULL, "x", handler, 0), -1, EINVAL);
    EXPECT_ERRNO(qmp_register_command(cmds, NULL, handler, 0), -1, EINVAL);
    EXPECT_ERRNO(qmp_register_command(cmds, "x", NULL, 0), -1, EINVAL);
    EXPECT_ERRNO(qmp_register_command_data(cmds, NULL, NULL, NULL, 0), -1,
                 EINVAL);
    EXPECT_ERRNO(qmp_unregister_command(NULL, "x"), -1, EINVAL);
    EXPECT_ERRNO(qmp_unregister_command(cmds, NULL), -1, EINVAL);
    EXPECT_ERRNO(qmp_disable_command(NULL, "x", NULL), -1, EINVAL);
    EXPECT_ERRNO(qmp_disable_command(cmds, NULL, NULL), -1, EINVAL);
    EXPECT_ERRNO(qmp_enable_command(NULL, "x"), -1, EINVAL);
    EXPECT_ERRNO(qmp_enable_command(cmds, NULL), -1, EINVAL);
    ck_assert(!qmp_command_list_failed(cmds)); /* bad calls are not OOM */
    ck_assert_ptr_null(qmp_find_command(NULL, "x"));
    ck_assert_ptr_null(qmp_find_command(cmds, NULL));
    ck_assert_ptr_null(qmp_command_name(NULL));
    ck_assert_uint_eq(qmp_command_options(NULL), 0);
    ck_assert(!qmp_command_is_enabled(NULL));
    ck_assert_ptr_null(qmp_command_disable_reason(NULL));
    ck_assert(!qmp_has_success_response(NULL));
    qmp_for_each_command(NULL, count_cb, &n);
    qmp_for_each_command(cmds, NULL, &n);
    ck_assert_int_eq(n, 0);
    EXPECT_ERRNO(qmp_register_query_commands(NULL, 0), -1, EINVAL);
    EXPECT_ERRNO(qmp_register_query_qmp_schema(NULL, NULL, 0), -1, EINVAL);
    EXPECT_ERRNO(qmp_register_query_qmp_schema(cmds, NULL, 0), -1, EINVAL);

    /* A NULL list is an empty one (tests/check-dispatch.c). */
    ck_assert_int_eq(
        qmp_dispatch(NULL, "{\"execute\":\"x\"}", 15, 0, NULL, &rsp, &rsp_len),
        1);
    ck_assert_ptr_nonnull(strstr(rsp, "CommandNotFound"));
    free(rsp);
    EXPECT_ERRNO(qmp_dispatch(cmds, "{}", 2, 0, NULL, NULL, &rsp_len), -1,
                 EINVAL);
    /* A NULL request is the empty text: a JSON error. */
    ck_assert_int_eq(qmp_dispatch(cmds, NULL, 2, 0, NULL, &rsp, NULL), 1);
    ck_assert_ptr_nonnull(strstr(rsp, "\"error\""));
    free(rsp);

    req = json_pack("{s:s}", "execute", "x");
    ck_assert_int_eq(qmp_dispatch_json(NULL, req, 0, NULL, &jrsp), 1);
    ck_assert_ptr_nonnull(json_object_get(jrsp, "error"));
    json_decref(jrsp);
    jrsp = NULL;
    EXPECT_ERRNO(qmp_dispatch_json(cmds, req, 0, NULL, NULL), -1, EINVAL);
    /* A NULL request is not an object: an error response. */
    ck_assert_int_eq(qmp_dispatch_json(cmds, NULL, 0, NULL, &jrsp), 1);
    ck_assert_ptr_nonnull(json_object_get(jrsp, "error"));
    json_decref(jrsp);
    json_decref(req);

    ck_assert(!qmp_is_oob(NULL, 5));
    ck_assert_ptr_null(qmp_error_response(NULL, &rsp_len));
    qmp_command_list_free(cmds);
}
END_TEST

START_TEST(test_marshal_no_args)
{
    QapiError *err = NULL;

    ck_assert(!qmp_marshal_no_args(NULL, &err));
    expect_error(&err, "qapi_input_start_object: ");
}
END_TEST

/* --- qmp-server.h --------------------------------------------------------- */

START_TEST(test_server_null)
{
    QapiError *err = NULL;
    int fds[2];

    EXPECT_ERRNO(qmp_server_new(NULL) != NULL, 0, EINVAL);
    qmp_server_free(NULL);
    EXPECT_ERRNO(qmp_server_set_version(NULL, 1, 2, 3, "p"), -1, EINVAL);
    qmp_server_set_oob(NULL, true);
    qmp_server_set_dispatch_flags(NULL, 0);
    qmp_server_set_limits(NULL, 1, 1, 1);
    ck_assert_int_eq(qmp_server_listen_unix(NULL, "/tmp/x", &err), -1);
    expect_error(&err, "qmp_server_listen_unix: ");
    ck_assert_int_eq(qmp_server_listen_tcp(NULL, NULL, 0, &err), -1);
    expect_error(&err, "qmp_server_listen_tcp: ");
    /* The fd is owned even then: closed. */
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    EXPECT_ERRNO(qmp_server_add_client(NULL, fds[0]), -1, EINVAL);
    ck_assert_int_eq(fcntl(fds[0], F_GETFD), -1);
    close(fds[1]);
    EXPECT_ERRNO(qmp_server_run(NULL), -1, EINVAL);
    qmp_server_stop(NULL);
    EXPECT_ERRNO(qmp_server_get_fd(NULL), -1, EINVAL);
    EXPECT_ERRNO(qmp_server_iterate(NULL, 0), -1, EINVAL);
    ck_assert_uint_eq(qmp_server_client_count(NULL), 0);
    qmp_server_set_session_callback(NULL, NULL, NULL);

    ck_assert_ptr_null(qmp_session_get_server(NULL));
    ck_assert_uint_eq(qmp_session_get_id(NULL), 0);
    ck_assert(!qmp_session_oob_enabled(NULL));
    EXPECT_ERRNO(qmp_session_take_fd(NULL), -1, EINVAL);
    qmp_session_set_opaque(NULL, NULL, NULL);
    ck_assert_ptr_null(qmp_session_get_opaque(NULL));
    qmp_session_close(NULL);
}
END_TEST

START_TEST(test_server_malformed)
{
    QmpCommandList *cmds = qmp_command_list_new();
    QmpServer *srv;
    QapiError *err = NULL;
    char long_path[200];
    int fd;

    ck_assert_ptr_nonnull(cmds);
    srv = qmp_server_new(cmds);
    ck_assert_ptr_nonnull(srv);
    /* NULL package: "" */
    ck_assert_int_eq(qmp_server_set_version(srv, 1, 2, 3, NULL), 0);
    ck_assert_int_eq(qmp_server_listen_unix(srv, NULL, &err), -1);
    expect_error(&err, "qmp_server_listen_unix: ");
    memset(long_path, 'a', sizeof(long_path) - 1);
    long_path[sizeof(long_path) - 1] = '\0';
    ck_assert_int_eq(qmp_server_listen_unix(srv, long_path, &err), -1);
    ck_assert_ptr_nonnull(err);
    qapi_error_free(err);
    err = NULL;
    ck_assert_int_eq(qmp_server_listen_tcp(srv, NULL, -1, &err), -1);
    expect_error(&err, "Invalid port -1");
    ck_assert_int_eq(qmp_server_listen_tcp(srv, NULL, 65536, &err), -1);
    expect_error(&err, "Invalid port 65536");
    ck_assert_int_eq(qmp_server_listen_tcp(srv, "not-an-address", 0, &err), -1);
    ck_assert_ptr_nonnull(err);
    qapi_error_free(err);
    err = NULL;
    /* Invalid descriptors. */
    ck_assert_int_eq(qmp_server_add_client(srv, -1), -1);
    ck_assert_int_eq(qmp_server_add_client(srv, 1000000), -1);
    fd = open("/dev/null", O_RDONLY); /* not pollable by epoll */
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(qmp_server_add_client(srv, fd), -1);
    ck_assert_int_eq(fcntl(fd, F_GETFD), -1); /* closed: owned */
    ck_assert_uint_eq(qmp_server_client_count(srv), 0);
    ck_assert_int_eq(qmp_server_iterate(srv, 0), 0);
    qmp_server_free(srv);
    qmp_command_list_free(cmds);
}
END_TEST

/* --- vfio ----------------------------------------------------------------- */

START_TEST(test_client_null)
{
    QapiError *err = NULL;
    QmpClientEvent *ev = NULL;
    int64_t major = 7;
    const char *package = "x";
    int fd = 0;

    ck_assert_ptr_null(qmp_client_connect_unix(NULL, 0, &err));
    expect_error(&err, "qmp_client_connect_unix: argument 'path' is NULL");
    ck_assert_ptr_null(qmp_client_new_fd(-1, 0, &err));
    expect_error(&err, "Invalid file descriptor");
    qmp_client_free(NULL);
    qmp_client_set_trace(NULL, 1);
    qmp_client_set_max_message(NULL, 1);
    qmp_client_set_max_queue(NULL, 1);
    qmp_client_set_error_handler(NULL, NULL, NULL);
    qmp_client_get_version(NULL, &major, NULL, NULL, &package);
    ck_assert_int_eq(major, 0);
    ck_assert_ptr_null(package);
    ck_assert(!qmp_client_has_capability(NULL, "oob"));
    ck_assert_uint_eq(qmp_client_dropped_events(NULL), 0);

    /* What a generated qmp_client_NAME() does with a NULL client. */
    ck_assert_ptr_null(qmp_client_request(NULL, "stop", false));
    ck_assert(!qmp_client_call_void(NULL, NULL, &err));
    expect_error(&err, "qmp_client_call: argument 'c' is NULL");
    ck_assert_ptr_null(qmp_client_call(NULL, qapi_output_new_text(), &err));
    expect_error(&err, "qmp_client_call: argument 'c' is NULL");
    ck_assert(!qmp_client_call_end(NULL, NULL, true, &err));
    expect_error(&err, "qmp_client_call_end: argument 'c' is NULL");
    ck_assert(!qmp_client_send(NULL, qapi_output_new_text(), &err));
    expect_error(&err, "qmp_client_send: argument 'c' is NULL");
    ck_assert(!qmp_client_execute(NULL, "stop", NULL, NULL, &err));
    expect_error(&err, "qmp_client_execute: argument 'c' is NULL");
    ck_assert(!qmp_client_negotiate(NULL, NULL, &err));
    expect_error(&err, "qmp_client_call: argument 'c' is NULL");
    ck_assert(!qmp_client_pass_fds(NULL, &fd, 1, &err));
    expect_error(&err, "qmp_client_pass_fds: argument 'c' is NULL");
    ck_assert(!qmp_client_next_event(NULL, &ev, &err));
    expect_error(&err, "qmp_client_next_event: argument 'c' is NULL");
    ck_assert_int_eq(qmp_client_wait_event(NULL, NULL, 0, &ev, &err), -1);
    expect_error(&err, "qmp_client_wait_event: argument 'c' is NULL");
    ck_assert_ptr_null(ev);
    /* The handler is the callee's even on failure (no leak). */
    ck_assert(!qmp_client_set_handler(NULL, "STOP",
                                      calloc(1, sizeof(QmpClientHandler))));
    qmp_client_event_free(NULL);
}
END_TEST

START_TEST(test_client_malformed)
{
    QapiError *err = NULL;
    int sv[2];
    QmpClient *c;
    const char greeting[] = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": "
                            "0, \"minor\": 0, \"major\": 9}, \"package\": "
                            "\"\"}, \"capabilities\": []}}\r\n";

    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    ck_assert_int_eq(write(sv[1], greeting, strlen(greeting)),
                     (ssize_t)strlen(greeting));
    c = qmp_client_new_fd(sv[0], 1000, &err);
    ck_assert_ptr_nonnull(c);
    ck_assert(!qmp_client_execute(c, NULL, NULL, NULL, &err));
    expect_error(&err, "qmp_client_execute: argument 'command' is NULL");
    ck_assert(!qmp_client_pass_fds(c, NULL, 1, &err));
    expect_error(&err, "qmp_client_pass_fds: argument 'fds' is NULL");
    ck_assert(!qmp_client_set_handler(c, NULL, NULL));
    ck_assert(!qmp_client_has_capability(c, NULL));
    qmp_client_free(c);
    close(sv[1]);
}
END_TEST

START_TEST(test_vfio_uapi_fsm)
{
    uint32_t next = 0;
    uint32_t path[8];
    uint32_t flags = 0;
    char buf[4];

    ck_assert_ptr_null(vfio_ref_state_name(99));
    ck_assert_ptr_null(vfio_ref_state_qapi_name(99));
    ck_assert_int_eq(vfio_ref_state_parse(NULL), -1);
    ck_assert_int_eq(vfio_ref_state_parse("no-such-state"), -1);
    ck_assert(!vfio_ref_flags_valid(1u << 20));
    ck_assert(!vfio_ref_state_supported(VFIO_REF_MIGRATION_STOP_COPY, 99));
    ck_assert(!vfio_ref_state_is_saving(99));
    ck_assert(!vfio_ref_state_is_running(99));
    ck_assert_ptr_null(vfio_ref_flags_format(1, NULL, 10));
    ck_assert_ptr_eq(vfio_ref_flags_format(7, buf, 0), buf);
    ck_assert_ptr_eq(vfio_ref_flags_format(7, buf, sizeof(buf)), buf);
    ck_assert_uint_lt(strlen(buf), sizeof(buf)); /* truncated, terminated */
    ck_assert_int_eq(vfio_ref_flags_parse(NULL, &flags), -1);
    ck_assert_int_eq(vfio_ref_flags_parse("stop-copy", NULL), -1);
    ck_assert_int_eq(vfio_ref_flags_parse("bogus", &flags), -1);

    ck_assert_int_eq(vfio_ref_mig_get_next_state(VFIO_REF_MIGRATION_STOP_COPY,
                                                 VFIO_REF_STATE_RUNNING,
                                                 VFIO_REF_STATE_STOP, NULL),
                     -EINVAL);
    ck_assert_int_eq(vfio_ref_mig_get_next_state(VFIO_REF_MIGRATION_STOP_COPY,
                                                 99, VFIO_REF_STATE_STOP,
                                                 &next),
                     -EINVAL);
    ck_assert_int_eq(vfio_ref_mig_get_next_state(VFIO_REF_MIGRATION_STOP_COPY,
                                                 VFIO_REF_STATE_RUNNING, 99,
                                                 &next),
                     -EINVAL);
    ck_assert_int_eq(vfio_ref_mig_get_path(VFIO_REF_MIGRATION_STOP_COPY,
                                           VFIO_REF_STATE_RUNNING,
                                           VFIO_REF_STATE_STOP, NULL, 8),
                     -EINVAL);
    ck_assert_int_eq(vfio_ref_mig_get_path(VFIO_REF_MIGRATION_STOP_COPY,
                                           VFIO_REF_STATE_RUNNING,
                                           VFIO_REF_STATE_STOP, path, -1),
                     -EINVAL);
    ck_assert(!vfio_ref_mig_is_arc(VFIO_REF_MIGRATION_STOP_COPY, 99, 1));
}
END_TEST

START_TEST(test_vfio_device_null)
{
    VfioRefDevice *dev = NULL;
    VfioRefDeviceConfig cfg;
    VfioRefDeviceStats st;
    uint64_t u64;
    uint32_t u32;
    int fd;

    ck_assert_int_eq(vfio_ref_device_new(NULL, &dev), -EINVAL);
    memset(&cfg, 0, sizeof(cfg));
    cfg.id = "d";
    cfg.flags = VFIO_REF_MIGRATION_STOP_COPY;
    ck_assert_int_eq(vfio_ref_device_new(&cfg, NULL), -EINVAL);
    cfg.id = NULL;
    ck_assert_int_eq(vfio_ref_device_new(&cfg, &dev), -EINVAL);
    ck_assert_ptr_null(dev);
    vfio_ref_device_free(NULL);
    ck_assert_ptr_null(vfio_ref_device_id(NULL));
    ck_assert_ptr_null(vfio_ref_device_qom_path(NULL));
    ck_assert_uint_eq(vfio_ref_device_state_size(NULL), 0);
    ck_assert_uint_eq(vfio_ref_device_flags(NULL), 0);
    ck_assert_int_eq(vfio_ref_device_get_migration_flags(NULL, &u64), -EINVAL);
    ck_assert_int_eq(vfio_ref_device_get_state(NULL, &u32), -EINVAL);
    ck_assert_int_eq(vfio_ref_device_set_state(NULL, 1, &fd), -EINVAL);
    ck_assert_int_eq(vfio_ref_device_get_data_size(NULL, &u64), -EINVAL);
    ck_assert_int_eq(vfio_ref_device_reset(NULL), -EINVAL);
    ck_assert_int_eq(vfio_ref_device_feature(NULL, NULL), -EINVAL);
    ck_assert_int_eq(vfio_ref_device_run(NULL, 1), -EINVAL);
    ck_assert_int_eq(vfio_ref_device_set_workload(NULL, 1), -EINVAL);
    ck_assert_int_eq(vfio_ref_device_fill(NULL, 1), -EINVAL);
    ck_assert_int_eq(vfio_ref_device_hash(NULL, &u64), -EINVAL);
    ck_assert_int_eq(vfio_ref_device_peek(NULL, 0, &u64, 1), -EINVAL);
    ck_assert_int_eq(vfio_ref_device_fail_arc(NULL, 1, 2, EIO, false, 1),
                     -EINVAL);
    ck_assert_int_eq(vfio_ref_device_fault_stream(NULL, 0, 0), -EINVAL);
    vfio_ref_device_clear_faults(NULL);
    vfio_ref_device_get_stats(NULL, &st);
    ck_assert_ptr_null(vfio_ref_stream_fault_name((VfioRefStreamFault)99));
    ck_assert_int_eq(vfio_ref_stream_fault_parse(NULL), -1);

    EXPECT_ERRNO(vfio_ref_data_read(-1, &u64, 1), -1, EBADF);
    EXPECT_ERRNO(vfio_ref_data_write(-1, &u64, 1), -1, EBADF);
    EXPECT_ERRNO(vfio_ref_data_read(0, NULL, 1), -1, EINVAL);
    EXPECT_ERRNO(vfio_ref_data_write(1, NULL, 1), -1, EINVAL);
    EXPECT_ERRNO(vfio_ref_data_splice(-1, -1, 1), -1, EBADF);
    EXPECT_ERRNO(vfio_ref_data_precopy_info(-1, NULL), -1, EINVAL);
}
END_TEST

START_TEST(test_vfio_device_malformed)
{
    VfioRefDevice *dev = NULL;
    VfioRefDeviceConfig cfg;
    uint64_t u64;
    char buf[16];

    memset(&cfg, 0, sizeof(cfg));
    cfg.id = "d";
    cfg.flags = 1u << 30; /* not a valid combination */
    ck_assert_int_eq(vfio_ref_device_new(&cfg, &dev), -EINVAL);
    cfg.flags = VFIO_REF_MIGRATION_STOP_COPY;
    cfg.state_size = 4096;
    ck_assert_int_eq(vfio_ref_device_new(&cfg, &dev), 0);
    ck_assert_int_eq(vfio_ref_device_get_state(dev, NULL), -EINVAL);
    ck_assert_int_eq(vfio_ref_device_get_migration_flags(dev, NULL), -EINVAL);
    ck_assert_int_eq(vfio_ref_device_get_data_size(dev, NULL), -EINVAL);
    ck_assert_int_eq(vfio_ref_device_hash(dev, NULL), -EINVAL);
    ck_assert_int_eq(vfio_ref_device_feature(dev, NULL), -EINVAL);
    ck_assert_int_eq(vfio_ref_device_set_state(dev, 99, NULL), -EINVAL);
    ck_assert_int_eq(vfio_ref_device_peek(dev, 0, NULL, 1), -EINVAL);
    ck_assert_int_eq(vfio_ref_device_peek(dev, 4096, buf, 1), -EINVAL);
    ck_assert_int_eq(vfio_ref_device_peek(dev, UINT64_MAX, buf, 2), -EINVAL);
    ck_assert_int_eq(vfio_ref_device_fail_arc(dev, 99, 1, EIO, false, 1),
                     -EINVAL);
    ck_assert_int_eq(vfio_ref_device_fail_arc(dev, 1, 2, -5, false, 1),
                     -EINVAL);
    ck_assert_int_eq(
        vfio_ref_device_fault_stream(dev, (VfioRefStreamFault)99, 0), -EINVAL);
    vfio_ref_device_get_stats(dev, NULL);
    ck_assert_int_eq(vfio_ref_device_get_state(dev, (uint32_t *)&u64), 0);
    vfio_ref_device_free(dev);
}
END_TEST

START_TEST(test_vfio_migration)
{
    VfioMigStats stats;

    ck_assert_ptr_null(vfio_mig_device_new(NULL, NULL, NULL));
    vfio_mig_device_free(NULL);
    ck_assert_ptr_null(vfio_mig_device_dev(NULL));
    ck_assert_uint_eq(vfio_mig_device_state(NULL), VFIO_REF_STATE_ERROR);
    ck_assert_int_eq(vfio_mig_device_data_fd(NULL), -1);
    vfio_mig_device_set_events(NULL, true);
    ck_assert(!vfio_mig_device_events(NULL));
    ck_assert_int_eq(vfio_mig_set_state(NULL, 1, 0), -EINVAL);
    ck_assert_int_eq(vfio_mig_walk(NULL, 1), -EINVAL);
    ck_assert_int_eq(vfio_mig_reset(NULL), -EINVAL);
    ck_assert_int_eq(vfio_mig_migrate(NULL, NULL, NULL, &stats), -EINVAL);
    ck_assert_int_eq(vfio_mig_migrate(NULL, NULL, NULL, NULL), -EINVAL);
}
END_TEST

static Suite *args_suite(void)
{
    Suite *s = suite_create("args");
    TCase *tc = tcase_create("all");

    tcase_add_test(tc, test_error);
    tcase_add_test(tc, test_enum);
    tcase_add_test(tc, test_util_lit);
    tcase_add_test(tc, test_event);
    tcase_add_test(tc, test_input_null);
    tcase_add_test(tc, test_input_malformed);
    tcase_add_test(tc, test_output);
    tcase_add_test(tc, test_output_unbalanced);
    tcase_add_test(tc, test_dispatch);
    tcase_add_test(tc, test_marshal_no_args);
    tcase_add_test(tc, test_server_null);
    tcase_add_test(tc, test_server_malformed);
    tcase_add_test(tc, test_client_null);
    tcase_add_test(tc, test_client_malformed);
    tcase_add_test(tc, test_vfio_uapi_fsm);
    tcase_add_test(tc, test_vfio_device_null);
    tcase_add_test(tc, test_vfio_device_malformed);
    tcase_add_test(tc, test_vfio_migration);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(args_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
