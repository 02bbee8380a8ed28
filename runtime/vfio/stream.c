/*
 * The reference device's migration data stream: encoding on the source,
 * validating parser on the destination (format in stream.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vfio/checksum.h"
#include "vfio/stream.h"

enum {
    PH_HEADER,  /* reading the stream header */
    PH_RECORD,  /* reading a record header */
    PH_PAYLOAD, /* reading a DATA payload into the state */
    PH_END,     /* END seen: nothing may follow */
    PH_ERROR,   /* bad stream: the rest is discarded */
};

static void put_le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (unsigned char)(v >> (8 * i));
    }
}

static void put_le64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        p[i] = (unsigned char)(v >> (8 * i));
    }
}

static uint32_t get_le32(const unsigned char *p)
{
    uint32_t v = 0;

    for (int i = 3; i >= 0; i--) {
        v = v << 8 | p[i];
    }
    return v;
}

static uint64_t get_le64(const unsigned char *p)
{
    uint64_t v = 0;

    for (int i = 7; i >= 0; i--) {
        v = v << 8 | p[i];
    }
    return v;
}

void vfio_stream_encode_header(unsigned char *buf, uint32_t version,
                               uint64_t state_size, uint64_t flags,
                               uint64_t nonce)
{
    memset(buf, 0, VFIO_STREAM_HEADER_SIZE);
    memcpy(buf, VFIO_STREAM_MAGIC, 8);
    put_le32(buf + 8, version);
    put_le32(buf + 12, VFIO_STREAM_HEADER_SIZE);
    put_le64(buf + 16, state_size);
    put_le64(buf + 24, flags);
    put_le64(buf + 32, nonce);
    put_le64(buf + 56, vfio_ref_checksum(buf, 56, 0));
}

static uint64_t record_checksum(uint64_t nonce, uint64_t seq, uint32_t type,
                                uint32_t len, uint64_t offset, uint64_t word)
{
    uint64_t w[4] = {type | (uint64_t)len << 32, offset, word, seq};

    return vfio_ref_checksum_words(w, 4, nonce);
}

void vfio_stream_encode_record(unsigned char *buf, uint64_t nonce, uint64_t seq,
                               uint32_t type, uint32_t len, uint64_t offset,
                               uint64_t word)
{
    put_le32(buf, type);
    put_le32(buf + 4, len);
    put_le64(buf + 8, offset);
    put_le64(buf + 16, word);
    put_le64(buf + 24, record_checksum(nonce, seq, type, len, offset, word));
}

uint64_t vfio_stream_block_checksum(const void *block, size_t len,
                                    uint64_t offset)
{
    return vfio_ref_checksum(block, len, offset);
}

uint64_t vfio_stream_record_checksum(const uint64_t *block_sums, size_t nblocks,
                                     uint64_t nonce, uint64_t offset)
{
    return vfio_ref_checksum_words(block_sums, nblocks, nonce ^ offset);
}

/* The block checksums of @len bytes at @offset into @sums; returns how
 * many. */
static size_t block_sums_of(const unsigned char *data, size_t len,
                            uint64_t offset, uint64_t *sums)
{
    size_t n = 0;

    for (size_t at = 0; at < len; at += VFIO_STREAM_BLOCK) {
        size_t blen =
            len - at < VFIO_STREAM_BLOCK ? len - at : VFIO_STREAM_BLOCK;

        sums[n++] = vfio_stream_block_checksum(data + at, blen, offset + at);
    }
    return n;
}

uint64_t vfio_stream_payload_checksum(const void *data, size_t len,
                                      uint64_t nonce, uint64_t offset)
{
    uint64_t *sums = malloc((len / VFIO_STREAM_BLOCK + 1) * sizeof(*sums));
    uint64_t sum;
    size_t n;

    if (!sums) {
        return 0;
    }
    n = block_sums_of(data, len, offset, sums);
    sum = vfio_stream_record_checksum(sums, n, nonce, offset);
    free(sums);
    return sum;
}

uint64_t vfio_stream_image_bytes(uint64_t state_size, uint64_t record)
{
    uint64_t nrec = record ? (state_size + record - 1) / record : 0;

    return VFIO_STREAM_HEADER_SIZE + nrec * VFIO_STREAM_RECORD_SIZE +
           state_size + VFIO_STREAM_RECORD_SIZE;
}

int vfio_stream_parser_init(VfioStreamParser *p, void *mem, uint64_t size,
                            uint64_t *block_sums)
{
    memset(p, 0, offsetof(VfioStreamParser, scratch));
    p->mem = mem;
    p->size = size;
    p->phase = PH_HEADER;
    p->nblocks = (size + VFIO_STREAM_BLOCK - 1) / VFIO_STREAM_BLOCK;
    p->block_sums = block_sums;
    p->covered =
        calloc((size_t)(p->nblocks + 63) / 64 + 1, sizeof(*p->covered));
    p->sums = malloc((VFIO_STREAM_MAX_RECORD / VFIO_STREAM_BLOCK + 1) *
                     sizeof(*p->sums));
    if (!p->covered || !p->sums) {
        vfio_stream_parser_destroy(p);
        return -ENOMEM;
    }
    return 0;
}

void vfio_stream_parser_destroy(VfioStreamParser *p)
{
    free(p->covered);
    free(p->sums);
    p->covered = NULL;
    p->sums = NULL;
}

