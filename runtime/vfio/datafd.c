/*
 * The data fds of the reference device: a registry from fd number to
 * live session, and the calls that give those fds the uAPI's semantics
 * beyond what a pipe does by itself (ENOMSG at the temporary end of a
 * PRE_COPY stream, VFIO_MIG_GET_PRECOPY_INFO), plus SIGPIPE-free writes.
 *
 * A session is registered from its start to its end.  The caller may
 * close its fd earlier and the number be reused by a newer session: the
 * newest registration of a number wins, and sessions are unregistered by
 * identity, not by number.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vfio/device-impl.h"

typedef struct DataFd {
    int fd;
    VfioRefDevice *dev;
    void *session;
    bool saving;
} DataFd;

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static DataFd *registry;
static size_t registry_len, registry_cap;

int vfio_ref_datafd_register(int fd, VfioRefDevice *dev, void *session,
                             bool saving)
{
    int r = 0;

    pthread_mutex_lock(&registry_lock);
    if (registry_len == registry_cap) {
        size_t cap = registry_cap ? registry_cap * 2 : 8;
        DataFd *n = realloc(registry, cap * sizeof(*n));

        if (!n) {
            r = -ENOMEM;
            goto out;
        }
        registry = n;
        registry_cap = cap;
    }
    registry[registry_len++] = (DataFd){fd, dev, session, saving};
out:
    pthread_mutex_unlock(&registry_lock);
    return r;
}

void vfio_ref_datafd_unregister(void *session)
{
    pthread_mutex_lock(&registry_lock);
    for (size_t i = 0; i < registry_len; i++) {
        if (registry[i].session == session) {
            memmove(&registry[i], &registry[i + 1],
                    (registry_len - i - 1) * sizeof(*registry));
            registry_len--;
            break;
        }
    }
    if (!registry_len) {
        free(registry);
        registry = NULL;
        registry_cap = 0;
    }
    pthread_mutex_unlock(&registry_lock);
}

/* With registry_lock held: the newest registration of @fd, or NULL. */
static DataFd *lookup(int fd)
{
    for (size_t i = registry_len; i-- > 0;) {
        if (registry[i].fd == fd) {
            return &registry[i];
        }
    }
    return NULL;
}

/* With registry_lock held: the saving session behind @e, or NULL. */
static VfioRefSave *save_of(DataFd *e)
{
    return e && e->saving ? e->session : NULL;
}

/*
 * Before reading a data fd: true when @fd is a PRE_COPY stream at its
 * temporary end (ENOMSG).  Otherwise the read may go ahead: the pipe
 * holds data, or the stream is in STOP_COPY (end of file will come), or
 * @fd is no live saving fd.  While the pipe is empty and the device
 * thread is still producing, wait for it: a read(2) issued then might
 * wait for data that never comes, if the thread turned out to have
 * nothing more.
 */
static bool at_precopy_end(int fd)
{
    bool end = false;
    VfioRefSave *s;
    VfioRefDevice *d;

    pthread_mutex_lock(&registry_lock);
    s = save_of(lookup(fd));
    if (!s) {
        pthread_mutex_unlock(&registry_lock);
        return false;
    }
    d = s->dev;
    pthread_mutex_lock(&d->lock);
    pthread_mutex_unlock(&registry_lock);
    s->waiters++;
    while (!s->cancel && !s->done && s->mode == SAVE_PRECOPY) {
        if (vfio_ref_save_in_pipe(s) > 0) {
            break;
        }
        if (!s->busy && !vfio_ref_save_has_work(s)) {
            end = true;
            break;
        }
        pthread_cond_wait(&s->cond, &d->lock);
    }
    if (--s->waiters == 0 && s->cancel) {
        pthread_cond_broadcast(&s->cond);
    }
    pthread_mutex_unlock(&d->lock);
    return end;
}

ssize_t vfio_ref_data_read(int fd, void *buf, size_t count)
{
    if (!buf && count) {
        errno = EINVAL;
        return -1;
    }
    if (at_precopy_end(fd)) {
        errno = ENOMSG;
        return -1;
    }
    return read(fd, buf, count);
}

