/*
 * The reference migration-capable device: its FSM arcs, the uAPI
 * operations, its workload and fault injection.  Data sessions are in
 * save.c and resume.c, the data fd calls in datafd.c.
 *
 * What each arc does (the uAPI's arc descriptions):
 *
 *   STOP -> STOP_COPY, RUNNING -> PRE_COPY, RUNNING_P2P -> PRE_COPY_P2P
 *       open the saving session and return its fd (PRE_COPY: the device
 *       keeps running and tracks the pages it dirties)
 *   PRE_COPY -> PRE_COPY_P2P, PRE_COPY_P2P -> PRE_COPY
 *       nothing to the session
 *   PRE_COPY -> STOP_COPY, PRE_COPY_P2P -> STOP_COPY
 *       the device stops; the session goes on and will end with END
 *   PRE_COPY -> RUNNING, PRE_COPY_P2P -> RUNNING_P2P, STOP_COPY -> STOP
 *       end the saving session (its fd reaches end of file)
 *   STOP -> RESUMING
 *       open the resuming session and return its fd
 *   RESUMING -> STOP
 *       end it: the stream must be complete and intact, else the SET
 *       fails with the stream's errno and the device is in ERROR
 *   RUNNING <-> STOP, RUNNING <-> RUNNING_P2P, RUNNING_P2P <-> STOP
 *       the device stops or starts (P2P: quiesced peer to peer)
 *   any -> ERROR
 *       only by a failure (an injected fault or a rejected stream); the
 *       session ends; only a reset leaves ERROR
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "vfio/checksum.h"
#include "vfio/device-impl.h"

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void fill_random(unsigned char *mem, uint64_t size, uint64_t seed)
{
    uint64_t s = seed;
    uint64_t i = 0;

    for (; i + 8 <= size; i += 8) {
        uint64_t w = splitmix64(&s);

        memcpy(mem + i, &w, 8);
    }
    if (i < size) {
        uint64_t w = splitmix64(&s);

        memcpy(mem + i, &w, (size_t)(size - i));
    }
}

int vfio_ref_device_new(const VfioRefDeviceConfig *cfg, VfioRefDevice **devp)
{
    VfioRefDevice *d;
    long page = sysconf(_SC_PAGESIZE);
    size_t words;

    if (!devp) {
        return -EINVAL;
    }
    *devp = NULL;
    if (!cfg || !cfg->id || !*cfg->id || !vfio_ref_flags_valid(cfg->flags) ||
        page <= 0 || cfg->state_size > ((uint64_t)1 << 46) ||
        cfg->record_size > VFIO_STREAM_MAX_RECORD) {
        return -EINVAL;
    }
    d = calloc(1, sizeof(*d));
    if (!d) {
        return -ENOMEM;
    }
    d->id = strdup(cfg->id);
    if (cfg->qom_path) {
        d->qom_path = strdup(cfg->qom_path);
    } else if (d->id) {
        size_t n = strlen(d->id) + sizeof("/machine/peripheral/");

        d->qom_path = malloc(n);
        if (d->qom_path) {
            snprintf(d->qom_path, n, "/machine/peripheral/%s", d->id);
        }
    }
    d->flags = cfg->flags;
    d->size = cfg->state_size;
    d->page = (size_t)page;
    d->npages = (d->size + d->page - 1) / d->page;
    d->map_size = (size_t)(d->npages ? d->npages : 1) * d->page;
    /* Records: whole pages, at least one. */
    d->record = cfg->record_size ? cfg->record_size : VFIO_REF_DEFAULT_RECORD;
    d->record = (uint32_t)((d->record + d->page - 1) / d->page * d->page);
    d->state = VFIO_DEVICE_STATE_RUNNING;
    d->rng = cfg->seed ^ 0x5851F42D4C957F2Dull;
    words = (size_t)(d->npages + 63) / 64 + 1;
    d->nblocks = (d->size + VFIO_STREAM_BLOCK - 1) / VFIO_STREAM_BLOCK;
    d->block_sums = calloc((size_t)d->nblocks + 1, sizeof(uint64_t));
    d->dirty = calloc(words, sizeof(uint64_t));
    d->sent = calloc(words, sizeof(uint64_t));
    d->mem = mmap(NULL, d->map_size, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (d->mem == MAP_FAILED) {
        d->mem = NULL;
    }
    if (!d->id || !d->qom_path || !d->block_sums || !d->dirty || !d->sent ||
        !d->mem || pthread_mutex_init(&d->op_lock, NULL)) {
        goto fail;
    }
    if (pthread_mutex_init(&d->lock, NULL)) {
        pthread_mutex_destroy(&d->op_lock);
        goto fail;
    }
    if (pthread_mutex_init(&d->work_lock, NULL)) {
        pthread_mutex_destroy(&d->lock);
        pthread_mutex_destroy(&d->op_lock);
        goto fail;
    }
    if (pthread_cond_init(&d->work_cond, NULL)) {
        pthread_mutex_destroy(&d->work_lock);
        pthread_mutex_destroy(&d->lock);
        pthread_mutex_destroy(&d->op_lock);
        goto fail;
    }
    fill_random(d->mem, d->size, cfg->seed);
    vfio_ref_device_update_sums(d, 0, d->nblocks);
    *devp = d;
    return 0;

fail:
    if (d->mem) {
        munmap(d->mem, d->map_size);
    }
    free(d->block_sums);
    free(d->dirty);
    free(d->sent);
    free(d->id);
    free(d->qom_path);
    free(d);
    return -ENOMEM;
}

