/*
 * check-qmp-server.c - the QMP server (qapi/qmp-server.h):
 *
 *   - the streamer (runtime/qmp-server-json.c, compiled in): message
 *     splitting and every error of QEMU's lexer and parser, with QEMU's
 *     texts (as QEMU 7.2 answers them), limits, recovery, the result
 *     being the same however the input is cut into reads; the ASCII
 *     escaping of output;
 *   - servers driven in this thread (qmp_server_iterate()) with clients
 *     on socketpairs: greeting, negotiation, requests, every error path,
 *     events, backlog policy, oversized input, disconnects, SCM_RIGHTS,
 *     OOB, limits, callbacks;
 *   - Unix and TCP listeners, qmp_server_run() in a thread stopped from
 *     another thread and from a signal handler, the fd/iterate hooks.
 *
 * Responses are compared as text: the server writes compact JSON, each
 * message followed by CRLF.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include "qapi/event.h"
#include "qapi/qmp-server.h"
#include "qmp-server-impl.h"

/* --- the streamer --------------------------------------------------------- */

/* Everything the streamer makes of @len bytes fed @chunk at a time:
 * "M:text" (message), "O:text" (exec-oob message), "E:error", one a line. */
static char *stream(const char *input, size_t len, size_t chunk, size_t max)
{
    QmpStreamer st;
    size_t out_cap = 256;
    size_t out_len = 0;
    char *out = malloc(out_cap);
    size_t pos = 0;

    ck_assert_ptr_nonnull(out);
    out[0] = '\0';
    qmp_streamer_init(&st, max);
    while (pos < len) {
        size_t end = pos + chunk < len ? pos + chunk : len;

        while (pos < end) {
            QmpStreamItem item;
            const char *text = NULL;
            size_t tl = 0;
            const char *tag = "";

            pos += qmp_streamer_feed(&st, input + pos, end - pos, &item);
            if (item.kind == QMP_STREAM_MESSAGE) {
                tag = item.oob ? "O:" : "M:";
                text = item.text;
                tl = item.len;
                ck_assert_uint_eq(strlen(item.text), item.len);
            } else if (item.kind == QMP_STREAM_ERROR) {
                tag = "E:";
                text = item.error;
                tl = strlen(item.error);
            } else {
                ck_assert_uint_eq(pos, end);
                continue;
            }
            while (out_len + tl + 4 > out_cap) {
                out_cap *= 2;
                out = realloc(out, out_cap);
                ck_assert_ptr_nonnull(out);
            }
            memcpy(out + out_len, tag, 2);
            memcpy(out + out_len + 2, text, tl);
            out_len += 2 + tl;
            out[out_len++] = '\n';
            out[out_len] = '\0';
        }
    }
    qmp_streamer_destroy(&st);
    return out;
}

/* The streamer's output for @input is @expected, fed whole, a byte at a
 * time, and in pieces of 2, 3 and 7 bytes. */
static void check_stream_n(const char *input, size_t len, const char *expected,
                           size_t max)
{
    static const size_t chunks[] = {0, 1, 2, 3, 7};
    size_t i;

    for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
        char *got = stream(input, len, chunks[i] ? chunks[i] : len, max);

        if (strcmp(got, expected)) {
            ck_abort_msg("input %.60s (chunk %zu):\n got: %s\nwant: %s", input,
                         chunks[i], got, expected);
        }
        free(got);
    }
}

static void check_stream(const char *input, const char *expected)
{
    check_stream_n(input, strlen(input), expected, 0);
}

#define PE "E:JSON parse error, "

START_TEST(test_stream_messages)
{
    check_stream("{\"execute\":\"x\"}", "M:{\"execute\":\"x\"}\n");
    /* Several in one read, with and without white space between. */
    check_stream("{\"a\":1}{\"b\":2}\r\n  {\"c\":[3]}\n",
                 "M:{\"a\":1}\nM:{\"b\":2}\nM:{\"c\":[3]}\n");
    /* White space inside a message is kept, outside dropped. */
    check_stream(" \t\r\n{ \"a\" :\n[ 1 , 2 ] }  ",
                 "M:{ \"a\" :\n[ 1 , 2 ] }\n");
    /* Values other than objects are messages too (the dispatcher says
     * "QMP input must be a JSON object"); a number or keyword ends with
     * the byte after it. */
    check_stream("42 \"s\"[1,{}]null true false -0.5e+3 ",
                 "M:42\nM:\"s\"\nM:[1,{}]\nM:null\nM:true\nM:false\n"
                 "M:-0.5e+3\n");
    check_stream("42", "");
    check_stream("{\"a\":[1,", "");
    /* Strings hide braces. */
    check_stream("{\"a\":\"}{][\\\"\"}", "M:{\"a\":\"}{][\\\"\"}\n");
    /* Escapes QEMU takes. */
    check_stream("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\"]",
                 "M:[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\"]\n");
    /* UTF-8 */
    check_stream("[\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"]",
                 "M:[\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"]\n");
    /* QEMU's modified UTF-8 takes an overlong NUL. */
    check_stream("[\"\xc0\x80\"]", "M:[\"\xc0\x80\"]\n");
}
END_TEST

START_TEST(test_stream_single_quotes)
{
    /* QEMU's extensions, rewritten as standard JSON. */
    check_stream("{'execute': 'query-name', 'id': 'it\\'s'}",
                 "M:{\"execute\": \"query-name\", \"id\": \"it's\"}\n");
    check_stream("['say \"hi\"', \"a\\'b\", '\\u0041\\\\']",
                 "M:[\"say \\\"hi\\\"\", \"a'b\", \"\\u0041\\\\\"]\n");
    check_stream("{\"a\\'\":1}", "M:{\"a'\":1}\n");
}
END_TEST

START_TEST(test_stream_oob)
{
    check_stream("{\"exec-oob\":\"x\",\"id\":1}",
                 "O:{\"exec-oob\":\"x\",\"id\":1}\n");
    check_stream("{\"exec\\u002doob\":\"x\"}",
                 "O:{\"exec\\u002doob\":\"x\"}\n");
    check_stream("{'exec-oob':'x'}", "O:{\"exec-oob\":\"x\"}\n");
    check_stream("{\"exec-oob\":\"x\",\"execute\":\"y\"}",
                 "M:{\"exec-oob\":\"x\",\"execute\":\"y\"}\n");
    check_stream("{\"a\":{\"exec-oob\":\"x\"}}",
                 "M:{\"a\":{\"exec-oob\":\"x\"}}\n");
    check_stream("[{\"exec-oob\":\"x\"}]", "M:[{\"exec-oob\":\"x\"}]\n");
}
END_TEST

START_TEST(test_stream_lexical_errors)
{
    /* The stray byte, then recovery at the next structural character:
     * the "}" is a message of its own. */
    check_stream("{\"execute\": @}", PE "stray '@'\n" PE "expecting value\n");
    check_stream("01 ", PE "stray '01'\n");
    check_stream("-} ", PE "stray '-}'\n");
    check_stream("1.} ", PE "stray '1.}'\n");
    check_stream("1e} ", PE "stray '1e}'\n");
    check_stream("1e+x ", PE "stray '1e+x'\n");
    check_stream("True ", PE "stray 'T'\n");
    check_stream("\xff", PE "stray '\xff'\n");
    check_stream("[\"a\x01\"]", PE "stray '\"a\x01'\n" PE "expecting value\n");
    check_stream("[\"a\\\x01\"]",
                 PE "stray '\"a\\\x01'\n" PE "expecting value\n");
    check_stream("'\xfe'", PE "stray ''\xfe'\n");
    check_stream_n("\0 {}", 4, PE "stray ''\nM:{}\n", 0);
    /* Recovery skips up to a control character, which is lexed again. */
    check_stream("@@@ \x01{\"a\":1}",
                 PE "stray '@'\n" PE "stray '\x01'\nM:{\"a\":1}\n");
    check_stream("@abc\n{\"a\":1}", PE "stray '@'\nM:{\"a\":1}\n");
    check_stream("@ab\tc[1]", PE "stray '@'\nM:[1]\n");
    /* A lexical error drops the message in progress. */
    check_stream("{\"a\":[1,2,\x01{\"b\":1}", PE "stray '\x01'\nM:{\"b\":1}\n");
    /* Keywords and numbers end where QEMU's lexer ends them. */
    check_stream("0e5 ", "M:0\n" PE "invalid keyword 'e'\nM:5\n");
    check_stream("12abc ", "M:12\n" PE "invalid keyword 'abc'\n");
    check_stream("nul ", PE "invalid keyword 'nul'\n");
}
END_TEST

