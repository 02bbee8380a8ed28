/*
 * input.c - QapiInput, the part common to JSON text and jansson values:
 * the walk's bookkeeping, member paths, integer ranges and error messages.
 * See qapi/input.h for the API and input-impl.h for the split.
 */
#include "input-impl.h"

#include "args-impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Word used as the path of the root value itself. */
#define ROOT_PATH "<root>"

/* Kept as the parse error when its message cannot be allocated. */
static char fatal_nomem[] = "out of memory";

/* --- strings for messages ------------------------------------------------- */

static bool sb_reserve(QapiStrBuf *sb, size_t more)
{
    size_t cap;
    char *buf;

    if (sb->failed) {
        return false;
    }
    if (sb->cap - sb->len > more) {
        return true;
    }
    cap = sb->cap ? sb->cap : 64;
    while (cap - sb->len <= more) {
        if (cap > SIZE_MAX / 2) {
            sb->failed = true;
            return false;
        }
        cap *= 2;
    }
    buf = realloc(sb->buf, cap);
    if (!buf) {
        sb->failed = true;
        return false;
    }
    sb->buf = buf;
    sb->cap = cap;
    return true;
}

void qapi_sb_append(QapiStrBuf *sb, const char *s, size_t len)
{
    if (!sb_reserve(sb, len)) {
        return;
    }
    memcpy(sb->buf + sb->len, s, len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
}

void qapi_sb_append_key(QapiStrBuf *sb, const char *key, size_t len,
                        bool escaped)
{
    if (sb->len) {
        qapi_sb_append(sb, ".", 1);
    }
    if (!escaped) {
        qapi_sb_append(sb, key, len);
        return;
    }
    /* Decoding never makes a JSON string longer. */
    if (!sb_reserve(sb, len)) {
        return;
    }
    sb->len += qapi_json_unescape(key, len, sb->buf + sb->len);
    sb->buf[sb->len] = '\0';
}

void qapi_sb_append_index(QapiStrBuf *sb, size_t idx)
{
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "[%zu]", idx);

    qapi_sb_append(sb, buf, (size_t)n);
}

const char *qapi_sb_path(QapiStrBuf *sb)
{
    if (sb->failed) {
        return "?";
    }
    return sb->len ? sb->buf : ROOT_PATH;
}

void qapi_sb_free(QapiStrBuf *sb)
{
    free(sb->buf);
    sb->buf = NULL;
    sb->len = sb->cap = 0;
}

/* --- paths ---------------------------------------------------------------- */

void qapi_input_path(QapiInput *in, bool current, QapiStrBuf *sb)
{
    size_t n = current ? in->depth : (in->depth ? in->depth - 1 : 0);
    size_t i;

    for (i = 0; i < n; i++) {
        const QapiInputFrame *f = &in->frames[i];

        if (!f->count || f->done) {
            break; /* no current member: only possible for the top */
        }
        if (f->kind == QAPI_JSON_OBJECT) {
            qapi_sb_append_key(sb, f->key, f->key_len, f->key_escaped);
        } else {
            qapi_sb_append_index(sb, f->count - 1);
        }
    }
}

/* Path of the current value (@current) or of @member of the innermost
 * object (!@current), in @sb; returns the string to print. */
static const char *path_of(QapiInput *in, bool current, const char *member,
                           QapiStrBuf *sb)
{
    qapi_input_path(in, current, sb);
    if (member) {
        qapi_sb_append_key(sb, member, strlen(member), false);
    }
    return qapi_sb_path(sb);
}

/* The errors about a value, by kind: one place formats them all. */
typedef enum PathError {
    PATH_ERR_MISSING,
    PATH_ERR_UNEXPECTED,
    PATH_ERR_DUPLICATE,
    PATH_ERR_TYPE,
    PATH_ERR_VALUE,
    PATH_ERR_RANGE,
} PathError;

/*
 * Set error @kind about the current value (@current), or about @member of
 * the current object; @detail is the expected type or the bad value.
 */