/* With op_lock held: end every session. */
static void end_sessions(VfioRefDevice *d)
{
    vfio_ref_save_close(d);
    vfio_ref_resume_close(d, false);
}

void vfio_ref_device_free(VfioRefDevice *d)
{
    if (!d) {
        return;
    }
    pthread_mutex_lock(&d->work_lock);
    d->work_stop = true;
    pthread_cond_broadcast(&d->work_cond);
    pthread_mutex_unlock(&d->work_lock);
    if (d->work_started) {
        pthread_join(d->work_thread, NULL);
    }
    pthread_mutex_lock(&d->op_lock);
    end_sessions(d);
    pthread_mutex_unlock(&d->op_lock);
    pthread_cond_destroy(&d->work_cond);
    pthread_mutex_destroy(&d->work_lock);
    pthread_mutex_destroy(&d->lock);
    pthread_mutex_destroy(&d->op_lock);
    /* Pages still in a pipe stay alive there: munmap is safe. */
    munmap(d->mem, d->map_size);
    free(d->block_sums);
    free(d->dirty);
    free(d->sent);
    free(d->id);
    free(d->qom_path);
    free(d);
}

void vfio_ref_device_update_sums(VfioRefDevice *d, uint64_t first,
                                 uint64_t last)
{
    for (uint64_t b = first; b < last && b < d->nblocks; b++) {
        uint64_t off = b * VFIO_STREAM_BLOCK;
        uint64_t len = d->size - off < VFIO_STREAM_BLOCK ? d->size - off
                                                         : VFIO_STREAM_BLOCK;

        d->block_sums[b] =
            vfio_stream_block_checksum(d->mem + off, (size_t)len, off);
    }
}

const char *vfio_ref_device_id(const VfioRefDevice *d)
{
    return d ? d->id : NULL;
}

const char *vfio_ref_device_qom_path(const VfioRefDevice *d)
{
    return d ? d->qom_path : NULL;
}

uint64_t vfio_ref_device_state_size(const VfioRefDevice *d)
{
    return d ? d->size : 0;
}

uint32_t vfio_ref_device_flags(const VfioRefDevice *d)
{
    return d ? d->flags : 0;
}

int vfio_ref_device_get_migration_flags(VfioRefDevice *d, uint64_t *flags)
{
    if (!d || !flags) {
        return -EINVAL;
    }
    *flags = d->flags;
    return 0;
}

int vfio_ref_device_get_state(VfioRefDevice *d, uint32_t *state)
{
    if (!d || !state) {
        return -EINVAL;
    }
    pthread_mutex_lock(&d->lock);
    *state = d->state;
    pthread_mutex_unlock(&d->lock);
    return 0;
}

static void set_dev_state(VfioRefDevice *d, uint32_t state)
{
    pthread_mutex_lock(&d->lock);
    d->state = state;
    pthread_mutex_unlock(&d->lock);
}