START_TEST(test_stream_parse_errors)
{
    check_stream("{\"a\":}", PE "expecting value\n");
    check_stream("}", PE "expecting value\n");
    check_stream("]", PE "expecting value\n");
    check_stream("[1,]", PE "expecting value\n");
    check_stream("{\"a\":1,}", PE "expecting value\n");
    check_stream("{\"a\" 1}", PE "missing : in object pair\n");
    check_stream("{1:2}", PE "key is not a string in object\n");
    check_stream("{{\"a\":1}:1}", PE "key is not a string in object\n");
    check_stream("{nul:1}", PE "invalid keyword 'nul'\n");
    check_stream("{\"a\":1 2}", PE "expected separator in dict\n");
    check_stream("{\"a\":0e5}", PE "expected separator in dict\n");
    check_stream("[1 2]", PE "expected separator in list\n");
    check_stream("{\"a\":[1,2}]", PE "expected separator in list\n");
    check_stream("[1,2}]",
                 PE "expected separator in list\n" PE "expecting value\n");
    /* A count going negative ends the message too. */
    check_stream("[}", PE "expecting value\n");
    check_stream("[}]", PE "expecting value\n" PE "expecting value\n");
    check_stream("{\"a\":1]", PE "expected separator in dict\n");
    check_stream("{\"a\":[}", "");
    /* Strings: the first error in token order wins. */
    check_stream("[\"\\q\"]", PE "invalid escape sequence in string\n");
    check_stream("[\"\\uD800\"]",
                 PE "\\uD800 is not a valid Unicode character\n");
    check_stream("[\"\\uDC00\"]",
                 PE "\\uDC00 is not a valid Unicode character\n");
    check_stream("[\"\\uD800\\u12\"]",
                 PE "\\uD800 is not a valid Unicode character\n");
    check_stream("[\"\\uD800\\uD800\"]",
                 PE "\\uD800 is not a valid Unicode character\n");
    check_stream("[\"\\u12\"]",
                 PE "\\u12\" is not a valid Unicode character\n");
    check_stream("[\"\\u\"]", PE "\\u\" is not a valid Unicode character\n");
    check_stream("[\"\\uZZZZ\"]",
                 PE "\\uZZZZ is not a valid Unicode character\n");
    check_stream("[\"\\uFFFF\"]",
                 PE "\\uFFFF is not a valid Unicode character\n");
    check_stream("[\"\\uFDD0\"]",
                 PE "\\uFDD0 is not a valid Unicode character\n");
    check_stream("[\"\x80\"]", PE "invalid UTF-8 sequence in string\n");
    check_stream("[\"\xed\xa0\x80\"]", PE "invalid UTF-8 sequence in string\n");
    check_stream("[\"\xef\xbf\xbe\"]", PE "invalid UTF-8 sequence in string\n");
    check_stream("[\"\xc1\xbf\"]", PE "invalid UTF-8 sequence in string\n");
    check_stream("[\"\xe2\x82\"]", PE "invalid UTF-8 sequence in string\n");
    check_stream("[\"\xf4\x90\x80\x80\"]",
                 PE "invalid UTF-8 sequence in string\n");
    check_stream("[\"\xf8\x88\x80\x80\x80\"]",
                 PE "invalid UTF-8 sequence in string\n");
    check_stream("[\"ok\", \"\\q\", nul]",
                 PE "invalid escape sequence in string\n");
    check_stream("[nul, \"\\q\"]", PE "invalid keyword 'nul'\n");
}
END_TEST

START_TEST(test_stream_duplicates)
{
    char buf[4096];
    size_t n = 0;
    int i;

    check_stream("{\"a\":1,\"a\":2}", PE "duplicate key\n");
    check_stream("{\"a\":1,\"\\u0061\":2}", PE "duplicate key\n");
    check_stream("{'a':1,\"a\":2}", PE "duplicate key\n");
    /* The value is parsed before the key is looked up. */
    check_stream("{\"a\":1,\"a\":\"\\q\"}",
                 PE "invalid escape sequence in string\n");
    /* Nested objects have keys of their own. */
    check_stream("{\"a\":{\"a\":{\"a\":1}},\"b\":[{\"a\":1},{\"a\":2}]}",
                 "M:{\"a\":{\"a\":{\"a\":1}},\"b\":[{\"a\":1},{\"a\":2}]}\n");
    check_stream("{\"a\":{\"b\":1},\"b\":{\"b\":1,\"b\":2}}",
                 PE "duplicate key\n");
    /* Enough keys for the hash table. */
    n += (size_t)sprintf(buf + n, "{");
    for (i = 0; i < 100; i++) {
        n += (size_t)sprintf(buf + n, "%s\"k%d\":{\"k%d\":%d}", i ? "," : "", i,
                             i, i);
    }
    sprintf(buf + n, "}");
    {
        char *want = malloc(strlen(buf) + 4);

        ck_assert_ptr_nonnull(want);
        sprintf(want, "M:%s\n", buf);
        check_stream(buf, want);
        free(want);
    }
    sprintf(buf + n, ",\"k\\u00373\":1}");
    check_stream(buf, PE "duplicate key\n");
}
END_TEST

START_TEST(test_stream_limits)
{
    char *buf = malloc(8192);
    size_t n;

    ck_assert_ptr_nonnull(buf);
    /* Over the size limit: one error, the rest of the message skipped,
     * the next one read. */
    n = (size_t)sprintf(buf, "{\"a\":[\"");
    memset(buf + n, 'x', 200);
    n += 200;
    n += (size_t)sprintf(buf + n, "\",{\"}\":1}]}{\"b\":1}");
    check_stream_n(buf, n, "E:JSON token size limit exceeded\nM:{\"b\":1}\n",
                   100);
    /* Going over the limit with the byte that ends a token. */
    check_stream_n("\"abcdef\"{\"b\":1}", 15,
                   "E:JSON token size limit exceeded\nM:{\"b\":1}\n", 7);
    check_stream_n("{\"a\":{}}{\"b\":1}", 15,
                   "E:JSON token size limit exceeded\nM:{\"b\":1}\n", 7);
    /* Exactly the limit is fine. */
    check_stream_n("{\"a\":1}", 7, "M:{\"a\":1}\n", 7);
    check_stream_n("{\"a\":12}", 8, "E:JSON token size limit exceeded\n", 7);
    /* A lexical error ends skipping, reported as QEMU would. */
    n = (size_t)sprintf(buf, "[\"");
    memset(buf + n, 'x', 200);
    n += 200;
    n += (size_t)sprintf(buf + n, "\x01{\"b\":1}");
    check_stream_n(buf, n,
                   "E:JSON token size limit exceeded\n" PE "stray '\x01'\n"
                   "M:{\"b\":1}\n",
                   100);
    /* Nesting: 1024 is fine, 1025 is not. */
    memset(buf, '[', 1024);
    memset(buf + 1024, ']', 1024);
    buf[2048] = '\0';
    {
        char *want = malloc(2052);

        ck_assert_ptr_nonnull(want);
        sprintf(want, "M:%s\n", buf);
        check_stream_n(buf, 2048, want, 0);
        free(want);
    }
    memset(buf, '[', 2000);
    memset(buf + 2000, ']', 2000);
    strcpy(buf + 4000, "{\"c\":1}");
    check_stream_n(buf, strlen(buf),
                   "E:JSON nesting depth limit exceeded\nM:{\"c\":1}\n", 0);
    free(buf);
}
END_TEST

