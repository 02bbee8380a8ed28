/*
 * QMP command registry and dispatcher: see qapi/dispatch.h.
 *
 * A text request is read twice.  First the whole text is validated with
 * a QapiInput (so that a parse error wins over everything else, as in
 * QEMU, whose JSON parser runs before the dispatcher).  Then, the text
 * being known to be valid JSON, a small scanner finds the top-level
 * members and the byte ranges of their values: the arguments are
 * unmarshalled by a QapiInput over their range, which makes member paths
 * in errors relative to "arguments", and the id is copied as written.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "args-impl.h"
#include "qapi/dispatch.h"

struct QmpCommand {
    char *name;
    QmpCommandFunc *fn;          /* one of fn */
    QmpCommandDataFunc *data_fn; /* and data_fn */
    void *opaque;
    unsigned options;
    bool enabled;
    char *disable_reason;
};

struct QmpCommandList {
    QmpCommand **cmds; /* registration order; pointers stay valid */
    size_t n;
    size_t cap;
    bool failed;
};

/* --- the registry --------------------------------------------------------- */

QmpCommandList *qmp_command_list_new(void)
{
    return calloc(1, sizeof(QmpCommandList));
}

static void command_free(QmpCommand *cmd)
{
    free(cmd->name);
    free(cmd->disable_reason);
    free(cmd);
}

void qmp_command_list_free(QmpCommandList *cmds)
{
    size_t i;

    if (!cmds) {
        return;
    }
    for (i = 0; i < cmds->n; i++) {
        command_free(cmds->cmds[i]);
    }
    free(cmds->cmds);
    free(cmds);
}

bool qmp_command_list_failed(const QmpCommandList *cmds)
{
    return !cmds || cmds->failed;
}

static size_t find_index(const QmpCommandList *cmds, const char *name)
{
    size_t i;

    for (i = 0; i < cmds->n; i++) {
        if (!strcmp(cmds->cmds[i]->name, name)) {
            return i;
        }
    }
    return SIZE_MAX;
}

const QmpCommand *qmp_find_command(const QmpCommandList *cmds, const char *name)
{
    size_t i;

    if (!cmds || !name) {
        return NULL;
    }
    i = find_index(cmds, name);
    return i == SIZE_MAX ? NULL : cmds->cmds[i];
}

static QmpCommand *find_mutable(QmpCommandList *cmds, const char *name)
{
    return (QmpCommand *)qmp_find_command(cmds, name);
}

static int do_register(QmpCommandList *cmds, const char *name,
                       QmpCommandFunc *fn, QmpCommandDataFunc *data_fn,
                       void *opaque, unsigned options)
{
    QmpCommand *cmd;

    QAPI_ARG_ERRNO(cmds && name && (fn || data_fn), -1);
    cmd = find_mutable(cmds, name);
    if (!cmd) {
        if (cmds->n == cmds->cap) {
            size_t cap = cmds->cap ? 2 * cmds->cap : 64;
            QmpCommand **grown = realloc(cmds->cmds, cap * sizeof(*grown));

            if (!grown) {
                cmds->failed = true;
                return -1;
            }
            cmds->cmds = grown;
            cmds->cap = cap;
        }
        cmd = calloc(1, sizeof(*cmd));
        if (cmd) {
            cmd->name = strdup(name);
        }
        if (!cmd || !cmd->name) {
            free(cmd);
            cmds->failed = true;
            return -1;
        }
        cmds->cmds[cmds->n++] = cmd;
    }
    cmd->fn = fn;
    cmd->data_fn = data_fn;
    cmd->opaque = opaque;
    cmd->options = options;
    cmd->enabled = true;
    free(cmd->disable_reason);
    cmd->disable_reason = NULL;
    return 0;
}

int qmp_register_command(QmpCommandList *cmds, const char *name,
                         QmpCommandFunc *fn, unsigned options)
{
    return do_register(cmds, name, fn, NULL, NULL, options);
}

int qmp_register_command_data(QmpCommandList *cmds, const char *name,
                              QmpCommandDataFunc *fn, void *opaque,
                              unsigned options)
{
    return do_register(cmds, name, NULL, fn, opaque, options);
}