static void path_error(QapiInput *in, bool current, const char *member,
                       PathError kind, const char *detail, QapiError **errp)
{
    QapiStrBuf sb = {0};
    const char *path;

    if (!errp || *errp) {
        return;
    }
    path = path_of(in, current, member, &sb);
    switch (kind) {
    case PATH_ERR_MISSING:
        qapi_error_setg(errp, "Parameter '%s' is missing", path);
        break;
    case PATH_ERR_UNEXPECTED:
        qapi_error_setg(errp, "Parameter '%s' is unexpected", path);
        break;
    case PATH_ERR_DUPLICATE:
        qapi_error_setg(errp, "Parameter '%s' is duplicated", path);
        break;
    case PATH_ERR_TYPE:
        qapi_error_setg(errp, "Invalid parameter type for '%s', expected: %s",
                        path, detail);
        break;
    case PATH_ERR_VALUE:
        qapi_error_setg(errp, "Parameter '%s' does not accept value '%s'", path,
                        detail);
        break;
    case PATH_ERR_RANGE:
        qapi_error_setg(errp, "Parameter '%s' expects %s", path, detail);
        break;
    }
    qapi_sb_free(&sb);
}

void qapi_input_error_missing(QapiInput *in, const char *member,
                              QapiError **errp)
{
    QAPI_ARG_CHECK(in, errp, "argument 'in' is NULL", );
    QAPI_ARG_CHECK(member, errp, "argument 'member' is NULL", );
    path_error(in, false, member, PATH_ERR_MISSING, NULL, errp);
}

void qapi_input_error_unexpected(QapiInput *in, QapiError **errp)
{
    QAPI_ARG_CHECK(in, errp, "argument 'in' is NULL", );
    path_error(in, true, NULL, PATH_ERR_UNEXPECTED, NULL, errp);
}

void qapi_input_error_duplicate(QapiInput *in, QapiError **errp)
{
    QAPI_ARG_CHECK(in, errp, "argument 'in' is NULL", );
    path_error(in, true, NULL, PATH_ERR_DUPLICATE, NULL, errp);
}

void qapi_input_error_type(QapiInput *in, const char *expected,
                           QapiError **errp)
{
    QAPI_ARG_CHECK(in, errp, "argument 'in' is NULL", );
    QAPI_ARG_CHECK(expected, errp, "argument 'expected' is NULL", );
    path_error(in, true, NULL, PATH_ERR_TYPE, expected, errp);
}

void qapi_input_error_value(QapiInput *in, const char *value, QapiError **errp)
{
    QAPI_ARG_CHECK(in, errp, "argument 'in' is NULL", );
    QAPI_ARG_CHECK(value, errp, "argument 'value' is NULL", );
    path_error(in, true, NULL, PATH_ERR_VALUE, value, errp);
}

void qapi_input_error_member_value(QapiInput *in, const char *member,
                                   const char *value, QapiError **errp)
{
    QAPI_ARG_CHECK(in, errp, "argument 'in' is NULL", );
    QAPI_ARG_CHECK(member, errp, "argument 'member' is NULL", );
    QAPI_ARG_CHECK(value, errp, "argument 'value' is NULL", );
    path_error(in, false, member, PATH_ERR_VALUE, value, errp);
}

void qapi_input_member_type_error(QapiInput *in, const char *member,
                                  const char *expected, QapiError **errp)
{
    path_error(in, false, member, PATH_ERR_TYPE, expected, errp);
}

void qapi_input_range_error(QapiInput *in, const char *type, QapiError **errp)
{
    path_error(in, true, NULL, PATH_ERR_RANGE, type, errp);
}

/* --- parse errors --------------------------------------------------------- */

void qapi_input_fatal(QapiInput *in, QapiError **errp, const char *fmt, ...)
{
    va_list ap;
    int len;
    char *msg = NULL;

    if (in->fatal) {
        qapi_input_refail(in, errp);
        return;
    }
    va_start(ap, fmt);
    len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len >= 0) {
        msg = malloc((size_t)len + 1);
    }
    if (msg) {
        va_start(ap, fmt);
        vsnprintf(msg, (size_t)len + 1, fmt, ap);
        va_end(ap);
    }
    in->fatal = msg ? msg : fatal_nomem;
    qapi_input_refail(in, errp);
}

void qapi_input_refail(QapiInput *in, QapiError **errp)
{
    qapi_error_setg(errp, "%s", in->fatal ? in->fatal : "invalid input");
}

/* --- frames --------------------------------------------------------------- */

void qapi_input_init(QapiInput *in, const QapiInputOps *ops)
{
    in->ops = ops;
    in->pending = true;
    in->fatal = NULL;
    in->frames = in->inline_frames;
    in->depth = 0;
    in->frames_cap = QAPI_INPUT_INLINE_FRAMES;
    in->found = NULL;
}

