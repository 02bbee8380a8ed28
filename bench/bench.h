/*
 * bench.h - timing helpers of the C benchmarks (bench/events.c,
 * bench/marshal.c, bench/qmp.c, bench/vfio.c).  Each measures our code and a
 * baseline in the same run, and prints both rates, their ratio and the target.
 * Not tests: "make bench" runs them, nothing is asserted (the exit
 * status is 0 unless a benchmark could not run).  Each figure is also
 * printed as a bench_result() line for make bench's table.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdio.h>
#include <time.h>

static inline double bench_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run @n operations. */
typedef void BenchFn(void *opaque, long n);

/*
 * Operations per second of @fn: batches grow until one takes 50 ms, then
 * the best of 5 batches of about @seconds / 5 each counts.
 */
static inline double bench_rate(BenchFn *fn, void *opaque, double seconds)
{
    long n = 1;
    double best = 0;
    double t;
    int i;

    for (;;) {
        t = bench_now();
        fn(opaque, n);
        t = bench_now() - t;
        if (t >= 0.05) {
            break;
        }
        n *= 2;
    }
    n = (long)((double)n * (seconds / 5) / t) + 1;
    for (i = 0; i < 5; i++) {
        double rate;

        t = bench_now();
        fn(opaque, n);
        t = bench_now() - t;
        rate = (double)n / t;
        if (rate > best) {
            best = rate;
        }
    }
    return best;
}

static inline void bench_header(const char *title)
{
    /* Line by line through make bench's pipe, as it happens. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("%s\n", title);
}

/*
 * One machine-readable line for bench/table.py (the format is there):
 * @baseline NULL for none, @target "" for none, "<=X"/">=X" on @value,
 * "x>=X" on @ours / @theirs.
 */
static inline void bench_result(const char *bench, const char *what,
                                double ours, const char *unit,
                                const char *baseline, double theirs,
                                const char *target)
{
    printf("BENCH\t%s\t%s\t%.6g\t%s\t", bench, what, ours, unit);
    if (baseline) {
        printf("%s\t%.6g\tmeasured\t%.4g\t", baseline, theirs, ours / theirs);
    } else {
        printf("\t\t\t\t");
    }
    printf("%s\n", target);
}

/* Our rate against the baseline's, with the target ratio (0: none). */
static inline void bench_ratio(const char *what, double ours,
                               const char *baseline, double theirs,
                               double target)
{
    double ratio = ours / theirs;

    printf("  %-38s %12.0f /s\n", what, ours);
    printf("  %-38s %12.0f /s\n", baseline, theirs);
    if (target > 0) {
        printf("  %-38s %12.2fx   target >= %.2fx: %s\n", "ratio", ratio,
               target, ratio >= target ? "ok" : "MISSED");
    } else {
        printf("  %-38s %12.2fx\n", "ratio", ratio);
    }
}

/* A baseline after bench_target(): its rate, and our ratio to it. */
static inline void bench_vs(const char *baseline, double theirs, double ours)
{
    printf("  %-38s %12.0f /s   ours: %.2fx\n", baseline, theirs,
           ours / theirs);
}

/* One line: our rate with an absolute target. */
static inline void bench_target(const char *what, double ours, double target)
{
    printf("  %-38s %12.0f /s   target >= %.0f /s: %s\n", what, ours, target,
           ours >= target ? "ok" : "MISSED");
}

#endif /* BENCH_H */
