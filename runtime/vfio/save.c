/*
 * The saving session of the reference device: PRE_COPY, PRE_COPY_P2P and
 * STOP_COPY share one data fd, the read end of a pipe that a device
 * thread fills.
 *
 * The stream (stream.h) is the header, then the initial image in records
 * of dev->record bytes, in state order, then the pages the workload
 * dirtied after the initial record holding them went out; in STOP_COPY
 * the thread sends what is left and the END record, and closes the pipe:
 * the reader sees end of file.  In PRE_COPY the thread waits once it has
 * nothing to send: the temporary end of stream, where
 * vfio_ref_data_read() fails with ENOMSG.
 *
 * Payloads go to the pipe by reference (vmsplice), so moving a stream
 * from device to device copies the bytes once, on the destination (see
 * device-impl.h for what keeps that correct while the device runs).
 * Headers, and a byte an injected fault corrupts, are copied (write).
 * Their checksums come from the device's block checksums, kept up to
 * date as the state changes: the source does not read its state again to
 * send it.
 *
 * The PRECOPY_INFO numbers: the stream up to the end of the initial
 * image is "initial", the rest "dirty"; what the reader has consumed is
 * what the thread put into the pipe minus what the pipe still holds
 * (FIONREAD).  initial_bytes is the initial part not yet consumed;
 * dirty_bytes the dirty part in the pipe plus the dirty pages not yet
 * sent.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "vfio/device-impl.h"
#include "vfio/stream.h"

enum { KIND_INIT, KIND_DIRTY, KIND_END };

/* The stream stops here (an injected truncation). */
#define STREAM_CUT (-ESHUTDOWN)

/* Put @len bytes into the pipe, waiting for room; no fault handling. */
static int put_raw(VfioRefSave *s, const unsigned char *buf, size_t len,
                   bool by_ref)
{
    VfioRefDevice *d = s->dev;

    while (len) {
        ssize_t n;

        if (by_ref) {
            struct iovec iov = {(void *)buf, len};

            n = vmsplice(s->wfd, &iov, 1, SPLICE_F_NONBLOCK);
        } else {
            n = write(s->wfd, buf, len);
        }
        if (n > 0) {
            bool cancel;

            pthread_mutex_lock(&d->lock);
            s->produced += (uint64_t)n;
            s->cur_left -=
                s->cur_left < (uint64_t)n ? s->cur_left : (uint64_t)n;
            d->stats.bytes_saved += (uint64_t)n;
            cancel = s->cancel;
            if (s->waiters) {
                pthread_cond_broadcast(&s->cond); /* readers: data came */
            }
            pthread_mutex_unlock(&d->lock);
            if (cancel) {
                return -ECANCELED;
            }
            buf += n;
            len -= (size_t)n;
        } else if (n < 0 && errno == EAGAIN) {
            int r = vfio_ref_wait_fd(s->wfd, POLLOUT, s->cancel_fd);

            if (r <= 0) {
                return r ? r : -ECANCELED;
            }
        } else if (n < 0 && errno != EINTR) {
            return -errno;
        }
    }
    return 0;
}

/* Put @len bytes into the pipe, applying the session's stream fault. */
static int put(VfioRefSave *s, const unsigned char *buf, size_t len,
               bool by_ref)
{
    uint64_t pos = s->produced;
    int r;

    if (s->fault == VFIO_REF_STREAM_TRUNCATE && pos + len >= s->fault_arg) {
        size_t keep = s->fault_arg > pos ? (size_t)(s->fault_arg - pos) : 0;

        r = put_raw(s, buf, keep, by_ref);
        if (r == 0 && pos + len > s->fault_arg) {
            pthread_mutex_lock(&s->dev->lock);
            s->truncated = true;
            s->fault = VFIO_REF_STREAM_OK;
            pthread_mutex_unlock(&s->dev->lock);
            r = STREAM_CUT;
        }
        return r;
    }
    if (s->fault == VFIO_REF_STREAM_CORRUPT && s->fault_arg >= pos &&
        s->fault_arg < pos + len) {
        size_t at = (size_t)(s->fault_arg - pos);
        unsigned char bad = (unsigned char)~buf[at];

        s->fault = VFIO_REF_STREAM_OK;
        r = put_raw(s, buf, at, by_ref);
        if (r == 0) {
            r = put_raw(s, &bad, 1, false);
        }
        if (r == 0) {
            r = put_raw(s, buf + at + 1, len - at - 1, by_ref);
        }
        return r;
    }
    return put_raw(s, buf, len, by_ref);
}

