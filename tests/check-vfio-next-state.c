/*
 * check-vfio-next-state: vfio_ref_mig_get_next_state() and the uAPI
 * helpers.
 *
 * Two independent oracles:
 *   1. tables written here from the uAPI rules, for the four flag
 *      combinations the uAPI defines: every (flags, cur, new) triple,
 *      out-of-range states included;
 *   2. a breadth-first search over the arcs the uAPI lists (written out
 *      again here), checking that every path the function produces is
 *      made of arcs, is shortest, and keeps saving-group states out of its
 *      interior (except for moves inside the group).
 * Flag values beyond the four are checked against what Linux's function
 * does with them.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qapi/vfio-fsm.h"
#include "qapi/vfio-uapi.h"

#define SC VFIO_MIGRATION_STOP_COPY
#define P2P VFIO_MIGRATION_P2P
#define PRE VFIO_MIGRATION_PRE_COPY

static const uint32_t combos[4] = {SC, SC | P2P, SC | PRE, SC | P2P | PRE};

/*
 * expected[combo][cur] is a row of 8 characters, one per requested state
 * in uAPI order (ERROR STOP RUNNING STOP_COPY RESUMING RUNNING_P2P
 * PRE_COPY PRE_COPY_P2P): the digit of the next state, or '-' for
 * -EINVAL.  Rules used: ERROR is never requested and never left; a state
 * the device lacks is neither a start nor a goal; the next state is the
 * first arc of the shortest path of uAPI arcs, without saving-group
 * states inside; STOP_COPY cannot go back to pre-copy; where P2P exists,
 * RUNNING and STOP only meet through RUNNING_P2P; PRE_COPY_P2P is left
 * through RUNNING_P2P and PRE_COPY through RUNNING; PRE_COPY reaches
 * STOP_COPY through PRE_COPY_P2P where that exists (a move inside the
 * group), directly otherwise.
 */
static const char *const expected[4][8] = {
    /* STOP_COPY: STOP 1, RUNNING 2, STOP_COPY 3, RESUMING 4 */
    {
        "--------", /* ERROR: never left */
        "-1234---", /* STOP: RUNNING, STOP_COPY, RESUMING are arcs */
        "-1211---", /* RUNNING: everything stopped through STOP */
        "-1131---", /* STOP_COPY: out through STOP */
        "-1114---", /* RESUMING: out through STOP */
        "--------", "--------", "--------", /* unsupported */
    },
    /* STOP_COPY | P2P: + RUNNING_P2P 5 */
    {
        "--------",
        "-15345--", /* STOP: RUNNING through RUNNING_P2P */
        "-52555--", /* RUNNING: all stopped states through RUNNING_P2P */
        "-11311--",
        "-11141--",
        "-12115--", /* RUNNING_P2P: RUNNING, STOP arcs; rest via STOP */
        "--------",
        "--------",
    },
    /* STOP_COPY | PRE_COPY: + PRE_COPY 6 */
    {
        "--------",
        "-1234-2-", /* STOP: PRE_COPY through RUNNING */
        "-1211-6-", /* RUNNING: PRE_COPY is an arc */
        "-1131---", /* STOP_COPY: no way back to PRE_COPY */
        "-1114-1-",
        "--------",
        "-2232-6-", /* PRE_COPY: out through RUNNING; STOP_COPY an arc */
        "--------",
    },
    /* all: + RUNNING_P2P 5, PRE_COPY 6, PRE_COPY_P2P 7 */
    {
        "--------",
        "-1534555", /* STOP: all running states through RUNNING_P2P */
        "-5255565", /* RUNNING: PRE_COPY an arc, the rest via RUNNING_P2P */
        "-11311--", /* STOP_COPY: no way back to pre-copy */
        "-1114111", /* RESUMING: everything through STOP */
        "-1211527", /* RUNNING_P2P: STOP, RUNNING, PRE_COPY_P2P arcs */
        "-2272267", /* PRE_COPY: out via RUNNING; STOP_COPY via P2P */
        "-5535567", /* PRE_COPY_P2P: out via RUNNING_P2P */
    },
};

