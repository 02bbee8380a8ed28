/*
 * check-vfio-device: the reference migration-capable device.
 *
 * Every single arc and every combination transition under the four flag
 * combinations (state reached, data fd returned exactly when the last arc
 * opens a session, arcs counted); PRE_COPY's PRECOPY_INFO and ENOMSG
 * semantics; STOP_COPY's end of file; streams restored intact under
 * random write segmentation, also while the device dirties pages whose
 * bytes are still in a pipe; every injected fault ending in the
 * documented state with the documented errno; reset from anywhere; the
 * VFIO_DEVICE_FEATURE entry point.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <time.h>

#include "check-vfio.h"

#define ERR_ VFIO_DEVICE_STATE_ERROR
#define STOP VFIO_DEVICE_STATE_STOP
#define RUN VFIO_DEVICE_STATE_RUNNING
#define SCOPY VFIO_DEVICE_STATE_STOP_COPY
#define RES VFIO_DEVICE_STATE_RESUMING
#define RP2 VFIO_DEVICE_STATE_RUNNING_P2P
#define PCOPY VFIO_DEVICE_STATE_PRE_COPY
#define PP2 VFIO_DEVICE_STATE_PRE_COPY_P2P

#define SIZE (300 * 1024 + 77) /* two records and a partial page */

static bool saving(uint32_t s)
{
    return vfio_ref_state_is_saving(s);
}

/* Reset @d and take it to @s; returns the session fd or -1. */
static int bring_to(VfioRefDevice *d, uint32_t s)
{
    int fd = -1;

    ck_assert_int_eq(vfio_ref_device_reset(d), 0);
    vfio_ref_device_clear_faults(d);
    if (s == ERR_) {
        uint32_t first;

        ck_assert_int_eq(vfio_ref_mig_get_next_state(vfio_ref_device_flags(d),
                                                     RUN, STOP, &first),
                         0);
        ck_assert_int_eq(vfio_ref_device_fail_arc(d, RUN, first, EIO, true, 1),
                         0);
        ck_assert_int_eq(vfio_ref_device_set_state(d, STOP, &fd), -EIO);
        ck_assert_int_eq(fd, -1);
    } else if (s != RUN) {
        ck_assert_int_eq(vfio_ref_device_set_state(d, s, &fd), 0);
    }
    ck_assert_uint_eq(dev_state(d), s);
    ck_assert_int_eq(fd >= 0, saving(s) || s == RES);
    return fd;
}

/* A valid stream for devices of @flags and SIZE. */
static Bytes donor_stream(uint32_t flags)
{
    VfioRefDevice *donor = new_dev("donor", flags, SIZE, 77);
    Bytes b = save_stream(donor);

    vfio_ref_device_free(donor);
    return b;
}

/* Does the last arc of @a -> @b open a session? */
static bool opens_session(uint32_t a, uint32_t b)
{
    return a != b && ((b == RES) || (saving(b) && !saving(a)));
}

static void setup(void)
{
    /* Writes to a pipe whose reader is gone must fail, not kill. */
    signal(SIGPIPE, SIG_IGN);
}

START_TEST(test_create)
{
    VfioRefDeviceConfig cfg = {"dev0", NULL, SC, 4096, 1, 0};
    VfioRefDevice *d = NULL;
    uint64_t flags;

    ck_assert_int_eq(vfio_ref_device_new(NULL, &d), -EINVAL);
    cfg.id = NULL;
    ck_assert_int_eq(vfio_ref_device_new(&cfg, &d), -EINVAL);
    cfg.id = "";
    ck_assert_int_eq(vfio_ref_device_new(&cfg, &d), -EINVAL);
    cfg.id = "dev0";
    for (uint32_t f = 0; f < 16; f++) {
        cfg.flags = f;
        if (f == 1 || f == 3 || f == 5 || f == 7) {
            ck_assert_int_eq(vfio_ref_device_new(&cfg, &d), 0);
            vfio_ref_device_free(d);
        } else {
            ck_assert_int_eq(vfio_ref_device_new(&cfg, &d), -EINVAL);
            ck_assert_ptr_null(d);
        }
    }
    cfg.flags = SC | P2P;
    ck_assert_int_eq(vfio_ref_device_new(&cfg, &d), 0);
    ck_assert_str_eq(vfio_ref_device_id(d), "dev0");
    ck_assert_str_eq(vfio_ref_device_qom_path(d), "/machine/peripheral/dev0");
    ck_assert_uint_eq(vfio_ref_device_state_size(d), 4096);
    ck_assert_int_eq(vfio_ref_device_get_migration_flags(d, &flags), 0);
    ck_assert_uint_eq(flags, SC | P2P);
    ck_assert_uint_eq(dev_state(d), RUN);
    vfio_ref_device_free(d);

    cfg.qom_path = "/machine/unattached/device[3]";
    cfg.state_size = 0;
    ck_assert_int_eq(vfio_ref_device_new(&cfg, &d), 0);
    ck_assert_str_eq(vfio_ref_device_qom_path(d),
                     "/machine/unattached/device[3]");
    vfio_ref_device_free(d);
    vfio_ref_device_free(NULL);
}
END_TEST

