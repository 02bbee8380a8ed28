/*
 * checksum.h - the 64-bit checksum of the migration stream and of device
 * states (internal to libqapi-vfio).
 *
 * Not cryptographic: it detects accidental damage (flipped, lost, added,
 * reordered bytes) at memory speed.  32-byte blocks feed two rotating
 * accumulators with folded 64x64-bit products of key-masked words plus
 * the raw words (four multiply-rotate lanes where the compiler has no
 * 128-bit integers); the tail is folded in word by word and byte by
 * byte; the length and the seed are mixed into the result, then a final
 * avalanche.  Words are read little-endian, so that the value does not
 * depend on the host.
 */
#ifndef VFIO_CHECKSUM_H
#define VFIO_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

uint64_t vfio_ref_checksum(const void *data, size_t len, uint64_t seed);

/* Mix a few 64-bit values (headers, sequence numbers) into one. */
uint64_t vfio_ref_checksum_words(const uint64_t *words, size_t n,
                                 uint64_t seed);

#endif /* VFIO_CHECKSUM_H */