static int expected_result(int combo, uint32_t cur, uint32_t new_state,
                           uint32_t *next)
{
    char c;

    if (cur >= 8 || new_state >= 8) {
        return -EINVAL;
    }
    c = expected[combo][cur][new_state];
    if (c == '-') {
        return -EINVAL;
    }
    *next = (uint32_t)(c - '0');
    return 0;
}

static const uint32_t probe_states[] = {0, 1, 2, 3,   4,           5,         6,
                                        7, 8, 9, 255, 0x80000000u, UINT32_MAX};
#define NPROBE (sizeof(probe_states) / sizeof(probe_states[0]))

START_TEST(test_table_four_combos)
{
    for (int c = 0; c < 4; c++) {
        for (size_t i = 0; i < NPROBE; i++) {
            for (size_t j = 0; j < NPROBE; j++) {
                uint32_t cur = probe_states[i], ns = probe_states[j];
                uint32_t want = 99, got = 99;
                int er = expected_result(c, cur, ns, &want);
                int r = vfio_ref_mig_get_next_state(combos[c], cur, ns, &got);

                ck_assert_msg(r == er, "flags %u %u -> %u: %d, want %d",
                              combos[c], cur, ns, r, er);
                if (er == 0) {
                    ck_assert_msg(got == want, "flags %u %u -> %u: %u, want %u",
                                  combos[c], cur, ns, got, want);
                }
            }
        }
    }
}
END_TEST

/* What Linux's function gives for any flag value, from the four. */
static int linux_result(uint32_t flags, uint32_t cur, uint32_t ns,
                        uint32_t *next)
{
    if (!(flags & SC)) {
        return -EINVAL; /* every state needs STOP_COPY */
    }
    if (flags == UINT32_MAX && cur < 8 && ns < 8 && (cur == 0 || ns == 0)) {
        /* ERROR "supported": the table gives ERROR, -EINVAL */
        *next = 0;
        return -EINVAL;
    }
    return expected_result((int)((flags >> 1) & 3), cur, ns, next);
}

START_TEST(test_other_flag_values)
{
    static const uint32_t high[] = {0, 8, 0x100, 0x80000000u, 0xfffffff8u};

    for (size_t h = 0; h < sizeof(high) / sizeof(high[0]); h++) {
        for (uint32_t low = 0; low < 8; low++) {
            uint32_t flags = high[h] | low;

            for (size_t i = 0; i < NPROBE; i++) {
                for (size_t j = 0; j < NPROBE; j++) {
                    uint32_t cur = probe_states[i], ns = probe_states[j];
                    uint32_t want = 99, got = 99;
                    int er = linux_result(flags, cur, ns, &want);
                    int r = vfio_ref_mig_get_next_state(flags, cur, ns, &got);

                    ck_assert_msg(r == er, "flags %#x %u -> %u: %d, want %d",
                                  flags, cur, ns, r, er);
                    if (er == 0) {
                        ck_assert_uint_eq(got, want);
                    }
                }
            }
        }
    }
}
END_TEST

/* All 32 bits: ERROR counts as supported, as in Linux; still -EINVAL. */
START_TEST(test_all_bits)
{
    uint32_t next = 99;

    ck_assert_int_eq(vfio_ref_mig_get_next_state(UINT32_MAX, 0, 2, &next),
                     -EINVAL);
    ck_assert_uint_eq(next, 0); /* Linux stores ERROR here */
    next = 99;
    ck_assert_int_eq(vfio_ref_mig_get_next_state(UINT32_MAX, 2, 0, &next),
                     -EINVAL);
    ck_assert_uint_eq(next, 0);
    ck_assert_int_eq(vfio_ref_mig_get_next_state(UINT32_MAX, 2, 1, &next), 0);
    ck_assert_uint_eq(next, 5);
    /* Rejected up front: *next untouched. */
    next = 99;
    ck_assert_int_eq(vfio_ref_mig_get_next_state(SC, 0, 2, &next), -EINVAL);
    ck_assert_uint_eq(next, 99);
    ck_assert_int_eq(vfio_ref_mig_get_next_state(SC, 2, 9, &next), -EINVAL);
    ck_assert_uint_eq(next, 99);
}
END_TEST

/* The 2026 fix: STOP_COPY -> PRE_COPY(_P2P) ends (with -EINVAL) instead
 * of looping for ever in the skip loop.  A hang fails by timeout. */
