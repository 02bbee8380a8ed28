/*
 * The resuming session of the reference device: the data fd is the
 * write end of a pipe; a device thread reads the other end and feeds the
 * stream parser (stream.c), which puts payloads straight into the
 * device's state.  The caller may write in any segmentation.
 *
 * Leaving RESUMING for STOP ends the session: the thread drains what the
 * pipe still holds (everything written before the SET), then the parser
 * says whether the stream was complete and intact.  A reset aborts the
 * session without looking at the data.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "vfio/device-impl.h"

static void *resume_main(void *opaque)
{
    VfioRefResume *s = opaque;
    bool eof = false, finishing = false;

    vfio_ref_block_sigpipe();
    while (atomic_load(&s->mode) != RESUME_ABORT) {
        if (!eof) {
            size_t want;
            void *dst = vfio_stream_parser_want(&s->parser, &want);
            ssize_t n = read(s->rfd, dst, want);

            if (n > 0) {
                vfio_stream_parser_got(&s->parser, (size_t)n);
                s->bytes += (uint64_t)n;
                continue;
            }
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n == 0) {
                eof = true; /* the writer closed its end: nothing more */
            } else if (errno != EAGAIN) {
                s->io_error = errno;
                eof = true;
            }
        }
        /* The pipe is empty or closed. */
        if (finishing) {
            break; /* emptied after FINISH: everything has been seen */
        }
        if (atomic_load(&s->mode) != RESUME_RUN) {
            /* FINISH: what was written before it is in the pipe now,
             * even if the read above came too early to see it. */
            finishing = true;
            continue;
        }
        if (eof) {
            struct pollfd pfd = {s->cancel_fd, POLLIN, 0};

            if (poll(&pfd, 1, -1) < 0 && errno != EINTR) {
                break;
            }
        } else if (vfio_ref_wait_fd(s->rfd, POLLIN, s->cancel_fd) < 0) {
            break;
        }
    }
    return NULL;
}

int vfio_ref_resume_open(VfioRefDevice *d, int *fd)
{
    VfioRefResume *s = calloc(1, sizeof(*s));
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
    s->rfd = fds[0];
    s->user_fd = fds[1];
    atomic_init(&s->mode, RESUME_RUN);
    s->cancel_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (s->cancel_fd < 0 || fcntl(s->rfd, F_SETFL, O_NONBLOCK) < 0) {
        r = -errno;
        goto fail;
    }
    r = vfio_stream_parser_init(&s->parser, d->mem, d->size, d->block_sums);
    if (r < 0) {
        goto fail;
    }
    pthread_mutex_lock(&d->lock);
    d->resume = s;
    d->stats.sessions++;
    pthread_mutex_unlock(&d->lock);
    r = vfio_ref_datafd_register(s->user_fd, d, s, false);
    if (r == 0) {
        r = -pthread_create(&s->thread, NULL, resume_main, s);
        if (r) {
            vfio_ref_datafd_unregister(s);
        }
    }
    if (r) {
        pthread_mutex_lock(&d->lock);
        d->resume = NULL;
        pthread_mutex_unlock(&d->lock);
        vfio_stream_parser_destroy(&s->parser);
        goto fail;
    }
    *fd = s->user_fd;
    return 0;

fail:
    if (s->cancel_fd >= 0) {
        close(s->cancel_fd);
    }
    close(fds[0]);
    close(fds[1]);
    free(s);
    return r;
}

int vfio_ref_resume_close(VfioRefDevice *d, bool validate)
{
    VfioRefResume *s = d->resume;
    uint64_t one = 1;
    int r = 0;

    if (!s) {
        return 0;
    }
    vfio_ref_datafd_unregister(s);
    atomic_store(&s->mode, validate ? RESUME_FINISH : RESUME_ABORT);
    if (write(s->cancel_fd, &one, sizeof(one)) < 0) {
        /* cannot fail: the counter is far from overflowing */
    }
    pthread_join(s->thread, NULL);
    if (validate) {
        r = vfio_stream_parser_finish(&s->parser);
        if (r == 0 && s->io_error) {
            r = -s->io_error;
        }
    }
    if (!validate || r < 0) {
        /* Whatever arrived is in the state now, checked or not: the
         * block checksums must follow it. */
        vfio_ref_device_update_sums(d, 0, d->nblocks);
    }
    pthread_mutex_lock(&d->lock);
    d->resume = NULL;
    d->stats.bytes_loaded += s->bytes;
    if (r < 0) {
        d->stats.last_stream_error = -r;
    }
    pthread_mutex_unlock(&d->lock);
    close(s->rfd);
    close(s->cancel_fd);
    vfio_stream_parser_destroy(&s->parser);
    free(s);
    return r;
}