START_TEST(test_single_arcs)
{
    for (int c = 0; c < 4; c++) {
        uint32_t flags = all_combos[c];
        VfioRefDevice *d = new_dev("arcs", flags, SIZE, 1);
        Bytes good = donor_stream(flags);
        int narcs = 0;

        for (uint32_t a = 1; a < 8; a++) {
            for (uint32_t b = 1; b < 8; b++) {
                VfioRefDeviceStats before, after;
                int fd_a, fd_b = -1;

                if (!vfio_ref_mig_is_arc(flags, a, b)) {
                    continue;
                }
                narcs++;
                fd_a = bring_to(d, a);
                if (a == RES) {
                    write_segmented(fd_a, good.data, good.len, 9, 5000);
                }
                vfio_ref_device_get_stats(d, &before);
                ck_assert_msg(vfio_ref_device_set_state(d, b, &fd_b) == 0,
                              "flags %u arc %u -> %u", flags, a, b);
                vfio_ref_device_get_stats(d, &after);
                ck_assert_uint_eq(after.arcs, before.arcs + 1);
                ck_assert_uint_eq(dev_state(d), b);
                ck_assert_msg((fd_b >= 0) == opens_session(a, b),
                              "arc %u -> %u fd %d", a, b, fd_b);
                if (saving(a) && saving(b)) {
                    /* The session goes on: the same fd ends the stream. */
                    if (b == SCOPY) {
                        ck_assert_int_eq(read_until(fd_a, NULL), 0);
                    }
                } else if (saving(a)) {
                    /* The session ended: the fd reaches end of file. */
                    ck_assert_int_eq(read_until(fd_a, NULL), 0);
                }
                if (fd_a >= 0) {
                    close(fd_a);
                }
                if (fd_b >= 0) {
                    close(fd_b);
                }
            }
        }
        /* The uAPI's arc counts: 4 always; RUNNING <-> STOP (2) or the
         * 4 P2P arcs; with PRE_COPY 2 more, and PRE_COPY -> STOP_COPY
         * (1) or the 5 arcs of PRE_COPY_P2P. */
        {
            static const int want_arcs[4] = {6, 8, 9, 15};

            ck_assert_int_eq(narcs, want_arcs[c]);
        }
        free(good.data);
        vfio_ref_device_free(d);
    }
}
END_TEST

START_TEST(test_combination_transitions)
{
    for (int c = 0; c < 4; c++) {
        uint32_t flags = all_combos[c];
        VfioRefDevice *d = new_dev("combo", flags, SIZE, 2);
        Bytes good = donor_stream(flags);

        for (uint32_t a = 1; a < 8; a++) {
            for (uint32_t b = 1; b < 8; b++) {
                VfioRefDeviceStats before, after;
                uint32_t path[8];
                int n, fd_a, fd_b = -1, r;

                if (!vfio_ref_state_supported(flags, a) ||
                    !vfio_ref_state_supported(flags, b)) {
                    continue;
                }
                fd_a = bring_to(d, a);
                if (a == RES) {
                    write_segmented(fd_a, good.data, good.len, a + b, 100000);
                }
                n = vfio_ref_mig_get_path(flags, a, b, path, 8);
                vfio_ref_device_get_stats(d, &before);
                r = vfio_ref_device_set_state(d, b, &fd_b);
                vfio_ref_device_get_stats(d, &after);
                if (a == SCOPY && (b == PCOPY || b == PP2)) {
                    ck_assert_int_eq(r, -EINVAL);
                    ck_assert_int_eq(n, -EINVAL);
                    ck_assert_uint_eq(dev_state(d), SCOPY);
                    ck_assert_uint_eq(after.arcs, before.arcs);
                    /* The session is untouched. */
                    ck_assert_int_eq(read_until(fd_a, NULL), 0);
                } else {
                    ck_assert_msg(r == 0, "flags %u: %u -> %u: %d", flags, a, b,
                                  r);
                    ck_assert_uint_eq(dev_state(d), b);
                    ck_assert_uint_eq(after.arcs - before.arcs, (uint64_t)n);
                    ck_assert_msg((fd_b >= 0) == opens_session(a, b),
                                  "flags %u: %u -> %u fd %d", flags, a, b,
                                  fd_b);
                }
                if (fd_a >= 0) {
                    close(fd_a);
                }
                if (fd_b >= 0) {
                    close(fd_b);
                }
            }
        }
        free(good.data);
        vfio_ref_device_free(d);
    }
}
END_TEST

START_TEST(test_refused_requests)
{
    VfioRefDevice *d = new_dev("refuse", SC, SIZE, 3);
    int fd = 5;

    /* Unsupported, out of range, ERROR: refused, nothing changes. */
    ck_assert_int_eq(vfio_ref_device_set_state(d, RP2, &fd), -EINVAL);
    ck_assert_int_eq(fd, -1);
    ck_assert_int_eq(vfio_ref_device_set_state(d, PCOPY, &fd), -EINVAL);
    ck_assert_int_eq(vfio_ref_device_set_state(d, 8, &fd), -EINVAL);
    ck_assert_int_eq(vfio_ref_device_set_state(d, ERR_, &fd), -EINVAL);
    ck_assert_uint_eq(dev_state(d), RUN);
    /* The current state: success, nothing happens. */
    ck_assert_int_eq(vfio_ref_device_set_state(d, RUN, &fd), 0);
    ck_assert_int_eq(fd, -1);
    /* From ERROR nothing but a reset. */
    bring_to(d, ERR_);
    for (uint32_t s = 0; s < 9; s++) {
        ck_assert_int_eq(vfio_ref_device_set_state(d, s, &fd), -EINVAL);
        ck_assert_uint_eq(dev_state(d), ERR_);
    }
    ck_assert_int_eq(vfio_ref_device_reset(d), 0);
    ck_assert_uint_eq(dev_state(d), RUN);
    vfio_ref_device_free(d);
}
END_TEST

START_TEST(test_resuming_without_data)
{
    VfioRefDevice *d = new_dev("empty", SC | P2P, SIZE, 4);
    int fd = bring_to(d, RES);

    /* RESUMING -> RUNNING goes through STOP, which finds no stream. */
    ck_assert_int_eq(vfio_ref_device_set_state(d, RUN, NULL), -ENODATA);
    ck_assert_uint_eq(dev_state(d), ERR_);
    close(fd);
    vfio_ref_device_free(d);
}
END_TEST