START_TEST(test_stop_copy_to_pre_copy_terminates)
{
    static const uint32_t flags[] = {SC | PRE, SC | P2P | PRE, UINT32_MAX,
                                     SC | PRE | 0x10};

    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
        uint32_t next = 99;

        ck_assert_int_eq(vfio_ref_mig_get_next_state(flags[i], 3, 6, &next),
                         -EINVAL);
        ck_assert_uint_eq(next, 0);
        if (flags[i] & P2P) {
            ck_assert_int_eq(vfio_ref_mig_get_next_state(flags[i], 3, 7, &next),
                             -EINVAL);
        }
    }
}
END_TEST

/* --- oracle 2: the arcs of the uAPI and a shortest-path search ----------- */

static bool saving(uint32_t s)
{
    return s == 3 || s == 6 || s == 7;
}

static bool supported(uint32_t flags, uint32_t s)
{
    switch (s) {
    case 1:
    case 2:
    case 3:
    case 4:
        return true;
    case 5:
        return flags & P2P;
    case 6:
        return flags & PRE;
    case 7:
        return (flags & P2P) && (flags & PRE);
    default:
        return false;
    }
}

/* The arcs the uAPI text lists, with the P2P / PRE_COPY variants. */
static bool uapi_arc(uint32_t flags, uint32_t a, uint32_t b)
{
    static const uint8_t always[][2] = {{4, 1}, {1, 4}, {1, 3}, {3, 1}};
    static const uint8_t with_p2p[][2] = {{2, 5}, {5, 2}, {5, 1}, {1, 5}};
    static const uint8_t without_p2p[][2] = {{2, 1}, {1, 2}};
    static const uint8_t with_pre[][2] = {{2, 6}, {6, 2}};
    static const uint8_t with_both[][2] = {
        {6, 7}, {7, 6}, {7, 5}, {7, 3}, {5, 7}};
    static const uint8_t pre_without_p2p[][2] = {{6, 3}};
#define HAS(list)                                                              \
    for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++) {              \
        if (list[i][0] == a && list[i][1] == b) {                              \
            return true;                                                       \
        }                                                                      \
    }

    HAS(always);
    if (flags & P2P) {
        HAS(with_p2p);
    } else {
        HAS(without_p2p);
    }
    if (flags & PRE) {
        HAS(with_pre);
        if (flags & P2P) {
            HAS(with_both);
        } else {
            HAS(pre_without_p2p);
        }
    }
#undef HAS
    return false;
}

/*
 * Shortest path length from @a to @b over uAPI arcs, interior states not
 * in the saving group unless the whole move is inside the group; -1 if
 * none (STOP_COPY never goes back to pre-copy).
 */
static int bfs(uint32_t flags, uint32_t a, uint32_t b)
{
    int dist[8];
    uint32_t queue[8];
    int head = 0, tail = 0;
    bool inside = saving(a) && saving(b);

    if (a == 3 && (b == 6 || b == 7)) {
        return -1;
    }
    for (int i = 0; i < 8; i++) {
        dist[i] = -1;
    }
    dist[a] = 0;
    queue[tail++] = a;
    while (head < tail) {
        uint32_t s = queue[head++];

        if (s == b) {
            return dist[s];
        }
        if (s != a && saving(s) && !inside) {
            continue; /* cannot go on from an interior saving state */
        }
        for (uint32_t t = 1; t < 8; t++) {
            if (dist[t] < 0 && supported(flags, t) && uapi_arc(flags, s, t)) {
                dist[t] = dist[s] + 1;
                queue[tail++] = t;
            }
        }
    }
    return -1;
}