static void fail(VfioStreamParser *p, int err)
{
    if (!p->error) {
        p->error = err;
    }
    p->phase = PH_ERROR;
}

void *vfio_stream_parser_want(VfioStreamParser *p, size_t *len)
{
    switch (p->phase) {
    case PH_HEADER:
        *len = VFIO_STREAM_HEADER_SIZE - p->have;
        return p->hdr + p->have;
    case PH_RECORD:
        *len = VFIO_STREAM_RECORD_SIZE - p->have;
        return p->hdr + p->have;
    case PH_PAYLOAD:
        *len = (size_t)(p->rec_len - p->rec_got);
        return p->mem + p->rec_off + p->rec_got;
    default:
        *len = sizeof(p->scratch);
        return p->scratch;
    }
}

static void parse_header(VfioStreamParser *p)
{
    const unsigned char *h = p->hdr;

    if (memcmp(h, VFIO_STREAM_MAGIC, 8)) {
        fail(p, EINVAL);
    } else if (get_le64(h + 56) != vfio_ref_checksum(h, 56, 0)) {
        fail(p, EBADMSG);
    } else if (get_le32(h + 8) != VFIO_STREAM_VERSION) {
        fail(p, EPROTO);
    } else if (get_le32(h + 12) != VFIO_STREAM_HEADER_SIZE ||
               get_le64(h + 16) != p->size) {
        fail(p, EINVAL);
    } else {
        p->nonce = get_le64(h + 32);
        p->phase = PH_RECORD;
    }
}

static void mark_covered(VfioStreamParser *p, uint64_t off, uint64_t len)
{
    uint64_t first = off / VFIO_STREAM_BLOCK;
    uint64_t last = (off + len + VFIO_STREAM_BLOCK - 1) / VFIO_STREAM_BLOCK;

    for (uint64_t b = first; b < last; b++) {
        uint64_t bit = 1ull << (b % 64);

        if (!(p->covered[b / 64] & bit)) {
            p->covered[b / 64] |= bit;
            p->ncovered++;
        }
    }
}

static void parse_record(VfioStreamParser *p)
{
    const unsigned char *h = p->hdr;
    uint32_t type = get_le32(h);
    uint32_t len = get_le32(h + 4);
    uint64_t off = get_le64(h + 8);
    uint64_t word = get_le64(h + 16);

    if (get_le64(h + 24) !=
        record_checksum(p->nonce, p->seq, type, len, off, word)) {
        fail(p, EBADMSG);
        return;
    }
    p->seq++;
    if (type == VFIO_STREAM_END) {
        if (len != 0) {
            fail(p, EINVAL);
        } else if (off != p->records || word != p->payload) {
            fail(p, EBADMSG);
        } else {
            p->phase = PH_END;
        }
        return;
    }
    if (type != VFIO_STREAM_DATA || len == 0 || len > VFIO_STREAM_MAX_RECORD ||
        off > p->size || len > p->size - off || off % VFIO_STREAM_BLOCK != 0 ||
        (len % VFIO_STREAM_BLOCK != 0 && off + len != p->size)) {
        fail(p, EINVAL);
        return;
    }
    p->rec_len = len;
    p->rec_off = off;
    p->rec_sum = word;
    p->rec_got = 0;
    p->phase = PH_PAYLOAD;
}

static void end_payload(VfioStreamParser *p)
{
    size_t n =
        block_sums_of(p->mem + p->rec_off, p->rec_len, p->rec_off, p->sums);

    if (vfio_stream_record_checksum(p->sums, n, p->nonce, p->rec_off) !=
        p->rec_sum) {
        fail(p, EBADMSG);
        return;
    }
    if (p->block_sums) {
        memcpy(p->block_sums + p->rec_off / VFIO_STREAM_BLOCK, p->sums,
               n * sizeof(*p->sums));
    }
    mark_covered(p, p->rec_off, p->rec_len);
    p->records++;
    p->payload += p->rec_len;
    p->phase = PH_RECORD;
}

void vfio_stream_parser_got(VfioStreamParser *p, size_t n)
{
    p->total += n;
    switch (p->phase) {
    case PH_HEADER:
        p->have += n;
        if (p->have == VFIO_STREAM_HEADER_SIZE) {
            p->have = 0;
            parse_header(p);
        }
        break;
    case PH_RECORD:
        p->have += n;
        if (p->have == VFIO_STREAM_RECORD_SIZE) {
            p->have = 0;
            parse_record(p);
        }
        break;
    case PH_PAYLOAD:
        p->rec_got += n;
        if (p->rec_got == p->rec_len) {
            end_payload(p);
        }
        break;
    case PH_END:
        p->extra += n;
        if (n) {
            fail(p, EMSGSIZE);
        }
        break;
    default:
        break;
    }
}

void vfio_stream_parser_feed(VfioStreamParser *p, const void *data, size_t len)
{
    const unsigned char *src = data;

    while (len) {
        size_t want;
        void *dst = vfio_stream_parser_want(p, &want);
        size_t n = want < len ? want : len;

        memcpy(dst, src, n);
        vfio_stream_parser_got(p, n);
        src += n;
        len -= n;
    }
}

int vfio_stream_parser_finish(VfioStreamParser *p)
{
    if (p->error) {
        return -p->error;
    }
    if (p->phase != PH_END || p->ncovered != p->nblocks) {
        return -ENODATA;
    }
    return 0;
}
