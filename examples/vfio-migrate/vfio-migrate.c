/*
 * vfio-migrate - migrate a simulated VFIO device and show its QMP events.
 *
 * Two reference devices (libqapi-vfio), a source and a destination, are
 * driven through a whole migration by the VMM-side migration layer,
 * which reports every state change through the generated emitters of
 * VFIO_MIGRATION_PREPARE and VFIO_MIGRATION.  The events go to stdout as
 * JSON lines (the QMP wire form); a summary (bytes moved, time,
 * throughput, verdict) goes to stderr, or to stdout as one JSON object
 * with --json.  The exit status is 0 only when the destination's state
 * was verified equal to the source's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness-qmp.h"
#include "harness.h"
#include "qapi/event.h"
#include "qmp.h"

#define EXIT_VERIFIED 0
#define EXIT_FAILED 1
#define EXIT_USAGE 2

static void usage(FILE *f)
{
    fprintf(
        f,
        "usage: vfio-migrate [OPTION]...\n"
        "Migrate a simulated VFIO device from a source to a destination "
        "through\n"
        "the migration data fds; print the QMP events as JSON lines on stdout "
        "and\n"
        "a summary on stderr.  Exit status 0 only when the migration was "
        "verified.\n"
        "\n"
        "  -s, --size SIZE          device state size (K, M, G suffixes; 64M)\n"
        "  -f, --flags FLAGS        migration flags: stop-copy, p2p, "
        "pre-copy,\n"
        "                           comma-separated, or all (all)\n"
        "  -d, --dirty-rate SIZE    bytes the running source dirties per "
        "pre-copy\n"
        "                           round (1M)\n"
        "  -w, --workload RATE      the source also changes RATE bytes/s by "
        "itself\n"
        "                           while it runs (K, M, G suffixes; 0)\n"
        "  -r, --max-rounds N       pre-copy rounds at most (8)\n"
        "  -t, --threshold SIZE     stop-copy once dirty data is at most SIZE "
        "(0)\n"
        "      --fail-arc SPEC      fail an FSM arc: "
        "SIDE:FROM:TO[:ERRNO][:error]\n"
        "                           SIDE src or dst; ERRNO a name or number "
        "(EIO);\n"
        "                           \"error\": the device then goes to ERROR\n"
        "                           (repeatable)\n"
        "      --fault KIND[:ARG]   damage the source's stream: "
        "corrupt:OFFSET,\n"
        "                           truncate:OFFSET, bad-version, "
        "overlong[:BYTES]\n"
        "      --copy MODE          splice (no copy, default) or rw "
        "(read/write)\n"
        "      --seed N             device contents and workload seed (1)\n"
        "      --src-id ID          source device id (vfio-src0)\n"
        "      --dst-id ID          destination device id (vfio-dst0)\n"
        "      --no-events[=SIDE]   switch event emission off for src, dst or "
        "both\n"
        "      --json               summary as one JSON object on stdout\n"
        "      --qmp PATH           serve the events and the harness commands\n"
        "                           (schema/harness.json) on a QMP socket: "
        "the\n"
        "                           migration starts once a client negotiated "
        "and\n"
        "                           ran a first command; serving goes on "
        "until\n"
        "                           every client disconnected\n"
        "      --qmp-linger SECONDS serve at most SECONDS after the migration\n"
        "  -q, --quiet              no summary\n"
        "  -h, --help               this help\n");
}

/* "64M", "1G", "4096", "1.5G": bytes, or -1. */
static int parse_size(const char *s, uint64_t *out)
{
    char *end;
    double v;
    double mult = 1;

    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || v < 0) {
        return -1;
    }
    switch (*end) {
    case 'k':
    case 'K':
        mult = 1024.0;
        end++;
        break;
    case 'm':
    case 'M':
        mult = 1024.0 * 1024;
        end++;
        break;
    case 'g':
    case 'G':
        mult = 1024.0 * 1024 * 1024;
        end++;
        break;
    case 't':
    case 'T':
        mult = 1024.0 * 1024 * 1024 * 1024;
        end++;
        break;
    default:
        break;
    }
    if (*end == 'i' && mult > 1) {
        end++;
    }
    if (*end == 'B' || *end == 'b') {
        end++;
    }
    if (*end || v * mult > 18e18) {
        return -1;
    }
    *out = (uint64_t)(v * mult);
    return 0;
}

