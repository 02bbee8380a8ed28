/*
 * check-vfio-migration: the VMM-side migration layer, its events through
 * the generated emitters (compiled here from the bundled schema) and
 * whole migrations.
 *
 * Events are taken from libqapi's sinks, as a QMP client would see them,
 * and compared with the sequences the layer documents: PREPARE before
 * each SET, VFIO_MIGRATION after it, recovery and reset on failure, the
 * kernel's paths (P2P states) in walks, never ERROR, nothing from a
 * device whose emission is off.  Whole migrations run under the four
 * flag combinations, and under every kind of injected fault, each ending
 * in its documented state with its documented events.
 */
#define _GNU_SOURCE
#include <jansson.h>
#include <signal.h>
#include <stdio.h>

#include "check-vfio.h"
#include "qapi/event.h"
#include "qapi/vfio-migration.h"
#include "qapi/vfio-qapi-events.h"

#define STOP VFIO_DEVICE_STATE_STOP
#define RUN VFIO_DEVICE_STATE_RUNNING
#define SCOPY VFIO_DEVICE_STATE_STOP_COPY
#define RES VFIO_DEVICE_STATE_RESUMING
#define RP2 VFIO_DEVICE_STATE_RUNNING_P2P
#define PCOPY VFIO_DEVICE_STATE_PRE_COPY
#define PP2 VFIO_DEVICE_STATE_PRE_COPY_P2P
#define NO_RECOVER VFIO_DEVICE_STATE_ERROR

#define SIZE (2u << 20)
#define MAX_EVENTS 256

/* --- the events, as a QMP client receives them -----------------------------
 */

static char *events[MAX_EVENTS];
static int nevents;

/* "P s stop" for VFIO_MIGRATION_PREPARE of device s, "M ..." for
 * VFIO_MIGRATION. */
static void capture(void *opaque, const char *name, const char *json,
                    size_t len)
{
    json_t *ev = json_loadb(json, len, 0, NULL);
    json_t *data = json_object_get(ev, "data");
    json_t *ts = json_object_get(ev, "timestamp");
    const char *id = json_string_value(json_object_get(data, "device-id"));
    const char *qom = json_string_value(json_object_get(data, "qom-path"));
    const char *st = json_string_value(json_object_get(data, "device-state"));
    char buf[128];

    (void)opaque;
    ck_assert_ptr_nonnull(ev);
    ck_assert_ptr_nonnull(id);
    ck_assert_ptr_nonnull(st);
    ck_assert_ptr_nonnull(qom);
    ck_assert_int_eq(json_object_size(data), 3);
    ck_assert(json_is_integer(json_object_get(ts, "seconds")));
    ck_assert(json_is_integer(json_object_get(ts, "microseconds")));
    snprintf(buf, sizeof(buf), "/machine/peripheral/%s", id);
    ck_assert_str_eq(qom, buf);
    ck_assert(!strcmp(name, "VFIO_MIGRATION_PREPARE") ||
              !strcmp(name, "VFIO_MIGRATION"));
    ck_assert_str_eq(json_string_value(json_object_get(ev, "event")), name);
    ck_assert_int_lt(nevents, MAX_EVENTS);
    snprintf(buf, sizeof(buf), "%s %s %s",
             strcmp(name, "VFIO_MIGRATION") ? "P" : "M", id, st);
    events[nevents++] = strdup(buf);
    json_decref(ev);
}

static void clear_events(void)
{
    for (int i = 0; i < nevents; i++) {
        free(events[i]);
    }
    nevents = 0;
}

static void setup(void)
{
    signal(SIGPIPE, SIG_IGN);
    ck_assert_int_eq(qapi_event_set_emitter(capture, NULL), 0);
}

static void teardown(void)
{
    clear_events();
    qapi_event_set_emitter(NULL, NULL);
}

