/*
 * bench/vfio - speed of the VFIO migration harness ("make bench").
 *
 * 1. vfio_ref_mig_get_next_state(): queries per second over every flag
 *    combination and state pair (target: 50 million/s).
 * 2. Moving a device state (1 GiB by default) from a source reference
 *    device to a destination through the data fds, with the migration
 *    layer (events off), against a plain pipe copy of the same number of
 *    bytes (one thread write(2)s a buffer into a pipe, another read(2)s it
 *    into a second buffer), in the same run; target: at least 0.8 times
 *    the pipe copy's throughput.  Both sides of the migration and the pipe
 *    copy have their buffers in memory before the clock starts.
 * 3. Memory: how much the resident set grew during the migrations, over
 *    the two device states (target: far from a second full copy).
 * The kinds of runs alternate, best of --reps (5) each.
 *
 * usage: bench/vfio [--size SIZE_MIB] [--reps N] [--queries MILLIONS]
 * Prints results and a verdict per target; the exit status is 0 unless
 * --strict is given and a target is missed (timings are not tests).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "qapi/vfio-migration.h"

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rss_bytes(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");

    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2) {
            resident = 0;
        }
        fclose(f);
    }
    return (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE);
}

static uint64_t peak_rss_bytes(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (uint64_t)ru.ru_maxrss * 1024;
}

/* --- 1. next-state queries --------------------------------------------- */

static double bench_next_state(uint64_t queries)
{
    enum { NQ = 4096 };
    static const uint32_t combos[4] = {
        VFIO_MIGRATION_STOP_COPY,
        VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P,
        VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_PRE_COPY,
        VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P | VFIO_MIGRATION_PRE_COPY,
    };
    static uint32_t qf[NQ], qc[NQ], qn[NQ];
    uint64_t x = 88172645463325252ull, sum = 0;
    double t;

    for (int i = 0; i < NQ; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        qf[i] = combos[x % 4];
        qc[i] = (uint32_t)(x >> 8) % VFIO_REF_NUM_STATES;
        qn[i] = (uint32_t)(x >> 16) % VFIO_REF_NUM_STATES;
    }
    t = now();
    for (uint64_t i = 0; i < queries; i++) {
        uint32_t next = 0;
        int r = vfio_ref_mig_get_next_state(qf[i % NQ], qc[i % NQ], qn[i % NQ],
                                            &next);

        sum += next + (uint32_t)r;
    }
    t = now() - t;
    if (sum == 42) {
        printf("(checksum %" PRIu64 ")\n", sum); /* keep the loop */
    }
    return (double)queries / t;
}

/* --- 2. plain pipe copy ----------------------------------------------------
 */

typedef struct PipeCopy {
    unsigned char *src, *dst;
    size_t size, chunk;
    int fds[2];
} PipeCopy;

static void *pipe_writer(void *opaque)
{
    PipeCopy *pc = opaque;

    for (size_t off = 0; off < pc->size;) {
        size_t n = pc->size - off < pc->chunk ? pc->size - off : pc->chunk;
        ssize_t w = write(pc->fds[1], pc->src + off, n);

        if (w <= 0) {
            perror("bench/vfio: pipe write");
            exit(1);
        }
        off += (size_t)w;
    }
    close(pc->fds[1]);
    return NULL;
}

static double bench_pipe_copy(PipeCopy *pc)
{
    pthread_t writer;
    size_t off = 0;
    double t;

    if (pipe(pc->fds) < 0) {
        perror("bench/vfio: pipe");
        exit(1);
    }
    (void)fcntl(pc->fds[1], F_SETPIPE_SZ, 1 << 20);
    t = now();
    pthread_create(&writer, NULL, pipe_writer, pc);
    for (;;) {
        size_t n = pc->size - off < pc->chunk ? pc->size - off : pc->chunk;
        ssize_t r = read(pc->fds[0], pc->dst + off, n ? n : 1);

        if (r <= 0) {
            break;
        }
        off += (size_t)r;
    }
    pthread_join(writer, NULL);
    t = now() - t;
    close(pc->fds[0]);
    if (off != pc->size || memcmp(pc->src, pc->dst, pc->size)) {
        fprintf(stderr, "bench/vfio: the pipe copy lost data\n");
        exit(1);
    }
    return t;
}

/* --- 2. migration ------------------------------------------------------------
 */

static double bench_migration(uint64_t size, uint32_t flags,
                              VfioMigCopyMode mode, uint64_t *growth)
{
    VfioRefDeviceConfig sc = {"bench-src", NULL, flags, size, 1, 0};
    VfioRefDeviceConfig dc = {"bench-dst", NULL, flags, size, 2, 0};
    VfioMigOptions opts = {0, 8, 0, mode, 0};
    VfioRefDevice *src, *dst;
    VfioMigDevice *ms, *md;
    VfioMigStats st;
    uint64_t base;
    int r;

    if (vfio_ref_device_new(&sc, &src) < 0 ||
        vfio_ref_device_new(&dc, &dst) < 0) {
        fprintf(stderr, "bench/vfio: cannot create the devices\n");
        exit(1);
    }
    ms = vfio_mig_device_new(src, NULL, NULL);
    md = vfio_mig_device_new(dst, NULL, NULL);
    base = rss_bytes();
    r = vfio_mig_migrate(ms, md, &opts, &st);
    if (r < 0 || !st.verified) {
        fprintf(stderr, "bench/vfio: migration failed: %s: %s\n",
                st.failed_step, strerror(st.error));
        exit(1);
    }
    if (growth) {
        uint64_t peak = peak_rss_bytes();
        uint64_t g = peak > base ? peak - base : 0;

        *growth = g > *growth ? g : *growth;
    }
    vfio_mig_device_free(ms);
    vfio_mig_device_free(md);
    vfio_ref_device_free(src);
    vfio_ref_device_free(dst);
    return st.seconds;
}