int qmp_unregister_command(QmpCommandList *cmds, const char *name)
{
    size_t i;

    QAPI_ARG_ERRNO(cmds && name, -1);
    i = find_index(cmds, name);
    if (i == SIZE_MAX) {
        return -1;
    }
    command_free(cmds->cmds[i]);
    memmove(&cmds->cmds[i], &cmds->cmds[i + 1],
            (cmds->n - i - 1) * sizeof(*cmds->cmds));
    cmds->n--;
    return 0;
}

int qmp_disable_command(QmpCommandList *cmds, const char *name,
                        const char *reason)
{
    QmpCommand *cmd;
    char *copy = NULL;

    QAPI_ARG_ERRNO(cmds && name, -1);
    cmd = find_mutable(cmds, name);
    if (!cmd) {
        return -1;
    }
    if (reason) {
        copy = strdup(reason);
        if (!copy) {
            return -1;
        }
    }
    free(cmd->disable_reason);
    cmd->disable_reason = copy;
    cmd->enabled = false;
    return 0;
}

int qmp_enable_command(QmpCommandList *cmds, const char *name)
{
    QmpCommand *cmd;

    QAPI_ARG_ERRNO(cmds && name, -1);
    cmd = find_mutable(cmds, name);
    if (!cmd) {
        return -1;
    }
    free(cmd->disable_reason);
    cmd->disable_reason = NULL;
    cmd->enabled = true;
    return 0;
}

const char *qmp_command_name(const QmpCommand *cmd)
{
    return cmd ? cmd->name : NULL;
}

unsigned qmp_command_options(const QmpCommand *cmd)
{
    return cmd ? cmd->options : 0;
}

bool qmp_command_is_enabled(const QmpCommand *cmd)
{
    return cmd && cmd->enabled;
}

const char *qmp_command_disable_reason(const QmpCommand *cmd)
{
    return cmd ? cmd->disable_reason : NULL;
}

bool qmp_has_success_response(const QmpCommand *cmd)
{
    return cmd && !(cmd->options & QMP_CMD_NO_SUCCESS_RESP);
}

void qmp_for_each_command(const QmpCommandList *cmds, QmpCommandCallback *fn,
                          void *opaque)
{
    size_t i;

    if (!cmds || !fn) {
        return;
    }
    for (i = 0; i < cmds->n; i++) {
        fn(cmds->cmds[i], opaque);
    }
}

/* --- running a command ------------------------------------------------------
 */

static _Thread_local void *current_ctx;

void *qmp_dispatch_context(void)
{
    return current_ctx;
}

static const char negotiation_cmd[] = "qmp_capabilities";

/*
 * Look @name up and run it: QEMU's checks in QEMU's order, then the
 * marshaller.  Returns false with an error set, or true with *respond
 * telling whether a success response is due.
 */
static bool run_command(const QmpCommandList *cmds, unsigned flags, void *ctx,
                        const char *name, bool oob, QapiInput *args,
                        QapiOutput *out, bool *respond, QapiError **errp)
{
    const QmpCommand *cmd = NULL;
    QapiError *err = NULL;
    unsigned options;
    void *saved;

    if (!(flags & QMP_DISPATCH_NEGOTIATION) || !strcmp(name, negotiation_cmd)) {
        cmd = qmp_find_command(cmds, name);
    }
    if (!cmd) {
        qapi_error_set(errp, QAPI_ERR_CLASS_COMMAND_NOT_FOUND,
                       "The command %s has not been found", name);
        return false;
    }
    options = cmd->options;
    if ((options & QMP_CMD_DEPRECATED) &&
        (flags & QMP_DISPATCH_REJECT_DEPRECATED)) {
        qapi_error_set(errp, QAPI_ERR_CLASS_COMMAND_NOT_FOUND,
                       "Deprecated command %s disabled by policy", name);
        return false;
    }
    if ((options & QMP_CMD_UNSTABLE) &&
        (flags & QMP_DISPATCH_REJECT_UNSTABLE)) {
        qapi_error_set(errp, QAPI_ERR_CLASS_COMMAND_NOT_FOUND,
                       "Unstable command %s disabled by policy", name);
        return false;
    }
    if (!cmd->enabled) {
        qapi_error_set(errp, QAPI_ERR_CLASS_COMMAND_NOT_FOUND,
                       "Command %s has been disabled%s%s", name,
                       cmd->disable_reason ? ": " : "",
                       cmd->disable_reason ? cmd->disable_reason : "");
        return false;
    }
    if (oob && !(options & QMP_CMD_ALLOW_OOB)) {
        qapi_error_setg(errp, "The command %s does not support OOB", name);
        return false;
    }
    if ((flags & QMP_DISPATCH_PRECONFIG) &&
        !(options & QMP_CMD_ALLOW_PRECONFIG)) {
        qapi_error_setg(errp,
                        "The command '%s' is permitted only after machine "
                        "initialization has completed",
                        name);
        return false;
    }

    saved = current_ctx;
    current_ctx = ctx;
    if (cmd->fn) {
        cmd->fn(args, out, &err);
    } else {
        cmd->data_fn(args, out, cmd->opaque, &err);
    }
    current_ctx = saved;
    /* The handler may have unregistered its own command: cmd is not used
     * past this point. */
    if (err) {
        qapi_error_propagate(errp, err);
        return false;
    }
    *respond = !(options & QMP_CMD_NO_SUCCESS_RESP);
    return true;
}

