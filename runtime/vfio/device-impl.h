/*
 * device-impl.h - the reference device's internals, shared by device.c
 * (FSM, workload, faults), save.c (saving sessions), resume.c (resuming
 * sessions) and datafd.c (the data fd registry and calls).
 *
 * Locking.  dev->op_lock serializes the "ioctls" (SET, reset, fill,
 * free); dev->lock protects everything else in the device and its
 * sessions, and is never held across a blocking call.  The registry lock
 * (datafd.c) comes before dev->lock.  Order: op_lock, registry, lock.
 *
 * Zero-copy saving.  The saving thread hands the device's own pages to
 * the pipe with vmsplice(2): the pipe then refers to those pages, so the
 * device must not change a page whose bytes may still be in a pipe.  The
 * workload (vfio_ref_device_run()) therefore (1) never touches the pages
 * of the record being handed over (pin_lo..pin_hi), and (2) before
 * changing a page handed over earlier in the session ("sent"), gives it
 * a fresh copy: copy out, MADV_DONTNEED (the pipe keeps the old page),
 * copy back.  A stopped device (STOP_COPY) changes nothing.
 *
 * Block checksums.  dev->block_sums holds the checksum of every 4096-byte
 * block of the state (stream.h): computed when the state is filled,
 * updated by the workload for each block it changes, stored by the
 * stream parser for each block it loads, recomputed in full after a load
 * that failed or was aborted.  Saving combines them into record
 * checksums.
 */
#ifndef VFIO_DEVICE_IMPL_H
#define VFIO_DEVICE_IMPL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "qapi/vfio-device.h"
#include "vfio/stream.h"

#define VFIO_REF_MAX_ARC_FAULTS 16
#define VFIO_REF_PIPE_SIZE (1 << 20)
#define VFIO_REF_DEFAULT_RECORD (256u << 10)

typedef struct VfioRefArcFault {
    uint32_t from, to;
    int err;
    bool to_error;
    bool armed;
    unsigned count; /* 0: for ever */
} VfioRefArcFault;

enum { SAVE_PRECOPY, SAVE_STOPCOPY };

typedef struct VfioRefSave {
    VfioRefDevice *dev;
    int user_fd;   /* read end, the caller's */
    int wfd;       /* write end, the thread's; -1 once closed */
    int cancel_fd; /* eventfd: wake the thread to end */
    pthread_t thread;
    pthread_cond_t cond; /* work for the thread (with dev->lock) */
    int mode;            /* SAVE_PRECOPY or SAVE_STOPCOPY */
    bool cancel;
    unsigned waiters; /* readers waiting in vfio_ref_data_read() */
    bool done;        /* the thread has finished */
    bool busy;        /* a record is being handed over */
    bool truncated;   /* an injected truncation was reached */
    uint64_t nonce;
    uint64_t seq;        /* records written */
    uint64_t records;    /* DATA records written */
    uint64_t payload;    /* DATA payload bytes written */
    uint64_t init_next;  /* next page of the initial image */
    uint64_t dirty_scan; /* where the dirty scan resumes */
    uint64_t ndirty;     /* pages dirty, not yet picked */
    uint64_t pin_lo, pin_hi;
    uint64_t produced;   /* bytes written to the pipe */
    uint64_t init_total; /* bytes of header + initial image records */
    int cur_kind;        /* kind of the record being handed over */
    uint64_t cur_left;   /* its bytes not yet in the pipe */
    VfioRefStreamFault fault;
    uint64_t fault_arg;
} VfioRefSave;

enum { RESUME_RUN, RESUME_FINISH, RESUME_ABORT };

typedef struct VfioRefResume {
    VfioRefDevice *dev;
    int user_fd;   /* write end, the caller's */
    int rfd;       /* read end, the thread's (non-blocking) */
    int cancel_fd; /* eventfd: FINISH or ABORT */
    atomic_int mode;
    pthread_t thread;
    VfioStreamParser parser;
    uint64_t bytes;
    int io_error; /* errno of a failed read, 0 if none */
} VfioRefResume;