/* The events so far must be exactly @want (NULL-terminated). */
static void expect_events(const char *const *want, const char *what)
{
    int n = 0;

    while (want[n]) {
        n++;
    }
    for (int i = 0; i < n || i < nevents; i++) {
        const char *got = i < nevents ? events[i] : "(none)";
        const char *exp = i < n ? want[i] : "(none)";

        if (strcmp(got, exp)) {
            fprintf(stderr, "%s: events:\n", what);
            for (int k = 0; k < nevents; k++) {
                fprintf(stderr, "  %s%s\n", events[k],
                        k == i ? "   <== here" : "");
            }
            ck_abort_msg("%s: event %d is '%s', want '%s'", what, i, got, exp);
        }
    }
    clear_events();
}

typedef struct Pair {
    VfioRefDevice *dev[2];
    VfioMigDevice *mig[2];
} Pair;

static Pair make_pair(uint32_t flags, uint64_t size)
{
    Pair p;

    p.dev[0] = new_dev("s", flags, size, 100);
    p.dev[1] = new_dev("d", flags, size, 200);
    for (int i = 0; i < 2; i++) {
        p.mig[i] = vfio_mig_device_new(p.dev[i], vfio_qapi_event_emit, NULL);
        ck_assert_ptr_nonnull(p.mig[i]);
    }
    return p;
}

static void free_pair(Pair *p)
{
    for (int i = 0; i < 2; i++) {
        vfio_mig_device_free(p->mig[i]);
        vfio_ref_device_free(p->dev[i]);
    }
}

#define EXPECT(what, ...)                                                      \
    do {                                                                       \
        static const char *const want_[] = {__VA_ARGS__, NULL};                \
        expect_events(want_, what);                                            \
    } while (0)
#define EXPECT_NONE(what)                                                      \
    do {                                                                       \
        static const char *const want_[] = {NULL};                             \
        expect_events(want_, what);                                            \
    } while (0)

/* --- single state changes
 * ----------------------------------------------------- */

START_TEST(test_set_state_success)
{
    Pair p = make_pair(SC, SIZE);
    VfioMigDevice *m = p.mig[0];

    ck_assert_uint_eq(vfio_mig_device_state(m), RUN);
    ck_assert_int_eq(vfio_mig_set_state(m, STOP, RUN), 0);
    EXPECT("STOP", "P s stop", "M s stop");
    ck_assert_uint_eq(dev_state(p.dev[0]), STOP);
    /* The current state: nothing, no event. */
    ck_assert_int_eq(vfio_mig_set_state(m, STOP, RUN), 0);
    EXPECT_NONE("STOP again");
    /* A session: the handle keeps the fd, closes it when it ends. */
    ck_assert_int_eq(vfio_mig_set_state(m, SCOPY, STOP), 0);
    EXPECT("STOP_COPY", "P s stop-copy", "M s stop-copy");
    ck_assert_int_ge(vfio_mig_device_data_fd(m), 0);
    ck_assert_int_eq(vfio_mig_set_state(m, RUN, NO_RECOVER), 0);
    EXPECT("RUNNING", "P s running", "M s running");
    ck_assert_int_eq(vfio_mig_device_data_fd(m), -1);
    ck_assert_int_eq(vfio_mig_reset(m), 0);
    EXPECT("reset", "M s running");
    free_pair(&p);
}
END_TEST

START_TEST(test_set_state_recovered)
{
    Pair p = make_pair(SC, SIZE);
    VfioMigDevice *m = p.mig[0];

    /* The SET fails, the device stays: recovery to RUNNING works; the
     * first error is returned. */
    ck_assert_int_eq(
        vfio_ref_device_fail_arc(p.dev[0], RUN, STOP, EIO, false, 1), 0);
    ck_assert_int_eq(vfio_mig_set_state(m, STOP, RUN), -EIO);
    EXPECT("recovered", "P s stop", "P s running", "M s running");
    ck_assert_uint_eq(vfio_mig_device_state(m), RUN);
    ck_assert_uint_eq(dev_state(p.dev[0]), RUN);
    free_pair(&p);
}
END_TEST

