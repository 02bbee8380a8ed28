/*
 * fuzz/gen-vfio-seeds.c - writes seeds for fuzz-vfio-stream: streams
 * saved by a real reference device (STOP -> STOP_COPY, read to the end)
 * for each destination size of the target, intact and with the device's
 * own stream faults (corrupt, truncate, bad-version, overlong), each
 * behind the target's 16-byte header (fuzz-vfio-stream.c).
 *
 *   make fuzz/gen-vfio-seeds && fuzz/gen-vfio-seeds DIR
 *
 * The nonce is random per session: every run writes different bytes.
 * fuzz/corpus/vfio-stream/ holds one run's output (file names say what
 * each is).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qapi/vfio-device.h"

#define HEADER 16

/* As fuzz-vfio-stream.c's sizes[]: the index goes into byte 1. */
static const unsigned long long sizes[8] = {0,    1,    100,   4096,
                                            4097, 8192, 10000, 12288};

/* One saved stream of a @size-byte device into a new buffer. */
static unsigned char *save(unsigned idx, VfioRefStreamFault fault, uint64_t arg,
                           size_t *len)
{
    VfioRefDeviceConfig cfg = {0};
    VfioRefDevice *dev;
    unsigned char *buf = NULL;
    size_t cap = 0;
    int fd = -1;

    cfg.id = "src";
    cfg.flags = VFIO_MIGRATION_STOP_COPY;
    cfg.state_size = sizes[idx];
    cfg.seed = 7 + idx;
    cfg.record_size = 4096; /* several records per stream */
    *len = 0;
    if (vfio_ref_device_new(&cfg, &dev) < 0 ||
        (fault && vfio_ref_device_fault_stream(dev, fault, arg) < 0) ||
        vfio_ref_device_set_state(dev, VFIO_DEVICE_STATE_STOP, NULL) < 0 ||
        vfio_ref_device_set_state(dev, VFIO_DEVICE_STATE_STOP_COPY, &fd) < 0) {
        fprintf(stderr, "gen-vfio-seeds: cannot save size %llu\n", sizes[idx]);
        exit(1);
    }
    for (;;) {
        ssize_t n;

        if (cap - *len < 4096) {
            cap = cap ? 2 * cap : 65536;
            buf = realloc(buf, cap);
            if (!buf) {
                exit(1);
            }
        }
        n = vfio_ref_data_read(fd, buf + *len, cap - *len);
        if (n == 0) {
            break;
        }
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("gen-vfio-seeds: read");
            exit(1);
        }
        *len += (size_t)n;
    }
    close(fd);
    vfio_ref_device_free(dev);
    return buf;
}

static void put(const char *dir, const char *name, unsigned flags, unsigned idx,
                const unsigned short *cuts, const unsigned char *stream,
                size_t len)
{
    unsigned char hdr[HEADER];
    char path[4096];
    FILE *f;

    memset(hdr, 0xff, sizeof(hdr)); /* cuts past the end: none */
    hdr[0] = (unsigned char)flags;
    hdr[1] = (unsigned char)idx;
    for (int i = 0; cuts && i < 7 && cuts[i]; i++) {
        hdr[2 + 2 * i] = (unsigned char)cuts[i];
        hdr[3 + 2 * i] = (unsigned char)(cuts[i] >> 8);
    }
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (!f || fwrite(hdr, 1, HEADER, f) != HEADER ||
        (len && fwrite(stream, 1, len, f) != len) || fclose(f)) {
        perror(path);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    /* Cuts inside the header, a record header and a payload. */
    static const unsigned short cuts[7] = {1, 63, 64, 70, 96, 200, 4000};
    char name[64];
    unsigned char *s;
    size_t len;

    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    /* Every size but the two largest (the fuzzer gets there). */
    for (unsigned idx = 0; idx < 7; idx++) {
        if (idx == 5) {
            continue;
        }
        s = save(idx, VFIO_REF_STREAM_OK, 0, &len);
        snprintf(name, sizeof(name), "ok-%llu", sizes[idx]);
        put(argv[1], name, 0, idx, NULL, s, len);
        if (idx <= 4) {
            /* Checksums recomputed (a no-op here), cut in pieces. */
            snprintf(name, sizeof(name), "ok-%llu-fixed-cut", sizes[idx]);
            put(argv[1], name, 0x0f, idx, cuts, s, len);
        }
        free(s);
    }
    /* All fix-ups but one: a single mutation of the field left alone
     * then reaches the check behind it (the END counts, say). */
    s = save(2, VFIO_REF_STREAM_OK, 0, &len);
    for (unsigned bit = 1; bit <= 8; bit <<= 1) {
        snprintf(name, sizeof(name), "ok-100-fixed-but-%u", bit);
        put(argv[1], name, 0x0f & ~bit, 2, NULL, s, len);
    }
    free(s);
    /* 4097 bytes: two records, the second of one byte. */
    s = save(4, VFIO_REF_STREAM_OK, 0, &len);
    put(argv[1], "ok-4097-close-first", 0x10, 4, cuts, s, len);
    put(argv[1], "ok-4097-reset", 0x20, 4, cuts, s, len);
    put(argv[1], "ok-4097-plain-write", 0x40, 4, cuts, s, len);
    put(argv[1], "size-mismatch", 0x0f, 3, NULL, s, len);
    free(s);
    /* 100 bytes: header 0..63, DATA record 64..95, payload 96..195, END
     * record 196..227. */
    s = save(2, VFIO_REF_STREAM_CORRUPT, 3, &len);
    put(argv[1], "corrupt-magic", 0, 2, NULL, s, len);
    free(s);
    s = save(2, VFIO_REF_STREAM_CORRUPT, 70, &len);
    put(argv[1], "corrupt-record", 0, 2, NULL, s, len);
    free(s);
    s = save(2, VFIO_REF_STREAM_CORRUPT, 100, &len);
    put(argv[1], "corrupt-payload", 0, 2, cuts, s, len);
    free(s);
    s = save(2, VFIO_REF_STREAM_CORRUPT, 210, &len);
    put(argv[1], "corrupt-end", 0, 2, NULL, s, len);
    free(s);
    s = save(2, VFIO_REF_STREAM_TRUNCATE, 150, &len);
    put(argv[1], "truncated", 0, 2, NULL, s, len);
    free(s);
    s = save(2, VFIO_REF_STREAM_BAD_VERSION, 1, &len);
    put(argv[1], "bad-version", 0, 2, NULL, s, len);
    free(s);
    s = save(2, VFIO_REF_STREAM_OVERLONG, 3, &len);
    put(argv[1], "overlong", 0, 2, NULL, s, len);
    free(s);
    return 0;
}