START_TEST(test_reset_from_everywhere)
{
    for (int c = 0; c < 4; c++) {
        uint32_t flags = all_combos[c];
        VfioRefDevice *d = new_dev("reset", flags, SIZE, 5);

        for (uint32_t s = 0; s < 8; s++) {
            int fd;

            if (s != ERR_ && !vfio_ref_state_supported(flags, s)) {
                continue;
            }
            fd = bring_to(d, s);
            ck_assert_int_eq(vfio_ref_device_reset(d), 0);
            ck_assert_uint_eq(dev_state(d), RUN);
            if (fd >= 0 && saving(s)) {
                /* What the pipe holds, then end of file. */
                ck_assert_int_eq(read_until(fd, NULL), 0);
            } else if (fd >= 0) {
                /* Nobody reads a RESUMING fd after a reset. */
                ck_assert_int_eq(vfio_ref_data_write(fd, "x", 1), -1);
                ck_assert_int_eq(errno, EPIPE);
            }
            if (fd >= 0) {
                close(fd);
            }
        }
        vfio_ref_device_free(d);
    }
}
END_TEST

/* PRECOPY_INFO, waiting for the device thread to settle (it may still be
 * inside a write when we look). */
static struct vfio_precopy_info info_settled(int fd, uint64_t want_initial)
{
    struct vfio_precopy_info info = {.argsz = sizeof(info)};

    for (int i = 0; i < 2000; i++) {
        ck_assert_int_eq(vfio_ref_data_precopy_info(fd, &info), 0);
        if (info.initial_bytes == want_initial) {
            break;
        }
        usleep(1000);
    }
    return info;
}

START_TEST(test_precopy_info_and_enomsg)
{
    const uint64_t record = 256 * 1024;
    const uint64_t init_total = 64 + 2 * 32 + SIZE; /* header, 2 records */
    VfioRefDevice *d = new_dev("pre", SC | P2P | PRE, SIZE, 6);
    struct vfio_precopy_info info = {.argsz = sizeof(info)};
    Bytes b = {NULL, 0, 0};
    unsigned char buf[1000];
    int fd = bring_to(d, PCOPY);
    int64_t dirtied;
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

    ck_assert_uint_eq(init_total,
                      64 + (SIZE + record - 1) / record * 32 + SIZE);
    info = info_settled(fd, init_total);
    ck_assert_uint_eq(info.initial_bytes, init_total);
    ck_assert_uint_eq(info.dirty_bytes, 0);

    /* Reading lowers initial_bytes by exactly what was read. */
    for (size_t got = 0; got < sizeof(buf);) {
        ssize_t n = vfio_ref_data_read(fd, buf + got, sizeof(buf) - got);

        ck_assert_int_gt(n, 0);
        got += (size_t)n;
    }
    info = info_settled(fd, init_total - sizeof(buf));
    ck_assert_uint_eq(info.initial_bytes, init_total - sizeof(buf));

    /* The rest of the initial image, then the temporary end. */
    ck_assert_int_eq(read_until(fd, &b), 1);
    ck_assert_uint_eq(b.len + sizeof(buf), init_total);
    info = info_settled(fd, 0);
    ck_assert_uint_eq(info.initial_bytes, 0);
    ck_assert_uint_eq(info.dirty_bytes, 0);
    errno = 0;
    ck_assert_int_eq(vfio_ref_data_read(fd, buf, sizeof(buf)), -1);
    ck_assert_int_eq(errno, ENOMSG);
    ck_assert_int_eq(vfio_ref_data_splice(fd, fd, 100), -1);
    ck_assert_int_eq(errno, ENOMSG);

    /* The device runs: dirty data appears, and goes when read. */
    dirtied = vfio_ref_device_run(d, 3 * page);
    ck_assert_int_eq(dirtied, (int64_t)(3 * page));
    ck_assert_int_eq(vfio_ref_data_precopy_info(fd, &info), 0);
    ck_assert_uint_eq(info.initial_bytes, 0);
    ck_assert_uint_ge(info.dirty_bytes, page);
    ck_assert_uint_le(info.dirty_bytes, 3 * page + 3 * 32);
    b.len = 0;
    ck_assert_int_eq(read_until(fd, &b), 1);
    ck_assert_uint_ge(b.len, page + 32);
    info = info_settled(fd, 0);
    ck_assert_uint_eq(info.dirty_bytes, 0);

    /* PRE_COPY_P2P is a pre-copy state too. */
    ck_assert_int_eq(vfio_ref_device_set_state(d, PP2, NULL), 0);
    ck_assert_int_eq(vfio_ref_data_precopy_info(fd, &info), 0);
    ck_assert_int_eq(vfio_ref_data_read(fd, buf, sizeof(buf)), -1);
    ck_assert_int_eq(errno, ENOMSG);

    /* Too small an argsz. */
    info.argsz = 8;
    ck_assert_int_eq(vfio_ref_data_precopy_info(fd, &info), -1);
    ck_assert_int_eq(errno, EINVAL);
    info.argsz = sizeof(info);

    /* STOP_COPY: no PRECOPY_INFO, the END record, then end of file (and
     * never ENOMSG). */
    ck_assert_int_eq(vfio_ref_device_set_state(d, SCOPY, NULL), 0);
    ck_assert_int_eq(vfio_ref_data_precopy_info(fd, &info), -1);
    ck_assert_int_eq(errno, EINVAL);
    b.len = 0;
    ck_assert_int_eq(read_until(fd, &b), 0);
    ck_assert_uint_eq(b.len, 32);
    ck_assert_int_eq(vfio_ref_data_read(fd, buf, sizeof(buf)), 0);

    /* Once the session is over the fd is no data fd any more. */
    ck_assert_int_eq(vfio_ref_device_set_state(d, STOP, NULL), 0);
    ck_assert_int_eq(vfio_ref_data_precopy_info(fd, &info), -1);
    ck_assert_int_eq(errno, ENOTTY);
    close(fd);
    free(b.data);
    vfio_ref_device_free(d);
}
END_TEST