START_TEST(test_set_state_recovery_fails)
{
    Pair p = make_pair(SC, SIZE);
    VfioMigDevice *m = p.mig[0];
    VfioRefDeviceStats st;

    /* The SET leaves the device in ERROR: the recovery SET fails too, the
     * device is reset; ERROR itself is never reported. */
    ck_assert_int_eq(
        vfio_ref_device_fail_arc(p.dev[0], RUN, STOP, EIO, true, 1), 0);
    ck_assert_int_eq(vfio_mig_set_state(m, STOP, RUN), -EIO);
    EXPECT("recovery fails", "P s stop", "P s running", "M s running");
    ck_assert_uint_eq(dev_state(p.dev[0]), RUN);
    vfio_ref_device_get_stats(p.dev[0], &st);
    ck_assert_uint_eq(st.resets, 1);
    free_pair(&p);
}
END_TEST

START_TEST(test_set_state_no_recover)
{
    Pair p = make_pair(SC | P2P, SIZE);
    VfioMigDevice *m = p.mig[0];
    VfioRefDeviceStats st;

    /* No recover state: straight to a reset. */
    ck_assert_int_eq(
        vfio_ref_device_fail_arc(p.dev[0], RP2, STOP, EAGAIN, false, 1), 0);
    ck_assert_int_eq(vfio_mig_set_state(m, STOP, NO_RECOVER), -EAGAIN);
    EXPECT("no recover", "P s stop", "M s running");
    ck_assert_uint_eq(dev_state(p.dev[0]), RUN);
    vfio_ref_device_get_stats(p.dev[0], &st);
    ck_assert_uint_eq(st.resets, 1);
    free_pair(&p);
}
END_TEST

START_TEST(test_recover_to_other_state)
{
    Pair p = make_pair(SC | P2P, SIZE);
    VfioMigDevice *m = p.mig[0];

    /* RUNNING -> STOP fails inside the path (device in RUNNING_P2P);
     * recovery to RUNNING_P2P: its own PREPARE and VFIO_MIGRATION. */
    ck_assert_int_eq(
        vfio_ref_device_fail_arc(p.dev[0], RP2, STOP, EIO, false, 1), 0);
    ck_assert_int_eq(vfio_mig_set_state(m, STOP, RP2), -EIO);
    EXPECT("recover elsewhere", "P s stop", "P s running-p2p",
           "M s running-p2p");
    ck_assert_uint_eq(dev_state(p.dev[0]), RP2);
    free_pair(&p);
}
END_TEST

START_TEST(test_walk_follows_kernel_paths)
{
    Pair p = make_pair(SC | P2P | PRE, SIZE);
    VfioMigDevice *m = p.mig[0];

    ck_assert_int_eq(vfio_mig_walk(m, SCOPY), 0);
    EXPECT("walk", "P s running-p2p", "M s running-p2p", "P s stop", "M s stop",
           "P s stop-copy", "M s stop-copy");
    ck_assert_int_ge(vfio_mig_device_data_fd(m), 0);
    ck_assert_int_eq(vfio_mig_walk(m, PCOPY), -EINVAL);
    EXPECT_NONE("blocked walk");
    ck_assert_int_eq(vfio_mig_walk(m, RUN), 0);
    EXPECT("back", "P s stop", "M s stop", "P s running-p2p", "M s running-p2p",
           "P s running", "M s running");
    ck_assert_int_eq(vfio_mig_device_data_fd(m), -1);
    free_pair(&p);
}
END_TEST

