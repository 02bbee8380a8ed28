/*
 * stream.h - the reference device's migration data stream (internal to
 * libqapi-vfio).
 *
 * The uAPI leaves the stream opaque to the VMM; this device's is
 * versioned and checksummed so that the destination can refuse anything
 * but a complete, intact stream from a compatible device.  All integers
 * little-endian.
 *
 *   stream header, 64 bytes
 *     0  magic "QVFIOMIG"
 *     8  u32 version (VFIO_STREAM_VERSION)
 *    12  u32 header size (64)
 *    16  u64 state size of the source device
 *    24  u64 migration flags of the source device (informational)
 *    32  u64 nonce: random per session, seeds every record checksum
 *    40  u64 reserved, 0
 *    48  u64 reserved, 0
 *    56  u64 checksum of bytes 0..55 (seed 0)
 *   then records, each a 32-byte header and, for DATA, a payload
 *     0  u32 type: 1 DATA, 2 END
 *     4  u32 payload length (DATA: 1..VFIO_STREAM_MAX_RECORD; END: 0)
 *     8  u64 DATA: offset in the state; END: number of DATA records
 *    16  u64 DATA: checksum of the payload (below); END: total DATA
 *            payload bytes
 *    24  u64 checksum of the four words (type | length << 32, offset,
 *            word at 16, record sequence number), seed nonce
 *   END is the last record: nothing may follow it.
 *
 * DATA offsets are multiples of 4096, and lengths too unless the record
 * ends the state; a record may repeat an earlier range (pre-copy dirty
 * data), the last copy wins.
 *
 * The payload checksum combines the checksums of its 4096-byte blocks
 * (the last one may be shorter), each seeded with its offset in the
 * state, with vfio_ref_checksum_words() seeded with nonce ^ offset: a
 * device can keep its blocks' checksums up to date as its state changes,
 * instead of reading its whole state again at migration time.  The stream is
 * complete when END arrived, its counts match and every 4096-byte block of the
 * state was written.
 *
 * Errors of a stream (errno values, reported when the device leaves
 * RESUMING):
 *   EINVAL     malformed: bad magic, record type, alignment or range;
 *              state size differs from the destination's
 *   EPROTO     unsupported version
 *   EBADMSG    a checksum does not match (corrupted, reordered, lost or
 *              duplicated data), or END's counts disagree
 *   ENODATA    truncated: no END, or part of the state never written
 *   EMSGSIZE   over-long: bytes after END
 */
#ifndef VFIO_STREAM_H
#define VFIO_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VFIO_STREAM_MAGIC "QVFIOMIG"
#define VFIO_STREAM_VERSION 1u
#define VFIO_STREAM_HEADER_SIZE 64u
#define VFIO_STREAM_RECORD_SIZE 32u
#define VFIO_STREAM_BLOCK 4096u
#define VFIO_STREAM_MAX_RECORD (16u << 20)

enum {
    VFIO_STREAM_DATA = 1,
    VFIO_STREAM_END = 2,
};

/* Encode the stream header into @buf (VFIO_STREAM_HEADER_SIZE bytes). */
void vfio_stream_encode_header(unsigned char *buf, uint32_t version,
                               uint64_t state_size, uint64_t flags,
                               uint64_t nonce);

/* Encode record number @seq into @buf (VFIO_STREAM_RECORD_SIZE bytes). */
void vfio_stream_encode_record(unsigned char *buf, uint64_t nonce, uint64_t seq,
                               uint32_t type, uint32_t len, uint64_t offset,
                               uint64_t word);

/* The checksum of the block of @len bytes at @offset of a state. */
uint64_t vfio_stream_block_checksum(const void *block, size_t len,
                                    uint64_t offset);

/* The checksum of a DATA payload from its blocks' checksums. */
uint64_t vfio_stream_record_checksum(const uint64_t *block_sums, size_t nblocks,
                                     uint64_t nonce, uint64_t offset);

/* The checksum of a DATA payload (computing its blocks' checksums). */
uint64_t vfio_stream_payload_checksum(const void *data, size_t len,
                                      uint64_t nonce, uint64_t offset);

/* Bytes of the stream that carry @state_size bytes in records of at most
 * @record bytes (header, records, END). */
uint64_t vfio_stream_image_bytes(uint64_t state_size, uint64_t record);

/*
 * The destination's parser.  It writes payloads straight into the
 * device state @mem (@size bytes): the reader asks where the next bytes
 * go, reads them there, and reports how many arrived.  With @block_sums
 * (one entry per 4096-byte block of the state), it stores there the
 * checksums of the blocks it received.
 */
typedef struct VfioStreamParser {
    unsigned char *mem;
    uint64_t size;
    int phase; /* internal */
    int error; /* first errno found, 0 if none */
    unsigned char hdr[VFIO_STREAM_HEADER_SIZE];
    size_t have; /* bytes of hdr filled */
    uint64_t nonce;
    uint64_t seq;     /* records seen */
    uint64_t records; /* DATA records seen */
    uint64_t payload; /* DATA payload bytes seen */
    uint32_t rec_len; /* current DATA record */
    uint64_t rec_off;
    uint64_t rec_sum;
    uint64_t rec_got;
    uint64_t extra;    /* bytes after END */
    uint64_t total;    /* bytes consumed */
    uint64_t *covered; /* one bit per VFIO_STREAM_BLOCK */
    uint64_t nblocks;
    uint64_t ncovered;
    uint64_t *block_sums; /* where to store block checksums, or NULL */
    uint64_t *sums;       /* the current record's block checksums */
    unsigned char scratch[4096];
} VfioStreamParser;

/* Returns 0, or -ENOMEM. */
int vfio_stream_parser_init(VfioStreamParser *p, void *mem, uint64_t size,
                            uint64_t *block_sums);
void vfio_stream_parser_destroy(VfioStreamParser *p);
/* Where the next bytes go, and at most how many (never 0). */
void *vfio_stream_parser_want(VfioStreamParser *p, size_t *len);
/* @n bytes (at most what _want() said) arrived there. */
void vfio_stream_parser_got(VfioStreamParser *p, size_t n);
/* Feed bytes from a buffer (tests, the copying write path). */
void vfio_stream_parser_feed(VfioStreamParser *p, const void *data, size_t len);
/* At the end of the stream: 0 when complete and intact, else -errno. */
int vfio_stream_parser_finish(VfioStreamParser *p);

#endif /* VFIO_STREAM_H */