/* With dev->lock held: take the next run of dirty pages. */
static bool pick_dirty(VfioRefSave *s, uint64_t max, uint64_t *lo, uint64_t *hi)
{
    VfioRefDevice *d = s->dev;
    uint64_t nwords = (d->npages + 63) / 64;
    uint64_t p = s->dirty_scan < d->npages ? s->dirty_scan : 0;

    for (uint64_t scanned = 0; scanned <= nwords; scanned++) {
        uint64_t w = d->dirty[p / 64] >> (p % 64);

        if (w) {
            uint64_t start = p + (uint64_t)__builtin_ctzll(w);
            uint64_t end = start;

            while (end < d->npages && end - start < max &&
                   bit_test(d->dirty, end)) {
                bit_clear(d->dirty, end);
                end++;
            }
            s->ndirty -= end - start;
            s->dirty_scan = end;
            *lo = start;
            *hi = end;
            return true;
        }
        p = (p / 64 + 1) * 64;
        if (p >= d->npages) {
            p = 0;
        }
    }
    return false;
}

static void *save_main(void *opaque)
{
    VfioRefSave *s = opaque;
    VfioRefDevice *d = s->dev;
    uint64_t rec_pages = d->record / d->page;
    unsigned char hdr[VFIO_STREAM_HEADER_SIZE];
    unsigned char rec[VFIO_STREAM_RECORD_SIZE];
    uint32_t version = VFIO_STREAM_VERSION;
    int r;

    vfio_ref_block_sigpipe();
    if (s->fault == VFIO_REF_STREAM_BAD_VERSION) {
        version += s->fault_arg ? (uint32_t)s->fault_arg : 1;
    }
    vfio_stream_encode_header(hdr, version, d->size, d->flags, s->nonce);
    r = put(s, hdr, sizeof(hdr), false);
    pthread_mutex_lock(&d->lock);
    s->busy = false;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&d->lock);

    while (r == 0) {
        uint64_t lo = 0, hi = 0, off, len, sum;
        int kind;

        pthread_mutex_lock(&d->lock);
        for (;;) {
            if (s->cancel) {
                kind = -1;
                break;
            }
            if (s->init_next < d->npages) {
                lo = s->init_next;
                hi = lo + rec_pages < d->npages ? lo + rec_pages : d->npages;
                s->init_next = hi;
                kind = KIND_INIT;
                break;
            }
            if (s->ndirty && pick_dirty(s, rec_pages, &lo, &hi)) {
                kind = KIND_DIRTY;
                break;
            }
            if (s->mode == SAVE_STOPCOPY) {
                kind = KIND_END;
                break;
            }
            pthread_cond_wait(&s->cond, &d->lock);
        }
        if (kind < 0) {
            pthread_mutex_unlock(&d->lock);
            break;
        }
        off = lo * d->page;
        len = kind == KIND_END
                  ? 0
                  : (hi * d->page < d->size ? hi * d->page : d->size) - off;
        s->busy = true;
        s->cur_kind = kind;
        s->cur_left = VFIO_STREAM_RECORD_SIZE + len;
        if (kind != KIND_END) {
            /* From now on the workload leaves these pages alone, and
             * copies them before changing them once they are sent. */
            s->pin_lo = lo;
            s->pin_hi = hi;
            for (uint64_t p = lo; p < hi; p++) {
                bit_set(d->sent, p);
            }
        }
        pthread_mutex_unlock(&d->lock);

        if (kind == KIND_END) {
            vfio_stream_encode_record(rec, s->nonce, s->seq, VFIO_STREAM_END, 0,
                                      s->records, s->payload);
            r = put(s, rec, sizeof(rec), false);
            if (r == 0 && s->fault == VFIO_REF_STREAM_OVERLONG) {
                uint64_t left = s->fault_arg ? s->fault_arg : 1;

                memset(hdr, 0xa5, sizeof(hdr));
                while (r == 0 && left) {
                    size_t n = left < sizeof(hdr) ? (size_t)left : sizeof(hdr);

                    r = put(s, hdr, n, false);
                    left -= n;
                }
            }
            pthread_mutex_lock(&d->lock);
            s->busy = false;
            s->seq++;
            pthread_cond_broadcast(&s->cond);
            pthread_mutex_unlock(&d->lock);
            break;
        }
        /* The device keeps its blocks' checksums: no pass over the
         * payload here (the pinned blocks cannot change meanwhile). */
        sum = vfio_stream_record_checksum(
            d->block_sums + off / VFIO_STREAM_BLOCK,
            (size_t)((len + VFIO_STREAM_BLOCK - 1) / VFIO_STREAM_BLOCK),
            s->nonce, off);
        vfio_stream_encode_record(rec, s->nonce, s->seq, VFIO_STREAM_DATA,
                                  (uint32_t)len, off, sum);
        r = put(s, rec, sizeof(rec), false);
        if (r == 0) {
            r = put(s, d->mem + off, (size_t)len, true);
        }
        pthread_mutex_lock(&d->lock);
        s->pin_lo = s->pin_hi = 0;
        s->busy = false;
        s->seq++;
        s->records++;
        s->payload += len;
        pthread_cond_broadcast(&s->cond);
        pthread_mutex_unlock(&d->lock);
    }

    pthread_mutex_lock(&d->lock);
    if (r == STREAM_CUT) {
        /* A truncated stream: nothing more, and end of file once the
         * device stops (or the session ends). */
        while (!s->cancel && s->mode != SAVE_STOPCOPY) {
            pthread_cond_wait(&s->cond, &d->lock);
        }
    }
    close(s->wfd);
    s->wfd = -1;
    s->done = true;
    s->busy = false;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