START_TEST(test_emission_switch)
{
    Pair p = make_pair(SC, SIZE);

    vfio_mig_device_set_events(p.mig[0], false);
    ck_assert(!vfio_mig_device_events(p.mig[0]));
    ck_assert_int_eq(vfio_mig_set_state(p.mig[0], STOP, RUN), 0);
    ck_assert_int_eq(vfio_mig_set_state(p.mig[1], STOP, RUN), 0);
    ck_assert_uint_eq(dev_state(p.dev[0]), STOP);
    EXPECT("one device muted", "P d stop", "M d stop");
    vfio_mig_device_set_events(p.mig[0], true);
    ck_assert_int_eq(vfio_mig_set_state(p.mig[0], RUN, STOP), 0);
    EXPECT("unmuted", "P s running", "M s running");
    /* No emitter at all. */
    {
        VfioMigDevice *quiet = vfio_mig_device_new(p.dev[0], NULL, NULL);

        ck_assert_int_eq(vfio_mig_set_state(quiet, STOP, RUN), 0);
        EXPECT_NONE("no emitter");
        vfio_mig_device_free(quiet);
    }
    free_pair(&p);
}
END_TEST

START_TEST(test_error_never_sent)
{
    /* The adapter drops ERROR (no QapiVfioMigrationState value). */
    vfio_qapi_event_emit(NULL, VFIO_MIG_EVENT_MIGRATION, "x", "/x",
                         VFIO_DEVICE_STATE_ERROR);
    vfio_qapi_event_emit(NULL, VFIO_MIG_EVENT_PREPARE, "x", "/x", 8);
    EXPECT_NONE("ERROR");
}
END_TEST

START_TEST(test_event_text)
{
    /* The exact wire form of the generated emitter. */
    static char line[512];
    static size_t line_len;
    Pair p = make_pair(SC, SIZE);

    ck_assert_int_eq(qapi_event_set_emitter(NULL, NULL), 0);
    {
        int fds[2];
        ssize_t n;

        ck_assert_int_eq(pipe(fds), 0);
        ck_assert_int_eq(qapi_event_set_emitter(qapi_event_fd_sink, &fds[1]),
                         0);
        ck_assert_int_eq(vfio_mig_set_state(p.mig[0], STOP, RUN), 0);
        n = read(fds[0], line, sizeof(line) - 1);
        ck_assert_int_gt(n, 0);
        line_len = (size_t)n;
        line[line_len] = 0;
        close(fds[0]);
        close(fds[1]);
    }
    ck_assert_msg(strstr(line, "{\"event\":\"VFIO_MIGRATION_PREPARE\","
                               "\"data\":{\"device-id\":\"s\","
                               "\"qom-path\":\"/machine/peripheral/s\","
                               "\"device-state\":\"stop\"},"
                               "\"timestamp\":{\"seconds\":") == line,
                  "%s", line);
    ck_assert(strstr(line, "\n{\"event\":\"VFIO_MIGRATION\","));
    qapi_event_set_emitter(capture, NULL);
    free_pair(&p);
}
END_TEST

/* --- whole migrations -------------------------------------------------------
 */

static VfioMigStats migrate(Pair *p, uint64_t dirty, unsigned rounds,
                            VfioMigCopyMode mode, int want)
{
    VfioMigOptions o = {dirty, rounds, 0, mode, 0};
    VfioMigStats st;
    int r = vfio_mig_migrate(p->mig[0], p->mig[1], &o, &st);

    ck_assert_msg(r == want, "migration: %d (%s: %s), want %d", r,
                  st.failed_step, strerror(st.error), want);
    ck_assert_int_eq(st.error, -want);
    ck_assert(st.verified == (want == 0));
    return st;
}

static void check_verified(Pair *p, const VfioMigStats *st)
{
    ck_assert_uint_eq(dev_state(p->dev[0]), STOP);
    ck_assert_uint_eq(dev_state(p->dev[1]), RUN);
    ck_assert_uint_eq(st->src_hash, st->dst_hash);
    ck_assert_uint_eq(dev_hash(p->dev[0]), dev_hash(p->dev[1]));
    ck_assert_uint_ge(st->bytes, SIZE);
    ck_assert_uint_eq(st->bytes, st->bytes_precopy + st->bytes_stopcopy);
    ck_assert_int_eq(vfio_mig_device_data_fd(p->mig[0]), -1);
    ck_assert_int_eq(vfio_mig_device_data_fd(p->mig[1]), -1);
}

