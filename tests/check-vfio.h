/*
 * check-vfio.h - helpers of the reference device's Check tests.
 */
#ifndef CHECK_VFIO_H
#define CHECK_VFIO_H

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qapi/vfio-device.h"

#define SC VFIO_MIGRATION_STOP_COPY
#define P2P VFIO_MIGRATION_P2P
#define PRE VFIO_MIGRATION_PRE_COPY

static const uint32_t all_combos[4] = {SC, SC | P2P, SC | PRE, SC | P2P | PRE};

static inline VfioRefDevice *new_dev(const char *id, uint32_t flags,
                                     uint64_t size, uint64_t seed)
{
    VfioRefDeviceConfig cfg = {id, NULL, flags, size, seed, 0};
    VfioRefDevice *d = NULL;

    ck_assert_int_eq(vfio_ref_device_new(&cfg, &d), 0);
    ck_assert_ptr_nonnull(d);
    return d;
}

static inline uint32_t dev_state(VfioRefDevice *d)
{
    uint32_t s = 99;

    ck_assert_int_eq(vfio_ref_device_get_state(d, &s), 0);
    return s;
}

static inline uint64_t dev_hash(VfioRefDevice *d)
{
    uint64_t h = 0;

    ck_assert_int_eq(vfio_ref_device_hash(d, &h), 0);
    return h;
}

typedef struct Bytes {
    unsigned char *data;
    size_t len, cap;
} Bytes;

static inline void bytes_put(Bytes *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 4096;
        b->data = realloc(b->data, b->cap);
        ck_assert_ptr_nonnull(b->data);
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

/*
 * Read @fd with vfio_ref_data_read() until ENOMSG (returns 1) or end of
 * file (returns 0), appending to @b (if not NULL).
 */
static inline int read_until(int fd, Bytes *b)
{
    unsigned char buf[65536];

    for (;;) {
        ssize_t n = vfio_ref_data_read(fd, buf, sizeof(buf));

        if (n > 0) {
            if (b) {
                bytes_put(b, buf, (size_t)n);
            }
        } else if (n == 0) {
            return 0;
        } else if (errno == ENOMSG) {
            return 1;
        } else {
            ck_abort_msg("read: %s", strerror(errno));
        }
    }
}

/* Write all of @len bytes in pieces of random size (seed @seed, at most
 * @max bytes). */
static inline void write_segmented(int fd, const unsigned char *data,
                                   size_t len, unsigned seed, size_t max)
{
    size_t off = 0;

    srand(seed);
    while (off < len) {
        size_t n = (size_t)rand() % max + 1;
        ssize_t w;

        n = n > len - off ? len - off : n;
        w = vfio_ref_data_write(fd, data + off, n);
        ck_assert_msg(w > 0, "write: %s", strerror(errno));
        off += (size_t)w;
    }
}

/* The device's whole stream through STOP_COPY (from RUNNING or STOP);
 * the device ends in STOP. */
static inline Bytes save_stream(VfioRefDevice *d)
{
    Bytes b = {NULL, 0, 0};
    int fd = -1;

    ck_assert_int_eq(
        vfio_ref_device_set_state(d, VFIO_DEVICE_STATE_STOP_COPY, &fd), 0);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(read_until(fd, &b), 0);
    close(fd);
    ck_assert_int_eq(vfio_ref_device_set_state(d, VFIO_DEVICE_STATE_STOP, NULL),
                     0);
    return b;
}

/* Load @b into @d through RESUMING, segmented by @seed; returns the SET
 * STOP's result. */
static inline int load_stream(VfioRefDevice *d, const Bytes *b, unsigned seed)
{
    int fd = -1, r;

    ck_assert_int_eq(
        vfio_ref_device_set_state(d, VFIO_DEVICE_STATE_RESUMING, &fd), 0);
    ck_assert_int_ge(fd, 0);
    if (b->len) {
        write_segmented(fd, b->data, b->len, seed, seed ? 70000 : b->len);
    }
    r = vfio_ref_device_set_state(d, VFIO_DEVICE_STATE_STOP, NULL);
    close(fd);
    return r;
}

#endif /* CHECK_VFIO_H */