START_TEST(test_precopy_info_elsewhere)
{
    VfioRefDevice *d = new_dev("sc", SC, SIZE, 7);
    struct vfio_precopy_info info = {.argsz = sizeof(info)};
    int fd = bring_to(d, SCOPY);

    ck_assert_int_eq(vfio_ref_data_precopy_info(fd, &info), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_int_eq(vfio_ref_data_precopy_info(0, &info), -1);
    ck_assert_int_eq(errno, ENOTTY);
    close(fd);
    vfio_ref_device_free(d);
}
END_TEST

START_TEST(test_leaving_precopy_ends_session)
{
    VfioRefDevice *d = new_dev("pre", SC | PRE, SIZE, 8);
    int fd = bring_to(d, PCOPY);

    ck_assert_int_eq(vfio_ref_device_set_state(d, RUN, NULL), 0);
    /* Whatever was in the pipe, then end of file: no ENOMSG. */
    ck_assert_int_eq(read_until(fd, NULL), 0);
    close(fd);
    vfio_ref_device_free(d);
}
END_TEST

START_TEST(test_roundtrip_random_segmentation)
{
    for (int c = 0; c < 4; c++) {
        VfioRefDevice *src = new_dev("src", all_combos[c], 1048576 + 123, 10);
        VfioRefDevice *dst = new_dev("dst", all_combos[c], 1048576 + 123, 11);
        Bytes b;

        ck_assert_uint_ne(dev_hash(src), dev_hash(dst));
        b = save_stream(src);
        for (unsigned seed = 1; seed <= 8; seed++) {
            ck_assert_int_eq(vfio_ref_device_reset(dst), 0);
            ck_assert_int_eq(vfio_ref_device_fill(dst, seed), 0);
            ck_assert_int_eq(vfio_ref_device_set_state(dst, STOP, NULL), 0);
            ck_assert_int_eq(load_stream(dst, &b, seed), 0);
            ck_assert_uint_eq(dev_state(dst), STOP);
            ck_assert_uint_eq(dev_hash(dst), dev_hash(src));
        }
        free(b.data);
        vfio_ref_device_free(src);
        vfio_ref_device_free(dst);
    }
}
END_TEST

START_TEST(test_roundtrip_byte_writes)
{
    VfioRefDevice *src = new_dev("src", SC, 20000, 12);
    VfioRefDevice *dst = new_dev("dst", SC, 20000, 13);
    Bytes b = save_stream(src);
    int fd;

    ck_assert_int_eq(vfio_ref_device_set_state(dst, RES, &fd), 0);
    for (size_t i = 0; i < b.len; i++) {
        ck_assert_int_eq(vfio_ref_data_write(fd, b.data + i, 1), 1);
    }
    ck_assert_int_eq(vfio_ref_device_set_state(dst, RUN, NULL), 0);
    ck_assert_uint_eq(dev_hash(dst), dev_hash(src));
    close(fd);
    free(b.data);
    vfio_ref_device_free(src);
    vfio_ref_device_free(dst);
}
END_TEST

/* Move everything available from @in to @out; returns 1 at ENOMSG, 0 at
 * end of file. */
static int splice_until(int in, int out)
{
    for (;;) {
        ssize_t n = vfio_ref_data_splice(in, out, 1 << 20);

        if (n == 0) {
            return 0;
        }
        if (n < 0) {
            ck_assert_int_eq(errno, ENOMSG);
            return 1;
        }
    }
}

/*
 * The source dirties pages whose bytes sit in the pipe (handed over by
 * reference, not copied): the stream must stay intact and the copy exact.
 */
START_TEST(test_precopy_dirtying_pages_in_flight)
{
    const uint64_t size = 4u << 20;
    VfioRefDevice *src = new_dev("src", SC | P2P | PRE, size, 14);
    VfioRefDevice *dst = new_dev("dst", SC | P2P | PRE, size, 15);
    VfioRefDeviceStats st;
    int fs, fdst;

    ck_assert_int_eq(vfio_ref_device_set_state(dst, RES, &fdst), 0);
    ck_assert_int_eq(vfio_ref_device_set_state(src, PCOPY, &fs), 0);
    for (int round = 0; round < 6; round++) {
        /* Let the device thread fill the pipe, then change lots of pages,
         * many of them still in the pipe. */
        usleep(20000);
        ck_assert_int_ge(vfio_ref_device_run(src, 2u << 20), 0);
        ck_assert_int_eq(splice_until(fs, fdst), 1);
    }
    ck_assert_int_eq(vfio_ref_device_set_state(src, PP2, NULL), 0);
    ck_assert_int_ge(vfio_ref_device_run(src, 1u << 20), 0);
    ck_assert_int_eq(vfio_ref_device_set_state(src, SCOPY, NULL), 0);
    /* Stopped: nothing changes any more. */
    ck_assert_int_eq(vfio_ref_device_run(src, 1u << 20), 0);
    ck_assert_int_eq(splice_until(fs, fdst), 0);
    ck_assert_int_eq(vfio_ref_device_set_state(dst, STOP, NULL), 0);
    ck_assert_int_eq(vfio_ref_device_set_state(src, STOP, NULL), 0);
    ck_assert_uint_eq(dev_hash(dst), dev_hash(src));
    vfio_ref_device_get_stats(src, &st);
    ck_assert_uint_gt(st.pages_cow, 0);
    ck_assert_uint_gt(st.pages_dirtied, 0);
    close(fs);
    close(fdst);
    vfio_ref_device_free(src);
    vfio_ref_device_free(dst);
}
END_TEST

/*
 * The device changes by itself (a background workload) while its pages
 * are being handed to the pipe: the stream stays intact, the copy exact.
 */
START_TEST(test_precopy_with_background_workload)
{
    const uint64_t size = 8u << 20;
    VfioRefDevice *src = new_dev("src", SC | P2P | PRE, size, 16);
    VfioRefDevice *dst = new_dev("dst", SC | P2P | PRE, size, 17);
    VfioRefDeviceStats st;
    uint64_t h;
    int fs, fdst;

    ck_assert_int_eq(vfio_ref_device_set_state(dst, RES, &fdst), 0);
    ck_assert_int_eq(vfio_ref_device_set_workload(src, 400u << 20), 0);
    ck_assert_int_eq(vfio_ref_device_set_state(src, PCOPY, &fs), 0);
    for (int round = 0; round < 5; round++) {
        ck_assert_int_eq(splice_until(fs, fdst), 1);
        usleep(10000);
    }
    ck_assert_int_eq(vfio_ref_device_set_state(src, SCOPY, NULL), 0);
    ck_assert_int_eq(splice_until(fs, fdst), 0);
    ck_assert_int_eq(vfio_ref_device_set_state(dst, STOP, NULL), 0);
    ck_assert_uint_eq(dev_hash(dst), dev_hash(src));
    vfio_ref_device_get_stats(src, &st);
    ck_assert_uint_gt(st.pages_dirtied, 100);
    /* Stopped: the workload changes nothing. */
    h = dev_hash(src);
    usleep(20000);
    ck_assert_uint_eq(dev_hash(src), h);
    /* Running again: it does; 0 stops it. */
    ck_assert_int_eq(vfio_ref_device_set_state(src, RUN, NULL), 0);
    usleep(20000);
    ck_assert_uint_ne(dev_hash(src), h);
    ck_assert_int_eq(vfio_ref_device_set_workload(src, 0), 0);
    usleep(5000);
    h = dev_hash(src);
    usleep(20000);
    ck_assert_uint_eq(dev_hash(src), h);
    close(fs);
    close(fdst);
    vfio_ref_device_free(src); /* with the workload thread */
    vfio_ref_device_free(dst);
}
END_TEST

/* --- faults ------------------------------------------------------------------
 */

typedef struct StreamCase {
    VfioRefStreamFault kind;
    int64_t arg; /* < 0: from the end of the stream */
    int err;
} StreamCase;

START_TEST(test_stream_faults)
{
    static const StreamCase cases[] = {
        {VFIO_REF_STREAM_CORRUPT, 3, EINVAL},              /* magic */
        {VFIO_REF_STREAM_CORRUPT, 20, EBADMSG},            /* header */
        {VFIO_REF_STREAM_CORRUPT, 64 + 4, EBADMSG},        /* record header */
        {VFIO_REF_STREAM_CORRUPT, 64 + 32 + 999, EBADMSG}, /* payload */
        {VFIO_REF_STREAM_CORRUPT, -1, EBADMSG},            /* END */
        {VFIO_REF_STREAM_TRUNCATE, 0, ENODATA},
        {VFIO_REF_STREAM_TRUNCATE, 63, ENODATA},
        {VFIO_REF_STREAM_TRUNCATE, 64 + 32 + 5000, ENODATA},
        {VFIO_REF_STREAM_TRUNCATE, -1, ENODATA},  /* END cut */
        {VFIO_REF_STREAM_TRUNCATE, -32, ENODATA}, /* no END */
        {VFIO_REF_STREAM_BAD_VERSION, 0, EPROTO},
        {VFIO_REF_STREAM_BAD_VERSION, 7, EPROTO},
        {VFIO_REF_STREAM_OVERLONG, 1, EMSGSIZE},
        {VFIO_REF_STREAM_OVERLONG, 5000, EMSGSIZE},
    };
    VfioRefDevice *src = new_dev("src", SC | PRE, SIZE, 20);
    VfioRefDevice *dst = new_dev("dst", SC | PRE, SIZE, 21);
    Bytes clean = save_stream(src);

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const StreamCase *t = &cases[i];
        uint64_t arg =
            t->arg < 0 ? clean.len - (uint64_t)-t->arg : (uint64_t)t->arg;
        VfioRefDeviceStats st;
        Bytes bad;

        ck_assert_int_eq(vfio_ref_device_reset(src), 0);
        ck_assert_int_eq(vfio_ref_device_fault_stream(src, t->kind, arg), 0);
        bad = save_stream(src);
        ck_assert_uint_eq(dev_state(src), STOP);
        ck_assert_int_eq(vfio_ref_device_reset(dst), 0);
        ck_assert_int_eq(vfio_ref_device_set_state(dst, STOP, NULL), 0);
        ck_assert_msg(load_stream(dst, &bad, (unsigned)i + 1) == -t->err,
                      "case %zu (%s %llu)", i,
                      vfio_ref_stream_fault_name(t->kind),
                      (unsigned long long)arg);
        /* A bad stream leaves the destination in ERROR. */
        ck_assert_uint_eq(dev_state(dst), ERR_);
        vfio_ref_device_get_stats(dst, &st);
        ck_assert_int_eq(st.last_stream_error, t->err);
        free(bad.data);
    }
    /* Faults are one-shot: the next stream is good again. */
    ck_assert_int_eq(vfio_ref_device_reset(src), 0);
    ck_assert_int_eq(vfio_ref_device_reset(dst), 0);
    {
        Bytes again = save_stream(src);

        ck_assert_int_eq(vfio_ref_device_set_state(dst, STOP, NULL), 0);
        ck_assert_int_eq(load_stream(dst, &again, 3), 0);
        ck_assert_uint_eq(dev_hash(dst), dev_hash(src));
        free(again.data);
    }
    ck_assert_int_eq(vfio_ref_device_fault_stream(src, 99, 0), -EINVAL);
    free(clean.data);
    vfio_ref_device_free(src);
    vfio_ref_device_free(dst);
}
END_TEST