START_TEST(test_migrate_stop_copy)
{
    Pair p = make_pair(SC, SIZE);
    VfioMigStats st = migrate(&p, 1 << 20, 8, VFIO_MIG_COPY_SPLICE, 0);

    check_verified(&p, &st);
    ck_assert_uint_eq(st.rounds, 0);
    ck_assert_uint_eq(st.bytes_precopy, 0);
    EXPECT("stop-copy", "P d stop", "M d stop", "P d resuming", "M d resuming",
           "P s stop", "M s stop", "P s stop-copy", "M s stop-copy", "P d stop",
           "M d stop", "P d running", "M d running", "P s stop", "M s stop");
    free_pair(&p);
}
END_TEST

START_TEST(test_migrate_p2p)
{
    Pair p = make_pair(SC | P2P, SIZE);
    VfioMigStats st = migrate(&p, 1 << 20, 8, VFIO_MIG_COPY_SPLICE, 0);

    check_verified(&p, &st);
    EXPECT("p2p", "P d running-p2p", "M d running-p2p", "P d stop", "M d stop",
           "P d resuming", "M d resuming", "P s running-p2p", "M s running-p2p",
           "P s stop", "M s stop", "P s stop-copy", "M s stop-copy", "P d stop",
           "M d stop", "P d running-p2p", "M d running-p2p", "P d running",
           "M d running", "P s stop", "M s stop");
    free_pair(&p);
}
END_TEST

START_TEST(test_migrate_pre_copy)
{
    Pair p = make_pair(SC | PRE, SIZE);
    VfioMigStats st = migrate(&p, 256 << 10, 4, VFIO_MIG_COPY_SPLICE, 0);

    check_verified(&p, &st);
    ck_assert_uint_eq(st.rounds, 4); /* dirtying never lets it converge */
    ck_assert_uint_gt(st.bytes_precopy, SIZE);
    ck_assert_uint_gt(st.bytes_stopcopy, 0);
    EXPECT("pre-copy", "P d stop", "M d stop", "P d resuming", "M d resuming",
           "P s pre-copy", "M s pre-copy", "P s stop-copy", "M s stop-copy",
           "P d stop", "M d stop", "P d running", "M d running", "P s stop",
           "M s stop");
    free_pair(&p);
}
END_TEST

START_TEST(test_migrate_all)
{
    Pair p = make_pair(SC | P2P | PRE, SIZE);
    VfioMigStats st = migrate(&p, 128 << 10, 3, VFIO_MIG_COPY_SPLICE, 0);

    check_verified(&p, &st);
    ck_assert_uint_eq(st.rounds, 3);
    EXPECT("all", "P d running-p2p", "M d running-p2p", "P d stop", "M d stop",
           "P d resuming", "M d resuming", "P s pre-copy", "M s pre-copy",
           "P s pre-copy-p2p", "M s pre-copy-p2p", "P s stop-copy",
           "M s stop-copy", "P d stop", "M d stop", "P d running-p2p",
           "M d running-p2p", "P d running", "M d running", "P s stop",
           "M s stop");
    free_pair(&p);
}
END_TEST

START_TEST(test_migrate_converges)
{
    /* Without dirtying, pre-copy ends after one round; the stop-copy
     * phase carries only the END record. */
    Pair p = make_pair(SC | PRE, SIZE);
    VfioMigStats st = migrate(&p, 0, 8, VFIO_MIG_COPY_SPLICE, 0);

    check_verified(&p, &st);
    ck_assert_uint_eq(st.rounds, 1);
    ck_assert_uint_eq(st.bytes_stopcopy, 32);
    free_pair(&p);
}
END_TEST