START_TEST(test_stream_reset_pending)
{
    QmpStreamer st;
    QmpStreamItem item;
    size_t n;

    qmp_streamer_init(&st, 0);
    ck_assert(!qmp_streamer_pending(&st));
    n = qmp_streamer_feed(&st, "{\"a\":[1", 7, &item);
    ck_assert_uint_eq(n, 7);
    ck_assert_int_eq(item.kind, QMP_STREAM_NONE);
    ck_assert(qmp_streamer_pending(&st));
    qmp_streamer_reset(&st);
    ck_assert(!qmp_streamer_pending(&st));
    n = qmp_streamer_feed(&st, "{}{}", 4, &item);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(item.kind, QMP_STREAM_MESSAGE);
    ck_assert_str_eq(item.text, "{}");
    n = qmp_streamer_feed(&st, "{}", 2, &item);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(item.kind, QMP_STREAM_MESSAGE);
    qmp_streamer_destroy(&st);
}
END_TEST

/* Random bytes: whatever the chunking, the same items, and no crash. */
START_TEST(test_stream_random)
{
    static const char alphabet[] = "{}[],:\"'\\ \n0123456789-+.eEtrufalsnx@\x01"
                                   "\xc3\xa9\xff\x80u";
    char buf[600];
    unsigned seed = 12345;
    int round;

    for (round = 0; round < 300; round++) {
        size_t len = (size_t)(rand_r(&seed) % (int)sizeof(buf));
        size_t i;
        char *whole;
        char *bytes;

        for (i = 0; i < len; i++) {
            buf[i] = alphabet[rand_r(&seed) % (int)(sizeof(alphabet) - 1)];
        }
        whole = stream(buf, len, len ? len : 1, 64);
        bytes = stream(buf, len, 1, 64);
        ck_assert_str_eq(whole, bytes);
        free(whole);
        free(bytes);
    }
}
END_TEST

START_TEST(test_ascii)
{
    static const struct {
        const char *in;
        const char *out;
    } cases[] = {
        {"{\"a\":\"plain\"}", "{\"a\":\"plain\"}"},
        {"\"\xc3\xa9\"", "\"\\u00E9\""},
        {"\"a\x7f\"", "\"a\\u007F\""},
        {"\"\xe2\x82\xac\"", "\"\\u20AC\""},
        {"\"\xf0\x9f\x98\x80\"", "\"\\uD83D\\uDE00\""},
        {"\"\x80x\"", "\"\\uFFFDx\""},
        {"\"\xe2\x82x\"", "\"\\uFFFDx\""},
        {"\"\xc0\x80\"", "\"\\u0000\""},
        {"\"\xef\xbf\xbe\"", "\"\\uFFFD\""},
        {"\"\xff\xfe\"", "\"\\uFFFD\\uFFFD\""},
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len = strlen(cases[i].in);
        size_t size = qmp_ascii_size(cases[i].in, len);
        char *out = malloc(size + 1);

        ck_assert_ptr_nonnull(out);
        ck_assert_uint_eq(qmp_ascii_copy(out, cases[i].in, len), size);
        out[size] = '\0';
        ck_assert_str_eq(out, cases[i].out);
        free(out);
    }
}
END_TEST

/* --- a server in this thread ---------------------------------------------- */

static QmpServer *srv;
static QmpCommandList *cmds;
static int connects, disconnects, opaque_frees;
static QmpSession *last_session;

typedef struct Client {
    int fd;
    char buf[1 << 16];
    size_t len;
    bool eof;
} Client;

static void test_event(int64_t i)
{
    QapiOutput *out = qapi_event_start("TEST_EVENT");

    qapi_output_member(out, "data");
    qapi_output_start_object(out);
    qapi_output_member(out, "i");
    qapi_output_int(out, i);
    qapi_output_end_object(out);
    qapi_event_send(out, "TEST_EVENT");
}

/* Read an object argument's integer member @name (0 when absent). */
static bool int_arg(QapiInput *args, const char *name, int64_t *value,
                    QapiError **errp)
{
    const char *key;
    int r;

    *value = 0;
    if (!qapi_input_start_object(args, errp)) {
        return false;
    }
    while ((r = qapi_input_next_member(args, &key, errp)) > 0) {
        if (strcmp(key, name)) {
            qapi_input_error_unexpected(args, errp);
            return false;
        }
        if (!qapi_input_int(args, INT64_MIN, INT64_MAX, "int", value, errp)) {
            return false;
        }
    }
    if (r < 0) {
        return false;
    }
    qapi_input_end_object(args);
    return qapi_input_finish(args, errp);
}

static void cmd_ping(QapiInput *args, QapiOutput *out, QapiError **errp)
{
    (void)out;
    qmp_marshal_no_args(args, errp);
}

static void cmd_emit(QapiInput *args, QapiOutput *out, QapiError **errp)
{
    int64_t n;
    int64_t i;

    (void)out;
    if (int_arg(args, "n", &n, errp)) {
        for (i = 0; i < n; i++) {
            test_event(i);
        }
    }
}

static void cmd_big(QapiInput *args, QapiOutput *out, QapiError **errp)
{
    int64_t n;

    if (int_arg(args, "size", &n, errp)) {
        char *s = malloc((size_t)n + 1);

        memset(s, 'x', (size_t)n);
        s[n] = '\0';
        qapi_output_str(out, s);
        free(s);
    }
}

static void cmd_whoami(QapiInput *args, QapiOutput *out, QapiError **errp)
{
    QmpSession *ss = qmp_session_current();

    if (!qmp_marshal_no_args(args, errp)) {
        return;
    }
    ck_assert_ptr_nonnull(ss);
    ck_assert_ptr_eq(qmp_dispatch_context(), ss);
    ck_assert_ptr_eq(qmp_session_get_server(ss), srv);
    qapi_output_start_object(out);
    qapi_output_member(out, "id");
    qapi_output_uint(out, qmp_session_get_id(ss));
    qapi_output_member(out, "oob");
    qapi_output_bool(out, qmp_session_oob_enabled(ss));
    qapi_output_end_object(out);
}

static void cmd_take_fd(QapiInput *args, QapiOutput *out, QapiError **errp)
{
    int fd;

    if (!qmp_marshal_no_args(args, errp)) {
        return;
    }
    fd = qmp_session_take_fd(qmp_session_current());
    qapi_output_bool(out, fd >= 0);
    if (fd >= 0) {
        close(fd);
    }
}

static void cmd_close_me(QapiInput *args, QapiOutput *out, QapiError **errp)
{
    (void)out;
    if (qmp_marshal_no_args(args, errp)) {
        qmp_session_close(qmp_session_current());
    }
}

static void cmd_stop_server(QapiInput *args, QapiOutput *out, QapiError **errp)
{
    (void)out;
    if (qmp_marshal_no_args(args, errp)) {
        qmp_server_stop(qmp_session_get_server(qmp_session_current()));
    }
}

static void cmd_utf8(QapiInput *args, QapiOutput *out, QapiError **errp)
{
    if (qmp_marshal_no_args(args, errp)) {
        qapi_output_str(out, "\xc3\xa9\xf0\x9f\x98\x80\xff");
    }
}

static void cmd_fail(QapiInput *args, QapiOutput *out, QapiError **errp)
{
    (void)out;
    if (qmp_marshal_no_args(args, errp)) {
        qapi_error_set(errp, QAPI_ERR_CLASS_DEVICE_NOT_FOUND,
                       "Device 'x' not found");
    }
}

static void free_counter(void *p)
{
    (void)p;
    opaque_frees++;
}

static void session_cb(QmpSession *ss, bool connected, void *opaque)
{
    ck_assert_ptr_eq(opaque, &connects);
    if (connected) {
        connects++;
        last_session = ss;
        qmp_session_set_opaque(ss, &connects, free_counter);
        ck_assert_ptr_eq(qmp_session_get_opaque(ss), &connects);
    } else {
        disconnects++;
    }
}