static const struct {
    const char *name;
    int value;
} errno_names[] = {
    {"EIO", EIO},
    {"EINVAL", EINVAL},
    {"ENOMEM", ENOMEM},
    {"EBUSY", EBUSY},
    {"EAGAIN", EAGAIN},
    {"ENODEV", ENODEV},
    {"ETIMEDOUT", ETIMEDOUT},
    {"EFAULT", EFAULT},
    {"EPERM", EPERM},
    {"ENOSPC", ENOSPC},
    {"EPROTO", EPROTO},
    {"ECANCELED", ECANCELED},
};

static int parse_errno(const char *s)
{
    char *end;
    long v;

    for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++) {
        if (!strcasecmp(s, errno_names[i].name)) {
            return errno_names[i].value;
        }
    }
    v = strtol(s, &end, 10);
    return *end || v <= 0 || v > 4095 ? -1 : (int)v;
}

typedef struct ArcFaultSpec {
    int side;
    uint32_t from, to;
    int err;
    bool to_error;
} ArcFaultSpec;

/* SIDE:FROM:TO[:ERRNO][:error] */
static int parse_fail_arc(const char *spec, ArcFaultSpec *f)
{
    char buf[128];
    char *fields[5];
    int n = 0;
    char *save = NULL;
    int st;

    if (strlen(spec) >= sizeof(buf)) {
        return -1;
    }
    strcpy(buf, spec);
    for (char *tok = strtok_r(buf, ":", &save); tok && n < 5;
         tok = strtok_r(NULL, ":", &save)) {
        fields[n++] = tok;
    }
    if (n < 3 || strtok_r(NULL, ":", &save)) {
        return -1;
    }
    if (!strcmp(fields[0], "src")) {
        f->side = VFIO_HARNESS_SRC;
    } else if (!strcmp(fields[0], "dst")) {
        f->side = VFIO_HARNESS_DST;
    } else {
        return -1;
    }
    st = vfio_ref_state_parse(fields[1]);
    if (st < 0) {
        return -1;
    }
    f->from = (uint32_t)st;
    st = vfio_ref_state_parse(fields[2]);
    if (st < 0) {
        return -1;
    }
    f->to = (uint32_t)st;
    f->err = EIO;
    f->to_error = false;
    for (int i = 3; i < n; i++) {
        if (!strcmp(fields[i], "error")) {
            f->to_error = true;
        } else if (i == 3 && (f->err = parse_errno(fields[i])) > 0) {
            continue;
        } else {
            return -1;
        }
    }
    return 0;
}

/* The events: to stdout, counted. */
static int stdout_fd = STDOUT_FILENO;
static unsigned long event_count;

static void count_sink(void *opaque, const char *name, const char *json,
                       size_t len)
{
    (void)opaque;
    (void)name;
    (void)json;
    (void)len;
    event_count++;
}

static const char *verdict_of(const VfioMigStats *st)
{
    return st->verified ? "verified" : "failed";
}

static void print_summary(FILE *f, const VfioHarness *h, const VfioMigStats *st,
                          const char *flags_text, VfioMigCopyMode mode)
{
    double rate =
        st->transfer_seconds > 0 ? (double)st->bytes / st->transfer_seconds : 0;

    fprintf(f,
            "vfio-migrate: %s -> %s, state %" PRIu64 " bytes, flags %s, "
            "copy %s\n",
            vfio_ref_device_id(h->dev[VFIO_HARNESS_SRC]),
            vfio_ref_device_id(h->dev[VFIO_HARNESS_DST]), st->state_size,
            flags_text, mode == VFIO_MIG_COPY_SPLICE ? "splice" : "rw");
    fprintf(f, "  pre-copy:   %u round%s, %" PRIu64 " bytes\n", st->rounds,
            st->rounds == 1 ? "" : "s", st->bytes_precopy);
    fprintf(f, "  stop-copy:  %" PRIu64 " bytes\n", st->bytes_stopcopy);
    fprintf(f, "  moved:      %" PRIu64 " bytes in %.6f s (%.1f MB/s)\n",
            st->bytes, st->transfer_seconds, rate / 1e6);
    fprintf(f, "  migration:  %.6f s, downtime %.6f s, %lu events\n",
            st->seconds, st->downtime_seconds, event_count);
    if (st->verified) {
        fprintf(f, "  state hash: 0x%016" PRIx64 " on both sides\n",
                st->src_hash);
    } else if (st->error) {
        fprintf(f, "  error:      %s: %s\n", st->failed_step,
                strerror(st->error));
    }
    fprintf(f, "  verdict:    %s\n", verdict_of(st));
}