/* With op_lock held: an armed fault of the arc, consumed; 0 if none. */
static int arc_fault(VfioRefDevice *d, uint32_t from, uint32_t to,
                     bool *to_error)
{
    int err = 0;

    pthread_mutex_lock(&d->lock);
    for (int i = 0; i < VFIO_REF_MAX_ARC_FAULTS; i++) {
        VfioRefArcFault *f = &d->arc_faults[i];

        if (f->armed && f->from == from && f->to == to) {
            err = f->err;
            *to_error = f->to_error;
            if (f->count && --f->count == 0) {
                f->armed = false;
            }
            break;
        }
    }
    pthread_mutex_unlock(&d->lock);
    return err;
}

/* With op_lock held: go to ERROR, ending every session. */
static void enter_error(VfioRefDevice *d)
{
    end_sessions(d);
    set_dev_state(d, VFIO_DEVICE_STATE_ERROR);
}

/*
 * With op_lock held: take the arc @from -> @to.  Returns 0 (the device
 * in @to; *@fd the fd of a session the arc opened, or unchanged), or
 * -errno (the device in @from, or in ERROR).
 */
static int take_arc(VfioRefDevice *d, uint32_t from, uint32_t to, int *fd)
{
    bool to_error = false;
    int r;

    if (!vfio_ref_mig_is_arc(d->flags, from, to)) {
        return -EINVAL; /* cannot happen: the FSM only gives arcs */
    }
    r = arc_fault(d, from, to, &to_error);
    if (r) {
        if (to_error) {
            enter_error(d);
        }
        return -r;
    }

    r = 0;
    if ((from == VFIO_DEVICE_STATE_STOP && to == VFIO_DEVICE_STATE_STOP_COPY)) {
        r = vfio_ref_save_open(d, SAVE_STOPCOPY, fd);
    } else if ((from == VFIO_DEVICE_STATE_RUNNING &&
                to == VFIO_DEVICE_STATE_PRE_COPY) ||
               (from == VFIO_DEVICE_STATE_RUNNING_P2P &&
                to == VFIO_DEVICE_STATE_PRE_COPY_P2P)) {
        r = vfio_ref_save_open(d, SAVE_PRECOPY, fd);
    } else if (to == VFIO_DEVICE_STATE_STOP_COPY) {
        vfio_ref_save_to_stopcopy(d); /* from PRE_COPY or PRE_COPY_P2P */
    } else if (vfio_ref_state_is_saving(from) &&
               !vfio_ref_state_is_saving(to)) {
        vfio_ref_save_close(d);
    } else if (to == VFIO_DEVICE_STATE_RESUMING) {
        r = vfio_ref_resume_open(d, fd);
    } else if (from == VFIO_DEVICE_STATE_RESUMING) {
        r = vfio_ref_resume_close(d, true);
        if (r < 0) {
            set_dev_state(d, VFIO_DEVICE_STATE_ERROR);
            return r;
        }
    }
    if (r < 0) {
        return r;
    }
    pthread_mutex_lock(&d->lock);
    d->state = to;
    d->stats.arcs++;
    pthread_mutex_unlock(&d->lock);
    return 0;
}

int vfio_ref_device_set_state(VfioRefDevice *d, uint32_t new_state,
                              int *data_fd)
{
    int fd = -1;
    uint32_t cur;
    int r = 0;

    if (!d) {
        return -EINVAL;
    }
    if (data_fd) {
        *data_fd = -1;
    }
    pthread_mutex_lock(&d->op_lock);
    vfio_ref_device_get_state(d, &cur);
    /* Also rejects bad states when cur == new_state. */
    if (!vfio_ref_state_supported(d->flags, new_state)) {
        r = -EINVAL;
    }
    while (r == 0 && cur != new_state) {
        uint32_t next;

        r = vfio_ref_mig_get_next_state(d->flags, cur, new_state, &next);
        if (r == 0) {
            r = take_arc(d, cur, next, &fd);
            cur = next;
        }
    }
    pthread_mutex_unlock(&d->op_lock);
    if (r < 0 && fd >= 0) {
        /* cannot happen: sessions only open on a path's last arc */
        close(fd);
        fd = -1;
    }
    if (data_fd) {
        *data_fd = fd;
    } else if (fd >= 0) {
        close(fd);
    }
    return r;
}

int vfio_ref_device_get_data_size(VfioRefDevice *d, uint64_t *stop_copy_length)
{
    if (!d || !stop_copy_length) {
        return -EINVAL;
    }
    pthread_mutex_lock(&d->lock);
    if (d->save) {
        *stop_copy_length = vfio_ref_save_remaining(d->save);
    } else {
        *stop_copy_length = vfio_stream_image_bytes(d->size, d->record);
    }
    pthread_mutex_unlock(&d->lock);
    return 0;
}