struct VfioRefDevice {
    char *id;
    char *qom_path;
    uint32_t flags;
    uint64_t size; /* state bytes */
    size_t page;   /* tracking granularity: the system page size */
    uint64_t npages;
    size_t map_size;
    unsigned char *mem;
    uint32_t record; /* record payload bytes (multiple of page) */

    pthread_mutex_t op_lock;
    pthread_mutex_t lock;
    uint32_t state;
    uint64_t *block_sums; /* checksum of each 4096-byte block of the
                             state (stream.h), kept up to date */
    uint64_t nblocks;
    uint64_t *dirty; /* one bit per page */
    uint64_t *sent;  /* one bit per page: may still be in a pipe */
    uint64_t rng;
    VfioRefSave *save;
    VfioRefResume *resume;
    VfioRefArcFault arc_faults[VFIO_REF_MAX_ARC_FAULTS];
    VfioRefStreamFault stream_fault;
    uint64_t stream_fault_arg;
    VfioRefDeviceStats stats;

    /* The background workload (vfio_ref_device_set_workload()). */
    pthread_mutex_t work_lock;
    pthread_cond_t work_cond;
    pthread_t work_thread;
    bool work_started;
    bool work_stop;
    uint64_t work_rate; /* bytes per second, 0: idle */
};

/* Recompute the checksums of blocks [@first, @last) (dev->lock held, or
 * no concurrent user of those blocks). */
void vfio_ref_device_update_sums(VfioRefDevice *dev, uint64_t first,
                                 uint64_t last);

/* Bitmaps (dev->dirty, dev->sent). */
static inline bool bit_test(const uint64_t *map, uint64_t i)
{
    return map[i / 64] >> (i % 64) & 1;
}

static inline void bit_set(uint64_t *map, uint64_t i)
{
    map[i / 64] |= 1ull << (i % 64);
}

static inline void bit_clear(uint64_t *map, uint64_t i)
{
    map[i / 64] &= ~(1ull << (i % 64));
}

/* save.c; called with op_lock held, dev->lock not held. */
int vfio_ref_save_open(VfioRefDevice *dev, int mode, int *fd);
/* PRE_COPY(_P2P) -> STOP_COPY: the device stops and the session turns to
 * STOP_COPY at once. */
void vfio_ref_save_to_stopcopy(VfioRefDevice *dev);
void vfio_ref_save_close(VfioRefDevice *dev);
/* With dev->lock held: the PRECOPY_INFO numbers. */
void vfio_ref_save_info(VfioRefSave *s, uint64_t *initial, uint64_t *dirty);
/* With dev->lock held: bytes the device would still produce. */
uint64_t vfio_ref_save_remaining(VfioRefSave *s);
/* With dev->lock held: bytes in the pipe; whether more is to come. */
uint64_t vfio_ref_save_in_pipe(VfioRefSave *s);
bool vfio_ref_save_has_work(VfioRefSave *s);

/* resume.c; called with op_lock held, dev->lock not held. */
int vfio_ref_resume_open(VfioRefDevice *dev, int *fd);
/* End the session; with @validate, drain it and check the stream. */
int vfio_ref_resume_close(VfioRefDevice *dev, bool validate);

/* datafd.c */
int vfio_ref_datafd_register(int fd, VfioRefDevice *dev, void *session,
                             bool saving);
void vfio_ref_datafd_unregister(void *session);
/* Block SIGPIPE in the calling (device) thread. */
void vfio_ref_block_sigpipe(void);
/* Wait until @fd is ready for @events or @cancel_fd is readable;
 * returns 1 when ready, 0 when cancelled, -errno. */
int vfio_ref_wait_fd(int fd, short events, int cancel_fd);
/* A pipe: [0] read end, [1] write end, both O_CLOEXEC. */
int vfio_ref_make_pipe(int fds[2]);

#endif /* VFIO_DEVICE_IMPL_H */
