/*
 * The QMP server's input side: a streaming lexer and an incremental
 * parser that split bytes into messages as QEMU does, and its output
 * side's ASCII escaping.  See qmp-server-impl.h for the rules.
 *
 * The lexer runs one byte at a time (with fast paths through string
 * bodies and through skipped input), keeps the bytes of the current
 * message, and feeds every completed token to the parser, which keeps
 * the first error it finds.  When the token that completes the message
 * arrives, the message is handed out, or the parser's error is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qmp-server-impl.h"

/* Lexer states. */
enum {
    L_START,
    L_DQ,     /* in a "string" */
    L_DQ_ESC, /* after its backslash */
    L_SQ,     /* in a 'string' */
    L_SQ_ESC,
    L_ZERO,   /* "0" or "-0" */
    L_DIGITS, /* integer digits */
    L_SIGN,   /* "-" */
    L_MANT,   /* after "." */
    L_MANT_DIGITS,
    L_EXP_E,    /* after "e" */
    L_EXP_SIGN, /* after "e+" */
    L_EXP_DIGITS,
    L_KEYWORD,
    L_RECOVERY, /* skipping input after a lexical error */
};

/* Tokens. */
enum {
    T_LCURLY,
    T_RCURLY,
    T_LSQUARE,
    T_RSQUARE,
    T_COMMA,
    T_COLON,
    T_STRING,
    T_NUMBER,
    T_KEYWORD,
};

/* Parse errors, in QEMU's words (after "JSON parse error, "). */
enum {
    PE_NONE,
    PE_EXPECTING_VALUE,
    PE_INVALID_KEYWORD,
    PE_KEY_NOT_STRING,
    PE_MISSING_COLON,
    PE_SEP_DICT,
    PE_SEP_LIST,
    PE_DUPLICATE,
    PE_BAD_ESCAPE,
    PE_BAD_UTF8,
    PE_BAD_UNICODE,
    PE_EOI,
    PE_OOM,
};

/* Parser frames: what the innermost open value expects next. */
enum {
    F_TOP,       /* the message's value */
    F_OBJ_START, /* after "{": a key or "}" */
    F_OBJ_KEY,   /* after ",": a key */
    F_OBJ_COLON, /* after a key: ":" */
    F_OBJ_VALUE, /* after ":": a value */
    F_OBJ_NEXT,  /* after a member: "," or "}" */
    F_ARR_START, /* after "[": a value or "]" */
    F_ARR_VALUE, /* after ",": a value */
    F_ARR_NEXT,  /* after an element: "," or "]" */
};

struct QmpKeyEntry {
    size_t off; /* in st->keys */
    size_t len;
    uint64_t hash;
};

/* Objects with more keys than this get a hash table for "duplicate key". */
#define KEYS_LINEAR 16

struct QmpFrame {
    int state;
    size_t keys_base;    /* st->keys_len when the frame was opened */
    size_t entries_base; /* the object's first key entry */
    size_t pending;      /* entry of the key whose value is being read */
    uint32_t *table;     /* entry index + 1, 0 for empty */
    size_t table_size;   /* a power of two */
    size_t table_used;
};

/* Messages larger than this give their buffer back when done. */
#define MSG_KEEP 65536

static const char msg_too_big[] = "JSON token size limit exceeded";
static const char msg_too_deep[] = "JSON nesting depth limit exceeded";
static const char msg_oom[] = "Out of memory";

void qmp_streamer_init(QmpStreamer *st, size_t max_size)
{
    memset(st, 0, sizeof(*st));
    st->max_size = max_size ? max_size : (size_t)1 << 20;
    st->state = L_START;
}

static void parser_reset(QmpStreamer *st)
{
    size_t i;

    for (i = 0; i < st->n_frames; i++) {
        free(st->frames[i].table);
    }
    st->n_frames = 0;
    st->perr = PE_NONE;
    free(st->perr_text);
    st->perr_text = NULL;
    st->done = false;
    st->top_execute = false;
    st->top_exec_oob = false;
    st->keys_len = 0;
    st->n_entries = 0;
}

void qmp_streamer_destroy(QmpStreamer *st)
{
    parser_reset(st);
    free(st->frames);
    free(st->keys);
    free(st->entries);
    free(st->msg);
    free(st->norm);
    free(st->err);
    memset(st, 0, sizeof(*st));
}

/* Drop the message being read (the lexer state is the caller's). */
static void drop_message(QmpStreamer *st)
{
    parser_reset(st);
    st->brace = 0;
    st->bracket = 0;
    st->need_norm = false;
    st->msg_len = 0;
    if (st->msg_cap > MSG_KEEP) {
        free(st->msg);
        st->msg = NULL;
        st->msg_cap = 0;
    }
}

