/*
 * Internals of the QMP server (runtime/qmp-server*.c), not installed.
 *
 * QmpStreamer splits a byte stream into QMP messages the way QEMU's JSON
 * lexer, streamer and parser do (qobject/json-lexer.c, json-streamer.c,
 * json-parser.c), so that a client sees the same responses for the same
 * bytes, garbage included:
 *
 *   - tokens as QEMU lexes them: "double" and 'single' quoted strings
 *     (bytes 0x20..0xFD, any escaped byte), numbers
 *     -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? (after a leading
 *     "0" only "." continues the number), keywords [a-z]+, the six
 *     structural characters, white space " \t\r\n";
 *   - a byte that fits no token is a lexical error: the error is
 *     "JSON parse error, stray 'TEXT'" (TEXT: the token so far and the
 *     byte), the message so far is dropped, and input is skipped up to
 *     the next structural character, control character other than tab,
 *     or byte 0xFE/0xFF (which is then lexed again);
 *   - a message ends with the token that brings the count of open
 *     braces and brackets back to zero, or makes either negative (a
 *     scalar at the top level is a message by itself);
 *   - a complete message is parsed, with QEMU's error texts: "JSON parse
 *     error, expecting value", "..., invalid keyword 'foo'", "..., key is
 *     not a string in object", "..., missing : in object pair", "...,
 *     expected separator in dict", "..., expected separator in list",
 *     "..., duplicate key", "..., invalid escape sequence in string",
 *     "..., invalid UTF-8 sequence in string", "..., \uXXXX is not a valid
 *     Unicode character", "..., premature EOI".
 *
 * Limits: more than 1024 open braces and brackets is the error "JSON
 * nesting depth limit exceeded", a message longer than the configured
 * maximum (bytes from its first token on) "JSON token size limit
 * exceeded"; after either, the rest of that message is skipped without
 * further errors (QEMU instead restarts parsing in its middle, which
 * yields an error for every stray closing bracket), and nothing of it is
 * kept in memory.
 *
 * A valid message is handed out as strict RFC 8259 text (single-quoted
 * strings and the escape \' rewritten), ready for qmp_dispatch().
 */
#ifndef QMP_SERVER_IMPL_H
#define QMP_SERVER_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Not exported from libqapi (tests compile qmp-server-json.c in). */
#if defined(__GNUC__)
#define QMP_INTERNAL __attribute__((visibility("hidden")))
#else
#define QMP_INTERNAL
#endif

/* QEMU's MAX_NESTING. */
#define QMP_STREAM_MAX_NESTING 1024

typedef enum QmpStreamKind {
    QMP_STREAM_NONE,    /* the input was consumed, no message is complete */
    QMP_STREAM_MESSAGE, /* a valid message: text, len, oob */
    QMP_STREAM_ERROR,   /* a malformed one: error */
} QmpStreamKind;

typedef struct QmpStreamItem {
    QmpStreamKind kind;
    const char *text; /* MESSAGE: JSON text, NUL-terminated */
    size_t len;
    bool oob;          /* MESSAGE: an object with "exec-oob", no "execute" */
    const char *error; /* ERROR: the error message (may hold any byte but
                        * NUL; the server makes its output ASCII) */
} QmpStreamItem;

typedef struct QmpKeyEntry QmpKeyEntry;
typedef struct QmpFrame QmpFrame;

typedef struct QmpStreamer {
    size_t max_size;
    /* lexer */
    int state;
    size_t tok_start; /* offset in msg of the token being lexed */
    /* 64 bits: a skipped message may nest past 2^31 (no limit there) */
    int64_t brace, bracket;
    bool skipping;  /* dropping the rest of an over-limit message */
    bool need_norm; /* the message has 'strings' or \' escapes */
    bool out_of_memory;
    /* the current message, from its first token on */
    char *msg;
    size_t msg_len, msg_cap;
    /* parser */
    QmpFrame *frames;
    size_t n_frames, frames_cap;
    int perr;          /* first parse error (PE_*), 0 if none */
    char *perr_text;   /* its detail, when it has one */
    bool done;         /* the top-level value is complete */
    bool top_execute;  /* the top-level object has "execute" */
    bool top_exec_oob; /* ... and "exec-oob" */
    /* decoded keys of the open objects */
    char *keys;
    size_t keys_len, keys_cap;
    QmpKeyEntry *entries;
    size_t n_entries, entries_cap;
    /* what the last item points to */
    char *norm;
    size_t norm_cap;
    char *err;
    bool reset_pending; /* drop msg at the next feed */
} QmpStreamer;

/* @max_size: the longest message accepted, in bytes (0: 1 MiB). */
QMP_INTERNAL void qmp_streamer_init(QmpStreamer *st, size_t max_size);
QMP_INTERNAL void qmp_streamer_destroy(QmpStreamer *st);
/* Forget any partial message and lexer state. */
QMP_INTERNAL void qmp_streamer_reset(QmpStreamer *st);

/*
 * Consume bytes from @buf (@len of them) until one message or error is
 * complete or the input is used up.  Returns the number of bytes
 * consumed (it may be less than @len only when an item is returned) and
 * fills @item, whose pointers stay valid until the next call.  Out of
 * memory, the message being read is dropped with the error "Out of
 * memory".
 */
QMP_INTERNAL size_t qmp_streamer_feed(QmpStreamer *st, const char *buf,
                                      size_t len, QmpStreamItem *item);

/* True if a message has been started and not completed. */
QMP_INTERNAL bool qmp_streamer_pending(const QmpStreamer *st);

/*
 * Append @len bytes of JSON text to @out, escaping DEL and every byte >=
 * 0x80 as \uXXXX (a surrogate pair beyond U+FFFF) the way QEMU writes its
 * output; an invalid UTF-8 sequence becomes \uFFFD.  Such bytes can only
 * occur inside strings in JSON text, so the result is the same JSON, in
 * printable ASCII.
 * @out must have room for qmp_ascii_size(text, len) bytes; returns the
 * bytes written.
 */
QMP_INTERNAL size_t qmp_ascii_size(const char *text, size_t len);
QMP_INTERNAL size_t qmp_ascii_copy(char *out, const char *text, size_t len);

#endif /* QMP_SERVER_IMPL_H */