static uint64_t session_nonce(VfioRefDevice *d)
{
    struct timespec ts;
    uint64_t x;

    clock_gettime(CLOCK_REALTIME, &ts);
    x = d->rng ^ (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ull ^
        (uint64_t)ts.tv_sec << 32 ^ (uint64_t)(uintptr_t)d;
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9ull;
    return x ^ (x >> 32);
}

int vfio_ref_save_open(VfioRefDevice *d, int mode, int *fd)
{
    VfioRefSave *s = calloc(1, sizeof(*s));
    int fds[2];
    int r;

    if (!s) {
        return -ENOMEM;
    }
    r = vfio_ref_make_pipe(fds);
    if (r < 0) {
        free(s);
        return r;
    }
    s->dev = d;
    s->user_fd = fds[0];
    s->wfd = fds[1];
    s->cancel_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (s->cancel_fd < 0 || fcntl(s->wfd, F_SETFL, O_NONBLOCK) < 0) {
        r = -errno;
        goto fail_fds;
    }
    if (pthread_cond_init(&s->cond, NULL)) {
        r = -ENOMEM;
        goto fail_fds;
    }
    s->mode = mode;
    s->busy = true; /* the stream header is on its way */
    s->nonce = session_nonce(d);
    s->init_total =
        vfio_stream_image_bytes(d->size, d->record) - VFIO_STREAM_RECORD_SIZE;
    s->cur_kind = KIND_INIT;
    s->cur_left = VFIO_STREAM_HEADER_SIZE;

    pthread_mutex_lock(&d->lock);
    s->fault = d->stream_fault;
    s->fault_arg = d->stream_fault_arg;
    d->stream_fault = VFIO_REF_STREAM_OK;
    memset(d->dirty, 0, (size_t)((d->npages + 63) / 64) * 8);
    memset(d->sent, 0, (size_t)((d->npages + 63) / 64) * 8);
    d->save = s;
    d->stats.sessions++;
    pthread_mutex_unlock(&d->lock);

    r = vfio_ref_datafd_register(s->user_fd, d, s, true);
    if (r == 0) {
        r = -pthread_create(&s->thread, NULL, save_main, s);
        if (r) {
            vfio_ref_datafd_unregister(s);
        }
    }
    if (r) {
        pthread_mutex_lock(&d->lock);
        d->save = NULL;
        if (s->fault != VFIO_REF_STREAM_OK) {
            d->stream_fault = s->fault;
            d->stream_fault_arg = s->fault_arg;
        }
        pthread_mutex_unlock(&d->lock);
        pthread_cond_destroy(&s->cond);
        goto fail_fds;
    }
    *fd = s->user_fd;
    return 0;

fail_fds:
    if (s->cancel_fd >= 0) {
        close(s->cancel_fd);
    }
    close(fds[0]);
    close(fds[1]);
    free(s);
    return r;
}

void vfio_ref_save_to_stopcopy(VfioRefDevice *d)
{
    pthread_mutex_lock(&d->lock);
    /* The device stops in the same breath: once the thread may send
     * END, nothing may change any more. */
    d->state = VFIO_DEVICE_STATE_STOP_COPY;
    if (d->save) {
        d->save->mode = SAVE_STOPCOPY;
        pthread_cond_broadcast(&d->save->cond);
    }
    pthread_mutex_unlock(&d->lock);
}

void vfio_ref_save_close(VfioRefDevice *d)
{
    VfioRefSave *s = d->save;
    uint64_t one = 1;

    if (!s) {
        return;
    }
    vfio_ref_datafd_unregister(s);
    pthread_mutex_lock(&d->lock);
    s->cancel = true;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&d->lock);
    if (write(s->cancel_fd, &one, sizeof(one)) < 0) {
        /* cannot fail: the counter is far from overflowing */
    }
    pthread_join(s->thread, NULL);

    pthread_mutex_lock(&d->lock);
    /* Readers waiting in vfio_ref_data_read() leave first. */
    while (s->waiters) {
        pthread_cond_wait(&s->cond, &d->lock);
    }
    d->save = NULL;
    memset(d->dirty, 0, (size_t)((d->npages + 63) / 64) * 8);
    memset(d->sent, 0, (size_t)((d->npages + 63) / 64) * 8);
    pthread_mutex_unlock(&d->lock);
    close(s->cancel_fd);
    pthread_cond_destroy(&s->cond);
    free(s);
}