START_TEST(test_migrate_read_write_mode)
{
    for (int c = 0; c < 4; c++) {
        Pair p = make_pair(all_combos[c], SIZE + 12345);
        VfioMigStats st = migrate(&p, 64 << 10, 3, VFIO_MIG_COPY_RW, 0);

        check_verified(&p, &st);
        clear_events();
        free_pair(&p);
    }
}
END_TEST

START_TEST(test_migrate_with_workload)
{
    /* The source changes by itself all along pre-copy. */
    for (int c = 2; c < 4; c++) {
        Pair p = make_pair(all_combos[c], 8u << 20);
        VfioMigStats st;

        ck_assert_int_eq(vfio_ref_device_set_workload(p.dev[0], 200u << 20), 0);
        st = migrate(&p, 0, 4, VFIO_MIG_COPY_SPLICE, 0);
        ck_assert_uint_eq(dev_hash(p.dev[0]), dev_hash(p.dev[1]));
        ck_assert_uint_gt(st.bytes_precopy, 8u << 20);
        clear_events();
        free_pair(&p);
    }
}
END_TEST

START_TEST(test_migrate_back_and_forth)
{
    Pair p = make_pair(SC | P2P | PRE, SIZE);
    VfioMigOptions o = {64 << 10, 2, 0, VFIO_MIG_COPY_SPLICE, 0};
    VfioMigStats st;

    ck_assert_int_eq(vfio_mig_migrate(p.mig[0], p.mig[1], &o, &st), 0);
    /* The destination ran on; now it goes back to the source. */
    ck_assert_int_gt(vfio_ref_device_run(p.dev[1], 100000), 0);
    ck_assert_int_eq(vfio_mig_migrate(p.mig[1], p.mig[0], &o, &st), 0);
    ck_assert(st.verified);
    ck_assert_uint_eq(dev_hash(p.dev[0]), dev_hash(p.dev[1]));
    ck_assert_uint_eq(dev_state(p.dev[0]), RUN);
    free_pair(&p);
}
END_TEST

START_TEST(test_migrate_incompatible)
{
    Pair p = make_pair(SC, SIZE);
    VfioRefDevice *other = new_dev("o", SC | P2P, SIZE, 1);
    VfioMigDevice *mo = vfio_mig_device_new(other, vfio_qapi_event_emit, NULL);
    VfioMigStats st;

    ck_assert_int_eq(vfio_mig_migrate(p.mig[0], mo, NULL, &st), -EINVAL);
    ck_assert_int_eq(vfio_mig_migrate(p.mig[0], p.mig[0], NULL, &st), -EINVAL);
    EXPECT_NONE("incompatible");
    vfio_mig_device_free(mo);
    vfio_ref_device_free(other);
    free_pair(&p);
}
END_TEST

/* --- whole migrations with faults ----------------------------------------- */

/* The events up to the source's stop-copy, for flags "all". */
#define ALL_DST_SETUP                                                          \
    "P d running-p2p", "M d running-p2p", "P d stop", "M d stop",              \
        "P d resuming", "M d resuming"
#define ALL_SRC_TO_STOP_COPY                                                   \
    "P s pre-copy", "M s pre-copy", "P s pre-copy-p2p", "M s pre-copy-p2p",    \
        "P s stop-copy", "M s stop-copy"

static void check_both_running(Pair *p)
{
    ck_assert_uint_eq(dev_state(p->dev[0]), RUN);
    ck_assert_uint_eq(dev_state(p->dev[1]), RUN);
    ck_assert_uint_eq(vfio_mig_device_state(p->mig[0]), RUN);
    ck_assert_uint_eq(vfio_mig_device_state(p->mig[1]), RUN);
    ck_assert_int_eq(vfio_mig_device_data_fd(p->mig[0]), -1);
    ck_assert_int_eq(vfio_mig_device_data_fd(p->mig[1]), -1);
}

