/*
 * fuzz/fuzz-vfio-stream.c - libFuzzer target: the reference VFIO
 * device's migration stream consumer (runtime/vfio/resume.c, stream.c):
 * a device put in RESUMING, the input written to its data fd in pieces,
 * then RESUMING -> STOP, which validates the stream.
 *
 * Input: a 16-byte header, then the stream (format in
 * runtime/vfio/stream.h).
 *
 *   byte 0   flags: before writing, the target recomputes 1 the header
 *            checksum, 2 every record checksum, 4 every DATA payload
 *            checksum, 8 END's counts, so that mutations get past the
 *            checksums to what lies behind them; 16 close the data fd
 *            before the SET (the device thread sees end of file); 32
 *            reset the device instead of the SET (the session is
 *            aborted, nothing validated); 64 plain write(2) rather than
 *            vfio_ref_data_write()
 *   byte 1   the destination's state size: sizes[byte % 8]
 *   2..15    seven little-endian 16-bit offsets where the stream is cut
 *            into separate writes; after each write the target waits
 *            until the device thread has taken it, so that the parser
 *            sees the same pieces every run
 *
 * Properties checked besides the sanitizers' (leaks included):
 *
 *   - the SET returns what a model of stream.h's rules, applied to the
 *     whole stream at once, says: 0, or the errno of the first error
 *     (EINVAL, EPROTO, EBADMSG, ENODATA, EMSGSIZE), however it was cut;
 *   - accepted: the device is in STOP and its state is what the stream's
 *     DATA records put there (the last copy of a range wins); rejected:
 *     it is in ERROR, reports the errno in its statistics, and a reset
 *     brings it back to RUNNING;
 *   - the device consumed every byte written;
 *   - its block checksums (device-impl.h) match its state afterwards,
 *     whatever happened (a later save relies on them);
 *   - no file descriptor is left open, no SET or write hangs (a
 *     bounded wait).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"
#include "qapi/vfio-device.h"
#include "vfio/checksum.h"
#include "vfio/device-impl.h"
#include "vfio/stream.h"

#define HEADER 16
#define NCUTS 7
/* Seconds the device thread may take to read a piece. */
#define DRAIN_SECONDS 10

enum {
    F_FIX_HEADER = 1,
    F_FIX_RECORDS = 2,
    F_FIX_PAYLOADS = 4,
    F_FIX_END = 8,
    F_CLOSE_FIRST = 16,
    F_RESET = 32,
    F_PLAIN_WRITE = 64,
};

/* Small, odd and block-sized states: a whole stream fits in an input. */
static const uint64_t sizes[8] = {0, 1, 100, 4096, 4097, 8192, 10000, 12288};

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void put_le64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        p[i] = (unsigned char)(v >> (8 * i));
    }
}

static unsigned count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    unsigned n = 0;

    FUZZ_CHECK(d != NULL, "cannot list /proc/self/fd");
    while (readdir(d)) {
        n++;
    }
    closedir(d);
    return n;
}

/* Recompute the checksums and counts @flags asks for, in place. */
static void fix_up(unsigned char *s, size_t n, unsigned flags)
{
    uint64_t nonce, seq = 0, records = 0, payload = 0;
    size_t pos = VFIO_STREAM_HEADER_SIZE;

    if (n < VFIO_STREAM_HEADER_SIZE) {
        return;
    }
    if (flags & F_FIX_HEADER) {
        put_le64(s + 56, vfio_ref_checksum(s, 56, 0));
    }
    nonce = le64(s + 32);
    while (n - pos >= VFIO_STREAM_RECORD_SIZE) {
        unsigned char *r = s + pos;
        uint32_t type = le32(r), len = le32(r + 4);
        uint64_t off = le64(r + 8), word = le64(r + 16);
        size_t rest = n - pos - VFIO_STREAM_RECORD_SIZE;
        bool whole = type == VFIO_STREAM_DATA && len <= rest;

        if (whole && (flags & F_FIX_PAYLOADS)) {
            word = vfio_stream_payload_checksum(r + VFIO_STREAM_RECORD_SIZE,
                                                len, nonce, off);
        }
        if (type == VFIO_STREAM_END && (flags & F_FIX_END)) {
            off = records;
            word = payload;
        }
        if (flags & F_FIX_RECORDS) {
            vfio_stream_encode_record(r, nonce, seq, type, len, off, word);
        } else {
            put_le64(r + 8, off);
            put_le64(r + 16, word);
        }
        seq++;
        pos += VFIO_STREAM_RECORD_SIZE;
        if (type == VFIO_STREAM_DATA) {
            if (!whole) {
                break;
            }
            records++;
            payload += len;
            pos += len;
        }
    }
}