QapiInputFrame *qapi_input_push(QapiInput *in, QapiJsonType kind,
                                QapiError **errp)
{
    QapiInputFrame *f;

    if (in->depth == in->frames_cap) {
        size_t cap = in->frames_cap * 2;
        QapiInputFrame *frames;

        if (in->frames == in->inline_frames) {
            frames = malloc(cap * sizeof(*frames));
            if (frames) {
                memcpy(frames, in->frames, in->depth * sizeof(*frames));
            }
        } else {
            frames = realloc(in->frames, cap * sizeof(*frames));
        }
        if (!frames) {
            qapi_input_fatal(in, errp, "out of memory");
            return NULL;
        }
        in->frames = frames;
        in->frames_cap = cap;
    }
    f = &in->frames[in->depth++];
    f->kind = kind;
    f->done = false;
    f->key_escaped = false;
    f->count = 0;
    f->key = NULL;
    f->key_len = 0;
    f->start = 0;
    f->json = NULL;
    f->iter = NULL;
    return f;
}

const char *qapi_input_keep(QapiInput *in, const char *s, size_t len)
{
    QapiInputFound *found = malloc(sizeof(*found) + len + 1);

    if (!found) {
        return NULL;
    }
    memcpy(found->str, s, len);
    found->str[len] = '\0';
    found->depth = in->depth;
    found->next = in->found;
    in->found = found;
    return found->str;
}

static void pop_frame(QapiInput *in)
{
    while (in->found && in->found->depth >= in->depth) {
        QapiInputFound *next = in->found->next;

        free(in->found);
        in->found = next;
    }
    in->depth--;
    in->pending = false;
}

/* --- life cycle ----------------------------------------------------------- */

/* Is there a value to read?  Sets an error if not. */
static inline bool have_value(QapiInput *in, QapiError **errp)
{
    if (in->pending && !in->fatal) {
        return true;
    }
    if (in->fatal) {
        qapi_input_refail(in, errp);
    } else {
        QapiStrBuf sb = {0};

        if (errp && !*errp) {
            qapi_error_setg(errp, "Parameter '%s' is missing",
                            path_of(in, true, NULL, &sb));
            qapi_sb_free(&sb);
        }
    }
    return false;
}

static void end_container(QapiInput *in, QapiJsonType kind)
{
    QapiInputFrame *f;

    if (!in || !in->depth) {
        return;
    }
    f = &in->frames[in->depth - 1];
    if (f->kind != kind) {
        return;
    }
    if (!in->fatal) {
        if (in->pending && in->ops->skip(in, NULL)) {
            in->pending = false;
        }
        if (!in->fatal) {
            in->ops->end(in, f);
        }
    }
    pop_frame(in);
}

bool qapi_input_finish(QapiInput *in, QapiError **errp)
{
    QAPI_ARG_CHECK(in, errp, "argument 'in' is NULL", false);
    while (in->depth && !in->fatal) {
        end_container(in, in->frames[in->depth - 1].kind);
    }
    if (in->fatal) {
        qapi_input_refail(in, errp);
        return false;
    }
    if (in->pending) {
        if (!in->ops->skip(in, errp)) {
            return false;
        }
        in->pending = false;
    }
    return in->ops->finish(in, errp);
}

void qapi_input_free(QapiInput *in)
{
    if (!in) {
        return;
    }
    while (in->found) {
        QapiInputFound *next = in->found->next;

        free(in->found);
        in->found = next;
    }
    if (in->frames != in->inline_frames) {
        free(in->frames);
    }
    if (in->fatal != fatal_nomem) {
        free(in->fatal);
    }
    in->ops->free(in);
}

QapiJsonType qapi_input_peek(QapiInput *in)
{
    if (!in || !in->pending || in->fatal) {
        return QAPI_JSON_INVALID;
    }
    return in->ops->peek(in);
}

/* --- objects and arrays --------------------------------------------------- */

static bool start_container(QapiInput *in, QapiJsonType kind, QapiError **errp)
{
    if (!have_value(in, errp) || !in->ops->start(in, kind, errp)) {
        return false;
    }
    in->pending = false;
    return true;
}