void qmp_streamer_reset(QmpStreamer *st)
{
    drop_message(st);
    st->state = L_START;
    st->skipping = false;
    st->reset_pending = false;
}

bool qmp_streamer_pending(const QmpStreamer *st)
{
    return st->skipping || (st->msg_len > 0 && !st->reset_pending) ||
           (st->state != L_START && st->state != L_RECOVERY);
}

/* --- items ---------------------------------------------------------------- */

static void set_error_text(QmpStreamer *st, const char *text,
                           QmpStreamItem *item)
{
    free(st->err);
    st->err = strdup(text);
    item->kind = QMP_STREAM_ERROR;
    item->error = st->err ? st->err : msg_oom;
}

/* "JSON parse error, stray 'TEXT'" for @n bytes at @p and byte @c. */
static void stray_error(QmpStreamer *st, const char *p, size_t n,
                        unsigned char c, QmpStreamItem *item)
{
    static const char head[] = "JSON parse error, stray '";
    size_t hl = sizeof(head) - 1;
    char *e;

    free(st->err);
    st->err = NULL;
    e = malloc(hl + n + 3);
    if (!e) {
        item->kind = QMP_STREAM_ERROR;
        item->error = msg_oom;
        return;
    }
    memcpy(e, head, hl);
    if (n) {
        memcpy(e + hl, p, n);
    }
    if (c) {
        e[hl + n++] = (char)c;
    }
    /* (QEMU prints the token with %s: a NUL byte prints as nothing.) */
    e[hl + n] = '\'';
    e[hl + n + 1] = '\0';
    st->err = e;
    item->kind = QMP_STREAM_ERROR;
    item->error = e;
}

/* --- strings -------------------------------------------------------------- */

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Four hex digits at @p (not past @end), or -1. */
static long hex4(const unsigned char *p, const unsigned char *end)
{
    long v = 0;
    int i;

    for (i = 0; i < 4; i++) {
        int d = p + i < end ? hex_value(p[i]) : -1;

        if (d < 0) {
            return -1;
        }
        v = (v << 4) | d;
    }
    return v;
}

/* QEMU's notion of a code point it accepts (qemu's is_valid_codepoint). */
static bool valid_code_point(long cp)
{
    if (cp < 0 || cp > 0x10FFFF) {
        return false;
    }
    if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
        return false; /* noncharacter */
    }
    return !(cp >= 0xD800 && cp <= 0xDFFF);
}

/*
 * Decode one UTF-8 sequence at @p (before @end) as QEMU's
 * mod_utf8_codepoint() does: -1 for an invalid one (overlong forms but
 * "\xC0\x80" for U+0000, surrogates, noncharacters, beyond U+10FFFF);
 * *next is where decoding stopped.
 */
static long utf8_decode(const unsigned char *p, const unsigned char *end,
                        const unsigned char **next)
{
    static const unsigned long min_cp[5] = {0x80, 0x800, 0x10000, 0x200000,
                                            0x4000000};
    unsigned byte = *p++;
    unsigned long cp;
    unsigned n = 0;
    unsigned mask;
    unsigned i;

    if (byte < 0x80) {
        *next = p;
        return (long)byte;
    }
    if (byte >= 0xFE || !(byte & 0x40)) {
        *next = p;
        return -1;
    }
    for (mask = 0x80; byte & mask; mask >>= 1) {
        n++;
    }
    cp = byte & (mask - 1);
    for (i = 1; i < n; i++) {
        if (p >= end || (*p & 0xC0) != 0x80) {
            *next = p;
            return -1;
        }
        cp = (cp << 6) | (*p++ & 0x3F);
    }
    *next = p;
    if (cp > 0x10FFFF || !valid_code_point((long)cp)) {
        return -1;
    }
    if (cp < min_cp[n - 2] && !(cp == 0 && n == 2)) {
        return -1; /* overlong */
    }
    return (long)cp;
}