/*
 * stream.h's rules on the whole stream @s: 0 if a device of @size bytes
 * accepts it, with its DATA applied to @img, else -errno of the first
 * error.
 */
static int model(const unsigned char *s, size_t n, unsigned char *img,
                 uint64_t size)
{
    uint64_t nblocks = (size + VFIO_STREAM_BLOCK - 1) / VFIO_STREAM_BLOCK;
    uint64_t nonce, seq = 0, records = 0, payload = 0, ncovered = 0;
    size_t pos = VFIO_STREAM_HEADER_SIZE;
    unsigned char *covered;
    int r;

    if (n < VFIO_STREAM_HEADER_SIZE) {
        return -ENODATA;
    }
    if (memcmp(s, VFIO_STREAM_MAGIC, 8)) {
        return -EINVAL;
    }
    if (le64(s + 56) != vfio_ref_checksum(s, 56, 0)) {
        return -EBADMSG;
    }
    if (le32(s + 8) != VFIO_STREAM_VERSION) {
        return -EPROTO;
    }
    if (le32(s + 12) != VFIO_STREAM_HEADER_SIZE || le64(s + 16) != size) {
        return -EINVAL;
    }
    nonce = le64(s + 32);
    covered = calloc((size_t)nblocks + 1, 1);
    FUZZ_CHECK(covered != NULL, "out of memory");
    for (;;) {
        const unsigned char *rec = s + pos;
        unsigned char expect[VFIO_STREAM_RECORD_SIZE];
        uint32_t type, len;
        uint64_t off, word;

        if (n - pos < VFIO_STREAM_RECORD_SIZE) {
            r = -ENODATA;
            break;
        }
        type = le32(rec);
        len = le32(rec + 4);
        off = le64(rec + 8);
        word = le64(rec + 16);
        vfio_stream_encode_record(expect, nonce, seq, type, len, off, word);
        if (memcmp(expect + 24, rec + 24, 8)) {
            r = -EBADMSG;
            break;
        }
        seq++;
        pos += VFIO_STREAM_RECORD_SIZE;
        if (type == VFIO_STREAM_END) {
            if (len) {
                r = -EINVAL;
            } else if (off != records || word != payload) {
                r = -EBADMSG;
            } else if (pos != n) {
                r = -EMSGSIZE;
            } else {
                r = ncovered == nblocks ? 0 : -ENODATA;
            }
            break;
        }
        if (type != VFIO_STREAM_DATA || !len || len > VFIO_STREAM_MAX_RECORD ||
            off > size || len > size - off || off % VFIO_STREAM_BLOCK ||
            (len % VFIO_STREAM_BLOCK && off + len != size)) {
            r = -EINVAL;
            break;
        }
        if (n - pos < len) {
            r = -ENODATA;
            break;
        }
        memcpy(img + off, s + pos, len);
        if (vfio_stream_payload_checksum(s + pos, len, nonce, off) != word) {
            r = -EBADMSG;
            break;
        }
        for (uint64_t b = off / VFIO_STREAM_BLOCK;
             b * VFIO_STREAM_BLOCK < off + len; b++) {
            ncovered += !covered[b];
            covered[b] = 1;
        }
        records++;
        payload += len;
        pos += len;
    }
    free(covered);
    return r;
}

/* Wait until the device thread has read everything written to @fd. */
static void wait_drained(int fd)
{
    struct timespec start, now;
    int pending;

    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        FUZZ_CHECK(ioctl(fd, FIONREAD, &pending) == 0, "FIONREAD: %s",
                   strerror(errno));
        if (!pending) {
            return;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        FUZZ_CHECK(now.tv_sec - start.tv_sec < DRAIN_SECONDS,
                   "the device thread does not read (%d bytes left)", pending);
        sched_yield();
    }
}

static void write_all(int fd, const unsigned char *p, size_t len, bool plain)
{
    while (len) {
        ssize_t n = plain ? write(fd, p, len) : vfio_ref_data_write(fd, p, len);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        FUZZ_CHECK(n > 0, "write to the data fd: %s", strerror(errno));
        p += n;
        len -= (size_t)n;
    }
}