static void setup(void)
{
    signal(SIGPIPE, SIG_DFL); /* the server must not raise it */
    cmds = qmp_command_list_new();
    qmp_register_command(cmds, "ping", cmd_ping, 0);
    qmp_register_command(cmds, "oob-ping", cmd_ping, QMP_CMD_ALLOW_OOB);
    qmp_register_command(cmds, "emit", cmd_emit, 0);
    qmp_register_command(cmds, "big", cmd_big, 0);
    qmp_register_command(cmds, "whoami", cmd_whoami, 0);
    qmp_register_command(cmds, "take-fd", cmd_take_fd, 0);
    qmp_register_command(cmds, "close-me", cmd_close_me, 0);
    qmp_register_command(cmds, "stop-server", cmd_stop_server, 0);
    qmp_register_command(cmds, "utf8", cmd_utf8, 0);
    qmp_register_command(cmds, "fail", cmd_fail, 0);
    srv = qmp_server_new(cmds);
    ck_assert_ptr_nonnull(srv);
    connects = disconnects = opaque_frees = 0;
    qmp_server_set_session_callback(srv, session_cb, &connects);
}

static void teardown(void)
{
    qmp_server_free(srv);
    srv = NULL;
    qmp_command_list_free(cmds);
    cmds = NULL;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static Client *client_new(void)
{
    Client *c = calloc(1, sizeof(*c));
    int sv[2];

    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    c->fd = sv[0];
    ck_assert_int_eq(qmp_server_add_client(srv, sv[1]), 0);
    return c;
}

static void client_free(Client *c)
{
    if (c->fd >= 0) {
        close(c->fd);
    }
    free(c);
}

static void iterate(int ms)
{
    ck_assert_int_ge(qmp_server_iterate(srv, ms), 0);
}

/* Take what the socket has, without waiting. */
static void client_fill(Client *c)
{
    ssize_t n;

    if (c->eof || c->len == sizeof(c->buf)) {
        return;
    }
    n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, MSG_DONTWAIT);
    if (n > 0) {
        c->len += (size_t)n;
    } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
        c->eof = true;
    }
}

/* The next line (without CRLF, caller frees), running the server while
 * waiting; NULL at EOF or after 5 s. */
static char *client_line(Client *c)
{
    double deadline = now() + 5;

    for (;;) {
        char *nl = memchr(c->buf, '\n', c->len);

        if (nl) {
            size_t n = (size_t)(nl - c->buf);
            char *line;

            ck_assert_msg(n > 0 && c->buf[n - 1] == '\r', "no CRLF");
            line = malloc(n);
            memcpy(line, c->buf, n - 1);
            line[n - 1] = '\0';
            memmove(c->buf, nl + 1, c->len - n - 1);
            c->len -= n + 1;
            return line;
        }
        if (c->eof || now() > deadline) {
            return NULL;
        }
        iterate(5);
        client_fill(c);
    }
}

static void expect_line(Client *c, const char *want)
{
    char *line = client_line(c);

    ck_assert_msg(line != NULL, "no line, wanted %s", want);
    ck_assert_str_eq(line, want);
    free(line);
}

/* Nothing more arrives for a while (the server having run). */
static void expect_nothing(Client *c)
{
    int i;

    for (i = 0; i < 5; i++) {
        iterate(2);
    }
    client_fill(c);
    ck_assert_msg(c->len == 0, "unexpected: %.*s", (int)c->len, c->buf);
}

static void expect_eof(Client *c)
{
    double deadline = now() + 5;

    while (!c->eof && now() < deadline) {
        iterate(5);
        c->len = 0;
        client_fill(c);
    }
    ck_assert(c->eof);
}

static void client_send(Client *c, const char *text)
{
    ck_assert_int_eq(send(c->fd, text, strlen(text), MSG_NOSIGNAL),
                     (ssize_t)strlen(text));
}

static void client_send_len(Client *c, const char *text, size_t len)
{
    ck_assert_int_eq(send(c->fd, text, len, MSG_NOSIGNAL), (ssize_t)len);
}

static const char greeting0[] =
    "{\"QMP\":{\"version\":{\"qemu\":{\"micro\":0,\"minor\":0,\"major\":0},"
    "\"package\":\"\"},\"capabilities\":[]}}";

static void negotiate(Client *c)
{
    free(client_line(c));
    client_send(c, "{\"execute\":\"qmp_capabilities\"}");
    expect_line(c, "{\"return\":{}}");
}

START_TEST(test_greeting)
{
    Client *a = client_new();
    Client *b;

    expect_line(a, greeting0);
    ck_assert_int_eq(qmp_server_set_version(srv, 9, 1, 2, "vmm \"1\""), 0);
    qmp_server_set_oob(srv, true);
    b = client_new();
    expect_line(b, "{\"QMP\":{\"version\":{\"qemu\":{\"micro\":2,\"minor\":1,"
                   "\"major\":9},\"package\":\"vmm \\\"1\\\"\"},"
                   "\"capabilities\":[\"oob\"]}}");
    ck_assert_uint_eq(qmp_server_client_count(srv), 2);
    ck_assert_int_eq(connects, 2);
    client_free(a);
    client_free(b);
    while (qmp_server_client_count(srv)) {
        iterate(10);
    }
    ck_assert_int_eq(disconnects, 2);
    ck_assert_int_eq(opaque_frees, 2);
}
END_TEST

START_TEST(test_negotiation)
{
    Client *c = client_new();

    expect_line(c, greeting0);
    client_send(c, "{\"execute\":\"ping\",\"id\":1}");
    expect_line(c, "{\"error\":{\"class\":\"CommandNotFound\",\"desc\":"
                   "\"Expecting capabilities negotiation with "
                   "'qmp_capabilities'\"},\"id\":1}");
    client_send(c, "{\"execute\":\"no-such\"}");
    expect_line(c, "{\"error\":{\"class\":\"CommandNotFound\",\"desc\":"
                   "\"Expecting capabilities negotiation with "
                   "'qmp_capabilities'\"}}");
    /* Other errors stay as they are. */
    client_send(c, "{\"execute\":\"ping\",\"x\":1}");
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"QMP input member 'x' is unexpected\"}}");
    /* No event before negotiation. */
    test_event(0);
    client_send(c, "{\"execute\":\"qmp_capabilities\",\"arguments\":"
                   "{\"enable\":[\"oob\"]},\"id\":2}");
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"Capability oob not available\"},\"id\":2}");
    client_send(c, "{\"execute\":\"qmp_capabilities\",\"arguments\":"
                   "{\"enable\":[\"bogus\"]}}");
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"Parameter 'enable[0]' does not accept value "
                   "'bogus'\"}}");
    client_send(c, "{\"execute\":\"qmp_capabilities\",\"arguments\":"
                   "{\"enable\":\"oob\"}}");
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"Invalid parameter type for 'enable', expected: "
                   "array\"}}");
    client_send(c, "{\"execute\":\"qmp_capabilities\",\"arguments\":"
                   "{\"enable\":[],\"x\":1}}");
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"Parameter 'x' is unexpected\"}}");
    client_send(c, "{\"execute\":\"qmp_capabilities\",\"arguments\":"
                   "{\"enable\":[]},\"id\":3}");
    expect_line(c, "{\"return\":{},\"id\":3}");
    client_send(c, "{\"execute\":\"qmp_capabilities\"}");
    expect_line(c, "{\"error\":{\"class\":\"CommandNotFound\",\"desc\":"
                   "\"Capabilities negotiation is already complete, "
                   "command ignored\"}}");
    client_send(c, "{\"execute\":\"whoami\"}");
    expect_line(c, "{\"return\":{\"id\":1,\"oob\":false}}");
    expect_nothing(c);
    client_free(c);
}
END_TEST