/* The top frame if it is a container of @kind, else NULL with an error. */
static QapiInputFrame *top_frame(QapiInput *in, QapiJsonType kind,
                                 QapiError **errp)
{
    QapiInputFrame *f;

    if (in->fatal) {
        qapi_input_refail(in, errp);
        return NULL;
    }
    f = in->depth ? &in->frames[in->depth - 1] : NULL;
    if (!f || f->kind != kind) {
        qapi_error_setg(errp, "qapi_input: no %s is open",
                        kind == QAPI_JSON_OBJECT ? "object" : "array");
        return NULL;
    }
    return f;
}

bool qapi_input_start_object(QapiInput *in, QapiError **errp)
{
    QAPI_ARG_CHECK(in, errp, "argument 'in' is NULL", false);
    return start_container(in, QAPI_JSON_OBJECT, errp);
}

int qapi_input_next_member(QapiInput *in, const char **key, QapiError **errp)
{
    QapiInputFrame *f;
    int r;

    QAPI_ARG_CHECK(in, errp, "argument 'in' is NULL", -1);
    QAPI_ARG_CHECK(key, errp, "argument 'key' is NULL", -1);
    f = top_frame(in, QAPI_JSON_OBJECT, errp);
    if (!f) {
        return -1;
    }
    if (f->done) {
        return 0;
    }
    if (in->pending) {
        /* The previous member's value was left unread. */
        if (!in->ops->skip(in, errp)) {
            return -1;
        }
        in->pending = false;
    }
    r = in->ops->next_member(in, f, key, errp);
    if (r > 0) {
        f->count++;
        in->pending = true;
    } else if (r == 0) {
        f->done = true;
    }
    return r;
}

void qapi_input_end_object(QapiInput *in)
{
    end_container(in, QAPI_JSON_OBJECT);
}

int qapi_input_find_string(QapiInput *in, const char *name, const char **value,
                           QapiError **errp)
{
    QapiInputFrame *f;

    QAPI_ARG_CHECK(in, errp, "argument 'in' is NULL", -1);
    QAPI_ARG_CHECK(name, errp, "argument 'name' is NULL", -1);
    QAPI_ARG_CHECK(value, errp, "argument 'value' is NULL", -1);
    f = top_frame(in, QAPI_JSON_OBJECT, errp);
    if (!f) {
        return -1;
    }
    return in->ops->find_string(in, f, name, value, errp);
}

bool qapi_input_start_array(QapiInput *in, QapiError **errp)
{
    QAPI_ARG_CHECK(in, errp, "argument 'in' is NULL", false);
    return start_container(in, QAPI_JSON_ARRAY, errp);
}

int qapi_input_next_element(QapiInput *in, QapiError **errp)
{
    QapiInputFrame *f;
    int r;

    QAPI_ARG_CHECK(in, errp, "argument 'in' is NULL", -1);
    f = top_frame(in, QAPI_JSON_ARRAY, errp);
    if (!f) {
        return -1;
    }
    if (f->done) {
        return 0;
    }
    if (in->pending) {
        if (!in->ops->skip(in, errp)) {
            return -1;
        }
        in->pending = false;
    }
    r = in->ops->next_element(in, f, errp);
    if (r > 0) {
        f->count++;
        in->pending = true;
    } else if (r == 0) {
        f->done = true;
    }
    return r;
}

void qapi_input_end_array(QapiInput *in)
{
    end_container(in, QAPI_JSON_ARRAY);
}

/* --- scalars -------------------------------------------------------------- */

bool qapi_input_int(QapiInput *in, int64_t min, int64_t max, const char *type,
                    int64_t *value, QapiError **errp)
{
    bool neg;
    uint64_t mag;
    int64_t v;
    int r;

    QAPI_ARG_CHECK(in, errp, "argument 'in' is NULL", false);
    QAPI_ARG_CHECK(value, errp, "argument 'value' is NULL", false);
    QAPI_ARG_CHECK(min <= max, errp, "range with min > max", false);
    if (!type) {
        type = "integer"; /* only named in the range error */
    }
    if (!have_value(in, errp)) {
        return false;
    }
    r = in->ops->integer(in, false, &neg, &mag, errp);
    if (r < 0) {
        return false;
    }
    if (r == 0) {
        goto range;
    }
    if (neg) {
        if (mag > (uint64_t)INT64_MAX + 1) {
            goto range;
        }
        v = mag ? -(int64_t)(mag - 1) - 1 : 0;
    } else {
        if (mag > (uint64_t)INT64_MAX) {
            goto range;
        }
        v = (int64_t)mag;
    }
    if (v < min || v > max) {
        goto range;
    }
    in->ops->commit(in);
    in->pending = false;
    *value = v;
    return true;

range:
    qapi_input_range_error(in, type, errp);
    return false;
}