int vfio_ref_device_reset(VfioRefDevice *d)
{
    if (!d) {
        return -EINVAL;
    }
    pthread_mutex_lock(&d->op_lock);
    end_sessions(d);
    pthread_mutex_lock(&d->lock);
    d->state = VFIO_DEVICE_STATE_RUNNING;
    d->stats.resets++;
    pthread_mutex_unlock(&d->lock);
    pthread_mutex_unlock(&d->op_lock);
    return 0;
}

/*
 * The checks of Linux's vfio_check_feature(): GET and SET only where the
 * feature has them, PROBE answers at once, otherwise one of GET and SET
 * and enough payload.  Returns 1 to go on, 0 (probe answered), -EINVAL.
 */
static int check_feature(uint32_t flags, size_t argsz, uint32_t ops,
                         size_t minsz)
{
    uint32_t dir = flags & (VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET);

    if (dir & ~ops) {
        return -EINVAL;
    }
    if (flags & VFIO_DEVICE_FEATURE_PROBE) {
        return 0;
    }
    if (!dir || argsz < minsz) {
        return -EINVAL;
    }
    return 1;
}

int vfio_ref_device_feature(VfioRefDevice *d,
                            struct vfio_device_feature *feature)
{
    size_t minsz = sizeof(*feature);
    uint32_t flags;
    size_t argsz;
    int r;

    if (!d || !feature) {
        return -EINVAL;
    }
    if (feature->argsz < minsz) {
        return -EINVAL;
    }
    flags = feature->flags;
    argsz = feature->argsz - minsz;
    if (flags &
        ~(uint32_t)(VFIO_DEVICE_FEATURE_MASK | VFIO_DEVICE_FEATURE_SET |
                    VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_PROBE)) {
        return -EINVAL;
    }
    if (!(flags & VFIO_DEVICE_FEATURE_PROBE) &&
        (flags & VFIO_DEVICE_FEATURE_SET) &&
        (flags & VFIO_DEVICE_FEATURE_GET)) {
        return -EINVAL;
    }
    switch (flags & VFIO_DEVICE_FEATURE_MASK) {
    case VFIO_DEVICE_FEATURE_MIGRATION: {
        struct vfio_device_feature_migration mig;

        r = check_feature(flags, argsz, VFIO_DEVICE_FEATURE_GET, sizeof(mig));
        if (r != 1) {
            return r;
        }
        mig.flags = d->flags;
        memcpy(feature->data, &mig, sizeof(mig));
        return 0;
    }
    case VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE: {
        struct vfio_device_feature_mig_state mig;
        uint32_t state;
        int fd = -1;

        r = check_feature(flags, argsz,
                          VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET,
                          sizeof(mig));
        if (r != 1) {
            return r;
        }
        memcpy(&mig, feature->data, sizeof(mig));
        if (flags & VFIO_DEVICE_FEATURE_GET) {
            vfio_ref_device_get_state(d, &state);
            mig.device_state = state;
            r = 0;
        } else {
            r = vfio_ref_device_set_state(d, mig.device_state, &fd);
        }
        mig.data_fd = fd;
        memcpy(feature->data, &mig, sizeof(mig));
        return r;
    }
    case VFIO_DEVICE_FEATURE_MIG_DATA_SIZE: {
        struct vfio_device_feature_mig_data_size size;
        uint64_t len;

        r = check_feature(flags, argsz, VFIO_DEVICE_FEATURE_GET, sizeof(size));
        if (r != 1) {
            return r;
        }
        vfio_ref_device_get_data_size(d, &len);
        size.stop_copy_length = len;
        memcpy(feature->data, &size, sizeof(size));
        return 0;
    }
    default:
        return -ENOTTY;
    }
}

/* --- workload --------------------------------------------------------------
 */