START_TEST(test_requests)
{
    Client *c = client_new();

    negotiate(c);
    /* ids of every type, echoed as sent (white space dropped). */
    client_send(c, "{\"execute\":\"ping\",\"id\":{ \"a\" : [1, \"b c\"] }}");
    expect_line(c, "{\"return\":{},\"id\":{\"a\":[1,\"b c\"]}}");
    client_send(c, "{\"id\":null,\"execute\":\"ping\"}");
    expect_line(c, "{\"return\":{},\"id\":null}");
    /* Several in one write; one in several writes. */
    client_send(c, "{\"execute\":\"ping\",\"id\":1}{\"execute\":\"ping\","
                   "\"id\":2}\n{\"execute\":\"ping\",\"id\":3}");
    expect_line(c, "{\"return\":{},\"id\":1}");
    expect_line(c, "{\"return\":{},\"id\":2}");
    expect_line(c, "{\"return\":{},\"id\":3}");
    client_send(c, "{\"execute\":");
    expect_nothing(c);
    client_send(c, "\"ping\",\"id\"");
    expect_nothing(c);
    client_send(c, ":4}");
    expect_line(c, "{\"return\":{},\"id\":4}");
    /* The dispatcher's errors. */
    client_send(c, "{\"execute\":\"nope\",\"id\":5}");
    expect_line(c, "{\"error\":{\"class\":\"CommandNotFound\",\"desc\":"
                   "\"The command nope has not been found\"},\"id\":5}");
    client_send(c, "{\"execute\":\"fail\"}");
    expect_line(c, "{\"error\":{\"class\":\"DeviceNotFound\",\"desc\":"
                   "\"Device 'x' not found\"}}");
    client_send(c, "{\"execute\":\"ping\",\"arguments\":{\"a\":1}}");
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"Parameter 'a' is unexpected\"}}");
    client_send(c, "{\"execute\":\"ping\",\"arguments\":1}");
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"QMP input member 'arguments' must be an object\"}}");
    client_send(c, "{\"execute\":[]}");
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"QMP input member 'execute' must be a string\"}}");
    client_send(c, "{\"id\":7}");
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"QMP input lacks member 'execute'\"},\"id\":7}");
    client_send(c, "[1] 2 \"x\" null ");
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"QMP input must be a JSON object\"}}");
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"QMP input must be a JSON object\"}}");
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"QMP input must be a JSON object\"}}");
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"QMP input must be a JSON object\"}}");
    /* The streamer's errors, with QEMU's texts; the session goes on. */
    client_send(c, "{\"execute\": @}");
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"JSON parse error, stray '@'\"}}");
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"JSON parse error, expecting value\"}}");
    client_send(c, "{\"execute\":\"ping\",\"execute\":\"ping\"}");
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"JSON parse error, duplicate key\"}}");
    client_send(c, "\xff\x01");
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"JSON parse error, stray '\\uFFFD'\"}}");
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"JSON parse error, stray '\\u0001'\"}}");
    /* QEMU's extensions. */
    client_send(c, "{'execute':'ping','id':'it\\'s'}");
    expect_line(c, "{\"return\":{},\"id\":\"it's\"}");
    /* Output is ASCII. */
    client_send(c, "{\"execute\":\"utf8\",\"id\":\"\xc3\xa9\"}");
    expect_line(c, "{\"return\":\"\\u00E9\\uD83D\\uDE00\\uFFFD\","
                   "\"id\":\"\\u00E9\"}");
    /* DEL too, in an echoed id as QEMU re-writes it. */
    client_send(c, "{\"execute\":\"ping\",\"id\":\"\x7f\"}");
    expect_line(c, "{\"return\":{},\"id\":\"\\u007F\"}");
    expect_nothing(c);
    client_free(c);
}
END_TEST

START_TEST(test_events)
{
    Client *a = client_new();
    Client *b = client_new();
    Client *n = client_new();
    char want[128];
    int i;

    negotiate(a);
    negotiate(b);
    free(client_line(n));
    client_send(a, "{\"execute\":\"emit\",\"arguments\":{\"n\":3},\"id\":1}");
    for (i = 0; i < 3; i++) {
        Client *cs[2] = {a, b};
        int k;

        for (k = 0; k < 2; k++) {
            char *line = client_line(cs[k]);

            ck_assert_ptr_nonnull(line);
            snprintf(want, sizeof(want),
                     "{\"event\":\"TEST_EVENT\","
                     "\"data\":{\"i\":%d},",
                     i);
            ck_assert_msg(!strncmp(line, want, strlen(want)), "%s", line);
            free(line);
        }
    }
    /* The events came before the response. */
    expect_line(a, "{\"return\":{},\"id\":1}");
    expect_nothing(b);
    expect_nothing(n);
    client_free(a);
    client_free(b);
    client_free(n);
}
END_TEST

static void *emitter(void *arg)
{
    int64_t i;

    for (i = 0; i < (int64_t)(intptr_t)arg; i++) {
        test_event(i);
    }
    return NULL;
}

/* Events from another thread while the server sleeps in epoll_wait. */
START_TEST(test_events_thread)
{
    Client *a = client_new();
    pthread_t t;
    char *line;
    int got = 0;

    negotiate(a);
    ck_assert_int_eq(pthread_create(&t, NULL, emitter, (void *)(intptr_t)2000),
                     0);
    while (got < 2000 && (line = client_line(a))) {
        char want[64];

        snprintf(want, sizeof(want),
                 "{\"event\":\"TEST_EVENT\","
                 "\"data\":{\"i\":%d},",
                 got);
        ck_assert_msg(!strncmp(line, want, strlen(want)), "%s", line);
        free(line);
        got++;
    }
    pthread_join(t, NULL);
    ck_assert_int_eq(got, 2000);
    client_free(a);
}
END_TEST

/* A client that does not read falls behind and is dropped; the others
 * get every event. */
START_TEST(test_backlog)
{
    Client *live;
    Client *stalled;
    int sndbuf = 4096;
    int got = 0;
    int i;

    qmp_server_set_limits(srv, 0, 65536, 0);
    live = client_new();
    stalled = client_new();
    negotiate(live);
    negotiate(stalled);
    setsockopt(stalled->fd, SOL_SOCKET, SO_RCVBUF, &sndbuf, sizeof(sndbuf));
    for (i = 0; i < 5000; i++) {
        char *line;

        test_event(i);
        /* The live client reads as it goes. */
        while (i - got > 50 && (line = client_line(live))) {
            free(line);
            got++;
        }
    }
    while (got < 5000) {
        char *line = client_line(live);

        ck_assert_ptr_nonnull(line);
        free(line);
        got++;
    }
    for (i = 0; i < 10; i++) {
        iterate(5);
    }
    ck_assert_uint_eq(qmp_server_client_count(srv), 1);
    ck_assert_int_eq(disconnects, 1);
    expect_eof(stalled);
    client_free(live);
    client_free(stalled);
}
END_TEST

/* A client that sends much more than it reads is paused (the server
 * stops reading it), not dropped: it gets every response, in order. */
START_TEST(test_pipelining)
{
    static const char req[] = "{\"execute\":\"big\",\"arguments\":"
                              "{\"size\":1000}}";
    size_t n_req = 3000;
    size_t sent = 0;
    size_t off = 0;
    size_t got = 0;
    double deadline = now() + 20;
    Client *c;

    /* 3 MB of responses, far over the backlog limit. */
    qmp_server_set_limits(srv, 0, 256 << 10, 0);
    c = client_new();
    negotiate(c);
    while (got < n_req && now() < deadline) {
        char *nl;

        if (sent < n_req) {
            ssize_t n = send(c->fd, req + off, sizeof(req) - 1 - off,
                             MSG_DONTWAIT | MSG_NOSIGNAL);

            if (n > 0) {
                off += (size_t)n;
                if (off == sizeof(req) - 1) {
                    off = 0;
                    sent++;
                }
                continue;
            }
        }
        /* Read only when sending would block. */
        iterate(1);
        client_fill(c);
        while ((nl = memchr(c->buf, '\n', c->len))) {
            size_t len = (size_t)(nl - c->buf) + 1;

            ck_assert_uint_eq(len, 1015);
            memmove(c->buf, nl + 1, c->len - len);
            c->len -= len;
            got++;
        }
    }
    ck_assert_uint_eq(got, n_req);
    ck_assert_int_eq(disconnects, 0);
    client_free(c);
}
END_TEST