/* After a refused stream and a reset, or an aborted load, the device's
 * own stream is intact again: its block checksums follow its state. */
START_TEST(test_stream_after_failed_load)
{
    VfioRefDevice *a = new_dev("a", SC | PRE, SIZE, 40);
    VfioRefDevice *b = new_dev("b", SC | PRE, SIZE, 41);
    VfioRefDevice *c = new_dev("c", SC | PRE, SIZE, 42);
    Bytes good = save_stream(a), bad, again;
    int fd;

    ck_assert_int_eq(
        vfio_ref_device_fault_stream(a, VFIO_REF_STREAM_CORRUPT, SIZE / 2), 0);
    ck_assert_int_eq(vfio_ref_device_reset(a), 0);
    bad = save_stream(a);
    ck_assert_int_eq(vfio_ref_device_set_state(b, STOP, NULL), 0);
    ck_assert_int_eq(load_stream(b, &bad, 1), -EBADMSG);
    ck_assert_int_eq(vfio_ref_device_reset(b), 0);
    again = save_stream(b);
    ck_assert_int_eq(vfio_ref_device_set_state(c, STOP, NULL), 0);
    ck_assert_int_eq(load_stream(c, &again, 2), 0);
    ck_assert_uint_eq(dev_hash(c), dev_hash(b));
    free(again.data);
    /* Half a stream, then a reset (abort). */
    ck_assert_int_eq(vfio_ref_device_reset(b), 0);
    ck_assert_int_eq(vfio_ref_device_set_state(b, RES, &fd), 0);
    write_segmented(fd, good.data, good.len / 2, 3, 4096);
    ck_assert_int_eq(vfio_ref_device_reset(b), 0);
    close(fd);
    ck_assert_int_eq(vfio_ref_device_reset(c), 0);
    again = save_stream(b);
    ck_assert_int_eq(vfio_ref_device_set_state(c, STOP, NULL), 0);
    ck_assert_int_eq(load_stream(c, &again, 4), 0);
    ck_assert_uint_eq(dev_hash(c), dev_hash(b));
    free(again.data);
    free(bad.data);
    free(good.data);
    vfio_ref_device_free(a);
    vfio_ref_device_free(b);
    vfio_ref_device_free(c);
}
END_TEST