static double best(const double *v, int n)
{
    double b = v[0];

    for (int i = 1; i < n; i++) {
        b = v[i] < b ? v[i] : b;
    }
    return b;
}

int main(int argc, char **argv)
{
    uint64_t mib = 1024, queries_m = 200;
    int reps = 5;
    bool strict = false, ok = true;
    double qps, t_pipe[16], t_sc[16], t_all[16], t_rw[16];
    uint64_t size, growth = 0;
    PipeCopy pc;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--size") && i + 1 < argc) {
            mib = strtoull(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
            reps = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--queries") && i + 1 < argc) {
            queries_m = strtoull(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--strict")) {
            strict = true;
        } else {
            fprintf(stderr, "usage: bench/vfio [--size MIB] [--reps N] "
                            "[--queries MILLIONS] [--strict]\n");
            return 2;
        }
    }
    if (reps < 1 || reps > 16 || !mib || !queries_m) {
        fprintf(stderr, "bench/vfio: bad arguments\n");
        return 2;
    }
    size = mib << 20;
    signal(SIGPIPE, SIG_IGN);
    bench_header("VFIO benchmark: next-state function, device state moved "
                 "through the data fds");

    qps = bench_next_state(queries_m * 1000000);
    printf("next-state: %.1f million queries/s (target 50): %s\n", qps / 1e6,
           qps >= 50e6 ? "PASS" : "MISS");
    ok &= qps >= 50e6;
    bench_result("vfio", "next-state function queries", qps, "/s", NULL, 0,
                 ">=5e7");

    /*
     * The pipe copy's buffers first, kept to the end: the resident set
     * then only grows with the devices, and what the migrations add on
     * top of those shows in the peak.  The runs alternate, so that a
     * change in the machine's load hits every kind alike.
     */
    pc.size = (size_t)size;
    pc.chunk = 1 << 20;
    pc.src = mmap(NULL, pc.size, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    pc.dst = mmap(NULL, pc.size, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (pc.src == MAP_FAILED || pc.dst == MAP_FAILED) {
        perror("bench/vfio: mmap");
        return 1;
    }
    for (size_t i = 0; i < pc.size; i += 8) {
        uint64_t w = i * 0x9E3779B97F4A7C15ull;

        memcpy(pc.src + i, &w, 8);
    }
    memset(pc.dst, 1, pc.size);
    for (int i = 0; i < reps; i++) {
        t_pipe[i] = bench_pipe_copy(&pc);
        t_sc[i] = bench_migration(size, VFIO_MIGRATION_STOP_COPY,
                                  VFIO_MIG_COPY_SPLICE, &growth);
        t_all[i] = bench_migration(size, VFIO_REF_MIGRATION_ALL,
                                   VFIO_MIG_COPY_SPLICE, &growth);
        t_rw[i] = bench_migration(size, VFIO_MIGRATION_STOP_COPY,
                                  VFIO_MIG_COPY_RW, NULL);
    }
    munmap(pc.src, pc.size);
    munmap(pc.dst, pc.size);

    {
        double pipe_rate = (double)size / best(t_pipe, reps);
        double sc_rate = (double)size / best(t_sc, reps);
        double all_rate = (double)size / best(t_all, reps);
        double rw_rate = (double)size / best(t_rw, reps);
        char target[32];

        printf("state %" PRIu64 " MiB, best of %d:\n", mib, reps);
        printf("  plain pipe copy:                %8.1f MB/s\n",
               pipe_rate / 1e6);
        printf("  migration, stop-copy (splice):  %8.1f MB/s = %.2fx: %s\n",
               sc_rate / 1e6, sc_rate / pipe_rate,
               sc_rate >= 0.8 * pipe_rate ? "PASS" : "MISS");
        printf("  migration, pre-copy+p2p (splice): %6.1f MB/s = %.2fx: %s\n",
               all_rate / 1e6, all_rate / pipe_rate,
               all_rate >= 0.8 * pipe_rate ? "PASS" : "MISS");
        printf("  migration, stop-copy (read/write): %5.1f MB/s = %.2fx "
               "(for reference)\n",
               rw_rate / 1e6, rw_rate / pipe_rate);
        printf("  memory growth during migrations: %.1f MiB over the two "
               "states (%.1f%% of one): %s\n",
               (double)growth / (1 << 20),
               100.0 * (double)growth / (double)size,
               growth < size / 10 ? "PASS" : "MISS");
        ok &= sc_rate >= 0.8 * pipe_rate && all_rate >= 0.8 * pipe_rate &&
              growth < size / 10;
        bench_result("vfio", "migration, stop-copy (splice)", sc_rate, "B/s",
                     "plain pipe copy", pipe_rate, "x>=0.8");
        bench_result("vfio", "migration, pre-copy+p2p (splice)", all_rate,
                     "B/s", "plain pipe copy", pipe_rate, "x>=0.8");
        bench_result("vfio", "migration, stop-copy (read/write)", rw_rate,
                     "B/s", "plain pipe copy", pipe_rate, "");
        /* Target: far from a second copy of the state, i.e. < 10%. */
        snprintf(target, sizeof(target), "<=%.1f",
                 (double)size / 10 / (1 << 20));
        bench_result("vfio", "memory growth during the migrations",
                     (double)growth / (1 << 20), "MiB", NULL, 0, target);
    }
    return strict && !ok ? 1 : 0;
}