START_TEST(test_oversized)
{
    Client *c;
    char *big = malloc(5000);
    size_t n;

    qmp_server_set_limits(srv, 1024, 0, 0);
    c = client_new();
    negotiate(c);
    n = (size_t)sprintf(big, "{\"execute\":\"ping\",\"id\":\"");
    memset(big + n, 'x', 4000);
    n += 4000;
    n += (size_t)sprintf(big + n, "\"}{\"execute\":\"ping\",\"id\":2}");
    client_send_len(c, big, n);
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"JSON token size limit exceeded\"}}");
    expect_line(c, "{\"return\":{},\"id\":2}");
    memset(big, '[', 1500);
    memset(big + 1500, ']', 1500);
    client_send_len(c, big, 3000);
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"JSON token size limit exceeded\"}}");
    client_send(c, "{\"execute\":\"ping\",\"id\":3}");
    expect_line(c, "{\"return\":{},\"id\":3}");
    free(big);
    client_free(c);
}
END_TEST

START_TEST(test_disconnects)
{
    Client *a = client_new();
    Client *b = client_new();
    Client *d = client_new();
    int i;

    negotiate(a);
    negotiate(b);
    /* Mid-message. */
    client_send(a, "{\"execute\":\"pi");
    iterate(5);
    close(a->fd);
    a->fd = -1;
    /* With responses pending (the server must not get SIGPIPE). */
    {
        static const char req[] = "{\"execute\":\"big\",\"arguments\":"
                                  "{\"size\":5000}}";
        char *all = malloc(200 * (sizeof(req) - 1));

        for (i = 0; i < 200; i++) {
            memcpy(all + (size_t)i * (sizeof(req) - 1), req, sizeof(req) - 1);
        }
        client_send_len(b, all, 200 * (sizeof(req) - 1));
        free(all);
    }
    close(b->fd);
    b->fd = -1;
    /* Before the greeting was read. */
    close(d->fd);
    d->fd = -1;
    for (i = 0; i < 50 && qmp_server_client_count(srv); i++) {
        iterate(10);
    }
    ck_assert_uint_eq(qmp_server_client_count(srv), 0);
    ck_assert_int_eq(disconnects, 3);
    ck_assert_int_eq(opaque_frees, 3);
    test_event(1); /* to nobody */
    client_free(a);
    client_free(b);
    client_free(d);
}
END_TEST

/* A file descriptor that is not a socket: closed, no crash. */
START_TEST(test_not_socket)
{
    int p[2];
    int i;

    ck_assert_int_eq(pipe(p), 0);
    ck_assert_int_eq(qmp_server_add_client(srv, p[0]), 0);
    ck_assert_int_eq(write(p[1], "{}", 2), 2);
    for (i = 0; i < 20 && qmp_server_client_count(srv); i++) {
        iterate(5);
    }
    ck_assert_uint_eq(qmp_server_client_count(srv), 0);
    close(p[1]);
}
END_TEST

static void send_with_fd(Client *c, const char *text, int fd)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    struct iovec iov = {(void *)text, strlen(text)};
    struct msghdr msg;
    struct cmsghdr *cmsg;

    memset(&msg, 0, sizeof(msg));
    memset(&control, 0, sizeof(control));
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    ck_assert_int_eq(sendmsg(c->fd, &msg, MSG_NOSIGNAL), (ssize_t)strlen(text));
}

START_TEST(test_scm_rights)
{
    Client *c = client_new();
    int p[2];
    char byte;

    negotiate(c);
    client_send(c, "{\"execute\":\"take-fd\"}");
    expect_line(c, "{\"return\":false}");
    ck_assert_int_eq(pipe(p), 0);
    send_with_fd(c, "{\"execute\":\"take-fd\"}", p[1]);
    expect_line(c, "{\"return\":true}");
    close(p[1]);
    /* The handler closed it: EOF. */
    ck_assert_int_eq(read(p[0], &byte, 1), 0);
    close(p[0]);
    /* Not taken: closed with the session. */
    ck_assert_int_eq(pipe(p), 0);
    send_with_fd(c, "{\"execute\":\"ping\"}", p[1]);
    expect_line(c, "{\"return\":{}}");
    close(p[1]);
    ck_assert_int_eq(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
    ck_assert_int_eq(read(p[0], &byte, 1), -1);
    client_free(c);
    while (qmp_server_client_count(srv)) {
        iterate(5);
    }
    ck_assert_int_eq(read(p[0], &byte, 1), 0);
    close(p[0]);
}
END_TEST

START_TEST(test_oob)
{
    Client *c;

    qmp_server_set_oob(srv, true);
    c = client_new();
    free(client_line(c));
    /* Not enabled: exec-oob is an unknown member. */
    client_send(c, "{\"execute\":\"qmp_capabilities\"}");
    expect_line(c, "{\"return\":{}}");
    client_send(c, "{\"exec-oob\":\"oob-ping\",\"id\":1}");
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"QMP input member 'exec-oob' is unexpected\"},"
                   "\"id\":1}");
    client_free(c);

    c = client_new();
    free(client_line(c));
    client_send(c, "{\"execute\":\"qmp_capabilities\",\"arguments\":"
                   "{\"enable\":[\"oob\"]}}");
    expect_line(c, "{\"return\":{}}");
    client_send(c, "{\"execute\":\"whoami\"}");
    expect_line(c, "{\"return\":{\"id\":2,\"oob\":true}}");
    /* exec-oob jumps the in-band requests read with it; errors of the
     * streamer keep their place in the queue. */
    client_send(c, "{\"execute\":\"ping\",\"id\":1}@"
                   "{\"exec-oob\":\"oob-ping\",\"id\":\"oob\"}"
                   "{\"execute\":\"ping\",\"id\":2}"
                   "{\"exec-oob\":\"ping\",\"id\":\"bad\"}");
    expect_line(c, "{\"return\":{},\"id\":\"oob\"}");
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"The command ping does not support OOB\"},"
                   "\"id\":\"bad\"}");
    expect_line(c, "{\"return\":{},\"id\":1}");
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"JSON parse error, stray '@'\"}}");
    expect_line(c, "{\"return\":{},\"id\":2}");
    /* More than 8 in-band requests at once. */
    client_send(c, "{\"execute\":\"ping\",\"id\":1}{\"execute\":\"ping\","
                   "\"id\":2}{\"execute\":\"ping\",\"id\":3}{\"execute\":"
                   "\"ping\",\"id\":4}{\"execute\":\"ping\",\"id\":5}"
                   "{\"execute\":\"ping\",\"id\":6}{\"execute\":\"ping\","
                   "\"id\":7}{\"execute\":\"ping\",\"id\":8}{\"execute\":"
                   "\"ping\",\"id\":9}{\"execute\":\"ping\",\"id\":10}");
    {
        int i;
        char want[64];

        for (i = 1; i <= 10; i++) {
            snprintf(want, sizeof(want), "{\"return\":{},\"id\":%d}", i);
            expect_line(c, want);
        }
    }
    expect_nothing(c);
    client_free(c);
}
END_TEST

START_TEST(test_session_close)
{
    Client *c = client_new();
    Client *d = client_new();

    negotiate(c);
    negotiate(d);
    client_send(c, "{\"execute\":\"close-me\",\"id\":1}{\"execute\":\"ping\"}");
    expect_line(c, "{\"return\":{},\"id\":1}");
    expect_eof(c);
    client_send(d, "{\"execute\":\"ping\"}");
    expect_line(d, "{\"return\":{}}");
    ck_assert_uint_eq(qmp_server_client_count(srv), 1);
    client_free(c);
    client_free(d);
}
END_TEST