uint64_t vfio_ref_save_in_pipe(VfioRefSave *s)
{
    int n = 0;

    if (s->wfd < 0 || ioctl(s->wfd, FIONREAD, &n) < 0 || n < 0) {
        return 0;
    }
    return (uint64_t)n;
}

bool vfio_ref_save_has_work(VfioRefSave *s)
{
    return !s->truncated && (s->init_next < s->dev->npages || s->ndirty > 0);
}

void vfio_ref_save_info(VfioRefSave *s, uint64_t *initial, uint64_t *dirty)
{
    uint64_t held = vfio_ref_save_in_pipe(s);
    uint64_t consumed = s->produced > held ? s->produced - held : 0;
    uint64_t init_total = s->init_total;
    uint64_t init_end, pending = 0;

    if (s->truncated && s->produced < init_total) {
        init_total = s->produced;
    }
    *initial = consumed < init_total ? init_total - consumed : 0;
    init_end = consumed > init_total ? consumed : init_total;
    if (!s->truncated) {
        pending = s->ndirty * s->dev->page;
        if (s->busy && s->cur_kind == KIND_DIRTY) {
            pending += s->cur_left;
        }
    }
    *dirty = (s->produced > init_end ? s->produced - init_end : 0) + pending;
}

uint64_t vfio_ref_save_remaining(VfioRefSave *s)
{
    VfioRefDevice *d = s->dev;
    uint64_t left = 0;

    if (s->done) {
        return vfio_ref_save_in_pipe(s);
    }
    if (s->init_next < d->npages) {
        uint64_t off = s->init_next * d->page;

        left += vfio_stream_image_bytes(d->size - off, d->record) -
                VFIO_STREAM_HEADER_SIZE - VFIO_STREAM_RECORD_SIZE;
    }
    left += s->ndirty * (d->page + VFIO_STREAM_RECORD_SIZE);
    return left + s->cur_left + vfio_ref_save_in_pipe(s) +
           VFIO_STREAM_RECORD_SIZE;
}