START_TEST(test_paths_against_bfs)
{
    for (int c = 0; c < 4; c++) {
        uint32_t flags = combos[c];

        for (uint32_t a = 1; a < 8; a++) {
            for (uint32_t b = 1; b < 8; b++) {
                uint32_t path[16];
                int want, n;

                if (!supported(flags, a) || !supported(flags, b)) {
                    continue;
                }
                want = bfs(flags, a, b);
                n = vfio_ref_mig_get_path(flags, a, b, path, 16);
                if (want < 0) {
                    ck_assert_msg(n == -EINVAL, "%u -> %u: %d", a, b, n);
                    continue;
                }
                ck_assert_msg(n == want,
                              "flags %u %u -> %u: %d arcs, "
                              "shortest %d",
                              flags, a, b, n, want);
                for (int i = 0; i < n; i++) {
                    uint32_t from = i ? path[i - 1] : a;

                    ck_assert_msg(uapi_arc(flags, from, path[i]),
                                  "%u -> %u: step %u -> %u is no arc", a, b,
                                  from, path[i]);
                    ck_assert(vfio_ref_mig_is_arc(flags, from, path[i]));
                    ck_assert_uint_ne(path[i], 0);
                    if (i < n - 1 && !(saving(a) && saving(b))) {
                        ck_assert_msg(!saving(path[i]),
                                      "%u -> %u passes "
                                      "through saving state %u",
                                      a, b, path[i]);
                    }
                }
                if (n) {
                    ck_assert_uint_eq(path[n - 1], b);
                }
            }
        }
    }
}
END_TEST

START_TEST(test_is_arc_matches_uapi)
{
    for (int c = 0; c < 4; c++) {
        for (uint32_t a = 0; a < 9; a++) {
            for (uint32_t b = 0; b < 9; b++) {
                bool want = a != b && supported(combos[c], a) &&
                            supported(combos[c], b) &&
                            uapi_arc(combos[c], a, b);

                ck_assert_msg(vfio_ref_mig_is_arc(combos[c], a, b) == want,
                              "flags %u arc %u -> %u", combos[c], a, b);
            }
        }
    }
}
END_TEST

START_TEST(test_get_path)
{
    uint32_t path[8];

    ck_assert_int_eq(vfio_ref_mig_get_path(SC | P2P | PRE, 4, 6, path, 8), 4);
    ck_assert_uint_eq(path[0], 1);
    ck_assert_uint_eq(path[1], 5);
    ck_assert_uint_eq(path[2], 2);
    ck_assert_uint_eq(path[3], 6);
    ck_assert_int_eq(vfio_ref_mig_get_path(SC, 2, 2, path, 8), 0);
    ck_assert_int_eq(vfio_ref_mig_get_path(SC, 5, 5, path, 8), -EINVAL);
    ck_assert_int_eq(vfio_ref_mig_get_path(SC, 0, 0, path, 8), -EINVAL);
    ck_assert_int_eq(vfio_ref_mig_get_path(SC | PRE, 3, 6, path, 8), -EINVAL);
    /* A short buffer still counts every arc. */
    ck_assert_int_eq(vfio_ref_mig_get_path(SC | P2P, 2, 3, path, 1), 3);
    ck_assert_uint_eq(path[0], 5);
}
END_TEST

/* --- uAPI values and helpers ------------------------------------------------
 */

START_TEST(test_uapi_values)
{
    /* The kernel's numbers (also checked at compile time). */
    ck_assert_int_eq(VFIO_DEVICE_STATE_ERROR, 0);
    ck_assert_int_eq(VFIO_DEVICE_STATE_STOP, 1);
    ck_assert_int_eq(VFIO_DEVICE_STATE_RUNNING, 2);
    ck_assert_int_eq(VFIO_DEVICE_STATE_STOP_COPY, 3);
    ck_assert_int_eq(VFIO_DEVICE_STATE_RESUMING, 4);
    ck_assert_int_eq(VFIO_DEVICE_STATE_RUNNING_P2P, 5);
    ck_assert_int_eq(VFIO_DEVICE_STATE_PRE_COPY, 6);
    ck_assert_int_eq(VFIO_DEVICE_STATE_PRE_COPY_P2P, 7);
    ck_assert_int_eq(VFIO_MIGRATION_STOP_COPY, 1);
    ck_assert_int_eq(VFIO_MIGRATION_P2P, 2);
    ck_assert_int_eq(VFIO_MIGRATION_PRE_COPY, 4);
    ck_assert_int_eq(VFIO_DEVICE_FEATURE_MIG_DATA_SIZE, 9);
    ck_assert_uint_eq(sizeof(struct vfio_precopy_info), 24);
}
END_TEST