/* In negotiation mode, QEMU's monitor rewrites every CommandNotFound. */
static void negotiation_error(unsigned flags, QapiError **err)
{
    if ((flags & QMP_DISPATCH_NEGOTIATION) && *err &&
        qapi_error_get_class(*err) == QAPI_ERR_CLASS_COMMAND_NOT_FOUND) {
        qapi_error_free(*err);
        *err = NULL;
        qapi_error_set(err, QAPI_ERR_CLASS_COMMAND_NOT_FOUND,
                       "Expecting capabilities negotiation with "
                       "'qmp_capabilities'");
    }
}

/* --- checking the request object
 * ---------------------------------------------- */

/* The members of a request that matter, last occurrence of each. */
enum { M_EXECUTE, M_EXEC_OOB, M_ARGUMENTS, M_ID, M_UNKNOWN, M__MAX };

typedef struct ReqMember {
    bool present;
    size_t index;      /* position in the object */
    QapiJsonType type; /* of the value */
    const char *start; /* text: the value */
    size_t len;
    json_t *json; /* jansson: the value */
} ReqMember;

typedef struct Request {
    ReqMember m[M__MAX];
    char *unknown; /* name of the first unknown member */
    bool oob;
} Request;

static int classify(const char *key, size_t len, bool allow_oob)
{
    static const struct {
        const char *name;
        int which;
    } known[] = {
        {"execute", M_EXECUTE},
        {"exec-oob", M_EXEC_OOB},
        {"arguments", M_ARGUMENTS},
        {"id", M_ID},
    };
    size_t i;

    for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        if (strlen(known[i].name) == len && !memcmp(known[i].name, key, len)) {
            if (known[i].which == M_EXEC_OOB && !allow_oob) {
                break;
            }
            return known[i].which;
        }
    }
    return M_UNKNOWN;
}

/*
 * Note member number @index, @which (a M_ value); returns the member to
 * fill, or NULL if it is an unknown member after the first one.
 */
static ReqMember *note_member(Request *req, int which, size_t index,
                              QapiJsonType type)
{
    ReqMember *m = &req->m[which];

    if (which == M_UNKNOWN && m->present) {
        return NULL;
    }
    m->present = true;
    m->index = index;
    m->type = type;
    return m;
}

/* QEMU's qmp_dispatch_check_obj(), over the members in object order. */
static bool check_request(Request *req, QapiError **errp)
{
    int order[M__MAX];
    int n = 0;
    int i;
    int j;
    const char *exec_key = NULL;

    for (i = 0; i < M__MAX; i++) {
        if (req->m[i].present) {
            for (j = n; j > 0 && req->m[order[j - 1]].index > req->m[i].index;
                 j--) {
                order[j] = order[j - 1];
            }
            order[j] = i;
            n++;
        }
    }
    for (i = 0; i < n; i++) {
        const ReqMember *m = &req->m[order[i]];
        const char *key;

        switch (order[i]) {
        case M_EXECUTE:
        case M_EXEC_OOB:
            key = order[i] == M_EXECUTE ? "execute" : "exec-oob";
            if (m->type != QAPI_JSON_STRING) {
                qapi_error_setg(errp, "QMP input member '%s' must be a string",
                                key);
                return false;
            }
            if (exec_key) {
                qapi_error_setg(errp, "QMP input member '%s' clashes with '%s'",
                                key, exec_key);
                return false;
            }
            exec_key = key;
            break;
        case M_ARGUMENTS:
            if (m->type != QAPI_JSON_OBJECT) {
                qapi_error_setg(errp, "QMP input member 'arguments' must be an "
                                      "object");
                return false;
            }
            break;
        case M_ID:
            break;
        default:
            qapi_error_setg(errp, "QMP input member '%s' is unexpected",
                            req->unknown ? req->unknown : "?");
            return false;
        }
    }
    if (!exec_key) {
        qapi_error_setg(errp, "QMP input lacks member 'execute'");
        return false;
    }
    req->oob = !strcmp(exec_key, "exec-oob");
    return true;
}