/* A client that shuts down its sending side gets its responses. */
START_TEST(test_half_close)
{
    static const char req[] = "{\"execute\":\"big\",\"arguments\":"
                              "{\"size\":2000}}";
    Client *c = client_new();
    char *all = malloc(300 * (sizeof(req) - 1));
    int i;

    negotiate(c);
    /* One write (many small ones would fill the socket's accounting
     * while this thread, which runs the server, waits). */
    for (i = 0; i < 300; i++) {
        memcpy(all + (size_t)i * (sizeof(req) - 1), req, sizeof(req) - 1);
    }
    client_send_len(c, all, 300 * (sizeof(req) - 1));
    free(all);
    ck_assert_int_eq(shutdown(c->fd, SHUT_WR), 0);
    for (i = 0; i < 300; i++) {
        char *line = client_line(c);

        ck_assert_msg(line != NULL, "response %d", i);
        ck_assert_uint_eq(strlen(line), 2013);
        free(line);
    }
    expect_eof(c);
    ck_assert_int_eq(disconnects, 1);
    client_free(c);
}
END_TEST

static QmpSession *victim;

static void cmd_close_other(QapiInput *args, QapiOutput *out, QapiError **errp)
{
    (void)out;
    if (qmp_marshal_no_args(args, errp)) {
        qmp_session_close(victim);
    }
}

START_TEST(test_close_other)
{
    Client *a = client_new();
    Client *b;

    negotiate(a);
    b = client_new();
    victim = last_session;
    negotiate(b);
    qmp_register_command(cmds, "close-other", cmd_close_other, 0);
    client_send(a, "{\"execute\":\"close-other\"}");
    expect_line(a, "{\"return\":{}}");
    expect_eof(b);
    client_send(a, "{\"execute\":\"ping\"}");
    expect_line(a, "{\"return\":{}}");
    client_free(a);
    client_free(b);
}
END_TEST

START_TEST(test_max_clients)
{
    Client *a;
    Client *b;
    int sv[2];

    qmp_server_set_limits(srv, 0, 0, 2);
    a = client_new();
    b = client_new();
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    ck_assert_int_eq(qmp_server_add_client(srv, sv[1]), -1);
    /* sv[1] was closed: EOF */
    {
        char ch;

        ck_assert_int_eq(read(sv[0], &ch, 1), 0);
    }
    close(sv[0]);
    ck_assert_int_eq(qmp_server_add_client(srv, -1), -1);
    client_free(a);
    client_free(b);
}
END_TEST

START_TEST(test_dispatch_flags)
{
    Client *c = client_new();

    qmp_server_set_dispatch_flags(srv, QMP_DISPATCH_PRECONFIG |
                                           QMP_DISPATCH_NEGOTIATION);
    negotiate(c); /* qmp_capabilities is allowed in preconfig */
    client_send(c, "{\"execute\":\"ping\"}");
    expect_line(c, "{\"error\":{\"class\":\"GenericError\",\"desc\":"
                   "\"The command 'ping' is permitted only after machine "
                   "initialization has completed\"}}");
    qmp_server_set_dispatch_flags(srv, 0);
    client_send(c, "{\"execute\":\"ping\"}");
    expect_line(c, "{\"return\":{}}");
    client_free(c);
}
END_TEST

/* qmp_capabilities dispatched by someone else than a server. */
START_TEST(test_capabilities_elsewhere)
{
    char *rsp;

    ck_assert_int_eq(qmp_dispatch(cmds, "{\"execute\":\"qmp_capabilities\"}",
                                  30, 0, NULL, &rsp, NULL),
                     1);
    ck_assert_str_eq(rsp, "{\"error\":{\"class\":\"CommandNotFound\",\"desc\":"
                          "\"The command qmp_capabilities has not been "
                          "found\"}}");
    free(rsp);
}
END_TEST

/* Random garbage: no crash; 0x01 resets the parser. */
START_TEST(test_garbage)
{
    static const char alphabet[] = "{}[],:\"'\\ \n0123456789-.etrufalsn@\x01"
                                   "\xc3\xa9\xff\x80u";
    Client *c = client_new();
    unsigned seed = 4242;
    char buf[512];
    int round;

    negotiate(c);
    for (round = 0; round < 200; round++) {
        size_t len = (size_t)(rand_r(&seed) % (int)sizeof(buf)) + 1;
        size_t i;
        char *line;

        for (i = 0; i < len; i++) {
            buf[i] = alphabet[rand_r(&seed) % (int)(sizeof(alphabet) - 1)];
        }
        client_send_len(c, buf, len);
        client_send(c, "\x01{\"execute\":\"ping\",\"id\":\"end\"}");
        while ((line = client_line(c)) && !strstr(line, "\"id\":\"end\"}")) {
            ck_assert_msg(!strncmp(line, "{\"error\":", 9) ||
                              !strncmp(line, "{\"return\":", 10),
                          "%s", line);
            free(line);
        }
        ck_assert_ptr_nonnull(line);
        ck_assert_str_eq(line, "{\"return\":{},\"id\":\"end\"}");
        free(line);
    }
    client_free(c);
}
END_TEST

/* --- listeners, run/stop -------------------------------------------------- */

static char sock_dir[64];
static char sock_path[128];

static void make_sock_path(void)
{
    strcpy(sock_dir, "/tmp/check-qmp-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(sock_dir));
    snprintf(sock_path, sizeof(sock_path), "%s/qmp.sock", sock_dir);
}

static int connect_unix(const char *path)
{
    struct sockaddr_un addr;
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    strcpy(addr.sun_path, path);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    return fd;
}

static Client *client_on(int fd)
{
    Client *c = calloc(1, sizeof(*c));

    c->fd = fd;
    return c;
}

START_TEST(test_listen_unix)
{
    QapiError *err = NULL;
    struct stat sb;
    Client *c;
    int fd;

    make_sock_path();
    /* A regular file is not replaced. */
    fd = open(sock_path, O_CREAT | O_WRONLY, 0600);
    close(fd);
    ck_assert_int_eq(qmp_server_listen_unix(srv, sock_path, &err), -1);
    ck_assert_ptr_nonnull(strstr(qapi_error_get_pretty(err), "Failed to bind"));
    qapi_error_free(err);
    err = NULL;
    unlink(sock_path);
    ck_assert_int_eq(qmp_server_listen_unix(srv, sock_path, &err), 0);
    c = client_on(connect_unix(sock_path));
    expect_line(c, greeting0);
    client_send(c, "{\"execute\":\"qmp_capabilities\"}");
    expect_line(c, "{\"return\":{}}");
    client_free(c);
    /* Too long a path. */
    {
        char longp[200];

        memset(longp, 'a', sizeof(longp) - 1);
        longp[sizeof(longp) - 1] = '\0';
        ck_assert_int_eq(qmp_server_listen_unix(srv, longp, &err), -1);
        qapi_error_free(err);
        err = NULL;
    }
    teardown();
    ck_assert_int_eq(stat(sock_path, &sb), -1);
    /* A stale socket file is replaced. */
    setup();
    ck_assert_int_eq(qmp_server_listen_unix(srv, sock_path, &err), 0);
    teardown();
    setup();
    {
        int s = socket(AF_UNIX, SOCK_STREAM, 0);
        struct sockaddr_un addr;

        memset(&addr, 0, sizeof(addr));
        addr.sun_family = AF_UNIX;
        strcpy(addr.sun_path, sock_path);
        ck_assert_int_eq(bind(s, (struct sockaddr *)&addr, sizeof(addr)), 0);
        close(s);
    }
    ck_assert_int_eq(qmp_server_listen_unix(srv, sock_path, &err), 0);
    rmdir(sock_dir); /* fails: the socket is still there */
    teardown();
    setup();
    ck_assert_int_eq(rmdir(sock_dir), 0);
}
END_TEST

/* Out of file descriptors: the listener is not watched (no busy loop)
 * until a session closes. */
START_TEST(test_emfile)
{
    const char *preload = getenv("LD_PRELOAD");
    QapiError *err = NULL;
    struct rlimit saved, lim;
    Client *a;
    Client *b;
    int idle1, idle2;
    char *line;
    int spare;

    if (preload && strstr(preload, "vgpreload")) {
        return; /* valgrind keeps descriptors of its own */
    }
    make_sock_path();
    ck_assert_int_eq(qmp_server_listen_unix(srv, sock_path, &err), 0);
    a = client_on(connect_unix(sock_path));
    expect_line(a, greeting0);
    b = client_on(connect_unix(sock_path)); /* waits in the backlog */
    ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &saved), 0);
    spare = dup(0);
    ck_assert_int_ge(spare, 0);
    close(spare);
    lim = saved;
    lim.rlim_cur = (rlim_t)spare; /* no descriptor left */
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &lim), 0);
    qmp_server_iterate(srv, 10); /* accept fails: the listener pauses */
    idle1 = qmp_server_iterate(srv, 50);
    idle2 = qmp_server_iterate(srv, 50);
    close(a->fd); /* its session goes, a descriptor is free */
    a->fd = -1;
    line = client_line(b);
    /* Restored before any assertion can end the test. */
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &saved), 0);
    ck_assert_int_eq(idle1, 0);
    ck_assert_int_eq(idle2, 0);
    ck_assert_ptr_nonnull(line);
    ck_assert_str_eq(line, greeting0);
    free(line);
    client_free(a);
    client_free(b);
    teardown();
    setup();
    rmdir(sock_dir);
}
END_TEST

