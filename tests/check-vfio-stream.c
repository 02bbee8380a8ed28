/*
 * check-vfio-stream: the reference device's stream format and its
 * validating parser (runtime/vfio/stream.c, internal), with streams built
 * here record by record: accepted intact in any segmentation, refused
 * with the documented errno when truncated, corrupted, of another
 * version, over-long, reordered, incomplete or malformed.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vfio/checksum.h"
#include "vfio/stream.h"

#define STATE_SIZE (5 * 4096 + 100) /* a partial last block */
#define NONCE 0x1234567890abcdefull

typedef struct Buf {
    unsigned char *data;
    size_t len, cap;
} Buf;

static void put(Buf *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2;
        b->data = realloc(b->data, b->cap);
        ck_assert_ptr_nonnull(b->data);
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static unsigned char state[STATE_SIZE];

/* A stream of @state in records of @rec bytes (in @order if not NULL). */
static Buf make_stream(size_t rec, uint32_t version, const int *order,
                       int norder)
{
    Buf b = {NULL, 0, 0};
    unsigned char hdr[VFIO_STREAM_HEADER_SIZE];
    unsigned char r[VFIO_STREAM_RECORD_SIZE];
    size_t nrec = (STATE_SIZE + rec - 1) / rec;
    uint64_t seq = 0, payload = 0;

    vfio_stream_encode_header(hdr, version, STATE_SIZE, 7, NONCE);
    put(&b, hdr, sizeof(hdr));
    for (size_t k = 0; k < (order ? (size_t)norder : nrec); k++) {
        size_t i = order ? (size_t)order[k] : k;
        size_t off = i * rec;
        size_t len = off + rec <= STATE_SIZE ? rec : STATE_SIZE - off;

        vfio_stream_encode_record(
            r, NONCE, seq++, VFIO_STREAM_DATA, (uint32_t)len, off,
            vfio_stream_payload_checksum(state + off, len, NONCE, off));
        put(&b, r, sizeof(r));
        put(&b, state + off, len);
        payload += len;
    }
    vfio_stream_encode_record(r, NONCE, seq, VFIO_STREAM_END, 0,
                              order ? (uint64_t)norder : nrec, payload);
    put(&b, r, sizeof(r));
    return b;
}

/* Feed @len bytes of @data in pieces from @seed (0: one piece). */
static int parse(const unsigned char *data, size_t len, unsigned seed,
                 unsigned char *out)
{
    VfioStreamParser *p = malloc(sizeof(*p));
    size_t off = 0;
    int r;

    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(vfio_stream_parser_init(p, out, STATE_SIZE, NULL), 0);
    srand(seed);
    while (off < len) {
        size_t n = seed ? (size_t)(rand() % 9000) + 1 : len;

        n = n > len - off ? len - off : n;
        vfio_stream_parser_feed(p, data + off, n);
        off += n;
    }
    r = vfio_stream_parser_finish(p);
    vfio_stream_parser_destroy(p);
    free(p);
    return r;
}

static void setup(void)
{
    for (size_t i = 0; i < STATE_SIZE; i++) {
        state[i] = (unsigned char)(i * 131 + 7);
    }
}

START_TEST(test_intact_any_segmentation)
{
    static const size_t recs[] = {4096, 8192, 16384, 65536};

    for (size_t k = 0; k < sizeof(recs) / sizeof(recs[0]); k++) {
        Buf b = make_stream(recs[k], VFIO_STREAM_VERSION, NULL, 0);

        for (unsigned seed = 0; seed < 20; seed++) {
            static unsigned char out[STATE_SIZE];

            memset(out, 0, sizeof(out));
            ck_assert_int_eq(parse(b.data, b.len, seed, out), 0);
            ck_assert(!memcmp(out, state, STATE_SIZE));
        }
        /* Byte by byte. */
        {
            static unsigned char out[STATE_SIZE];
            VfioStreamParser *p = malloc(sizeof(*p));

            ck_assert_int_eq(vfio_stream_parser_init(p, out, STATE_SIZE, NULL),
                             0);
            for (size_t i = 0; i < b.len; i++) {
                vfio_stream_parser_feed(p, b.data + i, 1);
            }
            ck_assert_int_eq(vfio_stream_parser_finish(p), 0);
            ck_assert(!memcmp(out, state, STATE_SIZE));
            vfio_stream_parser_destroy(p);
            free(p);
        }
        free(b.data);
    }
}
END_TEST

START_TEST(test_block_sums_stored)
{
    Buf b = make_stream(8192, VFIO_STREAM_VERSION, NULL, 0);
    static unsigned char out[STATE_SIZE];
    uint64_t sums[6] = {0};
    VfioStreamParser *p = malloc(sizeof(*p));

    ck_assert_int_eq(vfio_stream_parser_init(p, out, STATE_SIZE, sums), 0);
    vfio_stream_parser_feed(p, b.data, b.len);
    ck_assert_int_eq(vfio_stream_parser_finish(p), 0);
    for (int i = 0; i < 6; i++) {
        size_t off = (size_t)i * 4096;
        size_t len = off + 4096 <= STATE_SIZE ? 4096 : STATE_SIZE - off;

        ck_assert_uint_eq(sums[i],
                          vfio_stream_block_checksum(state + off, len, off));
    }
    /* A payload checksum is the combination of its blocks'. */
    ck_assert_uint_eq(vfio_stream_payload_checksum(state, 8192, 5, 0),
                      vfio_stream_record_checksum(sums, 2, 5, 0));
    vfio_stream_parser_destroy(p);
    free(p);
    free(b.data);
}
END_TEST

START_TEST(test_image_bytes)
{
    Buf b = make_stream(8192, VFIO_STREAM_VERSION, NULL, 0);

    ck_assert_uint_eq(vfio_stream_image_bytes(STATE_SIZE, 8192), b.len);
    free(b.data);
}
END_TEST

START_TEST(test_truncated_everywhere)
{
    Buf b = make_stream(8192, VFIO_STREAM_VERSION, NULL, 0);
    static unsigned char out[STATE_SIZE];

    for (size_t cut = 0; cut < b.len; cut++) {
        ck_assert_msg(parse(b.data, cut, 0, out) == -ENODATA, "cut at %zu",
                      cut);
    }
    free(b.data);
}
END_TEST

START_TEST(test_corrupted_everywhere)
{
    Buf b = make_stream(8192, VFIO_STREAM_VERSION, NULL, 0);
    static unsigned char out[STATE_SIZE];

    /* Every byte of the headers, and a sample of payload bytes. */
    for (size_t i = 0; i < b.len; i += (i < 200 || i + 200 > b.len) ? 1 : 97) {
        int r;

        b.data[i] ^= 0x40;
        r = parse(b.data, b.len, (unsigned)i, out);
        b.data[i] ^= 0x40;
        /* Mostly EBADMSG; a damaged magic is EINVAL. */
        ck_assert_msg(r == -EBADMSG || (i < 8 && r == -EINVAL), "byte %zu: %d",
                      i, r);
    }
    free(b.data);
}
END_TEST

START_TEST(test_wrong_version)
{
    Buf b = make_stream(8192, VFIO_STREAM_VERSION + 1, NULL, 0);
    static unsigned char out[STATE_SIZE];

    ck_assert_int_eq(parse(b.data, b.len, 3, out), -EPROTO);
    free(b.data);
    b = make_stream(8192, 0, NULL, 0);
    ck_assert_int_eq(parse(b.data, b.len, 0, out), -EPROTO);
    free(b.data);
}
END_TEST

START_TEST(test_overlong)
{
    Buf b = make_stream(8192, VFIO_STREAM_VERSION, NULL, 0);
    static unsigned char out[STATE_SIZE];

    put(&b, "x", 1);
    ck_assert_int_eq(parse(b.data, b.len, 0, out), -EMSGSIZE);
    /* A whole second stream after the first. */
    {
        Buf c = make_stream(8192, VFIO_STREAM_VERSION, NULL, 0);

        b.len--;
        put(&b, c.data, c.len);
        ck_assert_int_eq(parse(b.data, b.len, 5, out), -EMSGSIZE);
        free(c.data);
    }
    free(b.data);
}
END_TEST

START_TEST(test_record_order)
{
    static unsigned char out[STATE_SIZE];
    /* 8192-byte records: 0..2.  Any order is fine (pre-copy resends
     * pages); a repeat is fine; a missing one is incomplete. */
    static const int shuffled[] = {2, 0, 1};
    static const int repeated[] = {0, 1, 1, 2, 0};
    static const int missing[] = {0, 2};
    Buf b;

    b = make_stream(8192, VFIO_STREAM_VERSION, shuffled, 3);
    ck_assert_int_eq(parse(b.data, b.len, 0, out), 0);
    free(b.data);
    b = make_stream(8192, VFIO_STREAM_VERSION, repeated, 5);
    ck_assert_int_eq(parse(b.data, b.len, 1, out), 0);
    ck_assert(!memcmp(out, state, STATE_SIZE));
    free(b.data);
    b = make_stream(8192, VFIO_STREAM_VERSION, missing, 2);
    ck_assert_int_eq(parse(b.data, b.len, 0, out), -ENODATA);
    free(b.data);
}
END_TEST

START_TEST(test_swapped_records)
{
    /* Two whole records swapped: the sequence numbers in the header
     * checksums catch it. */
    Buf b = make_stream(8192, VFIO_STREAM_VERSION, NULL, 0);
    static unsigned char out[STATE_SIZE];
    size_t r0 = VFIO_STREAM_HEADER_SIZE;
    size_t rlen = VFIO_STREAM_RECORD_SIZE + 8192;
    unsigned char *tmp = malloc(rlen);

    memcpy(tmp, b.data + r0, rlen);
    memmove(b.data + r0, b.data + r0 + rlen, rlen);
    memcpy(b.data + r0 + rlen, tmp, rlen);
    ck_assert_int_eq(parse(b.data, b.len, 0, out), -EBADMSG);
    free(tmp);
    free(b.data);
}
END_TEST

START_TEST(test_malformed_records)
{
    static unsigned char out[STATE_SIZE];
    unsigned char hdr[VFIO_STREAM_HEADER_SIZE];
    unsigned char r[VFIO_STREAM_RECORD_SIZE];
    static const struct {
        uint32_t type, len;
        uint64_t off;
    } bad[] = {
        {3, 0, 0},                            /* unknown type */
        {VFIO_STREAM_DATA, 0, 0},             /* empty */
        {VFIO_STREAM_DATA, 100, 10},          /* unaligned offset */
        {VFIO_STREAM_DATA, 100, 0},           /* partial block, not the end */
        {VFIO_STREAM_DATA, 4096, STATE_SIZE}, /* beyond the state */
        {VFIO_STREAM_DATA, 8192, 4 * 4096},   /* runs past the end */
        {VFIO_STREAM_END, 4, 0},              /* END with a length */
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        Buf b = {NULL, 0, 0};

        vfio_stream_encode_header(hdr, VFIO_STREAM_VERSION, STATE_SIZE, 1,
                                  NONCE);
        put(&b, hdr, sizeof(hdr));
        vfio_stream_encode_record(r, NONCE, 0, bad[i].type, bad[i].len,
                                  bad[i].off, 0);
        put(&b, r, sizeof(r));
        ck_assert_msg(parse(b.data, b.len, 0, out) == -EINVAL, "case %zu", i);
        free(b.data);
    }
}
END_TEST

START_TEST(test_bad_header)
{
    static unsigned char out[STATE_SIZE];
    unsigned char hdr[VFIO_STREAM_HEADER_SIZE];

    /* Another state size: incompatible. */
    vfio_stream_encode_header(hdr, VFIO_STREAM_VERSION, STATE_SIZE + 1, 1,
                              NONCE);
    ck_assert_int_eq(parse(hdr, sizeof(hdr), 0, out), -EINVAL);
    /* Not a stream at all. */
    memset(hdr, 'x', sizeof(hdr));
    ck_assert_int_eq(parse(hdr, sizeof(hdr), 0, out), -EINVAL);
    /* Nothing. */
    ck_assert_int_eq(parse(hdr, 0, 0, out), -ENODATA);
}
END_TEST

START_TEST(test_end_counts)
{
    /* An END whose counts disagree with what came (with a valid header
     * checksum: a producer bug, not damage). */
    static unsigned char out[STATE_SIZE];
    Buf b = make_stream(8192, VFIO_STREAM_VERSION, NULL, 0);
    unsigned char *end = b.data + b.len - VFIO_STREAM_RECORD_SIZE;

    vfio_stream_encode_record(end, NONCE, 3, VFIO_STREAM_END, 0, 3,
                              STATE_SIZE + 1);
    ck_assert_int_eq(parse(b.data, b.len, 0, out), -EBADMSG);
    free(b.data);
}
END_TEST

START_TEST(test_checksum)
{
    unsigned char buf[1000];
    uint64_t h;

    for (size_t i = 0; i < sizeof(buf); i++) {
        buf[i] = (unsigned char)i;
    }
    h = vfio_ref_checksum(buf, sizeof(buf), 0);
    ck_assert_uint_eq(h, vfio_ref_checksum(buf, sizeof(buf), 0));
    ck_assert_uint_ne(h, vfio_ref_checksum(buf, sizeof(buf), 1));
    ck_assert_uint_ne(h, vfio_ref_checksum(buf, sizeof(buf) - 1, 0));
    /* Every single-bit flip changes it. */
    for (size_t i = 0; i < sizeof(buf); i++) {
        for (int bit = 0; bit < 8; bit++) {
            buf[i] ^= (unsigned char)(1 << bit);
            ck_assert_uint_ne(h, vfio_ref_checksum(buf, sizeof(buf), 0));
            buf[i] ^= (unsigned char)(1 << bit);
        }
    }
    /* Swapping two words changes it. */
    {
        unsigned char t[8];

        memcpy(t, buf, 8);
        memcpy(buf, buf + 8, 8);
        memcpy(buf + 8, t, 8);
        ck_assert_uint_ne(h, vfio_ref_checksum(buf, sizeof(buf), 0));
    }
    ck_assert_uint_ne(vfio_ref_checksum(NULL, 0, 0),
                      vfio_ref_checksum(NULL, 0, 1));
}
END_TEST

static Suite *stream_suite(void)
{
    Suite *s = suite_create("vfio-stream");
    TCase *tc = tcase_create("stream");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_intact_any_segmentation);
    tcase_add_test(tc, test_image_bytes);
    tcase_add_test(tc, test_block_sums_stored);
    tcase_add_test(tc, test_truncated_everywhere);
    tcase_add_test(tc, test_corrupted_everywhere);
    tcase_add_test(tc, test_wrong_version);
    tcase_add_test(tc, test_overlong);
    tcase_add_test(tc, test_record_order);
    tcase_add_test(tc, test_swapped_records);
    tcase_add_test(tc, test_malformed_records);
    tcase_add_test(tc, test_bad_header);
    tcase_add_test(tc, test_end_counts);
    tcase_add_test(tc, test_checksum);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(stream_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
