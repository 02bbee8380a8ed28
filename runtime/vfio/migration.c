/*
 * The VMM side of VFIO device migration (qapi/vfio-migration.h): state
 * changes with QEMU's event and recovery policy, and a whole migration
 * between two reference devices.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "qapi/vfio-migration.h"

struct VfioMigDevice {
    VfioRefDevice *dev;
    VfioMigEventFn *emit;
    void *opaque;
    bool events;
    uint32_t state; /* as the VMM knows it */
    int data_fd;
};

VfioMigDevice *vfio_mig_device_new(VfioRefDevice *dev, VfioMigEventFn *emit,
                                   void *opaque)
{
    VfioMigDevice *m;

    if (!dev) {
        errno = EINVAL;
        return NULL;
    }
    m = calloc(1, sizeof(*m));
    if (!m) {
        return NULL;
    }
    m->dev = dev;
    m->emit = emit;
    m->opaque = opaque;
    m->events = true;
    m->data_fd = -1;
    vfio_ref_device_get_state(dev, &m->state);
    return m;
}

static void close_data_fd(VfioMigDevice *m)
{
    if (m->data_fd >= 0) {
        close(m->data_fd);
        m->data_fd = -1;
    }
}

void vfio_mig_device_free(VfioMigDevice *m)
{
    if (m) {
        close_data_fd(m);
        free(m);
    }
}

VfioRefDevice *vfio_mig_device_dev(const VfioMigDevice *m)
{
    return m ? m->dev : NULL;
}

uint32_t vfio_mig_device_state(const VfioMigDevice *m)
{
    return m ? m->state : VFIO_DEVICE_STATE_ERROR;
}

int vfio_mig_device_data_fd(const VfioMigDevice *m)
{
    return m ? m->data_fd : -1;
}

void vfio_mig_device_set_events(VfioMigDevice *m, bool enabled)
{
    if (m) {
        m->events = enabled;
    }
}

bool vfio_mig_device_events(const VfioMigDevice *m)
{
    return m && m->events;
}

static void emit(VfioMigDevice *m, VfioMigEventKind kind, uint32_t state)
{
    /* ERROR has no QapiVfioMigrationState value: never reported. */
    if (m->events && m->emit && vfio_ref_state_qapi_name(state)) {
        m->emit(m->opaque, kind, vfio_ref_device_id(m->dev),
                vfio_ref_device_qom_path(m->dev), state);
    }
}

/* The device is now in @state; @fd a new session's fd, or -1. */
static void now_in(VfioMigDevice *m, uint32_t state, int fd)
{
    m->state = state;
    if (fd >= 0) {
        close_data_fd(m);
        m->data_fd = fd;
    } else if (!vfio_ref_state_is_saving(state) &&
               state != VFIO_DEVICE_STATE_RESUMING) {
        close_data_fd(m); /* the session ended */
    }
    emit(m, VFIO_MIG_EVENT_MIGRATION, state);
}

int vfio_mig_reset(VfioMigDevice *m)
{
    int r;

    if (!m) {
        return -EINVAL;
    }
    r = vfio_ref_device_reset(m->dev);
    if (r == 0) {
        now_in(m, VFIO_DEVICE_STATE_RUNNING, -1);
    }
    return r;
}

int vfio_mig_set_state(VfioMigDevice *m, uint32_t new_state,
                       uint32_t recover_state)
{
    int fd, r;

    if (!m) {
        return -EINVAL;
    }
    if (new_state == m->state) {
        return 0;
    }
    emit(m, VFIO_MIG_EVENT_PREPARE, new_state);
    r = vfio_ref_device_set_state(m->dev, new_state, &fd);
    if (r == 0) {
        now_in(m, new_state, fd);
        return 0;
    }
    if (recover_state != VFIO_DEVICE_STATE_ERROR) {
        emit(m, VFIO_MIG_EVENT_PREPARE, recover_state);
        if (vfio_ref_device_set_state(m->dev, recover_state, &fd) == 0) {
            now_in(m, recover_state, fd);
            return r;
        }
    }
    vfio_mig_reset(m);
    return r;
}

