/*
 * input-impl.h - private: the parts of QapiInput shared by its two
 * implementations (JSON text in input-text.c, jansson values in
 * input-json.c).  Not installed.
 *
 * input.c owns the public functions: it checks the walk (is there a current
 * value?), keeps the stack of open objects and arrays, builds member paths
 * for error messages and does the range checks of integers.  The
 * implementations only look at values, through QapiInputOps.
 */
#ifndef QAPI_INPUT_IMPL_H
#define QAPI_INPUT_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qapi/input.h"

/* Deepest nesting of objects and arrays accepted, counting the root. */
#define QAPI_INPUT_MAX_DEPTH 1024

/* Frames kept inside QapiInput before the stack moves to the heap. */
#define QAPI_INPUT_INLINE_FRAMES 16

/* One open object or array. */
typedef struct QapiInputFrame {
    QapiJsonType kind; /* QAPI_JSON_OBJECT or QAPI_JSON_ARRAY */
    bool done;         /* its end was reached */
    bool key_escaped;  /* text: key is raw JSON string text with escapes */
    size_t count;      /* members / elements returned so far */
    const char *key;   /* name of the current member (objects) */
    size_t key_len;    /* its length in bytes */
    size_t start;      /* text: offset just after the opening brace */
    json_t *json;      /* json: the container */
    void *iter;        /* json: iterator of the next member */
} QapiInputFrame;

/* A string found by qapi_input_find_string(), freed with its object. */
typedef struct QapiInputFound {
    struct QapiInputFound *next;
    size_t depth; /* the frame count when it was found */
    char str[];
} QapiInputFound;

typedef struct QapiInputOps {
    QapiJsonType (*peek)(QapiInput *in);
    /* Enter the current value (type checked) and push its frame. */
    bool (*start)(QapiInput *in, QapiJsonType kind, QapiError **errp);
    /* 1 and *key set / 0 at the end / -1 on error (frame is the top). */
    int (*next_member)(QapiInput *in, QapiInputFrame *f, const char **key,
                       QapiError **errp);
    int (*next_element)(QapiInput *in, QapiInputFrame *f, QapiError **errp);
    /* Leave the top frame (it is popped by the caller). */
    void (*end)(QapiInput *in, QapiInputFrame *f);
    /* *value must stay valid until the frame is left (see
     * qapi_input_keep()). */
    int (*find_string)(QapiInput *in, QapiInputFrame *f, const char *name,
                       const char **value, QapiError **errp);
    /*
     * Integers, in two steps so that a value out of range stays unread:
     * classify returns 1 with *neg and *mag set, 0 if the magnitude exceeds
     * UINT64_MAX, -1 with an error set; commit then consumes it.
     * @big_string: a uint64 read from jansson also takes a string of digits.
     */
    int (*integer)(QapiInput *in, bool big_string, bool *neg, uint64_t *mag,
                   QapiError **errp);
    void (*commit)(QapiInput *in);
    bool (*number)(QapiInput *in, double *value, QapiError **errp);
    bool (*boolean)(QapiInput *in, bool *value, QapiError **errp);
    /* Borrowed string (valid until the next call), without NUL bytes. */
    bool (*string)(QapiInput *in, const char **value, size_t *len,
                   QapiError **errp);
    bool (*null)(QapiInput *in, QapiError **errp);
    bool (*any)(QapiInput *in, json_t **value, QapiError **errp);
    bool (*skip)(QapiInput *in, QapiError **errp);
    /* After the walk, all frames closed. */
    bool (*finish)(QapiInput *in, QapiError **errp);
    void (*free)(QapiInput *in);
} QapiInputOps;

/* Common part: the first member of each implementation's struct. */
struct QapiInput {
    const QapiInputOps *ops;
    bool pending;           /* there is a current value, not yet read */
    char *fatal;            /* message of a parse error, sticky */
    QapiInputFrame *frames; /* open containers, [0] outermost */
    size_t depth;           /* number of frames */
    size_t frames_cap;
    QapiInputFound *found;
    QapiInputFrame inline_frames[QAPI_INPUT_INLINE_FRAMES];
};

/* Fill the common part of a new input. */
void qapi_input_init(QapiInput *in, const QapiInputOps *ops);

/* Push a frame for a container of @kind; NULL (error set) if out of memory.
 * The depth limit is checked by the caller. */
QapiInputFrame *qapi_input_push(QapiInput *in, QapiJsonType kind,
                                QapiError **errp);

/*
 * Growing string for messages.  Out of memory marks it failed and
 * qapi_sb_path() then returns "?".
 */
typedef struct QapiStrBuf {
    char *buf;
    size_t len;
    size_t cap;
    bool failed;
} QapiStrBuf;

void qapi_sb_append(QapiStrBuf *sb, const char *s, size_t len);
/* Append one path segment: ".key" ("key" if @sb is empty) or "[index]".
 * @escaped: @key is raw JSON string text, decoded on the way. */
void qapi_sb_append_key(QapiStrBuf *sb, const char *key, size_t len,
                        bool escaped);
void qapi_sb_append_index(QapiStrBuf *sb, size_t idx);
/* The path in @sb: "<root>" if empty, "?" if memory ran out. */
const char *qapi_sb_path(QapiStrBuf *sb);
void qapi_sb_free(QapiStrBuf *sb);

/*
 * Append to @sb the path of the current value (@current) or of the
 * innermost open container (!@current).
 */
void qapi_input_path(QapiInput *in, bool current, QapiStrBuf *sb);

/* Copy @len bytes at @s into storage freed when the top frame is left;
 * NULL if out of memory. */
const char *qapi_input_keep(QapiInput *in, const char *s, size_t len);

/* "Parameter 'PATH' expects TYPE" for the current value. */
void qapi_input_range_error(QapiInput *in, const char *type, QapiError **errp);

/* Type error for member @member of the innermost open object. */
void qapi_input_member_type_error(QapiInput *in, const char *member,
                                  const char *expected, QapiError **errp);

/*
 * Set a parse error: the message is kept and every later call on the input
 * fails with it.
 */
void qapi_input_fatal(QapiInput *in, QapiError **errp, const char *fmt, ...)
    QAPI_PRINTF(3, 4);
/* Report the kept parse error again. */
void qapi_input_refail(QapiInput *in, QapiError **errp);

/* Decode a JSON string body already validated by the text parser into
 * @out, which has room for @len bytes; returns the decoded length. */
size_t qapi_json_unescape(const char *raw, size_t len, char *out);

#endif /* QAPI_INPUT_IMPL_H */