START_TEST(test_fault_source_precopy_arc)
{
    Pair p = make_pair(SC | P2P | PRE, SIZE);
    VfioMigStats st;

    ck_assert_int_eq(
        vfio_ref_device_fail_arc(p.dev[0], RUN, PCOPY, EIO, false, 0), 0);
    st = migrate(&p, 0, 2, VFIO_MIG_COPY_SPLICE, -EIO);
    ck_assert_str_eq(st.failed_step, "source to PRE_COPY");
    check_both_running(&p);
    /* The source recovers to RUNNING; the destination, back to RUNNING,
     * finds no stream and is reset. */
    EXPECT("source RUNNING -> PRE_COPY fails", ALL_DST_SETUP, "P s pre-copy",
           "P s running", "M s running", "P d running", "M d running");
    free_pair(&p);
}
END_TEST

START_TEST(test_fault_source_to_error)
{
    Pair p = make_pair(SC | P2P | PRE, SIZE);
    VfioMigStats st;

    ck_assert_int_eq(
        vfio_ref_device_fail_arc(p.dev[0], PCOPY, PP2, EIO, true, 0), 0);
    st = migrate(&p, 0, 2, VFIO_MIG_COPY_SPLICE, -EIO);
    ck_assert_str_eq(st.failed_step, "source to STOP_COPY");
    check_both_running(&p);
    /* In ERROR the recovery to PRE_COPY fails: reset. */
    EXPECT("source PRE_COPY -> PRE_COPY_P2P to ERROR", ALL_DST_SETUP,
           "P s pre-copy", "M s pre-copy", "P s pre-copy-p2p", "P s pre-copy",
           "M s running", "P d running", "M d running");
    free_pair(&p);
}
END_TEST

START_TEST(test_fault_destination_resuming_arc)
{
    Pair p = make_pair(SC | P2P | PRE, SIZE);
    VfioMigStats st;

    ck_assert_int_eq(
        vfio_ref_device_fail_arc(p.dev[1], STOP, RES, EBUSY, false, 0), 0);
    st = migrate(&p, 0, 2, VFIO_MIG_COPY_SPLICE, -EBUSY);
    ck_assert_str_eq(st.failed_step, "destination to RESUMING");
    check_both_running(&p);
    EXPECT("destination STOP -> RESUMING fails", "P d running-p2p",
           "M d running-p2p", "P d stop", "M d stop", "P d resuming",
           "P d stop", "M d stop", "P d running", "M d running");
    free_pair(&p);
}
END_TEST

START_TEST(test_fault_destination_load_arc)
{
    Pair p = make_pair(SC | P2P | PRE, SIZE);
    VfioMigStats st;

    ck_assert_int_eq(
        vfio_ref_device_fail_arc(p.dev[1], RES, STOP, EIO, true, 0), 0);
    st = migrate(&p, 0, 2, VFIO_MIG_COPY_SPLICE, -EIO);
    ck_assert_str_eq(st.failed_step, "destination to STOP");
    check_both_running(&p);
    EXPECT("destination RESUMING -> STOP to ERROR", ALL_DST_SETUP,
           ALL_SRC_TO_STOP_COPY, "P d stop", "P d resuming", "M d running",
           "P s running", "M s running");
    free_pair(&p);
}
END_TEST