static void print_json_summary(const VfioHarness *h, const VfioMigStats *st,
                               const char *flags_text, VfioMigCopyMode mode)
{
    char src_hash[32], dst_hash[32];
    json_t *err = json_null();
    json_t *sum;
    char *text;

    snprintf(src_hash, sizeof(src_hash), "0x%016" PRIx64, st->src_hash);
    snprintf(dst_hash, sizeof(dst_hash), "0x%016" PRIx64, st->dst_hash);
    if (st->error) {
        err = json_pack("{s:i, s:s, s:s}", "errno", st->error, "message",
                        strerror(st->error), "step", st->failed_step);
    }
    sum = json_pack(
        "{s:{s:s, s:s, s:s, s:I, s:s, s:s, s:I, s:I, s:I, s:i, s:f, s:f,"
        " s:f, s:f, s:s, s:s, s:I, s:o}}",
        "summary", "verdict", verdict_of(st), "source",
        vfio_ref_device_id(h->dev[VFIO_HARNESS_SRC]), "destination",
        vfio_ref_device_id(h->dev[VFIO_HARNESS_DST]), "state-size",
        (json_int_t)st->state_size, "flags", flags_text, "copy",
        mode == VFIO_MIG_COPY_SPLICE ? "splice" : "rw", "bytes",
        (json_int_t)st->bytes, "bytes-precopy", (json_int_t)st->bytes_precopy,
        "bytes-stopcopy", (json_int_t)st->bytes_stopcopy, "rounds",
        (int)st->rounds, "seconds", st->seconds, "transfer-seconds",
        st->transfer_seconds, "throughput-bytes-per-second",
        st->transfer_seconds > 0 ? (double)st->bytes / st->transfer_seconds
                                 : 0.0,
        "downtime-seconds", st->downtime_seconds, "src-hash", src_hash,
        "dst-hash", dst_hash, "events", (json_int_t)event_count, "error", err);
    text = sum ? json_dumps(sum, JSON_COMPACT) : NULL;
    if (text) {
        printf("%s\n", text);
    }
    free(text);
    json_decref(sum);
}