bool qapi_input_uint(QapiInput *in, uint64_t max, const char *type,
                     uint64_t *value, QapiError **errp)
{
    bool neg;
    uint64_t mag;
    int r;

    QAPI_ARG_CHECK(in, errp, "argument 'in' is NULL", false);
    QAPI_ARG_CHECK(value, errp, "argument 'value' is NULL", false);
    if (!type) {
        type = "integer"; /* only named in the range error */
    }
    if (!have_value(in, errp)) {
        return false;
    }
    r = in->ops->integer(in, true, &neg, &mag, errp);
    if (r < 0) {
        return false;
    }
    if (r == 0 || (neg && mag) || mag > max) {
        qapi_input_range_error(in, type, errp);
        return false;
    }
    in->ops->commit(in);
    in->pending = false;
    *value = mag;
    return true;
}

bool qapi_input_number(QapiInput *in, double *value, QapiError **errp)
{
    QAPI_ARG_CHECK(in, errp, "argument 'in' is NULL", false);
    QAPI_ARG_CHECK(value, errp, "argument 'value' is NULL", false);
    if (!have_value(in, errp) || !in->ops->number(in, value, errp)) {
        return false;
    }
    in->pending = false;
    return true;
}

bool qapi_input_bool(QapiInput *in, bool *value, QapiError **errp)
{
    QAPI_ARG_CHECK(in, errp, "argument 'in' is NULL", false);
    QAPI_ARG_CHECK(value, errp, "argument 'value' is NULL", false);
    if (!have_value(in, errp) || !in->ops->boolean(in, value, errp)) {
        return false;
    }
    in->pending = false;
    return true;
}

bool qapi_input_str(QapiInput *in, char **value, QapiError **errp)
{
    const char *s;
    size_t len;
    char *copy;

    QAPI_ARG_CHECK(in, errp, "argument 'in' is NULL", false);
    QAPI_ARG_CHECK(value, errp, "argument 'value' is NULL", false);
    if (!have_value(in, errp) || !in->ops->string(in, &s, &len, errp)) {
        return false;
    }
    in->pending = false;
    copy = malloc(len + 1);
    if (!copy) {
        qapi_error_setg(errp, "out of memory");
        return false;
    }
    memcpy(copy, s, len);
    copy[len] = '\0';
    *value = copy;
    return true;
}

bool qapi_input_null(QapiInput *in, QapiError **errp)
{
    QAPI_ARG_CHECK(in, errp, "argument 'in' is NULL", false);
    if (!have_value(in, errp) || !in->ops->null(in, errp)) {
        return false;
    }
    in->pending = false;
    return true;
}

bool qapi_input_any(QapiInput *in, json_t **value, QapiError **errp)
{
    QAPI_ARG_CHECK(in, errp, "argument 'in' is NULL", false);
    QAPI_ARG_CHECK(value, errp, "argument 'value' is NULL", false);
    if (!have_value(in, errp) || !in->ops->any(in, value, errp)) {
        return false;
    }
    in->pending = false;
    return true;
}

bool qapi_input_enum(QapiInput *in, const QapiEnumLookup *lookup, int *value,
                     QapiError **errp)
{
    const char *s;
    size_t len;
    int i;

    QAPI_ARG_CHECK(in, errp, "argument 'in' is NULL", false);
    QAPI_ARG_CHECK(lookup && (lookup->array || lookup->size == 0) &&
                       lookup->size >= 0,
                   errp, "invalid enum lookup table", false);
    QAPI_ARG_CHECK(value, errp, "argument 'value' is NULL", false);
    if (!have_value(in, errp) || !in->ops->string(in, &s, &len, errp)) {
        return false;
    }
    in->pending = false;
    for (i = 0; i < lookup->size; i++) {
        const char *name = lookup->array[i];

        if (name && name[0] == s[0] && !strcmp(name, s)) {
            *value = i;
            return true;
        }
    }
    qapi_input_error_value(in, s, errp);
    return false;
}

bool qapi_input_skip(QapiInput *in, QapiError **errp)
{
    QAPI_ARG_CHECK(in, errp, "argument 'in' is NULL", false);
    if (!have_value(in, errp) || !in->ops->skip(in, errp)) {
        return false;
    }
    in->pending = false;
    return true;
}