START_TEST(test_truncate_in_precopy)
{
    VfioRefDevice *d = new_dev("trunc", SC | PRE, SIZE, 22);
    struct vfio_precopy_info info = {.argsz = sizeof(info)};
    Bytes b = {NULL, 0, 0};
    int fd;

    ck_assert_int_eq(
        vfio_ref_device_fault_stream(d, VFIO_REF_STREAM_TRUNCATE, 5000), 0);
    ck_assert_int_eq(vfio_ref_device_set_state(d, PCOPY, &fd), 0);
    ck_assert_int_eq(read_until(fd, &b), 1);
    ck_assert_uint_eq(b.len, 5000);
    info = info_settled(fd, 0);
    ck_assert_uint_eq(info.initial_bytes, 0);
    ck_assert_uint_eq(info.dirty_bytes, 0);
    vfio_ref_device_run(d, 100000);
    ck_assert_int_eq(read_until(fd, &b), 1);
    ck_assert_uint_eq(b.len, 5000);
    ck_assert_int_eq(vfio_ref_device_set_state(d, SCOPY, NULL), 0);
    ck_assert_int_eq(read_until(fd, &b), 0);
    ck_assert_uint_eq(b.len, 5000);
    close(fd);
    free(b.data);
    vfio_ref_device_free(d);
}
END_TEST

START_TEST(test_arc_faults)
{
    for (int c = 0; c < 4; c++) {
        uint32_t flags = all_combos[c];
        VfioRefDevice *d = new_dev("faulty", flags, SIZE, 23);
        Bytes good = donor_stream(flags);

        for (uint32_t a = 1; a < 8; a++) {
            for (uint32_t b = 1; b < 8; b++) {
                for (int to_error = 0; to_error < 2; to_error++) {
                    int fd_a, fd_b = 7, fd_c = -1;

                    if (!vfio_ref_mig_is_arc(flags, a, b)) {
                        continue;
                    }
                    fd_a = bring_to(d, a);
                    if (a == RES) {
                        write_segmented(fd_a, good.data, good.len, 5, 9000);
                    }
                    ck_assert_int_eq(vfio_ref_device_fail_arc(
                                         d, a, b, ETIMEDOUT, to_error, 1),
                                     0);
                    ck_assert_int_eq(vfio_ref_device_set_state(d, b, &fd_b),
                                     -ETIMEDOUT);
                    ck_assert_int_eq(fd_b, -1);
                    ck_assert_uint_eq(dev_state(d), to_error ? ERR_ : a);
                    if (to_error && fd_a >= 0 && saving(a)) {
                        ck_assert_int_eq(read_until(fd_a, NULL), 0);
                    }
                    if (!to_error) {
                        /* One shot: the arc works the second time. */
                        ck_assert_int_eq(vfio_ref_device_set_state(d, b, &fd_c),
                                         0);
                        ck_assert_uint_eq(dev_state(d), b);
                    }
                    if (fd_a >= 0) {
                        close(fd_a);
                    }
                    if (fd_c >= 0) {
                        close(fd_c);
                    }
                }
            }
        }
        free(good.data);
        vfio_ref_device_free(d);
    }
}
END_TEST