int64_t vfio_ref_device_run(VfioRefDevice *d, uint64_t bytes)
{
    uint64_t touches, changed = 0;

    if (!d) {
        return -EINVAL;
    }
    pthread_mutex_lock(&d->lock);
    if (!vfio_ref_state_is_running(d->state) || !d->npages || !bytes) {
        pthread_mutex_unlock(&d->lock);
        return 0;
    }
    touches = (bytes + d->page - 1) / d->page;
    for (uint64_t t = 0; t < touches; t++) {
        VfioRefSave *s = d->save;
        uint64_t p = splitmix64(&d->rng) % d->npages;
        uint64_t tries = 0;
        uint64_t base, span, slot;

        /* Leave the record being handed to the pipe alone. */
        while (s && p >= s->pin_lo && p < s->pin_hi && tries++ < d->npages) {
            p = (p + 1) % d->npages;
        }
        if (s && p >= s->pin_lo && p < s->pin_hi) {
            break; /* every page is pinned: nothing to change now */
        }
        base = p * d->page;
        if (bit_test(d->sent, p)) {
            /* The pipe may still hold this page: give ourselves a fresh
             * copy, the pipe keeps the old one. */
            unsigned char *pg = d->mem + base;
            unsigned char *tmp = malloc(d->page);

            if (!tmp) {
                break;
            }
            memcpy(tmp, pg, d->page);
            if (madvise(pg, d->page, MADV_DONTNEED) < 0) {
                free(tmp);
                break;
            }
            memcpy(pg, tmp, d->page);
            free(tmp);
            bit_clear(d->sent, p);
            d->stats.pages_cow++;
        }
        /* Change 64 bytes (less at the very end) somewhere in the page. */
        span = d->size - base < d->page ? d->size - base : d->page;
        slot = span > 64 ? splitmix64(&d->rng) % (span / 64) * 64 : 0;
        for (uint64_t i = slot; i < slot + 64 && i < span; i += 8) {
            uint64_t w = splitmix64(&d->rng);

            memcpy(d->mem + base + i, &w,
                   span - i < 8 ? (size_t)(span - i) : 8);
        }
        /* The block checksum follows the change (64 bytes never span
         * two blocks). */
        vfio_ref_device_update_sums(d, (base + slot) / VFIO_STREAM_BLOCK,
                                    (base + slot) / VFIO_STREAM_BLOCK + 1);
        if (s && p < s->init_next && !bit_test(d->dirty, p)) {
            bit_set(d->dirty, p);
            s->ndirty++;
        }
        d->stats.pages_dirtied++;
        changed += d->page;
    }
    if (d->save) {
        pthread_cond_broadcast(&d->save->cond);
    }
    pthread_mutex_unlock(&d->lock);
    return (int64_t)changed;
}

#define WORK_TICK_NS 2000000 /* 2 ms */

static void *work_main(void *opaque)
{
    VfioRefDevice *d = opaque;
    double carry = 0;

    pthread_mutex_lock(&d->work_lock);
    while (!d->work_stop) {
        struct timespec until;
        uint64_t rate = d->work_rate;
        uint64_t bytes;

        if (!rate) {
            pthread_cond_wait(&d->work_cond, &d->work_lock);
            carry = 0;
            continue;
        }
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += WORK_TICK_NS;
        if (until.tv_nsec >= 1000000000) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&d->work_cond, &d->work_lock, &until);
        if (d->work_stop || !d->work_rate) {
            continue;
        }
        /* This tick's share, whole pages, the rest carried over. */
        carry += (double)d->work_rate * WORK_TICK_NS / 1e9;
        bytes = (uint64_t)carry / d->page * d->page;
        carry -= (double)bytes;
        pthread_mutex_unlock(&d->work_lock);
        if (bytes) {
            vfio_ref_device_run(d, bytes);
        }
        pthread_mutex_lock(&d->work_lock);
    }
    pthread_mutex_unlock(&d->work_lock);
    return NULL;
}

int vfio_ref_device_set_workload(VfioRefDevice *d, uint64_t bytes_per_second)
{
    int r = 0;

    if (!d) {
        return -EINVAL;
    }
    pthread_mutex_lock(&d->work_lock);
    d->work_rate = bytes_per_second;
    if (bytes_per_second && !d->work_started) {
        r = -pthread_create(&d->work_thread, NULL, work_main, d);
        d->work_started = r == 0;
    }
    pthread_cond_broadcast(&d->work_cond);
    pthread_mutex_unlock(&d->work_lock);
    return r;
}

int vfio_ref_device_fill(VfioRefDevice *d, uint64_t seed)
{
    int r = 0;

    if (!d) {
        return -EINVAL;
    }
    pthread_mutex_lock(&d->op_lock);
    pthread_mutex_lock(&d->lock);
    if (d->save || d->resume) {
        r = -EBUSY;
    } else {
        fill_random(d->mem, d->size, seed);
        vfio_ref_device_update_sums(d, 0, d->nblocks);
    }
    pthread_mutex_unlock(&d->lock);
    pthread_mutex_unlock(&d->op_lock);
    return r;
}