/*
 * Run a write-like call without SIGPIPE: block it in this thread, and
 * consume the one the call raised, unless one was pending already.
 */
typedef struct SigpipeGuard {
    sigset_t old;
    bool active;
} SigpipeGuard;

static void sigpipe_block(SigpipeGuard *g)
{
    sigset_t set, pending;

    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    sigpending(&pending);
    g->active = !sigismember(&pending, SIGPIPE) &&
                pthread_sigmask(SIG_BLOCK, &set, &g->old) == 0;
}

static void sigpipe_restore(SigpipeGuard *g, bool raised)
{
    if (!g->active) {
        return;
    }
    if (raised) {
        sigset_t set;
        struct timespec zero = {0, 0};

        sigemptyset(&set);
        sigaddset(&set, SIGPIPE);
        while (sigtimedwait(&set, NULL, &zero) < 0 && errno == EINTR) {
        }
    }
    pthread_sigmask(SIG_SETMASK, &g->old, NULL);
}

ssize_t vfio_ref_data_write(int fd, const void *buf, size_t count)
{
    SigpipeGuard g;
    ssize_t n;
    int err;

    if (!buf && count) {
        errno = EINVAL;
        return -1;
    }
    sigpipe_block(&g);
    n = write(fd, buf, count);
    err = errno;
    sigpipe_restore(&g, n < 0 && err == EPIPE);
    errno = err;
    return n;
}

ssize_t vfio_ref_data_splice(int fd_in, int fd_out, size_t count)
{
    SigpipeGuard g;
    ssize_t n;
    int err;

    if (at_precopy_end(fd_in)) {
        errno = ENOMSG;
        return -1;
    }
    sigpipe_block(&g);
    n = splice(fd_in, NULL, fd_out, NULL, count, SPLICE_F_MOVE);
    err = errno;
    sigpipe_restore(&g, n < 0 && err == EPIPE);
    errno = err;
    return n;
}

int vfio_ref_data_precopy_info(int fd, struct vfio_precopy_info *info)
{
    int err = 0;
    VfioRefSave *s;

    if (!info) {
        errno = EINVAL;
        return -1;
    }
    pthread_mutex_lock(&registry_lock);
    s = save_of(lookup(fd));
    if (!s) {
        err = ENOTTY;
    } else if (info->argsz < sizeof(*info)) {
        err = EINVAL;
    } else {
        pthread_mutex_lock(&s->dev->lock);
        if (s->dev->state != VFIO_DEVICE_STATE_PRE_COPY &&
            s->dev->state != VFIO_DEVICE_STATE_PRE_COPY_P2P) {
            err = EINVAL;
        } else {
            uint64_t initial, dirty;

            vfio_ref_save_info(s, &initial, &dirty);
            info->flags = 0;
            info->initial_bytes = initial;
            info->dirty_bytes = dirty;
        }
        pthread_mutex_unlock(&s->dev->lock);
    }
    pthread_mutex_unlock(&registry_lock);
    if (err) {
        errno = err;
        return -1;
    }
    return 0;
}

void vfio_ref_block_sigpipe(void)
{
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int vfio_ref_wait_fd(int fd, short events, int cancel_fd)
{
    for (;;) {
        struct pollfd pfd[2] = {
            {fd, events, 0},
            {cancel_fd, POLLIN, 0},
        };

        if (poll(pfd, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -errno;
        }
        if (pfd[1].revents) {
            return 0;
        }
        if (pfd[0].revents) {
            return 1;
        }
    }
}

int vfio_ref_make_pipe(int fds[2])
{
    if (pipe2(fds, O_CLOEXEC) < 0) {
        return -errno;
    }
    /* Larger than the default 64 KiB: fewer wake-ups.  Best effort. */
    (void)fcntl(fds[1], F_SETPIPE_SZ, VFIO_REF_PIPE_SIZE);
    return 0;
}
