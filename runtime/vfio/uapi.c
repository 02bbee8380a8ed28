/*
 * Names, flags and state classes of the VFIO migration uAPI.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qapi/vfio-uapi.h"

static const char *const uapi_names[VFIO_REF_NUM_STATES] = {
    "ERROR",    "STOP",        "RUNNING",  "STOP_COPY",
    "RESUMING", "RUNNING_P2P", "PRE_COPY", "PRE_COPY_P2P",
};

/* QapiVfioMigrationState's values, in schema/vfio.json; ERROR has none. */
static const char *const qapi_names[VFIO_REF_NUM_STATES] = {
    NULL,       "stop",        "running",  "stop-copy",
    "resuming", "running-p2p", "pre-copy", "pre-copy-p2p",
};

const char *vfio_ref_state_name(uint32_t state)
{
    return state < VFIO_REF_NUM_STATES ? uapi_names[state] : NULL;
}

const char *vfio_ref_state_qapi_name(uint32_t state)
{
    return state < VFIO_REF_NUM_STATES ? qapi_names[state] : NULL;
}

/* Case-insensitive compare treating '-' and '_' alike. */
static bool name_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        int ca = *a == '-' ? '_' : tolower((unsigned char)*a);
        int cb = *b == '-' ? '_' : tolower((unsigned char)*b);

        if (ca != cb) {
            return false;
        }
    }
    return !*a && !*b;
}

int vfio_ref_state_parse(const char *name)
{
    char *end;
    long n;

    if (!name || !*name) {
        return -1;
    }
    for (int i = 0; i < VFIO_REF_NUM_STATES; i++) {
        if (name_eq(name, uapi_names[i])) {
            return i;
        }
    }
    errno = 0;
    n = strtol(name, &end, 10);
    if (errno || *end || n < 0 || n >= VFIO_REF_NUM_STATES) {
        return -1;
    }
    return (int)n;
}

uint32_t vfio_ref_state_required_flags(uint32_t state)
{
    switch (state) {
    case VFIO_REF_STATE_ERROR:
        return 0;
    case VFIO_REF_STATE_RUNNING_P2P:
        return VFIO_REF_MIGRATION_STOP_COPY | VFIO_REF_MIGRATION_P2P;
    case VFIO_REF_STATE_PRE_COPY:
        return VFIO_REF_MIGRATION_STOP_COPY | VFIO_REF_MIGRATION_PRE_COPY;
    case VFIO_REF_STATE_PRE_COPY_P2P:
        return VFIO_REF_MIGRATION_ALL;
    default:
        return state < VFIO_REF_NUM_STATES ? VFIO_REF_MIGRATION_STOP_COPY : 0;
    }
}

bool vfio_ref_flags_valid(uint64_t flags)
{
    return (flags & VFIO_REF_MIGRATION_STOP_COPY) &&
           !(flags & ~(uint64_t)VFIO_REF_MIGRATION_ALL);
}

bool vfio_ref_state_supported(uint32_t flags, uint32_t state)
{
    uint32_t need = vfio_ref_state_required_flags(state);

    return state != VFIO_REF_STATE_ERROR && state < VFIO_REF_NUM_STATES &&
           (flags & need) == need;
}

bool vfio_ref_state_is_saving(uint32_t state)
{
    return state == VFIO_REF_STATE_PRE_COPY ||
           state == VFIO_REF_STATE_PRE_COPY_P2P ||
           state == VFIO_REF_STATE_STOP_COPY;
}

bool vfio_ref_state_is_running(uint32_t state)
{
    return state == VFIO_REF_STATE_RUNNING ||
           state == VFIO_REF_STATE_RUNNING_P2P ||
           state == VFIO_REF_STATE_PRE_COPY ||
           state == VFIO_REF_STATE_PRE_COPY_P2P;
}

char *vfio_ref_flags_format(uint64_t flags, char *buf, size_t size)
{
    static const struct {
        uint64_t bit;
        const char *name;
    } names[] = {
        {VFIO_REF_MIGRATION_STOP_COPY, "stop-copy"},
        {VFIO_REF_MIGRATION_P2P, "p2p"},
        {VFIO_REF_MIGRATION_PRE_COPY, "pre-copy"},
    };
    size_t len = 0;

    if (!buf || !size) {
        return buf;
    }
    buf[0] = 0;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (flags & names[i].bit) {
            int n = snprintf(buf + len, size - len, "%s%s", len ? "," : "",
                             names[i].name);

            if (n < 0 || (size_t)n >= size - len) {
                return buf;
            }
            len += (size_t)n;
        }
    }
    if (flags & ~(uint64_t)VFIO_REF_MIGRATION_ALL) {
        snprintf(
            buf + len, size - len, "%s0x%llx", len ? "," : "",
            (unsigned long long)(flags & ~(uint64_t)VFIO_REF_MIGRATION_ALL));
    } else if (!len) {
        snprintf(buf, size, "none");
    }
    return buf;
}

int vfio_ref_flags_parse(const char *text, uint32_t *flags)
{
    uint32_t f = 0;
    const char *p = text;

    if (!text || !*text || !flags) {
        return -1;
    }
    if (isdigit((unsigned char)*text)) {
        char *end;
        unsigned long n;

        errno = 0;
        n = strtoul(text, &end, 0);
        if (errno || *end || n > UINT32_MAX) {
            return -1;
        }
        *flags = (uint32_t)n;
        return 0;
    }
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char word[32];

        if (!len || len >= sizeof(word)) {
            return -1;
        }
        memcpy(word, p, len);
        word[len] = 0;
        if (name_eq(word, "stop-copy") || name_eq(word, "stopcopy")) {
            f |= VFIO_REF_MIGRATION_STOP_COPY;
        } else if (name_eq(word, "p2p")) {
            f |= VFIO_REF_MIGRATION_STOP_COPY | VFIO_REF_MIGRATION_P2P;
        } else if (name_eq(word, "pre-copy") || name_eq(word, "precopy")) {
            f |= VFIO_REF_MIGRATION_STOP_COPY | VFIO_REF_MIGRATION_PRE_COPY;
        } else if (name_eq(word, "all")) {
            f |= VFIO_REF_MIGRATION_ALL;
        } else {
            return -1;
        }
        p += len;
        if (*p == ',') {
            p++;
            if (!*p) {
                return -1;
            }
        }
    }
    *flags = f;
    return 0;
}