/* --- text requests
 * ------------------------------------------------------------ */

/* The scanner: on text already validated as JSON, nothing can go wrong. */

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && is_ws(*p)) {
        p++;
    }
    return p;
}

/* @p at the opening quote; returns the end of the string. */
static const char *scan_string(const char *p, const char *end)
{
    for (p++; p < end && *p != '"'; p++) {
        if (*p == '\\') {
            p++;
        }
    }
    return p < end ? p + 1 : end;
}

/* @p at the start of a value; returns its end. */
static const char *scan_value(const char *p, const char *end)
{
    size_t depth = 0;

    if (*p == '"') {
        return scan_string(p, end);
    }
    if (*p != '{' && *p != '[') {
        while (p < end && !is_ws(*p) && *p != ',' && *p != '}' && *p != ']') {
            p++;
        }
        return p;
    }
    while (p < end) {
        if (*p == '"') {
            p = scan_string(p, end);
            continue;
        }
        if (*p == '{' || *p == '[') {
            depth++;
        } else if (*p == '}' || *p == ']') {
            depth--;
        }
        p++;
        if (!depth) {
            break;
        }
    }
    return p;
}

static QapiJsonType type_at(const char *p)
{
    switch (*p) {
    case '{':
        return QAPI_JSON_OBJECT;
    case '[':
        return QAPI_JSON_ARRAY;
    case '"':
        return QAPI_JSON_STRING;
    case 't':
    case 'f':
        return QAPI_JSON_BOOLEAN;
    case 'n':
        return QAPI_JSON_NULL;
    default:
        return QAPI_JSON_NUMBER;
    }
}

/* The JSON string at @p (@len bytes, quotes included) decoded, or NULL if
 * out of memory. */
static char *decode_string(const char *p, size_t len)
{
    QapiInput *in = qapi_input_new_text(p, len);
    char *s = NULL;

    if (in) {
        qapi_input_str(in, &s, NULL);
        qapi_input_free(in);
    }
    return s;
}

/* Validate the whole text; false with the parse error set. */
static bool validate(const char *text, size_t len, QapiError **errp)
{
    QapiInput *in = qapi_input_new_text(text, len);
    bool ok;

    if (!in) {
        qapi_error_setg(errp, "Out of memory");
        return false;
    }
    ok = qapi_input_skip(in, errp) && qapi_input_finish(in, errp);
    qapi_input_free(in);
    return ok;
}

/*
 * Fill @req from valid JSON text.  Returns 1, 0 if the text is not an
 * object, -1 if out of memory.
 */
static int scan_request(Request *req, const char *text, size_t len,
                        bool allow_oob)
{
    const char *end = text + len;
    const char *p = skip_ws(text, end);
    size_t index = 0;

    if (p == end || *p != '{') {
        return 0;
    }
    p = skip_ws(p + 1, end);
    while (p < end && *p == '"') {
        const char *key = p;
        const char *key_end = scan_string(p, end);
        const char *value;
        char *decoded = NULL;
        ReqMember *m;
        int which;

        p = skip_ws(key_end, end);
        value = skip_ws(p + 1, end); /* past ':' */
        p = scan_value(value, end);
        if (memchr(key, '\\', (size_t)(key_end - key))) {
            decoded = decode_string(key, (size_t)(key_end - key));
            if (!decoded) {
                return -1;
            }
            which = classify(decoded, strlen(decoded), allow_oob);
        } else {
            which = classify(key + 1, (size_t)(key_end - key - 2), allow_oob);
        }
        m = note_member(req, which, index++, type_at(value));
        if (m) {
            m->start = value;
            m->len = (size_t)(p - value);
        }
        if (m && which == M_UNKNOWN) {
            req->unknown =
                decoded ? decoded : decode_string(key, (size_t)(key_end - key));
            if (!req->unknown) {
                return -1;
            }
        } else {
            free(decoded);
        }
        p = skip_ws(p, end);
        if (p < end && *p == ',') {
            p = skip_ws(p + 1, end);
        }
    }
    return 1;
}