int vfio_mig_walk(VfioMigDevice *m, uint32_t target)
{
    uint32_t path[VFIO_REF_NUM_STATES];
    int n;

    if (!m) {
        return -EINVAL;
    }
    n = vfio_ref_mig_get_path(vfio_ref_device_flags(m->dev), m->state, target,
                              path, VFIO_REF_NUM_STATES);
    if (n < 0) {
        return n;
    }
    for (int i = 0; i < n; i++) {
        int r = vfio_mig_set_state(m, path[i], m->state);

        if (r < 0) {
            return r;
        }
    }
    return 0;
}

/* --- a whole migration ------------------------------------------------------
 */

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct Pump {
    VfioMigDevice *src, *dst;
    VfioMigCopyMode mode;
    size_t chunk;
    char *buf;
    double first, last; /* first and last data moved */
} Pump;

static int write_all(int fd, const char *buf, size_t len)
{
    while (len) {
        ssize_t n = vfio_ref_data_write(fd, buf, len);

        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -errno;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/*
 * Move data from the source's fd to the destination's until the
 * temporary end of a PRE_COPY stream (*eof false) or the end of the
 * stream (*eof true), or @limit bytes (if not 0: a source dirtying
 * faster than data moves never reaches the temporary end).  Adds the
 * bytes moved to *moved.
 */
static int pump(Pump *p, uint64_t *moved, bool *eof, uint64_t limit)
{
    int in = p->src->data_fd, out = p->dst->data_fd;
    uint64_t done = 0;

    *eof = false;
    for (;;) {
        ssize_t n;

        if (limit && done >= limit) {
            return 0;
        }

        if (p->mode == VFIO_MIG_COPY_SPLICE) {
            n = vfio_ref_data_splice(in, out, p->chunk);
        } else {
            n = vfio_ref_data_read(in, p->buf, p->chunk);
            if (n > 0) {
                int r = write_all(out, p->buf, (size_t)n);

                if (r < 0) {
                    return r;
                }
            }
        }
        if (n > 0) {
            p->last = now_seconds();
            if (!p->first) {
                p->first = p->last;
            }
            *moved += (uint64_t)n;
            done += (uint64_t)n;
        } else if (n == 0) {
            *eof = true;
            return 0;
        } else if (errno == ENOMSG) {
            return 0;
        } else if (errno != EINTR) {
            return -errno;
        }
    }
}

static int step_failed(VfioMigStats *st, int r, const char *what)
{
    if (!st->error) {
        st->error = -r;
        snprintf(st->failed_step, sizeof(st->failed_step), "%s", what);
    }
    return r;
}

int vfio_mig_migrate(VfioMigDevice *src, VfioMigDevice *dst,
                     const VfioMigOptions *opts, VfioMigStats *st)
{
    static const VfioMigOptions defaults = {0};
    VfioRefDevice *sd, *dd;
    uint32_t flags;
    unsigned max_rounds;
    double t0, t_stop = 0;
    Pump p = {src, dst, VFIO_MIG_COPY_SPLICE, 0, NULL, 0, 0};
    bool eof = false;
    int r;

    if (!src || !dst || !st) {
        return -EINVAL;
    }
    sd = src->dev;
    dd = dst->dev;
    flags = vfio_ref_device_flags(sd);
    if (!opts) {
        opts = &defaults;
    }
    memset(st, 0, sizeof(*st));
    st->state_size = vfio_ref_device_state_size(sd);
    if (vfio_ref_device_state_size(dd) != st->state_size ||
        vfio_ref_device_flags(dd) != flags || src == dst || sd == dd) {
        return step_failed(st, -EINVAL, "incompatible devices");
    }
    max_rounds = opts->max_rounds ? opts->max_rounds : 8;
    p.mode = opts->copy_mode;
    p.chunk = opts->chunk ? opts->chunk : (size_t)1 << 20;
    if (p.mode == VFIO_MIG_COPY_RW) {
        p.buf = malloc(p.chunk);
        if (!p.buf) {
            return step_failed(st, -ENOMEM, "buffer");
        }
    }
    t0 = now_seconds();

    /* The destination waits for the stream. */
    r = vfio_mig_walk(dst, VFIO_DEVICE_STATE_STOP);
    if (r < 0) {
        step_failed(st, r, "destination to STOP");
        goto fail;
    }
    r = vfio_mig_walk(dst, VFIO_DEVICE_STATE_RESUMING);
    if (r < 0) {
        step_failed(st, r, "destination to RESUMING");
        goto fail;
    }

    /* Pre-copy, while the source runs. */
    if (flags & VFIO_MIGRATION_PRE_COPY) {
        r = vfio_mig_walk(src, VFIO_DEVICE_STATE_PRE_COPY);
        if (r < 0) {
            step_failed(st, r, "source to PRE_COPY");
            goto fail;
        }
        for (;;) {
            struct vfio_precopy_info info = {.argsz = sizeof(info)};

            /* A round: the temporary end, or about a state's worth. */
            r = pump(&p, &st->bytes_precopy, &eof,
                     st->state_size + ((uint64_t)1 << 20));
            if (r < 0) {
                step_failed(st, r, "pre-copy data");
                goto fail;
            }
            st->rounds++;
            vfio_ref_device_run(sd, opts->dirty_per_round);
            if (vfio_ref_data_precopy_info(src->data_fd, &info) < 0) {
                step_failed(st, -errno, "PRECOPY_INFO");
                r = -st->error;
                goto fail;
            }
            if (eof || (info.initial_bytes == 0 &&
                        (info.dirty_bytes <= opts->stop_copy_threshold ||
                         st->rounds >= max_rounds))) {
                break;
            }
        }
    }

    /* Stop-and-copy: the source stops (through PRE_COPY_P2P or
     * RUNNING_P2P and STOP where the kernel's path goes). */
    t_stop = now_seconds();
    r = vfio_mig_walk(src, VFIO_DEVICE_STATE_STOP_COPY);
    if (r < 0) {
        step_failed(st, r, "source to STOP_COPY");
        goto fail;
    }
    while (!eof) {
        r = pump(&p, &st->bytes_stopcopy, &eof, 0);
        if (r < 0) {
            step_failed(st, r, "stop-copy data");
            goto fail;
        }
        if (!eof) {
            /* ENOMSG in STOP_COPY: the uAPI does not allow it */
            r = step_failed(st, -EPROTO, "stop-copy data");
            goto fail;
        }
    }

    /* The destination loads (and checks) the state, then runs. */
    r = vfio_mig_walk(dst, VFIO_DEVICE_STATE_STOP);
    if (r < 0) {
        step_failed(st, r, "destination to STOP");
        goto fail;
    }
    r = vfio_mig_walk(dst, VFIO_DEVICE_STATE_RUNNING);
    if (r < 0) {
        step_failed(st, r, "destination to RUNNING");
        goto fail;
    }
    st->downtime_seconds = now_seconds() - t_stop;
    r = vfio_mig_walk(src, VFIO_DEVICE_STATE_STOP);
    if (r < 0) {
        step_failed(st, r, "source to STOP");
        goto fail;
    }
    st->seconds = now_seconds() - t0;
    st->transfer_seconds = p.last - p.first;
    st->bytes = st->bytes_precopy + st->bytes_stopcopy;
    free(p.buf);

    if (vfio_ref_device_hash(sd, &st->src_hash) < 0 ||
        vfio_ref_device_hash(dd, &st->dst_hash) < 0 ||
        st->src_hash != st->dst_hash) {
        return step_failed(st, -EIO, "state hash");
    }
    st->verified = true;
    return 0;

fail:
    free(p.buf);
    st->seconds = now_seconds() - t0;
    st->transfer_seconds = p.last > p.first ? p.last - p.first : 0;
    st->bytes = st->bytes_precopy + st->bytes_stopcopy;
    close_data_fd(src);
    close_data_fd(dst);
    vfio_mig_set_state(src, VFIO_DEVICE_STATE_RUNNING, VFIO_DEVICE_STATE_ERROR);
    vfio_mig_set_state(dst, VFIO_DEVICE_STATE_RUNNING, VFIO_DEVICE_STATE_ERROR);
    return r;
}