enum {
    OPT_FAIL_ARC = 256,
    OPT_FAULT,
    OPT_COPY,
    OPT_SEED,
    OPT_SRC_ID,
    OPT_DST_ID,
    OPT_NO_EVENTS,
    OPT_JSON,
    OPT_QMP,
    OPT_QMP_LINGER,
};

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"size", required_argument, NULL, 's'},
        {"flags", required_argument, NULL, 'f'},
        {"dirty-rate", required_argument, NULL, 'd'},
        {"workload", required_argument, NULL, 'w'},
        {"max-rounds", required_argument, NULL, 'r'},
        {"threshold", required_argument, NULL, 't'},
        {"fail-arc", required_argument, NULL, OPT_FAIL_ARC},
        {"fault", required_argument, NULL, OPT_FAULT},
        {"copy", required_argument, NULL, OPT_COPY},
        {"seed", required_argument, NULL, OPT_SEED},
        {"src-id", required_argument, NULL, OPT_SRC_ID},
        {"dst-id", required_argument, NULL, OPT_DST_ID},
        {"no-events", optional_argument, NULL, OPT_NO_EVENTS},
        {"json", no_argument, NULL, OPT_JSON},
        {"qmp", required_argument, NULL, OPT_QMP},
        {"qmp-linger", required_argument, NULL, OPT_QMP_LINGER},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    VfioHarnessConfig cfg = {64u << 20, VFIO_REF_MIGRATION_ALL, 1, NULL, NULL};
    VfioMigOptions opts = {1u << 20, 8, 0, VFIO_MIG_COPY_SPLICE, 0};
    ArcFaultSpec arc_faults[16];
    int narc_faults = 0;
    int fault_kind = VFIO_REF_STREAM_OK;
    uint64_t workload = 0;
    uint64_t fault_arg = 0;
    bool events[VFIO_HARNESS_NDEV] = {true, true};
    bool json = false, quiet = false;
    const char *qmp_path = NULL;
    double qmp_linger = -1;
    char flags_text[64];
    VfioHarness h;
    VfioMigStats st;
    int c, r;

    while ((c = getopt_long(argc, argv, "s:f:d:w:r:t:qh", longopts, NULL)) !=
           -1) {
        switch (c) {
        case 's':
            if (parse_size(optarg, &cfg.state_size) < 0) {
                fprintf(stderr, "vfio-migrate: bad size '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'f':
            if (vfio_ref_flags_parse(optarg, &cfg.flags) < 0 ||
                !vfio_ref_flags_valid(cfg.flags)) {
                fprintf(stderr,
                        "vfio-migrate: bad flags '%s' (stop-copy, "
                        "p2p, pre-copy, all)\n",
                        optarg);
                return EXIT_USAGE;
            }
            break;
        case 'd':
            if (parse_size(optarg, &opts.dirty_per_round) < 0) {
                fprintf(stderr, "vfio-migrate: bad dirty rate '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'w':
            if (parse_size(optarg, &workload) < 0) {
                fprintf(stderr, "vfio-migrate: bad workload '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'r': {
            char *end;
            unsigned long n = strtoul(optarg, &end, 10);

            if (*end || !n || n > 1000000) {
                fprintf(stderr, "vfio-migrate: bad round count '%s'\n", optarg);
                return EXIT_USAGE;
            }
            opts.max_rounds = (unsigned)n;
            break;
        }
        case 't':
            if (parse_size(optarg, &opts.stop_copy_threshold) < 0) {
                fprintf(stderr, "vfio-migrate: bad threshold '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_FAIL_ARC:
            if (narc_faults == 16 ||
                parse_fail_arc(optarg, &arc_faults[narc_faults]) < 0) {
                fprintf(stderr,
                        "vfio-migrate: bad --fail-arc '%s' "
                        "(SIDE:FROM:TO[:ERRNO][:error])\n",
                        optarg);
                return EXIT_USAGE;
            }
            narc_faults++;
            break;
        case OPT_FAULT: {
            char kind[32];
            const char *colon = strchr(optarg, ':');
            size_t len = colon ? (size_t)(colon - optarg) : strlen(optarg);

            if (len >= sizeof(kind)) {
                len = sizeof(kind) - 1;
            }
            memcpy(kind, optarg, len);
            kind[len] = 0;
            fault_kind = vfio_ref_stream_fault_parse(kind);
            fault_arg = 0;
            if (fault_kind <= VFIO_REF_STREAM_OK ||
                (colon && parse_size(colon + 1, &fault_arg) < 0) ||
                (!colon && (fault_kind == VFIO_REF_STREAM_CORRUPT ||
                            fault_kind == VFIO_REF_STREAM_TRUNCATE))) {
                fprintf(stderr,
                        "vfio-migrate: bad --fault '%s' (corrupt:"
                        "OFFSET, truncate:OFFSET, bad-version, "
                        "overlong[:BYTES])\n",
                        optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case OPT_COPY:
            if (!strcmp(optarg, "splice")) {
                opts.copy_mode = VFIO_MIG_COPY_SPLICE;
            } else if (!strcmp(optarg, "rw")) {
                opts.copy_mode = VFIO_MIG_COPY_RW;
            } else {
                fprintf(stderr,
                        "vfio-migrate: bad --copy '%s' (splice, "
                        "rw)\n",
                        optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_SEED:
            cfg.seed = strtoull(optarg, NULL, 0);
            break;
        case OPT_SRC_ID:
            cfg.src_id = optarg;
            break;
        case OPT_DST_ID:
            cfg.dst_id = optarg;
            break;
        case OPT_NO_EVENTS:
            if (!optarg) {
                events[0] = events[1] = false;
            } else if (!strcmp(optarg, "src")) {
                events[VFIO_HARNESS_SRC] = false;
            } else if (!strcmp(optarg, "dst")) {
                events[VFIO_HARNESS_DST] = false;
            } else {
                fprintf(stderr,
                        "vfio-migrate: bad --no-events '%s' (src, "
                        "dst)\n",
                        optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_JSON:
            json = true;
            break;
        case OPT_QMP:
            qmp_path = optarg;
            break;
        case OPT_QMP_LINGER: {
            char *end;

            errno = 0;
            qmp_linger = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(qmp_linger >= 0) ||
                qmp_linger > 1e6) {
                fprintf(stderr, "vfio-migrate: bad --qmp-linger '%s'\n",
                        optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case 'q':
            quiet = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    /* Writes to a data fd whose reader is gone fail with EPIPE instead. */
    signal(SIGPIPE, SIG_IGN);

    r = vfio_harness_init(&h, &cfg);
    if (r < 0) {
        fprintf(stderr, "vfio-migrate: cannot create the devices: %s\n",
                strerror(-r));
        return EXIT_USAGE;
    }
    h.opts = opts;
    for (int i = 0; i < narc_faults; i++) {
        ArcFaultSpec *f = &arc_faults[i];

        r = vfio_ref_device_fail_arc(h.dev[f->side], f->from, f->to, f->err,
                                     f->to_error, 0);
        if (r < 0) {
            fprintf(stderr,
                    "vfio-migrate: %s -> %s is not an arc of a "
                    "device with these flags\n",
                    vfio_ref_state_name(f->from), vfio_ref_state_name(f->to));
            vfio_harness_destroy(&h);
            return EXIT_USAGE;
        }
    }
    if (fault_kind != VFIO_REF_STREAM_OK) {
        vfio_ref_device_fault_stream(h.dev[VFIO_HARNESS_SRC],
                                     (VfioRefStreamFault)fault_kind, fault_arg);
    }
    for (int i = 0; i < VFIO_HARNESS_NDEV; i++) {
        vfio_mig_device_set_events(h.mig[i], events[i]);
    }
    vfio_harness_qmp_bind(&h);
    if (workload &&
        vfio_ref_device_set_workload(h.dev[VFIO_HARNESS_SRC], workload) < 0) {
        fprintf(stderr, "vfio-migrate: cannot start the workload\n");
        vfio_harness_destroy(&h);
        return EXIT_FAILED;
    }
    if (qapi_event_add_sink(qapi_event_fd_sink, &stdout_fd) < 0 ||
        qapi_event_add_sink(count_sink, NULL) < 0) {
        fprintf(stderr, "vfio-migrate: out of memory\n");
        vfio_harness_destroy(&h);
        return EXIT_FAILED;
    }
    if (qmp_path) {
        r = vfio_migrate_qmp_start(qmp_path, &h);
        if (r < 0) {
            if (r != -EINVAL) {
                fprintf(stderr, "vfio-migrate: --qmp %s: %s\n", qmp_path,
                        r == -EINTR ? "interrupted before a client was ready"
                                    : strerror(-r));
            }
            qapi_event_set_emitter(NULL, NULL);
            vfio_harness_qmp_bind(NULL);
            vfio_harness_destroy(&h);
            return r == -EINVAL ? EXIT_USAGE : EXIT_FAILED;
        }
    }

    vfio_harness_migrate(&h, VFIO_HARNESS_SRC, VFIO_HARNESS_DST, &st);

    if (qmp_path) {
        /* The clients' commands may still send events: the summary
         * comes after them. */
        vfio_migrate_qmp_stop(&h, qmp_linger);
    }
    vfio_ref_flags_format(cfg.flags, flags_text, sizeof(flags_text));
    if (json) {
        print_json_summary(&h, &st, flags_text, opts.copy_mode);
    } else if (!quiet) {
        print_summary(stderr, &h, &st, flags_text, opts.copy_mode);
    }
    fflush(stdout);
    qapi_event_set_emitter(NULL, NULL);
    vfio_harness_qmp_bind(NULL);
    vfio_harness_destroy(&h);
    return st.verified ? EXIT_VERIFIED : EXIT_FAILED;
}