int vfio_ref_device_hash(VfioRefDevice *d, uint64_t *hash)
{
    int r = 0;

    if (!d || !hash) {
        return -EINVAL;
    }
    pthread_mutex_lock(&d->lock);
    if (d->resume) {
        r = -EBUSY;
    } else {
        *hash = vfio_ref_checksum(d->mem, (size_t)d->size, d->size);
    }
    pthread_mutex_unlock(&d->lock);
    return r;
}

int vfio_ref_device_peek(VfioRefDevice *d, uint64_t offset, void *buf,
                         size_t len)
{
    int r = 0;

    if (!d || (!buf && len)) {
        return -EINVAL;
    }
    pthread_mutex_lock(&d->lock);
    if (offset > d->size || len > d->size - offset) {
        r = -EINVAL;
    } else if (d->resume) {
        r = -EBUSY;
    } else {
        memcpy(buf, d->mem + offset, len);
    }
    pthread_mutex_unlock(&d->lock);
    return r;
}

/* --- faults -----------------------------------------------------------------
 */

int vfio_ref_device_fail_arc(VfioRefDevice *d, uint32_t from, uint32_t to,
                             int err, bool to_error, unsigned count)
{
    VfioRefArcFault *slot = NULL;
    int r = 0;

    if (!d) {
        return -EINVAL;
    }
    if (err <= 0 || !vfio_ref_mig_is_arc(d->flags, from, to)) {
        return -EINVAL;
    }
    pthread_mutex_lock(&d->lock);
    for (int i = 0; i < VFIO_REF_MAX_ARC_FAULTS; i++) {
        VfioRefArcFault *f = &d->arc_faults[i];

        if (f->armed && f->from == from && f->to == to) {
            slot = f;
            break;
        }
        if (!f->armed && !slot) {
            slot = f;
        }
    }
    if (slot) {
        *slot = (VfioRefArcFault){from, to, err, to_error, true, count};
    } else {
        r = -ENOSPC;
    }
    pthread_mutex_unlock(&d->lock);
    return r;
}

int vfio_ref_device_fault_stream(VfioRefDevice *d, VfioRefStreamFault kind,
                                 uint64_t arg)
{
    if (!d) {
        return -EINVAL;
    }
    if (kind < VFIO_REF_STREAM_OK || kind > VFIO_REF_STREAM_OVERLONG) {
        return -EINVAL;
    }
    pthread_mutex_lock(&d->lock);
    d->stream_fault = kind;
    d->stream_fault_arg = arg;
    pthread_mutex_unlock(&d->lock);
    return 0;
}

void vfio_ref_device_clear_faults(VfioRefDevice *d)
{
    if (!d) {
        return;
    }
    pthread_mutex_lock(&d->lock);
    memset(d->arc_faults, 0, sizeof(d->arc_faults));
    d->stream_fault = VFIO_REF_STREAM_OK;
    d->stream_fault_arg = 0;
    pthread_mutex_unlock(&d->lock);
}

static const char *const fault_names[] = {
    [VFIO_REF_STREAM_OK] = "none",
    [VFIO_REF_STREAM_CORRUPT] = "corrupt",
    [VFIO_REF_STREAM_TRUNCATE] = "truncate",
    [VFIO_REF_STREAM_BAD_VERSION] = "bad-version",
    [VFIO_REF_STREAM_OVERLONG] = "overlong",
};

const char *vfio_ref_stream_fault_name(VfioRefStreamFault kind)
{
    return kind >= VFIO_REF_STREAM_OK && kind <= VFIO_REF_STREAM_OVERLONG
               ? fault_names[kind]
               : NULL;
}

int vfio_ref_stream_fault_parse(const char *name)
{
    for (int i = 0; i <= VFIO_REF_STREAM_OVERLONG; i++) {
        if (name && !strcmp(name, fault_names[i])) {
            return i;
        }
    }
    return -1;
}

void vfio_ref_device_get_stats(VfioRefDevice *d, VfioRefDeviceStats *st)
{
    if (!d || !st) {
        return;
    }
    pthread_mutex_lock(&d->lock);
    *st = d->stats;
    pthread_mutex_unlock(&d->lock);
}