START_TEST(test_fault_source_last_arc)
{
    Pair p = make_pair(SC | P2P | PRE, SIZE);
    VfioMigStats st;

    /* Once: the migration fails at its very end, the source recovers to
     * STOP_COPY, then goes back to running. */
    ck_assert_int_eq(
        vfio_ref_device_fail_arc(p.dev[0], SCOPY, STOP, EIO, false, 1), 0);
    st = migrate(&p, 0, 2, VFIO_MIG_COPY_SPLICE, -EIO);
    ck_assert_str_eq(st.failed_step, "source to STOP");
    check_both_running(&p);
    /* The destination got the whole state before that. */
    ck_assert_uint_eq(dev_hash(p.dev[0]), dev_hash(p.dev[1]));
    EXPECT("source STOP_COPY -> STOP fails", ALL_DST_SETUP,
           ALL_SRC_TO_STOP_COPY, "P d stop", "M d stop", "P d running-p2p",
           "M d running-p2p", "P d running", "M d running", "P s stop",
           "P s stop-copy", "M s stop-copy", "P s running", "M s running");
    free_pair(&p);
}
END_TEST

typedef struct StreamFaultCase {
    VfioRefStreamFault kind;
    uint64_t arg;
    int err;
} StreamFaultCase;

START_TEST(test_fault_stream)
{
    static const StreamFaultCase cases[] = {
        {VFIO_REF_STREAM_CORRUPT, 100, EBADMSG},
        {VFIO_REF_STREAM_CORRUPT, 1u << 20, EBADMSG},
        {VFIO_REF_STREAM_TRUNCATE, 12345, ENODATA},
        {VFIO_REF_STREAM_BAD_VERSION, 1, EPROTO},
        {VFIO_REF_STREAM_OVERLONG, 10, EMSGSIZE},
    };

    for (int c = 0; c < 4; c++) {
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
            Pair p = make_pair(all_combos[c], SIZE);
            VfioMigStats st;

            ck_assert_int_eq(vfio_ref_device_fault_stream(
                                 p.dev[0], cases[i].kind, cases[i].arg),
                             0);
            st = migrate(&p, 64 << 10, 2, VFIO_MIG_COPY_SPLICE, -cases[i].err);
            ck_assert_str_eq(st.failed_step, "destination to STOP");
            check_both_running(&p);
            if (all_combos[c] == (SC | P2P | PRE)) {
                /* The destination refuses the stream (ERROR), recovery
                 * to RESUMING fails, reset; the source runs on. */
                EXPECT("stream fault", ALL_DST_SETUP, ALL_SRC_TO_STOP_COPY,
                       "P d stop", "P d resuming", "M d running", "P s running",
                       "M s running");
            }
            clear_events();
            free_pair(&p);
        }
    }
}
END_TEST

static Suite *migration_suite(void)
{
    Suite *s = suite_create("vfio-migration");
    TCase *tc = tcase_create("set-state");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_set_state_success);
    tcase_add_test(tc, test_set_state_recovered);
    tcase_add_test(tc, test_set_state_recovery_fails);
    tcase_add_test(tc, test_set_state_no_recover);
    tcase_add_test(tc, test_recover_to_other_state);
    tcase_add_test(tc, test_walk_follows_kernel_paths);
    tcase_add_test(tc, test_emission_switch);
    tcase_add_test(tc, test_error_never_sent);
    tcase_add_test(tc, test_event_text);
    suite_add_tcase(s, tc);

    tc = tcase_create("migrate");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_migrate_stop_copy);
    tcase_add_test(tc, test_migrate_p2p);
    tcase_add_test(tc, test_migrate_pre_copy);
    tcase_add_test(tc, test_migrate_all);
    tcase_add_test(tc, test_migrate_converges);
    tcase_add_test(tc, test_migrate_read_write_mode);
    tcase_add_test(tc, test_migrate_with_workload);
    tcase_add_test(tc, test_migrate_back_and_forth);
    tcase_add_test(tc, test_migrate_incompatible);
    suite_add_tcase(s, tc);

    tc = tcase_create("faults");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_fault_source_precopy_arc);
    tcase_add_test(tc, test_fault_source_to_error);
    tcase_add_test(tc, test_fault_destination_resuming_arc);
    tcase_add_test(tc, test_fault_destination_load_arc);
    tcase_add_test(tc, test_fault_source_last_arc);
    tcase_add_test(tc, test_fault_stream);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(migration_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