/* The JSON text at @p (@len bytes) without white space outside strings. */
static char *compact_copy(const char *p, size_t len)
{
    char *out = malloc(len + 1);
    const char *end = p + len;
    size_t n = 0;

    if (!out) {
        return NULL;
    }
    while (p < end) {
        if (*p == '"') {
            const char *s = scan_string(p, end);

            memcpy(out + n, p, (size_t)(s - p));
            n += (size_t)(s - p);
            p = s;
        } else if (is_ws(*p)) {
            p++;
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
    return out;
}

/* Concatenate the NULL-terminated list of strings. */
static char *concat(size_t *lenp, ...)
{
    va_list ap;
    const char *s;
    size_t len = 0;
    char *buf;
    char *p;

    va_start(ap, lenp);
    while ((s = va_arg(ap, const char *)) != NULL) {
        len += strlen(s);
    }
    va_end(ap);
    buf = malloc(len + 1);
    if (!buf) {
        return NULL;
    }
    p = buf;
    va_start(ap, lenp);
    while ((s = va_arg(ap, const char *)) != NULL) {
        size_t n = strlen(s);

        memcpy(p, s, n);
        p += n;
    }
    va_end(ap);
    *p = '\0';
    if (lenp) {
        *lenp = len;
    }
    return buf;
}

/* {"class":...,"desc":...} as text. */
static char *error_object_text(const QapiError *err)
{
    QapiOutput *out = qapi_output_new_text();
    const char *cls = qapi_error_class_name(qapi_error_get_class(err));

    if (!out) {
        return NULL;
    }
    qapi_output_start_object(out);
    qapi_output_member(out, "class");
    qapi_output_str(out, cls ? cls : "GenericError");
    qapi_output_member(out, "desc");
    qapi_output_str(out, qapi_error_get_pretty(err));
    qapi_output_end_object(out);
    return qapi_output_finish_text(out, NULL);
}

char *qmp_error_response(const QapiError *err, size_t *len)
{
    char *obj;
    char *rsp;

    if (!err) {
        return NULL;
    }
    obj = error_object_text(err);
    if (!obj) {
        return NULL;
    }
    rsp = concat(len, "{\"error\":", obj, "}", (const char *)NULL);
    free(obj);
    return rsp;
}

static void request_free(Request *req)
{
    free(req->unknown);
}

int qmp_dispatch(const QmpCommandList *cmds, const char *request, size_t len,
                 unsigned flags, void *ctx, char **response,
                 size_t *response_len)
{
    Request req;
    QapiError *err = NULL;
    char *id = NULL;
    char *name = NULL;
    char *ret = NULL;
    char *rsp = NULL;
    bool respond = true;
    int r;

    QAPI_ARG_ERRNO(response, -1);
    *response = NULL;
    memset(&req, 0, sizeof(req));
    if (!request) {
        request = "";
        len = 0;
    }
    if (!validate(request, len, &err)) {
        goto out;
    }
    r = scan_request(&req, request, len, flags & QMP_DISPATCH_ALLOW_OOB);
    if (r < 0) {
        goto oom;
    }
    if (r == 0) {
        qapi_error_setg(&err, "QMP input must be a JSON object");
        goto out;
    }
    if (req.m[M_ID].present) {
        id = compact_copy(req.m[M_ID].start, req.m[M_ID].len);
        if (!id) {
            goto oom;
        }
    }
    if (check_request(&req, &err)) {
        const ReqMember *exec = &req.m[req.oob ? M_EXEC_OOB : M_EXECUTE];
        const ReqMember *a = &req.m[M_ARGUMENTS];
        QapiInput *args;
        QapiOutput *out;

        name = decode_string(exec->start, exec->len);
        args = a->present ? qapi_input_new_text(a->start, a->len)
                          : qapi_input_new_text("{}", 2);
        out = qapi_output_new_text();
        if (!name || !args || !out) {
            qapi_input_free(args);
            qapi_output_free(out);
            goto oom;
        }
        if (run_command(cmds, flags, ctx, name, req.oob, args, out, &respond,
                        &err)) {
            ret = qapi_output_finish_text(out, NULL);
            if (!ret) {
                qapi_input_free(args);
                goto oom;
            }
        } else {
            qapi_output_free(out);
        }
        qapi_input_free(args);
    }
    negotiation_error(flags, &err);

out:
    if (err) {
        char *obj = error_object_text(err);

        if (obj) {
            rsp = concat(response_len, "{\"error\":", obj, id ? ",\"id\":" : "",
                         id ? id : "", "}", (const char *)NULL);
            free(obj);
        }
    } else if (respond) {
        rsp =
            concat(response_len, "{\"return\":", *ret ? ret : "{}",
                   id ? ",\"id\":" : "", id ? id : "", "}", (const char *)NULL);
    }
    r = err || respond ? (rsp ? 1 : -1) : 0;
    qapi_error_free(err);
    request_free(&req);
    free(id);
    free(name);
    free(ret);
    *response = rsp;
    return r;

oom:
    qapi_error_free(err);
    err = NULL;
    qapi_error_setg(&err, "Out of memory");
    goto out;
}

bool qmp_is_oob(const char *request, size_t len)
{
    Request req;
    bool oob;

    if (!request || !validate(request, len, NULL)) {
        return false;
    }
    memset(&req, 0, sizeof(req));
    oob = scan_request(&req, request, len, true) > 0 &&
          req.m[M_EXEC_OOB].present && !req.m[M_EXECUTE].present;
    request_free(&req);
    return oob;
}

/* --- jansson requests
 * ------------------------------------------------------------- */

static QapiJsonType json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return QAPI_JSON_OBJECT;
    case JSON_ARRAY:
        return QAPI_JSON_ARRAY;
    case JSON_STRING:
        return QAPI_JSON_STRING;
    case JSON_INTEGER:
    case JSON_REAL:
        return QAPI_JSON_NUMBER;
    case JSON_TRUE:
    case JSON_FALSE:
        return QAPI_JSON_BOOLEAN;
    default:
        return QAPI_JSON_NULL;
    }
}