START_TEST(test_arc_fault_inside_combination)
{
    VfioRefDevice *d = new_dev("mid", SC | P2P, SIZE, 24);
    int fd = 3;

    /* RUNNING -> STOP_COPY is RUNNING -> RUNNING_P2P -> STOP -> STOP_COPY:
     * failing the last arc leaves the device in STOP, inside the path. */
    ck_assert_int_eq(vfio_ref_device_fail_arc(d, STOP, SCOPY, EIO, false, 0),
                     0);
    ck_assert_int_eq(vfio_ref_device_set_state(d, SCOPY, &fd), -EIO);
    ck_assert_int_eq(fd, -1);
    ck_assert_uint_eq(dev_state(d), STOP);
    /* count 0: for ever. */
    ck_assert_int_eq(vfio_ref_device_set_state(d, SCOPY, &fd), -EIO);
    vfio_ref_device_clear_faults(d);
    ck_assert_int_eq(vfio_ref_device_set_state(d, SCOPY, &fd), 0);
    ck_assert_int_ge(fd, 0);
    close(fd);
    /* Not arcs / bad errno. */
    ck_assert_int_eq(vfio_ref_device_fail_arc(d, RUN, STOP, EIO, false, 0),
                     -EINVAL);
    ck_assert_int_eq(vfio_ref_device_fail_arc(d, RUN, PCOPY, EIO, false, 0),
                     -EINVAL);
    ck_assert_int_eq(vfio_ref_device_fail_arc(d, RUN, RP2, 0, false, 0),
                     -EINVAL);
    vfio_ref_device_free(d);
}
END_TEST

/* --- the VFIO_DEVICE_FEATURE entry point
 * --------------------------------------- */

typedef struct FeatureBuf {
    uint64_t raw[4]; /* struct vfio_device_feature and its payload */
} FeatureBuf;

static struct vfio_device_feature *fhdr(FeatureBuf *f)
{
    return (struct vfio_device_feature *)(void *)f->raw;
}

static int feature(VfioRefDevice *d, FeatureBuf *f, uint32_t flags,
                   uint32_t payload)
{
    fhdr(f)->argsz = (uint32_t)sizeof(struct vfio_device_feature) + payload;
    fhdr(f)->flags = flags;
    return vfio_ref_device_feature(d, fhdr(f));
}

START_TEST(test_feature_ioctl)
{
    VfioRefDevice *d = new_dev("ioctl", SC | PRE, SIZE, 25);
    const uint32_t GET = VFIO_DEVICE_FEATURE_GET;
    const uint32_t SET = VFIO_DEVICE_FEATURE_SET;
    const uint32_t PROBE = VFIO_DEVICE_FEATURE_PROBE;
    FeatureBuf f;
    struct vfio_device_feature_migration mig;
    struct vfio_device_feature_mig_state ms;
    struct vfio_device_feature_mig_data_size ds;

    memset(&f, 0, sizeof(f));
    ck_assert_int_eq(feature(d, &f, GET | VFIO_DEVICE_FEATURE_MIGRATION, 8), 0);
    memcpy(&mig, fhdr(&f)->data, sizeof(mig));
    ck_assert_uint_eq(mig.flags, SC | PRE);
    ck_assert_int_eq(feature(d, &f, SET | VFIO_DEVICE_FEATURE_MIGRATION, 8),
                     -EINVAL);
    ck_assert_int_eq(
        feature(d, &f, PROBE | GET | VFIO_DEVICE_FEATURE_MIGRATION, 0), 0);
    ck_assert_int_eq(
        feature(d, &f, PROBE | SET | VFIO_DEVICE_FEATURE_MIGRATION, 0),
        -EINVAL);
    ck_assert_int_eq(feature(d, &f, GET | VFIO_DEVICE_FEATURE_MIGRATION, 4),
                     -EINVAL);

    ck_assert_int_eq(feature(d, &f, GET | VFIO_DEVICE_FEATURE_MIG_DATA_SIZE, 8),
                     0);
    memcpy(&ds, fhdr(&f)->data, sizeof(ds));
    ck_assert_uint_eq(ds.stop_copy_length, 64 + 2 * 32 + SIZE + 32);
    ck_assert_int_eq(feature(d, &f, SET | VFIO_DEVICE_FEATURE_MIG_DATA_SIZE, 8),
                     -EINVAL);

    ck_assert_int_eq(
        feature(d, &f, GET | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, 8), 0);
    memcpy(&ms, fhdr(&f)->data, sizeof(ms));
    ck_assert_uint_eq(ms.device_state, RUN);
    ck_assert_int_eq(ms.data_fd, -1);
    ms.device_state = SCOPY;
    memcpy(fhdr(&f)->data, &ms, sizeof(ms));
    ck_assert_int_eq(
        feature(d, &f, SET | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, 8), 0);
    memcpy(&ms, fhdr(&f)->data, sizeof(ms));
    ck_assert_int_ge(ms.data_fd, 0);
    close(ms.data_fd);
    ms.device_state = PCOPY; /* refused from STOP_COPY */
    memcpy(fhdr(&f)->data, &ms, sizeof(ms));
    ck_assert_int_eq(
        feature(d, &f, SET | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, 8), -EINVAL);
    memcpy(&ms, fhdr(&f)->data, sizeof(ms));
    ck_assert_int_eq(ms.data_fd, -1);
    ck_assert_int_eq(
        feature(d, &f, GET | SET | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, 8),
        -EINVAL);

    ck_assert_int_eq(feature(d, &f, GET | 3, 8), -ENOTTY);
    ck_assert_int_eq(feature(d, &f, VFIO_DEVICE_FEATURE_MIGRATION, 8), -EINVAL);
    ck_assert_int_eq(
        feature(d, &f, (1u << 20) | GET | VFIO_DEVICE_FEATURE_MIGRATION, 8),
        -EINVAL);
    fhdr(&f)->argsz = 4;
    ck_assert_int_eq(vfio_ref_device_feature(d, fhdr(&f)), -EINVAL);
    vfio_ref_device_free(d);
}
END_TEST