START_TEST(test_names)
{
    static const char *const qapi[] = {
        NULL,       "stop",        "running",  "stop-copy",
        "resuming", "running-p2p", "pre-copy", "pre-copy-p2p"};

    for (uint32_t s = 0; s < 8; s++) {
        const char *n = vfio_ref_state_name(s);

        ck_assert_ptr_nonnull(n);
        ck_assert_int_eq(vfio_ref_state_parse(n), (int)s);
        if (qapi[s]) {
            ck_assert_str_eq(vfio_ref_state_qapi_name(s), qapi[s]);
            ck_assert_int_eq(vfio_ref_state_parse(qapi[s]), (int)s);
        }
    }
    ck_assert_ptr_null(vfio_ref_state_qapi_name(0));
    ck_assert_ptr_null(vfio_ref_state_name(8));
    ck_assert_ptr_null(vfio_ref_state_qapi_name(8));
    ck_assert_int_eq(vfio_ref_state_parse("stop_copy"), 3);
    ck_assert_int_eq(vfio_ref_state_parse("7"), 7);
    ck_assert_int_eq(vfio_ref_state_parse("8"), -1);
    ck_assert_int_eq(vfio_ref_state_parse("stopped"), -1);
    ck_assert_int_eq(vfio_ref_state_parse(""), -1);
}
END_TEST

START_TEST(test_flags_helpers)
{
    uint32_t f;
    char buf[64];

    for (uint64_t flags = 0; flags < 16; flags++) {
        ck_assert(vfio_ref_flags_valid(flags) == ((flags & 1) && flags < 8));
    }
    ck_assert(!vfio_ref_flags_valid(1ull << 32 | 1));
    ck_assert_int_eq(vfio_ref_flags_parse("all", &f), 0);
    ck_assert_uint_eq(f, 7);
    ck_assert_int_eq(vfio_ref_flags_parse("p2p", &f), 0);
    ck_assert_uint_eq(f, 3);
    ck_assert_int_eq(vfio_ref_flags_parse("stop-copy,pre-copy", &f), 0);
    ck_assert_uint_eq(f, 5);
    ck_assert_int_eq(vfio_ref_flags_parse("PRECOPY", &f), 0);
    ck_assert_uint_eq(f, 5);
    ck_assert_int_eq(vfio_ref_flags_parse("0x3", &f), 0);
    ck_assert_uint_eq(f, 3);
    ck_assert_int_eq(vfio_ref_flags_parse("p2p,", &f), -1);
    ck_assert_int_eq(vfio_ref_flags_parse("fast", &f), -1);
    ck_assert_str_eq(vfio_ref_flags_format(7, buf, sizeof(buf)),
                     "stop-copy,p2p,pre-copy");
    ck_assert_str_eq(vfio_ref_flags_format(0x11, buf, sizeof(buf)),
                     "stop-copy,0x10");
    ck_assert_str_eq(vfio_ref_flags_format(0, buf, sizeof(buf)), "none");
    ck_assert_uint_eq(vfio_ref_state_required_flags(7), 7);
    ck_assert_uint_eq(vfio_ref_state_required_flags(5), 3);
    ck_assert(vfio_ref_state_supported(5, 6));
    ck_assert(!vfio_ref_state_supported(5, 7));
    ck_assert(!vfio_ref_state_supported(7, 0));
    ck_assert(vfio_ref_state_is_saving(3) && vfio_ref_state_is_saving(7));
    ck_assert(!vfio_ref_state_is_saving(4));
    ck_assert(vfio_ref_state_is_running(6) && !vfio_ref_state_is_running(3));
}
END_TEST

static Suite *next_state_suite(void)
{
    Suite *s = suite_create("vfio-next-state");
    TCase *tc = tcase_create("fsm");

    tcase_add_test(tc, test_table_four_combos);
    tcase_add_test(tc, test_other_flag_values);
    tcase_add_test(tc, test_all_bits);
    tcase_add_test(tc, test_stop_copy_to_pre_copy_terminates);
    tcase_add_test(tc, test_paths_against_bfs);
    tcase_add_test(tc, test_is_arc_matches_uapi);
    tcase_add_test(tc, test_get_path);
    suite_add_tcase(s, tc);
    tc = tcase_create("uapi");
    tcase_add_test(tc, test_uapi_values);
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_flags_helpers);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(next_state_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