static json_t *json_error_object(const QapiError *err)
{
    const char *cls = qapi_error_class_name(qapi_error_get_class(err));

    return json_pack("{s:s, s:s}", "class", cls ? cls : "GenericError", "desc",
                     qapi_error_get_pretty(err));
}

int qmp_dispatch_json(const QmpCommandList *cmds, json_t *request,
                      unsigned flags, void *ctx, json_t **response)
{
    Request req;
    QapiError *err = NULL;
    json_t *ret = NULL;
    json_t *rsp = NULL;
    json_t *id = NULL;
    bool respond = true;
    const char *key;
    json_t *value;
    size_t index = 0;
    int r;

    QAPI_ARG_ERRNO(response, -1);
    *response = NULL;
    memset(&req, 0, sizeof(req));
    if (!json_is_object(request)) {
        qapi_error_setg(&err, "QMP input must be a JSON object");
        goto out;
    }
    id = json_object_get(request, "id");
    json_object_foreach(request, key, value)
    {
        int which = classify(key, strlen(key), flags & QMP_DISPATCH_ALLOW_OOB);
        ReqMember *m = note_member(&req, which, index++, json_kind(value));

        if (m) {
            m->json = value;
            if (which == M_UNKNOWN) {
                req.unknown = strdup(key);
                if (!req.unknown) {
                    goto oom;
                }
            }
        }
    }
    if (check_request(&req, &err)) {
        const ReqMember *exec = &req.m[req.oob ? M_EXEC_OOB : M_EXECUTE];
        json_t *a = req.m[M_ARGUMENTS].present
                        ? json_incref(req.m[M_ARGUMENTS].json)
                        : json_object();
        QapiInput *args = a ? qapi_input_new_json(a) : NULL;
        QapiOutput *out = qapi_output_new_json();

        if (!args || !out) {
            qapi_input_free(args);
            qapi_output_free(out);
            json_decref(a);
            goto oom;
        }
        if (run_command(cmds, flags, ctx, json_string_value(exec->json),
                        req.oob, args, out, &respond, &err)) {
            /* NULL: nothing written (or out of memory, which cannot be
             * told apart): {} */
            ret = qapi_output_finish_json(out);
        } else {
            qapi_output_free(out);
        }
        qapi_input_free(args);
        json_decref(a);
    }
    negotiation_error(flags, &err);

out:
    if (err) {
        json_t *obj = json_error_object(err);

        rsp = obj ? json_object() : NULL;
        if (rsp && json_object_set_new(rsp, "error", obj) < 0) {
            json_decref(rsp);
            rsp = NULL;
        } else if (!rsp) {
            json_decref(obj);
        }
    } else if (respond) {
        if (!ret) {
            ret = json_object();
        }
        rsp = ret ? json_object() : NULL;
        if (rsp && json_object_set(rsp, "return", ret) < 0) {
            json_decref(rsp);
            rsp = NULL;
        }
    }
    if (rsp && id && json_object_set(rsp, "id", id) < 0) {
        json_decref(rsp);
        rsp = NULL;
    }
    r = err || respond ? (rsp ? 1 : -1) : 0;
    json_decref(ret);
    qapi_error_free(err);
    request_free(&req);
    *response = rsp;
    return r;

oom:
    qapi_error_free(err);
    err = NULL;
    qapi_error_setg(&err, "Out of memory");
    goto out;
}