START_TEST(test_data_size)
{
    VfioRefDevice *d = new_dev("size", SC | PRE, SIZE, 26);
    uint64_t full, len;
    int fd;

    ck_assert_int_eq(vfio_ref_device_get_data_size(d, &full), 0);
    ck_assert_uint_eq(full, 64 + 2 * 32 + SIZE + 32);
    fd = bring_to(d, PCOPY);
    ck_assert_int_eq(read_until(fd, NULL), 1);
    ck_assert_int_eq(vfio_ref_device_get_data_size(d, &len), 0);
    ck_assert_uint_lt(len, full / 2);
    close(fd);
    vfio_ref_device_free(d);
}
END_TEST

START_TEST(test_run_hash_fill_peek)
{
    VfioRefDevice *a = new_dev("a", SC, SIZE, 30);
    VfioRefDevice *b = new_dev("b", SC, SIZE, 30);
    unsigned char x[16], y[16];
    uint64_t h;
    int fd;

    /* Same seed, same state. */
    ck_assert_uint_eq(dev_hash(a), dev_hash(b));
    ck_assert_int_eq(vfio_ref_device_peek(a, SIZE - 16, x, 16), 0);
    ck_assert_int_eq(vfio_ref_device_peek(b, SIZE - 16, y, 16), 0);
    ck_assert(!memcmp(x, y, 16));
    ck_assert_int_eq(vfio_ref_device_peek(a, SIZE - 15, x, 16), -EINVAL);
    /* Running: it changes. */
    ck_assert_int_gt(vfio_ref_device_run(a, 1), 0);
    ck_assert_uint_ne(dev_hash(a), dev_hash(b));
    /* Stopped: it does not. */
    ck_assert_int_eq(vfio_ref_device_set_state(a, STOP, NULL), 0);
    h = dev_hash(a);
    ck_assert_int_eq(vfio_ref_device_run(a, 1 << 20), 0);
    ck_assert_uint_eq(dev_hash(a), h);
    ck_assert_int_eq(vfio_ref_device_fill(a, 30), 0);
    ck_assert_uint_eq(dev_hash(a), dev_hash(b));
    /* Busy while RESUMING. */
    ck_assert_int_eq(vfio_ref_device_set_state(a, RES, &fd), 0);
    ck_assert_int_eq(vfio_ref_device_hash(a, &h), -EBUSY);
    ck_assert_int_eq(vfio_ref_device_peek(a, 0, x, 1), -EBUSY);
    ck_assert_int_eq(vfio_ref_device_fill(a, 1), -EBUSY);
    close(fd);
    vfio_ref_device_free(a);
    vfio_ref_device_free(b);
}
END_TEST

START_TEST(test_zero_size_device)
{
    VfioRefDevice *src = new_dev("z1", SC | P2P | PRE, 0, 1);
    VfioRefDevice *dst = new_dev("z2", SC | P2P | PRE, 0, 2);
    Bytes b = save_stream(src);

    ck_assert_uint_eq(b.len, 64 + 32);
    ck_assert_int_eq(vfio_ref_device_set_state(dst, STOP, NULL), 0);
    ck_assert_int_eq(load_stream(dst, &b, 1), 0);
    ck_assert_uint_eq(dev_hash(src), dev_hash(dst));
    free(b.data);
    vfio_ref_device_free(src);
    vfio_ref_device_free(dst);
}
END_TEST

static Suite *device_suite(void)
{
    Suite *s = suite_create("vfio-device");
    TCase *tc = tcase_create("device");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_create);
    tcase_add_test(tc, test_single_arcs);
    tcase_add_test(tc, test_combination_transitions);
    tcase_add_test(tc, test_refused_requests);
    tcase_add_test(tc, test_resuming_without_data);
    tcase_add_test(tc, test_reset_from_everywhere);
    tcase_add_test(tc, test_precopy_info_and_enomsg);
    tcase_add_test(tc, test_precopy_info_elsewhere);
    tcase_add_test(tc, test_leaving_precopy_ends_session);
    tcase_add_test(tc, test_roundtrip_random_segmentation);
    tcase_add_test(tc, test_roundtrip_byte_writes);
    tcase_add_test(tc, test_precopy_dirtying_pages_in_flight);
    tcase_add_test(tc, test_precopy_with_background_workload);
    tcase_add_test(tc, test_stream_faults);
    tcase_add_test(tc, test_stream_after_failed_load);
    tcase_add_test(tc, test_truncate_in_precopy);
    tcase_add_test(tc, test_arc_faults);
    tcase_add_test(tc, test_arc_fault_inside_combination);
    tcase_add_test(tc, test_feature_ioctl);
    tcase_add_test(tc, test_data_size);
    tcase_add_test(tc, test_run_hash_fill_peek);
    tcase_add_test(tc, test_zero_size_device);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(device_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