/* The device's block checksums describe its state. */
static void check_block_sums(VfioRefDevice *dev)
{
    for (uint64_t b = 0; b < dev->nblocks; b++) {
        uint64_t off = b * VFIO_STREAM_BLOCK;
        uint64_t len = dev->size - off < VFIO_STREAM_BLOCK ? dev->size - off
                                                           : VFIO_STREAM_BLOCK;

        FUZZ_CHECK(dev->block_sums[b] == vfio_stream_block_checksum(
                                             dev->mem + off, (size_t)len, off),
                   "block %llu: stale checksum", (unsigned long long)b);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    VfioRefDeviceConfig cfg = {0};
    VfioRefDevice *dev;
    VfioRefDeviceStats st;
    unsigned char *s, *img, *got;
    size_t n, cuts[NCUTS + 2], i;
    unsigned flags, fds_before;
    uint64_t state_size;
    uint32_t state;
    int fd = -1, r, expect;

    if (size < HEADER) {
        return 0;
    }
    flags = data[0];
    state_size = sizes[data[1] % 8];
    n = size - HEADER;
    fuzz_cuts(data + 2, NCUTS, n, cuts);
    s = (unsigned char *)fuzz_strndup(data + HEADER, n);
    fix_up(s, n, flags);

    fds_before = count_fds();
    cfg.id = "dst";
    cfg.flags = VFIO_MIGRATION_STOP_COPY;
    cfg.state_size = state_size;
    cfg.seed = 1;
    FUZZ_CHECK(vfio_ref_device_new(&cfg, &dev) == 0, "no device");
    img = malloc(state_size + 1);
    got = malloc(state_size + 1);
    FUZZ_CHECK(img && got, "out of memory");
    FUZZ_CHECK(vfio_ref_device_peek(dev, 0, img, state_size) == 0, "peek");
    expect = model(s, n, img, state_size);

    r = vfio_ref_device_set_state(dev, VFIO_DEVICE_STATE_RESUMING, &fd);
    FUZZ_CHECK(r == 0 && fd >= 0, "RESUMING: %d", r);
    for (i = 0; i + 1 < NCUTS + 2; i++) {
        if (cuts[i + 1] > cuts[i]) {
            write_all(fd, s + cuts[i], cuts[i + 1] - cuts[i],
                      flags & F_PLAIN_WRITE);
            wait_drained(fd);
        }
    }
    if (flags & F_CLOSE_FIRST) {
        close(fd);
        fd = -1;
    }

    if (flags & F_RESET) {
        FUZZ_CHECK(vfio_ref_device_reset(dev) == 0, "reset failed");
        FUZZ_CHECK(vfio_ref_device_get_state(dev, &state) == 0 &&
                       state == VFIO_DEVICE_STATE_RUNNING,
                   "not RUNNING after a reset");
    } else {
        r = vfio_ref_device_set_state(dev, VFIO_DEVICE_STATE_STOP, NULL);
        FUZZ_CHECK(r == expect, "RESUMING -> STOP: %d (%s), model %d (%s)", r,
                   strerror(-r), expect, strerror(-expect));
        FUZZ_CHECK(vfio_ref_device_get_state(dev, &state) == 0, "GET");
        vfio_ref_device_get_stats(dev, &st);
        FUZZ_CHECK(st.bytes_loaded == n, "%llu bytes loaded of %zu",
                   (unsigned long long)st.bytes_loaded, n);
        if (r == 0) {
            FUZZ_CHECK(state == VFIO_DEVICE_STATE_STOP, "accepted, state %u",
                       state);
            FUZZ_CHECK(vfio_ref_device_peek(dev, 0, got, state_size) == 0,
                       "peek");
            FUZZ_CHECK(!memcmp(got, img, state_size),
                       "accepted, but the state is not the stream's");
        } else {
            FUZZ_CHECK(state == VFIO_DEVICE_STATE_ERROR, "rejected, state %u",
                       state);
            FUZZ_CHECK(st.last_stream_error == -r, "last_stream_error %d",
                       st.last_stream_error);
            FUZZ_CHECK(vfio_ref_device_reset(dev) == 0 &&
                           vfio_ref_device_get_state(dev, &state) == 0 &&
                           state == VFIO_DEVICE_STATE_RUNNING,
                       "no way out of ERROR");
        }
    }
    check_block_sums(dev);

    if (fd >= 0) {
        close(fd);
    }
    vfio_ref_device_free(dev);
    free(img);
    free(got);
    free(s);
    FUZZ_CHECK(count_fds() == fds_before, "file descriptors leaked");
    return 0;
}