/* --- built-in commands and helpers
 * ------------------------------------------------ */

bool qmp_marshal_no_args(QapiInput *args, QapiError **errp)
{
    const char *key;
    int r;

    if (!qapi_input_start_object(args, errp)) {
        return false;
    }
    r = qapi_input_next_member(args, &key, errp);
    if (r > 0) {
        qapi_input_error_unexpected(args, errp);
    }
    if (r != 0) {
        return false;
    }
    qapi_input_end_object(args);
    return qapi_input_finish(args, errp);
}

static void query_commands(QapiInput *args, QapiOutput *out, void *opaque,
                           QapiError **errp)
{
    const QmpCommandList *cmds = opaque;
    size_t i;

    if (!qmp_marshal_no_args(args, errp)) {
        return;
    }
    qapi_output_start_array(out);
    for (i = cmds->n; i-- > 0;) {
        if (cmds->cmds[i]->enabled) {
            qapi_output_start_object(out);
            qapi_output_member(out, "name");
            qapi_output_str(out, cmds->cmds[i]->name);
            qapi_output_end_object(out);
        }
    }
    qapi_output_end_array(out);
}

int qmp_register_query_commands(QmpCommandList *cmds, unsigned options)
{
    QAPI_ARG_ERRNO(cmds, -1);
    return qmp_register_command_data(cmds, "query-commands", query_commands,
                                     cmds, options);
}

static void lit_out(QapiOutput *out, const QapiLit *lit)
{
    const QapiLitPair *pair;
    const QapiLit *elt;

    switch (lit->type) {
    case QAPI_LIT_NULL:
        qapi_output_null(out);
        break;
    case QAPI_LIT_BOOL:
        qapi_output_bool(out, lit->u.b);
        break;
    case QAPI_LIT_STR:
        qapi_output_str(out, lit->u.str);
        break;
    case QAPI_LIT_LIST:
        qapi_output_start_array(out);
        for (elt = lit->u.list; elt->type != QAPI_LIT_END; elt++) {
            lit_out(out, elt);
        }
        qapi_output_end_array(out);
        break;
    case QAPI_LIT_OBJECT:
        qapi_output_start_object(out);
        for (pair = lit->u.object; pair->key; pair++) {
            qapi_output_member(out, pair->key);
            lit_out(out, &pair->value);
        }
        qapi_output_end_object(out);
        break;
    case QAPI_LIT_END:
        break;
    }
}

static void query_qmp_schema(QapiInput *args, QapiOutput *out, void *opaque,
                             QapiError **errp)
{
    if (!qmp_marshal_no_args(args, errp)) {
        return;
    }
    lit_out(out, opaque);
}

int qmp_register_query_qmp_schema(QmpCommandList *cmds, const QapiLit *schema,
                                  unsigned options)
{
    QAPI_ARG_ERRNO(cmds && schema, -1);
    /* The literal is only read: the cast is safe. */
    return qmp_register_command_data(cmds, "query-qmp-schema", query_qmp_schema,
                                     (void *)schema, options);
}