/* UTF-8 of @cp into @buf (U+0000 as "\xC0\x80"); returns the length. */
static size_t utf8_encode(char *buf, long cp)
{
    if (cp > 0 && cp < 0x80) {
        buf[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        buf[0] = (char)(0xC0 | (cp >> 6));
        buf[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        buf[0] = (char)(0xE0 | (cp >> 12));
        buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    buf[0] = (char)(0xF0 | (cp >> 18));
    buf[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    buf[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    buf[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static bool keys_append(QmpStreamer *st, const void *p, size_t n)
{
    if (st->keys_len + n > st->keys_cap) {
        size_t cap = st->keys_cap ? st->keys_cap : 256;
        char *grown;

        while (cap < st->keys_len + n) {
            cap *= 2;
        }
        grown = realloc(st->keys, cap);
        if (!grown) {
            return false;
        }
        st->keys = grown;
        st->keys_cap = cap;
    }
    memcpy(st->keys + st->keys_len, p, n);
    st->keys_len += n;
    return true;
}

/*
 * Check the string token @s (@len bytes, quotes included) as QEMU's
 * parse_string() does; if @store, append its decoded bytes to st->keys.
 * Returns PE_NONE or the error (PE_BAD_UNICODE with st->perr_text set).
 */
static int check_string(QmpStreamer *st, const char *s, size_t len, bool store)
{
    const unsigned char *tok_end = (const unsigned char *)s + len;
    const unsigned char *end = tok_end - 1; /* the closing quote */
    const unsigned char *p = (const unsigned char *)s + 1;

    while (p < end) {
        const unsigned char *run = p;

        /* Plain ASCII runs: nothing to check. */
        while (p < end && *p < 0x80 && *p != '\\') {
            p++;
        }
        if (store && p > run && !keys_append(st, run, (size_t)(p - run))) {
            return PE_OOM;
        }
        if (p >= end) {
            break;
        }
        if (*p == '\\') {
            const unsigned char *beg = p;
            char c;
            char buf[4];
            size_t n;
            long cp;

            p++;
            switch (*p++) {
            case '"':
                c = '"';
                break;
            case '\'':
                c = '\'';
                break;
            case '\\':
                c = '\\';
                break;
            case '/':
                c = '/';
                break;
            case 'b':
                c = '\b';
                break;
            case 'f':
                c = '\f';
                break;
            case 'n':
                c = '\n';
                break;
            case 'r':
                c = '\r';
                break;
            case 't':
                c = '\t';
                break;
            case 'u':
                cp = hex4(p, tok_end);
                p += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF && p + 1 < tok_end &&
                    p[0] == '\\' && p[1] == 'u') {
                    long trail = hex4(p + 2, tok_end);

                    cp = 0x10000 + ((cp & 0x3FF) << 10);
                    if (trail >= 0xDC00 && trail <= 0xDFFF) {
                        cp |= trail & 0x3FF;
                        p += 6;
                    } else {
                        cp = -1;
                    }
                }
                if (!valid_code_point(cp)) {
                    const unsigned char *stop = p < tok_end ? p : tok_end;
                    size_t tl = (size_t)(stop - beg);

                    st->perr_text = malloc(tl + 1);
                    if (!st->perr_text) {
                        return PE_OOM;
                    }
                    memcpy(st->perr_text, beg, tl);
                    st->perr_text[tl] = '\0';
                    return PE_BAD_UNICODE;
                }
                if (store) {
                    n = utf8_encode(buf, cp);
                    if (!keys_append(st, buf, n)) {
                        return PE_OOM;
                    }
                }
                continue;
            default:
                return PE_BAD_ESCAPE;
            }
            if (store && !keys_append(st, &c, 1)) {
                return PE_OOM;
            }
        } else {
            const unsigned char *next;

            if (utf8_decode(p, end, &next) < 0) {
                return PE_BAD_UTF8;
            }
            if (store && !keys_append(st, p, (size_t)(next - p))) {
                return PE_OOM;
            }
            p = next;
        }
    }
    return PE_NONE;
}

/* --- parser --------------------------------------------------------------- */

static void parse_error(QmpStreamer *st, int err)
{
    if (!st->perr) {
        st->perr = err;
    }
}

static bool push_frame(QmpStreamer *st, int state)
{
    QmpFrame *f;

    if (st->n_frames == st->frames_cap) {
        size_t cap = st->frames_cap ? 2 * st->frames_cap : 16;
        QmpFrame *grown = realloc(st->frames, cap * sizeof(*grown));

        if (!grown) {
            parse_error(st, PE_OOM);
            return false;
        }
        st->frames = grown;
        st->frames_cap = cap;
    }
    f = &st->frames[st->n_frames++];
    memset(f, 0, sizeof(*f));
    f->state = state;
    f->keys_base = st->keys_len;
    f->entries_base = st->n_entries;
    return true;
}

static void pop_frame(QmpStreamer *st)
{
    QmpFrame *f = &st->frames[--st->n_frames];

    free(f->table);
    st->keys_len = f->keys_base;
    st->n_entries = f->entries_base;
}

static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u;
    size_t i;

    for (i = 0; i < n; i++) {
        h = (h ^ (unsigned char)p[i]) * 0x100000001b3u;
    }
    return h;
}

static bool same_key(const QmpStreamer *st, const QmpKeyEntry *a,
                     const QmpKeyEntry *b)
{
    /* (keys is still NULL after only empty keys) */
    return a->hash == b->hash && a->len == b->len &&
           (!a->len || !memcmp(st->keys + a->off, st->keys + b->off, a->len));
}

/* Insert entry @idx into @f's table, which has room. */
static void table_insert(QmpStreamer *st, QmpFrame *f, size_t idx)
{
    size_t mask = f->table_size - 1;
    size_t i = (size_t)st->entries[idx].hash & mask;

    while (f->table[i]) {
        i = (i + 1) & mask;
    }
    f->table[i] = (uint32_t)(idx + 1);
    f->table_used++;
}

/* (Re)build @f's table for its keys before @upto; false if out of memory. */
static bool table_build(QmpStreamer *st, QmpFrame *f, size_t upto)
{
    size_t count = upto - f->entries_base;
    size_t size = 64;
    size_t i;
    uint32_t *table;

    while (size < 4 * (count + 1)) {
        size *= 2;
    }
    table = calloc(size, sizeof(*table));
    if (!table) {
        return false;
    }
    free(f->table);
    f->table = table;
    f->table_size = size;
    f->table_used = 0;
    for (i = f->entries_base; i < upto; i++) {
        table_insert(st, f, i);
    }
    return true;
}

/* Is the pending key of @f a duplicate?  Records it if not. */
static int check_duplicate(QmpStreamer *st, QmpFrame *f)
{
    const QmpKeyEntry *k = &st->entries[f->pending];
    size_t i;

    if (!f->table && f->pending - f->entries_base <= KEYS_LINEAR) {
        for (i = f->entries_base; i < f->pending; i++) {
            if (same_key(st, k, &st->entries[i])) {
                return PE_DUPLICATE;
            }
        }
        return PE_NONE;
    }
    if (!f->table && !table_build(st, f, f->pending)) {
        return PE_OOM;
    }
    for (i = (size_t)k->hash & (f->table_size - 1); f->table[i];
         i = (i + 1) & (f->table_size - 1)) {
        if (same_key(st, k, &st->entries[f->table[i] - 1])) {
            return PE_DUPLICATE;
        }
    }
    if (2 * (f->table_used + 1) > f->table_size &&
        !table_build(st, f, f->pending)) {
        return PE_OOM;
    }
    table_insert(st, f, f->pending);
    return PE_NONE;
}

/* A value just ended; the innermost frame is its container. */
static void value_done(QmpStreamer *st, bool is_key_string)
{
    QmpFrame *f = &st->frames[st->n_frames - 1];
    int err;

    switch (f->state) {
    case F_TOP:
        st->done = true;
        break;
    case F_OBJ_START:
    case F_OBJ_KEY:
        if (!is_key_string) {
            parse_error(st, PE_KEY_NOT_STRING);
            return;
        }
        f->pending = st->n_entries - 1;
        f->state = F_OBJ_COLON;
        break;
    case F_OBJ_VALUE:
        err = check_duplicate(st, f);
        if (err) {
            parse_error(st, err);
            return;
        }
        if (st->n_frames == 2) {
            const QmpKeyEntry *k = &st->entries[f->pending];
            /* (keys is still NULL after only empty keys) */
            const char *key = k->len ? st->keys + k->off : "";

            if (k->len == 7 && !memcmp(key, "execute", 7)) {
                st->top_execute = true;
            } else if (k->len == 8 && !memcmp(key, "exec-oob", 8)) {
                st->top_exec_oob = true;
            }
        }
        f->state = F_OBJ_NEXT;
        break;
    default: /* F_ARR_START, F_ARR_VALUE */
        f->state = F_ARR_NEXT;
        break;
    }
}

/* One token of the message, @tok (@len bytes), as QEMU's parser sees it. */
static void parse_token(QmpStreamer *st, int type, const char *tok, size_t len)
{
    QmpFrame *f;
    bool key;
    int err;

    if (st->perr || st->done) {
        return;
    }
    if (!st->n_frames && !push_frame(st, F_TOP)) {
        return;
    }
    f = &st->frames[st->n_frames - 1];
    switch (f->state) {
    case F_OBJ_NEXT:
        if (type == T_COMMA) {
            f->state = F_OBJ_KEY;
        } else if (type == T_RCURLY) {
            pop_frame(st);
            value_done(st, false);
        } else {
            parse_error(st, PE_SEP_DICT);
        }
        return;
    case F_ARR_NEXT:
        if (type == T_COMMA) {
            f->state = F_ARR_VALUE;
        } else if (type == T_RSQUARE) {
            pop_frame(st);
            value_done(st, false);
        } else {
            parse_error(st, PE_SEP_LIST);
        }
        return;
    case F_OBJ_COLON:
        if (type == T_COLON) {
            f->state = F_OBJ_VALUE;
        } else {
            parse_error(st, PE_MISSING_COLON);
        }
        return;
    case F_OBJ_START:
        if (type == T_RCURLY) {
            pop_frame(st);
            value_done(st, false);
            return;
        }
        break;
    case F_ARR_START:
        if (type == T_RSQUARE) {
            pop_frame(st);
            value_done(st, false);
            return;
        }
        break;
    default:
        break;
    }

    /* A value (in key position too: QEMU parses any value there). */
    switch (type) {
    case T_LCURLY:
        push_frame(st, F_OBJ_START);
        break;
    case T_LSQUARE:
        push_frame(st, F_ARR_START);
        break;
    case T_STRING:
        key = f->state == F_OBJ_START || f->state == F_OBJ_KEY;
        if (key) {
            size_t off = st->keys_len;

            err = check_string(st, tok, len, true);
            if (!err && st->n_entries == st->entries_cap) {
                size_t cap = st->entries_cap ? 2 * st->entries_cap : 32;
                QmpKeyEntry *grown = realloc(st->entries, cap * sizeof(*grown));

                if (grown) {
                    st->entries = grown;
                    st->entries_cap = cap;
                } else {
                    err = PE_OOM;
                }
            }
            if (!err) {
                QmpKeyEntry *k = &st->entries[st->n_entries++];

                k->off = off;
                k->len = st->keys_len - off;
                /* (keys is still NULL after only empty keys) */
                k->hash = hash_bytes(k->len ? st->keys + off : "", k->len);
            }
        } else {
            err = check_string(st, tok, len, false);
        }
        if (err) {
            parse_error(st, err);
        } else {
            value_done(st, key);
        }
        break;
    case T_NUMBER:
        value_done(st, false);
        break;
    case T_KEYWORD:
        if ((len == 4 && !memcmp(tok, "true", 4)) ||
            (len == 5 && !memcmp(tok, "false", 5)) ||
            (len == 4 && !memcmp(tok, "null", 4))) {
            value_done(st, false);
        } else {
            parse_error(st, PE_INVALID_KEYWORD);
            st->perr_text = malloc(len + 1);
            if (st->perr_text) {
                memcpy(st->perr_text, tok, len);
                st->perr_text[len] = '\0';
            }
        }
        break;
    default:
        parse_error(st, PE_EXPECTING_VALUE);
        break;
    }
}

static void parse_error_item(QmpStreamer *st, QmpStreamItem *item)
{
    static const char *const what[] = {
        [PE_EXPECTING_VALUE] = "expecting value",
        [PE_INVALID_KEYWORD] = "invalid keyword '%s'",
        [PE_KEY_NOT_STRING] = "key is not a string in object",
        [PE_MISSING_COLON] = "missing : in object pair",
        [PE_SEP_DICT] = "expected separator in dict",
        [PE_SEP_LIST] = "expected separator in list",
        [PE_DUPLICATE] = "duplicate key",
        [PE_BAD_ESCAPE] = "invalid escape sequence in string",
        [PE_BAD_UTF8] = "invalid UTF-8 sequence in string",
        [PE_BAD_UNICODE] = "%s is not a valid Unicode character",
        [PE_EOI] = "premature EOI",
    };
    static const char head[] = "JSON parse error, ";
    const char *detail = st->perr_text ? st->perr_text : "";
    const char *fmt;
    size_t n;

    if (st->perr == PE_OOM) {
        set_error_text(st, msg_oom, item);
        return;
    }
    fmt = what[st->perr];
    n = sizeof(head) + strlen(fmt) + strlen(detail);
    free(st->err);
    st->err = malloc(n);
    if (!st->err) {
        item->kind = QMP_STREAM_ERROR;
        item->error = msg_oom;
        return;
    }
    memcpy(st->err, head, sizeof(head) - 1);
    /* Format strings of the table above: one %s at most. */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
    snprintf(st->err + sizeof(head) - 1, n - (sizeof(head) - 1), fmt, detail);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
    item->kind = QMP_STREAM_ERROR;
    item->error = st->err;
}

/* Rewrite 'strings' and \' escapes of the message as RFC 8259 JSON. */
static bool normalize(QmpStreamer *st, QmpStreamItem *item)
{
    const char *p = st->msg;
    const char *end = st->msg + st->msg_len;
    size_t need = 2 * st->msg_len + 1;
    char *o;

    if (need > st->norm_cap) {
        char *grown = realloc(st->norm, need);

        if (!grown) {
            return false;
        }
        st->norm = grown;
        st->norm_cap = need;
    }
    o = st->norm;
    while (p < end) {
        char quote = *p;

        if (quote != '"' && quote != '\'') {
            *o++ = *p++;
            continue;
        }
        *o++ = '"';
        p++;
        while (*p != quote) {
            if (*p == '\\') {
                if (p[1] == '\'') {
                    *o++ = '\'';
                } else {
                    *o++ = '\\';
                    *o++ = p[1];
                }
                p += 2;
            } else if (*p == '"') {
                /* only in a 'string' */
                *o++ = '\\';
                *o++ = '"';
                p++;
            } else {
                *o++ = *p++;
            }
        }
        *o++ = '"';
        p++;
    }
    *o = '\0';
    item->text = st->norm;
    item->len = (size_t)(o - st->norm);
    return true;
}

/* The token that completes the message arrived. */
static void finish_message(QmpStreamer *st, QmpStreamItem *item)
{
    if (!st->perr && !st->done) {
        st->perr = PE_EOI;
    }
    if (st->perr) {
        parse_error_item(st, item);
    } else {
        item->kind = QMP_STREAM_MESSAGE;
        item->oob = st->top_exec_oob && !st->top_execute;
        /* msg always has room for the terminator (see put()). */
        st->msg[st->msg_len] = '\0';
        item->text = st->msg;
        item->len = st->msg_len;
        if (st->need_norm && !normalize(st, item)) {
            set_error_text(st, msg_oom, item);
        }
    }
    parser_reset(st);
    st->brace = 0;
    st->bracket = 0;
    st->need_norm = false;
    st->reset_pending = true;
}

/* --- lexer ---------------------------------------------------------------- */

/*
 * Start skipping the current message after a limit was hit: @what is
 * the error to report.
 */
static void start_skipping(QmpStreamer *st, const char *what,
                           QmpStreamItem *item)
{
    int64_t brace = st->brace;
    int64_t bracket = st->bracket;

    drop_message(st);
    st->brace = brace;
    st->bracket = bracket;
    st->skipping = true;
    set_error_text(st, what, item);
}

/*
 * Keep @n bytes of the message.  Returns false when that would exceed
 * the limit or memory runs out: the message is then being skipped and
 * @item holds the error.
 */
static bool put(QmpStreamer *st, const char *p, size_t n, QmpStreamItem *item)
{
    if (st->skipping) {
        return true;
    }
    if (st->msg_len + n > st->max_size) {
        start_skipping(st, msg_too_big, item);
        return false;
    }
    if (st->msg_len + n + 1 > st->msg_cap) {
        size_t cap = st->msg_cap ? st->msg_cap : 256;
        char *grown;

        while (cap < st->msg_len + n + 1) {
            cap *= 2;
        }
        if (cap > st->max_size + 1) {
            cap = st->max_size + 1;
        }
        grown = realloc(st->msg, cap);
        if (!grown) {
            start_skipping(st, msg_oom, item);
            return false;
        }
        st->msg = grown;
        st->msg_cap = cap;
    }
    memcpy(st->msg + st->msg_len, p, n);
    st->msg_len += n;
    return true;
}

/*
 * A token ended (its bytes are msg[tok_start, msg_len)).  Returns true
 * when that produced an item.
 */
static bool token_end(QmpStreamer *st, int type, QmpStreamItem *item)
{
    switch (type) {
    case T_LCURLY:
        st->brace++;
        break;
    case T_RCURLY:
        st->brace--;
        break;
    case T_LSQUARE:
        st->bracket++;
        break;
    case T_RSQUARE:
        st->bracket--;
        break;
    default:
        break;
    }
    if (st->skipping) {
        if (st->brace <= 0 && st->bracket <= 0) {
            st->skipping = false;
            st->brace = 0;
            st->bracket = 0;
        }
        return false;
    }
    if (st->brace + st->bracket > QMP_STREAM_MAX_NESTING) {
        start_skipping(st, msg_too_deep, item);
        return true;
    }
    parse_token(st, type, st->msg + st->tok_start, st->msg_len - st->tok_start);
    if ((st->brace > 0 || st->bracket > 0) && st->brace >= 0 &&
        st->bracket >= 0) {
        return false;
    }
    finish_message(st, item);
    return true;
}

/* A lexical error at byte @c (consumed). */
static void lex_error(QmpStreamer *st, unsigned char c, QmpStreamItem *item)
{
    if (st->skipping || !st->msg) {
        /* The token so far was not kept: report the byte alone. */
        stray_error(st, NULL, 0, c, item);
    } else {
        stray_error(st, st->msg + st->tok_start, st->msg_len - st->tok_start, c,
                    item);
    }
    st->skipping = false;
    drop_message(st);
    st->reset_pending = false;
    st->state = L_RECOVERY;
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* Does @c end recovery from a lexical error (without being consumed)? */
static bool ends_recovery(unsigned char c)
{
    switch (c) {
    case '[':
    case ']':
    case '{':
    case '}':
    case ':':
    case ',':
    case 0xFE:
    case 0xFF:
        return true;
    case '\t':
        return false;
    default:
        return c < 0x20;
    }
}

size_t qmp_streamer_feed(QmpStreamer *st, const char *buf, size_t len,
                         QmpStreamItem *item)
{
    size_t i = 0;

    memset(item, 0, sizeof(*item));
    item->kind = QMP_STREAM_NONE;
    if (st->reset_pending) {
        st->reset_pending = false;
        drop_message(st);
    }
    while (i < len) {
        unsigned char c = (unsigned char)buf[i];
        bool ok;
        int type;

        switch (st->state) {
        case L_START:
            switch (c) {
            case ' ':
            case '\t':
            case '\r':
            case '\n':
                /* Kept inside a message only. */
                if (st->msg_len && !put(st, buf + i, 1, item)) {
                    return i + 1;
                }
                i++;
                continue;
            case '{':
                type = T_LCURLY;
                break;
            case '}':
                type = T_RCURLY;
                break;
            case '[':
                type = T_LSQUARE;
                break;
            case ']':
                type = T_RSQUARE;
                break;
            case ',':
                type = T_COMMA;
                break;
            case ':':
                type = T_COLON;
                break;
            default:
                st->tok_start = st->msg_len;
                if (c == '"') {
                    st->state = L_DQ;
                } else if (c == '\'') {
                    st->state = L_SQ;
                    st->need_norm = true;
                } else if (c == '0') {
                    st->state = L_ZERO;
                } else if (c >= '1' && c <= '9') {
                    st->state = L_DIGITS;
                } else if (c == '-') {
                    st->state = L_SIGN;
                } else if (c >= 'a' && c <= 'z') {
                    st->state = L_KEYWORD;
                } else {
                    lex_error(st, c, item);
                    return i + 1;
                }
                i++;
                if (!put(st, (const char *)&c, 1, item)) {
                    return i;
                }
                continue;
            }
            /* A structural character: a token by itself (counted even
             * when it goes over the limit: skipping needs the count). */
            st->tok_start = st->msg_len;
            i++;
            ok = put(st, (const char *)&c, 1, item);
            if (token_end(st, type, item) || !ok) {
                return i;
            }
            continue;

        case L_DQ:
        case L_SQ: {
            char quote = st->state == L_DQ ? '"' : '\'';
            size_t j = i;

            while (j < len) {
                unsigned char d = (unsigned char)buf[j];

                if (d < 0x20 || d > 0xFD || d == '\\' ||
                    d == (unsigned char)quote) {
                    break;
                }
                j++;
            }
            if (j > i) {
                size_t run = j - i;

                i = j;
                if (!put(st, buf + j - run, run, item)) {
                    return i;
                }
                continue;
            }
            i++;
            if (c == '\\') {
                st->state = st->state == L_DQ ? L_DQ_ESC : L_SQ_ESC;
                if (!put(st, (const char *)&c, 1, item)) {
                    return i;
                }
                continue;
            }
            if (c == (unsigned char)quote) {
                st->state = L_START;
                ok = put(st, (const char *)&c, 1, item);
                if (token_end(st, T_STRING, item) || !ok) {
                    return i;
                }
                continue;
            }
            lex_error(st, c, item);
            return i;
        }

        case L_DQ_ESC:
        case L_SQ_ESC:
            i++;
            if (c < 0x20 || c > 0xFD) {
                lex_error(st, c, item);
                return i;
            }
            if (c == '\'') {
                st->need_norm = true;
            }
            st->state = st->state == L_DQ_ESC ? L_DQ : L_SQ;
            if (!put(st, (const char *)&c, 1, item)) {
                return i;
            }
            continue;

        case L_SIGN:
            if (c == '0') {
                st->state = L_ZERO;
            } else if (c >= '1' && c <= '9') {
                st->state = L_DIGITS;
            } else {
                lex_error(st, c, item);
                return i + 1;
            }
            break;
        case L_ZERO:
            if (is_digit(c)) {
                lex_error(st, c, item);
                return i + 1;
            }
            if (c == '.') {
                st->state = L_MANT;
                break;
            }
            st->state = L_START;
            if (token_end(st, T_NUMBER, item)) {
                return i;
            }
            continue;
        case L_DIGITS:
            if (is_digit(c)) {
                break;
            }
            if (c == '.') {
                st->state = L_MANT;
                break;
            }
            if (c == 'e' || c == 'E') {
                st->state = L_EXP_E;
                break;
            }
            st->state = L_START;
            if (token_end(st, T_NUMBER, item)) {
                return i;
            }
            continue;
        case L_MANT:
            if (!is_digit(c)) {
                lex_error(st, c, item);
                return i + 1;
            }
            st->state = L_MANT_DIGITS;
            break;
        case L_MANT_DIGITS:
            if (is_digit(c)) {
                break;
            }
            if (c == 'e' || c == 'E') {
                st->state = L_EXP_E;
                break;
            }
            st->state = L_START;
            if (token_end(st, T_NUMBER, item)) {
                return i;
            }
            continue;
        case L_EXP_E:
            if (c == '+' || c == '-') {
                st->state = L_EXP_SIGN;
            } else if (is_digit(c)) {
                st->state = L_EXP_DIGITS;
            } else {
                lex_error(st, c, item);
                return i + 1;
            }
            break;
        case L_EXP_SIGN:
            if (!is_digit(c)) {
                lex_error(st, c, item);
                return i + 1;
            }
            st->state = L_EXP_DIGITS;
            break;
        case L_EXP_DIGITS:
            if (is_digit(c)) {
                break;
            }
            st->state = L_START;
            if (token_end(st, T_NUMBER, item)) {
                return i;
            }
            continue;
        case L_KEYWORD:
            if (c >= 'a' && c <= 'z') {
                break;
            }
            st->state = L_START;
            if (token_end(st, T_KEYWORD, item)) {
                return i;
            }
            continue;
        default: /* L_RECOVERY */
            while (i < len && !ends_recovery((unsigned char)buf[i])) {
                i++;
            }
            if (i < len) {
                st->state = L_START;
            }
            continue;
        }
        /* The byte continues a number or keyword. */
        i++;
        if (!put(st, (const char *)&c, 1, item)) {
            return i;
        }
    }
    return i;
}

/* --- output --------------------------------------------------------------- */

size_t qmp_ascii_size(const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text;
    const unsigned char *end = p + len;
    size_t n = 0;

    while (p < end) {
        if (*p < 0x7F) {
            p++;
            n++;
        } else if (*p == 0x7F) {
            p++;
            n += 6;
        } else {
            const unsigned char *next;
            long cp = utf8_decode(p, end, &next);

            n += cp > 0xFFFF ? 12 : 6;
            p = next;
        }
    }
    return n;
}

static char *put_u(char *o, unsigned long v)
{
    static const char hex[] = "0123456789ABCDEF";

    *o++ = '\\';
    *o++ = 'u';
    *o++ = hex[(v >> 12) & 0xF];
    *o++ = hex[(v >> 8) & 0xF];
    *o++ = hex[(v >> 4) & 0xF];
    *o++ = hex[v & 0xF];
    return o;
}

size_t qmp_ascii_copy(char *out, const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text;
    const unsigned char *end = p + len;
    char *o = out;

    while (p < end) {
        const unsigned char *run = p;

        while (p < end && *p < 0x7F) {
            p++;
        }
        memcpy(o, run, (size_t)(p - run));
        o += p - run;
        if (p < end && *p == 0x7F) {
            o = put_u(o, 0x7F);
            p++;
        } else if (p < end) {
            const unsigned char *next;
            long cp = utf8_decode(p, end, &next);

            if (cp < 0) {
                cp = 0xFFFD;
            }
            if (cp > 0xFFFF) {
                cp -= 0x10000;
                o = put_u(o, 0xD800 | ((unsigned long)cp >> 10));
                o = put_u(o, 0xDC00 | ((unsigned long)cp & 0x3FF));
            } else {
                o = put_u(o, (unsigned long)cp);
            }
            p = next;
        }
    }
    return (size_t)(o - out);
}