START_TEST(test_listen_tcp)
{
    QapiError *err = NULL;
    struct sockaddr_in addr;
    Client *c;
    int port;
    int fd;

    port = qmp_server_listen_tcp(srv, NULL, 0, &err);
    ck_assert_int_gt(port, 0);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    c = client_on(fd);
    negotiate(c);
    client_send(c, "{\"execute\":\"ping\",\"id\":1}");
    expect_line(c, "{\"return\":{},\"id\":1}");
    client_free(c);
    ck_assert_int_eq(qmp_server_listen_tcp(srv, "not-an-address", 0, &err), -1);
    qapi_error_free(err);
    err = NULL;
    ck_assert_int_eq(qmp_server_listen_tcp(srv, NULL, 70000, &err), -1);
    qapi_error_free(err);
}
END_TEST

static void *run_thread(void *arg)
{
    (void)arg;
    return (void *)(intptr_t)qmp_server_run(srv);
}

/* A blocking line reader for clients of a server in another thread. */
static char *blocking_line(Client *c)
{
    for (;;) {
        char *nl = memchr(c->buf, '\n', c->len);
        struct pollfd pfd = {c->fd, POLLIN, 0};

        if (nl) {
            size_t n = (size_t)(nl - c->buf);
            char *line = malloc(n);

            memcpy(line, c->buf, n - 1);
            line[n - 1] = '\0';
            memmove(c->buf, nl + 1, c->len - n - 1);
            c->len -= n + 1;
            return line;
        }
        if (c->eof || poll(&pfd, 1, 5000) <= 0) {
            return NULL;
        }
        client_fill(c);
    }
}

static void blocking_expect(Client *c, const char *want)
{
    char *line = blocking_line(c);

    ck_assert_ptr_nonnull(line);
    ck_assert_str_eq(line, want);
    free(line);
}

START_TEST(test_run_stop)
{
    QapiError *err = NULL;
    pthread_t t;
    void *ret;
    Client *c;

    make_sock_path();
    ck_assert_int_eq(qmp_server_listen_unix(srv, sock_path, &err), 0);
    /* Stop from another thread. */
    ck_assert_int_eq(pthread_create(&t, NULL, run_thread, NULL), 0);
    c = client_on(connect_unix(sock_path));
    blocking_expect(c, greeting0);
    client_send(c, "{\"execute\":\"qmp_capabilities\"}");
    blocking_expect(c, "{\"return\":{}}");
    test_event(7);
    {
        char *line = blocking_line(c);

        ck_assert_ptr_nonnull(strstr(line, "\"data\":{\"i\":7}"));
        free(line);
    }
    qmp_server_stop(srv);
    pthread_join(t, &ret);
    ck_assert_int_eq((int)(intptr_t)ret, 0);
    /* Stopped before it runs: returns at once, once. */
    qmp_server_stop(srv);
    ck_assert_int_eq(qmp_server_run(srv), 0);
    /* Stopped by a handler. */
    ck_assert_int_eq(pthread_create(&t, NULL, run_thread, NULL), 0);
    client_send(c, "{\"execute\":\"stop-server\"}");
    blocking_expect(c, "{\"return\":{}}");
    pthread_join(t, &ret);
    ck_assert_int_eq((int)(intptr_t)ret, 0);
    client_free(c);
    teardown();
    setup();
    rmdir(sock_dir);
}
END_TEST

static void on_usr1(int sig)
{
    (void)sig;
    qmp_server_stop(srv);
}

START_TEST(test_stop_signal)
{
    struct sigaction sa;
    pthread_t t;
    void *ret;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    ck_assert_int_eq(pthread_create(&t, NULL, run_thread, NULL), 0);
    usleep(20000);
    /* Delivered to the running thread or to this one: either works. */
    pthread_kill(t, SIGUSR1);
    pthread_join(t, &ret);
    ck_assert_int_eq((int)(intptr_t)ret, 0);
    signal(SIGUSR1, SIG_DFL);
}
END_TEST

/* An application's own loop: poll the server's fd. */
START_TEST(test_fd_hook)
{
    struct pollfd pfd = {qmp_server_get_fd(srv), POLLIN, 0};
    Client *c;

    ck_assert_int_ge(pfd.fd, 0);
    ck_assert_int_eq(poll(&pfd, 1, 0), 0);
    c = client_new();
    /* Greeting written at once; nothing to do yet. */
    ck_assert_int_eq(qmp_server_iterate(srv, 0), 0);
    client_send(c, "{\"execute\":\"qmp_capabilities\"}");
    ck_assert_int_eq(poll(&pfd, 1, 1000), 1);
    ck_assert_int_eq(qmp_server_iterate(srv, 0), 1);
    client_fill(c);
    ck_assert_ptr_nonnull(memmem(c->buf, c->len, "{\"return\":{}}\r\n", 15));
    ck_assert_int_eq(poll(&pfd, 1, 0), 0);
    client_free(c);
}
END_TEST

static Suite *qmp_server_suite(void)
{
    Suite *s = suite_create("qmp-server");
    TCase *tc = tcase_create("streamer");
    TCase *ts = tcase_create("server");

    tcase_add_test(tc, test_stream_messages);
    tcase_add_test(tc, test_stream_single_quotes);
    tcase_add_test(tc, test_stream_oob);
    tcase_add_test(tc, test_stream_lexical_errors);
    tcase_add_test(tc, test_stream_parse_errors);
    tcase_add_test(tc, test_stream_duplicates);
    tcase_add_test(tc, test_stream_limits);
    tcase_add_test(tc, test_stream_reset_pending);
    tcase_add_test(tc, test_stream_random);
    tcase_add_test(tc, test_ascii);
    suite_add_tcase(s, tc);

    tcase_add_checked_fixture(ts, setup, teardown);
    tcase_set_timeout(ts, 60);
    tcase_add_test(ts, test_greeting);
    tcase_add_test(ts, test_negotiation);
    tcase_add_test(ts, test_requests);
    tcase_add_test(ts, test_events);
    tcase_add_test(ts, test_events_thread);
    tcase_add_test(ts, test_backlog);
    tcase_add_test(ts, test_pipelining);
    tcase_add_test(ts, test_oversized);
    tcase_add_test(ts, test_disconnects);
    tcase_add_test(ts, test_not_socket);
    tcase_add_test(ts, test_scm_rights);
    tcase_add_test(ts, test_oob);
    tcase_add_test(ts, test_session_close);
    tcase_add_test(ts, test_half_close);
    tcase_add_test(ts, test_close_other);
    tcase_add_test(ts, test_max_clients);
    tcase_add_test(ts, test_dispatch_flags);
    tcase_add_test(ts, test_capabilities_elsewhere);
    tcase_add_test(ts, test_garbage);
    tcase_add_test(ts, test_listen_unix);
    tcase_add_test(ts, test_emfile);
    tcase_add_test(ts, test_listen_tcp);
    tcase_add_test(ts, test_run_stop);
    tcase_add_test(ts, test_stop_signal);
    tcase_add_test(ts, test_fd_hook);
    suite_add_tcase(s, ts);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(qmp_server_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
